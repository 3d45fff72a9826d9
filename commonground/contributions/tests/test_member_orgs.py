import pytest

from commonground.contributions.forms import member_orgs
from commonground.partnerships.models import MembershipStatus
from commonground.partnerships.tests.factories import MembershipFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def test_an_organisation_that_left_another_partnership_is_still_a_member_here(world):
    # The party and giver choices (agreements, contributions) are this partnership's
    # members: leaving some other partnership does not take an organisation off them.
    organisation = world.second_organisation
    MembershipFactory(
        partnership=PartnershipFactory(),
        organisation=organisation,
        status=MembershipStatus.LEFT,
    )
    assert organisation in member_orgs(world.partnership)


def test_an_organisation_that_left_this_partnership_is_not_offered(world):
    world.partnership.memberships.filter(organisation=world.second_organisation).update(
        status=MembershipStatus.LEFT
    )
    orgs = member_orgs(world.partnership)
    assert world.second_organisation not in orgs
    assert world.organisation in orgs
