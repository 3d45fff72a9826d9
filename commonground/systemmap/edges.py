"""Edges of the system map, from every app that knows about links between organisations.

An *edge provider* is a function ``fn(partnership_ids, visible_org_ids)`` that
returns :class:`Edge` records for the given partnerships, touching only the
given organisations. Apps register providers with :func:`register_edge_provider`
(from their ``AppConfig.ready``); the map asks every provider once per page,
so a provider must run a fixed number of queries, whatever the number of edges.

Node ids are strings: ``"o:<pk>"`` for an organisation, ``"p:<pk>"`` for a
partnership (shown as a hub that its members link to).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import combinations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import RelationshipKind


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str
    partnership_id: int
    origin: str = "derived"  # "derived", "entered" or "survey"
    note: str = ""
    started_on: datetime.date | None = None
    ended_on: datetime.date | None = None
    confidence: str = ""
    evidence: str = ""
    pk: int | None = None  # the Relationship row, for hand-entered edges

    def in_period(self, start: datetime.date | None, end: datetime.date | None) -> bool:
        """Does the edge overlap [start, end]? Undated ends are open."""
        if start is not None and self.ended_on is not None and self.ended_on < start:
            return False
        return not (end is not None and self.started_on is not None and self.started_on > end)


def org_node(pk: int) -> str:
    return f"o:{pk}"


def partnership_node(pk: int) -> str:
    return f"p:{pk}"


Provider = Callable[[list[int], set[int]], Iterable[Edge]]

_PROVIDERS: list[Provider] = []
# Edge kinds: code -> (label, shown by default)
_KINDS: dict[str, tuple[str | Promise, bool]] = {
    code: (label, True) for code, label in RelationshipKind.choices
}


def register_edge_provider(fn: Provider) -> Provider:
    """Add a provider (idempotent); usable as a decorator."""
    if fn not in _PROVIDERS:
        _PROVIDERS.append(fn)
    return fn


def register_edge_kind(code: str, label: str | Promise, *, shown_by_default: bool = True) -> None:
    """Declare an edge kind that is not one of ``RelationshipKind`` (for filters and legends)."""
    _KINDS[code] = (label, shown_by_default)


def edge_kinds() -> list[tuple[str, str | Promise]]:
    return [(code, label) for code, (label, _shown) in _KINDS.items()]


def default_kinds() -> list[str]:
    return [code for code, (_label, shown) in _KINDS.items() if shown]


def kind_label(code: str) -> str | Promise:
    return _KINDS.get(code, (code, True))[0]


def providers() -> list[Provider]:
    return list(_PROVIDERS)


# Providers that only ever give one kind of edge, so they can be skipped when the
# caller does not want that kind (co-membership is quadratic in partnership size).
_ONLY_KIND: dict[Provider, str] = {}


def collect(
    partnership_ids: list[int], visible_org_ids: set[int], kinds: set[str] | None = None
) -> list[Edge]:
    """Every provider's edges, keeping only those whose ends the caller may see.

    With ``kinds``, providers known to give only other kinds are not run."""
    allowed_partnerships = set(partnership_ids)
    visible_nodes = {org_node(pk) for pk in visible_org_ids} | {
        partnership_node(pk) for pk in allowed_partnerships
    }
    result: list[Edge] = []
    for provider in _PROVIDERS:
        if kinds is not None and provider in _ONLY_KIND and _ONLY_KIND[provider] not in kinds:
            continue
        for edge in provider(partnership_ids, visible_org_ids):
            # Belt and braces: a provider that returns too much is trimmed here.
            if (
                edge.partnership_id in allowed_partnerships
                and edge.source in visible_nodes
                and edge.target in visible_nodes
                and edge.source != edge.target
            ):
                result.append(edge)
    return result


# --- built-in providers ----------------------------------------------------------


def relationships_provider(partnership_ids: list[int], visible_org_ids: set[int]) -> list[Edge]:
    """Relationships entered by hand or derived from the survey (one query)."""
    from .models import Relationship

    rows = Relationship.objects.filter(
        partnership_id__in=partnership_ids,
        source_id__in=visible_org_ids,
        target_id__in=visible_org_ids,
    ).values_list(
        "pk",
        "source_id",
        "target_id",
        "kind",
        "partnership_id",
        "origin",
        "started_on",
        "ended_on",
        "confidence",
        "evidence",
    )
    return [
        Edge(
            source=org_node(s),
            target=org_node(t),
            kind=kind,
            partnership_id=p,
            origin=origin,
            started_on=start,
            ended_on=end,
            confidence=conf,
            evidence=evidence,
            pk=pk,
        )
        for pk, s, t, kind, p, origin, start, end, conf, evidence in rows
    ]


def membership_provider(partnership_ids: list[int], visible_org_ids: set[int]) -> list[Edge]:
    """ "Member of": each organisation with an active or past membership -> the partnership."""
    from commonground.partnerships.models import Membership, MembershipStatus

    rows = Membership.objects.filter(
        partnership_id__in=partnership_ids,
        organisation_id__in=visible_org_ids,
        status__in=[MembershipStatus.ACTIVE, MembershipStatus.LEFT],
    ).values_list("organisation_id", "partnership_id", "joined_on", "left_on", "status")
    return [
        Edge(
            source=org_node(org),
            target=partnership_node(p),
            kind=RelationshipKind.MEMBER_OF,
            partnership_id=p,
            started_on=joined,
            ended_on=left if status == MembershipStatus.LEFT else None,
        )
        for org, p, joined, left, status in rows
    ]


def co_member_provider(partnership_ids: list[int], visible_org_ids: set[int]) -> list[Edge]:
    """Co-members: organisations active in the same partnership (hidden by default)."""
    from commonground.partnerships.models import Membership, MembershipStatus

    by_partnership: dict[int, list[int]] = {}
    for org, p in Membership.objects.filter(
        partnership_id__in=partnership_ids,
        organisation_id__in=visible_org_ids,
        status=MembershipStatus.ACTIVE,
    ).values_list("organisation_id", "partnership_id"):
        by_partnership.setdefault(p, []).append(org)
    return [
        Edge(source=org_node(a), target=org_node(b), kind="co_member", partnership_id=p)
        for p, orgs in by_partnership.items()
        for a, b in combinations(sorted(set(orgs)), 2)
    ]


def working_group_provider(partnership_ids: list[int], visible_org_ids: set[int]) -> list[Edge]:
    """Organisations whose people sit together in an active working group."""
    from commonground.partnerships.models import WorkingGroup

    through = WorkingGroup.members.through
    groups: dict[int, tuple[str, int, set[int]]] = {}
    for wg, name, p, org in through.objects.filter(
        workinggroup__partnership_id__in=partnership_ids,
        workinggroup__is_active=True,
        user__organisation_id__in=visible_org_ids,
    ).values_list(
        "workinggroup_id",
        "workinggroup__name",
        "workinggroup__partnership_id",
        "user__organisation_id",
    ):
        groups.setdefault(wg, (name, p, set()))[2].add(org)
    return [
        Edge(
            source=org_node(a),
            target=org_node(b),
            kind="working_group",
            partnership_id=p,
            note=name,
        )
        for name, p, orgs in groups.values()
        for a, b in combinations(sorted(orgs), 2)
    ]


def register_builtin_providers() -> None:
    register_edge_kind("working_group", _("together in a working group"))
    register_edge_kind("co_member", _("co-member of a partnership"), shown_by_default=False)
    register_edge_provider(relationships_provider)
    register_edge_provider(membership_provider)
    register_edge_provider(co_member_provider)
    _ONLY_KIND[co_member_provider] = "co_member"
    register_edge_provider(working_group_provider)
