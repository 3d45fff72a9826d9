from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PostKind

BODY_HELP = _(
    "Markdown works. Mention someone with @[Their Name]; link records with #proposal-12, "
    "#action-5, #meeting-3, #document-7 or #indicator-2."
)


def _people(partnership: Any) -> Any:
    from commonground.accounts.models import User

    return User.objects.filter(
        partnership_roles__partnership=partnership,
        partnership_roles__ended_on__isnull=True,
        is_active=True,
    ).distinct()


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Your post"), widget=forms.Textarea(attrs={"rows": 6}), help_text=BODY_HELP
    )
    kind = forms.ChoiceField(label=_("This post is"), choices=PostKind.choices, required=False)
    addressee: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("A request to"),
        queryset=None,
        required=False,
        help_text=_("Ask someone in the partnership; the request stays open until answered."),
    )
    attachments: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Attach documents from the data room"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    accept_rules = forms.BooleanField(
        label=_("I accept the ground rules of this partnership"), required=False
    )
    quote = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, partnership: Any, user: Any, accepted: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        from commonground.library.rules import visible_documents

        self.fields["addressee"].queryset = _people(partnership)  # type: ignore[attr-defined]
        self.fields["attachments"].queryset = visible_documents(  # type: ignore[attr-defined]
            user, partnership
        ).order_by("title")
        if accepted:
            del self.fields["accept_rules"]


class ThreadForm(PostForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    working_group: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Working group"),
        queryset=None,
        required=False,
        empty_label=_("Whole partnership"),
    )
    field_order = ["title", "working_group", "body"]

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any):
        super().__init__(*args, partnership=partnership, **kwargs)
        self.fields["working_group"].queryset = partnership.working_groups.filter(  # type: ignore[attr-defined]
            is_active=True
        )


class EditForm(forms.Form):
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}), help_text=BODY_HELP
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class GroundRulesForm(forms.Form):
    text = forms.CharField(label=_("Ground rules"), widget=forms.Textarea(attrs={"rows": 10}))


class PromoteForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    meeting: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Meeting"), queryset=None, required=False
    )

    def __init__(self, *args: Any, partnership: Any, kind: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if kind == "agenda_item":
            from django.utils import timezone

            from commonground.meetings.models import Meeting

            self.fields["meeting"].required = True
            self.fields["meeting"].queryset = Meeting.objects.filter(  # type: ignore[attr-defined]
                partnership=partnership, starts_at__gt=timezone.now()
            ).order_by("starts_at")
        else:
            del self.fields["meeting"]
