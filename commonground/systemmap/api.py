from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from commonground.core import policy
from commonground.core.api_pagination import PageNumberPagination
from commonground.core.http import AuthedRequest
from commonground.organisations.models import Organisation
from commonground.organisations.schemas import OrganisationNamedOut

from . import rules, selectors, services
from .models import PrepTool

router = Router(tags=["systemmap"])


class NodeOut(Schema):
    id: str
    name: str
    kind: str
    slug: str
    sector: str
    degree: int
    betweenness: float


class EdgeOut(Schema):
    source: str
    target: str
    kind: str
    label: str
    origin: str
    started_on: datetime.date | None
    ended_on: datetime.date | None
    confidence: str
    evidence: str


class PathStepOut(Schema):
    id: str
    name: str
    via: str | None
    reverse: bool


class NetworkOut(Schema):
    nodes: list[NodeOut]
    edges: list[EdgeOut]
    central: list[str]
    # None when the map is capped (see organisations_total).
    isolated: list[str] | None
    missing_sectors: list[str]
    # Visible organisations (of the chosen sectors); the map draws at most node_limit of
    # them, the most connected, and at most edge_limit edges of each source.
    organisations_total: int
    organisations_shown: int
    node_limit: int
    capped: bool
    edges_capped: bool
    edge_limit: int
    # Across partnerships: how many partnerships the caller may see (matching
    # ``partnership``); the map covers the first PARTNERSHIP_LIMIT of them by name.
    partnerships_total: int | None = None
    partnerships: list[str] | None = None
    path: list[PathStepOut] | None


class NetworkQuery(Schema):
    sector: list[str] = []
    kind: list[str] = []
    start: datetime.date | None = None
    end: datetime.date | None = None
    path_from: int | None = None
    path_to: int | None = None
    partnership: str = ""


def _network(partnerships: list[Any], q: NetworkQuery) -> dict[str, Any]:
    filters = selectors.NetworkFilters(
        sectors=q.sector,
        kinds=q.kind or selectors.edge_registry.default_kinds(),
        start=q.start,
        end=q.end,
        path_from=q.path_from,
        path_to=q.path_to,
    )
    net = selectors.network(partnerships=partnerships, filters=filters)
    return {
        "nodes": [
            {**n, "kind": "organisation" if n["is_org"] else "partnership"} for n in net.nodes
        ],
        "edges": net.edges,
        "central": [n["id"] for n in net.central],
        "isolated": None if net.isolated is None else [n["id"] for n in net.isolated],
        "missing_sectors": net.missing_sectors,
        "organisations_total": net.organisation_total,
        "organisations_shown": net.organisation_shown,
        "node_limit": net.node_limit,
        "capped": net.capped,
        "edges_capped": net.edges_capped,
        "edge_limit": net.edge_limit,
        "path": net.path,
    }


@router.get("/network", response=NetworkOut, url_name="systemmap_network_all")
def network_all(request: AuthedRequest, q: Query[NetworkQuery]):  # type: ignore[no-untyped-def]
    """The map across the partnerships the caller may see: the first PARTNERSHIP_LIMIT by
    name (of those whose name contains ``partnership``, if given)."""
    partnerships, total = selectors.partnerships_to_map(request.user, q.partnership[:200])
    return {
        **_network(partnerships, q),
        "partnerships_total": total,
        "partnerships": [p.slug for p in partnerships],
    }


@router.get("/{slug}/network", response=NetworkOut, url_name="systemmap_network")
def network(request: AuthedRequest, slug: str, q: Query[NetworkQuery]):  # type: ignore[no-untyped-def]
    """Nodes and edges of one partnership's map (only what the caller may see)."""
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return _network([partnership], q)


class ProgrammeOut(Schema):
    name: str
    service_type: str
    capacity: int | None
    participants_per_year: int | None


class ResponseOut(OrganisationNamedOut):
    id: int
    survey: str
    services: str
    target_groups: str
    funded_role: str
    actual_role: str
    referral_rules: str
    eligibility_rules: str
    data_collected: str
    coordination: str
    programmes: list[ProgrammeOut]
    funders: list[str]
    refers_to: list[str]

    @staticmethod
    def resolve_survey(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.survey.title

    @staticmethod
    def resolve_programmes(obj) -> list:  # type: ignore[no-untyped-def]
        return list(obj.programmes.all())

    @staticmethod
    def resolve_funders(obj) -> list[str]:  # type: ignore[no-untyped-def]
        return [f.funder.slug for f in obj.funders.all()]

    @staticmethod
    def resolve_refers_to(obj) -> list[str]:  # type: ignore[no-untyped-def]
        return [r.partner.slug for r in obj.referrals.all()]


@router.get(
    "/{slug}/survey-results", response=list[ResponseOut], url_name="systemmap_survey_results"
)
@paginate(PageNumberPagination, page_size=50)
def survey_results(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return selectors.responses_of(list(partnership.surveys.values_list("pk", flat=True)))


class TypeSummaryOut(Schema):
    code: str
    label: str
    programmes: int
    organisations: int
    capacity: int
    participants: int
    gap: bool


class SummaryOut(Schema):
    answered: int
    total_capacity: int
    total_participants: int
    by_type: list[TypeSummaryOut]
    gaps: list[str]


@router.get("/{slug}/survey-summary", response=SummaryOut, url_name="systemmap_survey_summary")
def survey_summary(request: AuthedRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    summary = selectors.survey_summary(list(partnership.surveys.values_list("pk", flat=True)))
    summary["by_type"] = [{**t, "label": str(t["label"])} for t in summary["by_type"]]
    summary["gaps"] = [str(g) for g in summary["gaps"]]
    return summary


class PrepVersionOut(Schema):
    tool: str
    version: int
    content: dict[str, Any]
    note: str
    saved_by: str | None
    saved_at: datetime.datetime

    @staticmethod
    def resolve_saved_by(obj) -> str | None:  # type: ignore[no-untyped-def]
        return str(obj.created_by) if obj.created_by else None

    @staticmethod
    def resolve_saved_at(obj) -> datetime.datetime:  # type: ignore[no-untyped-def]
        return obj.created_at


@router.get("/{slug}/preparation", response=list[PrepVersionOut], url_name="systemmap_preparation")
@paginate(PageNumberPagination, page_size=100)
def preparation(request: AuthedRequest, slug: str, tool: str = ""):  # type: ignore[no-untyped-def]
    """Every saved version of the preparation tools, newest first (filter with ?tool=)."""
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    qs = partnership.prep_tool_versions.select_related("created_by").order_by("tool", "-version")
    if tool in PrepTool.values:
        qs = qs.filter(tool=tool)
    return qs


class RelationshipIn(Schema):
    source: str = Field(description="slug of the organisation the relationship starts from")
    target: str = Field(description="slug of the organisation it points to")
    kind: str = Field(
        description="member_of, contributes_to, funds, refers, shares_data, competes or informal"
    )
    started_on: datetime.date | None = None
    ended_on: datetime.date | None = None
    confidence: str = "medium"
    evidence: str = Field(default="", max_length=300)


class RelationshipOut(Schema):
    id: int
    source: str
    target: str
    kind: str
    started_on: datetime.date | None
    ended_on: datetime.date | None
    confidence: str
    evidence: str
    origin: str

    @staticmethod
    def resolve_source(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.source.slug

    @staticmethod
    def resolve_target(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.target.slug


@router.get(
    "/{slug}/relationships", response=list[RelationshipOut], url_name="systemmap_relationships"
)
@paginate(PageNumberPagination, page_size=100)
def relationship_list(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    """Relationships recorded in the partnership (by hand or from its survey)."""
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return selectors.relationships_of(partnership)


@router.post(
    "/{slug}/relationships",
    response={201: RelationshipOut},
    url_name="systemmap_relationship_create",
)
def relationship_create(request: AuthedRequest, slug: str, payload: RelationshipIn):  # type: ignore[no-untyped-def]
    """Record a relationship; a link to itself, an unknown type or reversed dates answer 400."""
    partnership = policy.partnership_or_404(request.user, slug, rules.EDIT)
    rel = services.relationship_create(
        actor=request.user,
        partnership=partnership,
        source=get_object_or_404(Organisation, slug=payload.source),
        target=get_object_or_404(Organisation, slug=payload.target),
        kind=payload.kind,
        started_on=payload.started_on,
        ended_on=payload.ended_on,
        confidence=payload.confidence,
        evidence=payload.evidence,
    )
    return 201, rel
