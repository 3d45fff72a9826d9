"""Choosing an organisation by what a person knows: its name, short name or number."""

import re

import pytest
from django.urls import reverse

from commonground.accounts.models import Invitation, User
from commonground.organisations import picker
from commonground.organisations.models import Organisation
from commonground.organisations.services import unique_slug
from commonground.organisations.tests.factories import OrganisationFactory
from commonground.partnerships.models import Membership, Role
from commonground.prospects.models import Prospect

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    return OrganisationFactory(
        name="Byggevarebanken SA", slug="byggevarebanken", org_number="912345678", sector="civil"
    )


def invite_url(world):
    return reverse("partnerships:invite", kwargs={"slug": world.partnership.slug})


def test_an_organisation_is_found_by_its_name_as_listed_part_number_or_short_name(bank):
    OrganisationFactory(name="Bygg og Anlegg AS", place_name="Bergen")
    assert picker.resolve("Byggevarebanken SA").organisation == bank
    assert picker.resolve("  byggevarebanken   sa ").organisation == bank
    assert picker.resolve("varebank").organisation == bank
    assert picker.resolve("912 345 678").organisation == bank
    assert picker.resolve("byggevarebanken").organisation == bank
    several = picker.resolve("Bygg")
    assert several.organisation is None
    assert {o.name for o in several.candidates} == {"Byggevarebanken SA", "Bygg og Anlegg AS"}
    assert picker.resolve("Nowhere Ltd") == picker.Resolution(None, [])


def test_matches_put_exact_and_leading_hits_first(bank):
    OrganisationFactory(name="Det Gamle Byggevarebanken-lageret")
    OrganisationFactory(name="Byggevare")
    names = [o.name for o in picker.matches("byggevare")]
    assert names == ["Byggevare", "Byggevarebanken SA", "Det Gamle Byggevarebanken-lageret"]


def test_two_organisations_with_one_name_are_told_apart_by_number(bank):
    twin = OrganisationFactory(name="Byggevarebanken SA", org_number="998877665")
    filled = dict(picker.with_fill_values(picker.matches("Byggevarebanken")))
    assert filled == {bank: "912345678", twin: "998877665"}
    assert picker.resolve("Byggevarebanken SA").organisation is None
    assert picker.resolve("998877665").organisation == twin


def test_a_member_is_added_by_the_name_the_directory_shows(world, client_for, bank):
    response = client_for("manager").post(
        reverse("partnerships:membership_set", kwargs={"slug": world.partnership.slug}),
        {"organisation": "Byggevarebanken SA", "status": "active"},
    )
    assert response.status_code == 302
    assert Membership.objects.get(partnership=world.partnership, organisation=bank)


def test_an_ambiguous_name_is_refused_with_the_matches_and_nothing_saved(world, client_for, bank):
    OrganisationFactory(name="Bygg og Anlegg AS", place_name="Bergen")
    response = client_for("manager").post(
        reverse("partnerships:membership_set", kwargs={"slug": world.partnership.slug}),
        {"organisation": "Bygg", "status": "active"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Several organisations match" in text
    assert "Bygg og Anlegg AS (Bergen)" in text
    assert "Byggevarebanken SA (" in text and "912345678)" in text
    assert 'value="Bygg"' in text  # what was typed is kept
    assert not Membership.objects.filter(organisation=bank).exists()


def test_a_prospect_is_added_by_name(world, client_for, bank):
    response = client_for("manager").post(
        reverse("prospects:add", kwargs={"slug": world.partnership.slug}),
        {"organisation": "Byggevarebanken SA", "why_approach": "Materials"},
    )
    assert response.status_code == 302
    assert Prospect.objects.get(partnership=world.partnership).organisation == bank


def test_an_invitation_names_the_organisation_and_can_make_a_signatory(world, client_for, bank):
    response = client_for("manager").post(
        invite_url(world),
        {
            "email": "sig@example.org",
            "kind": "representative",
            "organisation": "Byggevarebanken SA",
            "representative_kind": "decision_maker",
            "is_signatory": "on",
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    invitation = Invitation.objects.get(email="sig@example.org")
    assert (invitation.organisation, invitation.is_signatory) == (bank, True)
    link = re.search(
        r'id="invite-link"|value="([^"]+)" id="invite-link"', response.content.decode()
    )
    raw = link.group(1).rstrip("/").rsplit("/", 1)[-1]
    user = User.objects.create_user(email="sig@example.org", password="x-long-pass-42")
    client = client_for("anonymous")
    client.force_login(user)
    accepted = client.post(reverse("accounts:invitation", kwargs={"token": raw}))
    assert accepted.status_code == 302
    role = Role.objects.get(partnership=world.partnership, user=user)
    assert (role.organisation, role.is_signatory) == (bank, True)
    # The invitation list names the role in words, not its code.
    listing = client_for("manager").get(invite_url(world)).content.decode()
    assert "sig@example.org · Partner representative · signatory" in listing


def test_a_signatory_needs_an_organisation(world, client_for):
    response = client_for("manager").post(
        invite_url(world), {"email": "s@example.org", "kind": "facilitator", "is_signatory": "on"}
    )
    assert response.status_code == 400
    assert "A signatory signs for an organisation" in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_organisation_new_to_the_directory_is_added_while_inviting(world, client_for):
    data = {
        "email": "n@example.org",
        "kind": "representative",
        "organisation": "Nytt Verksted AS",
        "representative_kind": "doer",
    }
    refused = client_for("manager").post(invite_url(world), data)
    assert refused.status_code == 400
    assert "is not in the directory yet: choose its sector" in refused.content.decode()
    assert not Organisation.objects.filter(name="Nytt Verksted AS").exists()
    response = client_for("manager").post(
        invite_url(world), {**data, "new_sector": "private", "new_org_number": "911 222 333"}
    )
    assert response.status_code == 200
    created = Organisation.objects.get(name="Nytt Verksted AS")
    assert (created.sector, created.org_number) == ("private", "911222333")
    assert Invitation.objects.get(email="n@example.org").organisation == created
    assert Membership.objects.get(organisation=created).status == "invited"


def test_a_likely_duplicate_is_not_added(world, client_for, bank):
    before = Organisation.objects.count()
    for typed, number in (("Byggevarebanken AS", ""), ("Lageret", "912345678")):
        response = client_for("manager").post(
            invite_url(world),
            {
                "email": "d@example.org",
                "kind": "representative",
                "organisation": typed,
                "representative_kind": "doer",
                "new_sector": "civil",
                "new_org_number": number,
            },
        )
        assert response.status_code == 400, typed
        assert "looks like an organisation already in the directory" in response.content.decode()
        assert "Byggevarebanken SA" in response.content.decode()
    assert Organisation.objects.count() == before
    assert not Invitation.objects.exists()


def test_a_failed_invitation_leaves_no_new_organisation(world, client_for, monkeypatch):
    from django.core.exceptions import ValidationError

    from commonground.partnerships import invitations

    def refuse(**kwargs):
        raise ValidationError("refused")

    monkeypatch.setattr(invitations, "invitation_create", refuse)
    response = client_for("manager").post(
        invite_url(world),
        {
            "email": "n@example.org",
            "kind": "facilitator",
            "organisation": "Helt Ny Forening",
            "new_sector": "civil",
        },
    )
    assert response.status_code == 400
    assert not Organisation.objects.filter(name="Helt Ny Forening").exists()


def test_the_live_list_offers_matches_to_choose(client_for, world, bank):
    response = client_for("manager").get(
        reverse("organisations:pick"),
        {"field": "organisation", "organisation": "varebank"},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert "<html" not in text
    assert 'data-fill="Byggevarebanken SA"' in text
    assert "912345678" in text


def test_the_choose_page_without_javascript_sends_the_choice_back(client_for, world, bank):
    back = invite_url(world)
    page = client_for("manager").get(
        reverse("organisations:pick"),
        {"field": "organisation", "organisation": "bygg", "next": back},
    )
    assert f'href="{back}?organisation=Byggevarebanken%20SA"' in page.content.decode()
    form = client_for("manager").get(back, {"organisation": "Byggevarebanken SA"})
    assert 'value="Byggevarebanken SA"' in form.content.decode()
    # The form links to the choose page, which knows where to come back to.
    assert "next=%2Fp%2F" in form.content.decode()


def test_the_choose_page_never_sends_people_elsewhere(client_for, world, bank):
    for evil in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        page = client_for("manager").get(
            reverse("organisations:pick"),
            {"field": "organisation", "organisation": "bygg", "next": evil},
        )
        links = re.findall(r'href="([^"]*)"', page.content.decode())
        assert links and not [h for h in links if "evil" in h or h.startswith("javascript")]


def test_short_names_never_take_a_directory_path():
    assert unique_slug("Pick") == "pick-organisation"
    assert unique_slug("New") == "new-organisation"
