"""Measurements refused clearly, target revisions, reviews, CSV and API imports."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from commonground.core.models import AuditEvent
from commonground.core.testing import assert_queries_do_not_grow
from commonground.results import selectors, services
from commonground.results.models import Measurement, TargetRevision
from commonground.results.tests.factories import IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ind(world):
    return IndicatorFactory(partnership=world.partnership, name="Rehomed", unit="%")


def test_measurement_refusals(world, ind):
    actor = world.users["representative"]
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.measurement_record(actor=actor, indicator=ind, measured_on=today, observation="x")
    assert "value" in exc.value.message_dict and "observation" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.measurement_record(
            actor=actor, indicator=ind, measured_on=today, value=D(1), unit="t"
        )
    assert "unit" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.measurement_record(
            actor=actor,
            indicator=ind,
            measured_on=ind.baseline_date - datetime.timedelta(days=1),
            value=D(1),
        )
    assert "baseline" in exc.value.message_dict["measured_on"][0]
    qual = IndicatorFactory(partnership=world.partnership, kind="qualitative", unit="")
    with pytest.raises(ValidationError):
        services.measurement_record(actor=actor, indicator=qual, measured_on=today, value=D(3))
    m = services.measurement_record(
        actor=actor, indicator=qual, measured_on=today, observation="Residents ran it", rating=4
    )
    assert m.rating == 4
    assert Measurement.objects.count() == 1


def test_target_revision_keeps_history_and_shows_on_chart(world, ind):
    manager = world.users["manager"]
    review = services.review_record(
        actor=manager,
        partnership=world.partnership,
        held_on=timezone.localdate(),
        title="Six-month review",
        what_worked="Rehoming beat the target",
        revisions=[{"indicator": ind, "new_target_value": D("150"), "reason": "Too easy"}],
    )
    ind.refresh_from_db()
    assert ind.target_value == D("150")
    rev = TargetRevision.objects.get()
    assert (rev.old_target_value, rev.new_target_value, rev.review) == (D("100"), D("150"), review)
    chart = selectors.chart_data(ind, [])
    assert chart["revisions"][0]["label"] == "100.00 → 150.00"
    assert [t[1] for t in chart["target"]] == ["100.00", "100.00", "150.00", "150.00"]
    assert AuditEvent.objects.filter(verb="indicator.target_revise").exists()
    with pytest.raises(ValidationError):
        services.target_revise(
            actor=manager, indicator=ind, new_target_value=D("150"), reason="same"
        )
    with pytest.raises(ValidationError):
        services.target_revise(actor=manager, indicator=ind, new_target_value=D("200"), reason=" ")


def test_target_of_a_measured_indicator_changes_only_by_revision(world, ind):
    MeasurementFactory(indicator=ind)
    with pytest.raises(ValidationError):
        services.indicator_update(actor=world.users["manager"], indicator=ind, target_value=D(5))


def test_csv_dry_run_saves_nothing_until_clean(world, ind, client_for):
    today = timezone.localdate().isoformat()
    early = (ind.baseline_date - datetime.timedelta(days=3)).isoformat()
    bad = f"indicator,date,value,unit\nRehomed,{today},12.5,%\nRehomed,{early},3,%\nNope,{today},1,\n{ind.pk},{today},abc,%\n"
    result = services.measurements_parse_csv(partnership=world.partnership, text=bad)
    assert not result.is_clean and result.error_count == 3
    with pytest.raises(ValidationError):
        services.measurements_import_csv(actor=None, partnership=world.partnership, text=bad)
    assert Measurement.objects.count() == 0

    client = client_for("representative")
    url = reverse("results:measurement_import", kwargs={"slug": world.partnership.slug})
    good = (
        f'indicator,date,value,unit,note\nRehomed,{today},"12,5",%,first\n{ind.pk},{today},13,%,\n'
    )
    response = client.post(url, {"csv_text": good})
    assert response.status_code == 200 and b"ready to import" in response.content
    assert Measurement.objects.count() == 0
    response = client.post(url, {"csv_text": good, "confirm": "1"})
    assert response.status_code == 302
    assert sorted(Measurement.objects.values_list("value", flat=True)) == [D("12.5"), D("13")]  # type: ignore[type-var]


def test_api_push_and_refusal(world, ind, client_for):
    client = client_for("representative")
    url = reverse(
        "api:results_measurement_create", kwargs={"slug": world.partnership.slug, "pk": ind.pk}
    )
    today = timezone.localdate().isoformat()
    ok = client.post(
        url,
        json.dumps({"measured_on": today, "value": "7.5", "unit": "%"}),
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["value"] in ("7.5", "7.50")
    bad = client.post(
        url,
        json.dumps({"measured_on": today, "value": "7.5", "unit": "t"}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "unit" in bad.json()["errors"]
    listed = client.get(reverse("api:results_indicators", kwargs={"slug": world.partnership.slug}))
    assert listed.json()["items"][0]["status"] in {"on_track", "at_risk", "off_track", "achieved"}


def test_failing_measurement_form_keeps_what_was_typed(world, ind, client_for):
    url = reverse("results:measurement_add", kwargs={"slug": world.partnership.slug, "pk": ind.pk})
    early = (ind.baseline_date - datetime.timedelta(days=3)).isoformat()
    response = client_for("representative").post(
        url, {"measured_on": early, "value": "42.5", "note": "kept note"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="42.5"' in body and 'value="kept note"' in body and "baseline" in body


def test_indicator_list_queries_do_not_grow(world, client_for):
    client = client_for("observer")
    url = reverse("results:indicator_list", kwargs={"slug": world.partnership.slug})

    def grow():
        for _ in range(3):
            MeasurementFactory(indicator=IndicatorFactory(partnership=world.partnership))

    IndicatorFactory(partnership=world.partnership)
    assert_queries_do_not_grow(lambda: client.get(url), grow)


def test_review_list_and_detail_queries_do_not_grow(world, ind, client_for):
    client = client_for("observer")
    url = reverse("results:indicator_detail", kwargs={"slug": world.partnership.slug, "pk": ind.pk})

    def grow():
        for _ in range(3):
            MeasurementFactory(indicator=ind)

    MeasurementFactory(indicator=ind)
    assert_queries_do_not_grow(lambda: client.get(url), grow)


def test_indicator_and_review_pages_create_records(world, ind, client_for):
    client = client_for("manager")
    slug = world.partnership.slug
    today = timezone.localdate()
    bad = client.post(
        reverse("results:indicator_create", kwargs={"slug": slug}),
        {
            "name": "Waste down",
            "kind": "quantitative",
            "direction": "increase",
            "unit": "t",
            "baseline_value": "10",
            "baseline_date": (today - datetime.timedelta(days=10)).isoformat(),
            "target_value": "5",
            "target_date": (today + datetime.timedelta(days=300)).isoformat(),
            "cadence": "monthly",
        },
    )
    assert bad.status_code == 400
    assert (
        "above the baseline" in bad.content.decode()
        and 'value="Waste down"' in bad.content.decode()
    )
    response = client.post(
        reverse("results:review_create", kwargs={"slug": slug}),
        {
            "title": "Quarter review",
            "held_on": today.isoformat(),
            "indicators": [ind.pk],
            "what_worked": "Pick-ups",
            "early_win": "on",
            "early_win_note": "First hub opened",
            "rev0-indicator": ind.pk,
            "rev0-new_target_value": "120",
            "rev0-reason": "Ahead of plan",
        },
    )
    assert response.status_code == 302
    ind.refresh_from_db()
    assert ind.target_value == D("120")
    api = client.get(reverse("api:results_reviews", kwargs={"slug": slug})).json()
    assert api["items"][0]["early_win"] is True
    assert api["items"][0]["target_revisions"][0]["new_target_value"] in ("120", "120.00")


def test_review_list_queries_do_not_grow(world, ind, client_for):
    from commonground.results.tests.factories import ReviewFactory

    client = client_for("observer")
    url = reverse("results:review_list", kwargs={"slug": world.partnership.slug})
    ReviewFactory(partnership=world.partnership)

    def grow():
        for _ in range(3):
            ReviewFactory(partnership=world.partnership)

    assert_queries_do_not_grow(lambda: client.get(url), grow)


def test_outsider_cannot_reach_another_partnerships_indicator(world, client_for):
    other = IndicatorFactory(partnership=world.other_partnership)
    client = client_for("representative")
    url = reverse(
        "results:indicator_detail", kwargs={"slug": world.partnership.slug, "pk": other.pk}
    )
    assert client.get(url).status_code == 404


def test_indicator_detail_queries_do_not_grow_with_reviews_and_revisions(world, ind, client_for):
    client = client_for("manager")
    url = reverse("results:indicator_detail", kwargs={"slug": world.partnership.slug, "pk": ind.pk})
    target = {"value": 100}

    def grow():
        for _ in range(2):
            target["value"] += 10
            services.review_record(
                actor=world.users["manager"],
                partnership=world.partnership,
                held_on=timezone.localdate(),
                title="Review",
                indicators=[ind],
                revisions=[
                    {"indicator": ind, "new_target_value": D(target["value"]), "reason": "More"}
                ],
            )

    grow()
    assert_queries_do_not_grow(lambda: client.get(url), grow)


def test_chart_shows_the_latest_measurements_and_says_so(world, ind, client_for, monkeypatch):
    monkeypatch.setattr(selectors, "CHART_POINTS", 3)
    start = datetime.date(2025, 1, 1)
    for n in range(5):
        MeasurementFactory(
            indicator=ind, measured_on=start + datetime.timedelta(days=30 * n), value=D(n)
        )
    url = reverse("results:indicator_detail", kwargs={"slug": world.partnership.slug, "pk": ind.pk})
    response = client_for("observer").get(url)
    chart = response.context["chart"]
    assert [p[0] for p in chart["points"]] == [
        (start + datetime.timedelta(days=30 * n)).isoformat() for n in (2, 3, 4)
    ]
    assert (chart["shown"], chart["total"]) == (3, 5)
    assert "The chart shows the latest 3 of 5 measurements" in response.content.decode()
    # The table still pages through all of them, newest first.
    table = list(response.context["page"].object_list)
    assert [m.value for m in table] == [D(4), D(3), D(2), D(1), D(0)]


def test_chart_without_a_cap_has_no_note(world, ind, client_for):
    MeasurementFactory(indicator=ind)
    url = reverse("results:indicator_detail", kwargs={"slug": world.partnership.slug, "pk": ind.pk})
    response = client_for("observer").get(url)
    assert (response.context["chart"]["shown"], response.context["chart"]["total"]) == (1, 1)
    assert "The chart shows the latest" not in response.content.decode()


def test_indicator_counts_measurements_and_revisions_apart(world, ind):
    for _ in range(3):
        MeasurementFactory(indicator=ind)
    for n in range(2):
        TargetRevision.objects.create(
            indicator=ind,
            revised_on=datetime.date(2025, 6, 1 + n),
            old_target_value=D(100),
            new_target_value=D(120),
            old_target_date=ind.target_date,
            new_target_date=ind.target_date,
            reason="More ambitious",
        )
    other = IndicatorFactory(partnership=world.partnership, name="Other")
    found = {i.pk: i for i in selectors.indicators_for(world.partnership)}
    assert (found[ind.pk].measurement_count, found[ind.pk].revision_count) == (3, 2)
    assert (found[other.pk].measurement_count, found[other.pk].revision_count) == (0, 0)


def test_indicator_page_follows_each_recorded_change(world, ind, client_for):
    """The chart, count, revisions and reviews are kept between requests; recording a
    measurement or revising the target shows on the next one."""
    url = reverse("results:indicator_detail", kwargs={"slug": world.partnership.slug, "pk": ind.pk})
    client = client_for("observer")
    first = client.get(url)
    assert (first.context["chart"]["total"], first.context["revisions"]) == (0, [])
    services.measurement_record(
        actor=world.users["representative"],
        indicator=ind,
        measured_on=timezone.localdate(),
        value=D("42"),
    )
    second = client.get(url)
    assert second.context["chart"]["points"] == [[timezone.localdate().isoformat(), "42.00"]]
    assert second.context["page"].paginator.count == 1
    assert second.context["progress"].status != first.context["progress"].status
    services.review_record(
        actor=world.users["manager"],
        partnership=world.partnership,
        held_on=timezone.localdate(),
        title="Autumn review",
        what_worked="Steady",
        revisions=[{"indicator": ind, "new_target_value": D("150"), "reason": "Too easy"}],
    )
    third = client.get(url)
    [revision] = third.context["revisions"]
    assert (revision.new_target_value, revision.review_title) == (D("150"), "Autumn review")
    assert "Autumn review" in third.content.decode()
    # a page of another language is kept apart
    nb = client.get(url, HTTP_ACCEPT_LANGUAGE="nb")
    assert nb.context["chart"]["total"] == 1
