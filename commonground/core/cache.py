"""Where cached things live.

Two stores, both in the database (shared by every app process):

- ``SECURITY_CACHE`` ("default"): security counters, such as allauth's sign-in
  throttle, which reads Django's default cache and has no setting to choose
  another. It is a ``SecurityCache``: it never evicts a live entry, whatever the
  number of entries, and nothing else writes to it.
- ``PAGE_CACHE`` ("pages"): derived page parts (``core.audit.cached_while_unchanged``
  and friends). It may cull as it likes; its keys carry the code version
  (``code_version``), so a deploy never serves parts rendered by older code.

Page code reads the page cache through ``page_cache()``, never through
``django.core.cache.cache`` (a test keeps it so).
"""

from __future__ import annotations

from typing import Any

from django.core.cache import BaseCache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections

from commonground.codeversion import code_version

__all__ = ["PAGE_CACHE", "SECURITY_CACHE", "SecurityCache", "code_version", "page_cache"]

SECURITY_CACHE = "default"
PAGE_CACHE = "pages"


def page_cache() -> BaseCache:
    """The cache for derived page parts (not for counters that protect anything)."""
    return caches[PAGE_CACHE]


class SecurityCache(DatabaseCache):
    """A database cache that never evicts a live entry.

    Django's database cache, once it holds more than ``MAX_ENTRIES``, deletes the
    expired entries and then a share of the live ones (``CULL_FREQUENCY``; 0 means
    all of them). Here only expired entries are deleted: a throttle counter is
    gone when its window has passed, never earlier. ``MAX_ENTRIES`` only says how
    often the expired ones are swept (on each write while more are stored).
    """

    def _cull(self, db: str, cursor: Any, now: Any, num: int) -> None:
        connection = connections[db]
        table = connection.ops.quote_name(self._table)  # type: ignore[attr-defined]
        expires = connection.ops.quote_name("expires")
        cursor.execute(
            f"DELETE FROM {table} WHERE {expires} < %s",  # noqa: S608 (quoted names)
            [connection.ops.adapt_datetimefield_value(now)],
        )
