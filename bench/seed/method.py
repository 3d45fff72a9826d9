"""Scale data for the method: progress and design elements for every scale partnership.

Scale partnerships are in the consolidate phase: earlier phases are completed,
their checklists ticked and step notes written; every design element has an
agreed answer with two versions; a problem-solving cycle or two; spectrum ratings
from a few people. Partnerships that already have records are left alone, so
seeding twice adds only the new partnerships.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from bench.seed import ScaleContext
from commonground.method.content import method
from commonground.method.models import (
    ChecklistTick,
    DesignElementRecord,
    DesignElementVersion,
    ElementStatus,
    PhaseState,
    ProblemCycle,
    SpectrumRating,
    StepNote,
)

BATCH = 2000
CURRENT = "consolidate"


def seed(ctx: ScaleContext) -> None:
    rng = ctx.rng
    content = method()
    done_before = set(
        DesignElementRecord.objects.filter(partnership_id__in=ctx.partnership_ids).values_list(
            "partnership_id", flat=True
        )
    )
    todo = [pid for pid in ctx.partnership_ids if pid not in done_before]
    now = timezone.now()
    codes = [p.code for p in content.phases]
    earlier = codes[: codes.index(CURRENT)] if CURRENT in codes else codes[:1]
    ticks, notes, states, records, cycles, ratings = [], [], [], [], [], []
    for pid in todo:
        people = ctx.people_by_partnership.get(pid) or [ctx.bench_user_id]
        for phase in content.phases:
            completed = phase.code in earlier
            if completed:
                states.append(PhaseState(partnership_id=pid, phase=phase.code, completed_at=now))
            for step in phase.steps:
                if completed or rng.random() < 0.3:
                    notes.append(
                        StepNote(
                            partnership_id=pid,
                            step_key=step.key,
                            text="Synthetic notes on this step.",
                            updated_by_id=people[0],
                            updated_at=now,
                        )
                    )
                for item in step.checklist:
                    if completed or rng.random() < 0.4:
                        ticks.append(
                            ChecklistTick(
                                partnership_id=pid,
                                item_key=item.key,
                                phase=phase.code,
                                ticked_by_id=people[rng.randrange(len(people))],
                                ticked_at=now,
                            )
                        )
        for element in content.elements:
            records.append(
                DesignElementRecord(
                    partnership_id=pid,
                    element=element.code,
                    text=f"Our agreed answer on {element.code}, second version.",
                    status=ElementStatus.AGREED,
                    agreed_by="Steering group",
                    agreed_on=datetime.date(2026, 6, 1),
                    version=2,
                    updated_by_id=people[0],
                )
            )
        for k in range(2):
            cycles.append(
                ProblemCycle(
                    partnership_id=pid,
                    title=f"Scale problem cycle {k + 1}",
                    observation="Meetings run over time.",
                    started_on=datetime.date(2026, 3, 1),
                    recorded_by_id=people[0],
                )
            )
        for uid in people[:5]:
            for dim in content.spectrum:
                ratings.append(
                    SpectrumRating(
                        partnership_id=pid,
                        user_id=uid,
                        dimension=dim.code,
                        now=rng.randint(1, 5),
                        aim=rng.randint(1, 5),
                        rated_at=now,
                    )
                )
    PhaseState.objects.bulk_create(states, batch_size=BATCH)
    StepNote.objects.bulk_create(notes, batch_size=BATCH)
    ChecklistTick.objects.bulk_create(ticks, batch_size=BATCH)
    DesignElementRecord.objects.bulk_create(records, batch_size=BATCH)
    ProblemCycle.objects.bulk_create(cycles, batch_size=BATCH)
    SpectrumRating.objects.bulk_create(ratings, batch_size=BATCH)
    versions = [
        DesignElementVersion(
            record_id=r.pk,
            number=number,
            text=f"Our agreed answer on {r.element}, version {number}.",
            status=ElementStatus.DRAFT if number == 1 else ElementStatus.AGREED,
            change_note="" if number == 1 else "Agreed at the steering group.",
            author_id=r.updated_by_id,
            created_at=now,
        )
        for r in records
        for number in (1, 2)
    ]
    DesignElementVersion.objects.bulk_create(versions, batch_size=BATCH)


def bench_pages(ctx: ScaleContext) -> list[tuple[str, str]]:
    slug = ctx.bench_partnership_slug
    return [
        ("method lifecycle", reverse("method:lifecycle", kwargs={"slug": slug})),
        ("design elements", reverse("method:elements", kwargs={"slug": slug})),
    ]
