from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.accounts.models import User
from commonground.partnerships.models import WorkingGroup

from . import selectors
from .models import (
    PROPOSAL_METHODS,
    DecisionDomain,
    DecisionMethod,
    GovernanceSettings,
    NotificationPreference,
    Proposal,
    TieRule,
)


class WorkingGroupForm(forms.ModelForm):
    class Meta:
        model = WorkingGroup
        fields = ["name", "remit", "lead", "is_active"]
        widgets = {"remit": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"remit": _("What the group is for and what it may decide.")}

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = selectors.partnership_people(partnership)  # type: ignore[attr-defined]


class MemberAddForm(forms.Form):
    user: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=User.objects.none(), label=_("Person")
    )

    def __init__(self, *args: Any, partnership: Any, group: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = selectors.partnership_people(partnership).exclude(  # type: ignore[attr-defined]
            pk__in=group.members.values("pk")
        )


class GovernanceForm(forms.ModelForm):
    class Meta:
        model = GovernanceSettings
        fields = [
            "major_spending_threshold",
            "currency",
            "eligibility",
            "default_quorum_percent",
            "closing_soon_hours",
        ]


class DomainForm(forms.ModelForm):
    class Meta:
        model = DecisionDomain
        fields = ["name", "kind", "description", "working_group", "person", "spending_limit"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = WorkingGroup.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership, is_active=True
        )
        self.fields["person"].queryset = selectors.partnership_people(partnership)  # type: ignore[attr-defined]


def _default_close() -> datetime.datetime:
    return (timezone.localtime() + datetime.timedelta(days=7)).replace(
        minute=0, second=0, microsecond=0
    )


class ProposalForm(forms.ModelForm):
    closes_at = forms.DateTimeField(
        label=_("Closes at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        initial=_default_close,
    )
    options_text = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One option per line. Needed for score, ranked-choice, dot votes and time polls "
            "(for a time poll, one date and time per line)."
        ),
    )

    class Meta:
        model = Proposal
        fields = [
            "title",
            "details",
            "working_group",
            "domain",
            "method",
            "options_text",
            "tie_rule",
            "closes_at",
            "quorum_percent",
            "spending_amount",
            "is_policy",
            "max_score",
            "dots",
            "results_hidden",
            "anonymous",
        ]
        help_texts = {
            "quorum_percent": _("Share of those eligible who must vote for the result to count."),
            "anonymous": _(
                "Nobody, managers included, can see who chose what. Anonymous votes cannot be "
                "changed once cast, and results stay hidden until the vote closes."
            ),
            "spending_amount": _(
                "Spending above the partnership's threshold is decided by the whole partnership."
            ),
            "max_score": _("Score votes only."),
            "dots": _("Dot votes only."),
            "tie_rule": _(
                "Votes between options only (score, ranked choice, dot vote, time poll), and "
                "shown to everyone before they vote. A runoff opens a new vote between the "
                "tied options at once (if that ties too, the chair decides); the chair "
                "chooses among them and gives a reason; a lot is drawn at the close."
            ),
        }
        widgets = {"details": forms.Textarea(attrs={"rows": 6}), "tie_rule": forms.RadioSelect}

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = WorkingGroup.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership, is_active=True
        )
        self.fields["working_group"].empty_label = _("The whole partnership")  # type: ignore[attr-defined]
        self.fields["domain"].queryset = DecisionDomain.objects.filter(partnership=partnership)  # type: ignore[attr-defined]
        self.fields["method"].choices = PROPOSAL_METHODS  # type: ignore[attr-defined]
        # No empty choice: every vote between options has a rule (other methods ignore it).
        self.fields["tie_rule"].choices = TieRule.choices  # type: ignore[attr-defined]
        self.fields["tie_rule"].required = False
        self.initial.setdefault("tie_rule", TieRule.RUNOFF)
        if not self.is_bound:
            self.initial.setdefault(
                "quorum_percent", selectors.governance_for(partnership).default_quorum_percent
            )

    def clean_options_text(self) -> list[str]:
        text = self.cleaned_data.get("options_text") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        method = data.get("method")
        options = data.get("options_text") or []
        if (
            method
            in (
                DecisionMethod.SCORE,
                DecisionMethod.RANKED,
                DecisionMethod.DOT,
                DecisionMethod.TIME_POLL,
            )
            and len(options) < 2
        ):
            self.add_error("options_text", _("Give at least two options, one per line."))
        closes = data.get("closes_at")
        if closes and closes <= timezone.now():
            self.add_error("closes_at", _("The closing time must be in the future."))
        return data


class TieSettleForm(forms.Form):
    """The chair's choice among the options tied for first place."""

    option = forms.TypedChoiceField(
        label=_("Chosen option"), coerce=int, choices=(), widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the proposal and in the decision register with your name."),
    )

    def __init__(self, *args: Any, among: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["option"].choices = [(o["id"], o["label"]) for o in among]  # type: ignore[attr-defined]


class OutcomeForm(forms.Form):
    statement = forms.CharField(
        label=_("Outcome statement"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was decided, in plain words, and what happens next."),
    )


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["frequency"]
        widgets = {"frequency": forms.RadioSelect}


class DelegatedDecisionForm(forms.Form):
    domain = forms.ModelChoiceField(
        queryset=DecisionDomain.objects.none(), label=_("Decision domain")
    )
    title = forms.CharField(label=_("Decision"), max_length=300)
    statement = forms.CharField(
        label=_("Details and reasons"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    decided_on = forms.DateField(
        label=_("Decided on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    spending_amount = forms.DecimalField(
        label=_("Spending involved"), max_digits=14, decimal_places=2, min_value=0, required=False
    )

    def __init__(self, *args: Any, domains: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = domains  # type: ignore[attr-defined]
