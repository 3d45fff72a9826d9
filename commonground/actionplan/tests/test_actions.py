"""Action plan: services, list/board/exports, reminders and my actions."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from commonground.accounts.tests.factories import UserFactory
from commonground.actionplan import services
from commonground.actionplan.models import Action, ActionReminder
from commonground.actionplan.tests.factories import ActionFactory
from commonground.core.testing import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


def _create(world, **kw):
    data = {"title": "Do the thing", "owner": world.users["representative"]}
    data.update(kw)
    return services.action_create(
        actor=world.users["manager"], partnership=world.partnership, **data
    )


def test_create_fills_the_owner_organisation_and_audits(world):
    action = _create(world)
    assert action.owner_organisation == world.organisation
    assert action.created_by == world.users["manager"]
    from commonground.core.models import AuditEvent

    assert AuditEvent.objects.filter(verb="action.create", target_id=str(action.pk)).exists()


def test_bad_input_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        _create(
            world,
            title="",
            priority=7,
            start_on=datetime.date(2026, 5, 1),
            due_on=datetime.date(2026, 4, 1),
            owner=world.users["outsider"],
        )
    assert set(exc.value.message_dict) >= {"title", "priority", "due_on", "owner"}
    assert not Action.objects.exists()


def test_links_from_another_partnership_are_refused(world):
    from commonground.meetings.tests.factories import MeetingFactory

    elsewhere = MeetingFactory(partnership=world.other_partnership)
    with pytest.raises(ValidationError):
        _create(world, meeting=elsewhere)


def test_status_done_stamps_completion(world):
    action = _create(world)
    services.action_set_status(actor=world.users["manager"], action=action, status="done")
    assert action.completed_on == timezone.localdate()
    services.action_set_status(actor=world.users["manager"], action=action, status="in_progress")
    assert action.completed_on is None


@time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_overdue_and_due_soon():
    a = Action(status="in_progress", due_on=TODAY - datetime.timedelta(days=1))
    assert a.is_overdue and not a.is_due_soon
    b = Action(status="not_started", due_on=TODAY + datetime.timedelta(days=3))
    assert b.is_due_soon and not b.is_overdue
    c = Action(status="done", due_on=TODAY - datetime.timedelta(days=3))
    assert not c.is_overdue


@time_machine.travel(datetime.datetime(2026, 3, 10, 6, 0, tzinfo=datetime.UTC), tick=False)
def test_reminders_once_a_day_per_owner(world, django_capture_on_commit_callbacks):
    rep = world.users["representative"]
    manager = world.users["manager"]
    _create(world, title="Late one", due_on=TODAY - datetime.timedelta(days=2))
    _create(world, title="Soon one", due_on=TODAY + datetime.timedelta(days=5))
    _create(world, title="Far one", due_on=TODAY + datetime.timedelta(days=30))
    _create(world, title="Done one", due_on=TODAY - datetime.timedelta(days=2), status="done")
    _create(world, title="Manager's", owner=manager, due_on=TODAY)
    with django_capture_on_commit_callbacks(execute=True):  # the emails are queued at commit
        call_command("send_action_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 2
    rep_mail = next(m for m in mail.outbox if m.to == [rep.email])
    assert "Late one" in rep_mail.body and "Soon one" in rep_mail.body
    assert "Far one" not in rep_mail.body and "Done one" not in rep_mail.body
    assert "1 overdue, 1 due this week" in rep_mail.subject
    assert "/actionplan/mine/" in rep_mail.body
    # Same day again: nothing new.
    call_command("send_action_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 2
    assert ActionReminder.objects.count() == 2
    # The next day, another reminder.
    with (
        time_machine.travel(datetime.datetime(2026, 3, 11, 6, 0, tzinfo=datetime.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("send_action_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 4


@time_machine.travel(datetime.datetime(2026, 3, 10, 6, 0, tzinfo=datetime.UTC), tick=False)
def test_no_reminder_after_the_owner_left_the_partnership(world):
    _create(world, due_on=TODAY)
    world.partnership.roles.filter(user=world.users["representative"]).update(ended_on=TODAY)
    services.reminders_send()
    assert mail.outbox == []


def test_list_filters_and_sorts(world, client_for):
    rep = world.users["representative"]
    today = timezone.localdate()
    ActionFactory(
        partnership=world.partnership,
        title="Late",
        owner=rep,
        due_on=today - datetime.timedelta(days=3),
        status="in_progress",
    )
    ActionFactory(
        partnership=world.partnership,
        title="Later",
        owner=rep,
        due_on=today + datetime.timedelta(days=40),
        priority=5,
    )
    ActionFactory(partnership=world.partnership, title="Finished", status="done")
    ActionFactory(partnership=world.other_partnership, title="Not ours")
    client = client_for("observer")
    url = reverse("actionplan:list", kwargs={"slug": world.partnership.slug})
    body = client.get(url).content.decode()
    assert "Late" in body and "Later" in body and "Finished" not in body and "Not ours" not in body
    assert "row--overdue" in body
    body = client.get(url, {"status": "all"}).content.decode()
    assert "Finished" in body
    body = client.get(url, {"due": "overdue"}).content.decode()
    assert "Late" in body and "Later" not in body
    page = client.get(url, {"sort": "priority"}).context["page"]
    assert page.object_list[0].title == "Later"


def test_list_rows_show_owner_group_meeting_and_due_state(world, client_for):
    from commonground.meetings.tests.factories import MeetingFactory
    from commonground.partnerships.models import WorkingGroup

    today = timezone.localdate()
    wg = WorkingGroup.objects.create(partnership=world.partnership, name="Data desk", slug="data")
    meeting = MeetingFactory(partnership=world.partnership, title="March plenary")
    nameless = UserFactory(display_name="", email="nameless@example.org")
    full = ActionFactory(
        partnership=world.partnership,
        title="Map the lenders",
        owner=nameless,
        owner_organisation=world.organisation,
        working_group=wg,
        meeting=meeting,
        due_on=today + datetime.timedelta(days=2),
        status="blocked",
    )
    bare = ActionFactory(partnership=world.partnership, title="Loose end", due_on=None)
    url = reverse("actionplan:list", kwargs={"slug": world.partnership.slug})
    response = client_for("observer").get(url)
    rows = {row.pk: row for row in response.context["page"].object_list}
    row = rows[full.pk]
    assert (row.owner, row.owner_organisation, row.working_group, row.meeting_title) == (
        "nameless@example.org",
        world.organisation.name,
        "Data desk",
        "March plenary",
    )
    assert (row.due_state, row.get_status_display()) == ("soon", "Blocked")
    empty = rows[bare.pk]
    assert (empty.owner, empty.working_group, empty.meeting_title, empty.due_state) == (
        None,
        None,
        None,
        "",
    )
    body = response.content.decode()
    assert f'href="{full.get_absolute_url()}"' in body
    assert "from March plenary" in body and "row--soon" in body and "Data desk" in body
    # Norwegian labels for the status
    nb = client_for("observer").get(url, HTTP_ACCEPT_LANGUAGE="nb")
    assert {r.pk: r for r in nb.context["page"].object_list}[full.pk].status_label != "Blocked"


def test_list_counts_matches_without_joining_what_rows_show(world, client_for):
    """The page count reads the actions table alone: joined to owners, organisations,
    groups and meetings, counting 50,000 actions took half a second."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ActionFactory(partnership=world.partnership, owner=world.users["manager"])
    url = reverse("actionplan:list", kwargs={"slug": world.partnership.slug})
    client = client_for("observer")
    for params in ({}, {"status": "all", "sort": "owner", "priority": "3"}):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, params).status_code == 200
        counts = [
            q["sql"] for q in captured if "COUNT(" in q["sql"] and "actionplan_action" in q["sql"]
        ]
        assert counts and not [sql for sql in counts if "JOIN" in sql], counts


def test_list_and_board_queries_do_not_grow(world, client_for):
    from commonground.meetings.tests.factories import MeetingFactory
    from commonground.partnerships.models import WorkingGroup

    client = client_for("manager")
    wg = WorkingGroup.objects.create(partnership=world.partnership, name="Data", slug="data")
    meeting = MeetingFactory(partnership=world.partnership)
    ActionFactory(partnership=world.partnership, owner=world.users["manager"])

    def grow():
        for status in ("not_started", "in_progress", "blocked", "done", "dropped"):
            owner = UserFactory(organisation=world.organisation)
            ActionFactory(
                partnership=world.partnership,
                owner=owner,
                owner_organisation=world.organisation,
                working_group=wg,
                meeting=meeting,
                status=status,
                due_on=timezone.localdate(),
            )

    for name in ("actionplan:list", "actionplan:board"):
        url = reverse(name, kwargs={"slug": world.partnership.slug})

        def fetch(url: str = url) -> object:
            return client.get(url, {"status": "all"})

        assert_queries_do_not_grow(fetch, grow)
    mine = reverse("actionplan_global:mine")
    assert_queries_do_not_grow(
        lambda: client.get(mine),
        lambda: ActionFactory(
            partnership=world.partnership, owner=world.users["manager"], meeting=meeting
        ),
    )


def test_board_moves_a_card_without_js(world, client_for):
    action = ActionFactory(partnership=world.partnership)
    board = reverse("actionplan:board", kwargs={"slug": world.partnership.slug})
    url = reverse("actionplan:status", kwargs={"slug": world.partnership.slug, "pk": action.pk})
    response = client_for("representative").post(url, {"status": "blocked", "next": board})
    assert response.status_code == 302 and response["Location"] == board
    action.refresh_from_db()
    assert action.status == "blocked"


def test_board_cards_link_to_their_action_and_select_their_status(world, client_for):
    todo = ActionFactory(
        partnership=world.partnership, status="not_started", title="Sort <b>bins</b>"
    )
    blocked = ActionFactory(partnership=world.partnership, status="blocked")
    slug = world.partnership.slug
    html = (
        client_for("representative")
        .get(reverse("actionplan:board", kwargs={"slug": slug}))
        .content.decode()
    )
    for action in (todo, blocked):
        detail = reverse("actionplan:detail", kwargs={"slug": slug, "pk": action.pk})
        status = reverse("actionplan:status", kwargs={"slug": slug, "pk": action.pk})
        assert f'<a href="{detail}"><strong>' in html
        assert f'action="{status}"' in html
        menu = html.split(f'id="st-{action.pk}"', 1)[1].split("</select>", 1)[0]
        assert menu.count("<option") == 5
        assert menu.count(" selected") == 1
        assert f'value="{action.status}" selected' in menu
    assert "Sort &lt;b&gt;bins&lt;/b&gt;" in html


def test_form_keeps_input_on_error(world, client_for):
    url = reverse("actionplan:create", kwargs={"slug": world.partnership.slug})
    response = client_for("representative").post(
        url,
        {
            "title": "Keep me",
            "priority": 3,
            "status": "not_started",
            "start_on": "2026-05-02",
            "due_on": "2026-05-01",
        },
    )
    assert response.status_code == 400
    assert b"Keep me" in response.content
    assert b"cannot be before the start date" in response.content


def test_exports(world, client_for):
    ActionFactory(
        partnership=world.partnership, title="=cmd()", owner=world.users["representative"]
    )
    ActionFactory(partnership=world.partnership, title="Normal")
    client = client_for("observer")
    slug = {"slug": world.partnership.slug}
    response = client.get(reverse("actionplan:export_csv", kwargs=slug))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)  # the CSV export streams
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][0] == "Title"
    titles = {r[0] for r in rows[1:]}
    assert titles == {"'=cmd()", "Normal"}
    response = client.get(reverse("actionplan:export_xlsx", kwargs=slug))
    assert response.status_code == 200 and response.streaming  # streamed from a temporary file
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert ws["A1"].value == "Title"
    assert {ws.cell(row=r, column=1).value for r in (2, 3)} == {"'=cmd()", "Normal"}


def test_my_actions_across_partnerships(world, client_for):
    from commonground.partnerships.tests.factories import RoleFactory

    rep = world.users["representative"]
    RoleFactory(partnership=world.other_partnership, user=rep, kind="wg_member")
    ActionFactory(partnership=world.partnership, title="Here", owner=rep)
    ActionFactory(partnership=world.other_partnership, title="There", owner=rep)
    ActionFactory(
        partnership=world.partnership, title="Someone else's", owner=world.users["manager"]
    )
    body = client_for("representative").get(reverse("actionplan_global:mine")).content.decode()
    assert "Here" in body and "There" in body and "Someone else" not in body
    # After leaving a partnership its actions disappear from the list.
    world.other_partnership.roles.filter(user=rep).update(ended_on=timezone.localdate())
    body = client_for("representative").get(reverse("actionplan_global:mine")).content.decode()
    assert "There" not in body


def test_api_create_and_status(world, client_for):
    import json

    client = client_for("representative")
    response = client.post(
        f"/api/actionplan/{world.partnership.slug}/",
        data=json.dumps({"title": "From API", "priority": 2}),
        content_type="application/json",
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    response = client.post(
        f"/api/actionplan/{world.partnership.slug}/{pk}/status",
        data=json.dumps({"status": "done"}),
        content_type="application/json",
    )
    assert response.json()["status"] == "done"
    response = client.post(
        f"/api/actionplan/{world.partnership.slug}/",
        data=json.dumps({"title": "Bad", "priority": 9}),
        content_type="application/json",
    )
    assert response.status_code == 400
