"""Evidence from the action plan: meeting tasks turned into actions."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from commonground.core.evidence import Evidence

from .models import Action


def meeting_actions(p: Any) -> Evidence | None:
    n = Action.objects.filter(partnership=p, meeting__isnull=False).count()
    if not n:
        return None
    return Evidence(
        ngettext(
            "%(n)s action from a meeting is in the action plan",
            "%(n)s actions from meetings are in the action plan",
            n,
        )
        % {"n": n},
        reverse("actionplan:list", kwargs={"slug": p.slug}),
    )


EVIDENCE = {"consolidate.records.records-actions": meeting_actions}
