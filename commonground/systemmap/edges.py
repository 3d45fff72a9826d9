"""Edges of the system map, from every app that knows about links between organisations.

An *edge provider* is a function ``fn(partnership_ids, visible_org_ids)`` that
returns :class:`Edge` records for the given partnerships, touching only the
given organisations. Apps register providers with :func:`register_edge_provider`
(from their ``AppConfig.ready``); the map asks every provider once per page,
so a provider must run a fixed number of queries, whatever the number of edges.
The map stops reading a provider's edges after a fixed number (``limit`` in
:func:`collect`), so a provider that yields lazily (a generator) does no more
work than the map needs.

Node ids are strings: ``"o:<pk>"`` for an organisation, ``"p:<pk>"`` for a
partnership (shown as a hub that its members link to).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from itertools import combinations
from typing import Any, NamedTuple

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import RelationshipKind


class Edge(NamedTuple):
    """One tie on the map (a named tuple: the map builds hundreds per page, and a
    frozen dataclass costs several times more to create)."""

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
# Built-in providers that take the filters (kinds, period) and a row limit as keyword
# arguments and apply them in SQL.
_FILTERS_IN_SQL: set[Provider] = set()


def collect(
    partnership_ids: list[int],
    visible_org_ids: set[int],
    kinds: set[str] | None = None,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    limit: int | None = None,
) -> tuple[list[Edge], bool]:
    """Every provider's edges of the wanted kinds and period, keeping only those whose
    ends the caller may see; at most ``limit`` edges from each provider.

    Returns the edges and whether some provider had more than ``limit``. With
    ``kinds``, providers known to give only other kinds are not run."""
    allowed_partnerships = set(partnership_ids)
    visible_nodes = {org_node(pk) for pk in visible_org_ids} | {
        partnership_node(pk) for pk in allowed_partnerships
    }
    result: list[Edge] = []
    truncated = False
    for provider in _PROVIDERS:
        if kinds is not None and provider in _ONLY_KIND and _ONLY_KIND[provider] not in kinds:
            continue
        if provider in _FILTERS_IN_SQL:
            found: Iterable[Edge] = provider(
                partnership_ids,
                visible_org_ids,
                kinds=kinds,
                start=start,
                end=end,
                limit=None if limit is None else limit + 1,
            )  # type: ignore[call-arg]
        else:
            found = provider(partnership_ids, visible_org_ids)
        taken = 0
        for edge in found:
            # Belt and braces: a provider that returns too much is trimmed here.
            if (
                edge.partnership_id in allowed_partnerships
                and edge.source in visible_nodes
                and edge.target in visible_nodes
                and edge.source != edge.target
                and (kinds is None or edge.kind in kinds)
                and edge.in_period(start, end)
            ):
                if limit is not None and taken == limit:
                    truncated = True
                    break
                result.append(edge)
                taken += 1
    return result, truncated


# --- built-in providers ----------------------------------------------------------
#
# Each reads plain rows (``values_list``) in one query of its own, without the models'
# default orderings (which would join other tables only to sort).


def relationships_provider(
    partnership_ids: list[int],
    visible_org_ids: set[int],
    *,
    kinds: set[str] | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    limit: int | None = None,
) -> list[Edge]:
    """Relationships entered by hand or derived from the survey (one query); with a
    limit, the most recently recorded first."""
    from .models import Relationship

    if not partnership_ids or not visible_org_ids or kinds == set():
        return []
    orgs = list(visible_org_ids)
    rows = Relationship.objects.filter(
        partnership_id__in=partnership_ids, source_id__in=orgs, target_id__in=orgs
    )
    if kinds is not None:
        rows = rows.filter(kind__in=sorted(kinds))
    if start is not None:
        rows = rows.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
    if end is not None:
        rows = rows.filter(Q(started_on__isnull=True) | Q(started_on__lte=end))
    rows = rows.order_by("-id")
    if limit is not None:
        rows = rows[:limit]
    return [
        Edge(
            source=org_node(s),
            target=org_node(t),
            kind=kind,
            partnership_id=p,
            origin=origin,
            started_on=started,
            ended_on=ended,
            confidence=conf,
            evidence=evidence,
            pk=pk,
        )
        for pk, s, t, kind, p, origin, started, ended, conf, evidence in rows.values_list(
            "id",
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
    ]


def _memberships(
    partnership_ids: list[int], visible_org_ids: set[int], columns: list[str], statuses: list[str]
) -> list[tuple[Any, ...]]:
    """``columns`` of the memberships of these organisations in these partnerships that
    have one of ``statuses``."""
    from commonground.partnerships.models import Membership

    if not partnership_ids or not visible_org_ids:
        return []
    return list(
        Membership.objects.filter(
            partnership_id__in=partnership_ids,
            organisation_id__in=list(visible_org_ids),
            status__in=statuses,
        )
        .order_by()
        .values_list(*columns)
    )


def membership_provider(partnership_ids: list[int], visible_org_ids: set[int]) -> list[Edge]:
    """ "Member of": each organisation with an active or past membership -> the partnership."""
    from commonground.partnerships.models import MembershipStatus

    rows = _memberships(
        partnership_ids,
        visible_org_ids,
        ["organisation_id", "partnership_id", "joined_on", "left_on", "status"],
        [MembershipStatus.ACTIVE.value, MembershipStatus.LEFT.value],
    )
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


def co_member_provider(partnership_ids: list[int], visible_org_ids: set[int]) -> Iterator[Edge]:
    """Co-members: organisations active in the same partnership (hidden by default)."""
    from commonground.partnerships.models import MembershipStatus

    by_partnership: dict[int, list[int]] = {}
    for org, p in _memberships(
        partnership_ids,
        visible_org_ids,
        ["organisation_id", "partnership_id"],
        [MembershipStatus.ACTIVE.value],
    ):
        by_partnership.setdefault(p, []).append(org)
    # Lazily: the pairs grow with the square of the members, and the map reads only a few.
    return (
        Edge(source=org_node(a), target=org_node(b), kind="co_member", partnership_id=p)
        for p, orgs in by_partnership.items()
        for a, b in combinations(sorted(set(orgs)), 2)
    )


def working_group_provider(partnership_ids: list[int], visible_org_ids: set[int]) -> Iterator[Edge]:
    """Organisations whose people sit together in an active working group."""
    from commonground.partnerships.models import WorkingGroup

    if not partnership_ids or not visible_org_ids:
        return iter(())
    seats = (
        WorkingGroup.members.through.objects.filter(
            workinggroup__partnership_id__in=partnership_ids,
            workinggroup__is_active=True,
            user__organisation_id__in=list(visible_org_ids),
        )
        .order_by()
        .values_list(
            "workinggroup_id",
            "workinggroup__name",
            "workinggroup__partnership_id",
            "user__organisation_id",
        )
    )
    groups: dict[int, tuple[str, int, set[int]]] = {}
    for wg, name, p, org in seats:
        groups.setdefault(wg, (name, p, set()))[2].add(org)
    return (
        Edge(
            source=org_node(a),
            target=org_node(b),
            kind="working_group",
            partnership_id=p,
            note=name,
        )
        for name, p, orgs in groups.values()
        for a, b in combinations(sorted(orgs), 2)
    )


def register_builtin_providers() -> None:
    register_edge_kind("working_group", _("together in a working group"))
    register_edge_kind("co_member", _("co-member of a partnership"), shown_by_default=False)
    register_edge_provider(relationships_provider)
    _FILTERS_IN_SQL.add(relationships_provider)
    register_edge_provider(membership_provider)
    _ONLY_KIND[membership_provider] = RelationshipKind.MEMBER_OF
    register_edge_provider(co_member_provider)
    _ONLY_KIND[co_member_provider] = "co_member"
    register_edge_provider(working_group_provider)
    _ONLY_KIND[working_group_provider] = "working_group"
