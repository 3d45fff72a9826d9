"""The "What next" panel on the partnership home."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from commonground.core import policy
from commonground.core.inbox import inbox_for

from . import rules, selectors
from .advice import profile_advice
from .content import method


def what_next(partnership: Any) -> dict[str, Any]:
    phase = method().phase(partnership.phase)
    steps = [
        row
        for row in selectors.phase_detail(partnership, phase)
        if row["done"] < len(row["step"].checklist)
    ]
    elements = selectors.elements_state(partnership)
    not_agreed = [row["element"] for row in elements if row["state"] == "open"]
    return {
        "in_practice": [row for row in elements if row["state"] == "practice"][:4],
        "phase": phase,
        "steps": steps[:3],
        "more_steps": max(len(steps) - 3, 0),
        "elements": not_agreed[:4],
        "more_elements": max(len(not_agreed) - 4, 0),
        "due_reviews": selectors.due_reviews(partnership),
        "revisit": selectors.elements_to_revisit(partnership),
        "advice": profile_advice(partnership),
    }


def what_next_panel(request: HttpRequest, partnership: Any) -> dict[str, Any] | None:
    if not policy.has_capability(request.user, partnership, rules.MOVE_PHASE):
        return None
    return what_next(partnership)


def yours_panel(request: HttpRequest, partnership: Any) -> dict[str, Any] | None:
    """What waits for this person in this partnership (their votes, tasks, signatures,
    survey, meetings): the same as My work, for one partnership. Those who steer the
    partnership see its next steps instead."""
    if not policy.has_capability(request.user, partnership, rules.VIEW) or policy.has_capability(
        request.user, partnership, rules.MOVE_PHASE
    ):
        return None
    sections = [
        {"section": section, "items": section.items}
        for section in inbox_for(request.user, partnership=partnership)
        if section.items
    ]
    return {"sections": sections, "phase": method().phase(partnership.phase)}
