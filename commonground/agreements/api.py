"""API: agreements, their versions and ratifications."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from commonground.core import policy
from commonground.core.api_pagination import PageNumberPagination
from commonground.core.http import AuthedRequest
from commonground.organisations.models import Organisation

from . import rules, selectors, services
from .models import AgreementVersion

router = Router(tags=["agreements"])


class AgreementOut(Schema):
    id: int
    title: str
    form: str
    status: str
    latest_version: int
    in_force_version: int | None
    parties: list[str]


class VersionOut(Schema):
    number: int
    is_amendment: bool
    title: str
    form: str
    parties: list[str]
    start_on: datetime.date | None
    end_on: datetime.date | None
    trial_months: int | None
    clauses: dict[str, str]
    text: str
    sha256: str
    ratified_at: datetime.datetime | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_parties(obj) -> list[str]:  # type: ignore[no-untyped-def]
        return [p.slug for p in obj.parties.all()]


class RatificationOut(Schema):
    version: int
    organisation: str
    organisation_name: str
    signer_name: str
    signer_title: str
    text_sha256: str
    ratified_at: datetime.datetime

    @staticmethod
    def resolve_version(obj) -> int:  # type: ignore[no-untyped-def]
        return obj.version.number

    @staticmethod
    def resolve_organisation(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.organisation.slug


class RatifyIn(Schema):
    organisation: str
    sha256: str | None = None


def _out(agreement):  # type: ignore[no-untyped-def]
    st = selectors.state(agreement, timezone.localdate())
    return {
        "id": agreement.pk,
        "title": st.latest.title,
        "form": st.latest.form,
        "status": st.code,
        "latest_version": st.latest.number,
        "in_force_version": st.in_force.number if st.in_force else None,
        "parties": [p.slug for p in st.latest.parties.all()],
    }


@router.get("/{slug}/agreements", response=list[AgreementOut], url_name="agreement_list")
@paginate(PageNumberPagination, page_size=50)
def agreement_list(request: AuthedRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return [_out(a) for a in selectors.agreements(partnership)]


@router.get("/{slug}/agreements/{pk}", response=AgreementOut, url_name="agreement_detail")
def agreement_detail(request: AuthedRequest, slug: str, pk: int):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return _out(selectors.agreement_detail(partnership, pk))


@router.get(
    "/{slug}/agreements/{pk}/versions", response=list[VersionOut], url_name="agreement_versions"
)
def agreement_versions(request: HttpRequest, slug: str, pk: int):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return list(selectors.agreement_detail(partnership, pk).versions.all())


@router.get(
    "/{slug}/agreements/{pk}/ratifications",
    response=list[RatificationOut],
    url_name="agreement_ratifications",
)
def agreement_ratifications(request: HttpRequest, slug: str, pk: int):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    agreement = selectors.agreement_detail(partnership, pk)
    return [r for v in agreement.versions.all() for r in v.ratifications.all()]


@router.post(
    "/{slug}/agreements/{pk}/versions/{number}/ratify",
    response={201: RatificationOut},
    url_name="agreement_ratify",
)
def agreement_ratify(request: AuthedRequest, slug: str, pk: int, number: int, payload: RatifyIn):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.SIGN)
    version = get_object_or_404(
        AgreementVersion, agreement__pk=pk, agreement__partnership=partnership, number=number
    )
    organisation = get_object_or_404(
        Organisation, slug=payload.organisation, memberships__partnership=partnership
    )
    return 201, services.ratify(
        actor=request.user,
        version=version,
        organisation=organisation,
        expected_sha256=payload.sha256,
    )
