"""The key-decisions section of the partnership report (library.reports registry)."""

from __future__ import annotations

from typing import Any

DECISION_LIMIT = 25


def report_section(params: Any) -> dict[str, Any] | None:
    """Adopted decisions of the period, partnership-wide first. For partners and funders only."""
    if params.public:
        return None
    from .models import Decision

    qs = (
        Decision.objects.filter(
            partnership=params.partnership,
            adopted=True,
            decided_on__gte=params.start,
            decided_on__lte=params.end,
        )
        .select_related("working_group")
        .order_by("working_group_id", "decided_on", "id")
    )
    decisions = list(qs[: DECISION_LIMIT + 1])
    if not decisions:
        return None
    decisions.sort(key=lambda d: (d.working_group_id is not None, d.decided_on, d.pk))
    return {
        "decisions": decisions[:DECISION_LIMIT],
        "more": len(decisions) > DECISION_LIMIT,
    }
