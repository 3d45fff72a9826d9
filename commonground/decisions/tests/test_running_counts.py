"""Running vote counts and the list orders that pages read from indexes instead of sorting."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from commonground.accounts.tests.factories import UserFactory
from commonground.decisions import selectors, services, tally
from commonground.decisions.models import Proposal, ProposalStatus, Vote
from commonground.partnerships.tests.factories import RoleFactory

from .factories import ProposalFactory

pytestmark = pytest.mark.django_db


def stored(proposal: Proposal) -> tuple[int, dict[str, int]]:
    proposal.refresh_from_db()
    return proposal.n_voted, proposal.stance_counts


def voter(world, name: str):
    user = UserFactory(email=f"{name.lower()}@example.org", display_name=name)
    RoleFactory(partnership=world.partnership, user=user, kind="wg_member")
    return user


def test_counts_equal_a_recount_after_votes_are_cast_and_changed(world, propose, wg_member):
    proposal = propose(method="majority")
    rep, manager = world.users["representative"], world.users["manager"]
    steps = [
        (rep, "yes", (1, {"yes": 1})),
        (manager, "no", (2, {"yes": 1, "no": 1})),
        (wg_member, "abstain", (3, {"yes": 1, "no": 1, "abstain": 1})),
        (rep, "no", (3, {"no": 2, "abstain": 1})),  # a change moves the vote
        (rep, "no", (3, {"no": 2, "abstain": 1})),  # the same position again changes nothing
        (wg_member, "yes", (3, {"no": 2, "yes": 1})),
    ]
    for person, position, expected in steps:
        services.vote_cast(actor=person, proposal=proposal, position=position)
        assert stored(proposal) == expected
        assert stored(proposal) == selectors.recount_votes(proposal)


def test_refused_vote_leaves_the_counts_alone(world, propose):
    proposal = propose(method="majority")
    services.vote_cast(actor=world.users["representative"], proposal=proposal, position="yes")
    with pytest.raises(Exception, match="positions offered"):
        services.vote_cast(actor=world.users["manager"], proposal=proposal, position="maybe")
    with pytest.raises(Exception, match="not eligible"):
        services.vote_cast(actor=world.users["observer"], proposal=proposal, position="no")
    assert stored(proposal) == (1, {"yes": 1}) == selectors.recount_votes(proposal)


def test_option_ballots_count_electors_only(world, propose):
    proposal = propose(method="score", options=["A", "B"])
    a, b = (str(o.pk) for o in proposal.options.all())
    rep = world.users["representative"]
    services.vote_cast(actor=rep, proposal=proposal, choices={a: 3, b: 1})
    services.vote_cast(actor=rep, proposal=proposal, choices={a: 0, b: 5})
    services.vote_cast(actor=world.users["manager"], proposal=proposal, choices={a: 2})
    assert stored(proposal) == (2, {}) == selectors.recount_votes(proposal)


def test_anonymous_votes_count_who_took_part_and_nothing_of_the_choice(world, propose):
    proposal = propose(method="consent", anonymous=True)
    services.vote_cast(actor=world.users["representative"], proposal=proposal, position="object")
    services.vote_cast(actor=world.users["manager"], proposal=proposal, position="agree")
    assert stored(proposal) == (2, {}) == selectors.recount_votes(proposal)


def test_recount_repairs_stale_counts(world, propose):
    proposal = propose(method="consent")
    services.vote_cast(actor=world.users["representative"], proposal=proposal, position="agree")
    Proposal.objects.filter(pk=proposal.pk).update(n_voted=7, stance_counts={"object": 3})
    services.vote_counts_recount(proposal)
    assert stored(proposal) == (1, {"agree": 1})


def test_live_tally_from_the_counts_equals_the_tally_of_the_ballots(world, propose):
    proposal = propose(method="two_thirds", quorum_percent=50)
    people = [voter(world, f"Voter{n}") for n in range(5)]
    for person, position in zip(people, ["yes", "yes", "no", "abstain", "yes"], strict=True):
        services.vote_cast(actor=person, proposal=proposal, position=position)
    services.vote_cast(actor=people[0], proposal=proposal, position="no")
    proposal.refresh_from_db()
    eligible = len(selectors.electorate(proposal))
    ballots = [
        tally.BallotData(p)
        for p in Vote.objects.filter(proposal=proposal).values_list("position", flat=True)
    ]
    expected = tally.tally(
        method="two_thirds", ballots=ballots, eligible=eligible, quorum_percent=50
    )
    live = selectors.live_tally(proposal, eligible=eligible)
    assert live is not None
    for key in ("counts", "outcome", "participants", "quorum_met", "eligible"):
        assert live[key] == expected[key], key
    assert live["counts"] == {"yes": 2, "no": 2, "abstain": 1}


def test_voters_are_listed_by_name_on_the_page(world, propose, client_for):
    proposal = propose(method="majority")
    for name in ("Zora", "Anders", "Mette"):
        services.vote_cast(actor=voter(world, name), proposal=proposal, position="yes")
    html = client_for("manager").get(proposal.get_absolute_url()).content.decode()
    assert html.index("Anders") < html.index("Mette") < html.index("Zora")
    assert "3 have voted" in html


def test_participants_of_an_anonymous_vote_are_listed_by_name(world, propose):
    proposal = propose(method="consent", anonymous=True)
    for name in ("Zora", "Anders", "Mette"):
        services.vote_cast(actor=voter(world, name), proposal=proposal, position="agree")
    assert list(selectors.participant_names(proposal)) == ["Anders", "Mette", "Zora"]


@pytest.mark.parametrize("anonymous", [False, True])
def test_a_voter_without_a_name_is_listed_by_email(world, propose, client_for, anonymous):
    proposal = propose(method="consent", anonymous=anonymous)
    nameless = voter(world, "Nameless")
    nameless.display_name = ""
    nameless.save(update_fields=["display_name"])
    services.vote_cast(actor=nameless, proposal=proposal, position="agree")
    html = client_for("manager").get(proposal.get_absolute_url()).content.decode()
    assert "nameless@example.org" in html


# --- the proposal list -------------------------------------------------------------------------


@pytest.fixture
def mixed(world, group):
    now = timezone.now()
    day = datetime.timedelta(days=1)

    def make(title, status, closes_at, **kw):
        return ProposalFactory(
            partnership=world.partnership, title=title, status=status, closes_at=closes_at, **kw
        )

    return [
        make("open soon", ProposalStatus.OPEN, now + day),
        make("open later", ProposalStatus.OPEN, now + 3 * day, working_group=group),
        make("closed lately", ProposalStatus.CLOSED, now - day),
        make("closed long ago", ProposalStatus.CLOSED, now - 5 * day, working_group=group),
        make("withdrawn", ProposalStatus.WITHDRAWN, now - 2 * day),
    ]


def titles(rows) -> list[str]:
    return [p.title for p in rows]


def test_list_puts_open_ones_first_then_closed_then_withdrawn(world, mixed):
    ProposalFactory(title="elsewhere", status=ProposalStatus.OPEN)  # another partnership
    rows = selectors.proposals_for(world.partnership)
    assert rows.count() == 5
    assert titles(rows[0:5]) == [p.title for p in mixed]
    # a slice across the open/closed and closed/withdrawn borders
    assert titles(rows[1:3]) == ["open later", "closed lately"]
    assert titles(rows[3:10]) == ["closed long ago", "withdrawn"]
    assert rows[5:10] == []


def test_list_filters_by_status_and_scope(world, group, mixed):
    closed = selectors.proposals_for(world.partnership, status="closed")
    assert closed.count() == 2
    assert titles(closed[0:10]) == ["closed lately", "closed long ago"]
    in_group = selectors.proposals_for(world.partnership, group=group.slug)
    assert titles(in_group[0:10]) == ["open later", "closed long ago"]
    whole = selectors.proposals_for(world.partnership, group="partnership")
    assert titles(whole[0:10]) == ["open soon", "closed lately", "withdrawn"]


def test_list_page_shows_the_running_vote_count(world, propose, client_for, settings):
    settings.COMMONGROUND_PAGE_SIZE = 2
    first = propose(title="First question", method="majority")
    services.vote_cast(actor=world.users["representative"], proposal=first, position="yes")
    services.vote_cast(actor=world.users["manager"], proposal=first, position="no")
    for n in range(3):
        ProposalFactory(
            partnership=world.partnership,
            title=f"Old {n}",
            status=ProposalStatus.CLOSED,
            closes_at=timezone.now() - datetime.timedelta(days=n + 1),
        )
    client = client_for("manager")
    page1 = client.get("/p/matrix/decisions/").content.decode()
    assert "First question" in page1 and "Old 0" in page1 and "Old 1" not in page1
    assert "<td>2</td>" in page1
    page2 = client.get("/p/matrix/decisions/?page=2").content.decode()
    assert "Old 1" in page2 and "Old 2" in page2 and "First question" not in page2
