"""Demo: the Fjordvik partnership's journey through the method so far.

It prepared, found partners, went back once to look for a textile partner,
agreed and ratified, and is now consolidating (phase 4). Dates lie in the past
relative to ``ctx.today``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from commonground.core.demo import DemoContext

from .content import method
from .models import (
    ChecklistTick,
    DesignElementRecord,
    DesignElementVersion,
    GlossaryTerm,
    MilestoneReview,
    PhaseMove,
    PhaseState,
    ProblemCycle,
    ProfileChoice,
    SpectrumRating,
    StepNote,
    TrustStageEntry,
)


def _at(ctx: DemoContext, days_ago: int, hour: int = 10) -> datetime.datetime:
    day = ctx.days_ago(days_ago)
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, 0))


# (element, [(days ago, author key, status, text, change note)], agreed_by, agreed days ago, revisit days ahead)
ELEMENTS: list[tuple[str, list[tuple[int, str, str, str, str]], str, int | None, int | None]] = [
    (
        "shared_vision",
        [
            (
                240,
                "tor",
                "draft",
                "Fjordvik keeps materials in use: more repair, reuse and sharing in every district.",
                "",
            ),
            (
                215,
                "nora",
                "draft",
                (
                    "Fjordvik keeps building materials, textiles and everyday goods in use: more repair, reuse "
                    "and sharing in every district, and green jobs where they are most needed."
                ),
                "Added textiles and jobs after the stakeholder meeting",
            ),
            (
                190,
                "ingrid",
                "agreed",
                (
                    "**By 2030** Fjordvik keeps building materials, textiles and everyday goods in use.\n\n"
                    "- Three neighbourhood reuse hubs are open and used by residents.\n"
                    "- 2,000 tonnes of building materials are reused every year.\n"
                    "- 60 people have found work in repair and sorting.\n\n"
                    "When a partner's own goals pull another way, we raise it at the network meeting before acting."
                ),
                "Agreed wording with measurable outcomes",
            ),
        ],
        "All eleven member organisations at the network meeting",
        190,
        175,
    ),
    (
        "resources",
        [
            (
                200,
                "tor",
                "draft",
                "City: staff time and procurement. Waste company: stations, trucks. NGOs: volunteers.",
                "",
            ),
            (
                170,
                "tor",
                "agreed",
                (
                    "Each partner lists what it brings in the contributions register and updates it every quarter.\n\n"
                    "- The city funds a 60% coordinator post for three years.\n"
                    "- Fjordvik Renovasjon lends two reuse stations and weekly transport.\n"
                    "- The foundation grants NOK 1.2 million for the first hub.\n\n"
                    "If money falls short we first cut scope, not people's hours."
                ),
                "Made the shortfall rule explicit",
            ),
        ],
        "Steering group",
        170,
        20,
    ),
    (
        "open_environment",
        [
            (
                185,
                "ali",
                "agreed",
                (
                    "Every meeting opens with a round where each organisation speaks once before open discussion. "
                    "Ali (a neutral facilitator from Gjenbruksnettverket) chairs network meetings. Concerns can be "
                    "raised privately with Ali, who brings them up without naming the sender."
                ),
                "",
            ),
        ],
        "Network meeting",
        185,
        180,
    ),
    (
        "fact_base",
        [
            (
                160,
                "lin",
                "draft",
                "We use the waste company's tonnage data and the university's material-flow study.",
                "",
            ),
            (
                120,
                "lin",
                "agreed",
                (
                    "We use the waste company's tonnage data, the university's material-flow study **and** "
                    "residents' own stories from the repair cafés. Numbers say how much; stories say why."
                ),
                "Added residents' stories at Fatima's request",
            ),
        ],
        "Working group on data",
        120,
        240,
    ),
    (
        "indicators",
        [
            (
                110,
                "per",
                "draft",
                (
                    "Tonnes reused, hub visits, people trained. Criteria: relevant to the vision, available each "
                    "quarter, recognisable for residents."
                ),
                "",
            ),
        ],
        "",
        None,
        None,
    ),
    (
        "data_sharing",
        [
            (
                150,
                "anne",
                "draft",
                "Tonnage data shared monthly as a spreadsheet.",
                "",
            ),
            (
                140,
                "anne",
                "draft",
                "Tonnage data shared monthly through the library's data room. Personal data is never shared.",
                "Moved to the data room",
            ),
            (
                130,
                "per",
                "agreed",
                (
                    "Tonnage data is shared monthly through the data room. Personal data is never shared. "
                    "The university is the custodian; when the partnership ends, shared data is returned or deleted "
                    "within 90 days."
                ),
                "Named a custodian and an end rule",
            ),
        ],
        "All partners (written round)",
        130,
        235,
    ),
    (
        "governance",
        [
            (
                175,
                "ingrid",
                "agreed",
                (
                    "A steering group of the decision-makers meets every two months; three working groups (building "
                    "materials, textiles, neighbourhood hubs) meet every two to three weeks and decide within their "
                    "remit. Major spending goes to the steering group. Each organisation has one vote."
                ),
                "",
            ),
        ],
        "Steering group",
        175,
        10,
    ),
    (
        "manager",
        [
            (
                180,
                "ingrid",
                "agreed",
                (
                    "Tor Haugen (city climate agency) coordinates at 60% for three years. He may decide on meeting "
                    "plans, communication and spending up to NOK 50,000; anything larger goes to the steering group."
                ),
                "",
            ),
        ],
        "Steering group",
        180,
        185,
    ),
    (
        "sponsors_champions",
        [
            (
                100,
                "tor",
                "draft",
                (
                    "Deputy mayor Sindre Bakke champions the work politically. We lack a sponsor from the "
                    "construction industry."
                ),
                "",
            ),
        ],
        "",
        None,
        None,
    ),
]

TICK_PEOPLE = ["tor", "ingrid", "nora", "per", "lars", "eva", "ali", "amina"]

NOTES = {
    "prepare.trigger": "Budget rule (30% less household waste by 2030), lost landfill contract, Nordic fund call.",
    "identify.community": "Ali and Nora opened doors to the repair cafés; Fatima brought the Sagene residents.",
    "agree.ratify": "MoU signed by all eleven organisations; exit on three months' written notice.",
    "consolidate.resources": "Coordinator funded; still no permanent space for the second hub.",
}

TRUST = [
    (400, "forming", "Kick-off: high hopes, everyone polite."),
    (300, "storming", "Disagreement on who owns the reuse hubs and on data sharing."),
    (220, "norming", "Governance agreed; working groups found their rhythm."),
    (120, "storming", "Textile partner joined late and questioned the hub model: a fall-back."),
    (60, "norming", "Joint site visit settled the hub model; new partner on board."),
]

PROFILE = {
    "results": ("specific", "Three hubs, 2,000 tonnes, 60 jobs by 2030"),
    "charge": ("thinking_doing", "We test hub models before scaling"),
    "authority": ("formal", "City council decision of last spring"),
    "level": ("systems", "Changing procurement rules, not only running hubs"),
    "time_frame": ("fixed", "2025–2030"),
    "catalyst": ("crisis", "Lost landfill contract plus the waste target"),
    "structure": ("formal", ""),
    "finance": ("public_aligned", "City and waste company budgets aligned, plus one grant"),
    "positioning": ("convener", ""),
    "lifespan": ("institutionalise", "Hubs should become a normal city service"),
}

PROBLEMS: list[dict[str, Any]] = [
    {
        "title": "Volunteers drop out of the repair café after two months",
        "days": 150,
        "observation": "Of 40 volunteers trained in spring, 14 still came in August.",
        "interpretation": "Volunteers feel alone at the stations; shifts are long and unplanned.",
        "solution": "Pair new volunteers with an experienced one; two-hour shifts booked online.",
        "learning": "Retention after three months rose to 70%. Pairing mattered more than shift length.",
    },
    {
        "title": "Reused doors fail the fire-safety check",
        "days": 80,
        "observation": "Three of five pilot sites rejected reused doors.",
        "interpretation": "No documented fire rating for old doors; inspectors cannot approve them.",
        "solution": "University tests a sample batch and issues a test report the builders can attach.",
        "learning": "",
    },
    {
        "title": "Few visitors at the Tøyen hub on weekdays",
        "days": 20,
        "observation": "Weekday visits are a third of weekend visits.",
        "interpretation": "",
        "solution": "",
        "learning": "",
    },
]

# Spectrum ratings: (person, now offset, aim offset) around a base per dimension.
RATERS = ["ingrid", "tor", "amina", "lars", "erik", "maja", "nora", "hanne", "per", "eva", "fatima"]
BASE = {
    "design": (3, 4),
    "exchange": (2, 4),
    "agreement": (2, 3),
    "engagement": (3, 4),
    "ways_of_working": (2, 4),
    "accountability": (3, 5),
    "capacity": (2, 4),
}


def build(ctx: DemoContext) -> None:
    partnership = ctx.partnership
    people = ctx.people
    content = method()
    rng = ctx.rng

    # Lifecycle: phases 1–3 completed (identify twice, after a send-back), now consolidating.
    moves: list[tuple[int, str, str, str, str, str]] = [
        (
            330,
            "complete",
            "prepare",
            "identify",
            "ingrid",
            "Objectives ranked and shared with staff.",
        ),
        (250, "complete", "identify", "agree", "tor", "Ten organisations ready to negotiate."),
        (
            225,
            "send_back",
            "agree",
            "identify",
            "ingrid",
            "No partner can run textile sorting; the textile objective has no owner. Look for one.",
        ),
        (205, "complete", "identify", "agree", "tor", "Kretsløp Tekstil joins."),
        (160, "complete", "agree", "consolidate", "ingrid", "MoU signed by all members."),
    ]
    for days, kind, src, dst, who, reason in moves:
        PhaseMove.objects.create(
            partnership=partnership,
            kind=kind,
            from_phase=src,
            to_phase=dst,
            reason=reason,
            actor=people[who],
            at=_at(ctx, days),
        )
    for code, days, who in (
        ("prepare", 330, "ingrid"),
        ("identify", 205, "tor"),
        ("agree", 160, "ingrid"),
    ):
        PhaseState.objects.create(
            partnership=partnership,
            phase=code,
            completed_at=_at(ctx, days),
            completed_by=people[who],
        )

    # Ticks: nearly everything in phases 1–3, a part of phase 4.
    ticks = []
    for phase_code, start, end, skip in (
        ("prepare", 420, 335, {"prepare.motivation.motivation-brakes"}),
        ("identify", 320, 210, set()),
        ("agree", 200, 165, {"agree.timeline.timeline-set"}),
        ("consolidate", 150, 5, set()),
    ):
        items = content.phase(phase_code).items
        if phase_code == "consolidate":
            items = items[:3]
        for n, item in enumerate(items):
            if item.key in skip:
                continue
            days = start - (start - end) * n // max(len(items) - 1, 1)
            ticks.append(
                ChecklistTick(
                    partnership=partnership,
                    item_key=item.key,
                    phase=phase_code,
                    ticked_by=people[TICK_PEOPLE[n % len(TICK_PEOPLE)]],
                    ticked_at=_at(ctx, days, 9 + n % 8),
                )
            )
    ChecklistTick.objects.bulk_create(ticks)
    for key, text in NOTES.items():
        StepNote.objects.create(
            partnership=partnership,
            step_key=key,
            text=text,
            updated_by=people["tor"],
            updated_at=_at(ctx, 150),
        )

    # Milestone reviews for phases 1 and 2 (the agree review is still due).
    MilestoneReview.objects.create(
        partnership=partnership,
        phase="prepare",
        need_still_there="yes",
        need_comment="The waste target is now law in the city budget.",
        gaps="We know little about textile flows.",
        changes="Bring the university in early for data.",
        reviewed_by=people["ingrid"],
        reviewed_at=_at(ctx, 328),
    )
    MilestoneReview.objects.create(
        partnership=partnership,
        phase="identify",
        need_still_there="yes",
        gaps="Residents were only represented through NGOs until Sagene joined.",
        changes="Keep a seat for residents in every working group; pay honoraria.",
        reviewed_by=people["tor"],
        reviewed_at=_at(ctx, 203),
    )

    # Design elements with history.
    for code, versions, agreed_by, agreed_days, revisit_ahead in ELEMENTS:
        last = versions[-1]
        agreed_on = ctx.days_ago(agreed_days) if agreed_days is not None else None
        revisit_on = ctx.days_ahead(revisit_ahead) if revisit_ahead is not None else None
        record = DesignElementRecord.objects.create(
            partnership=partnership,
            element=code,
            text=last[3],
            status=last[2],
            agreed_by=agreed_by if last[2] == "agreed" else "",
            agreed_on=agreed_on if last[2] == "agreed" else None,
            revisit_on=revisit_on,
            version=len(versions),
            updated_by=people[last[1]],
        )
        for n, (days, who, status, text, note) in enumerate(versions, start=1):
            final = n == len(versions)
            DesignElementVersion.objects.create(
                record=record,
                number=n,
                text=text,
                status=status,
                agreed_by=agreed_by if status == "agreed" else "",
                agreed_on=agreed_on if status == "agreed" else None,
                revisit_on=revisit_on if final else None,
                change_note=note,
                author=people[who],
                created_at=_at(ctx, days, 14),
            )

    # Structure profile.
    for code, (choice, note) in PROFILE.items():
        ProfileChoice.objects.create(
            partnership=partnership,
            dimension=code,
            choice=choice,
            note=note,
            updated_by=people["tor"],
            updated_at=_at(ctx, 140),
        )

    # Trust-stage history with a fall-back.
    for days, stage, note in TRUST:
        TrustStageEntry.objects.create(
            partnership=partnership,
            stage=stage,
            on=ctx.days_ago(days),
            note=note,
            recorded_by=people["ali"],
            recorded_at=_at(ctx, days),
        )

    # Problem-solving log.
    for p in PROBLEMS:
        ProblemCycle.objects.create(
            partnership=partnership,
            title=p["title"],
            observation=p["observation"],
            interpretation=p["interpretation"],
            solution=p["solution"],
            learning=p["learning"],
            started_on=ctx.days_ago(int(p["days"])),
            recorded_by=people["tor"],
        )

    # Relationship spectrum: eleven people rate all seven dimensions.
    ratings: list[Any] = []
    for who in RATERS:
        for code, (now, aim) in BASE.items():
            ratings.append(
                SpectrumRating(
                    partnership=partnership,
                    user=people[who],
                    dimension=code,
                    now=min(5, max(1, now + rng.choice((-1, 0, 0, 1)))),
                    aim=min(5, max(1, aim + rng.choice((-1, 0, 0, 1)))),
                    rated_at=_at(ctx, 30 + rng.randint(0, 10)),
                )
            )
    SpectrumRating.objects.bulk_create(ratings)

    # Glossary: the defaults plus one term of their own.
    GlossaryTerm.objects.bulk_create(
        [
            GlossaryTerm(
                partnership=partnership,
                preferred=d.preferred.en,
                avoid=d.avoid.en,
                definition=d.definition.en,
                updated_by=people["tor"],
            )
            for d in content.glossary
        ]
        + [
            GlossaryTerm(
                partnership=partnership,
                preferred="reuse hub",
                avoid="recycling centre",
                definition="A neighbourhood place where goods and materials are repaired, shared or passed on, "
                "before anything is recycled.",
                updated_by=people["nora"],
            )
        ]
    )
    ctx.log.append("method: phases 1–3 done, 9 design elements, spectrum from 11 people")
