"""Reads of the library: document search, timeline and the report's data."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.db.models import BooleanField, CharField, Count, F, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from commonground.core.i18n import render
from commonground.core.models import AuditEvent
from commonground.core.sql import union_all

from . import rules
from .models import CaseStudy, Document, DownloadLog, Milestone

if TYPE_CHECKING:
    from commonground.partnerships.models import Partnership

# Audit verbs that mark a step in the partnership's story (the rest is day-to-day detail).
MILESTONE_VERBS = (
    "partnership.create",
    "membership.set",
    "decision.record",
    "library.milestone_create",
    "agreement.ratify",
    "agreements.ratify",
    "meeting.close",
    "meetings.minutes_approve",
    "partnership.phase",
    "partnership.end",
)


def documents_for(
    user: Any, partnership: Partnership, q: str = "", access: str = ""
) -> QuerySet[Document]:
    qs = (
        rules.visible_documents(user, partnership)
        .select_related("owner_organisation", "working_group", "created_by")
        .annotate(version_count=Count("versions"))
        .order_by("-updated_at", "-id")
    )
    if q:
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(tags__icontains=q)
            | Q(owner_organisation__name__icontains=q)
            | Q(description__icontains=q)
        )
    if access:
        qs = qs.filter(access_level=access)
    return qs


def documents_table(
    user: Any, partnership: Partnership, q: str = "", access: str = ""
) -> QuerySet[Document]:
    """``documents_for`` with only the columns the data room's table shows."""
    return (
        documents_for(user, partnership, q=q, access=access)
        .select_related(None)
        .select_related("owner_organisation", "working_group")
        .only(
            *("title", "kind", "status", "tags", "access_level", "confidentiality"),
            *("updated_at", "owner_organisation__name", "working_group__name"),
        )
    )


def downloads_of(document: Document) -> QuerySet[DownloadLog]:
    return DownloadLog.objects.filter(document=document).select_related("user", "version")


def cases_for(queryset: QuerySet[CaseStudy], q: str = "", kind: str = "") -> QuerySet[CaseStudy]:
    qs = queryset.select_related("partnership", "created_by").order_by("-created_at", "-id")
    if q:
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(tags__icontains=q)
            | Q(summary__icontains=q)
            | Q(sector_mix__icontains=q)
        )
    if kind:
        qs = qs.filter(kind=kind)
    return qs


@dataclass
class TimelineEntry:
    date: datetime.date
    title: str
    detail: str
    source: str  # milestone, decision, log
    is_public: bool = False


def _title(row: dict[str, Any]) -> str:
    """A row's title; an audit event's in the active language (``core.i18n``)."""
    if not row.get("t_key"):
        return str(row["t_title"])
    params = row.get("t_params") or {}
    if isinstance(params, str):
        params = json.loads(params)
    return render(row["t_key"], params, row["t_title"])


def _day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the current time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _as_date(value: Any) -> datetime.date:
    # Raw rows: SQLite returns dates as ISO text, PostgreSQL as date objects.
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return cast(datetime.date, value)


# Other apps' internal records on the timeline (the decision register), registered in
# their ``AppConfig.ready``: each source gets (partnership, start, end, limit) and returns
# its rows, ordered newest first and limited, with the expressions for the columns
# ``date``, ``title``, ``detail`` and the ``source`` name.
TimelineSource = Callable[
    [Any, datetime.date | None, datetime.date | None, int | None],
    tuple[QuerySet[Any], dict[str, Any]],
]
_TIMELINE_SOURCES: list[TimelineSource] = []


def register_timeline_source(source: TimelineSource) -> None:
    if source not in _TIMELINE_SOURCES:
        _TIMELINE_SOURCES.append(source)


def timeline(
    partnership: Partnership,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    public_only: bool = False,
    limit: int | None = None,
) -> list[TimelineEntry]:
    """Milestones, decisions and key events from the audit log, newest first.

    The public version has only milestones marked public: the decision register and the
    audit log are internal records. With ``limit``, only the newest ``limit`` entries of
    each source are read (enough for the newest ``limit`` overall).
    """

    def shaped(qs: QuerySet[Any], **columns: Any) -> QuerySet[Any]:
        # The same columns, in the same order and types, for every source.
        rows: QuerySet[Any] = qs.annotate(
            t_date=columns["date"],
            t_title=columns["title"],
            t_detail=columns["detail"],
            t_source=Value(columns["source"], output_field=CharField()),
            t_public=columns["public"],
            # An audit event's summary as its message key and values (JSON as text), so
            # it is read in the reader's language; empty for the other sources.
            t_key=columns.get("key", Value("", output_field=TextField())),
            t_params=columns.get("params", Value("", output_field=TextField())),
        ).values("t_date", "t_title", "t_detail", "t_source", "t_public", "t_key", "t_params")
        return rows

    ms = Milestone.objects.filter(partnership=partnership)
    if start:
        ms = ms.filter(date__gte=start)
    if end:
        ms = ms.filter(date__lte=end)
    if public_only:
        ms = ms.filter(is_public=True)
    parts = [
        shaped(
            ms.order_by("-date", "-id")[: limit or 1000],
            date=F("date"),
            title=F("title"),
            detail=F("description"),
            source="milestone",
            public=F("is_public"),
        )
    ]
    if not public_only:
        for source in _TIMELINE_SOURCES:
            rows, columns = source(partnership, start, end, limit)
            parts.append(shaped(rows, public=Value(False, output_field=BooleanField()), **columns))
        events = AuditEvent.objects.filter(
            partnership=partnership, verb__in=MILESTONE_VERBS
        ).exclude(verb__in=("decision.record", "library.milestone_create"))
        # Whole local days as a range on the indexed timestamp (a date cast would not use it).
        if start:
            events = events.filter(created_at__gte=_day_start(start))
        if end:
            events = events.filter(created_at__lt=_day_start(end + datetime.timedelta(days=1)))
        parts.append(
            shaped(
                events.order_by("-created_at", "-id")[: limit or 300],
                date=TruncDate("created_at"),
                title=F("summary"),
                detail=Value("", output_field=TextField()),
                key=F("summary_key"),
                params=Cast("summary_params", TextField()),
                source="log",
                public=Value(False, output_field=BooleanField()),
            )
        )
    # One round trip for the three sources (each still ordered and limited on its own).
    entries = [
        TimelineEntry(
            _as_date(row["t_date"]),
            _title(row),
            row["t_detail"] or "",
            row["t_source"],
            bool(row["t_public"]),
        )
        for row in union_all(*parts)
    ]
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries
