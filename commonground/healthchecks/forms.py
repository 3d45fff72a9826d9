from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.partnerships.models import WorkingGroup

from .models import ItemKind, RoundItem, Section, SurveyItem
from .services import TEXT_MAX

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

AGREE_CHOICES = [
    ("1", _("1 · strongly disagree")),
    ("2", _("2 · disagree")),
    ("3", _("3 · neither")),
    ("4", _("4 · agree")),
    ("5", _("5 · strongly agree")),
    ("", _("don't know / rather not say")),
]
CONTINUUM_CHOICES = [
    ("1", _("1 · transactional")),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", _("5 · transformational")),
    ("", _("don't know / rather not say")),
]


class SurveyForm(forms.Form):
    """One field per question, named by the item's key. Nothing is required but one answer."""

    def __init__(self, *args: Any, items: list[RoundItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for ri in items:
            if ri.kind == ItemKind.TEXT:
                self.fields[ri.key] = forms.CharField(
                    label=ri.text,
                    required=False,
                    max_length=TEXT_MAX,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            else:
                self.fields[ri.key] = forms.ChoiceField(
                    label=ri.text,
                    required=False,
                    choices=CONTINUUM_CHOICES if ri.kind == ItemKind.CONTINUUM else AGREE_CHOICES,
                    widget=forms.RadioSelect,
                )
            self.fields[ri.key].section = ri.section  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(v not in (None, "") for v in data.values()):
            raise forms.ValidationError(_("Answer at least one question before sending."))
        return data

    def sections(self) -> list[tuple[str, list[Any]]]:
        labels = {k: str(v) for k, v in Section.choices}
        out: list[tuple[str, list[Any]]] = []
        for ri in self.items:
            if not out or out[-1][0] != labels.get(ri.section, ri.section):
                out.append((labels.get(ri.section, ri.section), []))
            out[-1][1].append(self[ri.key])
        return out


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    period = forms.CharField(label=_("Period"), max_length=40, help_text=_("e.g. 2026"))
    closes_on = forms.DateField(label=_("Closes on"), widget=DATE)
    working_group = forms.ModelChoiceField(
        label=_("Working group"),
        queryset=WorkingGroup.objects.none(),
        required=False,
        help_text=_("Leave empty to ask every member person of the partnership."),
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = WorkingGroup.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership, is_active=True
        )


class ItemForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=300)
    section = forms.ChoiceField(label=_("Section"), choices=Section.choices)
    kind = forms.ChoiceField(label=_("Answer type"), choices=ItemKind.choices)


class ItemRewordForm(forms.ModelForm):
    class Meta:
        model = SurveyItem
        fields = ["text", "position"]


class FollowUpNoteForm(forms.Form):
    held_on = forms.DateField(label=_("Interviews held on"), required=False, widget=DATE)
    text = forms.CharField(
        label=_("What the interviews found"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Themes and findings across the interviews. Do not name or describe who said what: "
            "members read this note once the results are published."
        ),
    )


class ReferenceRateForm(forms.Form):
    answered = forms.IntegerField(label=_("Answered"), min_value=0, required=False)
    invited = forms.IntegerField(label=_("Invited"), min_value=0, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        answered, invited = data.get("answered") or 0, data.get("invited") or 0
        if answered > invited:
            raise forms.ValidationError(
                _("The number who answered cannot exceed the number invited.")
            )
        return data
