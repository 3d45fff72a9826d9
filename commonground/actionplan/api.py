"""JSON API for the action plan (same policy as the pages)."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from commonground.core import policy
from commonground.core.api_pagination import PageNumberPagination
from commonground.core.http import AuthedRequest

from . import rules, selectors, services
from .models import Action, ActionStatus

router = Router(tags=["actionplan"])


class ActionOut(Schema):
    id: int
    title: str
    description: str
    enablers: str
    owner: str | None
    owner_organisation: str | None
    working_group: str | None
    priority: int
    start_on: datetime.date | None
    due_on: datetime.date | None
    status: str
    overdue: bool
    meeting_id: int | None
    decision_id: int | None
    agreement_deliverable: str

    @staticmethod
    def resolve_owner(obj) -> str | None:  # type: ignore[no-untyped-def]
        return str(obj.owner) if obj.owner else None

    @staticmethod
    def resolve_owner_organisation(obj) -> str | None:  # type: ignore[no-untyped-def]
        return obj.owner_organisation.slug if obj.owner_organisation else None

    @staticmethod
    def resolve_working_group(obj) -> str | None:  # type: ignore[no-untyped-def]
        return obj.working_group.slug if obj.working_group else None

    @staticmethod
    def resolve_overdue(obj) -> bool:  # type: ignore[no-untyped-def]
        return bool(obj.is_overdue)


class ActionIn(Schema):
    title: str
    description: str = ""
    enablers: str = ""
    priority: int = 3
    start_on: datetime.date | None = None
    due_on: datetime.date | None = None
    status: ActionStatus = ActionStatus.NOT_STARTED
    agreement_deliverable: str = ""


class StatusIn(Schema):
    status: ActionStatus


@router.get("/{slug}/", response=list[ActionOut], url_name="actionplan_list")
@paginate(PageNumberPagination, page_size=100)
def action_list(
    request: HttpRequest,
    slug: str,
    status: str = "",
    owner: str = "",
    due: str = "",
    sort: str = "due",
):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    params = {"status": status, "owner": owner, "due": due, "sort": sort}
    return selectors.actions_of(partnership, params)


@router.post("/{slug}/", response={201: ActionOut}, url_name="actionplan_create")
def action_create(request: AuthedRequest, slug: str, payload: ActionIn):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.EDIT)
    action = services.action_create(actor=request.user, partnership=partnership, **payload.dict())
    return 201, action


@router.get("/{slug}/{pk}", response=ActionOut, url_name="actionplan_detail")
def action_detail(request: AuthedRequest, slug: str, pk: int):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return get_object_or_404(
        selectors.with_related(Action.objects.all()), pk=pk, partnership=partnership
    )


@router.post("/{slug}/{pk}/status", response=ActionOut, url_name="actionplan_status")
def action_status(request: AuthedRequest, slug: str, pk: int, payload: StatusIn):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.EDIT)
    action = get_object_or_404(Action, pk=pk, partnership=partnership)
    return services.action_set_status(actor=request.user, action=action, status=payload.status)
