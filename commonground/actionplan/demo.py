"""Demo: about forty actions in every status, owned by the demo people."""

from __future__ import annotations

import datetime

from commonground.core.demo import DemoContext

from . import services
from .models import Action, ActionStatus

# (title, owner, priority, start offset, due offset (days from today), status, enablers)
ACTIONS = [
    (
        "Map empty municipal buildings suitable for reuse hubs",
        "ragnhild",
        2,
        -60,
        -10,
        "in_progress",
        "Property register access",
    ),
    (
        "Agree a standard reuse clause for city tenders",
        "ragnhild",
        1,
        -45,
        20,
        "in_progress",
        "Legal advice from the city attorney",
    ),
    (
        "Train six hub staff in timber grading",
        "erik",
        2,
        -30,
        15,
        "in_progress",
        "Trainer from the university lab",
    ),
    (
        "Test load-bearing capacity of reclaimed beams",
        "lin",
        1,
        -50,
        -3,
        "blocked",
        "Lab time; samples from two demolition sites",
    ),
    ("Publish the hub opening hours online", "nora", 4, -5, 2, "not_started", ""),
    (
        "Recruit ten repair volunteers",
        "ali",
        2,
        -20,
        5,
        "in_progress",
        "Volunteer coordinator hours",
    ),
    ("Set up the hub's stock register", "kari", 2, -40, -15, "done", "Spreadsheet template"),
    ("Write the data-sharing annex", "anne", 1, -70, -30, "done", "Legal review"),
    (
        "Design the textile collection bins",
        "maja",
        3,
        -25,
        30,
        "not_started",
        "Budget for prototypes",
    ),
    (
        "Run a pop-up repair café at the library",
        "eva",
        3,
        -15,
        -1,
        "in_progress",
        "Room booking; tools",
    ),
    ("Measure textile share in residual waste", "anne", 2, -90, -20, "done", "Pick analysis crew"),
    ("Prepare a press kit for the opening", "nora", 3, -10, 4, "in_progress", ""),
    ("Agree insurance for volunteers", "jonas", 2, -35, -8, "blocked", "Quote from the insurer"),
    (
        "Draft the second-year budget",
        "tor",
        1,
        -5,
        35,
        "not_started",
        "Partner contributions confirmed",
    ),
    (
        "Collect resident ideas for the second hub",
        "fatima",
        3,
        -12,
        18,
        "in_progress",
        "Translation into three languages",
    ),
    ("Install a cargo-bike pickup service", "kari", 4, 0, 60, "not_started", "Two cargo bikes"),
    (
        "Evaluate the pilot with the building firms",
        "per",
        2,
        -20,
        40,
        "not_started",
        "Interview time with site managers",
    ),
    ("Move the sorting line to the new hall", "thomas", 3, -40, -25, "dropped", ""),
    (
        "List reusable doors from the school renovation",
        "sofie",
        3,
        -30,
        -5,
        "done",
        "Access to the site",
    ),
    (
        "Open a second-hand building materials webshop",
        "lars",
        4,
        -60,
        90,
        "blocked",
        "Platform supplier; payment solution",
    ),
    ("Survey partners on meeting times", "oskar", 5, -10, 6, "not_started", ""),
    (
        "Write the first annual report",
        "ingrid",
        2,
        -5,
        50,
        "not_started",
        "Results data from all partners",
    ),
    ("Write a reuse guide for housing cooperatives", "hanne", 3, -30, 25, "in_progress", ""),
    (
        "Connect the hub to the city's job programme",
        "amina",
        2,
        -45,
        12,
        "in_progress",
        "Agreement with NAV office",
    ),
    ("Hold a workshop on public procurement of reused goods", "ragnhild", 3, -80, -40, "done", ""),
    ("Test a deposit scheme for tool loans", "eva", 4, -50, -30, "dropped", ""),
    ("Set up monthly tonnage reporting", "anne", 2, -20, -2, "in_progress", "Scale at the gate"),
    ("Find funding for a textile sorting apprentice", "grete", 3, -15, 28, "not_started", ""),
    (
        "Translate the hub leaflet into Somali and Arabic",
        "fatima",
        4,
        -7,
        9,
        "not_started",
        "Translator fee",
    ),
    (
        "Review fire safety of the timber storage",
        "erik",
        1,
        -14,
        1,
        "in_progress",
        "Fire authority visit",
    ),
    (
        "Share the partnership story at the Nordic network meeting",
        "mette",
        5,
        -3,
        45,
        "not_started",
        "",
    ),
    (
        "Check permits for a second hub in Lodalen",
        "sindre",
        2,
        -25,
        -6,
        "not_started",
        "Zoning plan",
    ),
    ("Hand over the pilot results to the steering group", "henrik", 3, -60, -35, "done", ""),
    ("Plan the autumn clothes swap", "maja", 4, -5, 40, "not_started", "Volunteers; venue"),
]


def build(ctx: DemoContext) -> None:
    people = ctx.people
    partnership = ctx.partnership
    groups = list(partnership.working_groups.all())
    decisions = list(partnership.decisions.order_by("decided_on"))
    for i, (title, owner, priority, start, due, status, enablers) in enumerate(ACTIONS):
        services.action_create(
            actor=people["tor"],
            partnership=partnership,
            title=title,
            owner=people[owner],
            priority=priority,
            start_on=ctx.today + datetime.timedelta(days=start),
            due_on=ctx.today + datetime.timedelta(days=due),
            status=status,
            enablers=enablers,
            working_group=groups[i % len(groups)] if groups and i % 3 == 0 else None,
            decision=decisions[i % len(decisions)] if decisions and i % 5 == 0 else None,
            agreement_deliverable="Deliverable 2.1: hub operations manual" if i % 7 == 0 else "",
        )
    # Meeting tasks already exist; move some of them along so every status shows.
    tasks = list(
        Action.objects.filter(partnership=partnership, meeting__isnull=False).order_by("id")
    )
    for action, status in zip(
        tasks,
        [
            ActionStatus.DONE,
            ActionStatus.DONE,
            ActionStatus.IN_PROGRESS,
            ActionStatus.DONE,
            ActionStatus.BLOCKED,
        ],
        strict=False,
    ):
        services.action_set_status(
            actor=action.owner or people["tor"], action=action, status=status
        )
