"""Every URL × every role: allowed, refused with 403, hidden with 404, or sent to sign in.

Rows come from each app's ``tests/matrix.py``. A URL in the URL conf with no
row fails the test, so a new page cannot ship without a declared rule. The
people are nobody signed in, an outsider, a person holding each of the nine role
kinds, and an instance administrator (``core.testing.MATRIX_ROLES``). Which role
kinds hold a capability is read from the table written out in
``capability_table.py``, never from the policy registry under test; a test
checks that the registry grants exactly what that table says.
"""

from __future__ import annotations

import json
import re
from importlib import import_module
from importlib.util import find_spec

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from commonground.core import policy
from commonground.core.testing import MATRIX_ROLES, ROLE_KINDS, Row, World, add_every_role_kind
from commonground.core.urlnames import all_url_names
from commonground.partnerships.models import RoleKind

from .capability_table import CAPABILITY_HOLDERS, EVERY_KIND

EXCLUDED_NAMESPACES = ("admin:",)  # Django admin: staff only, covered by test_admin_needs_staff


def matrix_rows(world: World) -> list[Row]:
    rows: list[Row] = []
    for app in settings.COMMONGROUND_APPS:
        module = f"{app}.tests.matrix"
        if find_spec(f"{app}.tests") is not None and find_spec(module) is not None:
            rows.extend(import_module(module).rows(world))
    return rows


def expected(row: Row, role: str, world: World) -> str:
    """One of: allow, login (redirect or 401), forbid (403), hide (404)."""
    anonymous = role == "anonymous"
    if row.access == "public":
        return "allow"
    if row.access == "public_404":
        return "hide"
    if anonymous:
        return "login"
    if row.access == "signed_in":
        return "allow"
    if row.access == "staff":
        return "allow" if role == "admin" else "forbid"
    if row.access.startswith("owner:"):
        return "allow" if role == row.access.split(":", 1)[1] else "hide"
    if row.access == "org_editor":
        return "allow" if role in ("admin", "representative") else "forbid"
    # A partnership capability: its holders as the written table says.
    assert row.access in CAPABILITY_HOLDERS, f"{row.name}: {row.access} is not in the table"
    if role == "admin":
        return "allow"
    if role == "outsider":
        return "hide"
    assert role in ROLE_KINDS, role
    holders = set(CAPABILITY_HOLDERS[row.access])
    if row.only is not None:
        assert row.only <= holders, f"{row.name}: {sorted(row.only - holders)} lack {row.access}"
        holders = set(row.only)
    return "allow" if role in holders else "forbid"


def outcome(response, row: Row) -> str:
    code = response.status_code
    if code == 302 and "/accounts/login/" in response.get("Location", ""):
        return "login"
    if code == 401:
        return "login"
    if code == 403:
        return "forbid"
    if code == 404:
        return "hide"
    if code >= 500:
        return f"error {code}"
    return "allow"


def send(client: Client, row: Row):
    kwargs = row.kwargs() if callable(row.kwargs) else row.kwargs
    url = reverse(row.name, kwargs=kwargs)
    method = getattr(client, row.method)
    if row.api and row.method != "get":
        return method(url, data=json.dumps(row.data or {}), content_type="application/json")
    return method(url, data=row.data or {})


def test_the_written_table_names_the_ten_role_kinds():
    assert EVERY_KIND == set(ROLE_KINDS) == {kind for kind, _label in RoleKind.choices}
    assert all(holders <= EVERY_KIND for holders in CAPABILITY_HOLDERS.values())


def test_the_registry_grants_what_this_table_says():
    registry = {c.code: set(c.roles) for c in policy.all_capabilities()}
    differences = [
        f"{code}: rules.py grants {sorted(registry.get(code, []))},"
        f" the table says {sorted(CAPABILITY_HOLDERS.get(code, []))}"
        for code in sorted(set(registry) | set(CAPABILITY_HOLDERS))
        if registry.get(code) != CAPABILITY_HOLDERS.get(code)
    ]
    assert not differences, "\n".join(differences)


@pytest.mark.django_db
def test_every_url_has_a_rule_and_every_role_gets_the_declared_answer(world):
    add_every_role_kind(world)
    assert set(world.users) | {"anonymous"} == set(MATRIX_ROLES)
    rows = matrix_rows(world)
    declared = {r.name for r in rows}
    in_urlconf = {n for n in all_url_names() if not n.startswith(EXCLUDED_NAMESPACES)}
    missing = sorted(in_urlconf - declared)
    assert not missing, f"URLs without a permission-matrix row: {missing}"
    stale = sorted(declared - in_urlconf)
    assert not stale, f"matrix rows for URLs that do not exist: {stale}"

    failures = []
    for role in MATRIX_ROLES:
        client = Client(raise_request_exception=False)
        user = world.user(role)
        if user is not None:
            client.force_login(user)
        for row in rows:
            want = expected(row, role, world)
            got = outcome(send(client, row), row)
            if want != got:
                failures.append(
                    f"{row.method.upper()} {row.name} as {role}: expected {want}, got {got}"
                )
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_outsider_gets_the_same_404_as_for_a_missing_partnership(world, client_for):
    client = client_for("outsider")
    real_url = reverse("partnerships:home", kwargs={"slug": world.partnership.slug})
    missing_url = reverse("partnerships:home", kwargs={"slug": "no-such-partnership"})
    real, missing = client.get(real_url), client.get(missing_url)
    assert real.status_code == missing.status_code == 404

    # The pages are byte-identical apart from the per-request CSRF mask and the page's own path.
    def normalise(response, url):
        return re.sub(
            rb"[A-Za-z0-9]{64}", b"TOKEN", response.content.replace(url.encode(), b"PATH")
        )

    assert normalise(real, real_url) == normalise(missing, missing_url)


@pytest.mark.django_db
def test_admin_needs_staff(world, client_for):
    for role in ("outsider", "observer", "representative", "manager"):
        response = client_for(role).get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client_for("admin").get("/admin/").status_code == 200


@pytest.mark.django_db
def test_an_ended_partnership_is_read_only_for_every_role(world):
    """The same rows once the partnership has ended: every change (any POST, PATCH, PUT or
    DELETE, and any page of a capability that does more than read) is refused with 403 and
    the reason, for every role and the instance admin; pages that read still open; an
    outsider still gets 404."""
    import dataclasses
    import datetime

    from commonground.partnerships.models import Partnership

    add_every_role_kind(world)
    # Objects made for a row are made before the end (nothing is changed after it).
    rows = [
        dataclasses.replace(row, kwargs=row.kwargs() if callable(row.kwargs) else row.kwargs)
        for row in matrix_rows(world)
        if row.access in CAPABILITY_HOLDERS
    ]
    Partnership.objects.filter(pk=world.partnership.pk).update(
        status="ended", ended_on=datetime.date(2026, 6, 1)
    )
    world.partnership.refresh_from_db()
    failures = []
    for role in MATRIX_ROLES:
        client = Client(raise_request_exception=False)
        user = world.user(role)
        if user is not None:
            client.force_login(user)
        for row in rows:
            kwargs = row.kwargs
            assert isinstance(kwargs, dict)
            if kwargs.get("slug", world.partnership.slug) != world.partnership.slug:
                continue
            want = expected(row, role, world)
            writes = row.method != "get" or not policy.capability(row.access).reads
            if want == "allow" and writes:
                want = "forbid"
            response = send(client, row)
            got = outcome(response, row)
            if want != got:
                failures.append(
                    f"{row.method.upper()} {row.name} as {role}: expected {want}, got {got}"
                )
            elif got == "forbid" and writes and b"read-only" not in response.content:
                failures.append(f"{row.method.upper()} {row.name} as {role}: no reason given")
    assert not failures, "\n".join(failures)
