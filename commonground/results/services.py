"""State changes for indicators, measurements, target revisions and reviews."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonground.core.audit import audit_record, snapshot
from commonground.core.i18n import Msg

from .models import Direction, Indicator, Kind, Measurement, Review, TargetRevision

if TYPE_CHECKING:
    from commonground.accounts.models import User
    from commonground.partnerships.models import Partnership

INDICATOR_FIELDS = [
    "name",
    "description",
    "kind",
    "is_financial",
    "unit",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "direction",
    "band_low",
    "band_high",
    "data_source",
    "owner",
    "cadence",
    "meets_vision",
    "meets_fact_base",
    "meets_timely",
    "meets_lived_experience",
    "working_group",
]


def _check_indicator(ind: Indicator) -> None:
    errors: dict[str, str] = {}
    if ind.target_date <= ind.baseline_date:
        errors["target_date"] = _("The target date must come after the baseline date.")
    if ind.working_group is not None and ind.working_group.partnership_id != ind.partnership_id:
        errors["working_group"] = _("That working group belongs to another partnership.")
    if ind.kind == Kind.QUANTITATIVE:
        if ind.direction == Direction.BAND:
            if ind.band_low is None or ind.band_high is None:
                errors["band_low"] = _("A band needs both its lowest and highest value.")
            elif ind.band_low >= ind.band_high:
                errors["band_high"] = _("The highest value must be above the lowest.")
        else:
            if ind.baseline_value is None:
                errors["baseline_value"] = _("A quantitative indicator needs a baseline value.")
            if ind.target_value is None:
                errors["target_value"] = _("A quantitative indicator needs a target value.")
            if ind.baseline_value is not None and ind.target_value is not None:
                if ind.direction == Direction.INCREASE and ind.target_value <= ind.baseline_value:
                    errors["target_value"] = _(
                        "To increase, the target must be above the baseline."
                    )
                if ind.direction == Direction.DECREASE and ind.target_value >= ind.baseline_value:
                    errors["target_value"] = _(
                        "To decrease, the target must be below the baseline."
                    )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def indicator_create(*, actor: User, partnership: Partnership, **data: Any) -> Indicator:
    ind = Indicator(partnership=partnership, created_by=actor, **data)
    _check_indicator(ind)
    ind.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="indicator.create",
        target=ind,
        summary=Msg(gettext_noop("Indicator defined: %(name)s"), name=ind.name),
        after=snapshot(ind, INDICATOR_FIELDS),
    )
    return ind


@transaction.atomic
def indicator_update(*, actor: User, indicator: Indicator, **data: Any) -> Indicator:
    before = snapshot(indicator, INDICATOR_FIELDS)
    if (
        "target_value" in data
        and data["target_value"] != indicator.target_value
        and indicator.measurements.exists()
    ):
        raise ValidationError(
            {"target_value": _("Once measured, a target changes only through a revision.")}
        )
    for key, value in data.items():
        setattr(indicator, key, value)
    _check_indicator(indicator)
    if indicator.measurements.filter(measured_on__lt=indicator.baseline_date).exists():
        raise ValidationError(
            {"baseline_date": _("Some measurements are dated before this baseline date.")}
        )
    indicator.save()
    audit_record(
        actor=actor,
        partnership=indicator.partnership,
        verb="indicator.update",
        target=indicator,
        summary=Msg(gettext_noop("Indicator changed: %(name)s"), name=indicator.name),
        before=before,
        after=snapshot(indicator, INDICATOR_FIELDS),
    )
    return indicator


def _check_measurement(
    indicator: Indicator,
    *,
    measured_on: datetime.date,
    value: Decimal | None,
    observation: str,
    rating: int | None,
    unit: str | None,
) -> None:
    errors: dict[str, str] = {}
    if measured_on < indicator.baseline_date:
        errors["measured_on"] = _(
            "This date is before the baseline date (%(date)s); measurements start at the baseline."
        ) % {"date": indicator.baseline_date.isoformat()}
    elif measured_on > timezone.localdate():
        errors["measured_on"] = _("A measurement cannot be dated in the future.")
    if unit is not None and unit.strip() != "" and unit.strip() != indicator.unit:
        errors["unit"] = _("This indicator is measured in “%(unit)s”, not “%(given)s”.") % {
            "unit": indicator.unit or _("no unit"),
            "given": unit.strip(),
        }
    if indicator.kind == Kind.QUANTITATIVE:
        if value is None:
            errors["value"] = _("A quantitative indicator needs a number.")
        if observation.strip() or rating is not None:
            errors.setdefault(
                "observation",
                _("A quantitative indicator takes a number, not an observation or rating."),
            )
    else:
        if value is not None:
            errors["value"] = _(
                "A qualitative indicator takes an observation (and optional rating), not a number."
            )
        if not observation.strip():
            errors["observation"] = _("Write what was observed.")
        if rating is not None and not 1 <= rating <= 5:
            errors["rating"] = _("The rating goes from 1 to 5.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def measurement_record(
    *,
    actor: User,
    indicator: Indicator,
    measured_on: datetime.date,
    value: Decimal | None = None,
    observation: str = "",
    rating: int | None = None,
    note: str = "",
    unit: str | None = None,
    source_file: Any = None,
) -> Measurement:
    _check_measurement(
        indicator,
        measured_on=measured_on,
        value=value,
        observation=observation,
        rating=rating,
        unit=unit,
    )
    m = Measurement(
        indicator=indicator,
        measured_on=measured_on,
        value=value,
        observation=observation.strip(),
        rating=rating,
        note=note.strip(),
        recorded_by=actor,
    )
    if source_file:
        m.source_file = source_file
    m.save()
    audit_record(
        actor=actor,
        partnership=indicator.partnership,
        verb="measurement.record",
        target=m,
        summary=Msg(
            gettext_noop("Measurement for %(name)s on %(date)s"),
            name=indicator.name,
            date=measured_on,
        ),
        after=snapshot(m, ["measured_on", "value", "rating", "note"]),
    )
    return m


# --- CSV import ------------------------------------------------------------------

CSV_COLUMNS = ["indicator", "date", "value", "unit", "note"]


@dataclass
class ImportRow:
    line: int
    indicator: Indicator | None
    raw: dict[str, str]
    measured_on: datetime.date | None = None
    value: Decimal | None = None
    observation: str = ""
    rating: int | None = None
    note: str = ""
    unit: str | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    rows: list[ImportRow]
    errors: list[str]

    @property
    def is_clean(self) -> bool:
        return not self.errors and all(not r.errors for r in self.rows) and bool(self.rows)

    @property
    def error_count(self) -> int:
        return len(self.errors) + sum(1 for r in self.rows if r.errors)


def measurements_parse_csv(*, partnership: Partnership, text: str) -> ImportResult:
    """Check every row of a CSV without saving anything (the dry run).

    Columns: ``indicator`` (its number or exact name), ``date`` (YYYY-MM-DD),
    ``value`` (a number for quantitative indicators; the observation text for
    qualitative ones), optional ``rating`` (1–5), ``unit`` and ``note``.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    missing = [c for c in ("indicator", "date", "value") if c not in fields]
    if missing:
        return ImportResult([], [_("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)}])
    indicators = list(Indicator.objects.filter(partnership=partnership))
    by_id = {str(i.pk): i for i in indicators}
    by_name = {i.name.strip().lower(): i for i in indicators}
    rows: list[ImportRow] = []
    for n, raw_row in enumerate(reader, start=2):
        raw = {(k or "").strip().lower(): (v or "").strip() for k, v in raw_row.items()}
        key = raw.get("indicator", "")
        ind = by_id.get(key) or by_name.get(key.lower())
        row = ImportRow(line=n, indicator=ind, raw=raw, note=raw.get("note", ""))
        row.unit = raw.get("unit") if "unit" in raw else None
        if ind is None:
            row.errors.append(_("No indicator called “%(key)s” here.") % {"key": key})
        try:
            row.measured_on = datetime.date.fromisoformat(raw.get("date", ""))
        except ValueError:
            row.errors.append(_("The date must look like 2026-03-31."))
        if ind is not None and ind.kind == Kind.QUALITATIVE:
            row.observation = raw.get("value", "")
            if raw.get("rating"):
                try:
                    row.rating = int(raw["rating"])
                except ValueError:
                    row.errors.append(_("The rating must be a whole number from 1 to 5."))
        elif raw.get("value", "") != "":
            try:
                row.value = Decimal(raw["value"].replace(" ", "").replace(",", "."))
                if not row.value.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                row.errors.append(
                    _("“%(value)s” is not a number.") % {"value": raw.get("value", "")}
                )
        if ind is not None and row.measured_on is not None and not row.errors:
            try:
                _check_measurement(
                    ind,
                    measured_on=row.measured_on,
                    value=row.value,
                    observation=row.observation,
                    rating=row.rating,
                    unit=row.unit,
                )
            except ValidationError as exc:
                row.errors.extend(exc.messages)
        rows.append(row)
    if not rows:
        return ImportResult([], [_("The file has no rows to import.")])
    return ImportResult(rows, [])


@transaction.atomic
def measurements_import_csv(
    *, actor: User, partnership: Partnership, text: str
) -> list[Measurement]:
    """Save every row, or nothing: the file must pass the dry run first."""
    result = measurements_parse_csv(partnership=partnership, text=text)
    if not result.is_clean:
        raise ValidationError(
            _("The file still has %(n)s problem(s); nothing was saved.") % {"n": result.error_count}
        )
    saved = []
    for row in result.rows:
        assert row.indicator is not None and row.measured_on is not None
        saved.append(
            Measurement.objects.create(
                indicator=row.indicator,
                measured_on=row.measured_on,
                value=row.value,
                observation=row.observation,
                rating=row.rating,
                note=row.note,
                recorded_by=actor,
            )
        )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="measurement.import",
        summary=Msg(gettext_noop("Imported %(n)s measurements from CSV"), n=len(saved)),
    )
    return saved


# --- target revisions and reviews -----------------------------------------------------


@transaction.atomic
def target_revise(
    *,
    actor: User,
    indicator: Indicator,
    new_target_value: Decimal | None,
    new_target_date: datetime.date | None = None,
    reason: str,
    review: Review | None = None,
    revised_on: datetime.date | None = None,
) -> TargetRevision:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the target changes.")})
    if review is not None and review.partnership_id != indicator.partnership_id:
        raise ValidationError({"review": _("That review belongs to another partnership.")})
    new_date = new_target_date or indicator.target_date
    if new_target_value == indicator.target_value and new_date == indicator.target_date:
        raise ValidationError({"new_target_value": _("The new target is the same as the old one.")})
    revision = TargetRevision(
        indicator=indicator,
        revised_on=revised_on or (review.held_on if review else timezone.localdate()),
        old_target_value=indicator.target_value,
        new_target_value=new_target_value,
        old_target_date=indicator.target_date,
        new_target_date=new_date,
        reason=reason.strip(),
        review=review,
        decided_by=actor,
    )
    indicator.target_value = new_target_value
    indicator.target_date = new_date
    _check_indicator(indicator)
    indicator.save(update_fields=["target_value", "target_date", "updated_at"])
    revision.save()
    audit_record(
        actor=actor,
        partnership=indicator.partnership,
        verb="indicator.target_revise",
        target=indicator,
        summary=Msg(
            gettext_noop("Target of %(name)s revised from %(old)s to %(new)s"),
            name=indicator.name,
            old=revision.old_target_value,
            new=revision.new_target_value,
        ),
        before={"target_value": revision.old_target_value, "target_date": revision.old_target_date},
        after={"target_value": new_target_value, "target_date": new_date, "reason": reason},
    )
    return revision


REVIEW_FIELDS = [
    "held_on",
    "title",
    "what_worked",
    "what_did_not",
    "causes",
    "changes_decided",
    "early_win",
    "early_win_note",
]


@transaction.atomic
def review_record(
    *,
    actor: User,
    partnership: Partnership,
    held_on: datetime.date,
    title: str,
    indicators: list[Indicator] | None = None,
    working_group: Any = None,
    what_worked: str = "",
    what_did_not: str = "",
    causes: str = "",
    changes_decided: str = "",
    early_win: bool = False,
    early_win_note: str = "",
    revisions: list[dict[str, Any]] | None = None,
) -> Review:
    """Record a review; ``revisions`` (indicator, new value, reason) are applied in the same step."""
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Record a review once it has taken place.")})
    if early_win and not early_win_note.strip():
        raise ValidationError({"early_win_note": _("Name the early win.")})
    if working_group is not None and working_group.partnership_id != partnership.pk:
        raise ValidationError(
            {"working_group": _("That working group belongs to another partnership.")}
        )
    review = Review.objects.create(
        partnership=partnership,
        working_group=working_group,
        held_on=held_on,
        title=title.strip(),
        what_worked=what_worked,
        what_did_not=what_did_not,
        causes=causes,
        changes_decided=changes_decided,
        early_win=early_win,
        early_win_note=early_win_note.strip(),
        created_by=actor,
    )
    for ind in indicators or []:
        if ind.partnership_id != partnership.pk:
            raise ValidationError(_("An indicator belongs to another partnership."))
    if indicators:
        review.indicators.set(indicators)
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="review.record",
        target=review,
        summary=Msg(gettext_noop("Review recorded: %(title)s"), title=review.title),
        after=snapshot(review, REVIEW_FIELDS),
    )
    for rev in revisions or []:
        target_revise(actor=actor, review=review, **rev)
    return review


@transaction.atomic
def review_actions_create(
    *, actor: User, review: Review, titles: list[str], owner: Any = None, due_on: Any = None
) -> list[Any]:
    """Turn a review's decided changes into actions in the action plan, linked to the review."""
    from commonground.actionplan import services as actionplan

    clean = [t.strip().lstrip("-•* ").strip() for t in titles]
    clean = [t for t in clean if t]
    if not clean:
        raise ValidationError(_("Write at least one action, one per line."))
    if any(len(t) > 200 for t in clean):
        raise ValidationError(_("Keep each action to 200 characters or fewer."))
    created = [
        actionplan.action_create(
            actor=actor,
            partnership=review.partnership,
            title=t,
            # Where it came from is the link to the review, shown in the reader's language
            # on the action's page (no text in the writer's language in the description).
            review=review,
            working_group=review.working_group,
            owner=owner,
            due_on=due_on,
        )
        for t in clean
    ]
    audit_record(
        actor=actor,
        partnership=review.partnership,
        verb="results.review_actions",
        target=review,
        summary=Msg(
            gettext_noop("%(n)s actions created from the review %(review)s"),
            n=len(created),
            review=review.title,
        ),
    )
    return created
