from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .content import method
from .models import ElementStatus, GlossaryTerm, MilestoneReview, NeedStill, ProblemCycle

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def phase_choices(codes: list[str]) -> list[tuple[str, str]]:
    return [(p.code, f"{p.number}. {p.title}") for p in method().phases if p.code in codes]


class TickForm(forms.Form):
    item = forms.CharField(max_length=120)
    ticked = forms.BooleanField(required=False)


class StepNoteForm(forms.Form):
    step = forms.CharField(max_length=80, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PhaseCompleteForm(forms.Form):
    # The phase the page showed: a second click or a stale page cannot complete the next one.
    phase = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PhaseReopenForm(forms.Form):
    phase = forms.ChoiceField(label=_("Phase to reopen"))
    reason = forms.CharField(
        label=_("Why reopen it? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, completed: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = phase_choices(completed or [])  # type: ignore[attr-defined]


class PhaseSendBackForm(forms.Form):
    to_phase = forms.ChoiceField(label=_("Go back to"))
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: no partner could be found for the main need."),
    )

    def __init__(self, *args: Any, earlier: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_phase"].choices = phase_choices(earlier or [])  # type: ignore[attr-defined]


class ReviewForm(forms.ModelForm):
    class Meta:
        model = MilestoneReview
        fields = ["need_still_there", "need_comment", "gaps", "changes"]
        widgets = {
            "need_still_there": forms.RadioSelect,
            "need_comment": forms.Textarea(attrs={"rows": 2}),
            "gaps": forms.Textarea(attrs={"rows": 3}),
            "changes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need_still_there"].choices = NeedStill.choices  # type: ignore[attr-defined]


class ElementForm(forms.Form):
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    text = forms.CharField(
        label=_("Agreed answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Markdown: **bold**, *italic*, lists starting with “-”, blank line between paragraphs."
        ),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ElementStatus.choices)
    agreed_by = forms.CharField(
        label=_("Agreed by"),
        required=False,
        max_length=300,
        help_text=_("Who agreed, and where: for example “all partners at the network meeting”."),
    )
    agreed_on = forms.DateField(label=_("Agreed on"), required=False, widget=DATE)
    revisit_on = forms.DateField(label=_("Revisit on"), required=False, widget=DATE)
    change_note = forms.CharField(
        label=_("What changed in this version? (optional)"), required=False, max_length=300
    )


class ProfileForm(forms.Form):
    """One choice field (and note) per trait and factor that is chosen, not derived."""

    def __init__(self, *args: Any, initial_choices: dict[str, Any] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        initial_choices = initial_choices or {}
        for dim in method().profile_dimensions:
            if dim.derived:
                continue
            rec = initial_choices.get(dim.code)
            self.fields[dim.code] = forms.ChoiceField(
                label=str(dim.title),
                help_text=str(dim.help),
                required=False,
                choices=[("", _("Not chosen yet"))] + [(c.code, str(c.title)) for c in dim.choices],
                initial=rec.choice if rec else "",
            )
            self.fields[f"{dim.code}__note"] = forms.CharField(
                label=_("Note on %(trait)s") % {"trait": dim.title},
                required=False,
                max_length=300,
                initial=rec.note if rec else "",
            )

    def choices(self) -> dict[str, tuple[str, str]]:
        return {
            dim.code: (self.cleaned_data[dim.code], self.cleaned_data[f"{dim.code}__note"])
            for dim in method().profile_dimensions
            if not dim.derived
        }


class TrustStageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"))
    on = forms.DateField(label=_("Since"), widget=DATE)
    note = forms.CharField(
        label=_("What shows it?"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [  # type: ignore[attr-defined]
            (s.code, str(s.title)) for s in method().trust_stages
        ]


class ProblemCycleForm(forms.ModelForm):
    class Meta:
        model = ProblemCycle
        fields = ["title", "started_on", "observation", "interpretation", "solution", "learning"]
        widgets = {
            "started_on": DATE,
            "observation": forms.Textarea(attrs={"rows": 3}),
            "interpretation": forms.Textarea(attrs={"rows": 3}),
            "solution": forms.Textarea(attrs={"rows": 3}),
            "learning": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stages = {s.code: s for s in method().problem_solving}
        for code in ("observation", "interpretation", "solution", "learning"):
            self.fields[code].label = str(stages[code].title) if code in stages else code
            self.fields[code].help_text = str(stages[code].help) if code in stages else ""


SCALE = [(str(v), str(v)) for v in range(1, 6)]


class SpectrumForm(forms.Form):
    def __init__(self, *args: Any, mine: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mine = mine or {}
        self.dimensions = []
        for dim in method().spectrum:
            rec = mine.get(dim.code)
            now_field = forms.TypedChoiceField(
                label=_("%(dimension)s: where we are") % {"dimension": dim.title},
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                initial=str(rec.now) if rec else None,
            )
            aim_field = forms.TypedChoiceField(
                label=_("%(dimension)s: where we want to be") % {"dimension": dim.title},
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                initial=str(rec.aim) if rec else None,
            )
            self.fields[f"{dim.code}__now"] = now_field
            self.fields[f"{dim.code}__aim"] = aim_field
            self.dimensions.append(dim)

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "dim": d,
                "pair": [
                    (_("Where we are"), self[f"{d.code}__now"]),
                    (_("Where we want to be"), self[f"{d.code}__aim"]),
                ],
            }
            for d in self.dimensions
        ]

    def ratings(self) -> dict[str, tuple[int, int]]:
        return {
            d.code: (self.cleaned_data[f"{d.code}__now"], self.cleaned_data[f"{d.code}__aim"])
            for d in self.dimensions
        }


class GlossaryTermForm(forms.ModelForm):
    class Meta:
        model = GlossaryTerm
        fields = ["preferred", "avoid", "definition"]
        widgets = {"definition": forms.Textarea(attrs={"rows": 2})}
