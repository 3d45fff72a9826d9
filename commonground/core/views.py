from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.i18n import set_language as django_set_language

from commonground.core import hooks, ops
from commonground.core.http import AuthedRequest
from commonground.core.inbox import navigation_count


def dashboard(request: AuthedRequest) -> HttpResponse:
    """The start page, built by the partnerships app (``partnerships/dashboard.py``)."""
    response: HttpResponse = hooks.call(hooks.DASHBOARD, request=request)
    return response


def inbox_count(request: AuthedRequest) -> HttpResponse:
    """The number beside My work, fetched after the page (so no page pays for it)."""
    return render(request, "core/_inbox_count.html", {"count": navigation_count(request.user)})


@login_not_required
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


@login_not_required
def set_language(request: HttpRequest) -> HttpResponse:
    return django_set_language(request)


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_not_required
@require_GET
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready to serve: database, both caches, the upload store and the task queue
    answer (core.ops); 503 with the reasons otherwise."""
    ready, checks = ops.readiness()
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )
