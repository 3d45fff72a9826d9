"""The "What next" panel on the partnership home."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from commonground.core import policy

from . import rules, selectors
from .content import method


def what_next(partnership: Any) -> dict[str, Any]:
    phase = method().phase(partnership.phase)
    steps = [
        row
        for row in selectors.phase_detail(partnership, phase)
        if row["done"] < len(row["step"].checklist)
    ]
    not_agreed = selectors.elements_not_agreed(partnership)
    return {
        "phase": phase,
        "steps": steps[:3],
        "more_steps": max(len(steps) - 3, 0),
        "elements": not_agreed[:4],
        "more_elements": max(len(not_agreed) - 4, 0),
        "due_reviews": selectors.due_reviews(partnership),
        "revisit": selectors.elements_to_revisit(partnership),
    }


def what_next_panel(request: HttpRequest, partnership: Any) -> dict[str, Any] | None:
    if not policy.has_capability(request.user, partnership, rules.VIEW):
        return None
    return what_next(partnership)
