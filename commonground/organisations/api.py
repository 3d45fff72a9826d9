from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from commonground.core.api_pagination import PageNumberPagination
from commonground.core.http import AuthedRequest

from . import rules, services
from .models import Organisation, OrgType, Sector, Size
from .selectors import organisation_search

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    slug: str
    name: str
    sector: str
    org_type: str
    place_name: str
    latitude: Decimal | None
    longitude: Decimal | None
    website: str
    mission: str
    size: str


class OrganisationIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    sector: Sector
    org_type: OrgType = OrgType.OTHER
    place_name: str = ""
    latitude: Decimal | None = Field(default=None, ge=-90, le=90)
    longitude: Decimal | None = Field(default=None, ge=-180, le=180)
    website: str = ""
    mission: str = ""
    size: Size | None = None


@router.get("/", response=list[OrganisationOut], url_name="organisation_list")
@paginate(PageNumberPagination, page_size=50)
def organisation_list(request: AuthedRequest, q: str = "", sector: str = "", tag: str = ""):  # type: ignore[no-untyped-def]
    return organisation_search(text=q, sector=sector, tag=tag)


@router.post("/", response={201: OrganisationOut}, url_name="organisation_create")
def organisation_create(request: AuthedRequest, payload: OrganisationIn):  # type: ignore[no-untyped-def]
    data = payload.dict()
    data["size"] = data["size"] or ""
    organisation = Organisation(**data)
    organisation.full_clean(exclude=["slug"])
    return 201, services.organisation_save(actor=request.user, organisation=organisation)


@router.get("/{slug}", response=OrganisationOut, url_name="organisation_detail")
def organisation_detail(request: AuthedRequest, slug: str):  # type: ignore[no-untyped-def]
    return get_object_or_404(Organisation, slug=slug)


@router.patch("/{slug}", response=OrganisationOut, url_name="organisation_update")
def organisation_update(request: AuthedRequest, slug: str, payload: OrganisationIn):  # type: ignore[no-untyped-def]
    organisation = get_object_or_404(Organisation, slug=slug)
    if not rules.can_edit(request.user, organisation):
        raise PermissionDenied("Only people from this organisation, or who added it, may edit it.")
    for key, value in payload.dict().items():
        setattr(organisation, key, value if value is not None or key != "size" else "")
    organisation.full_clean()
    return services.organisation_save(actor=request.user, organisation=organisation)
