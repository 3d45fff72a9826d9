"""What a partnership records while it follows the method.

The method's own text (phases, steps, elements, ...) is content, not data: see
``content.py``. Records here point at content by its stable codes.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonground.core.fields import PartnershipForeignKey, UserLink
from commonground.core.models import TimeStampedModel

USER = settings.AUTH_USER_MODEL


def phase_title(code: str) -> str:
    from .content import method

    try:
        return str(method().phase(code).title)
    except KeyError:
        return code


class ChecklistTick(models.Model):
    """One ticked checklist item (``item_key`` = "phase.step.item")."""

    partnership = PartnershipForeignKey(related_name="method_ticks")
    item_key = models.CharField(max_length=120)
    phase = models.CharField(max_length=20)
    ticked_by = UserLink(blank=False)
    ticked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "item_key"], name="method_tick_unique")
        ]
        ordering = ["partnership", "item_key"]

    def __str__(self) -> str:
        return self.item_key


class StepNote(models.Model):
    """The partnership's working notes on one step (``step_key`` = "phase.step")."""

    partnership = PartnershipForeignKey(related_name="method_notes")
    step_key = models.CharField(max_length=80)
    text = models.TextField(_("notes"), blank=True)
    updated_by = UserLink(blank=False)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "step_key"], name="method_note_unique")
        ]

    def __str__(self) -> str:
        return self.step_key


class PhaseState(models.Model):
    """Whether a phase is completed for a partnership (absent = open)."""

    partnership = PartnershipForeignKey(related_name="method_phase_states")
    phase = models.CharField(max_length=20)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = UserLink()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "phase"], name="method_phase_unique")
        ]

    def __str__(self) -> str:
        return self.phase


class PhaseMoveKind(models.TextChoices):
    COMPLETE = "complete", _("Completed the phase")
    REOPEN = "reopen", _("Reopened the phase")
    SEND_BACK = "send_back", _("Sent back to an earlier phase")


class PhaseMove(models.Model):
    """The log of phase moves: the method is iterative, so moves go both ways."""

    partnership = PartnershipForeignKey(related_name="method_phase_moves")
    kind = models.CharField(max_length=12, choices=PhaseMoveKind.choices)
    from_phase = models.CharField(max_length=20)
    to_phase = models.CharField(max_length=20)
    reason = models.TextField(_("reason"), blank=True)
    actor = UserLink(blank=False)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.from_phase} -> {self.to_phase}"

    @property
    def from_title(self) -> str:
        return phase_title(self.from_phase)

    @property
    def to_title(self) -> str:
        return phase_title(self.to_phase)


class NeedStill(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class MilestoneReview(models.Model):
    """The three review questions asked at the end of a phase."""

    partnership = PartnershipForeignKey(related_name="method_reviews")
    phase = models.CharField(max_length=20)
    need_still_there = models.CharField(
        _("Is the need still there?"), max_length=8, choices=NeedStill.choices
    )
    need_comment = models.TextField(_("What tells you so?"), blank=True)
    gaps = models.TextField(_("Which gaps or shortcomings do you see?"))
    changes = models.TextField(_("How should the partnership change?"))
    reviewed_by = UserLink(blank=False)
    reviewed_at = models.DateTimeField()

    class Meta:
        ordering = ["-reviewed_at", "-id"]

    def __str__(self) -> str:
        return f"review of {self.phase}"

    @property
    def phase_title(self) -> str:
        return phase_title(self.phase)


class ElementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Agreed")


class DesignElementRecord(TimeStampedModel):
    """The partnership's current answer for one design element (``element`` = content code).

    ``version`` counts saves; a form carries the version it was based on, and a
    save based on an older version is refused (see services.element_save).
    """

    partnership = PartnershipForeignKey(related_name="design_elements")
    element = models.CharField(max_length=40)
    text = models.TextField(_("agreed answer"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ElementStatus.choices, default=ElementStatus.DRAFT
    )
    agreed_by = models.CharField(_("agreed by"), max_length=300, blank=True)
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    revisit_on = models.DateField(_("revisit on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = UserLink()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "element"], name="method_element_unique")
        ]

    def __str__(self) -> str:
        return f"{self.element} v{self.version}"


class DesignElementVersion(models.Model):
    record = models.ForeignKey(
        DesignElementRecord, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=ElementStatus.choices)
    agreed_by = models.CharField(max_length=300, blank=True)
    agreed_on = models.DateField(null=True, blank=True)
    revisit_on = models.DateField(null=True, blank=True)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    author = UserLink(blank=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["record", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["record", "number"], name="method_version_unique")
        ]

    def __str__(self) -> str:
        return f"v{self.number}"


class ProfileChoice(models.Model):
    """The chosen type for one structure-profile trait or factor."""

    partnership = PartnershipForeignKey(related_name="profile_choices")
    dimension = models.CharField(max_length=40)
    choice = models.CharField(max_length=40)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_by = UserLink(blank=False)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "dimension"], name="method_profile_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.choice}"


class TrustStageEntry(models.Model):
    """Where the partnership stood on the trust-building cycle, from a date on."""

    partnership = PartnershipForeignKey(related_name="trust_stages")
    stage = models.CharField(_("stage"), max_length=20)
    on = models.DateField(_("from"))
    note = models.TextField(_("what shows it"), blank=True)
    recorded_by = UserLink(blank=False)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.stage} from {self.on}"


class ProblemCycle(TimeStampedModel):
    """One turn of the problem-solving cycle: observe, interpret, test, learn."""

    partnership = PartnershipForeignKey(related_name="problem_cycles")
    title = models.CharField(_("title"), max_length=200)
    observation = models.TextField(_("observation"))
    interpretation = models.TextField(_("interpretation"), blank=True)
    solution = models.TextField(_("solution tested"), blank=True)
    learning = models.TextField(_("effectiveness and learning"), blank=True)
    started_on = models.DateField(_("started on"))
    recorded_by = UserLink(blank=False)

    class Meta:
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def stage(self) -> str:
        if self.learning:
            return "learning"
        if self.solution:
            return "solution"
        if self.interpretation:
            return "interpretation"
        return "observation"


class SpectrumRating(models.Model):
    """One person's rating of one relationship-spectrum dimension: now and aim, 1–5."""

    partnership = PartnershipForeignKey(related_name="spectrum_ratings")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=40)
    now = models.PositiveSmallIntegerField(
        _("where we are"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    aim = models.PositiveSmallIntegerField(
        _("where we want to be"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user", "dimension"], name="method_rating_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(now__gte=1, now__lte=5, aim__gte=1, aim__lte=5),
                name="method_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.now}/{self.aim}"


class GlossaryTerm(TimeStampedModel):
    partnership = PartnershipForeignKey(related_name="glossary_terms")
    preferred = models.CharField(_("preferred term"), max_length=120)
    avoid = models.CharField(_("term to avoid"), max_length=120, blank=True)
    definition = models.TextField(_("definition"))
    updated_by = UserLink()

    class Meta:
        ordering = ["preferred", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "preferred"], name="method_glossary_unique"
            )
        ]

    def __str__(self) -> str:
        return self.preferred
