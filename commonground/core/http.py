"""Typed request for views behind the sign-in requirement."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from commonground.accounts.models import User


class AuthedRequest(HttpRequest):
    """An HttpRequest whose user is signed in (LoginRequiredMiddleware guarantees it)."""

    user: User  # type: ignore[assignment]
