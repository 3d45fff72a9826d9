"""Pages and API: voting through the forms, refusals with clear messages, query counts."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from commonground.accounts.tests.factories import UserFactory
from commonground.core.testing import assert_queries_do_not_grow
from commonground.decisions import services
from commonground.decisions.models import Decision, Proposal, Vote
from commonground.partnerships.tests.factories import RoleFactory

from .factories import ProposalFactory

pytestmark = pytest.mark.django_db


def url(proposal, action=""):
    base = f"/p/{proposal.partnership.slug}/decisions/{proposal.pk}/"
    return base + (f"{action}/" if action else "")


def test_vote_through_the_page_and_change_it(world, propose, client_for):
    proposal = propose(method="majority")
    client = client_for("representative")
    response = client.post(url(proposal, "vote"), {"position": "yes", "reason": "Cheap"})
    assert response.status_code == 302
    client.post(url(proposal, "vote"), {"position": "no"})
    vote = Vote.objects.get()
    assert vote.position == "no"
    page = client.get(url(proposal))
    assert b"Change your vote" in page.content


def test_ranked_ballot_with_duplicates_is_refused_with_a_message(world, propose, client_for):
    proposal = propose(method="ranked", options=["A", "B", "C"])
    a, b, _c = [o.pk for o in proposal.options.all()]
    response = client_for("representative").post(
        url(proposal, "vote"), {"rank_1": a, "rank_2": b, "rank_3": a, "reason": "typed"}
    )
    assert response.status_code == 400
    assert "Each option can be ranked only once." in response.content.decode()
    assert "typed" in response.content.decode()  # what was typed is kept
    assert not Vote.objects.exists()


def test_vote_after_close_on_the_page(world, propose, client_for):
    proposal = propose()
    Proposal.objects.filter(pk=proposal.pk).update(status="closed")
    response = client_for("representative").post(url(proposal, "vote"), {"position": "agree"})
    assert response.status_code == 400
    assert "Voting has closed" in response.content.decode()


def test_results_hidden_until_close(world, propose, client_for):
    proposal = propose(method="majority", results_hidden=True)
    services.vote_cast(
        actor=world.users["representative"], proposal=proposal, position="yes", reason="SECRET"
    )
    page = client_for("manager").get(url(proposal)).content.decode()
    assert "Results are hidden until the vote closes." in page and "SECRET" not in page
    services.proposal_close(actor=world.users["manager"], proposal=proposal, early=True)
    page = client_for("manager").get(url(proposal)).content.decode()
    assert "SECRET" in page


def test_create_proposal_form_refuses_a_major_group_decision(world, group, client_for):
    response = client_for("manager").post(
        "/p/matrix/decisions/new/",
        {
            "title": "Buy a warehouse",
            "method": "consent",
            "working_group": group.pk,
            "closes_at": (timezone.localtime() + datetime.timedelta(days=3)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "quorum_percent": 50,
            "spending_amount": "900000",
            "max_score": 5,
            "dots": 5,
        },
    )
    assert response.status_code == 200
    assert "must go to the whole" in response.content.decode()
    assert "Buy a warehouse" in response.content.decode()
    assert not Proposal.objects.exists()


def test_create_ranked_proposal_through_the_form(world, client_for):
    response = client_for("representative").post(
        "/p/matrix/decisions/new/",
        {
            "title": "Where?",
            "method": "ranked",
            "options_text": "Tøyen\nSagene\n\nHaraldrud",
            "closes_at": (timezone.localtime() + datetime.timedelta(days=3)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "quorum_percent": 50,
            "max_score": 5,
            "dots": 5,
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == url(proposal)
    assert [o.label for o in proposal.options.all()] == ["Tøyen", "Sagene", "Haraldrud"]


def test_outcome_statement_and_register(world, propose, client_for):
    proposal = propose(title="Open the hub")
    services.vote_cast(actor=world.users["representative"], proposal=proposal, position="agree")
    client = client_for("manager")
    client.post(url(proposal, "close"))
    client.post(url(proposal, "outcome"), {"statement": "The hub opens in May."})
    Decision.objects.create(
        partnership=world.partnership,
        title="Approve minutes",
        method="motion",
        decided_on=timezone.localdate(),
        source_label="Meeting 3",
    )
    page = client.get("/p/matrix/decisions/register/").content.decode()
    assert "Open the hub" in page and "The hub opens in May." in page and "Meeting 3" in page
    filtered = client.get("/p/matrix/decisions/register/?method=motion").content.decode()
    assert "Approve minutes" in filtered and "Open the hub" not in filtered


def test_register_counts_decisions_without_joining_their_groups(world, client_for, group, settings):
    """The page count reads the decisions table alone (joined to working groups it grew
    with every decision: 1.6 ms at 5,000), and still counts what a filter matches."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.COMMONGROUND_PAGE_SIZE = 2
    for i in range(5):
        Decision.objects.create(
            partnership=world.partnership,
            working_group=group if i < 3 else None,
            title=f"Decision {i}",
            method="motion",
            decided_on=timezone.localdate(),
        )
    client = client_for("observer")
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/p/matrix/decisions/register/").content.decode()
    counts = [
        q["sql"] for q in captured if "COUNT(" in q["sql"] and "decisions_decision" in q["sql"]
    ]
    assert counts and not [sql for sql in counts if "JOIN" in sql], counts
    assert "Page 1 of 3" in page
    in_group = client.get("/p/matrix/decisions/register/", {"group": group.slug, "page": 2})
    assert "Page 2 of 2" in in_group.content.decode()
    assert [r["title"] for r in in_group.context["page"].object_list] == ["Decision 0"]


def test_working_group_pages(world, client_for):
    client = client_for("manager")
    response = client.post(
        "/p/matrix/decisions/groups/new/",
        {
            "name": "Textiles & repair",
            "remit": "Repair cafés",
            "lead": world.users["manager"].pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    detail = response["Location"]
    assert detail == "/p/matrix/decisions/groups/textiles-repair/"
    rep = world.users["representative"]
    client.post(detail + "members/add/", {"user": rep.pk})
    page = client.get(detail).content.decode()
    assert "Rita Rep" in page and "Repair cafés" in page
    client.post(detail + f"members/{rep.pk}/remove/")
    assert "Rita Rep" not in client.get(detail).content.decode().split("Add a member")[0]
    # An outsider cannot be added.
    outsider = world.users["outsider"]
    client.post(detail + "members/add/", {"user": outsider.pk})
    from commonground.partnerships.models import WorkingGroup

    assert (
        not WorkingGroup.objects.get(slug="textiles-repair").members.filter(pk=outsider.pk).exists()
    )


def test_api_vote_and_register(world, propose, client_for):
    proposal = propose(method="ranked", options=["A", "B"])
    a, b = [o.pk for o in proposal.options.all()]
    client = client_for("representative")
    api = f"/api/decisions/matrix/proposals/{proposal.pk}/votes"
    bad = client.post(api, json.dumps({"choices": [a, a]}), content_type="application/json")
    assert bad.status_code == 400 and "only once" in json.dumps(bad.json())
    ok = client.post(api, json.dumps({"choices": [b, a]}), content_type="application/json")
    assert ok.status_code == 201
    listing = client.get("/api/decisions/matrix/proposals").json()
    assert listing["items"][0]["options"] == [{"id": a, "label": "A"}, {"id": b, "label": "B"}]
    services.proposal_close(actor=world.users["manager"], proposal=proposal, early=True)
    register = client.get("/api/decisions/matrix/register").json()
    assert register["items"][0]["tally"]["winner_label"] == "B"
    outsider = client_for("outsider").get("/api/decisions/matrix/register")
    assert outsider.status_code == 404


# --- query counts ----------------------------------------------------------------------------


def test_proposal_list_queries_do_not_grow(world, client_for, group):
    client = client_for("manager")
    ProposalFactory(partnership=world.partnership, proposer=world.users["manager"])

    def grow():
        for i in range(5):
            ProposalFactory(
                partnership=world.partnership,
                proposer=world.users["representative"],
                working_group=group if i % 2 else None,
                anonymous=bool(i % 2),
            )

    assert_queries_do_not_grow(lambda: client.get("/p/matrix/decisions/"), grow)


def test_register_and_group_list_queries_do_not_grow(world, client_for, group):
    client = client_for("manager")
    Decision.objects.create(
        partnership=world.partnership, title="D", method="motion", decided_on=timezone.localdate()
    )

    def grow():
        for i in range(5):
            Decision.objects.create(
                partnership=world.partnership,
                working_group=group,
                title=f"D{i}",
                method="consent",
                decided_on=timezone.localdate(),
                tally={"counts": {"agree": 1}},
            )

    assert_queries_do_not_grow(lambda: client.get("/p/matrix/decisions/register/"), grow)
    from .factories import WorkingGroupFactory

    def more_groups():
        for _i in range(4):
            g = WorkingGroupFactory(partnership=world.partnership, lead=world.users["manager"])
            g.members.add(world.users["manager"])

    assert_queries_do_not_grow(lambda: client.get("/p/matrix/decisions/groups/"), more_groups)


@pytest.mark.parametrize("method", ["majority", "score", "ranked"])
def test_proposal_with_many_votes_keeps_a_fixed_query_count(world, client_for, propose, method):
    options = ["A", "B", "C"] if method != "majority" else []
    proposal = propose(method=method, options=options)
    ids = [o.pk for o in proposal.options.all()]

    def ballot():
        if method == "majority":
            return {"position": "yes"}
        if method == "score":
            return {"choices": {str(i): 3 for i in ids}}
        return {"choices": ids[::-1]}

    services.vote_cast(actor=world.users["representative"], proposal=proposal, **ballot())

    def grow():
        for n in range(15):
            user = UserFactory(email=f"voter{method}{n}@example.org")
            RoleFactory(partnership=world.partnership, user=user, kind="wg_member")
            services.vote_cast(actor=user, proposal=proposal, reason=f"reason {n}", **ballot())

    client = client_for("manager")
    assert_queries_do_not_grow(lambda: client.get(url(proposal)), grow)


def test_delegated_decision_page(world, group, client_for):
    from decimal import Decimal

    from commonground.decisions.models import DecisionDomain

    domain = DecisionDomain.objects.create(
        partnership=world.partnership,
        name="Purchases",
        kind="procurement",
        working_group=group,
        spending_limit=Decimal("1000"),
    )
    client = client_for("representative")
    assert b"Purchases" in client.get("/p/matrix/decisions/register/delegated/").content
    response = client.post(
        "/p/matrix/decisions/register/delegated/",
        {
            "domain": domain.pk,
            "title": "Buy a drill",
            "decided_on": timezone.localdate().isoformat(),
            "spending_amount": "5000",
        },
    )
    assert response.status_code == 200 and "put it to a vote" in response.content.decode()
    response = client.post(
        "/p/matrix/decisions/register/delegated/",
        {
            "domain": domain.pk,
            "title": "Buy a drill",
            "decided_on": timezone.localdate().isoformat(),
            "spending_amount": "500",
        },
    )
    assert response.status_code == 302
    assert Decision.objects.get().title == "Buy a drill"
    # The observer holds no domain (and may not propose at all).
    assert client_for("observer").get("/p/matrix/decisions/register/delegated/").status_code == 403


def test_api_create_proposal(world, group, client_for):
    closes = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    client = client_for("representative")
    response = client.post(
        "/api/decisions/matrix/proposals",
        json.dumps(
            {
                "title": "Pick a date",
                "method": "time_poll",
                "closes_at": closes,
                "working_group": group.slug,
                "options": ["Mon", "Tue"],
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["working_group"] == group.slug
    assert [o["label"] for o in response.json()["options"]] == ["Mon", "Tue"]
    major = client.post(
        "/api/decisions/matrix/proposals",
        json.dumps(
            {
                "title": "Change the compact",
                "method": "consent",
                "closes_at": closes,
                "working_group": group.slug,
                "is_policy": True,
            }
        ),
        content_type="application/json",
    )
    assert major.status_code == 400 and "whole partnership" in major.content.decode()


def test_home_panel_lists_open_proposals(world, propose, client_for):
    propose(title="Paint the hub green")
    from commonground.core.testing import home_with_panels

    page = home_with_panels(client_for("observer"), world.partnership)
    assert "Open proposals" in page and "Paint the hub green" in page
