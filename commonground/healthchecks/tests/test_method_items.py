"""The method's health check: the secretariat-mandate item with its baseline, the
baseline response rate, the yearly reminder, follow-up interview notes and the
baselines on the trend chart."""

from __future__ import annotations

import datetime
import importlib
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse

from commonground.core.models import AuditEvent
from commonground.decisions.models import Notification
from commonground.healthchecks import selectors, services
from commonground.healthchecks.models import FollowUpNote, NextRoundReminder, SurveyItem
from commonground.healthchecks.tests.factories import add_responses, open_round

pytestmark = pytest.mark.django_db

FIVE = [{"secretariat_mandate": s, "trust": 4} for s in (3, 4, 4, 5, 5)]


def published(world, *, opens_on=None, answers=FIVE, period="2026"):
    manager = world.users["manager"]
    kwargs = {"period": period, "title": f"Health check {period}"}
    if opens_on is not None:
        kwargs.update(opens_on=opens_on, closes_on=opens_on + datetime.timedelta(days=21))
    rnd, _t = open_round(world.partnership, manager, **kwargs)
    add_responses(rnd, answers)
    return services.round_publish(actor=manager, round=rnd)


# --- the secretariat-mandate item ------------------------------------------------------


def test_default_set_asks_the_secretariat_mandate_item_against_the_3_9_baseline(world):
    services.items_ensure_default(actor=world.users["manager"], partnership=world.partnership)
    items = dict(
        SurveyItem.objects.filter(partnership=world.partnership).values_list(
            "key", "reference_mean"
        )
    )
    assert items["secretariat_mandate"] == Decimal("3.9")
    assert "power_control" not in items  # the old wording is not the source's question
    item = SurveyItem.objects.get(partnership=world.partnership, key="secretariat_mandate")
    assert "secretariat" in item.text and "mandate" in item.text


def test_results_compare_the_secretariat_item_with_its_baseline(world, client_for):
    rnd = published(world)
    result = next(i for i in selectors.round_results(rnd).scored if i.key == "secretariat_mandate")
    assert (result.mean, result.reference) == (Decimal("4.20"), Decimal("3.9"))
    page = client_for("observer").get(rnd.get_absolute_url()).content.decode()
    chart = json.loads(page.split('id="hc-means-data" type="application/json">')[1].split("<")[0])
    at = chart["labels"].index(result.text)
    assert (chart["current"][at], chart["reference"][at]) == ("4.20", "3.9")


def test_migration_moves_the_3_9_baseline_to_the_secretariat_item(world):
    p = world.partnership
    SurveyItem.objects.create(
        partnership=p,
        key="power_control",
        section="health",
        kind="agreement",
        text="Power and control are shared in a way that fits what each partner brings.",
        reference_mean=Decimal("3.9"),
        position=50,
    )
    migration = importlib.import_module(
        "commonground.healthchecks.migrations.0006_secretariat_mandate_item"
    )
    migration.forwards(apps, None)
    migration.forwards(apps, None)  # twice: nothing added twice
    old = SurveyItem.objects.get(partnership=p, key="power_control")
    new = SurveyItem.objects.get(partnership=p, key="secretariat_mandate")
    assert (old.reference_mean, old.is_active) == (None, False)
    assert (new.reference_mean, new.is_active, new.position) == (Decimal("3.9"), True, 50)


# --- the baseline response rate -----------------------------------------------------------


def test_baseline_response_rate_shown_beside_each_rounds_rate(world, client_for):
    rnd = published(world)
    assert selectors.reference_rate(world.partnership) == {
        "answered": 25,
        "invited": 32,
        "percent": 78,
    }
    baseline = "Baseline response rate: 78% (25 of 32)."
    assert baseline in client_for("observer").get(rnd.get_absolute_url()).content.decode()
    assert baseline in client_for("manager").get(rnd.get_absolute_url()).content.decode()
    listing = client_for("observer").get(
        reverse("healthchecks:round_list", kwargs={"slug": world.partnership.slug})
    )
    assert "baseline 78%" in listing.content.decode()
    open_one, _t = open_round(world.partnership, world.users["manager"], title="Open")
    rate = client_for("manager").get(
        reverse(
            "healthchecks:round_rate", kwargs={"slug": world.partnership.slug, "pk": open_one.pk}
        )
    )
    assert baseline in rate.content.decode()
    report = render_to_string(
        "healthchecks/report_pdf.html",
        {
            "results": selectors.round_results(rnd),
            "round": rnd,
            "partnership": world.partnership,
            "reference_rate": selectors.reference_rate(world.partnership),
        },
    )
    assert baseline in report


def test_managers_set_or_hide_the_baseline_response_rate(world, client_for):
    url = reverse("healthchecks:reference_rate", kwargs={"slug": world.partnership.slug})
    manager = client_for("manager")
    manager.post(url, {"answered": "20", "invited": "25"})
    assert selectors.reference_rate(world.partnership) == {
        "answered": 20,
        "invited": 25,
        "percent": 80,
    }
    assert AuditEvent.objects.filter(verb="healthcheck.reference_rate").count() == 1
    manager.post(url, {"answered": "30", "invited": "25"})  # refused
    assert selectors.reference_rate(world.partnership)["answered"] == 20
    manager.post(url, {"answered": "0", "invited": "0"})
    assert selectors.reference_rate(world.partnership) is None
    with pytest.raises(ValidationError):
        services.reference_rate_set(
            actor=world.users["manager"], partnership=world.partnership, answered=3, invited=2
        )


# --- the yearly reminder ------------------------------------------------------------------


def test_yearly_reminder_once_when_a_year_has_passed_and_no_round_is_open(world, client_for):
    opened = datetime.date(2025, 3, 1)
    published(world, opens_on=opened, period="2025")
    due = datetime.date(2026, 3, 1)
    assert selectors.next_round(world.partnership).due_on == due
    assert services.next_round_reminders_send(today=due - datetime.timedelta(days=1)) == 0
    assert services.next_round_reminders_send(today=due) == 1
    notes = Notification.objects.filter(kind="healthcheck.round_due")
    assert {n.user_id for n in notes} == {u.pk for u in services.managers_of(world.partnership)}
    assert world.users["manager"].pk in {n.user_id for n in notes}
    assert world.users["observer"].pk not in {n.user_id for n in notes}
    assert notes.first().title == (
        "The yearly health check is due: the last round opened on 1 Mar 2025. Open the next round."
    )
    # idempotent: the same day, later days, and the command
    assert services.next_round_reminders_send(today=due) == 0
    assert services.next_round_reminders_send(today=due + datetime.timedelta(days=40)) == 0
    call_command("send_health_check_reminders")
    assert NextRoundReminder.objects.count() == 1
    assert notes.count() == len(services.managers_of(world.partnership))
    page = client_for("observer").get(
        reverse("healthchecks:round_list", kwargs={"slug": world.partnership.slug})
    )
    assert "Next round due by" in page.content.decode()


def test_no_reminder_while_a_round_is_open_or_before_any_round(world):
    assert selectors.next_round(world.partnership) is None
    assert services.next_round_reminders_send(today=datetime.date(2030, 1, 1)) == 0
    opened = datetime.date(2025, 3, 1)
    open_round(
        world.partnership,
        world.users["manager"],
        opens_on=opened,
        closes_on=datetime.date(2027, 1, 1),
    )
    assert services.next_round_reminders_send(today=datetime.date(2026, 6, 1)) == 0
    assert not Notification.objects.filter(kind="healthcheck.round_due").exists()


def test_a_working_group_round_does_not_count_as_the_yearly_round(world):
    from commonground.partnerships.models import WorkingGroup

    published(world, opens_on=datetime.date(2025, 3, 1), period="2025")
    group = WorkingGroup.objects.create(partnership=world.partnership, name="Hubs", slug="hubs")
    group.members.add(world.users["observer"])
    open_round(
        world.partnership,
        world.users["manager"],
        working_group=group,
        opens_on=datetime.date(2025, 9, 1),
        closes_on=datetime.date(2027, 1, 1),
    )
    assert selectors.next_round(world.partnership).due_on == datetime.date(2026, 3, 1)
    assert services.next_round_reminders_send(today=datetime.date(2026, 3, 2)) == 1
    assert selectors.add_months(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)


# --- follow-up interview notes ---------------------------------------------------------------


def test_interview_notes_after_the_close_for_members_once_published(world, client_for):
    manager = world.users["manager"]
    rnd, _t = open_round(world.partnership, manager)
    add_url = reverse(
        "healthchecks:note_add", kwargs={"slug": world.partnership.slug, "pk": rnd.pk}
    )
    client_for("manager").post(add_url, {"text": "Too early."})
    assert not FollowUpNote.objects.exists()  # not while the round is open
    with pytest.raises(ValidationError):
        services.note_add(actor=manager, round=rnd, text="Too early.")
    add_responses(rnd, FIVE)
    rnd = services.round_close(actor=manager, round=rnd)
    client_for("manager").post(
        add_url, {"text": "Small partners want shorter meetings.", "held_on": "2026-05-02"}
    )
    note = FollowUpNote.objects.get()
    assert note.round == rnd and note.held_on == datetime.date(2026, 5, 2)
    assert AuditEvent.objects.filter(verb="healthcheck.note_add").count() == 1
    text = "Small partners want shorter meetings."
    assert text in client_for("manager").get(rnd.get_absolute_url()).content.decode()
    assert text not in client_for("observer").get(rnd.get_absolute_url()).content.decode()
    services.round_publish(actor=manager, round=rnd)
    assert text in client_for("observer").get(rnd.get_absolute_url()).content.decode()
    client_for("manager").post(
        reverse(
            "healthchecks:note_delete",
            kwargs={"slug": world.partnership.slug, "pk": rnd.pk, "note_pk": note.pk},
        )
    )
    assert not FollowUpNote.objects.exists()
    assert AuditEvent.objects.filter(verb="healthcheck.note_delete").count() == 1


def test_interview_notes_are_never_linked_to_a_respondent():
    related = {
        f.related_model._meta.label
        for f in FollowUpNote._meta.get_fields()
        if f.is_relation and f.related_model is not None
    }
    assert related == {"healthchecks.Round", "accounts.User"}  # the round, and its author
    for name in ("Invitation", "Response", "Answer", "SealedResponse"):
        assert f"healthchecks.{name}" not in related


# --- the baseline on the trend chart ---------------------------------------------------------


def test_trend_chart_data_carries_each_items_baseline(world, client_for):
    published(world, opens_on=datetime.date(2025, 3, 1), period="2025")
    published(world, opens_on=datetime.date(2026, 3, 1), period="2026")
    data = selectors.trend(world.partnership)
    baselines = {s["key"]: s["baseline"] for s in data["series"]}
    assert baselines == {"secretariat_mandate": "3.9", "trust": "3.5"}
    page = client_for("observer").get(
        reverse("healthchecks:round_list", kwargs={"slug": world.partnership.slug})
    )
    chart = json.loads(
        page.content.decode().split('id="hc-trend-data" type="application/json">')[1].split("<")[0]
    )
    assert {s["key"]: s["baseline"] for s in chart["series"]} == baselines
