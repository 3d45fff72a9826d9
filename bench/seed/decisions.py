"""Scale data for decisions: 5,000 proposals with 50,000 votes at F=1.

Mixed stance methods (consent, consensus, majority, two-thirds); about 40% are
closed with a tally and an entry in the decision register. One proposal in the
bench partnership gets many votes (from people across the region).
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from bench.seed import ScaleContext
from commonground.accounts.models import User
from commonground.decisions import tally
from commonground.decisions.models import Decision, Proposal, ProposalStatus, Vote

BATCH = 2000
METHODS = ["consent", "consensus", "majority", "two_thirds"]
BIG_TITLE = "Scale proposal with many votes"


def seed(ctx: ScaleContext) -> None:
    rng = ctx.rng
    start = Proposal.objects.filter(title__startswith="Scale proposal ").count()
    now = timezone.now()
    n_proposals = ctx.n(5_000)
    per = max(1, ctx.n(50_000) // n_proposals)
    plans = []  # (proposal, [(voter id, position)])
    for i in range(n_proposals):
        big = i == 0
        pid = (
            ctx.bench_partnership_id
            if big or i % 10 == 0
            else (ctx.partnership_ids[i % len(ctx.partnership_ids)])
        )
        method = METHODS[i % len(METHODS)]
        pool = ctx.user_ids if big else (ctx.people_by_partnership.get(pid) or ctx.user_ids)
        k = min(len(pool), ctx.n(2_000) if big else rng.randint(max(1, per // 2), per * 3 // 2))
        positions = tally.POSITIONS[method]
        votes = [(uid, positions[rng.randrange(len(positions))]) for uid in rng.sample(pool, k)]
        closed = not big and i % 5 < 2
        stance_counts: dict[str, int] = {}
        for _uid, position in votes:
            stance_counts[position] = stance_counts.get(position, 0) + 1
        proposal = Proposal(
            partnership_id=pid,
            title=BIG_TITLE if big else f"Scale proposal {start + i:06d}",
            details="Synthetic proposal for benchmarks.",
            method=method,
            closes_at=now + datetime.timedelta(days=-rng.randint(1, 300) if closed else 14),
            proposer_id=pool[0],
            status=ProposalStatus.CLOSED if closed else ProposalStatus.OPEN,
            n_voted=len(votes),
            stance_counts=stance_counts,
        )
        if closed:
            result = tally.tally(
                method=method,
                ballots=[tally.BallotData(position) for _uid, position in votes],
                eligible=max(len(pool), k),
                quorum_percent=proposal.quorum_percent,
            )
            proposal.tally = result
            proposal.outcome = result["outcome"]
            proposal.closed_at = proposal.closes_at
        plans.append((proposal, votes))

    closed_proposals = [p for p, _v in plans if p.status == ProposalStatus.CLOSED]
    decisions = [
        Decision(
            partnership_id=p.partnership_id,
            title=p.title,
            method=p.method,
            tally=p.tally,
            adopted=p.outcome == "adopted",
            outcome=p.outcome,
            decided_on=timezone.localdate(p.closed_at or now),
            source_label="Scale proposal",
        )
        for p in closed_proposals
    ]
    Decision.objects.bulk_create(decisions, batch_size=BATCH)
    for p, d in zip(closed_proposals, decisions, strict=True):
        p.decision_id = d.pk
    Proposal.objects.bulk_create([p for p, _v in plans], batch_size=BATCH)
    names = dict(User.objects.values_list("pk", "display_name").iterator())
    vote_rows = [
        Vote(
            proposal_id=p.pk,
            voter_id=uid,
            voter_name=names.get(uid, ""),
            elector=f"p{uid}",
            position=position,
        )
        for p, plan in plans
        for uid, position in plan
    ]
    Vote.objects.bulk_create(vote_rows, batch_size=BATCH)
    ctx.extra["big_proposal_id"] = plans[0][0].pk


def load(ctx: ScaleContext) -> None:
    ctx.extra["big_proposal_id"] = (
        Proposal.objects.filter(partnership_id=ctx.bench_partnership_id, title=BIG_TITLE)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )


def bench_pages(ctx: ScaleContext) -> list[tuple[str, str]]:
    slug = ctx.bench_partnership_slug
    return [
        (
            "proposal with votes",
            reverse(
                "decisions:proposal_detail",
                kwargs={"slug": slug, "pk": ctx.extra["big_proposal_id"]},
            ),
        ),
        ("proposals", reverse("decisions:proposals", kwargs={"slug": slug})),
        ("decision register", reverse("decisions:register", kwargs={"slug": slug})),
    ]
