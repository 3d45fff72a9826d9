"""Evidence from the system map."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext_lazy

from commonground.core.evidence import Evidence, counted

from .models import Relationship


def system_mapped(p: Any) -> Evidence | None:
    return counted(
        Relationship.objects.filter(partnership=p).count(),
        ngettext_lazy(
            "%(n)s relationship is on the system map",
            "%(n)s relationships are on the system map",
            "n",
        ),
        reverse("systemmap:network", kwargs={"slug": p.slug}),
    )


EVIDENCE = {"identify.system.system-map": system_mapped}
