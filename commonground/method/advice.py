"""Advice read from the structure profile and the relationship spectrum.

The profile and the spectrum describe the partnership; here they change what the
product advises next (shown in "What next"). Each rule reads only what the partners
recorded, and says why it applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonground.core.evidence import evidence_for

from .models import ProfileChoice
from .selectors import representative_counts, spectrum_summary

# A gap this wide between "where we are" and "where we want to be" (averages, 1-5)
# surfaces a next step.
WIDE_GAP = 1.5
RATIFIED = "agree.ratify.ratify-signed"


@dataclass(frozen=True)
class Advice:
    code: str
    text: Any
    url: str
    why: Any = ""


def profile_advice(partnership: Any) -> list[Advice]:
    choices = dict(
        ProfileChoice.objects.filter(partnership=partnership).values_list("dimension", "choice")
    )
    reps = representative_counts(partnership)["choice"]
    slug = partnership.slug
    out: list[Advice] = []
    formal = choices.get("authority") == "formal" or choices.get("structure") == "formal"
    if formal and reps == "decision_makers":
        ratified = evidence_for(partnership, [RATIFIED]).get(RATIFIED)
        if ratified is None or not ratified.met:
            out.append(
                Advice(
                    "formal-agreement",
                    _(
                        "Put the partnership on a formal footing: a memorandum of understanding "
                        "or a letter of agreement, ratified by each organisation."
                    ),
                    reverse("agreements:list", kwargs={"slug": slug}),
                    _("Your profile says formal authority, and most representatives decide."),
                )
            )
    if reps == "doers":
        out.append(
            Advice(
                "doers-need-sponsors",
                _(
                    "Your representatives mostly do the work rather than decide. Name a sponsor "
                    "in each organisation and agree how decisions go back to them."
                ),
                reverse("partnerships:members", kwargs={"slug": slug}),
                _("Most representatives are doers."),
            )
        )
    gaps = [
        (row["aim_avg"] - row["now_avg"], row)
        for row in spectrum_summary(partnership)
        if row["now_avg"] is not None and row["aim_avg"] is not None
    ]
    wide = [g for g in gaps if abs(g[0]) >= WIDE_GAP]
    if wide:
        _gap, row = max(wide, key=lambda g: abs(g[0]))
        out.append(
            Advice(
                "spectrum-gap",
                _(
                    "Largest gap on the relationship spectrum: “%(dim)s”, where you are "
                    "%(now)s and want to be %(aim)s. Agree one step that would close it."
                )
                % {"dim": row["dim"].title, "now": row["now_avg"], "aim": row["aim_avg"]},
                reverse("method:spectrum", kwargs={"slug": slug}),
                _("A wide gap between where you are and where you want to be."),
            )
        )
    return out
