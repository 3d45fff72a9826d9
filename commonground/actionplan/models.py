"""The action plan: who does what by when, and where it came from."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from commonground.core.fields import OptionalForeignKey, PartnershipForeignKey, UserLink
from commonground.core.models import PartnershipPage, TimeStampedModel

DUE_SOON_DAYS = 7
NO_DUE_DATE = datetime.date(9999, 12, 31)  # sorts after every real due date


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    BLOCKED = "blocked", _("Blocked")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.BLOCKED)


class Priority(models.IntegerChoices):
    """The implementation plan's own scale: 1 = low … 5 = high (until migration 0005 the
    product stored 1 as the highest; that migration turned every value round)."""

    LOW = 1, _("1 · low")
    FAIRLY_LOW = 2, _("2 · fairly low")
    MEDIUM = 3, _("3 · medium")
    FAIRLY_HIGH = 4, _("4 · fairly high")
    HIGH = 5, _("5 · high")


# Highest first, as the filter menus list them.
PRIORITIES_HIGHEST_FIRST = sorted(Priority.choices, reverse=True)


class Action(PartnershipPage, TimeStampedModel):
    partnership = PartnershipForeignKey(related_name="actions")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    enablers = models.TextField(
        _("enablers and resources needed"),
        blank=True,
        help_text=_("What has to be in place: money, people, permissions, data."),
    )
    owner = OptionalForeignKey(
        settings.AUTH_USER_MODEL, related_name="actions", verbose_name=_("owner")
    )
    owner_organisation = OptionalForeignKey(
        "organisations.Organisation", related_name="+", verbose_name=_("owner organisation")
    )
    working_group = OptionalForeignKey(
        "partnerships.WorkingGroup", related_name="actions", verbose_name=_("working group")
    )
    priority = models.PositiveSmallIntegerField(
        _("priority (1 = low, 5 = high)"),
        choices=Priority.choices,
        default=Priority.MEDIUM,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    start_on = models.DateField(_("start"), null=True, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    meeting = OptionalForeignKey(
        "meetings.Meeting", related_name="actions", verbose_name=_("from meeting")
    )
    agenda_item = OptionalForeignKey(
        "meetings.AgendaItem", related_name="actions", verbose_name=_("from agenda item")
    )
    decision = OptionalForeignKey(
        "decisions.Decision", related_name="actions", verbose_name=_("from decision")
    )
    review = OptionalForeignKey(
        "results.Review", related_name="actions", verbose_name=_("from results review")
    )
    agreement_deliverable = models.CharField(
        _("from agreement deliverable"),
        max_length=300,
        blank=True,
        help_text=_("Name or link of the agreement deliverable this action serves."),
    )
    created_by = UserLink()
    # The due date with "no date" sorted last, kept by the database: lists sort on it through
    # an index (both databases put NULLs at different ends, and an expression cannot be indexed
    # portably), so a page of a 50,000-action plan reads 50 index entries, not the whole plan.
    due_key = models.GeneratedField(
        expression=Coalesce("due_on", Value(NO_DUE_DATE)),
        output_field=models.DateField(),
        db_persist=True,
    )

    page_url_name = "actionplan:detail"

    class Meta:
        # Within a due date the highest priority first (5 = high).
        ordering = ["due_key", "-priority", "id"]
        indexes = [
            models.Index(
                fields=["partnership", "status", "due_key", "-priority", "id"],
                name="action_status_due_idx",
            ),
            models.Index(
                fields=["partnership", "due_key", "-priority", "id"], name="action_due_idx"
            ),
            models.Index(fields=["owner", "status"]),
            # The method's evidence counts a partnership's actions from meetings.
            models.Index(fields=["partnership", "meeting"], name="action_meeting_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=5),
                name="action_priority_1_to_5",
                violation_error_message=_("Priority goes from 1 (low) to 5 (high)."),
            ),
            models.CheckConstraint(
                condition=Q(start_on__isnull=True)
                | Q(due_on__isnull=True)
                | Q(due_on__gte=models.F("start_on")),
                name="action_due_not_before_start",
                violation_error_code="due_before_start",
                violation_error_message=_("The due date cannot be before the start date."),
            ),
        ]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < timezone.localdate()

    @property
    def is_due_soon(self) -> bool:
        if not self.is_open or self.due_on is None:
            return False
        today = timezone.localdate()
        return today <= self.due_on <= today + datetime.timedelta(days=DUE_SOON_DAYS)

    @cached_property
    def due_state(self) -> str:
        """ "overdue", "soon" or "" (computed once per loaded action, for lists that
        show the state in several places of each row)."""
        return due_state_of(self.status, self.due_on, timezone.localdate())


def due_state_of(status: str, due_on: datetime.date | None, today: datetime.date) -> str:
    """ "overdue" for an open action due before ``today``, "soon" for one due within
    ``DUE_SOON_DAYS`` of it, "" otherwise."""
    if status not in OPEN_STATUSES or due_on is None:
        return ""
    if due_on < today:
        return "overdue"
    return "soon" if due_on <= today + datetime.timedelta(days=DUE_SOON_DAYS) else ""


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


class ActionReminder(models.Model):
    """One reminder sent to an owner on one day (makes the command idempotent per day)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    actions = models.ManyToManyField(Action, related_name="reminders")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="action_reminder_once_a_day")
        ]
        verbose_name = _("action reminder")
        verbose_name_plural = _("action reminders")

    def __str__(self) -> str:
        return f"{self.user} {self.sent_on}"
