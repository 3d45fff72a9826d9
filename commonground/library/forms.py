from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.organisations.models import Organisation
from commonground.partnerships.models import WorkingGroup

from .models import AccessLevel, CaseKind, CaseStudy, Document, Milestone
from .reports import Audience
from .uploads import check_upload

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

DOC_FIELDS = [
    "title",
    "description",
    "kind",
    "tags",
    "access_level",
    "working_group",
    "organisations",
    "owner_organisation",
    "purpose",
    "confidentiality",
    "permitted_uses",
    "retention",
    "end_rule",
    "is_public",
]


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = DOC_FIELDS
        widgets = {
            "organisations": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "permitted_uses": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = Organisation.objects.filter(memberships__partnership=partnership).order_by("name")
        self.fields["organisations"].queryset = members  # type: ignore[attr-defined]
        self.fields["owner_organisation"].queryset = members  # type: ignore[attr-defined]
        self.fields["working_group"].queryset = WorkingGroup.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership
        )
        self.fields["organisations"].help_text = _("Used when access is “named organisations”.")
        self.fields["working_group"].help_text = _("Used when access is “one working group”.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("access_level") == AccessLevel.WORKING_GROUP and not data.get("working_group"):
            self.add_error("working_group", _("Choose the working group that may open it."))
        if data.get("access_level") == AccessLevel.ORGANISATIONS and not data.get("organisations"):
            self.add_error("organisations", _("Name at least one organisation."))
        return data


def _checked_file(form: forms.BaseForm) -> Any:
    upload = form.cleaned_data.get("file")
    try:
        check_upload(upload)
    except ValidationError as exc:
        raise forms.ValidationError(exc.messages) from None
    return upload


class UploadForm(DocumentForm):
    file = forms.FileField(label=_("File"))

    def clean_file(self) -> Any:
        return _checked_file(self)

    class Meta(DocumentForm.Meta):
        fields = ["file", *DOC_FIELDS]


class VersionForm(forms.Form):
    file = forms.FileField(label=_("New version"))
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)

    def clean_file(self) -> Any:
        return _checked_file(self)


class DocumentSearchForm(forms.Form):
    q = forms.CharField(label=_("Search title, tag or owner"), required=False)
    access = forms.ChoiceField(
        label=_("Access"), required=False, choices=[("", _("Any")), *AccessLevel.choices]
    )


class CaseForm(forms.ModelForm):
    class Meta:
        model = CaseStudy
        fields = [
            "kind",
            "title",
            "summary",
            "context",
            "what_worked",
            "what_did_not",
            "sector_mix",
            "outcomes",
            "tags",
            "source",
            "shared",
            "is_public",
        ]
        widgets = {
            f: forms.Textarea(attrs={"rows": 3})
            for f in ("summary", "context", "what_worked", "what_did_not", "outcomes")
        }


class CaseSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any")), *CaseKind.choices]
    )


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["date", "title", "description", "is_public"]
        widgets = {"date": DATE, "description": forms.Textarea(attrs={"rows": 2})}


class ReportForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("Until"), widget=DATE)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.CHOICES)

    @staticmethod
    def defaults() -> dict[str, Any]:
        today = timezone.localdate()
        return {
            "start": today - datetime.timedelta(days=365),
            "end": today,
            "audience": Audience.PARTNERS,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end of the period is before its start."))
        return data
