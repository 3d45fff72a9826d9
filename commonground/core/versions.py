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

from django.core.exceptions import ObjectDoesNotExist
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

# How to find a row's partnership id: from its own foreign key, or through its parent's
# (an agenda item through its meeting, an answer through its response's round).
_OWNERS: dict[type, Callable[[Any, bool], int | None]] = {}
# The rows that are partnerships, named by label like ``INSTANCE_MODELS`` below (core
# imports no other app).
PARTNERSHIP_MODEL = "partnerships.Partnership"


def track(model: type, partnership_of: Callable[[Any, bool], int | None]) -> None:
    """Declare how to find the partnership of a ``model`` row that the foreign keys do
    not lead to; the second argument says whether a query is allowed."""
    _OWNERS[model] = partnership_of


def partnership_of(instance: Any, may_query: bool = True) -> int | None:
    """The id of the partnership a row belongs to, or None (an instance-wide row, or
    a parent that is neither loaded nor to be queried)."""
    model = type(instance)
    if model not in _OWNERS:
        _OWNERS[model] = _owner(model) or (lambda instance, may_query: None)
    return _OWNERS[model](instance, may_query)


def _owner(model: Any, hops: int = 2) -> Callable[[Any, bool], int | None] | None:
    from django.apps import apps

    partnership_model = apps.get_model(PARTNERSHIP_MODEL)

    if issubclass(model, partnership_model):
        return lambda instance, may_query: instance.pk
    fields = [
        f
        for f in model._meta.concrete_fields
        if (f.many_to_one or f.one_to_one) and f.related_model
    ]
    for field in fields:
        if field.related_model is partnership_model:
            attname = field.attname
            return lambda instance, may_query: getattr(instance, attname)
    if hops == 0:
        return None
    for field in fields:
        parent = field.related_model
        if parent is model or not parent.__module__.startswith("commonground."):
            continue
        through = _owner(parent, hops - 1)
        if through is None:
            continue

        def via(instance: Any, may_query: bool, field: Any = field, through: Any = through) -> Any:
            # The loaded parent costs nothing; loading it costs one query (saves only:
            # a cascade delete would load each deleted child's parent).
            if getattr(instance, field.attname) is None:
                return None
            if not (field.is_cached(instance) or may_query):
                return None
            try:
                return through(getattr(instance, field.name), may_query)
            except ObjectDoesNotExist:
                return None

        return via
    return None


def _on_write(sender: Any, instance: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    # After a delete the parent may be gone too: no query then.
    saved = "created" in kwargs
    changed(partnership_of(instance, may_query=saved), using=using)


# Models without a foreign key to a partnership whose changes still matter to cached
# parts read across partnerships (the system map draws organisations and people).
INSTANCE_MODELS = ["organisations.Organisation", "accounts.User"]


def connect_signals() -> None:
    """Called from ``CoreConfig.ready``: every save and delete of a model that belongs to
    a partnership (a foreign key to it, or ``track``-ed), and of ``INSTANCE_MODELS``,
    marks its partnership (or the instance) as changed.

    Connected per model, not for every sender: a delete receiver makes Django load the
    rows of a bulk delete instead of deleting them in one statement, which only these
    models should pay. The audit log is left out (``audit_record`` marks its
    partnership itself; retention deletes old events in bulk)."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    from .models import AuditEvent, DataVersion

    for model in apps.get_models():
        if not model.__module__.startswith("commonground.") or model in (
            AuditEvent,
            DataVersion,
        ):
            continue
        owned = model in _OWNERS or _owner(model) is not None
        if not owned and model._meta.label not in INSTANCE_MODELS:
            continue
        uid = f"commonground.versions.{model._meta.label_lower}"
        post_save.connect(_on_write, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(_on_write, sender=model, dispatch_uid=uid + ".delete")
