from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.organisations.models import Organisation
from commonground.partnerships.models import WorkingGroup
from commonground.partnerships.selectors import current_member_organisations as member_orgs

from .models import (
    CURRENCY_CHOICES,
    Benefit,
    Contribution,
    Kind,
    Status,
)


def member_choices(orgs: Any) -> list[tuple[int, str]]:
    """The organisations of ``member_orgs`` as ``(id, name)`` pairs for a menu, in
    their order, without building a model instance per organisation."""
    return list(orgs.values_list("pk", "name"))


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContributionForm(forms.ModelForm):
    # Shown only once the entry looks like one already recorded (see ``clean``).
    confirm_duplicate = forms.BooleanField(
        label=_("Record it anyway"),
        required=False,
        help_text=_("Tick this if it is a separate contribution, not the same one entered twice."),
    )

    class Meta:
        model = Contribution
        fields = [
            "kind",
            "title",
            "description",
            "contributor",
            "recipient_kind",
            "recipient_org",
            "recipient_group",
            "pledged_on",
            "due_on",
            "start_on",
            "end_on",
            "amount",
            "currency",
            "valuation_method",
            "source",
            "conditions",
            "scope",
            "experience",
            "hours",
            "fte",
            "owner",
            "custodian",
            "maintenance",
            "contingency",
            "risk_owner",
            "intellectual_property",
            "contractors",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "conditions": forms.Textarea(attrs={"rows": 2}),
            "scope": forms.Textarea(attrs={"rows": 2}),
            "maintenance": forms.Textarea(attrs={"rows": 2}),
            "contingency": forms.Textarea(attrs={"rows": 2}),
            "intellectual_property": forms.Textarea(attrs={"rows": 2}),
            "contractors": forms.Textarea(attrs={"rows": 2}),
            "pledged_on": DATE,
            "due_on": DATE,
            "start_on": DATE,
            "end_on": DATE,
        }
        help_texts = {
            "amount": _(
                "For funding, the amount given; for anything else, the value the partners put on it."
            ),
            "due_on": _(
                "When delivery is expected; open contributions past this date are flagged."
            ),
            "source": _("Funding only: where the money comes from."),
            "scope": _("Services and staff: what the people will do."),
            "owner": _("Assets: who owns it now."),
            "contingency": _("What the partners do if it comes late or costs more than planned."),
            "risk_owner": _("The member that carries the cost if it comes late or costs more."),
            "intellectual_property": _(
                "Who owns what is made with it (software, data, designs, patents) and who may use it."
            ),
            "contractors": _("Other firms that will do part of the work, and on what terms."),
        }

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = member_orgs(partnership)
        for name in ("contributor", "recipient_org"):
            self.fields[name].queryset = orgs  # type: ignore[attr-defined]
        for name in ("owner", "custodian", "risk_owner"):
            self.fields[name].queryset = orgs  # type: ignore[attr-defined]
        self.fields["recipient_group"].queryset = WorkingGroup.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership
        )
        self.fields["currency"].initial = "NOK"
        self.partnership = partnership
        self.duplicates: list[Contribution] = []
        if "confirm_duplicate" not in self.data:
            del self.fields["confirm_duplicate"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk is None and not cleaned.get("confirm_duplicate"):
            from .services import duplicate_contributions

            self.duplicates = duplicate_contributions(
                self.partnership,
                contributor=cleaned.get("contributor"),
                kind=cleaned.get("kind") or "",
                amount=cleaned.get("amount"),
                pledged_on=cleaned.get("pledged_on"),
            )
            if self.duplicates:
                self.fields["confirm_duplicate"] = copy.deepcopy(
                    self.base_fields["confirm_duplicate"]
                )
                raise forms.ValidationError(
                    _(
                        "A contribution from %(org)s of this kind, amount and date is already "
                        "recorded. If this is a separate contribution, tick “Record it anyway” "
                        "and save again."
                    ),
                    code="duplicate",
                    params={"org": cleaned.get("contributor")},
                )
        return cleaned

    def _post_clean(self) -> None:
        # Validation of the whole entry is the service's job (it also serves the API and import).
        pass


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    on = forms.DateField(label=_("On"), required=False, widget=DATE)


class ScheduleForm(forms.Form):
    due_on = forms.DateField(label=_("Due on"), widget=DATE)
    amount = forms.CharField(label=_("Amount"), max_length=30)
    paid_on = forms.DateField(label=_("Paid on"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class TransferForm(forms.Form):
    from_org = forms.ModelChoiceField(Organisation.objects.none(), label=_("From"))
    to_org = forms.ModelChoiceField(Organisation.objects.none(), label=_("To"))
    transfer_on = forms.DateField(label=_("Transfer date"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = member_orgs(partnership)
        self.fields["from_org"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["to_org"].queryset = orgs  # type: ignore[attr-defined]


class RateForm(forms.Form):
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES)
    rate = forms.CharField(label=_("Value of one unit in the reporting currency"), max_length=30)
    note = forms.CharField(label=_("Source of the rate"), max_length=200, required=False)


class BaseCurrencyForm(forms.Form):
    currency = forms.ChoiceField(label=_("Reporting currency"), choices=CURRENCY_CHOICES)


class BenefitForm(forms.ModelForm):
    value = forms.CharField(label=_("Estimated value"), max_length=30, required=False)

    class Meta:
        model = Benefit
        fields = ["organisation", "direction", "description", "value", "currency", "recorded_on"]
        widgets = {"recorded_on": DATE}

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = member_orgs(partnership)  # type: ignore[attr-defined]
        self.fields["recorded_on"].required = False

    def _post_clean(self) -> None:
        pass


class FilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Kind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Status.choices], required=False
    )
    contributor = forms.ModelChoiceField(
        Organisation.objects.none(), label=_("From"), required=False, empty_label=_("Anyone")
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contributor"]
        field.queryset = orgs = member_orgs(partnership)  # type: ignore[attr-defined]
        # The menu from (id, name) pairs; the queryset still validates a chosen member.
        field.choices = [("", field.empty_label), *member_choices(orgs)]  # type: ignore[attr-defined]


class FlowFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Kind.choices], required=False
    )
    date_from = forms.DateField(label=_("Pledged from"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Pledged until"), required=False, widget=DATE)
    measure = forms.ChoiceField(
        label=_("Width of the flows"),
        choices=[
            ("value", _("Value in the reporting currency")),
            ("count", _("Number of contributions")),
        ],
        required=False,
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    dry_run = forms.BooleanField(
        label=_("Only check the file (save nothing)"), required=False, initial=True
    )
