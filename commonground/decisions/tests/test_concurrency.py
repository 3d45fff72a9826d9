"""Concurrent votes. Real threads need a server database: these run on PostgreSQL
(``DATABASE_URL=postgres://…``) and are skipped on SQLite, where the unique
constraint test in test_services.py proves a double vote cannot be stored."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from commonground.decisions import services
from commonground.decisions.models import Participation, Proposal, SealedBallot, Vote

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need a server database"),
]


def race(*calls: Callable[[], object]) -> list[object]:
    """Start every call at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # the test inspects what each thread got
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_same_person_voting_twice_at_once_leaves_one_vote(world, propose):
    proposal = propose(method="majority")
    rep = world.users["representative"]
    results = race(
        *[
            (lambda p=p: services.vote_cast(actor=rep, proposal=proposal, position=p))
            for p in ("yes", "no", "yes", "no", "abstain", "yes")
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert Vote.objects.filter(proposal=proposal).count() == 1


def test_anonymous_double_vote_at_once_counts_once(world, propose):
    proposal = propose(method="majority", anonymous=True)
    rep = world.users["representative"]
    results = race(
        *[(lambda: services.vote_cast(actor=rep, proposal=proposal, position="yes"))] * 4
    )
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 3
    assert Participation.objects.filter(proposal=proposal).count() == 1
    assert SealedBallot.objects.filter(proposal=proposal).count() == 1


def test_many_people_voting_while_the_proposal_closes(world, propose, wg_member):
    proposal = propose(method="majority")
    voters = [world.users["representative"], world.users["manager"], wg_member]

    def voter(u: object) -> Callable[[], object]:
        return lambda: services.vote_cast(actor=u, proposal=proposal, position="yes")

    calls = [voter(u) for u in voters]
    calls.append(
        lambda: services.proposal_close(actor=world.users["manager"], proposal=proposal, early=True)
    )
    race(*calls)
    proposal = Proposal.objects.get(pk=proposal.pk)
    # Every vote that got in before the close is in the tally; none came after it.
    assert proposal.status == "closed"
    assert proposal.tally["counts"]["yes"] == Vote.objects.filter(proposal=proposal).count()
