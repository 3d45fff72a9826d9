"""State changes of the library."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonground.core.audit import audit_record, snapshot
from commonground.core.i18n import Msg, choice_label

from . import uploads
from .models import (
    AccessLevel,
    CaseStudy,
    Document,
    DocumentStatus,
    DocumentVersion,
    DownloadLog,
    EndRule,
    Milestone,
)

if TYPE_CHECKING:
    from commonground.accounts.models import User
    from commonground.partnerships.models import Partnership

log = logging.getLogger("commonground.library")

DOC_AUDITED = ["title", "access_level", "status", "confidentiality", "end_rule", "is_public"]


def _check_access(
    partnership: Partnership, access_level: str, working_group: Any, orgs: list[Any]
) -> None:
    if access_level == AccessLevel.WORKING_GROUP:
        if working_group is None:
            raise ValidationError(_("Choose the working group that may open it."))
        if working_group.partnership_id != partnership.pk:
            raise ValidationError(_("That working group is not in this partnership."))
    if access_level == AccessLevel.ORGANISATIONS and not orgs:
        raise ValidationError(_("Name at least one organisation that may open it."))
    member_ids = set(partnership.memberships.values_list("organisation_id", flat=True))
    if any(o.pk not in member_ids for o in orgs):
        raise ValidationError(_("Only member organisations can be named."))


def _store_version(
    *, actor: User, document: Document, upload: Any, checked: uploads.CheckedUpload, note: str
) -> DocumentVersion:
    last = document.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = DocumentVersion(
        document=document,
        number=last + 1,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        note=note,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    upload.name = checked.name
    version.file.save(checked.name, upload, save=False)
    stored = version.file.name
    try:
        version.save()
    except Exception:
        version.file.storage.delete(stored)
        raise
    return version


@transaction.atomic
def document_upload(
    *,
    actor: User,
    partnership: Partnership,
    upload: Any,
    title: str,
    owner_organisation: Any,
    purpose: str,
    access_level: str = AccessLevel.ALL_MEMBERS,
    working_group: Any = None,
    organisations: Any = (),
    **fields: Any,
) -> Document:
    """Add a document with its data-sharing protocol and its first version."""
    checked = uploads.check_upload(upload)
    orgs = list(organisations or [])
    _check_access(partnership, access_level, working_group, orgs)
    if (
        owner_organisation is None
        or not partnership.memberships.filter(organisation=owner_organisation).exists()
    ):
        raise ValidationError(_("The owner must be a member organisation."))
    if not fields.get("kind"):
        fields["kind"] = checked.kind
    document = Document(
        partnership=partnership,
        title=title,
        owner_organisation=owner_organisation,
        purpose=purpose,
        access_level=access_level,
        working_group=working_group if access_level == AccessLevel.WORKING_GROUP else None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    document.full_clean(exclude=["organisations"])
    document.save()
    document.organisations.set(orgs if access_level == AccessLevel.ORGANISATIONS else [])
    version = _store_version(
        actor=actor, document=document, upload=upload, checked=checked, note=""
    )
    audit_record(
        actor=actor,
        verb="library.document_upload",
        summary=Msg(gettext_noop("Document added to the data room: %(title)s"), title=title),
        partnership=partnership,
        target=document,
        after={**snapshot(document, DOC_AUDITED), "file": version.original_name},
    )
    return document


@transaction.atomic
def document_add_version(
    *, actor: User, document: Document, upload: Any, note: str = ""
) -> DocumentVersion:
    if document.status != DocumentStatus.ACTIVE:
        raise ValidationError(_("This document is no longer in use; no new versions."))
    checked = uploads.check_upload(upload)
    version = _store_version(
        actor=actor, document=document, upload=upload, checked=checked, note=note
    )
    document.save(update_fields=["updated_at"])
    audit_record(
        actor=actor,
        verb="library.version_add",
        summary=Msg(
            gettext_noop("New version %(n)s of %(title)s"), n=version.number, title=document.title
        ),
        partnership=document.partnership,
        target=document,
        after={"version": version.number, "file": version.original_name},
    )
    return version


@transaction.atomic
def document_update(
    *,
    actor: User,
    document: Document,
    access_level: str,
    working_group: Any = None,
    organisations: Any = (),
    **fields: Any,
) -> Document:
    before = snapshot(Document.objects.get(pk=document.pk), DOC_AUDITED)
    orgs = list(organisations or [])
    _check_access(document.partnership, access_level, working_group, orgs)
    for name, value in fields.items():
        setattr(document, name, value)
    document.access_level = access_level
    document.working_group = working_group if access_level == AccessLevel.WORKING_GROUP else None
    document.full_clean(exclude=["organisations"])
    document.save()
    document.organisations.set(orgs if access_level == AccessLevel.ORGANISATIONS else [])
    audit_record(
        actor=actor,
        verb="library.document_update",
        summary=Msg(gettext_noop("Document protocol changed: %(title)s"), title=document.title),
        partnership=document.partnership,
        target=document,
        before=before,
        after=snapshot(document, DOC_AUDITED),
    )
    return document


def download_record(*, actor: User, version: DocumentVersion) -> DownloadLog:
    """Log one download (who, when). Not an audit event: the data room keeps its own log."""
    return DownloadLog.objects.create(
        document_id=version.document_id,
        version=version,
        user=actor if getattr(actor, "is_authenticated", False) else None,
    )


# --- retention ---------------------------------------------------------------------------


@transaction.atomic
def retention_apply(*, actor: User | None, partnership: Partnership) -> dict[str, int]:
    """Apply each item's end-of-partnership rule. Only for ended partnerships; idempotent.

    * return: only the owner organisation (and the managers) can still open it;
    * delete: every stored file is erased; the record stays as a tombstone;
    * archive: kept read-only, visible to the managers only.
    """
    if partnership.status != "ended":
        raise ValidationError(_("The partnership has not ended; nothing to apply."))
    done = {"return": 0, "delete": 0, "archive": 0}
    now = timezone.now()
    pending = Document.objects.filter(
        partnership=partnership, end_rule_applied_at__isnull=True
    ).prefetch_related("versions")
    for document in pending:
        before = snapshot(document, DOC_AUDITED)
        if document.end_rule == EndRule.DELETE:
            for version in document.versions.all():
                if version.file:
                    version.file.storage.delete(version.file.name)
                    version.file = ""
                    version.save(update_fields=["file"])
            document.status = DocumentStatus.DELETED
        elif document.end_rule == EndRule.RETURN:
            document.status = DocumentStatus.RETURNED
        else:
            document.status = DocumentStatus.ARCHIVED
        document.end_rule_applied_at = now
        document.save(update_fields=["status", "end_rule_applied_at", "updated_at"])
        done[document.end_rule] += 1
        audit_record(
            actor=actor,
            verb="library.retention_apply",
            summary=Msg(
                gettext_noop("End-of-partnership rule applied to %(title)s: %(rule)s"),
                title=document.title,
                rule=choice_label(document, "end_rule"),
            ),
            partnership=partnership,
            target=document,
            before=before,
            after=snapshot(document, DOC_AUDITED),
        )
        log.info("retention: %s %s -> %s", partnership.slug, document.pk, document.status)
    return done


# --- knowledge library and milestones ------------------------------------------------------


@transaction.atomic
def case_create(*, actor: User, partnership: Partnership, **fields: Any) -> CaseStudy:
    case = CaseStudy(partnership=partnership, created_by=actor, **fields)
    case.full_clean()
    case.save()
    audit_record(
        actor=actor,
        verb="library.case_create",
        summary=Msg(gettext_noop("Added to the knowledge library: %(title)s"), title=case.title),
        partnership=partnership,
        target=case,
    )
    return case


@transaction.atomic
def case_update(*, actor: User, case: CaseStudy, **fields: Any) -> CaseStudy:
    for name, value in fields.items():
        setattr(case, name, value)
    case.full_clean()
    case.save()
    audit_record(
        actor=actor,
        verb="library.case_update",
        summary=Msg(gettext_noop("Knowledge library entry changed: %(title)s"), title=case.title),
        partnership=case.partnership,
        target=case,
    )
    return case


@transaction.atomic
def milestone_create(*, actor: User, partnership: Partnership, **fields: Any) -> Milestone:
    milestone = Milestone(partnership=partnership, created_by=actor, **fields)
    milestone.full_clean()
    milestone.save()
    audit_record(
        actor=actor,
        verb="library.milestone_create",
        summary=Msg(gettext_noop("Milestone recorded: %(title)s"), title=milestone.title),
        partnership=partnership,
        target=milestone,
    )
    return milestone
