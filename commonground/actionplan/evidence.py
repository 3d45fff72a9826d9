"""Evidence from the action plan: meeting tasks turned into actions."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext_lazy

from commonground.core.evidence import Evidence, counted

from .models import Action


def meeting_actions(p: Any) -> Evidence | None:
    return counted(
        Action.objects.filter(partnership=p, meeting__isnull=False).count(),
        ngettext_lazy(
            "%(n)s action from a meeting is in the action plan",
            "%(n)s actions from meetings are in the action plan",
            "n",
        ),
        reverse("actionplan:list", kwargs={"slug": p.slug}),
    )


EVIDENCE = {"consolidate.records.records-actions": meeting_actions}
