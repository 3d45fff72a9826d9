from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core import policy
from commonground.core.htmx import render_page
from commonground.core.http import AuthedRequest
from commonground.core.pagination import paginate, querystring_without_page
from commonground.core.policy import partnership_view
from commonground.core.views_helpers import flash_error, form_page, form_status, handle_form
from commonground.organisations.picker import return_choices_to
from commonground.partnerships.models import Partnership

from . import outreach, rules, selectors, services
from .forms import (
    ContactLogForm,
    CriterionAddForm,
    DirectorySearchForm,
    NeedForm,
    ProspectAddForm,
    ResearchForm,
    ScoreForm,
    SelfAssessmentForm,
    StageForm,
    WeightsForm,
)
from .models import DIMENSIONS, AssessmentKind, Need, Prospect, Score, SelfAssessment, Stage


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _can(request: HttpRequest, partnership: Partnership, code: str) -> bool:
    return policy.has_capability(request.user, partnership, code)


# --- the directory (across partnerships) ------------------------------------------


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    q = form.query()
    page, found = selectors.directory_page(
        q, request.GET.get("page"), settings.COMMONGROUND_PAGE_SIZE
    )
    orgs, dropped = selectors.with_distances(found, q)
    # Partnerships whose pipeline this person may add to (a few, for the row links).
    pipelines = list(policy.partnerships_with(request.user, rules.MANAGE).order_by("name")[:3])
    # Each row links to the same few pipelines: their addresses and wording, once.
    pipeline_links = [
        {
            "url": reverse("prospects:add", kwargs={"slug": p.slug}),
            "label": _("Add as prospect")
            if len(pipelines) == 1
            else _("Add to %(name)s") % {"name": p.name},
        }
        for p in pipelines
    ]
    return render_page(
        request,
        "prospects/directory.html",
        {
            "form": form,
            "page": page,
            "orgs": orgs,
            "dropped": dropped,
            "pipelines": pipeline_links,
            "query": q,
            "count_cap": selectors.COUNT_CAP,
            "qs": querystring_without_page(request),
        },
        partial="results",
    )


# --- the pipeline --------------------------------------------------------------------


@partnership_view(rules.VIEW)
def board(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    columns, truncated = selectors.board(partnership)
    # A card's stage menu differs only in the stage selected: each of the few menus is
    # written once, not an option loop per card.
    menus = {
        current: format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (value, " selected" if value == current else "", label)
                for value, label in Stage.choices
            ),
        )
        for current in Stage.values
    }
    for column in columns:
        for card in column["prospects"]:
            card["stage_options"] = menus[card["stage"]]
    return render(
        request,
        "prospects/board.html",
        {
            "columns": columns,
            "truncated": truncated,
            "can_manage": _can(request, partnership, rules.MANAGE),
        },
    )


@partnership_view(rules.VIEW)
def prospect_list(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    stage = request.GET.get("stage", "")
    if stage not in Stage.values:
        stage = ""
    page = paginate(request, selectors.prospects_of(partnership, stage=stage))
    summaries = selectors.score_summaries([p.pk for p in page.object_list])
    rows = [{"prospect": p, "summary": summaries.get(p.pk)} for p in page.object_list]
    return render(
        request,
        "prospects/prospect_list.html",
        {
            "page": page,
            "rows": rows,
            "stage": stage,
            "stages": Stage.choices,
            "counts": selectors.stage_counts(partnership),
            "qs": querystring_without_page(request),
            "can_manage": _can(request, partnership, rules.MANAGE),
        },
    )


@partnership_view(rules.MANAGE)
def prospect_add(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    initial = {"organisation": request.GET.get("organisation", "")[:200]}
    form = ProspectAddForm(request.POST or None, initial=initial)
    return_choices_to(form, request.path)
    if request.method == "POST" and form.is_valid():
        try:
            prospect = services.prospect_create(
                actor=request.user,
                partnership=partnership,
                organisation=form.cleaned_data["organisation"],
                why_approach=form.cleaned_data["why_approach"],
            )
        except ValidationError as exc:
            form.add_error("organisation", _error_text(exc))
        else:
            services.criteria_seed(actor=request.user, partnership=partnership)
            messages.success(
                request, _("%(org)s is in the pipeline.") % {"org": prospect.organisation.name}
            )
            return redirect("prospects:detail", slug=partnership.slug, pk=prospect.pk)
    return render(
        request,
        "prospects/prospect_add.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _prospect(partnership: Partnership, pk: int) -> Prospect:
    return get_object_or_404(
        Prospect.objects.select_related("organisation", "owner"), pk=pk, partnership=partnership
    )


def _detail(
    request: HttpRequest,
    partnership: Partnership,
    prospect: Prospect,
    *,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    can_manage = _can(request, partnership, rules.MANAGE)
    contacts = paginate(request, prospect.contacts.select_related("by"), per_page=10)
    return render(
        request,
        "prospects/prospect_detail.html",
        {
            "prospect": prospect,
            "organisation": prospect.organisation,
            "offers": list(prospect.organisation.offers.all()),
            "contacts": contacts,
            "scorecard": selectors.scorecard(prospect),
            "can_manage": can_manage,
            "can_score": _can(request, partnership, rules.SCORE),
            "research_form": forms.get("research_form")
            or (ResearchForm(instance=prospect) if can_manage else None),
            "stage_form": forms.get("stage_form")
            or (StageForm(initial={"stage": prospect.stage}) if can_manage else None),
            "contact_form": forms.get("contact_form")
            or (
                ContactLogForm(initial={"happened_on": timezone.localdate()})
                if can_manage
                else None
            ),
            "qs": querystring_without_page(request),
        },
        status=status,
    )


@partnership_view(rules.VIEW)
def prospect_detail(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    return _detail(request, partnership, _prospect(partnership, pk))


@require_POST
@partnership_view(rules.MANAGE)
def prospect_research(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    prospect = _prospect(partnership, pk)
    form = ResearchForm(request.POST, instance=prospect)
    if form.is_valid():
        services.prospect_update(
            actor=request.user,
            prospect=_prospect(partnership, pk),
            **{f: form.cleaned_data[f] for f in ResearchForm.Meta.fields},
        )
        messages.success(request, _("Research saved."))
        return redirect("prospects:detail", slug=partnership.slug, pk=pk)
    return _detail(request, partnership, _prospect(partnership, pk), status=400, research_form=form)


@require_POST
@partnership_view(rules.MANAGE)
def prospect_move(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    prospect = _prospect(partnership, pk)
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the pipeline stages."))
        return _detail(request, partnership, prospect, status=400, stage_form=form)
    try:
        prospect = services.prospect_move(
            actor=request.user, prospect=prospect, stage=form.cleaned_data["stage"]
        )
    except ValidationError as exc:
        flash_error(request, exc)
    else:
        if prospect.stage == Stage.JOINED:
            messages.success(
                request,
                _("%(org)s has joined and is now a member organisation.")
                % {"org": prospect.organisation.name},
            )
        else:
            messages.success(
                request,
                _("%(org)s moved to “%(stage)s”.")
                % {"org": prospect.organisation.name, "stage": prospect.get_stage_display()},
            )
    target = request.POST.get("next", "")
    if target == "board":
        return redirect("prospects:board", slug=partnership.slug)
    return redirect("prospects:detail", slug=partnership.slug, pk=pk)


@require_POST
@partnership_view(rules.MANAGE)
def contact_add(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    prospect = _prospect(partnership, pk)
    form = ContactLogForm(request.POST)
    return handle_form(
        request,
        form,
        lambda data: services.contact_log(actor=request.user, prospect=prospect, **data),
        success_message=_("Contact logged."),
        redirect_to=lambda _result: reverse(
            "prospects:detail", kwargs={"slug": partnership.slug, "pk": pk}
        ),
    ) or _detail(request, partnership, prospect, status=400, contact_form=form)


@partnership_view(rules.VIEW)
def prospect_outreach(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    prospect = _prospect(partnership, pk)
    ctx = outreach.outreach_context(partnership, prospect, request.user)
    suggested = outreach.default_variant(ctx, prospect)
    variant = request.GET.get("variant", suggested)
    if variant not in (outreach.SAME, outreach.CROSS):
        variant = suggested
    return render(
        request,
        "prospects/outreach.html",
        {
            "prospect": prospect,
            "variant": variant,
            "suggested": suggested,
            "templates": outreach.templates(ctx, variant),
        },
    )


# --- scorecards ----------------------------------------------------------------------


@partnership_view(rules.SCORE)
def prospect_score(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    prospect = _prospect(partnership, pk)
    criteria = list(selectors.criteria_of(partnership))
    mine = {
        s.criterion_id: (s.value, s.note)
        for s in Score.objects.filter(prospect=prospect, assessor_id=request.user.pk)
    }
    form = ScoreForm(request.POST or None, criteria=criteria, initial_scores=mine)
    return form_page(
        request,
        form,
        lambda data: services.scores_save(
            actor=request.user, prospect=prospect, scores=form.scores()
        ),
        "prospects/score_form.html",
        {"prospect": prospect, "criteria": criteria},
        success_message=_("Your scores are saved."),
        redirect_to=lambda _result: reverse(
            "prospects:detail", kwargs={"slug": partnership.slug, "pk": pk}
        ),
    )


@partnership_view(rules.VIEW)
def scorecards(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    # Scored prospects of one partnership are few; rank them all, then paginate.
    scored = selectors.scored_prospects(partnership)
    summaries = selectors.score_summaries([p["pk"] for p in scored])
    rows = sorted(
        ({**p, "summary": summaries[p["pk"]]} for p in scored if p["pk"] in summaries),
        key=lambda row: (-(row["summary"].weighted_mean or 0), row["name"]),
    )
    page = paginate(request, rows)
    return render(
        request,
        "prospects/scorecards.html",
        {
            "page": page,
            "criteria": list(selectors.criteria_of(partnership)),
            "can_manage": _can(request, partnership, rules.MANAGE),
        },
    )


@partnership_view(rules.MANAGE)
def criteria(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    items = list(selectors.criteria_of(partnership))
    weights_form = WeightsForm(
        request.POST if request.POST.get("action") == "weights" else None, criteria=items
    )
    add_form = CriterionAddForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "seed":
                services.criteria_seed(actor=request.user, partnership=partnership)
                messages.success(request, _("The default criteria are in place."))
                return redirect("prospects:criteria", slug=partnership.slug)
            if action == "weights" and weights_form.is_valid():
                services.criteria_update(
                    actor=request.user, partnership=partnership, weights=weights_form.weights()
                )
                messages.success(request, _("Weights saved."))
                return redirect("prospects:criteria", slug=partnership.slug)
            if action == "add" and add_form.is_valid():
                services.criterion_add(
                    actor=request.user, partnership=partnership, **add_form.cleaned_data
                )
                messages.success(request, _("Criterion added."))
                return redirect("prospects:criteria", slug=partnership.slug)
        except ValidationError as exc:
            (add_form if action == "add" else weights_form).add_error(None, _error_text(exc))
    return render(
        request,
        "prospects/criteria.html",
        {"weights_form": weights_form, "add_form": add_form, "criteria": items},
        status=form_status(request),
    )


# --- needs, gaps and recommendations -------------------------------------------------


@partnership_view(rules.VIEW)
def gaps(
    request: HttpRequest,
    partnership: Partnership,
    need_form: NeedForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_manage = _can(request, partnership, rules.MANAGE)
    analysis = selectors.gap_analysis(partnership)
    return render(
        request,
        "prospects/gaps.html",
        {
            "analysis": analysis,
            "need_form": need_form or (NeedForm() if can_manage else None),
            "can_manage": can_manage,
            "chart": {
                "labels": [str(m["label"]) for m in analysis.sector_mix],
                "values": [m["count"] for m in analysis.sector_mix],
            },
        },
        status=status,
    )


@require_POST
@partnership_view(rules.MANAGE)
def need_set(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = NeedForm(request.POST)
    if form.is_valid():
        try:
            services.need_set(actor=request.user, partnership=partnership, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Need saved."))
            return redirect("prospects:gaps", slug=partnership.slug)
    return gaps.__wrapped__(request, partnership, need_form=form, status=400)  # type: ignore[attr-defined]


@require_POST
@partnership_view(rules.MANAGE)
def need_remove(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    need = get_object_or_404(Need, pk=pk, partnership=partnership)
    services.need_remove(actor=request.user, need=need)
    messages.success(request, _("Need removed."))
    return redirect("prospects:gaps", slug=partnership.slug)


@partnership_view(rules.VIEW)
def recommendations(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    analysis = selectors.gap_analysis(partnership)
    page = paginate(request, selectors.recommendations(partnership, analysis))
    return render(
        request,
        "prospects/recommendations.html",
        {
            "page": page,
            "analysis": analysis,
            "can_manage": _can(request, partnership, rules.MANAGE),
            "pool": selectors.POOL_SIZE,
        },
    )


# --- self-assessments -----------------------------------------------------------------


@partnership_view(rules.SELF_ASSESS)
def self_assessment(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = SelfAssessmentForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: services.self_assessment_record(
            actor=request.user,
            partnership=partnership,
            kind=data["kind"],
            scores=[data[f"score_{i}"] for i in range(1, 5)],
            note=data["note"],
        ),
        success_message=_("Self-assessment recorded."),
        redirect_to=reverse("prospects:self_assessment", kwargs={"slug": partnership.slug}),
    )
    if done:
        return done
    profiles = selectors.self_assessment_profiles(partnership)
    page = paginate(
        request,
        SelfAssessment.objects.filter(partnership=partnership).select_related(
            "person", "organisation"
        ),
    )
    return render(
        request,
        "prospects/self_assessment.html",
        {
            "form": form,
            "profiles": profiles,
            "chart": {p["kind"]: p["chart"] for p in profiles},
            "page": page,
            "dimensions": {str(k): [str(d) for d in v] for k, v in DIMENSIONS.items()},
            "person_dims": DIMENSIONS[AssessmentKind.PERSON],
            "org_dims": DIMENSIONS[AssessmentKind.ORGANISATION],
        },
        status=400 if form.errors else 200,
    )
