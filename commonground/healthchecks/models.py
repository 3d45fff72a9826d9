"""Anonymous yearly partnership health checks.

Anonymity is built into the schema, not left to good manners:

* :class:`Response` and :class:`Answer` hold what someone answered and have
  **no** link to a person or to an :class:`Invitation`.
* :class:`Invitation` records only *that* a person responded (``answered``),
  never what they said nor when.
* While a round is open, each answer set waits in :class:`SealedResponse`,
  which nothing reads. Closing the round writes them to :class:`Response` and
  :class:`Answer` in a random order and securely deletes the sealed rows
  (:mod:`commonground.core.anonymity`), so neither storage order nor a time
  lines up answers with invitations, and no result exists before the close.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonground.core.fields import OptionalForeignKey, PartnershipForeignKey, UserLink
from commonground.core.models import PartnershipPage, TimeStampedModel


class ItemKind(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement, 1 (strongly disagree) to 5 (strongly agree)")
    CONTINUUM = "continuum", _("Continuum, 1 (transactional) to 5 (transformational)")
    TEXT = "text", _("Open text")


class Section(models.TextChoices):
    HEALTH = "health", _("How the partnership works")
    PRINCIPLES = "principles", _("Principles")
    CONTINUUM = "continuum", _("Kind of relationship")
    VALUES = "values", _("Our compact's values in practice")
    SWOT = "swot", _("Strengths, weaknesses, opportunities, threats")
    OPEN = "open", _("Anything else")


class SurveyItem(TimeStampedModel):
    """One question of a partnership's health check.

    ``key`` is the item's identity across years: rewording keeps the key, so
    trends compare like with like; a new question gets a new key.
    """

    partnership = PartnershipForeignKey(related_name="survey_items")
    key = models.SlugField(_("key"), max_length=60)
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    kind = models.CharField(_("answer type"), max_length=20, choices=ItemKind.choices)
    text = models.CharField(_("question"), max_length=300)
    reference_mean = models.DecimalField(
        _("reference figure"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("A published baseline mean from another alliance, shown for comparison."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "key"], name="survey_item_unique_key")
        ]
        verbose_name = _("survey item")
        verbose_name_plural = _("survey items")

    def __str__(self) -> str:
        return self.text


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", _("Closed")
    PUBLISHED = "published", _("Results published")


class Round(PartnershipPage, TimeStampedModel):
    partnership = PartnershipForeignKey(related_name="health_rounds")
    working_group = OptionalForeignKey(
        "partnerships.WorkingGroup",
        related_name="+",
        verbose_name=_("working group"),
        help_text=_("Leave empty to ask the whole partnership."),
    )
    title = models.CharField(_("title"), max_length=200)
    period = models.CharField(_("period"), max_length=40, help_text=_("e.g. 2026"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_by = UserLink()

    page_url_name = "healthchecks:round_detail"

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("health-check round")
        verbose_name_plural = _("health-check rounds")

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == RoundStatus.PUBLISHED


class RoundItem(models.Model):
    """The wording of an item as asked in one round (rewording later leaves history intact)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(SurveyItem, on_delete=models.CASCADE, related_name="round_items")
    key = models.SlugField(max_length=60)
    section = models.CharField(max_length=20, choices=Section.choices)
    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "key"], name="round_item_unique_key")
        ]

    def __str__(self) -> str:
        return self.text


class Invitation(models.Model):
    """That a person was asked, and whether (not what) they answered."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="health_invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    sent_on = models.DateField()
    reminded_on = models.DateField(null=True, blank=True)
    # Whether the link was used. No date or time: it must not line up with a response.
    answered = models.BooleanField(default=False)

    class Meta:
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="health_invitation_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.round}"


class SealedResponse(models.Model):
    """An answer set waiting for its round to close: read by nothing but the close.

    ``answers`` is a list of ``[round item key, score or null, text]``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="sealed")
    sector = models.CharField(max_length=20, blank=True)
    answers = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"sealed response to {self.round_id}"


class Response(models.Model):
    """One anonymous set of answers, written at close. No person, no invitation, no time,
    and no sector either: in a small sector that would single its respondent out to
    anyone who reads the table. The breakdown by sector is kept as :class:`BreakdownCell`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")

    class Meta:
        ordering = ["round", "id"]

    def __str__(self) -> str:
        return f"response to {self.round_id}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(RoundItem, on_delete=models.CASCADE, related_name="answers")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["item", "id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="answer_unique_item")
        ]
        # Score distributions and means are counted in this index alone.
        indexes = [models.Index(fields=["item", "score"], name="answer_by_item_score")]

    def __str__(self) -> str:
        return f"answer to {self.item_id}"


class BreakdownCell(models.Model):
    """One group of an item's breakdown (by sector), fixed when the round closes.

    Only what may be published is stored: a hidden group keeps no count and no sum
    (``n`` and ``total`` are null), so not even the database holds a small group's
    answers. The groups to hide follow ``selectors.suppress_cells``.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="breakdown")
    item = models.ForeignKey(RoundItem, on_delete=models.CASCADE, related_name="breakdown")
    grouping = models.CharField(max_length=20, default="sector")
    group = models.CharField(max_length=40, blank=True)
    n = models.PositiveIntegerField(null=True, blank=True)
    total = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["item", "grouping", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "grouping", "group"], name="breakdown_cell_unique_group"
            ),
            models.CheckConstraint(
                condition=(models.Q(n__isnull=True, total__isnull=True) | models.Q(n__gte=5)),
                name="breakdown_cell_hidden_or_at_least_five",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grouping}={self.group} on {self.item_id}"


class ReferenceRate(TimeStampedModel):
    """The response rate a partnership compares its rounds with.

    Without a row, the method's baseline applies (``defaults.REFERENCE_RATE_*``:
    25 of 32 invited, 78%). ``invited = 0`` means the partnership shows no reference rate.
    """

    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="health_reference_rate"
    )
    answered = models.PositiveIntegerField(_("answered"))
    invited = models.PositiveIntegerField(_("invited"))

    class Meta:
        verbose_name = _("reference response rate")
        verbose_name_plural = _("reference response rates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answered__lte=models.F("invited")),
                name="reference_rate_answered_within_invited",
            )
        ]

    def __str__(self) -> str:
        return f"{self.answered}/{self.invited}"


class FollowUpNote(TimeStampedModel):
    """What follow-up interviews with members found after a round.

    Written by managers once the round has closed; members read it once the results
    are published. It belongs to the round only: nothing links it to an invitation, a
    response or an answer, so no note can point at what one person said.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="follow_up_notes")
    held_on = models.DateField(_("interviews held on"), null=True, blank=True)
    text = models.TextField(_("what the interviews found"))
    written_by = UserLink()

    class Meta:
        ordering = ["round", "created_at", "id"]
        verbose_name = _("follow-up interview note")
        verbose_name_plural = _("follow-up interview notes")

    def __str__(self) -> str:
        return f"note on {self.round_id}"


class NextRoundReminder(models.Model):
    """That the managers were told a yearly round is due (once per due date)."""

    partnership = PartnershipForeignKey(related_name="+")
    due_on = models.DateField()
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "due_on"], name="next_round_reminder_once_per_due_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership_id} due {self.due_on}"
