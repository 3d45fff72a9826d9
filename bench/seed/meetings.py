"""Scale data for meetings: 2,000 meetings at F=1 with agenda items, attendance, minutes and motions.

A tenth are in the bench partnership; its first scale meeting has a long agenda
and everybody's attendance (the benchmarked minutes page).
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from bench.seed import ScaleContext
from commonground.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    ItemType,
    Meeting,
    MinutesStatus,
    Motion,
    MotionResult,
)

BATCH = 2000
BIG_TITLE = "Scale meeting with full minutes"
ATTENDANCE = AttendanceStatus.values
ITEM_TYPES = ItemType.values


def seed(ctx: ScaleContext) -> None:
    rng = ctx.rng
    start = Meeting.objects.filter(title__startswith="Scale meeting ").count()
    base = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    meetings, plans = [], []
    for i in range(ctx.n(2_000)):
        big = i == 0
        pid = (
            ctx.bench_partnership_id
            if i % 10 == 0
            else (ctx.partnership_ids[i % len(ctx.partnership_ids)])
        )
        people = ctx.people_by_partnership.get(pid) or [ctx.bench_user_id]
        starts = base + datetime.timedelta(days=rng.randint(-700, 60))
        past = starts < base
        meetings.append(
            Meeting(
                partnership_id=pid,
                title=BIG_TITLE if big else f"Scale meeting {start + i:05d}",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                place="Town hall",
                chair_id=people[0],
                minutes_status=MinutesStatus.APPROVED if past else MinutesStatus.DRAFT,
            )
        )
        n_items = 20 if big else rng.randint(3, 7)
        attendees = people if big else rng.sample(people, min(len(people), 12))
        plans.append((n_items, attendees, past))
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)

    items, attendance = [], []
    for meeting, (n_items, attendees, past) in zip(meetings, plans, strict=True):
        for k in range(n_items):
            items.append(
                AgendaItem(
                    meeting_id=meeting.pk,
                    position=k,
                    title=f"Item {k + 1}",
                    item_type=ITEM_TYPES[k % len(ITEM_TYPES)],
                    description="Synthetic agenda item.",
                    proposed_by_id=attendees[k % len(attendees)] if attendees else None,
                    notes="Discussed; see motion." if past else "",
                )
            )
        attendance += [
            Attendance(
                meeting_id=meeting.pk,
                user_id=uid,
                status=ATTENDANCE[(uid + meeting.pk) % len(ATTENDANCE)] if past else "present",
            )
            for uid in attendees
        ]
    AgendaItem.objects.bulk_create(items, batch_size=BATCH)
    Attendance.objects.bulk_create(attendance, batch_size=BATCH)
    motions = []
    for item in items:
        if item.item_type != ItemType.DECISION or not item.notes:
            continue
        meeting_people = plans[0][1]
        proposer = item.proposed_by_id
        seconder = next((u for u in meeting_people if u != proposer), None)
        motions.append(
            Motion(
                item_id=item.pk,
                text=f"That the partnership adopts {item.title.lower()}.",
                proposed_by_id=proposer,
                seconded_by_id=seconder,
                result=MotionResult.MAJORITY,
                votes_for=7,
                votes_against=2,
                abstentions=1,
            )
        )
    Motion.objects.bulk_create(motions, batch_size=BATCH)
    ctx.extra["big_meeting_id"] = meetings[0].pk


def load(ctx: ScaleContext) -> None:
    ctx.extra["big_meeting_id"] = (
        Meeting.objects.filter(partnership_id=ctx.bench_partnership_id, title=BIG_TITLE)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )


def bench_pages(ctx: ScaleContext) -> list[tuple[str, str]]:
    slug = ctx.bench_partnership_slug
    return [
        (
            "meeting minutes",
            reverse("meetings:detail", kwargs={"slug": slug, "pk": ctx.extra["big_meeting_id"]}),
        ),
        ("meetings", reverse("meetings:list", kwargs={"slug": slug})),
    ]
