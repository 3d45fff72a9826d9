"""API: the contributions ledger."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from commonground.core import policy
from commonground.core.api_pagination import PageNumberPagination
from commonground.core.http import AuthedRequest
from commonground.organisations.models import Organisation
from commonground.partnerships.models import WorkingGroup

from . import rules, selectors, services
from .models import Contribution

router = Router(tags=["contributions"])


class ContributionOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    contributor: str
    recipient_kind: str
    recipient: str
    status: str
    pledged_on: datetime.date
    committed_on: datetime.date | None
    delivered_on: datetime.date | None
    withdrawn_on: datetime.date | None
    due_on: datetime.date | None
    start_on: datetime.date | None
    end_on: datetime.date | None
    amount: Decimal | None
    currency: str
    valuation_method: str
    hours: Decimal | None
    fte: Decimal | None
    contingency: str
    risk_owner: str | None
    intellectual_property: str
    contractors: str

    @staticmethod
    def resolve_contributor(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.contributor.slug

    @staticmethod
    def resolve_risk_owner(obj) -> str | None:  # type: ignore[no-untyped-def]
        return obj.risk_owner.slug if obj.risk_owner_id else None

    @staticmethod
    def resolve_recipient(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.recipient_label


class ContributionIn(Schema):
    kind: str
    title: str
    contributor: str
    pledged_on: datetime.date
    currency: str
    amount: str | None = None
    description: str = ""
    recipient_kind: str = "partnership"
    recipient_org: str | None = None
    recipient_group: str | None = None
    due_on: datetime.date | None = None
    start_on: datetime.date | None = None
    end_on: datetime.date | None = None
    valuation_method: str = ""
    source: str = ""
    conditions: str = ""
    scope: str = ""
    hours: str | None = None
    fte: str | None = None
    contingency: str = ""
    risk_owner: str | None = None
    intellectual_property: str = ""
    contractors: str = ""


class TransitionIn(Schema):
    to: str
    on: datetime.date | None = None


class TotalOut(Schema):
    organisation: str
    money: Decimal
    in_kind: Decimal
    total: Decimal
    share: Decimal


def _org(partnership, slug: str | None):  # type: ignore[no-untyped-def]
    if not slug:
        return None
    return get_object_or_404(Organisation, slug=slug, memberships__partnership=partnership)


@router.get("/{slug}/entries", response=list[ContributionOut], url_name="contribution_list")
@paginate(PageNumberPagination, page_size=50)
def contribution_list(request: AuthedRequest, slug: str, kind: str = "", status: str = ""):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return selectors.ledger(partnership, kind=kind, status=status)


@router.get("/{slug}/entries/{pk}", response=ContributionOut, url_name="contribution_detail")
def contribution_detail(request: AuthedRequest, slug: str, pk: int):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return selectors.contribution_detail(partnership, pk)


@router.post("/{slug}/entries", response={201: ContributionOut}, url_name="contribution_create")
def contribution_create(request: AuthedRequest, slug: str, payload: ContributionIn):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.RECORD)
    data = payload.dict()
    data["contributor"] = _org(partnership, data["contributor"])
    data["recipient_org"] = _org(partnership, data.get("recipient_org"))
    data["risk_owner"] = _org(partnership, data.get("risk_owner"))
    group = data.get("recipient_group")
    data["recipient_group"] = (
        get_object_or_404(WorkingGroup, slug=group, partnership=partnership) if group else None
    )
    return 201, services.contribution_create(actor=request.user, partnership=partnership, **data)


@router.post(
    "/{slug}/entries/{pk}/status", response=ContributionOut, url_name="contribution_transition"
)
def contribution_transition(request: AuthedRequest, slug: str, pk: int, payload: TransitionIn):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.RECORD)
    contribution = get_object_or_404(Contribution, pk=pk, partnership=partnership)
    return services.contribution_transition(
        actor=request.user, contribution=contribution, to=payload.to, on=payload.on
    )


@router.get("/{slug}/totals", response=list[TotalOut], url_name="contribution_totals")
def contribution_totals(request: AuthedRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    t = selectors.totals(partnership)
    return [
        {
            "organisation": p.name,
            "money": p.money,
            "in_kind": p.in_kind,
            "total": p.total,
            "share": p.share,
        }
        for p in t.partners
    ]
