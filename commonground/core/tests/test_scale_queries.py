"""Every benchmarked page runs the same number of queries at two data sizes (no N+1)."""

from __future__ import annotations

import pytest
from django.test import Client

from bench.seed import ScaleContext, bench_pages, seed_all
from commonground.core.cache import page_cache
from commonground.core.testing import count_queries


def measure(factor: float) -> dict[str, int]:
    ctx = ScaleContext(factor=factor)
    seed_all(ctx)
    client = Client()
    from commonground.accounts.models import User

    client.force_login(User.objects.get(pk=ctx.bench_user_id))
    counts = {}
    for name, path in bench_pages(ctx):
        # Cold: nothing cached (the partnership home caches its shared parts).
        page_cache().clear()
        n, _sql, response = count_queries(lambda path=path: client.get(path))
        assert response.status_code == 200, f"{name} {path}: {response.status_code}"
        counts[f"{name} (cold)"] = n
        n, _sql, response = count_queries(lambda path=path: client.get(path))
        counts[name] = n
    return counts


@pytest.mark.slow
@pytest.mark.django_db
def test_bench_pages_do_not_grow_queries_with_data():
    small = measure(0.002)
    # A second, larger seeding on top: every table grows to three times its rows.
    larger = measure(0.004)
    grew = {k: (small[k], larger[k]) for k in small if larger.get(k) != small[k]}
    assert not grew, f"query counts grew with data: {grew}"
    # The 20-query target is for the page as served (warm); a cold page may add cache writes.
    too_many = {k: v for k, v in larger.items() if v > 20 and not k.endswith("(cold)")}
    assert not too_many, f"pages over 20 queries: {too_many}"
