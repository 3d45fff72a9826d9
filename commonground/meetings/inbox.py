"""Inbox: meetings coming in the next two weeks (to know, not to do)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commonground.core.inbox import Item, Section, in_partnerships

from .models import Meeting

AHEAD = datetime.timedelta(days=14)


def waiting(
    user: Any, now: datetime.datetime, limit: int, partnership: Any = None
) -> list[Section]:
    coming = in_partnerships(
        Meeting.objects.filter(starts_at__gte=now, starts_at__lt=now + AHEAD).filter(
            Q(working_group__isnull=True)
            | Q(working_group__members=user)
            | Q(working_group__lead=user)
        ),
        user,
        partnership,
    )
    section = Section(
        "meetings",
        _("Meetings in the next two weeks"),
        count=coming.count(),
        counts_as_waiting=False,
    )
    rows = coming.select_related("partnership").order_by("starts_at", "id")[:limit]
    section.items = [
        Item.of(
            m,
            action=_("Agenda"),
            due=m.starts_at,
        )
        for m in rows
    ]
    return [section]
