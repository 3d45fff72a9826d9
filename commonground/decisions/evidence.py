"""Evidence from the decision authority: domains decided by those who know them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext_lazy

from commonground.core.evidence import Evidence, counted

from .models import DecisionDomain


def decision_domains(p: Any) -> Evidence | None:
    return counted(
        DecisionDomain.objects.filter(partnership=p).count(),
        ngettext_lazy(
            "%(n)s decision domain says who decides what",
            "%(n)s decision domains say who decides what",
            "n",
        ),
        reverse("decisions:authority", kwargs={"slug": p.slug}),
    )


EVIDENCE = {"element:decision_authority": decision_domains}
