"""Request middleware: sign-in requirement and security headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseBase


class LoginRequiredExceptApiMiddleware(LoginRequiredMiddleware):
    """Every page needs a signed-in user unless its view is marked ``login_not_required``.

    The JSON API authenticates itself (token or session) and answers 401 in
    JSON instead of redirecting to the sign-in page.
    """

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


def content_security_policy() -> str:
    tile_origin = ""
    tile_url = settings.COMMONGROUND_TILE_URL
    if "://" in tile_url:
        scheme, rest = tile_url.split("://", 1)
        host = rest.split("/", 1)[0].replace("{s}", "*")
        tile_origin = f" {scheme}://{host}"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src 'self' data: blob:{tile_origin}",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy (no inline scripts or styles) on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csp = content_security_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class QueryCountHeaderMiddleware:
    """Adds ``X-Query-Count`` to every response (benchmarks only; enabled by
    ``COMMONGROUND_QUERY_COUNT_HEADER=1``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.db import connection

        count = 0

        def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response.headers["X-Query-Count"] = str(count)
        return response
