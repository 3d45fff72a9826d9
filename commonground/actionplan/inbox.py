"""Inbox: the person's open actions, soonest due first."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from commonground.core.inbox import Item, Section

from .models import OPEN_STATUSES, Action


def waiting(user: Any, now: datetime.datetime, limit: int) -> list[Section]:
    today = now.date()
    mine = Action.objects.filter(
        owner=user,
        status__in=OPEN_STATUSES,
        partnership__roles__user=user,
        partnership__roles__ended_on__isnull=True,
    ).distinct()
    section = Section("actions", _("Actions you own"), count=mine.count())
    rows = mine.select_related("partnership").order_by(F("due_on").asc(nulls_last=True), "id")[
        :limit
    ]
    section.items = [
        Item(
            title=a.title,
            partnership=a.partnership.name,
            partnership_id=a.partnership_id,
            url=a.get_absolute_url(),
            action=_("Update"),
            due=a.due_on,
            overdue=a.due_on is not None and a.due_on < today,
        )
        for a in rows
    ]
    return [section]
