from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core import policy
from commonground.core.http import AuthedRequest
from commonground.core.pagination import paginate
from commonground.core.policy import partnership_view
from commonground.core.views_helpers import (
    apply_service_errors,
    flash_error,
    form_page,
    form_status,
    post_action,
)
from commonground.organisations.models import Organisation
from commonground.partnerships import rules as partnership_rules
from commonground.partnerships.models import Partnership, Role

from . import advice, exports, rules, selectors, services, texts
from .compact_defaults import DEFAULT_INTRODUCTION, default_principles_text
from .forms import (
    AgreementCreateForm,
    AgreementEditForm,
    AmendForm,
    AssessForm,
    CompactForm,
    RatifyForm,
    SignForm,
    TerminationForm,
)
from .models import Agreement, AgreementVersion, Compact, Component


def _signatory_orgs(request: HttpRequest, partnership: Partnership) -> Any:
    return rules.organisations_signable_by(
        request.user, partnership, Organisation.objects.order_by("name")
    )


def _speaker_orgs(request: HttpRequest, partnership: Partnership) -> Any:
    return rules.organisations_spoken_for(
        request.user, partnership, Organisation.objects.order_by("name")
    )


@partnership_view(rules.VIEW)
def agreement_list(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    today = timezone.localdate()
    page = paginate(request, selectors.agreements(partnership))
    rows = [{"a": a, "state": selectors.state(a, today)} for a in page]
    return render(
        request,
        "agreements/list.html",
        {
            "page": page,
            "rows": rows,
            "compacts": selectors.compacts(partnership)[:10],
            "can_draft": policy.has_capability(request.user, partnership, rules.DRAFT),
            "can_compact": policy.has_capability(request.user, partnership, rules.MANAGE_COMPACT),
        },
    )


@partnership_view(rules.DRAFT)
def agreement_create(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = AgreementCreateForm(request.POST or None, partnership=partnership)
    return form_page(
        request,
        form,
        lambda data: services.agreement_create(actor=request.user, partnership=partnership, **data),
        "agreements/create.html",
        success_message=_("Draft created. Read it through and edit the clauses."),
    )


def _detail_context(
    request: HttpRequest, partnership: Partnership, agreement: Agreement, **forms: Any
) -> dict[str, Any]:
    today = timezone.localdate()
    st = selectors.state(agreement, today)
    latest = st.latest
    party_ids = [p.pk for p in latest.parties.all()]
    signed = {r.organisation_id: r for r in latest.ratifications.all()}
    my_orgs = list(_signatory_orgs(request, partnership))
    can_ratify_for = [o for o in my_orgs if o.pk in party_ids and o.pk not in signed]
    signatories: dict[int, list[Any]] = {}
    for role in Role.objects.filter(
        partnership=partnership,
        is_signatory=True,
        ended_on__isnull=True,
        organisation_id__in=party_ids,
    ).select_related("user"):
        if role.organisation_id is not None:
            signatories.setdefault(role.organisation_id, []).append(role.user)
    advice_result = advice.recommend(agreement, party_ids)
    in_force_parties = {p.pk for p in st.in_force.parties.all()} if st.in_force else set()
    can_terminate_for = [o for o in my_orgs if o.pk in in_force_parties]
    ratify_form = forms.get("ratify_form") or RatifyForm(
        initial={"sha256": latest.sha256},
        organisations=Organisation.objects.filter(pk__in=[o.pk for o in can_ratify_for]),
    )
    terminate_form = forms.get("terminate_form") or TerminationForm(
        organisations=Organisation.objects.filter(pk__in=[o.pk for o in can_terminate_for])
    )
    return {
        "agreement": agreement,
        "state": st,
        "v": latest,
        "parties": [
            {
                "org": p,
                "ratification": signed.get(p.pk),
                "signatories": signatories.get(p.pk, []),
            }
            for p in latest.parties.all()
        ],
        "can_set_signatory": policy.has_capability(
            request.user, partnership, partnership_rules.MANAGE
        ),
        "my_signed": [o for o in my_orgs if o.pk in signed],
        "advice": advice_result,
        "too_informal": advice.less_formal_than(latest.form, advice_result.form),
        "completeness": advice.completeness(agreement, latest),
        "clauses": latest.clause_list(),
        "versions": list(agreement.versions.all()),
        "can_draft": policy.has_capability(request.user, partnership, rules.DRAFT),
        "can_ratify_for": can_ratify_for,
        "ratify_form": ratify_form,
        "can_terminate_for": can_terminate_for,
        "terminate_form": terminate_form,
        "amend_form": AmendForm(),
    }


@partnership_view(rules.VIEW)
def agreement_detail(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    agreement = selectors.agreement_detail(partnership, pk)
    return render(
        request, "agreements/detail.html", _detail_context(request, partnership, agreement)
    )


@partnership_view(rules.DRAFT)
def agreement_edit(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    agreement = selectors.agreement_detail(partnership, pk)
    st = selectors.state(agreement, timezone.localdate())
    latest = st.latest
    if latest.ratified_at is not None or st.code in ("ending", "ended"):
        messages.error(
            request,
            _("This text is ratified and frozen. Start an amendment to change it.")
            if st.code not in ("ending", "ended")
            else _("Notice of termination has been given; the agreement can no longer change."),
        )
        return redirect(agreement)
    initial = {
        "title": latest.title,
        "form": latest.form,
        "parties": list(latest.parties.all()),
        "start_on": latest.start_on,
        "end_on": latest.end_on,
        "trial_months": latest.trial_months,
        "context_considered": agreement.context_considered,
        **{k: getattr(agreement, k) for k in services.ANSWER_FIELDS},
        **{f"clause_{c}": latest.clauses.get(c, "") for c in Component.values},
    }
    form = AgreementEditForm(request.POST or None, initial=initial, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        clauses = form.clauses()
        for c in Component.values:
            data.pop(f"clause_{c}", None)
        try:
            version = services.agreement_edit(
                actor=request.user, agreement=agreement, clauses=clauses, **data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if version is None:
                messages.info(request, _("The text did not change; no new version was made."))
            else:
                messages.success(
                    request, _("Saved as draft version %(n)s.") % {"n": version.number}
                )
            return redirect(agreement)
    return render(
        request,
        "agreements/edit.html",
        {"form": form, "agreement": agreement, "v": latest},
        status=form_status(request),
    )


@require_POST
@partnership_view(rules.DRAFT)
def agreement_amend(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement, pk=pk, partnership=partnership)
    form = AmendForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        version = services.amendment_start(actor=request.user, agreement=agreement, note=note)
    except ValidationError as exc:
        flash_error(request, exc)
        return redirect(agreement)
    messages.success(
        request,
        _(
            "Amendment started as version %(n)s. The ratified version stays in force until every party ratifies the amendment."
        )
        % {"n": version.number},
    )
    return redirect("agreements:edit", slug=partnership.slug, pk=agreement.pk)


def _version(partnership: Partnership, pk: int, number: int) -> tuple[Agreement, AgreementVersion]:
    agreement = selectors.agreement_detail(partnership, pk)
    try:
        return agreement, selectors.version_of(agreement, number)
    except AgreementVersion.DoesNotExist:
        raise Http404 from None


@partnership_view(rules.VIEW)
def version_detail(
    request: HttpRequest, partnership: Partnership, pk: int, number: int
) -> HttpResponse:
    agreement, version = _version(partnership, pk, number)
    st = selectors.state(agreement, timezone.localdate())
    return render(
        request,
        "agreements/version.html",
        {
            "agreement": agreement,
            "v": version,
            "state": st,
            "versions": list(agreement.versions.all()),
        },
    )


@partnership_view(rules.VIEW)
def version_diff(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    agreement = selectors.agreement_detail(partnership, pk)
    versions = list(agreement.versions.all())
    numbers = [v.number for v in versions]

    def pick(name: str, default: int) -> int:
        try:
            n = int(request.GET.get(name, default))
        except ValueError:
            n = default
        return n if n in numbers else default

    newest = numbers[0]
    b = pick("b", newest)
    a = pick("a", max(1, b - 1) if (b - 1) in numbers else numbers[-1])
    va = selectors.version_of(agreement, a)
    vb = selectors.version_of(agreement, b)
    return render(
        request,
        "agreements/diff.html",
        {
            "agreement": agreement,
            "va": va,
            "vb": vb,
            "versions": versions,
            "diff": texts.diff_html(va.text, vb.text),
            "stats": texts.diff_stats(va.text, vb.text),
        },
    )


@require_POST
@partnership_view(rules.SIGN)
def version_ratify(
    request: AuthedRequest, partnership: Partnership, pk: int, number: int
) -> HttpResponse:
    agreement, version = _version(partnership, pk, number)
    form = RatifyForm(
        request.POST,
        organisations=Organisation.objects.filter(memberships__partnership=partnership),
    )
    return post_action(
        request,
        lambda: services.ratify(
            actor=request.user,
            version=version,
            organisation=form.cleaned_data["organisation"],
            expected_sha256=form.cleaned_data["sha256"] or None,
        ),
        success_message=_("Ratified. Thank you."),
        redirect_to=agreement,
        form=form,
        invalid_message=_("Choose the organisation and confirm that you have read the text."),
    )


@require_POST
@partnership_view(rules.SIGN)
def agreement_terminate(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement, pk=pk, partnership=partnership)
    form = TerminationForm(
        request.POST,
        organisations=Organisation.objects.filter(memberships__partnership=partnership),
    )
    return post_action(
        request,
        lambda: services.termination_notice_give(
            actor=request.user, agreement=agreement, **form.cleaned_data
        ),
        success_message=_("Notice of termination recorded."),
        redirect_to=agreement,
        form=form,
        invalid_message=_("Choose the organisation and the date the notice takes effect."),
    )


@partnership_view(rules.VIEW)
def version_pdf(
    request: HttpRequest, partnership: Partnership, pk: int, number: int
) -> HttpResponse:
    agreement, version = _version(partnership, pk, number)
    response = HttpResponse(exports.version_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="agreement-{agreement.pk}-v{version.number}.pdf"'
    )
    return response


@partnership_view(rules.VIEW)
def version_docx(
    request: HttpRequest, partnership: Partnership, pk: int, number: int
) -> HttpResponse:
    agreement, version = _version(partnership, pk, number)
    response = HttpResponse(
        exports.version_docx(version),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="agreement-{agreement.pk}-v{version.number}.docx"'
    )
    return response


# --- Members' compact ------------------------------------------------------------------


@partnership_view(rules.MANAGE_COMPACT)
def compact_create(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = CompactForm(request.POST or None)
    if request.method != "POST":
        # The full set of clauses, offered for the partners to edit (compact_defaults).
        form.initial["principles"] = default_principles_text()
        form.initial["introduction"] = DEFAULT_INTRODUCTION
    return form_page(
        request,
        form,
        lambda data: services.compact_create(
            actor=request.user,
            partnership=partnership,
            title=data["title"],
            introduction=data["introduction"],
            principles=form.principle_list(),
        ),
        "agreements/compact_form.html",
        success_message=_("Compact adopted. Members can now sign it."),
    )


def _compact_context(
    request: HttpRequest, partnership: Partnership, compact: Compact, **forms: Any
) -> dict[str, Any]:
    speaker = list(_speaker_orgs(request, partnership))
    signed_ids = {s.organisation_id for s in compact.signatures.all()}
    principles = list(compact.principles.all())
    scores = selectors.compact_scores(compact)
    return {
        "compact": compact,
        "principles": [{"p": p, "trend": scores["by_principle"].get(p.pk, [])} for p in principles],
        "scores": scores,
        "sign_form": forms.get("sign_form")
        or SignForm(
            organisations=Organisation.objects.filter(
                pk__in=[o.pk for o in speaker if o.pk not in signed_ids]
            )
        ),
        "can_sign": any(o.pk not in signed_ids for o in speaker),
        "assess_form": forms.get("assess_form")
        or AssessForm(
            organisations=Organisation.objects.filter(
                pk__in=[o.pk for o in speaker if o.pk in signed_ids]
            ),
            principles=principles,
        ),
        "can_assess": any(o.pk in signed_ids for o in speaker),
    }


@partnership_view(rules.VIEW)
def compact_detail(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    compact = get_object_or_404(selectors.compacts(partnership), pk=pk)
    return render(
        request, "agreements/compact.html", _compact_context(request, partnership, compact)
    )


@require_POST
@partnership_view(rules.SIGN)
def compact_sign(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    compact = get_object_or_404(Compact, pk=pk, partnership=partnership)
    form = SignForm(
        request.POST,
        organisations=Organisation.objects.filter(memberships__partnership=partnership),
    )
    return post_action(
        request,
        lambda: services.compact_sign(
            actor=request.user, compact=compact, organisation=form.cleaned_data["organisation"]
        ),
        success_message=_("Signed. Welcome aboard."),
        redirect_to=compact,
        form=form,
        invalid_message=_("Choose the organisation you sign for."),
    )


@require_POST
@partnership_view(rules.SIGN)
def compact_assess(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    compact = get_object_or_404(selectors.compacts(partnership), pk=pk)
    form = AssessForm(
        request.POST,
        organisations=Organisation.objects.filter(memberships__partnership=partnership),
        principles=list(compact.principles.all()),
    )
    return form_page(
        request,
        form,
        lambda data: services.self_assess(
            actor=request.user,
            compact=compact,
            organisation=data["organisation"],
            year=data["year"],
            scores=form.scores(),
        ),
        "agreements/compact.html",
        lambda: _compact_context(request, partnership, compact, assess_form=form),
        success_message=_("Self-assessment saved."),
        redirect_to=compact,
    )
