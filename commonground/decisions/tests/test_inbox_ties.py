"""A ranked-choice tie left to the chair waits in the chair's inbox ("My work") until it is
settled, and only there."""

from __future__ import annotations

import pytest
from django.utils import timezone

from commonground.decisions import inbox, services

from .test_ties import _tied_vote

pytestmark = pytest.mark.django_db


def _ties(user, partnership=None):
    (section,) = [
        s for s in inbox.waiting(user, timezone.now(), 10, partnership) if s.key == "ties"
    ]
    return section


def test_a_tie_for_the_chair_waits_in_the_chairs_inbox_until_settled(world, wg_member, propose):
    closed = _tied_vote(world, wg_member, propose, tie_rule="chair")
    manager = world.users["manager"]
    section = _ties(manager)
    assert section.count == 1
    (item,) = section.items
    assert item.title == closed.title and item.url == closed.get_absolute_url()
    assert item.partnership == world.partnership.name
    assert _ties(manager, world.partnership).count == 1
    # Those who may not settle it are not asked to.
    assert _ties(world.users["representative"]).count == 0
    assert _ties(world.users["observer"]).count == 0

    option = closed.tally["settlement"]["among"][0]["id"]
    services.proposal_tie_settle(actor=manager, proposal=closed, option=option, reason="Near")
    assert _ties(manager).count == 0


def test_a_tie_settled_otherwise_does_not_wait_for_the_chair(world, wg_member, propose):
    _tied_vote(world, wg_member, propose, tie_rule="lot")
    _tied_vote(world, wg_member, propose, tie_rule="runoff")
    assert _ties(world.users["manager"]).count == 0
