"""Readiness: is this app process able to serve? (``/readyz``, ``manage.py check``)

Each check answers ``None`` when all is well, or a short reason (never a host
name, a URL or a secret: the probe is public). ``/readyz`` answers 503 with the
reasons when any check fails.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.files.storage import default_storage
from django.db import connection

from commonground.core.cache import PAGE_CACHE, SECURITY_CACHE

# Redis settings that never remove a key before its timeout.
SAFE_EVICTION_POLICIES = ("noeviction",)


def _reason(exc: BaseException) -> str:
    return f"unreachable ({type(exc).__name__})"


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        return _reason(exc)
    return None


def check_cache(alias: str) -> str | None:
    """A write, a read and a delete of a probe key (a counter store must take writes)."""
    key = f"readyz:{uuid.uuid4().hex}"
    try:
        cache = caches[alias]
        cache.set(key, "1", timeout=10)
        if cache.get(key) != "1":
            return "a written value did not read back"
        cache.delete(key)
    except Exception as exc:
        return _reason(exc)
    return None


def security_cache_problem() -> str | None:
    """Redis may evict keys under memory pressure, which would reset sign-in
    throttles. The security cache's Redis must either have no memory limit or
    ``maxmemory-policy noeviction`` (``volatile-*`` is not enough: every counter
    has a timeout, so every counter may be evicted)."""
    cache = caches[SECURITY_CACHE]
    if not isinstance(cache, RedisCache):
        return None  # core.cache.SecurityCache never culls a live entry
    try:
        client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
        config: dict[str, Any] = client.config_get("maxmemory*")
    except Exception as exc:
        return (
            "the security cache's Redis does not answer CONFIG GET maxmemory-policy "
            f"({type(exc).__name__}); it must be set to noeviction"
        )
    policy = str(config.get("maxmemory-policy", ""))
    limit = int(config.get("maxmemory", 0) or 0)
    if limit and policy not in SAFE_EVICTION_POLICIES:
        return (
            f"the security cache's Redis has maxmemory-policy {policy} with a memory "
            "limit: it may evict sign-in throttle counters; set maxmemory-policy "
            "noeviction on that Redis (or give the security counters their own Redis "
            "with SECURITY_CACHE_URL)"
        )
    return None


def check_storage() -> str | None:
    """The upload store answers (a missing probe name is fine; an error is not)."""
    try:
        bucket = getattr(default_storage, "bucket_name", None)
        if bucket:  # object storage: a missing object reads as False, so ask for the bucket
            default_storage.connection.meta.client.head_bucket(  # type: ignore[attr-defined]
                Bucket=bucket
            )
        else:
            default_storage.exists(f"readyz-{uuid.uuid4().hex}")
    except Exception as exc:
        return _reason(exc)
    return None


def task_backlog() -> dict[str, int] | None:
    """Queued and failed background tasks, when the database task backend is installed."""
    if not apps.is_installed("django_tasks_db"):
        return None
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING, TaskResultStatus.FAILED]
    ).values_list("status", flat=True)
    counts = {"ready": 0, "running": 0, "failed": 0}
    for status in rows.iterator():
        counts[str(status).lower()] += 1
    return counts


def readiness() -> tuple[bool, dict[str, Any]]:
    """Every check, by name: "ok" or a reason; the task backlog as counts."""
    results: dict[str, Any] = {}
    ready = True
    checks_to_run = {
        "database": check_database,
        "cache:security": lambda: check_cache(SECURITY_CACHE) or security_cache_problem(),
        "cache:pages": lambda: check_cache(PAGE_CACHE),
        "storage": check_storage,
    }
    for name, run in checks_to_run.items():
        problem = run()
        results[name] = problem or "ok"
        ready = ready and problem is None
    if results["database"] == "ok":
        try:
            backlog = task_backlog()
        except Exception as exc:
            results["tasks"] = _reason(exc)
            ready = False
        else:
            if backlog is not None:
                results["tasks"] = backlog
    return ready, results


def security_cache_never_evicts(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """At start-up (``manage.py check``, ``migrate``, ``runserver``): refuse a Redis
    security cache that may evict counters."""
    if settings.CACHES.get(SECURITY_CACHE, {}).get("BACKEND", "").endswith("RedisCache"):
        problem = security_cache_problem()
        if problem:
            return [checks.Error(problem, id="commonground.E001")]
    return []


def register_checks() -> None:
    checks.register(security_cache_never_evicts, checks.Tags.caches)
