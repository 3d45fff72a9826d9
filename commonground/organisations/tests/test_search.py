"""The directory's text search: substring matching through the trigram index."""

import pytest

from commonground.organisations.models import Organisation
from commonground.organisations.selectors import organisation_search
from commonground.organisations.tests.factories import OrganisationFactory


def names(text: str, **kw) -> set[str]:
    return set(organisation_search(text=text, **kw).values_list("name", flat=True))


@pytest.mark.django_db
def test_matches_a_substring_of_name_place_or_mission_in_any_case():
    OrganisationFactory(name="Fjordvik Repair Café", place_name="Nordhavn", mission="")
    OrganisationFactory(name="Bike Kitchen", place_name="Sørbyen", mission="We REPAIR bicycles")
    OrganisationFactory(name="City Library", place_name="Repairton", mission="Books")
    OrganisationFactory(name="Harbour Authority", place_name="Port", mission="Ships")
    assert names("repair") == {"Fjordvik Repair Café", "Bike Kitchen", "City Library"}
    assert names("PAIR CA") == {"Fjordvik Repair Café"}
    assert names("sørby") == {"Bike Kitchen"}
    assert names("nothing like this") == set()


@pytest.mark.django_db
def test_short_text_and_quotes_are_searched_literally():
    OrganisationFactory(name='The "Ark" Makerspace', mission="")
    OrganisationFactory(name="Arkitektkontoret", mission="")
    OrganisationFactory(name="Dock 7", mission="")
    assert names('"Ark"') == {'The "Ark" Makerspace'}
    assert names("ar") == {'The "Ark" Makerspace', "Arkitektkontoret"}  # under 3 characters
    assert names("k 7") == {"Dock 7"}
    assert names('" OR name:*') == set()  # no query syntax reaches the index


@pytest.mark.django_db
def test_index_follows_edits_and_deletes():
    org = Organisation.objects.get(
        pk=OrganisationFactory(name="Old Name Cooperative", mission="").pk
    )
    assert names("name coop") == {"Old Name Cooperative"}
    org.name = "Fresh Start Cooperative"
    org.save()
    assert names("name coop") == set()
    assert names("fresh start") == {"Fresh Start Cooperative"}
    Organisation.objects.filter(pk=org.pk).update(mission="Textile reuse hub")
    assert names("reuse hub") == {"Fresh Start Cooperative"}
    org.delete()
    assert names("fresh start") == set()


@pytest.mark.django_db
def test_text_combines_with_the_sector_filter():
    OrganisationFactory(name="Reuse Centre A", sector="civil")
    OrganisationFactory(name="Reuse Centre B", sector="private")
    assert names("reuse centre", sector="private") == {"Reuse Centre B"}


@pytest.mark.django_db
def test_directory_page_counts_up_to_a_cap(client_for, world, monkeypatch):
    from django.urls import reverse

    from commonground.organisations import views

    OrganisationFactory.create_batch(6, name="Capped Reuse Shop")
    url = reverse("organisations:list") + "?q=capped+reuse"
    monkeypatch.setattr(views, "DIRECTORY_COUNT_CAP", 5)
    body = client_for("manager").get(url).content.decode()
    assert "More than 5 organisations" in body
    monkeypatch.setattr(views, "DIRECTORY_COUNT_CAP", 6)
    body = client_for("manager").get(url).content.decode()
    assert "More than" not in body and "6 organisations" in body


@pytest.mark.django_db
def test_common_text_takes_the_substring_path_with_the_same_answer(monkeypatch):
    from commonground.organisations import selectors

    OrganisationFactory.create_batch(4, name="Common Word Hub", mission="")
    OrganisationFactory(name="Other", mission="")
    rare = names("common word")
    monkeypatch.setattr(selectors, "FTS_RARE_LIMIT", 2)  # now "common word" counts as common
    assert names("common word") == rare and len(organisation_search(text="common word")) == 4
