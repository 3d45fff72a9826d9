from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.organisations.models import ResourceCategory, Sector, Tag
from commonground.organisations.picker import OrganisationField

from .competencies import DESCRIPTORS
from .models import (
    DIMENSIONS,
    AssessmentKind,
    ContactKind,
    Criterion,
    CriterionGroup,
    Priority,
    Prospect,
    Stage,
)
from .selectors import MAX_RADIUS_KM, DirectoryQuery, place_centre

SCORE_CHOICES = [("", _("Not scored")), *[(str(i), str(i)) for i in range(1, 6)]]
ONE_TO_FIVE = [(str(i), str(i)) for i in range(1, 6)]


# What a menu of tags said of an unknown one when it listed model instances.
_TAG_NOT_FOUND = forms.ModelChoiceField.default_error_messages["invalid_choice"]


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices]
    )
    category = forms.ChoiceField(
        label=_("Offers (category)"),
        required=False,
        choices=[("", _("Any")), *ResourceCategory.choices],
    )
    # Tags by slug, as (slug, name) pairs set in __init__: a model instance per option
    # of two long menus cost more than the rest of the form.
    offers = forms.ChoiceField(
        label=_("Offers"),
        required=False,
        error_messages={"invalid_choice": _TAG_NOT_FOUND},
    )
    needs = forms.ChoiceField(
        label=_("Needs"),
        required=False,
        error_messages={"invalid_choice": _TAG_NOT_FOUND},
    )
    place = forms.CharField(
        label=_("Near"),
        required=False,
        max_length=120,
        help_text=_("A place named in the directory (e.g. Grünerløkka) or “59.91, 10.75”."),
    )
    radius = forms.IntegerField(
        label=_("Within (km)"), required=False, min_value=1, max_value=MAX_RADIUS_KM
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tags = [("", _("Anything")), *Tag.objects.order_by("name").values_list("slug", "name")]
        self.fields["offers"].choices = tags  # type: ignore[attr-defined]
        self.fields["needs"].choices = tags  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        place = data.get("place") or ""
        data["centre"] = None
        if place:
            centre = place_centre(place)
            if centre is None:
                self.add_error(
                    "place", _("No organisation in the directory is located at this place.")
                )
            else:
                data["centre"] = centre
                if not data.get("radius"):
                    data["radius"] = 10
        return data

    def query(self) -> DirectoryQuery:
        data = self.cleaned_data if self.is_valid() else {}
        centre = data.get("centre")
        return DirectoryQuery(
            text=data.get("q", ""),
            sector=data.get("sector", ""),
            category=data.get("category", ""),
            offers=data.get("offers", ""),
            needs=data.get("needs", ""),
            lat=centre[0] if centre else None,
            lon=centre[1] if centre else None,
            radius_km=float(data["radius"]) if centre and data.get("radius") else None,
        )


class ProspectAddForm(forms.Form):
    organisation = OrganisationField(label=_("Organisation"))
    why_approach = forms.CharField(
        label=_("Why approach them"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResearchForm(forms.ModelForm):
    class Meta:
        model = Prospect
        fields = [
            "why_approach",
            "could_bring",
            "vision",
            "mandate",
            "services",
            "strategic_plan",
            "existing_partners",
        ]
        widgets = {f: forms.Textarea(attrs={"rows": 2}) for f in fields}


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to stage"), choices=Stage.choices)


class ContactLogForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices)
    happened_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    who = forms.CharField(label=_("Who we spoke with"), max_length=200)
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=300)

    def clean_happened_on(self) -> Any:
        value = self.cleaned_data["happened_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("A contact cannot happen in the future."))
        return value


class ScoreForm(forms.Form):
    """One select (1–5) and one note per criterion."""

    def __init__(self, *args: Any, criteria: list[Criterion], initial_scores: dict, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            value, note = initial_scores.get(c.pk, (None, ""))
            self.fields[f"score_{c.pk}"] = forms.TypedChoiceField(
                label=c.text,
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                initial=str(value) if value else "",
            )
            self.fields[f"note_{c.pk}"] = forms.CharField(
                label=_("Note on “%(criterion)s”") % {"criterion": c.text},
                required=False,
                max_length=300,
                initial=note,
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"criterion": c, "score": self[f"score_{c.pk}"], "note": self[f"note_{c.pk}"]}
            for c in self.criteria
        ]

    def scores(self) -> dict[int, tuple[int | None, str]]:
        return {
            c.pk: (
                self.cleaned_data.get(f"score_{c.pk}"),
                self.cleaned_data.get(f"note_{c.pk}", ""),
            )
            for c in self.criteria
        }


class WeightsForm(forms.Form):
    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"weight_{c.pk}"] = forms.IntegerField(
                label=c.text, min_value=0, max_value=10, initial=c.weight
            )

    def rows(self) -> list[dict[str, Any]]:
        return [{"criterion": c, "field": self[f"weight_{c.pk}"]} for c in self.criteria]

    def weights(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"weight_{c.pk}"] for c in self.criteria}


class CriterionAddForm(forms.Form):
    group = forms.ChoiceField(label=_("Group"), choices=CriterionGroup.choices)
    label = forms.CharField(label=_("Criterion"), max_length=200)
    weight = forms.IntegerField(label=_("Weight"), min_value=0, max_value=10, initial=1)


class NeedForm(forms.Form):
    category = forms.ChoiceField(label=_("Resource category"), choices=ResourceCategory.choices)
    description = forms.CharField(label=_("What exactly"), required=False, max_length=300)
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int, initial=Priority.MEDIUM
    )


class SelfAssessmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("What are you assessing?"), choices=AssessmentKind.choices)
    score_1 = forms.TypedChoiceField(choices=ONE_TO_FIVE, coerce=int)
    score_2 = forms.TypedChoiceField(choices=ONE_TO_FIVE, coerce=int)
    score_3 = forms.TypedChoiceField(choices=ONE_TO_FIVE, coerce=int)
    score_4 = forms.TypedChoiceField(choices=ONE_TO_FIVE, coerce=int)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = DIMENSIONS[AssessmentKind.PERSON]
        org = DIMENSIONS[AssessmentKind.ORGANISATION]
        person_says = DESCRIPTORS[AssessmentKind.PERSON]
        org_says = DESCRIPTORS[AssessmentKind.ORGANISATION]
        for i in range(4):
            self.fields[f"score_{i + 1}"].label = _("%(person)s / %(organisation)s (1–5)") % {
                "person": person[i],
                "organisation": org[i],
            }
            self.fields[f"score_{i + 1}"].help_text = _(
                "A person: %(person)s An organisation: %(organisation)s"
            ) % {"person": person_says[i], "organisation": org_says[i]}
