"""JSON API for meetings and their minutes (same policy as the pages)."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from commonground.core import policy

from . import rules, selectors
from .models import ItemStatus

router = Router(tags=["meetings"])


class MeetingOut(Schema):
    id: int
    title: str
    working_group: str | None
    mode: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    online_url: str
    minutes_status: str

    @staticmethod
    def resolve_working_group(obj) -> str | None:  # type: ignore[no-untyped-def]
        return obj.working_group.slug if obj.working_group else None


class MotionOut(Schema):
    text: str
    proposed_by: str
    seconded_by: str
    result: str
    votes_for: int
    votes_against: int
    abstentions: int
    decision_id: int | None

    @staticmethod
    def resolve_proposed_by(obj) -> str:  # type: ignore[no-untyped-def]
        return str(obj.proposed_by)

    @staticmethod
    def resolve_seconded_by(obj) -> str:  # type: ignore[no-untyped-def]
        return str(obj.seconded_by)


class TaskOut(Schema):
    action_id: int
    title: str
    owner: str | None
    due_on: datetime.date | None


class ItemOut(Schema):
    id: int
    title: str
    item_type: str
    description: str
    notes: str
    motions: list[MotionOut]
    tasks: list[TaskOut]


class AttendanceOut(Schema):
    person: str
    organisation: str | None
    status: str


class QuorumOut(Schema):
    basis: str
    base: int
    present: int
    required: int
    met: bool


class MinutesOut(Schema):
    meeting: MeetingOut
    minutes_status: str
    approved_at_meeting: int | None
    quorum: QuorumOut
    attendance: list[AttendanceOut]
    items: list[ItemOut]


@router.get("/{slug}/", response=list[MeetingOut], url_name="meeting_list")
@paginate(PageNumberPagination, page_size=50)
def meeting_list(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return selectors.meetings_of(partnership).order_by("-starts_at", "-id")


@router.get("/{slug}/{pk}", response=MeetingOut, url_name="meeting_detail")
def meeting_detail(request: HttpRequest, slug: str, pk: int):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return selectors.meeting_for_page(partnership, pk)


@router.get("/{slug}/{pk}/minutes", response=MinutesOut, url_name="meeting_minutes")
def meeting_minutes(request: HttpRequest, slug: str, pk: int):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    meeting = selectors.meeting_for_page(partnership, pk)
    attendance = list(meeting.attendance.all())
    return {
        "meeting": meeting,
        "minutes_status": meeting.minutes_status,
        "approved_at_meeting": meeting.minutes_approved_at_id,
        "quorum": selectors.quorum(meeting, attendance),
        "attendance": [
            {
                "person": str(a.user),
                "organisation": a.organisation.slug if a.organisation else None,
                "status": a.status,
            }
            for a in attendance
        ],
        "items": [
            {
                "id": item.pk,
                "title": item.display_title,
                "item_type": item.item_type,
                "description": item.description,
                "notes": item.notes,
                "motions": list(item.motions.all()),
                "tasks": [
                    {
                        "action_id": a.pk,
                        "title": a.title,
                        "owner": str(a.owner) if a.owner else None,
                        "due_on": a.due_on,
                    }
                    for a in item.actions.all()
                ],
            }
            for item in meeting.items.all()
            if item.status == ItemStatus.ACCEPTED
        ],
    }
