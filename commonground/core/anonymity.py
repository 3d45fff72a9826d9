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
* PostgreSQL: after commit, ``VACUUM FULL`` rewrites the sealed table into a
  new file (old row versions stay in a table's pages until then, in insertion
  order); the sealed tables only ever hold what is still open, so this is
  cheap.

The final rows therefore carry no trace of the order in which they arrived:
random primary keys, a storage order drawn at random, no time. What this does
not cover (an operator who watches the live database or keeps its WAL
archives while a round is open) is written down in ``docs/security.md``.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
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
    xid = None
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA secure_delete")
            before = cursor.fetchone()[0]
            cursor.execute("PRAGMA secure_delete = ON")
            try:
                count, _ = queryset.delete()
            finally:
                cursor.execute(f"PRAGMA secure_delete = {int(before)}")
        else:
            count, _ = queryset.delete()
            if connection.vendor == "postgresql":
                cursor.execute("SELECT txid_current()")
                xid = cursor.fetchone()[0]
    table = queryset.model._meta.db_table
    transaction.on_commit(lambda: scrub(table, xid))
    return count


def scrub(table: str, xid: int | None = None) -> bool:
    """After commit: leave no copy of deleted rows in the log (SQLite) or table file
    (PostgreSQL). If another session still reads an older snapshot (a backup, a long
    export), the scrub cannot finish now: it is remembered (:class:`PendingScrub`) and
    tried again by ``manage.py scrub_sealed`` and by every later scrub. Returns whether
    it finished."""
    from .models import PendingScrub

    if connection.in_atomic_block:
        # Still inside an outer transaction (a test case's): a VACUUM or a checkpoint
        # cannot run here. Production code calls this from on_commit, outside any block.
        logger.info("anonymity scrub of %s skipped inside a transaction", table)
        return False
    if not _scrub_now(table, xid):
        PendingScrub.objects.create(table=table, xid=xid)
        logger.warning(
            "anonymity scrub of %s postponed: another session reads an older snapshot", table
        )
        return False
    scrub_pending()
    return True


def scrub_pending() -> int:
    """Try every postponed scrub again; returns how many are still pending."""
    from .models import PendingScrub

    for pending in list(PendingScrub.objects.all()):
        if _scrub_now(pending.table, pending.xid):
            pending.delete()
    return PendingScrub.objects.count()


def _scrub_now(table: str, xid: int | None) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # A checkpoint cannot pass a reader's snapshot: do not wait long for one
            # (the close is a web request), try again later instead.
            cursor.execute("PRAGMA busy_timeout")
            timeout = cursor.fetchone()[0]
            cursor.execute("PRAGMA busy_timeout = 250")
            try:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                busy, _log, _done = cursor.fetchone()
            finally:
                cursor.execute(f"PRAGMA busy_timeout = {int(timeout)}")
            return not busy
        if connection.vendor == "postgresql":
            if xid is not None:
                # VACUUM FULL copies rows that a running snapshot may still see: wait
                # until no session of this database began before the delete committed.
                cursor.execute(
                    "SELECT EXISTS (SELECT 1 FROM pg_stat_activity"
                    " WHERE pid <> pg_backend_pid() AND datname = current_database()"
                    " AND backend_xmin IS NOT NULL"
                    " AND age(backend_xmin) >= age((%s %% 4294967296)::text::xid))",
                    [xid],
                )
                if cursor.fetchone()[0]:
                    return False
            cursor.execute(f"VACUUM FULL {connection.ops.quote_name(table)}")
        return True
