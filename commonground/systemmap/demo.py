"""Demo: the system around the Fjordvik partnership.

Adds about thirty fictional organisations around Fjordvik to the directory,
relationships of several kinds (some entered by hand, some from the
system-mapping survey), a survey answered by eleven organisations, a working
group, and the preparation tools with a few versions each.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils.text import slugify

from commonground.core.demo import DemoContext
from commonground.organisations.models import Organisation
from commonground.organisations.services import organisation_save
from commonground.partnerships.models import WorkingGroup

from . import services
from .models import PrepTool, PrepToolVersion

# key, name, sector, type, place, lat, lon, mission
ORGS = [
    (
        "county",
        "Fjordvik fylkeskommune",
        "public",
        "regional_gov",
        "Sentrum",
        "59.9170",
        "10.7390",
        "Regional government: upper secondary schools, public transport and regional development.",
    ),
    (
        "nav",
        "NAV Fjordvik øst",
        "public",
        "agency",
        "Grønland",
        "59.9120",
        "10.7620",
        "Public employment and welfare office for the eastern districts.",
    ),
    (
        "housingco",
        "Fjordvik Boligbygg KF",
        "public",
        "agency",
        "Tøyen",
        "59.9180",
        "10.7700",
        "Owns and renovates 11,000 municipal flats.",
    ),
    (
        "port",
        "Fjordvik Havn KF",
        "public",
        "agency",
        "Bjørvika",
        "59.9030",
        "10.7400",
        "Runs the port, its warehouses and quays.",
    ),
    (
        "school",
        "Vestkant videregående skole",
        "knowledge",
        "school",
        "Majorstua",
        "59.9290",
        "10.7150",
        "Upper secondary school with building and design programmes.",
    ),
    (
        "fagskole",
        "Fjordvik fagskole",
        "knowledge",
        "school",
        "Kalbakken",
        "59.9520",
        "10.8450",
        "Vocational college for technicians and tradespeople.",
    ),
    (
        "research",
        "Nordlys Materials Research Centre",
        "knowledge",
        "research",
        "Blindern",
        "59.9440",
        "10.7190",
        "Independent lab testing reclaimed building materials.",
    ),
    (
        "design",
        "Formgivarskolen Fjordvik",
        "knowledge",
        "university",
        "Grünerløkka",
        "59.9250",
        "10.7500",
        "Design school running a redesign studio for discarded furniture.",
    ),
    (
        "bank",
        "Fjordvik Sparebank",
        "private",
        "company",
        "Sentrum",
        "59.9110",
        "10.7500",
        "Local savings bank with a community gift fund.",
    ),
    (
        "itco",
        "Kodeverket AS",
        "private",
        "company",
        "Vaterland",
        "59.9230",
        "10.7570",
        "Builds digital marketplaces for used goods.",
    ),
    (
        "transport",
        "Elvebakken Transport AS",
        "private",
        "company",
        "Alnabru",
        "59.9200",
        "10.8300",
        "Haulage firm with electric vans.",
    ),
    (
        "hotel",
        "Hotell Bryggen",
        "private",
        "company",
        "Aker Brygge",
        "59.9080",
        "10.7310",
        "Hotel refurbishing 200 rooms with reused furniture.",
    ),
    (
        "hardware",
        "Jernvare Storo AS",
        "private",
        "company",
        "Storo",
        "59.9450",
        "10.7720",
        "Hardware store that lends tools and sells spare parts.",
    ),
    (
        "secondhand",
        "Bruktbutikken Gamlebyen",
        "private",
        "social_enterprise",
        "Gamlebyen",
        "59.9050",
        "10.7700",
        "Second-hand shop employing people far from the job market.",
    ),
    (
        "cafe",
        "Kafé Ombruk",
        "private",
        "social_enterprise",
        "Vaterland",
        "59.9230",
        "10.7640",
        "Café and repair corner run by trainees.",
    ),
    (
        "redcross",
        "Fjordvik Røde Kors",
        "civil",
        "ngo",
        "Sentrum",
        "59.9180",
        "10.7440",
        "Red Cross branch: clothing bank, homework help, visits to the elderly.",
    ),
    (
        "mission",
        "Kirkens Bymisjon Fjordvik",
        "civil",
        "ngo",
        "Grønland",
        "59.9140",
        "10.7520",
        "City mission: low-threshold work training and a furniture bank.",
    ),
    (
        "sports",
        "Tøyen Idrettslag",
        "civil",
        "ngo",
        "Tøyen",
        "59.9150",
        "10.7750",
        "Sports club with a kit-swap for children.",
    ),
    (
        "newcomers",
        "Velkommen Fjordvik",
        "civil",
        "ngo",
        "Sinsen",
        "59.9270",
        "10.7800",
        "Newcomers' association: language cafés and job mentoring.",
    ),
    (
        "youth",
        "Ungdomshuset Rommen",
        "civil",
        "ngo",
        "Rommen",
        "59.9600",
        "10.9050",
        "Youth house with a bike workshop.",
    ),
    (
        "repaircafe",
        "Reparasjonskafé Sagene",
        "civil",
        "ngo",
        "Sagene",
        "59.9380",
        "10.7560",
        "Monthly repair café run by volunteers.",
    ),
    (
        "env",
        "Naturvernforbundet Fjordvik",
        "civil",
        "ngo",
        "Sentrum",
        "59.9210",
        "10.7480",
        "Environmental association campaigning on waste and consumption.",
    ),
    (
        "tenants",
        "Leieboerforeningen Fjordvik",
        "residents",
        "resident_group",
        "Tøyen",
        "59.9250",
        "10.7600",
        "Tenants' union for people renting in Fjordvik.",
    ),
    (
        "coop",
        "Borettslaget Furuset Nord",
        "residents",
        "resident_group",
        "Furuset",
        "59.9470",
        "10.8900",
        "Housing co-operative of 600 flats with a shared bulky-waste room.",
    ),
    (
        "parents",
        "Foreldrenettverket Holmlia",
        "residents",
        "resident_group",
        "Holmlia",
        "59.8350",
        "10.7950",
        "Parents' network organising swap days.",
    ),
    (
        "seniors",
        "Seniornett Bjerke",
        "residents",
        "resident_group",
        "Bjerke",
        "59.9380",
        "10.8050",
        "Seniors helping seniors with digital tools and small repairs.",
    ),
    (
        "greenfund",
        "Stiftelsen Grønn Omstilling",
        "funder",
        "foundation",
        "Sentrum",
        "59.9130",
        "10.7350",
        "Foundation funding local green transition projects.",
    ),
    (
        "lottery",
        "Fjordvik Lotteri- og Stiftelsesfond",
        "funder",
        "foundation",
        "Sentrum",
        "59.9160",
        "10.7400",
        "Distributes lottery money to voluntary organisations.",
    ),
    (
        "nib",
        "Nordic Green Investment Bank",
        "funder",
        "bank",
        "Vika",
        "59.9120",
        "10.7280",
        "Lends to circular infrastructure in the Nordic region.",
    ),
    (
        "un",
        "UN Circular Cities Programme (Nordic office)",
        "multilateral",
        "multilateral",
        "Vika",
        "59.9100",
        "10.7260",
        "Supports cities to measure and scale circular practice.",
    ),
    (
        "interreg",
        "Interreg North Sea Secretariat",
        "multilateral",
        "multilateral",
        "Vika",
        "59.9140",
        "10.7300",
        "Co-funds cross-border projects around the North Sea.",
    ),
]

# source, kind, target, started (days ago), ended (days ago or None), confidence, source note
ENTERED = [
    ("city", "funds", "reuse", 700, None, "high", "City grant letter 2025"),
    ("city", "funds", "house", 900, None, "high", "City budget 2026"),
    ("city", "funds", "repaircafe", 400, None, "medium", "Climate fund list"),
    ("city", "shares_data", "waste", 600, None, "high", "Data agreement on waste flows"),
    ("waste", "shares_data", "uni", 300, None, "high", "Research agreement"),
    ("waste", "shares_data", "research", 200, None, "medium", "Stakeholder meeting, March"),
    ("waste", "refers", "secondhand", 500, None, "medium", "Reuse station staff"),
    ("waste", "informal", "transport", 250, None, "low", "Conversation with Lars"),
    ("builder", "shares_data", "research", 280, None, "high", "Testing contract"),
    ("builder", "informal", "hardware", 800, None, "medium", "Long-standing supplier"),
    ("builder", "competes", "housingco", 365, None, "low", "Tender for renovation works"),
    ("housingco", "informal", "tenants", 1000, None, "medium", "Tenants' council"),
    ("housingco", "shares_data", "city", 500, None, "high", "Housing statistics"),
    ("textile", "competes", "secondhand", 400, None, "medium", "Both buy from the clothing bank"),
    ("textile", "informal", "redcross", 300, None, "medium", "Clothing bank hand-over"),
    ("textile", "refers", "newcomers", 150, None, "low", "Job trial placements"),
    ("reuse", "informal", "repaircafe", 600, None, "high", "Shared volunteers"),
    ("reuse", "refers", "mission", 450, None, "medium", "Furniture bank referrals"),
    ("reuse", "informal", "env", 700, None, "medium", "Joint campaigns"),
    ("house", "informal", "tenants", 300, None, "medium", "Tuesday meetings"),
    ("house", "refers", "nav", 200, None, "medium", "Work-training referrals"),
    ("house", "informal", "parents", 180, None, "low", "Swap days in the hall"),
    ("uni", "informal", "research", 1200, None, "high", "Joint PhD"),
    ("uni", "contributes_to", "school", 200, None, "medium", "Guest lectures"),
    ("uni", "informal", "design", 500, 60, "medium", "Studio collaboration ended"),
    ("library", "informal", "seniors", 400, None, "medium", "Digital help desk"),
    ("library", "informal", "repaircafe", 350, None, "high", "Hosts the repair café monthly"),
    ("library", "shares_data", "uni", 100, None, "low", "Loan statistics"),
    ("foundation", "funds", "reuse", 240, None, "high", "Grant agreement"),
    ("foundation", "funds", "textile", 200, None, "high", "Grant agreement"),
    ("foundation", "informal", "greenfund", 600, None, "medium", "Funders' forum"),
    ("residents", "informal", "coop", 300, None, "medium", "Bulky-waste day"),
    ("residents", "informal", "tenants", 400, None, "low", "Neighbourhood forum"),
    ("county", "funds", "school", 2000, None, "high", "Public budget"),
    ("county", "funds", "fagskole", 2000, None, "high", "Public budget"),
    ("county", "informal", "city", 1000, None, "high", "Regional planning forum"),
    ("nav", "refers", "mission", 600, None, "high", "Work-training scheme"),
    ("nav", "refers", "cafe", 300, None, "high", "Work-training scheme"),
    ("nav", "funds", "secondhand", 500, None, "high", "Wage subsidies"),
    ("port", "informal", "transport", 700, None, "medium", "Warehouse lease"),
    ("port", "contributes_to", "waste", 120, None, "low", "Offered warehouse space"),
    ("school", "informal", "builder", 400, None, "medium", "Apprenticeships"),
    ("fagskole", "informal", "builder", 300, None, "medium", "Apprenticeships"),
    ("fagskole", "refers", "cafe", 200, None, "low", "Student placements"),
    ("design", "informal", "hotel", 150, None, "medium", "Furniture redesign pilot"),
    ("hotel", "informal", "secondhand", 120, None, "low", "Sold old furniture"),
    ("bank", "funds", "sports", 900, None, "high", "Gift fund"),
    ("bank", "funds", "youth", 400, None, "medium", "Gift fund"),
    ("itco", "informal", "textile", 200, None, "medium", "Marketplace pilot"),
    ("itco", "competes", "secondhand", 100, None, "low", "Online vs. shop sales"),
    ("sports", "informal", "parents", 500, None, "medium", "Kit-swap days"),
    ("youth", "informal", "repaircafe", 250, None, "low", "Bike repair evenings"),
    ("newcomers", "informal", "redcross", 800, None, "high", "Language café"),
    ("un", "informal", "city", 500, None, "medium", "Circular cities network"),
    ("interreg", "funds", "uni", 700, 30, "high", "Project contract (ended)"),
    ("nib", "informal", "waste", 200, None, "low", "Loan talks for a sorting plant"),
    ("env", "competes", "greenfund", 300, None, "low", "Both run public campaigns"),
]

# Survey respondents: key, respondent, programmes, funders (name, sector, expectation),
# referrals (name, sector), funded role, actual role, coordination, extra answers
SURVEY: list[tuple[Any, ...]] = [
    (
        "mission",
        "Eva Bakke",
        [
            ("Furniture bank", "reuse", 40, 900),
            ("Work training in the workshop", "training", 12, 30),
        ],
        [
            (
                "Fjordvik Lotteri- og Stiftelsesfond",
                "funder",
                "Number of volunteers and people helped",
            ),
            ("NAV Fjordvik øst", "public", "Share of trainees in work after a year"),
        ],
        [("Fjordvik Røde Kors", "civil"), ("Velkommen Fjordvik", "civil")],
        "Work training",
        "Work training, social support and a furniture bank",
        "regular",
    ),
    (
        "redcross",
        "Jonas Aas",
        [("Clothing bank", "reuse", None, 2500), ("Homework help", "education", 60, 150)],
        [("Fjordvik Lotteri- og Stiftelsesfond", "funder", "Reports on activity hours")],
        [("Kirkens Bymisjon Fjordvik", "civil"), ("Kretsløp Tekstil AS", "private")],
        "Emergency and social support",
        "Also the main clothing collection point in the east",
        "occasional",
    ),
    (
        "secondhand",
        "Nora Lie",
        [("Second-hand shop", "reuse", None, 12000), ("Job trials", "training", 8, 20)],
        [("NAV Fjordvik øst", "public", "Trainees move into ordinary jobs")],
        [("NAV Fjordvik øst", "public")],
        "Job trials",
        "Job trials and a busy shop",
        "informed",
    ),
    (
        "cafe",
        "Ahmed Noor",
        [("Repair corner", "repair", 6, 400), ("Kitchen training", "training", 6, 18)],
        [
            ("NAV Fjordvik øst", "public", "Trainee hours"),
            ("Stiftelsen Grønn Omstilling", "funder", "Kilos of goods repaired"),
        ],
        [("Fjordvik fagskole", "knowledge")],
        "Work training",
        "Work training and a neighbourhood meeting place",
        "occasional",
    ),
    (
        "repaircafe",
        "Siri Dahl",
        [("Monthly repair café", "repair", 25, 600)],
        [("Fjordvik kommune – Klimaetaten", "public", "Number of items repaired")],
        [("Jernvare Storo AS", "private")],
        "Repair events",
        "Repair events and teaching people to repair",
        "regular",
    ),
    (
        "youth",
        "Emil Foss",
        [("Bike workshop", "repair", 10, 250), ("Summer jobs", "training", 15, 15)],
        [
            ("Fjordvik Sparebank", "private", "Logo on the bikes"),
            ("Fjordvik fylkeskommune", "public", "Youth reached"),
        ],
        [("NAV Fjordvik øst", "public")],
        "Youth leisure",
        "Leisure, first jobs and repair skills",
        "none",
    ),
    (
        "newcomers",
        "Amina Yusuf",
        [("Language café", "education", 30, 400), ("Job mentoring", "advice", 20, 60)],
        [("Fjordvik Lotteri- og Stiftelsesfond", "funder", "Participants and hours")],
        [("NAV Fjordvik øst", "public"), ("Kafé Ombruk", "private")],
        "Language and social meeting place",
        "Also informal job placement",
        "occasional",
    ),
    (
        "sports",
        "Per Olsen",
        [("Kit swap", "reuse", None, 500)],
        [("Fjordvik Sparebank", "private", "Visibility at matches")],
        [],
        "Sports for children",
        "Sports and a kit swap",
        "none",
    ),
    (
        "fagskole",
        "Ingrid Lunde",
        [
            ("Reuse in construction course", "education", 24, 48),
            ("Renovation technician programme", "training", 30, 30),
        ],
        [("Fjordvik fylkeskommune", "public", "Completed study points")],
        [("Brattli Bygg AS", "private")],
        "Vocational education",
        "Vocational education and testing reclaimed materials with firms",
        "informed",
    ),
    (
        "seniors",
        "Bjørn Haug",
        [("Digital help", "advice", 10, 300), ("Small repairs at home", "repair", 5, 120)],
        [("Stiftelsen Grønn Omstilling", "funder", "Number of home visits")],
        [("Fjordvik folkebibliotek", "knowledge")],
        "Digital help for seniors",
        "Digital help and small repairs at home",
        "occasional",
    ),
    (
        "env",
        "Kristin Vold",
        [("Swap-and-repair campaign", "education", None, 3000)],
        [
            ("Stiftelsen Grønn Omstilling", "funder", "Campaign reach"),
            ("Interreg North Sea Secretariat", "multilateral", "Cross-border exchange"),
        ],
        [("Reparasjonskafé Sagene", "civil")],
        "Campaigning",
        "Campaigning and running swap days",
        "regular",
    ),
]


def _org(ctx: DemoContext, key: str) -> Organisation:
    return ctx.orgs[key]


def build(ctx: DemoContext) -> None:
    partnership = ctx.partnership
    actor = ctx.people.get("tor") or ctx.people.get("admin")

    for key, name, sector, org_type, place, lat, lon, mission in ORGS:
        existing = Organisation.objects.filter(slug=slugify(name)).first()
        ctx.orgs[key] = existing or organisation_save(
            actor=actor,
            organisation=Organisation(
                name=name,
                sector=sector,
                org_type=org_type,
                place_name=place,
                latitude=Decimal(lat),
                longitude=Decimal(lon),
                mission=mission,
            ),
        )

    for source, kind, target, started, ended, confidence, note in ENTERED:
        services.relationship_create(
            actor=actor,
            partnership=partnership,
            source=_org(ctx, source),
            target=_org(ctx, target),
            kind=kind,
            started_on=ctx.days_ago(started),
            ended_on=ctx.days_ago(ended) if ended is not None else None,
            confidence=confidence,
            evidence=note,
        )

    # A working group whose people come from several organisations (a derived link).
    wg, _created = WorkingGroup.objects.get_or_create(
        partnership=partnership,
        slug="materials-mapping",
        defaults={
            "name": "Materials mapping",
            "remit": "Map who holds which materials and data in Fjordvik.",
        },
    )
    wg.members.add(
        *[ctx.people[k] for k in ("kari", "lin", "sofie", "ragnhild") if k in ctx.people]
    )

    _survey(ctx, actor)
    _prep_tools(ctx)
    ctx.log.append("systemmap: network, survey and preparation tools ready")


def _survey(ctx: DemoContext, actor: Any) -> None:
    survey = services.survey_create(
        actor=actor,
        partnership=ctx.partnership,
        title="Mapping repair, reuse and work training in Fjordvik",
        area="Fjordvik east and centre",
        introduction="Fifteen minutes: tell us what you run, for whom, and with whom.",
    )
    for key, who, programmes, funders, referrals, funded, actual, coordination in SURVEY:
        org = _org(ctx, key)
        _inv, raw = services.survey_invite(
            actor=actor, survey=survey, organisation=org, contact_name=who
        )
        services.survey_submit(
            raw_token=raw,
            answers=services.SurveyAnswers(
                respondent_name=who,
                services=org.mission,
                target_groups="Residents of the eastern districts; people far from work; families.",
                funded_role=funded,
                actual_role=actual,
                referral_rules="By phone or walk-in; partners send people with a short note.",
                eligibility_rules="Open to everyone living in Fjordvik.",
                data_collected="Number of participants and items; no personal data kept after a year.",
                coordination=coordination,
                coordination_notes="Eastern districts network" if coordination != "none" else "",
                programmes=programmes,
                funders=funders,
                referrals=referrals,
            ),
        )
    # Two more invitations not answered yet, one for an organisation new to the directory.
    services.survey_invite(
        actor=actor, survey=survey, organisation=_org(ctx, "coop"), contact_name="Trond Berg"
    )
    services.survey_invite(
        actor=actor,
        survey=survey,
        organisation_name="Furuset Sykkelkjøkken",
        contact_name="Lene Aune",
        contact_email="lene@sykkelkjokken.example",
    )


def _prep_tools(ctx: DemoContext) -> None:
    p = ctx.partnership
    people = ctx.people
    versions: list[tuple[str, str, dict[str, Any], str, int]] = [
        (
            PrepTool.SELF_RATING,
            "tor",
            {
                "rating": 4,
                "reasoning": "We know why we want to partner, but the waste company and the city still plan alone.",
                "next_step": "Hold one joint planning morning with the waste company.",
                "next_step_by": (ctx.today - datetime.timedelta(days=300)).isoformat(),
            },
            "First rating",
            360,
        ),
        (
            PrepTool.SELF_RATING,
            "tor",
            {
                "rating": 5,
                "reasoning": "The joint morning happened; data sharing is agreed in principle.",
                "next_step": "Sign the data agreement on waste flows.",
                "next_step_by": (ctx.today - datetime.timedelta(days=200)).isoformat(),
                "previous_step_done": True,
            },
            "Planning morning done",
            250,
        ),
        (
            PrepTool.SELF_RATING,
            "ingrid",
            {
                "rating": 6,
                "reasoning": "Data flows; residents are still mostly absent from the table.",
                "next_step": "Invite the tenants' union and the housing co-operative to the next meeting.",
                "next_step_by": (ctx.today + datetime.timedelta(days=30)).isoformat(),
                "previous_step_done": True,
            },
            "Data agreement signed",
            60,
        ),
        (
            PrepTool.STOP_START_CONTINUE,
            "ingrid",
            {
                "stop": ["Running separate reuse campaigns", "Planning hubs without residents"],
                "start": ["Sharing waste-flow data monthly", "A joint calendar of repair events"],
                "continue": [
                    "The monthly repair café at the library",
                    "Quarterly partner breakfasts",
                ],
            },
            "",
            200,
        ),
        (
            PrepTool.BENEFITS,
            "tor",
            {
                "benefits": [
                    "Access to the waste company's stations",
                    "Shared funding bids",
                    "Reach into neighbourhoods",
                ],
                "drawbacks": [
                    "Staff time for meetings",
                    "Slower decisions",
                    "Risk to reputation if hubs fail",
                ],
            },
            "",
            300,
        ),
        (
            PrepTool.RESOURCES,
            "tor",
            {
                "resources": [
                    "Two days a week of a project manager",
                    "Procurement advice",
                    "Meeting rooms",
                ],
                "limitations": [
                    "No budget for rent before 2027",
                    "Cannot commit staff to evenings",
                ],
            },
            "",
            300,
        ),
        (
            PrepTool.RESOURCES,
            "lars",
            {
                "resources": [
                    "Two days a week of a project manager",
                    "Procurement advice",
                    "Meeting rooms",
                    "Trucks and a warehouse corner from the waste company",
                ],
                "limitations": [
                    "No budget for rent before 2027",
                    "Cannot commit staff to evenings",
                    "Warehouse only free until 2028",
                ],
            },
            "Added the waste company's resources",
            120,
        ),
    ]
    for tool, who, content, note, days in versions:
        version = services.prep_tool_save(
            actor=people.get(who), partnership=p, tool=tool, content=content, note=note
        )
        PrepToolVersion.objects.filter(pk=version.pk).update(created_at=_at(ctx, days))


def _at(ctx: DemoContext, days: int) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(ctx.days_ago(days), datetime.time(10, 0)))
