"""Scale data for prospects: a pipeline per partnership (about 40 prospects), a
scorecard of five criteria with scores, needs, and resource offers spread over
the directory so the gap analysis and recommendations have work to do.

At F=1: 50 × 40 = 2,000 prospects, about 10,000 scores, 150 needs, and offers
in ten resource categories on 6,000 organisations.
"""

from __future__ import annotations

from django.urls import reverse

from bench.seed import ScaleContext
from commonground.organisations.models import Organisation, ResourceCategory, Tag
from commonground.prospects.models import Criterion, CriterionGroup, Need, Prospect, Score, Stage

BATCH = 2000
PER_PARTNERSHIP = 40
CRITERIA = [
    ("Shares our purpose", CriterionGroup.COMPATIBILITY, 3),
    ("Brings a missing resource", CriterionGroup.SELECTION, 5),
    ("Has a mandate to act", CriterionGroup.ASSESSMENT, 2),
    ("Trusted in the community", CriterionGroup.ASSESSMENT, 2),
    ("Capacity to take part", CriterionGroup.SELECTION, 1),
]
STAGES = [s.value for s in Stage]
CATEGORIES = [c.value for c in ResourceCategory if c.value != "other"]
SCARCE = ResourceCategory.LEGAL.value


def _offer_tags() -> list[Tag]:
    tags = []
    for cat in CATEGORIES:
        tag, _created = Tag.objects.get_or_create(
            slug=f"scale-offer-{cat}", defaults={"name": f"Scale {cat}", "category": cat}
        )
        tags.append(tag)
    return tags


def seed(ctx: ScaleContext) -> None:
    rng = ctx.rng
    # Offers in real resource categories on 30% of the new organisations (the base gives
    # every organisation one "other" tag only).
    # Member organisations never offer the SCARCE category, so every partnership has an
    # uncovered need and the recommendations always rank candidates.
    tags = _offer_tags()
    members = {oid for ids in ctx.orgs_by_partnership.values() for oid in ids}
    common = [t for t in tags if t.category != SCARCE]
    through = Organisation.offers.through
    offers = [
        through(
            organisation_id=oid,
            tag_id=(common if oid in members else tags)[
                rng.randrange(len(common) if oid in members else len(tags))
            ].pk,
        )
        for oid in ctx.organisation_ids
        if rng.random() < 0.3
    ]
    through.objects.bulk_create(offers, batch_size=BATCH, ignore_conflicts=True)

    candidates = [oid for oid in ctx.organisation_ids if oid not in members]
    if not candidates:
        return
    taken = set(
        Prospect.objects.filter(partnership_id__in=ctx.partnership_ids).values_list(
            "partnership_id", "organisation_id"
        )
    )
    prospects = []
    for pi, pid in enumerate(ctx.partnership_ids):
        people = ctx.people_by_partnership.get(pid) or [ctx.bench_user_id]
        want = min(PER_PARTNERSHIP, len(candidates))
        start = (pi * 97) % len(candidates)
        for k in range(want):
            oid = candidates[(start + k) % len(candidates)]
            if (pid, oid) in taken:
                continue
            taken.add((pid, oid))
            prospects.append(
                Prospect(
                    partnership_id=pid,
                    organisation_id=oid,
                    stage=STAGES[rng.randrange(len(STAGES))],
                    owner_id=people[k % len(people)],
                    why_approach="Synthetic prospect for benchmarks.",
                )
            )
    Prospect.objects.bulk_create(prospects, batch_size=BATCH)

    # Criteria and needs once per partnership (unique by label / category).
    has_criteria = set(
        Criterion.objects.filter(partnership_id__in=ctx.partnership_ids).values_list(
            "partnership_id", flat=True
        )
    )
    Criterion.objects.bulk_create(
        [
            Criterion(partnership_id=pid, label=label, group=group, weight=w, position=i)
            for pid in ctx.partnership_ids
            if pid not in has_criteria
            for i, (label, group, w) in enumerate(CRITERIA)
        ],
        batch_size=BATCH,
    )
    has_needs = set(
        Need.objects.filter(partnership_id__in=ctx.partnership_ids).values_list(
            "partnership_id", "category"
        )
    )
    needs = []
    for pi, pid in enumerate(ctx.partnership_ids):
        for k in range(3):
            cat = SCARCE if k == 0 else CATEGORIES[(pi + 3 * k) % len(CATEGORIES)]
            if (pid, cat) not in has_needs:
                has_needs.add((pid, cat))
                needs.append(Need(partnership_id=pid, category=cat, priority=1 + k))
    Need.objects.bulk_create(needs, batch_size=BATCH)

    # Scores: about 60% of the new prospects, two or three assessors each.
    criteria: dict[int, list[int]] = {}
    for cid, pid in Criterion.objects.filter(partnership_id__in=ctx.partnership_ids).values_list(
        "id", "partnership_id"
    ):
        criteria.setdefault(pid, []).append(cid)
    new = Prospect.objects.filter(partnership_id__in=ctx.partnership_ids).order_by("-id")[
        : len(prospects)
    ]
    scores = []
    for prospect_id, pid in new.values_list("id", "partnership_id"):
        if rng.random() > 0.6:
            continue
        people = ctx.people_by_partnership.get(pid) or [ctx.bench_user_id]
        assessors = rng.sample(people, min(len(people), rng.choice((2, 3))))
        for cid in criteria.get(pid, []):
            for uid in assessors:
                scores.append(
                    Score(
                        prospect_id=prospect_id,
                        criterion_id=cid,
                        assessor_id=uid,
                        value=rng.randint(1, 5),
                    )
                )
    Score.objects.bulk_create(scores, batch_size=BATCH)


def bench_pages(ctx: ScaleContext) -> list[tuple[str, str]]:
    slug = ctx.bench_partnership_slug
    directory = reverse("prospects_global:directory")
    return [
        ("prospects: directory search", directory + "?q=organisation+00&sector=civil"),
        ("prospects: directory near a place", directory + "?place=59.91%2C10.75&radius=10"),
        ("prospects: pipeline board", reverse("prospects:board", kwargs={"slug": slug})),
        ("prospects: scorecards", reverse("prospects:scorecards", kwargs={"slug": slug})),
        ("prospects: gaps", reverse("prospects:gaps", kwargs={"slug": slug})),
        (
            "prospects: recommendations",
            reverse("prospects:recommendations", kwargs={"slug": slug}),
        ),
    ]
