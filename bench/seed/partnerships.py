"""Scale data for the base: organisations, people, partnerships, memberships, roles."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.urls import reverse

from bench.seed import BENCH_EMAIL, SCALE_PASSWORD, ScaleContext
from commonground.accounts.models import User
from commonground.organisations.models import Organisation, OrgType, Sector, Tag, lon_strip
from commonground.partnerships.models import Membership, Partnership, Role

BATCH = 2000
SECTORS = [s.value for s in Sector]
TYPES = [t.value for t in OrgType]
KINDS = [
    "representative",
    "representative",
    "representative",
    "wg_member",
    "wg_member",
    "champion",
    "facilitator",
    "record_keeper",
    "observer",
    "sponsor",
]


def seed(ctx: ScaleContext) -> None:
    rng = ctx.rng
    tags = list(Tag.objects.all())
    if len(tags) < 20:
        for i in range(20 - len(tags)):
            Tag.objects.get_or_create(
                slug=f"scale-tag-{i}", defaults={"name": f"Scale tag {i}", "category": "other"}
            )
        tags = list(Tag.objects.all())

    n_orgs = ctx.n(20_000)
    start = Organisation.objects.filter(slug__startswith="scale-org-").count()
    orgs = [
        Organisation(
            name=f"Scale organisation {start + i:06d}",
            slug=f"scale-org-{start + i:06d}",
            sector=SECTORS[i % len(SECTORS)],
            org_type=TYPES[i % len(TYPES)],
            place_name="Region",
            latitude=Decimal(f"{59.5 + rng.random():.6f}"),
            longitude=Decimal(f"{10.0 + rng.random() * 1.5:.6f}"),
            mission="Synthetic organisation for benchmarks.",
        )
        for i in range(n_orgs)
    ]
    for org in orgs:  # bulk_create skips save(), which sets it
        org.lon_strip = lon_strip(org.longitude)
    Organisation.objects.bulk_create(orgs, batch_size=BATCH)
    org_ids = list(
        Organisation.objects.filter(slug__startswith="scale-org-")
        .order_by("-id")
        .values_list("id", flat=True)[:n_orgs]
    )
    ctx.organisation_ids = org_ids
    through = Organisation.offers.through
    offers = [
        through(organisation_id=oid, tag_id=tags[(i * 7) % len(tags)].pk)
        for i, oid in enumerate(org_ids)
    ]
    through.objects.bulk_create(offers, batch_size=BATCH)

    password = make_password(SCALE_PASSWORD)
    n_people = ctx.n(5_000)
    first = User.objects.filter(email__endswith="@scale.example").count()
    users = [
        User(
            email=f"person{first + i:06d}@scale.example",
            display_name=f"Scale Person {first + i:06d}",
            password=password,
            organisation_id=org_ids[i % len(org_ids)],
        )
        for i in range(n_people)
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    bench_user, _ = User.objects.get_or_create(
        email=BENCH_EMAIL,
        defaults={
            "display_name": "Bench Manager",
            "password": password,
            "organisation_id": org_ids[0],
        },
    )
    new_user_ids = list(
        User.objects.filter(email__endswith="@scale.example")
        .exclude(pk=bench_user.pk)
        .order_by("-id")
        .values_list("id", flat=True)[:n_people]
    )
    ctx.user_ids = new_user_ids
    ctx.bench_user_id = bench_user.pk

    n_partnerships = ctx.n(50)
    p_start = Partnership.objects.filter(slug__startswith="scale-").count()
    Partnership.objects.bulk_create(
        [
            Partnership(
                name=f"Scale partnership {p_start + i:04d}",
                slug=f"scale-{p_start + i:04d}",
                purpose="Synthetic partnership.",
                phase="consolidate",
                model="joint",
            )
            for i in range(n_partnerships)
        ]
    )
    partnerships = list(Partnership.objects.filter(slug__startswith="scale-").order_by("id"))
    ctx.partnership_ids = [p.pk for p in partnerships]
    ctx.bench_partnership_id = partnerships[0].pk
    ctx.bench_partnership_slug = partnerships[0].slug

    memberships, roles = [], []
    orgs_per = max(5, min(40, len(org_ids) // max(1, n_partnerships)))
    existing = set(
        Membership.objects.filter(partnership__in=partnerships).values_list(
            "partnership_id", "organisation_id"
        )
    )
    for pi, p in enumerate(partnerships):
        members = [org_ids[(pi * orgs_per + k) % len(org_ids)] for k in range(orgs_per)]
        members = list(dict.fromkeys(m for m in members if (p.pk, m) not in existing))
        ctx.orgs_by_partnership[p.pk] = members
        memberships += [
            Membership(partnership=p, organisation_id=oid, status="active") for oid in members
        ]
        ctx.people_by_partnership[p.pk] = []
        if not members:
            ctx.orgs_by_partnership[p.pk] = list(
                Membership.objects.filter(partnership=p).values_list("organisation_id", flat=True)[
                    :5
                ]
            )
    for ui, uid in enumerate(ctx.user_ids):
        p = partnerships[ui % len(partnerships)]
        members = ctx.orgs_by_partnership[p.pk]
        roles.append(
            Role(
                partnership=p,
                user_id=uid,
                kind=KINDS[ui % len(KINDS)],
                organisation_id=members[ui % len(members)],
                representative_kind="decision_maker"
                if KINDS[ui % len(KINDS)] == "representative"
                else "",
                is_signatory=ui % 3 == 0,
            )
        )
        ctx.people_by_partnership[p.pk].append(uid)
    has_manager_role = set(
        Role.objects.filter(user=bench_user, kind="manager").values_list(
            "partnership_id", flat=True
        )
    )
    for p in partnerships:
        if p.pk not in has_manager_role:
            roles.append(
                Role(
                    partnership=p,
                    user_id=bench_user.pk,
                    kind="manager",
                    organisation_id=ctx.orgs_by_partnership[p.pk][0],
                )
            )
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    Role.objects.bulk_create(roles, batch_size=BATCH)


def load(ctx: ScaleContext) -> None:
    ctx.partnership_ids = list(
        Partnership.objects.filter(slug__startswith="scale-")
        .order_by("id")
        .values_list("id", flat=True)
    )


def bench_pages(ctx: ScaleContext) -> list[tuple[str, str]]:
    slug = ctx.bench_partnership_slug
    return [
        ("partnership home", reverse("partnerships:home", kwargs={"slug": slug})),
        ("members", reverse("partnerships:members", kwargs={"slug": slug})),
        ("directory search", reverse("organisations:list") + "?q=organisation+00&sector=civil"),
        ("api: partnership members", reverse("api:partnership_members", kwargs={"slug": slug})),
    ]
