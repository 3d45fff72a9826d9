"""The structure profile and the relationship spectrum change the advice in "What next"."""

import pytest

from commonground.accounts.tests.factories import UserFactory
from commonground.core.testing import home_with_panels
from commonground.method import services
from commonground.method.advice import profile_advice
from commonground.method.content import method
from commonground.partnerships.tests.factories import RoleFactory

pytestmark = pytest.mark.django_db


def codes(world):
    return [a.code for a in profile_advice(world.partnership)]


def _profile(world, **choices):
    services.profile_save(
        actor=world.users["manager"],
        partnership=world.partnership,
        choices={dim: (choice, "") for dim, choice in choices.items()},
    )


def test_a_formal_partnership_of_decision_makers_is_advised_towards_a_formal_agreement(
    world, client_for
):
    _profile(world, authority="formal")
    assert "formal-agreement" in codes(world)
    body = home_with_panels(client_for("manager"), world.partnership)
    assert 'data-advice="formal-agreement"' in body and "memorandum of understanding" in body


def test_an_informal_partnership_gets_no_formal_agreement_advice(world):
    _profile(world, authority="apparent", structure="informal")
    assert "formal-agreement" not in codes(world)


def test_a_partnership_of_doers_is_advised_to_name_sponsors(world):
    assert "doers-need-sponsors" not in codes(world)
    for _ in range(2):
        RoleFactory(
            partnership=world.partnership,
            user=UserFactory(),
            kind="representative",
            organisation=world.second_organisation,
            representative_kind="doer",
        )
    assert "doers-need-sponsors" in codes(world)


@pytest.mark.parametrize(("now", "aim", "advised"), [(1, 4, True), (2, 3, False)])
def test_a_wide_spectrum_gap_surfaces_a_next_step(world, now, aim, advised):
    dim = method().spectrum[0]
    services.spectrum_rate(
        actor=world.users["manager"], partnership=world.partnership, ratings={dim.code: (now, aim)}
    )
    found = [a for a in profile_advice(world.partnership) if a.code == "spectrum-gap"]
    assert bool(found) is advised
    if advised:
        assert str(dim.title) in str(found[0].text)
