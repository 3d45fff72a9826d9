from __future__ import annotations

import tempfile
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core import policy
from commonground.core.http import AuthedRequest
from commonground.core.pagination import paginate, querystring_without_page
from commonground.core.policy import partnership_view
from commonground.core.views_helpers import form_page, form_status, handle_form, post_action
from commonground.partnerships.models import Partnership

from . import exports, rules, selectors, services
from .forms import (
    BaseCurrencyForm,
    BenefitForm,
    ContributionForm,
    FilterForm,
    FlowFilterForm,
    ImportForm,
    RateForm,
    ScheduleForm,
    TransferForm,
    TransitionForm,
)
from .models import Contribution, ExchangeRate, Kind, Status


@partnership_view(rules.VIEW)
def ledger(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = FilterForm(request.GET or None, partnership=partnership)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    page = paginate(request, selectors.ledger_table(partnership, **filters))
    today = timezone.localdate()
    return render(
        request,
        "contributions/ledger.html",
        {
            "filter_form": form,
            "page": page,
            "qs": querystring_without_page(request),
            "today": today,
            "totals": selectors.remembered_totals(partnership),
            "overdue_count": selectors.overdue(partnership, today).count(),
            "can_record": policy.has_capability(request.user, partnership, rules.RECORD),
            "can_manage": policy.has_capability(request.user, partnership, rules.MANAGE),
        },
    )


@partnership_view(rules.VIEW)
def detail(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    contribution = selectors.contribution_detail(partnership, pk)
    can_record = policy.has_capability(request.user, partnership, rules.RECORD)
    return render(
        request,
        "contributions/detail.html",
        _detail_context(request, partnership, contribution, can_record),
    )


def _detail_context(
    request: AuthedRequest,
    partnership: Partnership,
    contribution: Contribution,
    can_record: bool,
    **forms: Any,
) -> dict[str, Any]:
    if can_record:
        try:
            services.check_speaks_for(request.user, partnership, contribution.contributor)
        except ValidationError:
            can_record = False
    return {
        "c": contribution,
        "today": timezone.localdate(),
        "can_record": can_record,
        "transition_form": forms.get("transition_form") or TransitionForm(),
        "schedule_form": forms.get("schedule_form") or ScheduleForm(),
        "transfer_form": forms.get("transfer_form") or TransferForm(partnership=partnership),
        "transitions": [(s, Status(s).label) for s in contribution.allowed_transitions()],
    }


def _save_contribution(
    request: AuthedRequest, partnership: Partnership, instance: Contribution | None
) -> HttpResponse:
    form = ContributionForm(request.POST or None, instance=instance, partnership=partnership)
    if instance is None and request.method != "POST":
        form.initial.setdefault("pledged_on", timezone.localdate())

    def save(data: dict[str, Any]) -> Contribution:
        data = {k: v for k, v in data.items() if k != "confirm_duplicate"}
        if instance is None:
            return services.contribution_create(actor=request.user, partnership=partnership, **data)
        return services.contribution_update(actor=request.user, contribution=instance, **data)

    if done := handle_form(request, form, save, success_message=_("Saved.")):
        return done
    return render(
        request,
        "contributions/form.html",
        {"form": form, "instance": instance},
        status=form_status(request),
    )


@partnership_view(rules.RECORD)
def create(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    return _save_contribution(request, partnership, None)


@partnership_view(rules.RECORD)
def edit(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    contribution = get_object_or_404(Contribution, pk=pk, partnership=partnership)
    return _save_contribution(request, partnership, contribution)


@require_POST
@partnership_view(rules.RECORD)
def transition(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    contribution = get_object_or_404(Contribution, pk=pk, partnership=partnership)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status and date."))
        return redirect(contribution)
    data = form.cleaned_data
    return post_action(
        request,
        lambda: services.contribution_transition(
            actor=request.user, contribution=contribution, to=data["to"], on=data["on"]
        ),
        success_message=_("Status changed."),
        redirect_to=contribution,
    )


@require_POST
@partnership_view(rules.RECORD)
def schedule_add(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    contribution = get_object_or_404(Contribution, pk=pk, partnership=partnership)
    form = ScheduleForm(request.POST)
    return form_page(
        request,
        form,
        lambda data: services.schedule_add(actor=request.user, contribution=contribution, **data),
        "contributions/detail.html",
        lambda: _detail_context(
            request,
            partnership,
            selectors.contribution_detail(partnership, pk),
            True,
            schedule_form=form,
        ),
        success_message=_("Payment added to the schedule."),
        redirect_to=contribution,
    )


@require_POST
@partnership_view(rules.RECORD)
def transfer_add(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    contribution = get_object_or_404(Contribution, pk=pk, partnership=partnership)
    form = TransferForm(request.POST, partnership=partnership)
    return form_page(
        request,
        form,
        lambda data: services.transfer_add(actor=request.user, contribution=contribution, **data),
        "contributions/detail.html",
        lambda: _detail_context(
            request,
            partnership,
            selectors.contribution_detail(partnership, pk),
            True,
            transfer_form=form,
        ),
        success_message=_("Ownership transfer recorded."),
        redirect_to=contribution,
    )


@partnership_view(rules.VIEW)
def totals(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    confirmed_only = request.GET.get("confirmed") == "1"
    t = selectors.remembered_totals(partnership, include_pledged=not confirmed_only)
    return render(
        request,
        "contributions/totals.html",
        {
            "t": t,
            "confirmed_only": confirmed_only,
            "kinds": Kind.choices,
            "rates": ExchangeRate.objects.filter(partnership=partnership),
            "can_manage": policy.has_capability(request.user, partnership, rules.MANAGE),
        },
    )


@partnership_view(rules.MANAGE)
def rates(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    rate_form = RateForm(request.POST if "rate" in request.POST else None)
    base_form = BaseCurrencyForm(
        request.POST if "base" in request.POST else None,
        initial={"currency": selectors.base_currency(partnership)},
    )

    def save(data: dict[str, Any]) -> None:
        if "rate" in request.POST:
            services.rate_set(actor=request.user, partnership=partnership, **data)
        else:
            services.base_currency_set(
                actor=request.user, partnership=partnership, currency=data["currency"]
            )

    done = handle_form(
        request,
        rate_form if "rate" in request.POST else base_form,
        save,
        success_message=_("Saved."),
        redirect_to=reverse("contributions:rates", args=[partnership.slug]),
    )
    if done:
        return done
    return render(
        request,
        "contributions/rates.html",
        {
            "rate_form": rate_form,
            "base_form": base_form,
            "base": selectors.base_currency(partnership),
            "rates": ExchangeRate.objects.filter(partnership=partnership),
        },
        status=form_status(request),
    )


@partnership_view(rules.VIEW)
def timeline(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    today = timezone.localdate()
    page = paginate(request, selectors.timeline(partnership, today), per_page=40)
    return render(
        request,
        "contributions/timeline.html",
        {
            "page": page,
            "today": today,
            "overdue": selectors.overdue(partnership, today),
            "overdue_payments": selectors.overdue_payments(partnership, today),
        },
    )


@partnership_view(rules.VIEW)
def flow(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = FlowFilterForm(request.GET or None)
    params: dict[str, Any] = {}
    if form.is_valid():
        params = {k: v for k, v in form.cleaned_data.items() if v}
    data = selectors.flows(partnership, **params)
    return render(
        request,
        "contributions/flow.html",
        {
            "form": form,
            "data": data,
            "measure": params.get("measure", "value"),
        },
    )


@partnership_view(rules.VIEW)
def balance(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    page = paginate(request, selectors.benefits(partnership))
    can_record = policy.has_capability(request.user, partnership, rules.RECORD)
    return render(
        request,
        "contributions/balance.html",
        {
            "rows": selectors.balance(partnership),
            "base": selectors.base_currency(partnership),
            "page": page,
            "form": BenefitForm(partnership=partnership) if can_record else None,
        },
    )


@require_POST
@partnership_view(rules.RECORD)
def benefit_add(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = BenefitForm(request.POST, partnership=partnership)
    return form_page(
        request,
        form,
        lambda data: services.benefit_record(actor=request.user, partnership=partnership, **data),
        "contributions/balance.html",
        lambda: {
            "rows": selectors.balance(partnership),
            "base": selectors.base_currency(partnership),
            "page": paginate(request, selectors.benefits(partnership)),
        },
        success_message=_("Benefit recorded."),
        redirect_to=reverse("contributions:balance", args=[partnership.slug]),
    )


@partnership_view(rules.VIEW)  # type: ignore[arg-type]  # a streaming response
def export_csv(request: AuthedRequest, partnership: Partnership) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        exports.csv_lines(selectors.ledger(partnership)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{partnership.slug}-contributions.csv"'
    return response


@partnership_view(rules.VIEW)  # type: ignore[arg-type]  # a streaming response
def export_xlsx(request: AuthedRequest, partnership: Partnership) -> FileResponse:
    # Written to a temporary file (openpyxl zips it there) and streamed from it in blocks.
    out = tempfile.TemporaryFile()  # noqa: SIM115  # FileResponse closes it when sent
    try:
        exports.write_xlsx(selectors.ledger(partnership), out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"{partnership.slug}-contributions.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@partnership_view(rules.MANAGE)
def import_csv(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            report = exports.import_csv(
                actor=request.user,
                partnership=partnership,
                content=form.cleaned_data["file"].read(),
                dry_run=form.cleaned_data["dry_run"],
            )
            if report.saved:
                messages.success(
                    request,
                    _("%(n)s contributions imported.") % {"n": report.saved},
                )
                return redirect("contributions:ledger", slug=partnership.slug)
            if report.errors:
                status = 400
        else:
            status = 400
    return render(
        request,
        "contributions/import.html",
        {"form": form, "report": report, "columns": exports.IMPORT_COLUMNS, "kinds": Kind.values},
        status=status,
    )
