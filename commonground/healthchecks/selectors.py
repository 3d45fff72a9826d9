"""Aggregates of health-check answers, with the anonymity rules applied.

* Nothing (no mean, no distribution, no comment) is shown for a round with
  fewer than :data:`MIN_RESPONSES` responses, nor for an item answered by
  fewer than that many people.
* Nothing at all is derived from the answers while a round is open (they are
  still sealed, see :mod:`commonground.core.anonymity`): results appear once,
  at the close, so no one can compare them before and after one answer.
* Breakdowns (by sector, or any other grouping) hide every group with fewer
  than :data:`MIN_RESPONSES` answers, and then further groups, smallest first,
  until the hidden groups together hold none or at least that many answers
  (:func:`suppress_cells`). So the item's total minus the shown groups, or any
  other difference of published figures, never comes to fewer than
  :data:`MIN_RESPONSES` people. The rule is written down in ``docs/security.md``.
* Each response weighs the same; the spread is the standard deviation over
  everyone who answered the item.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from commonground.core.audit import cached_while_unchanged
from commonground.organisations.models import Sector

from . import defaults
from .models import (
    Answer,
    BreakdownCell,
    FollowUpNote,
    Invitation,
    ItemKind,
    ReferenceRate,
    Round,
    RoundItem,
    RoundStatus,
    SurveyItem,
)

if TYPE_CHECKING:
    from commonground.partnerships.models import Partnership

MIN_RESPONSES = 5
SCALE = (1, 2, 3, 4, 5)
TWO = Decimal("0.01")


def q2(value: Decimal) -> Decimal:
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


def pct(part: int, whole: int) -> int:
    """A whole percentage, half up."""
    if not whole:
        return 0
    # floor(100 * part / whole + 1/2) in integers: the same as rounding the Decimal half up
    return (200 * part + whole) // (2 * whole)


def suppress_cells(counts: dict[str, int], threshold: int = MIN_RESPONSES) -> set[str]:
    """The groups of one breakdown to hide.

    Every group under ``threshold`` is hidden; then, while the hidden groups together
    hold some answers but fewer than ``threshold`` (so that the total minus the shown
    groups would single them out), the smallest shown group is hidden too (ties by
    name, so the choice is the same in every view and export). Every shown group
    holds at least ``threshold`` answers, so any difference between published
    figures of the breakdown covers either nobody or at least ``threshold`` people.
    """
    hidden = {k for k, n in counts.items() if n < threshold}
    shown = sorted((n, k) for k, n in counts.items() if k not in hidden)
    while shown and 0 < sum(counts[k] for k in hidden) < threshold:
        hidden.add(shown.pop(0)[1])
    return hidden


def stats(distribution: dict[int, int]) -> tuple[int, Decimal | None, Decimal | None]:
    """n, mean and (population) standard deviation from counts per score."""
    n = sum(distribution.values())
    if not n:
        return 0, None, None
    total = sum(score * c for score, c in distribution.items())
    mean = Decimal(total) / Decimal(n)
    var = sum(Decimal(c) * (Decimal(score) - mean) ** 2 for score, c in distribution.items()) / n
    return n, q2(mean), q2(Decimal(math.sqrt(var)))


@dataclass
class SectorCell:
    sector: str
    label: str
    n: int | None
    mean: Decimal | None
    hidden: bool


@dataclass
class ItemResult:
    key: str
    text: str
    section: str
    kind: str
    n: int = 0
    mean: Decimal | None = None
    sd: Decimal | None = None
    distribution: list[tuple[int, int, int]] = field(default_factory=list)  # score, count, percent
    suppressed: bool = False
    reference: Decimal | None = None
    previous: Decimal | None = None
    sectors: list[SectorCell] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def change(self) -> Decimal | None:
        if self.mean is None or self.previous is None:
            return None
        return self.mean - self.previous


@dataclass
class RoundResults:
    round: Round
    responses: int
    invited: int
    suppressed: bool
    items: list[ItemResult]
    previous: Round | None
    sector_breakdown_hidden: bool = False
    rate: dict[str, int] | None = None  # response_rate() of the round, read once

    @property
    def response_rate(self) -> int:
        return pct(self.responses, self.invited)

    def section(self, name: str) -> list[ItemResult]:
        return [i for i in self.items if i.section == name]

    @property
    def scored(self) -> list[ItemResult]:
        return [i for i in self.items if i.kind != ItemKind.TEXT]

    @property
    def texts(self) -> list[ItemResult]:
        return [i for i in self.items if i.kind == ItemKind.TEXT]


def response_rate(round: Round) -> dict[str, int]:
    agg = Invitation.objects.filter(round=round).aggregate(
        invited=Count("id"), answered=Count("id", filter=Q(answered=True))
    )
    invited, answered = agg["invited"] or 0, agg["answered"] or 0  # how many, never who
    return {
        "invited": invited,
        "answered": answered,
        "percent": pct(answered, invited),
    }


def reference_rate(partnership: Partnership) -> dict[str, int] | None:
    """The response rate each round is compared with: the partnership's own, or the
    method's baseline (25 of 32, 78%) when it set none; None when it chose to show none."""
    row = (
        ReferenceRate.objects.filter(partnership=partnership).values("answered", "invited").first()
    )
    if row is None:
        answered, invited = defaults.REFERENCE_RATE_ANSWERED, defaults.REFERENCE_RATE_INVITED
    else:
        answered, invited = row["answered"], row["invited"]
    if not invited:
        return None
    return {"answered": answered, "invited": invited, "percent": pct(answered, invited)}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


@dataclass
class NextRound:
    last: Round
    due_on: datetime.date
    open: Round | None  # a whole-partnership round open now

    def overdue(self, today: datetime.date) -> bool:
        return self.open is None and self.due_on < today


def next_round(partnership: Partnership) -> NextRound | None:
    """When the next whole-partnership round is due: a year after the last one opened.
    None before the first round."""
    rounds = Round.objects.filter(partnership=partnership, working_group__isnull=True)
    last = rounds.order_by("-opens_on", "-id").first()
    if last is None:
        return None
    return NextRound(
        last=last,
        due_on=add_months(last.opens_on, defaults.ROUND_INTERVAL_MONTHS),
        open=rounds.filter(status=RoundStatus.OPEN).order_by("-opens_on", "-id").first(),
    )


def follow_up_notes(round: Round, *, manager: bool) -> list[FollowUpNote]:
    """The round's follow-up interview notes: managers see them as written, members
    once the results are published."""
    if not manager and not round.is_published:
        return []
    return list(FollowUpNote.objects.filter(round=round).select_related("written_by"))


def previous_round(round: Round) -> Round | None:
    return (
        Round.objects.filter(
            partnership=round.partnership,
            working_group=round.working_group,
            status=RoundStatus.PUBLISHED,
            opens_on__lt=round.opens_on,
        )
        .order_by("-opens_on", "-id")
        .first()
    )


def _means_by_key(round: Round) -> dict[str, Decimal]:
    """Item means of a round, only where the round and the item meet the threshold."""
    if round.responses.count() < MIN_RESPONSES:
        return {}
    rows = (
        Answer.objects.filter(item__round=round, score__isnull=False)
        .values("item__key")
        .annotate(n=Count("score"), total=Sum("score"))
    )
    return {
        r["item__key"]: q2(Decimal(r["total"]) / Decimal(r["n"]))
        for r in rows
        if r["n"] >= MIN_RESPONSES
    }


def settled_results(round: Round) -> RoundResults:
    """``round_results`` for the round's page and exports. Once a round is closed no
    answer can change its results, so they are kept until the partnership's next
    change (publishing, re-wording an item) instead of being worked out again."""
    if round.status == RoundStatus.OPEN:
        return round_results(round)  # nothing: see round_results
    return cached_while_unchanged(
        round.partnership,
        "round-results",
        [str(round.pk), round.status],
        lambda: round_results(round),
    )


def round_results(round: Round, *, with_previous: bool = True) -> RoundResults:
    # An open round has no results: its answers are sealed (and this says so again,
    # in case a response row ever reached the table before the close).
    total = 0 if round.status == RoundStatus.OPEN else round.responses.count()
    rate = response_rate(round)
    # plain tuples (pk, key, text, section, kind, reference mean): no model instances
    items = list(
        RoundItem.objects.filter(round=round)
        .order_by("position", "id")
        .values_list("pk", "key", "text", "section", "kind", "item__reference_mean")
    )
    prev = previous_round(round) if with_previous else None
    if total < MIN_RESPONSES:
        return RoundResults(
            round,
            total,
            rate["invited"],
            True,
            [
                ItemResult(key, text, section, kind, suppressed=True)
                for _pk, key, text, section, kind, _ref in items
            ],
            prev,
            True,
            rate,
        )
    dist: dict[int, dict[int, int]] = {}
    for item_id, score, count in (
        Answer.objects.filter(item__round=round, score__isnull=False)
        .values_list("item_id", "score")
        .annotate(n=Count("score"))
    ):
        dist.setdefault(item_id, {})[score] = count
    # The breakdown as fixed at the close: hidden groups were stored without figures.
    cells: dict[int, dict[str, tuple[int | None, int | None]]] = {}
    for item_id, group, count, score_sum in BreakdownCell.objects.filter(
        round=round, grouping="sector"
    ).values_list("item_id", "group", "n", "total"):
        cells.setdefault(item_id, {})[group] = (count, score_sum)
    comments: dict[int, list[str]] = {}
    for item_id, comment in (
        Answer.objects.filter(item__round=round)
        .exclude(text="")
        .order_by("id")
        .values_list("item_id", "text")
    ):
        comments.setdefault(item_id, []).append(comment)
    prev_means = _means_by_key(prev) if prev else {}
    sector_names = dict(Sector.choices)
    labels: dict[str, str] = {}  # each sector's label translated once, not once per cell
    results = []
    any_hidden = False
    for pk, key, text, section, kind, reference in items:
        res = ItemResult(key, text, section, kind, reference=reference)
        if kind == ItemKind.TEXT:
            texts = comments.get(pk, [])
            if len(texts) and total >= MIN_RESPONSES:
                res.comments = texts
            res.n = len(texts)
            results.append(res)
            continue
        d = dist.get(pk, {})
        n, mean, sd = stats(d)
        res.n = n
        if n < MIN_RESPONSES:
            res.suppressed = True
            results.append(res)
            continue
        res.mean, res.sd = mean, sd
        res.distribution = [(s, d.get(s, 0), pct(d.get(s, 0), n)) for s in SCALE]
        res.previous = prev_means.get(key)
        item_cells = cells.get(pk, {})
        for sector, (cn, ctotal) in sorted(item_cells.items()):
            label = labels.get(sector)
            if label is None:
                label = labels[sector] = str(sector_names.get(sector, sector or "—"))
            if cn is None or ctotal is None:
                any_hidden = True
                res.sectors.append(SectorCell(sector, label, None, None, True))
            else:
                res.sectors.append(
                    SectorCell(sector, label, cn, q2(Decimal(ctotal) / Decimal(cn)), False)
                )
        results.append(res)
    all_hidden = all(all(c.hidden for c in r.sectors) for r in results if r.sectors)
    return RoundResults(
        round, total, rate["invited"], False, results, prev, all_hidden and any_hidden, rate
    )


def rounds_for(partnership: Partnership, *, include_unpublished: bool) -> QuerySet[Round]:
    qs = Round.objects.filter(partnership=partnership).select_related("working_group")
    if not include_unpublished:
        qs = qs.filter(status=RoundStatus.PUBLISHED)
    # Correlated counts for the rounds on the page only (no join of every invitation of
    # every round, and a plain COUNT for the paginator).
    invitations = Invitation.objects.filter(round=OuterRef("pk"))
    return qs.annotate(
        invited=count_of(invitations),
        answered=count_of(invitations.filter(answered=True)),
    ).order_by("-opens_on", "-id")


def count_of(qs: QuerySet[Any]) -> Coalesce:
    """``COUNT(*)`` of a correlated queryset, as an annotation (0 when empty)."""
    counted = qs.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0)


def trend(partnership: Partnership, working_group: Any = None) -> dict[str, Any]:
    """Means per item key over the published rounds of one scope, oldest first."""
    rounds = list(
        Round.objects.filter(
            partnership=partnership, working_group=working_group, status=RoundStatus.PUBLISHED
        )
        .annotate(n=Count("responses"))
        .order_by("opens_on", "id")
    )
    shown = [r for r in rounds if r.n >= MIN_RESPONSES]
    means: dict[str, dict[int, Decimal]] = {}
    if shown:
        for row in (
            Answer.objects.filter(item__round__in=shown, score__isnull=False)
            .values("item__round_id", "item__key")
            .annotate(n=Count("score"), total=Sum("score"))
        ):
            if row["n"] >= MIN_RESPONSES:
                means.setdefault(row["item__key"], {})[row["item__round_id"]] = q2(
                    Decimal(row["total"]) / Decimal(row["n"])
                )
    labels: dict[str, str] = {}
    for key, text in (
        RoundItem.objects.filter(round__in=shown)
        .exclude(kind=ItemKind.TEXT)
        .order_by("round__opens_on", "position")
        .values_list("key", "text")
    ):
        labels[key] = text  # the latest wording wins
    # The baseline of each item (the source's mean for the same question), drawn on the chart.
    baselines = {
        key: str(ref)
        for key, ref in SurveyItem.objects.filter(
            partnership=partnership, key__in=list(labels), reference_mean__isnull=False
        ).values_list("key", "reference_mean")
    }
    series = [
        {
            "key": key,
            "label": labels.get(key, key),
            "values": [str(means[key].get(r.pk, "")) or None for r in shown],
            "baseline": baselines.get(key),
        }
        for key in labels
        if key in means
    ]
    return {
        "rounds": [
            {"id": r.pk, "period": r.period, "title": r.title, "opens_on": r.opens_on}
            for r in shown
        ],
        "series": series,
    }
