from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from commonground.core import policy
from commonground.core.http import AuthedRequest
from commonground.core.pagination import paginate, querystring_without_page
from commonground.core.policy import partnership_view
from commonground.core.views_helpers import form_status, handle_form
from commonground.partnerships.models import Partnership

from . import preplists, rules, selectors, services
from .forms import (
    PREP_FORMS,
    FunderFormSet,
    NetworkFilterForm,
    ProgrammeFormSet,
    ReferralFormSet,
    RelationshipForm,
    SurveyAnswerForm,
    SurveyForm,
    SurveyInvitationForm,
)
from .models import PrepTool, Relationship, Survey

# Which lifecycle step (phase "prepare") each preparation tool serves.
PREP_STEPS: dict[str, Any] = {
    PrepTool.SELF_RATING: gettext_lazy("Prepare · Identify motivation"),
    PrepTool.STOP_START_CONTINUE: gettext_lazy("Prepare · Clarify objectives"),
    PrepTool.BENEFITS: gettext_lazy("Prepare · Weigh costs and benefits"),
    PrepTool.RESOURCES: gettext_lazy("Prepare · Identify available resources"),
    PrepTool.OBSTACLES: gettext_lazy("Prepare · Identify motivation"),
    PrepTool.BENEFIT_KINDS: gettext_lazy("Prepare · Weigh costs and benefits"),
    PrepTool.WHEN_TO_PARTNER: gettext_lazy("Prepare · Identify motivation"),
    PrepTool.STRENGTHS: gettext_lazy("Prepare · Identify available resources"),
}
PREP_HELP: dict[str, Any] = {
    PrepTool.SELF_RATING: gettext_lazy(
        "Say honestly where you stand on the problem, from 0 to 10, where 10 means the problem "
        "is solved. Then plan one small step that would move you half a point. You are asked "
        "again in each phase and every three months, so the trend shows your progress."
    ),
    PrepTool.STOP_START_CONTINUE: gettext_lazy(
        "Look at how you work today: what should you stop doing, what should you start, and what "
        "works well enough to continue?"
    ),
    PrepTool.BENEFITS: gettext_lazy(
        "List what partnering could bring you and what it will cost, for the organisation and "
        "for its daily work."
    ),
    PrepTool.RESOURCES: gettext_lazy(
        "List the skills, people, money and time you can realistically commit, and the limits "
        "you should be open about."
    ),
    PrepTool.OBSTACLES: gettext_lazy(
        "Tick what could get in the way of partnering, for you or for the others, so you can "
        "plan for it instead of being surprised by it."
    ),
    PrepTool.BENEFIT_KINDS: gettext_lazy(
        "Tick the kinds of benefit you hope a partnership will bring, and say which matter most."
    ),
    PrepTool.WHEN_TO_PARTNER: gettext_lazy(
        "A partnership is not always the best answer. Tick the signs that it is right here; if "
        "few apply, consider another way of working."
    ),
    PrepTool.STRENGTHS: gettext_lazy(
        "Tick the strengths you and your possible partners could bring, to see where you "
        "complement each other."
    ),
}


# --- network ------------------------------------------------------------------------


def _find_end(
    partnerships: list[Partnership], pk: int | None, text: str
) -> tuple[int | None, list[Any]]:
    """One end of a "who knows whom" path: the organisation and, when the name typed
    does not settle it, the organisations on the map that it could mean (at most ten).

    A number from an earlier answer is kept while the name still matches it."""
    text = text.strip()
    if not text:
        return pk, []
    found = selectors.find_on_map(partnerships, text)
    if pk is not None and any(o.pk == pk for o in found):
        return pk, []
    exact = [o for o in found if o.name.casefold() == text.casefold()]
    if len(exact) == 1:
        return exact[0].pk, []
    if len(found) == 1:
        return found[0].pk, []
    return None, found


def _network_context(request: HttpRequest, partnerships: list[Partnership]) -> dict[str, Any]:
    data = request.GET.copy() if request.GET.get("f") else None
    filters = selectors.NetworkFilters()
    if data is None:
        form = NetworkFilterForm(initial={"kind": filters.kinds, "f": "1"})
    else:
        form = NetworkFilterForm(data)
    choices: dict[str, list[dict[str, Any]]] = {}
    asked: dict[str, str] = {}
    if data is not None and form.is_valid():
        cd = form.cleaned_data
        ends: dict[str, int | None] = {}
        for end, name in (("path_from", "from_name"), ("path_to", "to_name")):
            pk, candidates = _find_end(partnerships, cd[end], cd[name])
            ends[end] = pk
            if cd[name].strip() and pk is None:
                asked[end] = cd[name].strip()
                choices[end] = []
                for org in candidates:
                    params = data.copy()
                    params[end] = str(org.pk)
                    params[name] = org.name
                    params.pop("npage", None)
                    params.pop("epage", None)
                    choices[end].append({"name": org.name, "qs": params.urlencode()})
        filters = selectors.NetworkFilters(
            sectors=cd["sector"],
            kinds=cd["kind"],
            start=cd["start"],
            end=cd["end"],
            path_from=ends["path_from"],
            path_to=ends["path_to"],
        )
    net = selectors.remembered_network(partnerships, filters)
    if data is not None and form.is_valid():
        # Show each end found under its full name, with its number for the next request.
        names = {n["pk"]: n["name"] for n in net.nodes if n["is_org"]}
        for end, name in (("path_from", "from_name"), ("path_to", "to_name")):
            pk = getattr(filters, end)
            data[end] = str(pk) if pk is not None else ""
            if pk in names:
                data[name] = names[pk]
        form = NetworkFilterForm(data)
    node_page = Paginator(net.nodes, 50).get_page(request.GET.get("npage"))
    edge_page = Paginator(net.edges, 50).get_page(request.GET.get("epage"))
    params = request.GET.copy()
    params.pop("npage", None)
    params.pop("epage", None)
    return {
        "net": net,
        "form": form,
        "chart": net.chart_data(),
        "node_page": node_page,
        "edge_page": edge_page,
        "qs": params.urlencode(),
        "path_choices": [
            {"label": label, "asked": asked[end], "options": choices[end]}
            for end, label in (("path_from", _("From")), ("path_to", _("To")))
            if end in choices
        ],
    }


@partnership_view(rules.VIEW)
def network(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    ctx = _network_context(request, [partnership])
    ctx["can_edit"] = policy.has_capability(request.user, partnership, rules.EDIT)
    ctx["scope_title"] = _("System map")
    return render(request, "systemmap/network.html", ctx)


def global_network(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("partnership", "")[:200] if request.GET.get("f") else ""
    partnerships, total = selectors.partnerships_to_map(request.user, name)
    ctx = _network_context(request, partnerships)
    ctx["scope_title"] = _("System map across your partnerships")
    ctx["partnerships"] = partnerships
    ctx["partnerships_total"] = total
    ctx["partnership_name"] = name.strip()
    ctx["partnership_limit"] = selectors.PARTNERSHIP_LIMIT
    ctx["is_global"] = True
    return render(request, "systemmap/network.html", ctx)


# --- relationships ------------------------------------------------------------------


@partnership_view(rules.VIEW)
def relationship_list(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    page = paginate(request, selectors.relationships_of(partnership))
    return render(
        request,
        "systemmap/relationship_list.html",
        {
            "page": page,
            "qs": querystring_without_page(request),
            "can_edit": policy.has_capability(request.user, partnership, rules.EDIT),
        },
    )


@partnership_view(rules.EDIT)
def relationship_create(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = RelationshipForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: services.relationship_create(
            actor=request.user, partnership=partnership, **data
        ),
        success_message=_("Relationship recorded."),
        redirect_to=reverse("systemmap:relationships", kwargs={"slug": partnership.slug}),
    )
    if done:
        return done
    status = 400 if request.method == "POST" else 200
    return render(request, "systemmap/relationship_form.html", {"form": form}, status=status)


@require_POST
@partnership_view(rules.EDIT)
def relationship_delete(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    rel = get_object_or_404(Relationship, pk=pk, partnership=partnership)
    services.relationship_delete(actor=request.user, relationship=rel)
    messages.success(request, _("Relationship removed."))
    return redirect("systemmap:relationships", slug=partnership.slug)


# --- survey -------------------------------------------------------------------------


@partnership_view(rules.VIEW)
def survey_list(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    surveys = selectors.surveys_of(partnership)
    page = paginate(request, surveys)
    return render(
        request,
        "systemmap/survey_list.html",
        {
            "page": page,
            "summary": selectors.survey_summary(list(surveys.values_list("pk", flat=True))),
            "can_run": policy.has_capability(request.user, partnership, rules.SURVEY),
        },
    )


@partnership_view(rules.SURVEY)
def survey_create(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = SurveyForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: services.survey_create(actor=request.user, partnership=partnership, **data),
        success_message=_("Survey created. Now send it to organisations."),
        redirect_to=lambda survey: reverse(
            "systemmap:survey_detail", kwargs={"slug": partnership.slug, "pk": survey.pk}
        ),
    )
    if done:
        return done
    return render(request, "systemmap/survey_form.html", {"form": form})


def _survey_detail(
    request: HttpRequest,
    partnership: Partnership,
    survey: Survey,
    form: SurveyInvitationForm | None = None,
    link: str | None = None,
    status: int = 200,
) -> HttpResponse:
    can_run = policy.has_capability(request.user, partnership, rules.SURVEY)
    return render(
        request,
        "systemmap/survey_detail.html",
        {
            "survey": survey,
            "invitations": paginate(request, selectors.invitations_of(survey)),
            "responses": Paginator(selectors.responses_of([survey.pk]), 25).get_page(
                request.GET.get("rpage")
            ),
            "summary": selectors.survey_summary([survey.pk]),
            "can_run": can_run,
            "form": form or (SurveyInvitationForm() if can_run else None),
            "link": link,
        },
        status=status,
    )


@partnership_view(rules.VIEW)
def survey_detail(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk, partnership=partnership)
    return _survey_detail(request, partnership, survey)


@require_POST
@partnership_view(rules.SURVEY)
def survey_invite(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk, partnership=partnership)
    form = SurveyInvitationForm(request.POST)
    if form.is_valid():
        try:
            _inv, raw = services.survey_invite(
                actor=request.user, survey=survey, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            link = request.build_absolute_uri(services.survey_answer_url(raw))
            messages.success(request, _("Answer link created. Copy it now: it is shown only once."))
            return _survey_detail(request, partnership, survey, link=link)
    return _survey_detail(request, partnership, survey, form=form, status=400)


@require_POST
@partnership_view(rules.SURVEY)
def survey_toggle(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk, partnership=partnership)
    services.survey_set_open(actor=request.user, survey=survey, is_open=not survey.is_open)
    messages.success(request, _("Survey opened.") if survey.is_open else _("Survey closed."))
    return redirect("systemmap:survey_detail", slug=partnership.slug, pk=survey.pk)


def _rows(formset: Any, keys: tuple[str, ...]) -> list[tuple[Any, ...]]:
    return [
        tuple(f.cleaned_data.get(k) for k in keys)
        for f in formset.forms
        if f.cleaned_data.get("name")
    ]


@login_not_required
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The one-use answer page for one contact (no account needed)."""
    invitation = services.invitation_by_token(token)
    if invitation is None:
        return render(request, "systemmap/survey_invalid.html", status=404)
    known = invitation.organisation_id is not None
    post = request.POST if request.method == "POST" else None
    form = SurveyAnswerForm(
        post,
        known_organisation=known,
        initial={
            "respondent_name": invitation.contact_name,
            "organisation_name": invitation.organisation_name,
        },
    )
    programmes = ProgrammeFormSet(post, prefix="programme")
    funders = FunderFormSet(post, prefix="funder")
    referrals = ReferralFormSet(post, prefix="referral")
    if post is not None and all(x.is_valid() for x in (form, programmes, funders, referrals)):
        cd = form.cleaned_data
        answers = services.SurveyAnswers(
            respondent_name=cd["respondent_name"],
            organisation_name=cd.get("organisation_name", ""),
            sector=cd.get("sector", ""),
            org_type=cd.get("org_type", ""),
            place_name=cd["place_name"],
            services=cd["services"],
            target_groups=cd["target_groups"],
            funded_role=cd["funded_role"],
            actual_role=cd["actual_role"],
            referral_rules=cd["referral_rules"],
            eligibility_rules=cd["eligibility_rules"],
            data_collected=cd["data_collected"],
            coordination=cd["coordination"],
            coordination_notes=cd["coordination_notes"],
            spare_capacity=cd["spare_capacity"],
            capacity_limits=cd["capacity_limits"],
            funding_security=cd["funding_security"],
            public_links=cd["public_links"],
            programmes=_rows(
                programmes, ("name", "service_type", "capacity", "participants_per_year")
            ),
            funders=_rows(funders, ("name", "sector", "expectations")),  # type: ignore[arg-type]
            referrals=_rows(referrals, ("name", "sector")),  # type: ignore[arg-type]
        )
        try:
            services.survey_submit(raw_token=token, answers=answers)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(request, "systemmap/survey_thanks.html", {"invitation": invitation})
    return render(
        request,
        "systemmap/survey_answer.html",
        {
            "invitation": invitation,
            "survey": invitation.survey,
            "form": form,
            "programmes": programmes,
            "funders": funders,
            "referrals": referrals,
        },
        status=400 if post is not None else 200,
    )


# --- preparation tools --------------------------------------------------------------


@partnership_view(rules.VIEW)
def prepare(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    current = selectors.prep_current(partnership)
    ratings = list(
        partnership.prep_tool_versions.filter(tool=PrepTool.SELF_RATING)
        .select_related("created_by")
        .order_by("version")
    )
    tools = [
        {
            "code": code,
            "label": label,
            "step": PREP_STEPS[code],
            "help": PREP_HELP[code],
            "current": current[code],
        }
        for code, label in PrepTool.choices
    ]
    return render(
        request,
        "systemmap/prepare.html",
        {
            "tools": tools,
            "ratings": ratings,
            "rating_chart": [
                {
                    "version": r.version,
                    "date": r.created_at.date().isoformat(),
                    "rating": r.content.get("rating"),
                }
                for r in ratings
            ],
            "can_prepare": policy.has_capability(request.user, partnership, rules.PREPARE),
            "trend": selectors.rating_trend(partnership),
        },
    )


def _initial(tool: str, content: dict[str, Any]) -> dict[str, Any]:
    if tool in preplists.LISTS:
        return {"chosen": content.get("chosen", []), "comment": content.get("comment", "")}
    initial: dict[str, Any] = {}
    for key, value in content.items():
        name = "continue_" if key == "continue" else key
        initial[name] = "\n".join(value) if isinstance(value, list) else value
    if tool == PrepTool.SELF_RATING:
        initial.pop("previous_step_done", None)
    return initial


@partnership_view(rules.VIEW)
def prepare_tool(request: AuthedRequest, partnership: Partnership, tool: str) -> HttpResponse:
    if tool not in PrepTool.values:
        raise Http404
    can_prepare = policy.has_capability(request.user, partnership, rules.PREPARE)
    if request.method == "POST" and not can_prepare:
        policy.require(request.user, partnership, rules.PREPARE)
    history = paginate(request, selectors.prep_history(partnership, tool))
    current = selectors.prep_history(partnership, tool).first()
    form_class = PREP_FORMS[tool]
    form = None
    if can_prepare:
        form = form_class(
            request.POST or None, initial=_initial(tool, current.content) if current else None
        )
        if request.method == "POST" and form.is_valid():
            content = dict(form.cleaned_data)
            note = content.pop("note", "")
            if "continue_" in content:
                content["continue"] = content.pop("continue_")
            try:
                services.prep_tool_save(
                    actor=request.user,
                    partnership=partnership,
                    tool=tool,
                    content=content,
                    note=note,
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages[0] if not hasattr(exc, "error_dict") else exc)
            else:
                messages.success(request, _("Saved as a new version."))
                return redirect("systemmap:prepare_tool", slug=partnership.slug, tool=tool)
    return render(
        request,
        "systemmap/prepare_tool.html",
        {
            "tool": tool,
            "tool_label": PrepTool(tool).label,
            "step": PREP_STEPS[tool],
            "help": PREP_HELP[tool],
            "form": form,
            "history": history,
            "current": current,
        },
        status=form_status(request),
    )


prepare_tool.capability = rules.VIEW  # type: ignore[attr-defined]
