"""Quorum, attendance trend, calendar output and the feed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from commonground.accounts.tests.factories import UserFactory
from commonground.core.testing import assert_queries_do_not_grow
from commonground.meetings import selectors, services
from commonground.meetings.models import CalendarFeedToken
from commonground.meetings.tests.factories import MeetingFactory
from commonground.organisations.tests.factories import OrganisationFactory
from commonground.partnerships.tests.factories import MembershipFactory, RoleFactory

pytestmark = pytest.mark.django_db


def test_quorum_counts_present_member_organisations(past_meeting, world):
    manager = world.users["manager"]
    # Two active member organisations in the world; add two more (four in all).
    for _ in range(2):
        MembershipFactory(partnership=world.partnership, organisation=OrganisationFactory())
    services.settings_set(actor=manager, partnership=world.partnership, quorum_fraction="0.75")
    services.attendance_set(
        actor=manager,
        meeting=past_meeting,
        marks={world.users["representative"]: "present", manager: "present"},
    )
    q = selectors.quorum(past_meeting)
    assert (q["base"], q["present"], q["required"], q["met"]) == (4, 2, 3, False)
    services.settings_set(actor=manager, partnership=world.partnership, quorum_fraction="0.50")
    q = selectors.quorum(past_meeting)
    assert q["required"] == 2 and q["met"]


def test_absences_do_not_count_towards_quorum(past_meeting, world):
    manager = world.users["manager"]
    services.attendance_set(
        actor=manager,
        meeting=past_meeting,
        marks={world.users["representative"]: "planned_absence", manager: "unplanned_absence"},
    )
    q = selectors.quorum(past_meeting)
    assert q["present"] == 0 and not q["met"]


def test_working_group_quorum_counts_group_members(world):
    from commonground.partnerships.models import WorkingGroup

    wg = WorkingGroup.objects.create(partnership=world.partnership, name="Data", slug="data")
    members = [UserFactory() for _ in range(4)]
    for u in members:
        RoleFactory(partnership=world.partnership, user=u, kind="wg_member")
    wg.members.set(members)
    meeting = MeetingFactory(partnership=world.partnership, working_group=wg)
    services.attendance_set(
        actor=world.users["manager"], meeting=meeting, marks={members[0]: "present"}
    )
    q = selectors.quorum(meeting)
    assert (q["basis"], q["base"], q["present"], q["required"], q["met"]) == (
        "people",
        4,
        1,
        2,
        False,
    )


def test_quorum_setting_is_validated(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.settings_set(
            actor=world.users["manager"],
            partnership=world.partnership,
            quorum_fraction=Decimal("1.5"),
        )


def test_attendance_falling_warning():
    assert selectors.attendance_falling([15, 13, 12])
    assert selectors.attendance_falling([15, 15, 10])
    assert not selectors.attendance_falling([10, 12, 11])
    assert not selectors.attendance_falling([10])


def test_meeting_ics_parses_back(past_meeting, world, client_for):
    url = reverse("meetings:ics", kwargs={"slug": world.partnership.slug, "pk": past_meeting.pk})
    response = client_for("observer").get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == "Past meeting"
    assert event.decoded("DTSTART") == past_meeting.starts_at
    assert event.decoded("DTEND") == past_meeting.ends_at
    assert str(event["LOCATION"]) == "Town hall"
    assert "Adoption of the agenda" in str(event["DESCRIPTION"])
    assert str(event["UID"]) == f"meeting-{past_meeting.pk}@commonground"


def _feed_url(world, token):
    return reverse("meetings_global:feed", kwargs={"slug": world.partnership.slug, "token": token})


def test_calendar_feed_with_a_secret_token(world, past_meeting, future_meeting, client_for):
    from django.test import Client

    manager = client_for("manager")
    page = manager.post(reverse("meetings:calendar", kwargs={"slug": world.partnership.slug}))
    assert page.status_code == 200
    url = page.context["feed_url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    # Only the hash is stored.
    stored = CalendarFeedToken.objects.get(user=world.users["manager"])
    assert token not in stored.token_hash
    # A calendar app has no session.
    response = Client().get(_feed_url(world, token))
    assert response.status_code == 200 and response.streaming
    cal = Calendar.from_ical(b"".join(response.streaming_content))
    summaries = sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
    assert summaries == ["Future meeting", "Past meeting"]
    assert str(cal["X-WR-CALNAME"]) == world.partnership.name
    # A renewed token retires the old one.
    manager.post(reverse("meetings:calendar", kwargs={"slug": world.partnership.slug}))
    assert Client().get(_feed_url(world, token)).status_code == 404


def test_calendar_feed_streams_every_meeting_without_a_query_per_meeting(world):
    from django.test import Client

    from commonground.meetings.tests.factories import AgendaItemFactory

    token = services.feed_token_reset(actor=world.users["manager"])
    url = _feed_url(world, token)
    client = Client()

    def add_meeting(n: int) -> None:
        m = MeetingFactory(partnership=world.partnership, title=f"Feed meeting {n}")
        AgendaItemFactory(meeting=m, title=f"Item of {n}", status="accepted")

    def fetch():
        response = client.get(url)
        fetch.body = b"".join(response.streaming_content)  # queries run while it streams
        return response

    add_meeting(0)

    def grow() -> None:
        for n in range(1, 6):
            add_meeting(n)

    assert_queries_do_not_grow(fetch, grow)
    body = fetch.body
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    assert body.count(b"BEGIN:VCALENDAR") == 1
    cal = Calendar.from_ical(body)
    events = {str(e["SUMMARY"]): str(e["DESCRIPTION"]) for e in cal.walk("VEVENT")}
    assert sorted(events) == [f"Feed meeting {n}" for n in range(6)]
    assert "1. Item of 3" in events["Feed meeting 3"]
    assert str(cal["X-PUBLISHED-TTL"]) == "PT1H"


def test_feed_refuses_unknown_tokens_and_lost_roles(world, past_meeting):
    from django.test import Client

    raw = services.feed_token_reset(actor=world.users["outsider"])
    assert Client().get(_feed_url(world, "nope")).status_code == 404
    # The outsider's token is real, but they hold no role in this partnership.
    assert Client().get(_feed_url(world, raw)).status_code == 404
    raw_rep = services.feed_token_reset(actor=world.users["representative"])
    assert Client().get(_feed_url(world, raw_rep)).status_code == 200
    world.partnership.roles.filter(user=world.users["representative"]).update(
        ended_on=timezone.localdate()
    )
    assert Client().get(_feed_url(world, raw_rep)).status_code == 404


def test_agenda_and_minutes_pdf(past_meeting, world, client_for):
    client = client_for("observer")
    for name in ("meetings:agenda_pdf", "meetings:minutes_pdf"):
        response = client.get(
            reverse(name, kwargs={"slug": world.partnership.slug, "pk": past_meeting.pk})
        )
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")


def test_meeting_page_queries_do_not_grow(past_meeting, world, client_for):
    from commonground.meetings.models import AgendaItem

    client = client_for("manager")
    url = reverse("meetings:detail", kwargs={"slug": world.partnership.slug, "pk": past_meeting.pk})
    counter = {"n": 0}

    def grow():
        counter["n"] += 1
        item = services.item_add(
            actor=world.users["manager"], meeting=past_meeting, title=f"Extra {counter['n']}"
        )
        services.motion_record(
            actor=world.users["manager"],
            item=item,
            text="Agree",
            proposed_by=world.users["representative"],
            seconded_by=world.users["manager"],
            result="unanimous",
        )
        services.task_record(
            actor=world.users["manager"],
            item=item,
            title="Do it",
            owner=world.users["representative"],
        )
        services.attendance_set(
            actor=world.users["manager"],
            meeting=past_meeting,
            marks={world.users["representative"]: "present", world.users["manager"]: "present"},
        )
        services.assessment_submit(
            actor=world.users["representative"], meeting=past_meeting, usefulness=4, run=4
        )
        AgendaItem.objects.create(meeting=past_meeting, title="Proposed", status="proposed")

    assert_queries_do_not_grow(lambda: client.get(url), grow)


def test_meeting_list_queries_do_not_grow(world, past_meeting, future_meeting, client_for):
    client = client_for("manager")
    url = reverse("meetings:list", kwargs={"slug": world.partnership.slug})

    def grow():
        for days in (3, 10, -5):
            start = timezone.now() - datetime.timedelta(days=days)
            MeetingFactory(
                partnership=world.partnership,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=1),
            )

    assert_queries_do_not_grow(lambda: client.get(url), grow)


def test_api_minutes(past_meeting, world, client_for):
    item = past_meeting.items.get(standard="adopt_agenda")
    services.motion_record(
        actor=world.users["manager"],
        item=item,
        text="Adopt the agenda",
        proposed_by=world.users["representative"],
        seconded_by=world.users["manager"],
        result="unanimous",
    )
    response = client_for("observer").get(
        f"/api/meetings/{world.partnership.slug}/{past_meeting.pk}/minutes"
    )
    assert response.status_code == 200
    data = response.json()
    motions = [m for i in data["items"] for m in i["motions"]]
    assert motions[0]["text"] == "Adopt the agenda" and motions[0]["decision_id"]


def test_api_refuses_a_self_seconded_motion_and_records_a_good_one(past_meeting, world, client_for):
    import json

    from commonground.decisions.models import Decision

    item = past_meeting.items.get(standard="adopt_agenda")
    url = f"/api/meetings/{world.partnership.slug}/{past_meeting.pk}/items/{item.pk}/motions"
    client = client_for("manager")
    rep, manager = world.users["representative"], world.users["manager"]
    body = {"text": "Adopt", "proposed_by": rep.pk, "seconded_by": rep.pk, "result": "unanimous"}
    response = client.post(url, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert "seconded_by" in response.json()["errors"]
    assert not Decision.objects.exists()
    body["seconded_by"] = manager.pk
    response = client.post(url, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 201 and response.json()["decision_id"]
    outsider_body = {**body, "proposed_by": world.users["outsider"].pk}
    response = client.post(url, data=json.dumps(outsider_body), content_type="application/json")
    assert response.status_code == 400
