"""State changes of partnerships, memberships and roles."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonground.core import hooks, policy, slugs
from commonground.core.audit import audit_record, closing_partnership, snapshot
from commonground.core.i18n import Msg, choice_label
from commonground.organisations.models import Organisation

from .models import Ending, Membership, MembershipStatus, Partnership, Role, RoleKind, Status

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
    "brokered_by",
]


def unique_slug(base: str, *, exclude_pk: int | None = None) -> str:
    return slugs.unique_slug(
        Partnership.objects.all(),
        base,
        max_length=70,
        fallback="partnership",
        exclude_pk=exclude_pk,
    )


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


# --- ending the partnership well -------------------------------------------------------

# The guided path, in order: (step, the Ending field that says it was recorded).
ENDING_STEPS = (
    ("dissatisfaction", "dissatisfaction_at"),
    ("agreement", "agreement_at"),
    ("mediator", "mediator_at"),
    ("lessons", "lessons_at"),
    ("announcement", "announcement_at"),
)
ENDING_STEP_FIELDS = {
    "dissatisfaction": ("dissatisfaction_note",),
    "agreement": ("agreement_ids", "agreement_note"),
    "mediator": ("mediator_needed", "mediator_name", "mediator_organisation", "mediator_note"),
    "lessons": (
        "lesson_achievements",
        "lesson_contributions",
        "lesson_adaptation",
        "lesson_communication",
    ),
    "announcement": ("announcement", "announce_on"),
}
ENDING_STEP_TITLES = {
    "dissatisfaction": gettext_noop("Tell partners and funders first"),
    "agreement": gettext_noop("Review the agreement"),
    "mediator": gettext_noop("Bring in a mediator, if needed"),
    "lessons": gettext_noop("Record the lessons"),
    "announcement": gettext_noop("Announce the ending"),
}
_STEP_PREFIX = {
    "dissatisfaction": "dissatisfaction",
    "agreement": "agreement",
    "mediator": "mediator",
    "lessons": "lessons",
    "announcement": "announcement",
}


def _ending_for_update(partnership: Partnership) -> Ending:
    ending, _created = Ending.objects.select_for_update().get_or_create(partnership=partnership)
    return ending


@transaction.atomic
def ending_step_save(*, actor: User, partnership: Partnership, step: str, **fields: Any) -> Ending:
    """Record (or redraft) one step of the ending path. A step follows the steps before it."""
    if step not in ENDING_STEP_FIELDS:
        raise ValueError(f"not an ending step: {step}")
    unknown = set(fields) - set(ENDING_STEP_FIELDS[step])
    if unknown:
        raise ValueError(f"not fields of {step}: {sorted(unknown)}")
    ending = _ending_for_update(partnership)
    for earlier, stamp in ENDING_STEPS:
        if earlier == step:
            break
        if getattr(ending, stamp) is None:
            raise ValidationError(
                _("Record the step “%(step)s” first.") % {"step": _(ENDING_STEP_TITLES[earlier])}
            )
    if step == "dissatisfaction" and not fields.get("dissatisfaction_note", "").strip():
        raise ValidationError(
            {
                "dissatisfaction_note": _(
                    "Write what was raised, and with which partners and funders."
                )
            }
        )
    if step == "agreement":
        if not fields.get("agreement_note", "").strip():
            raise ValidationError(
                {"agreement_note": _("Write what the agreement says about ending and exit.")}
            )
        ids = [int(i) for i in fields.get("agreement_ids") or []]
        known = {pk for pk, _t, _u in agreement_links(partnership)}
        if set(ids) - known:
            raise ValidationError({"agreement_ids": _("Choose agreements of this partnership.")})
        fields["agreement_ids"] = sorted(ids)
    if (
        step == "mediator"
        and fields.get("mediator_needed")
        and not fields.get("mediator_name", "").strip()
    ):
        raise ValidationError({"mediator_name": _("Name the mediator.")})
    if step == "mediator" and not fields.get("mediator_needed"):
        fields.update(mediator_name="", mediator_organisation="")
    for name, value in fields.items():
        setattr(ending, name, value)
    prefix = _STEP_PREFIX[step]
    setattr(ending, f"{prefix}_by", actor)
    setattr(ending, f"{prefix}_at", timezone.now())
    ending.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="partnership.ending_step",
        target=ending,
        summary=Msg(
            gettext_noop("Ending the partnership: recorded the step “%(step)s”"),
            step=ENDING_STEP_TITLES[step],
        ),
        after=dict(fields),
    )
    return ending


def ending_missing(ending: Ending | None) -> list[str]:
    """The steps still to do before the partnership can be ended (their keys, in order)."""
    missing = []
    for step, stamp in ENDING_STEPS:
        if (
            ending is None
            or getattr(ending, stamp) is None
            or (step == "lessons" and not ending.lessons_written)
            or (step == "announcement" and not ending.announcement_written)
        ):
            missing.append(step)
    return missing


@transaction.atomic
def partnership_end(*, actor: User, partnership: Partnership) -> Partnership:
    """End the partnership: it becomes read-only, the data room's end rules run, and the
    story records it. Only when every step is recorded, the four lessons and the
    announcement written."""
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if policy.is_ended(locked):
        raise ValidationError(_("The partnership has already ended."))
    ending = Ending.objects.filter(partnership=locked).first()
    missing = ending_missing(ending)
    if missing:
        raise ValidationError(
            _(
                "The partnership can end only when every step is recorded, with all four "
                "lessons and the announcement written. Still to do: %(steps)s."
            )
            % {"steps": ", ".join(str(_(ENDING_STEP_TITLES[s])) for s in missing)}
        )
    assert ending is not None
    before = snapshot(locked, ["status"])
    today = timezone.localdate()
    with closing_partnership():
        for obj in (locked, partnership):
            obj.status = Status.ENDED
            obj.ended_on = today
        locked.save(update_fields=["status", "ended_on", "updated_at"])
        ending.ended_by = actor
        ending.save(update_fields=["ended_by", "updated_at"])
        audit_record(
            actor=actor,
            partnership=locked,
            verb="partnership.end",
            target=locked,
            summary=Msg(
                gettext_noop("The partnership ended (announced on %(date)s)"),
                date=ending.announce_on,
            ),
            before=before,
            after=snapshot(locked, ["status", "ended_on"]),
        )
        if hooks.provided(hooks.END_RULES_APPLY):
            hooks.call(hooks.END_RULES_APPLY, actor=actor, partnership=locked)
    return partnership


def agreement_links(partnership: Partnership) -> list[tuple[int, str, str]]:
    if not hooks.provided(hooks.AGREEMENT_LINKS):
        return []
    links: list[tuple[int, str, str]] = hooks.call(hooks.AGREEMENT_LINKS, partnership=partnership)
    return links
