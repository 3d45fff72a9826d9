"""A tie for first place is reported as a tie and settled by the proposal's tie rule, visibly."""

from __future__ import annotations

import secrets
from itertools import permutations

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from commonground.core.models import AuditEvent
from commonground.decisions import services
from commonground.decisions.models import Decision, Notification, Proposal

from .factories import ProposalFactory

pytestmark = pytest.mark.django_db


def _tied_vote(world, wg_member, propose, *, labels=("A", "B", "C"), **kwargs):
    """A ranked vote, closed, that ends tied between A and B: A 1, B 1, C 1 in round 1;
    if B goes out A wins, if A or C goes out B wins (C cannot win)."""
    proposal = propose(method="ranked", options=list(labels), **kwargs)
    ids = {o.label: o.pk for o in proposal.options.all()}
    for voter, ranking in (
        (world.users["representative"], ["A", "B"]),
        (world.users["manager"], ["B", "A"]),
        (wg_member, ["C", "B"]),
    ):
        services.vote_cast(actor=voter, proposal=proposal, choices=[ids[x] for x in ranking])
    return services.proposal_close(actor=world.users["manager"], proposal=proposal, early=True)


@pytest.mark.parametrize("labels", list(permutations(["A", "B", "C"])))
def test_a_ranked_tie_is_a_tie_whatever_the_order_of_the_options(world, wg_member, propose, labels):
    closed = _tied_vote(world, wg_member, propose, labels=labels, tie_rule="chair")
    assert closed.outcome == "tied"
    assert closed.tally["winner"] is None and closed.tally["winner_label"] == ""
    assert sorted(closed.tally["tied_labels"]) == ["A", "B"]
    assert [o["label"] for o in closed.tally["settlement"]["among"]] == [
        label for label in labels if label in ("A", "B")
    ]
    decision = Decision.objects.get(proposal=closed)
    assert decision.outcome == "tied" and decision.adopted is False


def test_tie_rule_defaults_to_a_runoff_for_votes_between_options_only(world, propose):
    assert propose(method="ranked", options=["A", "B"]).tie_rule == "runoff"
    assert propose(method="dot", options=["A", "B"], tie_rule="lot").tie_rule == "lot"
    assert propose(method="majority", tie_rule="lot").tie_rule == ""


def test_the_tie_rule_is_chosen_in_the_form_and_shown_before_anyone_votes(world, client_for):
    client = client_for("manager")
    url = reverse("decisions:proposal_create", kwargs={"slug": world.partnership.slug})
    form = client.get(url).content.decode()
    assert '<input type="radio" name="tie_rule" value="runoff" id="id_tie_rule_0" checked>' in form
    assert '<input type="radio" name="tie_rule" value="lot" id="id_tie_rule_2">' in form
    response = client.post(
        url,
        {
            "title": "Where do we meet?",
            "method": "ranked",
            "options_text": "Library\nTown hall",
            "tie_rule": "lot",
            "closes_at": "2099-01-01T12:00",
            "quorum_percent": 0,
            "max_score": 5,
            "dots": 5,
        },
    )
    proposal = Proposal.objects.get(title="Where do we meet?")
    assert response.status_code == 302 and proposal.tie_rule == "lot"
    page = client_for("representative").get(proposal.get_absolute_url()).content.decode()
    assert "If options tie for first place" in page and "Drawn by lot" in page


def test_a_runoff_opens_between_the_tied_options_linked_both_ways(
    world, wg_member, propose, client_for
):
    closed = _tied_vote(world, wg_member, propose, title="Which depot?")
    assert closed.tie_rule == "runoff" and closed.outcome == "tied"
    runoff = Proposal.objects.get(runoff_of=closed)
    assert closed.tally["settlement"] == {
        "rule": "runoff",
        "among": [
            {"id": o["id"], "label": o["label"]} for o in closed.tally["settlement"]["among"]
        ],
        "runoff": runoff.pk,
    }
    assert Decision.objects.get(proposal=closed).tally["settlement"]["runoff"] == runoff.pk
    assert runoff.status == "open" and runoff.is_open and runoff.method == "ranked"
    assert [o.label for o in runoff.options.all()] == ["A", "B"]
    assert runoff.tie_rule == "chair"  # a second tie goes to the chair, not to a third vote
    assert runoff.title == "Which depot?" and runoff.proposer == world.users["manager"]
    assert AuditEvent.objects.filter(verb="proposal.runoff").count() == 1
    assert Notification.objects.filter(kind="proposal.new", url=runoff.get_absolute_url()).exists()

    client = client_for("observer")
    first_page = client.get(closed.get_absolute_url()).content.decode()
    assert "Tied for first place: A and B" in first_page
    assert "Settled by a runoff: a new vote between A and B." in first_page
    assert f'href="{runoff.get_absolute_url()}"' in first_page
    runoff_page = client.get(runoff.get_absolute_url()).content.decode()
    assert "This is a runoff" in runoff_page
    assert f'href="{closed.get_absolute_url()}"' in runoff_page


def test_the_chair_settles_a_tie_with_a_reason_in_the_register(
    world, wg_member, propose, client_for
):
    closed = _tied_vote(world, wg_member, propose, tie_rule="chair")
    chosen = next(o for o in closed.tally["settlement"]["among"] if o["label"] == "B")
    # Those who may settle it are told; the page offers the form to them only.
    assert Notification.objects.filter(
        kind="proposal.tie_chair", user=world.users["manager"]
    ).exists()
    assert not Notification.objects.filter(
        kind="proposal.tie_chair", user=world.users["representative"]
    ).exists()
    settle_url = reverse(
        "decisions:proposal_settle", kwargs={"slug": world.partnership.slug, "pk": closed.pk}
    )
    assert settle_url in client_for("manager").get(closed.get_absolute_url()).content.decode()
    assert settle_url not in (
        client_for("representative").get(closed.get_absolute_url()).content.decode()
    )

    manager = client_for("manager")
    refused = manager.post(settle_url, {"option": chosen["id"], "reason": ""}, follow=True)
    assert "Choose one of the tied options and give your reason." in refused.content.decode()
    response = manager.post(
        settle_url, {"option": chosen["id"], "reason": "B is closer to the bus."}
    )
    assert response.status_code == 302
    closed.refresh_from_db()
    settlement = closed.tally["settlement"]
    assert settlement["chosen"] == chosen and settlement["reason"] == "B is closer to the bus."
    assert settlement["by"] == world.users["manager"].pk and settlement["by_name"] == "Mona Manager"
    assert closed.outcome == "tied"  # the vote tied; the chair chose
    decision = Decision.objects.get(proposal=closed)
    assert decision.adopted and decision.decided_by == world.users["manager"]
    assert decision.tally["settlement"]["chosen"] == chosen
    event = AuditEvent.objects.get(verb="proposal.tie_settle")
    assert event.after["settlement"]["reason"] == "B is closer to the bus."

    for page in ("proposal_detail", "register"):
        kwargs = {"slug": world.partnership.slug}
        if page == "proposal_detail":
            kwargs["pk"] = closed.pk
        html = client_for("observer").get(reverse(f"decisions:{page}", kwargs=kwargs))
        text = html.content.decode()
        assert "Settled by the chair (Mona Manager): B." in text, page
        assert "Because: B is closer to the bus." in text, page

    with pytest.raises(ValidationError, match="already settled"):
        services.proposal_tie_settle(
            actor=world.users["manager"], proposal=closed, option=chosen["id"], reason="Again"
        )


def test_the_chair_chooses_only_among_the_tied_options(world, wg_member, propose):
    closed = _tied_vote(world, wg_member, propose, tie_rule="chair")
    c = closed.options.get(label="C")
    with pytest.raises(ValidationError, match="Choose one of the tied options"):
        services.proposal_tie_settle(
            actor=world.users["manager"], proposal=closed, option=c.pk, reason="Because"
        )


def test_only_a_holder_of_decisions_manage_settles_as_chair(world, wg_member, propose, client_for):
    closed = _tied_vote(
        world, wg_member, propose, tie_rule="chair", actor=world.users["representative"]
    )
    option = closed.tally["settlement"]["among"][0]["id"]
    url = reverse(
        "decisions:proposal_settle", kwargs={"slug": world.partnership.slug, "pk": closed.pk}
    )
    data = {"option": option, "reason": "I proposed it."}
    # The proposer is a representative: may close early, may not settle as chair.
    assert client_for("representative").post(url, data).status_code == 403
    assert client_for("observer").post(url, data).status_code == 403
    assert client_for("outsider").post(url, data).status_code == 404
    with pytest.raises(PermissionDenied):
        services.proposal_tie_settle(
            actor=world.users["representative"], proposal=closed, option=option, reason="x"
        )
    closed.refresh_from_db()
    assert closed.tally["settlement"]["chosen"] is None
    assert not Decision.objects.get(proposal=closed).adopted


def test_only_a_chair_rule_tie_can_be_settled_by_the_chair(world, wg_member, propose):
    closed = _tied_vote(world, wg_member, propose, tie_rule="runoff")
    with pytest.raises(ValidationError, match="no tie for the chair"):
        services.proposal_tie_settle(
            actor=world.users["manager"],
            proposal=closed,
            option=closed.tally["settlement"]["among"][0]["id"],
            reason="x",
        )


def test_a_lot_is_drawn_with_secrets_and_either_option_can_come_out(
    world, wg_member, propose, client_for, monkeypatch
):
    real_choice = secrets.choice
    drawn_from = []
    for pick in (0, 1):

        def fake_choice(seq, pick=pick):
            drawn_from.append([o["label"] for o in seq])
            return seq[pick]

        monkeypatch.setattr(secrets, "choice", fake_choice)
        closed = _tied_vote(world, wg_member, propose, tie_rule="lot", title=f"Lot {pick}")
        monkeypatch.setattr(secrets, "choice", real_choice)
        settlement = closed.tally["settlement"]
        assert settlement["rule"] == "lot" and settlement["drawn_with"] == "secrets.choice"
        assert settlement["chosen"] == settlement["among"][pick]
        decision = Decision.objects.get(proposal=closed)
        assert decision.adopted and decision.tally["settlement"] == settlement
        page = client_for("observer").get(closed.get_absolute_url()).content.decode()
        label = settlement["chosen"]["label"]
        assert f"Settled by lot among A and B: {label}." in page
        close_event = AuditEvent.objects.filter(verb="proposal.close").latest("id")
        assert close_event.after["settlement"]["chosen"]["label"] == label
    assert drawn_from == [["A", "B"], ["A", "B"]]
    chosen = {
        p.tally["settlement"]["chosen"]["label"]
        for p in Proposal.objects.filter(title__startswith="Lot ")
    }
    assert chosen == {"A", "B"}


def test_a_vote_that_is_not_tied_is_not_settled(world, wg_member, propose):
    proposal = propose(method="score", options=["A", "B"], tie_rule="lot")
    a, b = proposal.options.all()
    services.vote_cast(
        actor=world.users["manager"], proposal=proposal, choices={str(a.pk): 3, str(b.pk): 1}
    )
    closed = services.proposal_close(actor=world.users["manager"], proposal=proposal, early=True)
    assert closed.outcome == "chosen" and "settlement" not in closed.tally


def test_no_quorum_is_not_a_tie(world, wg_member, propose):
    proposal = propose(method="ranked", options=["A", "B"], quorum_percent=100)
    a, b = proposal.options.all()
    services.vote_cast(actor=world.users["manager"], proposal=proposal, choices=[a.pk])
    services.vote_cast(actor=world.users["representative"], proposal=proposal, choices=[b.pk])
    closed = services.proposal_close(actor=world.users["manager"], proposal=proposal, early=True)
    assert closed.outcome == "no_quorum" and "settlement" not in closed.tally
    assert not Proposal.objects.filter(runoff_of=closed).exists()


def test_the_migration_gives_open_votes_between_options_a_runoff(world):
    from importlib import import_module

    migration = import_module("commonground.decisions.migrations.0006_tie_rule")
    p = world.partnership
    open_ranked = ProposalFactory(partnership=p, method="ranked", tie_rule="")
    closed_ranked = ProposalFactory(partnership=p, method="ranked", tie_rule="", status="closed")
    open_consent = ProposalFactory(partnership=p, method="consent", tie_rule="")
    migration.forwards(apps, None)
    for proposal in (open_ranked, closed_ranked, open_consent):
        proposal.refresh_from_db()
    assert open_ranked.tie_rule == "runoff"
    assert closed_ranked.tie_rule == "" and open_consent.tie_rule == ""


def test_the_api_takes_and_shows_the_tie_rule_and_the_runoff_link(
    world, wg_member, propose, client_for
):
    import datetime
    import json

    from django.utils import timezone

    client = client_for("representative")
    url = f"/api/decisions/{world.partnership.slug}/proposals"
    payload = {
        "title": "Pick a colour",
        "method": "dot",
        "closes_at": (timezone.now() + datetime.timedelta(days=2)).isoformat(),
        "options": ["Red", "Blue"],
        "tie_rule": "lot",
    }
    created = client.post(url, json.dumps(payload), content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["tie_rule"] == "lot" and created.json()["runoff_of"] is None
    refused = client.post(
        url, json.dumps({**payload, "tie_rule": "coin"}), content_type="application/json"
    )
    assert refused.status_code == 400

    closed = _tied_vote(world, wg_member, propose)
    runoff = Proposal.objects.get(runoff_of=closed)
    shown = client.get(f"{url}/{runoff.pk}").json()
    assert shown["runoff_of"] == closed.pk and shown["tie_rule"] == "chair"
    first = client.get(f"{url}/{closed.pk}").json()
    assert first["outcome"] == "tied" and first["tally"]["settlement"]["runoff"] == runoff.pk
