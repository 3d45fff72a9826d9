"""Evidence from the decision authority: domains decided by those who know them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from commonground.core.evidence import Evidence

from .models import DecisionDomain


def decision_domains(p: Any) -> Evidence | None:
    n = DecisionDomain.objects.filter(partnership=p).count()
    if not n:
        return None
    return Evidence(
        ngettext(
            "%(n)s decision domain says who decides what",
            "%(n)s decision domains say who decides what",
            n,
        )
        % {"n": n},
        reverse("decisions:authority", kwargs={"slug": p.slug}),
    )


EVIDENCE = {"element:decision_authority": decision_domains}
