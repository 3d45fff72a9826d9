"""API: indicators, measurements (read and push) and reviews, under the page permissions."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from commonground.core import policy
from commonground.core.api_pagination import PageNumberPagination
from commonground.core.http import AuthedRequest

from . import rules, selectors, services
from .models import Indicator, Measurement

router = Router(tags=["results"])


class IndicatorOut(Schema):
    id: int
    name: str
    description: str
    working_group: str | None
    kind: str
    is_financial: bool
    unit: str
    direction: str
    baseline_value: Decimal | None
    baseline_date: datetime.date
    target_value: Decimal | None
    target_date: datetime.date
    band_low: Decimal | None
    band_high: Decimal | None
    data_source: str
    cadence: str
    latest_value: Decimal | None = None
    latest_date: datetime.date | None = None
    status: str

    @staticmethod
    def resolve_working_group(obj) -> str | None:  # type: ignore[no-untyped-def]
        return obj.working_group.slug if obj.working_group_id else None

    @staticmethod
    def resolve_status(obj) -> str:  # type: ignore[no-untyped-def]
        return selectors.indicator_progress(obj).status


class MeasurementOut(Schema):
    id: int
    indicator: int
    measured_on: datetime.date
    value: Decimal | None
    observation: str
    rating: int | None
    note: str

    @staticmethod
    def resolve_indicator(obj) -> int:  # type: ignore[no-untyped-def]
        return obj.indicator_id


class MeasurementIn(Schema):
    measured_on: datetime.date
    value: Decimal | None = None
    observation: str = ""
    rating: int | None = None
    unit: str | None = None
    note: str = ""


class RevisionOut(Schema):
    indicator: int
    revised_on: datetime.date
    old_target_value: Decimal | None
    new_target_value: Decimal | None
    reason: str

    @staticmethod
    def resolve_indicator(obj) -> int:  # type: ignore[no-untyped-def]
        return obj.indicator_id


class ReviewOut(Schema):
    id: int
    title: str
    held_on: datetime.date
    what_worked: str
    what_did_not: str
    causes: str
    changes_decided: str
    early_win: bool
    early_win_note: str
    target_revisions: list[RevisionOut]


@router.get("/{slug}/indicators", response=list[IndicatorOut], url_name="results_indicators")
@paginate(PageNumberPagination, page_size=50)
def indicator_list(request: AuthedRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return selectors.indicators_for(partnership)


@router.get(
    "/{slug}/indicators/{pk}/measurements",
    response=list[MeasurementOut],
    url_name="results_measurements",
)
@paginate(PageNumberPagination, page_size=100)
def measurement_list(request: HttpRequest, slug: str, pk: int):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    ind = get_object_or_404(Indicator, pk=pk, partnership=partnership)
    return Measurement.objects.filter(indicator=ind).order_by("measured_on", "id")


@router.post(
    "/{slug}/indicators/{pk}/measurements",
    response={201: MeasurementOut},
    url_name="results_measurement_create",
)
def measurement_create(request: AuthedRequest, slug: str, pk: int, payload: MeasurementIn):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.RECORD)
    ind = get_object_or_404(Indicator, pk=pk, partnership=partnership)
    m = services.measurement_record(actor=request.user, indicator=ind, **payload.dict())
    return 201, m


@router.get("/{slug}/reviews", response=list[ReviewOut], url_name="results_reviews")
@paginate(PageNumberPagination, page_size=50)
def review_list(request: AuthedRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return selectors.reviews_for(partnership).prefetch_related("target_revisions")
