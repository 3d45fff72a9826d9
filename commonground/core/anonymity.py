"""Sealed boxes for anonymous answers and ballots.

While a health-check round or an anonymous vote is open, each answer set or
ballot is kept in a *sealed* table of its own, which nothing reads until the
round or proposal closes. At close, :func:`release` hands the sealed rows back
in a random order (``secrets.SystemRandom``), the caller writes them to the
final table in that order, and the sealed rows are deleted with secure
deletion:

* SQLite: ``PRAGMA secure_delete`` is switched on for the deleting
  connection, so the freed space is overwritten with zeros; after commit a
  ``wal_checkpoint(TRUNCATE)`` moves the change into the database file and
  empties the write-ahead log, which still held the sealed rows' pages.
* PostgreSQL: after commit, the sealed table gets a new file with ``TRUNCATE``
  and the rows still sealed are copied back in a random order (old row versions
  stay in a table's pages, in insertion order, and ``VACUUM FULL`` would copy
  those an older snapshot may still see); the sealed tables only ever hold what
  is still open, so this is cheap.

The final rows therefore carry no trace of the order in which they arrived:
random primary keys, a storage order drawn at random, no time. What this does
not cover (an operator who watches the live database or keeps its WAL
archives while a round is open) is written down in ``docs/security.md``.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from django.db import connection, models, transaction

logger = logging.getLogger("commonground.security")

T = TypeVar("T")


def shuffled(rows: Sequence[T]) -> list[T]:
    """A copy of ``rows`` in an order drawn from the operating system's randomness."""
    out = list(rows)
    secrets.SystemRandom().shuffle(out)
    return out


def secure_delete(queryset: models.QuerySet) -> int:  # type: ignore[type-arg]
    """Delete ``queryset`` so the deleted rows cannot be read back from the database files.

    Call inside the transaction that writes the released rows; the scrub of the
    log (SQLite) or of the table file (PostgreSQL) runs once it commits.
    """
    if connection.vendor == "sqlite":
        with _sqlite_pragma("secure_delete", 1):
            count, _ = queryset.delete()
    else:
        count, _ = queryset.delete()
    table = queryset.model._meta.db_table
    transaction.on_commit(lambda: scrub(table))
    return count


def scrub(table: str) -> bool:
    """After commit: leave no copy of deleted rows in the log (SQLite) or table file
    (PostgreSQL). If it cannot finish now (SQLite: a reader's snapshot holds the
    checkpoint back; PostgreSQL: a session such as a backup holds a lock on the table),
    it neither waits long (the close is a web request) nor gives up silently: it is
    remembered (:class:`PendingScrub`) and tried again by ``manage.py scrub_sealed`` and
    by every later scrub. Returns whether it finished."""
    from .models import PendingScrub

    if connection.in_atomic_block:
        # Still inside an outer transaction (a test case's): a checkpoint cannot run
        # here. Production code calls this from on_commit, outside any block.
        logger.info("anonymity scrub of %s skipped inside a transaction", table)
        return False
    if not _scrub_now(table):
        PendingScrub.objects.create(table=table)
        logger.warning("anonymity scrub of %s postponed: another session holds it back", table)
        return False
    scrub_pending()
    return True


def scrub_pending() -> int:
    """Try every postponed scrub again; returns how many are still pending."""
    from .models import PendingScrub

    for table in list(PendingScrub.objects.values_list("table", flat=True).distinct()):
        if _scrub_now(table):
            PendingScrub.objects.filter(table=table).delete()
    return PendingScrub.objects.count()


@contextmanager
def _sqlite_pragma(name: str, value: int) -> Iterator[None]:
    """Set an integer SQLite pragma for this connection for the block, then restore it."""
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA {name} = {int(value)}")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA {name} = {before}")


def _scrub_now(table: str) -> bool:
    if connection.vendor == "sqlite":
        # A checkpoint cannot pass a reader's snapshot: do not wait long for one,
        # try again later instead.
        with _sqlite_pragma("busy_timeout", 250), connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, _log, _done = cursor.fetchone()
        return not busy
    if connection.vendor == "postgresql":
        return _rewrite_postgresql(table)
    return True


def _rewrite_postgresql(table: str) -> bool:
    """Give the sealed table a new, empty file holding only the rows still sealed.

    Deleted rows stay in a PostgreSQL table's pages (in the order they were written)
    until the space is reused, and ``VACUUM FULL`` would copy any that an older
    snapshot may still see. ``TRUNCATE`` ignores snapshots: the table gets a new file
    and the old one is emptied at commit. The rows of rounds still open are copied
    back, in a random order. It needs the table to itself: if a session (a backup)
    holds it, give up after a second and try again later.
    """
    from django.db import DatabaseError

    name = connection.ops.quote_name(table)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '1s'")
            cursor.execute(f"LOCK TABLE {name} IN ACCESS EXCLUSIVE MODE")
            cursor.execute(f"CREATE TEMP TABLE cg_still_sealed ON COMMIT DROP AS TABLE {name}")
            cursor.execute(f"TRUNCATE {name}")
            cursor.execute(f"INSERT INTO {name} SELECT * FROM cg_still_sealed ORDER BY random()")  # noqa: S608
    except DatabaseError:
        logger.info("anonymity scrub of %s: the table is in use, trying again later", table)
        return False
    return True
