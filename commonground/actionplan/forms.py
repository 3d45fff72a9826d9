from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.partnerships.roles import people as partnership_people

from .models import Action, ActionStatus


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = [
            "title",
            "description",
            "enablers",
            "owner",
            "owner_organisation",
            "working_group",
            "priority",
            "start_on",
            "due_on",
            "status",
            "meeting",
            "decision",
            "agreement_deliverable",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "enablers": forms.Textarea(attrs={"rows": 2}),
            "start_on": forms.DateInput(attrs={"type": "date"}),
            "due_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f = self.fields
        f["owner"].queryset = partnership_people(partnership)  # type: ignore[attr-defined]
        f["owner_organisation"].queryset = partnership.organisations.all()  # type: ignore[attr-defined]
        f["owner_organisation"].help_text = _("Leave empty to use the owner's organisation.")
        f["working_group"].queryset = partnership.working_groups.all()  # type: ignore[attr-defined]
        f["meeting"].queryset = partnership.meetings.order_by("-starts_at")  # type: ignore[attr-defined]
        f["decision"].queryset = partnership.decisions.order_by("-decided_on")  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
