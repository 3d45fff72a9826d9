"""Finding and assessing partners: the prospect pipeline, contact log,
assessment scorecards, the partnership's needs and self-assessments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from commonground.core.fields import OrganisationForeignKey, PartnershipForeignKey, UserLink
from commonground.core.models import TimeStampedModel
from commonground.organisations.models import ResourceCategory


class Stage(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    RESEARCHED = "researched", _("Researched")
    CONTACTED = "contacted", _("Contacted")
    MET = "met", _("Met")
    ASSESSED = "assessed", _("Assessed")
    INVITED = "invited", _("Invited")
    JOINED = "joined", _("Joined")
    DECLINED = "declined", _("Declined")
    PARKED = "parked", _("Parked")


# Stages in which a prospect is still being worked on.
OPEN_STAGES = [
    Stage.IDENTIFIED,
    Stage.RESEARCHED,
    Stage.CONTACTED,
    Stage.MET,
    Stage.ASSESSED,
    Stage.INVITED,
]


class Prospect(TimeStampedModel):
    """An organisation the partnership is considering, with its research record."""

    partnership = PartnershipForeignKey(related_name="prospects")
    organisation = OrganisationForeignKey(related_name="prospect_records")
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.IDENTIFIED
    )
    owner = UserLink(verbose_name=_("followed up by"))
    why_approach = models.TextField(_("why approach them"), blank=True)
    could_bring = models.TextField(_("what they could bring"), blank=True)
    vision = models.TextField(_("vision"), blank=True)
    mandate = models.TextField(_("mandate"), blank=True)
    services = models.TextField(_("services"), blank=True)
    strategic_plan = models.TextField(_("strategic plan"), blank=True)
    existing_partners = models.TextField(_("existing partners"), blank=True)
    stage_changed_on = models.DateField(_("stage changed on"), null=True, blank=True)
    created_by = UserLink()

    class Meta:
        ordering = ["organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="prospect_unique_org"
            ),
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values), name="prospect_known_stage"
            ),
        ]
        indexes = [models.Index(fields=["partnership", "stage"])]
        verbose_name = _("prospect")
        verbose_name_plural = _("prospects")

    def __str__(self) -> str:
        return str(self.organisation)


class ContactKind(models.TextChoices):
    CALL = "call", _("Call")
    EMAIL = "email", _("Email")
    MEETING = "meeting", _("Meeting")


class ContactLog(TimeStampedModel):
    prospect = models.ForeignKey(Prospect, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    happened_on = models.DateField(_("date"))
    who = models.CharField(_("who we spoke with"), max_length=200)
    by = UserLink(blank=False, verbose_name=_("recorded by"))
    outcome = models.TextField(_("outcome"), blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)

    class Meta:
        ordering = ["-happened_on", "-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on}"


class CriterionGroup(models.TextChoices):
    COMPATIBILITY = "compatibility", _("Compatibility check")
    ASSESSMENT = "assessment", _("Assessment questions")
    SELECTION = "selection", _("Selection criteria")


class Criterion(TimeStampedModel):
    """One weighted question on the partnership's scorecard."""

    partnership = PartnershipForeignKey(related_name="prospect_criteria")
    group = models.CharField(_("group"), max_length=20, choices=CriterionGroup.choices)
    label = models.CharField(_("criterion"), max_length=200)
    # A default criterion's message key, so it reads in each reader's language; blank for
    # criteria people typed (``label`` is then what they typed).
    label_key = models.CharField(_("criterion key"), max_length=200, blank=True, default="")
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, help_text=_("0 (ignored) to 10.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "label"], name="prospect_criterion_unique_label"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=10), name="prospect_criterion_weight_range"
            ),
        ]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The criterion in the active language (as typed, for criteria people added)."""
        return gettext(self.label_key) if self.label_key else self.label


class Score(TimeStampedModel):
    """One assessor's score (1–5) of one prospect on one criterion."""

    prospect = models.ForeignKey(Prospect, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    value = models.PositiveSmallIntegerField(_("score"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["criterion__position", "criterion_id", "assessor_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["prospect", "criterion", "assessor"], name="prospect_score_unique"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=1, value__lte=5), name="prospect_score_range"
            ),
        ]
        verbose_name = _("score")
        verbose_name_plural = _("scores")


class Priority(models.IntegerChoices):
    HIGH = 1, _("High")
    MEDIUM = 2, _("Medium")
    LOW = 3, _("Low")


class Need(TimeStampedModel):
    """Something the partnership needs, by resource category."""

    partnership = PartnershipForeignKey(related_name="prospect_needs")
    category = models.CharField(
        _("resource category"), max_length=20, choices=ResourceCategory.choices
    )
    description = models.CharField(_("what exactly"), max_length=300, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )

    class Meta:
        ordering = ["priority", "category", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "category"], name="prospect_need_unique_category"
            ),
        ]
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self) -> str:
        return self.get_category_display()


class AssessmentKind(models.TextChoices):
    PERSON = "person", _("Partnering competencies (a person)")
    ORGANISATION = "organisation", _("Fit for partnering (an organisation)")


# The four dimensions of each kind, in the order of score_1 … score_4.
DIMENSIONS = {
    AssessmentKind.PERSON: [
        _("Mindset"),
        _("Understanding"),
        _("Skills"),
        _("Technical knowledge"),
    ],
    AssessmentKind.ORGANISATION: [
        _("Leadership and strategy"),
        _("Systems and processes"),
        _("Skills and support"),
        _("Partnering culture"),
    ],
}


class SelfAssessment(TimeStampedModel):
    """A person rates themselves, or their organisation, on four dimensions (1–5)."""

    partnership = PartnershipForeignKey(related_name="self_assessments")
    kind = models.CharField(_("kind"), max_length=12, choices=AssessmentKind.choices)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    score_1 = models.PositiveSmallIntegerField()
    score_2 = models.PositiveSmallIntegerField()
    score_3 = models.PositiveSmallIntegerField()
    score_4 = models.PositiveSmallIntegerField()
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score_1__gte=1, score_1__lte=5)
                & Q(score_2__gte=1, score_2__lte=5)
                & Q(score_3__gte=1, score_3__lte=5)
                & Q(score_4__gte=1, score_4__lte=5),
                name="prospect_self_assessment_range",
            ),
            models.CheckConstraint(
                condition=Q(kind="person") | Q(organisation__isnull=False),
                name="prospect_self_assessment_org_given",
            ),
        ]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")

    @property
    def scores(self) -> list[int]:
        return [self.score_1, self.score_2, self.score_3, self.score_4]

    @property
    def subject(self) -> str:
        return (
            str(self.organisation) if self.kind == AssessmentKind.ORGANISATION else str(self.person)
        )
