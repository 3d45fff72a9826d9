"""The system-map panel on the partnership home (three small queries)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from commonground.core import policy

from . import rules
from .models import PrepTool, SurveyResponse


def home_panel(request: HttpRequest, partnership: Any) -> dict[str, Any] | None:
    if not policy.has_capability(request.user, partnership, rules.VIEW):
        return None
    rating = (
        partnership.prep_tool_versions.filter(tool=PrepTool.SELF_RATING)
        .order_by("-version")
        .values_list("content", flat=True)
        .first()
    )
    return {
        "relationships": partnership.relationships.count(),
        "answers": SurveyResponse.objects.filter(survey__partnership=partnership).count(),
        "rating": rating,
    }
