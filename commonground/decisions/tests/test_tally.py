"""Every counting method, checked against results worked out by hand."""

from __future__ import annotations

from itertools import permutations

import pytest

from commonground.decisions import tally as tally_module
from commonground.decisions.tally import BallotData, OptionData, instant_runoff, quorum, tally

A, B, C, D = (OptionData(1, "A"), OptionData(2, "B"), OptionData(3, "C"), OptionData(4, "D"))


def stance(*positions: str) -> list[BallotData]:
    return [BallotData(position=p) for p in positions]


def run(method: str, ballots, options=(), eligible: int = 10, q: int = 0):
    return tally(
        method=method, ballots=ballots, options=options, eligible=eligible, quorum_percent=q
    )


# --- quorum ----------------------------------------------------------------------------


def test_quorum_rounds_up_and_counts_abstentions():
    assert quorum(10, 5, 50)["quorum_met"] is True
    assert quorum(9, 4, 50) == {
        "eligible": 9,
        "participants": 4,
        "quorum_percent": 50,
        "quorum_needed": 5,  # 4.5 rounds up
        "quorum_met": False,
    }
    # Abstentions take part: 5 abstain of 10 eligible meets a 50% quorum.
    result = run("majority", stance("abstain", "abstain", "abstain", "yes", "abstain"), q=50)
    assert result["quorum_met"] and result["outcome"] == "adopted"


def test_no_quorum_overrides_the_count():
    result = run("consent", stance("agree", "agree"), eligible=10, q=30)
    assert result["quorum_needed"] == 3 and result["outcome"] == "no_quorum"


def test_nobody_voting_never_meets_a_quorum_above_zero():
    assert run("consent", [], eligible=4, q=25)["outcome"] == "no_quorum"
    assert quorum(0, 0, 50)["quorum_met"] is False


# --- consent, consensus, majority ----------------------------------------------------------


def test_consent_passes_without_objection_and_one_objection_blocks():
    assert run("consent", stance("agree", "agree", "abstain"))["outcome"] == "adopted"
    result = run("consent", stance("agree", "agree", "agree", "agree", "object"))
    assert result["counts"] == {"agree": 4, "abstain": 0, "object": 1}
    assert result["outcome"] == "blocked"


def test_consensus_block_and_disagreement():
    assert run("consensus", stance("agree", "agree", "block"))["outcome"] == "blocked"
    assert run("consensus", stance("agree", "agree", "disagree"))["outcome"] == "adopted"
    assert run("consensus", stance("agree", "disagree", "abstain"))["outcome"] == "not_adopted"


def test_simple_majority_of_votes_cast():
    assert run("majority", stance("yes", "yes", "no", "abstain"))["outcome"] == "adopted"
    # A tie is not a majority.
    assert run("majority", stance("yes", "no", "abstain", "abstain"))["outcome"] == "not_adopted"


def test_two_thirds_majority():
    # 6 yes of 9 cast = exactly two thirds: adopted (abstentions do not count).
    ballots = stance(*(["yes"] * 6 + ["no"] * 3 + ["abstain"] * 4))
    assert run("two_thirds", ballots, eligible=13)["outcome"] == "adopted"
    # 5 of 8 = 62.5%: not adopted.
    assert run("two_thirds", stance(*(["yes"] * 5 + ["no"] * 3)))["outcome"] == "not_adopted"
    assert run("two_thirds", stance("abstain"))["outcome"] == "not_adopted"


# --- score, dot, time poll ---------------------------------------------------------------


def test_score_totals_averages_and_a_tie_for_first_is_a_tie():
    ballots = [
        BallotData(choices={"1": 4, "2": 5, "3": 0}),
        BallotData(choices={"1": 5, "2": 1, "3": 3}),
        BallotData(choices={"1": 0, "2": 3, "3": 3}),
    ]
    result = run("score", ballots, [A, B, C])
    # A 9, B 9, C 6: A and B tie for first; the list order shows them, decides nothing.
    assert [(r["label"], r["total"], r["average"]) for r in result["options"]] == [
        ("A", 9, 3.0),
        ("B", 9, 3.0),
        ("C", 6, 2.0),
    ]
    assert result["winner"] is None and result["winner_label"] == ""
    assert result["tied"] == [1, 2] and result["tied_labels"] == ["A", "B"]
    assert result["outcome"] == "tied"


def test_dot_vote_totals():
    ballots = [
        BallotData(choices={"1": 3, "2": 2}),
        BallotData(choices={"3": 5}),
        BallotData(choices={"2": 1, "3": 1, "1": 3}),
    ]
    result = run("dot", ballots, [A, B, C])
    # A 6, C 6, B 3 → A and C tie.
    assert [(r["label"], r["total"]) for r in result["options"]] == [("A", 6), ("C", 6), ("B", 3)]
    assert result["winner"] is None and result["tied"] == [1, 3]
    assert result["outcome"] == "tied"


def test_time_poll_most_yes_then_most_maybe():
    ballots = [
        BallotData(choices={"1": "yes", "2": "yes", "3": "no"}),
        BallotData(choices={"1": "maybe", "2": "yes", "3": "yes"}),
        BallotData(choices={"1": "yes", "2": "no", "3": "yes"}),
        BallotData(choices={"1": "no", "2": "maybe", "3": "yes"}),
    ]
    result = run("time_poll", ballots, [A, B, C])
    # yes: A 2, B 2, C 3 → C.
    assert result["winner_label"] == "C"
    # A and B share second place on yes (2) and maybe (1): shown in list order.
    rows = result["options"]
    assert [(r["label"], r["total"], r["maybe"]) for r in rows] == [
        ("C", 3, 0),
        ("A", 2, 1),
        ("B", 2, 1),
    ]


def test_time_poll_maybe_breaks_a_yes_tie():
    ballots = [
        BallotData(choices={"1": "yes", "2": "yes"}),
        BallotData(choices={"1": "no", "2": "maybe"}),
    ]
    assert run("time_poll", ballots, [A, B])["winner_label"] == "B"


def test_time_poll_level_on_yes_and_maybe_is_a_tie():
    ballots = [
        BallotData(choices={"1": "yes", "2": "maybe", "3": "no"}),
        BallotData(choices={"1": "maybe", "2": "yes", "3": "yes"}),
    ]
    result = run("time_poll", ballots, [A, B, C])
    assert result["winner"] is None and result["tied"] == [1, 2]
    assert result["outcome"] == "tied"


def test_option_methods_without_ballots_choose_nothing():
    result = run("score", [], [A, B], q=0)
    assert result["winner"] is None and result["outcome"] == "not_adopted"
    assert result["tied"] == []


def test_options_nobody_gave_anything_to_are_not_tied_and_not_chosen():
    assert run("score", [BallotData(choices={"1": 0, "2": 0})], [A, B])["outcome"] == (
        "not_adopted"
    )
    result = run("time_poll", [BallotData(choices={"1": "no", "2": "no"})], [A, B])
    assert (
        result["winner"] is None and result["tied"] == [] and result["outcome"] == ("not_adopted")
    )


@pytest.mark.parametrize(
    ("method", "ballots"),
    [
        ("score", [BallotData(choices={"1": 3, "2": 1, "3": 3})]),
        ("dot", [BallotData(choices={"1": 2, "3": 2}), BallotData(choices={"2": 1})]),
        (
            "time_poll",
            [BallotData(choices={"1": "yes", "2": "no", "3": "yes"})],
        ),
    ],
)
def test_a_tie_for_first_does_not_depend_on_the_list_order(method, ballots):
    for order in permutations([A, B, C]):
        result = run(method, ballots, list(order))
        assert result["winner"] is None and result["outcome"] == "tied", order
        assert sorted(result["tied"]) == [1, 3], order


# --- ranked choice -------------------------------------------------------------------------


def test_ranked_first_round_majority_wins_at_once():
    result = instant_runoff([A, B, C], [[1, 2], [1], [2, 1]])
    assert result["winner"] == 1 and len(result["rounds"]) == 1
    assert result["rounds"][0]["eliminated"] is None


def test_ranked_elimination_rounds_transfer_votes():
    # 9 ballots. Round 1: A 4, B 3, C 2 → C out; its ballots go to B and one is exhausted.
    # Round 2: A 4, B 4 of 8 in play: no majority; tie for fewest → previous round: B had
    # 3 < A's 4 → B out; B's ballots name A next. Round 3: A alone, 7 votes, 2 exhausted.
    ballots = [[1]] * 4 + [[2, 1]] * 3 + [[3, 2]] + [[3]]
    result = instant_runoff([A, B, C], ballots)
    rounds = result["rounds"]
    assert [{c["label"]: c["votes"] for c in r["counts"]} for r in rounds] == [
        {"A": 4, "B": 3, "C": 2},
        {"A": 4, "B": 4},
        {"A": 7},
    ]
    assert [r["exhausted"] for r in rounds] == [0, 1, 2]
    assert rounds[0]["eliminated"]["label"] == "C" and rounds[0]["tie_break"] == ""
    assert rounds[1]["eliminated"]["label"] == "B"
    assert rounds[1]["tie_break"] == "previous_round"
    assert result["winner"] == 1


def test_ranked_unresolved_elimination_tie_that_decides_the_winner_is_a_tie():
    # Round 1: A 3, B 2, C 2, D 1 → D out (exhausted). Round 2: A 3, B 2, C 2 of 7:
    # tie B/C for fewest, and 2/2 in the previous round too. If B goes out (its ballots
    # are exhausted), A has 3 of 5 and wins; if C goes out, its ballots go to B, which
    # wins with 4 of 7. So A and B are tied; the list order used to make it B.
    ballots = [[1]] * 3 + [[2]] * 2 + [[3, 2]] * 2 + [[4]]
    result = instant_runoff([A, B, C, D], ballots)
    rounds = result["rounds"]
    assert len(rounds) == 2 and rounds[0]["eliminated"]["label"] == "D"
    assert rounds[1]["tie_break"] == "unresolved" and rounds[1]["eliminated"] is None
    assert [o["label"] for o in rounds[1]["tied_for_fewest"]] == ["B", "C"]
    assert [
        (b["out"]["label"], [w["label"] for w in b["winners"]]) for b in rounds[1]["branches"]
    ] == [("B", ["A"]), ("C", ["B"])]
    assert result["winner"] is None and result["tied"] == [1, 2]


def test_ranked_unresolved_elimination_tie_that_changes_nothing():
    # A 2, B 1, C 1: tie for fewest in round 1 with no round before. If B goes out
    # (exhausted), A has 2 of 3; if C goes out, its voter's B has 2 and A 2, and the
    # round before (A 2, B 1) puts B out: A either way, so A wins.
    ballots = [[1], [1], [2], [3, 2]]
    result = instant_runoff([A, B, C], ballots)
    first = result["rounds"][0]
    assert first["tie_break"] == "unresolved" and first["eliminated"] is None
    assert [[w["label"] for w in b["winners"]] for b in first["branches"]] == [["A"], ["A"]]
    assert result["winner"] == 1 and result["tied"] == []


def test_ranked_options_with_fewer_votes_together_than_any_other_go_out_together():
    # A 4, B 3, C 1, D 1: C and D tie for fewest; together (2) they still have fewer than
    # B (3), so they go out together. C's voter ranked B next: A 4, B 4 of 8, the round
    # before breaks it (B 3 < A 4): B out and its ballots are exhausted; A wins.
    ballots = [[1]] * 4 + [[2]] * 3 + [[3, 2]] + [[4]]
    result = instant_runoff([A, B, C, D], ballots)
    first = result["rounds"][0]
    assert first["tie_break"] == "together" and first["eliminated"] is None
    assert [o["label"] for o in first["eliminated_together"]] == ["C", "D"]
    assert [c["label"] for c in first["counts"] if c["out"]] == ["C", "D"]
    assert result["rounds"][1]["eliminated"]["label"] == "B"
    assert result["winner"] == 1


def test_ranked_two_way_dead_heat_is_a_tie():
    result = instant_runoff([A, B], [[1], [2]])
    assert result["rounds"][0]["tie_break"] == "unresolved"
    assert result["winner"] is None and result["tied"] == [1, 2]
    tallied = run("ranked", [BallotData(choices=[1]), BallotData(choices=[2])], [A, B])
    assert tallied["outcome"] == "tied" and tallied["tied_labels"] == ["A", "B"]


def _shape(result):
    """A ranked result with list order taken out: what must not change when options move."""
    return {
        "winner": result["winner"],
        "tied": sorted(result["tied"]),
        "outcome": result["outcome"],
        "rounds": [
            (
                {c["id"]: c["votes"] for c in r["counts"]},
                sorted(c["id"] for c in r["counts"] if c["out"]),
                r["tie_break"],
                sorted(
                    (b["out"]["id"], sorted(w["id"] for w in b["winners"]))
                    for b in r.get("branches", [])
                ),
            )
            for r in result["rounds"]
        ],
    }


@pytest.mark.parametrize(
    "ballots",
    [
        [[1], [2]],
        [[1, 2], [2, 1], [3, 2]],
        [[1]] * 3 + [[2]] * 2 + [[3, 2]] * 2 + [[4]],
        [[1], [1], [2], [3, 2]],
        [[1, 3], [2, 3], [3, 1], [4, 2]],
    ],
)
def test_ranked_result_does_not_depend_on_the_list_order(ballots):
    results = [
        _shape(run("ranked", [BallotData(choices=b) for b in ballots], list(order)))
        for order in permutations([A, B, C, D])
    ]
    assert all(r == results[0] for r in results)


def test_ranked_three_way_first_round_tie_names_only_options_that_can_win():
    # A 1, B 1, C 1. B goes out → A wins; A goes out → B wins; C goes out → B wins. C
    # cannot win: the tie is between A and B.
    result = run("ranked", [BallotData(choices=b) for b in ([1, 2], [2, 1], [3, 2])], [A, B, C])
    assert result["outcome"] == "tied" and result["tied"] == [1, 2]


def test_ranked_branches_past_the_limit_take_every_option_left_as_tied(monkeypatch):
    # Round 1: A 2, B 2, C 2, D 1, E 1: D and E tie, unresolved. Whichever goes out, the
    # other follows, then A, B and C tie at 2 in every round: unresolved again. Followed
    # through, C cannot win (B goes out → A wins; A or C goes out → B wins); past the
    # limit, all three still in the count are taken as tied.
    E = OptionData(5, "E")
    ballots = [[1, 2]] * 2 + [[2, 1]] * 2 + [[3, 2]] * 2 + [[4], [5]]
    assert instant_runoff([A, B, C, D, E], ballots)["tied"] == [1, 2]
    monkeypatch.setattr(tally_module, "BRANCH_ROUNDS_LIMIT", 1)
    assert instant_runoff([A, B, C, D, E], ballots)["tied"] == [1, 2, 3]


def test_ranked_with_no_ballots_has_no_winner():
    assert instant_runoff([A, B], []) == {"rounds": [], "winner": None, "tied": []}


def test_ranked_tally_wraps_the_rounds():
    result = run("ranked", [BallotData(choices=[2, 1]), BallotData(choices=[2])], [A, B])
    assert result["winner_label"] == "B" and result["outcome"] == "chosen"
    assert len(result["rounds"]) == 1
