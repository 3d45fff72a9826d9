"""Demo: ≈60 activities across Fjordvik, with real overlaps between partners."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from commonground.core.demo import DemoContext

from . import services
from .models import ActivityKind, AllianceTarget, Theme

# Hand-placed pairs that genuinely overlap (same theme, different organisations, close by).
PLACED = [
    # title, kind, themes, orgs, tier, lat, lon, description, public
    (
        "Repair café Grünerløkka",
        "service",
        ["sharing-repair"],
        ["reuse"],
        "core",
        "59.923100",
        "10.759200",
        "Monthly repair café where volunteers fix bikes, lamps, clothes and small electronics.",
        True,
    ),
    (
        "Tool library at Grünerløkka branch library",
        "service",
        ["sharing-repair"],
        ["library"],
        "core",
        "59.923600",
        "10.760100",
        "Borrow drills, sewing machines and ladders with a library card.",
        True,
    ),
    (
        "Reclaimed doors and windows pilot",
        "pilot",
        ["construction-materials"],
        ["builder"],
        "core",
        "59.909200",
        "10.783500",
        "Dismantling, testing and reinstalling doors and windows from a 1960s school renovation.",
        True,
    ),
    (
        "Testing lab for reclaimed timber",
        "project",
        ["construction-materials"],
        ["uni"],
        "additional",
        "59.909800",
        "10.784800",
        "Strength grading of reclaimed beams so that engineers can sign off on reuse.",
        False,
    ),
    (
        "Community fridge Tøyen",
        "service",
        ["food"],
        ["house"],
        "additional",
        "59.915200",
        "10.772200",
        "A shared fridge for surplus food from local shops, looked after by neighbours.",
        True,
    ),
    (
        "Surplus food pick-up route Tøyen–Grønland",
        "pilot",
        ["food", "mobility"],
        ["residents"],
        "additional",
        "59.914600",
        "10.770900",
        "Cargo-bike route collecting surplus food from grocers for community fridges.",
        False,
    ),
]

# Areas that overlap each other.
ALNA_ZONE = {
    "type": "Polygon",
    "coordinates": [
        [[10.825, 59.926], [10.850, 59.926], [10.850, 59.940], [10.825, 59.940], [10.825, 59.926]]
    ],
}
ALNA_SURVEY = {
    "type": "Polygon",
    "coordinates": [
        [[10.838, 59.930], [10.849, 59.930], [10.849, 59.945], [10.838, 59.945], [10.838, 59.930]]
    ],
}
OSLO_CENTRE_ZONE = {
    "type": "Polygon",
    "coordinates": [
        [[10.735, 59.905], [10.765, 59.905], [10.765, 59.920], [10.735, 59.920], [10.735, 59.905]]
    ],
}

GENERATED = [
    # title stem, kind, themes, orgs, tier
    ("Swap market", "service", ["textiles", "sharing-repair"], ["reuse"], "core"),
    ("Neighbourhood reuse hub", "project", ["sharing-repair"], ["waste", "reuse"], "core"),
    ("Reuse station upgrade", "project", ["construction-materials"], ["waste"], "core"),
    ("School repair workshop", "programme", ["sharing-repair"], ["library", "house"], "additional"),
    ("Textile drop-off point", "service", ["textiles"], ["textile"], "core"),
    ("Solar roof on community centre", "project", ["energy"], ["city", "residents"], "additional"),
    ("Rainwater garden", "pilot", ["water"], ["city"], "platform"),
    ("Bike repair pop-up", "service", ["mobility", "sharing-repair"], ["reuse"], "additional"),
    ("Material passport study", "project", ["construction-materials"], ["uni", "city"], "platform"),
    ("Zero-waste canteen", "pilot", ["food"], ["foundation", "house"], "additional"),
    (
        "Circular procurement training",
        "programme",
        ["construction-materials"],
        ["city"],
        "platform",
    ),
    ("Green jobs sorting course", "programme", ["textiles"], ["textile", "waste"], "core"),
    (
        "Open data on waste flows",
        "service",
        ["construction-materials", "food"],
        ["waste", "uni"],
        "platform",
    ),
    ("Car-sharing for tradespeople", "pilot", ["mobility"], ["builder"], "additional"),
    ("Heat recovery from sorting plant", "project", ["energy"], ["waste"], "platform"),
]

PLACES = [
    ("Grünerløkka", "59.9230", "10.7590"),
    ("Tøyen", "59.9150", "10.7720"),
    ("Gamle Oslo", "59.9060", "10.7700"),
    ("Sagene", "59.9380", "10.7560"),
    ("Majorstuen", "59.9290", "10.7140"),
    ("Frogner", "59.9210", "10.7000"),
    ("Alna", "59.9330", "10.8400"),
    ("Bjerke", "59.9420", "10.8100"),
    ("Nordstrand", "59.8900", "10.7900"),
    ("Ullern", "59.9230", "10.6600"),
    ("Nydalen", "59.9500", "10.7650"),
    ("Sentrum", "59.9127", "10.7461"),
]

GATHERINGS = [
    ("Partner lab: reuse hubs", ["sharing-repair"], ["city", "reuse", "waste"]),
    ("Materials marketplace meetup", ["construction-materials"], ["builder", "uni"]),
    ("Textile futures workshop", ["textiles"], ["textile", "residents"]),
    ("Food waste kitchen lab", ["food"], ["house", "foundation"]),
    ("Alliance gathering autumn", ["sharing-repair", "energy"], ["city", "nordic"]),
]


def _jitter(ctx: DemoContext, value: str, spread: float) -> Decimal:
    return (Decimal(value) + Decimal(str(round(ctx.rng.uniform(-spread, spread), 6)))).quantize(
        Decimal("0.000001")
    )


def build(ctx: DemoContext) -> None:
    p = ctx.partnership
    actor = ctx.people.get("tor")
    themes = {t.slug: t for t in Theme.objects.filter(partnership__isnull=True)}
    custom = "Digital platforms"
    made: dict[str, Any] = {}

    def add(
        title: str, kind: str, theme_slugs: list[str], org_keys: list[str], tier: str, **kw: Any
    ) -> Any:
        tier = {"additional": "strategic"}.get(tier, tier)
        activity = services.activity_create(
            actor=actor,
            partnership=kw.pop("partnership", p),
            title=title,
            kind=kind,
            organisations=[ctx.orgs[k] for k in org_keys],
            themes=[themes[s] for s in theme_slugs],
            tier=tier,
            **kw,
        )
        made[title] = activity
        return activity

    for title, kind, th, orgs, tier, lat, lon, desc, public in PLACED:
        add(
            title,
            kind,
            th,
            orgs,
            tier,
            latitude=lat,
            longitude=lon,
            description=desc,
            is_public=public,
            status="active",
            starts_on=ctx.days_ago(200),
            ends_on=ctx.days_ahead(300),
        )
    add(
        "Textile collection zone Alna",
        "service",
        ["textiles"],
        ["textile"],
        "core",
        area=ALNA_ZONE,
        place_name="Alna",
        description="Door-to-door textile collection bags for 9,000 households.",
        is_public=True,
        starts_on=ctx.days_ago(120),
    )
    add(
        "Household textile waste survey",
        "project",
        ["textiles"],
        ["waste", "uni"],
        "strategic",
        area=ALNA_SURVEY,
        place_name="Alna and Furuset",
        description="Picking analysis of residual waste to measure textile content before and after.",
        starts_on=ctx.days_ago(90),
        ends_on=ctx.days_ahead(60),
    )
    add(
        "Circular city centre construction zone",
        "programme",
        ["construction-materials"],
        ["city"],
        "platform",
        area=OSLO_CENTRE_ZONE,
        latitude="59.912700",
        longitude="10.746100",
        place_name="Sentrum",
        description="All municipal building projects in the centre plan for reuse from the design stage.",
        is_public=True,
        starts_on=ctx.days_ago(400),
        custom_themes=custom,
    )
    for title, th, orgs in GATHERINGS:
        place, lat, lon = ctx.rng.choice(PLACES)
        add(
            title,
            ActivityKind.GATHERING,
            th,
            orgs,
            "platform",
            latitude=_jitter(ctx, lat, 0.004),
            longitude=_jitter(ctx, lon, 0.006),
            place_name=place,
            status="completed",
            starts_on=ctx.days_ago(ctx.rng.randint(5, 150)),
            ends_on=None,
            description="A hands-on session for partners and residents.",
            is_public=True,
        )
    statuses = ["active", "active", "active", "planned", "completed", "paused"]
    n = 0
    while len(made) < 58:
        stem, kind, th, orgs, tier = GENERATED[n % len(GENERATED)]
        place, lat, lon = PLACES[(n * 5) % len(PLACES)]
        n += 1
        start = ctx.days_ago(ctx.rng.randint(30, 700))
        status = ctx.rng.choice(statuses)
        add(
            f"{stem} {place}",
            kind,
            th,
            orgs,
            tier,
            latitude=_jitter(ctx, lat, 0.012),
            longitude=_jitter(ctx, lon, 0.02),
            place_name=place,
            status=status,
            starts_on=start,
            ends_on=ctx.days_ago(ctx.rng.randint(1, 20)) if status == "completed" else None,
            description=f"{stem} run by partners in {place}.",
            is_public=ctx.rng.random() < 0.5,
        )
    # One activity of another partnership, so the alliance view has two partnerships to show.
    other = ctx.other_partnership
    if other is not None and "elsewhere" in ctx.orgs:
        add(
            "Warm homes retrofit advice",
            "service",
            ["energy"],
            ["elsewhere"],
            "core",
            partnership=other,
            latitude="59.930000",
            longitude="10.720000",
            place_name="Bergenvik office",
        )
    services.conversation_suggest(
        actor=ctx.people.get("nora"),
        partnership=p,
        first=made["Repair café Grünerløkka"],
        second=made["Tool library at Grünerløkka branch library"],
        note="Same street, same visitors: lend tools at the repair café evenings?",
    )
    services.conversation_suggest(
        actor=ctx.people.get("per"),
        partnership=p,
        first=made["Reclaimed doors and windows pilot"],
        second=made["Testing lab for reclaimed timber"],
        note="The lab could grade the timber from the school renovation.",
    )
    AllianceTarget.objects.update_or_create(
        year=ctx.today.year, defaults={"gatherings": 8, "new_partnerships": 2}
    )
    ctx.extra["atlas_activities"] = made
