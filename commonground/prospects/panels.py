"""The prospects panel on the partnership home."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from commonground.core import policy

from . import rules, selectors
from .models import OPEN_STAGES
from .selectors import Coverage


def home_panel(request: HttpRequest, partnership: Any) -> dict[str, Any] | None:
    if not policy.has_capability(request.user, partnership, rules.VIEW):
        return None
    counts = selectors.stage_counts(partnership)
    analysis = selectors.gap_analysis(partnership, with_pipeline=False)
    return {
        "open": sum(counts.get(s, 0) for s in OPEN_STAGES),
        "joined": counts.get("joined", 0),
        "uncovered": [r.need for r in analysis.rows if r.status == Coverage.UNCOVERED],
        "thin": [r.need for r in analysis.rows if r.status == Coverage.THIN],
        "missing_sectors": [label for _value, label in analysis.missing_sectors],
    }
