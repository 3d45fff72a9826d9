"""Reads of the library: document search, timeline and the report's data."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from commonground.core.models import AuditEvent

from . import rules
from .models import CaseStudy, Document, DownloadLog, Milestone

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
)


def documents_for(user: Any, partnership: Any, q: str = "", access: str = "") -> QuerySet[Document]:
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


def timeline(
    partnership: Any,
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
    entries: list[TimelineEntry] = []
    ms = Milestone.objects.filter(partnership=partnership)
    if start:
        ms = ms.filter(date__gte=start)
    if end:
        ms = ms.filter(date__lte=end)
    if public_only:
        ms = ms.filter(is_public=True)
    if limit is not None:
        ms = ms.order_by("-date", "-id")[:limit]
    entries += [TimelineEntry(m.date, m.title, m.description, "milestone", m.is_public) for m in ms]
    if not public_only:
        from commonground.decisions.models import Decision

        ds = Decision.objects.filter(partnership=partnership, adopted=True)
        if start:
            ds = ds.filter(decided_on__gte=start)
        if end:
            ds = ds.filter(decided_on__lte=end)
        ds = ds.order_by("-decided_on", "-id")[: limit or 200]
        entries += [TimelineEntry(d.decided_on, d.title, d.statement, "decision") for d in ds]
        events = AuditEvent.objects.filter(
            partnership=partnership, verb__in=MILESTONE_VERBS
        ).exclude(verb__in=("decision.record", "library.milestone_create"))
        if start:
            events = events.filter(created_at__date__gte=start)
        if end:
            events = events.filter(created_at__date__lte=end)
        events = events.order_by("-created_at", "-id")[: limit or 300]
        entries += [TimelineEntry(e.created_at.date(), e.summary, "", "log") for e in events]
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries
