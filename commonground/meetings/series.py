"""Meeting series: meetings that recur at a cadence (every n weeks or every n months).

Creating a series plans its meetings ``HORIZON_MONTHS`` (six months) ahead;
``series_extend``, run daily by ``manage.py extend_meeting_series`` (cron, beside
``send_action_reminders``), plans the later ones as time passes, so an open-ended series
holds about half a year of future meetings, never more.

Each occurrence is an ordinary meeting with its own agenda and minutes, pointing back to
the series with the start the rule gave it (``occurrence_start``, iCalendar's
RECURRENCE-ID). Editing one meeting marks it ``series_exception``; cancelling one deletes
it, and the gap is the calendar's EXDATE. Ending a series stops it today: its future
meetings with nothing on them (no item added or proposed, no attendance, not edited on
their own) are removed; those with something are kept as stand-alone meetings.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from commonground.core.audit import audit_record, snapshot
from commonground.core.i18n import Msg

from .models import (
    AgendaItem,
    Assessment,
    Attendance,
    Frequency,
    Meeting,
    MeetingSeries,
    MinutesStatus,
)

if TYPE_CHECKING:
    from commonground.accounts.models import User
    from commonground.partnerships.models import Partnership, WorkingGroup

HORIZON_MONTHS = 6
MAX_LENGTH = datetime.timedelta(hours=24)

SERIES_FIELDS = [
    "title",
    "working_group",
    "frequency",
    "interval",
    "starts_at",
    "duration",
    "until",
    "count",
    "mode",
    "place",
    "online_url",
    "chair",
]

# --- the method's cadence ---------------------------------------------------------------

# Phases in which the partnership is still forming (before it consolidates).
FORMING_PHASES = ("prepare", "identify", "agree")

CADENCE_ADVICE = {
    "group": gettext_lazy(
        "The method suggests that a small working group meets every 2 to 3 weeks."
    ),
    "forming": gettext_lazy(
        "While the partnership is forming, the method suggests meeting every 2 to 3 weeks."
    ),
    "later": gettext_lazy(
        "Once the partnership is under way, the method suggests the whole partnership meets "
        "every 2 to 3 months, with the working groups reporting back."
    ),
}


def suggested_cadence(
    partnership: Partnership, working_group: WorkingGroup | None = None
) -> dict[str, Any]:
    """The method's cadence for this body in the partnership's phase: working groups every
    2–3 weeks; the whole partnership every 2–3 weeks while forming, every 2–3 months later.
    Gives the frequency and interval to start the form with, and the advice in words."""
    if working_group is not None:
        key = "group"
    elif partnership.phase in FORMING_PHASES:
        key = "forming"
    else:
        key = "later"
    frequency = Frequency.MONTHLY if key == "later" else Frequency.WEEKLY
    return {"key": key, "frequency": frequency, "interval": 2, "advice": CADENCE_ADVICE[key]}


# --- the rule -----------------------------------------------------------------------------


def _add_months(day: datetime.datetime, months: int) -> datetime.datetime | None:
    """The same day and time ``months`` later, or None when that month has no such day."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    if day.day > month_calendar.monthrange(year, month)[1]:
        return None
    return day.replace(year=year, month=month)


def occurrences(
    series: MeetingSeries,
    *,
    after: datetime.datetime | None = None,
    through: datetime.datetime | None = None,
) -> Iterator[datetime.datetime]:
    """The starts the series' rule gives, in order, as aware datetimes: later than
    ``after`` and no later than ``through``. The rule is iCalendar's: the wall-clock time of
    the first meeting in the site's time zone (so summer time does not move it), every
    ``interval`` weeks or months, a month without the day skipped, ending at ``until`` (a
    date) or after ``count`` occurrences, or ``ended_at``."""
    tz = timezone.get_default_timezone()
    first = timezone.localtime(series.starts_at, tz).replace(tzinfo=None)
    last_day = series.until
    if series.ended_at is not None:
        ended = timezone.localtime(series.ended_at, tz).date()
        last_day = min(last_day, ended) if last_day else ended
    step, made = 0, 0
    while True:
        if series.frequency == Frequency.MONTHLY:
            local = _add_months(first, step * series.interval)
        else:
            local = first + datetime.timedelta(weeks=step * series.interval)
        step += 1
        if local is None:
            if step > 12 * 400:  # a day no month has: nothing more will come
                return
            continue
        if last_day is not None and local.date() > last_day:
            return
        made += 1
        if series.count is not None and made > series.count:
            return
        start = timezone.make_aware(local, tz)
        if through is not None and start > through:
            return
        if after is not None and start <= after:
            continue
        yield start


def horizon(now: datetime.datetime | None = None) -> datetime.datetime:
    """How far ahead a series' meetings are planned: ``HORIZON_MONTHS`` from now."""
    now = now or timezone.now()
    local = timezone.localtime(now).replace(tzinfo=None)
    ahead = _add_months(local.replace(day=1), HORIZON_MONTHS)
    assert ahead is not None  # the 1st exists in every month
    last = month_calendar.monthrange(ahead.year, ahead.month)[1]
    return timezone.make_aware(ahead.replace(day=min(local.day, last)))


def cancelled_occurrences(
    series: MeetingSeries, kept: set[datetime.datetime]
) -> list[datetime.datetime]:
    """Occurrences already planned (up to ``planned_until``) that have no meeting of the
    series any more: cancelled one by one, or left as a stand-alone meeting at the end."""
    if series.planned_until is None:
        return []
    return [s for s in occurrences(series, through=series.planned_until) if s not in kept]


# --- reads ------------------------------------------------------------------------------


def series_of(partnership: Partnership) -> list[MeetingSeries]:
    """The partnership's series, the running ones first (one query)."""
    found = list(
        MeetingSeries.objects.filter(partnership=partnership)
        .select_related("working_group")
        .order_by(F("ended_at").desc(nulls_first=True), "title", "id")
    )
    for one in found:
        one.partnership = partnership
    return found


def series_with_meetings(
    partnership: Partnership,
) -> Iterator[tuple[MeetingSeries, list[Meeting]]]:
    """Each series of the partnership with its meetings (agenda items loaded), for the
    calendar feed: two queries and one for the items, however many series."""
    meetings: dict[int, list[Meeting]] = {}
    rows = (
        Meeting.objects.filter(partnership=partnership, series__isnull=False)
        .select_related("working_group")
        .prefetch_related("items")
        .order_by("starts_at", "id")
    )
    for meeting in rows:
        meeting.partnership = partnership
        meetings.setdefault(meeting.series_id, []).append(meeting)  # type: ignore[arg-type]
    for one in series_of(partnership):
        yield one, meetings.get(one.pk, [])


# --- what may be removed ------------------------------------------------------------------


def untouched(meetings: QuerySet[Meeting], *, edited_ok: bool = False) -> QuerySet[Meeting]:
    """The meetings in ``meetings`` with nothing on them: draft minutes, only the standard
    agenda (no item added or proposed, no notes), no attendance, assessment or task, and
    (unless ``edited_ok``) not edited on their own."""
    from commonground.actionplan.models import Action

    worked_on = AgendaItem.objects.filter(meeting=OuterRef("pk")).filter(
        Q(standard="") | ~Q(notes="")
    )
    if not edited_ok:
        meetings = meetings.filter(series_exception=False)
    return meetings.filter(minutes_status=MinutesStatus.DRAFT).exclude(
        Exists(worked_on)
        | Exists(Attendance.objects.filter(meeting=OuterRef("pk")))
        | Exists(Assessment.objects.filter(meeting=OuterRef("pk")))
        | Exists(Action.objects.filter(meeting=OuterRef("pk")))
    )


# --- services -----------------------------------------------------------------------------


def _check(partnership: Partnership, fields: dict[str, Any]) -> None:
    from .services import _check_meeting

    errors: dict[str, str] = {}
    interval = fields.get("interval")
    if interval is None or not 1 <= int(interval) <= 12:
        errors["interval"] = _("The interval goes from 1 to 12.")
    if fields.get("frequency") not in Frequency.values:
        errors["frequency"] = _("Choose weeks or months.")
    duration = fields.get("duration")
    if not duration or duration <= datetime.timedelta(0) or duration > MAX_LENGTH:
        errors["duration"] = _("Give the length of a meeting, up to 24 hours.")
    starts = fields.get("starts_at")
    until = fields.get("until")
    if starts and until and until < timezone.localtime(starts).date():
        errors["until"] = _("The last date cannot be before the first meeting.")
    count = fields.get("count")
    if count is not None and not 1 <= int(count) <= 500:
        errors["count"] = _("The number of meetings goes from 1 to 500.")
    try:
        _check_meeting(
            partnership,
            {
                **fields,
                "ends_at": starts + duration if starts and duration else None,
            },
        )
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}  # type: ignore[dict-item]
    if errors:
        raise ValidationError(errors)


def _agenda(meeting: Meeting) -> list[AgendaItem]:
    from .services import STANDARD_ITEMS

    return [
        AgendaItem(
            meeting=meeting,
            position=(i + 1) * 10,
            standard=key,
            title=str(title),
            item_type=item_type,
        )
        for i, (key, title, item_type) in enumerate(STANDARD_ITEMS)
    ]


@transaction.atomic
def series_create(*, actor: User, partnership: Partnership, **fields: Any) -> MeetingSeries:
    """A meeting series, and its meetings planned ``HORIZON_MONTHS`` ahead."""
    fields = {k: v for k, v in fields.items() if k in SERIES_FIELDS}
    _check(partnership, fields)
    user = actor if getattr(actor, "is_authenticated", False) else None
    series = MeetingSeries.objects.create(partnership=partnership, created_by=user, **fields)
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="meeting_series.create",
        target=series,
        summary=Msg(
            gettext_noop("Meeting series planned: %(title)s, %(cadence)s"),
            title=series.title,
            cadence=series.cadence_label,
        ),
        after=snapshot(series, ["title", "frequency", "interval", "starts_at", "until", "count"]),
    )
    series_extend(series=series)
    series.refresh_from_db(fields=["planned_until", "updated_at"])
    return series


@transaction.atomic
def series_extend(*, series: MeetingSeries, now: datetime.datetime | None = None) -> list[Meeting]:
    """Plan the series' meetings up to the horizon (``HORIZON_MONTHS`` from ``now``): every
    occurrence after the ones already planned, each with the standard agenda. Running it
    again plans nothing twice; an ended series gets nothing new."""
    series = MeetingSeries.objects.select_for_update().get(pk=series.pk)
    if series.is_ended:
        return []
    through = horizon(now)
    made = [
        Meeting(
            partnership_id=series.partnership_id,
            working_group_id=series.working_group_id,
            series=series,
            occurrence_start=start,
            title=series.title,
            mode=series.mode,
            starts_at=start,
            ends_at=start + series.duration,
            place=series.place,
            online_url=series.online_url,
            chair_id=series.chair_id,
            created_by_id=series.created_by_id,
        )
        for start in occurrences(series, after=series.planned_until, through=through)
    ]
    Meeting.objects.bulk_create(made)
    AgendaItem.objects.bulk_create(item for meeting in made for item in _agenda(meeting))
    if series.planned_until is None or through > series.planned_until:
        series.planned_until = through
        series.save(update_fields=["planned_until", "updated_at"])
    if made:
        audit_record(
            actor=None,
            partnership=series.partnership,
            verb="meeting_series.extend",
            target=series,
            summary=Msg(
                gettext_noop("Meeting series %(title)s: %(n)s meetings planned"),
                title=series.title,
                n=len(made),
            ),
        )
    return made


def series_extend_all(now: datetime.datetime | None = None) -> int:
    """``series_extend`` for every series that has not ended; how many meetings it planned."""
    planned = 0
    for series in MeetingSeries.objects.filter(ended_at__isnull=True).order_by("id"):
        planned += len(series_extend(series=series, now=now))
    return planned


@transaction.atomic
def series_end(*, actor: User, series: MeetingSeries) -> dict[str, int]:
    """End the series today. Its future meetings with nothing on them are removed; the
    others (an item added or proposed, attendance, edited on their own) stay as
    stand-alone meetings. Gives the numbers removed and kept."""
    series = MeetingSeries.objects.select_for_update().get(pk=series.pk)
    if series.is_ended:
        raise ValidationError(_("This series has already ended."))
    now = timezone.now()
    future = Meeting.objects.filter(series=series, starts_at__gt=now)
    removable = untouched(future)
    removed = removable.count()
    Meeting.objects.filter(pk__in=list(removable.values_list("pk", flat=True))).delete()
    kept = future.update(series=None, occurrence_start=None)
    series.ended_at = now
    series.save(update_fields=["ended_at", "updated_at"])
    audit_record(
        actor=actor,
        partnership=series.partnership,
        verb="meeting_series.end",
        target=series,
        summary=Msg(
            gettext_noop("Meeting series ended: %(title)s (%(removed)s removed, %(kept)s kept)"),
            title=series.title,
            removed=removed,
            kept=kept,
        ),
    )
    return {"removed": removed, "kept": kept}


@transaction.atomic
def occurrence_cancel(*, actor: User, meeting: Meeting) -> MeetingSeries:
    """Cancel one coming meeting of a series (the series goes on without it). Only a
    meeting with nothing on it (see ``untouched``; edited on its own is allowed)."""
    series = meeting.series
    if series is None:
        raise ValidationError(_("Only a meeting of a series can be cancelled here."))
    if meeting.has_happened:
        raise ValidationError(_("This meeting has already started."))
    if not untouched(Meeting.objects.filter(pk=meeting.pk), edited_ok=True).exists():
        raise ValidationError(
            _(
                "Something is already on this meeting (an item, attendance or a task); "
                "it cannot be cancelled here."
            )
        )
    when = meeting.starts_at
    meeting.delete()
    audit_record(
        actor=actor,
        partnership=series.partnership,
        verb="meeting_series.cancel",
        target=series,
        summary=Msg(
            gettext_noop("Meeting of the series %(title)s cancelled: %(when)s"),
            title=series.title,
            when=when,
        ),
    )
    return series
