"""core.slugs.unique_slug, as the partnerships, organisations and working groups use it."""

import pytest

from commonground.decisions.services import _unique_group_slug
from commonground.decisions.tests.factories import WorkingGroupFactory
from commonground.organisations.services import unique_slug as organisation_slug
from commonground.partnerships.services import unique_slug as partnership_slug
from commonground.partnerships.tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def test_a_taken_slug_gets_the_next_number_and_a_renamed_row_keeps_its_own():
    first = PartnershipFactory(slug="harbour-deal")
    PartnershipFactory(slug="harbour-deal-2")
    assert partnership_slug("Harbour deal") == "harbour-deal-3"
    assert partnership_slug("Harbour deal", exclude_pk=first.pk) == "harbour-deal"


def test_an_empty_name_falls_back_and_a_reserved_one_is_lengthened():
    assert partnership_slug("!!!") == "partnership"
    assert organisation_slug("") == "organisation"
    assert organisation_slug("New") == "new-organisation"


def test_working_group_slugs_are_unique_within_their_partnership_only():
    group = WorkingGroupFactory(slug="housing")
    other = PartnershipFactory()
    assert _unique_group_slug(group.partnership, "Housing") == "housing-2"
    assert _unique_group_slug(other, "Housing") == "housing"
