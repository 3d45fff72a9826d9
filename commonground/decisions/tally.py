"""Counting votes. Pure functions over plain data, so every method can be
checked by hand in the tests.

Every tally is a JSON-ready dict with the electorate, participation and
quorum, the method's own counts, and an ``outcome`` code (see
``models.Outcome``). Ties between options are always broken by a stated
rule and the rule used is written into the tally.
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
) -> tuple[list[dict[str, Any]], int | None, bool]:
    """Order options by total (highest first); ties go to the option listed first."""
    order = {o.id: i for i, o in enumerate(options)}
    keyf = key or (lambda oid: totals[oid])
    ranked = sorted(options, key=lambda o: (_neg(keyf(o.id)), order[o.id]))
    rows = [{"id": o.id, "label": o.label, "total": totals[o.id]} for o in ranked]
    if not ranked:
        return rows, None, False
    top = keyf(ranked[0].id)
    tied = len(ranked) > 1 and keyf(ranked[1].id) == top
    return rows, ranked[0].id, tied


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


def instant_runoff(
    options: Sequence[OptionData], rankings: Sequence[Sequence[int]]
) -> dict[str, Any]:
    """Instant-runoff voting with elimination rounds.

    Each round counts every ballot for its highest-ranked continuing option.
    An option with more than half of the ballots still in play wins.
    Otherwise the option with the fewest votes is eliminated. A tie for
    fewest is broken by the fewest votes in the previous round (going back
    round by round); if still tied, the option listed last is eliminated.
    """
    order = {o.id: i for i, o in enumerate(options)}
    labels = {o.id: o.label for o in options}
    continuing = [o.id for o in options]
    rounds: list[dict[str, Any]] = []
    history: list[dict[int, int]] = []
    winner: int | None = None
    if not rankings:
        return {"rounds": [], "winner": None}
    while continuing:
        counts = dict.fromkeys(continuing, 0)
        exhausted = 0
        for ranking in rankings:
            top = next((oid for oid in ranking if oid in counts), None)
            if top is None:
                exhausted += 1
            else:
                counts[top] += 1
        in_play = sum(counts.values())
        this_round: dict[str, Any] = {
            "number": len(rounds) + 1,
            "counts": [
                {"id": oid, "label": labels[oid], "votes": counts[oid]} for oid in continuing
            ],
            "exhausted": exhausted,
            "eliminated": None,
            "tie_break": "",
        }
        leader = max(continuing, key=lambda oid: (counts[oid], -order[oid]))
        if len(continuing) == 1 or (in_play and counts[leader] * 2 > in_play):
            winner = leader
            rounds.append(this_round)
            break
        fewest = min(counts.values())
        tied = [oid for oid in continuing if counts[oid] == fewest]
        rule = ""
        if len(tied) > 1:
            for previous in reversed(history):
                low = min(previous[oid] for oid in tied)
                narrowed = [oid for oid in tied if previous[oid] == low]
                if len(narrowed) < len(tied):
                    tied = narrowed
                    rule = "previous_round"
                    if len(tied) == 1:
                        break
            if len(tied) > 1:
                rule = "option_order"
        eliminated = max(tied, key=lambda oid: order[oid])
        this_round["eliminated"] = {"id": eliminated, "label": labels[eliminated]}
        this_round["tie_break"] = rule
        rounds.append(this_round)
        history.append(counts)
        continuing.remove(eliminated)
    return {"rounds": rounds, "winner": winner}


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
        tied = False
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
            winner = irv["winner"]
        else:
            raise ValueError(method)
        if not ballots:
            winner = None
        result["winner"] = winner
        result["winner_label"] = next((o.label for o in options if o.id == winner), "")
        result["tie_break"] = "option_order" if tied else ""
        outcome = "chosen" if winner is not None else "not_adopted"
    if not result["quorum_met"]:
        outcome = "no_quorum"
    result["outcome"] = outcome
    return result
