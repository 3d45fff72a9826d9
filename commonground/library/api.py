"""JSON API of the data room: the documents the caller may open (files are only served
through the permission-checked download page)."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema
from ninja.pagination import paginate

from commonground.core import policy
from commonground.core.api_pagination import PageNumberPagination

from . import rules, selectors

router = Router(tags=["library"])


class DocumentOut(Schema):
    id: int
    title: str
    kind: str
    tags: list[str]
    access_level: str
    status: str
    owner_organisation: str
    confidentiality: str
    end_rule: str
    versions: int
    updated_at: datetime.datetime
    url: str

    @staticmethod
    def resolve_tags(obj) -> list[str]:  # type: ignore[no-untyped-def]
        return obj.tag_list

    @staticmethod
    def resolve_owner_organisation(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.owner_organisation.name

    @staticmethod
    def resolve_versions(obj) -> int:  # type: ignore[no-untyped-def]
        return obj.version_count

    @staticmethod
    def resolve_url(obj) -> str:  # type: ignore[no-untyped-def]
        return reverse("library:document", kwargs={"slug": obj.partnership.slug, "pk": obj.pk})


@router.get("/{slug}/documents", response=list[DocumentOut], url_name="library_documents")
@paginate(PageNumberPagination, page_size=50)
def documents(request: HttpRequest, slug: str, q: str = ""):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return selectors.documents_for(request.user, partnership, q=q).select_related("partnership")
