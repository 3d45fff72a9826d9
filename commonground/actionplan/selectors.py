"""Reads for the action plan: filtered and sorted lists, the board, exports."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from .models import DUE_SOON_DAYS, OPEN_STATUSES, Action, ActionStatus

SORTS = {
    "due": ["due_null", "due_on", "priority", "id"],
    "-due": ["-due_null", "-due_on", "priority", "id"],
    "priority": ["priority", "due_null", "due_on", "id"],
    "-priority": ["-priority", "due_null", "due_on", "id"],
    "title": ["title", "id"],
    "status": ["status_order", "due_null", "due_on", "id"],
    "owner": ["owner__display_name", "due_null", "due_on", "id"],
    "updated": ["-updated_at", "-id"],
}

STATUS_ORDER = Case(
    *[When(status=s, then=Value(i)) for i, s in enumerate(ActionStatus.values)],
    output_field=IntegerField(),
)


def with_related(qs: QuerySet[Action]) -> QuerySet[Action]:
    return qs.select_related(
        "partnership", "owner", "owner_organisation", "working_group", "meeting", "decision"
    )


def filtered(qs: QuerySet[Action], params: Any) -> QuerySet[Action]:
    """Apply the list filters from a query dict (status, owner, group, priority, due)."""
    status = params.get("status", "open")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in ActionStatus.values:
        qs = qs.filter(status=status)
    owner = params.get("owner")
    if owner and owner.isdigit():
        qs = qs.filter(owner_id=int(owner))
    group = params.get("group")
    if group and group.isdigit():
        qs = qs.filter(working_group_id=int(group))
    priority = params.get("priority")
    if priority and priority.isdigit():
        qs = qs.filter(priority=int(priority))
    due = params.get("due")
    today = timezone.localdate()
    if due == "overdue":
        qs = qs.filter(status__in=OPEN_STATUSES, due_on__lt=today)
    elif due == "soon":
        qs = qs.filter(
            status__in=OPEN_STATUSES,
            due_on__gte=today,
            due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
        )
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return qs


def sorted_actions(qs: QuerySet[Action], sort: str | None) -> QuerySet[Action]:
    order = SORTS.get(sort or "", SORTS["due"])
    return qs.annotate(
        due_null=Case(When(due_on__isnull=True, then=Value(1)), default=Value(0)),
        status_order=STATUS_ORDER,
    ).order_by(*order)


def actions_of(partnership: Any, params: Any) -> QuerySet[Action]:
    qs = with_related(Action.objects.filter(partnership=partnership))
    return sorted_actions(filtered(qs, params), params.get("sort"))


def board(partnership: Any, params: Any, per_column: int = 50) -> list[dict[str, Any]]:
    """Actions grouped by status, each column capped: counts in SQL, then at most
    ``per_column`` rows per status (a window function), so the board reads the same
    few rows however many actions the partnership has."""
    base = filtered(Action.objects.filter(partnership=partnership), {**params.dict(), "status": ""})
    counts: dict[str, int] = dict.fromkeys(ActionStatus.values, 0)
    for row in base.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    # Rank narrow rows (ids only, no joins), then load the few shown with their relations.
    due_null = Case(When(due_on__isnull=True, then=Value(1)), default=Value(0))
    ranked = base.annotate(
        column_rank=Window(
            RowNumber(),
            partition_by=[F("status")],
            order_by=[due_null.asc(), F("due_on").asc(), F("priority").asc(), F("id").asc()],
        ),
    ).filter(column_rank__lte=per_column)
    shown = list(ranked.values_list("pk", flat=True))
    columns: dict[str, list[Action]] = {s: [] for s in ActionStatus.values}
    for action in sorted_actions(with_related(Action.objects.filter(pk__in=shown)), "due"):
        columns[action.status].append(action)
    return [
        {"status": s, "label": label, "actions": columns[s], "count": counts[s]}
        for s, label in ActionStatus.choices
    ]


def summary(partnership: Any) -> dict[str, int]:
    today = timezone.localdate()
    return Action.objects.filter(partnership=partnership).aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)),
        soon=Count(
            "pk",
            filter=Q(
                status__in=OPEN_STATUSES,
                due_on__gte=today,
                due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
            ),
        ),
        done=Count("pk", filter=Q(status=ActionStatus.DONE)),
    )
