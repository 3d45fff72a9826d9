"""Keeping ``TieCount`` in step with the relationships.

Every save and delete of a ``Relationship`` (through the services, the admin, a
cascade from a deleted organisation or partnership) adjusts the counts of its two
ends; ``recount`` rebuilds them from the relationships, for bulk inserts (the
scale seed) and the data migration.

A delete only ever lowers counts (and removes rows that reach zero): it never
inserts, so it is safe in the middle of a cascade that is deleting the
organisation or partnership itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, F
from django.db.models.signals import post_delete, post_save, pre_save

from .models import Relationship, TieCount

Key = tuple[int, int, str]  # partnership, organisation, kind


def _ends(partnership_id: int, source_id: int, target_id: int, kind: str) -> list[Key]:
    return [(partnership_id, source_id, kind), (partnership_id, target_id, kind)]


def _add(keys: Iterable[Key]) -> None:
    for p, org, kind in keys:
        found = TieCount.objects.filter(partnership_id=p, organisation_id=org, kind=kind)
        if not found.update(ties=F("ties") + 1):
            TieCount.objects.create(partnership_id=p, organisation_id=org, kind=kind, ties=1)


def _remove(keys: Iterable[Key]) -> None:
    for p, org, kind in keys:
        found = TieCount.objects.filter(partnership_id=p, organisation_id=org, kind=kind)
        # The last one goes first: lowering first would make a 2 look like a last 1.
        found.filter(ties__lte=1).delete()
        found.filter(ties__gt=1).update(ties=F("ties") - 1)


def _remember(sender: Any, instance: Relationship, **kwargs: Any) -> None:
    """Before an update, note the ends and kind as stored (they may be changing)."""
    if instance.pk is None or kwargs.get("raw"):
        instance._stored_ends = None  # type: ignore[attr-defined]
        return
    instance._stored_ends = (  # type: ignore[attr-defined]
        Relationship.objects.filter(pk=instance.pk)
        .values_list("partnership_id", "source_id", "target_id", "kind")
        .first()
    )


def _saved(sender: Any, instance: Relationship, created: bool, **kwargs: Any) -> None:
    now = (instance.partnership_id, instance.source_id, instance.target_id, instance.kind)
    before = getattr(instance, "_stored_ends", None)
    if before == now:
        return
    if before is not None:
        _remove(_ends(*before))
    _add(_ends(*now))


def _deleted(sender: Any, instance: Relationship, **kwargs: Any) -> None:
    _remove(_ends(instance.partnership_id, instance.source_id, instance.target_id, instance.kind))


def connect() -> None:
    pre_save.connect(_remember, sender=Relationship, dispatch_uid="systemmap-ties-pre")
    post_save.connect(_saved, sender=Relationship, dispatch_uid="systemmap-ties-save")
    post_delete.connect(_deleted, sender=Relationship, dispatch_uid="systemmap-ties-delete")


def counted(partnership_ids: list[int], relationship_model: Any = Relationship) -> Counter[Key]:
    """The counts as they should be, from the relationships (two grouped queries)."""
    counts: Counter[Key] = Counter()
    rows = relationship_model.objects.filter(partnership_id__in=partnership_ids).order_by()
    for end in ("source_id", "target_id"):
        for p, org, kind, n in rows.values_list("partnership_id", end, "kind").annotate(
            n=Count("id")
        ):
            counts[(p, org, kind)] += n
    return counts


def recount(
    partnership_ids: list[int],
    relationship_model: Any = Relationship,
    tie_model: Any = TieCount,
) -> None:
    """Rebuild the counts of these partnerships from their relationships."""
    tie_model.objects.filter(partnership_id__in=partnership_ids).delete()
    tie_model.objects.bulk_create(
        [
            tie_model(partnership_id=p, organisation_id=org, kind=kind, ties=n)
            for (p, org, kind), n in counted(partnership_ids, relationship_model).items()
        ],
        batch_size=2000,
    )
