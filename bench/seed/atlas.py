"""Scale data for the atlas: 5,000 activities at F=1 (100 per partnership), each with
one to three member organisations and one or two standard themes. About 15% lie in
the city (59.85–59.97 N, 10.65–10.85 E), the rest anywhere in the region."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse

from bench.seed import ScaleContext
from commonground.atlas.models import Activity, ActivityKind, ActivityStatus, Theme, Tier

BATCH = 2000
CITY_BBOX = "59.8,10.6,60.0,10.9"  # south,west,north,east
KINDS = [k.value for k in ActivityKind]
STATUSES = [s.value for s in ActivityStatus]
TIERS = [t.value for t in Tier]


def _d(x: float) -> Decimal:
    return Decimal(f"{x:.6f}")


def seed(ctx: ScaleContext) -> None:
    rng = ctx.rng
    pids = ctx.partnership_ids
    if not pids:
        return
    per = max(1, ctx.n(5_000) // len(pids))
    activities = []
    for pid in pids:
        for k in range(per):
            # The first of each partnership in the city, so that even the smallest
            # seeding has points in the benchmarked box (the map's detail queries run).
            if k == 0 or rng.random() < 0.15:
                lat, lon = 59.85 + rng.random() * 0.12, 10.65 + rng.random() * 0.2
            else:
                lat, lon = 59.5 + rng.random(), 10.0 + rng.random() * 1.5
            starts = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(900))
            activities.append(
                Activity(
                    partnership_id=pid,
                    title=f"Scale activity {k:04d}",
                    description="Synthetic activity for benchmarks.",
                    kind=KINDS[rng.randrange(len(KINDS))],
                    status=STATUSES[rng.randrange(len(STATUSES))],
                    tier=TIERS[rng.randrange(len(TIERS))],
                    starts_on=starts,
                    ends_on=starts + datetime.timedelta(days=rng.randrange(60, 700)),
                    place_name="Region",
                    latitude=_d(lat),
                    longitude=_d(lon),
                    min_lat=_d(lat),
                    max_lat=_d(lat),
                    min_lon=_d(lon),
                    max_lon=_d(lon),
                    is_public=rng.random() < 0.5,
                    created_by_id=ctx.bench_user_id,
                )
            )
    Activity.objects.bulk_create(activities, batch_size=BATCH)
    created = Activity.objects.filter(partnership_id__in=pids).order_by("-id")[: len(activities)]
    themes = list(Theme.objects.filter(partnership__isnull=True).values_list("id", flat=True))
    org_links, theme_links = [], []
    OrgLink = Activity.organisations.through
    ThemeLink = Activity.themes.through
    for aid, pid in created.values_list("id", "partnership_id"):
        orgs = ctx.orgs_by_partnership.get(pid) or []
        for oid in rng.sample(orgs, min(len(orgs), rng.randint(1, 3))):
            org_links.append(OrgLink(activity_id=aid, organisation_id=oid))
        if themes:
            for tid in rng.sample(themes, min(len(themes), rng.randint(1, 2))):
                theme_links.append(ThemeLink(activity_id=aid, theme_id=tid))
    OrgLink.objects.bulk_create(org_links, batch_size=BATCH)
    ThemeLink.objects.bulk_create(theme_links, batch_size=BATCH)


def bench_pages(ctx: ScaleContext) -> list[tuple[str, str]]:
    slug = ctx.bench_partnership_slug
    return [
        ("atlas: map and list", reverse("atlas:map", kwargs={"slug": slug})),
        (
            "atlas: map GeoJSON for a city bbox",
            reverse("atlas:geojson", kwargs={"slug": slug}) + f"?bbox={CITY_BBOX}",
        ),
        # Every partnership the bench user sees (all of them): about 860 features at
        # F=1, the 2,000-feature cap from F≈2.5 on, so this one grows with F by design.
        (
            "atlas: alliance GeoJSON for a city bbox",
            reverse("atlas_global:geojson") + f"?bbox={CITY_BBOX}",
        ),
    ]
