"""Invitations into a partnership: a one-use link, emailed, that gives the person a role.

The ``Invitation`` rows live with the people (``accounts``), whose page takes the link;
what an invitation does to the partnership (a membership, a role) is decided here.
The accounts app asks for the acceptance through ``hooks.INVITATION_ACCEPT``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonground.accounts.models import Invitation, User, hash_secret
from commonground.core.audit import audit_record
from commonground.core.i18n import Msg
from commonground.core.mail import queue_email

from . import services as partnership_services
from .models import MembershipStatus, Partnership, RoleKind

INVITATION_DAYS = 14


def invitation_url(raw_token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "accounts:invitation", kwargs={"token": raw_token}
    )


@transaction.atomic
def invitation_create(
    *,
    actor: Any,
    partnership: Partnership,
    email: str,
    kind: str,
    organisation: Any = None,
    representative_kind: str = "",
    is_signatory: bool = False,
    language: str | None = None,
) -> tuple[Invitation, str]:
    """Invite a person to join in a role; emails them a one-use link. Returns the invitation and raw token."""
    if kind not in RoleKind.values:
        raise ValidationError(_("Unknown role."))
    if kind == RoleKind.REPRESENTATIVE and (organisation is None or not representative_kind):
        raise ValidationError(
            _("A representative needs an organisation and a representative type.")
        )
    if is_signatory and organisation is None:
        raise ValidationError(
            _("An authorised signatory signs for an organisation: choose the organisation.")
        )
    email = email.strip().lower()
    raw = Invitation.new_token()
    invitation = Invitation.objects.create(
        partnership=partnership,
        organisation=organisation,
        email=email,
        kind=kind,
        representative_kind=representative_kind,
        is_signatory=is_signatory,
        token_hash=hash_secret(raw),
        invited_by=actor,
        expires_at=timezone.now() + datetime.timedelta(days=INVITATION_DAYS),
    )
    if organisation is not None:
        membership = partnership.memberships.filter(organisation=organisation).first()
        if membership is None or membership.status == MembershipStatus.PROSPECT:
            partnership_services.membership_set(
                actor=actor,
                partnership=partnership,
                organisation=organisation,
                status=MembershipStatus.INVITED,
            )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="invitation.create",
        target=invitation,
        summary=Msg(
            gettext_noop("Invited %(email)s as %(role)s"), email=email, role=RoleKind(kind).label
        ),
    )
    url = invitation_url(raw)
    with translation.override(language or translation.get_language()):
        subject = _("You are invited to join %(name)s on Common Ground") % {
            "name": partnership.name
        }
        body = render_to_string(
            "accounts/email/invitation.txt",
            {"partnership": partnership, "invitation": invitation, "url": url, "inviter": actor},
        )
    queue_email(to=email, subject=subject, body=body, kind="invitation", partnership=partnership)
    return invitation, raw


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> None:
    """The invited person takes up the role; their organisation becomes an active member."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(
            _("This invitation has already been used, was withdrawn or has expired.")
        )
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    partnership = invitation.partnership
    if invitation.organisation is not None:
        partnership_services.membership_set(
            actor=user,
            partnership=partnership,
            organisation=invitation.organisation,
            status=MembershipStatus.ACTIVE,
        )
        if user.organisation_id is None:
            user.organisation = invitation.organisation
            user.save(update_fields=["organisation"])
    already = partnership.roles.filter(
        user=user, kind=invitation.kind, ended_on__isnull=True
    ).exists()
    if not already:
        partnership_services.role_assign(
            actor=user,
            partnership=partnership,
            user=user,
            kind=invitation.kind,
            organisation=invitation.organisation,
            representative_kind=invitation.representative_kind,
            is_signatory=invitation.is_signatory,
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    audit_record(
        actor=user,
        partnership=partnership,
        verb="invitation.accept",
        target=invitation,
        summary=Msg(gettext_noop("%(person)s accepted the invitation"), person=user),
    )
