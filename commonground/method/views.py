from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core import policy
from commonground.core.htmx import render_page
from commonground.core.http import AuthedRequest
from commonground.core.pagination import paginate
from commonground.core.policy import partnership_view
from commonground.core.views_helpers import apply_service_errors, form_page, post_action
from commonground.partnerships import selectors as partnership_selectors
from commonground.partnerships.models import Partnership

from . import rules, selectors, services
from .content import Phase, method
from .forms import (
    ElementForm,
    GlossaryTermForm,
    PhaseCompleteForm,
    PhaseReopenForm,
    PhaseSendBackForm,
    ProblemCycleForm,
    ProfileForm,
    ReviewForm,
    SpectrumForm,
    StepNoteForm,
    TickForm,
    TrustStageForm,
)
from .models import DesignElementRecord, GlossaryTerm, ProblemCycle
from .richtext import diff_stats, word_diff


def _can(request: HttpRequest, partnership: Partnership, code: str) -> bool:
    return policy.has_capability(request.user, partnership, code)


def _phase_or_404(code: str) -> Phase:
    try:
        return method().phase(code)
    except KeyError:
        raise Http404 from None


# --- lifecycle ------------------------------------------------------------------------


def _lifecycle_context(request: HttpRequest, partnership: Partnership, **forms: Any) -> dict:
    content = method()
    rows = selectors.progress(partnership)
    completed = [r["phase"].code for r in rows if r["status"] == "completed"]
    earlier = [p.code for p in content.phases[: content.phase_index(partnership.phase)]]
    can_move = _can(request, partnership, rules.MOVE_PHASE)
    current = next(r for r in rows if r["phase"].code == partnership.phase)
    return {
        "rows": rows,
        "current": current,
        "can_move": can_move,
        "complete_form": forms.get("complete_form")
        or PhaseCompleteForm(initial={"phase": partnership.phase}),
        "reopen_form": forms.get("reopen_form") or PhaseReopenForm(completed=completed),
        "send_back_form": forms.get("send_back_form")
        or PhaseSendBackForm(
            earlier=earlier, initial={"to_phase": earlier[-1] if earlier else None}
        ),
        "has_completed": bool(completed),
        "has_earlier": bool(earlier),
        "current_completed": partnership.phase in completed,
        "unmet": selectors.unmet_steps(partnership, content.phase(partnership.phase))
        if can_move and partnership.phase not in completed
        else [],
        "moves": selectors.phase_moves(partnership)[:20],
        "due_reviews": selectors.due_reviews(partnership),
        "reviews": selectors.reviews(partnership)[:10],
    }


@partnership_view(rules.VIEW)
def lifecycle(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    return render(request, "method/lifecycle.html", _lifecycle_context(request, partnership))


@require_POST
@partnership_view(rules.MOVE_PHASE)
def phase_complete(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = PhaseCompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again: the form was incomplete."))
    else:
        try:
            done = partnership.phase
            services.phase_complete(
                actor=request.user,
                partnership=partnership,
                note=form.cleaned_data["note"],
                expected=form.cleaned_data["phase"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return render(
                request,
                "method/lifecycle.html",
                _lifecycle_context(request, partnership, complete_form=form),
                status=400,
            )
        else:
            messages.success(
                request,
                _("“%(phase)s” is completed. Record its milestone review while it is fresh.")
                % {"phase": method().phase(done).title},
            )
            return redirect("method:review", slug=partnership.slug, phase=done)
    return redirect("method:lifecycle", slug=partnership.slug)


@require_POST
@partnership_view(rules.MOVE_PHASE)
def phase_reopen(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    completed = [
        r["phase"].code for r in selectors.progress(partnership) if r["status"] == "completed"
    ]
    form = PhaseReopenForm(request.POST, completed=completed)
    return form_page(
        request,
        form,
        lambda data: services.phase_reopen(actor=request.user, partnership=partnership, **data),
        "method/lifecycle.html",
        lambda: _lifecycle_context(request, partnership, reopen_form=form),
        success_message=_("The phase is open again."),
        redirect_to=reverse("method:lifecycle", kwargs={"slug": partnership.slug}),
    )


@require_POST
@partnership_view(rules.MOVE_PHASE)
def phase_send_back(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    content = method()
    earlier = [p.code for p in content.phases[: content.phase_index(partnership.phase)]]
    form = PhaseSendBackForm(request.POST, earlier=earlier)
    return form_page(
        request,
        form,
        lambda data: services.phase_send_back(actor=request.user, partnership=partnership, **data),
        "method/lifecycle.html",
        lambda: _lifecycle_context(request, partnership, send_back_form=form),
        success_message=lambda result: (
            _("The partnership is back in “%(phase)s”. Earlier ticks and notes are kept.")
            % {"phase": content.phase(partnership.phase).title}
        ),
        redirect_to=reverse("method:lifecycle", kwargs={"slug": partnership.slug}),
    )


def _phase_context(request: HttpRequest, partnership: Partnership, phase: Phase) -> dict:
    locked = services.phase_lock_reason(partnership, phase.code)
    return {
        "phase": phase,
        "steps": selectors.phase_detail(partnership, phase),
        "locked": locked,
        "can_work": _can(request, partnership, rules.WORK) and not locked,
        "can_review": _can(request, partnership, rules.REVIEW),
        "reviews": selectors.reviews(partnership, phase.code)[:5],
        "phases": method().phases,
    }


@partnership_view(rules.VIEW)
def phase_view(request: AuthedRequest, partnership: Partnership, phase: str) -> HttpResponse:
    ph = _phase_or_404(phase)
    return render(request, "method/phase.html", _phase_context(request, partnership, ph))


@require_POST
@partnership_view(rules.WORK)
def tick(request: AuthedRequest, partnership: Partnership, phase: str) -> HttpResponse:
    ph = _phase_or_404(phase)
    form = TickForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["item"].startswith(f"{ph.code}."):
        messages.error(request, _("That checklist item does not exist."))
        return redirect("method:phase", slug=partnership.slug, phase=ph.code)
    try:
        services.tick_set(
            actor=request.user,
            partnership=partnership,
            item_key=form.cleaned_data["item"],
            ticked=form.cleaned_data["ticked"],
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
        if not getattr(request, "htmx", False):
            messages.error(request, error)
    else:
        error = ""
    if getattr(request, "htmx", False):
        ctx = _phase_context(request, partnership, ph)
        ctx["tick_error"] = error
        item_key = form.cleaned_data["item"]
        for step in ctx["steps"]:
            for row in step["items"]:
                if row["item"].key == item_key:
                    ctx["row"] = row
        return render(request, "method/phase.html#tick-item", ctx)
    url = reverse("method:phase", kwargs={"slug": partnership.slug, "phase": ph.code})
    return redirect(f"{url}#item-{form.cleaned_data['item']}")


@require_POST
@partnership_view(rules.WORK)
def step_note(request: AuthedRequest, partnership: Partnership, phase: str) -> HttpResponse:
    ph = _phase_or_404(phase)
    form = StepNoteForm(request.POST)
    back = reverse("method:phase", kwargs={"slug": partnership.slug, "phase": ph.code})
    if not form.is_valid() or not form.cleaned_data["step"].startswith(f"{ph.code}."):
        messages.error(request, _("That step does not exist."))
        return redirect(back)
    return post_action(
        request,
        lambda: services.step_note_save(
            actor=request.user,
            partnership=partnership,
            step_key=form.cleaned_data["step"],
            text=form.cleaned_data["text"],
        ),
        success_message=_("Notes saved."),
        redirect_to=back,
    )


@partnership_view(rules.REVIEW)
def review(request: AuthedRequest, partnership: Partnership, phase: str) -> HttpResponse:
    ph = _phase_or_404(phase)
    form = ReviewForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.review_record(
            actor=request.user, partnership=partnership, phase=ph.code, **data
        ),
        "method/review_form.html",
        lambda: {"phase": ph, "previous": selectors.reviews(partnership, ph.code)[:3]},
        success_message=_("Milestone review recorded."),
        redirect_to=reverse("method:lifecycle", kwargs={"slug": partnership.slug}),
    )


# --- design elements --------------------------------------------------------------------


@partnership_view(rules.VIEW)
def element_list(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    rows = selectors.elements_overview(partnership)
    today = timezone.localdate()
    return render(
        request,
        "method/elements.html",
        {
            "rows": rows,
            "today": today,
            "agreed": sum(1 for r in rows if r["record"] and r["record"].status == "agreed"),
        },
    )


def _element_or_404(code: str) -> Any:
    element = method().element(code)
    if element is None:
        raise Http404
    return element


@partnership_view(rules.VIEW)
def element_detail(request: AuthedRequest, partnership: Partnership, code: str) -> HttpResponse:
    element = _element_or_404(code)
    record = DesignElementRecord.objects.filter(partnership=partnership, element=code).first()
    versions = selectors.element_versions(record)[:50] if record else []
    return render(
        request,
        "method/element.html",
        {
            "element": element,
            "record": record,
            "versions": versions,
            "can_edit": _can(request, partnership, rules.EDIT_ELEMENTS),
            "today": timezone.localdate(),
        },
    )


@partnership_view(rules.EDIT_ELEMENTS)
def element_edit(request: AuthedRequest, partnership: Partnership, code: str) -> HttpResponse:
    element = _element_or_404(code)
    record = DesignElementRecord.objects.filter(partnership=partnership, element=code).first()
    conflict = None
    status = 200
    if request.method == "POST":
        form = ElementForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.element_save(
                    actor=request.user,
                    partnership=partnership,
                    element=code,
                    **data,
                )
            except services.StaleElementError as exc:
                current = exc.record
                conflict = {
                    "record": current,
                    "mine": data["text"],
                    "diff": word_diff(current.text, data["text"]),
                }
                # The next save is based on what is stored now; the typed text stays in the form.
                post = request.POST.copy()
                post["base_version"] = str(current.version)
                form = ElementForm(post)
                form.is_valid()
                form.add_error(None, exc)
                status = 409
            except ValidationError as exc:
                apply_service_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Saved as a new version."))
                return redirect("method:element", slug=partnership.slug, code=code)
        else:
            status = 400
    else:
        initial: dict[str, Any] = {"base_version": record.version if record else 0}
        if record:
            initial.update(
                text=record.text,
                status=record.status,
                agreed_by=record.agreed_by,
                agreed_on=record.agreed_on,
                revisit_on=record.revisit_on,
            )
        form = ElementForm(initial=initial)
    return render(
        request,
        "method/element_edit.html",
        {"element": element, "record": record, "form": form, "conflict": conflict},
        status=status,
    )


@partnership_view(rules.VIEW)
def element_history(request: AuthedRequest, partnership: Partnership, code: str) -> HttpResponse:
    element = _element_or_404(code)
    record = get_object_or_404(DesignElementRecord, partnership=partnership, element=code)
    versions = list(selectors.element_versions(record))
    by_number = {v.number: v for v in versions}

    def pick(name: str, default: int) -> int:
        try:
            value = int(request.GET.get(name, default))
        except (TypeError, ValueError):
            return default
        return value if value in by_number else default

    newest = versions[0].number if versions else 0
    b = pick("b", newest)
    a = pick("a", max(b - 1, 1))
    old, new = by_number.get(a), by_number.get(b)
    return render(
        request,
        "method/element_history.html",
        {
            "element": element,
            "record": record,
            "page": paginate(request, versions, 20),
            "old": old,
            "new": new,
            "diff": word_diff(old.text, new.text) if old and new else None,
            "stats": diff_stats(old.text, new.text) if old and new else None,
            "numbers": [v.number for v in versions],
        },
    )


# --- structure profile, trust and problem-solving --------------------------------------------


def _profile_context(request: HttpRequest, partnership: Partnership, **extra: Any) -> dict:
    return {
        "profile": selectors.profile(partnership),
        "trust": selectors.trust_history(partnership),
        "stages": method().trust_stages,
        "trust_form": extra.get("trust_form")
        or TrustStageForm(initial={"on": timezone.localdate()}),
        "can_work": _can(request, partnership, rules.WORK),
        "recent_cycles": selectors.problem_cycles(partnership)[:3],
    }


@partnership_view(rules.VIEW)
def profile(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    return render(request, "method/profile.html", _profile_context(request, partnership))


@partnership_view(rules.WORK)
def profile_edit(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    initial = {c["dim"].code: c["record"] for c in _all_profile_rows(partnership)}
    form = ProfileForm(request.POST or None, initial_choices=initial)
    return form_page(
        request,
        form,
        lambda data: services.profile_save(
            actor=request.user, partnership=partnership, choices=form.choices()
        ),
        "method/profile_edit.html",
        lambda: {"reps": selectors.representative_counts(partnership)},
        success_message=_("Structure profile saved."),
        redirect_to=reverse("method:profile", kwargs={"slug": partnership.slug}),
    )


def _all_profile_rows(partnership: Partnership) -> list[dict]:
    data = selectors.profile(partnership)
    return [r for r in data["traits"] + data["factors"] if r["record"] is not None]


@require_POST
@partnership_view(rules.WORK)
def trust_add(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = TrustStageForm(request.POST)
    return form_page(
        request,
        form,
        lambda data: services.trust_stage_record(
            actor=request.user, partnership=partnership, **data
        ),
        "method/profile.html",
        lambda: _profile_context(request, partnership, trust_form=form),
        success_message=_("Trust stage recorded."),
        redirect_to=reverse("method:profile", kwargs={"slug": partnership.slug}),
    )


@partnership_view(rules.VIEW)
def problem_list(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    can_work = _can(request, partnership, rules.WORK)
    return render(
        request,
        "method/problems.html",
        {
            "page": paginate(request, selectors.problem_cycles(partnership)),
            "stages": method().problem_solving,
            "can_work": can_work,
        },
    )


@partnership_view(rules.WORK)
def problem_edit(
    request: AuthedRequest, partnership: Partnership, pk: int | None = None
) -> HttpResponse:
    cycle = get_object_or_404(ProblemCycle, pk=pk, partnership=partnership) if pk else None
    form = ProblemCycleForm(
        request.POST or None,
        instance=cycle,
        initial=None if cycle else {"started_on": timezone.localdate()},
    )
    return form_page(
        request,
        form,
        lambda data: services.problem_cycle_save(
            actor=request.user,
            partnership=partnership,
            cycle=cycle,
            **{k: data[k] for k in services.PROBLEM_FIELDS},
        ),
        "method/problem_form.html",
        {"cycle": cycle, "stages": method().problem_solving},
        success_message=_("Problem-solving log saved."),
        redirect_to=reverse("method:problems", kwargs={"slug": partnership.slug}),
    )


# --- relationship spectrum ------------------------------------------------------------


@partnership_view(rules.VIEW)
def spectrum(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    summary = selectors.spectrum_summary(partnership)
    chart = {
        "dimensions": [str(r["dim"].title) for r in summary],
        "now_counts": [r["now_counts"] for r in summary],
        "aim_counts": [r["aim_counts"] for r in summary],
        "labels": {
            "now": _("Where we are"),
            "aim": _("Where we want to be"),
            "axis": _("1 = transactional … 5 = transformational"),
        },
    }
    return render(
        request,
        "method/spectrum.html",
        {
            "summary": summary,
            "chart": chart,
            "raters": selectors.rater_count(partnership),
            "can_rate": _can(request, partnership, rules.RATE),
            "mine": selectors.my_ratings(partnership, request.user),
        },
    )


@partnership_view(rules.RATE)
def spectrum_rate(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = SpectrumForm(request.POST or None, mine=selectors.my_ratings(partnership, request.user))
    return form_page(
        request,
        form,
        lambda data: services.spectrum_rate(
            actor=request.user, partnership=partnership, ratings=form.ratings()
        ),
        "method/spectrum_rate.html",
        success_message=_("Thank you: your ratings are saved."),
        redirect_to=reverse("method:spectrum", kwargs={"slug": partnership.slug}),
    )


# --- glossary ---------------------------------------------------------------------------


@partnership_view(rules.VIEW)
def glossary(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    terms = partnership.glossary_terms.select_related("updated_by").order_by("preferred", "id")
    can_edit = _can(request, partnership, rules.GLOSSARY)
    return render_page(
        request,
        "method/glossary.html",
        {
            "page": paginate(request, terms),
            "can_edit": can_edit,
            "form": GlossaryTermForm() if can_edit else None,
            "defaults": method().glossary,
            "is_empty": not terms.exists(),
        },
    )


@require_POST
@partnership_view(rules.GLOSSARY)
def glossary_seed(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    n = services.glossary_seed(
        actor=request.user, partnership=partnership, lang=get_language() or "en"
    )
    messages.success(
        request, _("%(n)s default terms added. Edit them to fit your partnership.") % {"n": n}
    )
    return redirect("method:glossary", slug=partnership.slug)


@partnership_view(rules.GLOSSARY)
def glossary_edit(
    request: AuthedRequest, partnership: Partnership, pk: int | None = None
) -> HttpResponse:
    term = get_object_or_404(GlossaryTerm, pk=pk, partnership=partnership) if pk else None
    form = GlossaryTermForm(request.POST or None, instance=term)
    return form_page(
        request,
        form,
        lambda data: services.glossary_term_save(
            actor=request.user, partnership=partnership, term=term, **data
        ),
        "method/glossary_form.html",
        {"term": term},
        success_message=_("Glossary term saved."),
        redirect_to=reverse("method:glossary", kwargs={"slug": partnership.slug}),
    )


@require_POST
@partnership_view(rules.GLOSSARY)
def glossary_delete(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    term = get_object_or_404(GlossaryTerm, pk=pk, partnership=partnership)
    services.glossary_term_delete(actor=request.user, term=term)
    messages.success(request, _("Glossary term removed."))
    return redirect("method:glossary", slug=partnership.slug)


# --- charter ------------------------------------------------------------------------------


def _charter_context(partnership: Partnership) -> dict:
    return {
        "p": partnership,
        "elements": [r for r in selectors.elements_overview(partnership) if r["record"]],
        "profile": selectors.profile(partnership),
        "members": partnership_selectors.members_of(partnership),
        "roles": partnership_selectors.active_roles(partnership),
        "phase": method().phase(partnership.phase),
        "generated": timezone.localdate(),
    }


@partnership_view(rules.VIEW)
def charter(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    return render(request, "method/charter.html", _charter_context(partnership))


@partnership_view(rules.VIEW)
def charter_pdf(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    from commonground.core.pdf import render_pdf

    html = render_to_string(
        "method/charter_print.html", _charter_context(partnership), request=request
    )
    pdf = render_pdf(html, stylesheets=["method/charter_print.css"])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{partnership.slug}-charter.pdf"'
    return response


# --- the method itself (no partnership) ----------------------------------------------------


@login_not_required
def guide(request: HttpRequest) -> HttpResponse:
    content = method()
    return render(request, "method/guide.html", {"content": content})
