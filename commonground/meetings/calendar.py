"""iCalendar output: one meeting as an invite, a partnership's meetings as a feed."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vText

from .models import Frequency, Meeting, MeetingMode, MeetingSeries

PRODID = "-//Common Ground//Meetings//EN"

# iCalendar TEXT may hold no control character but the tab (RFC 5545, 3.3.11); line
# breaks are kept and written as the escape "\\n" by icalendar's vText.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def text(value: object) -> vText:
    """Any text for an iCalendar property, as icalendar's TEXT type (which escapes line
    breaks, commas, semicolons and backslashes), without the control characters."""
    value = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return vText(_CONTROL.sub("", value))


def _uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@commonground"


def _series_uid(series: MeetingSeries) -> str:
    return f"meeting-series-{series.pk}@commonground"


def _event(meeting: Meeting, base_url: str, occurrence_of: MeetingSeries | None = None) -> Event:
    event = Event()
    if occurrence_of is not None and meeting.occurrence_start:
        # One changed occurrence of a series: the series' event, overridden for the
        # occurrence its rule gave (RECURRENCE-ID in the series' time zone).
        event.add("uid", _series_uid(occurrence_of))
        event.add("recurrence-id", timezone.localtime(meeting.occurrence_start, _zone()))
    else:
        event.add("uid", _uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    title = meeting.title
    if meeting.working_group_id:
        title = f"{title} ({meeting.working_group})"
    event.add("summary", text(title))
    location = meeting.place
    if meeting.mode == MeetingMode.ONLINE:
        location = meeting.online_url
    if location:
        event.add("location", text(location))
    url = base_url + meeting.get_absolute_url()
    event.add("url", url)
    lines = [meeting.partnership.name]
    if meeting.online_url:
        lines.append(meeting.online_url)
    agenda = [i.display_title for i in meeting.items.all() if i.status == "accepted"]
    if agenda:
        lines.append("")
        lines.extend(f"{n}. {t}" for n, t in enumerate(agenda, 1))
    lines.extend(["", url])
    event.add("description", text("\n".join(lines)))
    if meeting.updated_at:
        event.add("last-modified", meeting.updated_at)
    return event


def _zone() -> datetime.tzinfo:
    return timezone.get_default_timezone()


def is_changed(meeting: Meeting) -> bool:
    """Whether an occurrence of a series differs from what its series' event says: edited
    on its own, or moved from the start the rule gave it."""
    return meeting.series_exception or meeting.starts_at != meeting.occurrence_start


def series_events(series: MeetingSeries, meetings: Iterable[Meeting], base_url: str) -> list[Event]:
    """A series as one VEVENT with its RRULE (in the site's time zone, so the meetings keep
    their time of day across summer time), EXDATE for occurrences without a meeting
    (cancelled, or kept apart when the series ended), and a VEVENT with RECURRENCE-ID for
    each occurrence changed on its own. ``meetings`` are the series' meetings."""
    from .series import cancelled_occurrences, occurrences

    meetings = list(meetings)
    finite = series.count is not None or series.until is not None or series.is_ended
    last = None
    if finite:
        for last in occurrences(series):  # noqa: B007  # the last one is wanted
            pass
        if last is None:
            return []
    zone = _zone()
    start = timezone.localtime(series.starts_at, zone)
    master = Event()
    master.add("uid", _series_uid(series))
    master.add("dtstamp", timezone.now())
    master.add("dtstart", start)
    master.add("dtend", start + series.duration)
    rule: dict[str, Any] = {
        "freq": "MONTHLY" if series.frequency == Frequency.MONTHLY else "WEEKLY",
        "interval": series.interval,
    }
    if last is not None:
        # UNTIL in UTC, as RFC 5545 asks when DTSTART has a time zone.
        rule["until"] = last.astimezone(datetime.UTC)
    master.add("rrule", rule)
    kept = {m.occurrence_start for m in meetings if m.occurrence_start}
    gone = cancelled_occurrences(series, kept)
    if gone:
        master.add("exdate", [timezone.localtime(d, zone) for d in gone])
    title = series.title
    if series.working_group_id:
        title = f"{title} ({series.working_group})"
    master.add("summary", text(title))
    location = series.online_url if series.mode == MeetingMode.ONLINE else series.place
    if location:
        master.add("location", text(location))
    url = base_url + series.get_absolute_url()
    master.add("url", url)
    lines = [series.partnership.name, series.cadence_label]
    if series.online_url:
        lines.append(series.online_url)
    lines.extend(["", url])
    master.add("description", text("\n".join(lines)))
    if series.updated_at:
        master.add("last-modified", series.updated_at)
    events = [master]
    for meeting in meetings:
        if meeting.occurrence_start and is_changed(meeting):
            events.append(_event(meeting, base_url, occurrence_of=series))
    return events


def _timezones(events: list[Event]) -> list[Any]:
    """The VTIMEZONE components the events' local times need."""
    cal = Calendar()
    for event in events:
        cal.add_component(event)
    cal.add_missing_timezones()
    return list(cal.timezones)


def series_ics(series: MeetingSeries, meetings: Iterable[Meeting], base: str) -> bytes:
    """A series on its own, for a calendar app to import."""
    cal = _calendar(series.title)
    cal.add("method", "PUBLISH")
    events = series_events(series, meetings, base)
    for event in events:
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", text(name))
    return cal


def _refresh_hint(cal: Calendar) -> None:
    """Ask calendar apps to check for changes every hour."""
    from icalendar import vDuration

    cal.add(
        "refresh-interval", vDuration(datetime.timedelta(hours=1)), parameters={"VALUE": "DURATION"}
    )
    cal.add("x-published-ttl", "PT1H")


def base_url(request: Any) -> str:
    if request is None:
        return str(settings.SITE_URL).rstrip("/")
    return str(request.build_absolute_uri("/")[:-1])


def meeting_ics(meeting: Meeting, base: str) -> bytes:
    cal = _calendar(meeting.title)
    cal.add("method", "PUBLISH")
    cal.add_component(_event(meeting, base))
    return cal.to_ical()


END = b"END:VCALENDAR\r\n"


def feed_chunks(
    name: str,
    meetings: Iterable[Meeting],
    base: str,
    series: Iterable[tuple[MeetingSeries, list[Meeting]]] = (),
) -> Iterator[bytes]:
    """A partnership's feed piece by piece (for a streaming response): the calendar's own
    lines, one VEVENT per meeting outside a series as it is read, each series as its
    recurring event with its changed occurrences (and the time zone they are in), then
    the closing line."""
    cal = _calendar(name)
    _refresh_hint(cal)
    yield cal.to_ical().removesuffix(END)
    for meeting in meetings:
        yield _event(meeting, base).to_ical()
    recurring: list[Event] = []
    for one, its_meetings in series:
        recurring.extend(series_events(one, its_meetings, base))
    for event in recurring:
        yield event.to_ical()
    if recurring:
        for zone in _timezones(recurring):
            yield zone.to_ical()
    yield END


def feed_ics(name: str, meetings: Iterable[Meeting], base: str) -> bytes:
    return b"".join(feed_chunks(name, meetings, base))
