"""Demo: a ratified memorandum with an amendment in progress, a draft letter, and a signed compact."""

from __future__ import annotations

import datetime

from commonground.core.demo import DemoContext

from . import services
from .models import Component, ContextItem, Form, Template


def build(ctx: DemoContext) -> None:
    p = ctx.partnership
    people, orgs = ctx.people, ctx.orgs
    party_keys = ["city", "waste", "builder", "reuse", "uni"]
    parties = [orgs[k] for k in party_keys]
    mou = services.agreement_create(
        actor=people["tor"],
        partnership=p,
        title="Memorandum of understanding on the Fjordvik reuse hubs",
        form=Form.MOU,
        parties=parties,
        template=Template.MOU,
        start_on=datetime.date(ctx.today.year, 1, 1),
        end_on=datetime.date(ctx.today.year + 2, 12, 31),
        trial_months=12,
        assets_committed=True,
        staff_provided=True,
        services_central=True,
    )
    v1 = services.latest_version(mou)
    clauses = dict(v1.clauses)
    clauses[Component.REPORTING] = (
        "Each party reports on its contributions before every partners' meeting (every six weeks). "
        "The partnership manager compiles a yearly report for all members and the city council."
    )
    services.agreement_edit(
        actor=people["tor"],
        agreement=mou,
        title=v1.title,
        form=Form.MOU,
        parties=parties,
        start_on=v1.start_on,
        end_on=v1.end_on,
        trial_months=12,
        clauses=clauses,
        note="Reporting cadence agreed at the March partners' meeting",
        context_considered=[
            ContextItem.LOCAL,
            ContextItem.NATIONAL,
            ContextItem.POLICY,
            ContextItem.PROCUREMENT,
            ContextItem.OPERATIONS,
        ],
    )
    v2 = services.latest_version(mou)
    for key, person in (
        ("city", "amina"),
        ("waste", "lars"),
        ("builder", "erik"),
        ("reuse", "nora"),
        ("uni", "per"),
    ):
        services.ratify(actor=people[person], version=v2, organisation=orgs[key])
    # The amendment: the textile company joins, and the exit notice becomes 90 days.
    services.amendment_start(
        actor=people["tor"], agreement=mou, note="Kretsløp Tekstil joins; longer notice period"
    )
    v3 = services.latest_version(mou)
    amended = dict(v3.clauses)
    amended[Component.TERMINATION] = amended[Component.TERMINATION].replace("60 days", "90 days")
    amended[Component.PARTIES] += "\n- Kretsløp Tekstil AS"
    amended[Component.DELIVERABLES] += (
        "\n- Kretsløp Tekstil AS provides six trainee places a year in textile sorting"
    )
    services.agreement_edit(
        actor=people["tor"],
        agreement=mou,
        title=v3.title,
        form=Form.MOU,
        parties=[*parties, orgs["textile"]],
        start_on=v3.start_on,
        end_on=v3.end_on,
        trial_months=12,
        clauses=amended,
        note="Amendment text for the partners to read",
    )
    v4 = services.latest_version(mou)
    services.ratify(actor=people["amina"], version=v4, organisation=orgs["city"])
    services.ratify(actor=people["jonas"], version=v4, organisation=orgs["textile"])

    services.agreement_create(
        actor=people["eva"],
        partnership=p,
        title="Letter of agreement: tool library at Tøyen",
        form=Form.MUTUAL,
        parties=[orgs["library"], orgs["house"]],
        template=Template.LETTER,
        start_on=ctx.days_ahead(30),
        assets_committed=True,
    )

    compact = services.compact_create(
        actor=people["tor"],
        partnership=p,
        title="Fjordvik partners' compact",
        introduction="How we want to behave towards each other, whatever our size or sector.",
        principles=[
            ("Transparency", "We share plans, numbers and problems early."),
            ("Equity", "Every voice counts; small members get time to speak."),
            ("Mutual benefit", "We ask what each partner gets, not only what it gives."),
            ("Being a good partner", "We keep promises and say so when we cannot."),
            (
                "Handling competition",
                "We name conflicts of interest and keep them out of joint work.",
            ),
            ("Sharing learning", "We pass on what worked and what did not."),
            ("Ambassadors", "We speak well of the partnership and credit each other."),
        ],
    )
    signers = [
        ("city", "amina"),
        ("waste", "lars"),
        ("reuse", "nora"),
        ("house", "hanne"),
        ("residents", "fatima"),
        ("library", "eva"),
        ("uni", "per"),
    ]
    for key, person in signers:
        services.compact_sign(actor=people[person], compact=compact, organisation=orgs[key])
    principles = list(compact.principles.all())
    for year, key, person, base in (
        (ctx.today.year - 1, "city", "amina", 3),
        (ctx.today.year, "city", "amina", 4),
        (ctx.today.year - 1, "reuse", "nora", 2),
        (ctx.today.year, "reuse", "nora", 3),
        (ctx.today.year, "residents", "fatima", 3),
    ):
        scores = {pr.pk: max(1, min(5, base + (i % 3) - 1)) for i, pr in enumerate(principles)}
        services.self_assess(
            actor=people[person], compact=compact, organisation=orgs[key], year=year, scores=scores
        )
    ctx.log.append("agreements: 1 MoU in force with an amendment, 1 draft letter, 1 compact")
