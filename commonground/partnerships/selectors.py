"""Reads for the partnership workspace."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from commonground.core.policy import all_capabilities

from .models import Membership, Partnership, Role, RoleKind


def members_of(partnership: Partnership) -> QuerySet[Membership]:
    return partnership.memberships.select_related("organisation").order_by(
        "status", "organisation__name"
    )


def active_roles(partnership: Partnership) -> QuerySet[Role]:
    return (
        partnership.roles.filter(ended_on__isnull=True)
        .select_related("user", "organisation")
        .order_by("kind", "user__display_name", "id")
    )


def role_capability_table() -> list[dict[str, Any]]:
    """For each role, what it may do (from the policy registry)."""
    caps = all_capabilities()
    return [
        {"kind": kind, "label": label, "capabilities": [c.label for c in caps if kind in c.roles]}
        for kind, label in RoleKind.choices
    ]


def roles_by_kind(partnership: Partnership) -> list[dict[str, Any]]:
    """Active roles grouped by role kind, in the order of RoleKind (one query)."""
    groups: dict[str, list[Role]] = {}
    for role in active_roles(partnership):
        groups.setdefault(role.kind, []).append(role)
    return [
        {"kind": k, "label": label, "roles": groups[k]}
        for k, label in RoleKind.choices
        if k in groups
    ]
