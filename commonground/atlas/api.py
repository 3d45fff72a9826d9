"""JSON API of the activity atlas (same rules as the pages)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from commonground.core import policy
from commonground.core.http import AuthedRequest

from . import geo, rules, selectors

router = Router(tags=["atlas"])


class ActivityFilters(Schema):
    bbox: str | None = None
    theme: str | None = None
    status: str | None = None
    tier: str | None = None
    kind: str | None = None
    period_from: datetime.date | None = None
    period_to: datetime.date | None = None


class OverlapOut(Schema):
    first: int
    first_title: str
    second: int
    second_title: str
    score: float
    near: bool
    distance_km: float | None
    shared_themes: list[str]
    reasons: list[str]


@router.get("/{slug}/activities.geojson", url_name="atlas_geojson")
def activities_geojson(
    request: HttpRequest, slug: str, filters: Query[ActivityFilters]
) -> dict[str, Any]:
    """Activities as a GeoJSON FeatureCollection; at most 2,000 features (``capped`` says
    whether more matched). ``bbox`` is ``south,west,north,east``. Only activities with a
    place are features (``count``); ``not_on_map`` is the number of those matching the
    filters that have none."""
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    data = filters.dict()
    box = geo.parse_bbox(data.pop("bbox"))
    qs = selectors.apply_filters(selectors.map_activities([partnership]), data)
    # Those without a place are never features; ``not_on_map`` counts them (as the map
    # page's "Not on the map yet" does, with the same filters, whatever the box).
    return {
        **selectors.feature_collection(qs, box=box),
        "not_on_map": selectors.not_on_map(qs).count(),
    }


@router.get("/{slug}/overlaps", response=list[OverlapOut], url_name="atlas_overlaps")
def overlaps(request: AuthedRequest, slug: str, near_only: bool = True) -> list[dict[str, Any]]:
    """Ranked pairs of activities that could work together (top 100)."""
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return [
        {
            "first": o.first.pk,
            "first_title": o.first.title,
            "second": o.second.pk,
            "second_title": o.second.title,
            "score": o.score,
            "near": o.near,
            "distance_km": o.distance_km,
            "shared_themes": o.shared_themes,
            "reasons": [str(r) for r in o.reasons],
        }
        for o in selectors.overlaps_for([partnership], near_only=near_only)[:100]
    ]
