"""The progress rule and the review schedule, as plain functions (no database).

Progress rule (quantitative indicators that move towards a target)
------------------------------------------------------------------
We compare two fractions:

* the *progress fraction*: how much of the way from baseline to target the
  latest measurement has travelled, ``(latest - baseline) / (target - baseline)``
  (this works for both "increase" and "decrease" indicators, because the sign of
  the denominator follows the direction);
* the *elapsed fraction*: how much of the time from the baseline date to the
  target date had passed on the date of the latest measurement (0 to 1).

Then:

* progress ≥ 1 → **target reached**;
* the target date has passed and the target is not reached → **off track**;
* progress ≥ elapsed − 0.10 → **on track** (a lag of up to ten percentage
  points against the clock is tolerated);
* progress ≥ elapsed − 0.25 → **at risk**;
* otherwise → **off track**.

Indicators that must *stay within a band* are on track inside the band, at
risk when outside it by no more than 10% of the band's width, off track
beyond that. Qualitative indicators use the latest rating (1–5): 4–5 on
track, 3 at risk, 1–2 off track; without a rating they are not assessed.

Review schedule
---------------
By default the first review falls when a quarter of the objective's period
(earliest baseline date to latest target date of the indicators in scope) has
elapsed, and then every three months until the end of the period. A scheduled
review counts as held when a review took place from two weeks before it up to
the next scheduled date.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

ON_TRACK_TOLERANCE = Decimal("0.10")
AT_RISK_TOLERANCE = Decimal("0.25")
BAND_MARGIN = Decimal("0.10")
REVIEW_EARLY_DAYS = 14
REVIEW_EVERY_MONTHS = 3

ACHIEVED = "achieved"
ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
NO_DATA = "no_data"
NOT_ASSESSED = "not_assessed"

STATUS_LABELS = {
    ACHIEVED: _("Target reached"),
    ON_TRACK: _("On track"),
    AT_RISK: _("At risk"),
    OFF_TRACK: _("Off track"),
    NO_DATA: _("No data yet"),
    NOT_ASSESSED: _("Not assessed"),
}
STATUS_BADGES = {
    ACHIEVED: "ok",
    ON_TRACK: "ok",
    AT_RISK: "warn",
    OFF_TRACK: "danger",
    NO_DATA: "muted",
    NOT_ASSESSED: "muted",
}


@dataclass(frozen=True)
class Progress:
    status: str
    progress_fraction: Decimal | None = None
    elapsed_fraction: Decimal | None = None

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def badge(self) -> str:
        return STATUS_BADGES[self.status]

    @property
    def progress_percent(self) -> int | None:
        if self.progress_fraction is None:
            return None
        return int((self.progress_fraction * 100).quantize(Decimal("1")))

    @property
    def elapsed_percent(self) -> int | None:
        if self.elapsed_fraction is None:
            return None
        return int((self.elapsed_fraction * 100).quantize(Decimal("1")))


def elapsed_fraction(start: datetime.date, end: datetime.date, on: datetime.date) -> Decimal:
    total = (end - start).days
    if total <= 0:
        return Decimal(1)
    frac = Decimal((on - start).days) / Decimal(total)
    return min(Decimal(1), max(Decimal(0), frac))


def assess(
    *,
    qualitative: bool,
    direction: str,
    baseline_value: Decimal | None,
    baseline_date: datetime.date,
    target_value: Decimal | None,
    target_date: datetime.date,
    band_low: Decimal | None = None,
    band_high: Decimal | None = None,
    latest_value: Decimal | None = None,
    latest_rating: int | None = None,
    latest_date: datetime.date | None = None,
) -> Progress:
    """Apply the documented rule to the latest measurement."""
    if latest_date is None:
        return Progress(NO_DATA)
    if qualitative:
        if latest_rating is None:
            return Progress(NOT_ASSESSED)
        if latest_rating >= 4:
            return Progress(ON_TRACK)
        return Progress(AT_RISK if latest_rating == 3 else OFF_TRACK)
    if latest_value is None:
        return Progress(NO_DATA)
    if direction == "band":
        if band_low is None or band_high is None:
            return Progress(NOT_ASSESSED)
        if band_low <= latest_value <= band_high:
            return Progress(ON_TRACK)
        distance = band_low - latest_value if latest_value < band_low else latest_value - band_high
        margin = (band_high - band_low) * BAND_MARGIN
        return Progress(AT_RISK if distance <= margin else OFF_TRACK)
    if baseline_value is None or target_value is None:
        return Progress(NOT_ASSESSED)
    elapsed = elapsed_fraction(baseline_date, target_date, latest_date)
    span = target_value - baseline_value
    if span == 0:
        return Progress(ACHIEVED, Decimal(1), elapsed)
    progress = ((latest_value - baseline_value) / span).quantize(Decimal("0.0001"))
    if progress >= 1:
        status = ACHIEVED
    elif latest_date >= target_date:
        status = OFF_TRACK
    elif progress >= elapsed - ON_TRACK_TOLERANCE:
        status = ON_TRACK
    elif progress >= elapsed - AT_RISK_TOLERANCE:
        status = AT_RISK
    else:
        status = OFF_TRACK
    return Progress(status, progress, elapsed.quantize(Decimal("0.0001")))


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_dates(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Scheduled review dates: a quarter of the way through, then quarterly to the end."""
    if end <= start:
        return []
    first = start + datetime.timedelta(days=(end - start).days // 4)
    dates = []
    n = 0
    while True:
        day = add_months(first, REVIEW_EVERY_MONTHS * n)
        if day > end:
            break
        dates.append(day)
        n += 1
    return dates


@dataclass(frozen=True)
class ScheduledReview:
    due_on: datetime.date
    held_on: datetime.date | None

    @property
    def is_held(self) -> bool:
        return self.held_on is not None


def review_schedule(
    start: datetime.date, end: datetime.date, held: list[datetime.date]
) -> list[ScheduledReview]:
    """Each scheduled date with the review that covered it, if any."""
    dates = review_dates(start, end)
    held_sorted = sorted(held)
    used: set[int] = set()
    schedule = []
    for i, due in enumerate(dates):
        window_end = dates[i + 1] if i + 1 < len(dates) else datetime.date.max
        window_start = due - datetime.timedelta(days=REVIEW_EARLY_DAYS)
        match = None
        for j, day in enumerate(held_sorted):
            if j not in used and window_start <= day < window_end:
                match = day
                used.add(j)
                break
        schedule.append(ScheduledReview(due, match))
    return schedule


def due_reviews(
    start: datetime.date, end: datetime.date, held: list[datetime.date], today: datetime.date
) -> list[datetime.date]:
    """Scheduled dates that have arrived without a review."""
    return [
        s.due_on for s in review_schedule(start, end, held) if not s.is_held and s.due_on <= today
    ]
