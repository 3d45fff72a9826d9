from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from commonground.core import policy
from commonground.core.api_pagination import PageNumberPagination
from commonground.core.http import AuthedRequest
from commonground.organisations.models import Organisation
from commonground.organisations.schemas import OrganisationSectorOut

from . import rules, selectors, services
from .models import MembershipStatus, Partnership

router = Router(tags=["partnerships"])


class PartnershipOut(Schema):
    slug: str
    name: str
    purpose: str
    model: str
    visibility: str
    phase: str
    status: str
    place_name: str


class MemberOut(OrganisationSectorOut):
    status: str
    joined_on: datetime.date | None


class RoleOut(Schema):
    id: int
    person: str
    kind: str
    organisation: str | None
    representative_kind: str
    is_signatory: bool

    @staticmethod
    def resolve_person(obj) -> str:  # type: ignore[no-untyped-def]
        return str(obj.user)

    @staticmethod
    def resolve_organisation(obj) -> str | None:  # type: ignore[no-untyped-def]
        return obj.organisation.slug if obj.organisation else None


class MembershipIn(Schema):
    organisation: str
    status: MembershipStatus = MembershipStatus.ACTIVE


@router.get("/", response=list[PartnershipOut], url_name="partnership_list")
@paginate(PageNumberPagination, page_size=50)
def partnership_list(request: AuthedRequest):  # type: ignore[no-untyped-def]
    return policy.partnerships_with(request.user, rules.VIEW).order_by("name", "id")


@router.get("/{slug}", response=PartnershipOut, url_name="partnership_detail")
def partnership_detail(request: AuthedRequest, slug: str):  # type: ignore[no-untyped-def]
    return policy.partnership_or_404(request.user, slug, rules.VIEW)


@router.get("/{slug}/members", response=list[MemberOut], url_name="partnership_members")
@paginate(PageNumberPagination, page_size=100)
def partnership_members(request: AuthedRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return selectors.members_of(partnership)


@router.get("/{slug}/roles", response=list[RoleOut], url_name="partnership_roles")
@paginate(PageNumberPagination, page_size=100)
def partnership_roles(request: AuthedRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return selectors.active_roles(partnership)


@router.post("/{slug}/members", response={201: MemberOut}, url_name="partnership_member_set")
def partnership_member_set(request: AuthedRequest, slug: str, payload: MembershipIn):  # type: ignore[no-untyped-def]
    partnership: Partnership = policy.partnership_or_404(request.user, slug, rules.MANAGE)
    organisation = get_object_or_404(Organisation, slug=payload.organisation)
    membership = services.membership_set(
        actor=request.user,
        partnership=partnership,
        organisation=organisation,
        status=payload.status,
    )
    return 201, membership
