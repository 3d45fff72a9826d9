"""Scale data for the ledger: 2,000 contributions at F=1, a fifth of them in the bench partnership."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse

from bench.seed import ScaleContext
from commonground.contributions.models import (
    Contribution,
    ExchangeRate,
    Kind,
    RecipientKind,
    Status,
)

BATCH = 2000
KINDS = Kind.values
STATUSES = [Status.PLEDGED, Status.COMMITTED, Status.DELIVERED, Status.DELIVERED, Status.WITHDRAWN]


def seed(ctx: ScaleContext) -> None:
    rng = ctx.rng
    if not ExchangeRate.objects.filter(
        partnership_id=ctx.bench_partnership_id, currency="EUR"
    ).exists():
        ExchangeRate.objects.create(
            partnership_id=ctx.bench_partnership_id, currency="EUR", rate=Decimal("11.500000")
        )
    start = Contribution.objects.filter(title__startswith="Scale contribution ").count()
    today = datetime.date(2026, 11, 1)
    rows = []
    for i in range(ctx.n(2_000)):
        pid = (
            ctx.bench_partnership_id
            if i % 5 == 0
            else (ctx.partnership_ids[i % len(ctx.partnership_ids)])
        )
        orgs = ctx.orgs_by_partnership.get(pid) or ctx.organisation_ids[:2]
        kind = KINDS[i % len(KINDS)]
        status = STATUSES[rng.randrange(len(STATUSES))]
        pledged = today - datetime.timedelta(days=rng.randrange(0, 900))
        to_member = i % 3 == 0 and len(orgs) > 1
        contributor = orgs[rng.randrange(len(orgs))]
        rows.append(
            Contribution(
                partnership_id=pid,
                kind=kind,
                title=f"Scale contribution {start + i:05d}",
                description="Synthetic contribution for benchmarks.",
                contributor_id=contributor,
                recipient_kind=RecipientKind.MEMBER if to_member else RecipientKind.PARTNERSHIP,
                recipient_org_id=next(o for o in orgs if o != contributor) if to_member else None,
                status=status,
                pledged_on=pledged,
                committed_on=pledged if status in (Status.COMMITTED, Status.DELIVERED) else None,
                delivered_on=pledged if status == Status.DELIVERED else None,
                withdrawn_on=pledged if status == Status.WITHDRAWN else None,
                due_on=pledged + datetime.timedelta(days=90),
                amount=Decimal(rng.randrange(1_000, 2_000_000)) / 10,
                currency="EUR" if i % 7 == 0 else "NOK",
                valuation_method="" if kind == Kind.FUNDING else "cost",
                hours=Decimal(rng.randrange(10, 500)) if kind == Kind.IN_KIND else None,
            )
        )
    Contribution.objects.bulk_create(rows, batch_size=BATCH)


def bench_pages(ctx: ScaleContext) -> list[tuple[str, str]]:
    slug = ctx.bench_partnership_slug
    return [
        ("ledger", reverse("contributions:ledger", kwargs={"slug": slug})),
        ("ledger totals", reverse("contributions:totals", kwargs={"slug": slug})),
        ("flow diagram data", reverse("contributions:flow", kwargs={"slug": slug})),
        (
            "api: ledger entries",
            reverse("api:contribution_list", kwargs={"slug": slug}) + "?status=delivered",
        ),
    ]
