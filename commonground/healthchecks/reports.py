"""The health-check section of the partnership report (library.reports registry)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def report_section(params: Any) -> dict[str, Any] | None:
    """The partnership-wide trend over PUBLISHED rounds that opened by the end of the period.

    Only item means that meet the anonymity threshold are in the trend (see
    :func:`selectors.trend`). Never in the public report.
    """
    if params.public:
        return None
    from . import selectors

    data = selectors.trend(params.partnership)
    keep = [i for i, r in enumerate(data["rounds"]) if r["opens_on"] <= params.end]
    if not keep:
        return None
    rounds = [data["rounds"][i] for i in keep]
    rows = []
    for s in data["series"]:
        values = [s["values"][i] for i in keep]
        if not any(values):
            continue
        cells = []
        for v in values:
            mean = Decimal(v) if v else None
            # Scores run 1–5: a bar of 0–100 in steps of 5 for the shared bar classes.
            bar = 5 * round(20 * (mean - 1) / 4) if mean is not None else 0
            cells.append({"mean": mean, "bar": max(0, min(100, bar))})
        rows.append({"label": s["label"], "cells": cells})
    if not rows:
        return None
    return {"rounds": rounds, "rows": rows, "min_responses": selectors.MIN_RESPONSES}
