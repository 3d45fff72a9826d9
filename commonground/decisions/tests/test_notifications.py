"""Notifications: stored for everyone, emailed as each person prefers."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from commonground.accounts.tests.factories import UserFactory
from commonground.decisions.models import Notification, NotificationPreference
from commonground.decisions.notifications import notify, send_digests

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    prefs = {"now": "immediately", "day": "daily", "week": "weekly", "off": "off"}
    users: dict = {}
    for key, freq in prefs.items():
        users[key] = UserFactory(email=f"{key}@example.org")
        NotificationPreference.objects.create(user=users[key], frequency=freq)
    users["default"] = UserFactory(email="default@example.org")  # no preference saved
    return users


def test_notify_stores_one_row_per_person_and_emails_the_immediate_ones(
    world, people, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(
            users=people.values(),
            partnership=world.partnership,
            kind="proposal.new",
            title="New proposal: buy a container",
            url="/p/matrix/decisions/1/",
        )
    assert len(rows) == 5 and Notification.objects.count() == 5
    assert [m.to for m in mailoutbox] == [["now@example.org"]]
    assert mailoutbox[0].subject == "New proposal: buy a container"
    assert "http://" in mailoutbox[0].body and "/p/matrix/decisions/1/" in mailoutbox[0].body
    assert Notification.objects.get(user=people["now"]).emailed_at is not None


def test_digests_daily_weekly_and_off(
    world, people, mailoutbox, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        for title in ("First", "Second"):
            notify(users=people.values(), partnership=world.partnership, kind="k", title=title)
    mailoutbox.clear()
    # Daily, weekly and the default (daily) each get one digest with both items; "off" none.
    # (Emails are queued when the transaction commits.)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 3
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == ["day@example.org", "default@example.org", "week@example.org"]
    daily = next(m for m in mailoutbox if m.to == ["day@example.org"])
    assert "First" in daily.body and "Second" in daily.body and "daily" in daily.subject
    # Running again sends nothing: everything is marked.
    mailoutbox.clear()
    assert send_digests() == 0
    # Next day: a new item. The daily people get it; the weekly person waits a week.
    with time_machine.travel(start + datetime.timedelta(days=1)):
        notify(users=people.values(), partnership=world.partnership, kind="k", title="Third")
        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests() == 2
        assert sorted(m.to[0] for m in mailoutbox) == ["day@example.org", "default@example.org"]
    mailoutbox.clear()
    with time_machine.travel(start + datetime.timedelta(days=7)):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_digests")
        assert [m.to[0] for m in mailoutbox] == ["week@example.org"]
        assert "Third" in mailoutbox[0].body
    # The "off" person still has the items in their list, never by email.
    assert Notification.objects.filter(user=people["off"]).count() == 3
    assert not any(m.to == ["off@example.org"] for m in mailoutbox)


def test_notification_pages(world, client_for):
    manager = world.users["manager"]
    n = Notification.objects.create(
        user=manager, partnership=world.partnership, kind="k", title="Vote now", url="/p/matrix/"
    )
    Notification.objects.create(user=world.users["representative"], kind="k", title="Not yours")
    client = client_for("manager")
    page = client.get("/decisions/notifications/")
    assert b"Vote now" in page.content and b"Not yours" not in page.content
    response = client.post(f"/decisions/notifications/{n.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/p/matrix/"
    n.refresh_from_db()
    assert n.read_at is not None
    # Someone else's notification is not found.
    other = Notification.objects.get(title="Not yours")
    assert client.post(f"/decisions/notifications/{other.pk}/open/").status_code == 404
    # Preference form.
    response = client.post("/decisions/notifications/preferences/", {"frequency": "weekly"})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=manager).frequency == "weekly"


def test_open_refuses_links_to_other_sites(world, client_for):
    n = Notification.objects.create(
        user=world.users["manager"], kind="k", title="x", url="https://evil.example/"
    )
    response = client_for("manager").post(f"/decisions/notifications/{n.pk}/open/")
    assert response["Location"] == "/decisions/notifications/"


def test_a_generated_title_is_written_in_each_persons_language(world):
    from django.utils import translation
    from django.utils.translation import gettext_noop as key  # no new msgid here

    from commonground.core.i18n import Msg

    norwegian = UserFactory(email="nb@example.org", language="nb")
    english = UserFactory(email="en@example.org", language="en")
    with translation.override("en"):  # the actor's page is in English
        notify(
            users=[norwegian, english],
            partnership=world.partnership,
            kind="proposal.new",
            title=Msg(key("New proposal: %(title)s"), title="A second hub"),
        )
    titles = dict(Notification.objects.values_list("user__email", "title"))
    assert titles == {
        "nb@example.org": "Nytt forslag: A second hub",
        "en@example.org": "New proposal: A second hub",
    }
