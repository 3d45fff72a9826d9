"""Meetings: agenda, attendance, minutes with motions and tasks, assessment, calendar feeds."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from commonground.core.fields import OptionalForeignKey, PartnershipForeignKey, UserLink
from commonground.core.models import PartnershipPage, TimeStampedModel


class MeetingSettings(TimeStampedModel):
    """A partnership's governance setting for meetings (quorum)."""

    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="meeting_settings"
    )
    quorum_fraction = models.DecimalField(
        _("quorum (share of active member organisations present)"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
        help_text=_(
            "For example 0.50: at least half of the active member organisations (or, for a "
            "working-group meeting, half of the group's members) must be present."
        ),
    )

    class Meta:
        verbose_name = _("meeting settings")
        verbose_name_plural = _("meeting settings")

    def __str__(self) -> str:
        return f"{self.partnership}: {self.quorum_fraction}"


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CIRCULATED = "circulated", _("Circulated")
    APPROVED = "approved", _("Approved")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("weeks")
    MONTHLY = "monthly", _("months")


class MeetingSeries(PartnershipPage, TimeStampedModel):
    """Meetings that recur at a cadence: every ``interval`` weeks or months from the first
    one (same weekday and time of day, or same day of the month; a month without that
    day is skipped, as iCalendar's RRULE does). The series holds the defaults its meetings
    are planned with; each occurrence is an ordinary :class:`Meeting` pointing back here.

    Occurrences are planned ahead for ``HORIZON_MONTHS`` (``series.series_extend``,
    run daily by ``manage.py extend_meeting_series``)."""

    partnership = PartnershipForeignKey(related_name="meeting_series")
    working_group = OptionalForeignKey(
        "partnerships.WorkingGroup",
        related_name="meeting_series",
        verbose_name=_("working group"),
        help_text=_("Leave empty for meetings of the whole partnership."),
    )
    title = models.CharField(_("title"), max_length=200)
    frequency = models.CharField(
        _("repeat every"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    interval = models.PositiveSmallIntegerField(
        _("interval"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("For example 2 with weeks: every second week."),
    )
    starts_at = models.DateTimeField(_("first meeting starts"))
    duration = models.DurationField(_("length"), help_text=_("For example 2:00 for two hours."))
    until = models.DateField(
        _("last date"), null=True, blank=True, help_text=_("Leave empty to go on until ended.")
    )
    count = models.PositiveSmallIntegerField(
        _("number of meetings"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("Leave empty for no fixed number."),
    )
    mode = models.CharField(
        _("format"), max_length=12, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    chair = UserLink(verbose_name=_("chair"))
    # Occurrences are planned up to here; later ones by ``series_extend``. An occurrence
    # before it with no meeting was cancelled (EXDATE in the calendar).
    planned_until = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    created_by = UserLink()

    page_url_name = "meetings:series_detail"
    page_pk_kwarg = "series_pk"

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(interval__gte=1, interval__lte=12),
                name="meetingseries_interval_1_to_12",
                violation_error_message=_("The interval goes from 1 to 12."),
            ),
        ]
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")

    def __str__(self) -> str:
        return self.title

    @property
    def cadence_label(self) -> str:
        """ "every 2 weeks", "every month"."""
        n = self.interval
        if self.frequency == Frequency.MONTHLY:
            return ngettext("every month", "every %(n)s months", n) % {"n": n}
        return ngettext("every week", "every %(n)s weeks", n) % {"n": n}

    @property
    def is_ended(self) -> bool:
        return self.ended_at is not None


class Meeting(PartnershipPage, TimeStampedModel):
    partnership = PartnershipForeignKey(related_name="meetings")
    series = OptionalForeignKey(MeetingSeries, related_name="meetings", verbose_name=_("series"))
    # The start the series' rule gave this occurrence (iCalendar's RECURRENCE-ID); it stays
    # when the meeting itself is moved.
    occurrence_start = models.DateTimeField(null=True, blank=True, editable=False)
    series_exception = models.BooleanField(
        _("changed from its series"),
        default=False,
        help_text=_("Set when this one meeting of a series is edited on its own."),
    )
    working_group = OptionalForeignKey(
        "partnerships.WorkingGroup",
        related_name="meetings",
        verbose_name=_("working group"),
        help_text=_("Leave empty for a meeting of the whole partnership."),
    )
    title = models.CharField(_("title"), max_length=200)
    mode = models.CharField(
        _("format"), max_length=12, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    chair = UserLink(verbose_name=_("chair"))
    minutes_status = models.CharField(
        _("minutes"), max_length=12, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    minutes_approved_at = OptionalForeignKey(
        "self", related_name="approved_minutes", verbose_name=_("minutes approved at")
    )
    created_by = UserLink()

    page_url_name = "meetings:detail"

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [
            # Past meetings, newest first, read along (partnership, starts_at) with the end
            # time in the index; upcoming ones are the short range of (partnership, ends_at).
            models.Index(fields=["partnership", "starts_at", "ends_at"], name="meeting_by_start"),
            models.Index(fields=["partnership", "ends_at"], name="meeting_by_end"),
            models.Index(fields=["series", "starts_at"], name="meeting_by_series"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "occurrence_start"], name="meeting_one_per_occurrence"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
        ]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.title

    @property
    def has_happened(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_upcoming(self) -> bool:
        return self.starts_at > timezone.now()

    @property
    def proposed_items_label(self) -> str:
        """The label "3 proposed items", for meetings loaded with the ``proposed_count``
        annotation (``selectors.meetings_of``, ``selectors.next_meetings``)."""
        n = self.proposed_count  # type: ignore[attr-defined]
        return ngettext("%(n)s proposed item", "%(n)s proposed items", n) % {"n": n}


class ItemType(models.TextChoices):
    DECISION = "decision", _("Decision")
    DISCUSSION = "discussion", _("Discussion")
    INFORMATION = "information", _("Information")


class ItemStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("On the agenda")
    DEFERRED = "deferred", _("Deferred")


# The standard agenda, in order: key -> (title, type). Titles are shown in the reader's language.
STANDARD_ITEMS = {
    "quorum": (_("Welcome and quorum"), ItemType.INFORMATION),
    "adopt_agenda": (_("Adoption of the agenda"), ItemType.DECISION),
    "previous_minutes": (_("Approval of the previous minutes"), ItemType.DECISION),
    "business_arising": (_("Business arising from the minutes"), ItemType.DISCUSSION),
    "correspondence": (_("Correspondence"), ItemType.INFORMATION),
    "information": (_("Information items"), ItemType.INFORMATION),
    "substantive": (_("Substantive items"), ItemType.DISCUSSION),
    "tasks": (_("Tasks before the next meeting"), ItemType.DECISION),
    "assessment": (_("Meeting assessment"), ItemType.DISCUSSION),
    "next_meeting": (_("Next meeting"), ItemType.DECISION),
    "adjournment": (_("Adjournment"), ItemType.INFORMATION),
}


class AgendaItem(TimeStampedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("position"), default=0)
    standard = models.CharField(_("standard item"), max_length=30, blank=True)
    title = models.CharField(_("title"), max_length=200)
    item_type = models.CharField(
        _("type"), max_length=12, choices=ItemType.choices, default=ItemType.DISCUSSION
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.ACCEPTED
    )
    proposed_by = UserLink(verbose_name=_("proposed by"))
    notes = models.TextField(_("discussion highlights"), blank=True)

    class Meta:
        ordering = ["meeting", "position", "id"]
        indexes = [models.Index(fields=["meeting", "status"], name="agendaitem_by_status")]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return str(self.display_title)

    @property
    def display_title(self) -> str:
        if self.standard in STANDARD_ITEMS:
            return str(STANDARD_ITEMS[self.standard][0])
        return self.title


class MotionResult(models.TextChoices):
    UNANIMOUS = "unanimous", _("Adopted unanimously")
    MAJORITY = "majority", _("Adopted by majority")
    NOT_ADOPTED = "not_adopted", _("Not adopted")


class Motion(TimeStampedModel):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="motions")
    text = models.TextField(_("motion"))
    proposed_by = UserLink(blank=False, verbose_name=_("proposed by"))
    seconded_by = UserLink(blank=False, verbose_name=_("seconded by"))
    result = models.CharField(_("result"), max_length=12, choices=MotionResult.choices)
    votes_for = models.PositiveIntegerField(_("for"), default=0)
    votes_against = models.PositiveIntegerField(_("against"), default=0)
    abstentions = models.PositiveIntegerField(_("abstentions"), default=0)
    decision = models.OneToOneField(
        "decisions.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="motion",
    )

    class Meta:
        ordering = ["item", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(proposed_by=models.F("seconded_by")),
                name="motion_seconder_not_proposer",
                violation_error_message=_(
                    "A motion cannot be seconded by the person who proposed it."
                ),
            )
        ]
        verbose_name = _("motion")
        verbose_name_plural = _("motions")

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def adopted(self) -> bool:
        return self.result != MotionResult.NOT_ADOPTED


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    PLANNED_ABSENCE = "planned_absence", _("Planned absence")
    UNPLANNED_ABSENCE = "unplanned_absence", _("Unplanned absence")


class Attendance(TimeStampedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = OptionalForeignKey("organisations.Organisation", related_name="+")
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices)

    class Meta:
        ordering = ["meeting", "user__display_name", "id"]
        indexes = [models.Index(fields=["meeting", "status"], name="attendance_by_status")]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="attendance_unique_person")
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.user}: {self.status}"


class Assessment(TimeStampedModel):
    """An attendee's short rating of a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="assessments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    usefulness = models.PositiveSmallIntegerField(
        _("how useful was the meeting? (1–5)"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    run = models.PositiveSmallIntegerField(
        _("how well was it run? (1–5)"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)

    class Meta:
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="assessment_unique_person"),
            models.CheckConstraint(
                condition=Q(usefulness__gte=1, usefulness__lte=5, run__gte=1, run__lte=5),
                name="assessment_ratings_1_to_5",
                violation_error_message=_("Ratings go from 1 to 5."),
            ),
        ]
        verbose_name = _("meeting assessment")
        verbose_name_plural = _("meeting assessments")

    def __str__(self) -> str:
        return f"{self.meeting}: {self.usefulness}/{self.run}"


class CalendarFeedToken(TimeStampedModel):
    """A person's secret for calendar feeds (calendar apps cannot sign in).

    Only the SHA-256 digest is stored; the URL with the raw token is shown once.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed_token"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return f"feed token of {self.user}"
