"""Small SQL helpers the ORM does not offer portably (SQLite and PostgreSQL).

``union_all`` reads several small, independently ordered and limited querysets
in one round trip. Django refuses LIMIT inside the parts of a compound
statement on SQLite, so each part is wrapped as a derived table.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet


def union_all(*parts: QuerySet[Any]) -> list[dict[str, Any]]:
    """Rows of every part, part by part, as dicts keyed by the first part's column names.

    Every part must be a ``values()`` queryset selecting the same columns, in the same
    order and of compatible types (annotate them in the same order, with the same
    output fields). Each part keeps its own ORDER BY and slice.
    """
    if not parts:
        return []
    pieces: list[str] = []
    params: list[Any] = []
    for i, qs in enumerate(parts):
        sql, p = qs.query.sql_with_params()
        # ``sql`` is compiled by the ORM; values stay in ``params``.
        pieces.append(f"SELECT * FROM ({sql}) AS part_{i}")  # noqa: S608
        params.extend(p)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(pieces), params)
        names = [col[0] for col in cursor.description]
        rows = cursor.fetchall()
    return [dict(zip(names, row, strict=True)) for row in rows]


def capped_counts(querysets: dict[str, QuerySet[Any]], cap: int) -> dict[str, int]:
    """Count each queryset up to ``cap + 1`` rows, all in one statement.

    A capped count reads at most ``cap + 1`` rows (index entries, with a suitable
    index) per queryset, so its cost does not grow with the table; callers show
    "1000+" when a count exceeds ``cap``.
    """
    if not querysets:
        return {}
    pieces: list[str] = []
    params: list[Any] = []
    for i, qs in enumerate(querysets.values()):
        sql, p = qs.order_by().values("pk")[: cap + 1].query.sql_with_params()
        pieces.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped_{i})")  # noqa: S608
        params.extend(p)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(pieces), params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))
