from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from commonground.core import policy

from . import rules, selectors


def actions_panel(request: HttpRequest, partnership: Any) -> dict[str, Any] | None:
    if not policy.has_capability(request.user, partnership, rules.VIEW):
        return None
    return {"summary": selectors.summary(partnership), "partnership": partnership}
