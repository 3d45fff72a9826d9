"""Reads: the electorate of a proposal, lists and the register."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import (
    CharField,
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, NullIf

from commonground.accounts.models import User
from commonground.core import policy
from commonground.core.sql import union_all
from commonground.partnerships.models import MembershipStatus, Role, RoleKind, WorkingGroup

from . import rules, tally
from .models import (
    Decision,
    DecisionDomain,
    Eligibility,
    GovernanceSettings,
    Participation,
    Proposal,
    ProposalStatus,
    Vote,
)

if TYPE_CHECKING:
    from commonground.partnerships.models import Partnership


def governance_for(partnership: Partnership) -> GovernanceSettings:
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
    # Unordered: Role's default ordering would join partnerships and people only to
    # sort (and would defeat the DISTINCT below), and the result is a dictionary of sets.
    roles = Role.objects.filter(
        partnership_id=proposal.partnership_id, ended_on__isnull=True, kind__in=voting_kinds
    ).order_by()
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


# The list order: open proposals first, closing soonest first; then closed ones and
# then withdrawn ones, most recent first. Each status is read as one range of the
# (partnership, status, closes_at) index, so a page costs the same however many
# proposals a partnership has.
LIST_SEGMENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (ProposalStatus.OPEN, ("closes_at", "id")),
    (ProposalStatus.CLOSED, ("-closes_at", "-id")),
    (ProposalStatus.WITHDRAWN, ("-closes_at", "-id")),
)


class ProposalList:
    """Proposals in list order, read a slice at a time (for the paginator and the API).

    ``count()`` is one grouped count per status over the index; a slice reads the
    ids of its rows from each status range it covers (one query, a UNION ALL) and
    then those rows with their related objects (a second query)."""

    def __init__(self, base: QuerySet[Proposal], statuses: list[str]) -> None:
        self.base = base
        self.segments = [(s, order) for s, order in LIST_SEGMENTS if s in statuses]
        self._counts: dict[str, int] | None = None
        self._prefetch: tuple[Any, ...] = ()
        self._values: tuple[tuple[str, ...], dict[str, Any]] | None = None

    def prefetch_related(self, *lookups: Any) -> ProposalList:
        self._prefetch += lookups
        return self

    def values(self, *fields: str, **expressions: Any) -> ProposalList:
        """Slices give dictionaries of these fields (and ``pk``, ``status`` and
        ``closes_at``) instead of proposals: a page's table shows a few of their
        columns, and building the models and their related rows costs more than
        writing the table."""
        self._values = ("pk", "status", "closes_at", *fields), expressions
        return self

    def all(self) -> ProposalList:
        return self

    def counts(self) -> dict[str, int]:
        """Proposals per status: one statement, a range count of the index per status."""
        if self._counts is None:
            pieces: list[str] = []
            params: list[Any] = []
            for i, (status, _order) in enumerate(self.segments):
                qs = self.base.filter(status=status).order_by().values("pk")
                sql, p = qs.query.sql_with_params()
                # ``sql`` is compiled by the ORM; values stay in ``params``.
                pieces.append(f"(SELECT COUNT(*) FROM ({sql}) AS s_{i})")  # noqa: S608
                params.extend(p)
            with connection.cursor() as cursor:
                cursor.execute("SELECT " + ", ".join(pieces), params)
                row = cursor.fetchone()
            self._counts = dict(zip([s for s, _o in self.segments], row, strict=True))
        return self._counts

    def count(self) -> int:
        return sum(self.counts().values())

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Any:
        return iter(self[0 : self.count()])

    def __getitem__(self, key: slice) -> list[Any]:
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("ProposalList takes slices without a step")
        start = key.start or 0
        stop = self.count() if key.stop is None else key.stop
        parts, offset = [], 0
        for status, order in self.segments:
            n = self.counts().get(status, 0)
            lo, hi = max(start - offset, 0), min(stop - offset, n)
            if lo < hi:
                ids = self.base.filter(status=status).order_by(*order).values("pk")
                parts.append(ids[lo:hi])
            offset += n
        if not parts:
            return []
        chosen = Proposal.objects.filter(pk__in=[row["pk"] for row in union_all(*parts)])
        rows: list[Any]
        sort_values: Callable[[Any], tuple[Any, Any, Any]]
        if self._values is None:
            rows = list(
                chosen.select_related("partnership", "working_group", "proposer").prefetch_related(
                    *self._prefetch
                )
            )
            sort_values = attrgetter("status", "closes_at", "pk")
        else:
            fields, expressions = self._values
            rows = list(chosen.values(*fields, **expressions))
            sort_values = itemgetter("status", "closes_at", "pk")
        rank = {status: i for i, (status, _order) in enumerate(self.segments)}

        def key_of(row: Any) -> tuple[int, float, int]:
            status, closes_at, pk = sort_values(row)
            t = closes_at.timestamp()
            if status == ProposalStatus.OPEN:
                return rank[status], t, pk
            return rank[status], -t, -pk

        return sorted(rows, key=key_of)


def proposals_for(partnership: Partnership, *, status: str = "", group: str = "") -> ProposalList:
    qs = Proposal.objects.filter(partnership=partnership)
    if group == "partnership":
        qs = qs.filter(working_group__isnull=True)
    elif group:
        qs = qs.filter(working_group__slug=group)
    statuses = [status] if status in ProposalStatus.values else list(ProposalStatus.values)
    return ProposalList(qs, statuses)


def proposal_detail(partnership: Partnership, pk: int) -> Proposal | None:
    """The proposal with what its page shows; its partnership is the one given (the
    page has read it already), its register entry is not read (the page needs only
    ``decision_id``), and its options only for a method that uses them."""
    proposal = (
        Proposal.objects.filter(partnership=partnership, pk=pk)
        .select_related("working_group", "proposer", "domain")
        .first()
    )
    if proposal is not None:
        proposal.partnership = partnership
        if proposal.uses_options:
            prefetch_related_objects([proposal], "options")
    return proposal


def person_name(user: str) -> Coalesce:
    """A person's name as ``str(user)`` writes it (their name, else their email), in SQL."""
    return Coalesce(
        NullIf(f"{user}__display_name", Value("")), f"{user}__email", output_field=CharField()
    )


def votes_of(proposal: Proposal) -> QuerySet[Vote, dict[str, Any]]:
    """Named votes in voter-name order, read along the (proposal, voter_name, id) index,
    as plain rows: a page lists a hundred of them and shows no more of the voter and
    the organisation than their names. A stance vote's choices are always empty, so
    they are read only for a method with options."""
    fields = ["position", "reason", "organisation_id"]
    if proposal.uses_options:
        fields.append("choices")
    rows: QuerySet[Vote, dict[str, Any]] = proposal.votes.order_by("voter_name", "id").values(
        *fields,
        voter_label=person_name("voter"),
        organisation_name=F("organisation__name"),
    )
    return rows


def recount_votes(proposal: Proposal) -> tuple[int, dict[str, int]]:
    """How many electors have voted and the named votes per position, from the rows."""
    if proposal.anonymous:
        return Participation.objects.filter(proposal=proposal).count(), {}
    counts: dict[str, int] = {}
    n_voted = 0
    grouped = (
        Vote.objects.filter(proposal=proposal).order_by().values("position").annotate(n=Count("pk"))
    )
    for row in grouped:
        n_voted += row["n"]
        if row["position"]:
            counts[row["position"]] = row["n"]
    return n_voted, counts


def live_tally(proposal: Proposal, *, eligible: int) -> dict[str, Any] | None:
    """The running result of a named stance vote (None for option methods and anonymous votes).

    Gives the same dictionary as ``tally.tally`` from the proposal's running counts,
    without reading a single vote."""
    if proposal.method not in tally.POSITIONS or proposal.anonymous:
        return None
    stored = proposal.stance_counts or {}
    counts = {p: int(stored.get(p, 0)) for p in tally.POSITIONS[proposal.method]}
    result: dict[str, Any] = {
        "method": proposal.method,
        **tally.quorum(eligible, proposal.n_voted, proposal.quorum_percent),
        "counts": counts,
    }
    outcome = tally.stance_outcome(proposal.method, counts)
    result["outcome"] = outcome if result["quorum_met"] else "no_quorum"
    return result


def participant_names(proposal: Proposal) -> QuerySet[Participation, str]:
    """The names of who took part in an anonymous vote, in list order."""
    return (
        proposal.participations.order_by("user_name", "id")
        .annotate(name=person_name("user"))
        .values_list("name", flat=True)
    )


def register_for(
    partnership: Partnership, *, method: str = "", group: str = "", adopted: str = "", q: str = ""
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


def groups_for(partnership: Partnership) -> QuerySet[WorkingGroup]:
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


def group_detail(partnership: Partnership, slug: str) -> WorkingGroup | None:
    return (
        WorkingGroup.objects.filter(partnership=partnership, slug=slug)
        .select_related("lead", "partnership")
        .prefetch_related(
            Prefetch("members", queryset=User.objects.select_related("organisation")),
            Prefetch("decision_domains", queryset=DecisionDomain.objects.select_related("person")),
        )
        .first()
    )


def domains_for(partnership: Partnership) -> QuerySet[DecisionDomain]:
    return DecisionDomain.objects.filter(partnership=partnership).select_related(
        "working_group", "person"
    )


def partnership_people(partnership: Partnership) -> QuerySet[User]:
    """People with an active role: those who can join a working group or hold a domain."""
    return (
        User.objects.filter(
            partnership_roles__partnership=partnership, partnership_roles__ended_on__isnull=True
        )
        .select_related("organisation")
        .distinct()
        .order_by("display_name", "email")
    )


def timeline_decisions(
    partnership: Partnership,
    start: datetime.date | None,
    end: datetime.date | None,
    limit: int | None,
) -> tuple[QuerySet[Decision], dict[str, Any]]:
    """Adopted decisions on the library's timeline (``library.selectors.timeline``)."""
    ds = Decision.objects.filter(partnership=partnership, adopted=True)
    if start:
        ds = ds.filter(decided_on__gte=start)
    if end:
        ds = ds.filter(decided_on__lte=end)
    columns = {
        "date": F("decided_on"),
        "title": F("title"),
        "detail": F("statement"),
        "source": "decision",
    }
    return ds.order_by("-decided_on", "-id")[: limit or 200], columns
