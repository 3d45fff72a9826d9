"""Proposals and votes: the rules of scope, eligibility, closing and anonymity."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from commonground.core.models import AuditEvent
from commonground.decisions import selectors, services
from commonground.decisions.models import (
    Ballot,
    Decision,
    DecisionDomain,
    GovernanceSettings,
    Notification,
    Participation,
    Proposal,
    SealedBallot,
    Vote,
)

pytestmark = pytest.mark.django_db


# --- major decisions and decision authority ----------------------------------------------------


def test_working_group_cannot_take_a_major_spending_decision(world, group, propose):
    services.governance_update(
        actor=world.users["manager"],
        partnership=world.partnership,
        major_spending_threshold=Decimal("50000"),
    )
    with pytest.raises(ValidationError, match="whole partnership"):
        propose(working_group=group, spending_amount=Decimal("50000.01"))
    assert not Proposal.objects.exists()
    # At the threshold it is still the group's call, and the whole partnership may always decide.
    assert propose(working_group=group, spending_amount=Decimal("50000"))
    assert propose(spending_amount=Decimal("900000"))


def test_policy_goes_to_the_whole_partnership(world, group, propose):
    with pytest.raises(ValidationError, match="policy"):
        propose(working_group=group, is_policy=True)
    domain = DecisionDomain.objects.create(
        partnership=world.partnership, name="Compact", kind="policy"
    )
    with pytest.raises(ValidationError, match="major decision"):
        propose(working_group=group, domain=domain)


def test_domain_limits_and_owner_are_respected(world, group, propose):
    from .factories import WorkingGroupFactory

    other = WorkingGroupFactory(partnership=world.partnership, slug="textiles", name="Textiles")
    domain = services.domain_save(
        actor=world.users["manager"],
        partnership=world.partnership,
        name="Purchases",
        kind="procurement",
        working_group=group,
        spending_limit=Decimal("20000"),
    )
    with pytest.raises(ValidationError, match="up to 20000"):
        propose(working_group=group, domain=domain, spending_amount=Decimal("25000"))
    other.members.add(world.users["manager"])
    with pytest.raises(ValidationError, match="belong to the working group Building"):
        propose(working_group=other, domain=domain)
    assert propose(working_group=group, domain=domain, spending_amount=Decimal("19000"))


def test_policy_domain_cannot_be_delegated(world, group):
    with pytest.raises(ValidationError, match="Policy"):
        services.domain_save(
            actor=world.users["manager"],
            partnership=world.partnership,
            name="Compact",
            kind="policy",
            working_group=group,
        )


def test_only_group_members_propose_in_a_group(world, group, propose, wg_member):
    with pytest.raises(PermissionDenied):
        propose(actor=wg_member, working_group=group)
    assert propose(actor=world.users["representative"], working_group=group)


# --- votes ------------------------------------------------------------------------------------


def test_vote_and_change_until_close(world, propose):
    proposal = propose()
    rep = world.users["representative"]
    services.vote_cast(actor=rep, proposal=proposal, position="object", reason="Too dear")
    services.vote_cast(actor=rep, proposal=proposal, position="agree")
    vote = Vote.objects.get(proposal=proposal)
    assert (vote.position, vote.reason, vote.elector) == ("agree", "", f"p{rep.pk}")
    assert AuditEvent.objects.filter(verb="vote.change").count() == 1


def test_voting_after_close_is_refused(world, propose):
    proposal = propose()
    with (
        time_machine.travel(timezone.now() + datetime.timedelta(days=3)),
        pytest.raises(ValidationError, match="closed"),
    ):
        services.vote_cast(actor=world.users["representative"], proposal=proposal, position="agree")
    assert not Vote.objects.exists()


def test_not_eligible_is_refused(world, group, propose, wg_member):
    proposal = propose()
    with pytest.raises(ValidationError, match="not eligible"):
        services.vote_cast(actor=world.users["observer"], proposal=proposal, position="agree")
    in_group = propose(working_group=group)
    with pytest.raises(ValidationError, match="Only members of Building materials"):
        services.vote_cast(actor=wg_member, proposal=in_group, position="agree")
    assert not Vote.objects.exists()


def test_ballot_must_fit_the_method(world, propose):
    rep = world.users["representative"]
    consent = propose()
    with pytest.raises(ValidationError, match="positions"):
        services.vote_cast(actor=rep, proposal=consent, position="yes")
    ranked = propose(method="ranked", options=["Tøyen", "Sagene", "Haraldrud"])
    a, b, _c = [o.pk for o in ranked.options.all()]
    with pytest.raises(ValidationError, match="only once"):
        services.vote_cast(actor=rep, proposal=ranked, choices=[a, b, a])
    with pytest.raises(ValidationError, match="does not have"):
        services.vote_cast(actor=rep, proposal=ranked, choices=[a, 99999])
    dot = propose(method="dot", options=["x", "y"], dots=3)
    x, y = [o.pk for o in dot.options.all()]
    with pytest.raises(ValidationError, match="3 dots"):
        services.vote_cast(actor=rep, proposal=dot, choices={str(x): 2, str(y): 2})
    score = propose(method="score", options=["x", "y"], max_score=5)
    sx = score.options.first().pk
    with pytest.raises(ValidationError, match="0 to 5"):
        services.vote_cast(actor=rep, proposal=score, choices={str(sx): 6})
    assert not Vote.objects.exists()


def test_one_vote_per_organisation_when_set(world, propose, wg_member):
    from commonground.accounts.tests.factories import UserFactory
    from commonground.partnerships.tests.factories import RoleFactory

    services.governance_update(
        actor=world.users["manager"], partnership=world.partnership, eligibility="organisation"
    )
    second_rep = UserFactory(email="rep2@example.org", organisation=world.organisation)
    RoleFactory(
        partnership=world.partnership,
        user=second_rep,
        kind="representative",
        organisation=world.organisation,
    )
    proposal = propose()
    assert set(selectors.electorate(proposal)) == {f"o{world.organisation.pk}"}
    services.vote_cast(actor=world.users["representative"], proposal=proposal, position="agree")
    services.vote_cast(actor=second_rep, proposal=proposal, position="object")
    vote = Vote.objects.get(proposal=proposal)
    assert vote.voter == second_rep and vote.position == "object"
    assert vote.organisation == world.organisation
    # The manager represents no organisation: in per-organisation votes they do not vote.
    with pytest.raises(ValidationError, match="not eligible"):
        services.vote_cast(actor=world.users["manager"], proposal=proposal, position="agree")


def test_database_refuses_a_second_vote_for_the_same_elector(world, propose):
    """Two requests racing past the service's read would both insert; the constraint
    lets only one through. (Votes also lock the proposal row with select_for_update.)"""
    proposal = propose()
    rep = world.users["representative"]
    Vote.objects.create(proposal=proposal, voter=rep, elector=f"p{rep.pk}", position="agree")
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(proposal=proposal, voter=rep, elector=f"p{rep.pk}", position="object")
    anon = propose(anonymous=True)
    Participation.objects.create(proposal=anon, user=rep, elector=f"p{rep.pk}")
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(proposal=anon, user=rep, elector=f"p{rep.pk}")


def test_vote_locks_the_proposal_row(world, propose):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    proposal = propose()
    with CaptureQueriesContext(connection) as ctx:
        services.vote_cast(actor=world.users["representative"], proposal=proposal, position="agree")
    if connection.features.has_select_for_update:
        assert any("FOR UPDATE" in q["sql"] for q in ctx.captured_queries)


# --- anonymity ---------------------------------------------------------------------------------


def test_anonymous_schema_has_no_link_between_ballot_and_person():
    ballot_fields = {f.name: f for f in Ballot._meta.get_fields()}
    assert set(ballot_fields) == {"id", "proposal", "position", "choices", "reason"}
    related = [f.related_model for f in ballot_fields.values() if f.is_relation]
    assert related == [Proposal]
    # No time, no sequence: the key is random.
    assert ballot_fields["id"].get_internal_type() == "UUIDField"
    participation_fields = {f.name for f in Participation._meta.get_fields()}
    # Who took part (and their name, for the list order); nothing about the choice.
    assert participation_fields == {"id", "proposal", "user", "elector", "user_name"}
    # Nothing points at a ballot from elsewhere either.
    assert not [f for f in Ballot._meta.get_fields() if f.auto_created and not f.concrete]
    # The sealed box of an open vote holds the same, and nothing more.
    sealed_fields = {f.name: f for f in SealedBallot._meta.get_fields()}
    assert set(sealed_fields) == {"id", "proposal", "position", "choices", "reason"}
    assert sealed_fields["id"].get_internal_type() == "UUIDField"


def test_anonymous_vote_counts_but_cannot_be_traced_or_changed(world, propose):
    proposal = propose(anonymous=True, method="majority")
    assert proposal.results_hidden  # live counts would reveal the latest voter
    rep, manager = world.users["representative"], world.users["manager"]
    services.vote_cast(actor=rep, proposal=proposal, position="yes", reason="good")
    services.vote_cast(actor=manager, proposal=proposal, position="no")
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.vote_cast(actor=rep, proposal=proposal, position="no")
    assert not Vote.objects.filter(proposal=proposal).exists()
    assert Participation.objects.filter(proposal=proposal).count() == 2
    # Sealed until the close: no ballot row exists while the vote is open.
    assert not Ballot.objects.filter(proposal=proposal).exists()
    assert sorted(SealedBallot.objects.values_list("position", flat=True)) == ["no", "yes"]
    # No audit event for an anonymous act (its time would line it up with a ballot):
    # the participation list says who voted, nothing says when.
    assert not AuditEvent.objects.filter(verb__startswith="vote.").exists()
    closed = services.proposal_close(actor=manager, proposal=proposal, early=True)
    assert closed.tally["counts"] == {"yes": 1, "no": 1, "abstain": 0}
    assert sorted(Ballot.objects.filter(proposal=proposal).values_list("position", flat=True)) == [
        "no",
        "yes",
    ]
    assert not SealedBallot.objects.exists()


# --- closing ---------------------------------------------------------------------------------------


def test_closing_on_time_with_the_command_writes_tally_and_register(world, propose, mailoutbox):
    proposal = propose(title="Adopt the protocol", quorum_percent=50)
    services.vote_cast(actor=world.users["representative"], proposal=proposal, position="agree")
    services.vote_cast(actor=world.users["manager"], proposal=proposal, position="object")
    call_command("close_due_proposals")
    assert Proposal.objects.get(pk=proposal.pk).status == "open"
    with time_machine.travel(proposal.closes_at + datetime.timedelta(minutes=1)):
        call_command("close_due_proposals")
    proposal.refresh_from_db()
    assert proposal.status == "closed" and proposal.outcome == "blocked"
    assert proposal.tally["counts"] == {"agree": 1, "abstain": 0, "object": 1}
    assert proposal.tally["eligible"] == 2 and proposal.tally["quorum_met"]
    decision = Decision.objects.get()
    assert decision.proposal == proposal and decision.adopted is False
    assert decision.outcome == "blocked" and decision.method == "consent"
    assert decision.source_url == proposal.get_absolute_url()
    assert Notification.objects.filter(kind="proposal.outcome").count() == 2
    # Running it again does nothing more.
    call_command("close_due_proposals")
    assert Decision.objects.count() == 1


def test_closing_is_also_checked_when_the_proposal_is_read(world, propose, client_for):
    proposal = propose()
    with time_machine.travel(proposal.closes_at + datetime.timedelta(seconds=5)):
        response = client_for("observer").get(proposal.get_absolute_url())
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == "closed" and proposal.decision is not None


def test_quorum_not_met_is_recorded(world, propose):
    proposal = propose(quorum_percent=100)
    services.vote_cast(actor=world.users["representative"], proposal=proposal, position="agree")
    closed = services.proposal_close(actor=world.users["manager"], proposal=proposal, early=True)
    assert closed.outcome == "no_quorum" and closed.decision.adopted is False


def test_only_proposer_or_manager_closes_early_and_records_outcome(world, propose):
    proposal = propose(actor=world.users["representative"])
    with pytest.raises(ValidationError, match="still open"):
        services.proposal_close(actor=None, proposal=proposal)
    with pytest.raises(PermissionDenied):
        services.proposal_close(actor=world.users["observer"], proposal=proposal, early=True)
    closed = services.proposal_close(
        actor=world.users["representative"], proposal=proposal, early=True
    )
    with pytest.raises(ValidationError, match="already closed"):
        services.proposal_close(actor=world.users["manager"], proposal=proposal, early=True)
    with pytest.raises(PermissionDenied):
        services.proposal_record_outcome(
            actor=world.users["observer"], proposal=closed, statement="x"
        )
    services.proposal_record_outcome(
        actor=world.users["representative"], proposal=closed, statement="We go ahead."
    )
    assert Decision.objects.get().statement == "We go ahead."


def test_outcome_needs_a_closed_proposal(world, propose):
    proposal = propose()
    with pytest.raises(ValidationError, match="once the proposal has closed"):
        services.proposal_record_outcome(
            actor=world.users["manager"], proposal=proposal, statement="x"
        )


def test_ranked_proposal_end_to_end(world, propose, wg_member):
    proposal = propose(method="ranked", options=["A", "B", "C"])
    a, b, c = [o.pk for o in proposal.options.all()]
    services.vote_cast(actor=world.users["representative"], proposal=proposal, choices=[c, b])
    services.vote_cast(actor=world.users["manager"], proposal=proposal, choices=[b])
    services.vote_cast(actor=wg_member, proposal=proposal, choices=[b, a])
    closed = services.proposal_close(actor=world.users["manager"], proposal=proposal, early=True)
    # Round 1: A 0, B 2, C 1 → B has 2 of 3. (A 1, B 1, C 1 would be a tie: test_ties.py.)
    assert closed.tally["winner_label"] == "B" and len(closed.tally["rounds"]) == 1
    assert closed.outcome == "chosen" and closed.decision.adopted
    assert closed.tie_rule == "runoff" and "settlement" not in closed.tally


def test_default_quorum_and_eligibility_come_from_settings(world, propose):
    GovernanceSettings.objects.create(
        partnership=world.partnership, default_quorum_percent=75, eligibility="organisation"
    )
    proposal = services.proposal_create(
        actor=world.users["manager"],
        partnership=world.partnership,
        title="x",
        method="majority",
        closes_at=timezone.now() + datetime.timedelta(days=1),
    )
    assert proposal.quorum_percent == 75 and proposal.eligibility == "organisation"


def test_options_are_required_for_option_methods(world, propose):
    with pytest.raises(ValidationError):
        propose(method="score", options=["only one"])
    with pytest.raises(ValidationError):
        propose(method="dot", options=["same", "Same"])


def test_closing_soon_reminds_only_those_who_have_not_voted(world, propose):
    proposal = propose(closes_at=timezone.now() + datetime.timedelta(hours=30))
    services.vote_cast(actor=world.users["representative"], proposal=proposal, position="agree")
    assert services.send_closing_soon() == 0  # more than 24 hours away
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=8)):
        assert services.send_closing_soon() == 1
        assert services.send_closing_soon() == 0  # only once
    reminders = Notification.objects.filter(kind="proposal.closing_soon")
    assert [n.user for n in reminders] == [world.users["manager"]]


def test_new_proposal_notifies_the_electorate_except_the_proposer(world, group, propose):
    propose(working_group=group)
    notes = Notification.objects.filter(kind="proposal.new")
    assert [n.user for n in notes] == [world.users["representative"]]


def test_deleting_a_partnership_removes_its_proposals(world, group, propose):
    propose(working_group=group)
    world.partnership.delete()
    assert not Proposal.objects.exists()


def test_delegated_decisions_by_the_domain_holder_only(world, group, wg_member):
    manager, rep = world.users["manager"], world.users["representative"]
    for_group = services.domain_save(
        actor=manager,
        partnership=world.partnership,
        name="Purchases",
        kind="procurement",
        working_group=group,
        spending_limit=Decimal("20000"),
    )
    for_person = services.domain_save(
        actor=manager,
        partnership=world.partnership,
        name="Data formats",
        kind="data",
        person=wg_member,
    )
    today = timezone.localdate()
    decision = services.delegated_decision_record(
        actor=rep,
        domain=for_group,
        title="Buy pallets",
        decided_on=today,
        spending_amount=Decimal("900"),
    )
    assert decision.method == "delegated" and decision.working_group == group
    assert decision.source_label == "Delegated: Purchases"
    with pytest.raises(ValidationError, match="put it to a vote"):
        services.delegated_decision_record(
            actor=rep,
            domain=for_group,
            title="Buy a truck",
            decided_on=today,
            spending_amount=Decimal("20001"),
        )
    with pytest.raises(PermissionDenied):
        services.delegated_decision_record(
            actor=rep, domain=for_person, title="CSV", decided_on=today
        )
    assert services.delegated_decision_record(
        actor=wg_member, domain=for_person, title="CSV", decided_on=today
    )
    assert Decision.objects.count() == 2
