"""Evidence from the prospects pipeline."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from commonground.core.evidence import Evidence

from .models import Prospect


def prospect_files(p: Any) -> Evidence | None:
    n = Prospect.objects.filter(partnership=p).exclude(why_approach="").count()
    if not n:
        return None
    return Evidence(
        ngettext(
            "%(n)s prospect has a file saying why to approach them",
            "%(n)s prospects have a file saying why to approach them",
            n,
        )
        % {"n": n},
        reverse("prospects:board", kwargs={"slug": p.slug}),
    )


def prospects_scored(p: Any) -> Evidence | None:
    n = Prospect.objects.filter(partnership=p, scores__isnull=False).distinct().count()
    if not n:
        return None
    return Evidence(
        ngettext(
            "%(n)s prospect is scored on the shared scorecard",
            "%(n)s prospects are scored on the shared scorecard",
            n,
        )
        % {"n": n},
        reverse("prospects:scorecards", kwargs={"slug": p.slug}),
    )


EVIDENCE = {
    "identify.contact.contact-file": prospect_files,
    "identify.compatibility.compatibility-assessed": prospects_scored,
}
