"""Action priority on the implementation plan's scale (1 = low … 5 = high): the migration
that turned the old values round, the labels, and "highest first" wherever actions are sorted."""

from __future__ import annotations

import csv
import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from commonground.actionplan import selectors
from commonground.actionplan.models import Action
from commonground.actionplan.tests.factories import ActionFactory

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("commonground.actionplan.migrations.0005_priority_low_to_high")


def test_the_migration_turns_old_priorities_round():
    """Stored before 0005: 1 was the highest. After it: 5 is. new = 6 - old."""
    old = {}
    for value in (1, 2, 3, 4, 5):
        old[ActionFactory(title=f"old {value}", priority=value).pk] = value
    MIGRATION.turn_priority_round(apps, None)
    now = dict(Action.objects.values_list("pk", "priority"))
    assert {old[pk]: now[pk] for pk in old} == {1: 5, 2: 4, 3: 3, 4: 2, 5: 1}
    # Migrating back applies the same mapping and restores the old values.
    MIGRATION.turn_priority_round(apps, None)
    assert dict(Action.objects.values_list("pk", "priority")) == old


def _three(world):
    """Three open actions due the same day: low (1), medium (3) and high (5)."""
    due = timezone.localdate() + datetime.timedelta(days=20)
    made = {}
    for title, priority in (("Low one", 1), ("High one", 5), ("Medium one", 3)):
        made[title] = ActionFactory(
            partnership=world.partnership,
            title=title,
            priority=priority,
            due_on=due,
            owner=world.users["representative"],
        )
    return made


HIGHEST_FIRST = ["High one", "Medium one", "Low one"]


def test_every_sort_by_due_date_puts_the_highest_priority_first(world):
    _three(world)
    base = Action.objects.filter(partnership=world.partnership)
    for sort in ("due", "-due", "priority", None):
        titles = [a.title for a in selectors.sorted_actions(base, sort)]
        assert titles == HIGHEST_FIRST, sort
    assert [a.title for a in selectors.sorted_actions(base, "-priority")] == HIGHEST_FIRST[::-1]
    assert [a.title for a in Action.objects.filter(partnership=world.partnership)] == HIGHEST_FIRST


def test_list_board_api_and_exports_show_the_highest_priority_first(world, client_for):
    _three(world)
    client = client_for("representative")
    slug = {"slug": world.partnership.slug}
    page = client.get(reverse("actionplan:list", kwargs=slug)).context["page"]
    assert [r.title for r in page.object_list] == HIGHEST_FIRST
    page = client.get(reverse("actionplan:list", kwargs=slug), {"sort": "priority"}).context["page"]
    assert [r.title for r in page.object_list] == HIGHEST_FIRST
    body = client.get(reverse("actionplan:list", kwargs=slug)).content.decode()
    assert "5 · high" in body and "1 · low" in body
    columns = client.get(reverse("actionplan:board", kwargs=slug)).context["columns"]
    not_started = next(c for c in columns if c["status"] == "not_started")
    assert [a.title for a in not_started["actions"]] == HIGHEST_FIRST
    api = client.get(f"/api/actionplan/{world.partnership.slug}/").json()
    assert [a["title"] for a in api["items"]] == HIGHEST_FIRST
    assert [a["priority"] for a in api["items"]] == [5, 3, 1]
    response = client.get(reverse("actionplan:export_csv", kwargs=slug))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][2] == "Priority (1 = low, 5 = high)"
    assert [(r[0], r[2]) for r in rows[1:]] == [
        ("High one", "5"),
        ("Medium one", "3"),
        ("Low one", "1"),
    ]
    response = client.get(reverse("actionplan:export_xlsx", kwargs=slug))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == HIGHEST_FIRST
    mine = client.get(reverse("actionplan_global:mine")).context["page"]
    assert [a.title for a in mine.object_list] == HIGHEST_FIRST


def test_priority_is_shown_and_filtered_with_its_label(world, client_for):
    made = _three(world)
    client = client_for("representative")
    high = made["High one"]
    body = client.get(high.get_absolute_url()).content.decode()
    assert "Priority 5 · high" in body
    url = reverse("actionplan:list", kwargs={"slug": world.partnership.slug})
    response = client.get(url, {"priority": "5"})
    assert [r.title for r in response.context["page"].object_list] == ["High one"]
    # The filter menu lists the scale highest first, with its words.
    assert response.context["priorities"][0] == (5, "5 · high")
    assert response.context["priorities"][-1] == (1, "1 · low")
