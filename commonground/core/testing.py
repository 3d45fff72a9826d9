"""Test helpers shared by every app: a small world of roles, the permission
matrix row type, and query-count guards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

# The ten partnership role kinds, written out (not read from the models or the policy).
ROLE_KINDS = [
    "convener",
    "manager",
    "representative",
    "sponsor",
    "champion",
    "wg_member",
    "facilitator",
    "record_keeper",
    "observer",
    "translator",
]
# Everyone the permission matrix sends to every URL: a person holding each role kind in
# the world's partnership, plus nobody signed in, a member of another partnership only,
# and an instance administrator.
MATRIX_ROLES = ["anonymous", "outsider", *ROLE_KINDS, "admin"]


@dataclass
class World:
    """One private partnership with a person in each role, and an outsider from another."""

    partnership: Any
    other_partnership: Any
    organisation: Any
    second_organisation: Any
    users: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def user(self, role: str) -> Any:
        return self.users.get(role)


def build_world() -> World:
    from commonground.accounts.tests.factories import UserFactory
    from commonground.organisations.tests.factories import OrganisationFactory
    from commonground.partnerships.models import MembershipStatus, RepresentativeKind, RoleKind
    from commonground.partnerships.tests.factories import (
        MembershipFactory,
        PartnershipFactory,
        RoleFactory,
    )

    org = OrganisationFactory(name="Harbour Repair Collective", sector="civil")
    org2 = OrganisationFactory(name="Fjordvik Municipality", sector="public")
    partnership = PartnershipFactory(name="Matrix Partnership", slug="matrix")
    other = PartnershipFactory(name="Elsewhere Partnership", slug="elsewhere")
    for o in (org, org2):
        MembershipFactory(partnership=partnership, organisation=o, status=MembershipStatus.ACTIVE)
    users = {
        "outsider": UserFactory(email="outsider@example.org", display_name="Otto Outsider"),
        "observer": UserFactory(email="observer@example.org", display_name="Olga Observer"),
        "representative": UserFactory(
            email="rep@example.org", display_name="Rita Rep", organisation=org
        ),
        "manager": UserFactory(
            email="manager@example.org", display_name="Mona Manager", organisation=org2
        ),
        "admin": UserFactory(
            email="admin@example.org", display_name="Ada Admin", is_superuser=True, is_staff=True
        ),
    }
    RoleFactory(partnership=other, user=users["outsider"], kind=RoleKind.MANAGER)
    RoleFactory(partnership=partnership, user=users["observer"], kind=RoleKind.OBSERVER)
    RoleFactory(
        partnership=partnership,
        user=users["representative"],
        kind=RoleKind.REPRESENTATIVE,
        organisation=org,
        representative_kind=RepresentativeKind.DECISION_MAKER,
        is_signatory=True,
    )
    RoleFactory(
        partnership=partnership, user=users["manager"], kind=RoleKind.MANAGER, organisation=org2
    )
    return World(
        partnership=partnership,
        other_partnership=other,
        organisation=org,
        second_organisation=org2,
        users=users,
    )


def add_every_role_kind(world: World) -> World:
    """Give the world's partnership a person for each role kind it has none for yet;
    ``world.users`` is keyed by the kind (``build_world`` has the observer,
    representative and manager already)."""
    from commonground.accounts.tests.factories import UserFactory
    from commonground.partnerships.tests.factories import RoleFactory

    for kind in ROLE_KINDS:
        if kind in world.users:
            continue
        user = UserFactory(
            email=f"{kind.replace('_', '-')}@example.org",
            display_name=f"{kind.replace('_', ' ').title()} Person",
        )
        RoleFactory(partnership=world.partnership, user=user, kind=kind)
        world.users[kind] = user
    return world


def everyone(world: World) -> dict[str, Any]:
    """Every person of the world by label, with a fresh user object each (roles are
    cached on the object), and nobody signed in as ``"anonymous"``."""
    from django.contrib.auth.models import AnonymousUser

    from commonground.accounts.models import User

    fresh = {u.pk: u for u in User.objects.filter(pk__in=[u.pk for u in world.users.values()])}
    return {"anonymous": AnonymousUser(), **{k: fresh[u.pk] for k, u in world.users.items()}}


def assert_rule_forms_agree(
    allowed: Callable[[Any, Any], bool],
    allowed_among: Callable[[Any, Any], Any],
    users: dict[str, Any],
    objects: Any,
) -> dict[str, set[Any]]:
    """Check that an object rule's instance form (``allowed(user, obj)``) and queryset
    form (``allowed_among(user, queryset)``) give the same answer for every object of
    the queryset ``objects`` and every user. Returns, per user label, the primary keys
    allowed, so that a test can also check the answers themselves."""
    rows = list(objects)
    answers: dict[str, set[Any]] = {}
    disagreements = []
    for label, user in users.items():
        among = set(allowed_among(user, objects).values_list("pk", flat=True))
        assert among <= {o.pk for o in rows}, f"{label}: the queryset form added objects"
        one_by_one = {o.pk for o in rows if allowed(user, o)}
        if among != one_by_one:
            disagreements.append(
                f"{label}: queryset form {sorted(among)}, instance form {sorted(one_by_one)}"
            )
        answers[label] = one_by_one
    assert not disagreements, "\n".join(disagreements)
    return answers


@dataclass
class Row:
    """What one URL requires.

    ``access`` is ``"public"`` (anyone), ``"signed_in"`` (any signed-in
    person), ``"staff"`` (instance admins) or a capability code from a
    ``rules.py`` (checked in ``kwargs['slug']``'s partnership, or the world's).
    Where an object rule narrows the capability further (the uploader of this
    document, the chair of this meeting), ``only`` names, written out, the role
    kinds that get through; the capability's other holders get 403.
    """

    name: str
    kwargs: dict[str, Any] | Callable[[], dict[str, Any]]
    access: str
    method: str = "get"
    data: dict[str, Any] | None = None
    api: bool = False
    only: frozenset[str] | None = None


def count_queries(func: Callable[[], Any]) -> tuple[int, list[str], Any]:
    from commonground.core import versions

    # A test's transaction never commits: bump the data versions its writes marked now,
    # as their commit would, so the counted reads do not.
    versions.bump_marked()
    with CaptureQueriesContext(connection) as ctx:
        result = func()
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries], result


def assert_queries_do_not_grow(
    request: Callable[[], Any], grow: Callable[[], None], *, max_queries: int | None = None
) -> int:
    """Run ``request`` (which must return a 200 response), add data with ``grow``, run it again:
    the number of queries must be the same. Returns the count.

    Each run starts with an empty cache, so a page that keeps what it derived
    (``core.audit.cached_while_unchanged``) is counted as first built, its worst case,
    both times."""
    from commonground.core.cache import page_cache

    cache = page_cache()
    cache.clear()
    n1, sql1, r1 = count_queries(request)
    assert getattr(r1, "status_code", 200) == 200, f"first request gave {r1.status_code}"
    grow()
    cache.clear()
    n2, sql2, r2 = count_queries(request)
    assert getattr(r2, "status_code", 200) == 200, f"second request gave {r2.status_code}"
    if n1 != n2:
        extra = "\n".join(sql2[len(sql1) :][:10]) if n2 > n1 else ""
        raise AssertionError(f"query count grew with data: {n1} -> {n2}\n{extra}")
    if max_queries is not None:
        assert n1 <= max_queries, f"{n1} queries, more than {max_queries}:\n" + "\n".join(sql1)
    return n1


def home_with_panels(client: Any, partnership: Any) -> str:
    """The partnership home as a person with JavaScript sees it: the page plus every panel it loads."""
    from django.urls import reverse

    body = client.get(
        reverse("partnerships:home", kwargs={"slug": partnership.slug})
    ).content.decode()
    import re

    for url in re.findall(r'hx-get="(/p/[^"]+/panels/[^"]+/)"', body):
        body += client.get(url, HTTP_HX_REQUEST="true").content.decode()
    return body


def wait_for_other_snapshots(rounds: int = 100) -> None:
    """Wait (a bounded while) until no other session of this PostgreSQL database holds a
    snapshot (an autovacuum worker analysing a table, say): while one does, a sealed
    table's scrub is postponed (``core.anonymity``). Nothing to wait for on SQLite."""
    import time

    if connection.vendor != "postgresql":
        return
    for _ in range(rounds):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid()"
                " AND (backend_xmin IS NOT NULL OR backend_xid IS NOT NULL)"
            )
            if not cursor.fetchone()[0]:
                return
        time.sleep(0.1)
    with connection.cursor() as cursor:  # say who, so that a failure explains itself
        cursor.execute(
            "SELECT pid, backend_type, state, backend_xid, backend_xmin, left(query, 200)"
            " FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        )
        print("other sessions still open:", cursor.fetchall())  # noqa: T201
