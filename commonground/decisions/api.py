"""JSON API: proposals, votes and the decision register."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from commonground.core import policy
from commonground.core.api_pagination import PageNumberPagination
from commonground.core.http import AuthedRequest
from commonground.partnerships.models import WorkingGroup

from . import rules, selectors, services
from .models import Proposal

router = Router(tags=["decisions"])


class OptionOut(Schema):
    id: int
    label: str


class ProposalOut(Schema):
    id: int
    title: str
    details: str
    method: str
    working_group: str | None
    status: str
    closes_at: datetime.datetime
    quorum_percent: int
    anonymous: bool
    results_hidden: bool
    eligibility: str
    tie_rule: str
    runoff_of: int | None
    outcome: str
    outcome_statement: str
    options: list[OptionOut]
    tally: dict[str, Any] | None

    @staticmethod
    def resolve_working_group(obj: Proposal) -> str | None:
        return obj.working_group.slug if obj.working_group else None

    @staticmethod
    def resolve_runoff_of(obj: Proposal) -> int | None:
        return obj.runoff_of_id

    @staticmethod
    def resolve_options(obj: Proposal) -> list[dict[str, Any]]:
        return [{"id": o.pk, "label": o.label} for o in obj.options.all()]

    @staticmethod
    def resolve_tally(obj: Proposal) -> dict[str, Any] | None:
        return obj.tally if obj.status == "closed" else None


class ProposalIn(Schema):
    title: str
    method: str
    closes_at: datetime.datetime
    details: str = ""
    working_group: str | None = None
    options: list[str] = []
    quorum_percent: int | None = None
    max_score: int = 5
    dots: int = 5
    results_hidden: bool = False
    anonymous: bool = False
    spending_amount: Decimal | None = None
    is_policy: bool = False
    tie_rule: str = ""  # runoff (the default between options), chair or lot


class VoteIn(Schema):
    position: str = ""
    choices: dict[str, Any] | list[int] | None = None
    reason: str = ""


class VoteOut(Schema):
    proposal: int
    recorded: bool
    anonymous: bool


class DecisionOut(Schema):
    id: int
    title: str
    statement: str
    method: str
    adopted: bool
    decided_on: datetime.date
    working_group: str | None
    tally: dict[str, Any]
    source_label: str
    source_url: str

    @staticmethod
    def resolve_working_group(obj: Any) -> str | None:
        return obj.working_group.slug if obj.working_group else None


@router.get("/{slug}/proposals", response=list[ProposalOut], url_name="proposal_list")
@paginate(PageNumberPagination, page_size=50)
def proposal_list(request: AuthedRequest, slug: str, status: str = ""):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    services.close_due_proposals(partnership=partnership)
    return selectors.proposals_for(partnership, status=status).prefetch_related("options")


@router.post("/{slug}/proposals", response={201: ProposalOut}, url_name="proposal_create")
def proposal_create(request: AuthedRequest, slug: str, payload: ProposalIn):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.PROPOSE)
    data = payload.dict()
    group_slug = data.pop("working_group")
    group = (
        get_object_or_404(WorkingGroup, partnership=partnership, slug=group_slug)
        if group_slug
        else None
    )
    proposal = services.proposal_create(
        actor=request.user, partnership=partnership, working_group=group, **data
    )
    return 201, proposal


@router.get("/{slug}/proposals/{pk}", response=ProposalOut, url_name="proposal_detail")
def proposal_detail(request: AuthedRequest, slug: str, pk: int):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    proposal = get_object_or_404(
        Proposal.objects.select_related("partnership", "working_group"),
        pk=pk,
        partnership=partnership,
    )
    return services.close_if_due(proposal)


@router.post("/{slug}/proposals/{pk}/votes", response={201: VoteOut}, url_name="vote_cast")
def vote_cast(request: AuthedRequest, slug: str, pk: int, payload: VoteIn):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VOTE)
    proposal = get_object_or_404(
        Proposal.objects.select_related("partnership", "working_group"),
        pk=pk,
        partnership=partnership,
    )
    services.close_if_due(proposal)
    services.vote_cast(
        actor=request.user,
        proposal=proposal,
        position=payload.position,
        choices=payload.choices,
        reason=payload.reason,
    )
    return 201, {"proposal": proposal.pk, "recorded": True, "anonymous": proposal.anonymous}


@router.get("/{slug}/register", response=list[DecisionOut], url_name="decision_register")
@paginate(PageNumberPagination, page_size=50)
def decision_register(  # type: ignore[no-untyped-def]
    request: HttpRequest, slug: str, method: str = "", group: str = "", adopted: str = ""
):
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return selectors.register_for(partnership, method=method, group=group, adopted=adopted)
