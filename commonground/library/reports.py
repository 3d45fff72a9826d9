"""The partnership report and its section registry.

Any app can add a section to the generated report from its ``AppConfig.ready``::

    from commonground.library.reports import register_report_section

    register_report_section(
        order=55,
        template="contributions/report_section.html",
        context_fn=lambda params: {...} or None,
    )

``context_fn`` receives a :class:`ReportParams` (partnership, period, audience,
``public`` flag) and returns the template context, or None to leave the section
out. For the public audience a section must include only what is marked public.
Templates are rendered both in the HTML page and in the PDF, so they must not
rely on JavaScript.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _


class Audience:
    PARTNERS = "partners"
    FUNDERS = "funders"
    PUBLIC = "public"
    CHOICES = [
        (PARTNERS, _("Partners")),
        (FUNDERS, _("Funders")),
        (PUBLIC, _("The public")),
    ]


@dataclass(frozen=True)
class ReportParams:
    partnership: Any
    start: datetime.date
    end: datetime.date
    audience: str

    @property
    def public(self) -> bool:
        return self.audience == Audience.PUBLIC


@dataclass(frozen=True)
class ReportSection:
    order: int
    template: str
    context_fn: Callable[[ReportParams], dict[str, Any] | None]


_SECTIONS: dict[str, ReportSection] = {}


def register_report_section(
    order: int, template: str, context_fn: Callable[[ReportParams], dict[str, Any] | None]
) -> None:
    """Add (or replace, by template name) a section of the partnership report."""
    _SECTIONS[template] = ReportSection(order, template, context_fn)


def sections() -> list[ReportSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.template))


REPORT_CACHE_SECONDS = 300


def render_sections(params: ReportParams) -> list[str]:
    """Each section's HTML, in order; sections whose context is None are left out.

    Cached under the partnership's data version (core.versions), the period,
    the audience and the language: a report is read many times between changes, and
    every change made through a service moves the version. Health-check answers are
    not audited (they are anonymous) but only published rounds reach the report, and
    a published round takes no more answers. The short lifetime covers the few changes
    made outside a partnership (an organisation renaming itself).
    """
    from commonground.core.audit import cached_while_unchanged

    return cached_while_unchanged(
        params.partnership,
        "report",
        [params.start.isoformat(), params.end.isoformat(), params.audience],
        lambda: build_sections(params),
        REPORT_CACHE_SECONDS,
    )


def build_sections(params: ReportParams) -> list[str]:
    """The sections rendered afresh (no cache)."""
    html: list[str] = []
    for section in sections():
        ctx = section.context_fn(params)
        if ctx is None:
            continue
        html.append(render_to_string(section.template, {**ctx, "params": params}))
    return html


# --- the library's own sections ------------------------------------------------------------


def purpose_section(params: ReportParams) -> dict[str, Any]:
    p = params.partnership
    return {"partnership": p, "show_internal": not params.public}


def members_section(params: ReportParams) -> dict[str, Any]:
    from commonground.organisations.models import Sector
    from commonground.partnerships.models import Membership

    members = list(
        Membership.objects.filter(partnership=params.partnership, status="active")
        .select_related("organisation")
        .order_by("organisation__name")
    )
    # The member list is read anyway (a partnership has tens of members): count sectors from it.
    counts: dict[str, int] = {}
    for m in members:
        counts[m.organisation.sector] = counts.get(m.organisation.sector, 0) + 1
    total = sum(counts.values()) or 1
    top = max(counts.values(), default=1)
    labels = dict(Sector.choices)
    mix = [
        {
            "sector": labels.get(k, k),
            "count": n,
            "percent": round(100 * n / total),
            "bar": 5 * round(20 * n / top),
        }
        for k, n in sorted(counts.items(), key=lambda kv: -kv[1])
    ]
    return {"members": members, "mix": mix}


TIMELINE_LIMIT = 60


def timeline_section(params: ReportParams) -> dict[str, Any] | None:
    from .selectors import timeline

    entries = timeline(
        params.partnership,
        start=params.start,
        end=params.end,
        public_only=params.public,
        limit=TIMELINE_LIMIT,
    )
    return {"entries": entries[:TIMELINE_LIMIT]}


def ending_section(params: ReportParams) -> dict[str, Any] | None:
    """The ending of an ended partnership: its date and announcement, and (in the
    members' report) the four lessons recorded on the way out."""
    from commonground.partnerships.models import Ending

    partnership = params.partnership
    if partnership.status != "ended":
        return None
    ending = Ending.objects.filter(partnership=partnership).first()
    return {"partnership": partnership, "ending": ending, "show_internal": not params.public}


def lessons_section(params: ReportParams) -> dict[str, Any] | None:
    from .models import CaseStudy

    qs = CaseStudy.objects.filter(partnership=params.partnership).order_by("-created_at")
    if params.public:
        qs = qs.filter(is_public=True)
    return {"cases": list(qs[:20])}


PICTURE_LIMIT = 6
PICTURE_MAX_BYTES = 2 * 1024 * 1024


def pictures_section(params: ReportParams) -> dict[str, Any] | None:
    """Pictures from the data room that every member may open (and, for the public, marked
    public), embedded so the PDF needs no file access at render time."""
    import base64

    from .models import AccessLevel, Document, DocumentKind, DocumentStatus, DocumentVersion

    docs = Document.objects.filter(
        partnership=params.partnership,
        kind=DocumentKind.IMAGE,
        status=DocumentStatus.ACTIVE,
        access_level=AccessLevel.ALL_MEMBERS,
    )
    if params.public:
        docs = docs.filter(is_public=True)
    latest = (
        DocumentVersion.objects.filter(document__in=docs, content_type__startswith="image/")
        .select_related("document")
        .order_by("document_id", "-number")
    )
    pictures, seen = [], set()
    for version in latest:
        if version.document_id in seen or not version.file or version.size > PICTURE_MAX_BYTES:
            continue
        seen.add(version.document_id)
        try:
            with version.file.open("rb") as fh:
                data = base64.b64encode(fh.read()).decode()
        except OSError:
            continue
        pictures.append(
            {"title": version.document.title, "src": f"data:{version.content_type};base64,{data}"}
        )
        if len(pictures) >= PICTURE_LIMIT:
            break
    return {"pictures": pictures} if pictures else None


def register_library_sections() -> None:
    register_report_section(10, "library/report/purpose.html", purpose_section)
    register_report_section(15, "library/report/ending.html", ending_section)
    register_report_section(20, "library/report/members.html", members_section)
    register_report_section(30, "library/report/timeline.html", timeline_section)
    register_report_section(70, "library/report/lessons.html", lessons_section)
    register_report_section(80, "library/report/pictures.html", pictures_section)
