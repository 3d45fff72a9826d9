"""Mapping the system around a partnership.

* ``Relationship``: a typed, dated link between two organisations, entered by
  the partnership's members (or derived from a system-mapping survey). It
  belongs to one partnership and is seen only by people who may see it.
  ``TieCount`` keeps how many each organisation has, by partnership and kind.
* ``Survey`` / ``SurveyInvitation`` / ``SurveyResponse`` (+ programmes and
  funders): the system-mapping questionnaire sent to organisations in the area.
* ``PrepToolVersion``: the preparation tools (self-rating, stop/start/continue,
  benefits and drawbacks, resources and limitations); every save is a new
  version, so the history is kept.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from commonground.core.fields import OptionalForeignKey, PartnershipForeignKey, UserLink
from commonground.core.models import TimeStampedModel


class RelationshipKind(models.TextChoices):
    MEMBER_OF = "member_of", _("member of")
    CONTRIBUTES_TO = "contributes_to", _("contributes to")
    FUNDS = "funds", _("funds")
    REFERS = "refers", _("refers clients to")
    SHARES_DATA = "shares_data", _("shares data with")
    COMPETES = "competes", _("competes with")
    INFORMAL = "informal", _("informal link")


class Confidence(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Origin(models.TextChoices):
    ENTERED = "entered", _("Entered by hand")
    SURVEY = "survey", _("From the system-mapping survey")


class Relationship(TimeStampedModel):
    partnership = PartnershipForeignKey(related_name="relationships")
    source = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="relationships_out",
        verbose_name=_("from organisation"),
    )
    target = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="relationships_in",
        verbose_name=_("to organisation"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=RelationshipKind.choices)
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=10, choices=Confidence.choices, default=Confidence.MEDIUM
    )
    evidence = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Where this comes from: a meeting, a report, a conversation."),
    )
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.ENTERED
    )
    survey_response = OptionalForeignKey("SurveyResponse", related_name="relationships")
    created_by = UserLink()

    class Meta:
        ordering = ["source__name", "kind", "target__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=F("target")),
                name="relationship_not_to_itself",
                violation_error_message=_(
                    "An organisation cannot have a relationship with itself."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="relationship_dates_in_order",
                violation_error_message=_("The end date must be on or after the start date."),
            ),
        ]
        indexes = [
            models.Index(fields=["partnership", "kind"]),
            models.Index(fields=["partnership", "-created_at", "-id"], name="relationship_newest"),
        ]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"


class TieCount(models.Model):
    """How many relationships of one kind an organisation has in a partnership (as
    either end): the system map ranks organisations by these without reading every
    relationship. Kept by the signal handlers in ``ties.py``; never edited by hand."""

    partnership = PartnershipForeignKey(related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)
    ties = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation", "kind"], name="tie_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.kind} ×{self.ties} in {self.partnership_id}"


class ServiceType(models.TextChoices):
    REPAIR = "repair", _("Repair and maintenance")
    REUSE = "reuse", _("Reuse and second-hand")
    COLLECTION = "collection", _("Collection and sorting")
    TRAINING = "training", _("Training and jobs")
    EDUCATION = "education", _("Education and awareness")
    ADVICE = "advice", _("Advice and guidance")
    SOCIAL = "social", _("Social support")
    RESEARCH = "research", _("Research and testing")
    FUNDING = "funding", _("Funding and grants")
    OTHER = "other", _("Other")


class Coordination(models.TextChoices):
    NONE = "none", _("We do not take part in coordination")
    INFORMED = "informed", _("We are kept informed")
    OCCASIONAL = "occasional", _("We join now and then")
    REGULAR = "regular", _("We take part regularly")
    LEAD = "lead", _("We lead or host coordination")


class SpareCapacity(models.TextChoices):
    FULL = "full", _("We are full")
    SOME = "some", _("We could take a few more")
    ROOM = "room", _("We have room for many more")


class Survey(TimeStampedModel):
    partnership = PartnershipForeignKey(related_name="surveys")
    title = models.CharField(_("title"), max_length=200)
    area = models.CharField(_("area"), max_length=200, blank=True)
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("Shown to respondents above the questions.")
    )
    is_open = models.BooleanField(_("open for answers"), default=True)
    created_by = UserLink()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("system-mapping survey")
        verbose_name_plural = _("system-mapping surveys")

    def __str__(self) -> str:
        return self.title


class SurveyInvitation(TimeStampedModel):
    """A one-use link for one contact at one organisation (the token is stored hashed)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
        help_text=_("Leave empty if the organisation is not in the directory yet."),
    )
    organisation_name = models.CharField(_("organisation name"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120)
    contact_email = models.EmailField(_("contact email"), blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")

    def __str__(self) -> str:
        return f"{self.contact_name} ({self.display_name})"

    @property
    def display_name(self) -> str:
        return self.organisation.name if self.organisation is not None else self.organisation_name


class SurveyResponse(TimeStampedModel):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    invitation = models.OneToOneField(
        SurveyInvitation, on_delete=models.CASCADE, related_name="response"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    respondent_name = models.CharField(_("your name"), max_length=120)
    services = models.TextField(_("services you provide"), blank=True)
    target_groups = models.TextField(_("target groups"), blank=True)
    funded_role = models.TextField(_("the role you are funded for"), blank=True)
    actual_role = models.TextField(_("the role you actually play"), blank=True)
    referral_rules = models.TextField(_("referral rules"), blank=True)
    eligibility_rules = models.TextField(_("eligibility rules"), blank=True)
    data_collected = models.TextField(_("data you collect"), blank=True)
    coordination = models.CharField(
        _("participation in coordination"),
        max_length=12,
        choices=Coordination.choices,
        default=Coordination.NONE,
    )
    coordination_notes = models.TextField(_("which coordination bodies"), blank=True)
    spare_capacity = models.CharField(
        _("room for more"), max_length=10, choices=SpareCapacity.choices, blank=True
    )
    capacity_limits = models.TextField(_("what limits your capacity"), blank=True)
    funding_security = models.TextField(_("how secure your funding is"), blank=True)
    public_links = models.TextField(_("links to public systems"), blank=True)

    class Meta:
        ordering = ["organisation__name", "id"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return f"{self.organisation} — {self.survey}"


class SurveyProgramme(models.Model):
    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="programmes"
    )
    name = models.CharField(_("programme"), max_length=200)
    service_type = models.CharField(_("service type"), max_length=20, choices=ServiceType.choices)
    capacity = models.PositiveIntegerField(
        _("capacity (places)"), null=True, blank=True, help_text=_("How many at a time.")
    )
    participants_per_year = models.PositiveIntegerField(
        _("participants per year"), null=True, blank=True
    )

    class Meta:
        ordering = ["service_type", "name", "id"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class SurveyFunder(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="funders")
    funder = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    expectations = models.TextField(_("what the funder expects"), blank=True)

    class Meta:
        ordering = ["funder__name", "id"]

    def __str__(self) -> str:
        return str(self.funder)


class SurveyReferral(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="referrals")
    partner = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["partner__name", "id"]

    def __str__(self) -> str:
        return str(self.partner)


class PrepTool(models.TextChoices):
    SELF_RATING = "self_rating", _("Self-rating and next half-step")
    STOP_START_CONTINUE = "stop_start_continue", _("Stop / start / continue")
    BENEFITS = "benefits", _("Benefits and drawbacks")
    RESOURCES = "resources", _("Resources and limitations")
    OBSTACLES = "obstacles", _("Obstacles to partnering")
    BENEFIT_KINDS = "benefit_kinds", _("Kinds of benefit")
    WHEN_TO_PARTNER = "when_to_partner", _("Is a partnership the right tool?")
    STRENGTHS = "strengths", _("Strengths to assess")


class PrepToolVersion(models.Model):
    """One saved version of a preparation tool; the newest is the current one."""

    partnership = PartnershipForeignKey(related_name="prep_tool_versions")
    tool = models.CharField(_("tool"), max_length=30, choices=PrepTool.choices)
    version = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"), default=dict)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = UserLink()
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        ordering = ["partnership", "tool", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "tool", "version"], name="prep_tool_unique_version"
            )
        ]
        verbose_name = _("preparation tool version")
        verbose_name_plural = _("preparation tool versions")

    def __str__(self) -> str:
        return f"{self.get_tool_display()} v{self.version}"
