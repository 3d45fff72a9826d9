"""The members' compact self-assessment feeds the health check's values questions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Max


def compact_averages(partnership: Any) -> dict[str, Any] | None:
    """Average self-assessment per principle in the latest year assessed, or None."""
    from commonground.agreements.models import SelfAssessment

    qs = SelfAssessment.objects.filter(principle__compact__partnership=partnership)
    year = qs.aggregate(y=Max("year"))["y"]
    if year is None:
        return None
    rows = (
        qs.filter(year=year)
        .values("principle_id", "principle__title", "principle__compact__title")
        .annotate(mean=Avg("score"), n=Count("organisation", distinct=True))
        .order_by("principle__compact_id", "principle__order", "principle_id")
    )
    return {
        "year": year,
        "principles": [
            {
                "title": r["principle__title"],
                "compact": r["principle__compact__title"],
                "mean": Decimal(str(r["mean"])).quantize(Decimal("0.01")),
                "n": r["n"],
            }
            for r in rows
        ],
    }
