"""The "on behalf of" choices of a role are the partnership's current member organisations."""

import pytest

from commonground.partnerships.forms import RoleEditForm, RoleForm
from commonground.partnerships.models import MembershipStatus
from commonground.partnerships.tests.factories import MembershipFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("form_class", [RoleForm, RoleEditForm])
def test_an_organisation_that_left_another_partnership_is_offered_here(world, form_class):
    organisation = world.second_organisation
    MembershipFactory(
        partnership=PartnershipFactory(), organisation=organisation, status=MembershipStatus.LEFT
    )
    offered = form_class(partnership=world.partnership).fields["organisation"].queryset
    assert organisation in offered


@pytest.mark.parametrize("form_class", [RoleForm, RoleEditForm])
def test_an_organisation_that_left_this_partnership_is_not_offered(world, form_class):
    world.partnership.memberships.filter(organisation=world.second_organisation).update(
        status=MembershipStatus.LEFT
    )
    offered = form_class(partnership=world.partnership).fields["organisation"].queryset
    assert world.second_organisation not in offered
    assert world.organisation in offered
