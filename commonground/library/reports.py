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

from django.db.models import Count
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


def render_sections(params: ReportParams) -> list[str]:
    """Each section's HTML, in order; sections whose context is None are left out."""
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

    members = (
        Membership.objects.filter(partnership=params.partnership, status="active")
        .select_related("organisation")
        .order_by("organisation__name")
    )
    counts = dict(members.values_list("organisation__sector").annotate(n=Count("id")).order_by())
    total = sum(counts.values()) or 1
    labels = dict(Sector.choices)
    mix = [
        {"sector": labels.get(k, k), "count": n, "percent": round(100 * n / total)}
        for k, n in sorted(counts.items(), key=lambda kv: -kv[1])
    ]
    return {"members": members, "mix": mix}


def timeline_section(params: ReportParams) -> dict[str, Any] | None:
    from .selectors import timeline

    entries = timeline(
        params.partnership, start=params.start, end=params.end, public_only=params.public
    )
    return {"entries": entries[:60]}


def activities_section(params: ReportParams) -> dict[str, Any] | None:
    from django.db.models import Q

    from commonground.atlas.models import Activity

    qs = (
        Activity.objects.filter(partnership=params.partnership)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=params.end))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=params.start))
        .prefetch_related("organisations", "themes")
        .order_by("tier", "title")
    )
    if params.public:
        qs = qs.filter(is_public=True)
    acts = list(qs[:80])
    by_status: dict[str, int] = {}
    for a in acts:
        by_status.setdefault(a.get_status_display(), 0)
        by_status[a.get_status_display()] += 1
    return {"activities": acts, "by_status": sorted(by_status.items())}


def lessons_section(params: ReportParams) -> dict[str, Any] | None:
    from .models import CaseStudy

    qs = CaseStudy.objects.filter(partnership=params.partnership).order_by("-created_at")
    if params.public:
        qs = qs.filter(is_public=True)
    return {"cases": list(qs[:20])}


def register_library_sections() -> None:
    register_report_section(10, "library/report/purpose.html", purpose_section)
    register_report_section(20, "library/report/members.html", members_section)
    register_report_section(30, "library/report/timeline.html", timeline_section)
    register_report_section(40, "library/report/activities.html", activities_section)
    register_report_section(70, "library/report/lessons.html", lessons_section)
