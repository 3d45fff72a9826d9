"""Scale data for the action plan: 50,000 actions at F=1, a tenth of them in the bench partnership."""

from __future__ import annotations

import datetime

from django.urls import reverse

from bench.seed import ScaleContext
from commonground.actionplan.models import Action, ActionStatus

BATCH = 2000
STATUSES = ActionStatus.values


def _partnership_for(ctx: ScaleContext, i: int) -> int:
    # Every tenth row goes to the bench partnership, the rest round-robin.
    if i % 10 == 0:
        return ctx.bench_partnership_id
    return ctx.partnership_ids[i % len(ctx.partnership_ids)]


def seed(ctx: ScaleContext) -> None:
    rng = ctx.rng
    start = Action.objects.filter(title__startswith="Scale action ").count()
    today = datetime.date(2026, 11, 1)
    rows = []
    for i in range(ctx.n(50_000)):
        pid = _partnership_for(ctx, i)
        people = ctx.people_by_partnership.get(pid) or [ctx.bench_user_id]
        orgs = ctx.orgs_by_partnership.get(pid) or ctx.organisation_ids[:1]
        start_on = today - datetime.timedelta(days=rng.randrange(0, 400))
        due_on = start_on + datetime.timedelta(days=rng.randrange(0, 200))
        status = STATUSES[rng.randrange(len(STATUSES))]
        rows.append(
            Action(
                partnership_id=pid,
                title=f"Scale action {start + i:06d}",
                description="Synthetic action for benchmarks.",
                owner_id=people[i % len(people)],
                owner_organisation_id=orgs[i % len(orgs)],
                priority=1 + rng.randrange(5),
                start_on=start_on,
                due_on=due_on,
                status=status,
                completed_on=due_on if status == ActionStatus.DONE else None,
            )
        )
    Action.objects.bulk_create(rows, batch_size=BATCH)


def bench_pages(ctx: ScaleContext) -> list[tuple[str, str]]:
    slug = ctx.bench_partnership_slug
    base = reverse("actionplan:list", kwargs={"slug": slug})
    return [
        ("action plan (filtered)", base + "?status=in_progress&priority=2&sort=due"),
        ("action plan (open, page 3)", base + "?page=3"),
        ("action board", reverse("actionplan:board", kwargs={"slug": slug})),
    ]
