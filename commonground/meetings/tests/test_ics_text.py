"""Every text value in the .ics answers goes through iCalendar's own escaping.

A meeting title with a line break used to make the invite answer 500 (the calendar's
name was written unescaped); control characters, which iCalendar text may not hold,
are left out.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar
from icalendar.parser import unescape_backslash

from commonground.meetings import calendar, services
from commonground.meetings.models import Meeting
from commonground.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

NASTY = [
    "Line one\nline two",
    "Carriage\rreturn",
    "Windows\r\nbreak",
    "Commas, semicolons; and a back\\slash",
    "END:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected",
    "Trailing backslash \\",
]
CONTROL = ["NUL\x00inside", "bell\x07 and escape\x1b[31m", "vertical\x0btab\x0cfeed\x7f"]
CTL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _expected(text: str) -> str:
    """What a calendar app reads back: line breaks kept as line breaks, other controls gone."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text)


def _lines(body: bytes) -> list[str]:
    text = body.decode()
    assert text.endswith("\r\n")
    unfolded = text.replace("\r\n ", "").replace("\r\n\t", "")
    lines = unfolded.split("\r\n")[:-1]
    for line in lines:
        assert not CTL.search(line.replace("\t", " ")), repr(line)
    return lines


def _calname(cal: Calendar) -> str:
    # icalendar reads an X- property back as it stands; unescape it as TEXT.
    return unescape_backslash(str(cal["X-WR-CALNAME"]))


def _single(cal: Calendar):
    (event,) = cal.walk("VEVENT")
    return event


@pytest.mark.parametrize("text", NASTY)
def test_meeting_invite_with_odd_text_answers_and_parses_back(world, client_for, text):
    meeting = MeetingFactory(
        partnership=world.partnership,
        title=text,
        place=text,
        mode="in_person",
    )
    url = reverse("meetings:ics", kwargs={"slug": world.partnership.slug, "pk": meeting.pk})
    response = client_for("manager").get(url)
    assert response.status_code == 200
    body = response.content
    lines = _lines(body)
    assert sum(line == "BEGIN:VEVENT" for line in lines) == 1
    cal = Calendar.from_ical(body)
    assert _calname(cal) == _expected(text)
    event = _single(cal)
    assert str(event["SUMMARY"]) == _expected(text)
    assert str(event["LOCATION"]) == _expected(text)


@pytest.mark.parametrize("text", NASTY)
def test_feed_with_odd_partnership_and_meeting_text_parses_back(world, text):
    world.partnership.name = text
    world.partnership.save(update_fields=["name"])
    MeetingFactory(partnership=world.partnership, title=text, place=text, mode="in_person")
    token = services.feed_token_reset(actor=world.users["manager"])
    url = reverse("meetings_global:feed", kwargs={"slug": world.partnership.slug, "token": token})
    response = Client().get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    lines = _lines(body)
    assert sum(line == "BEGIN:VEVENT" for line in lines) == 1
    cal = Calendar.from_ical(body)
    assert _calname(cal) == _expected(text)
    event = _single(cal)
    assert str(event["SUMMARY"]) == _expected(text)
    assert _expected(text) in str(event["DESCRIPTION"])


@pytest.mark.parametrize("text", NASTY + CONTROL)
def test_every_text_value_is_escaped_and_free_of_control_characters(world, text):
    # Built in memory: PostgreSQL would not store a NUL, but older rows, imports or
    # other databases may still hand one to the calendar.
    meeting: Meeting = MeetingFactory(partnership=world.partnership, mode="online")  # type: ignore[assignment]
    meeting.title = text
    meeting.online_url = f"https://meet.example/{text}"
    meeting.partnership.name = text
    if meeting.working_group is not None:
        meeting.working_group.name = text
    for body in (
        calendar.meeting_ics(meeting, "https://cg.example"),
        calendar.feed_ics(text, [meeting], "https://cg.example"),
    ):
        _lines(body)
        cal = Calendar.from_ical(body)
        assert _calname(cal) == _expected(text)
        event = _single(cal)
        assert str(event["SUMMARY"]) == _expected(text)
        assert str(event["LOCATION"]) == _expected(f"https://meet.example/{text}")
        assert str(event["DESCRIPTION"]).startswith(_expected(text) + "\n")
