"""Writing the audit log. Services call ``audit_record`` inside their transaction."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models

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


def audit_record(
    *,
    actor: Any,
    verb: str,
    summary: str,
    partnership: Any = None,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one row to the audit log."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        partnership=partnership,
        actor=actor_obj,
        verb=verb,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:500],
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
    )


def partnership_version(partnership: Any) -> int:
    """The id of the partnership's latest audit event.

    Every change made through a service writes one, so this number changes whenever
    the partnership's data does: pages cache what they derive from it under it (the
    home page's shared parts, the report's sections). One index lookup.
    """
    latest = (
        AuditEvent.objects.filter(partnership=partnership)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return latest or 0


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
    date, a period). ``seconds`` bounds how long a change made outside the partnership,
    which writes no event of its own (a person renaming themselves), can go unseen.
    """
    version = f"{partnership.pk}:{partnership_version(partnership)}"
    return _cached(name, version, parts, build, seconds)


def cached_until_any_change(
    name: str, parts: list[str], build: Callable[[], T], seconds: int = 300
) -> T:
    """``build()``, cached until the next change anywhere (the latest audit event of
    the whole instance: one lookup of the highest id), for values read across
    partnerships, such as the system map of all of a person's partnerships; ``parts``
    as for ``cached_while_unchanged`` (which partnerships, which filters)."""
    latest = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return _cached(name, f"all:{latest}", parts, build, seconds)


def _cached(name: str, version: str, parts: list[str], build: Callable[[], T], seconds: int) -> T:
    from django.core.cache import cache
    from django.utils import translation

    key = ":".join([name, version, translation.get_language() or "", *parts])
    found = cache.get(key)
    if found is not None:
        return found
    value = build()
    cache.set(key, value, seconds)
    return value
