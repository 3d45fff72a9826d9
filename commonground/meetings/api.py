"""JSON API for meetings and their minutes (same policy as the pages)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from commonground.core import policy
from commonground.core.api_pagination import PageNumberPagination
from commonground.core.http import AuthedRequest

from . import rules, selectors, services
from .models import AgendaItem, ItemStatus, Meeting, MotionResult

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
    proposed_by: str | None
    seconded_by: str | None
    result: str
    votes_for: int
    votes_against: int
    abstentions: int
    decision_id: int | None

    @staticmethod
    def resolve_proposed_by(obj) -> str | None:  # type: ignore[no-untyped-def]
        return str(obj.proposed_by) if obj.proposed_by else None

    @staticmethod
    def resolve_seconded_by(obj) -> str | None:  # type: ignore[no-untyped-def]
        return str(obj.seconded_by) if obj.seconded_by else None


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
def meeting_list(request: AuthedRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return selectors.meetings_of(partnership).order_by("-starts_at", "-id")


@router.get("/{slug}/{pk}", response=MeetingOut, url_name="meeting_detail")
def meeting_detail(request: AuthedRequest, slug: str, pk: int):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return selectors.meeting_for_page(partnership, pk)


@router.get("/{slug}/{pk}/minutes", response=MinutesOut, url_name="meeting_minutes")
def meeting_minutes(request: AuthedRequest, slug: str, pk: int):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    meeting = selectors.meeting_for_page(partnership, pk)
    attendance = selectors.attendees(meeting)
    return {
        "meeting": meeting,
        "minutes_status": meeting.minutes_status,
        "approved_at_meeting": meeting.minutes_approved_at_id,
        "quorum": selectors.quorum(meeting, attendance),
        "attendance": [
            {
                "person": a.person,
                "organisation": a.organisation_slug,
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
                "motions": item.motion_list,  # type: ignore[attr-defined]  # prefetched
                "tasks": [
                    {
                        "action_id": a.pk,
                        "title": a.title,
                        "owner": str(a.owner) if a.owner else None,
                        "due_on": a.due_on,
                    }
                    for a in item.action_list  # type: ignore[attr-defined]  # prefetched
                ],
            }
            for item in meeting.items.all()
            if item.status == ItemStatus.ACCEPTED
        ],
    }


class MotionIn(Schema):
    text: str
    proposed_by: int
    seconded_by: int
    result: MotionResult
    votes_for: int = 0
    votes_against: int = 0
    abstentions: int = 0


class TaskIn(Schema):
    title: str
    owner: int | None = None
    due_on: datetime.date | None = None


def _item_for(request: HttpRequest, slug: str, pk: int, item_pk: int, code: str) -> AgendaItem:
    partnership = policy.partnership_or_404(request.user, slug, code)
    meeting = get_object_or_404(Meeting, pk=pk, partnership=partnership)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    item.meeting = meeting
    return item


def _person(partnership_id: int, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    person = (
        get_user_model()
        .objects.filter(
            pk=pk,
            partnership_roles__partnership_id=partnership_id,
            partnership_roles__ended_on=None,
        )
        .first()
    )
    if person is None:
        raise ValidationError({field: _("This person holds no role in this partnership.")})
    return person


@router.post(
    "/{slug}/{pk}/items/{item_pk}/motions",
    response={201: MotionOut},
    url_name="meeting_motion_create",
)
def motion_create(request: AuthedRequest, slug: str, pk: int, item_pk: int, payload: MotionIn):  # type: ignore[no-untyped-def]
    item = _item_for(request, slug, pk, item_pk, rules.RECORD)
    pid = item.meeting.partnership_id
    motion = services.motion_record(
        actor=request.user,
        item=item,
        text=payload.text,
        proposed_by=_person(pid, payload.proposed_by, "proposed_by"),
        seconded_by=_person(pid, payload.seconded_by, "seconded_by"),
        result=payload.result,
        votes_for=payload.votes_for,
        votes_against=payload.votes_against,
        abstentions=payload.abstentions,
    )
    return 201, motion


@router.post(
    "/{slug}/{pk}/items/{item_pk}/tasks", response={201: TaskOut}, url_name="meeting_task_create"
)
def task_create(request: AuthedRequest, slug: str, pk: int, item_pk: int, payload: TaskIn):  # type: ignore[no-untyped-def]
    item = _item_for(request, slug, pk, item_pk, rules.RECORD)
    action = services.task_record(
        actor=request.user,
        item=item,
        title=payload.title,
        owner=_person(item.meeting.partnership_id, payload.owner, "owner"),
        due_on=payload.due_on,
    )
    return 201, {
        "action_id": action.pk,
        "title": action.title,
        "owner": str(action.owner) if action.owner else None,
        "due_on": action.due_on,
    }
