from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from commonground.core import policy
from commonground.core.http import AuthedRequest
from commonground.core.pagination import paginate
from commonground.core.policy import partnership_view
from commonground.core.views_helpers import apply_service_errors, form_page, post_action
from commonground.partnerships.models import Partnership

from . import rules, selectors, services
from .compact import compact_averages
from .forms import (
    FollowUpNoteForm,
    ItemForm,
    ItemRewordForm,
    ReferenceRateForm,
    RoundForm,
    SurveyForm,
)
from .models import FollowUpNote, Round, SurveyItem


@partnership_view(rules.VIEW)
def round_list(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    can_manage = policy.has_capability(request.user, partnership, rules.MANAGE)
    page = paginate(request, selectors.rounds_for(partnership, include_unpublished=True))
    for r in page.object_list:
        r.percent = selectors.pct(r.answered, r.invited)
    return render(
        request,
        "healthchecks/round_list.html",
        {
            "page": page,
            "can_manage": can_manage,
            "trend": selectors.trend(partnership),
            "min_responses": selectors.MIN_RESPONSES,
            "reference_rate": selectors.reference_rate(partnership),
            "next_round": selectors.next_round(partnership),
            "today": timezone.localdate(),
        },
    )


@partnership_view(rules.MANAGE)
def round_create(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = RoundForm(request.POST or None, partnership=partnership)
    return form_page(
        request,
        form,
        lambda data: services.round_open(actor=request.user, partnership=partnership, **data),
        "healthchecks/round_form.html",
        success_message=lambda opened: (
            _("Round opened; %(n)s people were sent their personal link.") % {"n": len(opened[1])}
        ),
        redirect_to=lambda opened: opened[0],
    )


def _round(partnership: Partnership, pk: int) -> Round:
    return get_object_or_404(
        Round.objects.select_related("working_group", "partnership"), pk=pk, partnership=partnership
    )


@partnership_view(rules.VIEW)
def round_detail(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    rnd = _round(partnership, pk)
    can_manage = policy.has_capability(request.user, partnership, rules.MANAGE)
    results = selectors.settled_results(rnd) if rules.can_see_results(request.user, rnd) else None
    chart = None
    if results and not results.suppressed:
        chart = {
            "labels": [i.text for i in results.scored if i.mean is not None],
            "current": [str(i.mean) for i in results.scored if i.mean is not None],
            "previous": [
                str(i.previous) if i.previous is not None else None
                for i in results.scored
                if i.mean is not None
            ],
            "reference": [
                str(i.reference) if i.reference is not None else None
                for i in results.scored
                if i.mean is not None
            ],
            "names": {
                "current": rnd.period,
                "previous": results.previous.period if results.previous else "",
                "reference": _("Reference (another alliance)"),
            },
        }
    notes = selectors.follow_up_notes(rnd, manager=can_manage)
    return render(
        request,
        "healthchecks/round_detail.html",
        {
            "round": rnd,
            "rate": results.rate if results and results.rate else selectors.response_rate(rnd),
            "results": results,
            "chart": chart,
            "continuum": results.section("continuum") if results and not results.suppressed else [],
            "can_manage": can_manage,
            "min_responses": selectors.MIN_RESPONSES,
            "reference_rate": selectors.reference_rate(partnership),
            "notes": notes,
            "note_form": FollowUpNoteForm() if can_manage and rnd.status != "open" else None,
            "compact": compact_averages(partnership)
            if results and any(i.section == "values" for i in results.scored)
            else None,
        },
    )


@partnership_view(rules.MANAGE)
def round_rate(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    rnd = _round(partnership, pk)
    return render(
        request,
        "healthchecks/_rate.html",
        {
            "round": rnd,
            "rate": selectors.response_rate(rnd),
            "reference_rate": selectors.reference_rate(partnership),
        },
    )


@require_POST
@partnership_view(rules.MANAGE)
def note_add(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    rnd = _round(partnership, pk)
    form = FollowUpNoteForm(request.POST)
    return post_action(
        request,
        lambda: services.note_add(actor=request.user, round=rnd, **form.cleaned_data),
        success_message=_("Interview note saved."),
        redirect_to=rnd.get_absolute_url() + "#follow-up",
        form=form,
        invalid_message=_("Write what the interviews found."),
    )


@require_POST
@partnership_view(rules.MANAGE)
def note_delete(
    request: AuthedRequest, partnership: Partnership, pk: int, note_pk: int
) -> HttpResponse:
    rnd = _round(partnership, pk)
    note = get_object_or_404(FollowUpNote, pk=note_pk, round=rnd)
    services.note_delete(actor=request.user, note=note)
    messages.success(request, _("Interview note removed."))
    return redirect(rnd.get_absolute_url() + "#follow-up")


@require_POST
@partnership_view(rules.MANAGE)
def reference_rate(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = ReferenceRateForm(request.POST)
    if form.is_valid():
        services.reference_rate_set(
            actor=request.user,
            partnership=partnership,
            answered=form.cleaned_data.get("answered"),
            invited=form.cleaned_data.get("invited"),
        )
        messages.success(request, _("Reference response rate saved."))
    else:
        messages.error(
            request, " ".join(str(e) for e in form.non_field_errors()) or _("Check the numbers.")
        )
    return redirect("healthchecks:item_list", slug=partnership.slug)


@require_POST
@partnership_view(rules.MANAGE)
def round_action(
    request: AuthedRequest, partnership: Partnership, pk: int, action: str
) -> HttpResponse:
    rnd = _round(partnership, pk)
    try:
        if action == "remind":
            n = services.round_remind(actor=request.user, round=rnd)
            messages.success(request, _("Reminder sent to %(n)s people.") % {"n": n})
        elif action == "close":
            services.round_close(actor=request.user, round=rnd)
            messages.success(request, _("Round closed."))
        elif action == "publish":
            services.round_publish(actor=request.user, round=rnd)
            messages.success(request, _("Results published to all members."))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect(rnd)


def _visible_results(
    request: HttpRequest, partnership: Partnership, pk: int
) -> selectors.RoundResults:
    rnd = _round(partnership, pk)
    if not rules.can_see_results(request.user, rnd):
        raise Http404
    return selectors.settled_results(rnd)


def _fmt(value: Any) -> str:
    return "" if value is None else str(value)


def _cell(text: str) -> str:
    """Keep spreadsheet programs from reading a question as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@partnership_view(rules.VIEW)
def round_export_csv(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    results = _visible_results(request, partnership, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="health-check-{slugify(results.round.period)}-aggregates.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            "key",
            "question",
            "group",
            "n",
            "mean",
            "sd",
            "1",
            "2",
            "3",
            "4",
            "5",
            "previous",
            "reference",
        ]
    )
    for item in results.scored:
        if item.suppressed:
            writer.writerow(
                [item.key, _cell(item.text), "all", "", "", "", "", "", "", "", "", "", ""]
            )
            continue
        counts = [c for _s, c, _p in item.distribution]
        writer.writerow(
            [
                item.key,
                _cell(item.text),
                "all",
                item.n,
                item.mean,
                item.sd,
                *counts,
                _fmt(item.previous),
                _fmt(item.reference),
            ]
        )
        for cell in item.sectors:
            writer.writerow(
                [
                    item.key,
                    _cell(item.text),
                    cell.sector,
                    _fmt(cell.n),
                    _fmt(cell.mean),
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                ]
            )
    return response


@partnership_view(rules.VIEW)
def round_report_pdf(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    from commonground.core.pdf import render_pdf

    results = _visible_results(request, partnership, pk)
    html = render_to_string(
        "healthchecks/report_pdf.html",
        {
            "results": results,
            "round": results.round,
            "partnership": partnership,
            "min_responses": selectors.MIN_RESPONSES,
            "reference_rate": selectors.reference_rate(partnership),
            "notes": selectors.follow_up_notes(
                results.round,
                manager=policy.has_capability(request.user, partnership, rules.MANAGE),
            ),
        },
        request=request,
    )
    pdf = render_pdf(html, stylesheets=["healthchecks/report.css"])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="health-check-{slugify(results.round.period)}.pdf"'
    )
    return response


@partnership_view(rules.MANAGE)
def item_list(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    if request.method == "POST" and request.POST.get("defaults"):
        services.items_ensure_default(actor=request.user, partnership=partnership)
        return redirect("healthchecks:item_list", slug=partnership.slug)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_create(actor=request.user, partnership=partnership, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Question added; it will be asked from the next round."))
            return redirect("healthchecks:item_list", slug=partnership.slug)
    page = paginate(request, SurveyItem.objects.filter(partnership=partnership), 50)
    rate = selectors.reference_rate(partnership)
    return render(
        request,
        "healthchecks/item_list.html",
        {
            "page": page,
            "form": form,
            "reference_rate": rate,
            "rate_form": ReferenceRateForm(initial=rate or {"answered": 0, "invited": 0}),
        },
        status=400 if form.errors else 200,
    )


@partnership_view(rules.MANAGE)
def item_edit(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    item = get_object_or_404(SurveyItem, pk=pk, partnership=partnership)
    form = ItemRewordForm(request.POST or None, instance=item)
    if request.method == "POST":
        if "active" in request.POST:
            services.item_set_active(
                actor=request.user, item=item, active=request.POST["active"] == "1"
            )
            return redirect("healthchecks:item_list", slug=partnership.slug)
        if form.is_valid():
            services.item_reword(
                actor=request.user,
                item=item,
                text=form.cleaned_data["text"],
                position=form.cleaned_data["position"],
            )
            messages.success(
                request, _("Question reworded; its results stay comparable across years.")
            )
            return redirect("healthchecks:item_list", slug=partnership.slug)
    return render(
        request,
        "healthchecks/item_form.html",
        {"form": form, "item": item},
        status=400 if form.errors else 200,
    )


LINK_FIELD = "_link"  # item keys are slugs, which never start with "_"
SEND_FIELD = "_send"


@login_not_required
@sensitive_post_parameters()
@never_cache
def answer(request: HttpRequest) -> HttpResponse:
    """The anonymous survey; no sign-in needed, the one-use code is the key.

    The code never appears in a URL: the emailed link carries it after ``#``, which the
    browser keeps to itself; the page's script (or the person, pasting it) POSTs it here.
    So no access log, proxy log or error report holds it.
    """
    token = request.POST.get(LINK_FIELD, "").strip() if request.method == "POST" else ""
    if not token:
        return render(request, "healthchecks/answer_code.html", {"failed": False})
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "healthchecks/answer_code.html", {"failed": True}, status=404)
    rnd = invitation.round
    reason = services.refusal(invitation)
    if reason:
        return render(
            request, "healthchecks/answer_closed.html", {"round": rnd, "reason": reason}, status=410
        )
    items = list(rnd.items.all())
    sending = SEND_FIELD in request.POST
    form = SurveyForm(request.POST if sending else None, items=items)
    if sending and form.is_valid():
        try:
            services.response_submit(token=token, answers=form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return render(request, "healthchecks/answer_thanks.html", {"round": rnd})
    return render(
        request,
        "healthchecks/answer.html",
        {
            "form": form,
            "round": rnd,
            "token": token,
            "link_field": LINK_FIELD,
            "send_field": SEND_FIELD,
            "min_responses": selectors.MIN_RESPONSES,
        },
        status=400 if form.errors else 200,
    )


answer.capability = "public"  # type: ignore[attr-defined]
