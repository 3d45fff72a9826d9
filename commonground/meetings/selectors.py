"""Reads for meetings: lists, the meeting page, quorum and the attendance trend."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from commonground.core.audit import cached_while_unchanged

from .models import (
    AgendaItem,
    Assessment,
    Attendance,
    AttendanceStatus,
    ItemStatus,
    Meeting,
    MeetingSettings,
    Motion,
)

if TYPE_CHECKING:
    from commonground.partnerships.models import Partnership


def count_of(qs: QuerySet[Any]) -> Coalesce:
    """``COUNT(*)`` of a correlated queryset, as an annotation (0 when empty)."""
    counted = qs.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0)


def meetings_of(partnership: Partnership) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(partnership=partnership)
        # not the partnership (the caller has it) nor the chair (no list shows them)
        .select_related("working_group")
        # Correlated counts (an index lookup per meeting) rather than joining every
        # attendance and agenda row and grouping: flat however long the history.
        .annotate(
            present_count=count_of(
                Attendance.objects.filter(meeting=OuterRef("pk"), status=AttendanceStatus.PRESENT)
            ),
            proposed_count=count_of(
                AgendaItem.objects.filter(meeting=OuterRef("pk"), status=ItemStatus.PROPOSED)
            ),
        )
    )


def meeting_for_page(partnership: Partnership, pk: int) -> Meeting:
    from django.shortcuts import get_object_or_404

    from commonground.actionplan.models import Action

    qs = Meeting.objects.select_related(
        "working_group", "chair", "minutes_approved_at", "series"
    ).prefetch_related(
        Prefetch(
            "items",
            queryset=AgendaItem.objects.select_related("proposed_by")
            .prefetch_related(
                # As plain lists (``motion_list``, ``action_list``): a prefetch into the
                # related manager builds a filtered queryset per agenda item, which cost
                # more than fetching the rows.
                Prefetch(
                    "motions",
                    # by id within each item; the default order (by item) joins the
                    # agenda items and meetings to sort by them
                    queryset=Motion.objects.select_related(
                        "proposed_by", "seconded_by", "decision"
                    ).order_by("id"),
                    to_attr="motion_list",
                ),
                Prefetch(
                    "actions",
                    queryset=Action.objects.select_related("owner", "partnership"),
                    to_attr="action_list",
                ),
            )
            .order_by("position", "id"),
        ),
        Prefetch("assessments", queryset=Assessment.objects.order_by("id")),
    )
    meeting = get_object_or_404(qs, pk=pk, partnership=partnership)
    meeting.partnership = partnership  # the caller's, already loaded: no join for it
    return meeting


def meeting_page(
    partnership: Partnership, pk: int
) -> tuple[Meeting, list[Attendee], dict[str, Any]]:
    """The meeting with its agenda, its attendees and its quorum, as its page shows
    them: kept until the partnership's next change (every change to a meeting, its
    agenda, minutes or attendance is one), or five minutes."""
    meeting, people, counted = cached_while_unchanged(
        partnership, "meeting-page", [str(pk)], lambda: _meeting_page(partnership, pk)
    )
    meeting.partnership = partnership
    return meeting, people, counted


def _meeting_page(
    partnership: Partnership, pk: int
) -> tuple[Meeting, list[Attendee], dict[str, Any]]:
    meeting = meeting_for_page(partnership, pk)
    people = attendees(meeting)
    return meeting, people, quorum(meeting, people)


@dataclass(frozen=True, slots=True)
class Attendee:
    """One attendance record as the meeting page, the minutes and the API show it."""

    user_id: int
    person: str
    organisation_id: int | None
    organisation: str
    organisation_slug: str | None
    status: str
    status_label: str


def attendees(meeting: Meeting) -> list[Attendee]:
    """Who was marked present or absent, by name: one row of plain values each (as
    attendance, person and organisation instances, a hundred attendees were two fifths
    of the meeting page)."""
    labels = {value: str(label) for value, label in AttendanceStatus.choices}
    rows = meeting.attendance.order_by("user__display_name", "id").values_list(
        "user_id",
        "user__display_name",
        "user__email",
        "organisation_id",
        "organisation__name",
        "organisation__slug",
        "status",
    )
    return [
        Attendee(user_id, name or email, org_id, org_name or "", org_slug, status, labels[status])
        for user_id, name, email, org_id, org_name, org_slug, status in rows
    ]


def quorum_fraction(partnership: Partnership) -> Decimal:
    setting = MeetingSettings.objects.filter(partnership=partnership).first()
    return setting.quorum_fraction if setting else Decimal("0.50")


def quorum(
    meeting: Meeting, attendance: Sequence[Attendance | Attendee] | None = None
) -> dict[str, Any]:
    """Whether enough were present: organisations for the partnership, people for a group."""
    from commonground.partnerships.models import MembershipStatus

    fraction = quorum_fraction(meeting.partnership)
    if attendance is None:
        attendance = list(meeting.attendance.all())
    present = [a for a in attendance if a.status == AttendanceStatus.PRESENT]
    if meeting.working_group_id:
        member_ids = set(meeting.working_group.members.values_list("pk", flat=True))  # type: ignore[union-attr]
        base = len(member_ids)
        count = len({a.user_id for a in present if a.user_id in member_ids})
        basis = "people"
    else:
        active = set(
            meeting.partnership.memberships.filter(status=MembershipStatus.ACTIVE)
            .order_by()
            .values_list("organisation_id", flat=True)
        )
        base = len(active)
        count = len({a.organisation_id for a in present if a.organisation_id in active})
        basis = "organisations"
    required = max(1, math.ceil(fraction * base)) if base else 1
    return {
        "fraction": fraction,
        "percent": int(fraction * 100),
        "basis": basis,
        "base": base,
        "present": count,
        "required": required,
        "met": count >= required,
        "recorded": bool(attendance),
    }


def roster(meeting: Meeting) -> list[Any]:
    """The people expected at the meeting: the group's members, or everyone with a role."""
    from commonground.partnerships.models import Role

    User = get_user_model()
    if meeting.working_group_id:
        ids = set(meeting.working_group.members.values_list("pk", flat=True))  # type: ignore[union-attr]
        if meeting.working_group.lead_id:  # type: ignore[union-attr]
            ids.add(meeting.working_group.lead_id)  # type: ignore[union-attr]
    else:
        ids = set(
            Role.objects.filter(partnership=meeting.partnership, ended_on__isnull=True).values_list(
                "user_id", flat=True
            )
        )
    ids |= set(meeting.attendance.values_list("user_id", flat=True))
    return list(User.objects.filter(pk__in=ids).order_by("display_name", "email"))


def attendance_trend(partnership: Partnership, limit: int = 12) -> dict[str, Any]:
    """Present counts of the last meetings of the whole partnership, oldest first;
    kept until the partnership's next change (recording attendance is one), or five
    minutes (a meeting with planned absences joins the trend when it starts)."""
    return cached_while_unchanged(
        partnership, "attendance-trend", [str(limit)], lambda: _attendance_trend(partnership, limit)
    )


def _attendance_trend(partnership: Partnership, limit: int) -> dict[str, Any]:
    """Walks the partnership's meetings newest first along the index and stops at
    ``limit`` meetings with recorded attendance; each is counted by an index lookup."""
    recorded = Attendance.objects.filter(meeting=OuterRef("pk"))
    past = list(
        Meeting.objects.filter(
            partnership=partnership, working_group__isnull=True, starts_at__lte=timezone.now()
        )
        .filter(Exists(recorded))
        .annotate(
            present=count_of(recorded.filter(status=AttendanceStatus.PRESENT)),
            recorded=count_of(recorded),
        )
        .order_by("-starts_at", "-id")[:limit]
    )
    past.reverse()
    rows = [
        {
            "title": m.title,
            "date": timezone.localtime(m.starts_at).date().isoformat(),
            "present": m.present,  # type: ignore[attr-defined]
            "absent": m.recorded - m.present,  # type: ignore[attr-defined]
        }
        for m in past
    ]
    return {"rows": rows, "falling": attendance_falling([r["present"] for r in rows])}


def attendance_falling(counts: list[int]) -> bool:
    """Falling: two drops in a row, or the last meeting 20% below the earlier average."""
    if len(counts) < 2:
        return False
    if len(counts) >= 3 and counts[-1] < counts[-2] < counts[-3]:
        return True
    earlier = counts[:-1]
    average = sum(earlier) / len(earlier)
    return average > 0 and counts[-1] < 0.8 * average


def next_meetings(partnership: Partnership, limit: int = 3) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(partnership=partnership, ends_at__gte=timezone.now())
        .select_related("working_group", "partnership")
        .annotate(
            proposed_count=count_of(
                AgendaItem.objects.filter(meeting=OuterRef("pk"), status=ItemStatus.PROPOSED)
            )
        )
        .order_by("starts_at", "id")[:limit]
    )


APPROVAL_CHOICES = 20


def later_meetings(meeting: Meeting) -> QuerySet[Meeting]:
    """Meetings at which this meeting's minutes can be approved: the first
    ``APPROVAL_CHOICES`` that have happened since (a menu of every later meeting would
    grow with the partnership's whole history)."""
    later = Meeting.objects.filter(
        partnership=meeting.partnership,
        starts_at__gt=meeting.starts_at,
        starts_at__lte=timezone.now(),
    ).order_by("starts_at", "id")
    return Meeting.objects.filter(pk__in=later.values("pk")[:APPROVAL_CHOICES]).order_by(
        "starts_at", "id"
    )
