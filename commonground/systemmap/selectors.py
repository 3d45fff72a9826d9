"""Reading the system map, the survey results and the preparation tools.

Which organisations a person sees on the map
-------------------------------------------
Only partnerships the person may see (``systemmap.view``) contribute anything.
Within them, the visible organisations are: every organisation with a
membership (any status, as on the members page), every organisation for which
someone holds an active role, and both ends of every relationship recorded in
those partnerships (entered by hand or derived from their survey). An edge is
shown only when it belongs to one of those partnerships *and* both of its ends
are visible, so nothing recorded in another partnership — not even the
existence of a tie between two organisations the person knows — leaks out.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from commonground.organisations.models import Organisation, Sector
from commonground.partnerships.models import Membership, Partnership, Role

from . import edges as edge_registry
from . import graph
from .edges import Edge, org_node, partnership_node
from .models import (
    PrepTool,
    PrepToolVersion,
    Relationship,
    ServiceType,
    Survey,
    SurveyFunder,
    SurveyInvitation,
    SurveyProgramme,
    SurveyResponse,
)


def visible_org_ids(partnership_ids: list[int]) -> set[int]:
    """Organisations that may appear on a map of these partnerships (three queries)."""
    if not partnership_ids:
        return set()
    ids = set(
        Membership.objects.filter(partnership_id__in=partnership_ids).values_list(
            "organisation_id", flat=True
        )
    )
    ids |= set(
        Role.objects.filter(
            partnership_id__in=partnership_ids,
            ended_on__isnull=True,
            organisation_id__isnull=False,
        ).values_list("organisation_id", flat=True)
    )
    for source, target in Relationship.objects.filter(
        partnership_id__in=partnership_ids
    ).values_list("source_id", "target_id"):
        ids.add(source)
        ids.add(target)
    return ids


@dataclass
class NetworkFilters:
    sectors: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=edge_registry.default_kinds)
    start: datetime.date | None = None
    end: datetime.date | None = None
    path_from: int | None = None
    path_to: int | None = None


@dataclass
class Network:
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    central: list[dict[str, Any]]
    isolated: list[dict[str, Any]]
    missing_sectors: list[str]
    organisations: list[dict[str, Any]]  # every visible organisation, for the path pickers
    path: list[dict[str, Any]] | None = None
    path_asked: bool = False

    def chart_data(self) -> dict[str, Any]:
        sectors = [{"code": code, "name": str(label)} for code, label in Sector.choices]
        sectors.append({"code": "partnership", "name": _("Partnership")})
        return {
            "categories": sectors,
            "nodes": [
                {
                    "id": n["id"],
                    "name": n["name"],
                    "category": n["sector"],
                    "degree": n["degree"],
                    "betweenness": n["betweenness"],
                    "on_path": n.get("on_path", False),
                }
                for n in self.nodes
            ],
            "links": [
                {
                    "source": e["source"],
                    "target": e["target"],
                    "label": e["label"],
                    "kind": e["kind"],
                    "dashed": e["origin"] != "entered" and e["origin"] != "survey",
                }
                for e in self.edges
            ],
        }


def _edge_row(edge: Edge, names: dict[str, str]) -> dict[str, Any]:
    label = str(edge_registry.kind_label(edge.kind))
    if edge.note:
        label = f"{label}: {edge.note}"
    return {
        "source": edge.source,
        "target": edge.target,
        "source_name": names[edge.source],
        "target_name": names[edge.target],
        "kind": edge.kind,
        "label": label,
        "origin": edge.origin,
        "started_on": edge.started_on,
        "ended_on": edge.ended_on,
        "confidence": edge.confidence,
        "evidence": edge.evidence,
        "pk": edge.pk,
    }


BETWEENNESS_PIVOTS = 300


def network(*, partnerships: list[Partnership], filters: NetworkFilters | None = None) -> Network:
    """The map of the given (already permission-checked) partnerships.

    A fixed number of queries whatever the number of organisations and edges.
    """
    filters = filters or NetworkFilters()
    partnership_ids = [p.pk for p in partnerships]
    org_ids = visible_org_ids(partnership_ids)
    orgs = list(
        Organisation.objects.filter(pk__in=org_ids)
        .only("pk", "name", "slug", "sector")
        .order_by("name", "pk")
    )
    sector_labels = dict(Sector.choices)
    all_orgs: list[dict[str, Any]] = [
        {
            "id": org_node(o.pk),
            "pk": o.pk,
            "name": o.name,
            "slug": o.slug,
            "sector": o.sector,
            "sector_label": sector_labels.get(o.sector, o.sector),
            "is_org": True,
        }
        for o in orgs
    ]
    present = {o.sector for o in orgs}
    missing = [str(label) for code, label in Sector.choices if code not in present]
    shown_orgs = [n for n in all_orgs if not filters.sectors or n["sector"] in filters.sectors]
    hubs: list[dict[str, Any]] = [
        {
            "id": partnership_node(p.pk),
            "pk": p.pk,
            "name": p.name,
            "slug": p.slug,
            "sector": "partnership",
            "sector_label": _("Partnership"),
            "is_org": False,
        }
        for p in partnerships
    ]
    nodes = shown_orgs + hubs
    by_id = {n["id"]: n for n in nodes}
    names: dict[str, str] = {n["id"]: n["name"] for n in nodes}
    kinds = set(filters.kinds)
    edges = [
        e
        for e in edge_registry.collect(partnership_ids, org_ids, kinds)
        if e.kind in kinds
        and e.source in by_id
        and e.target in by_id
        and e.in_period(filters.start, filters.end)
    ]
    # Hubs with no edge left (e.g. "member of" filtered out) are dropped.
    touched = {e.source for e in edges} | {e.target for e in edges}
    nodes = [n for n in nodes if n["is_org"] or n["id"] in touched]
    adj = graph.adjacency([n["id"] for n in nodes], [(e.source, e.target) for e in edges])
    deg = graph.degree(adj)
    # Exact up to a few hundred nodes; above that an estimate from evenly spread
    # sources keeps a region-wide map (thousands of organisations) responsive.
    btw = graph.betweenness(
        adj, pivots=BETWEENNESS_PIVOTS if len(adj) > BETWEENNESS_PIVOTS else None
    )
    for n in nodes:
        n["degree"] = deg[n["id"]]
        n["betweenness"] = round(btw[n["id"]], 2)
    org_ties = {
        end
        for e in edges
        if e.source.startswith("o:") and e.target.startswith("o:")
        for end in (e.source, e.target)
    }
    org_nodes = [n for n in nodes if n["is_org"]]
    central = sorted(
        (n for n in org_nodes if n["degree"] > 0),
        key=lambda n: (-n["betweenness"], -n["degree"], n["name"]),
    )[:10]
    isolated = [n for n in org_nodes if n["id"] not in org_ties]
    result = Network(
        nodes=sorted(nodes, key=lambda n: (-n["degree"], n["name"])),
        edges=sorted(
            (_edge_row(e, names) for e in edges),
            key=lambda r: (r["source_name"], r["label"], r["target_name"]),
        ),
        central=central,
        isolated=isolated,
        missing_sectors=missing,
        organisations=all_orgs,
    )
    if filters.path_from and filters.path_to:
        result.path_asked = True
        ids = graph.shortest_path(adj, org_node(filters.path_from), org_node(filters.path_to))
        if ids is not None:
            result.path = _path_steps(ids, edges, names)
            on_path = set(ids)
            for n in nodes:
                n["on_path"] = n["id"] in on_path
    return result


def _path_steps(ids: list[str], edges: list[Edge], names: dict[str, str]) -> list[dict[str, Any]]:
    """Each node on the path with the tie that leads to the next one."""
    ties: dict[frozenset[str], Edge] = {}
    for e in edges:
        ties.setdefault(frozenset((e.source, e.target)), e)
    steps = []
    for i, node in enumerate(ids):
        step: dict[str, Any] = {"id": node, "name": names[node], "via": None, "reverse": False}
        if i + 1 < len(ids):
            edge = ties[frozenset((node, ids[i + 1]))]
            step["via"] = str(edge_registry.kind_label(edge.kind))
            # The tie may run from the next organisation to this one ("is funded by").
            step["reverse"] = edge.source != node
        steps.append(step)
    return steps


# --- relationships ------------------------------------------------------------------


def relationships_of(partnership: Partnership) -> QuerySet[Relationship]:
    return partnership.relationships.select_related("source", "target", "created_by").order_by(
        "source__name", "kind", "target__name", "id"
    )


# --- survey -------------------------------------------------------------------------


def surveys_of(partnership: Partnership) -> QuerySet[Survey]:
    return partnership.surveys.annotate(
        n_invited=Count("invitations", distinct=True),
        n_answered=Count("responses", distinct=True),
    ).order_by("-created_at", "-id")


def invitations_of(survey: Survey) -> QuerySet[SurveyInvitation]:
    return survey.invitations.select_related("organisation").order_by("-created_at", "-id")


def responses_of(survey_ids: list[int]) -> QuerySet[SurveyResponse]:
    return (
        SurveyResponse.objects.filter(survey_id__in=survey_ids)
        .select_related("organisation", "survey")
        .prefetch_related("programmes", "funders__funder", "referrals__partner")
        .order_by("organisation__name", "id")
    )


def survey_summary(survey_ids: list[int]) -> dict[str, Any]:
    """Capacity and gaps by service type, aggregated in SQL."""
    rows = {
        r["service_type"]: r
        for r in SurveyProgramme.objects.filter(response__survey_id__in=survey_ids)
        .values("service_type")
        .annotate(
            programmes=Count("id"),
            organisations=Count("response__organisation", distinct=True),
            capacity=Sum("capacity"),
            participants=Sum("participants_per_year"),
        )
    }
    by_type = []
    for code, label in ServiceType.choices:
        r = rows.get(code)
        by_type.append(
            {
                "code": code,
                "label": label,
                "programmes": r["programmes"] if r else 0,
                "organisations": r["organisations"] if r else 0,
                "capacity": (r["capacity"] or 0) if r else 0,
                "participants": (r["participants"] or 0) if r else 0,
                "gap": r is None,
            }
        )
    responses = SurveyResponse.objects.filter(survey_id__in=survey_ids)
    counts = responses.aggregate(
        answered=Count("id"),
        role_differs=Count("id", filter=~Q(actual_role="") & ~Q(funded_role="")),
    )
    funders = (
        SurveyFunder.objects.filter(response__survey_id__in=survey_ids)
        .values("funder__name")
        .annotate(n=Count("response", distinct=True))
        .order_by("-n", "funder__name")
    )
    return {
        "by_type": by_type,
        "gaps": [t["label"] for t in by_type if t["gap"] and t["code"] != "other"],
        "answered": counts["answered"],
        "funders": list(funders),
        "total_capacity": sum(t["capacity"] for t in by_type),
        "total_participants": sum(t["participants"] for t in by_type),
    }


# --- preparation tools --------------------------------------------------------------


def prep_current(partnership: Partnership) -> dict[str, PrepToolVersion | None]:
    """The newest version of each tool (one query)."""
    current: dict[str, PrepToolVersion | None] = dict.fromkeys(PrepTool.values)
    for v in partnership.prep_tool_versions.select_related("created_by").order_by(
        "tool", "-version"
    ):
        if current.get(v.tool) is None:
            current[v.tool] = v
    return current


def prep_history(partnership: Partnership, tool: str) -> QuerySet[PrepToolVersion]:
    return partnership.prep_tool_versions.filter(tool=tool).select_related("created_by")
