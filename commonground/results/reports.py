"""The results section of the partnership report (library.reports registry)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import F, Window
from django.db.models.functions import RowNumber

SPARK_W, SPARK_H = 120, 28
SPARK_POINTS = 12


def sparkline(values: list[Decimal]) -> str:
    """SVG polyline points for a small trend line (no JavaScript, so it prints in the PDF)."""
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or Decimal(1)
    step = Decimal(SPARK_W - 4) / (len(values) - 1)
    pts = []
    for i, v in enumerate(values):
        x = 2 + step * i
        y = Decimal(SPARK_H - 3) - (v - low) / span * Decimal(SPARK_H - 6)
        pts.append(f"{x:.1f},{y:.1f}")
    return " ".join(pts)


def report_section(params: Any) -> dict[str, Any] | None:
    """Indicators with status, baseline, latest, target and the target revisions of the period.

    Left out of the public report: indicators carry no public flag.
    """
    if params.public:
        return None
    from . import selectors
    from .models import Measurement

    indicators = selectors.with_progress(selectors.indicators_for(params.partnership))
    if not indicators:
        return None
    series: dict[int, list[Decimal]] = {}
    # Only the latest SPARK_POINTS values of each indicator are read (a window in SQL).
    latest = (
        Measurement.objects.filter(
            indicator__partnership=params.partnership,
            value__isnull=False,
            measured_on__lte=params.end,
        )
        .annotate(
            recent=Window(
                RowNumber(),
                partition_by=[F("indicator_id")],
                order_by=[F("measured_on").desc(), F("id").desc()],
            )
        )
        .filter(recent__lte=SPARK_POINTS)
        .order_by("indicator_id", "measured_on", "id")
        .values_list("indicator_id", "value")
    )
    for ind_id, value in latest:
        if value is not None:
            series.setdefault(ind_id, []).append(value)
    for ind in indicators:
        ind.spark = sparkline(series.get(ind.pk, []))  # type: ignore[attr-defined]
    revisions = list(
        selectors.revisions_for(params.partnership)
        .filter(revised_on__gte=params.start, revised_on__lte=params.end)
        .order_by("revised_on", "id")
    )
    return {
        "indicators": indicators,
        "revisions": revisions,
        "spark_w": SPARK_W,
        "spark_h": SPARK_H,
    }
