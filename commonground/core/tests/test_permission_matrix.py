"""Every URL × every role: allowed, refused with 403, hidden with 404, or sent to sign in.

Rows come from each app's ``tests/matrix.py``. A URL in the URL conf with no
row fails the test, so a new page cannot ship without a declared rule.
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
from commonground.core.testing import MATRIX_ROLES, Row, World
from commonground.core.urlnames import all_url_names

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
    # A partnership capability.
    if role == "admin":
        return "allow"
    holders = policy.roles_holding(row.access)
    if role == "outsider":
        return "hide"
    role_kind = {"observer": "observer", "representative": "representative", "manager": "manager"}[
        role
    ]
    return "allow" if role_kind in holders else "forbid"


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


@pytest.mark.django_db
def test_every_url_has_a_rule_and_every_role_gets_the_declared_answer(world):
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
