"""Permission matrix rows for working groups, proposals, votes, the register and notifications."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from commonground.core.testing import Row, World
from commonground.decisions import rules as r
from commonground.decisions.models import DecisionDomain, Notification
from commonground.decisions.tests.factories import ProposalFactory, WorkingGroupFactory


def rows(world: World) -> list[Row]:
    p = world.partnership
    slug = {"slug": p.slug}
    manager = world.users["manager"]
    rep = world.users["representative"]
    group = WorkingGroupFactory(
        partnership=p, name="Matrix group", slug="matrix-group", lead=manager
    )
    group.members.add(manager)
    proposal = ProposalFactory(partnership=p, title="Matrix proposal", proposer=manager)
    domain = DecisionDomain.objects.create(partnership=p, name="Matrix domain", kind="data")
    notification = Notification.objects.create(user=manager, kind="test", title="Hello", url="/")

    def fresh_proposal() -> dict[str, Any]:
        return {**slug, "pk": ProposalFactory(partnership=p, proposer=manager).pk}

    def closed_proposal() -> dict[str, Any]:
        return {
            **slug,
            "pk": ProposalFactory(partnership=p, proposer=manager, status="closed").pk,
        }

    def tie_for_the_chair() -> dict[str, Any]:
        among = [{"id": 1, "label": "A"}, {"id": 2, "label": "B"}]
        tied = ProposalFactory(
            partnership=p,
            proposer=manager,
            method="ranked",
            status="closed",
            outcome="tied",
            tie_rule="chair",
            tally={
                "tied": [1, 2],
                "tied_labels": ["A", "B"],
                "settlement": {"rule": "chair", "among": among, "chosen": None},
            },
        )
        return {**slug, "pk": tied.pk}

    def fresh_domain() -> dict[str, Any]:
        return {
            **slug,
            "pk": DecisionDomain.objects.create(partnership=p, name="x", kind="data").pk,
        }

    def fresh_member() -> dict[str, Any]:
        group.members.add(rep)
        return {**slug, "group": group.slug, "user": rep.pk}

    g = {**slug, "group": group.slug}
    closes = (timezone.now() + datetime.timedelta(days=3)).isoformat()
    pk = {**slug, "pk": proposal.pk}
    return [
        Row("decisions:proposals", slug, r.VIEW),
        Row("decisions:proposal_create", slug, r.PROPOSE),
        Row("decisions:proposal_detail", pk, r.VIEW),
        Row("decisions:vote", fresh_proposal, r.VOTE, method="post", data={"position": "agree"}),
        # Closing early and writing the outcome: the proposer or a manager (object rule);
        # the representative is a member without that right and gets 403.
        Row("decisions:proposal_close", fresh_proposal, r.MANAGE, method="post"),
        Row(
            "decisions:proposal_outcome",
            closed_proposal,
            r.MANAGE,
            method="post",
            data={"statement": "Agreed."},
        ),
        # The chair settles a tie: holders of decisions.manage only (the proposer too
        # needs it).
        Row(
            "decisions:proposal_settle",
            tie_for_the_chair,
            r.MANAGE,
            method="post",
            data={"option": 1, "reason": "Closer to the bus."},
        ),
        Row("decisions:register", slug, r.VIEW),
        Row("decisions:delegated_create", slug, r.PROPOSE),
        Row("decisions:groups", slug, r.VIEW),
        Row("decisions:group_create", slug, r.MANAGE),
        Row("decisions:group_detail", g, r.VIEW),
        Row("decisions:group_edit", g, r.MANAGE),
        Row("decisions:group_member_add", g, r.MANAGE, method="post", data={"user": rep.pk}),
        Row("decisions:group_member_remove", fresh_member, r.MANAGE, method="post"),
        Row("decisions:authority", slug, r.VIEW),
        Row("decisions:governance_edit", slug, r.MANAGE),
        Row("decisions:domain_create", slug, r.MANAGE),
        Row("decisions:domain_edit", {**slug, "pk": domain.pk}, r.MANAGE),
        Row("decisions:domain_delete", fresh_domain, r.MANAGE, method="post"),
        Row("decisions_global:notifications", {}, "signed_in"),
        Row("decisions_global:notifications_read_all", {}, "signed_in", method="post"),
        Row("decisions_global:preferences", {}, "signed_in"),
        Row(
            "decisions_global:notification_open",
            {"pk": notification.pk},
            "owner:manager",
            method="post",
        ),
        Row("api:proposal_list", slug, r.VIEW, api=True),
        Row("api:proposal_detail", pk, r.VIEW, api=True),
        Row(
            "api:proposal_create",
            slug,
            r.PROPOSE,
            api=True,
            method="post",
            data={"title": "Via the API", "method": "consent", "closes_at": closes},
        ),
        Row(
            "api:vote_cast",
            fresh_proposal,
            r.VOTE,
            api=True,
            method="post",
            data={"position": "agree"},
        ),
        Row("api:decision_register", slug, r.VIEW, api=True),
    ]
