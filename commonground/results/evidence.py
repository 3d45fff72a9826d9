"""Evidence from the indicators of progress."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import ngettext, ngettext_lazy

from commonground.core.evidence import Evidence, share

from .models import Indicator


def _counts(p: Any) -> dict[str, int]:
    return Indicator.objects.filter(partnership=p).aggregate(
        total=Count("id"),
        measured=Count("id", filter=Q(baseline_value__isnull=False, target_value__isnull=False)),
        owned=Count("id", filter=Q(owner__isnull=False)),
    )


def indicators_set(p: Any) -> Evidence | None:
    c = _counts(p)
    if not c["measured"]:
        return None
    return Evidence(
        ngettext(
            "%(n)s indicator has a baseline and a target",
            "%(n)s indicators have a baseline and a target",
            c["measured"],
        )
        % {"n": c["measured"]},
        reverse("results:indicator_list", kwargs={"slug": p.slug}),
    )


def data_owners(p: Any) -> Evidence | None:
    c = _counts(p)
    return share(
        c["owned"],
        c["total"],
        ngettext_lazy(
            "%(n)s of %(total)s indicator has a named owner",
            "%(n)s of %(total)s indicators have a named owner",
            "total",
        ),
        reverse("results:indicator_list", kwargs={"slug": p.slug}),
    )


EVIDENCE = {
    "element:indicators": indicators_set,
    "assess.accountability.accountability-data": data_owners,
}
