"""A person's inbox: what is waiting for them across all their partnerships.

Each app that can put something in the inbox has a module ``<app>/inbox.py`` with
a function ``waiting(user, now, limit, partnership=None) -> list[Section]`` (all the
person's partnerships, or the one given; core imports no app: the
modules are found through ``settings.COMMONGROUND_APPS``). Each section costs a
fixed number of queries, whatever the number of partnerships or items, and
carries its full count and at most ``limit`` items, soonest deadline first.

The same sections make the "My work" page, the count in the top navigation and
the email digest.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

if TYPE_CHECKING:
    from django.utils.functional import Promise

ITEMS_PER_SECTION = 10


@dataclass(frozen=True)
class Item:
    title: str
    partnership: str
    url: str
    action: str | Promise
    # A date or a moment: when it is due, closes or starts.
    due: datetime.date | datetime.datetime | None = None
    overdue: bool = False
    detail: str | Promise = ""
    partnership_id: int | None = None

    @classmethod
    def of(
        cls,
        row: Any,
        *,
        action: str | Promise,
        title: str | None = None,
        url: str | None = None,
        partnership: Any = None,
        **rest: Any,
    ) -> Item:
        """An item for a row of a partnership (its title, partnership and page unless
        given)."""
        owner = partnership if partnership is not None else row.partnership
        return cls(
            title=str(row.title) if title is None else title,
            partnership=owner.name if owner is not None else "",
            partnership_id=owner.pk if owner is not None else None,
            url=row.get_absolute_url() if url is None else url,
            action=action,
            **rest,
        )


def in_partnerships(
    queryset: QuerySet[Any], user: Any, partnership: Any = None, *, via: str = "partnership"
) -> QuerySet[Any]:
    """The rows of ``queryset`` that belong to a partnership where the person holds a
    current role, or, given one, to that partnership only (``via`` is the path to the
    partnership)."""
    queryset = queryset.filter(
        **{f"{via}__roles__user": user, f"{via}__roles__ended_on__isnull": True}
    )
    if partnership is not None:
        queryset = queryset.filter(**{via: partnership})
    return queryset.distinct()


@dataclass
class Section:
    key: str
    title: str | Promise
    count: int = 0
    items: list[Item] = field(default_factory=list)
    # Things to know rather than to do (meetings coming) are not counted as waiting.
    counts_as_waiting: bool = True

    @property
    def more(self) -> int:
        return max(self.count - len(self.items), 0)


Provider = Callable[..., list[Section]]
# Sections are shown in this order (what needs the person's decision first).
SECTION_ORDER = ["votes", "ties", "signatures", "surveys", "actions", "mentions", "meetings"]


@cache
def providers() -> tuple[Provider, ...]:
    found = []
    for app in settings.COMMONGROUND_APPS:
        module = f"{app}.inbox"
        if module != __name__ and find_spec(module) is not None:
            found.append(import_module(module).waiting)
    return tuple(found)


def inbox_for(
    user: Any,
    *,
    now: datetime.datetime | None = None,
    limit: int = ITEMS_PER_SECTION,
    partnership: Any = None,
) -> list[Section]:
    """The person's sections, in a fixed order, empty ones included: across their
    partnerships, or in the one given. ``limit=0`` counts without loading any item (a
    sliced-to-nothing query is never sent)."""
    if not getattr(user, "is_authenticated", False):
        return []
    now = now or timezone.now()
    sections = [
        s for provider in providers() for s in provider(user, now, limit, partnership=partnership)
    ]
    order = {key: i for i, key in enumerate(SECTION_ORDER)}
    return sorted(sections, key=lambda s: order.get(s.key, len(order)))


def waiting_count(sections: list[Section]) -> int:
    return sum(s.count for s in sections if s.counts_as_waiting)


def navigation_count(user: Any) -> int:
    """How many things wait for the person (the number beside "My work").

    Counted afresh on every request (one count per section; the page loads it after
    itself, so no page waits for it) and never cached: a per-person figure kept in a
    shared cache would move the moment the person answers a health-check survey or
    casts an anonymous ballot, and the cache row's write time would then tell an
    operator *when* they answered, which docs/security.md promises nobody learns."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return waiting_count(inbox_for(user, limit=0))
