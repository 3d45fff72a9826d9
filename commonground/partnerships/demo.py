"""Demo: the organisations, people and the partnership itself (a fictional
circular-economy programme in the fictional Nordic city of Fjordvik)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.text import slugify

from commonground.accounts.models import User
from commonground.core.demo import DEMO_PASSWORD, DEMO_SLUG, DemoContext
from commonground.organisations.models import Organisation, Tag

from .models import Membership, MembershipStatus, Partnership, Role, Visibility

TAGS = {
    # slug: (name, category)
    "funding": ("Project funding", "funding"),
    "grant-writing": ("Grant writing", "expertise"),
    "repair-skills": ("Repair skills", "expertise"),
    "material-testing": ("Material testing", "expertise"),
    "lca": ("Life-cycle assessment", "expertise"),
    "legal-advice": ("Legal advice on reuse", "legal"),
    "procurement": ("Public procurement", "policy"),
    "regulation": ("Permits and regulation", "policy"),
    "warehouse": ("Warehouse space", "assets"),
    "workshop-space": ("Workshop space", "assets"),
    "transport": ("Transport and logistics", "logistics"),
    "waste-data": ("Waste flow data", "data"),
    "community-reach": ("Reach into neighbourhoods", "community"),
    "volunteers": ("Volunteers", "workforce"),
    "job-training": ("Job training", "workforce"),
    "digital-platform": ("Digital marketplace platform", "technology"),
    "convening": ("Convening power", "convening"),
    "networks-nordic": ("Nordic city networks", "networks"),
    "communication": ("Communication and campaigns", "expertise"),
    "textile-sorting": ("Textile sorting", "expertise"),
}

ORGS = [
    # key, name, sector, type, size, place, lat, lon, offers, needs, mission
    (
        "city",
        "Fjordvik kommune – Klimaetaten",
        "public",
        "local_gov",
        "large",
        "Fjordvik sentrum",
        "59.9127",
        "10.7461",
        ["convening", "procurement", "regulation", "funding"],
        ["material-testing", "community-reach", "waste-data"],
        "The city's climate agency: halve emissions and make Fjordvik a circular city by 2030.",
    ),
    (
        "waste",
        "Fjordvik Renovasjon KF",
        "public",
        "agency",
        "large",
        "Haraldrud",
        "59.9250",
        "10.8130",
        ["waste-data", "transport", "warehouse"],
        ["digital-platform", "job-training"],
        "Municipal waste company collecting from 340,000 households and running the reuse stations.",
    ),
    (
        "builder",
        "Brattli Bygg AS",
        "private",
        "company",
        "medium",
        "Lodalen",
        "59.9090",
        "10.7830",
        ["material-testing", "transport", "workshop-space"],
        ["legal-advice", "warehouse", "procurement"],
        "Contractor specialising in renovation; pilots reuse of doors, windows and steel.",
    ),
    (
        "textile",
        "Kretsløp Tekstil AS",
        "private",
        "company",
        "small",
        "Alnabru",
        "59.9330",
        "10.8400",
        ["textile-sorting", "digital-platform"],
        ["funding", "volunteers"],
        "Sorts and resells used textiles; building a regional sorting hub.",
    ),
    (
        "reuse",
        "Gjenbruksnettverket",
        "civil",
        "ngo",
        "small",
        "Grünerløkka",
        "59.9230",
        "10.7590",
        ["repair-skills", "volunteers", "community-reach"],
        ["workshop-space", "funding"],
        "Network of repair cafés and swap markets in twelve neighbourhoods.",
    ),
    (
        "house",
        "Nabolagshuset Tøyenløkka",
        "civil",
        "ngo",
        "micro",
        "Tøyen",
        "59.9150",
        "10.7720",
        ["community-reach", "volunteers"],
        ["repair-skills", "funding"],
        "Neighbourhood centre offering a tool library and language cafés.",
    ),
    (
        "uni",
        "Fjordvik universitet – Senter for sirkulær økonomi",
        "knowledge",
        "university",
        "large",
        "Blindern",
        "59.9400",
        "10.7220",
        ["lca", "material-testing", "grant-writing"],
        ["waste-data"],
        "Research centre on material flows, life-cycle assessment and circular business models.",
    ),
    (
        "library",
        "Fjordvik folkebibliotek",
        "knowledge",
        "library",
        "medium",
        "Bjørvika",
        "59.9080",
        "10.7530",
        ["community-reach", "workshop-space", "communication"],
        ["repair-skills"],
        "The public library: lending tools and sports gear, digital skills for all.",
    ),
    (
        "foundation",
        "Stiftelsen Grønn Fremtid",
        "funder",
        "foundation",
        "micro",
        "Fjordvik sentrum",
        "59.9139",
        "10.7390",
        ["funding", "grant-writing"],
        [],
        "Foundation funding local climate and circular initiatives.",
    ),
    (
        "residents",
        "Beboernettverket Sagene Nord",
        "residents",
        "resident_group",
        "micro",
        "Sagene",
        "59.9380",
        "10.7580",
        ["community-reach", "volunteers"],
        ["repair-skills", "communication"],
        "Residents of Sagene who want repair, sharing and less waste in their blocks.",
    ),
    (
        "nordic",
        "Nordic Circular Cities Network",
        "multilateral",
        "multilateral",
        "small",
        "Copenhagen",
        "55.6761",
        "12.5683",
        ["networks-nordic", "convening"],
        [],
        "Network of Nordic cities sharing circular-economy practice.",
    ),
    (
        "elsewhere",
        "Elsewhere Housing Trust",
        "civil",
        "ngo",
        "small",
        "Bergenvik",
        "60.3913",
        "5.3221",
        ["community-reach"],
        ["funding"],
        "A housing charity in another city (belongs to another partnership).",
    ),
]

PEOPLE = [
    # key, name, email local part, org key, role kind, representative kind, signatory, title
    (
        "ingrid",
        "Ingrid Solberg",
        "ingrid",
        "city",
        "convener",
        "",
        False,
        "Head of circular economy",
    ),
    ("tor", "Tor Haugen", "tor", "city", "manager", "", False, "Partnership manager"),
    (
        "amina",
        "Amina Yusuf",
        "amina",
        "city",
        "representative",
        "decision_maker",
        True,
        "Director, Klimaetaten",
    ),
    ("lars", "Lars Nygård", "lars", "waste", "representative", "decision_maker", True, "CEO"),
    ("kari", "Kari Berg", "kari", "waste", "wg_member", "", False, "Reuse station lead"),
    (
        "erik",
        "Erik Brattli",
        "erik",
        "builder",
        "representative",
        "decision_maker",
        True,
        "Managing director",
    ),
    ("sofie", "Sofie Lunde", "sofie", "builder", "wg_member", "", False, "Project engineer"),
    ("maja", "Maja Strand", "maja", "textile", "representative", "doer", False, "Operations lead"),
    (
        "jonas",
        "Jonas Eide",
        "jonas",
        "textile",
        "representative",
        "decision_maker",
        True,
        "Founder",
    ),
    (
        "nora",
        "Nora Aasen",
        "nora",
        "reuse",
        "representative",
        "decision_maker",
        True,
        "General secretary",
    ),
    ("ali", "Ali Rahimi", "ali", "reuse", "facilitator", "", False, "Community facilitator"),
    ("hanne", "Hanne Moe", "hanne", "house", "representative", "doer", True, "Centre coordinator"),
    (
        "per",
        "Per Kristiansen",
        "per",
        "uni",
        "representative",
        "decision_maker",
        True,
        "Centre director",
    ),
    ("lin", "Lin Chen", "lin", "uni", "wg_member", "", False, "Researcher, material flows"),
    (
        "eva",
        "Eva Dahl",
        "eva",
        "library",
        "representative",
        "decision_maker",
        True,
        "Head librarian",
    ),
    ("oskar", "Oskar Vik", "oskar", "library", "record_keeper", "", False, "Programme coordinator"),
    ("grete", "Grete Holm", "grete", "foundation", "sponsor", "", False, "Programme director"),
    (
        "henrik",
        "Henrik Lie",
        "henrik",
        "foundation",
        "representative",
        "decision_maker",
        True,
        "Chair",
    ),
    (
        "fatima",
        "Fatima Osman",
        "fatima",
        "residents",
        "representative",
        "doer",
        True,
        "Resident spokesperson",
    ),
    ("olav", "Olav Sæther", "olav", "residents", "wg_member", "", False, "Resident volunteer"),
    ("mette", "Mette Jensen", "mette", "nordic", "observer", "", False, "Network officer"),
    (
        "sindre",
        "Sindre Bakke",
        "sindre",
        "city",
        "champion",
        "",
        False,
        "Deputy mayor for environment",
    ),
    ("anne", "Anne Fossum", "anne", "waste", "wg_member", "", False, "Data analyst"),
    ("thomas", "Thomas Lund", "thomas", "builder", "wg_member", "", False, "Site manager"),
    ("ragnhild", "Ragnhild Ås", "ragnhild", "city", "wg_member", "", False, "Procurement adviser"),
]


def reset_demo() -> None:
    """Remove the demo partnerships and their people (used by ``load_demo --reset``)."""
    Partnership.objects.filter(slug__in=[DEMO_SLUG, "elsewhere-housing"]).delete()
    User.objects.filter(email__endswith="@fjordvik.example").delete()
    User.objects.filter(email__endswith="@elsewhere.example").delete()


def build(ctx: DemoContext) -> None:
    for slug, (name, category) in TAGS.items():
        ctx.tags[slug], _ = Tag.objects.get_or_create(
            slug=slug, defaults={"name": name, "category": category}
        )
    for key, name, sector, org_type, size, place, lat, lon, offers, needs, mission in ORGS:
        org, _ = Organisation.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "sector": sector,
                "org_type": org_type,
                "size": size,
                "place_name": place,
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
                "mission": mission,
                "website": f"https://{slugify(name)[:30]}.example",
            },
        )
        org.offers.set([ctx.tags[t] for t in offers])
        org.needs.set([ctx.tags[t] for t in needs])
        ctx.orgs[key] = org

    people = {}
    for key, name, local, org_key, *_rest in PEOPLE:
        user = User.objects.filter(email=f"{local}@fjordvik.example").first()
        if user is None:
            user = User(
                email=f"{local}@fjordvik.example", display_name=name, organisation=ctx.orgs[org_key]
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        people[key] = user
    admin = User.objects.filter(email="admin@fjordvik.example").first()
    if admin is None:
        admin = User.objects.create_superuser(
            "admin@fjordvik.example", DEMO_PASSWORD, display_name="Instance Admin"
        )
    people["admin"] = admin
    outsider = User.objects.filter(email="outsider@elsewhere.example").first()
    if outsider is None:
        outsider = User(
            email="outsider@elsewhere.example",
            display_name="Oda Outsider",
            organisation=ctx.orgs["elsewhere"],
        )
        outsider.set_password(DEMO_PASSWORD)
        outsider.save()
    people["outsider"] = outsider
    ctx.people.update(people)

    partnership = Partnership.objects.create(
        slug=DEMO_SLUG,
        name="Fjordvik Circular Materials Partnership",
        purpose=(
            "Keep building materials, textiles and everyday goods in use in Fjordvik: more repair, reuse and "
            "sharing, less waste, and green jobs in the neighbourhoods that need them most."
        ),
        model="gov_nonprofit",
        visibility=Visibility.LISTED,
        phase="consolidate",
        place_name="Fjordvik",
        trigger=(
            "The city's new climate budget requires a 30% cut in household waste by 2030, the waste company "
            "lost its landfill contract, and a Nordic fund opened a call for joint circular projects."
        ),
        objectives=(
            "1. Open three neighbourhood reuse hubs by 2027.\n2. Reuse 2,000 tonnes of building materials a year."
            "\n3. Train 60 people into repair and sorting jobs.\n4. Halve textile waste in residual waste."
        ),
        needs="Space for reuse hubs; data on material flows; people with repair skills; legal clarity on reuse.",
        resources="City staff time and procurement power; the waste company's stations and trucks; volunteers.",
        created_by=people["ingrid"],
    )
    ctx.partnership = partnership
    joined = {
        "city": 400,
        "waste": 380,
        "builder": 300,
        "reuse": 330,
        "uni": 280,
        "library": 250,
        "foundation": 240,
        "house": 200,
        "residents": 150,
        "textile": 120,
        "nordic": 90,
    }
    for key, days in joined.items():
        Membership.objects.create(
            partnership=partnership,
            organisation=ctx.orgs[key],
            status=MembershipStatus.ACTIVE,
            joined_on=ctx.days_ago(days),
        )
    for key, _name, _local, org_key, kind, rep_kind, signatory, title in PEOPLE:
        Role.objects.create(
            partnership=partnership,
            user=people[key],
            organisation=ctx.orgs[org_key],
            kind=kind,
            representative_kind=rep_kind,
            is_signatory=signatory,
            title=title,
            started_on=ctx.days_ago(joined.get(org_key, 100)),
        )

    other = Partnership.objects.create(
        slug="elsewhere-housing",
        name="Elsewhere Housing Partnership",
        purpose="Warm homes in Bergenvik.",
        model="joint",
        visibility=Visibility.PRIVATE,
        phase="agree",
        place_name="Bergenvik",
        created_by=outsider,
    )
    Membership.objects.create(
        partnership=other, organisation=ctx.orgs["elsewhere"], status=MembershipStatus.ACTIVE
    )
    Role.objects.create(
        partnership=other, user=outsider, organisation=ctx.orgs["elsewhere"], kind="convener"
    )
    ctx.other_partnership = other
