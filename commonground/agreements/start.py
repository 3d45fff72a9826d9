"""The agree phase's first choice: start with one partner or with many.

A small feature kept in one module (the record's service, its form, its page and its
evidence), so it stays apart from the agreement texts in ``services`` and ``views``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from commonground.core.audit import audit_record
from commonground.core.evidence import Evidence
from commonground.core.i18n import Msg
from commonground.core.policy import partnership_view
from commonground.core.views_helpers import form_status, handle_form

from . import rules
from .models import StartDecision, StartScope

if TYPE_CHECKING:
    from commonground.accounts.models import User
    from commonground.core.http import AuthedRequest
    from commonground.partnerships.models import Partnership


def start_decide(
    *, actor: User, partnership: Partnership, scope: str, reason: str = ""
) -> StartDecision:
    """Record (or change) how the partnership starts: with one partner or with many."""
    if scope not in StartScope.values:
        raise ValidationError({"scope": [_("Choose one partner or several partners.")]})
    decision, _created = StartDecision.objects.update_or_create(
        partnership=partnership,
        defaults={
            "scope": scope,
            "reason": (reason or "").strip(),
            "decided_on": timezone.localdate(),
            "decided_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="agreements.start_decide",
        target=decision,
        summary=Msg(gettext_noop("Decided how to start: %(scope)s"), scope=scope),
        after={"scope": scope},
    )
    return decision


class StartDecisionForm(forms.Form):
    scope = forms.ChoiceField(
        label=gettext_lazy("How do you start?"),
        choices=StartScope.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "For example: one partner first to build trust and a working model; several "
            "at once when the problem needs them all from the start."
        ),
    )


@partnership_view(rules.DRAFT)
def start_decision(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    current = StartDecision.objects.filter(partnership=partnership).first()
    initial = {"scope": current.scope, "reason": current.reason} if current else None
    form = StartDecisionForm(request.POST or None, initial=initial)
    done = handle_form(
        request,
        form,
        lambda data: start_decide(
            actor=request.user,
            partnership=partnership,
            scope=data["scope"],
            reason=data["reason"],
        ),
        success_message=_("Recorded how the partnership starts."),
        redirect_to=reverse("agreements:list", kwargs={"slug": partnership.slug}),
    )
    if done:
        return done
    return render(
        request,
        "agreements/start.html",
        {"form": form, "current": current},
        status=form_status(request),
    )


def start_decided(p: Any) -> Evidence | None:
    decision = StartDecision.objects.filter(partnership=p).first()
    if decision is None:
        return None
    return Evidence(
        gettext_lazy("Decided: %(scope)s") % {"scope": decision.get_scope_display()},
        reverse("agreements:start", kwargs={"slug": p.slug}),
        decision.decided_on,
    )
