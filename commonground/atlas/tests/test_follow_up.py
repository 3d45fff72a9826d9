"""Following up a suggested conversation: a prospect for a non-member, else a proposal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonground.atlas.models import ConversationSuggestion
from commonground.decisions.models import Proposal
from commonground.organisations.tests.factories import OrganisationFactory
from commonground.partnerships.tests.factories import MembershipFactory
from commonground.prospects.models import Prospect

from .factories import make_activity


def _suggest(world, first, second, note=""):  # type: ignore[no-untyped-def]
    return ConversationSuggestion.objects.create(
        partnership=world.partnership, first=first, second=second, note=note
    )


def _url(world, s):  # type: ignore[no-untyped-def]
    return reverse(
        "atlas:suggestion_follow_up", kwargs={"slug": world.partnership.slug, "pk": s.pk}
    )


@pytest.mark.django_db
def test_non_member_organisation_becomes_a_prospect(world, client_for):
    ours = make_activity(world.partnership, [world.organisation], title="Repair café")
    stranger = OrganisationFactory(name="Bike Kitchen")
    MembershipFactory(partnership=world.other_partnership, organisation=stranger, status="active")
    theirs = make_activity(world.other_partnership, [stranger], title="Bike repair")
    s = _suggest(world, ours, theirs, note="Both fix things")
    response = client_for("manager").post(_url(world, s))
    prospect = Prospect.objects.get(partnership=world.partnership, organisation=stranger)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "prospects:detail", kwargs={"slug": world.partnership.slug, "pk": prospect.pk}
    )
    assert "Bike repair" in prospect.why_approach and "Both fix things" in prospect.why_approach
    assert not Proposal.objects.filter(partnership=world.partnership).exists()
    # A second follow-up does not add the organisation twice: a clear message instead.
    again = client_for("manager").post(_url(world, s), follow=True)
    assert Prospect.objects.filter(organisation=stranger).count() == 1
    assert "already in this partnership" in again.content.decode()


@pytest.mark.django_db
def test_members_on_both_sides_get_a_proposal(world, client_for):
    a = make_activity(world.partnership, [world.organisation], title="Repair café")
    b = make_activity(world.partnership, [world.second_organisation], title="Tool library")
    s = _suggest(world, a, b)
    response = client_for("manager").post(_url(world, s))
    proposal = Proposal.objects.get(partnership=world.partnership)
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    assert proposal.title == "Talk about joining forces on Repair café and Tool library"
    assert not Prospect.objects.filter(partnership=world.partnership).exists()


@pytest.mark.django_db
def test_follow_up_needs_the_capability_and_the_partnership(world, client_for):
    a = make_activity(world.partnership, [world.organisation], title="Repair café")
    b = make_activity(world.partnership, [world.second_organisation], title="Tool library")
    s = _suggest(world, a, b)
    assert client_for("representative").post(_url(world, s)).status_code == 403
    assert client_for("observer").post(_url(world, s)).status_code == 403
    assert client_for("outsider").post(_url(world, s)).status_code == 404
    assert client_for("manager").get(_url(world, s)).status_code == 405
    assert not Proposal.objects.exists() and not Prospect.objects.exists()
    # The button shows only to those who may use it.
    page = reverse("atlas:overlaps", kwargs={"slug": world.partnership.slug})
    assert _url(world, s) in client_for("manager").get(page).content.decode()
    assert _url(world, s) not in client_for("representative").get(page).content.decode()
