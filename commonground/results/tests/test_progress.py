"""The documented progress rule and the review schedule."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
import time_machine

from commonground.results import progress as rule
from commonground.results import selectors
from commonground.results.tests.factories import IndicatorFactory, ReviewFactory

START = datetime.date(2026, 1, 1)
END = datetime.date(2027, 1, 1)  # 365 days


def assess(latest, on, direction="increase", baseline=D("0"), target=D("100"), **kw):
    return rule.assess(
        qualitative=False,
        direction=direction,
        baseline_value=baseline,
        baseline_date=START,
        target_value=target,
        target_date=END,
        latest_value=D(str(latest)) if latest is not None else None,
        latest_date=on,
        **kw,
    )


HALF = START + datetime.timedelta(days=182)  # elapsed ≈ 0.4986


@pytest.mark.parametrize(
    ("latest", "status"),
    [
        (50, rule.ON_TRACK),  # level with the clock
        (40, rule.ON_TRACK),  # lagging ~10 points: tolerated
        (30, rule.AT_RISK),  # lagging ~20 points
        (25, rule.AT_RISK),  # lagging ~25 points: boundary still at risk
        (20, rule.OFF_TRACK),  # lagging ~30 points
        (100, rule.ACHIEVED),
        (120, rule.ACHIEVED),
    ],
)
def test_increase_compares_progress_with_elapsed_time(latest, status):
    result = assess(latest, HALF)
    assert result.status == status
    assert result.elapsed_fraction == D("0.4986")


def test_decrease_uses_the_same_fractions():
    # From 14% down to 7%: at 10.5% we are half way.
    result = assess(10.5, HALF, direction="decrease", baseline=D("14"), target=D("7"))
    assert result.progress_fraction == D("0.5000")
    assert result.status == rule.ON_TRACK
    assert assess(13.5, HALF, direction="decrease", baseline=D("14"), target=D("7")).status == (
        rule.OFF_TRACK
    )


def test_target_date_passed_without_reaching_it_is_off_track():
    assert assess(95, END).status == rule.OFF_TRACK
    assert assess(100, END).status == rule.ACHIEVED


def test_band():
    kw = {"direction": "band", "baseline": None, "target": None}
    band = {"band_low": D("1800"), "band_high": D("2200")}
    assert assess(2000, HALF, **kw, **band).status == rule.ON_TRACK
    assert assess(2240, HALF, **kw, **band).status == rule.AT_RISK  # 40 over, margin 40
    assert assess(2241, HALF, **kw, **band).status == rule.OFF_TRACK
    assert assess(1770, HALF, **kw, **band).status == rule.AT_RISK


def test_qualitative_uses_latest_rating_and_no_data_is_no_data():
    def q(rating):
        return rule.assess(
            qualitative=True,
            direction="increase",
            baseline_value=None,
            baseline_date=START,
            target_value=None,
            target_date=END,
            latest_rating=rating,
            latest_date=HALF,
        ).status

    assert [q(5), q(4), q(3), q(2), q(None)] == [
        rule.ON_TRACK,
        rule.ON_TRACK,
        rule.AT_RISK,
        rule.OFF_TRACK,
        rule.NOT_ASSESSED,
    ]
    assert assess(None, None).status == rule.NO_DATA


def test_review_dates_start_at_a_quarter_then_quarterly():
    dates = rule.review_dates(datetime.date(2026, 1, 1), datetime.date(2028, 1, 1))
    # 730 days // 4 = 182 days → 2 July 2026, then every three months to the end.
    assert dates[:4] == [
        datetime.date(2026, 7, 2),
        datetime.date(2026, 10, 2),
        datetime.date(2027, 1, 2),
        datetime.date(2027, 4, 2),
    ]
    assert dates[-1] <= datetime.date(2028, 1, 1)
    assert rule.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)


@pytest.mark.django_db
def test_due_reviews_follow_the_clock(world):
    p = world.partnership
    IndicatorFactory(
        partnership=p,
        baseline_date=datetime.date(2026, 1, 1),
        target_date=datetime.date(2028, 1, 1),
    )
    with time_machine.travel(datetime.datetime(2026, 6, 30, 12, tzinfo=datetime.UTC)):
        info = selectors.review_schedule_for(p)
        assert info.due == []
        assert info.next_due == datetime.date(2026, 7, 2)
    with time_machine.travel(datetime.datetime(2026, 10, 5, 12, tzinfo=datetime.UTC)):
        assert selectors.review_schedule_for(p).due == [
            datetime.date(2026, 7, 2),
            datetime.date(2026, 10, 2),
        ]
        # A review held a week before the first date covers it.
        ReviewFactory(partnership=p, held_on=datetime.date(2026, 6, 25))
        assert selectors.review_schedule_for(p).due == [datetime.date(2026, 10, 2)]
        ReviewFactory(partnership=p, held_on=datetime.date(2026, 10, 5))
        info = selectors.review_schedule_for(p)
        assert info.due == []
        assert info.next_due == datetime.date(2027, 1, 2)
