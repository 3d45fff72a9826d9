"""API: published health-check aggregates only. Raw responses are never exposed."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from commonground.core import policy
from commonground.core.api_pagination import PageNumberPagination

from . import rules, selectors
from .models import Round, RoundStatus

router = Router(tags=["healthchecks"])


class RoundOut(Schema):
    id: int
    title: str
    period: str
    working_group: str | None
    opens_on: datetime.date
    closes_on: datetime.date
    published_on: datetime.date | None

    @staticmethod
    def resolve_working_group(obj) -> str | None:  # type: ignore[no-untyped-def]
        return obj.working_group.slug if obj.working_group_id else None


class SectorOut(Schema):
    sector: str
    n: int | None
    mean: Decimal | None
    hidden: bool


class ItemOut(Schema):
    key: str
    text: str
    section: str
    kind: str
    suppressed: bool
    n: int | None
    mean: Decimal | None
    sd: Decimal | None
    distribution: dict[str, int] | None
    previous: Decimal | None
    reference: Decimal | None
    sectors: list[SectorOut]


class ResultsOut(Schema):
    round: RoundOut
    responses: int
    invited: int
    suppressed: bool
    min_responses: int
    items: list[ItemOut]


@router.get("/{slug}/rounds", response=list[RoundOut], url_name="healthchecks_rounds")
@paginate(PageNumberPagination, page_size=50)
def round_list(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return (
        Round.objects.filter(partnership=partnership, status=RoundStatus.PUBLISHED)
        .select_related("working_group")
        .order_by("-opens_on", "-id")
    )


@router.get("/{slug}/rounds/{pk}/results", response=ResultsOut, url_name="healthchecks_results")
def round_results(request: HttpRequest, slug: str, pk: int):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    rnd = get_object_or_404(Round, pk=pk, partnership=partnership)
    if not rnd.is_published:
        raise Http404
    res = selectors.round_results(rnd)
    items = []
    for i in res.items:
        if i.kind == "text":
            continue  # comments stay on the page and in the report
        hidden = i.suppressed
        items.append(
            {
                "key": i.key,
                "text": i.text,
                "section": i.section,
                "kind": i.kind,
                "suppressed": hidden,
                "n": None if hidden else i.n,
                "mean": i.mean,
                "sd": i.sd,
                "distribution": None if hidden else {str(s): c for s, c, _p in i.distribution},
                "previous": i.previous,
                "reference": i.reference,
                "sectors": [
                    {"sector": c.sector, "n": c.n, "mean": c.mean, "hidden": c.hidden}
                    for c in i.sectors
                ],
            }
        )
    return {
        "round": rnd,
        "responses": res.responses,
        "invited": res.invited,
        "suppressed": res.suppressed,
        "min_responses": selectors.MIN_RESPONSES,
        "items": items,
    }
