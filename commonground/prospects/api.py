"""JSON API: directory search, pipeline, scorecards, gaps and recommendations."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from commonground.core import policy
from commonground.core.api_pagination import PageNumberPagination
from commonground.core.http import AuthedRequest
from commonground.organisations.models import Organisation
from commonground.organisations.schemas import OrganisationSectorOut

from . import rules, selectors, services
from .models import Prospect, Stage

router = Router(tags=["prospects"])


class DirectoryFilters(Schema):
    q: str = ""
    sector: str = ""
    offers: str = ""
    needs: str = ""
    category: str = ""
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None


class OrganisationOut(Schema):
    slug: str
    name: str
    sector: str
    place_name: str
    latitude: Decimal | None
    longitude: Decimal | None


class ProspectOut(OrganisationSectorOut):
    id: int
    stage: str
    stage_changed_on: datetime.date | None
    why_approach: str


class ProspectIn(Schema):
    organisation: str
    why_approach: str = ""


class StageIn(Schema):
    stage: str


class CriterionScoreOut(Schema):
    criterion: str
    group: str
    weight: int
    mean: Decimal | None
    spread: int | None
    disagreement: bool
    scores: list[dict]


class ScorecardOut(Schema):
    prospect: int
    organisation: str
    weighted_mean: Decimal | None
    max_spread: int | None
    assessors: list[str]
    criteria: list[CriterionScoreOut]


class NeedOut(Schema):
    category: str
    description: str
    priority: int
    status: str
    providers: list[str]
    pipeline: list[str]


class GapsOut(Schema):
    needs: list[NeedOut]
    sector_mix: dict[str, int]
    missing_sectors: list[str]


class RecommendationOut(Schema):
    organisation: str
    organisation_name: str
    sector: str
    score: int
    distance_km: float | None
    fills: list[str]
    explanation: str


@router.get("/directory", response=list[OrganisationOut], url_name="prospects_directory")
@paginate(PageNumberPagination, page_size=50)
def directory(request: AuthedRequest, filters: Query[DirectoryFilters]):  # type: ignore[no-untyped-def]
    has_place = None not in (filters.lat, filters.lon, filters.radius_km)
    q = selectors.DirectoryQuery(
        text=filters.q,
        sector=filters.sector,
        offers=filters.offers,
        needs=filters.needs,
        category=filters.category,
        lat=filters.lat if has_place else None,
        lon=filters.lon if has_place else None,
        radius_km=min(filters.radius_km, selectors.MAX_RADIUS_KM)
        if has_place and filters.radius_km
        else None,
    )
    if q.has_place and not q.text:
        return selectors.NearestFirst(q)
    return selectors.directory_search(q)


@router.get("/{slug}/pipeline", response=list[ProspectOut], url_name="prospects_pipeline")
@paginate(PageNumberPagination, page_size=100)
def pipeline(request: AuthedRequest, slug: str, stage: str = ""):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    if stage and stage not in Stage.values:
        raise ValidationError({"stage": f"unknown stage: {stage}"})
    return selectors.prospects_of(partnership, stage=stage)


@router.post("/{slug}/pipeline", response={201: ProspectOut}, url_name="prospects_create")
def prospect_create(request: AuthedRequest, slug: str, payload: ProspectIn):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.MANAGE)
    organisation = get_object_or_404(Organisation, slug=payload.organisation)
    prospect = services.prospect_create(
        actor=request.user,
        partnership=partnership,
        organisation=organisation,
        why_approach=payload.why_approach,
    )
    services.criteria_seed(actor=request.user, partnership=partnership)
    return 201, prospect


@router.post("/{slug}/pipeline/{pk}/stage", response=ProspectOut, url_name="prospects_move")
def prospect_move(request: AuthedRequest, slug: str, pk: int, payload: StageIn):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.MANAGE)
    prospect = get_object_or_404(Prospect, pk=pk, partnership=partnership)
    return services.prospect_move(actor=request.user, prospect=prospect, stage=payload.stage)


class ScoreSummaryOut(Schema):
    prospect: int
    organisation: str
    organisation_name: str
    stage: str
    weighted_mean: Decimal | None
    max_spread: int | None
    disagreement: bool
    assessors: list[str]


def _best_first(row: dict[str, Any]) -> tuple[Decimal, str]:
    return (-(row["weighted_mean"] or Decimal(0)), row["organisation_name"])


@router.get("/{slug}/scorecards", response=list[ScoreSummaryOut], url_name="prospects_scorecards")
@paginate(PageNumberPagination, page_size=100)
def scorecards(request: AuthedRequest, slug: str):  # type: ignore[no-untyped-def]
    """Every scored prospect, best weighted mean first."""
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    prospects = list(selectors.prospects_of(partnership).filter(scores__isnull=False).distinct())
    summaries = selectors.score_summaries([p.pk for p in prospects])
    rows = [
        {
            "prospect": p.pk,
            "organisation": p.organisation.slug,
            "organisation_name": p.organisation.name,
            "stage": p.stage,
            "weighted_mean": summaries[p.pk].weighted_mean,
            "max_spread": summaries[p.pk].max_spread,
            "disagreement": summaries[p.pk].disagreement,
            "assessors": summaries[p.pk].assessors,
        }
        for p in prospects
        if p.pk in summaries
    ]
    return sorted(rows, key=_best_first)


@router.get("/{slug}/scorecards/{pk}", response=ScorecardOut, url_name="prospects_scorecard")
def scorecard(request: AuthedRequest, slug: str, pk: int):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    prospect = get_object_or_404(
        Prospect.objects.select_related("organisation", "partnership"),
        pk=pk,
        partnership=partnership,
    )
    card = selectors.scorecard(prospect)
    return {
        "prospect": prospect.pk,
        "organisation": prospect.organisation.slug,
        "weighted_mean": card.weighted_mean,
        "max_spread": card.max_spread,
        "assessors": card.assessors,
        "criteria": [
            {
                "criterion": r.criterion.text,
                "group": r.criterion.group,
                "weight": r.criterion.weight,
                "mean": r.mean,
                "spread": r.spread,
                "disagreement": r.disagreement,
                "scores": [
                    {"assessor": str(s.assessor), "value": s.value, "note": s.note}
                    for s in r.scores
                ],
            }
            for r in card.rows
        ],
    }


@router.get("/{slug}/gaps", response=GapsOut, url_name="prospects_gaps")
def gaps(request: AuthedRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    analysis = selectors.gap_analysis(partnership)
    return {
        "needs": [
            {
                "category": r.need.category,
                "description": r.need.description,
                "priority": r.need.priority,
                "status": r.status,
                "providers": r.providers,
                "pipeline": r.pipeline,
            }
            for r in analysis.rows
        ],
        "sector_mix": {m["sector"]: m["count"] for m in analysis.sector_mix},
        "missing_sectors": [value for value, _label in analysis.missing_sectors],
    }


@router.get(
    "/{slug}/recommendations",
    response=list[RecommendationOut],
    url_name="prospects_recommendations",
)
@paginate(PageNumberPagination, page_size=50)
def recommendations(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return [
        {
            "organisation": r.organisation.slug,
            "organisation_name": r.organisation.name,
            "sector": r.organisation.sector,
            "score": r.score,
            "distance_km": r.distance_km,
            "fills": r.fills,
            "explanation": r.explanation,
        }
        for r in selectors.recommendations(partnership)
    ]
