"""Evidence from the prospects pipeline."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext_lazy

from commonground.core.evidence import Evidence, counted

from .models import Prospect


def prospect_files(p: Any) -> Evidence | None:
    return counted(
        Prospect.objects.filter(partnership=p).exclude(why_approach="").count(),
        ngettext_lazy(
            "%(n)s prospect has a file saying why to approach them",
            "%(n)s prospects have a file saying why to approach them",
            "n",
        ),
        reverse("prospects:board", kwargs={"slug": p.slug}),
    )


def prospects_scored(p: Any) -> Evidence | None:
    return counted(
        Prospect.objects.filter(partnership=p, scores__isnull=False).distinct().count(),
        ngettext_lazy(
            "%(n)s prospect is scored on the shared scorecard",
            "%(n)s prospects are scored on the shared scorecard",
            "n",
        ),
        reverse("prospects:scorecards", kwargs={"slug": p.slug}),
    )


EVIDENCE = {
    "identify.contact.contact-file": prospect_files,
    "identify.compatibility.compatibility-assessed": prospects_scored,
}
