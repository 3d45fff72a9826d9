"""The meeting pages: planning, editing, proposing, attendance and rating through forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonground.core.models import AuditEvent
from commonground.meetings.models import Assessment, Attendance, Meeting

pytestmark = pytest.mark.django_db


def test_plan_a_meeting_with_the_standard_agenda(world, client_for):
    url = reverse("meetings:create", kwargs={"slug": world.partnership.slug})
    client = client_for("manager")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "Autumn meeting",
            "mode": "hybrid",
            "starts_at": "2030-10-01T17:00",
            "ends_at": "2030-10-01T19:00",
            "place": "Town hall",
            "online_url": "",
        },
    )
    assert response.status_code == 400
    assert b"An online meeting needs a link." in response.content
    assert b"Autumn meeting" in response.content
    response = client.post(
        url,
        {
            "title": "Autumn meeting",
            "mode": "hybrid",
            "starts_at": "2030-10-01T17:00",
            "ends_at": "2030-10-01T19:00",
            "place": "Town hall",
            "online_url": "https://meet.example/x",
        },
    )
    meeting = Meeting.objects.get(title="Autumn meeting")
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.items.count() == 11


def test_end_before_start_is_refused_with_a_clear_message(world, client_for):
    url = reverse("meetings:create", kwargs={"slug": world.partnership.slug})
    response = client_for("manager").post(
        url,
        {
            "title": "Backwards",
            "mode": "in_person",
            "starts_at": "2030-10-01T17:00",
            "ends_at": "2030-10-01T16:00",
            "place": "Town hall",
        },
    )
    assert response.status_code == 400
    assert b"The meeting must end after it starts." in response.content
    assert not Meeting.objects.exists()


def test_edit_records_the_change_in_the_audit_log(world, past_meeting, client_for):
    url = reverse("meetings:edit", kwargs={"slug": world.partnership.slug, "pk": past_meeting.pk})
    data = {
        "title": "Renamed",
        "mode": "in_person",
        "starts_at": past_meeting.starts_at.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": past_meeting.ends_at.strftime("%Y-%m-%dT%H:%M"),
        "place": "Library",
    }
    assert client_for("manager").post(url, data).status_code == 302
    event = AuditEvent.objects.filter(verb="meeting.update").latest("id")
    assert event.before["title"] == "Past meeting" and event.after["title"] == "Renamed"


def test_upcoming_meeting_page_for_a_representative(world, future_meeting, client_for):
    url = future_meeting.get_absolute_url()
    body = client_for("representative").get(url).content.decode()
    assert "Propose an item" in body
    assert "Add an item to the agenda" not in body  # facilitators only
    assert "Record attendance" not in body  # record-keepers only


def test_attendance_form_and_rating(world, past_meeting, client_for):
    url = reverse(
        "meetings:attendance", kwargs={"slug": world.partnership.slug, "pk": past_meeting.pk}
    )
    manager = client_for("manager")
    page = manager.get(url)
    assert page.status_code == 200
    rep = world.users["representative"]
    response = manager.post(
        url,
        {f"person-{rep.pk}": "present", f"person-{world.users['observer'].pk}": "planned_absence"},
    )
    assert response.status_code == 302
    assert Attendance.objects.get(meeting=past_meeting, user=rep).organisation == world.organisation
    body = client_for("representative").get(past_meeting.get_absolute_url()).content.decode()
    assert "Rate this meeting" in body
    response = client_for("representative").post(
        reverse("meetings:assess", kwargs={"slug": world.partnership.slug, "pk": past_meeting.pk}),
        {"usefulness": 4, "run": 5, "comment": "Clear"},
    )
    assert response.status_code == 302
    assert Assessment.objects.get().run == 5


def test_page_shows_in_norwegian(world, past_meeting, client_for, settings, monkeypatch):
    from pathlib import Path

    from django.core.management import call_command
    from django.utils import translation

    # Compile this app's catalogue only (compilemessages walks the current directory).
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    call_command("compilemessages", "-l", "nb", verbosity=0)
    translation.trans_real._translations = {}
    translation.trans_real._active = translation.trans_real.Local()
    client = client_for("observer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    body = client.get(past_meeting.get_absolute_url()).content.decode()
    assert "Godkjenning av sakslisten" in body


def test_the_chair_may_accept_items_without_a_facilitator_role(world, future_meeting, client_for):
    from commonground.meetings import services

    rep = world.users["representative"]
    item = services.item_propose(actor=world.users["observer"], meeting=future_meeting, title="X")
    url = reverse(
        "meetings:item_decide",
        kwargs={"slug": world.partnership.slug, "pk": future_meeting.pk, "item_pk": item.pk},
    )
    assert client_for("representative").post(url, {"decision": "accept"}).status_code == 403
    future_meeting.chair = rep
    future_meeting.save()
    assert client_for("representative").post(url, {"decision": "accept"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "accepted"


def test_home_panels_do_not_grow_with_meetings(world, client_for):
    import datetime

    from django.utils import timezone

    from commonground.core.testing import assert_queries_do_not_grow
    from commonground.meetings.tests.factories import MeetingFactory

    def grow() -> None:
        for days in (2, 4, 6):
            start = timezone.now() + datetime.timedelta(days=days)
            MeetingFactory(
                partnership=world.partnership,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=1),
            )

    client = client_for("manager")
    url = reverse("partnerships:home", kwargs={"slug": world.partnership.slug})
    from commonground.core.testing import home_with_panels

    grow()
    body = home_with_panels(client, world.partnership)
    assert "Next meetings" in body and "Action plan" in body
    assert_queries_do_not_grow(lambda: client.get(url), grow)
    for key in ("meetings", "actionplan"):
        panel = reverse("partnerships:panel", kwargs={"slug": world.partnership.slug, "key": key})
        assert_queries_do_not_grow(
            lambda panel=panel: client.get(panel, HTTP_HX_REQUEST="true"), grow
        )
