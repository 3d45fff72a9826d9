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
REPORT = register("library.report", _("generate the partnership report"), ALL_ROLES, reads=True)


def user_org_ids(user: Any, partnership: Any) -> list[int]:
    from commonground.partnerships.roles import user_org_ids as ids

    return sorted(ids(user, partnership))


def _visibility(user: Any, partnership_id: int | None = None) -> Q | None:
    """The condition on documents that ``user`` may open, in every partnership at once
    or only in ``partnership_id`` (``None``: every document). Managers see everything of their partnership (also
    archived items and deleted tombstones). Other members see active items at their
    access level (all members; their working group; their organisation named; items
    they uploaded), and returned items only when their organisation owns them."""
    from commonground.partnerships.models import Role

    if policy.is_instance_admin(user):
        return None
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    managing, viewing = policy.roles_holding(MANAGE), policy.roles_holding(VIEW)
    kinds: dict[int, set[str]] = {}
    orgs: dict[int, set[int]] = {}
    roles = Role.objects.filter(user=user, ended_on__isnull=True)
    if partnership_id is not None:
        # Only that partnership's roles: a condition naming each of a person's
        # partnerships selects the documents of all of them before the page keeps one.
        roles = roles.filter(partnership_id=partnership_id)
    for role_partnership, kind, organisation_id in roles.order_by().values_list(
        "partnership_id", "kind", "organisation_id"
    ):
        kinds.setdefault(role_partnership, set()).add(kind)
        if organisation_id is not None:
            orgs.setdefault(role_partnership, set()).add(organisation_id)
    managed = sorted(p for p, k in kinds.items() if k & managing)
    condition = Q(partnership_id__in=managed)
    for viewed in sorted(p for p, k in kinds.items() if k & viewing and p not in managed):
        mine = sorted(orgs.get(viewed, set()) | {user.organisation_id} - {None})
        access = (
            Q(access_level=AccessLevel.ALL_MEMBERS)
            | Q(access_level=AccessLevel.WORKING_GROUP, working_group__members=user)
            | Q(access_level=AccessLevel.ORGANISATIONS, organisations__in=mine)
            | Q(created_by=user)
        )
        condition |= Q(partnership_id=viewed) & (
            (Q(status=DocumentStatus.ACTIVE) & access)
            | Q(status=DocumentStatus.RETURNED, owner_organisation__in=mine)
        )
    return condition


def documents_visible_to(
    user: Any, documents: QuerySet[Document], partnership_id: int | None = None
) -> QuerySet[Document]:
    """Queryset form of :func:`can_see_document`: the documents in ``documents`` that
    ``user`` may open (see, list, download, attach, link to); ``partnership_id`` when
    ``documents`` are all of one partnership."""
    condition = _visibility(user, partnership_id)
    if condition is None:
        return documents
    # The access filters join many-valued relations: select the ids, then the rows.
    return documents.filter(pk__in=Document.objects.filter(condition).values("pk"))


def can_see_document(user: Any, document: Document) -> bool:
    """Instance form: may ``user`` open ``document``?"""
    return documents_visible_to(
        user, Document.objects.filter(pk=document.pk), document.partnership_id
    ).exists()


def visible_documents(user: Any, partnership: Any) -> QuerySet[Document]:
    """The documents ``user`` may open in ``partnership``."""
    return documents_visible_to(
        user, Document.objects.filter(partnership=partnership), partnership.pk
    )


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
