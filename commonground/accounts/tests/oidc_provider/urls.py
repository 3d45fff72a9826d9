"""The test identity provider's pages: django-oauth-toolkit's under /o/ (the issuer is
http://127.0.0.1:<port>/o), a password-less test sign-in and a switch for faulty tokens."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model, login
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.oauth2_validators import OAuth2Validator

# "" (good tokens), "wrong-audience" or "expired"; one test at a time per process.
MODE = {"id_token": ""}


class Validator(OAuth2Validator):
    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {
            "email": user.email,
            # A person signed in with verified=0 has an address the provider never checked.
            "email_verified": user.last_name != "unverified",
            "name": user.first_name,
        }

    def get_id_token_dictionary(self, token: Any, token_handler: Any, request: Any) -> Any:
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        if MODE["id_token"] == "wrong-audience":
            claims["aud"] = "some-other-service"
        elif MODE["id_token"] == "expired":
            claims["exp"] = int(time.time()) - 600
        return claims, expiration_time


@csrf_exempt
def test_login(request: HttpRequest) -> HttpResponse:
    email = request.POST["email"]
    user, _ = get_user_model().objects.update_or_create(
        username=email,
        defaults={
            "email": email,
            "first_name": request.POST.get("name", ""),
            "last_name": "" if request.POST.get("verified", "1") == "1" else "unverified",
        },
    )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return HttpResponse("signed in")


@csrf_exempt
def test_mode(request: HttpRequest) -> HttpResponse:
    MODE["id_token"] = request.POST.get("id_token", "")
    return HttpResponse("ok")


urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("test-login/", test_login),
    path("test-mode/", test_mode),
]
