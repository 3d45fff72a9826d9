from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.accounts.models import User
from commonground.organisations.models import Organisation, Sector, normalise_org_number
from commonground.organisations.picker import (
    NewOrganisation,
    OrganisationField,
    describe,
    possible_duplicates,
)

from .models import MembershipStatus, Partnership, RepresentativeKind, RoleKind
from .selectors import current_member_organisations

PARTNERSHIP_FORM_FIELDS = [
    "name",
    "purpose",
    "model",
    "visibility",
    "place_name",
    "trigger",
    "objectives",
    "needs",
    "resources",
    "brokered_by",
]


class PartnershipForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = PARTNERSHIP_FORM_FIELDS
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "trigger": forms.Textarea(attrs={"rows": 3}),
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "needs": forms.Textarea(attrs={"rows": 3}),
            "resources": forms.Textarea(attrs={"rows": 3}),
        }


class MembershipForm(forms.Form):
    organisation = OrganisationField(label=_("Organisation"))
    status = forms.ChoiceField(
        label=_("Status"), choices=MembershipStatus.choices, initial=MembershipStatus.ACTIVE
    )


class RoleForm(forms.Form):
    user = forms.ModelChoiceField(
        User.objects.filter(is_active=True),
        to_field_name="email",
        label=_("Person’s email"),
        widget=forms.EmailInput,
        help_text=_("Someone who already has an account; invite new people instead."),
        error_messages={
            "invalid_choice": _(
                "Nobody with that email has an account yet. Send an invitation instead."
            )
        },
    )
    kind = forms.ChoiceField(label=_("Role"), choices=RoleKind.choices)
    organisation = forms.ModelChoiceField(
        Organisation.objects.none(), label=_("On behalf of"), required=False
    )
    representative_kind = forms.ChoiceField(
        label=_("Representative type"),
        choices=[("", "—"), *RepresentativeKind.choices],
        required=False,
    )
    is_signatory = forms.BooleanField(label=_("Authorised signatory"), required=False)
    title = forms.CharField(label=_("Job title"), required=False, max_length=120)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = current_member_organisations(partnership)  # type: ignore[attr-defined]


class RoleEditForm(forms.Form):
    organisation = forms.ModelChoiceField(
        Organisation.objects.none(), label=_("On behalf of"), required=False
    )
    representative_kind = forms.ChoiceField(
        label=_("Representative type"),
        choices=[("", "—"), *RepresentativeKind.choices],
        required=False,
    )
    is_signatory = forms.BooleanField(
        label=_("Authorised to sign agreements for the organisation"), required=False
    )
    title = forms.CharField(label=_("Job title"), required=False, max_length=120)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = current_member_organisations(partnership)  # type: ignore[attr-defined]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    kind = forms.ChoiceField(
        label=_("Role"), choices=RoleKind.choices, initial=RoleKind.REPRESENTATIVE
    )
    organisation = OrganisationField(
        label=_("Organisation"),
        required=False,
        allow_new=True,
        help_text=_(
            "Type part of its name, short name or organisation number and choose; it becomes "
            "an invited member. Not in the directory yet? Type its full name and give its "
            "sector below."
        ),
    )
    new_sector = forms.ChoiceField(
        label=_("Sector (only for an organisation new to the directory)"),
        choices=[("", "—"), *Sector.choices],
        required=False,
    )
    new_org_number = forms.CharField(
        label=_("Organisation number (optional, for a new organisation)"),
        required=False,
        max_length=20,
    )
    representative_kind = forms.ChoiceField(
        label=_("Representative type"),
        choices=[("", "—"), *RepresentativeKind.choices],
        required=False,
    )
    is_signatory = forms.BooleanField(
        label=_("Authorised to sign agreements for the organisation"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organisation = data.get("organisation")
        if data.get("kind") == RoleKind.REPRESENTATIVE:
            if not organisation and "organisation" not in self.errors:
                self.add_error(
                    "organisation", _("A representative must represent an organisation.")
                )
            if not data.get("representative_kind"):
                self.add_error(
                    "representative_kind", _("Say whether they are a doer or a decision-maker.")
                )
        if data.get("is_signatory") and not organisation and "organisation" not in self.errors:
            self.add_error(
                "is_signatory", _("A signatory signs for an organisation: choose the organisation.")
            )
        if isinstance(organisation, NewOrganisation):
            self._check_new_organisation(organisation, data)
        return data

    def _check_new_organisation(self, new: NewOrganisation, data: dict[str, Any]) -> None:
        number = normalise_org_number(data.get("new_org_number", ""))
        twins = possible_duplicates(new.name, number)
        if twins:
            self.add_error(
                "organisation",
                _(
                    "“%(name)s” looks like an organisation already in the directory: %(found)s. "
                    "Type its name to choose it."
                )
                % {"name": new.name, "found": "; ".join(describe(o) for o in twins)},
            )
        elif not data.get("new_sector"):
            self.add_error(
                "new_sector",
                _("“%(name)s” is not in the directory yet: choose its sector to add it.")
                % {"name": new.name},
            )
        if data.get("new_org_number") and len(number) < 6:
            self.add_error("new_org_number", _("An organisation number has at least six digits."))


# --- ending the partnership: one small form per step --------------------------------------

_TEXT = {"rows": 4}


class DissatisfactionForm(forms.Form):
    dissatisfaction_note = forms.CharField(
        label=_("What was raised, with which partners and funders, and what they said"),
        widget=forms.Textarea(attrs=_TEXT),
    )


class AgreementReviewForm(forms.Form):
    agreement_ids = forms.TypedMultipleChoiceField(
        label=_("Agreements reviewed"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agreement_note = forms.CharField(
        label=_("What the agreement says about ending, exit and what each party keeps"),
        widget=forms.Textarea(attrs=_TEXT),
    )

    def __init__(self, *args: Any, links: list[tuple[int, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreement_ids"].choices = [(pk, title) for pk, title, _url in links]  # type: ignore[attr-defined]


class MediatorForm(forms.Form):
    mediator_needed = forms.TypedChoiceField(
        label=_("A third-party mediator"),
        choices=[("no", _("Not needed")), ("yes", _("Brought in"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="no",
    )
    mediator_name = forms.CharField(label=_("Mediator"), max_length=200, required=False)
    mediator_organisation = forms.CharField(
        label=_("Mediator's organisation"), max_length=200, required=False
    )
    mediator_note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class LessonsForm(forms.Form):
    lesson_achievements = forms.CharField(
        label=_("Achievements: what the partnership achieved"),
        widget=forms.Textarea(attrs=_TEXT),
        required=False,
    )
    lesson_contributions = forms.CharField(
        label=_("Contributions: what each partner brought"),
        widget=forms.Textarea(attrs=_TEXT),
        required=False,
    )
    lesson_adaptation = forms.CharField(
        label=_("Adaptation: how the partners adapted along the way"),
        widget=forms.Textarea(attrs=_TEXT),
        required=False,
    )
    lesson_communication = forms.CharField(
        label=_("Communication problems: what went wrong between partners, and why"),
        widget=forms.Textarea(attrs=_TEXT),
        required=False,
    )


class AnnouncementForm(forms.Form):
    announcement = forms.CharField(
        label=_("Announcement to partners, funders and the public"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    announce_on = forms.DateField(
        label=_("Announced on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


ENDING_FORMS: dict[str, type[forms.Form]] = {
    "dissatisfaction": DissatisfactionForm,
    "agreement": AgreementReviewForm,
    "mediator": MediatorForm,
    "lessons": LessonsForm,
    "announcement": AnnouncementForm,
}
