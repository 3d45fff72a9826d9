"""Who may do what in the library, and which documents each person may open."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from commonground.core import policy
from commonground.core.policy import ALL_ROLES, MANAGERS, PARTICIPANTS, RECORD_KEEPERS, register

from .models import AccessLevel, CaseStudy, Document, DocumentStatus

VIEW = register("library.view", _("see the data room and the knowledge library"), ALL_ROLES)
UPLOAD = register("library.upload", _("upload documents and datasets"), PARTICIPANTS)
MANAGE = register(
    "library.manage", _("manage every document, including managers-only ones"), MANAGERS
)
WRITE = register("library.write", _("write case studies and lessons learned"), PARTICIPANTS)
MILESTONES = register("library.milestones", _("record milestones"), RECORD_KEEPERS)
REPORT = register("library.report", _("generate the partnership report"), ALL_ROLES)


def user_org_ids(user: Any, partnership: Any) -> list[int]:
    from commonground.atlas.rules import user_org_ids as ids

    return sorted(ids(user, partnership))


def visible_documents(user: Any, partnership: Any) -> QuerySet[Document]:
    """Queryset form: the documents ``user`` may open in ``partnership``.

    Managers see everything (also archived items and deleted tombstones). Others see
    active items at their access level (all members; their working group; their
    organisation named; items they uploaded), and returned items only when their
    organisation owns them.
    """
    base = Document.objects.filter(partnership=partnership)
    if policy.has_capability(user, partnership, MANAGE):
        return base
    if not policy.has_capability(user, partnership, VIEW):
        return base.none()
    orgs = user_org_ids(user, partnership)
    access = (
        Q(access_level=AccessLevel.ALL_MEMBERS)
        | Q(access_level=AccessLevel.WORKING_GROUP, working_group__members=user)
        | Q(access_level=AccessLevel.ORGANISATIONS, organisations__in=orgs)
        | Q(created_by=user)
    )
    # The access filters join many-valued relations: select the ids, then the rows.
    ids = base.filter(
        (Q(status=DocumentStatus.ACTIVE) & access)
        | Q(status=DocumentStatus.RETURNED, owner_organisation__in=orgs)
    ).values("pk")
    return Document.objects.filter(pk__in=ids)


def can_open(user: Any, document: Document) -> bool:
    return visible_documents(user, document.partnership).filter(pk=document.pk).exists()


def can_change(user: Any, document: Document) -> bool:
    """The uploader (while the item is in use) and the managers."""
    if policy.has_capability(user, document.partnership, MANAGE):
        return True
    return (
        document.status == DocumentStatus.ACTIVE
        and document.created_by_id == getattr(user, "pk", None)
        and policy.has_capability(user, document.partnership, UPLOAD)
    )


def readable_cases(user: Any, partnership: Any) -> QuerySet[CaseStudy]:
    """Cases of this partnership plus those shared across the instance."""
    return CaseStudy.objects.filter(Q(partnership=partnership) | Q(shared=True))


def cases_readable_anywhere(user: Any) -> QuerySet[CaseStudy]:
    mine = policy.partnerships_with(user, VIEW).values("pk")
    return CaseStudy.objects.filter(Q(partnership__in=mine) | Q(shared=True))


def can_edit_case(user: Any, case: CaseStudy) -> bool:
    if policy.has_capability(user, case.partnership, MANAGE):
        return True
    return case.created_by_id == getattr(user, "pk", None) and policy.has_capability(
        user, case.partnership, WRITE
    )
