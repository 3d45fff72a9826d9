"""Demo: four partnership meetings (three with approved minutes), one coming up."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from commonground.core.demo import DemoContext

from . import services
from .models import AttendanceStatus, MeetingMode, MotionResult


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


# (days ago, title, mode, place, present, planned absences, [item: notes, motions, tasks])
MEETINGS: list[dict[str, Any]] = [
    {
        "days_ago": 84,
        "title": "Partnership meeting: spring kick-off",
        "mode": MeetingMode.IN_PERSON,
        "place": "Fjordvik rådhus, meeting room 3",
        "present": [
            "ingrid",
            "tor",
            "lars",
            "erik",
            "amina",
            "per",
            "eva",
            "henrik",
            "hanne",
            "fatima",
            "maja",
            "oskar",
            "ali",
            "sindre",
            "nora",
        ],
        "planned": ["grete"],
        "items": [
            {
                "title": "Location of the first reuse hub",
                "type": "decision",
                "notes": "Three sites compared: Haraldrud station, the old bus depot in Lodalen and the library "
                "basement. Haraldrud has the space and the trucks; Lodalen is closer to the neighbourhoods.",
                "motions": [
                    (
                        "Open the first reuse hub at Haraldrud reuse station.",
                        "lars",
                        "ingrid",
                        MotionResult.MAJORITY,
                        11,
                        2,
                        2,
                    ),
                ],
                "tasks": [
                    ("Draft the lease terms for the Haraldrud hall", "lars", 40),
                    ("Ask the fire authority about storing reused timber", "erik", 25),
                ],
            },
            {
                "title": "Communication plan for the first year",
                "type": "discussion",
                "notes": "Agreed to speak with one voice: the library leads on events, the city on press.",
                "motions": [],
                "tasks": [("Write the one-page story of the partnership", "eva", 30)],
            },
        ],
    },
    {
        "days_ago": 56,
        "title": "Partnership meeting: funding and data",
        "mode": MeetingMode.HYBRID,
        "place": "Deichman Tøyen, the workshop room",
        "present": [
            "ingrid",
            "tor",
            "lars",
            "erik",
            "amina",
            "per",
            "eva",
            "henrik",
            "fatima",
            "maja",
            "oskar",
            "ali",
            "nora",
        ],
        "planned": ["hanne", "grete"],
        "unplanned": ["sindre"],
        "items": [
            {
                "title": "Joint application to the Nordic circular fund",
                "type": "decision",
                "notes": "The foundation offers to match 20%. The university will write the evaluation part.",
                "motions": [
                    (
                        "Submit a joint application led by the city, with the university as research partner.",
                        "tor",
                        "per",
                        MotionResult.UNANIMOUS,
                        13,
                        0,
                        0,
                    ),
                ],
                "tasks": [
                    ("Collect letters of support from every partner", "tor", -5),
                    ("Write the evaluation chapter of the application", "per", -12),
                ],
            },
            {
                "title": "Sharing waste-flow data",
                "type": "decision",
                "notes": "Concern about personal data in collection routes; only aggregated data will be shared.",
                "motions": [
                    (
                        "Publish collection data per district as open data every month.",
                        "amina",
                        "lars",
                        MotionResult.NOT_ADOPTED,
                        4,
                        7,
                        2,
                    ),
                    (
                        "Share aggregated waste-flow data with partners each quarter under the data annex.",
                        "lars",
                        "per",
                        MotionResult.MAJORITY,
                        10,
                        1,
                        2,
                    ),
                ],
                "tasks": [("Prepare the first quarterly data extract", "lars", 10)],
            },
        ],
    },
    {
        "days_ago": 28,
        "title": "Partnership meeting: hub opening",
        "mode": MeetingMode.IN_PERSON,
        "place": "Haraldrud reuse station",
        "present": [
            "ingrid",
            "tor",
            "lars",
            "erik",
            "per",
            "eva",
            "henrik",
            "fatima",
            "oskar",
            "ali",
            "maja",
        ],
        "planned": ["amina", "grete"],
        "unplanned": ["hanne", "nora"],
        "items": [
            {
                "title": "Opening day programme",
                "type": "decision",
                "notes": "Repair café, a timber sale and a guided tour for the neighbourhood schools.",
                "motions": [
                    (
                        "Hold the opening on a Saturday with a repair café and a timber sale.",
                        "ali",
                        "fatima",
                        MotionResult.UNANIMOUS,
                        11,
                        0,
                        0,
                    ),
                ],
                "tasks": [
                    ("Book volunteers for the repair café", "ali", 3),
                    ("Invite the neighbourhood schools", "fatima", 6),
                    ("Order signage for the hub", "lars", -2),
                ],
            },
        ],
    },
    {
        "days_ago": 3,
        "title": "Partnership meeting: first results",
        "mode": MeetingMode.ONLINE,
        "place": "",
        "online_url": "https://meet.example/fjordvik-partnership",
        "present": ["ingrid", "tor", "lars", "erik", "per", "eva", "oskar", "ali", "henrik"],
        "planned": ["amina", "maja", "grete"],
        "unplanned": ["fatima", "hanne", "nora"],
        "items": [
            {
                "title": "Tonnes reused in the first month",
                "type": "information",
                "notes": "41 tonnes of timber, doors and windows passed through the hub; textiles are slower.",
                "motions": [],
                "tasks": [("Set up a textile drop-off at the library", "eva", 14)],
            },
        ],
    },
]


def build(ctx: DemoContext) -> None:
    partnership = ctx.partnership
    people = ctx.people
    chair = people["ingrid"]
    clerk = people["oskar"]
    services.settings_set(
        actor=people["tor"], partnership=partnership, quorum_fraction=Decimal("0.50")
    )
    made = []
    for spec in MEETINGS:
        day = ctx.days_ago(spec["days_ago"])
        meeting = services.meeting_create(
            actor=people["tor"],
            partnership=partnership,
            title=spec["title"],
            mode=spec["mode"],
            starts_at=_at(day, 17),
            ends_at=_at(day, 19),
            place=spec["place"],
            online_url=spec.get("online_url", "https://meet.example/fjordvik-partnership")
            if spec["mode"] != MeetingMode.IN_PERSON
            else "",
            chair=chair,
        )
        substantive = []
        for item_spec in spec["items"]:
            substantive.append(
                (
                    services.item_add(
                        actor=people["tor"],
                        meeting=meeting,
                        title=item_spec["title"],
                        item_type=item_spec["type"],
                    ),
                    item_spec,
                )
            )
        marks = {people[k]: AttendanceStatus.PRESENT for k in spec["present"]}
        marks.update({people[k]: AttendanceStatus.PLANNED_ABSENCE for k in spec.get("planned", [])})
        marks.update(
            {people[k]: AttendanceStatus.UNPLANNED_ABSENCE for k in spec.get("unplanned", [])}
        )
        services.attendance_set(actor=clerk, meeting=meeting, marks=marks)
        for item, item_spec in substantive:
            services.item_notes_set(actor=clerk, item=item, notes=item_spec["notes"])
            for text, prop, sec, result, n_for, n_against, n_abstain in item_spec["motions"]:
                services.motion_record(
                    actor=clerk,
                    item=item,
                    text=text,
                    proposed_by=people[prop],
                    seconded_by=people[sec],
                    result=result,
                    votes_for=n_for,
                    votes_against=n_against,
                    abstentions=n_abstain,
                )
            for title, owner, due_in in item_spec["tasks"]:
                services.task_record(
                    actor=clerk,
                    item=item,
                    title=title,
                    owner=people[owner],
                    due_on=ctx.days_ahead(due_in) if due_in >= 0 else ctx.days_ago(-due_in),
                )
        for key, usefulness, run, comment in (
            ("per", 4, 4, "Good preparation; the papers came in time."),
            ("fatima", 3, 2, "Too long. Could we start with the decisions?"),
            ("eva", 5, 4, ""),
        ):
            if marks.get(people[key]) == AttendanceStatus.PRESENT:
                services.assessment_submit(
                    actor=people[key],
                    meeting=meeting,
                    usefulness=usefulness,
                    run=run,
                    comment=comment,
                )
        made.append(meeting)
    # Minutes: each meeting's minutes are approved at the next one; the latest stays circulated.
    for i, meeting in enumerate(made):
        services.minutes_circulate(actor=clerk, meeting=meeting)
        if i + 1 < len(made):
            services.minutes_approve(actor=clerk, meeting=meeting, at_meeting=made[i + 1])

    # Coming up: the next partnership meeting, with an item proposed by a member.
    day = ctx.days_ahead(24)
    upcoming = services.meeting_create(
        actor=people["tor"],
        partnership=partnership,
        title="Partnership meeting: second hub and the budget",
        mode=MeetingMode.HYBRID,
        starts_at=_at(day, 17),
        ends_at=_at(day, 19),
        place="Fjordvik rådhus, meeting room 3",
        online_url="https://meet.example/fjordvik-partnership",
        chair=chair,
    )
    services.item_add(
        actor=people["tor"],
        meeting=upcoming,
        title="Where should the second reuse hub be?",
        item_type="decision",
        description="Lodalen depot or Tøyen: the working group brings a comparison.",
    )
    services.item_propose(
        actor=people["fatima"],
        meeting=upcoming,
        title="Opening hours that suit working residents",
        item_type="discussion",
        description="Many residents cannot come before 17:00 on weekdays.",
    )
    for wg in partnership.working_groups.all()[:1]:
        day = ctx.days_ahead(10)
        services.meeting_create(
            actor=people["tor"],
            partnership=partnership,
            working_group=wg,
            title=f"{wg.name}: monthly meeting",
            mode=MeetingMode.ONLINE,
            starts_at=_at(day, 9),
            ends_at=_at(day, 10),
            online_url="https://meet.example/fjordvik-group",
            chair=wg.lead,
        )
    ctx.extra["meetings"] = made
