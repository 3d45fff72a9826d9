"""The contributions section of the partnership report (library.reports registry)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .models import Kind


def report_section(params: Any) -> dict[str, Any] | None:
    """Who gave what in the period, by partner and kind, and the flows. Never public."""
    if params.public:
        return None
    from . import selectors

    data = selectors.flows(params.partnership, date_from=params.start, date_to=params.end)
    if not data["rows"]:
        return None
    kinds = [k for k in Kind.values if any(r["kind"] == k for r in data["rows"])]
    partners: dict[str, dict[str, Any]] = {}
    for r in data["rows"]:
        p = partners.setdefault(r["giver"], {"name": r["giver"], "by_kind": {}, "count": 0})
        p["by_kind"][r["kind"]] = p["by_kind"].get(r["kind"], Decimal("0")) + r["value"]
        p["count"] += r["count"]
    table = []
    for p in partners.values():
        total = sum(p["by_kind"].values(), Decimal("0"))
        table.append(
            {
                "name": p["name"],
                "cells": [p["by_kind"].get(k) for k in kinds],
                "total": total,
                "count": p["count"],
            }
        )
    table.sort(key=lambda row: (-row["total"], row["name"]))
    return {
        "kinds": [Kind(k).label for k in kinds],
        "partners": table,
        "grand_total": sum((row["total"] for row in table), Decimal("0")),
        "flows": data,
    }
