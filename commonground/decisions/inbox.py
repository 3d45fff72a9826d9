"""Inbox: open proposals the person may still vote on, ties waiting for the person as
chair, and unread mentions and requests (notifications).

Whether the person may vote follows ``selectors.electorate`` (a voting role; in a
working group's proposal, membership of the group; for votes per organisation, a
representative of an active member organisation), computed for all their open
proposals in a fixed number of queries.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commonground.core import policy
from commonground.core.inbox import Item, Section, in_partnerships
from commonground.partnerships.models import Membership, MembershipStatus, Role, RoleKind

from . import rules
from .models import (
    Eligibility,
    Notification,
    Outcome,
    Participation,
    Proposal,
    ProposalStatus,
    TieRule,
    Vote,
)

SCAN_LIMIT = 200  # open proposals looked at for one person (their partnerships' open votes)


def _electors(user: Any, proposals: list[Proposal]) -> dict[int, str]:
    """For each proposal the person may vote on: the elector key their vote counts for."""
    voting = policy.roles_holding(rules.VOTE)
    roles = list(
        Role.objects.filter(user=user, ended_on__isnull=True, kind__in=voting)
        .order_by()
        .values_list("partnership_id", "kind", "organisation_id")
    )
    group_ids = set(user.working_groups.values_list("pk", flat=True))
    group_ids |= {
        p.working_group_id
        for p in proposals
        if p.working_group_id and p.working_group and p.working_group.lead_id == user.pk
    }
    org_ids = {org for _p, _k, org in roles if org}
    active = set(
        Membership.objects.filter(organisation_id__in=org_ids, status=MembershipStatus.ACTIVE)
        .order_by()
        .values_list("partnership_id", "organisation_id")
    )
    result: dict[int, str] = {}
    for p in proposals:
        if p.working_group_id and p.working_group_id not in group_ids:
            continue
        mine = [(kind, org) for pid, kind, org in roles if pid == p.partnership_id]
        if p.eligibility == Eligibility.ORGANISATION:
            orgs = sorted(
                org
                for kind, org in mine
                if org
                and (p.partnership_id, org) in active
                and (p.working_group_id or kind == RoleKind.REPRESENTATIVE)
            )
            if orgs:
                result[p.pk] = f"o{orgs[0]}"
        elif mine:
            result[p.pk] = f"p{user.pk}"
    return result


def _votes(user: Any, now: datetime.datetime, limit: int, partnership: Any) -> Section:
    proposals = list(
        in_partnerships(
            Proposal.objects.filter(status=ProposalStatus.OPEN, closes_at__gt=now),
            user,
            partnership,
        )
        .select_related("partnership", "working_group")
        .order_by("closes_at", "id")[:SCAN_LIMIT]
    )
    electors = _electors(user, proposals)
    keys = set(electors.values())
    voted: set[tuple[int, str]] = set()
    for model in (Vote, Participation):
        voted |= set(
            model.objects.filter(proposal_id__in=list(electors), elector__in=keys).values_list(
                "proposal_id", "elector"
            )
        )
    todo = [p for p in proposals if p.pk in electors and (p.pk, electors[p.pk]) not in voted]
    section = Section("votes", _("Votes to cast"), count=len(todo))
    section.items = [
        Item.of(
            p,
            action=_("Vote"),
            due=p.closes_at,
            detail=_("for your organisation") if electors[p.pk].startswith("o") else "",
        )
        for p in todo[:limit]
    ]
    return section


# Notifications that ask something of the person; news (replies, new proposals,
# outcomes) stay on the notifications page.
ASKING = ("conversations.mention", "conversations.request", "conversations.report")


def _mentions(user: Any, limit: int, partnership: Any) -> Section:
    unread = Notification.objects.filter(user=user, read_at__isnull=True, kind__in=ASKING)
    if partnership is not None:
        unread = in_partnerships(unread, user, partnership)
    else:
        unread = unread.filter(
            Q(partnership__isnull=True)
            | Q(partnership__roles__user=user, partnership__roles__ended_on__isnull=True)
        )
    section = Section("mentions", _("Mentions and requests"), count=unread.distinct().count())
    rows = unread.distinct().select_related("partnership").order_by("-created_at", "-id")[:limit]
    section.items = [
        Item.of(n, url=n.url, partnership=n.partnership, action=_("Open")) for n in rows
    ]
    return section


def _ties(user: Any, limit: int, partnership: Any) -> Section:
    """Closed votes tied for first place whose rule leaves the choice to the chair (a
    holder of ``decisions.manage``), not yet settled, in partnerships where the person
    is one."""
    chairing = Role.objects.filter(
        user=user, ended_on__isnull=True, kind__in=policy.roles_holding(rules.MANAGE)
    ).values("partnership_id")
    waiting = (
        Proposal.objects.filter(
            partnership_id__in=chairing,
            outcome=Outcome.TIED,
            tally__settlement__rule=TieRule.CHAIR,
        )
        .filter(Q(tally__settlement__chosen=None) | Q(tally__settlement__chosen__isnull=True))
        .order_by()
    )
    if partnership is not None:
        waiting = waiting.filter(partnership=partnership)
    section = Section("ties", _("Ties for you to settle"), count=waiting.count())
    rows = waiting.select_related("partnership").order_by("closed_at", "id")[:limit]
    section.items = [
        Item.of(
            p,
            action=_("Settle the tie"),
            detail=_("The vote ended tied; the chair decides, with a reason."),
        )
        for p in rows
    ]
    return section


def waiting(
    user: Any, now: datetime.datetime, limit: int, partnership: Any = None
) -> list[Section]:
    return [
        _votes(user, now, limit, partnership),
        _ties(user, limit, partnership),
        _mentions(user, limit, partnership),
    ]
