import pytest
from django.urls import reverse

from commonground.organisations.models import Organisation
from commonground.organisations.selectors import organisation_search
from commonground.organisations.tests.factories import OrganisationFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_search_by_name_sector_and_tag():
    repair = TagFactory(slug="repair", name="Repair")
    a = OrganisationFactory(name="Oslo Repair Café", sector="civil")
    a.offers.add(repair)
    b = OrganisationFactory(name="Repair Corp", sector="private")
    OrganisationFactory(name="Library", sector="knowledge")
    assert set(organisation_search(text="repair")) == {a, b}
    assert list(organisation_search(text="repair", sector="civil")) == [a]
    assert list(organisation_search(tag="repair")) == [a]


def test_create_requires_both_coordinates(client_for, world):
    client = client_for("representative")
    response = client.post(
        reverse("organisations:create"),
        {"name": "Half Place", "sector": "civil", "org_type": "ngo", "latitude": "59.9"},
    )
    assert response.status_code == 200
    assert b"both latitude and longitude" in response.content
    assert b'value="Half Place"' in response.content
    response = client.post(
        reverse("organisations:create"),
        {
            "name": "Far Place",
            "sector": "civil",
            "org_type": "ngo",
            "latitude": "123",
            "longitude": "10",
        },
    )
    assert response.status_code == 200
    assert not Organisation.objects.filter(name__in=["Half Place", "Far Place"]).exists()


def test_only_its_people_or_its_creator_may_edit(client_for, world):
    url = reverse("organisations:edit", kwargs={"slug": world.organisation.slug})
    assert client_for("representative").get(url).status_code == 200  # belongs to it
    assert client_for("observer").get(url).status_code == 403
    created = client_for("observer").post(
        reverse("organisations:create"), {"name": "Mine", "sector": "civil", "org_type": "ngo"}
    )
    assert created.status_code == 302
    mine = Organisation.objects.get(name="Mine")
    assert (
        client_for("observer")
        .get(reverse("organisations:edit", kwargs={"slug": mine.slug}))
        .status_code
        == 200
    )
