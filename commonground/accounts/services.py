"""State changes for people: API tokens; finding an invitation by its link (accepting it
is the partnership's part: ``partnerships/invitations.py``)."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonground.core.audit import audit_record
from commonground.core.i18n import Msg

from .models import ApiToken, Invitation, User, hash_secret


def invitation_by_token(raw: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("partnership", "organisation")
        .filter(token_hash=hash_secret(raw))
        .first()
    )


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A personal API token. The raw value is returned once and never stored."""
    raw = "cg_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[3:9], token_hash=hash_secret(raw)
    )
    audit_record(
        actor=user,
        verb="api_token.create",
        target=token,
        summary=Msg(gettext_noop("API token “%(name)s” created"), name=name),
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise ValidationError(_("Not your token."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        actor=user,
        verb="api_token.revoke",
        target=token,
        summary=Msg(gettext_noop("API token “%(name)s” revoked"), name=token.name),
    )


def api_token_user(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_secret(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
