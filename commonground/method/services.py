"""State changes of a partnership's journey through the method.

Each function checks the method's own rules (the view or API has already
checked the capability), writes in one transaction and records an audit event.
The partnership's current phase lives on ``Partnership.phase`` and is changed
only here, by ``_set_phase``.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from commonground.core.audit import audit_record
from commonground.core.evidence import is_bound
from commonground.core.i18n import Msg
from commonground.partnerships.models import Partnership

from . import selectors
from .content import method
from .models import (
    ChecklistTick,
    DesignElementRecord,
    DesignElementVersion,
    ElementStatus,
    GlossaryTerm,
    MilestoneReview,
    PhaseMove,
    PhaseMoveKind,
    PhaseState,
    ProblemCycle,
    ProfileChoice,
    SpectrumRating,
    StepNote,
    TrustStageEntry,
)

if TYPE_CHECKING:
    from commonground.accounts.models import User


class StaleElementError(ValidationError):
    """A design-element save based on an older version than the one stored."""

    def __init__(self, record: DesignElementRecord) -> None:
        self.record = record
        super().__init__(
            _(
                "Someone else saved this element while you were editing (now version "
                "%(version)s). Your text is kept below next to theirs: compare, merge and save again."
            )
            % {"version": record.version},
            code="stale",
        )


# --- phases ------------------------------------------------------------------------


def _phase_title(code: str) -> str:
    return str(method().phase(code).title)


def _check_phase(code: str) -> None:
    try:
        method().phase(code)
    except KeyError:
        raise ValidationError(_("Unknown phase.")) from None


def _set_phase(*, partnership: Partnership, phase: str) -> None:
    Partnership.objects.filter(pk=partnership.pk).update(phase=phase, updated_at=timezone.now())
    partnership.phase = phase


def completed_phases(partnership: Partnership) -> set[str]:
    return set(
        PhaseState.objects.filter(partnership=partnership, completed_at__isnull=False).values_list(
            "phase", flat=True
        )
    )


def phase_lock_reason(
    partnership: Partnership, phase: str, completed: set[str] | None = None
) -> str | None:
    """Why this phase's checklist and notes cannot change now, or None if they can."""
    content = method()
    if completed is None:
        completed = completed_phases(partnership)
    if content.phase_index(phase) > content.phase_index(partnership.phase):
        return _(
            "The phase “%(phase)s” has not started yet: its checklist opens when the partnership gets there."
        ) % {"phase": _phase_title(phase)}
    if phase in completed:
        return _(
            "The phase “%(phase)s” is completed, so its checklist is closed. A manager can reopen it."
        ) % {"phase": _phase_title(phase)}
    return None


def _log_move(
    *, actor: User, partnership: Partnership, kind: str, from_phase: str, to_phase: str, reason: str
) -> PhaseMove:
    return PhaseMove.objects.create(
        partnership=partnership,
        kind=kind,
        from_phase=from_phase,
        to_phase=to_phase,
        reason=reason,
        actor=actor,
        at=timezone.now(),
    )


@transaction.atomic
def phase_complete(
    *, actor: User, partnership: Partnership, note: str = "", expected: str | None = None
) -> PhaseMove:
    """Complete the current phase and move on to the next (the last phase stays current).

    ``expected`` is the phase the person saw; if the partnership has moved on
    since, nothing happens.
    """
    content = method()
    current = (
        Partnership.objects.select_for_update()
        .values_list("phase", flat=True)
        .get(pk=partnership.pk)
    )
    partnership.phase = current
    if expected is not None and expected != current:
        raise ValidationError(
            _(
                "The partnership has moved to “%(phase)s” since you loaded the page. Nothing was changed."
            )
            % {"phase": _phase_title(current)}
        )
    if current in completed_phases(partnership):
        raise ValidationError(_("This phase is already completed."))
    unmet = selectors.unmet_steps(partnership, content.phase(current))
    if unmet and not note.strip():
        raise ValidationError(
            {
                "note": ngettext(
                    "%(n)s checklist item is not done yet (%(items)s). To go on anyway, "
                    "give the reason in the note: it is kept with the phase.",
                    "%(n)s checklist items are not done yet (%(items)s). To go on anyway, "
                    "give the reason in the note: it is kept with the phase.",
                    len(unmet),
                )
                % {"n": len(unmet), "items": "; ".join(str(r["item"].text) for r in unmet)}
            }
        )
    index = content.phase_index(current)
    nxt = content.phases[index + 1].code if index + 1 < len(content.phases) else current
    PhaseState.objects.update_or_create(
        partnership=partnership,
        phase=current,
        defaults={"completed_at": timezone.now(), "completed_by": actor},
    )
    _set_phase(partnership=partnership, phase=nxt)
    move = _log_move(
        actor=actor,
        partnership=partnership,
        kind=PhaseMoveKind.COMPLETE,
        from_phase=current,
        to_phase=nxt,
        reason=note.strip(),
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="method.phase_complete",
        target=move,
        summary=Msg(gettext_noop("Completed the phase “%(phase)s”"), phase=_phase_title(current)),
        before={"phase": current},
        after={"phase": nxt},
    )
    return move


@transaction.atomic
def phase_reopen(
    *, actor: User, partnership: Partnership, phase: str, reason: str = ""
) -> PhaseMove:
    """Reopen a completed phase to revisit its work; the current phase does not change."""
    _check_phase(phase)
    state = PhaseState.objects.filter(
        partnership=partnership, phase=phase, completed_at__isnull=False
    ).first()
    if state is None:
        raise ValidationError(_("Only a completed phase can be reopened."))
    state.completed_at = None
    state.completed_by = None
    state.save(update_fields=["completed_at", "completed_by"])
    move = _log_move(
        actor=actor,
        partnership=partnership,
        kind=PhaseMoveKind.REOPEN,
        from_phase=partnership.phase,
        to_phase=phase,
        reason=reason.strip(),
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="method.phase_reopen",
        target=move,
        summary=Msg(gettext_noop("Reopened the phase “%(phase)s”"), phase=_phase_title(phase)),
        after={"phase": phase, "reason": reason.strip()},
    )
    return move


@transaction.atomic
def phase_send_back(
    *, actor: User, partnership: Partnership, to_phase: str, reason: str
) -> PhaseMove:
    """Send the partnership back to an earlier phase (a dead end ahead); a reason is required."""
    content = method()
    _check_phase(to_phase)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the partnership goes back.")})
    current = partnership.phase
    if content.phase_index(to_phase) >= content.phase_index(current):
        raise ValidationError(
            {
                "to_phase": _("Choose a phase before the current one (“%(phase)s”).")
                % {"phase": _phase_title(current)}
            }
        )
    later = [p.code for p in content.phases[content.phase_index(to_phase) :]]
    PhaseState.objects.filter(partnership=partnership, phase__in=later).update(
        completed_at=None, completed_by=None
    )
    _set_phase(partnership=partnership, phase=to_phase)
    move = _log_move(
        actor=actor,
        partnership=partnership,
        kind=PhaseMoveKind.SEND_BACK,
        from_phase=current,
        to_phase=to_phase,
        reason=reason,
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="method.phase_send_back",
        target=move,
        summary=Msg(
            gettext_noop("Sent the partnership back to “%(phase)s”: %(reason)s"),
            phase=_phase_title(to_phase),
            reason=reason,
        ),
        before={"phase": current},
        after={"phase": to_phase, "reason": reason},
    )
    return move


# --- checklist and notes ------------------------------------------------------------


@transaction.atomic
def tick_set(
    *, actor: User, partnership: Partnership, item_key: str, ticked: bool
) -> ChecklistTick | None:
    """Tick or untick one checklist item; refused on phases that are closed or not started."""
    item = method().item(item_key)
    if item is None:
        raise ValidationError(_("Unknown checklist item."))
    phase = item_key.split(".", 1)[0]
    locked = phase_lock_reason(partnership, phase)
    if locked:
        raise ValidationError(locked)
    if is_bound(item_key):
        raise ValidationError(
            _("This step ticks itself from the partnership’s records; it cannot be ticked by hand.")
        )
    existing = ChecklistTick.objects.filter(partnership=partnership, item_key=item_key).first()
    if ticked and existing is None:
        try:
            with transaction.atomic():
                tick = ChecklistTick.objects.create(
                    partnership=partnership,
                    item_key=item_key,
                    phase=phase,
                    ticked_by=actor,
                    ticked_at=timezone.now(),
                )
        except IntegrityError:  # ticked by someone else a moment ago
            return ChecklistTick.objects.get(partnership=partnership, item_key=item_key)
        audit_record(
            actor=actor,
            partnership=partnership,
            verb="method.tick",
            target=tick,
            summary=Msg(gettext_noop("Ticked “%(item)s”"), item=item.text),
            after={"item": item_key},
        )
        return tick
    if not ticked and existing is not None:
        existing.delete()
        audit_record(
            actor=actor,
            partnership=partnership,
            verb="method.untick",
            summary=Msg(gettext_noop("Unticked “%(item)s”"), item=item.text),
            before={"item": item_key},
        )
        return None
    return existing


@transaction.atomic
def step_note_save(*, actor: User, partnership: Partnership, step_key: str, text: str) -> StepNote:
    step = method().step(step_key)
    if step is None:
        raise ValidationError(_("Unknown step."))
    locked = phase_lock_reason(partnership, step_key.split(".", 1)[0])
    if locked:
        raise ValidationError(locked)
    note, _created = StepNote.objects.update_or_create(
        partnership=partnership,
        step_key=step_key,
        defaults={"text": text.strip(), "updated_by": actor, "updated_at": timezone.now()},
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="method.step_note",
        target=note,
        summary=Msg(gettext_noop("Updated the notes on “%(step)s”"), step=step.title),
    )
    return note


@transaction.atomic
def review_record(
    *,
    actor: User,
    partnership: Partnership,
    phase: str,
    need_still_there: str,
    gaps: str,
    changes: str,
    need_comment: str = "",
) -> MilestoneReview:
    content = method()
    _check_phase(phase)
    if content.phase_index(phase) > content.phase_index(partnership.phase):
        raise ValidationError(_("A phase that has not started yet cannot be reviewed."))
    if not gaps.strip() or not changes.strip():
        raise ValidationError(_("Answer all three review questions."))
    review = MilestoneReview.objects.create(
        partnership=partnership,
        phase=phase,
        need_still_there=need_still_there,
        need_comment=need_comment.strip(),
        gaps=gaps.strip(),
        changes=changes.strip(),
        reviewed_by=actor,
        reviewed_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="method.review",
        target=review,
        summary=Msg(
            gettext_noop("Recorded the milestone review of “%(phase)s”"), phase=_phase_title(phase)
        ),
    )
    return review


# --- design elements ----------------------------------------------------------------

ELEMENT_FIELDS = ("text", "status", "agreed_by", "agreed_on", "revisit_on")


@transaction.atomic
def element_save(
    *,
    actor: User,
    partnership: Partnership,
    element: str,
    base_version: int,
    text: str,
    status: str = ElementStatus.DRAFT,
    agreed_by: str = "",
    agreed_on: datetime.date | None = None,
    revisit_on: datetime.date | None = None,
    change_note: str = "",
) -> DesignElementRecord:
    """Save a new version of a design element.

    ``base_version`` is the version the editor started from; if someone saved
    in between, :class:`StaleElementError` is raised and nothing is written.
    """
    if method().element(element) is None:
        raise ValidationError(_("Unknown design element."))
    if status not in ElementStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    text = text.strip()
    errors: dict[str, str] = {}
    if status == ElementStatus.AGREED:
        if not text:
            errors["text"] = _("An agreed element needs the text that was agreed.")
        if not agreed_by.strip():
            errors["agreed_by"] = _(
                "Say who agreed it (for example: all partners at the network meeting)."
            )
        agreed_on = agreed_on or timezone.localdate()
    if agreed_on and revisit_on and revisit_on <= agreed_on:
        errors["revisit_on"] = _("The revisit date must come after the date it was agreed.")
    if errors:
        raise ValidationError(errors)
    record, _created = DesignElementRecord.objects.select_for_update().get_or_create(
        partnership=partnership, element=element
    )
    if record.version != base_version:
        raise StaleElementError(record)
    new = {
        "text": text,
        "status": status,
        "agreed_by": agreed_by.strip(),
        "agreed_on": agreed_on,
        "revisit_on": revisit_on,
    }
    old = {f: getattr(record, f) for f in ELEMENT_FIELDS}
    if record.version and old == new:
        return record  # nothing changed: no new version
    for key, value in new.items():
        setattr(record, key, value)
    record.version += 1
    record.updated_by = actor
    record.save()
    DesignElementVersion.objects.create(
        record=record,
        number=record.version,
        change_note=change_note.strip()[:300],
        author=actor,
        created_at=timezone.now(),
        **new,
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="method.element_save",
        target=record,
        summary=Msg(
            gettext_noop("Saved version %(n)s of “%(element)s”"),
            n=record.version,
            element=method().element(element).title,  # type: ignore[union-attr]
        ),
        before={k: v for k, v in old.items() if k != "text"},
        after={k: v for k, v in new.items() if k != "text"},
    )
    return record


# --- structure profile and cycles ---------------------------------------------------


@transaction.atomic
def profile_save(
    *, actor: User, partnership: Partnership, choices: dict[str, tuple[str, str]]
) -> list[ProfileChoice]:
    """Save the chosen type (and a note) for several traits and factors at once."""
    content = method()
    saved = []
    now = timezone.now()
    for code, (choice, note) in choices.items():
        dim = content.profile_dimension(code)
        if dim is None or dim.derived:
            raise ValidationError(_("Unknown or derived profile trait: %(code)s") % {"code": code})
        if not choice:
            ProfileChoice.objects.filter(partnership=partnership, dimension=code).delete()
            continue
        if dim.choice(choice) is None:
            raise ValidationError({code: _("Choose one of the offered types.")})
        obj, _c = ProfileChoice.objects.update_or_create(
            partnership=partnership,
            dimension=code,
            defaults={
                "choice": choice,
                "note": note.strip()[:300],
                "updated_by": actor,
                "updated_at": now,
            },
        )
        saved.append(obj)
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="method.profile_save",
        summary=Msg(gettext_noop("Updated the structure profile")),
        after={code: choice for code, (choice, _n) in choices.items()},
    )
    return saved


@transaction.atomic
def trust_stage_record(
    *, actor: User, partnership: Partnership, stage: str, on: datetime.date, note: str = ""
) -> TrustStageEntry:
    if method().trust_stage(stage) is None:
        raise ValidationError({"stage": _("Unknown trust stage.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    entry = TrustStageEntry.objects.create(
        partnership=partnership,
        stage=stage,
        on=on,
        note=note.strip(),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="method.trust_stage",
        target=entry,
        summary=Msg(
            gettext_noop("Recorded the trust stage “%(stage)s”"),
            stage=method().trust_stage(stage).title,  # type: ignore[union-attr]
        ),
    )
    return entry


PROBLEM_FIELDS = ("title", "observation", "interpretation", "solution", "learning", "started_on")


@transaction.atomic
def problem_cycle_save(
    *, actor: User, partnership: Partnership, cycle: ProblemCycle | None = None, **fields: Any
) -> ProblemCycle:
    unknown = set(fields) - set(PROBLEM_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    created = cycle is None
    if cycle is None:
        cycle = ProblemCycle(partnership=partnership, recorded_by=actor)
    for key, value in fields.items():
        setattr(cycle, key, value.strip() if isinstance(value, str) else value)
    if cycle.learning and not cycle.solution:
        raise ValidationError(
            {"solution": _("Describe the solution tested before what was learned.")}
        )
    if cycle.solution and not cycle.interpretation:
        raise ValidationError(
            {"interpretation": _("Write down your interpretation before the solution you tested.")}
        )
    cycle.full_clean(exclude=["partnership", "recorded_by"])
    cycle.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="method.problem_cycle_create" if created else "method.problem_cycle_update",
        target=cycle,
        summary=Msg(
            gettext_noop("Logged the problem “%(title)s”")
            if created
            else gettext_noop("Updated the problem “%(title)s”"),
            title=cycle.title,
        ),
    )
    return cycle


@transaction.atomic
def spectrum_rate(
    *, actor: User, partnership: Partnership, ratings: dict[str, tuple[int, int]]
) -> list[SpectrumRating]:
    """Save one person's ratings (now, aim) for the dimensions given."""
    content = method()
    now = timezone.now()
    saved = []
    for code, (current, aim) in ratings.items():
        if content.spectrum_dimension(code) is None:
            raise ValidationError(_("Unknown dimension: %(code)s") % {"code": code})
        for value in (current, aim):
            if not isinstance(value, int) or not 1 <= value <= 5:
                raise ValidationError({code: _("Ratings go from 1 to 5.")})
        obj, _c = SpectrumRating.objects.update_or_create(
            partnership=partnership,
            user=actor,
            dimension=code,
            defaults={"now": current, "aim": aim, "rated_at": now},
        )
        saved.append(obj)
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="method.spectrum_rate",
        summary=Msg(gettext_noop("Rated the relationship spectrum")),
    )
    return saved


# --- glossary -----------------------------------------------------------------------


@transaction.atomic
def glossary_seed(*, actor: User, partnership: Partnership, lang: str) -> int:
    """Copy the default glossary (in ``lang``) into the partnership; existing terms are kept."""
    have = {t.lower() for t in partnership.glossary_terms.values_list("preferred", flat=True)}
    new = [
        GlossaryTerm(
            partnership=partnership,
            preferred=d.preferred.get(lang),
            avoid=d.avoid.get(lang),
            definition=d.definition.get(lang),
            updated_by=actor,
        )
        for d in method().glossary
        if d.preferred.get(lang).lower() not in have
    ]
    GlossaryTerm.objects.bulk_create(new)
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="method.glossary_seed",
        summary=Msg(gettext_noop("Added %(n)s default glossary terms"), n=len(new)),
    )
    return len(new)


@transaction.atomic
def glossary_term_save(
    *,
    actor: User,
    partnership: Partnership,
    preferred: str,
    definition: str,
    avoid: str = "",
    term: GlossaryTerm | None = None,
) -> GlossaryTerm:
    preferred = preferred.strip()
    clash = partnership.glossary_terms.filter(preferred__iexact=preferred)
    if term is not None:
        clash = clash.exclude(pk=term.pk)
    if clash.exists():
        raise ValidationError({"preferred": _("The glossary already has this term.")})
    created = term is None
    if term is None:
        term = GlossaryTerm(partnership=partnership)
    term.preferred = preferred
    term.avoid = avoid.strip()
    term.definition = definition.strip()
    term.updated_by = actor
    term.full_clean(exclude=["partnership", "updated_by"])
    term.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="method.glossary_add" if created else "method.glossary_edit",
        target=term,
        summary=Msg(gettext_noop("Saved the glossary term “%(term)s”"), term=term.preferred),
    )
    return term


@transaction.atomic
def glossary_term_delete(*, actor: User, term: GlossaryTerm) -> None:
    partnership = term.partnership
    name = term.preferred
    pk = term.pk
    term.delete()
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="method.glossary_delete",
        summary=Msg(gettext_noop("Removed the glossary term “%(term)s”"), term=name),
        before={"id": pk, "preferred": name},
    )
