"""A contribution with the same giver, kind, amount and date as one already recorded asks
for confirmation before it is recorded a second time."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from commonground.contributions import services
from commonground.contributions.models import Contribution

from .factories import make_contribution

pytestmark = pytest.mark.django_db


def typed(world, **overrides):
    data = {
        "kind": "funding",
        "title": "Typed again",
        "description": "entered from the minutes",
        "contributor": world.organisation.pk,
        "recipient_kind": "partnership",
        "pledged_on": "2026-01-10",
        "amount": "1000",
        "currency": "NOK",
    }
    data.update(overrides)
    return data


def test_duplicates_are_the_same_giver_kind_amount_and_date(world):
    first = make_contribution(world)  # funding, 1000.00, 2026-01-10
    same = {
        "contributor": world.organisation,
        "kind": "funding",
        "amount": Decimal("1000"),
        "pledged_on": datetime.date(2026, 1, 10),
    }
    assert list(services.duplicate_contributions(world.partnership, **same)) == [first]
    for change in (
        {"kind": "in_kind"},
        {"amount": Decimal("999")},
        {"amount": None},
        {"pledged_on": datetime.date(2026, 1, 11)},
    ):
        assert not services.duplicate_contributions(world.partnership, **{**same, **change})
    # Nothing is a duplicate of itself.
    assert not services.duplicate_contributions(world.partnership, **same, exclude=first)


def test_a_duplicate_asks_for_confirmation_and_keeps_what_was_typed(world, client_for):
    first = make_contribution(world)
    client = client_for("manager")
    url = reverse("contributions:create", kwargs={"slug": world.partnership.slug})

    response = client.post(url, typed(world))
    assert response.status_code == 400
    page = response.content.decode()
    assert "already recorded" in page
    assert first.get_absolute_url() in page  # the one it may repeat, to check
    assert 'name="confirm_duplicate"' in page  # "Record it anyway"
    assert "Typed again" in page and "entered from the minutes" in page
    assert Contribution.objects.count() == 1

    # Saving again without ticking the box asks again.
    assert client.post(url, typed(world)).status_code == 400
    assert Contribution.objects.count() == 1

    # Ticked: recorded.
    response = client.post(url, typed(world, confirm_duplicate="on"))
    assert response.status_code == 302
    assert Contribution.objects.filter(title="Typed again").count() == 1


def test_a_different_contribution_is_recorded_without_the_question(world, client_for):
    make_contribution(world)
    client = client_for("manager")
    url = reverse("contributions:create", kwargs={"slug": world.partnership.slug})
    page = client.get(url).content.decode()
    assert 'name="confirm_duplicate"' not in page
    response = client.post(url, typed(world, amount="2500"))
    assert response.status_code == 302
    assert Contribution.objects.count() == 2


def test_editing_a_contribution_is_not_asked_about_itself(world, client_for):
    first = make_contribution(world)
    url = reverse("contributions:edit", kwargs={"slug": world.partnership.slug, "pk": first.pk})
    response = client_for("manager").post(url, typed(world, title="Seed money, renamed"))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.title == "Seed money, renamed"
