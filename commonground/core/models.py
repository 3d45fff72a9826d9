"""Shared pieces: the base model and the audit log."""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.core.fields import PartnershipForeignKey, UserLink


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class _InPartnership(Protocol):
    page_url_name: ClassVar[str]
    page_pk_kwarg: ClassVar[str]

    @property
    def pk(self) -> Any: ...
    @property
    def partnership(self) -> Any: ...


class PartnershipPage:
    """For a record with its own page in its partnership's workspace: set
    ``page_url_name`` (``"app:name"``, a URL taking the partnership's ``slug`` and the
    record's key as ``page_pk_kwarg``) and ``get_absolute_url`` leads there."""

    page_url_name: ClassVar[str]
    page_pk_kwarg: ClassVar[str] = "pk"

    def get_absolute_url(self: _InPartnership) -> str:
        return reverse(
            self.page_url_name,
            kwargs={"slug": self.partnership.slug, self.page_pk_kwarg: self.pk},
        )


class AuditEvent(models.Model):
    """One state change: who did what to which record, when, and what changed.

    Rows are only ever inserted (by ``core.audit.audit_record``, called from
    services inside their transaction), never edited, so the log is the
    partnership's permanent history.
    """

    partnership = PartnershipForeignKey(
        null=True, blank=True, related_name="audit_events", verbose_name=_("partnership")
    )
    actor = UserLink(verbose_name=_("actor"))
    verb = models.CharField(_("action"), max_length=80)
    target_type = models.CharField(_("record type"), max_length=80, blank=True)
    target_id = models.CharField(_("record id"), max_length=64, blank=True)
    summary = models.CharField(_("summary"), max_length=500)
    # The summary as a message key and its values (``core.i18n``), so each reader sees it
    # in their own language; ``summary`` keeps the text in the default language (and is
    # all that older rows have).
    summary_key = models.TextField(_("summary key"), blank=True, default="")
    summary_params = models.JSONField(_("summary values"), blank=True, default=dict)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["partnership", "-created_at"]),
            # The latest event of a partnership is its version (home page cache key).
            models.Index(fields=["partnership", "-id"], name="audit_partnership_latest"),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb}: {self.summary}"

    @property
    def text(self) -> str:
        """The summary in the active language (the stored text for rows without a key)."""
        from .i18n import render

        return render(self.summary_key, self.summary_params, self.summary)


class DataVersion(models.Model):
    """A counter per partnership (``scope`` = its id) and one for the whole instance
    (scope 0), bumped inside the transaction that changes the data, just before it
    commits (``core.versions``). Cached page parts are keyed on it: the number moves
    exactly when the committed data does, whatever order transactions commit in.

    No foreign key: a deleted partnership's row stays, so an id reused later goes on
    counting from where it was and never meets a key cached for the old partnership.
    """

    scope = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return f"{self.scope}: {self.version}"


class PendingScrub(models.Model):
    """A sealed table whose deleted rows may still sit in the database files.

    Written when the scrub after a close could not finish because another session held
    it back (SQLite: a reader's snapshot; PostgreSQL: a lock on the table, e.g. a
    backup); ``manage.py scrub_sealed`` (scheduled) and every later scrub try again
    until it finishes. No time is kept.
    """

    table = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("pending scrub")
        verbose_name_plural = _("pending scrubs")

    def __str__(self) -> str:
        return self.table


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    RETRYING = "retrying", _("failed, will be tried again")
    FAILED = "failed", _("failed, no more tries")


class Delivery(models.Model):
    """One email on its way out (``core.mail``): written in the transaction that causes
    it and sent by the ``send_email`` task in a worker, which records each attempt.
    A failed attempt is tried again with a growing wait, up to ``mail.MAX_ATTEMPTS``;
    managers see failures and can send them again. The body is kept only until the
    message is sent (it may hold a one-use link)."""

    partnership = PartnershipForeignKey(
        null=True, blank=True, related_name="deliveries", verbose_name=_("partnership")
    )
    to = models.EmailField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=500)
    body = models.TextField(_("body"), blank=True)
    kind = models.CharField(_("kind"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_try_at = models.DateTimeField(_("next try"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_try_at"])]
        verbose_name = _("email delivery")
        verbose_name_plural = _("email deliveries")

    def __str__(self) -> str:
        return f"{self.kind} to {self.to}: {self.status}"


class ScheduledRun(models.Model):
    """When the scheduler (``core.scheduler``) last enqueued each periodic job; claimed
    with a conditional update, so schedulers on several hosts enqueue a job once."""

    name = models.CharField(_("job"), max_length=80, primary_key=True)
    last_run_at = models.DateTimeField(_("last run"))

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")

    def __str__(self) -> str:
        return f"{self.name} {self.last_run_at:%Y-%m-%d %H:%M}"
