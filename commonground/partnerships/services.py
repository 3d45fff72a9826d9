"""State changes of partnerships, memberships and roles."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonground.core import policy
from commonground.core.audit import audit_record, snapshot
from commonground.core.i18n import Msg, choice_label
from commonground.organisations.models import Organisation

from .models import Membership, MembershipStatus, Partnership, Role, RoleKind

if TYPE_CHECKING:
    from commonground.accounts.models import User

PARTNERSHIP_FIELDS = [
    "name",
    "purpose",
    "model",
    "visibility",
    "phase",
    "status",
    "place_name",
    "trigger",
    "objectives",
    "needs",
    "resources",
]


def unique_slug(base: str, *, exclude_pk: int | None = None) -> str:
    root = slugify(base)[:70] or "partnership"
    slug, n = root, 2
    qs = Partnership.objects.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=slug).exists():
        slug = f"{root}-{n}"
        n += 1
    return slug


@transaction.atomic
def partnership_create(
    *, actor: User, name: str, purpose: str, organisation: Organisation | None = None, **fields: Any
) -> Partnership:
    """A convener starts a partnership; they become its convener (and their organisation its first member)."""
    partnership = Partnership(name=name, purpose=purpose, created_by=actor, **fields)
    partnership.slug = fields.get("slug") or unique_slug(name)
    partnership.full_clean()
    partnership.save()
    org = organisation or getattr(actor, "organisation", None)
    if org is not None:
        Membership.objects.create(
            partnership=partnership,
            organisation=org,
            status=MembershipStatus.ACTIVE,
            joined_on=timezone.localdate(),
        )
    Role.objects.create(
        partnership=partnership,
        user=actor,
        organisation=org,
        kind=RoleKind.CONVENER,
        started_on=timezone.localdate(),
    )
    policy.forget_roles(actor)
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="partnership.create",
        target=partnership,
        summary=Msg(gettext_noop("Created the partnership “%(name)s”"), name=name),
        after=snapshot(partnership, PARTNERSHIP_FIELDS),
    )
    return partnership


@transaction.atomic
def partnership_update(*, actor: User, partnership: Partnership, **changes: Any) -> Partnership:
    # Read "before" from the database: a bound ModelForm has already changed the instance.
    before = snapshot(Partnership.objects.get(pk=partnership.pk), PARTNERSHIP_FIELDS)
    for key, value in changes.items():
        if key not in PARTNERSHIP_FIELDS:
            raise ValueError(f"not an editable field: {key}")
        setattr(partnership, key, value)
    partnership.full_clean(exclude=["slug"])
    partnership.save()
    after = snapshot(partnership, PARTNERSHIP_FIELDS)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        audit_record(
            actor=actor,
            partnership=partnership,
            verb="partnership.update",
            target=partnership,
            summary=Msg(
                gettext_noop("Edited the partnership: %(fields)s"),
                fields=[
                    getattr(Partnership._meta.get_field(f), "verbose_name", f)
                    for f in sorted(changed)
                ],
            ),
            before={k: before[k] for k in changed},
            after=changed,
        )
    return partnership


@transaction.atomic
def membership_set(
    *, actor: User, partnership: Partnership, organisation: Organisation, status: str
) -> Membership:
    """Add an organisation to the partnership or change its membership status."""
    if status not in MembershipStatus.values:
        raise ValidationError(_("Unknown membership status."))
    membership, created = Membership.objects.select_for_update().get_or_create(
        partnership=partnership, organisation=organisation, defaults={"status": status}
    )
    before = None if created else {"status": membership.status}
    membership.status = status
    today = timezone.localdate()
    if status == MembershipStatus.ACTIVE and membership.joined_on is None:
        membership.joined_on = today
    if status == MembershipStatus.LEFT:
        membership.left_on = today
    membership.save()
    if before != {"status": status}:
        audit_record(
            actor=actor,
            partnership=partnership,
            verb="membership.set",
            target=membership,
            summary=Msg(
                gettext_noop("%(org)s is now “%(status)s”"),
                org=organisation.name,
                status=choice_label(membership, "status"),
            ),
            before=before,
            after={"status": status},
        )
    return membership


@transaction.atomic
def role_assign(
    *,
    actor: User,
    partnership: Partnership,
    user: Any,
    kind: str,
    organisation: Organisation | None = None,
    representative_kind: str = "",
    is_signatory: bool = False,
    title: str = "",
) -> Role:
    """Give a person a role. A representative must act for a member organisation."""
    if kind not in RoleKind.values:
        raise ValidationError(_("Unknown role."))
    if kind == RoleKind.REPRESENTATIVE:
        if organisation is None:
            raise ValidationError(_("A representative must represent an organisation."))
        if not representative_kind:
            raise ValidationError(
                _("Say whether the representative is a doer or a decision-maker.")
            )
    if (
        organisation is not None
        and not Membership.objects.filter(partnership=partnership, organisation=organisation)
        .exclude(status=MembershipStatus.LEFT)
        .exists()
    ):
        raise ValidationError(
            _("%(org)s is not a member of this partnership.") % {"org": organisation.name}
        )
    try:
        with transaction.atomic():
            role = Role.objects.create(
                partnership=partnership,
                user=user,
                kind=kind,
                organisation=organisation,
                representative_kind=representative_kind if kind == RoleKind.REPRESENTATIVE else "",
                is_signatory=is_signatory,
                title=title,
                started_on=timezone.localdate(),
            )
    except IntegrityError:
        raise ValidationError(_("%(person)s already has this role.") % {"person": user}) from None
    policy.forget_roles(user)
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="role.assign",
        target=role,
        summary=Msg(
            gettext_noop("%(person)s became %(role)s"), person=user, role=choice_label(role, "kind")
        ),
        after=snapshot(
            role, ["user", "kind", "organisation", "representative_kind", "is_signatory"]
        ),
    )
    return role


ROLE_EDITABLE = ["organisation", "representative_kind", "is_signatory", "title"]


@transaction.atomic
def role_update(
    *,
    actor: User,
    role: Role,
    organisation: Organisation | None,
    representative_kind: str = "",
    is_signatory: bool = False,
    title: str = "",
) -> Role:
    """Change what a current role carries (whom it acts for, signing authority, job
    title). The kind of role stays: a different role is given, and this one ended."""
    if role.ended_on is not None:
        raise ValidationError(_("This role has ended; give a new role instead."))
    if role.kind == RoleKind.REPRESENTATIVE:
        if organisation is None:
            raise ValidationError(_("A representative must represent an organisation."))
        if not representative_kind:
            raise ValidationError(
                _("Say whether the representative is a doer or a decision-maker.")
            )
    if is_signatory and organisation is None:
        raise ValidationError(
            {"is_signatory": _("A signatory signs for an organisation: choose the organisation.")}
        )
    if (
        organisation is not None
        and organisation.pk != role.organisation_id
        and not Membership.objects.filter(partnership=role.partnership, organisation=organisation)
        .exclude(status=MembershipStatus.LEFT)
        .exists()
    ):
        raise ValidationError(
            _("%(org)s is not a member of this partnership.") % {"org": organisation.name}
        )
    before = snapshot(role, ROLE_EDITABLE)
    role.organisation = organisation
    role.representative_kind = representative_kind if role.kind == RoleKind.REPRESENTATIVE else ""
    role.is_signatory = is_signatory
    role.title = title
    role.save(update_fields=[*ROLE_EDITABLE, "updated_at"])
    policy.forget_roles(role.user)
    audit_record(
        actor=actor,
        partnership=role.partnership,
        verb="role.update",
        target=role,
        summary=Msg(
            gettext_noop("%(person)s's role as %(role)s was changed"),
            person=role.user,
            role=choice_label(role, "kind"),
        ),
        before=before,
        after=snapshot(role, ROLE_EDITABLE),
    )
    return role


@transaction.atomic
def role_end(*, actor: User, role: Role, on: datetime.date | None = None) -> Role:
    """End a role. The last convener or manager cannot leave the partnership leaderless."""
    if role.ended_on is not None:
        raise ValidationError(_("This role has already ended."))
    if role.kind in policy.MANAGERS:
        others = (
            Role.objects.filter(
                partnership=role.partnership, kind__in=policy.MANAGERS, ended_on__isnull=True
            )
            .exclude(pk=role.pk)
            .exists()
        )
        if not others:
            raise ValidationError(_("A partnership needs at least one convener or manager."))
    role.ended_on = on or timezone.localdate()
    role.save(update_fields=["ended_on", "updated_at"])
    policy.forget_roles(role.user)
    audit_record(
        actor=actor,
        partnership=role.partnership,
        verb="role.end",
        target=role,
        summary=Msg(
            gettext_noop("%(person)s is no longer %(role)s"),
            person=role.user,
            role=choice_label(role, "kind"),
        ),
        after={"ended_on": role.ended_on},
    )
    return role
