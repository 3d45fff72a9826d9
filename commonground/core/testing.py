"""Test helpers shared by every app: a small world of roles, the permission
matrix row type, and query-count guards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

MATRIX_ROLES = ["anonymous", "outsider", "observer", "representative", "manager", "admin"]


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


@dataclass
class Row:
    """What one URL requires.

    ``access`` is ``"public"`` (anyone), ``"signed_in"`` (any signed-in
    person), ``"staff"`` (instance admins) or a capability code from a
    ``rules.py`` (checked in ``kwargs['slug']``'s partnership, or the world's).
    """

    name: str
    kwargs: dict[str, Any] | Callable[[], dict[str, Any]]
    access: str
    method: str = "get"
    data: dict[str, Any] | None = None
    api: bool = False


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
