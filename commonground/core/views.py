from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.i18n import set_language as django_set_language

from commonground.accounts.models import Invitation
from commonground.core.http import AuthedRequest
from commonground.core.inbox import inbox_for, waiting_count
from commonground.partnerships.models import Role


def dashboard(request: AuthedRequest) -> HttpResponse:
    roles = (
        Role.objects.filter(user=request.user, ended_on__isnull=True)
        .select_related("partnership", "organisation")
        .order_by("partnership__name", "kind")
    )
    by_partnership: dict[int, dict] = {}
    for role in roles:
        entry = by_partnership.setdefault(
            role.partnership_id, {"partnership": role.partnership, "roles": []}
        )
        entry["roles"].append(role)
    invitations = Invitation.objects.filter(
        email__iexact=request.user.email,  # type: ignore[union-attr]
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).select_related("partnership")[:10]
    sections = inbox_for(request.user)
    return render(
        request,
        "core/dashboard.html",
        {
            "memberships": list(by_partnership.values()),
            "invitations": [i for i in invitations if i.is_open],
            "sections": sections,
            "waiting": waiting_count(sections),
        },
    )


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
