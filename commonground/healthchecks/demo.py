"""Demo: two yearly health-check rounds (about twenty responses each) with a trend,
and a small working-group round whose sector breakdown is suppressed."""

from __future__ import annotations

import datetime

from commonground.core.demo import DemoContext

from .models import ItemKind, Round, RoundItem
from .services import items_ensure_default, round_open, round_publish, seal

# Typical means per item in each year (the second year shows trust and opportunities improving).
MEANS_2025 = {
    "platform": 4.0,
    "benefit_effort": 3.4,
    "contribution_valued": 3.3,
    "coordination": 3.9,
    "power_control": 3.4,
    "communication": 3.5,
    "willingness": 4.1,
    "trust": 3.1,
    "opportunities": 3.0,
    "transparency": 3.4,
    "equity": 3.2,
    "mutual_benefit": 3.6,
    "continuum_now": 2.2,
    "continuum_aim": 4.0,
}
MEANS_2026 = {
    "platform": 4.3,
    "benefit_effort": 3.7,
    "contribution_valued": 3.8,
    "coordination": 4.1,
    "power_control": 3.7,
    "communication": 3.9,
    "willingness": 4.2,
    "trust": 3.8,
    "opportunities": 3.6,
    "transparency": 3.8,
    "equity": 3.5,
    "mutual_benefit": 3.9,
    "continuum_now": 2.9,
    "continuum_aim": 4.1,
}
COMMENTS = {
    "swot_strengths": [
        "The city and the waste company actually share their data now.",
        "Residents and volunteers bring energy the agencies could never buy.",
        "Quick, practical decisions in the working groups.",
    ],
    "swot_weaknesses": [
        "Small partners struggle to keep up with the meeting load.",
        "Too much depends on two people at the city.",
    ],
    "swot_opportunities": [
        "The new procurement rules could make reused materials the default in city projects.",
        "Nordic funding call next spring.",
    ],
    "swot_threats": ["If the budget is cut, the hubs close first."],
    "comments": [
        "Please send papers earlier before meetings.",
        "I would like the residents' group to have a seat on the steering group.",
        "Best partnership I have worked in, honestly.",
    ],
}


def _score(ctx: DemoContext, mean: float) -> int:
    return max(1, min(5, round(ctx.rng.gauss(mean, 0.8))))


def _fill(ctx: DemoContext, rnd: Round, respondents: int, means: dict[str, float]) -> None:
    """Mark some invitations used and seal that many anonymous answer sets (the close or
    publish that follows writes them to the results in a random order)."""
    invitations = list(rnd.invitations.select_related("user__organisation").order_by("id"))
    ctx.rng.shuffle(invitations)
    items = list(RoundItem.objects.filter(round=rnd))
    for inv in invitations[:respondents]:
        inv.answered = True
        inv.save(update_fields=["answered"])
        org = inv.user.organisation
        rows: list[tuple[str, int | None, str]] = []
        for ri in items:
            if ri.kind == ItemKind.TEXT:
                pool = COMMENTS.get(ri.key, [])
                if pool and ctx.rng.random() < 0.25:
                    rows.append((ri.key, None, ctx.rng.choice(pool)))
                continue
            if ctx.rng.random() < 0.05:
                continue  # "don't know"
            mean = means.get(ri.key, (means["trust"] + means["platform"]) / 2)
            rows.append((ri.key, _score(ctx, mean), ""))
        seal(rnd, org.sector if org else "", rows)


def build(ctx: DemoContext) -> None:
    p = ctx.partnership
    tor = ctx.people["tor"]
    items_ensure_default(actor=tor, partnership=p)
    for opens, period, respondents, means in (
        (ctx.days_ago(380), "2025", 20, MEANS_2025),
        (ctx.days_ago(40), "2026", 21, MEANS_2026),
    ):
        rnd, _tokens = round_open(
            actor=tor,
            partnership=p,
            title=f"Partnership health check {period}",
            period=period,
            opens_on=opens,
            closes_on=opens + datetime.timedelta(days=21),
            notify=False,
        )
        _fill(ctx, rnd, respondents, means)
        round_publish(actor=tor, round=rnd)
    wg = ctx.extra.get("wg_reuse_hubs")
    if wg is not None:
        rnd, _tokens = round_open(
            actor=tor,
            partnership=p,
            working_group=wg,
            title="Reuse hubs working group check-in 2026",
            period="2026",
            opens_on=ctx.days_ago(30),
            closes_on=ctx.days_ago(16),
            notify=False,
        )
        _fill(ctx, rnd, 5, MEANS_2026)
        round_publish(actor=tor, round=rnd)
    ctx.log.append("healthchecks: 2 yearly rounds and 1 working-group round")
