"""The ledger's "contributes to" ties for the system map (one query per map)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from commonground.systemmap.edges import Edge, fetch_rows, org_node, partnership_node, placeholders

from .models import Contribution, Status

# SQLite gives MIN() of a date column as text, PostgreSQL as a date: this reads both.
_DATE: models.DateField[Any, Any] = models.DateField()


def contribution_edges(partnership_ids: list[int], visible_org_ids: set[int]) -> Iterable[Edge]:
    """One edge per giver and receiver (another member, or the partnership itself), withdrawn entries left out."""
    if not partnership_ids or not visible_org_ids:
        return
    orgs = list(visible_org_ids)
    # Plain SQL, as the map's own providers read theirs (see systemmap.edges).
    sql = (
        "SELECT c.contributor_id, c.partnership_id, c.recipient_org_id, MIN(c.pledged_on),"  # noqa: S608
        f" COUNT(*) FROM {Contribution._meta.db_table} c"
        f" WHERE c.partnership_id IN ({placeholders(partnership_ids)})"
        f" AND c.contributor_id IN ({placeholders(orgs)}) AND NOT (c.status = %s)"
        " GROUP BY c.contributor_id, c.partnership_id, c.recipient_org_id"
    )
    rows = fetch_rows(sql, [*partnership_ids, *orgs, Status.WITHDRAWN.value])
    for contributor, partnership, to_org, first, n in rows:
        if to_org is not None and to_org not in visible_org_ids:
            continue
        yield Edge(
            source=org_node(contributor),
            target=org_node(to_org) if to_org is not None else partnership_node(partnership),
            kind="contributes_to",
            partnership_id=partnership,
            started_on=_DATE.to_python(first),
            note=f"{n}",
        )
