"""Scale data for the system map: 2,000 relationships at F=1, a fifth in the bench partnership,
between the member organisations of each partnership."""

from __future__ import annotations

import datetime

from django.urls import reverse

from bench.seed import ScaleContext
from commonground.systemmap import ties
from commonground.systemmap.models import Confidence, Relationship, RelationshipKind

BATCH = 2000
KINDS = [k for k in RelationshipKind.values if k != RelationshipKind.MEMBER_OF]
CONFIDENCE = Confidence.values


def seed(ctx: ScaleContext) -> None:
    rng = ctx.rng
    rows = []
    for i in range(ctx.n(2_000)):
        pid = (
            ctx.bench_partnership_id
            if i % 5 == 0
            else (ctx.partnership_ids[i % len(ctx.partnership_ids)])
        )
        orgs = ctx.orgs_by_partnership.get(pid) or []
        if len(orgs) < 2:
            continue
        source, target = rng.sample(orgs, 2)
        started = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(0, 700))
        rows.append(
            Relationship(
                partnership_id=pid,
                source_id=source,
                target_id=target,
                kind=KINDS[i % len(KINDS)],
                started_on=started,
                confidence=CONFIDENCE[i % len(CONFIDENCE)],
                evidence="Synthetic relationship.",
            )
        )
    Relationship.objects.bulk_create(rows, batch_size=BATCH)
    # bulk_create sends no signals: count the ties of the seeded partnerships afresh.
    ties.recount(ctx.partnership_ids)


def bench_pages(ctx: ScaleContext) -> list[tuple[str, str]]:
    slug = ctx.bench_partnership_slug
    return [
        ("system map network", reverse("systemmap:network", kwargs={"slug": slug})),
        ("relationships", reverse("systemmap:relationships", kwargs={"slug": slug})),
        ("system map across partnerships", reverse("systemmap_global:network")),
    ]
