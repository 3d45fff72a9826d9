"""Scale data for health checks: the default questions, two published rounds per
partnership (last year and this year), invitations and anonymous responses.

At F=1: 5,000 responses (50 per round), about 25 answers each. The anonymity model
holds: responses and answers link to no person; an invitation only records the day
it was used, and as many invitations are used as there are responses.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import uuid

from django.urls import reverse

from bench.seed import ScaleContext
from commonground.healthchecks.defaults import DEFAULT_ITEMS
from commonground.healthchecks.models import (
    Answer,
    BreakdownCell,
    Invitation,
    ItemKind,
    Response,
    Round,
    RoundItem,
    RoundStatus,
    SurveyItem,
)
from commonground.healthchecks.services import breakdown_cells
from commonground.organisations.models import Sector

BATCH = 2000
ROUNDS = [("2025", datetime.date(2025, 3, 1)), ("2026", datetime.date(2026, 3, 1))]
SECTORS = [s.value for s in Sector]
COMMENTS = [
    "Meetings are well prepared.",
    "We could share data earlier.",
    "More time for the working groups, please.",
    "The partnership has helped us find new partners.",
]


def _ensure_items(partnership_ids: list[int]) -> None:
    has = set(
        SurveyItem.objects.filter(partnership_id__in=partnership_ids).values_list(
            "partnership_id", flat=True
        )
    )
    SurveyItem.objects.bulk_create(
        [
            SurveyItem(
                partnership_id=pid,
                key=key,
                section=section,
                kind=kind,
                text=text,
                reference_mean=reference,
                position=(i + 1) * 10,
            )
            for pid in partnership_ids
            if pid not in has
            for i, (key, section, kind, text, reference) in enumerate(DEFAULT_ITEMS)
        ],
        batch_size=BATCH,
    )


def seed(ctx: ScaleContext) -> None:
    rng = ctx.rng
    # Keys come from their own generator, salted with the rows already there, so a
    # second seeding on top does not repeat the first one's keys.
    keys = random.Random(f"healthchecks-{Response.objects.count()}-{Answer.objects.count()}")
    pids = ctx.partnership_ids
    _ensure_items(pids)
    items_by_p: dict[int, list[SurveyItem]] = {}
    for item in SurveyItem.objects.filter(partnership_id__in=pids, is_active=True).order_by(
        "position", "id"
    ):
        items_by_p.setdefault(item.partnership_id, []).append(item)

    rounds = [
        Round(
            partnership_id=pid,
            title=f"Health check {period}",
            period=period,
            opens_on=opens,
            closes_on=opens + datetime.timedelta(days=21),
            status=RoundStatus.PUBLISHED,
            published_on=opens + datetime.timedelta(days=30),
            created_by_id=ctx.bench_user_id,
        )
        for pid in pids
        for period, opens in ROUNDS
    ]
    Round.objects.bulk_create(rounds, batch_size=BATCH)
    new_rounds = list(
        Round.objects.filter(partnership_id__in=pids)
        .order_by("-id")
        .values_list("id", "partnership_id", "opens_on")[: len(rounds)]
    )
    RoundItem.objects.bulk_create(
        [
            RoundItem(
                round_id=rid,
                item_id=i.pk,
                key=i.key,
                section=i.section,
                kind=i.kind,
                text=i.text,
                position=i.position,
            )
            for rid, pid, _opens in new_rounds
            for i in items_by_p.get(pid, [])
        ],
        batch_size=BATCH,
    )
    round_items: dict[int, list[tuple[int, str]]] = {}
    for ri_id, rid, kind in (
        RoundItem.objects.filter(round_id__in=[r[0] for r in new_rounds])
        .order_by("position", "id")
        .values_list("id", "round_id", "kind")
    ):
        round_items.setdefault(rid, []).append((ri_id, kind))

    per_round = max(1, ctx.n(5_000) // max(1, len(new_rounds)))
    invitations: list[Invitation] = []
    responses: list[Response] = []
    answers: list[Answer] = []
    groups: dict[tuple[int, int], dict[str, list[int]]] = {}

    def flush(final: bool = False) -> None:
        if final or len(answers) >= BATCH * 10:
            Invitation.objects.bulk_create(invitations, batch_size=BATCH)
            Response.objects.bulk_create(responses, batch_size=BATCH)
            Answer.objects.bulk_create(answers, batch_size=BATCH)
            invitations.clear()
            responses.clear()
            answers.clear()

    for rid, pid, opens in new_rounds:
        people = ctx.people_by_partnership.get(pid) or []
        answered = min(per_round, len(people))
        for k, uid in enumerate(people):
            invitations.append(
                Invitation(
                    round_id=rid,
                    user_id=uid,
                    token_hash=hashlib.sha256(f"scale:{rid}:{uid}".encode()).hexdigest(),
                    sent_on=opens,
                    answered=k < answered,
                )
            )
        # Published rounds: the responses as a close writes them (random keys, no time).
        for _k in range(answered):
            response = Response(id=uuid.UUID(int=keys.getrandbits(128), version=4), round_id=rid)
            sector = SECTORS[rng.randrange(len(SECTORS))]
            responses.append(response)
            lean = rng.choice((0, 1, 1, 2))
            for ri_id, kind in round_items.get(rid, []):
                if kind == ItemKind.TEXT:
                    if rng.random() < 0.3:
                        answers.append(
                            Answer(
                                id=uuid.UUID(int=keys.getrandbits(128), version=4),
                                response=response,
                                item_id=ri_id,
                                text=COMMENTS[rng.randrange(len(COMMENTS))],
                            )
                        )
                    continue
                score = min(5, max(1, rng.randint(2, 4) + rng.randint(-1, 1) + lean - 1))
                answers.append(
                    Answer(
                        id=uuid.UUID(int=keys.getrandbits(128), version=4),
                        response=response,
                        item_id=ri_id,
                        score=score,
                    )
                )
                cell = groups.setdefault((rid, ri_id), {}).setdefault(sector, [0, 0])
                cell[0] += 1
                cell[1] += score
        flush()
    flush(final=True)
    # The breakdown by sector as a close fixes it (only publishable figures).
    by_round: dict[int, dict[int, dict[str, list[int]]]] = {}
    for (rid, ri_id), by_group in groups.items():
        by_round.setdefault(rid, {})[ri_id] = by_group
    cells = [cell for rid, g in by_round.items() for cell in breakdown_cells(rid, g)]
    BreakdownCell.objects.bulk_create(cells, batch_size=BATCH)


def load(ctx: ScaleContext) -> None:
    ctx.extra["healthchecks_round"] = (
        Round.objects.filter(partnership_id=ctx.bench_partnership_id, status=RoundStatus.PUBLISHED)
        .order_by("-opens_on", "-id")
        .values_list("id", flat=True)
        .first()
    )


def bench_pages(ctx: ScaleContext) -> list[tuple[str, str]]:
    load(ctx)
    slug = ctx.bench_partnership_slug
    pages = [("health checks: rounds", reverse("healthchecks:round_list", kwargs={"slug": slug}))]
    pk = ctx.extra.get("healthchecks_round")
    if pk:
        pages.append(
            (
                "health checks: round results",
                reverse("healthchecks:round_detail", kwargs={"slug": slug, "pk": pk}),
            )
        )
    return pages
