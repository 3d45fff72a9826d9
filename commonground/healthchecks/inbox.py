"""Inbox: health-check surveys the person has not answered yet.

Only the person's own invitations are read (whether they answered is already
recorded as a yes/no on the invitation; nothing about the answers themselves).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonground.core.inbox import Item, Section

from .models import Invitation, RoundStatus


def waiting(
    user: Any, now: datetime.datetime, limit: int, partnership: Any = None
) -> list[Section]:
    today = now.date()
    open_ones = Invitation.objects.filter(
        user=user, answered=False, round__status=RoundStatus.OPEN, round__closes_on__gte=today
    )
    if partnership is not None:
        open_ones = open_ones.filter(round__partnership=partnership)
    section = Section("surveys", _("Health-check surveys to answer"), count=open_ones.count())
    rows = open_ones.select_related("round__partnership").order_by("round__closes_on", "id")[:limit]
    section.items = [
        Item.of(
            inv.round,
            title=str(inv.round),
            url=reverse("healthchecks_global:answer"),
            action=_("Answer"),
            due=inv.round.closes_on,
            detail=_("Use the link in your email; it works once and keeps your answers anonymous."),
        )
        for inv in rows
    ]
    return [section]
