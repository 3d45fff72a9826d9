"""Sections other apps add to the partnership report: contributions, results, health, decisions."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from commonground.contributions.tests.factories import make_contribution
from commonground.decisions.models import Decision
from commonground.healthchecks import services as hc_services
from commonground.healthchecks.tests.factories import add_responses, open_round
from commonground.results.tests.factories import IndicatorFactory, MeasurementFactory


def _period(today: datetime.date) -> dict[str, str]:
    return {"start": (today - datetime.timedelta(days=60)).isoformat(), "end": today.isoformat()}


def _health_round(world, title: str, period: str, publish: bool, score: int):  # type: ignore[no-untyped-def]
    today = datetime.date.today()
    rnd, _tokens = open_round(
        world.partnership,
        world.users["manager"],
        title=title,
        period=period,
        opens_on=today - datetime.timedelta(days=20),
        closes_on=today + datetime.timedelta(days=1),
        notify=False,
    )
    add_responses(rnd, [{"value_transparency": score}] * 6)
    if publish:
        rnd = hc_services.round_close(actor=world.users["manager"], round=rnd)
        rnd = hc_services.round_publish(actor=world.users["manager"], round=rnd)
    return rnd


@pytest.mark.django_db
def test_sections_for_partners_left_out_of_public_and_pdf_renders(world, client_for):
    p = world.partnership
    today = datetime.date.today()
    make_contribution(world, title="Seed money", pledged_on=today - datetime.timedelta(days=5))
    ind = IndicatorFactory(partnership=p, name="Tonnes of waste diverted")
    MeasurementFactory(indicator=ind, measured_on=today - datetime.timedelta(days=30), value=4)
    MeasurementFactory(indicator=ind, measured_on=today - datetime.timedelta(days=2), value=9)
    Decision.objects.create(
        partnership=p, title="Open a second repair hub", method="consent", decided_on=today
    )
    _health_round(world, "Published round", "Spring", publish=True, score=4)

    url = reverse("library:report", kwargs={"slug": p.slug})
    partners = client_for("observer").get(url, {**_period(today), "audience": "partners"})
    html = partners.content.decode()
    assert partners.status_code == 200
    for text in (
        "Contributions by partner and kind",
        'id="flow-data"',
        "1.000,00" if "1.000,00" in html else "1,000.00",
        "Tonnes of waste diverted",
        "<polyline",
        "Health-check trend",
        "Spring",
        "Open a second repair hub",
    ):
        assert text in html, text

    funders = client_for("observer").get(url, {**_period(today), "audience": "funders"})
    assert b"Open a second repair hub" in funders.content

    public = client_for("observer").get(url, {**_period(today), "audience": "public"})
    text = public.content.decode()
    for absent in (
        "Contributions by partner and kind",
        "Tonnes of waste diverted",
        "Health-check trend",
        "Open a second repair hub",
    ):
        assert absent not in text, absent

    pdf = client_for("manager").get(
        reverse("library:report_pdf", kwargs={"slug": p.slug}),
        {**_period(today), "audience": "partners"},
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_unpublished_health_rounds_never_appear(world, client_for):
    today = datetime.date.today()
    _health_round(world, "Closed but not published", "Autumn", publish=False, score=2)
    url = reverse("library:report", kwargs={"slug": world.partnership.slug})
    html = client_for("manager").get(url, {**_period(today), "audience": "partners"})
    assert b"Health-check trend" not in html.content and b"Autumn" not in html.content
    # Once published it shows, but a question with fewer answers than the threshold does not.
    _health_round(world, "Small published", "Winter", publish=True, score=3)
    from commonground.healthchecks.models import Response

    Response.objects.filter(round__period="Winter").first().delete()  # type: ignore[union-attr]
    Response.objects.filter(round__period="Winter").first().delete()  # type: ignore[union-attr]
    html = client_for("manager").get(url, {**_period(today), "audience": "partners"})
    assert b"Winter" not in html.content and b"Autumn" not in html.content


def test_sparkline_points() -> None:
    from commonground.results.reports import sparkline

    assert sparkline([Decimal(1)]) == ""
    pts = sparkline([Decimal(1), Decimal(3), Decimal(2)]).split()
    assert len(pts) == 3 and pts[0].startswith("2.0,") and pts[1].endswith(",3.0")
