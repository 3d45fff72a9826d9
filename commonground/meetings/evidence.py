"""Evidence from the meetings: minutes approved and a regular rhythm."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from commonground.core.evidence import Evidence

from .models import Meeting, MinutesStatus

RHYTHM_DAYS = 180
RHYTHM_MEETINGS = 3


def minutes_approved(p: Any) -> Evidence | None:
    meeting = (
        Meeting.objects.filter(partnership=p, minutes_status=MinutesStatus.APPROVED)
        .order_by("-starts_at", "-id")
        .first()
    )
    if meeting is None:
        return None
    return Evidence(
        _("Minutes of “%(title)s” approved") % {"title": meeting.title},
        meeting.get_absolute_url(),
        timezone.localdate(meeting.starts_at),
    )


def meeting_rhythm(p: Any) -> Evidence | None:
    now = timezone.now()
    n = Meeting.objects.filter(
        partnership=p, starts_at__gte=now - datetime.timedelta(days=RHYTHM_DAYS), starts_at__lt=now
    ).count()
    if not n:
        return None
    return Evidence(
        ngettext(
            "%(n)s meeting in the last six months",
            "%(n)s meetings in the last six months",
            n,
        )
        % {"n": n},
        reverse("meetings:list", kwargs={"slug": p.slug}),
        met=n >= RHYTHM_MEETINGS,
    )


EVIDENCE = {
    "consolidate.records.records-minutes": minutes_approved,
    "consolidate.resources.resources-rhythm": meeting_rhythm,
}
