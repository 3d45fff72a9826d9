"""Counting votes. Pure functions over plain data, so every method can be
checked by hand in the tests.

Every tally is a JSON-ready dict with the electorate, participation and
quorum, the method's own counts, and an ``outcome`` code (see
``models.Outcome``).

Nothing here depends on the order the options are listed in: that order only
sets the order rows are shown in. A tie for first place between options is
reported as a tie (``tied`` lists the options, ``winner`` is None, the outcome
is ``"tied"``); the proposal's tie rule (runoff, the chair, or lot) settles it
afterwards, in ``services``. A level yes/no vote is not a tie between options:
without more yes than no votes nothing is adopted. An option nobody gave
anything to (no points, no dots, no "yes" or "maybe") is never chosen, so
when every option is at nothing, nothing is chosen and there is no tie.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

CONSENT_POSITIONS = ("agree", "abstain", "object")
CONSENSUS_POSITIONS = ("agree", "abstain", "disagree", "block")
MAJORITY_POSITIONS = ("yes", "no", "abstain")
TIME_POLL_ANSWERS = ("yes", "maybe", "no")

POSITIONS: dict[str, tuple[str, ...]] = {
    "consent": CONSENT_POSITIONS,
    "consensus": CONSENSUS_POSITIONS,
    "majority": MAJORITY_POSITIONS,
    "two_thirds": MAJORITY_POSITIONS,
}


@dataclass(frozen=True)
class BallotData:
    position: str = ""
    choices: Any = field(default_factory=dict)


@dataclass(frozen=True)
class OptionData:
    id: int
    label: str


def quorum(eligible: int, participants: int, percent: int) -> dict[str, Any]:
    needed = math.ceil(eligible * percent / 100)
    if percent > 0:
        needed = max(needed, 1)  # a quorum is never met by nobody
    return {
        "eligible": eligible,
        "participants": participants,
        "quorum_percent": percent,
        "quorum_needed": needed,
        "quorum_met": participants >= needed,
    }


def count_positions(method: str, ballots: Sequence[BallotData]) -> dict[str, int]:
    counts = dict.fromkeys(POSITIONS[method], 0)
    for b in ballots:
        if b.position in counts:
            counts[b.position] += 1
    return counts


def stance_outcome(method: str, counts: dict[str, int]) -> str:
    """Consent, consensus and majority votes on a single proposal."""
    if method == "consent":
        # Any open objection blocks; silence and abstention are consent.
        return "blocked" if counts["object"] else "adopted"
    if method == "consensus":
        if counts["block"]:
            return "blocked"
        return "adopted" if counts["agree"] > counts["disagree"] else "not_adopted"
    yes, no = counts["yes"], counts["no"]
    cast = yes + no  # abstentions count towards the quorum, not the majority
    if method == "majority":
        return "adopted" if yes > no else "not_adopted"
    if method == "two_thirds":
        return "adopted" if cast and 3 * yes >= 2 * cast else "not_adopted"
    raise ValueError(method)


def _rank_totals(
    options: Sequence[OptionData], totals: dict[int, Any], key: Any = None
) -> tuple[list[dict[str, Any]], int | None, list[int]]:
    """Order options by total (highest first) and find the winner: the one option with
    the highest total, or, when several share it, none and the tied options.

    Options that share a total are shown in list order; that order decides nothing.
    """
    order = {o.id: i for i, o in enumerate(options)}
    keyf = key or (lambda oid: totals[oid])
    ranked = sorted(options, key=lambda o: (_neg(keyf(o.id)), order[o.id]))
    rows = [{"id": o.id, "label": o.label, "total": totals[o.id]} for o in ranked]
    if not ranked or not _positive(keyf(ranked[0].id)):
        return rows, None, []
    top = keyf(ranked[0].id)
    at_top = [o.id for o in ranked if keyf(o.id) == top]
    if len(at_top) == 1:
        return rows, at_top[0], []
    return rows, None, at_top


def _positive(value: Any) -> bool:
    return any(v > 0 for v in value) if isinstance(value, tuple) else value > 0


def _neg(value: Any) -> Any:
    if isinstance(value, tuple):
        return tuple(-v for v in value)
    return -value


def score_totals(options: Sequence[OptionData], ballots: Sequence[BallotData]) -> dict[int, int]:
    totals = {o.id: 0 for o in options}
    for b in ballots:
        for key, value in (b.choices or {}).items():
            oid = int(key)
            if oid in totals:
                totals[oid] += int(value)
    return totals


# How many rounds the count may work out while following unresolved ties (below);
# past that, every option still in the count at an unresolved tie is taken as tied.
BRANCH_ROUNDS_LIMIT = 5000


def _first_choices(
    continuing: frozenset[int], rankings: Sequence[Sequence[int]]
) -> tuple[dict[int, int], int]:
    """Each ballot counted for its highest-ranked continuing option; and how many
    ballots rank no continuing option any more (exhausted)."""
    counts = dict.fromkeys(continuing, 0)
    exhausted = 0
    for ranking in rankings:
        top = next((oid for oid in ranking if oid in counts), None)
        if top is None:
            exhausted += 1
        else:
            counts[top] += 1
    return counts, exhausted


def _next_step(
    continuing: frozenset[int], counts: dict[int, int], history: Sequence[dict[int, int]]
) -> tuple[str, frozenset[int], str]:
    """What the count does after a round: ``("win", {id}, "")``, ``("out", ids, rule)``
    (eliminate ``ids``) or ``("tie", ids, rule)`` (a tie for fewest votes that the rules
    do not break). Never looks at the order the options are listed in."""
    in_play = sum(counts.values())
    if len(continuing) == 1:
        return "win", continuing, ""
    leader = [oid for oid in continuing if counts[oid] * 2 > in_play]
    if leader:  # more than half: there is at most one
        return "win", frozenset(leader), ""
    fewest = min(counts.values())
    tied = frozenset(oid for oid in continuing if counts[oid] == fewest)
    rule = ""
    if len(tied) > 1:
        # Fewest votes in the round before, going back round by round.
        for previous in reversed(history):
            low = min(previous[oid] for oid in tied)
            narrowed = frozenset(oid for oid in tied if previous[oid] == low)
            if len(narrowed) < len(tied):
                tied, rule = narrowed, "previous_round"
                if len(tied) == 1:
                    break
    if len(tied) == 1:
        return "out", tied, rule
    others = continuing - tied
    if others and sum(counts[oid] for oid in tied) < min(counts[oid] for oid in others):
        # Even together they have fewer votes than any other option: eliminating them
        # one by one, in any order, would eliminate them all before any other.
        return "out", tied, "together"
    return "tie", tied, "unresolved"


def _possible_winners(
    continuing: frozenset[int],
    rankings: Sequence[Sequence[int]],
    history: list[dict[int, int]],
    budget: list[int],
) -> frozenset[int]:
    """Every option that wins the count from here under some way of settling the ties
    for fewest votes that the rules leave unresolved."""
    budget[0] -= 1
    counts, _exhausted = _first_choices(continuing, rankings)
    kind, ids, _rule = _next_step(continuing, counts, history)
    if kind == "win":
        return ids
    if kind == "out":
        return _possible_winners(continuing - ids, rankings, [*history, counts], budget)
    if budget[0] <= 0:
        return continuing
    winners: frozenset[int] = frozenset()
    for oid in sorted(ids):
        winners |= _possible_winners(continuing - {oid}, rankings, [*history, counts], budget)
    return winners


def instant_runoff(
    options: Sequence[OptionData], rankings: Sequence[Sequence[int]]
) -> dict[str, Any]:
    """Instant-runoff voting with elimination rounds.

    Each round counts every ballot for its highest-ranked continuing option.
    An option with more than half of the ballots still in play wins.
    Otherwise the option with the fewest votes is eliminated. A tie for
    fewest is broken by the fewest votes in the previous round (going back
    round by round). Options still tied are eliminated together when even
    their votes together are fewer than any other option's (the order could
    not matter). Otherwise the tie is unresolved: the count is worked out for
    each of them going out, and every option that wins in one of those counts
    is tied for first place (``tied``); when they all lead to the same option,
    it wins. The list order of the options never decides anything.

    The rounds shown end at the first unresolved tie, with what each choice leads to.
    """
    order = {o.id: i for i, o in enumerate(options)}
    labels = {o.id: o.label for o in options}

    def named(ids: Any) -> list[dict[str, Any]]:
        return [{"id": oid, "label": labels[oid]} for oid in sorted(ids, key=order.__getitem__)]

    if not rankings:
        return {"rounds": [], "winner": None, "tied": []}
    rankings = [[oid for oid in ranking if oid in labels] for ranking in rankings]
    continuing = frozenset(labels)
    rounds: list[dict[str, Any]] = []
    history: list[dict[int, int]] = []
    budget = [BRANCH_ROUNDS_LIMIT]
    possible: frozenset[int] = frozenset()
    while continuing:
        counts, exhausted = _first_choices(continuing, rankings)
        kind, ids, rule = _next_step(continuing, counts, history)
        this_round: dict[str, Any] = {
            "number": len(rounds) + 1,
            "counts": [
                {
                    "id": oid,
                    "label": labels[oid],
                    "votes": counts[oid],
                    "out": kind == "out" and oid in ids,
                }
                for oid in sorted(continuing, key=order.__getitem__)
            ],
            "exhausted": exhausted,
            "eliminated": None,
            "eliminated_together": [],
            "tie_break": rule,
        }
        rounds.append(this_round)
        if kind == "win":
            possible = ids
            break
        if kind == "out":
            if len(ids) == 1:
                this_round["eliminated"] = named(ids)[0]
            else:
                this_round["eliminated_together"] = named(ids)
            history.append(counts)
            continuing -= ids
            continue
        branches = []
        for oid in sorted(ids, key=order.__getitem__):
            winners = _possible_winners(continuing - {oid}, rankings, [*history, counts], budget)
            branches.append({"out": named([oid])[0], "winners": named(winners)})
            possible |= winners
        this_round["tied_for_fewest"] = named(ids)
        this_round["branches"] = branches
        break
    if len(possible) == 1:
        return {"rounds": rounds, "winner": next(iter(possible)), "tied": []}
    return {"rounds": rounds, "winner": None, "tied": [o["id"] for o in named(possible)]}


def tally(
    *,
    method: str,
    ballots: Sequence[BallotData],
    options: Sequence[OptionData] = (),
    eligible: int,
    quorum_percent: int,
) -> dict[str, Any]:
    """The complete result of a proposal."""
    result: dict[str, Any] = {"method": method, **quorum(eligible, len(ballots), quorum_percent)}
    if method in POSITIONS:
        counts = count_positions(method, ballots)
        result["counts"] = counts
        outcome = stance_outcome(method, counts)
    else:
        winner: int | None
        tied: list[int] = []
        if method in ("score", "dot"):
            totals = score_totals(options, ballots)
            rows, winner, tied = _rank_totals(options, totals)
            if method == "score":
                n = len(ballots) or 1
                for row in rows:
                    row["average"] = round(row["total"] / n, 2)
            result["options"] = rows
        elif method == "time_poll":
            yes = {o.id: 0 for o in options}
            maybe = {o.id: 0 for o in options}
            for b in ballots:
                for key, answer in (b.choices or {}).items():
                    oid = int(key)
                    if oid in yes and answer == "yes":
                        yes[oid] += 1
                    elif oid in maybe and answer == "maybe":
                        maybe[oid] += 1
            rows, winner, tied = _rank_totals(options, yes, key=lambda oid: (yes[oid], maybe[oid]))
            for row in rows:
                row["maybe"] = maybe[row["id"]]
            result["options"] = rows
        elif method == "ranked":
            irv = instant_runoff(options, [list(b.choices or []) for b in ballots])
            result["rounds"] = irv["rounds"]
            winner, tied = irv["winner"], irv["tied"]
        else:
            raise ValueError(method)
        if not ballots:
            winner, tied = None, []
        labels = {o.id: o.label for o in options}
        result["winner"] = winner
        result["winner_label"] = labels.get(winner, "") if winner is not None else ""
        result["tied"] = tied
        result["tied_labels"] = [labels[oid] for oid in tied]
        outcome = "chosen" if winner is not None else "tied" if tied else "not_adopted"
    if not result["quorum_met"]:
        outcome = "no_quorum"
    result["outcome"] = outcome
    return result
