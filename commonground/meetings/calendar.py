"""iCalendar output: one meeting as an invite, a partnership's meetings as a feed."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vText

from .models import Meeting, MeetingMode

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


def _event(meeting: Meeting, base_url: str) -> Event:
    event = Event()
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


def feed_chunks(name: str, meetings: Iterable[Meeting], base: str) -> Iterator[bytes]:
    """A partnership's feed piece by piece (for a streaming response): the calendar's own
    lines, one VEVENT per meeting as it is read, then the closing line."""
    cal = _calendar(name)
    _refresh_hint(cal)
    yield cal.to_ical().removesuffix(END)
    for meeting in meetings:
        yield _event(meeting, base).to_ical()
    yield END


def feed_ics(name: str, meetings: Iterable[Meeting], base: str) -> bytes:
    return b"".join(feed_chunks(name, meetings, base))
