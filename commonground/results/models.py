"""Indicators of progress, their measurements, target revisions and reviews."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonground.core.fields import OptionalForeignKey, PartnershipForeignKey, UserLink
from commonground.core.models import PartnershipPage, TimeStampedModel


class Kind(models.TextChoices):
    QUANTITATIVE = "quantitative", _("Quantitative (a number)")
    QUALITATIVE = "qualitative", _("Qualitative (observations)")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Increase towards the target")
    DECREASE = "decrease", _("Decrease towards the target")
    BAND = "band", _("Stay within a band")


class Cadence(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Every six months")
    YEARLY = "yearly", _("Yearly")


class Indicator(PartnershipPage, TimeStampedModel):
    partnership = PartnershipForeignKey(related_name="indicators")
    working_group = OptionalForeignKey(
        "partnerships.WorkingGroup",
        related_name="indicators",
        verbose_name=_("working group"),
        help_text=_("Leave empty for an indicator of the whole partnership."),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.QUANTITATIVE
    )
    is_financial = models.BooleanField(
        _("financial"), default=False, help_text=_("Money in or out, costs saved, revenue earned.")
    )
    unit = models.CharField(
        _("unit"), max_length=40, blank=True, help_text=_("e.g. tonnes, %, NOK")
    )
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_date = models.DateField(_("baseline date"))
    target_value = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_date = models.DateField(_("target date"))
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    band_low = models.DecimalField(
        _("band: lowest acceptable"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    band_high = models.DecimalField(
        _("band: highest acceptable"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    data_source = models.CharField(_("data source"), max_length=200, blank=True)
    owner = UserLink(
        verbose_name=_("owner"), help_text=_("Who collects the data and keeps it up to date.")
    )
    cadence = models.CharField(
        _("collection cadence"), max_length=12, choices=Cadence.choices, default=Cadence.MONTHLY
    )
    meets_vision = models.BooleanField(_("relevant to the shared vision"), default=False)
    meets_fact_base = models.BooleanField(_("relevant to the fact base"), default=False)
    meets_timely = models.BooleanField(_("available in time to act on"), default=False)
    meets_lived_experience = models.BooleanField(_("reflects lived experience"), default=False)
    created_by = UserLink()

    page_url_name = "results:indicator_detail"

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    @property
    def is_quantitative(self) -> bool:
        return self.kind == Kind.QUANTITATIVE

    @property
    def criteria_met(self) -> list[str]:
        names = []
        for field in ("meets_vision", "meets_fact_base", "meets_timely", "meets_lived_experience"):
            if getattr(self, field):
                names.append(str(self._meta.get_field(field).verbose_name))  # type: ignore[union-attr]
        return names


def measurement_upload_to(instance: Measurement, filename: str) -> str:
    return f"results/{instance.indicator.partnership_id}/{instance.indicator_id}/{filename}"


class Measurement(TimeStampedModel):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    observation = models.TextField(_("observation"), blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    source_file = models.FileField(_("source file"), upload_to=measurement_upload_to, blank=True)
    recorded_by = UserLink(verbose_name=_("recorded by"))

    class Meta:
        ordering = ["measured_on", "id"]
        indexes = [models.Index(fields=["indicator", "measured_on"])]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value if self.value is not None else self.rating} ({self.measured_on})"


class Review(PartnershipPage, TimeStampedModel):
    """A structured look back: what worked, what did not, why, and what changes."""

    partnership = PartnershipForeignKey(related_name="indicator_reviews")
    working_group = OptionalForeignKey(
        "partnerships.WorkingGroup", related_name="+", verbose_name=_("working group")
    )
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=200)
    indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="reviews", verbose_name=_("indicators reviewed")
    )
    what_worked = models.TextField(_("what worked"), blank=True)
    what_did_not = models.TextField(_("what did not work"), blank=True)
    causes = models.TextField(_("causes"), blank=True)
    changes_decided = models.TextField(_("changes decided"), blank=True)
    early_win = models.BooleanField(
        _("early win"),
        default=False,
        help_text=_("A visible success worth celebrating and telling partners about."),
    )
    early_win_note = models.CharField(_("the early win"), max_length=300, blank=True)
    created_by = UserLink()

    page_url_name = "results:review_detail"

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return self.title


class TargetRevision(TimeStampedModel):
    """A renegotiated target, with the reason and (usually) the review that decided it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="revisions")
    revised_on = models.DateField(_("revised on"))
    old_target_value = models.DecimalField(
        _("old target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    new_target_value = models.DecimalField(
        _("new target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    old_target_date = models.DateField(_("old target date"))
    new_target_date = models.DateField(_("new target date"))
    reason = models.TextField(_("reason"))
    review = OptionalForeignKey(
        Review, related_name="target_revisions", verbose_name=_("decided at review")
    )
    decided_by = UserLink()

    class Meta:
        ordering = ["revised_on", "id"]
        verbose_name = _("target revision")
        verbose_name_plural = _("target revisions")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.old_target_value} → {self.new_target_value}"
