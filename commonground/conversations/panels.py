"""The conversations panel on the partnership home: threads with unread posts, requests to you."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from commonground.core import policy

from . import rules, selectors


def conversations_panel(request: HttpRequest, partnership: Any) -> dict[str, Any] | None:
    if not policy.has_capability(request.user, partnership, rules.VIEW):
        return None
    threads = selectors.threads_for(request.user, partnership).filter(unread__gt=0)[:5]  # type: ignore[misc]
    return {
        "partnership": partnership,
        "threads": list(threads),
        "requests_to_me": selectors.open_requests(partnership)
        .filter(addressee_id=request.user.pk)
        .count(),
    }
