"""The JSON API: one NinjaAPI that mounts each app's ``router``.

Authentication is a personal token (``Authorization: Bearer cg_…``) or the
browser session. Every endpoint checks the same policy as the pages, so an
outsider gets 404 for another partnership's objects. Errors are JSON:
400 for bad input (with field messages), 401, 403, 404.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from commonground.accounts.services import api_token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session (CSRF-checked for unsafe methods)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


api = NinjaAPI(
    title="Common Ground API",
    version="1",
    description="Partnerships, their members and everything they record, under the same permissions as the web pages.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(ValidationError)
def django_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": "invalid input", "errors": errors}, status=400)


@api.exception_handler(NinjaValidationError)
def ninja_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "invalid input", "errors": exc.errors}, status=400
    )


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "not found"}, status=404)


API_MODULES = [
    "organisations",
    "partnerships",
    "method",
    "prospects",
    "contributions",
    "agreements",
    "decisions",
    "meetings",
    "actionplan",
    "results",
    "healthchecks",
    "atlas",
    "library",
    "systemmap",
    "conversations",
]

for _module in API_MODULES:
    if find_spec(f"commonground.{_module}.api") is not None:
        _router = import_module(f"commonground.{_module}.api").router
        api.add_router(f"/{_module}/", _router)
