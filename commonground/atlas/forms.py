from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.organisations.models import Organisation, Sector

from . import geo, selectors, services
from .models import Activity, ActivityKind, ActivityStatus, Tier, theme_label


class ActivityForm(forms.ModelForm):
    latitude = forms.CharField(
        label=_("Latitude"), required=False, help_text=_("Decimal degrees, e.g. 59.9127.")
    )
    longitude = forms.CharField(
        label=_("Longitude"), required=False, help_text=_("Decimal degrees, e.g. 10.7461.")
    )
    area = forms.CharField(
        label=_("Area (GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Optional: a GeoJSON Polygon or MultiPolygon, coordinates as [longitude, latitude]."
        ),
    )
    custom_themes = forms.CharField(
        label=_("Other themes"),
        required=False,
        help_text=_("Comma-separated, for themes not in the list."),
    )
    # Choices are the partnership's member organisations with coordinates (set in
    # __init__); the service checks the choice again.
    at_organisation = forms.TypedChoiceField(
        label=_("Where"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": _(
                "Choose the address of one of this partnership’s member organisations."
            )
        },
        help_text=_(
            "A partner’s address fills in the place and its coordinates. "
            "Or leave this and give the place below."
        ),
    )

    # The fields that say where the activity is, shown together beside the map picker.
    PLACE_FIELDS = ("at_organisation", "place_name", "latitude", "longitude", "area")
    field_order = ["title", "description", "kind", "organisations", "themes", "custom_themes"]

    class Meta:
        model = Activity
        fields = [
            "title",
            "description",
            "kind",
            "organisations",
            "themes",
            "status",
            "tier",
            "facilitated_by_secretariat",
            "indicators",
            "starts_on",
            "ends_on",
            "place_name",
            "is_public",
        ]
        widgets = {
            "organisations": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "indicators": forms.CheckboxSelectMultiple,
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            memberships__partnership=partnership
        ).order_by("name")
        self.fields["themes"].queryset = selectors.themes_for([partnership])  # type: ignore[attr-defined]
        self.fields["themes"].required = False
        self.fields["tier"].help_text = _(
            "Core: the work programme the board approved, paid from core contributions. "
            "Additional strategic: projects grown from members' shared interest, approved by "
            "the board, with mixed funding. Platform: partnerships members run themselves, "
            "facilitated by the secretariat and funded outside the work plan. Core and "
            "strategic activities count against the alliance's targets; platform activities "
            "are counted apart, as the secretariat's facilitation."
        )
        from commonground.results.models import Indicator

        self.fields["indicators"].queryset = Indicator.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership
        ).order_by("name", "pk")
        self.fields["indicators"].help_text = _(
            "The partnership's indicators that measure this activity. They count for the "
            "alliance's work programme when the activity is core or additional strategic."
        )
        self.partner_places = list(
            services.partner_places(partnership).values_list(
                "pk", "name", "place_name", "latitude", "longitude"
            )
        )
        self.fields["at_organisation"].choices = [  # type: ignore[attr-defined]
            ("", _("Elsewhere: give the place below")),
            *[
                (
                    pk,
                    _("At a partner’s address: %(org)s — %(place)s") % {"org": name, "place": place}
                    if place
                    else _("At a partner’s address: %(org)s") % {"org": name},
                )
                for pk, name, place, _lat, _lon in self.partner_places
            ],
        ]
        if self.instance.pk:
            self.initial["area"] = json.dumps(self.instance.area) if self.instance.area else ""
            self.initial["latitude"] = self.instance.latitude or ""
            self.initial["longitude"] = self.instance.longitude or ""

    def clean_area(self) -> dict[str, Any] | None:
        # The same check as the service's (geo.parse_area), so the reason shows on the field.
        raw = self.cleaned_data.get("area") or ""
        if not raw.strip():
            return None
        area, _box = geo.parse_area(raw)
        return area

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    def partner_places_json(self) -> dict[str, list[Any]]:
        """{organisation id: [latitude, longitude, place]}, for the map picker's script."""
        return {
            str(pk): [float(lat), float(lon), place or name]
            for pk, name, place, lat, lon in self.partner_places
            if lat is not None and lon is not None  # always so (partner_places)
        }

    def typed_place_fields(self) -> list[Any]:
        """The place fields after the choice of a partner's address (and the map picker)."""
        return [self[name] for name in self.PLACE_FIELDS if name != "at_organisation"]

    def other_fields(self) -> list[Any]:
        return [f for f in self.visible_fields() if f.name not in self.PLACE_FIELDS]


class ActivityFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    # Typed, not picked: the alliance spans thousands of organisations, too many for
    # a list. Matches any part of an organisation's name (or its number).
    organisation = forms.CharField(
        label=_("Organisation"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(attrs={"placeholder": _("Part of a name"), "autocomplete": "off"}),
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("Any")), *list(Sector.choices)]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *list(ActivityStatus.choices)]
    )
    tier = forms.ChoiceField(
        label=_("Tier"), required=False, choices=[("", _("Any")), *list(Tier.choices)]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any")), *list(ActivityKind.choices)]
    )
    period_from = forms.DateField(
        label=_("Running from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_to = forms.DateField(
        label=_("Running until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, partnerships: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # (slug, label) pairs without building a Theme per row
        rows = selectors.themes_for(partnerships).values_list("slug", "name", "partnership_id")
        themes = {(slug, theme_label(name, owner)) for slug, name, owner in rows}
        self.fields["theme"].choices = [  # type: ignore[attr-defined]
            ("", _("Any")),
            *sorted(themes, key=lambda t: t[1]),
        ]

    def filters(self) -> dict[str, Any]:
        return self.cleaned_data if self.is_valid() else {}


class SuggestionForm(forms.Form):
    first = forms.IntegerField(widget=forms.HiddenInput)
    second = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Why should they talk?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
