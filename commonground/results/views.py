from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.actionplan.rules import EDIT as ACTION_EDIT
from commonground.core import policy
from commonground.core.http import AuthedRequest
from commonground.core.pagination import paginate
from commonground.core.policy import partnership_view
from commonground.core.views_helpers import (
    apply_service_errors,
    flash_error,
    form_page,
)
from commonground.partnerships.models import Partnership, WorkingGroup

from . import rules, selectors, services
from .forms import (
    CsvImportForm,
    IndicatorForm,
    MeasurementForm,
    ReviewForm,
    RevisionLineForm,
    TargetRevisionForm,
)
from .models import Indicator, Measurement, Review
from .progress import STATUS_LABELS


@partnership_view(rules.VIEW)
def indicator_list(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    groups = list(WorkingGroup.objects.filter(partnership=partnership).order_by("name"))
    group = request.GET.get("group", "")
    qs = selectors.indicators_for(partnership)
    if group == "none":
        qs = qs.filter(working_group__isnull=True)
    elif group:
        qs = qs.filter(working_group__slug=group)
    page = paginate(request, qs)
    indicators = selectors.with_progress(page.object_list)
    schedule = selectors.review_schedule_for(partnership)
    return render(
        request,
        "results/indicator_list.html",
        {
            "page": page,
            "indicators": indicators,
            "schedule": schedule,
            "can_manage": policy.has_capability(request.user, partnership, rules.MANAGE),
            "can_record": policy.has_capability(request.user, partnership, rules.RECORD),
            "status_labels": STATUS_LABELS,
            "groups": groups,
            "group": group,
            "qs": f"group={group}" if group else "",
        },
    )


@partnership_view(rules.MANAGE)
def indicator_create(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = IndicatorForm(request.POST or None, partnership=partnership)
    return form_page(
        request,
        form,
        lambda data: services.indicator_create(actor=request.user, partnership=partnership, **data),
        "results/indicator_form.html",
        success_message=_("Indicator saved."),
    )


@partnership_view(rules.MANAGE)
def indicator_edit(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    ind = get_object_or_404(Indicator, pk=pk, partnership=partnership)
    form = IndicatorForm(request.POST or None, instance=ind, partnership=partnership)
    return form_page(
        request,
        form,
        lambda data: services.indicator_update(actor=request.user, indicator=ind, **data),
        "results/indicator_form.html",
        {"indicator": ind},
        success_message=_("Indicator saved."),
        redirect_to=ind,
    )


# What a row of the measurements table shows (the recorder by name).
MEASUREMENT_ROW_FIELDS = (
    "id",
    "indicator_id",
    "measured_on",
    "value",
    "observation",
    "rating",
    "note",
    "source_file",
    "recorded_by__id",
    "recorded_by__display_name",
    "recorded_by__email",
)


def _indicator(partnership: Partnership, pk: int) -> Indicator:
    """The indicator with what its page shows of it (owner, working group) in one query."""
    return get_object_or_404(
        Indicator.objects.select_related("owner", "working_group", "partnership"),
        pk=pk,
        partnership=partnership,
    )


def _detail_context(
    request: HttpRequest,
    partnership: Partnership,
    ind: Indicator,
    measurement_form: Any = None,
    revision_form: Any = None,
) -> dict[str, Any]:
    """The indicator page's context; ``ind`` comes from :func:`_indicator`."""
    can_record = policy.has_capability(request.user, partnership, rules.RECORD)
    can_manage = policy.has_capability(request.user, partnership, rules.MANAGE)
    parts = selectors.indicator_parts(ind)
    # The table pages through the measurements newest first; the chart draws the latest.
    page = paginate(
        request,
        ind.measurements.select_related("recorded_by")
        .only(*MEASUREMENT_ROW_FIELDS)
        .order_by("-measured_on", "-id"),
        count=parts.total,
    )
    if measurement_form is None and can_record:
        measurement_form = MeasurementForm(indicator=ind)
    if revision_form is None and can_manage and ind.is_quantitative and ind.direction != "band":
        revision_form = TargetRevisionForm(partnership=partnership)
    # The progress badge needs the latest measurement, the chart's last point: no
    # correlated subqueries (selectors.indicators_for) for a single indicator.
    selectors.with_latest(ind, parts.points)
    return {
        "indicator": ind,
        "progress": selectors.indicator_progress(ind),
        "page": page,
        "chart": parts.chart,
        "revisions": parts.revisions,
        "reviews": parts.reviews,
        "measurement_form": measurement_form,
        "revision_form": revision_form,
        "can_manage": can_manage,
        "can_record": can_record,
    }


@partnership_view(rules.VIEW)
def indicator_detail(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    ind = _indicator(partnership, pk)
    return render(
        request, "results/indicator_detail.html", _detail_context(request, partnership, ind)
    )


@require_POST
@partnership_view(rules.RECORD)
def measurement_add(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    ind = get_object_or_404(Indicator, pk=pk, partnership=partnership)
    form = MeasurementForm(request.POST, request.FILES, indicator=ind)
    return form_page(
        request,
        form,
        lambda data: services.measurement_record(actor=request.user, indicator=ind, **data),
        "results/indicator_detail.html",
        lambda: _detail_context(
            request, partnership, _indicator(partnership, ind.pk), measurement_form=form
        ),
        success_message=_("Measurement recorded."),
        redirect_to=ind,
    )


@partnership_view(rules.VIEW)
def measurement_file(request: AuthedRequest, partnership: Partnership, pk: int) -> Any:
    m = get_object_or_404(Measurement, pk=pk, indicator__partnership=partnership)
    if not m.source_file:
        raise Http404
    return FileResponse(m.source_file.open("rb"), as_attachment=True)


@require_POST
@partnership_view(rules.MANAGE)
def target_revise(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    ind = get_object_or_404(Indicator, pk=pk, partnership=partnership)
    form = TargetRevisionForm(request.POST, partnership=partnership)
    return form_page(
        request,
        form,
        lambda data: services.target_revise(actor=request.user, indicator=ind, **data),
        "results/indicator_detail.html",
        lambda: _detail_context(
            request, partnership, _indicator(partnership, ind.pk), revision_form=form
        ),
        success_message=_("Target revised."),
        redirect_to=ind,
    )


@partnership_view(rules.RECORD)
def measurement_import(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = CsvImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["csv_text"]
        result = services.measurements_parse_csv(partnership=partnership, text=text)
        if request.POST.get("confirm") and result.is_clean:
            saved = services.measurements_import_csv(
                actor=request.user, partnership=partnership, text=text
            )
            messages.success(request, _("%(n)s measurements imported.") % {"n": len(saved)})
            return redirect("results:indicator_list", slug=partnership.slug)
        form = CsvImportForm(initial={"csv_text": text})
    return render(
        request,
        "results/import.html",
        {
            "form": form,
            "result": result,
            "indicators": Indicator.objects.filter(partnership=partnership).order_by("name", "id"),
        },
    )


@partnership_view(rules.VIEW)
def review_list(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    page = paginate(request, selectors.reviews_for(partnership))
    return render(
        request,
        "results/review_list.html",
        {
            "page": page,
            "schedule": selectors.review_schedule_for(partnership),
            "can_manage": policy.has_capability(request.user, partnership, rules.MANAGE),
        },
    )


REVISION_LINES = 2


@partnership_view(rules.MANAGE)
def review_create(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = ReviewForm(data, partnership=partnership)
    lines = [
        RevisionLineForm(data, partnership=partnership, prefix=f"rev{i}")
        for i in range(REVISION_LINES)
    ]
    if data is not None and form.is_valid() and all(line.is_valid() for line in lines):
        revisions = [
            {
                "indicator": line.cleaned_data["indicator"],
                "new_target_value": line.cleaned_data["new_target_value"],
                "reason": line.cleaned_data["reason"],
            }
            for line in lines
            if line.cleaned_data.get("indicator")
        ]
        fields = {k: v for k, v in form.cleaned_data.items() if k != "indicators"}
        try:
            review = services.review_record(
                actor=request.user,
                partnership=partnership,
                indicators=list(form.cleaned_data["indicators"]),
                revisions=revisions,
                **fields,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Review recorded."))
            return redirect(review)
    return render(
        request,
        "results/review_form.html",
        {"form": form, "lines": lines},
        status=400 if data is not None else 200,
    )


@partnership_view(rules.VIEW)
def review_detail(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    review = get_object_or_404(
        Review.objects.select_related("working_group", "created_by"), pk=pk, partnership=partnership
    )
    return render(
        request,
        "results/review_detail.html",
        {
            "review": review,
            "indicators": review.indicators.select_related("partnership"),
            "revisions": review.target_revisions.select_related("indicator__partnership"),
            "actions": review.actions.select_related("owner").order_by("due_on", "id"),
            "can_add_actions": policy.has_capability(request.user, partnership, ACTION_EDIT),
        },
    )


@require_POST
@partnership_view(ACTION_EDIT)
def review_actions(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    """Create action-plan actions from a review's decided changes, one per line."""
    import datetime

    review = get_object_or_404(Review, pk=pk, partnership=partnership)
    due_on = None
    raw_due = request.POST.get("due_on", "").strip()
    try:
        if raw_due:
            due_on = datetime.date.fromisoformat(raw_due)
        created = services.review_actions_create(
            actor=request.user,
            review=review,
            titles=request.POST.get("titles", "").splitlines(),
            due_on=due_on,
        )
    except ValueError:
        messages.error(request, _("Give the due date as YYYY-MM-DD."))
    except ValidationError as exc:
        flash_error(request, exc)
    else:
        messages.success(
            request, _("%(n)s actions added to the action plan.") % {"n": len(created)}
        )
    return redirect(review.get_absolute_url())
