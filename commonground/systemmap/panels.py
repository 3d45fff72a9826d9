"""The system-map panel on the partnership home (three small queries)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from commonground.core import policy

from . import rules, selectors
from .models import SurveyResponse


def home_panel(request: HttpRequest, partnership: Any) -> dict[str, Any] | None:
    if not policy.has_capability(request.user, partnership, rules.VIEW):
        return None
    trend = selectors.rating_trend(partnership)
    return {
        "relationships": partnership.relationships.count(),
        "answers": SurveyResponse.objects.filter(survey__partnership=partnership).count(),
        "rating": trend["latest_content"] if trend else None,
        "trend": trend,
        "can_prepare": policy.has_capability(request.user, partnership, rules.PREPARE),
    }
