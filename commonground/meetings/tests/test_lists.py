"""The meeting list and the attendance trend, read newest first from the indexes."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from commonground.accounts.tests.factories import UserFactory
from commonground.decisions.tests.factories import WorkingGroupFactory
from commonground.meetings import selectors, services
from commonground.meetings.models import Attendance
from commonground.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def meeting(world, days_ago: float, hours: float = 2, **kw):
    start = timezone.now() - datetime.timedelta(days=days_ago)
    return MeetingFactory(
        partnership=world.partnership,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=hours),
        **kw,
    )


def attend(m, statuses: list[str]) -> None:
    for n, status in enumerate(statuses):
        user = UserFactory(email=f"a{m.pk}-{n}@example.org")
        Attendance.objects.create(meeting=m, user=user, status=status)


def test_trend_takes_the_last_meetings_with_attendance_oldest_first(world):
    old = meeting(world, 40, title="Old")
    attend(old, ["present", "present", "unplanned_absence"])
    mid = meeting(world, 20, title="Mid")
    attend(mid, ["present", "planned_absence", "unplanned_absence"])
    meeting(world, 10, title="Nobody recorded")
    recent = meeting(world, 5, title="Recent")
    attend(recent, ["present"])
    group = WorkingGroupFactory(partnership=world.partnership)
    attend(meeting(world, 3, title="Group", working_group=group), ["present"])
    attend(meeting(world, -3, title="Future"), ["present"])

    rows = selectors.attendance_trend(world.partnership)["rows"]
    assert [(r["title"], r["present"], r["absent"]) for r in rows] == [
        ("Old", 2, 1),
        ("Mid", 1, 2),
        ("Recent", 1, 0),
    ]
    latest_two = selectors.attendance_trend(world.partnership, limit=2)["rows"]
    assert [r["title"] for r in latest_two] == ["Mid", "Recent"]


def test_the_remembered_trend_follows_attendance_recorded_through_the_service(world):
    recent = meeting(world, 5, title="Recent")
    attend(recent, ["present"])
    assert [r["present"] for r in selectors.attendance_trend(world.partnership)["rows"]] == [1]
    # the same rows come from the cache until the partnership changes
    Attendance.objects.filter(meeting=recent).delete()
    assert [r["present"] for r in selectors.attendance_trend(world.partnership)["rows"]] == [1]
    later = meeting(world, 2, title="Later")
    services.attendance_set(
        actor=world.users["manager"],
        meeting=later,
        marks={world.users["manager"]: "present", world.users["representative"]: "present"},
    )
    rows = selectors.attendance_trend(world.partnership)["rows"]
    assert [(r["title"], r["present"]) for r in rows] == [("Later", 2)]


def test_list_splits_upcoming_and_past_with_a_running_meeting_upcoming(world, client_for, settings):
    settings.COMMONGROUND_PAGE_SIZE = 2
    for days, title in ((30, "Oldest"), (20, "Older"), (10, "Latest past")):
        meeting(world, days, title=title)
    meeting(world, 1 / 24, hours=3, title="Running now")
    meeting(world, -2, title="Next week")
    url = reverse("meetings:list", kwargs={"slug": world.partnership.slug})
    client = client_for("manager")
    html = client.get(url).content.decode()
    upcoming, _sep, past = html.partition("Latest past")
    assert upcoming.index("Running now") < upcoming.index("Next week")
    assert "Older" in past and "Running now" not in past and "Oldest" not in html
    second = client.get(url + "?page=2").content.decode()
    assert "Oldest" in second
