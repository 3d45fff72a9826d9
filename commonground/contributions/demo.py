"""Demo ledger: about thirty contributions of every kind and status across the Fjordvik members."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from commonground.core.demo import DemoContext
from commonground.partnerships.models import WorkingGroup

from . import services
from .models import BenefitDirection, Kind, Status

F, S, A, D, OT = Kind.FUNDING, Kind.IN_KIND, Kind.ASSET, Kind.DATA, Kind.OTHER
P, C, DL, W = Status.PLEDGED, Status.COMMITTED, Status.DELIVERED, Status.WITHDRAWN

# kind, title, from, to ("p" partnership, "wg:<slug>", or an org key), amount, currency,
# status, pledged days ago, due (days from today; negative = past), extra fields
ENTRIES: list[tuple[Any, ...]] = [
    (
        F,
        "Climate budget: reuse hub start-up grant",
        "city",
        "p",
        "2400000",
        "NOK",
        DL,
        330,
        -200,
        {
            "source": "Fjordvik climate budget 2026",
            "conditions": "Spent on the three hubs; yearly account to the city council.",
        },
    ),
    (
        F,
        "Second-year hub operations",
        "city",
        "p",
        "1800000",
        "NOK",
        C,
        120,
        60,
        {
            "source": "Fjordvik climate budget 2027",
            "conditions": "Released after the first-year evaluation.",
        },
    ),
    (
        F,
        "Circular neighbourhoods grant",
        "foundation",
        "p",
        "750000",
        "NOK",
        DL,
        280,
        -150,
        {
            "source": "Stiftelsen Grønn Fremtid, open call 2026",
            "conditions": "At least half to resident-led activity.",
        },
    ),
    (
        F,
        "Repair café equipment fund",
        "foundation",
        "reuse",
        "180000",
        "NOK",
        C,
        90,
        -10,
        {"source": "Foundation small grants", "conditions": "Tools stay in the neighbourhoods."},
    ),
    (
        F,
        "Nordic pilot exchange funding",
        "nordic",
        "p",
        "45000",
        "EUR",
        C,
        200,
        40,
        {
            "source": "Nordic Council circular cities programme",
            "conditions": "Results shared with network cities.",
        },
    ),
    (
        F,
        "Textile sorting line co-funding",
        "textile",
        "wg:reuse-hubs",
        "320000",
        "NOK",
        P,
        40,
        120,
        {"source": "Own investment budget"},
    ),
    (
        F,
        "Student research stipends",
        "uni",
        "wg:materials-data",
        "210000",
        "SEK",
        C,
        150,
        30,
        {"source": "Swedish partner university exchange fund"},
    ),
    (
        F,
        "Sponsorship of swap markets",
        "builder",
        "residents",
        "60000",
        "NOK",
        W,
        210,
        -60,
        {"source": "Marketing budget", "conditions": "Withdrawn when the budget was cut."},
    ),
    (
        S,
        "Partnership manager, half time",
        "city",
        "p",
        "650000",
        "NOK",
        DL,
        360,
        -5,
        {
            "scope": "Backbone support: agendas, follow-up, reporting.",
            "experience": "10 years of project management",
            "fte": "0.5",
            "valuation_method": "cost",
        },
    ),
    (
        S,
        "Life-cycle assessment of reused steel",
        "uni",
        "builder",
        "240000",
        "NOK",
        C,
        140,
        45,
        {
            "scope": "LCA of two renovation pilots.",
            "experience": "Senior researcher and PhD student",
            "hours": "400",
            "valuation_method": "hourly",
        },
    ),
    (
        S,
        "Repair volunteers' coordination",
        "reuse",
        "wg:reuse-hubs",
        "150000",
        "NOK",
        DL,
        250,
        -90,
        {
            "scope": "Recruiting and scheduling volunteer repairers.",
            "hours": "600",
            "valuation_method": "hourly",
        },
    ),
    (
        S,
        "Legal review of reuse rules",
        "city",
        "builder",
        "85000",
        "NOK",
        P,
        20,
        70,
        {
            "scope": "Which building products may be reused, and how to document them.",
            "hours": "80",
            "valuation_method": "market",
        },
    ),
    (
        S,
        "Grant writing for the EU call",
        "uni",
        "p",
        "90000",
        "NOK",
        DL,
        190,
        -120,
        {
            "scope": "Lead writer for the joint application.",
            "hours": "120",
            "valuation_method": "market",
        },
    ),
    (
        S,
        "Job training places in sorting",
        "textile",
        "p",
        "210000",
        "NOK",
        C,
        110,
        -20,
        {"scope": "Six trainee places a year.", "fte": "1.0", "valuation_method": "agreed"},
    ),
    (
        S,
        "Communication campaign",
        "library",
        "p",
        "70000",
        "NOK",
        P,
        15,
        90,
        {
            "scope": "Posters, newsletters and events in eight branches.",
            "hours": "140",
            "valuation_method": "hourly",
        },
    ),
    (
        S,
        "Residents' door-to-door survey",
        "residents",
        "wg:materials-data",
        None,
        "NOK",
        DL,
        160,
        -100,
        {"scope": "Survey of 400 households on what they throw away.", "hours": "200"},
    ),
    (
        A,
        "Warehouse hall at Haraldrud",
        "waste",
        "p",
        "480000",
        "NOK",
        DL,
        300,
        -240,
        {
            "valuation_method": "market",
            "maintenance": "Waste company maintains the building; partners keep it tidy.",
        },
    ),
    (
        A,
        "Workshop space in Lodalen",
        "builder",
        "reuse",
        "120000",
        "NOK",
        C,
        100,
        15,
        {
            "valuation_method": "market",
            "maintenance": "Open to repair volunteers on weekdays after 16:00.",
        },
    ),
    (
        A,
        "Electric cargo van",
        "waste",
        "wg:reuse-hubs",
        "380000",
        "NOK",
        C,
        80,
        -15,
        {"valuation_method": "book", "maintenance": "Serviced by the waste company fleet."},
    ),
    (
        A,
        "Tool library stock",
        "library",
        "house",
        "45000",
        "NOK",
        DL,
        230,
        -170,
        {"valuation_method": "book", "maintenance": "Library keeps the inventory and repairs."},
    ),
    (
        A,
        "Meeting room at Tøyen",
        "house",
        "p",
        "24000",
        "NOK",
        DL,
        200,
        -180,
        {"valuation_method": "market"},
    ),
    (
        A,
        "Sorting machines from the Danish pilot",
        "nordic",
        "textile",
        "150000",
        "DKK",
        P,
        30,
        150,
        {"valuation_method": "book"},
    ),
    (
        D,
        "Waste flow data 2020–2025",
        "waste",
        "wg:materials-data",
        "60000",
        "NOK",
        DL,
        260,
        -200,
        {"valuation_method": "agreed"},
    ),
    (D, "Building permit data on demolitions", "city", "uni", None, "NOK", C, 130, -30, {}),
    (D, "Sales data from second-hand shops", "textile", "uni", None, "NOK", P, 25, 60, {}),
    (
        D,
        "Library visitor statistics",
        "library",
        "wg:materials-data",
        None,
        "NOK",
        DL,
        170,
        -140,
        {},
    ),
    (
        OT,
        "Nordic peer-learning visits",
        "nordic",
        "p",
        "8000",
        "EUR",
        DL,
        240,
        -100,
        {"valuation_method": "cost"},
    ),
    (OT, "Volunteer network reach", "residents", "reuse", None, "NOK", C, 60, 20, {}),
    (
        OT,
        "Press contacts and media days",
        "foundation",
        "p",
        "15000",
        "NOK",
        P,
        10,
        45,
        {"valuation_method": "market"},
    ),
    (
        OT,
        "Conference stand at Arendalsuka",
        "builder",
        "p",
        "25000",
        "NOK",
        W,
        150,
        -40,
        {"valuation_method": "cost"},
    ),
    (OT, "Shop window for repaired goods", "house", "reuse", None, "NOK", C, 45, 10, {}),
]

BENEFITS = [
    ("city", "expected", "Progress toward the 30 % waste cut", None),
    ("city", "received", "Data for the climate budget report", "40000"),
    ("waste", "expected", "Less residual waste to incinerate", "300000"),
    ("waste", "received", "Reuse station traffic up 20 %", None),
    ("builder", "expected", "Cheaper reused materials", "150000"),
    ("builder", "received", "Documented LCA for tenders", "90000"),
    ("reuse", "received", "Workshop space and tools", "120000"),
    ("uni", "received", "Two published papers from the data", None),
    ("textile", "expected", "Trained staff for the sorting line", "200000"),
    ("house", "received", "Tool library stock", "45000"),
    ("residents", "expected", "Repair cafés in Sagene", None),
    ("library", "expected", "New visitors to the branches", None),
    ("library", "received", "Repair workshops drew 900 new visitors", None),
    ("residents", "received", "Monthly repair café in Sagene", "20000"),
]


def build(ctx: DemoContext) -> None:
    p = ctx.partnership
    actor = ctx.people["tor"]
    groups = {}
    for slug, name, remit in (
        ("reuse-hubs", "Reuse hubs", "Open and run the neighbourhood reuse hubs."),
        ("materials-data", "Materials data", "Collect and share data on material flows."),
    ):
        groups[slug], _created = WorkingGroup.objects.get_or_create(
            partnership=p, slug=slug, defaults={"name": name, "remit": remit}
        )
    services.base_currency_set(actor=actor, partnership=p, currency="NOK")
    for code, rate in (("EUR", "11.62"), ("SEK", "1.0085"), ("DKK", "1.5573"), ("USD", "10.84")):
        services.rate_set(
            actor=actor, partnership=p, currency=code, rate=Decimal(rate), note="Norges Bank, 1 Jan"
        )
    for kind, title, giver, to, amount, currency, status, ago, due, extra in ENTRIES:
        fields: dict[str, Any] = dict(extra)
        if to == "p":
            fields["recipient_kind"] = "partnership"
        elif to.startswith("wg:"):
            fields["recipient_kind"] = "working_group"
            fields["recipient_group"] = groups[to[3:]]
        else:
            fields["recipient_kind"] = "member"
            fields["recipient_org"] = ctx.orgs[to]
        if kind in (Kind.IN_KIND, Kind.OTHER) and ago > 100:
            fields.setdefault("start_on", ctx.days_ago(ago - 10))
            fields.setdefault("end_on", ctx.days_ahead(abs(due) + 200))
        c = services.contribution_create(
            actor=actor,
            partnership=p,
            kind=kind,
            title=title,
            contributor=ctx.orgs[giver],
            amount=amount,
            currency=currency,
            pledged_on=ctx.days_ago(ago),
            due_on=ctx.days_ahead(due) if due is not None else None,
            **fields,
        )
        if status in (C, DL) or (status == W and ago > 180):
            services.contribution_transition(
                actor=actor, contribution=c, to=C, on=ctx.days_ago(max(ago - 20, 1))
            )
        if status == DL:
            services.contribution_transition(
                actor=actor,
                contribution=c,
                to=DL,
                on=ctx.days_ahead(min(due, 0)) if due < 0 else ctx.today,
            )
        if status == W:
            services.contribution_transition(actor=actor, contribution=c, to=W, on=ctx.days_ago(5))
        if kind == Kind.FUNDING and status in (C, DL) and amount:
            total = Decimal(amount)
            parts = 3
            for i in range(parts):
                paid = status == DL or (status == C and i == 0)
                services.schedule_add(
                    actor=actor,
                    contribution=c,
                    due_on=ctx.days_ago(ago - 30 - i * 90),
                    amount=(total / parts).quantize(Decimal("0.01")),
                    paid_on=ctx.days_ago(ago - 32 - i * 90) if paid else None,
                    note=f"Instalment {i + 1} of {parts}",
                )
        if title == "Electric cargo van":
            services.transfer_add(
                actor=actor,
                contribution=c,
                from_org=ctx.orgs["waste"],
                to_org=ctx.orgs["reuse"],
                transfer_on=ctx.days_ahead(300),
                note="Ownership passes to the reuse network when the hubs are self-funding.",
            )
            c.owner = ctx.orgs["waste"]
            c.custodian = ctx.orgs["reuse"]
            c.save(update_fields=["owner", "custodian"])
    for org, direction, text, value in BENEFITS:
        services.benefit_record(
            actor=actor,
            partnership=p,
            organisation=ctx.orgs[org],
            direction=BenefitDirection(direction),
            description=text,
            value=value,
            currency="NOK" if value else "",
            recorded_on=ctx.days_ago(30),
        )
    ctx.extra["working_groups"] = groups
    ctx.log.append(f"contributions: {len(ENTRIES)} ledger entries, {len(BENEFITS)} benefits")
