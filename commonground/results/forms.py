from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from commonground.accounts.models import User
from commonground.partnerships.models import WorkingGroup

from .models import Indicator, Review

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "name",
            "description",
            "working_group",
            "kind",
            "is_financial",
            "unit",
            "direction",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "band_low",
            "band_high",
            "data_source",
            "owner",
            "cadence",
            "meets_vision",
            "meets_fact_base",
            "meets_timely",
            "meets_lived_experience",
        ]
        widgets = {
            "baseline_date": DATE,
            "target_date": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = WorkingGroup.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership
        )
        self.fields["owner"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            partnership_roles__partnership=partnership, partnership_roles__ended_on__isnull=True
        ).distinct()


class MeasurementForm(forms.Form):
    measured_on = forms.DateField(label=_("Date"), widget=DATE)
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2, required=False)
    observation = forms.CharField(
        label=_("Observation"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[("", _("No rating"))] + [(str(i), str(i)) for i in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("1 = far from where we want to be, 5 = where we want to be."),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    source_file = forms.FileField(label=_("Source file"), required=False)

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if indicator.is_quantitative:
            del self.fields["observation"]
            del self.fields["rating"]
            self.fields["value"].required = True
            if indicator.unit:
                self.fields["value"].label = _("Value (%(unit)s)") % {"unit": indicator.unit}
        else:
            del self.fields["value"]
            self.fields["observation"].required = True

    def clean_source_file(self) -> Any:
        f = self.cleaned_data.get("source_file")
        if f and f.size > settings.COMMONGROUND_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return f


class TargetRevisionForm(forms.Form):
    new_target_value = forms.DecimalField(label=_("New target"), max_digits=14, decimal_places=2)
    new_target_date = forms.DateField(label=_("New target date"), widget=DATE, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    review = forms.ModelChoiceField(
        label=_("Decided at review"), queryset=Review.objects.none(), required=False
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["review"].queryset = Review.objects.filter(partnership=partnership)  # type: ignore[attr-defined]


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = [
            "title",
            "held_on",
            "working_group",
            "indicators",
            "what_worked",
            "what_did_not",
            "causes",
            "changes_decided",
            "early_win",
            "early_win_note",
        ]
        widgets = {
            "held_on": DATE,
            "indicators": forms.CheckboxSelectMultiple,
            "what_worked": forms.Textarea(attrs={"rows": 3}),
            "what_did_not": forms.Textarea(attrs={"rows": 3}),
            "causes": forms.Textarea(attrs={"rows": 3}),
            "changes_decided": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = WorkingGroup.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership
        )
        self.fields["indicators"].queryset = Indicator.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership
        )


class RevisionLineForm(forms.Form):
    """One optional target revision decided in a review."""

    indicator = forms.ModelChoiceField(
        label=_("Revise the target of"), queryset=Indicator.objects.none(), required=False
    )
    new_target_value = forms.DecimalField(
        label=_("New target"), max_digits=14, decimal_places=2, required=False
    )
    reason = forms.CharField(label=_("Reason for the new target"), required=False)

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership, kind="quantitative"
        ).exclude(direction="band")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("indicator") and (
            data.get("new_target_value") is None or not data.get("reason")
        ):
            raise forms.ValidationError(_("A target revision needs the new target and a reason."))
        return data


class CsvImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), required=False)
    csv_text = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        f = data.get("file")
        if f:
            if f.size > 2 * 1024 * 1024:
                raise forms.ValidationError(_("The file is too large (2 MB at most)."))
            try:
                data["csv_text"] = f.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("Save the file as UTF-8 CSV.")) from None
        if not data.get("csv_text"):
            raise forms.ValidationError(_("Choose a CSV file."))
        return data
