from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from commonground.organisations.models import Organisation, OrgType, Sector

from . import edges as edge_registry
from . import preplists
from .models import (
    Coordination,
    Relationship,
    ServiceType,
    SpareCapacity,
    Survey,
    SurveyInvitation,
)

DATE = forms.DateInput(attrs={"type": "date"})
ORG_NAME = {"placeholder": _("Organisation name"), "autocomplete": "off"}


SUGGESTIONS = 10


class OrganisationByName(forms.CharField):
    """An organisation of the directory, typed by name (a text box, not a list of every
    organisation): an exact name, a single partial match or the organisation's number
    settles it; otherwise the error lists up to ten that match. Cleans to an
    ``Organisation`` (or None when left empty)."""

    widget = forms.SearchInput(attrs=ORG_NAME)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Organisation):
            return value.name
        if isinstance(value, int):  # a model form's initial: the organisation's id
            org = Organisation.objects.filter(pk=value).only("name").first()
            return org.name if org else value
        return value

    def clean(self, value: Any) -> Organisation | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        exact = list(Organisation.objects.filter(name__iexact=text).order_by("pk")[:SUGGESTIONS])
        if len(exact) == 1:
            return exact[0]
        if text.isdigit():
            by_number = Organisation.objects.filter(pk=int(text)).first()
            if by_number is not None:
                return by_number
        if exact:
            raise forms.ValidationError(
                _(
                    "Several organisations are called “%(name)s”; type the number of the one you mean: %(choices)s."
                ),
                params={
                    "name": text,
                    "choices": ", ".join(f"{o.name} ({o.pk})" for o in exact),
                },
            )
        found = list(
            Organisation.objects.filter(name__icontains=text).order_by("name", "pk")[
                : SUGGESTIONS + 1
            ]
        )
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(
                _("No organisation in the directory matches “%(name)s”."), params={"name": text}
            )
        raise forms.ValidationError(
            _("Several organisations match “%(name)s”; type the full name: %(choices)s%(more)s."),
            params={
                "name": text,
                "choices": "; ".join(o.name for o in found[:SUGGESTIONS]),
                "more": " …" if len(found) > SUGGESTIONS else "",
            },
        )


class RelationshipForm(forms.ModelForm):
    source = OrganisationByName(label=capfirst(Relationship._meta.get_field("source").verbose_name))
    target = OrganisationByName(label=capfirst(Relationship._meta.get_field("target").verbose_name))

    class Meta:
        model = Relationship
        fields = ["source", "kind", "target", "started_on", "ended_on", "confidence", "evidence"]
        widgets = {"started_on": DATE, "ended_on": DATE}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source, target = data.get("source"), data.get("target")
        if source and target and source == target:
            self.add_error("target", _("An organisation cannot have a relationship with itself."))
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", _("The end date must be on or after the start date."))
        return data

    def validate_constraints(self, exclude: Any = None) -> None:
        # clean() above already gives these messages on the right fields.
        return None


class NetworkFilterForm(forms.Form):
    f = forms.CharField(widget=forms.HiddenInput, required=False, initial="1")
    sector = forms.MultipleChoiceField(
        label=_("Sectors"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.MultipleChoiceField(
        label=_("Relationship types"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start = forms.DateField(label=_("Period from"), required=False, widget=DATE)
    end = forms.DateField(label=_("Period until"), required=False, widget=DATE)
    # "Who knows whom": a name to search for among the organisations on the map (no
    # list of every organisation in the page). Once found, the organisation's number
    # travels in a hidden field; an organisation the person cannot see is simply "not
    # on the map".
    from_name = forms.CharField(
        label=_("From"), required=False, max_length=200, widget=forms.SearchInput(attrs=ORG_NAME)
    )
    to_name = forms.CharField(
        label=_("To"), required=False, max_length=200, widget=forms.SearchInput(attrs=ORG_NAME)
    )
    path_from = forms.IntegerField(required=False, widget=forms.HiddenInput)
    path_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Across partnerships only: which of the person's partnerships to map, by name.
    partnership = forms.CharField(
        label=_("Partnership name"), required=False, max_length=200, widget=forms.SearchInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = edge_registry.edge_kinds()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period must be on or after its start."))
        return data


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "area", "introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 3})}


class SurveyInvitationForm(forms.ModelForm):
    organisation = OrganisationByName(
        label=capfirst(SurveyInvitation._meta.get_field("organisation").verbose_name),
        required=False,
        help_text=SurveyInvitation._meta.get_field("organisation").help_text,
    )

    class Meta:
        model = SurveyInvitation
        fields = ["organisation", "organisation_name", "contact_name", "contact_email"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("organisation") and not (data.get("organisation_name") or "").strip():
            self.add_error(
                "organisation", _("Choose an organisation from the directory or type its name.")
            )
        return data


TEXT = forms.Textarea(attrs={"rows": 3})


class SurveyAnswerForm(forms.Form):
    respondent_name = forms.CharField(label=_("Your name"), max_length=120)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices, initial=Sector.CIVIL)
    org_type = forms.ChoiceField(label=_("Type"), choices=OrgType.choices, initial=OrgType.OTHER)
    place_name = forms.CharField(label=_("Where you work"), max_length=120, required=False)
    services = forms.CharField(
        label=_("Which services do you provide?"), widget=TEXT, required=False
    )
    target_groups = forms.CharField(
        label=_("For whom (target groups)?"), widget=TEXT, required=False
    )
    funded_role = forms.CharField(
        label=_("What are you funded to do?"), widget=TEXT, required=False
    )
    actual_role = forms.CharField(
        label=_("What do you actually end up doing?"),
        widget=TEXT,
        required=False,
        help_text=_("Often different from the funded role; both answers help us see the gaps."),
    )
    referral_rules = forms.CharField(
        label=_("How do clients reach you, and where do you send them?"),
        widget=TEXT,
        required=False,
    )
    eligibility_rules = forms.CharField(
        label=_("Who is eligible for your services?"), widget=TEXT, required=False
    )
    data_collected = forms.CharField(
        label=_("Which data do you collect?"), widget=TEXT, required=False
    )
    coordination = forms.ChoiceField(
        label=_("Do you take part in coordination with others?"),
        choices=Coordination.choices,
        initial=Coordination.NONE,
    )
    coordination_notes = forms.CharField(
        label=_("Which networks, forums or coordination bodies?"), widget=TEXT, required=False
    )
    spare_capacity = forms.ChoiceField(
        label=_("Could you serve more people than you do today?"),
        choices=[("", _("We do not know")), *SpareCapacity.choices],
        required=False,
    )
    capacity_limits = forms.CharField(
        label=_("What limits how many you can serve (staff, space, money, rules)?"),
        widget=TEXT,
        required=False,
    )
    funding_security = forms.CharField(
        label=_("How secure is your funding, and until when?"), widget=TEXT, required=False
    )
    public_links = forms.CharField(
        label=_("How are you linked to public services?"),
        widget=TEXT,
        required=False,
        help_text=_(
            "For example the municipality's social, health or employment services, schools or "
            "the police: who refers people to you, contracts, shared data, joint cases."
        ),
    )

    def __init__(self, *args: Any, known_organisation: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if known_organisation:
            for name in ("organisation_name", "sector", "org_type"):
                del self.fields[name]
        else:
            self.fields["organisation_name"].required = True


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Programme"), max_length=200, required=False)
    service_type = forms.ChoiceField(
        label=_("Service type"), choices=[("", "—"), *ServiceType.choices], required=False
    )
    capacity = forms.IntegerField(label=_("Capacity (places)"), min_value=0, required=False)
    participants_per_year = forms.IntegerField(
        label=_("Participants per year"), min_value=0, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and not data.get("service_type"):
            self.add_error("service_type", _("Choose the type of service."))
        if not data.get("name") and (data.get("capacity") or data.get("participants_per_year")):
            self.add_error("name", _("Name the programme."))
        return data


FUNDER_SECTORS = [
    (Sector.FUNDER, Sector.FUNDER.label),
    (Sector.PUBLIC, Sector.PUBLIC.label),
    (Sector.PRIVATE, Sector.PRIVATE.label),
    (Sector.MULTILATERAL, Sector.MULTILATERAL.label),
]


class FunderForm(forms.Form):
    name = forms.CharField(label=_("Funder"), max_length=200, required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=FUNDER_SECTORS, initial=Sector.FUNDER)
    expectations = forms.CharField(
        label=_("What does the funder expect from you?"), max_length=2000, required=False
    )


class ReferralForm(forms.Form):
    name = forms.CharField(
        label=_("Organisation you refer clients to"), max_length=200, required=False
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices, initial=Sector.CIVIL)


ProgrammeFormSet = forms.formset_factory(ProgrammeForm, extra=3, max_num=20)
FunderFormSet = forms.formset_factory(FunderForm, extra=3, max_num=20)
ReferralFormSet = forms.formset_factory(ReferralForm, extra=3, max_num=20)


# --- preparation tools --------------------------------------------------------------

LINES = forms.Textarea(attrs={"rows": 5})
ONE_PER_LINE = _("One item per line.")


class SelfRatingForm(forms.Form):
    rating = forms.IntegerField(
        label=_("Where do we stand on the problem, from 0 to 10?"),
        min_value=0,
        max_value=10,
        help_text=_("0 means nothing has changed yet; 10 means the problem is solved."),
    )
    reasoning = forms.CharField(label=_("Why this number?"), widget=TEXT, required=False)
    previous_step_done = forms.BooleanField(
        label=_("We did the half-step we planned last time"), required=False
    )
    next_step = forms.CharField(
        label=_("Next half-step"),
        widget=TEXT,
        help_text=_("One small, concrete thing that would move us half a point up."),
    )
    next_step_by = forms.DateField(label=_("By when"), required=False, widget=DATE)
    note = forms.CharField(label=_("What changed since last time"), max_length=300, required=False)


class StopStartContinueForm(forms.Form):
    stop = forms.CharField(label=_("Stop"), widget=LINES, required=False, help_text=ONE_PER_LINE)
    start = forms.CharField(label=_("Start"), widget=LINES, required=False, help_text=ONE_PER_LINE)
    continue_ = forms.CharField(
        label=_("Continue"), widget=LINES, required=False, help_text=ONE_PER_LINE
    )
    note = forms.CharField(label=_("What changed since last time"), max_length=300, required=False)

    def add_prefix(self, field_name: str) -> str:
        # "continue" is a Python keyword, so the field is continue_ but posts as "continue".
        return super().add_prefix("continue" if field_name == "continue_" else field_name)


class BenefitsForm(forms.Form):
    benefits = forms.CharField(
        label=_("Benefits"), widget=LINES, required=False, help_text=ONE_PER_LINE
    )
    drawbacks = forms.CharField(
        label=_("Drawbacks and costs"), widget=LINES, required=False, help_text=ONE_PER_LINE
    )
    note = forms.CharField(label=_("What changed since last time"), max_length=300, required=False)


class ResourcesForm(forms.Form):
    resources = forms.CharField(
        label=_("Resources we can bring"), widget=LINES, required=False, help_text=ONE_PER_LINE
    )
    limitations = forms.CharField(
        label=_("Limitations to be honest about"),
        widget=LINES,
        required=False,
        help_text=ONE_PER_LINE,
    )
    note = forms.CharField(label=_("What changed since last time"), max_length=300, required=False)


class ListToolForm(forms.Form):
    """Work through one of the preparation lists: tick what applies, add a note."""

    tool = ""

    chosen = forms.MultipleChoiceField(
        label=_("What applies to us"), widget=forms.CheckboxSelectMultiple, required=False
    )
    comment = forms.CharField(
        label=_("Notes"),
        widget=TEXT,
        required=False,
        help_text=_("Anything to add: what it means for us, what we will do about it."),
    )
    note = forms.CharField(label=_("What changed since last time"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = self.fields["chosen"]
        assert isinstance(chosen, forms.MultipleChoiceField)
        chosen.choices = preplists.LISTS[self.tool]


def _list_form(tool: str) -> type[ListToolForm]:
    return type(f"{tool.title().replace('_', '')}Form", (ListToolForm,), {"tool": tool})


PREP_FORMS: dict[str, type[forms.Form]] = {
    **{tool: _list_form(tool) for tool in preplists.LISTS},
    "self_rating": SelfRatingForm,
    "stop_start_continue": StopStartContinueForm,
    "benefits": BenefitsForm,
    "resources": ResourcesForm,
}
