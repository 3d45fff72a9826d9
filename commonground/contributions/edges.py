"""The ledger's "contributes to" ties for the system map (one query per map)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Min

from commonground.systemmap.edges import Edge, org_node, partnership_node

from .models import Contribution, Status


def contribution_edges(partnership_ids: list[int], visible_org_ids: set[int]) -> Iterable[Edge]:
    """One edge per giver and receiver (another member, or the partnership itself), withdrawn entries left out."""
    if not partnership_ids or not visible_org_ids:
        return
    rows = (
        Contribution.objects.filter(
            partnership_id__in=partnership_ids, contributor_id__in=list(visible_org_ids)
        )
        .exclude(status=Status.WITHDRAWN)
        .order_by()
        .values_list("contributor_id", "partnership_id", "recipient_org_id")
        .annotate(first=Min("pledged_on"), n=Count("*"))
    )
    for contributor, partnership, to_org, first, n in rows:
        if to_org is not None and to_org not in visible_org_ids:
            continue
        yield Edge(
            source=org_node(contributor),
            target=org_node(to_org) if to_org is not None else partnership_node(partnership),
            kind="contributes_to",
            partnership_id=partnership,
            started_on=first,
            note=f"{n}",
        )
