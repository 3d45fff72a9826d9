"""Inbox: the person's open actions, soonest due first."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from commonground.core.inbox import Item, Section, in_partnerships

from .models import OPEN_STATUSES, Action


def waiting(
    user: Any, now: datetime.datetime, limit: int, partnership: Any = None
) -> list[Section]:
    today = now.date()
    mine = in_partnerships(
        Action.objects.filter(owner=user, status__in=OPEN_STATUSES), user, partnership
    )
    section = Section("actions", _("Actions you own"), count=mine.count())
    rows = mine.select_related("partnership").order_by(F("due_on").asc(nulls_last=True), "id")[
        :limit
    ]
    section.items = [
        Item.of(
            a,
            action=_("Update"),
            due=a.due_on,
            overdue=a.due_on is not None and a.due_on < today,
        )
        for a in rows
    ]
    return [section]
