"""The linking attack on anonymous ballots, as an operator with the database and logs would try it.

Twelve people vote one after another, each ballot's reason naming its place in the
queue. After the close, the attacker reads the ballots in storage order (SQLite row
order, PostgreSQL physical order), the participations (whose ids follow the order of
voting), the audit log and every log line, and the raw database files: none of it may
line a ballot up with a voter. Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from commonground.accounts.tests.factories import UserFactory
from commonground.core import anonymity
from commonground.core.models import AuditEvent, PendingScrub
from commonground.core.testing import wait_for_other_snapshots
from commonground.decisions import services
from commonground.decisions.models import Ballot, Participation, SealedBallot
from commonground.partnerships.tests.factories import RoleFactory

pytestmark = pytest.mark.django_db(transaction=True)

VOTERS = 12


def _voters(world) -> list:
    people = [world.users["representative"], world.users["manager"]]
    for n in range(VOTERS - len(people)):
        user = UserFactory(email=f"voter{n}@example.org", display_name=f"Voter {n}")
        RoleFactory(partnership=world.partnership, user=user, kind="wg_member")
        people.append(user)
    return people


def _storage_order(model) -> list[str]:
    """The reasons as the rows lie in storage: what reading the file front to back gives."""
    table = connection.ops.quote_name(model._meta.db_table)
    order = "rowid" if connection.vendor == "sqlite" else "ctid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT reason FROM {table} ORDER BY {order}")
        return [row[0] for row in cursor.fetchall()]


def _raw_bytes(tables: list[str]) -> bytes | None:
    """The database's own files as an operator would copy them (None if we may not read them)."""
    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        return b"".join(p.read_bytes() for p in (name, Path(f"{name}-wal")) if p.exists())
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            return None
        cursor.execute("CHECKPOINT")  # what is in shared buffers reaches the files
        out = b""
        for table in tables:
            cursor.execute("SELECT pg_read_binary_file(pg_relation_filepath(%s))", [table])
            out += bytes(cursor.fetchone()[0])
        return out


def _settle() -> None:
    """Let other sessions' snapshots end, then run the scheduled scrub."""
    wait_for_other_snapshots()
    call_command("scrub_sealed", verbosity=0)


def _vote_twelve(world, propose, caplog) -> tuple[object, list[str]]:
    proposal = propose(anonymous=True, method="majority", title="Where the hub goes")
    cast = []
    with caplog.at_level(logging.DEBUG):
        for i, person in enumerate(_voters(world)):
            reason = f"ballot-{i:02d}"
            services.vote_cast(
                actor=person, proposal=proposal, position=("yes", "no")[i % 2], reason=reason
            )
            cast.append(reason)
    return proposal, cast


def test_ballots_cannot_be_lined_up_with_voters(world, propose, caplog):
    proposal, cast = _vote_twelve(world, propose, caplog)
    voted_in_order = list(
        Participation.objects.filter(proposal=proposal)
        .order_by("id")
        .values_list("user_id", flat=True)
    )
    assert len(voted_in_order) == VOTERS
    # Nothing in the logs or the audit log per ballot.
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert not any(reason in logged for reason in cast)
    assert not AuditEvent.objects.filter(verb__startswith="vote").exists()
    services.proposal_close(actor=world.users["manager"], proposal=proposal, early=True)

    stored = _storage_order(Ballot)
    assert sorted(stored) == sorted(cast)
    # The attacker's best guess: the n-th ballot in storage is the n-th participation.
    # A random order equals the order of voting (or its reverse) once in 12!/2.
    assert stored != cast and stored != cast[::-1]
    assert not SealedBallot.objects.exists()

    # A scrub held back by another session's snapshot (an autovacuum worker, say) is
    # finished by the scheduled command once that session is gone.
    _settle()
    raw = _raw_bytes([Ballot._meta.db_table, SealedBallot._meta.db_table])
    if raw is not None:
        assert not PendingScrub.objects.exists()
        # Each reason is stored once, in the shuffled ballot: no copy of the sealed
        # rows (in their order of voting) is left in the files or the write-ahead log.
        for reason in cast:
            assert raw.count(reason.encode()) == 1, reason
        found = sorted(raw.find(r.encode()) for r in cast)
        in_file_order = [raw[p : p + 9].decode() for p in found]
        assert in_file_order != cast


def test_without_the_scrub_the_sealed_copies_stay_in_the_files(world, propose, caplog, monkeypatch):
    """The check above can fail: with a plain delete and no scrub, the files still hold
    the sealed ballots in the order they were cast."""
    monkeypatch.setattr(anonymity, "scrub", lambda table: None)
    monkeypatch.setattr(anonymity, "secure_delete", lambda qs: qs.delete()[0])
    proposal, cast = _vote_twelve(world, propose, caplog)
    services.proposal_close(actor=world.users["manager"], proposal=proposal, early=True)
    raw = _raw_bytes([Ballot._meta.db_table, SealedBallot._meta.db_table])
    if raw is None:
        pytest.skip("the database files cannot be read as this database user")
    assert any(raw.count(reason.encode()) > 1 for reason in cast)
