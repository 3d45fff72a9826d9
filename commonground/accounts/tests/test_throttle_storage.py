"""The sign-in throttle's counters survive any amount of page caching (issue 23).

allauth keeps its counters in Django's default cache. Page caching once shared that
cache, a database cache that culls a third of its entries whenever it holds more than
300: ordinary page views then deleted the counters, and an attacker regained five
tries. Security counters now live in a store that page caching never touches and that
never evicts a live entry (``core.cache.SecurityCache``).
"""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.urls import reverse

from commonground.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from commonground.core import cache as cg_cache
from commonground.core.audit import cached_until_any_change, cached_while_unchanged

pytestmark = pytest.mark.django_db

CHURN = 400


def sign_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def churn_the_page_cache(world, client_for) -> None:
    """Heavy page caching: real pages, the caching helpers and raw sets, thousands of
    entries in all."""
    manager = client_for("manager")
    for url in (
        world.partnership.get_absolute_url(),
        reverse("actionplan:board", args=[world.partnership.slug]),
        reverse("systemmap:network", args=[world.partnership.slug]),
    ):
        assert manager.get(url).status_code == 200
    for i in range(CHURN):
        cached_while_unchanged(world.partnership, f"churn-{i}", [], lambda i=i: i)
        cached_until_any_change(f"churn-{i}", [], lambda i=i: i)
    pages = cg_cache.page_cache()
    for i in range(CHURN):
        pages.set(f"raw-churn-{i}", "x" * 100, 3600)


def test_the_sixth_failure_is_refused_after_heavy_page_caching(client, world, client_for):
    UserFactory(email="kari@example.org")
    for _ in range(5):
        assert b"Too many failed" not in sign_in(client, "kari@example.org", "wrong").content
        churn_the_page_cache(world, client_for)
    # The sixth try within 30 minutes, even with the right password, is refused.
    response = sign_in(client, "kari@example.org", DEFAULT_PASSWORD)
    assert b"Too many failed" in response.content
    assert "_auth_user_id" not in client.session


def test_the_security_store_never_evicts_a_live_entry(db):
    security = caches[cg_cache.SECURITY_CACHE]
    security.set("first-counter", [1, 2, 3], 1800)
    for i in range(CHURN):
        security.set(f"counter-{i}", [i], 1800)
    assert security.get("first-counter") == [1, 2, 3]
    assert security.get("counter-0") == [0]


def test_the_security_store_drops_expired_entries(db):
    security = caches[cg_cache.SECURITY_CACHE]
    security.set("expired", 1, -1)  # already expired when written
    security._max_entries = 1  # every further write now tidies
    security.set("live", 2, 1800)
    security.set("live-too", 3, 1800)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {security._table}")
        keys = {row[0] for row in cursor.fetchall()}
    assert not any(k.endswith(":expired") for k in keys)
    assert security.get("live") == 2 and security.get("live-too") == 3


def test_page_caching_never_writes_to_the_security_store(world, client_for):
    from django.db import connection

    security = caches[cg_cache.SECURITY_CACHE]
    churn_the_page_cache(world, client_for)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {security._table}")
        assert cursor.fetchone()[0] == 0
