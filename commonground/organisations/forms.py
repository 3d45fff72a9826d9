from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Sector, Tag, normalise_org_number


class OrganisationForm(forms.ModelForm):
    offers = forms.ModelMultipleChoiceField(
        Tag.objects.all(), required=False, label=_("Offers"), widget=forms.CheckboxSelectMultiple
    )
    needs = forms.ModelMultipleChoiceField(
        Tag.objects.all(), required=False, label=_("Needs"), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "org_number",
            "sector",
            "org_type",
            "size",
            "place_name",
            "latitude",
            "longitude",
            "website",
            "mission",
            "capacity",
            "track_record",
            "offers",
            "needs",
        ]
        widgets = {
            "mission": forms.Textarea(attrs={"rows": 3}),
            "capacity": forms.Textarea(attrs={"rows": 3}),
            "track_record": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_org_number(self) -> str:
        number = normalise_org_number(self.cleaned_data.get("org_number"))
        if self.cleaned_data.get("org_number") and len(number) < 6:
            raise forms.ValidationError(_("An organisation number has at least six digits."))
        return number

    def clean(self) -> dict:
        data = super().clean() or {}
        has_lat, has_lon = data.get("latitude") is not None, data.get("longitude") is not None
        if has_lat != has_lon:
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices]
    )
