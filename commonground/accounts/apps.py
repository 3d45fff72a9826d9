import logging
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

security_log = logging.getLogger("commonground.security")


def _log_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    ip = request.META.get("REMOTE_ADDR") if request is not None else "-"
    security_log.warning("sign-in refused email=%s ip=%s", credentials.get("email", "?"), ip)


class AccountsConfig(AppConfig):
    name = "commonground.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        user_login_failed.connect(_log_failed_sign_in, dispatch_uid="commonground-failed-sign-in")

        from allauth.account.signals import user_logged_in

        from .sso import on_user_logged_in

        user_logged_in.connect(on_user_logged_in, dispatch_uid="commonground-sso-invitations")
