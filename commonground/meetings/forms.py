from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from commonground.partnerships.roles import people as partnership_people

from .models import Assessment, ItemType, Meeting, MeetingSeries, MeetingSettings, Motion
from .services import MEETING_FIELDS


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = MEETING_FIELDS
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = partnership.working_groups.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["chair"].queryset = partnership_people(partnership)  # type: ignore[attr-defined]
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]


class SeriesForm(forms.ModelForm):
    """A meeting series: the cadence, the first meeting, an optional end, the defaults."""

    length = forms.IntegerField(
        label=_("Length of each meeting (minutes)"), min_value=15, max_value=24 * 60, initial=120
    )

    class Meta:
        model = MeetingSeries
        fields = [
            "title",
            "working_group",
            "interval",
            "frequency",
            "starts_at",
            "until",
            "count",
            "mode",
            "place",
            "online_url",
            "chair",
        ]
        labels = {"interval": _("Every"), "frequency": _("Weeks or months")}
        widgets = {"starts_at": DateTimeInput(), "until": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, partnership: Any, suggested: dict[str, Any], **kwargs: Any):
        kwargs.setdefault(
            "initial", {"frequency": suggested["frequency"], "interval": suggested["interval"]}
        )
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = partnership.working_groups.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["chair"].queryset = partnership_people(partnership)  # type: ignore[attr-defined]
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]
        self.fields["starts_at"].help_text = _(
            "The later meetings keep its weekday and time (every n weeks) or its day of the "
            "month (every n months)."
        )
        self.order_fields(
            ["title", "working_group", "interval", "frequency", "starts_at", "length"]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("length"):
            data["duration"] = datetime.timedelta(minutes=data.pop("length"))
        return data


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=200)
    item_type = forms.ChoiceField(label=_("Type"), choices=ItemType.choices, initial="discussion")
    description = forms.CharField(
        label=_("Why, and what should the meeting do?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Discussion highlights"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class MotionForm(forms.ModelForm):
    class Meta:
        model = Motion
        fields = [
            "text",
            "proposed_by",
            "seconded_by",
            "result",
            "votes_for",
            "votes_against",
            "abstentions",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = partnership_people(partnership)
        self.fields["proposed_by"].queryset = people  # type: ignore[attr-defined]
        self.fields["seconded_by"].queryset = people  # type: ignore[attr-defined]


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Who"),
        queryset=get_user_model().objects.none(),
        required=False,
    )
    due_on = forms.DateField(
        label=_("By when"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = partnership_people(partnership)  # type: ignore[attr-defined]


class ApproveForm(forms.Form):
    at_meeting: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Approved at"), queryset=Meeting.objects.none()
    )

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["at_meeting"].queryset = meetings  # type: ignore[attr-defined]


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["usefulness", "run", "comment"]
        widgets = {
            "usefulness": forms.RadioSelect(choices=[(i, str(i)) for i in range(1, 6)]),
            "run": forms.RadioSelect(choices=[(i, str(i)) for i in range(1, 6)]),
            "comment": forms.Textarea(attrs={"rows": 2}),
        }


class SettingsForm(forms.ModelForm):
    class Meta:
        model = MeetingSettings
        fields = ["quorum_fraction"]
