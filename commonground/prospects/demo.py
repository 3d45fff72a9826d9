"""Demo: a prospect pipeline across every stage, scored prospects, needs with a
visible gap (legal), and directory organisations that would fill it."""

from __future__ import annotations

from decimal import Decimal

from django.utils.text import slugify

from commonground.core.demo import DemoContext
from commonground.organisations.models import Organisation, Tag

from . import services
from .models import AssessmentKind, Prospect, Stage

TAGS = {
    "legal-aid": ("Free legal aid", "legal"),
    "open-data": ("Open data publishing", "data"),
    "app-development": ("App development", "technology"),
}

# key, name, sector, type, place, lat, lon, offers, mission
ORGS = [
    (
        "p_data",
        "Oslofjord Dataverksted",
        "civil",
        "ngo",
        "Vaterland",
        "59.9140",
        "10.7600",
        ["open-data", "waste-data"],
        "Volunteers who clean, publish and explain local open data.",
    ),
    (
        "p_code",
        "Kodeklubben Fjordvik",
        "civil",
        "ngo",
        "Grønland",
        "59.9120",
        "10.7620",
        ["app-development"],
        "Teaches young people to code and builds small apps for local causes.",
    ),
    (
        "p_school",
        "Fjordvik yrkesskole",
        "knowledge",
        "school",
        "Kalbakken",
        "59.9520",
        "10.8560",
        ["job-training", "repair-skills"],
        "Upper-secondary vocational school for building and technical trades.",
    ),
    (
        "p_law",
        "Grønn Jus Advokatfirma AS",
        "private",
        "company",
        "Aker Brygge",
        "59.9105",
        "10.7280",
        ["legal-advice"],
        "Law firm specialising in environmental and construction law.",
    ),
    (
        "p_bank",
        "Byggevarebanken SA",
        "civil",
        "social_enterprise",
        "Økern",
        "59.9290",
        "10.8040",
        ["warehouse", "material-testing"],
        "Cooperative that collects, tests and resells used building materials.",
    ),
    (
        "p_logistics",
        "Sirkel Logistikk AS",
        "private",
        "company",
        "Alnabru",
        "59.9310",
        "10.8420",
        ["transport", "warehouse"],
        "Electric-van logistics for returns and reuse flows.",
    ),
    (
        "p_repair",
        "Reparatørene Tøyen",
        "civil",
        "social_enterprise",
        "Tøyen",
        "59.9160",
        "10.7740",
        ["repair-skills", "job-training"],
        "Repair workshop that trains people far from the job market.",
    ),
    (
        "p_metal",
        "Nordisk Metallgjenvinning AS",
        "private",
        "company",
        "Drammen",
        "59.7440",
        "10.2040",
        ["material-testing"],
        "Recycles scrap metal from demolition sites.",
    ),
    (
        "p_housing",
        "Fjordvik Boligbyggelag",
        "private",
        "company",
        "Majorstuen",
        "59.9290",
        "10.7150",
        ["community-reach", "warehouse"],
        "Housing cooperative with 40,000 member households.",
    ),
    (
        "r_legal",
        "Fjordvik Rettshjelpsenter",
        "civil",
        "ngo",
        "Grünerløkka",
        "59.9220",
        "10.7580",
        ["legal-aid", "legal-advice"],
        "Free legal aid centre run with law students; advises small organisations.",
    ),
    (
        "r_opendata",
        "Åpne Data Fjordvik",
        "civil",
        "ngo",
        "Sentrum",
        "59.9130",
        "10.7440",
        ["open-data"],
        "Campaigns for and publishes open municipal data.",
    ),
    (
        "r_tech",
        "Retur Tech AS",
        "private",
        "company",
        "Nydalen",
        "59.9490",
        "10.7650",
        ["digital-platform", "app-development"],
        "Builds marketplaces for second-hand goods.",
    ),
]

PIPELINE = [
    # org key, stage, why approach, could bring
    ("p_data", Stage.IDENTIFIED, "They already clean waste data for the city.", "open data skills"),
    ("p_code", Stage.RESEARCHED, "Young coders could build the reuse app.", "app development"),
    ("p_school", Stage.CONTACTED, "Trainees need real repair projects.", "trainees and trainers"),
    (
        "p_law",
        Stage.MET,
        "Nobody in the partnership can answer the legal questions on reuse.",
        "legal advice on reuse of building materials",
    ),
    (
        "p_bank",
        Stage.ASSESSED,
        "Runs the only tested-materials store in the region.",
        "storage and testing of used materials",
    ),
    ("p_logistics", Stage.INVITED, "Could run the hub-to-hub transport.", "electric transport"),
    (
        "p_repair",
        Stage.JOINED,
        "Trains people into repair jobs, our objective 3.",
        "repair training and jobs",
    ),
    ("p_metal", Stage.DECLINED, "Would take metal from the hubs.", "metal recycling"),
    (
        "p_housing",
        Stage.PARKED,
        "Large landlord with basements we could use.",
        "space and residents",
    ),
]

NEEDS = [
    ("legal", "Legal clarity on reusing building materials and liability", 1),
    ("assets", "Space for three neighbourhood reuse hubs", 1),
    ("data", "Data on material flows across the city", 1),
    ("technology", "A digital marketplace for reused goods", 3),
    ("expertise", "Repair and material-testing know-how", 2),
    ("workforce", "Trainers for repair and sorting jobs", 2),
]

# Scores (assessor key -> list of values in criterion order) for scored prospects.
SCORES = {
    "p_law": {
        "tor": [5, 5, 3, 3, 4, 4, 5, 3, 3, 4, 3, 4, 3, 4],
        "per": [4, 5, 3, 2, 4, 4, 5, 3, 3, 4, 3, 4, 2, 2],
    },
    "p_bank": {
        "tor": [4, 3, 4, 4, 5, 4, 4, 4, 4, 3, 3, 3, 4, 3],
        "nora": [5, 4, 4, 5, 5, 5, 4, 5, 4, 2, 3, 3, 4, 4],
    },
    "p_logistics": {
        "tor": [3, 4, 3, 3, 4, 3, 4, 3, 4, 4, 4, 4, 3, 3],
        "per": [3, 3, 3, 3, 3, 3, 4, 2, 4, 4, 4, 4, 3, 4],
    },
    "p_repair": {
        "tor": [5, 4, 5, 4, 5, 5, 5, 4, 3, 4, 3, 3, 4, 3],
        "nora": [5, 5, 4, 4, 5, 5, 5, 5, 4, 4, 4, 3, 4, 2],
    },
}

NOTES = {
    ("p_law", "per", 13): "They see public procurement rules mainly as a cost.",
    ("p_law", "tor", 13): "Worked with the city before; knows the rules.",
    ("p_bank", "nora", 9): "References from two reuse projects, both good.",
    ("p_bank", "tor", 9): "Only one reference we could check.",
}

CONTACTS = {
    "p_school": [
        ("email", 20, "Head of building trades", "Interested; wants a call.", "Call next week")
    ],
    "p_law": [
        (
            "call",
            30,
            "Partner, environmental law",
            "Open to pro bono hours.",
            "Meet at their office",
        ),
        ("meeting", 18, "Two partners", "Would give 40 hours a year.", "Send scorecard results"),
    ],
    "p_bank": [
        ("call", 45, "Daily manager", "Keen; needs space.", "Visit the store"),
        ("meeting", 25, "Board chair", "Can test materials for the hubs.", "Assess"),
    ],
    "p_logistics": [
        ("meeting", 35, "CEO", "Will run a pilot route.", "Send invitation"),
        ("email", 10, "CEO", "Invitation sent with draft terms.", "Await answer"),
    ],
    "p_repair": [("meeting", 60, "Founder", "Ready to join.", "Invite")],
    "p_metal": [("call", 50, "Sales lead", "Not interested in small volumes.", "")],
}

SELF = [
    ("tor", AssessmentKind.PERSON, [4, 3, 4, 3]),
    ("nora", AssessmentKind.PERSON, [5, 3, 4, 2]),
    ("per", AssessmentKind.PERSON, [3, 4, 3, 4]),
    ("lars", AssessmentKind.PERSON, [3, 2, 3, 2]),
    ("amina", AssessmentKind.ORGANISATION, [4, 3, 3, 4]),
    ("lars", AssessmentKind.ORGANISATION, [3, 4, 2, 3]),
    ("nora", AssessmentKind.ORGANISATION, [4, 2, 3, 5]),
]


def build(ctx: DemoContext) -> None:
    partnership = ctx.partnership
    manager = ctx.people["tor"]
    for slug, (name, category) in TAGS.items():
        ctx.tags[slug], _ = Tag.objects.get_or_create(
            slug=slug, defaults={"name": name, "category": category}
        )
    for key, name, sector, org_type, place, lat, lon, offers, mission in ORGS:
        org, _ = Organisation.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "sector": sector,
                "org_type": org_type,
                "place_name": place,
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
                "mission": mission,
            },
        )
        org.offers.set([ctx.tags[t] for t in offers])
        ctx.orgs[key] = org

    services.criteria_seed(actor=manager, partnership=partnership)
    criteria = list(partnership.prospect_criteria.order_by("position", "id"))

    for category, description, priority in NEEDS:
        services.need_set(
            actor=manager,
            partnership=partnership,
            category=category,
            description=description,
            priority=priority,
        )

    prospects: dict[str, Prospect] = {}
    for key, stage, why, bring in PIPELINE:
        prospect = services.prospect_create(
            actor=manager,
            partnership=partnership,
            organisation=ctx.orgs[key],
            why_approach=why,
            could_bring=bring,
            owner=manager,
        )
        if stage != Stage.IDENTIFIED:
            prospect = services.prospect_move(actor=manager, prospect=prospect, stage=stage)
        prospects[key] = prospect
    research = prospects["p_law"]
    services.prospect_update(
        actor=manager,
        prospect=research,
        vision="Environmental law that makes the circular economy the easy choice.",
        mandate="Commercial law firm; partners may give pro bono hours to public-interest work.",
        services="Construction contracts, permits, liability for reused products.",
        strategic_plan="Grow their sustainability practice; publish guidance for municipalities.",
        existing_partners="Advises two Nordic cities' procurement offices.",
    )

    for key, entries in CONTACTS.items():
        for kind, days, who, outcome, next_step in entries:
            services.contact_log(
                actor=manager,
                prospect=prospects[key],
                kind=kind,
                happened_on=ctx.days_ago(days),
                who=who,
                outcome=outcome,
                next_step=next_step,
            )

    for key, by_assessor in SCORES.items():
        for person, values in by_assessor.items():
            services.scores_save(
                actor=ctx.people[person],
                prospect=prospects[key],
                scores={
                    c.pk: (v, NOTES.get((key, person, i), ""))
                    for i, (c, v) in enumerate(zip(criteria, values, strict=False))
                },
            )

    for person, kind, scores in SELF:
        services.self_assessment_record(
            actor=ctx.people[person], partnership=partnership, kind=kind, scores=scores
        )
