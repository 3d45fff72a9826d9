"""The activity atlas: what member organisations do, where and when."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from commonground.core.fields import PartnershipForeignKey, UserLink
from commonground.core.models import TimeStampedModel

# The standard themes (created by a data migration) are translated when shown.
STANDARD_THEMES = {
    "construction-materials": gettext_noop("Construction materials"),
    "food": gettext_noop("Food"),
    "textiles": gettext_noop("Textiles"),
    "sharing-repair": gettext_noop("Sharing and repair"),
    "energy": gettext_noop("Energy"),
    "water": gettext_noop("Water"),
    "mobility": gettext_noop("Mobility"),
}


class Theme(models.Model):
    """A circular-economy theme. Standard ones have no partnership; custom ones belong to one."""

    slug = models.SlugField(_("short name"), max_length=60)
    name = models.CharField(_("name"), max_length=80)
    partnership = PartnershipForeignKey(null=True, blank=True, related_name="atlas_themes")

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="atlas_theme_unique"),
        ]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return theme_label(self.name, self.partnership_id)


def theme_label(name: str, partnership_id: int | None) -> str:
    """A theme's name to show: standard themes in the reader's language, custom ones as typed."""
    return gettext(name) if partnership_id is None else name


class ActivityKind(models.TextChoices):
    PROJECT = "project", _("Project")
    PROGRAMME = "programme", _("Programme")
    PILOT = "pilot", _("Pilot")
    SERVICE = "service", _("Service")
    # The alliance's three kinds of event, each counted against its own yearly target.
    INNOVATION_LAB = "innovation_lab", _("Innovation lab")
    REGIONAL_GATHERING = "regional_gathering", _("Regional gathering")
    VIRTUAL_DISCUSSION = "virtual_discussion", _("Virtual discussion")


# The kinds the alliance counts as events held (AllianceTarget has a target for each).
EVENT_KINDS = (
    ActivityKind.INNOVATION_LAB,
    ActivityKind.REGIONAL_GATHERING,
    ActivityKind.VIRTUAL_DISCUSSION,
)


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Running")
    PAUSED = "paused", _("Paused")
    COMPLETED = "completed", _("Completed")


class Tier(models.TextChoices):
    """The alliance's three tiers of activity, and what each counts for (docs/method.md,
    "Alliance-scale features"):

    - core: the work programme the board approved, paid from core contributions;
    - strategic (additional strategic): projects grown from members' shared interest,
      board-approved, with mixed funding;
    - platform: partnerships that members run themselves, facilitated by the
      secretariat and funded outside the work plan.

    Core and strategic activities are the work programme: their events count against
    the yearly targets and the indicators that measure them are the work programme's.
    Platform activities are counted apart: always as the secretariat's facilitation,
    never against the work programme's targets. Joint work by members counts in every
    tier."""

    CORE = "core", _("Core")
    STRATEGIC = "strategic", _("Additional strategic")
    PLATFORM = "platform", _("Platform")


WORK_PROGRAMME_TIERS = (Tier.CORE, Tier.STRATEGIC)


class Activity(TimeStampedModel):
    partnership = PartnershipForeignKey(related_name="activities")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ActivityKind.choices, default=ActivityKind.PROJECT
    )
    organisations = models.ManyToManyField(
        "organisations.Organisation", related_name="activities", verbose_name=_("organisations")
    )
    themes = models.ManyToManyField(Theme, related_name="activities", verbose_name=_("themes"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.ACTIVE
    )
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices, default=Tier.CORE)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    place_name = models.CharField(_("place"), max_length=120, blank=True)
    # A point, an area, or both. The bounding box covers whichever is given and
    # is what SQL filters on (a point's box is the point itself).
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    area = models.JSONField(_("area (GeoJSON)"), null=True, blank=True)
    min_lat = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True, editable=False
    )
    min_lon = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True, editable=False
    )
    max_lat = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True, editable=False
    )
    max_lon = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True, editable=False
    )
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("May appear in the public report.")
    )
    facilitated_by_secretariat = models.BooleanField(
        _("facilitated by the secretariat"),
        default=False,
        help_text=_(
            "The alliance's secretariat brings the people together and runs the process. "
            "Platform activities always count as facilitated."
        ),
    )
    indicators = models.ManyToManyField(
        "results.Indicator",
        blank=True,
        related_name="activities",
        verbose_name=_("indicators that measure it"),
    )
    created_by = UserLink()

    class Meta:
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["partnership", "status"]),
            # The map's box lookups (selectors.in_bbox): points by their position
            # (with the partnership, so finding the ids in a box reads only the
            # index), areas by their bounding box.
            models.Index(
                fields=["latitude", "longitude", "partnership"], name="atlas_activity_point_idx"
            ),
            models.Index(
                fields=["min_lat", "max_lat", "min_lon", "max_lon"],
                condition=models.Q(area__isnull=False),
                name="atlas_activity_area_idx",
            ),
        ]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.title

    @property
    def has_location(self) -> bool:
        return self.min_lat is not None


class ConversationSuggestion(TimeStampedModel):
    """Someone thinks two overlapping activities should talk to each other."""

    partnership = PartnershipForeignKey(related_name="conversation_suggestions")
    first = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    note = models.TextField(_("note"), blank=True)
    suggested_by = UserLink(blank=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("conversation suggestion")
        verbose_name_plural = _("conversation suggestions")

    def __str__(self) -> str:
        return f"{self.first} ↔ {self.second}"


class AllianceTarget(models.Model):
    """Yearly alliance targets (kept by instance administrators in the admin)."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    innovation_labs = models.PositiveIntegerField(_("innovation labs"), default=0)
    regional_gatherings = models.PositiveIntegerField(_("regional gatherings"), default=0)
    virtual_discussions = models.PositiveIntegerField(_("virtual discussions"), default=0)
    partnerships_brokered = models.PositiveIntegerField(_("partnerships brokered"), default=0)
    facilitated = models.PositiveIntegerField(
        _("activities facilitated by the secretariat"), default=0
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("alliance target")
        verbose_name_plural = _("alliance targets")

    def __str__(self) -> str:
        return str(self.year)
