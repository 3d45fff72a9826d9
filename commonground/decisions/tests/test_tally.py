"""Every counting method, checked against results worked out by hand."""

from __future__ import annotations

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


def test_score_totals_averages_and_tie_to_first_listed():
    ballots = [
        BallotData(choices={"1": 4, "2": 5, "3": 0}),
        BallotData(choices={"1": 5, "2": 1, "3": 3}),
        BallotData(choices={"1": 0, "2": 3, "3": 3}),
    ]
    result = run("score", ballots, [A, B, C])
    # A 9, B 9, C 6: A and B tie; A is listed first.
    assert [(r["label"], r["total"], r["average"]) for r in result["options"]] == [
        ("A", 9, 3.0),
        ("B", 9, 3.0),
        ("C", 6, 2.0),
    ]
    assert result["winner"] == 1 and result["tie_break"] == "option_order"
    assert result["outcome"] == "chosen" and result["winner_label"] == "A"


def test_dot_vote_totals():
    ballots = [
        BallotData(choices={"1": 3, "2": 2}),
        BallotData(choices={"3": 5}),
        BallotData(choices={"2": 1, "3": 1, "1": 3}),
    ]
    result = run("dot", ballots, [A, B, C])
    # A 6, C 6, B 3 → A (listed before C).
    assert [(r["label"], r["total"]) for r in result["options"]] == [("A", 6), ("C", 6), ("B", 3)]
    assert result["winner_label"] == "A"


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
    # A and B tie on yes (2); B has one maybe, A one maybe too → A by order.
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


def test_option_methods_without_ballots_choose_nothing():
    result = run("score", [], [A, B], q=0)
    assert result["winner"] is None and result["outcome"] == "not_adopted"


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


def test_ranked_majority_is_of_ballots_still_in_play():
    # Round 1: A 3, B 2, C 2, D 1 → D out (exhausted). Round 2: A 3, B 2, C 2 of 7:
    # tie B/C for fewest, previous round also 2/2 → option order: C (listed later) out.
    # C's ballots go to B: round 3: A 3, B 4 of 7 → B wins.
    ballots = [[1]] * 3 + [[2]] * 2 + [[3, 2]] * 2 + [[4]]
    result = instant_runoff([A, B, C, D], ballots)
    rounds = result["rounds"]
    assert [r["eliminated"]["label"] if r["eliminated"] else None for r in rounds] == [
        "D",
        "C",
        None,
    ]
    assert rounds[1]["tie_break"] == "option_order"
    assert {c["label"]: c["votes"] for c in rounds[2]["counts"]} == {"A": 3, "B": 4}
    assert result["winner"] == 2


def test_ranked_first_round_tie_goes_by_option_order():
    # A 2, B 1, C 1: tie for fewest in round 1, no previous round → C (listed last) out.
    # C's voter ranked B next: A 2, B 2 — tie again; previous round A 2 vs B 1 → B out.
    ballots = [[1], [1], [2], [3, 2]]
    result = instant_runoff([A, B, C], ballots)
    assert result["rounds"][0]["eliminated"]["label"] == "C"
    assert result["rounds"][0]["tie_break"] == "option_order"
    assert result["rounds"][1]["eliminated"]["label"] == "B"
    assert result["rounds"][1]["tie_break"] == "previous_round"
    assert result["winner"] == 1


def test_ranked_two_way_dead_heat_keeps_the_option_listed_first():
    result = instant_runoff([A, B], [[1], [2]])
    assert result["rounds"][0]["eliminated"]["label"] == "B"
    assert result["winner"] == 1


def test_ranked_with_no_ballots_has_no_winner():
    assert instant_runoff([A, B], []) == {"rounds": [], "winner": None}


def test_ranked_tally_wraps_the_rounds():
    result = run("ranked", [BallotData(choices=[2, 1]), BallotData(choices=[2])], [A, B])
    assert result["winner_label"] == "B" and result["outcome"] == "chosen"
    assert len(result["rounds"]) == 1
