"""Data versions: a number per partnership, and one for the whole instance, that moves
when (and only when) the committed data moves.

Cached page parts are keyed on these numbers (``core.audit.cached_while_unchanged``).
A write marks what it changes (``changed``): ``audit_record`` does so for every
service write, and post_save/post_delete of every model of the project do so too
(the partnership found through ``partnership_of``), so a write that forgot to audit
still moves the numbers. The marks are turned into ``UPDATE … version + 1`` just
before the transaction commits (the database wrappers in ``core/db/``), inside it:

- the new number becomes visible together with the data, never before it: a reader
  can at worst store new data under the old number (harmless: the next reader looks
  under the new one), never old data under the new number;
- the rows are locked only for the last moment of a transaction, always in the same
  order (instance row first), so two writers cannot deadlock on them;
- reading a version is one primary-key SELECT and never writes (on SQLite a read
  takes no write lock).

A transaction that changed a partnership and then reads that partnership's cached
parts bumps its versions at that point (it already holds the write lock), so it sees
its own change; the bump is made again at commit, which is harmless.
Outside a transaction (autocommit) a change is bumped at once, after the row was
written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

INSTANCE = 0
TABLE = "core_dataversion"
_PENDING = "_cg_versions_pending"  # bumped at commit
_UNREAD = "_cg_versions_unread"  # not yet bumped for this transaction's own reads
_READ = "SELECT version FROM core_dataversion WHERE scope = %s"
_BUMP = (
    "INSERT INTO core_dataversion (scope, version) VALUES (%s, 1) "
    "ON CONFLICT (scope) DO UPDATE SET version = core_dataversion.version + 1"
)


def changed(partnership_id: int | None, using: str = DEFAULT_DB_ALIAS) -> None:
    """Mark that the current transaction changes this partnership's data (and so the
    instance's); ``None`` marks the instance only."""
    scopes = {INSTANCE} if not partnership_id else {INSTANCE, int(partnership_id)}
    conn = connections[using]
    if conn.in_atomic_block:
        conn.__dict__.setdefault(_PENDING, set()).update(scopes)
        conn.__dict__.setdefault(_UNREAD, set()).update(scopes)
    else:
        _bump(conn, scopes)


def read(scope: int, using: str = DEFAULT_DB_ALIAS) -> int:
    """The committed version of ``scope`` (a partnership id, or ``INSTANCE``): one
    primary-key lookup."""
    conn = connections[using]
    unread = conn.__dict__.pop(_UNREAD, None)
    if unread:
        _bump(conn, unread)
    with conn.cursor() as cursor:
        cursor.execute(_READ, [scope])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def bump_marked(using: str = DEFAULT_DB_ALIAS) -> None:
    """Bump what this transaction marked so far, as its commit would (for tests, whose
    transaction never commits)."""
    conn = connections[using]
    unread = conn.__dict__.pop(_UNREAD, None)
    if unread:
        _bump(conn, unread)


def _bump(conn: BaseDatabaseWrapper, scopes: set[int]) -> None:
    # One upsert per scope, in a fixed order (the instance row first): every writer
    # takes these row locks in the same order.
    with conn.cursor() as cursor:
        for scope in sorted(scopes):
            cursor.execute(_BUMP, [scope])


class BumpVersionsOnCommit:
    """Mixed into the database wrappers: bump the marked versions just before COMMIT,
    forget them on ROLLBACK."""

    def commit(self) -> None:
        pending = self.__dict__.pop(_PENDING, None)
        self.__dict__.pop(_UNREAD, None)
        if pending:
            _bump(self, pending)  # type: ignore[arg-type]
        super().commit()  # type: ignore[misc]

    def rollback(self) -> None:
        self.__dict__.pop(_PENDING, None)
        self.__dict__.pop(_UNREAD, None)
        super().rollback()  # type: ignore[misc]

    def close(self) -> None:
        self.__dict__.pop(_PENDING, None)
        self.__dict__.pop(_UNREAD, None)
        super().close()  # type: ignore[misc]


# --- which partnership a saved or deleted row belongs to ------------------------------

_OWNERS: dict[type, Callable[[Any], int | None]] = {}


def track(model: type, partnership_of: Callable[[Any], int | None]) -> None:
    """Declare how to find the partnership of a ``model`` row that has no direct
    foreign key to it (the owner's id, read without a query where possible)."""
    _OWNERS[model] = partnership_of


def partnership_of(instance: Any) -> int | None:
    """The id of the partnership a row belongs to, or None (an instance-wide row)."""
    model = type(instance)
    if model not in _OWNERS:
        _OWNERS[model] = _direct_owner(model)
    return _OWNERS[model](instance)


def _direct_owner(model: Any) -> Callable[[Any], int | None]:
    from commonground.partnerships.models import Partnership

    if issubclass(model, Partnership):
        return lambda instance: instance.pk
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is Partnership:
            attname = field.attname
            return lambda instance: getattr(instance, attname)
    return lambda instance: None


def _on_write(sender: Any, instance: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    if not sender.__module__.startswith("commonground.") or sender._meta.db_table == TABLE:
        return
    changed(partnership_of(instance), using=using)


def connect_signals() -> None:
    """Called from ``CoreConfig.ready``: every save and delete of a project model marks
    its partnership (or the instance) as changed."""
    from django.db.models.signals import post_delete, post_save

    post_save.connect(_on_write, dispatch_uid="commonground.versions.save")
    post_delete.connect(_on_write, dispatch_uid="commonground.versions.delete")
