"""Agreements between partners: forms, versions, ratification, and the members' compact."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonground.core.fields import OrganisationForeignKey, PartnershipForeignKey, UserLink
from commonground.core.models import PartnershipPage, TimeStampedModel


class Form(models.TextChoices):
    HANDSHAKE = "handshake", _("Handshake (informal)")
    MUTUAL = "mutual", _("Mutual agreement")
    MOU = "mou", _("Memorandum of understanding / letter of agreement")
    CONTRACT = "contract", _("Written contract")
    PENALTY_CONTRACT = "penalty_contract", _("Contract with performance penalties")


FORM_ORDER = [Form.HANDSHAKE, Form.MUTUAL, Form.MOU, Form.CONTRACT, Form.PENALTY_CONTRACT]


class Component(models.TextChoices):
    PARTIES = "parties", _("Parties")
    EXPECTATIONS = "expectations", _("Expectations")
    ROLES = "roles", _("Roles and responsibilities")
    TERMS = "terms", _("Terms of reference")
    DELIVERABLES = "deliverables", _("Deliverables")
    TIMELINES = "timelines", _("Timelines and milestones")
    RISKS = "risks", _("Dependencies and risks")
    REMUNERATION = "remuneration", _("Remuneration and cost sharing")
    IP = "ip", _("Intellectual property")
    CHANGE = "change", _("Procedure for managing change")
    DISPUTES = "disputes", _("Dispute resolution")
    REPORTING = "reporting", _("Reporting")
    TERMINATION = "termination", _("Termination and exit")
    CONTACTS = "contacts", _("Principal contacts")
    EMERGENCY = "emergency", _("Emergency access and contacts")
    INSURANCE = "insurance", _("Insurance and liability")


class ContextItem(models.TextChoices):
    LOCAL = "local", _("Local law and by-laws")
    REGIONAL = "regional", _("Regional law")
    NATIONAL = "national", _("National law")
    INTERNATIONAL = "international", _("International law and treaties")
    POLICY = "policy", _("Each party's own policies")
    PROCUREMENT = "procurement", _("Public procurement rules")
    FINANCING = "financing", _("Financing parameters (grants, state aid, budgets)")
    OPERATIONS = "operations", _("Operational parameters (permits, safety, data protection)")
    SOVEREIGNTY = "sovereignty", _("Sovereignty and indemnification rules")


class Template(models.TextChoices):
    BLANK = "blank", _("Blank")
    MOU = "mou", _("Memorandum of understanding")
    LETTER = "letter", _("Letter of agreement")


class Agreement(PartnershipPage, TimeStampedModel):
    partnership = PartnershipForeignKey(related_name="agreements")
    title = models.CharField(_("title"), max_length=200)
    form = models.CharField(_("form"), max_length=20, choices=Form.choices, default=Form.MOU)
    # Formality questions answered while drafting.
    funds_for_deliverables = models.BooleanField(
        _("funds change hands for deliverables"), default=False
    )
    assets_committed = models.BooleanField(
        _("parties commit assets, facilities or equipment"), default=False
    )
    staff_provided = models.BooleanField(_("staff are provided"), default=False)
    services_central = models.BooleanField(
        _("services or capacity provided are central to the goals"), default=False
    )
    third_party_contracts = models.BooleanField(
        _("existing third-party contracts are leveraged"), default=False
    )
    delivery_critical = models.BooleanField(
        _("late or failed delivery would cause real loss"), default=False
    )
    context_considered = models.JSONField(
        _("legal and regulatory context considered"), default=list, blank=True
    )
    created_by = UserLink()

    page_url_name = "agreements:detail"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.title


class AgreementVersion(models.Model):
    """One immutable text of an agreement. Edits make a new version; nothing is overwritten."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    is_amendment = models.BooleanField(_("amendment"), default=False)
    title = models.CharField(_("title"), max_length=200)
    form = models.CharField(_("form"), max_length=20, choices=Form.choices)
    parties = models.ManyToManyField(
        "organisations.Organisation", related_name="+", verbose_name=_("parties")
    )
    start_on = models.DateField(_("starts on"), null=True, blank=True)
    end_on = models.DateField(_("ends on"), null=True, blank=True)
    trial_months = models.PositiveIntegerField(_("trial period (months)"), null=True, blank=True)
    clauses = models.JSONField(_("clauses"), default=dict)
    text = models.TextField(_("full text"))
    sha256 = models.CharField(_("SHA-256 of the text"), max_length=64)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    ratified_at = models.DateTimeField(_("ratified by all parties"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = UserLink()

    class Meta:
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_version_unique")
        ]
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "agreements:version",
            kwargs={
                "slug": self.agreement.partnership.slug,
                "pk": self.agreement_id,
                "number": self.number,
            },
        )

    @property
    def shown_note(self) -> str:
        """What changed, in the reader's language: a typed note as typed; the default
        notes ("First draft", "Amendment") are stored blank and translated here."""
        if self.note:
            return self.note
        if self.number == 1:
            return str(_("First draft"))
        if self.is_amendment:
            return str(_("Amendment"))
        return ""

    def clause_list(self) -> list[dict[str, str]]:
        return [
            {"component": c, "label": str(Component(c).label), "text": self.clauses.get(c, "")}
            for c in Component.values
        ]


class Ratification(models.Model):
    """A party's signature on one exact version. Never edited or deleted."""

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="ratifications"
    )
    organisation = OrganisationForeignKey(related_name="+")
    user = UserLink(blank=False)
    signer_name = models.CharField(_("name"), max_length=200)
    signer_title = models.CharField(_("title"), max_length=200, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    text_sha256 = models.CharField(_("SHA-256 of the text ratified"), max_length=64)
    ratified_at = models.DateTimeField(_("ratified at"), auto_now_add=True)

    class Meta:
        ordering = ["ratified_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "organisation"], name="ratification_one_per_party"
            )
        ]
        verbose_name = _("ratification")
        verbose_name_plural = _("ratifications")

    def __str__(self) -> str:
        return f"{self.organisation_name} — {self.signer_name}"


class TerminationNotice(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="termination_notices"
    )
    organisation = OrganisationForeignKey(related_name="+")
    given_by = UserLink(blank=False)
    given_on = models.DateField(_("given on"))
    effective_on = models.DateField(_("takes effect on"))
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["given_on", "id"]
        verbose_name = _("notice of termination")
        verbose_name_plural = _("notices of termination")

    def __str__(self) -> str:
        return f"{self.organisation} → {self.effective_on}"


class Compact(PartnershipPage, TimeStampedModel):
    """A members' compact: principles and behaviours, signed voluntarily."""

    partnership = PartnershipForeignKey(related_name="compacts")
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    created_by = UserLink()

    page_url_name = "agreements:compact"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("members' compact")
        verbose_name_plural = _("members' compacts")

    def __str__(self) -> str:
        return self.title


class Principle(models.Model):
    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="principles")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(_("principle"), max_length=200)
    behaviours = models.TextField(_("what it looks like in practice"), blank=True)

    class Meta:
        ordering = ["compact", "order", "id"]
        verbose_name = _("principle")
        verbose_name_plural = _("principles")

    def __str__(self) -> str:
        return self.title


class CompactSignature(models.Model):
    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="signatures")
    organisation = OrganisationForeignKey(related_name="+")
    signed_by = UserLink(blank=False)
    signer_title = models.CharField(_("title"), max_length=200, blank=True)
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["compact", "organisation"], name="compact_sign_once")
        ]
        verbose_name = _("compact signature")
        verbose_name_plural = _("compact signatures")

    def __str__(self) -> str:
        return str(self.organisation)


class SelfAssessment(models.Model):
    """How far a member lives one principle, scored 1–5 once a year."""

    principle = models.ForeignKey(Principle, on_delete=models.CASCADE, related_name="assessments")
    organisation = OrganisationForeignKey(related_name="+")
    year = models.PositiveIntegerField(_("year"))
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    assessed_by = UserLink(blank=False)
    assessed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["principle", "organisation", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["principle", "organisation", "year"], name="self_assessment_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1) & models.Q(score__lte=5),
                name="self_assessment_score_range",
            ),
        ]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}: {self.score}"


class StartScope(models.TextChoices):
    ONE = "one", _("Start with one partner, then widen the circle")
    MANY = "many", _("Start with several partners at once")


class StartDecision(TimeStampedModel):
    """The agree phase's first choice: begin with one partner or with many, and why."""

    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="start_decision"
    )
    scope = models.CharField(_("how to start"), max_length=4, choices=StartScope.choices)
    reason = models.TextField(_("why"), blank=True)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("decision on how to start")
        verbose_name_plural = _("decisions on how to start")

    def __str__(self) -> str:
        return self.get_scope_display()
