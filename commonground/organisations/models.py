"""The shared directory of organisations."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonground.core.fields import UserLink
from commonground.core.models import TimeStampedModel


class Sector(models.TextChoices):
    PUBLIC = "public", _("Public / government")
    PRIVATE = "private", _("Private / business")
    CIVIL = "civil", _("Civil society / non-profit")
    KNOWLEDGE = "knowledge", _("Knowledge (universities, schools, research, libraries)")
    FUNDER = "funder", _("Funder (foundations, donors, development banks)")
    MULTILATERAL = "multilateral", _("Multilateral / UN body")
    RESIDENTS = "residents", _("Residents and people with lived experience")


class OrgType(models.TextChoices):
    LOCAL_GOV = "local_gov", _("Local government")
    REGIONAL_GOV = "regional_gov", _("Regional government")
    NATIONAL_GOV = "national_gov", _("National government")
    AGENCY = "agency", _("Public agency")
    COMPANY = "company", _("Company")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    NGO = "ngo", _("NGO / community organisation")
    UNIVERSITY = "university", _("University or college")
    SCHOOL = "school", _("School")
    RESEARCH = "research", _("Research centre")
    LIBRARY = "library", _("Library")
    FOUNDATION = "foundation", _("Foundation")
    BANK = "bank", _("Development bank / donor")
    MULTILATERAL = "multilateral", _("Multilateral body")
    RESIDENT_GROUP = "resident_group", _("Resident group")
    OTHER = "other", _("Other")


class Size(models.TextChoices):
    MICRO = "micro", _("1–9 people")
    SMALL = "small", _("10–49 people")
    MEDIUM = "medium", _("50–249 people")
    LARGE = "large", _("250 people or more")


class ResourceCategory(models.TextChoices):
    """What an organisation can offer or may need (used for gap analysis)."""

    FUNDING = "funding", _("Funding")
    EXPERTISE = "expertise", _("Expertise")
    NETWORKS = "networks", _("Networks")
    ASSETS = "assets", _("Assets and facilities")
    DATA = "data", _("Data")
    CONVENING = "convening", _("Convening power")
    LEGAL = "legal", _("Legal")
    COMMUNITY = "community", _("Community access")
    WORKFORCE = "workforce", _("Workforce and training")
    TECHNOLOGY = "technology", _("Technology")
    LOGISTICS = "logistics", _("Logistics")
    POLICY = "policy", _("Policy and regulation")
    OTHER = "other", _("Other")


class Tag(models.Model):
    """A thing an organisation offers or needs, e.g. "repair workshops"."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    category = models.CharField(
        _("resource category"),
        max_length=20,
        choices=ResourceCategory.choices,
        default=ResourceCategory.OTHER,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


# Longitude is cut into strips this many to a degree (0.02°: 1.1 km at Oslo). The
# index (lon_strip, latitude, longitude) lets a search near a place seek each strip
# its box touches instead of every organisation at the box's latitudes.
LON_STRIPS_PER_DEGREE = 50


def lon_strip(longitude: Decimal | float | None) -> int | None:
    """The strip a longitude falls in (monotonic, so a range of longitudes maps onto
    the range of strips between its ends)."""
    if longitude is None:
        return None
    return math.floor(float(longitude) * LON_STRIPS_PER_DEGREE)


EMAIL_DOMAIN_RE = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}")


def normalise_org_number(value: str | None) -> str:
    """An organisation number as stored: its digits only ("912 345 678" -> "912345678")."""
    return re.sub(r"\D", "", value or "")


class Organisation(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200, db_index=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    # Digits only (see normalise_org_number); blank when unknown, unique otherwise.
    org_number = models.CharField(
        _("organisation number"),
        max_length=20,
        blank=True,
        db_index=True,
        help_text=_("The number in the official register, e.g. nine digits in Norway."),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, db_index=True)
    org_type = models.CharField(
        _("type"), max_length=30, choices=OrgType.choices, default=OrgType.OTHER
    )
    place_name = models.CharField(_("place"), max_length=120, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    # Derived from longitude on every save (see lon_strip); never edited.
    lon_strip = models.IntegerField(_("longitude strip"), null=True, editable=False)
    website = models.URLField(_("website"), blank=True)
    mission = models.TextField(_("mission"), blank=True)
    size = models.CharField(_("size"), max_length=10, choices=Size.choices, blank=True)
    track_record = models.TextField(
        _("track record"), blank=True, help_text=_("Past projects and references.")
    )
    capacity = models.TextField(
        _("capacity"), blank=True, help_text=_("Staff, equipment and time it can commit.")
    )
    offers = models.ManyToManyField(
        Tag, blank=True, related_name="offered_by", verbose_name=_("offers")
    )
    needs = models.ManyToManyField(
        Tag, blank=True, related_name="needed_by", verbose_name=_("needs")
    )
    created_by = UserLink()
    # Set by an instance administrator (Django admin); see accounts.sso.
    email_domains = models.CharField(
        _("email domains for single sign-on"),
        max_length=500,
        blank=True,
        help_text=_(
            "Comma-separated, e.g. “fjordvik.kommune.no”. Anyone the identity provider "
            "confirms at one of these domains may sign in and gets an account in this "
            "organisation."
        ),
    )

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["sector", "name"]),
            models.Index(fields=["lon_strip", "latitude", "longitude"], name="organisation_near"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["org_number"],
                condition=~models.Q(org_number=""),
                name="organisation_number_unique",
            )
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", kwargs={"slug": self.slug})

    @property
    def email_domain_list(self) -> list[str]:
        return [d.strip().lower() for d in self.email_domains.split(",") if d.strip()]

    def clean(self) -> None:
        super().clean()
        domains = self.email_domain_list
        for domain in domains:
            if not EMAIL_DOMAIN_RE.fullmatch(domain):
                raise ValidationError(
                    {"email_domains": _("“%(domain)s” is not a domain name.") % {"domain": domain}}
                )
            others = (
                Organisation.objects.filter(email_domains__icontains=domain)
                .exclude(pk=self.pk)
                .only("name", "email_domains")
            )
            for other in others:
                if domain in other.email_domain_list:
                    raise ValidationError(
                        {
                            "email_domains": _("%(domain)s already belongs to %(name)s.")
                            % {"domain": domain, "name": other.name}
                        }
                    )
        self.email_domains = ", ".join(domains)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.lon_strip = lon_strip(self.longitude)
        self.org_number = normalise_org_number(self.org_number)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "longitude" in update_fields:
            kwargs["update_fields"] = {*update_fields, "lon_strip"}
        super().save(*args, **kwargs)
