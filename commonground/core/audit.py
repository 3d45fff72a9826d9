"""Writing the audit log. Services call ``audit_record`` inside their transaction."""

from __future__ import annotations

import contextlib
import datetime
import decimal
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import models

from . import policy, versions
from .cache import page_cache
from .i18n import Msg, render_default
from .models import AuditEvent

T = TypeVar("T")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of a record, ready to store as a before/after summary."""
    return {name: _jsonable(getattr(instance, name)) for name in fields}


_closing: ContextVar[bool] = ContextVar("commonground_closing_partnership", default=False)


@contextlib.contextmanager
def closing_partnership() -> Iterator[None]:
    """The writes that end a partnership (its status, the data room's end rules) are
    the last a person may make in it: inside this block ``audit_record`` lets them
    through."""
    token = _closing.set(True)
    try:
        yield
    finally:
        _closing.reset(token)


def audit_record(
    *,
    actor: Any,
    verb: str,
    summary: str | Msg,
    partnership: Any = None,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one row to the audit log, and mark the partnership (and the instance) as
    changed: their data versions move when this transaction commits.

    ``summary`` is a ``core.i18n.Msg`` (a message key and its values, shown to each
    reader in their language; the text in the default language is stored beside it) or
    a plain text (shown as it is).

    An ended partnership is read-only: a person's change to it is refused here, in
    every service, with ``policy.PartnershipEnded`` (a 403 with the reason). The
    scheduler and commands (no actor) still run."""
    key, params = "", {}
    if isinstance(summary, Msg):
        key, params = summary.key, summary.stored_params()
        summary = render_default(summary)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    if (
        actor_obj is not None
        and partnership is not None
        and policy.is_ended(partnership)
        and not _closing.get()
    ):
        raise policy.PartnershipEnded(partnership)
    event = AuditEvent.objects.create(
        partnership=partnership,
        actor=actor_obj,
        verb=verb,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:500],
        summary_key=key,
        summary_params=params,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
    )
    versions.changed(partnership.pk if partnership is not None else None)
    return event


def partnership_version(partnership: Any) -> int:
    """The partnership's data version (``core.versions``): it moves in the very
    transaction that changes the partnership's data, as that transaction commits, so a
    cached part keyed on it is never older than the committed data. One primary-key
    lookup; reading never writes."""
    return versions.read(partnership.pk)


def instance_version() -> int:
    """The whole instance's data version: moves with every change anywhere."""
    return versions.read(versions.INSTANCE)


def cached_while_unchanged(
    partnership: Any,
    name: str,
    parts: list[str],
    build: Callable[[], T],
    seconds: int = 300,
) -> T:
    """``build()``, cached under the partnership's data version and the active language.

    Anything derived only from a partnership's data can be kept until its next change
    (``partnership_version``); ``parts`` names whatever else the value depends on (the
    date, a period). ``seconds`` bounds how long a change made outside the partnership
    (a person renaming themselves) can go unseen. ``build`` must not depend on who is
    looking: the value is shared by every viewer (no request, user, CSRF token or
    permission-dependent markup inside it). Every cached part is listed in
    ``core/tests/test_cached_parts.py``.
    """
    version = f"{partnership.pk}:{partnership_version(partnership)}"
    return _cached(name, version, parts, build, seconds)


def cached_until_any_change(
    name: str, parts: list[str], build: Callable[[], T], seconds: int = 300
) -> T:
    """``build()``, cached until the next change anywhere (the instance's data version:
    one primary-key lookup), for values read across partnerships, such as the system
    map of all of a person's partnerships; ``parts`` as for ``cached_while_unchanged``
    (which partnerships, which filters)."""
    return _cached(name, f"all:{instance_version()}", parts, build, seconds)


def _cached(name: str, version: str, parts: list[str], build: Callable[[], T], seconds: int) -> T:
    """The version is read before ``build`` runs, so a value is never stored under a
    version newer than the data it was built from. The page cache's keys also carry
    the code version (its KEY_PREFIX), so a deploy starts afresh."""
    from django.utils import translation

    cache = page_cache()
    key = ":".join([name, version, translation.get_language() or "", *parts])
    found = cache.get(key)
    if found is not None:
        return found
    value = build()
    cache.set(key, value, seconds)
    return value
