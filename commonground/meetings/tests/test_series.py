"""Meeting series: the rule, planning ahead, exceptions, cancelling, ending, the calendar
(one VEVENT with RRULE, RECURRENCE-ID overrides, EXDATE; parsed back) and the pages."""

from __future__ import annotations

import datetime
import itertools
import zoneinfo
from typing import Any

import pytest
import time_machine
from dateutil.rrule import rrulestr  # type: ignore[import-untyped]  # icalendar's dependency
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from commonground.meetings import series as series_mod
from commonground.meetings import services
from commonground.meetings.models import Meeting, MeetingSeries
from commonground.meetings.views import feed_body

pytestmark = pytest.mark.django_db

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
# A Monday in March, before the clocks go forward (29 March 2026).
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=OSLO)
FIRST = datetime.datetime(2026, 3, 9, 17, 0, tzinfo=OSLO)


def _series(world, **kw) -> MeetingSeries:
    fields = {
        "title": "Steering group",
        "frequency": "weekly",
        "interval": 2,
        "starts_at": FIRST,
        "duration": datetime.timedelta(hours=2),
        "mode": "in_person",
        "place": "Town hall",
    }
    fields.update(kw)
    return series_mod.series_create(
        actor=world.users["manager"], partnership=world.partnership, **fields
    )


def _local(dt: datetime.datetime) -> tuple[int, int, int, int, int]:
    t = dt.astimezone(OSLO)
    return (t.year, t.month, t.day, t.hour, t.minute)


def test_every_two_weeks_keeps_the_time_of_day_across_summer_time(world):
    with time_machine.travel(NOW, tick=False):
        made = _series(world)
    starts = [m.starts_at for m in made.meetings.order_by("starts_at")]
    assert _local(starts[0]) == (2026, 3, 9, 17, 0)
    assert _local(starts[1]) == (2026, 3, 23, 17, 0)
    assert _local(starts[2]) == (2026, 4, 6, 17, 0)  # after the clocks went forward
    assert {_local(s)[3:] for s in starts} == {(17, 0)}
    assert all(b - a >= datetime.timedelta(days=13) for a, b in itertools.pairwise(starts))


def test_creating_plans_six_months_ahead_each_meeting_with_the_standard_agenda(world):
    with time_machine.travel(NOW, tick=False):
        made = _series(world)
    meetings = list(made.meetings.order_by("starts_at"))
    # 9 March to 2 September 2026, every second Monday: 13 meetings.
    assert len(meetings) == 13
    assert _local(meetings[-1].starts_at) == (2026, 8, 24, 17, 0)
    assert made.planned_until.astimezone(OSLO).date() == datetime.date(2026, 9, 2)
    for m in meetings:
        assert m.series_id == made.pk and m.occurrence_start == m.starts_at
        assert m.ends_at - m.starts_at == datetime.timedelta(hours=2)
        assert m.place == "Town hall" and m.title == "Steering group"
    assert meetings[0].items.count() == len(services.STANDARD_ITEMS)
    from commonground.core.models import AuditEvent

    assert AuditEvent.objects.filter(verb="meeting_series.create").count() == 1


def test_extending_plans_the_later_meetings_once(world):
    with time_machine.travel(NOW, tick=False):
        made = _series(world)
    with time_machine.travel(NOW + datetime.timedelta(days=30), tick=False):
        call_command("extend_meeting_series", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert made.meetings.count() == 15  # 7 and 21 September
        assert series_mod.series_extend(series=made) == []
    starts = sorted(m.occurrence_start for m in made.meetings.all() if m.occurrence_start)
    assert len(set(starts)) == len(starts)
    assert _local(starts[-1]) == (2026, 9, 21, 17, 0)


def test_a_series_ends_at_its_last_date_or_after_its_number_of_meetings(world):
    with time_machine.travel(NOW, tick=False):
        by_date = _series(world, until=datetime.date(2026, 4, 20))
        by_count = _series(world, title="Three", count=3, frequency="monthly", interval=1)
    assert [_local(m.starts_at)[:3] for m in by_date.meetings.order_by("starts_at")] == [
        (2026, 3, 9),
        (2026, 3, 23),
        (2026, 4, 6),
        (2026, 4, 20),
    ]
    assert [_local(m.starts_at)[:3] for m in by_count.meetings.order_by("starts_at")] == [
        (2026, 3, 9),
        (2026, 4, 9),
        (2026, 5, 9),
    ]


def test_every_month_skips_a_month_without_the_day(world):
    with time_machine.travel(NOW, tick=False):
        made = _series(
            world,
            frequency="monthly",
            interval=1,
            starts_at=datetime.datetime(2026, 3, 31, 17, 0, tzinfo=OSLO),
        )
    days = [_local(m.starts_at)[:3] for m in made.meetings.order_by("starts_at")]
    assert days == [(2026, 3, 31), (2026, 5, 31), (2026, 7, 31), (2026, 8, 31)]


def test_bad_series_are_refused(world):
    with pytest.raises(ValidationError) as exc:
        _series(
            world,
            interval=13,
            duration=datetime.timedelta(0),
            until=datetime.date(2026, 3, 1),
            place="",
        )
    assert set(exc.value.message_dict) >= {"interval", "duration", "until", "place"}
    assert not MeetingSeries.objects.exists() and not Meeting.objects.exists()


def test_the_suggested_cadence_follows_the_phase_and_the_body(world):
    from commonground.partnerships.models import WorkingGroup

    p = world.partnership
    p.phase = "identify"
    assert series_mod.suggested_cadence(p)["frequency"] == "weekly"
    p.phase = "consolidate"
    later = series_mod.suggested_cadence(p)
    assert (later["frequency"], later["interval"]) == ("monthly", 2)
    assert "2 to 3 months" in str(later["advice"])
    group = WorkingGroup.objects.create(partnership=p, name="Data", slug="data")
    assert series_mod.suggested_cadence(p, group)["frequency"] == "weekly"


def _feed(world) -> Calendar:
    return Calendar.from_ical(b"".join(feed_body(world.partnership, "https://cg.example")))


def test_the_feed_carries_the_series_as_one_recurring_event(world):
    with time_machine.travel(NOW, tick=False):
        made = _series(world)
        alone = services.meeting_create(
            actor=world.users["manager"],
            partnership=world.partnership,
            title="One-off workshop",
            mode="in_person",
            place="Library",
            starts_at=FIRST + datetime.timedelta(days=2),
            ends_at=FIRST + datetime.timedelta(days=2, hours=1),
        )
        meetings = list(made.meetings.order_by("starts_at"))
        # The third meeting moved by an hour on its own; the fifth cancelled.
        moved = meetings[2]
        services.meeting_update(
            actor=world.users["manager"],
            meeting=moved,
            starts_at=moved.starts_at + datetime.timedelta(hours=1),
            ends_at=moved.ends_at + datetime.timedelta(hours=1),
        )
        series_mod.occurrence_cancel(actor=world.users["manager"], meeting=meetings[4])
        cal = _feed(world)
    events = cal.walk("VEVENT")
    uid = f"meeting-series-{made.pk}@commonground"
    masters = [e for e in events if str(e["UID"]) == uid and "RRULE" in e]
    overrides = [e for e in events if str(e["UID"]) == uid and "RECURRENCE-ID" in e]
    assert len(masters) == 1 and len(overrides) == 1
    assert [
        str(e["SUMMARY"]) for e in events if str(e["UID"]) == f"meeting-{alone.pk}@commonground"
    ] == ["One-off workshop"]
    # No other occurrence is listed on its own.
    assert len(events) == 3
    master = masters[0]
    rule: Any = master["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["INTERVAL"] == [2] and "UNTIL" not in rule
    dtstart = master["DTSTART"].dt
    assert str(dtstart.tzinfo) == "Europe/Oslo" and (dtstart.hour, dtstart.minute) == (17, 0)
    assert cal.walk("VTIMEZONE"), "the time zone the rule is in"
    exdates = (
        [d.dt for e in master["EXDATE"] for d in e.dts]
        if isinstance(master["EXDATE"], list)
        else [d.dt for d in master["EXDATE"].dts]
    )
    assert exdates == [meetings[4].occurrence_start]
    override = overrides[0]
    assert override["RECURRENCE-ID"].dt == moved.occurrence_start
    assert override["DTSTART"].dt == moved.occurrence_start + datetime.timedelta(hours=1)
    # The rule, expanded, gives exactly the planned meetings' occurrences and the cancelled one.
    expand = rrulestr(rule.to_ical().decode(), dtstart=dtstart)
    planned = list(expand.between(dtstart, made.planned_until, inc=True))
    kept = set(made.meetings.values_list("occurrence_start", flat=True))
    assert set(planned) == kept | set(exdates)
    assert len(planned) == 13


def test_editing_one_meeting_keeps_it_an_exception(world):
    with time_machine.travel(NOW, tick=False):
        made = _series(world)
        first = made.meetings.order_by("starts_at").first()
        services.meeting_update(actor=world.users["manager"], meeting=first, place="Library")
    first.refresh_from_db()
    assert first.series_exception and first.series_id == made.pk
    assert first.occurrence_start == first.starts_at
    # Its own entry in the feed, with the new place, for the occurrence the rule gave.
    with time_machine.travel(NOW, tick=False):
        cal = _feed(world)
    overrides = [e for e in cal.walk("VEVENT") if "RECURRENCE-ID" in e]
    assert [str(e["LOCATION"]) for e in overrides] == ["Library"]


def test_cancelling_refuses_a_meeting_with_something_on_it(world):
    with time_machine.travel(NOW, tick=False):
        made = _series(world)
        first = made.meetings.order_by("starts_at").first()
        services.item_propose(actor=world.users["representative"], meeting=first, title="Budget")
        with pytest.raises(ValidationError):
            series_mod.occurrence_cancel(actor=world.users["manager"], meeting=first)
        alone = services.meeting_create(
            actor=world.users["manager"],
            partnership=world.partnership,
            title="Alone",
            mode="in_person",
            place="x",
            starts_at=FIRST,
            ends_at=FIRST + datetime.timedelta(hours=1),
        )
        with pytest.raises(ValidationError):
            series_mod.occurrence_cancel(actor=world.users["manager"], meeting=alone)
    assert Meeting.objects.filter(pk=first.pk).exists()


def test_ending_removes_empty_coming_meetings_and_keeps_the_others_on_their_own(world):
    with time_machine.travel(NOW, tick=False):
        made = _series(world)
    meetings = list(made.meetings.order_by("starts_at"))
    with time_machine.travel(NOW, tick=False):
        services.item_propose(
            actor=world.users["representative"], meeting=meetings[3], title="Budget"
        )
    # Three weeks and a day on: two meetings have happened.
    with time_machine.travel(NOW + datetime.timedelta(days=22), tick=False):
        counts = series_mod.series_end(actor=world.users["manager"], series=made)
        assert counts == {"removed": 10, "kept": 1}
        with pytest.raises(ValidationError):
            series_mod.series_end(actor=world.users["manager"], series=made)
        assert series_mod.series_extend(series=made) == []
        cal = _feed(world)
    made.refresh_from_db()
    assert made.is_ended
    assert list(made.meetings.order_by("starts_at")) == meetings[:2]
    kept = Meeting.objects.get(pk=meetings[3].pk)
    assert kept.series_id is None and kept.occurrence_start is None
    master = next(e for e in cal.walk("VEVENT") if "RRULE" in e)
    until = master["RRULE"]["UNTIL"][0]
    assert until == meetings[1].starts_at  # the last one held
    assert any(str(e["UID"]) == f"meeting-{kept.pk}@commonground" for e in cal.walk("VEVENT"))


def test_pages_create_show_and_link_the_series(world, client_for):
    client = client_for("manager")
    slug = world.partnership.slug
    with time_machine.travel(NOW, tick=False):
        form = client.get(reverse("meetings:series_create", kwargs={"slug": slug}))
        assert form.status_code == 200
        response = client.post(
            reverse("meetings:series_create", kwargs={"slug": slug}),
            {
                "title": "Partners' round",
                "interval": "3",
                "frequency": "monthly",
                "starts_at": "2026-03-12T17:00",
                "length": "90",
                "mode": "in_person",
                "place": "Town hall",
            },
        )
    assert response.status_code == 302
    made = MeetingSeries.objects.get(title="Partners' round")
    assert response["Location"] == made.get_absolute_url()
    assert made.duration == datetime.timedelta(minutes=90)
    with time_machine.travel(NOW, tick=False):
        page = client_for("observer").get(made.get_absolute_url())
        body = page.content.decode()
        assert "Meets every 3 months" in body
        assert len(page.context["upcoming"]) == made.meetings.count() == 2
        meeting = made.meetings.order_by("starts_at").first()
        body = client_for("observer").get(meeting.get_absolute_url()).content.decode()
        assert "Part of the series:" in body and "every 3 months" in body
        assert made.get_absolute_url() in body
        assert "Cancel this meeting" not in body
        assert "Cancel this meeting" in client.get(meeting.get_absolute_url()).content.decode()
        ics = client.get(
            reverse("meetings:series_ics", kwargs={"slug": slug, "series_pk": made.pk})
        )
    rule = Calendar.from_ical(ics.content).walk("VEVENT")[0]["RRULE"]
    assert rule["FREQ"] == ["MONTHLY"] and rule["INTERVAL"] == [3]


def test_refused_form_comes_back_with_the_errors(world, client_for):
    response = client_for("manager").post(
        reverse("meetings:series_create", kwargs={"slug": world.partnership.slug}),
        {"title": "x", "interval": "0", "frequency": "weekly", "length": "60", "mode": "online"},
    )
    assert response.status_code == 400
    assert not MeetingSeries.objects.exists()


def test_the_cadence_reads_in_norwegian(world):
    with time_machine.travel(NOW, tick=False):
        made = _series(world)
    with translation.override("nb"):
        assert made.cadence_label == "hver 2. uke"
        made.frequency, made.interval = "monthly", 1
        assert made.cadence_label == "hver måned"
    assert timezone.is_aware(made.starts_at)


def test_the_demo_shows_a_recurring_series(client):
    call_command("load_demo", verbosity=0)
    from commonground.partnerships.models import Partnership

    demo = Partnership.objects.get(slug="fjordvik-circular")
    (recurring,) = MeetingSeries.objects.filter(partnership=demo)
    assert recurring.cadence_label == "every 2 weeks" and recurring.working_group is not None
    meetings = list(recurring.meetings.order_by("starts_at"))
    assert len(meetings) >= 10
    assert [m.series_exception for m in meetings].count(True) == 1
    cal = Calendar.from_ical(b"".join(feed_body(demo, "https://cg.example")))
    master = next(e for e in cal.walk("VEVENT") if "RRULE" in e)
    assert master["RRULE"]["INTERVAL"] == [2] and "EXDATE" in master
    assert sum("RECURRENCE-ID" in e for e in cal.walk("VEVENT")) == 1
