"""Evidence from the system map."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from commonground.core.evidence import Evidence

from .models import Relationship


def system_mapped(p: Any) -> Evidence | None:
    n = Relationship.objects.filter(partnership=p).count()
    if not n:
        return None
    return Evidence(
        ngettext(
            "%(n)s relationship is on the system map",
            "%(n)s relationships are on the system map",
            n,
        )
        % {"n": n},
        reverse("systemmap:network", kwargs={"slug": p.slug}),
    )


EVIDENCE = {"identify.system.system-map": system_mapped}
