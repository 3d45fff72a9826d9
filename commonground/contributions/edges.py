"""The ledger's "contributes to" ties for the system map (one query per map)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Min

from commonground.systemmap.edges import Edge, org_node, partnership_node

from .models import Contribution


def contribution_edges(partnership_ids: list[int], visible_org_ids: set[int]) -> Iterable[Edge]:
    """One edge per giver and receiver (another member, or the partnership itself), withdrawn entries left out."""
    rows = (
        Contribution.objects.filter(
            partnership_id__in=partnership_ids, contributor_id__in=visible_org_ids
        )
        .exclude(status="withdrawn")
        .values("contributor_id", "partnership_id", "recipient_org_id")
        .annotate(first=Min("pledged_on"), n=Count("id"))
        .order_by()
    )
    for r in rows:
        to_org = r["recipient_org_id"]
        if to_org is not None and to_org not in visible_org_ids:
            continue
        yield Edge(
            source=org_node(r["contributor_id"]),
            target=org_node(to_org)
            if to_org is not None
            else partnership_node(r["partnership_id"]),
            kind="contributes_to",
            partnership_id=r["partnership_id"],
            started_on=r["first"],
            note=f"{r['n']}",
        )
