"""Reads for the action plan: filtered and sorted lists, the board, exports."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from commonground.core.sql import capped_counts

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


BOARD_COUNT_CAP = 1000


def board(partnership: Any, params: Any, per_column: int = 20) -> list[dict[str, Any]]:
    """Actions grouped by status, each column capped.

    Each column reads only its first ``per_column`` rows through the
    (partnership, status, due_on) index: one statement selects, per status, the
    earliest-due dated actions and the undated ones (a sliced subquery each), and
    one statement counts every column up to a cap. The board therefore costs the
    same at 500 or 50,000 actions.
    """
    base = filtered(Action.objects.filter(partnership=partnership), {**params.dict(), "status": ""})
    per_status = {s: base.filter(status=s) for s in ActionStatus.values}
    counts = capped_counts(per_status, BOARD_COUNT_CAP)
    wanted = Q()
    for qs in per_status.values():
        dated = qs.filter(due_on__isnull=False).order_by("due_on", "priority", "id")
        undated = qs.filter(due_on__isnull=True).order_by("priority", "id")
        wanted |= Q(pk__in=dated.values("pk")[:per_column])
        wanted |= Q(pk__in=undated.values("pk")[:per_column])
    columns: dict[str, list[Action]] = {s: [] for s in ActionStatus.values}
    for action in sorted_actions(with_related(Action.objects.filter(wanted)), "due"):
        if len(columns[action.status]) < per_column:
            columns[action.status].append(action)
    return [
        {
            "status": s,
            "label": label,
            "actions": columns[s],
            "count": min(counts[s], BOARD_COUNT_CAP),
            "more": counts[s] > BOARD_COUNT_CAP,
        }
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
