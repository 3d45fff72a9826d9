"""State changes of prospects, contacts, scorecards, needs and self-assessments."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from commonground.core.audit import audit_record, snapshot
from commonground.core.i18n import Msg, choice_label, lower, msgid
from commonground.organisations.models import Organisation, ResourceCategory
from commonground.partnerships.models import MembershipStatus, Partnership
from commonground.partnerships.services import membership_set

from .models import (
    AssessmentKind,
    ContactKind,
    ContactLog,
    Criterion,
    CriterionGroup,
    Need,
    Prospect,
    Score,
    SelfAssessment,
    Stage,
)

if TYPE_CHECKING:
    from commonground.accounts.models import User

RESEARCH_FIELDS = [
    "why_approach",
    "could_bring",
    "vision",
    "mandate",
    "services",
    "strategic_plan",
    "existing_partners",
]

# The default scorecard, in our own words (group, label, weight).
DEFAULT_CRITERIA = [
    (CriterionGroup.COMPATIBILITY, gettext_lazy("Fits our strategy and objectives"), 3),
    (
        CriterionGroup.COMPATIBILITY,
        gettext_lazy("Complements current partners rather than duplicating them"),
        2,
    ),
    (CriterionGroup.COMPATIBILITY, gettext_lazy("Can commit at the level we are asking for"), 2),
    (CriterionGroup.COMPATIBILITY, gettext_lazy("Can stay for as long as the work needs"), 1),
    (CriterionGroup.COMPATIBILITY, gettext_lazy("Can start when we need them"), 1),
    (CriterionGroup.COMPATIBILITY, gettext_lazy("Their way of working fits with ours"), 1),
    (CriterionGroup.ASSESSMENT, gettext_lazy("Goals and timeframes line up with ours"), 2),
    (CriterionGroup.ASSESSMENT, gettext_lazy("The service is part of their core expertise"), 2),
    (CriterionGroup.ASSESSMENT, gettext_lazy("Widens our reach, offer or impact"), 1),
    (CriterionGroup.ASSESSMENT, gettext_lazy("Lowers the cost of planning, funding or running"), 1),
    (CriterionGroup.ASSESSMENT, gettext_lazy("Track record and references we can check"), 2),
    (
        CriterionGroup.ASSESSMENT,
        gettext_lazy("Backing from the wider organisation it belongs to"),
        1,
    ),
    (CriterionGroup.ASSESSMENT, gettext_lazy("We understand how they are governed"), 1),
    (
        CriterionGroup.SELECTION,
        gettext_lazy("Sound management, enough staff and stable finances"),
        2,
    ),
    (
        CriterionGroup.SELECTION,
        gettext_lazy("Clear scope and timing of what it will contribute"),
        1,
    ),
    (CriterionGroup.SELECTION, gettext_lazy("Understands why public processes exist"), 1),
    (CriterionGroup.SELECTION, gettext_lazy("Shares our picture of success"), 2),
    (
        CriterionGroup.SELECTION,
        gettext_lazy("Has delivered before and can grow in step with our timeline"),
        1,
    ),
]


def _prospect_summary(prospect: Prospect) -> dict[str, Any]:
    return {"organisation": prospect.organisation_id, "stage": prospect.stage}


@transaction.atomic
def criteria_seed(*, actor: User, partnership: Partnership) -> list[Criterion]:
    """Give the partnership the default scorecard, if it has no criteria yet."""
    existing = list(Criterion.objects.filter(partnership=partnership))
    if existing:
        return existing
    created = Criterion.objects.bulk_create(
        [
            Criterion(
                partnership=partnership,
                group=group,
                label=str(label),
                label_key=msgid(label),
                weight=w,
                position=i,
            )
            for i, (group, label, w) in enumerate(DEFAULT_CRITERIA, start=1)
        ]
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="prospects.criteria_seed",
        summary=Msg(gettext_noop("Added the default assessment criteria")),
    )
    return created


@transaction.atomic
def prospect_create(
    *, actor: User, partnership: Partnership, organisation: Organisation, **research: Any
) -> Prospect:
    """Put an organisation in the pipeline. The same organisation cannot be added twice."""
    unknown = set(research) - set(RESEARCH_FIELDS) - {"owner"}
    if unknown:
        raise ValueError(f"not research fields: {sorted(unknown)}")
    try:
        with transaction.atomic():
            prospect = Prospect.objects.create(
                partnership=partnership,
                organisation=organisation,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                stage_changed_on=timezone.localdate(),
                **research,
            )
    except IntegrityError:
        raise ValidationError(
            _("%(org)s is already in this partnership's pipeline.") % {"org": organisation.name}
        ) from None
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="prospect.create",
        target=prospect,
        summary=Msg(gettext_noop("Added %(org)s to the prospect pipeline"), org=organisation.name),
        after=_prospect_summary(prospect),
    )
    return prospect


@transaction.atomic
def prospect_update(*, actor: User, prospect: Prospect, **changes: Any) -> Prospect:
    """Edit the research record."""
    fields = [*RESEARCH_FIELDS, "owner"]
    before = snapshot(prospect, fields)
    for key, value in changes.items():
        if key not in fields:
            raise ValueError(f"not an editable field: {key}")
        setattr(prospect, key, value)
    prospect.save(update_fields=[*changes, "updated_at"])
    after = snapshot(prospect, fields)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        audit_record(
            actor=actor,
            partnership=prospect.partnership,
            verb="prospect.update",
            target=prospect,
            summary=Msg(
                gettext_noop("Updated the research on %(org)s"), org=prospect.organisation.name
            ),
            before={k: before[k] for k in changed},
            after=changed,
        )
    return prospect


@transaction.atomic
def prospect_move(*, actor: User, prospect: Prospect, stage: str) -> Prospect:
    """Move a prospect to another stage. "Joined" makes it an active member, once."""
    if stage not in Stage.values:
        raise ValidationError(_("Unknown stage: %(stage)s.") % {"stage": stage})
    prospect = (
        Prospect.objects.select_for_update().select_related("organisation").get(pk=prospect.pk)
    )
    before = prospect.stage
    if before == stage:
        return prospect
    prospect.stage = stage
    prospect.stage_changed_on = timezone.localdate()
    prospect.save(update_fields=["stage", "stage_changed_on", "updated_at"])
    audit_record(
        actor=actor,
        partnership=prospect.partnership,
        verb="prospect.move",
        target=prospect,
        summary=Msg(
            gettext_noop("%(org)s moved to “%(stage)s”"),
            org=prospect.organisation.name,
            stage=choice_label(prospect, "stage"),
        ),
        before={"stage": before},
        after={"stage": stage},
    )
    if stage == Stage.JOINED:
        membership_set(
            actor=actor,
            partnership=prospect.partnership,
            organisation=prospect.organisation,
            status=MembershipStatus.ACTIVE,
        )
    return prospect


@transaction.atomic
def contact_log(
    *,
    actor: User,
    prospect: Prospect,
    kind: str,
    happened_on: datetime.date,
    who: str,
    outcome: str = "",
    next_step: str = "",
) -> ContactLog:
    if kind not in ContactKind.values:
        raise ValidationError(_("Unknown kind of contact."))
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("A contact cannot happen in the future.")})
    if not who.strip():
        raise ValidationError({"who": _("Say who you spoke with.")})
    entry = ContactLog.objects.create(
        prospect=prospect,
        kind=kind,
        happened_on=happened_on,
        who=who.strip(),
        by=actor if getattr(actor, "is_authenticated", False) else None,
        outcome=outcome,
        next_step=next_step,
    )
    audit_record(
        actor=actor,
        partnership=prospect.partnership,
        verb="prospect.contact",
        target=entry,
        summary=Msg(
            gettext_noop("Logged a %(kind)s with %(org)s"),
            kind=lower(choice_label(entry, "kind")),
            org=prospect.organisation.name,
        ),
    )
    return entry


def _check_score(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValidationError(
            _("Scores go from 1 to 5; %(value)s is not allowed.") % {"value": value}
        )
    return int(value)


@transaction.atomic
def scores_save(
    *, actor: User, prospect: Prospect, scores: dict[int, tuple[int | None, str]]
) -> int:
    """Save one assessor's scores: {criterion id: (1–5 or None to clear, note)}."""
    criteria = {
        c.pk: c for c in Criterion.objects.filter(partnership=prospect.partnership, pk__in=scores)
    }
    unknown = set(scores) - set(criteria)
    if unknown:
        raise ValidationError(_("Unknown criterion for this partnership."))
    for value, _note in scores.values():
        if value is not None:
            _check_score(value)
    existing = {
        s.criterion_id: s
        for s in Score.objects.filter(prospect=prospect, assessor=actor, criterion_id__in=scores)
    }
    changed = 0
    for cid, (value, note) in scores.items():
        current = existing.get(cid)
        if value is None:
            if current is not None:
                current.delete()
                changed += 1
            continue
        if current is None:
            Score.objects.create(
                prospect=prospect, criterion=criteria[cid], assessor=actor, value=value, note=note
            )
            changed += 1
        elif current.value != value or current.note != note:
            current.value, current.note = value, note
            current.save(update_fields=["value", "note", "updated_at"])
            changed += 1
    if changed:
        audit_record(
            actor=actor,
            partnership=prospect.partnership,
            verb="prospect.score",
            target=prospect,
            summary=Msg(
                gettext_noop("Scored %(org)s on %(n)s criteria"),
                org=prospect.organisation.name,
                n=changed,
            ),
        )
    return changed


@transaction.atomic
def criteria_update(
    *, actor: User, partnership: Partnership, weights: dict[int, int]
) -> list[Criterion]:
    criteria = {c.pk: c for c in Criterion.objects.filter(partnership=partnership, pk__in=weights)}
    if set(weights) - set(criteria):
        raise ValidationError(_("Unknown criterion for this partnership."))
    changes = {}
    for cid, weight in weights.items():
        if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= 10:
            raise ValidationError(_("Weights go from 0 to 10."))
        c = criteria[cid]
        if c.weight != weight:
            changes[c.label] = {"from": c.weight, "to": weight}
            c.weight = weight
            c.save(update_fields=["weight", "updated_at"])
    if changes:
        audit_record(
            actor=actor,
            partnership=partnership,
            verb="prospects.criteria_update",
            summary=Msg(gettext_noop("Changed the weight of %(n)s criteria"), n=len(changes)),
            after=changes,
        )
    return list(criteria.values())


@transaction.atomic
def criterion_add(
    *, actor: User, partnership: Partnership, group: str, label: str, weight: int
) -> Criterion:
    if group not in CriterionGroup.values:
        raise ValidationError(_("Unknown criterion group."))
    if not 0 <= weight <= 10:
        raise ValidationError({"weight": _("Weights go from 0 to 10.")})
    label = label.strip()
    if not label:
        raise ValidationError({"label": _("Give the criterion a name.")})
    last = Criterion.objects.filter(partnership=partnership).order_by("-position").first()
    try:
        with transaction.atomic():
            criterion = Criterion.objects.create(
                partnership=partnership,
                group=group,
                label=label,
                weight=weight,
                position=(last.position + 1) if last else 1,
            )
    except IntegrityError:
        raise ValidationError({"label": _("This criterion is already on the scorecard.")}) from None
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="prospects.criterion_add",
        target=criterion,
        summary=Msg(gettext_noop("Added the criterion “%(label)s”"), label=label),
    )
    return criterion


@transaction.atomic
def need_set(
    *,
    actor: User,
    partnership: Partnership,
    category: str,
    description: str = "",
    priority: int = 2,
) -> Need:
    """Record (or update) what the partnership needs in one resource category."""
    if category not in ResourceCategory.values:
        raise ValidationError({"category": _("Unknown resource category.")})
    need, created = Need.objects.update_or_create(
        partnership=partnership,
        category=category,
        defaults={"description": description, "priority": priority},
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="prospects.need_set",
        target=need,
        summary=Msg(
            gettext_noop("Added the need “%(need)s”")
            if created
            else gettext_noop("Updated the need “%(need)s”"),
            need=choice_label(need, "category"),
        ),
        after={"category": category, "priority": priority, "description": description},
    )
    return need


@transaction.atomic
def need_remove(*, actor: User, need: Need) -> None:
    label = need.get_category_display()
    partnership = need.partnership
    need.delete()
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="prospects.need_remove",
        summary=Msg(gettext_noop("Removed the need “%(need)s”"), need=label),
    )


@transaction.atomic
def self_assessment_record(
    *,
    actor: User,
    partnership: Partnership,
    kind: str,
    scores: list[int],
    note: str = "",
) -> SelfAssessment:
    """A person rates themselves, or their own organisation, on the four dimensions."""
    if kind not in AssessmentKind.values:
        raise ValidationError(_("Unknown kind of self-assessment."))
    if len(scores) != 4:
        raise ValidationError(_("Give a score for each of the four dimensions."))
    for value in scores:
        _check_score(value)
    organisation = None
    if kind == AssessmentKind.ORGANISATION:
        organisation = getattr(actor, "organisation", None)
        if organisation is None:
            raise ValidationError(
                _("Your profile names no organisation, so you cannot assess one.")
            )
    record = SelfAssessment.objects.create(
        partnership=partnership,
        kind=kind,
        person=actor,
        organisation=organisation,
        score_1=scores[0],
        score_2=scores[1],
        score_3=scores[2],
        score_4=scores[3],
        note=note,
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="prospects.self_assessment",
        target=record,
        summary=Msg(
            gettext_noop("Recorded a self-assessment: %(kind)s"), kind=choice_label(record, "kind")
        ),
    )
    return record
