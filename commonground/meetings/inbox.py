"""Inbox: meetings coming in the next two weeks (to know, not to do)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commonground.core.inbox import Item, Section

from .models import Meeting

AHEAD = datetime.timedelta(days=14)


def waiting(user: Any, now: datetime.datetime, limit: int) -> list[Section]:
    coming = (
        Meeting.objects.filter(
            starts_at__gte=now,
            starts_at__lt=now + AHEAD,
            partnership__roles__user=user,
            partnership__roles__ended_on__isnull=True,
        )
        .filter(
            Q(working_group__isnull=True)
            | Q(working_group__members=user)
            | Q(working_group__lead=user)
        )
        .distinct()
    )
    section = Section(
        "meetings",
        _("Meetings in the next two weeks"),
        count=coming.count(),
        counts_as_waiting=False,
    )
    rows = coming.select_related("partnership").order_by("starts_at", "id")[:limit]
    section.items = [
        Item(
            title=m.title,
            partnership=m.partnership.name,
            partnership_id=m.partnership_id,
            url=m.get_absolute_url(),
            action=_("Agenda"),
            due=m.starts_at,
        )
        for m in rows
    ]
    return [section]
