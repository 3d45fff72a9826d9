"""Demo: two working groups, delegated decision domains, proposals of every
method (open and closed, one blocked by an objection) and register entries."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from commonground.core.demo import DemoContext

from . import services
from .models import Decision, Proposal

GROUPS = [
    (
        "Building materials",
        "erik",
        ["erik", "sofie", "thomas", "lars", "kari", "lin", "ragnhild", "per"],
        (
            "Reclaimed doors, windows, steel and timber: collection from demolition sites, "
            "testing, storage and resale. Decides day-to-day logistics and purchases within its "
            "budget; reports back to the whole partnership every quarter."
        ),
    ),
    (
        "Textiles & repair",
        "nora",
        ["nora", "maja", "jonas", "ali", "hanne", "fatima", "olav", "eva"],
        (
            "Repair cafés, the textile sorting hub and the tool library: volunteers, opening "
            "hours, workshop programmes and small purchases for the repair hubs."
        ),
    ),
]


def _open(ctx: DemoContext, actor_key: str, **kwargs: Any) -> Proposal:
    kwargs.setdefault("closes_at", timezone.now() + datetime.timedelta(days=5))
    return services.proposal_create(
        actor=ctx.people[actor_key], partnership=ctx.partnership, **kwargs
    )


def _votes(ctx: DemoContext, proposal: Proposal, ballots: list[tuple[str, str, Any, str]]) -> None:
    options = [o.pk for o in proposal.options.all()]
    for person, position, choices, reason in ballots:
        if isinstance(choices, list):
            choices = [options[i] for i in choices]
        elif isinstance(choices, dict):
            choices = {str(options[i]): v for i, v in choices.items()}
        services.vote_cast(
            actor=ctx.people[person],
            proposal=proposal,
            position=position,
            choices=choices,
            reason=reason,
        )


def _close_in_past(
    ctx: DemoContext, proposal: Proposal, days_ago: int, statement: str, by: str
) -> None:
    when = timezone.now() - datetime.timedelta(days=days_ago)
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=when)
    proposal.refresh_from_db()
    closed = services.proposal_close(actor=None, proposal=proposal)
    Proposal.objects.filter(pk=closed.pk).update(
        closed_at=when, created_at=when - datetime.timedelta(days=7)
    )
    Decision.objects.filter(proposal=closed).update(decided_on=timezone.localdate(when))
    closed.refresh_from_db()
    services.proposal_record_outcome(actor=ctx.people[by], proposal=closed, statement=statement)


def build(ctx: DemoContext) -> None:
    p, people = ctx.partnership, ctx.people
    tor = people["tor"]
    services.governance_update(
        actor=tor,
        partnership=p,
        major_spending_threshold=Decimal("100000"),
        currency="NOK",
        eligibility="person",
        default_quorum_percent=40,
        closing_soon_hours=24,
    )
    groups = {}
    for name, lead, members, remit in GROUPS:
        group = services.working_group_save(
            actor=tor, partnership=p, name=name, remit=remit, lead=people[lead], is_active=True
        )
        for key in members:
            if key != lead:
                services.working_group_member_add(actor=tor, group=group, user=people[key])
        groups[name] = group
    building, textiles = groups["Building materials"], groups["Textiles & repair"]
    ctx.extra["working_groups"] = groups

    domains = {}
    for name, kind, owner, person, limit, description in [
        (
            "Purchases of reclaimed materials",
            "procurement",
            building,
            None,
            "50000",
            "Buying tested reclaimed materials and storage for them.",
        ),
        (
            "Repair-hub running costs",
            "spending",
            textiles,
            None,
            "25000",
            "Tools, spare parts and small equipment for the repair cafés.",
        ),
        (
            "Repair café communications",
            "communications",
            textiles,
            None,
            None,
            "Posters, social media and neighbourhood newsletters about the repair cafés.",
        ),
        (
            "Material-flow data formats",
            "data",
            None,
            people["anne"],
            None,
            "How waste and reuse data are recorded and shared between partners.",
        ),
        (
            "Partnership policy",
            "policy",
            None,
            None,
            None,
            "The compact, membership, data-sharing rules: always the whole partnership.",
        ),
    ]:
        domains[kind] = services.domain_save(
            actor=tor,
            partnership=p,
            name=name,
            kind=kind,
            description=description,
            working_group=owner,
            person=person,
            spending_limit=Decimal(limit) if limit else None,
        )

    everyone = [
        "ingrid",
        "tor",
        "amina",
        "lars",
        "erik",
        "maja",
        "jonas",
        "nora",
        "hanne",
        "per",
        "eva",
        "henrik",
        "fatima",
        "ali",
    ]

    # 1. Blocked by an objection (consent, whole partnership).
    prop = _open(
        ctx,
        "tor",
        title="Adopt the shared data-sharing protocol (version 1)",
        details="The protocol sets out which material-flow and visitor data partners share, "
        "where it is stored and who may use it.",
        method="consent",
        domain=domains["policy"],
        is_policy=True,
        quorum_percent=30,
    )
    _votes(
        ctx,
        prop,
        [
            ("tor", "agree", None, ""),
            ("ingrid", "agree", None, ""),
            ("lars", "agree", None, "Our stations can deliver the data monthly."),
            ("per", "agree", None, ""),
            ("eva", "abstain", None, "The library has no data to share yet."),
            ("erik", "agree", None, ""),
            (
                "fatima",
                "object",
                None,
                (
                    "Visitor data from resident-run hubs cannot be shared without the "
                    "residents' consent; the protocol does not ask for it."
                ),
            ),
            ("nora", "agree", None, ""),
            ("amina", "agree", None, ""),
        ],
    )
    _close_in_past(
        ctx,
        prop,
        40,
        "Blocked by the residents' objection. Tor and Fatima will add a consent step for "
        "visitor data and bring version 2 back to the partnership.",
        "tor",
    )

    # 2. Consent inside a working group, adopted.
    prop = _open(
        ctx,
        "erik",
        title="Buy a second-hand container for door storage (NOK 18,000)",
        method="consent",
        working_group=building,
        domain=domains["procurement"],
        spending_amount=Decimal("18000"),
    )
    _votes(
        ctx,
        prop,
        [
            ("erik", "agree", None, ""),
            ("sofie", "agree", None, "We lose doors to rain every week."),
            ("thomas", "agree", None, ""),
            ("lars", "abstain", None, ""),
            ("kari", "agree", None, ""),
        ],
    )
    _close_in_past(
        ctx,
        prop,
        30,
        "Adopted. Sofie orders the container from Haraldrud this month.",
        "erik",
    )

    # 3. Simple majority, adopted.
    prop = _open(
        ctx,
        "ingrid",
        title="Join the Nordic Circular Cities Network as an associate partner",
        method="majority",
    )
    _votes(
        ctx,
        prop,
        [(k, "yes", None, "") for k in everyone[:9]]
        + [("henrik", "no", None, "Membership fees should come from the city, not the pot.")]
        + [("hanne", "abstain", None, "")],
    )
    _close_in_past(ctx, prop, 25, "Adopted: Ingrid signs the associate agreement.", "ingrid")

    # 4. Two-thirds majority, adopted (policy: whole partnership).
    prop = _open(
        ctx,
        "nora",
        title="Admit resident groups as full partners with a vote",
        method="two_thirds",
        is_policy=True,
        details="Changes the compact so resident groups hold the same rights as organisations.",
    )
    _votes(
        ctx,
        prop,
        [(k, "yes", None, "") for k in ["nora", "fatima", "hanne", "ali", "eva", "tor", "ingrid"]]
        + [(k, "no", None, "") for k in ["lars", "erik"]]
        + [("per", "yes", None, "Lived experience is part of the fact base.")],
    )
    _close_in_past(
        ctx, prop, 20, "Adopted with 8 of 10. The compact is amended in version 3.", "nora"
    )

    # 5. Ranked choice with elimination rounds.
    prop = _open(
        ctx,
        "tor",
        title="Where should the first neighbourhood reuse hub open?",
        method="ranked",
        options=["Tøyen", "Haraldrud", "Sagene", "Bjørvika"],
    )
    _votes(
        ctx,
        prop,
        [
            ("tor", "", [0, 2, 1], ""),
            ("ingrid", "", [0, 1], ""),
            ("hanne", "", [0, 2], "The centre already has a tool library."),
            ("lars", "", [1, 0], ""),
            ("erik", "", [1, 3, 0], ""),
            ("fatima", "", [2, 0], ""),
            ("nora", "", [2, 0, 1], ""),
            ("eva", "", [3, 0], ""),
            ("per", "", [3, 1], ""),
            ("maja", "", [2, 1], ""),
        ],
    )
    _close_in_past(
        ctx,
        prop,
        15,
        "Tøyen wins after three rounds. Hanne and Tor start the lease talks.",
        "tor",
    )

    # 6. Score vote in a working group.
    prop = _open(
        ctx,
        "nora",
        title="Which repair-café format should we pilot this spring?",
        method="score",
        working_group=textiles,
        options=["Weekly evening café", "Monthly Saturday market", "Pop-up at the library"],
        max_score=5,
    )
    _votes(
        ctx,
        prop,
        [
            ("nora", "", {0: 4, 1: 5, 2: 3}, ""),
            ("maja", "", {0: 2, 1: 5, 2: 4}, ""),
            ("ali", "", {0: 5, 1: 3, 2: 2}, "Evenings reach people who work."),
            ("hanne", "", {0: 3, 1: 4, 2: 5}, ""),
            ("olav", "", {0: 1, 1: 5, 2: 2}, ""),
        ],
    )
    _close_in_past(ctx, prop, 12, "The monthly Saturday market starts in March at Tøyen.", "nora")

    # 7. Time poll, closed.
    prop = _open(
        ctx,
        "erik",
        title="Site visit at the Lodalen yard",
        method="time_poll",
        working_group=building,
        options=["Tue 10 March, 09:00", "Wed 11 March, 13:00", "Fri 13 March, 09:00"],
    )
    _votes(
        ctx,
        prop,
        [
            ("erik", "", {0: "yes", 1: "yes", 2: "no"}, ""),
            ("sofie", "", {0: "yes", 1: "maybe", 2: "yes"}, ""),
            ("thomas", "", {0: "no", 1: "yes", 2: "yes"}, ""),
            ("lin", "", {0: "yes", 1: "yes", 2: "maybe"}, ""),
        ],
    )
    _close_in_past(ctx, prop, 10, "Wednesday 11 March at 13:00, meet at the gate.", "erik")

    # Open proposals.
    prop = _open(
        ctx,
        "lars",
        title="Publish anonymised waste-flow data as open data",
        method="consensus",
        details="Monthly tonnage per fraction and station, no addresses.",
        closes_at=timezone.now() + datetime.timedelta(hours=20),
    )
    _votes(
        ctx,
        prop,
        [
            ("lars", "agree", None, ""),
            ("per", "agree", None, "Researchers have asked for this for years."),
            ("amina", "agree", None, ""),
            ("henrik", "disagree", None, "Check with the data protection officer first."),
            ("eva", "abstain", None, ""),
        ],
    )
    prop = _open(
        ctx,
        "maja",
        title="Which items should the spring repair workshops focus on?",
        method="dot",
        working_group=textiles,
        options=["Jeans and workwear", "Winter jackets", "Bicycles", "Small electronics"],
        dots=5,
    )
    _votes(
        ctx,
        prop,
        [
            ("maja", "", {0: 3, 1: 2}, ""),
            ("ali", "", {2: 3, 3: 2}, ""),
            ("fatima", "", {1: 2, 2: 2, 3: 1}, ""),
        ],
    )
    prop = _open(
        ctx,
        "ingrid",
        title="A name for the network of reuse hubs",
        method="ranked",
        options=["Bruktbua", "Gjenbrukshuset", "Sirkelen"],
        anonymous=True,
        closes_at=timezone.now() + datetime.timedelta(days=9),
    )
    _votes(ctx, prop, [("ingrid", "", [2, 0], ""), ("hanne", "", [0, 2, 1], "")])
    prop = _open(
        ctx,
        "erik",
        title="Accept reclaimed steel beams from the Lodalen demolition (NOK 42,000)",
        method="majority",
        working_group=building,
        domain=domains["procurement"],
        spending_amount=Decimal("42000"),
        results_hidden=True,
    )
    _votes(ctx, prop, [("erik", "yes", None, ""), ("per", "yes", None, "Tested: grade S355.")])
    prop = _open(
        ctx,
        "tor",
        title="Date for the autumn all-partner meeting",
        method="time_poll",
        options=["Thu 17 September", "Tue 22 September", "Thu 24 September"],
        closes_at=timezone.now() + datetime.timedelta(days=12),
    )
    _votes(ctx, prop, [("tor", "", {0: "yes", 1: "maybe", 2: "yes"}, "")])

    # Decisions taken under delegated authority, entered directly in the register.
    services.delegated_decision_record(
        actor=people["anne"],
        domain=domains["data"],
        title="Waste-flow data is recorded in tonnes per fraction, monthly, in the shared sheet",
        decided_on=ctx.days_ago(50),
        statement="Same fractions as the national waste statistics, so the figures compare.",
    )
    services.delegated_decision_record(
        actor=people["ali"],
        domain=domains["spending"],
        title="Buy a sewing machine and spare needles for the Tøyen repair café",
        decided_on=ctx.days_ago(18),
        spending_amount=Decimal("6400"),
        statement="Within the repair-hub budget; receipts filed with the foundation grant.",
    )
    ctx.log.append("decisions: 2 working groups, 12 proposals, register entries")
