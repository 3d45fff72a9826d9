"""Pages of allauth's answered here first (included before ``allauth.urls`` under the
same paths and names): password reset, 404 when password sign-in is switched off
(accounts.sso); the single sign-on's signup form and error page, never used (accounts
are made without a form, refusals and failures have their own pages), always 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.account import views as allauth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path, re_path

from .sso import password_sign_in_enabled


def _while_passwords_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_not_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not password_sign_in_enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@login_not_required
def not_used(request: HttpRequest) -> HttpResponse:
    raise Http404


urlpatterns = [
    path("3rdparty/signup/", not_used, name="socialaccount_signup"),
    path("3rdparty/login/error/", not_used, name="socialaccount_login_error"),
    path(
        "password/reset/",
        _while_passwords_allowed(allauth_views.password_reset),
        name="account_reset_password",
    ),
    re_path(
        r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        _while_passwords_allowed(allauth_views.password_reset_from_key),
        name="account_reset_password_from_key",
    ),
]
