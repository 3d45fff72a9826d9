from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from commonground.core import policy

from . import rules
from .models import Notification, Proposal, ProposalStatus


def open_proposals_panel(request: HttpRequest, partnership: Any) -> dict[str, Any] | None:
    if not policy.has_capability(request.user, partnership, rules.VIEW):
        return None
    open_now = list(
        Proposal.objects.filter(partnership=partnership, status=ProposalStatus.OPEN)
        .select_related("working_group", "partnership")
        .order_by("closes_at")[:5]
    )
    unread = Notification.objects.filter(
        user_id=request.user.pk or 0, partnership=partnership, read_at__isnull=True
    ).count()
    return {"proposals": open_now, "unread": unread, "partnership": partnership}
