from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.contributions.forms import member_orgs
from commonground.organisations.models import Organisation

from .models import Component, ContextItem, Form, Template

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

ANSWER_HELP = _("Answer these so the product can advise how formal the agreement should be.")


class _AnswersMixin(forms.Form):
    funds_for_deliverables = forms.BooleanField(
        label=_("Funds change hands in return for deliverables"), required=False
    )
    assets_committed = forms.BooleanField(
        label=_("Parties commit assets, facilities or equipment"), required=False
    )
    staff_provided = forms.BooleanField(label=_("Staff are provided"), required=False)
    services_central = forms.BooleanField(
        label=_("The services or capacity provided are central to our goals"), required=False
    )
    third_party_contracts = forms.BooleanField(
        label=_("Existing contracts with third parties are leveraged"), required=False
    )
    delivery_critical = forms.BooleanField(
        label=_("Late or failed delivery would cause real loss"), required=False
    )


class AgreementCreateForm(_AnswersMixin):
    title = forms.CharField(label=_("Title"), max_length=200)
    template = forms.ChoiceField(
        label=_("Start from"),
        choices=Template.choices,
        initial=Template.MOU,
        help_text=_(
            "The templates are filled in from the partnership's members, roles and contributions."
        ),
    )
    form = forms.ChoiceField(label=_("Form"), choices=Form.choices, initial=Form.MOU)
    parties = forms.ModelMultipleChoiceField(
        Organisation.objects.none(), label=_("Parties"), widget=forms.CheckboxSelectMultiple
    )
    start_on = forms.DateField(label=_("Starts on"), required=False, widget=DATE)
    end_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE)
    trial_months = forms.IntegerField(label=_("Trial period (months)"), required=False, min_value=0)

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = member_orgs(partnership)  # type: ignore[attr-defined]


class AgreementEditForm(_AnswersMixin):
    title = forms.CharField(label=_("Title"), max_length=200)
    form = forms.ChoiceField(label=_("Form"), choices=Form.choices)
    parties = forms.ModelMultipleChoiceField(
        Organisation.objects.none(), label=_("Parties"), widget=forms.CheckboxSelectMultiple
    )
    start_on = forms.DateField(label=_("Starts on"), required=False, widget=DATE)
    end_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE)
    trial_months = forms.IntegerField(label=_("Trial period (months)"), required=False, min_value=0)
    context_considered = forms.MultipleChoiceField(
        label=_("Legal and regulatory context we have considered"),
        choices=ContextItem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("What changed (for the version history)"), max_length=300, required=False
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = member_orgs(partnership)  # type: ignore[attr-defined]
        for value, label in Component.choices:
            self.fields[f"clause_{value}"] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 4})
            )

    def clause_fields(self) -> list[Any]:
        return [self[f"clause_{c}"] for c in Component.values]

    def head_fields(self) -> list[Any]:
        return [
            self[n]
            for n in ("title", "form", "parties", "start_on", "end_on", "trial_months", "note")
        ]

    def answer_fields(self) -> list[Any]:
        return [
            self[n]
            for n in (
                "funds_for_deliverables",
                "assets_committed",
                "staff_provided",
                "services_central",
                "third_party_contracts",
                "delivery_critical",
            )
        ]

    def clauses(self) -> dict[str, str]:
        return {c: self.cleaned_data.get(f"clause_{c}", "") for c in Component.values}


class RatifyForm(forms.Form):
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label=_("On behalf of"))
    sha256 = forms.CharField(widget=forms.HiddenInput, required=False)
    confirm = forms.BooleanField(
        label=_(
            "I have read this exact version and am authorised to ratify it for my organisation."
        ),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["organisation"].empty_label = None  # type: ignore[attr-defined]


class TerminationForm(forms.Form):
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label=_("On behalf of"))
    effective_on = forms.DateField(label=_("Takes effect on"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["organisation"].empty_label = None  # type: ignore[attr-defined]


class AmendForm(forms.Form):
    note = forms.CharField(label=_("Why amend"), max_length=300, required=False)


class CompactForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, initial=_("Members' compact"))
    introduction = forms.CharField(
        label=_("Introduction"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    principles = forms.CharField(
        label=_("Principles"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("One principle per line. Add what it looks like in practice after a colon."),
    )

    def principle_list(self) -> list[tuple[str, str]]:
        out = []
        for line in self.cleaned_data["principles"].splitlines():
            if not line.strip():
                continue
            title, _sep, behaviours = line.partition(":")
            out.append((title.strip(), behaviours.strip()))
        return out


class SignForm(forms.Form):
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label=_("Sign for"))

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["organisation"].empty_label = None  # type: ignore[attr-defined]


class AssessForm(forms.Form):
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label=_("Organisation"))
    year = forms.IntegerField(label=_("Year"))

    def __init__(
        self, *args: Any, organisations: Any, principles: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["organisation"].empty_label = None  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year
        self.principles = principles
        for p in principles:
            self.fields[f"score_{p.pk}"] = forms.TypedChoiceField(
                label=p.title,
                choices=[(i, str(i)) for i in range(1, 6)],
                coerce=int,
                widget=forms.RadioSelect,
                help_text=_("1 = not yet, 5 = fully lived"),
            )

    def scores(self) -> dict[int, int]:
        return {p.pk: self.cleaned_data[f"score_{p.pk}"] for p in self.principles}
