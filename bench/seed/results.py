"""Scale data for results: 8 indicators per partnership, 10,000 measurements at F=1
(25 per indicator), a few target revisions and three reviews per partnership."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse

from bench.seed import ScaleContext
from commonground.results.models import (
    Cadence,
    Direction,
    Indicator,
    Kind,
    Measurement,
    Review,
    TargetRevision,
)

BATCH = 2000
PER_PARTNERSHIP = 8
BASE = datetime.date(2024, 1, 1)


def seed(ctx: ScaleContext) -> None:
    rng = ctx.rng
    indicators = []
    for pid in ctx.partnership_ids:
        people = ctx.people_by_partnership.get(pid) or [ctx.bench_user_id]
        for k in range(PER_PARTNERSHIP):
            qualitative = k == PER_PARTNERSHIP - 1
            direction = Direction.DECREASE if k % 3 == 1 else Direction.INCREASE
            indicators.append(
                Indicator(
                    partnership_id=pid,
                    name=f"Scale indicator {k + 1}",
                    kind=Kind.QUALITATIVE if qualitative else Kind.QUANTITATIVE,
                    is_financial=k == 0,
                    unit="" if qualitative else "tonnes",
                    baseline_value=None if qualitative else Decimal(100),
                    baseline_date=BASE,
                    target_value=None
                    if qualitative
                    else Decimal(60 if direction == Direction.DECREASE else 200),
                    target_date=datetime.date(2027, 12, 31),
                    direction=direction,
                    owner_id=people[k % len(people)],
                    cadence=Cadence.MONTHLY,
                    meets_vision=True,
                    meets_timely=k % 2 == 0,
                )
            )
    Indicator.objects.bulk_create(indicators, batch_size=BATCH)
    created = list(
        Indicator.objects.filter(partnership_id__in=ctx.partnership_ids)
        .order_by("-id")
        .values_list("id", "partnership_id", "kind")[: len(indicators)]
    )
    if not created:
        return
    total = ctx.n(10_000)
    per = max(1, total // len(created))
    measurements, revisions = [], []
    for ind_id, pid, kind in created:
        people = ctx.people_by_partnership.get(pid) or [ctx.bench_user_id]
        value = 100.0
        for m in range(per):
            value += rng.uniform(-3, 6)
            measurements.append(
                Measurement(
                    indicator_id=ind_id,
                    measured_on=BASE + datetime.timedelta(days=30 * (m + 1)),
                    value=None if kind == Kind.QUALITATIVE else Decimal(f"{value:.2f}"),
                    rating=rng.randint(1, 5) if kind == Kind.QUALITATIVE else None,
                    observation="Observed in the field." if kind == Kind.QUALITATIVE else "",
                    recorded_by_id=people[m % len(people)],
                )
            )
        if kind == Kind.QUANTITATIVE and rng.random() < 0.25:
            revisions.append(
                TargetRevision(
                    indicator_id=ind_id,
                    revised_on=datetime.date(2025, 6, 1),
                    old_target_value=Decimal(180),
                    new_target_value=Decimal(200),
                    old_target_date=datetime.date(2027, 12, 31),
                    new_target_date=datetime.date(2027, 12, 31),
                    reason="Raised after the mid-term review.",
                    decided_by_id=people[0],
                )
            )
        if len(measurements) >= BATCH * 5:
            Measurement.objects.bulk_create(measurements, batch_size=BATCH)
            measurements = []
    Measurement.objects.bulk_create(measurements, batch_size=BATCH)
    TargetRevision.objects.bulk_create(revisions, batch_size=BATCH)

    reviews = [
        Review(
            partnership_id=pid,
            held_on=datetime.date(2024 + k, 11, 15),
            title=f"Scale review {k + 1}",
            what_worked="Joint collection of data.",
            what_did_not="Late reporting.",
            early_win=k == 0,
            created_by_id=(ctx.people_by_partnership.get(pid) or [ctx.bench_user_id])[0],
        )
        for pid in ctx.partnership_ids
        for k in range(3)
    ]
    Review.objects.bulk_create(reviews, batch_size=BATCH)
    by_partnership: dict[int, list[int]] = {}
    for ind_id, pid, _kind in created:
        by_partnership.setdefault(pid, []).append(ind_id)
    new_reviews = Review.objects.filter(partnership_id__in=ctx.partnership_ids).order_by("-id")[
        : len(reviews)
    ]
    link = Review.indicators.through
    link.objects.bulk_create(
        [
            link(review_id=rid, indicator_id=ind_id)
            for rid, pid in new_reviews.values_list("id", "partnership_id")
            for ind_id in by_partnership.get(pid, [])[:3]
        ],
        batch_size=BATCH,
    )


def load(ctx: ScaleContext) -> None:
    ctx.extra["results_indicator"] = (
        Indicator.objects.filter(partnership_id=ctx.bench_partnership_id, kind=Kind.QUANTITATIVE)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )


def bench_pages(ctx: ScaleContext) -> list[tuple[str, str]]:
    load(ctx)
    slug = ctx.bench_partnership_slug
    pages = [("results: indicators", reverse("results:indicator_list", kwargs={"slug": slug}))]
    pk = ctx.extra.get("results_indicator")
    if pk:
        pages.append(
            (
                "results: indicator chart data",
                reverse("results:indicator_detail", kwargs={"slug": slug, "pk": pk}),
            )
        )
        pages.append(
            (
                "api: indicator measurements",
                reverse("api:results_measurements", kwargs={"slug": slug, "pk": pk}),
            )
        )
    return pages
