"""A person's inbox: what is waiting for them across all their partnerships.

Each app that can put something in the inbox has a module ``<app>/inbox.py`` with
a function ``waiting(user, now, limit) -> list[Section]`` (core imports no app: the
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
from django.utils import timezone

from commonground.core import versions
from commonground.core.cache import page_cache

if TYPE_CHECKING:
    from django.utils.functional import Promise

ITEMS_PER_SECTION = 10
# The navigation's count is kept for a person until the instance's data change, or
# five minutes (deadlines move with the clock, not only with the data).
COUNT_SECONDS = 300


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


Provider = Callable[[Any, datetime.datetime, int], list[Section]]
# Sections are shown in this order (what needs the person's decision first).
SECTION_ORDER = ["votes", "signatures", "surveys", "actions", "mentions", "meetings"]


@cache
def providers() -> tuple[Provider, ...]:
    found = []
    for app in settings.COMMONGROUND_APPS:
        module = f"{app}.inbox"
        if module != __name__ and find_spec(module) is not None:
            found.append(import_module(module).waiting)
    return tuple(found)


def inbox_for(user: Any, *, now: datetime.datetime | None = None) -> list[Section]:
    """The person's sections, in a fixed order, empty ones included."""
    if not getattr(user, "is_authenticated", False):
        return []
    now = now or timezone.now()
    sections = [s for provider in providers() for s in provider(user, now, ITEMS_PER_SECTION)]
    order = {key: i for i, key in enumerate(SECTION_ORDER)}
    return sorted(sections, key=lambda s: order.get(s.key, len(order)))


def waiting_count(sections: list[Section]) -> int:
    return sum(s.count for s in sections if s.counts_as_waiting)


def navigation_count(user: Any) -> int:
    """How many things wait for the person (the number beside "My work")."""
    if not getattr(user, "is_authenticated", False):
        return 0
    key = f"inbox-count:{user.pk}:{versions.read(versions.INSTANCE)}"
    count = page_cache().get(key)
    if count is None:
        count = waiting_count(inbox_for(user))
        page_cache().set(key, count, COUNT_SECONDS)
    return int(count)
