"""Reads: the electorate of a proposal, lists and the register."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from commonground.accounts.models import User
from commonground.core import policy
from commonground.partnerships.models import MembershipStatus, Role, RoleKind, WorkingGroup

from . import rules, tally
from .models import (
    Ballot,
    Decision,
    DecisionDomain,
    Eligibility,
    GovernanceSettings,
    Participation,
    Proposal,
    ProposalStatus,
    Vote,
)


def governance_for(partnership: Any) -> GovernanceSettings:
    """The partnership's settings (defaults when none were saved; not written)."""
    found = GovernanceSettings.objects.filter(partnership=partnership).first()
    return found or GovernanceSettings(partnership=partnership)


def electorate(proposal: Proposal) -> dict[str, set[int]]:
    """Who may vote: elector key → the people who may cast that elector's vote.

    Per person: everyone with a voting role (in a working-group proposal, the
    group's members who hold one). Per organisation: each member
    organisation votes once, through its representatives (in a working group,
    through the group's members from that organisation).
    """
    voting_kinds = policy.roles_holding(rules.VOTE)
    roles = Role.objects.filter(
        partnership_id=proposal.partnership_id, ended_on__isnull=True, kind__in=voting_kinds
    )
    if proposal.working_group_id:
        group = proposal.working_group
        member_ids = set(group.members.values_list("pk", flat=True)) if group else set()
        if group and group.lead_id:
            member_ids.add(group.lead_id)
        roles = roles.filter(user_id__in=member_ids)
    result: dict[str, set[int]] = {}
    if proposal.eligibility == Eligibility.ORGANISATION:
        roles = roles.filter(
            organisation__isnull=False,
            organisation__memberships__partnership_id=proposal.partnership_id,
            organisation__memberships__status=MembershipStatus.ACTIVE,
        )
        if not proposal.working_group_id:
            roles = roles.filter(kind=RoleKind.REPRESENTATIVE)
        for user_id, org_id in roles.values_list("user_id", "organisation_id"):
            result.setdefault(f"o{org_id}", set()).add(user_id)
    else:
        for user_id in roles.values_list("user_id", flat=True).distinct():
            result[f"p{user_id}"] = {user_id}
    return result


def elector_for(user: Any, proposal: Proposal, people: dict[str, set[int]] | None = None) -> str:
    """The elector the user votes for, or "" when they may not vote."""
    if not getattr(user, "is_authenticated", False):
        return ""
    people = electorate(proposal) if people is None else people
    for key, users in sorted(people.items()):
        if user.pk in users:
            return key
    return ""


def voted_electors(proposal: Proposal) -> set[str]:
    model = Participation if proposal.anonymous else Vote
    return set(model.objects.filter(proposal=proposal).values_list("elector", flat=True))


def count_of(qs: QuerySet[Any]) -> Coalesce:
    """``COUNT(*)`` of a correlated queryset, as an annotation (0 when empty)."""
    counted = qs.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0)


def proposals_for(partnership: Any, *, status: str = "", group: str = "") -> QuerySet[Proposal]:
    qs = (
        Proposal.objects.filter(partnership=partnership)
        .select_related("partnership", "working_group", "proposer")
        # Correlated counts (one index lookup per proposal) instead of joining every
        # vote and grouping: the list stays fast however many votes there are.
        .annotate(
            n_votes=count_of(Vote.objects.filter(proposal=OuterRef("pk"))),
            n_participations=count_of(Participation.objects.filter(proposal=OuterRef("pk"))),
        )
    )
    if status == "open":
        qs = qs.filter(status=ProposalStatus.OPEN)
    elif status in ProposalStatus.values:
        qs = qs.filter(status=status)
    if group == "partnership":
        qs = qs.filter(working_group__isnull=True)
    elif group:
        qs = qs.filter(working_group__slug=group)
    # Open ones first, closing soonest first; then closed ones, most recent first.
    open_first = Case(When(status=ProposalStatus.OPEN, then=F("closes_at")))
    return qs.order_by("-status", open_first.asc(nulls_last=True), "-closes_at", "-id")


def proposal_detail(partnership: Any, pk: int) -> Proposal | None:
    return (
        Proposal.objects.filter(partnership=partnership, pk=pk)
        .select_related("partnership", "working_group", "proposer", "domain", "decision")
        .prefetch_related("options")
        .first()
    )


def votes_of(proposal: Proposal) -> QuerySet[Vote]:
    return proposal.votes.select_related("voter", "organisation").order_by(
        "voter__display_name", "id"
    )


def live_tally(proposal: Proposal, *, eligible: int) -> dict[str, Any] | None:
    """The running result of a stance vote, counted in SQL (None for option methods).

    Gives the same dictionary as ``tally.tally`` without loading every ballot."""
    if proposal.method not in tally.POSITIONS:
        return None
    rows = Ballot.objects if proposal.anonymous else Vote.objects
    grouped = rows.filter(proposal=proposal).order_by().values("position").annotate(n=Count("pk"))
    counts = dict.fromkeys(tally.POSITIONS[proposal.method], 0)
    cast = 0
    for row in grouped:
        cast += row["n"]
        if row["position"] in counts:
            counts[row["position"]] = row["n"]
    result: dict[str, Any] = {
        "method": proposal.method,
        **tally.quorum(eligible, cast, proposal.quorum_percent),
        "counts": counts,
    }
    outcome = tally.stance_outcome(proposal.method, counts)
    result["outcome"] = outcome if result["quorum_met"] else "no_quorum"
    return result


def participants_of(proposal: Proposal) -> QuerySet[Participation]:
    return proposal.participations.select_related("user").order_by("user__display_name", "id")


def register_for(
    partnership: Any, *, method: str = "", group: str = "", adopted: str = "", q: str = ""
) -> QuerySet[Decision]:
    qs = Decision.objects.filter(partnership=partnership).select_related(
        "working_group", "decided_by", "partnership"
    )
    if method:
        qs = qs.filter(method=method)
    if group == "partnership":
        qs = qs.filter(working_group__isnull=True)
    elif group:
        qs = qs.filter(working_group__slug=group)
    if adopted in ("yes", "no"):
        qs = qs.filter(adopted=adopted == "yes")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(statement__icontains=q))
    return qs.order_by("-decided_on", "-id")


def groups_for(partnership: Any) -> QuerySet[WorkingGroup]:
    return (
        WorkingGroup.objects.filter(partnership=partnership)
        .select_related("lead")
        .annotate(
            n_members=Count("members", distinct=True),
            n_open=Count(
                "proposals", filter=Q(proposals__status=ProposalStatus.OPEN), distinct=True
            ),
        )
        .order_by("-is_active", "name", "id")
    )


def group_detail(partnership: Any, slug: str) -> WorkingGroup | None:
    return (
        WorkingGroup.objects.filter(partnership=partnership, slug=slug)
        .select_related("lead", "partnership")
        .prefetch_related(
            Prefetch("members", queryset=User.objects.select_related("organisation")),
            Prefetch("decision_domains", queryset=DecisionDomain.objects.select_related("person")),
        )
        .first()
    )


def domains_for(partnership: Any) -> QuerySet[DecisionDomain]:
    return DecisionDomain.objects.filter(partnership=partnership).select_related(
        "working_group", "person"
    )


def partnership_people(partnership: Any) -> QuerySet[User]:
    """People with an active role: those who can join a working group or hold a domain."""
    return (
        User.objects.filter(
            partnership_roles__partnership=partnership, partnership_roles__ended_on__isnull=True
        )
        .select_related("organisation")
        .distinct()
        .order_by("display_name", "email")
    )
