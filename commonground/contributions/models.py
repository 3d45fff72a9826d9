"""The contributions ledger: what each member organisation brings, to whom, and when."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonground.core.fields import (
    OptionalForeignKey,
    OrganisationForeignKey,
    PartnershipForeignKey,
    UserLink,
)
from commonground.core.models import PartnershipPage, TimeStampedModel

# ISO 4217 codes the ledger accepts. Rates between them are entered by the partnership.
CURRENCIES = [
    "NOK", "SEK", "DKK", "ISK", "EUR", "USD", "GBP", "CHF", "PLN", "CZK", "HUF", "RON",
    "BGN", "CAD", "AUD", "NZD", "JPY", "CNY", "INR", "BRL", "MXN", "ZAR", "KES", "NGN",
    "GHS", "TZS", "UGX", "SGD", "HKD", "KRW",
]  # fmt: skip
CURRENCY_CHOICES = [(c, c) for c in CURRENCIES]
ZERO = Decimal("0")


class Kind(models.TextChoices):
    FUNDING = "funding", _("Funding")
    IN_KIND = "in_kind", _("In-kind services and staff")
    ASSET = "asset", _("Assets and facilities")
    DATA = "data", _("Data")
    OTHER = "other", _("Other resources")


class Status(models.TextChoices):
    PLEDGED = "pledged", _("Pledged")
    COMMITTED = "committed", _("Committed")
    DELIVERED = "delivered", _("Delivered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Allowed status changes: pledged → committed → delivered, or withdrawn before delivery.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.PLEDGED: (Status.COMMITTED, Status.WITHDRAWN),
    Status.COMMITTED: (Status.DELIVERED, Status.WITHDRAWN),
    Status.DELIVERED: (),
    Status.WITHDRAWN: (),
}
OPEN_STATUSES = (Status.PLEDGED, Status.COMMITTED)


class RecipientKind(models.TextChoices):
    PARTNERSHIP = "partnership", _("The partnership as a whole")
    WORKING_GROUP = "working_group", _("A working group")
    MEMBER = "member", _("Another member organisation")


class ValuationMethod(models.TextChoices):
    NONE = "", _("Not valued")
    MARKET = "market", _("Market price of the same service or item")
    COST = "cost", _("Cost to the contributing organisation")
    HOURLY = "hourly", _("Hours times an agreed hourly rate")
    AGREED = "agreed", _("Value agreed by the partners")
    BOOK = "book", _("Book value of the asset")


class LedgerSettings(models.Model):
    """The currency the partnership reports its totals in."""

    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="ledger_settings"
    )
    base_currency = models.CharField(
        _("reporting currency"), max_length=3, choices=CURRENCY_CHOICES, default="NOK"
    )

    class Meta:
        verbose_name = _("ledger settings")
        verbose_name_plural = _("ledger settings")

    def __str__(self) -> str:
        return self.base_currency


class ExchangeRate(TimeStampedModel):
    """One unit of ``currency`` is worth ``rate`` units of the reporting currency."""

    partnership = PartnershipForeignKey(related_name="exchange_rates")
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    rate = models.DecimalField(
        _("rate"),
        max_digits=18,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("0.000001"))],
    )
    note = models.CharField(_("source of the rate"), max_length=200, blank=True)

    class Meta:
        ordering = ["currency"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "currency"], name="ledger_rate_unique")
        ]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate}"


class Contribution(PartnershipPage, TimeStampedModel):
    partnership = PartnershipForeignKey(related_name="contributions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("what"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    contributor = OrganisationForeignKey(related_name="contributions_given", verbose_name=_("from"))
    recipient_kind = models.CharField(
        _("to"), max_length=15, choices=RecipientKind.choices, default=RecipientKind.PARTNERSHIP
    )
    recipient_org = OrganisationForeignKey(
        null=True,
        blank=True,
        related_name="contributions_received",
        verbose_name=_("receiving organisation"),
    )
    recipient_group = OptionalForeignKey(
        "partnerships.WorkingGroup",
        related_name="contributions",
        verbose_name=_("receiving working group"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLEDGED
    )
    pledged_on = models.DateField(_("pledged on"))
    committed_on = models.DateField(_("committed on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    due_on = models.DateField(_("due by"), null=True, blank=True)
    start_on = models.DateField(_("period from"), null=True, blank=True)
    end_on = models.DateField(_("period until"), null=True, blank=True)
    # Money: the amount given (funding) or the value put on it (everything else).
    amount = models.DecimalField(
        _("amount or value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    valuation_method = models.CharField(
        _("valuation method"), max_length=10, choices=ValuationMethod.choices, blank=True
    )
    # Funding
    source = models.CharField(_("source of the funds"), max_length=200, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    # Services and staff
    scope = models.TextField(_("scope of work"), blank=True)
    experience = models.CharField(_("experience of the people"), max_length=200, blank=True)
    hours = models.DecimalField(
        _("hours"),
        max_digits=9,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    fte = models.DecimalField(
        _("full-time equivalents"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    # Assets and facilities
    owner = OrganisationForeignKey(null=True, blank=True, related_name="+", verbose_name=_("owner"))
    custodian = OrganisationForeignKey(
        null=True, blank=True, related_name="+", verbose_name=_("custodian of the joint inventory")
    )
    maintenance = models.TextField(_("maintenance and use rules"), blank=True)
    # Risk: what happens if it comes late or costs more, and who carries that.
    contingency = models.TextField(_("if it is late or over budget"), blank=True)
    risk_owner = OrganisationForeignKey(
        null=True, blank=True, related_name="+", verbose_name=_("who bears the risk")
    )
    intellectual_property = models.TextField(_("intellectual property"), blank=True)
    contractors = models.TextField(_("contractors"), blank=True)
    created_by = UserLink()

    page_url_name = "contributions:detail"

    class Meta:
        ordering = ["-pledged_on", "-id"]
        indexes = [
            # The ledger, newest pledge first (also by kind), read along the index.
            models.Index(fields=["partnership", "pledged_on"], name="contribution_by_pledge"),
            models.Index(
                fields=["partnership", "kind", "pledged_on"], name="contribution_kind_pledge"
            ),
            # Overdue: open statuses due before today, counted in the index.
            models.Index(
                fields=["partnership", "status", "due_on"], name="contribution_status_due"
            ),
            # Totals and flows are sums over the index alone (no table row is read),
            # grouped in the order of its columns.
            models.Index(
                fields=[
                    "partnership",
                    "contributor",
                    "kind",
                    "currency",
                    "recipient_kind",
                    "recipient_org",
                    "recipient_group",
                    "status",
                    "amount",
                    "pledged_on",
                ],
                name="contribution_sums",
            ),
        ]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")

    def __str__(self) -> str:
        return self.title

    @property
    def is_money(self) -> bool:
        return self.kind == Kind.FUNDING

    @property
    def recipient_label(self) -> str:
        if self.recipient_kind == RecipientKind.MEMBER and self.recipient_org_id:
            return str(self.recipient_org)
        if self.recipient_kind == RecipientKind.WORKING_GROUP and self.recipient_group_id:
            return str(self.recipient_group)
        return str(_("The partnership"))

    def allowed_transitions(self) -> tuple[str, ...]:
        return TRANSITIONS[self.status]

    def is_overdue(self, today) -> bool:  # type: ignore[no-untyped-def]
        return self.status in OPEN_STATUSES and self.due_on is not None and self.due_on < today


class PaymentScheduleEntry(models.Model):
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="schedule"
    )
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("payment schedule entry")
        verbose_name_plural = _("payment schedule")

    def __str__(self) -> str:
        return f"{self.due_on}: {self.amount}"


class OwnershipTransfer(models.Model):
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="transfers"
    )
    from_org = OrganisationForeignKey(related_name="+", verbose_name=_("from"))
    to_org = OrganisationForeignKey(related_name="+", verbose_name=_("to"))
    transfer_on = models.DateField(_("transfer date"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["transfer_on", "id"]
        verbose_name = _("ownership transfer")
        verbose_name_plural = _("ownership transfers")

    def __str__(self) -> str:
        return f"{self.from_org} → {self.to_org} ({self.transfer_on})"


class BenefitDirection(models.TextChoices):
    EXPECTED = "expected", _("Expected")
    RECEIVED = "received", _("Received")


class Benefit(TimeStampedModel):
    """A benefit a member expects from, or has had from, the partnership."""

    partnership = PartnershipForeignKey(related_name="benefits")
    organisation = OrganisationForeignKey(related_name="+", verbose_name=_("organisation"))
    direction = models.CharField(
        _("expected or received"), max_length=10, choices=BenefitDirection.choices
    )
    description = models.CharField(_("benefit"), max_length=300)
    value = models.DecimalField(
        _("estimated value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, blank=True)
    recorded_on = models.DateField(_("recorded on"))
    recorded_by = UserLink()

    class Meta:
        ordering = ["organisation__name", "-recorded_on", "id"]
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")

    def __str__(self) -> str:
        return self.description
