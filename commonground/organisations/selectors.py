"""Reading the directory."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet

from .models import Organisation

FTS_TABLE = "organisations_organisation_fts"


FTS_RARE_LIMIT = 2000


def text_filter(qs: QuerySet[Organisation], text: str) -> QuerySet[Organisation]:
    """Organisations whose name, place or mission contains ``text`` (any case).

    The cost stays bounded however large the directory grows. On SQLite a trigram
    full-text index (migration 0002) lists the first ``FTS_RARE_LIMIT + 1`` matches,
    which it can do without reading the rest. A rarer text is then answered from those
    ids exactly. A commoner text matches so densely that walking the name index with a
    plain substring test finds a page (and a capped count) after a few thousand rows.
    PostgreSQL uses trigram GIN indexes under the same substring query. Text under
    three characters cannot use a trigram index and takes the plain test.
    """
    text = text.strip()
    if not text:
        return qs
    if connection.vendor == "sqlite" and len(text) >= 3:
        phrase = '"' + text.replace('"', '""') + '"'
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s",  # noqa: S608
                [phrase, FTS_RARE_LIMIT + 1],
            )
            ids = [row[0] for row in cursor.fetchall()]
        if len(ids) <= FTS_RARE_LIMIT:
            return qs.filter(pk__in=ids)
    return qs.filter(
        Q(name__icontains=text) | Q(place_name__icontains=text) | Q(mission__icontains=text)
    )


def organisation_search(
    *, text: str = "", sector: str = "", tag: str = ""
) -> QuerySet[Organisation]:
    qs = text_filter(Organisation.objects.all(), text)
    if sector:
        qs = qs.filter(sector=sector)
    if tag:
        qs = qs.filter(Q(offers__slug=tag) | Q(needs__slug=tag)).distinct()
    return qs.order_by("name", "id")
