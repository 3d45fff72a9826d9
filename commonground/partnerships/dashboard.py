"""The signed-in person's start page ("My work"): their partnerships and roles, open
invitations, and what waits for them (``core.inbox``). ``core:dashboard`` serves it
through ``hooks.DASHBOARD``, so core imports no app."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from commonground.accounts.models import Invitation
from commonground.core.http import AuthedRequest
from commonground.core.inbox import inbox_for, waiting_count

from .models import Role


def dashboard(*, request: AuthedRequest) -> HttpResponse:
    roles = (
        Role.objects.filter(user=request.user, ended_on__isnull=True)
        .select_related("partnership", "organisation")
        .order_by("partnership__name", "kind")
    )
    by_partnership: dict[int, dict[str, Any]] = {}
    for role in roles:
        entry = by_partnership.setdefault(
            role.partnership_id, {"partnership": role.partnership, "roles": []}
        )
        entry["roles"].append(role)
    invitations = Invitation.objects.filter(
        email__iexact=request.user.email,  # type: ignore[union-attr]
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).select_related("partnership")[:10]
    sections = inbox_for(request.user)
    return render(
        request,
        "core/dashboard.html",
        {
            "memberships": list(by_partnership.values()),
            "invitations": [i for i in invitations if i.is_open],
            "sections": sections,
            "waiting": waiting_count(sections),
        },
    )
