from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.accounts.models import User
from commonground.organisations.models import Organisation

from .models import MembershipStatus, Partnership, RepresentativeKind, RoleKind

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


class OrganisationSlugField(forms.ModelChoiceField):
    """An organisation chosen by its short name (slug) from the directory.

    A select of every organisation would not scale to a region's directory,
    so the field is a text box.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"list": "organisation-suggestions", "autocomplete": "off"}),
        )
        kwargs.setdefault(
            "help_text",
            _("The organisation’s short name in the directory, e.g. “gjenbruksnettverket”."),
        )
        super().__init__(Organisation.objects.all(), to_field_name="slug", **kwargs)
        self.error_messages["invalid_choice"] = _(
            "No organisation with that short name is in the directory."
        )


class MembershipForm(forms.Form):
    organisation = OrganisationSlugField(label=_("Organisation"))
    status = forms.ChoiceField(
        label=_("Status"), choices=MembershipStatus.choices, initial=MembershipStatus.ACTIVE
    )


def member_organisations(partnership: Partnership) -> Any:
    return Organisation.objects.filter(memberships__partnership=partnership).exclude(
        memberships__status=MembershipStatus.LEFT
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
        self.fields["organisation"].queryset = member_organisations(partnership)  # type: ignore[attr-defined]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    kind = forms.ChoiceField(
        label=_("Role"), choices=RoleKind.choices, initial=RoleKind.REPRESENTATIVE
    )
    organisation = OrganisationSlugField(
        label=_("Organisation"),
        required=False,
        help_text=_(
            "Short name of the organisation the person will represent (from the directory); "
            "it becomes an invited member."
        ),
    )
    representative_kind = forms.ChoiceField(
        label=_("Representative type"),
        choices=[("", "—"), *RepresentativeKind.choices],
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == RoleKind.REPRESENTATIVE:
            if not data.get("organisation"):
                self.add_error(
                    "organisation", _("A representative must represent an organisation.")
                )
            if not data.get("representative_kind"):
                self.add_error(
                    "representative_kind", _("Say whether they are a doer or a decision-maker.")
                )
        return data
