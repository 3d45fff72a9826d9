from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from commonground.core import policy
from commonground.core.http import AuthedRequest
from commonground.core.pagination import paginate, querystring_without_page
from commonground.core.policy import partnership_view
from commonground.core.views_helpers import form_page
from commonground.partnerships.models import Partnership
from commonground.partnerships.roles import people_choices

from . import rules, selectors, services
from .forms import ActionForm, StatusForm
from .models import OPEN_STATUSES, PRIORITIES_HIGHEST_FIRST, Action, ActionStatus

SORT_CHOICES = [
    ("due", gettext_lazy("Due date")),
    ("-due", gettext_lazy("Due date, latest first")),
    ("priority", gettext_lazy("Priority, highest first")),
    ("-priority", gettext_lazy("Priority, lowest first")),
    ("status", gettext_lazy("Status")),
    ("owner", gettext_lazy("Owner")),
    ("title", gettext_lazy("Title")),
    ("updated", gettext_lazy("Recently updated")),
]

FILTERS = ("q", "status", "owner", "group", "priority", "due", "sort")


def _without(request: HttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def _filter_context(request: AuthedRequest, partnership: Partnership) -> dict[str, Any]:
    return {
        # Every filter present (blank when not given), so the template never looks up a
        # missing key (a failed lookup costs a scan of the object's attributes).
        "params": {name: request.GET.get(name, "") for name in FILTERS},
        "people": people_choices(partnership),
        "groups": list(partnership.working_groups.order_by("name", "id").values_list("pk", "name")),
        "statuses": ActionStatus.choices,
        "priorities": [(n, str(label)) for n, label in PRIORITIES_HIGHEST_FIRST],
        "sorts": [(k, str(v)) for k, v in SORT_CHOICES],
        "qs": querystring_without_page(request),
        "qs_nosort": _without(request, "page", "sort"),
        "can_edit": policy.has_capability(request.user, partnership, rules.EDIT),
        "summary": selectors.summary(partnership),
    }


@partnership_view(rules.VIEW)
def action_list(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    rows, count = selectors.action_rows_query(partnership, request.GET)
    page = paginate(request, rows, count=count)
    page.object_list = selectors.action_rows(page.object_list)
    return render(
        request,
        "actionplan/action_list.html",
        {
            "page": page,
            **_filter_context(request, partnership),
        },
    )


def _status_options() -> dict[str, str]:
    """The options of a card's status menu, once for each status it may have selected."""
    return {
        current: format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (value, mark_safe(" selected") if value == current else "", label)
                for value, label in ActionStatus.choices
            ),
        )
        for current in ActionStatus.values
    }


@partnership_view(rules.VIEW)
def action_board(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    columns = selectors.remembered_board(partnership, request.GET)
    # Each card's status menu is one of a few strings built once per page, not an
    # option loop per card.
    options = _status_options()
    for column in columns:
        for action in column["actions"]:
            action.status_options = options[action.status]
    return render(
        request,
        "actionplan/action_board.html",
        {"columns": columns, **_filter_context(request, partnership)},
    )


@partnership_view(rules.VIEW)
def action_detail(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    action = get_object_or_404(
        selectors.with_related(Action.objects.all()), pk=pk, partnership=partnership
    )
    return render(
        request,
        "actionplan/action_detail.html",
        {
            "action": action,
            "can_edit": policy.has_capability(request.user, partnership, rules.EDIT),
            "statuses": ActionStatus.choices,
        },
    )


def _save(request: AuthedRequest, partnership: Partnership, action: Action | None) -> HttpResponse:
    form = ActionForm(request.POST or None, instance=action, partnership=partnership)
    creating = action is None

    def save(data: dict[str, Any]) -> Action:
        nonlocal action
        if action is None:
            return services.action_create(actor=request.user, partnership=partnership, **data)
        # The form has already copied the values onto the instance; reload for a clean diff.
        action = Action.objects.get(pk=action.pk)
        services.action_update(actor=request.user, action=action, **data)
        return action

    return form_page(
        request,
        form,
        save,
        "actionplan/action_form.html",
        {"action": action},
        success_message=_("Action added.") if creating else _("Saved."),
    )


@partnership_view(rules.EDIT)
def action_create(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    return _save(request, partnership, None)


@partnership_view(rules.EDIT)
def action_edit(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    action = get_object_or_404(Action, pk=pk, partnership=partnership)
    return _save(request, partnership, action)


@require_POST
@partnership_view(rules.EDIT)
def action_status(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    action = get_object_or_404(Action, pk=pk, partnership=partnership)
    form = StatusForm(request.POST)
    if form.is_valid():
        services.action_set_status(
            actor=request.user, action=action, status=form.cleaned_data["status"]
        )
        messages.success(
            request,
            _("%(title)s: %(status)s")
            % {"title": action.title, "status": action.get_status_display()},
        )
    else:
        messages.error(request, _("Choose a status."))
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect(action)


# --- exports ---------------------------------------------------------------------------


def _export_rows(partnership: Partnership, params: Any) -> tuple[list[str], Iterator[list[Any]]]:
    header = [
        _("Title"),
        _("Status"),
        _("Priority (1 = low, 5 = high)"),
        _("Owner"),
        _("Organisation"),
        _("Working group"),
        _("Start"),
        _("Due"),
        _("Overdue"),
        _("Enablers and resources"),
        _("Description"),
        _("From meeting"),
        _("From decision"),
        _("From agreement deliverable"),
    ]

    def rows() -> Iterator[list[Any]]:
        # Batched reads and one row at a time: memory stays flat however many actions.
        for a in selectors.actions_of(partnership, params).iterator(chunk_size=1000):
            yield [
                a.title,
                a.get_status_display(),
                a.priority,
                str(a.owner or ""),
                str(a.owner_organisation or ""),
                str(a.working_group or ""),
                a.start_on,
                a.due_on,
                _("yes") if a.is_overdue else "",
                a.enablers,
                a.description,
                str(a.meeting or ""),
                str(a.decision or ""),
                a.agreement_deliverable,
            ]

    return [str(h) for h in header], rows()


def _safe_cell(value: Any) -> Any:
    """Stop spreadsheet apps from running a cell as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@partnership_view(rules.VIEW)  # type: ignore[arg-type]  # a streaming response
def export_csv(request: AuthedRequest, partnership: Partnership) -> StreamingHttpResponse:
    header, rows = _export_rows(partnership, request.GET)

    class _Line:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(_Line())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([_safe_cell("" if v is None else v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="actions-{partnership.slug}-{stamp}.csv"'
    )
    return response


@partnership_view(rules.VIEW)  # type: ignore[arg-type]  # a streaming response
def export_xlsx(request: AuthedRequest, partnership: Partnership) -> FileResponse:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    header, rows = _export_rows(partnership, request.GET)
    # Write-only: rows go to a temporary file as they come, not into a cell tree in memory.
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(str(_("Actions"))[:31])
    for col, width in zip(
        "ABCDEFGHIJKLMN", [40, 14, 8, 22, 28, 22, 12, 12, 9, 30, 40, 30, 30, 30], strict=True
    ):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    heading = []
    for title in header:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = bold
        heading.append(cell)
    ws.append(heading)
    for row in rows:
        ws.append([_safe_cell(v) for v in row])
    # Zipped into a temporary file and streamed from it in blocks, not held as bytes.
    out = tempfile.TemporaryFile()  # noqa: SIM115  # FileResponse closes it when sent
    try:
        wb.save(out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    stamp = timezone.localdate().isoformat()
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"actions-{partnership.slug}-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# --- across partnerships -----------------------------------------------------------------


def my_actions(request: AuthedRequest) -> HttpResponse:
    qs = selectors.with_related(rules.visible_actions(request.user).filter(owner=request.user))
    show = request.GET.get("show", "open")
    if show != "all":
        qs = qs.filter(status__in=OPEN_STATUSES)
    page = paginate(request, selectors.sorted_actions(qs, request.GET.get("sort")))
    return render(
        request,
        "actionplan/my_actions.html",
        {"page": page, "show": show, "qs": querystring_without_page(request)},
    )


my_actions.capability = "signed_in"  # type: ignore[attr-defined]
