"""Reads for the partnership workspace."""

from __future__ import annotations

import functools
from typing import Any

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from commonground.core.policy import all_capabilities
from commonground.organisations.models import Organisation

from .models import Ending, Membership, MembershipStatus, Partnership, Role, RoleKind


def members_of(partnership: Partnership) -> QuerySet[Membership]:
    return partnership.memberships.select_related("organisation").order_by(
        "status", "organisation__name"
    )


def current_member_organisations(partnership: Partnership) -> QuerySet[Organisation]:
    """The partnership's member organisations that have not left it, by name (leaving
    another partnership does not count: the condition is on this partnership's
    membership)."""
    return Organisation.objects.filter(
        pk__in=Membership.objects.filter(partnership=partnership)
        .exclude(status=MembershipStatus.LEFT)
        .values("organisation_id")
    ).order_by("name")


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


@functools.lru_cache(maxsize=16)
def role_capability_html(language: str) -> SafeString:
    """The role/capability table, rendered once per language and process.

    It depends only on the policy registry, which is complete once the apps are loaded,
    and it is the largest part of the home page to render.
    """
    with translation.override(language):
        return mark_safe(
            render_to_string(
                "partnerships/_role_table.html", {"role_table": role_capability_table()}
            )
        )


HOME_NAMES_PER_ROLE = 8


def roles_by_kind(partnership: Partnership) -> list[dict[str, Any]]:
    """Active roles grouped by kind: the count of each and the first few names.

    Two queries whatever the partnership's size: counts in SQL, then the first
    names of every kind in one query with a window function.
    """
    counts = dict(
        partnership.roles.filter(ended_on__isnull=True)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    ranked = active_roles(partnership).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("kind")],
            order_by=[F("user__display_name").asc(), F("id").asc()],
        )
    )
    first: dict[str, list[Role]] = {}
    for role in ranked.filter(rank__lte=HOME_NAMES_PER_ROLE):
        first.setdefault(role.kind, []).append(role)
    return [
        {
            "kind": k,
            "label": label,
            "roles": first.get(k, []),
            "count": counts[k],
            "more": counts[k] - len(first.get(k, [])),
        }
        for k, label in RoleKind.choices
        if counts.get(k)
    ]


def member_summary(partnership: Partnership, limit: int = 12) -> dict[str, Any]:
    members = members_of(partnership)
    return {"first": list(members[:limit]), "count": members.count()}


HOME_CACHE_SECONDS = 300


def home_shared(partnership: Partnership) -> dict[str, str]:
    """The parts of the partnership home that every member sees alike, as HTML.

    Cached under the partnership's data version, the language and the date: every
    change to the partnership moves the version as it commits, so the next view renders
    afresh; the short lifetime covers the few changes made elsewhere (a person renaming
    themselves). Built without the viewer's request: nothing in it depends on who looks. The home then costs two small queries for these parts instead of a
    dozen and their rendering.
    """
    from django.utils import timezone

    from commonground.core.audit import cached_while_unchanged
    from commonground.core.nav import shared_panels

    def build() -> dict[str, str]:
        ctx = {
            "partnership": partnership,
            "member_summary": member_summary(partnership),
            "role_groups": roles_by_kind(partnership),
        }
        shared: dict[str, str] = {
            "people": render_to_string("partnerships/_home_shared.html#people", ctx),
            "members": render_to_string("partnerships/_home_shared.html#members", ctx),
        }
        for panel in shared_panels():
            # Built from the partnership alone: the viewer's permission is checked
            # outside the cached part (core.nav.panels_for).
            assert panel.shared_context is not None
            panel_ctx = panel.shared_context(partnership)
            shared[panel.key] = (
                render_to_string(panel.template, {"panel": panel_ctx, "partnership": partnership})
                if panel_ctx is not None
                else ""
            )
        return shared

    # The date is part of the key: "reviews due" and "revisit by" depend on it.
    return cached_while_unchanged(
        partnership, "home", [timezone.localdate().isoformat()], build, HOME_CACHE_SECONDS
    )


def partnerships_of_organisation(*, user: Any, organisation: Any) -> QuerySet[Partnership]:
    """The partnerships the organisation belongs to that ``user`` may see (the directory's
    organisation page asks for them through ``hooks.ORGANISATION_PARTNERSHIPS``)."""
    from .rules import visible_partnerships

    return visible_partnerships(user).filter(memberships__organisation=organisation).distinct()


def ending_of(partnership: Partnership) -> Ending | None:
    """The partnership's ending record with who recorded each step (one query)."""
    return (
        Ending.objects.filter(partnership=partnership)
        .select_related(
            "dissatisfaction_by",
            "agreement_by",
            "mediator_by",
            "lessons_by",
            "announcement_by",
            "ended_by",
        )
        .first()
    )
