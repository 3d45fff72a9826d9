"""Reads of agreements and compacts, with their state worked out from the versions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from .models import Agreement, AgreementVersion, Compact, Ratification, SelfAssessment

if TYPE_CHECKING:
    from commonground.partnerships.models import Partnership

STATUS_LABELS = {
    "draft": _("Draft"),
    "ratifying": _("Awaiting ratification"),
    "in_force": _("In force"),
    "amending": _("In force, amendment in progress"),
    "ending": _("In force, notice of termination given"),
    "ended": _("Terminated"),
}


@dataclass
class State:
    latest: AgreementVersion
    in_force: AgreementVersion | None
    code: str
    signed: int
    parties: int
    notice: Any

    @property
    def label(self) -> Any:
        return STATUS_LABELS[self.code]

    @property
    def badge(self) -> str:
        return {
            "in_force": "ok",
            "amending": "brand",
            "ratifying": "warn",
            "ending": "danger",
            "ended": "muted",
        }.get(self.code, "muted")


def _versions_prefetch() -> Prefetch:
    return Prefetch(
        "versions",
        queryset=AgreementVersion.objects.order_by("-number").prefetch_related(
            "parties",
            Prefetch("ratifications", queryset=Ratification.objects.order_by("ratified_at", "id")),
        ),
    )


def state(agreement: Agreement, today: datetime.date) -> State:
    """Works from prefetched versions (newest first) and notices."""
    versions = list(agreement.versions.all())
    latest = versions[0]
    in_force = next((v for v in versions if v.ratified_at is not None), None)
    notices = list(agreement.termination_notices.all())
    notice = notices[0] if notices else None
    parties = len(latest.parties.all())
    signed = len(latest.ratifications.all())
    if notice is not None and in_force is not None:
        code = "ended" if notice.effective_on <= today else "ending"
    elif in_force is not None:
        code = "in_force" if in_force.pk == latest.pk else "amending"
    elif signed:
        code = "ratifying"
    else:
        code = "draft"
    return State(
        latest=latest, in_force=in_force, code=code, signed=signed, parties=parties, notice=notice
    )


def agreements(partnership: Partnership) -> QuerySet[Agreement]:
    return (
        Agreement.objects.filter(partnership=partnership)
        .select_related("partnership")
        .prefetch_related(_versions_prefetch(), "termination_notices")
        .order_by("-created_at", "-id")
    )


def agreement_links(*, partnership: Partnership) -> list[tuple[int, str, str]]:
    """(id, title, url) of the partnership's agreements, oldest first (``hooks.AGREEMENT_LINKS``)."""
    from django.urls import reverse

    rows = (
        Agreement.objects.filter(partnership=partnership)
        .order_by("created_at", "id")
        .values_list("pk", "title")
    )
    return [
        (pk, title, reverse("agreements:detail", kwargs={"slug": partnership.slug, "pk": pk}))
        for pk, title in rows
    ]


def agreement_detail(partnership: Partnership, pk: int) -> Agreement:
    return get_object_or_404(agreements(partnership), pk=pk)


def version_of(agreement: Agreement, number: int) -> AgreementVersion:
    for v in agreement.versions.all():
        if v.number == number:
            return v
    raise AgreementVersion.DoesNotExist


def compacts(partnership: Partnership) -> QuerySet[Compact]:
    return (
        Compact.objects.filter(partnership=partnership)
        .select_related("partnership")
        .prefetch_related("principles", "signatures__organisation", "signatures__signed_by")
        .order_by("-created_at", "-id")
    )


def compact_scores(compact: Compact) -> dict[str, Any]:
    """Average score per principle and year, and each organisation's latest scores."""
    rows = (
        SelfAssessment.objects.filter(principle__compact=compact)
        .values("principle_id", "year")
        .annotate(avg=Avg("score"))
        .order_by("principle_id", "year")
    )
    by_principle: dict[int, list[dict[str, Any]]] = {}
    years: set[int] = set()
    for r in rows:
        by_principle.setdefault(r["principle_id"], []).append({"year": r["year"], "avg": r["avg"]})
        years.add(r["year"])
    detail = list(
        SelfAssessment.objects.filter(principle__compact=compact)
        .select_related("organisation", "principle")
        .order_by("-year", "organisation__name", "principle__order")
    )
    principle_ids = list(compact.principles.order_by("order", "id").values_list("pk", flat=True))
    grid: dict[tuple[int, str], dict[int, int]] = {}
    for a in detail:
        grid.setdefault((a.year, a.organisation.name), {})[a.principle_id] = a.score
    grid_rows: list[dict[str, Any]] = [
        {"year": year, "organisation": org, "cells": [cells.get(pk) for pk in principle_ids]}
        for (year, org), cells in sorted(grid.items(), key=lambda kv: (-kv[0][0], kv[0][1]))
    ]
    return {
        "by_principle": by_principle,
        "years": sorted(years),
        "detail": detail,
        "rows": grid_rows,
    }
