"""Preparation tools: versions with history, validation, permissions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from commonground.systemmap import services
from commonground.systemmap.models import PrepToolVersion

pytestmark = pytest.mark.django_db


def test_every_save_is_a_new_version_with_who_and_when(world):
    for rating in (3, 5):
        services.prep_tool_save(
            actor=world.user("manager"),
            partnership=world.partnership,
            tool="self_rating",
            content={"rating": rating, "next_step": "Call the waste company"},
        )
    versions = list(PrepToolVersion.objects.order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert [v.content["rating"] for v in versions] == [3, 5]
    assert versions[1].created_by == world.user("manager") and versions[1].created_at


@pytest.mark.parametrize(
    ("tool", "content"),
    [
        ("self_rating", {"rating": 11, "next_step": "x"}),
        ("self_rating", {"rating": "high", "next_step": "x"}),
        ("self_rating", {"rating": 4, "next_step": " "}),
        ("benefits", {"benefits": "", "drawbacks": ""}),
        ("nonsense", {"x": "y"}),
    ],
)
def test_bad_content_is_refused(world, tool, content):
    with pytest.raises(ValidationError):
        services.prep_tool_save(
            actor=world.user("manager"), partnership=world.partnership, tool=tool, content=content
        )
    assert not PrepToolVersion.objects.exists()


def test_pages_save_versions_and_show_history(world, client_for):
    client = client_for("representative")
    url = reverse(
        "systemmap:prepare_tool", kwargs={"slug": "matrix", "tool": "stop_start_continue"}
    )
    response = client.post(
        url, {"stop": "Meeting without agenda\n\n", "continue": "Breakfasts", "note": "first"}
    )
    assert response.status_code == 302
    v = PrepToolVersion.objects.get()
    assert v.content == {
        "stop": ["Meeting without agenda"],
        "start": [],
        "continue": ["Breakfasts"],
    }
    page = client.get(url)
    assert "Meeting without agenda" in page.content.decode()
    assert page.context["form"]["continue_"].value() == "Breakfasts"
    overview = client.get(reverse("systemmap:prepare", kwargs={"slug": "matrix"}))
    assert "Breakfasts" in overview.content.decode()
    assert "Prepare · Clarify objectives" in overview.content.decode()


def test_form_errors_keep_input(world, client_for):
    url = reverse("systemmap:prepare_tool", kwargs={"slug": "matrix", "tool": "self_rating"})
    response = client_for("manager").post(url, {"rating": "12", "reasoning": "Honest view"})
    assert response.status_code == 400
    assert "Honest view" in response.content.decode()


def test_observer_reads_but_cannot_save_and_unknown_tools_are_404(world, client_for):
    observer = client_for("observer")
    url = reverse("systemmap:prepare_tool", kwargs={"slug": "matrix", "tool": "benefits"})
    assert observer.get(url).status_code == 200
    assert observer.get(url).context["form"] is None
    assert observer.post(url, {"benefits": "x"}).status_code == 403
    bad = reverse("systemmap:prepare_tool", kwargs={"slug": "matrix", "tool": "nope"})
    assert client_for("manager").get(bad).status_code == 404


def test_api_lists_versions(world, client_for):
    services.prep_tool_save(
        actor=world.user("manager"),
        partnership=world.partnership,
        tool="resources",
        content={"resources": "Rooms", "limitations": "No money"},
    )
    data = client_for("observer").get("/api/systemmap/matrix/preparation").json()
    assert data["items"][0]["content"] == {"resources": ["Rooms"], "limitations": ["No money"]}
    assert data["items"][0]["saved_by"] == str(world.user("manager"))


def test_home_panel_shows_readiness(world, client_for):
    services.prep_tool_save(
        actor=world.user("manager"),
        partnership=world.partnership,
        tool="self_rating",
        content={"rating": 6, "next_step": "Invite the tenants"},
    )
    from commonground.core.testing import home_with_panels

    body = home_with_panels(client_for("observer"), world.partnership)
    assert "The system around us" in body and "6/10" in body and "Invite the tenants" in body


@pytest.mark.parametrize("tool", ["obstacles", "benefit_kinds", "when_to_partner", "strengths"])
def test_a_list_tool_keeps_the_chosen_items_and_a_note(world, client_for, tool):
    from commonground.systemmap.preplists import LISTS

    codes = [code for code, _label in LISTS[tool]][:2]
    client = client_for("representative")
    url = reverse("systemmap:prepare_tool", kwargs={"slug": "matrix", "tool": tool})
    response = client.post(url, {"chosen": list(reversed(codes)), "comment": " Ask the board "})
    assert response.status_code == 302
    v = PrepToolVersion.objects.get(tool=tool)
    assert v.content == {"chosen": codes, "comment": "Ask the board"}
    page = client.get(url)
    assert escape(str(LISTS[tool][0][1])) in page.content.decode()
    overview = client.get(reverse("systemmap:prepare", kwargs={"slug": "matrix"}))
    assert escape(str(LISTS[tool][1][1])) in overview.content.decode()


@pytest.mark.parametrize(
    "content",
    [{"chosen": ["not-on-the-list"]}, {"chosen": [], "comment": "  "}, {"chosen": "authority"}],
)
def test_a_list_tool_refuses_unknown_items_and_empty_saves(world, content):
    with pytest.raises(ValidationError):
        services.prep_tool_save(
            actor=world.user("manager"),
            partnership=world.partnership,
            tool="obstacles",
            content=content,
        )
    assert not PrepToolVersion.objects.exists()


def test_a_list_tool_cannot_be_saved_by_someone_who_may_only_read(world, client_for):
    url = reverse("systemmap:prepare_tool", kwargs={"slug": "matrix", "tool": "obstacles"})
    response = client_for("observer").post(url, {"chosen": ["authority"]})
    assert response.status_code == 403
    assert not PrepToolVersion.objects.exists()


def _rate(world, rating):
    return services.prep_tool_save(
        actor=world.user("manager"),
        partnership=world.partnership,
        tool="self_rating",
        content={"rating": rating, "next_step": "Invite the tenants"},
    )


def test_the_rating_means_10_is_the_problem_solved_and_earlier_ratings_stay(world, client_for):
    from commonground.systemmap.selectors import rating_trend

    for rating in (3, 4, 6):
        _rate(world, rating)
    trend = rating_trend(world.partnership)
    assert trend["ratings"] == [3, 4, 6] and trend["change"] == 3 and trend["due"] is None
    url = reverse("systemmap:prepare_tool", kwargs={"slug": "matrix", "tool": "self_rating"})
    assert "10 means the problem is solved" in client_for("manager").get(url).content.decode()
    page = client_for("observer").get(reverse("systemmap:prepare", kwargs={"slug": "matrix"}))
    assert "3 → 4 → 6" in page.content.decode()
    assert "Time to rate again" not in page.content.decode()


def test_a_new_phase_asks_for_a_new_rating(world, client_for):
    from commonground.core.testing import home_with_panels

    version = _rate(world, 4)
    assert version.content["phase"] == world.partnership.phase
    body = home_with_panels(client_for("manager"), world.partnership)
    assert "Time to rate again" not in body
    world.partnership.phase = "identify" if world.partnership.phase != "identify" else "agree"
    world.partnership.save()
    body = home_with_panels(client_for("manager"), world.partnership)
    assert "moved to a new phase since the last self-rating" in body and "Rate again" in body
    _rate(world, 5)  # rated in the new phase: no more prompt
    assert "Time to rate again" not in home_with_panels(client_for("manager"), world.partnership)


@pytest.mark.parametrize(("days", "due"), [(30, None), (100, "age")])
def test_an_old_rating_asks_again_after_three_months(world, days, due):
    import datetime

    from django.utils import timezone

    from commonground.systemmap.selectors import rating_trend

    _rate(world, 4)
    PrepToolVersion.objects.update(created_at=timezone.now() - datetime.timedelta(days=days))
    assert rating_trend(world.partnership)["due"] == due


def test_a_rating_saved_before_phases_were_recorded_is_asked_again_only_by_age(world):
    from commonground.systemmap.selectors import rating_trend

    v = _rate(world, 4)
    v.content.pop("phase")
    v.save()
    world.partnership.phase = "assess"
    world.partnership.save()
    assert rating_trend(world.partnership)["due"] is None
