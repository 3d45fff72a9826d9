"""State changes of meetings: agenda, attendance, minutes, motions, tasks, assessment."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonground.core.audit import audit_record, snapshot
from commonground.core.i18n import Msg, choice_label

from .models import STANDARD_ITEMS as STANDARD
from .models import (
    AgendaItem,
    Assessment,
    Attendance,
    AttendanceStatus,
    CalendarFeedToken,
    ItemStatus,
    ItemType,
    Meeting,
    MeetingMode,
    MeetingSettings,
    MinutesStatus,
    Motion,
    MotionResult,
)

if TYPE_CHECKING:
    from commonground.accounts.models import User
    from commonground.partnerships.models import Partnership

STANDARD_ITEMS = [(key, title, kind) for key, (title, kind) in STANDARD.items()]

MEETING_FIELDS = [
    "title",
    "working_group",
    "mode",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "chair",
]


def _user(actor: User) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _check_meeting(partnership: Partnership, fields: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not (fields.get("title") or "").strip():
        errors["title"] = _("Give the meeting a title.")
    starts, ends = fields.get("starts_at"), fields.get("ends_at")
    if starts and ends and ends <= starts:
        errors["ends_at"] = _("The meeting must end after it starts.")
    mode = fields.get("mode", MeetingMode.IN_PERSON)
    if mode in (MeetingMode.ONLINE, MeetingMode.HYBRID) and not fields.get("online_url"):
        errors["online_url"] = _("An online meeting needs a link.")
    if mode in (MeetingMode.IN_PERSON, MeetingMode.HYBRID) and not fields.get("place"):
        errors["place"] = _("A meeting in person needs a place.")
    wg = fields.get("working_group")
    if wg is not None and wg.partnership_id != partnership.pk:
        errors["working_group"] = _("This working group belongs to another partnership.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meeting_create(
    *, actor: User, partnership: Partnership, with_standard_agenda: bool = True, **fields: Any
) -> Meeting:
    fields = {k: v for k, v in fields.items() if k in MEETING_FIELDS}
    _check_meeting(partnership, fields)
    meeting = Meeting.objects.create(partnership=partnership, created_by=_user(actor), **fields)
    if with_standard_agenda:
        AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                position=(i + 1) * 10,
                standard=key,
                title=str(title),
                item_type=item_type,
            )
            for i, (key, title, item_type) in enumerate(STANDARD_ITEMS)
        )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="meeting.create",
        target=meeting,
        summary=Msg(gettext_noop("Meeting planned: %(title)s"), title=meeting.title),
        after=snapshot(meeting, ["title", "starts_at", "ends_at", "mode", "place"]),
    )
    return meeting


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, **fields: Any) -> Meeting:
    fields = {k: v for k, v in fields.items() if k in MEETING_FIELDS}
    merged = {**snapshot(meeting, MEETING_FIELDS), **fields}
    merged["working_group"] = fields.get("working_group", meeting.working_group)
    merged["starts_at"] = fields.get("starts_at", meeting.starts_at)
    merged["ends_at"] = fields.get("ends_at", meeting.ends_at)
    _check_meeting(meeting.partnership, merged)
    before = snapshot(meeting, list(fields))
    for name, value in fields.items():
        setattr(meeting, name, value)
    if meeting.series_id:
        # One meeting of a series edited on its own: an exception to the series from now
        # on (its own entry in the calendar; ending the series keeps it).
        meeting.series_exception = True
    meeting.save()
    audit_record(
        actor=actor,
        partnership=meeting.partnership,
        verb="meeting.update",
        target=meeting,
        summary=Msg(gettext_noop("Meeting changed: %(title)s"), title=meeting.title),
        before=before,
        after=snapshot(meeting, list(fields)),
    )
    return meeting


# --- agenda -------------------------------------------------------------------------


def _next_position(meeting: Meeting, before_standard: str | None = "tasks") -> int:
    """New substantive items go just before "tasks before the next meeting"."""
    if before_standard:
        anchor = meeting.items.filter(standard=before_standard).first()
        if anchor is not None:
            _renumber(meeting)
            anchor.refresh_from_db()
            meeting.items.filter(position__gte=anchor.position).update(position=F("position") + 10)
            return anchor.position
    top = meeting.items.aggregate(m=Max("position"))["m"] or 0
    return top + 10


def _renumber(meeting: Meeting) -> None:
    items = list(meeting.items.order_by("position", "id"))
    for i, item in enumerate(items):
        item.position = (i + 1) * 10
    AgendaItem.objects.bulk_update(items, ["position"])


def _agenda_open(meeting: Meeting) -> None:
    if meeting.minutes_status == MinutesStatus.APPROVED:
        raise ValidationError(_("The minutes are approved; the agenda can no longer change."))


@transaction.atomic
def item_add(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    item_type: str = ItemType.DISCUSSION,
    description: str = "",
) -> AgendaItem:
    """A facilitator puts an item on the agenda directly."""
    _agenda_open(meeting)
    if not title.strip():
        raise ValidationError({"title": _("Give the item a title.")})
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=_next_position(meeting),
        title=title.strip(),
        item_type=item_type,
        description=description,
        status=ItemStatus.ACCEPTED,
        proposed_by=_user(actor),
    )
    audit_record(
        actor=actor,
        partnership=meeting.partnership,
        verb="agenda.add",
        target=item,
        summary=Msg(
            gettext_noop("Agenda item added to %(meeting)s: %(title)s"),
            meeting=meeting.title,
            title=item.title,
        ),
    )
    return item


@transaction.atomic
def item_propose(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    item_type: str = ItemType.DISCUSSION,
    description: str = "",
) -> AgendaItem:
    """A member proposes an item before the meeting; the chair accepts or defers it."""
    if meeting.has_happened:
        raise ValidationError(_("The meeting has started; items can only be proposed before it."))
    if not title.strip():
        raise ValidationError({"title": _("Give the item a title.")})
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=(meeting.items.aggregate(m=Max("position"))["m"] or 0) + 10,
        title=title.strip(),
        item_type=item_type,
        description=description,
        status=ItemStatus.PROPOSED,
        proposed_by=_user(actor),
    )
    audit_record(
        actor=actor,
        partnership=meeting.partnership,
        verb="agenda.propose",
        target=item,
        summary=Msg(
            gettext_noop("Agenda item proposed for %(meeting)s: %(title)s"),
            meeting=meeting.title,
            title=item.title,
        ),
    )
    return item


@transaction.atomic
def item_decide(*, actor: User, item: AgendaItem, accept: bool) -> AgendaItem:
    """Accept a proposed item onto the agenda (before the tasks item) or defer it."""
    meeting = item.meeting
    _agenda_open(meeting)
    if item.status == (ItemStatus.ACCEPTED if accept else ItemStatus.DEFERRED):
        return item
    before = item.status
    if accept:
        item.position = _next_position(meeting)
        item.status = ItemStatus.ACCEPTED
    else:
        item.status = ItemStatus.DEFERRED
    item.save(update_fields=["position", "status", "updated_at"])
    audit_record(
        actor=actor,
        partnership=meeting.partnership,
        verb="agenda.accept" if accept else "agenda.defer",
        target=item,
        summary=Msg(
            gettext_noop("Agenda item accepted: %(title)s")
            if accept
            else gettext_noop("Agenda item deferred: %(title)s"),
            title=item.title,
        ),
        before={"status": before},
        after={"status": item.status},
    )
    return item


@transaction.atomic
def item_move(*, actor: User, item: AgendaItem, direction: str) -> AgendaItem:
    """Swap an accepted item with its neighbour above ("up") or below ("down")."""
    meeting = item.meeting
    _agenda_open(meeting)
    if direction not in ("up", "down"):
        raise ValidationError(_("Move an item up or down."))
    _renumber(meeting)
    items = list(meeting.items.filter(status=ItemStatus.ACCEPTED).order_by("position", "id"))
    index = next((i for i, it in enumerate(items) if it.pk == item.pk), None)
    if index is None:
        raise ValidationError(_("Only items on the agenda can be moved."))
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(items):
        return item
    a, b = items[index], items[other_index]
    a.position, b.position = b.position, a.position
    AgendaItem.objects.bulk_update([a, b], ["position"])
    audit_record(
        actor=actor,
        partnership=meeting.partnership,
        verb="agenda.move",
        target=a,
        summary=Msg(
            gettext_noop("Agenda item moved up: %(title)s")
            if direction == "up"
            else gettext_noop("Agenda item moved down: %(title)s"),
            title=a.title,
        ),
    )
    return a


@transaction.atomic
def item_notes_set(*, actor: User, item: AgendaItem, notes: str) -> AgendaItem:
    _minutes_editable(item.meeting)
    before = item.notes
    item.notes = notes
    item.save(update_fields=["notes", "updated_at"])
    audit_record(
        actor=actor,
        partnership=item.meeting.partnership,
        verb="minutes.notes",
        target=item,
        summary=Msg(gettext_noop("Minutes noted for %(title)s"), title=item.title),
        before={"notes": before},
        after={"notes": notes},
    )
    return item


# --- attendance and quorum ------------------------------------------------------------


def _org_for(meeting: Meeting, user: Any) -> Any:
    from commonground.partnerships.models import Role

    role = (
        Role.objects.filter(
            partnership=meeting.partnership,
            user=user,
            ended_on__isnull=True,
            organisation__isnull=False,
        )
        .select_related("organisation")
        .order_by("id")
        .first()
    )
    return role.organisation if role else None


@transaction.atomic
def attendance_set(*, actor: User, meeting: Meeting, marks: Mapping[Any, str]) -> list[Attendance]:
    """Record attendance: ``marks`` maps a person to a status ("" removes the mark)."""
    _minutes_editable(meeting)
    from commonground.partnerships.models import Role

    members = set(
        Role.objects.filter(partnership=meeting.partnership, ended_on__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    changed = []
    for user, status in marks.items():
        if user.pk not in members:
            raise ValidationError(_("%(name)s holds no role in this partnership.") % {"name": user})
        if not status:
            Attendance.objects.filter(meeting=meeting, user=user).delete()
            continue
        if status not in AttendanceStatus.values:
            raise ValidationError(_("Unknown attendance status."))
        row, _created = Attendance.objects.update_or_create(
            meeting=meeting,
            user=user,
            defaults={"status": status, "organisation": _org_for(meeting, user)},
        )
        changed.append(row)
    audit_record(
        actor=actor,
        partnership=meeting.partnership,
        verb="meeting.attendance",
        target=meeting,
        summary=Msg(gettext_noop("Attendance recorded for %(title)s"), title=meeting.title),
        after={str(u.pk): s for u, s in marks.items()},
    )
    return changed


@transaction.atomic
def settings_set(*, actor: User, partnership: Partnership, quorum_fraction: Any) -> MeetingSettings:
    from decimal import Decimal

    value = Decimal(str(quorum_fraction))
    if not Decimal("0.01") <= value <= Decimal("1"):
        raise ValidationError({"quorum_fraction": _("The quorum is a share between 0.01 and 1.")})
    obj, _created = MeetingSettings.objects.get_or_create(partnership=partnership)
    before = obj.quorum_fraction
    obj.quorum_fraction = value
    obj.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="meetings.settings",
        target=obj,
        summary=Msg(gettext_noop("Meeting quorum set to %(q)s"), q=value),
        before={"quorum_fraction": before},
        after={"quorum_fraction": value},
    )
    return obj


# --- minutes: motions, tasks, state -------------------------------------------------------


def _minutes_editable(meeting: Meeting) -> None:
    if meeting.minutes_status != MinutesStatus.DRAFT:
        raise ValidationError(
            _("The minutes are %(status)s; they can no longer be changed.")
            % {"status": meeting.get_minutes_status_display().lower()}
        )


@transaction.atomic
def motion_record(
    *,
    actor: User,
    item: AgendaItem,
    text: str,
    proposed_by: Any,
    seconded_by: Any,
    result: str,
    votes_for: int = 0,
    votes_against: int = 0,
    abstentions: int = 0,
) -> Motion:
    """Minute a motion; an adopted motion enters the decision register."""
    from commonground.decisions.models import DecisionMethod
    from commonground.decisions.services import decision_record
    from commonground.partnerships.models import Role

    meeting = item.meeting
    _minutes_editable(meeting)
    if not meeting.has_happened:
        raise ValidationError(_("Motions are recorded once the meeting has started."))
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = _("Write the motion as it was put.")
    if proposed_by is None:
        errors["proposed_by"] = _("Who proposed the motion?")
    if seconded_by is None:
        errors["seconded_by"] = _("Who seconded the motion?")
    elif proposed_by is not None and seconded_by.pk == proposed_by.pk:
        errors["seconded_by"] = _("A motion cannot be seconded by the person who proposed it.")
    if result not in MotionResult.values:
        errors["result"] = _("Choose the result.")
    for person, field in ((proposed_by, "proposed_by"), (seconded_by, "seconded_by")):
        if (
            person is not None
            and field not in errors
            and not Role.objects.filter(
                partnership=meeting.partnership, user=person, ended_on__isnull=True
            ).exists()
        ):
            errors[field] = _("%(name)s holds no role in this partnership.") % {"name": person}
    counts = [votes_for, votes_against, abstentions]
    if any(c is None or c < 0 for c in counts):
        errors["votes_for"] = _("Vote counts cannot be negative.")
    elif result == MotionResult.MAJORITY:
        if votes_for <= votes_against:
            errors["votes_for"] = _(
                "A motion adopted by majority needs more votes for than against; give the counts."
            )
    elif result == MotionResult.UNANIMOUS and votes_against:
        errors["votes_against"] = _("A unanimous motion has no votes against.")
    elif result == MotionResult.NOT_ADOPTED and votes_for and votes_for > votes_against:
        errors["votes_for"] = _("More votes for than against: the motion was adopted.")
    if errors:
        raise ValidationError(errors)
    motion = Motion.objects.create(
        item=item,
        text=text.strip(),
        proposed_by=proposed_by,
        seconded_by=seconded_by,
        result=result,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
    )
    if motion.adopted:
        tally = {
            "result": result,
            "for": votes_for,
            "against": votes_against,
            "abstain": abstentions,
            "proposed_by": str(proposed_by),
            "seconded_by": str(seconded_by),
        }
        motion.decision = decision_record(
            actor=actor,
            partnership=meeting.partnership,
            working_group=meeting.working_group,
            title=motion.text[:300],
            method=DecisionMethod.MOTION,
            decided_on=timezone.localtime(meeting.starts_at).date(),
            adopted=True,
            tally=tally,
            statement=motion.text,
            source_label=_("Minutes of %(title)s, item: %(item)s")
            % {"title": meeting.title, "item": item.title},
            source_url=meeting.get_absolute_url() + f"#item-{item.pk}",
        )
        motion.save(update_fields=["decision"])
    audit_record(
        actor=actor,
        partnership=meeting.partnership,
        verb="minutes.motion",
        target=motion,
        summary=Msg(
            gettext_noop("Motion minuted (%(result)s): %(text)s"),
            result=choice_label(motion, "result"),
            text=motion.text[:200],
        ),
        after={"result": result, "for": votes_for, "against": votes_against},
    )
    return motion


@transaction.atomic
def task_record(
    *,
    actor: User,
    item: AgendaItem,
    title: str,
    owner: Any = None,
    due_on: Any = None,
    description: str = "",
) -> Any:
    """A task agreed at the meeting becomes an action in the action plan."""
    from commonground.actionplan.services import action_create

    meeting = item.meeting
    _minutes_editable(meeting)
    return action_create(
        actor=actor,
        partnership=meeting.partnership,
        title=title,
        description=description,
        owner=owner,
        due_on=due_on,
        start_on=timezone.localtime(meeting.starts_at).date() if due_on else None,
        working_group=meeting.working_group,
        meeting=meeting,
        agenda_item=item,
    )


@transaction.atomic
def minutes_circulate(*, actor: User, meeting: Meeting) -> Meeting:
    if not meeting.has_happened:
        raise ValidationError(
            _("This meeting has not happened yet; there are no minutes to circulate.")
        )
    if meeting.minutes_status != MinutesStatus.DRAFT:
        raise ValidationError(_("Only draft minutes can be circulated."))
    meeting.minutes_status = MinutesStatus.CIRCULATED
    meeting.save(update_fields=["minutes_status", "updated_at"])
    audit_record(
        actor=actor,
        partnership=meeting.partnership,
        verb="minutes.circulate",
        target=meeting,
        summary=Msg(gettext_noop("Minutes circulated: %(title)s"), title=meeting.title),
        before={"minutes_status": MinutesStatus.DRAFT},
        after={"minutes_status": MinutesStatus.CIRCULATED},
    )
    return meeting


@transaction.atomic
def minutes_reopen(*, actor: User, meeting: Meeting) -> Meeting:
    """Take circulated minutes back to draft for a correction."""
    if meeting.minutes_status != MinutesStatus.CIRCULATED:
        raise ValidationError(_("Only circulated minutes can go back to draft."))
    meeting.minutes_status = MinutesStatus.DRAFT
    meeting.save(update_fields=["minutes_status", "updated_at"])
    audit_record(
        actor=actor,
        partnership=meeting.partnership,
        verb="minutes.reopen",
        target=meeting,
        summary=Msg(gettext_noop("Minutes back to draft: %(title)s"), title=meeting.title),
    )
    return meeting


@transaction.atomic
def minutes_approve(*, actor: User, meeting: Meeting, at_meeting: Meeting) -> Meeting:
    """Approve circulated minutes at a later meeting of the same body."""
    if not meeting.has_happened:
        raise ValidationError(
            _("This meeting has not happened yet; its minutes cannot be approved.")
        )
    if meeting.minutes_status != MinutesStatus.CIRCULATED:
        raise ValidationError(_("Minutes are circulated before they are approved."))
    if at_meeting.partnership_id != meeting.partnership_id or at_meeting.pk == meeting.pk:
        raise ValidationError(_("Minutes are approved at another meeting of the same partnership."))
    if at_meeting.starts_at <= meeting.starts_at:
        raise ValidationError(_("Minutes are approved at a later meeting."))
    if not at_meeting.has_happened:
        raise ValidationError(
            _("The approving meeting has not started yet; approve the minutes during it.")
        )
    meeting.minutes_status = MinutesStatus.APPROVED
    meeting.minutes_approved_at = at_meeting
    meeting.save(update_fields=["minutes_status", "minutes_approved_at", "updated_at"])
    audit_record(
        actor=actor,
        partnership=meeting.partnership,
        verb="minutes.approve",
        target=meeting,
        summary=Msg(
            gettext_noop("Minutes of %(title)s approved at %(at)s"),
            title=meeting.title,
            at=at_meeting.title,
        ),
        before={"minutes_status": MinutesStatus.CIRCULATED},
        after={"minutes_status": MinutesStatus.APPROVED, "at": at_meeting.pk},
    )
    return meeting


# --- assessment -------------------------------------------------------------------------


@transaction.atomic
def assessment_submit(
    *, actor: User, meeting: Meeting, usefulness: int, run: int, comment: str = ""
) -> Assessment:
    if not meeting.has_happened:
        raise ValidationError(_("A meeting is assessed once it has taken place."))
    if not Attendance.objects.filter(
        meeting=meeting, user=actor, status=AttendanceStatus.PRESENT
    ).exists():
        raise ValidationError(_("Only people recorded as present can assess the meeting."))
    for value in (usefulness, run):
        if not 1 <= int(value) <= 5:
            raise ValidationError(_("Ratings go from 1 to 5."))
    assessment, _created = Assessment.objects.update_or_create(
        meeting=meeting,
        user=actor,
        defaults={"usefulness": usefulness, "run": run, "comment": comment.strip()},
    )
    audit_record(
        actor=actor,
        partnership=meeting.partnership,
        verb="meeting.assess",
        target=assessment,
        summary=Msg(gettext_noop("Meeting assessed: %(title)s"), title=meeting.title),
        after={"usefulness": usefulness, "run": run},
    )
    return assessment


# --- calendar feed token ----------------------------------------------------------------


@transaction.atomic
def feed_token_reset(*, actor: User) -> str:
    """Give the person a new calendar feed secret; the old feed URLs stop working."""
    from commonground.accounts.models import hash_secret

    raw = secrets.token_urlsafe(24)
    CalendarFeedToken.objects.update_or_create(
        user=actor, defaults={"token_hash": hash_secret(raw), "last_used_at": None}
    )
    audit_record(
        actor=actor,
        verb="meetings.feed_token",
        summary=Msg(gettext_noop("Calendar feed link renewed")),
    )
    return raw
