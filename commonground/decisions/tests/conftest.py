from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from commonground.accounts.tests.factories import UserFactory
from commonground.decisions import services
from commonground.partnerships.tests.factories import RoleFactory

from .factories import WorkingGroupFactory


@pytest.fixture
def soon():
    return timezone.now() + datetime.timedelta(days=2)


@pytest.fixture
def group(world):
    """A working group led by the manager, with the representative as a member."""
    g = WorkingGroupFactory(
        partnership=world.partnership,
        name="Building materials",
        slug="building",
        lead=world.users["manager"],
    )
    g.members.add(world.users["manager"], world.users["representative"])
    return g


@pytest.fixture
def wg_member(world):
    """A third voter: a working-group member of the representative's organisation."""
    user = UserFactory(
        email="wg@example.org", display_name="Walt Groupmember", organisation=world.organisation
    )
    RoleFactory(
        partnership=world.partnership, user=user, kind="wg_member", organisation=world.organisation
    )
    return user


@pytest.fixture
def propose(world, soon):
    def make(**kwargs):
        kwargs.setdefault("title", "Buy a container")
        kwargs.setdefault("method", "consent")
        kwargs.setdefault("closes_at", soon)
        kwargs.setdefault("quorum_percent", 0)
        actor = kwargs.pop("actor", world.users["manager"])
        return services.proposal_create(actor=actor, partnership=world.partnership, **kwargs)

    return make
