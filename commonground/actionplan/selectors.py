"""Reads for the action plan: filtered and sorted lists, the board, exports."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from commonground.core.audit import cached_while_unchanged
from commonground.core.sql import capped_counts

from .models import DUE_SOON_DAYS, OPEN_STATUSES, Action, ActionStatus, Priority, due_state_of

if TYPE_CHECKING:
    from commonground.partnerships.models import Partnership

# Every ordering ends on the (partnership, due_key, -priority, id) or the
# (partnership, status, due_key, -priority, id) index where it can, so a page reads few rows.
# Priority runs 1 = low … 5 = high; wherever it orders, the highest comes first ("priority"),
# and "-priority" turns that round (lowest first).
SORTS = {
    "due": ["due_key", "-priority", "id"],
    "-due": ["-due_key", "-priority", "id"],
    "priority": ["-priority", "due_key", "id"],
    "-priority": ["priority", "due_key", "id"],
    "title": ["title", "id"],
    "status": ["status_order", "due_key", "id"],
    "owner": ["owner__display_name", "due_key", "id"],
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
    if "status_order" in order:
        qs = qs.annotate(status_order=STATUS_ORDER)
    return qs.order_by(*order)


def actions_of(partnership: Partnership, params: Any) -> QuerySet[Action]:
    qs = with_related(Action.objects.filter(partnership=partnership))
    return sorted_actions(filtered(qs, params), params.get("sort"))


@dataclass(frozen=True, slots=True)
class ActionRow:
    """One action as a row of the list shows it: plain values, not an action with its
    owner, organisation, group and meeting loaded as five model instances."""

    pk: int
    title: str
    status: str
    status_label: str
    priority: int
    due_on: datetime.date | None
    due_state: str
    owner: str | None
    owner_organisation: str | None
    working_group: str | None
    meeting_title: str | None

    def get_status_display(self) -> str:
        return self.status_label

    def get_priority_display(self) -> str:
        return str(Priority(self.priority).label)


LIST_ROW_FIELDS = (
    "id",
    "title",
    "status",
    "priority",
    "due_on",
    "owner__display_name",
    "owner__email",
    "owner_organisation__name",
    "working_group__name",
    "meeting__title",
)


def action_rows_query(partnership: Partnership, params: Any) -> tuple[QuerySet[Any], int]:
    """``actions_of`` reading only what a list row shows (see ``action_rows``), and how
    many actions match: counted without the rows' joins, which Django keeps in the
    count of a ``values_list`` query (at 50,000 actions, a page 50 times slower)."""
    qs = filtered(Action.objects.filter(partnership=partnership), params)
    rows = sorted_actions(qs, params.get("sort")).values_list(*LIST_ROW_FIELDS)
    return rows, qs.count()


def action_rows(rows: Any) -> list[ActionRow]:
    """The rows of ``action_rows_query`` (or a page of it) as ``ActionRow``s."""
    labels = {value: str(label) for value, label in ActionStatus.choices}
    today = timezone.localdate()
    return [
        ActionRow(
            pk,
            title,
            status,
            labels.get(status, status),
            priority,
            due_on,
            due_state_of(status, due_on, today),
            (name or email) if email is not None else None,
            organisation,
            group,
            meeting,
        )
        for pk, title, status, priority, due_on, name, email, organisation, group, meeting in rows
    ]


BOARD_COUNT_CAP = 1000
# What a card shows (title, owner, priority, due date and its warnings, status): nothing else
# is read, so a full board builds a hundred small objects, not a hundred object graphs.
BOARD_CARD_FIELDS = (
    "id",
    "partnership_id",
    "title",
    "status",
    "priority",
    "due_on",
    "owner__id",
    "owner__display_name",
    "owner__email",
)


def remembered_board(partnership: Partnership, params: Any) -> list[dict[str, Any]]:
    """``board``, kept until the partnership's next change (every change to an action
    is one) or the next day (the cards show what is overdue), per set of filters."""
    filters = json.dumps(sorted(params.lists()))
    return cached_while_unchanged(
        partnership,
        "action-board",
        [hashlib.sha256(filters.encode()).hexdigest()[:32], timezone.localdate().isoformat()],
        lambda: board(partnership, params),
    )


def board(partnership: Partnership, params: Any, per_column: int = 12) -> list[dict[str, Any]]:
    """Actions grouped by status, each column capped.

    Each column reads only its first ``per_column`` rows through the
    (partnership, status, due_key, -priority, id) index: one statement selects, per
    status, the earliest-due actions (a sliced subquery each), and one statement
    counts every column up to a cap. The board therefore costs the
    same at 500 or 50,000 actions.
    """
    base = filtered(Action.objects.filter(partnership=partnership), {**params.dict(), "status": ""})
    per_status = {s: base.filter(status=s) for s in ActionStatus.values}
    counts = capped_counts(per_status, BOARD_COUNT_CAP)
    wanted = Q()
    for qs in per_status.values():
        wanted |= Q(pk__in=qs.order_by(*SORTS["due"]).values("pk")[:per_column])
    columns: dict[str, list[Action]] = {s: [] for s in ActionStatus.values}
    cards = (
        Action.objects.filter(wanted)
        .select_related("owner")
        .only(*BOARD_CARD_FIELDS)
        .order_by(*SORTS["due"])
    )
    for action in cards:
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


SUMMARY_CAP = 1000


def summary(partnership: Partnership) -> dict[str, int | str]:
    """Open, overdue, due-soon and done counts, each read up to a cap through the status index
    (so the header costs the same for 500 or 50,000 actions); "1000+" above the cap.

    Kept until the partnership's next change (every action change is one) or the next
    day (overdue and due soon move with the date)."""
    today = timezone.localdate()
    return cached_while_unchanged(
        partnership, "action-summary", [today.isoformat()], lambda: _summary(partnership, today)
    )


def _summary(partnership: Partnership, today: datetime.date) -> dict[str, int | str]:
    mine = Action.objects.filter(partnership=partnership)
    counts = capped_counts(
        {
            "open": mine.filter(status__in=OPEN_STATUSES),
            "overdue": mine.filter(status__in=OPEN_STATUSES, due_key__lt=today),
            "soon": mine.filter(
                status__in=OPEN_STATUSES,
                due_key__gte=today,
                due_key__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
            ),
            "done": mine.filter(status=ActionStatus.DONE),
        },
        SUMMARY_CAP,
    )
    return {k: (f"{SUMMARY_CAP}+" if n > SUMMARY_CAP else n) for k, n in counts.items()}
