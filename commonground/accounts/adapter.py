from __future__ import annotations

import logging
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

security_log = logging.getLogger("commonground.security")


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by accepting an invitation, not by open sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def login(self, request: HttpRequest, user: Any) -> None:
        super().login(request, user)
        security_log.info("sign-in ok user=%s ip=%s", user.pk, request.META.get("REMOTE_ADDR"))
