"""Single sign-on through an OpenID Connect identity provider (allauth's openid_connect).

Who may come in through the identity provider, with the email address it has verified:

- a person who already has an account with that address (they were invited once);
- a person with an open invitation to that address: the invitation is accepted on
  sign-in, as if they had followed its link;
- a person whose address is at a domain an organisation lists in
  ``Organisation.email_domains``: the account is created in that organisation.

Anyone else is refused with a page that says why, and no account is created. An
address the identity provider has not verified is refused too (it would otherwise
let the provider's users claim any address).
"""

from __future__ import annotations

import logging
from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.apps import apps
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core import hooks

from .models import Invitation, User

security_log = logging.getLogger("commonground.security")


def password_sign_in_enabled() -> bool:
    return bool(getattr(settings, "COMMONGROUND_PASSWORD_SIGN_IN", True))


class PasswordSignInSwitch(ModelBackend):
    """First authentication backend: with password sign-in switched off, every
    sign-in by password (allauth's form, the admin's form) stops here; otherwise it
    authenticates nobody and the next backends do. A session that names it (e.g. from
    ``force_login``, which takes the first backend) finds its user as Django's own
    backend does."""

    def authenticate(  # type: ignore[override]
        self, request: HttpRequest | None, **credentials: Any
    ) -> None:
        if "password" in credentials and not password_sign_in_enabled():
            raise PermissionDenied("password sign-in is switched off")
        return


def open_invitations(email: str) -> list[Invitation]:
    return list(
        Invitation.objects.select_related("partnership", "organisation")
        .filter(
            email__iexact=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("created_at")
    )


def domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def organisations_with_email_domain(domain: str) -> list[Any]:
    """The organisations that let people at ``domain`` sign in (named by label: the
    organisations app sits beside this one, see docs/architecture.md)."""
    domain = domain.strip().lower()
    if not domain:
        return []
    organisation_model = apps.get_model("organisations", "Organisation")
    candidates = organisation_model._default_manager.filter(email_domains__icontains=domain)
    return [o for o in candidates if domain in o.email_domain_list]


def verified_email(sociallogin: SocialLogin) -> str:
    """The address the identity provider vouches for, lower-cased; "" if none."""
    for address in sociallogin.email_addresses:
        if address.verified and address.email:
            return address.email.strip().lower()
    return ""


def accept_open_invitations(user: User) -> list[Invitation]:
    """Take up every open invitation to the person's address; returns those accepted."""
    accepted = []
    for invitation in open_invitations(user.email):
        try:
            hooks.call(hooks.INVITATION_ACCEPT, invitation=invitation, user=user)
        except ValidationError:
            continue
        accepted.append(invitation)
    return accepted


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def _refuse(self, request: HttpRequest, reason: str, message: str, email: str) -> None:
        security_log.warning(
            "sso sign-in refused reason=%s email=%s ip=%s",
            reason,
            email or "-",
            request.META.get("REMOTE_ADDR"),
        )
        response = render(request, "accounts/sso_refused.html", {"message": message}, status=403)
        raise ImmediateHttpResponse(response)

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        email = verified_email(sociallogin)
        if not email:
            self._refuse(
                request,
                "unverified-email",
                _(
                    "The identity provider did not confirm an email address for you, "
                    "so you cannot sign in with it here."
                ),
                "",
            )
        if sociallogin.is_existing:
            return  # signed in through the identity provider before
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            # The account made from an invitation: link it to the identity provider.
            sociallogin.connect(request, user)
            return
        if open_invitations(email) or organisations_with_email_domain(domain_of(email)):
            return
        self._refuse(
            request,
            "domain-not-allowed",
            _(
                "%(email)s cannot sign in here: no organisation on this site lets "
                "people from %(domain)s sign in, and there is no open invitation to "
                "this address. Ask a partnership’s convener to invite you."
            )
            % {"email": email, "domain": domain_of(email)},
            email,
        )

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        # pre_social_login has let only invited people and allowed domains this far.
        return True

    def populate_user(
        self, request: HttpRequest, sociallogin: SocialLogin, data: dict[str, Any]
    ) -> Any:
        user = sociallogin.user
        email = verified_email(sociallogin)
        user.email = email
        name = (data.get("name") or "").strip()
        if not name:
            name = " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p)
        user.display_name = name[:120]
        language = getattr(request, "LANGUAGE_CODE", "en")
        user.language = language if language in ("en", "nb") else "en"
        invitations = open_invitations(email)
        if invitations and invitations[0].organisation_id:
            user.organisation = invitations[0].organisation
        else:
            organisations = organisations_with_email_domain(domain_of(email))
            if len(organisations) == 1:
                user.organisation = organisations[0]
        return user

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        security_log.warning(
            "sso sign-in failed error=%s exception=%r ip=%s",
            error,
            exception,
            request.META.get("REMOTE_ADDR"),
        )
        response = render(request, "socialaccount/authentication_error.html", status=403)
        raise ImmediateHttpResponse(response)


def on_user_logged_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """After a sign-in through the identity provider, accept the open invitations."""
    if kwargs.get("sociallogin") is None:
        return
    security_log.info("sso sign-in ok user=%s", user.pk)
    accept_open_invitations(user)
