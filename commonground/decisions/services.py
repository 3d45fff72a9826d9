"""State changes: the register, working groups, decision authority, proposals and votes."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonground.core import anonymity, policy
from commonground.core.audit import audit_record, snapshot
from commonground.core.i18n import Msg, choice_label
from commonground.core.slugs import unique_slug
from commonground.partnerships.models import Role, WorkingGroup

from . import rules, selectors, tally
from .models import (
    OPTION_METHODS,
    Ballot,
    Decision,
    DecisionDomain,
    DecisionMethod,
    GovernanceSettings,
    Outcome,
    Participation,
    Proposal,
    ProposalOption,
    ProposalStatus,
    SealedBallot,
    TieRule,
    Vote,
)
from .notifications import notify

if TYPE_CHECKING:
    from commonground.accounts.models import User
    from commonground.partnerships.models import Partnership


@transaction.atomic
def decision_record(
    *,
    actor: User | None,
    partnership: Partnership,
    title: str,
    method: str,
    decided_on: datetime.date,
    adopted: bool = True,
    tally: dict[str, Any] | None = None,
    statement: str = "",
    working_group: Any = None,
    source_label: str = "",
    source_url: str = "",
    outcome: str = "",
) -> Decision:
    """Enter a decision in the register (from a closed proposal or an adopted motion)."""
    decision = Decision.objects.create(
        partnership=partnership,
        working_group=working_group,
        title=title,
        statement=statement,
        method=method,
        tally=tally or {},
        adopted=adopted,
        decided_on=decided_on,
        decided_by=actor if getattr(actor, "is_authenticated", False) else None,
        source_label=source_label,
        source_url=source_url,
        outcome=outcome,
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="decision.record",
        target=decision,
        summary=Msg(gettext_noop("Decision recorded: %(title)s"), title=title),
        after={"method": method, "adopted": adopted, "tally": tally or {}},
    )
    return decision


# --- governance settings and decision domains ---------------------------------------------

GOVERNANCE_FIELDS = [
    "major_spending_threshold",
    "currency",
    "eligibility",
    "default_quorum_percent",
    "closing_soon_hours",
]


@transaction.atomic
def governance_update(
    *, actor: User, partnership: Partnership, **changes: Any
) -> GovernanceSettings:
    settings_obj, _created = GovernanceSettings.objects.select_for_update().get_or_create(
        partnership=partnership
    )
    before = snapshot(settings_obj, GOVERNANCE_FIELDS)
    for key, value in changes.items():
        if key not in GOVERNANCE_FIELDS:
            raise ValueError(f"not an editable field: {key}")
        setattr(settings_obj, key, value)
    settings_obj.full_clean()
    settings_obj.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="governance.update",
        target=settings_obj,
        summary=Msg(gettext_noop("Changed the governance settings")),
        before=before,
        after=snapshot(settings_obj, GOVERNANCE_FIELDS),
    )
    return settings_obj


DOMAIN_FIELDS = ["name", "kind", "description", "working_group", "person", "spending_limit"]


def _check_domain(partnership: Partnership, data: dict[str, Any]) -> None:
    group, person = data.get("working_group"), data.get("person")
    if group is not None and group.partnership_id != partnership.pk:
        raise ValidationError(_("That working group belongs to another partnership."))
    if group is not None and person is not None:
        raise ValidationError(_("Give the domain to a working group or to a person, not both."))
    if (
        person is not None
        and not Role.objects.filter(
            partnership=partnership, user=person, ended_on__isnull=True
        ).exists()
    ):
        raise ValidationError(_("%(person)s has no role in this partnership.") % {"person": person})
    if data.get("kind") == "policy" and (group is not None or person is not None):
        raise ValidationError(_("Policy is a major decision: it stays with the whole partnership."))
    limit = data.get("spending_limit")
    threshold = selectors.governance_for(partnership).major_spending_threshold
    if limit is not None and limit > threshold:
        raise ValidationError(
            _(
                "The spending limit cannot be above the partnership's major-decision "
                "threshold (%(threshold)s)."
            )
            % {"threshold": threshold}
        )


@transaction.atomic
def domain_save(
    *, actor: User, partnership: Partnership, domain: DecisionDomain | None = None, **data: Any
) -> DecisionDomain:
    """Create a decision domain or change one."""
    _check_domain(partnership, data)
    created = domain is None
    if domain is None:
        domain = DecisionDomain(partnership=partnership)
        before = None
    else:
        before = snapshot(domain, DOMAIN_FIELDS)
    for key, value in data.items():
        if key not in DOMAIN_FIELDS:
            raise ValueError(f"not an editable field: {key}")
        setattr(domain, key, value)
    domain.full_clean()
    domain.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="domain.create" if created else "domain.update",
        target=domain,
        summary=Msg(gettext_noop("Decision domain “%(name)s” saved"), name=domain.name),
        before=before,
        after=snapshot(domain, DOMAIN_FIELDS),
    )
    return domain


@transaction.atomic
def domain_delete(*, actor: User, domain: DecisionDomain) -> None:
    audit_record(
        actor=actor,
        partnership=domain.partnership,
        verb="domain.delete",
        target=domain,
        summary=Msg(gettext_noop("Decision domain “%(name)s” removed"), name=domain.name),
        before=snapshot(domain, DOMAIN_FIELDS),
    )
    domain.delete()


# --- working groups ------------------------------------------------------------------------

GROUP_FIELDS = ["name", "remit", "lead", "is_active"]


def _has_role(partnership: Partnership, user: Any) -> bool:
    return Role.objects.filter(partnership=partnership, user=user, ended_on__isnull=True).exists()


def _unique_group_slug(partnership: Partnership, name: str, exclude_pk: int | None = None) -> str:
    return unique_slug(
        WorkingGroup.objects.filter(partnership=partnership),
        name,
        max_length=70,
        fallback="group",
        exclude_pk=exclude_pk,
    )


@transaction.atomic
def working_group_save(
    *, actor: User, partnership: Partnership, group: WorkingGroup | None = None, **data: Any
) -> WorkingGroup:
    """Create a working group or edit its name, remit, lead and status.

    The lead must hold a role in the partnership and becomes a member."""
    lead = data.get("lead")
    if lead is not None and not _has_role(partnership, lead):
        raise ValidationError(_("%(person)s has no role in this partnership.") % {"person": lead})
    created = group is None
    before = None if group is None else snapshot(group, GROUP_FIELDS)
    if group is None:
        group = WorkingGroup(partnership=partnership)
    for key, value in data.items():
        if key not in GROUP_FIELDS:
            raise ValueError(f"not an editable field: {key}")
        setattr(group, key, value)
    if created:
        group.slug = _unique_group_slug(partnership, group.name)
    group.full_clean()
    group.save()
    if lead is not None:
        group.members.add(lead)
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="working_group.create" if created else "working_group.update",
        target=group,
        summary=Msg(gettext_noop("Working group “%(name)s” saved"), name=group.name),
        before=before,
        after=snapshot(group, GROUP_FIELDS),
    )
    return group


@transaction.atomic
def working_group_member_add(*, actor: User, group: WorkingGroup, user: Any) -> None:
    if not _has_role(group.partnership, user):
        raise ValidationError(_("%(person)s has no role in this partnership.") % {"person": user})
    if group.members.filter(pk=user.pk).exists():
        raise ValidationError(_("%(person)s is already a member.") % {"person": user})
    group.members.add(user)
    audit_record(
        actor=actor,
        partnership=group.partnership,
        verb="working_group.member_add",
        target=group,
        summary=Msg(gettext_noop("%(person)s joined %(group)s"), person=user, group=group.name),
        after={"user": user.pk},
    )


@transaction.atomic
def working_group_member_remove(*, actor: User, group: WorkingGroup, user: Any) -> None:
    if group.lead_id == user.pk:
        raise ValidationError(_("Choose another lead before removing the current lead."))
    if not group.members.filter(pk=user.pk).exists():
        raise ValidationError(_("%(person)s is not a member.") % {"person": user})
    group.members.remove(user)
    audit_record(
        actor=actor,
        partnership=group.partnership,
        verb="working_group.member_remove",
        target=group,
        summary=Msg(gettext_noop("%(person)s left %(group)s"), person=user, group=group.name),
        before={"user": user.pk},
    )


# --- proposals -----------------------------------------------------------------------------


def major_reason(proposal: Proposal, threshold: Decimal) -> str:
    """Why a proposal must go to the whole partnership, or "" if it need not."""
    if proposal.is_policy:
        return _("it changes partnership policy")
    if proposal.domain is not None and proposal.domain.is_major:
        return _("its domain (%(domain)s) is policy") % {"domain": proposal.domain.name}
    amount = proposal.spending_amount
    if amount is not None and amount > threshold:
        return _("its spending (%(amount)s) is above the threshold of %(threshold)s") % {
            "amount": amount,
            "threshold": threshold,
        }
    return ""


def _check_scope(proposal: Proposal) -> None:
    group, domain = proposal.working_group, proposal.domain
    if group is not None and group.partnership_id != proposal.partnership_id:
        raise ValidationError(_("That working group belongs to another partnership."))
    if group is not None and not group.is_active:
        raise ValidationError(_("That working group is no longer active."))
    if domain is not None and domain.partnership_id != proposal.partnership_id:
        raise ValidationError(_("That decision domain belongs to another partnership."))
    if group is None:
        return
    governance = selectors.governance_for(proposal.partnership)
    reason = major_reason(proposal, governance.major_spending_threshold)
    if reason:
        raise ValidationError(
            _(
                "This is a major decision, because %(reason)s: it must go to the whole "
                "partnership, not to a working group."
            )
            % {"reason": reason}
        )
    if domain is not None:
        if domain.working_group_id and domain.working_group_id != group.pk:
            raise ValidationError(
                _("Decisions on %(domain)s belong to the working group %(group)s.")
                % {"domain": domain.name, "group": domain.working_group}
            )
        limit = domain.spending_limit
        if limit is not None and (proposal.spending_amount or 0) > limit:
            raise ValidationError(
                _(
                    "The working group may spend up to %(limit)s on %(domain)s; a larger "
                    "amount goes to the whole partnership."
                )
                % {"limit": limit, "domain": domain.name}
            )


@transaction.atomic
def proposal_create(
    *,
    actor: User,
    partnership: Partnership,
    title: str,
    method: str,
    closes_at: datetime.datetime,
    details: str = "",
    working_group: WorkingGroup | None = None,
    domain: DecisionDomain | None = None,
    options: Sequence[str] = (),
    quorum_percent: int | None = None,
    max_score: int = 5,
    dots: int = 5,
    results_hidden: bool = False,
    anonymous: bool = False,
    spending_amount: Decimal | None = None,
    is_policy: bool = False,
    tie_rule: str = "",
    notify_people: bool = True,
) -> Proposal:
    """Open a proposal for votes. Major decisions are refused at working-group scope.

    A vote between options settles a tie for first place by ``tie_rule`` (a runoff unless
    another rule is given); other methods have no tie rule."""
    if not rules.can_propose_in(actor, partnership, working_group):
        raise PermissionDenied(_("Only members of the working group can propose there."))
    if closes_at <= timezone.now():
        raise ValidationError({"closes_at": _("The closing time must be in the future.")})
    governance = selectors.governance_for(partnership)
    labels = [o.strip() for o in options if o and o.strip()]
    if method in OPTION_METHODS:
        if len(labels) < 2:
            raise ValidationError({"options": _("Give at least two options.")})
        if len({label.casefold() for label in labels}) != len(labels):
            raise ValidationError({"options": _("Each option must be different.")})
        tie_rule = tie_rule or TieRule.RUNOFF
    else:
        labels = []
        tie_rule = ""
    proposal = Proposal(
        partnership=partnership,
        working_group=working_group,
        domain=domain,
        title=title,
        details=details,
        method=method,
        closes_at=closes_at,
        quorum_percent=governance.default_quorum_percent
        if quorum_percent is None
        else quorum_percent,
        max_score=max_score,
        dots=dots,
        # Anonymous results stay hidden until the end: a live count would show
        # how the last person voted.
        results_hidden=results_hidden or anonymous,
        anonymous=anonymous,
        eligibility=governance.eligibility,
        spending_amount=spending_amount,
        is_policy=is_policy,
        tie_rule=tie_rule,
        proposer=actor,
    )
    proposal.full_clean(exclude=["proposer"])
    _check_scope(proposal)
    proposal.save()
    ProposalOption.objects.bulk_create(
        [
            ProposalOption(proposal=proposal, label=label, position=i)
            for i, label in enumerate(labels)
        ]
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="proposal.create",
        target=proposal,
        summary=Msg(gettext_noop("Proposal opened: %(title)s"), title=title),
        after=snapshot(
            proposal,
            [
                "title",
                "method",
                "working_group",
                "closes_at",
                "quorum_percent",
                "anonymous",
                "tie_rule",
            ],
        ),
    )
    if notify_people:
        people = set().union(*selectors.electorate(proposal).values()) - {actor.pk}
        from commonground.accounts.models import User

        notify(
            users=User.objects.filter(pk__in=people),
            partnership=partnership,
            kind="proposal.new",
            title=Msg(gettext_noop("New proposal: %(title)s"), title=title),
            url=proposal.get_absolute_url(),
        )
    return proposal


def _clean_ballot(proposal: Proposal, position: str, choices: Any) -> tuple[str, Any]:
    """Check a ballot against the method; returns (position, choices) to store."""
    method = proposal.method
    if method in tally.POSITIONS:
        if position not in tally.POSITIONS[method]:
            raise ValidationError(_("Choose one of the positions offered."))
        return position, {}
    option_ids = [o.pk for o in proposal.options.all()]
    valid = set(option_ids)
    if method == DecisionMethod.RANKED:
        try:
            ranking = [int(x) for x in (choices or []) if x not in ("", None)]
        except (TypeError, ValueError):
            raise ValidationError(_("A ranking lists options.")) from None
        if not ranking:
            raise ValidationError(_("Rank at least one option."))
        if len(set(ranking)) != len(ranking):
            raise ValidationError(_("Each option can be ranked only once."))
        if not set(ranking) <= valid:
            raise ValidationError(_("The ranking names an option this proposal does not have."))
        return "", ranking
    if not isinstance(choices, dict):
        raise ValidationError(_("Give a value for each option."))
    cleaned: dict[str, Any] = {}
    for key, value in choices.items():
        try:
            oid = int(key)
        except (TypeError, ValueError):
            raise ValidationError(_("Unknown option.")) from None
        if oid not in valid:
            raise ValidationError(_("The ballot names an option this proposal does not have."))
        if method == DecisionMethod.TIME_POLL:
            if value not in tally.TIME_POLL_ANSWERS:
                raise ValidationError(_("Answer yes, maybe or no for each time."))
            cleaned[str(oid)] = value
            continue
        try:
            number = int(value or 0)
        except (TypeError, ValueError):
            raise ValidationError(_("Scores and dots are whole numbers.")) from None
        if number < 0:
            raise ValidationError(_("Scores and dots cannot be negative."))
        if method == DecisionMethod.SCORE and number > proposal.max_score:
            raise ValidationError(_("Scores go from 0 to %(max)s.") % {"max": proposal.max_score})
        cleaned[str(oid)] = number
    if method == DecisionMethod.DOT:
        spent = sum(cleaned.values())
        if spent == 0:
            raise ValidationError(_("Place at least one dot."))
        if spent > proposal.dots:
            raise ValidationError(
                _("You have %(dots)s dots; this ballot places %(spent)s.")
                % {"dots": proposal.dots, "spent": spent}
            )
    if method == DecisionMethod.TIME_POLL and not cleaned:
        raise ValidationError(_("Answer for at least one time."))
    return "", cleaned


@transaction.atomic
def vote_cast(
    *,
    actor: User,
    proposal: Proposal,
    position: str = "",
    choices: Any = None,
    reason: str = "",
) -> Vote | SealedBallot:
    """Cast (or change) a vote. The proposal row is locked so votes and closing queue."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != ProposalStatus.OPEN or locked.closes_at <= timezone.now():
        raise ValidationError(_("Voting has closed on this proposal."))
    locked.partnership = proposal.partnership
    elector = selectors.elector_for(actor, locked)
    if not elector:
        raise ValidationError(
            _("You are not eligible to vote on this proposal.")
            if locked.working_group_id is None
            else _("Only members of %(group)s vote on this proposal.")
            % {"group": locked.working_group}
        )
    position, cleaned = _clean_ballot(locked, position, choices)
    reason = (reason or "").strip()
    org_id = int(elector[1:]) if elector.startswith("o") else None
    if locked.anonymous:
        if Participation.objects.filter(proposal=locked, elector=elector).exists():
            raise ValidationError(
                _(
                    "Your anonymous vote is already cast. It cannot be changed, because "
                    "nothing links it to you."
                )
                if org_id is None
                else _("Your organisation's anonymous vote is already cast.")
            )
        try:
            with transaction.atomic():
                Participation.objects.create(
                    proposal=locked, user=actor, elector=elector, user_name=actor.display_name
                )
        except IntegrityError:
            raise ValidationError(_("A vote has already been cast for you.")) from None
        # Sealed until the close. Deliberately no audit event, no log line, no time: the
        # participation above says that this person voted; nothing may say how.
        ballot = SealedBallot.objects.create(
            proposal=locked, position=position, choices=cleaned, reason=reason
        )
        locked.n_voted += 1
        locked.save(update_fields=["n_voted"])
        return ballot
    vote = Vote.objects.filter(proposal=locked, elector=elector).first()
    before = None
    if vote is None:
        vote = Vote(proposal=locked, elector=elector, organisation_id=org_id)
    else:
        before = {"position": vote.position, "choices": vote.choices, "by": vote.voter_id}
    vote.voter = actor
    vote.voter_name = actor.display_name
    vote.position = position
    vote.choices = cleaned
    vote.reason = reason
    try:
        with transaction.atomic():
            vote.save()
    except IntegrityError:
        raise ValidationError(
            _("A vote has already been cast for you; reload and change it.")
        ) from None
    _count_vote(locked, old=before["position"] if before else None, new=position)
    audit_record(
        actor=actor,
        partnership=locked.partnership,
        verb="vote.change" if before else "vote.cast",
        target=locked,
        summary=Msg(
            gettext_noop("Changed their vote on: %(title)s")
            if before
            else gettext_noop("Voted on: %(title)s"),
            title=locked.title,
        ),
        before=before,
        after={"position": position, "choices": cleaned},
    )
    return vote


def _count_vote(locked: Proposal, *, old: str | None, new: str) -> None:
    """Keep the running counts of a locked proposal: a new vote (``old`` None) or a change."""
    counts = dict(locked.stance_counts or {})
    if old is None:
        locked.n_voted += 1
    elif old:
        counts[old] = max(0, counts.get(old, 0) - 1)
    if new:
        counts[new] = counts.get(new, 0) + 1
    locked.stance_counts = {k: v for k, v in counts.items() if v}
    locked.save(update_fields=["n_voted", "stance_counts"])


def vote_counts_recount(proposal: Proposal) -> Proposal:
    """Count the votes again from their rows and store the running counts.

    For data written in bulk (demo and scale seeds) and as a check: after any
    sequence of casts and changes the stored counts equal this recount."""
    n_voted, counts = selectors.recount_votes(proposal)
    Proposal.objects.filter(pk=proposal.pk).update(n_voted=n_voted, stance_counts=counts)
    proposal.n_voted, proposal.stance_counts = n_voted, counts
    return proposal


def compute_tally(proposal: Proposal) -> dict[str, Any]:
    rows = (
        Ballot.objects.filter(proposal=proposal)
        if proposal.anonymous
        else Vote.objects.filter(proposal=proposal)
    )
    ballots = [tally.BallotData(p, c) for p, c in rows.values_list("position", "choices")]
    options = [tally.OptionData(o.pk, o.label) for o in proposal.options.all()]
    return tally.tally(
        method=proposal.method,
        ballots=ballots,
        options=options,
        eligible=len(selectors.electorate(proposal)),
        quorum_percent=proposal.quorum_percent,
    )


def _release_ballots(proposal: Proposal) -> None:
    """Write the sealed anonymous ballots in a random order and securely delete the sealed
    copies, so storage order says nothing about who voted when."""
    sealed = SealedBallot.objects.filter(proposal=proposal)
    rows = list(sealed.values("position", "choices", "reason"))
    Ballot.objects.bulk_create(
        [Ballot(proposal=proposal, **row) for row in anonymity.shuffled(rows)]
    )
    anonymity.secure_delete(sealed)


@transaction.atomic
def proposal_close(*, actor: User | None, proposal: Proposal, early: bool = False) -> Proposal:
    """Close the vote, write the tally and enter the result in the register.

    ``actor`` is None when the scheduler closes a proposal on time. Closing
    before the closing time needs the proposer or a manager (``early``)."""
    locked = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("partnership", "working_group")
        .get(pk=proposal.pk)
    )
    if locked.status != ProposalStatus.OPEN:
        raise ValidationError(_("This proposal is already closed."))
    now = timezone.now()
    if locked.closes_at > now and not early:
        raise ValidationError(_("This proposal is still open for votes."))
    if early and not rules.can_close(actor, locked):
        raise PermissionDenied(_("Only the proposer or a manager can close a proposal early."))
    planned_length = locked.closes_at - locked.created_at
    if locked.anonymous:
        _release_ballots(locked)
    result = compute_tally(locked)
    if result["outcome"] == Outcome.TIED:
        result["settlement"] = _settle_at_close(locked, result)
    locked.tally = result
    locked.outcome = result["outcome"]
    locked.status = ProposalStatus.CLOSED
    locked.closed_at = now
    if early:
        locked.closes_at = now
    url = locked.get_absolute_url()
    decision = decision_record(
        actor=actor,
        partnership=locked.partnership,
        title=locked.title,
        method=locked.method,
        decided_on=timezone.localdate(now),
        adopted=result["outcome"] in (Outcome.ADOPTED, Outcome.CHOSEN)
        or bool(result.get("settlement", {}).get("chosen")),
        tally=result,
        working_group=locked.working_group,
        source_label=_("Proposal #%(n)s") % {"n": locked.pk},
        source_url=url,
        outcome=result["outcome"],
    )
    locked.decision = decision
    locked.save()
    audit_record(
        actor=actor,
        partnership=locked.partnership,
        verb="proposal.close",
        target=locked,
        summary=Msg(
            gettext_noop("Proposal closed (%(outcome)s): %(title)s"),
            outcome=choice_label(locked, "outcome"),
            title=locked.title,
        ),
        after={"outcome": locked.outcome, **_settlement_part(result)},
    )
    settlement = result.get("settlement")
    if settlement and settlement["rule"] == TieRule.RUNOFF:
        runoff = _open_runoff(actor=actor, proposal=locked, length=planned_length)
        settlement["runoff"] = runoff.pk
        Proposal.objects.filter(pk=locked.pk).update(tally=result)
        Decision.objects.filter(pk=decision.pk).update(tally=result)
    elif settlement and settlement["rule"] == TieRule.CHAIR:
        _ask_the_chair(locked)
    from commonground.accounts.models import User

    people = set().union(*selectors.electorate(locked).values())
    if locked.proposer_id:
        people.add(locked.proposer_id)
    notify(
        users=User.objects.filter(pk__in=people),
        partnership=locked.partnership,
        kind="proposal.outcome",
        title=Msg(
            gettext_noop("Outcome (%(outcome)s): %(title)s"),
            outcome=choice_label(locked, "outcome"),
            title=locked.title,
        ),
        url=url,
    )
    return locked


def _settlement_part(result: dict[str, Any]) -> dict[str, Any]:
    return {"settlement": result["settlement"]} if "settlement" in result else {}


def _settle_at_close(proposal: Proposal, result: dict[str, Any]) -> dict[str, Any]:
    """How the tie in ``result`` goes on, by the proposal's tie rule: drawn by lot now,
    left to the chair (``proposal_tie_settle``), or put to a runoff (opened by the close).

    A proposal without a rule (made before there were rules) gets a runoff."""
    among = [
        {"id": oid, "label": label}
        for oid, label in zip(result["tied"], result["tied_labels"], strict=True)
    ]
    rule = proposal.tie_rule or TieRule.RUNOFF
    if rule == TieRule.LOT:
        # The operating system's random source: no seed to record, repeat or predict.
        return {
            "rule": rule,
            "among": among,
            "chosen": secrets.choice(among),
            "drawn_with": "secrets.choice",
            "at": timezone.now().isoformat(),
        }
    if rule == TieRule.CHAIR:
        return {"rule": rule, "among": among, "chosen": None}
    return {"rule": TieRule.RUNOFF, "among": among, "runoff": None}


RUNOFF_SHORTEST = datetime.timedelta(days=1)
RUNOFF_LONGEST = datetime.timedelta(days=14)


def _open_runoff(*, actor: User | None, proposal: Proposal, length: datetime.timedelta) -> Proposal:
    """A new vote between the tied options of ``proposal``, open as long as the first
    one was meant to be (one day to two weeks), for the same electorate, with the same
    settings. If it ties again, the chair decides."""
    among = proposal.tally["settlement"]["among"]
    runoff = Proposal.objects.create(
        partnership=proposal.partnership,
        working_group=proposal.working_group,
        domain=proposal.domain,
        title=proposal.title,
        details=proposal.details,
        method=proposal.method,
        closes_at=timezone.now() + min(max(length, RUNOFF_SHORTEST), RUNOFF_LONGEST),
        quorum_percent=proposal.quorum_percent,
        max_score=proposal.max_score,
        dots=proposal.dots,
        results_hidden=proposal.results_hidden,
        anonymous=proposal.anonymous,
        eligibility=proposal.eligibility,
        spending_amount=proposal.spending_amount,
        is_policy=proposal.is_policy,
        tie_rule=TieRule.CHAIR,
        runoff_of=proposal,
        proposer=proposal.proposer,
    )
    ProposalOption.objects.bulk_create(
        [
            ProposalOption(proposal=runoff, label=option["label"], position=i)
            for i, option in enumerate(among)
        ]
    )
    audit_record(
        actor=actor,
        partnership=proposal.partnership,
        verb="proposal.runoff",
        target=runoff,
        summary=Msg(
            gettext_noop("Runoff opened between the tied options of: %(title)s"),
            title=proposal.title,
        ),
        after={"runoff_of": proposal.pk, "options": [option["label"] for option in among]},
    )
    from commonground.accounts.models import User

    notify(
        users=User.objects.filter(pk__in=set().union(*selectors.electorate(runoff).values())),
        partnership=proposal.partnership,
        kind="proposal.new",
        title=Msg(gettext_noop("Runoff vote: %(title)s"), title=proposal.title),
        url=runoff.get_absolute_url(),
    )
    return runoff


def _chairs(partnership: Partnership) -> Any:
    """The people who may settle a tie as chair: holders of ``decisions.manage``."""
    from commonground.accounts.models import User

    return User.objects.filter(
        partnership_roles__partnership=partnership,
        partnership_roles__kind__in=policy.roles_holding(rules.MANAGE),
        partnership_roles__ended_on__isnull=True,
    ).distinct()


def _ask_the_chair(proposal: Proposal) -> None:
    notify(
        users=_chairs(proposal.partnership),
        partnership=proposal.partnership,
        kind="proposal.tie_chair",
        title=Msg(gettext_noop("A tie for you to settle: %(title)s"), title=proposal.title),
        url=proposal.get_absolute_url(),
    )


@transaction.atomic
def proposal_tie_settle(*, actor: User, proposal: Proposal, option: int, reason: str) -> Proposal:
    """The chair (a holder of ``decisions.manage``) chooses among the tied options of a
    proposal whose tie rule leaves it to them, with a reason; the register says so."""
    locked = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("partnership")
        .get(pk=proposal.pk)
    )
    if not policy.has_capability(actor, locked.partnership, rules.MANAGE):
        raise PermissionDenied(_("Only the chair or a manager of the partnership settles a tie."))
    before = dict((locked.tally or {}).get("settlement") or {})
    if locked.outcome != Outcome.TIED or before.get("rule") != TieRule.CHAIR:
        raise ValidationError(_("This proposal has no tie for the chair to settle."))
    if before.get("chosen"):
        raise ValidationError(_("This tie is already settled."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the choice.")})
    chosen = next((o for o in before["among"] if o["id"] == option), None)
    if chosen is None:
        raise ValidationError({"option": _("Choose one of the tied options.")})
    now = timezone.now()
    settlement = {
        **before,
        "chosen": chosen,
        "by": actor.pk,
        "by_name": actor.display_name,
        "reason": reason,
        "at": now.isoformat(),
    }
    locked.tally = {**locked.tally, "settlement": settlement}
    locked.save(update_fields=["tally", "updated_at"])
    if locked.decision_id:
        decision = Decision.objects.select_for_update().get(pk=locked.decision_id)
        decision.tally = {**decision.tally, "settlement": settlement}
        decision.adopted = True
        decision.decided_by = actor
        decision.decided_on = timezone.localdate(now)
        decision.save(update_fields=["tally", "adopted", "decided_by", "decided_on", "updated_at"])
    audit_record(
        actor=actor,
        partnership=locked.partnership,
        verb="proposal.tie_settle",
        target=locked,
        summary=Msg(
            gettext_noop("Tie settled by the chair (%(option)s): %(title)s"),
            option=chosen["label"],
            title=locked.title,
        ),
        before={"settlement": before},
        after={"settlement": settlement},
    )
    from commonground.accounts.models import User

    people = set().union(*selectors.electorate(locked).values())
    if locked.proposer_id:
        people.add(locked.proposer_id)
    notify(
        users=User.objects.filter(pk__in=people - {actor.pk}),
        partnership=locked.partnership,
        kind="proposal.outcome",
        title=Msg(
            gettext_noop("Tie settled by the chair (%(option)s): %(title)s"),
            option=chosen["label"],
            title=locked.title,
        ),
        url=locked.get_absolute_url(),
    )
    return locked


@transaction.atomic
def proposal_record_outcome(*, actor: User, proposal: Proposal, statement: str) -> Proposal:
    """The proposer (or a manager) writes what was decided, in words."""
    statement = (statement or "").strip()
    if proposal.status != ProposalStatus.CLOSED:
        raise ValidationError(_("Record the outcome once the proposal has closed."))
    if not rules.can_close(actor, proposal):
        raise PermissionDenied(_("Only the proposer or a manager records the outcome."))
    if not statement:
        raise ValidationError({"statement": _("Write the outcome statement.")})
    before = {"statement": proposal.outcome_statement}
    proposal.outcome_statement = statement
    proposal.save(update_fields=["outcome_statement", "updated_at"])
    if proposal.decision_id:
        Decision.objects.filter(pk=proposal.decision_id).update(statement=statement)
    audit_record(
        actor=actor,
        partnership=proposal.partnership,
        verb="proposal.outcome",
        target=proposal,
        summary=Msg(gettext_noop("Outcome statement recorded: %(title)s"), title=proposal.title),
        before=before,
        after={"statement": statement},
    )
    return proposal


def close_if_due(proposal: Proposal) -> Proposal:
    """Close a proposal whose time has passed (called when it is read)."""
    if not proposal.is_due:
        return proposal
    try:
        return proposal_close(actor=None, proposal=proposal)
    except ValidationError:  # someone else closed it a moment ago
        proposal.refresh_from_db()
        return proposal


def close_due_proposals(*, partnership: Partnership | None = None) -> int:
    """Close every proposal whose closing time has passed. Returns how many."""
    due = Proposal.objects.filter(status=ProposalStatus.OPEN, closes_at__lte=timezone.now())
    if partnership is not None:
        due = due.filter(partnership=partnership)
    closed = 0
    for proposal in due.select_related("partnership").order_by("closes_at", "id"):
        try:
            proposal_close(actor=None, proposal=proposal)
            closed += 1
        except ValidationError:
            continue
    return closed


def send_closing_soon() -> int:
    """Remind those who have not voted that a proposal closes soon. Returns how many proposals."""
    from commonground.accounts.models import User

    now = timezone.now()
    sent = 0
    candidates = Proposal.objects.filter(
        status=ProposalStatus.OPEN, closes_at__gt=now, closing_soon_sent_at__isnull=True
    ).select_related("partnership", "working_group")
    for proposal in candidates:
        hours = selectors.governance_for(proposal.partnership).closing_soon_hours
        if proposal.closes_at - now > datetime.timedelta(hours=hours):
            continue
        with transaction.atomic():
            updated = Proposal.objects.filter(
                pk=proposal.pk, closing_soon_sent_at__isnull=True
            ).update(closing_soon_sent_at=now)
            if not updated:
                continue
            voted = selectors.voted_electors(proposal)
            people: set[int] = set()
            for elector, users in selectors.electorate(proposal).items():
                if elector not in voted:
                    people |= users
            notify(
                users=User.objects.filter(pk__in=people),
                partnership=proposal.partnership,
                kind="proposal.closing_soon",
                title=Msg(gettext_noop("Closing soon: %(title)s"), title=proposal.title),
                url=proposal.get_absolute_url(),
            )
            sent += 1
    return sent


@transaction.atomic
def delegated_decision_record(
    *,
    actor: User,
    domain: DecisionDomain,
    title: str,
    decided_on: datetime.date,
    statement: str = "",
    spending_amount: Decimal | None = None,
) -> Decision:
    """A decision taken under delegated authority goes straight into the register."""
    if not rules.can_decide_in(actor, domain):
        raise PermissionDenied(
            _("Only the person or working group holding “%(domain)s” decides there.")
            % {"domain": domain.name}
        )
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("A decision cannot be dated in the future.")})
    threshold = selectors.governance_for(domain.partnership).major_spending_threshold
    limit = domain.spending_limit
    if spending_amount is not None and (
        spending_amount > threshold or (limit is not None and spending_amount > limit)
    ):
        raise ValidationError(
            {
                "spending_amount": _(
                    "This amount is above what %(domain)s may spend; put it to a vote instead."
                )
                % {"domain": domain.name}
            }
        )
    tally = {"spending_amount": str(spending_amount)} if spending_amount is not None else {}
    return decision_record(
        actor=actor,
        partnership=domain.partnership,
        title=title,
        method=DecisionMethod.DELEGATED,
        decided_on=decided_on,
        statement=statement,
        tally=tally,
        working_group=domain.working_group,
        source_label=_("Delegated: %(domain)s") % {"domain": domain.name},
    )
