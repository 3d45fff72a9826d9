from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from commonground.core import policy

from . import rules, selectors
from .progress import STATUS_BADGES, STATUS_LABELS


def home_panel(request: HttpRequest, partnership: Any) -> dict[str, Any] | None:
    if not policy.has_capability(request.user, partnership, rules.VIEW):
        return None
    indicators = selectors.with_progress(selectors.indicators_for(partnership))
    if not indicators:
        return None
    counts = selectors.status_counts(partnership, indicators)
    schedule = selectors.review_schedule_for(partnership, indicators=indicators)
    return {
        "partnership": partnership,
        "statuses": [
            {"label": STATUS_LABELS[k], "badge": STATUS_BADGES[k], "count": v}
            for k, v in sorted(counts.items())
        ],
        "due": schedule.due,
        "next_due": schedule.next_due,
    }
