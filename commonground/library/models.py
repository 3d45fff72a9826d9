"""The library: a data room with access levels, case studies and lessons, and milestones."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from commonground.core.fields import (
    OptionalForeignKey,
    OrganisationForeignKey,
    PartnershipForeignKey,
    UserLink,
)
from commonground.core.models import TimeStampedModel


class AccessLevel(models.TextChoices):
    ALL_MEMBERS = "all", _("All members of the partnership")
    WORKING_GROUP = "group", _("One working group")
    ORGANISATIONS = "orgs", _("Named member organisations")
    MANAGERS = "managers", _("Managers only")


class Confidentiality(models.TextChoices):
    OPEN = "open", _("Open: may be shared outside the partnership")
    INTERNAL = "internal", _("Internal: partnership members only")
    CONFIDENTIAL = "confidential", _("Confidential: only those given access")
    RESTRICTED = "restricted", _("Restricted: personal or commercially sensitive data")


class EndRule(models.TextChoices):
    RETURN = "return", _("Return to the owner organisation")
    DELETE = "delete", _("Delete")
    ARCHIVE = "archive", _("Archive (read-only, managers only)")


class DocumentKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    DATASET = "dataset", _("Dataset")
    IMAGE = "image", _("Image")


class DocumentStatus(models.TextChoices):
    ACTIVE = "active", _("In use")
    RETURNED = "returned", _("Returned to owner")
    ARCHIVED = "archived", _("Archived")
    DELETED = "deleted", _("Deleted")


class Document(TimeStampedModel):
    """A document or dataset in the data room, with its data-sharing protocol."""

    partnership = PartnershipForeignKey(related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.DOCUMENT
    )
    tags = models.CharField(
        _("tags"), max_length=300, blank=True, help_text=_("Comma-separated keywords.")
    )
    access_level = models.CharField(
        _("who may open it"),
        max_length=20,
        choices=AccessLevel.choices,
        default=AccessLevel.ALL_MEMBERS,
    )
    working_group = OptionalForeignKey(
        "partnerships.WorkingGroup", related_name="documents", verbose_name=_("working group")
    )
    organisations = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="shared_documents",
        verbose_name=_("named organisations"),
    )
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("May be mentioned in the public report.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.ACTIVE
    )
    # The data-sharing protocol.
    owner_organisation = OrganisationForeignKey(
        related_name="owned_documents", verbose_name=_("owner organisation")
    )
    purpose = models.TextField(_("purpose of sharing"))
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.INTERNAL,
    )
    permitted_uses = models.TextField(_("permitted uses"), blank=True)
    retention = models.CharField(
        _("retention"), max_length=200, blank=True, help_text=_("How long it may be kept.")
    )
    end_rule = models.CharField(
        _("when the partnership ends"),
        max_length=20,
        choices=EndRule.choices,
        default=EndRule.ARCHIVE,
    )
    end_rule_applied_at = models.DateTimeField(_("end rule applied"), null=True, blank=True)
    created_by = UserLink()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["partnership", "status", "access_level"])]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]


def _random_path(instance: Any, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"library/{instance.document.partnership_id}/{uuid.uuid4().hex}.{ext}"


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=_random_path, max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_by = UserLink(blank=False)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="library_version_unique")
        ]
        verbose_name = _("version")
        verbose_name_plural = _("versions")

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class DownloadLog(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="downloads")
    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="+")
    user = UserLink(blank=False)
    downloaded_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-downloaded_at", "-id"]
        verbose_name = _("download")
        verbose_name_plural = _("downloads")

    def __str__(self) -> str:
        return f"{self.user} {self.downloaded_at:%Y-%m-%d %H:%M}"


class CaseKind(models.TextChoices):
    CASE_STUDY = "case", _("Case study")
    LESSON = "lesson", _("Lesson learned")


class CaseStudy(TimeStampedModel):
    partnership = PartnershipForeignKey(related_name="case_studies")
    kind = models.CharField(
        _("kind"), max_length=10, choices=CaseKind.choices, default=CaseKind.CASE_STUDY
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    context = models.TextField(_("context"), blank=True)
    what_worked = models.TextField(_("what worked"), blank=True)
    what_did_not = models.TextField(_("what did not work"), blank=True)
    sector_mix = models.CharField(
        _("sector mix"),
        max_length=300,
        blank=True,
        help_text=_("Which sectors took part, e.g. public, business, civil society."),
    )
    outcomes = models.TextField(_("outcomes"), blank=True)
    tags = models.CharField(_("tags"), max_length=300, blank=True)
    shared = models.BooleanField(
        _("share with the whole instance"),
        default=False,
        help_text=_("Other partnerships on this instance can read it."),
    )
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("May appear in the public report.")
    )
    source = models.CharField(
        _("captured from"),
        max_length=200,
        blank=True,
        help_text=_("E.g. a review, a meeting or the ending of the partnership."),
    )
    created_by = UserLink()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case study or lesson")
        verbose_name_plural = _("case studies and lessons")

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]


class Milestone(TimeStampedModel):
    """A moment in the partnership's story, for the timeline and the report."""

    partnership = PartnershipForeignKey(related_name="milestones")
    date = models.DateField(_("date"))
    title = models.CharField(_("milestone"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("May appear in the public report.")
    )
    created_by = UserLink()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title
