"""Reads for indicators and reviews: latest values in SQL, progress by the documented rule."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from commonground.core.audit import cached_while_unchanged

from . import progress as rule
from .models import Indicator, Measurement, Review, TargetRevision

if TYPE_CHECKING:
    from commonground.partnerships.models import Partnership


def indicators_for(partnership: Partnership) -> QuerySet[Indicator]:
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-measured_on", "-id")
    return (
        Indicator.objects.filter(partnership=partnership)
        .select_related("owner", "working_group", "partnership")
        .annotate(
            latest_value=Subquery(
                latest.values("value")[:1],
                output_field=DecimalField(max_digits=14, decimal_places=2),
            ),
            latest_rating=Subquery(latest.values("rating")[:1], output_field=IntegerField()),
            latest_date=Subquery(latest.values("measured_on")[:1]),
            # Correlated counts (an index range per indicator) rather than joining the
            # measurements and revisions of every indicator and grouping them.
            measurement_count=count_of(Measurement.objects.filter(indicator=OuterRef("pk"))),
            revision_count=count_of(TargetRevision.objects.filter(indicator=OuterRef("pk"))),
        )
        .order_by("name", "id")
    )


def count_of(qs: QuerySet[Any]) -> Coalesce:
    """``COUNT(*)`` of a correlated queryset, as an annotation (0 when empty)."""
    counted = qs.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0)


# The chart shows at most this many measurements, the latest ones; the table below it
# pages through all of them.
CHART_POINTS = 240


class ChartPoint(NamedTuple):
    """What the chart reads of one measurement."""

    measured_on: datetime.date
    value: Decimal | None
    rating: int | None


def chart_measurements(ind: Indicator, limit: int | None = None) -> list[ChartPoint]:
    """The latest ``limit`` (default ``CHART_POINTS``) measurements, oldest first, read
    backwards along the (indicator, measured_on) index; plain rows (as model instances,
    the 240 points were a fifth of the indicator page)."""
    limit = CHART_POINTS if limit is None else limit
    latest = [
        ChartPoint(*row)
        for row in Measurement.objects.filter(indicator=ind)
        .order_by("-measured_on", "-id")
        .values_list("measured_on", "value", "rating")[:limit]
    ]
    latest.reverse()
    return latest


def with_latest(ind: Indicator, measurements: list[ChartPoint]) -> None:
    """Give ``ind`` the latest value, rating and date that :func:`indicators_for`
    annotates, from its latest measurements oldest first (:func:`chart_measurements`)."""
    latest = measurements[-1] if measurements else None
    ind.latest_value = latest.value if latest else None  # type: ignore[attr-defined]
    ind.latest_rating = latest.rating if latest else None  # type: ignore[attr-defined]
    ind.latest_date = latest.measured_on if latest else None  # type: ignore[attr-defined]


def indicator_progress(ind: Indicator) -> rule.Progress:
    """Progress of an indicator annotated by :func:`indicators_for` (or given its latest
    measurement by :func:`with_latest`)."""
    return rule.assess(
        qualitative=not ind.is_quantitative,
        direction=ind.direction,
        baseline_value=ind.baseline_value,
        baseline_date=ind.baseline_date,
        target_value=ind.target_value,
        target_date=ind.target_date,
        band_low=ind.band_low,
        band_high=ind.band_high,
        latest_value=getattr(ind, "latest_value", None),
        latest_rating=getattr(ind, "latest_rating", None),
        latest_date=getattr(ind, "latest_date", None),
    )


def with_progress(indicators: Any) -> list[Indicator]:
    items = list(indicators)
    for ind in items:
        ind.progress = indicator_progress(ind)  # type: ignore[attr-defined]
    return items


def status_counts(
    partnership: Partnership, indicators: list[Indicator] | None = None
) -> dict[str, int]:
    counts: dict[str, int] = {}
    if indicators is None:
        indicators = with_progress(indicators_for(partnership))
    for ind in indicators:
        key = ind.progress.status  # type: ignore[attr-defined]
        counts[key] = counts.get(key, 0) + 1
    return counts


@dataclass(frozen=True, slots=True)
class RevisionRow:
    """One target revision as the indicator page lists it."""

    revised_on: datetime.date
    old_target_value: Decimal | None
    new_target_value: Decimal | None
    old_target_date: datetime.date | None
    new_target_date: datetime.date | None
    reason: str
    review_url: str | None
    review_title: str | None


@dataclass(frozen=True, slots=True)
class ReviewLink:
    url: str
    title: str
    held_on: datetime.date


@dataclass(frozen=True, slots=True)
class IndicatorParts:
    """What the indicator page shows that changes only when the partnership's data does:
    the chart's points and series, the revisions, the reviews, the measurement count."""

    points: list[ChartPoint]
    chart: dict[str, Any]
    revisions: list[RevisionRow]
    reviews: list[ReviewLink]
    total: int


def indicator_parts(ind: Indicator) -> IndicatorParts:
    """``IndicatorParts`` of ``ind`` (read with ``partnership``), kept until the
    partnership's next change: recording, importing or revising writes an audit event."""

    def build() -> IndicatorParts:
        points = chart_measurements(ind)
        revisions = list(
            ind.revisions.select_related("review__partnership").order_by("revised_on", "id")
        )
        total = ind.measurements.count()
        rows = [
            RevisionRow(
                r.revised_on,
                r.old_target_value,
                r.new_target_value,
                r.old_target_date,
                r.new_target_date,
                r.reason,
                r.review.get_absolute_url() if r.review else None,
                str(r.review) if r.review else None,
            )
            for r in revisions
        ]
        reviews = [
            ReviewLink(r.get_absolute_url(), r.title, r.held_on)
            for r in ind.reviews.select_related("partnership")
        ]
        chart = chart_data(ind, points, total=total, revisions=revisions)
        return IndicatorParts(points, chart, rows, reviews, total)

    return cached_while_unchanged(ind.partnership, "indicator-page", [str(ind.pk)], build)


def chart_data(
    ind: Indicator,
    measurements: list[ChartPoint],
    *,
    total: int | None = None,
    revisions: list[TargetRevision] | None = None,
) -> dict[str, Any]:
    """Series for the indicator chart: values, the target line as it stood over time, revisions.

    ``total`` is how many measurements there are when ``measurements`` holds only the
    latest of them; ``revisions``, the indicator's revisions oldest first if already read."""
    if revisions is None:
        revisions = list(ind.revisions.select_related("review").order_by("revised_on", "id"))
    points = [
        [m.measured_on.isoformat(), str(m.value) if m.value is not None else m.rating]
        for m in measurements
    ]
    # The target line: the first target from the baseline, then each revision's new target.
    target_steps: list[list[Any]] = []
    first_target = revisions[0].old_target_value if revisions else ind.target_value
    if first_target is not None:
        target_steps.append([ind.baseline_date.isoformat(), str(first_target)])
    for rev in revisions:
        if rev.old_target_value is not None:
            target_steps.append([rev.revised_on.isoformat(), str(rev.old_target_value)])
        if rev.new_target_value is not None:
            target_steps.append([rev.revised_on.isoformat(), str(rev.new_target_value)])
    if ind.target_value is not None:
        target_steps.append([ind.target_date.isoformat(), str(ind.target_value)])
    return {
        "name": ind.name,
        "unit": ind.unit,
        "qualitative": not ind.is_quantitative,
        "baseline": str(ind.baseline_value) if ind.baseline_value is not None else None,
        "band": [str(ind.band_low), str(ind.band_high)]
        if ind.direction == "band" and ind.band_low is not None and ind.band_high is not None
        else None,
        "points": points,
        "target": target_steps,
        "revisions": [
            {
                "date": r.revised_on.isoformat(),
                "label": f"{r.old_target_value} → {r.new_target_value}",
            }
            for r in revisions
        ],
        "labels": {},
        "shown": len(points),
        "total": len(points) if total is None else total,
    }


def reviews_for(partnership: Partnership) -> QuerySet[Review]:
    return (
        Review.objects.filter(partnership=partnership)
        .select_related("working_group", "created_by", "partnership")
        .annotate(revision_count=Count("target_revisions", distinct=True))
        .order_by("-held_on", "-id")
    )


@dataclass
class ScheduleInfo:
    start: datetime.date | None
    end: datetime.date | None
    schedule: list[rule.ScheduledReview]
    due: list[datetime.date]
    next_due: datetime.date | None


def review_schedule_for(
    partnership: Partnership,
    today: datetime.date | None = None,
    indicators: list[Indicator] | None = None,
) -> ScheduleInfo:
    """The partnership's review schedule over the period its indicators cover.

    Pass ``indicators`` (all of the partnership's, already loaded) to save the query
    for the period."""
    today = today or timezone.localdate()
    if indicators is not None:
        start = min((i.baseline_date for i in indicators), default=None)
        end = max((i.target_date for i in indicators), default=None)
    else:
        span = Indicator.objects.filter(partnership=partnership).aggregate(
            start=Min("baseline_date"), end=Max("target_date")
        )
        start, end = span["start"], span["end"]
    if start is None or end is None:
        return ScheduleInfo(None, None, [], [], None)
    held = list(Review.objects.filter(partnership=partnership).values_list("held_on", flat=True))
    schedule = rule.review_schedule(start, end, held)
    due = [s.due_on for s in schedule if not s.is_held and s.due_on <= today]
    upcoming = [s.due_on for s in schedule if s.due_on > today]
    return ScheduleInfo(start, end, schedule, due, upcoming[0] if upcoming else None)


def revisions_for(partnership: Partnership) -> QuerySet[TargetRevision]:
    return TargetRevision.objects.filter(indicator__partnership=partnership).select_related(
        "indicator", "review"
    )
