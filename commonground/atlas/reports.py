"""The atlas's section of the partnership report (registered in ``AtlasConfig.ready``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count

if TYPE_CHECKING:
    from commonground.library.reports import ReportParams

ACTIVITY_LIMIT = 30
TIER_ORDER = {"core": 0, "strategic": 1, "platform": 2}


def activities_section(params: ReportParams) -> dict[str, Any] | None:
    """Counts by status and tier in SQL; only the first ACTIVITY_LIMIT activities are loaded."""
    from django.db.models import Case, IntegerField, Q, Value, When

    from .models import Activity, ActivityStatus, Tier

    qs = (
        Activity.objects.filter(partnership=params.partnership)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=params.end))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=params.start))
    )
    if params.public:
        qs = qs.filter(is_public=True)
    status_labels = dict(ActivityStatus.choices)
    tier_labels = dict(Tier.choices)
    by_status: dict[str, int] = {}
    tiers: dict[str, int] = {}
    for row in qs.values("status", "tier").annotate(n=Count("id")).order_by():
        label = str(status_labels.get(row["status"], row["status"]))
        by_status[label] = by_status.get(label, 0) + row["n"]
        tiers[row["tier"]] = tiers.get(row["tier"], 0) + row["n"]
    total = sum(tiers.values())
    tier_rank = Case(
        *[When(tier=t, then=Value(rank)) for t, rank in TIER_ORDER.items()],
        default=Value(9),
        output_field=IntegerField(),
    )
    acts = list(
        qs.annotate(tier_rank=tier_rank).order_by("tier_rank", "title", "id")[:ACTIVITY_LIMIT]
    )
    _attach_names(acts)
    by_tier = [
        (str(tier_labels.get(t, t)), n)
        for t, n in sorted(tiers.items(), key=lambda kv: TIER_ORDER.get(kv[0], 9))
    ]
    return {
        "activities": acts,
        "more": max(0, total - ACTIVITY_LIMIT),
        "total": total,
        "by_status": sorted(by_status.items()),
        "by_tier": by_tier,
    }


def _attach_names(acts: list[Any]) -> None:
    """Give each activity ``report_orgs`` and ``report_themes`` (names, sorted), read from both
    many-to-many tables in one round trip."""
    from django.db.models import BigIntegerField, CharField, F, Value
    from django.db.models.functions import Cast

    from commonground.core.sql import union_all

    from .models import Activity, Theme

    ids = [a.pk for a in acts]
    orgs = (
        Activity.organisations.through.objects.filter(activity_id__in=ids)
        .annotate(
            r_activity=F("activity_id"),
            r_name=F("organisation__name"),
            r_kind=Value("org", output_field=CharField()),
            # A typed NULL: PostgreSQL will not unite an untyped one with bigint.
            r_custom=Cast(Value(None), output_field=BigIntegerField()),
        )
        .values("r_activity", "r_name", "r_kind", "r_custom")  # type: ignore[misc]
    )
    themes = (
        Activity.themes.through.objects.filter(activity_id__in=ids)
        .annotate(
            r_activity=F("activity_id"),
            r_name=F("theme__name"),
            r_kind=Value("theme", output_field=CharField()),
            r_custom=F("theme__partnership_id"),
        )
        .values("r_activity", "r_name", "r_kind", "r_custom")  # type: ignore[misc]
    )
    names: dict[tuple[int, str], list[str]] = {}
    for row in union_all(orgs, themes) if ids else []:
        name = row["r_name"]
        if row["r_kind"] == "theme":
            name = Theme(name=name, partnership_id=row["r_custom"]).label
        names.setdefault((row["r_activity"], row["r_kind"]), []).append(name)
    for a in acts:
        a.report_orgs = sorted(names.get((a.pk, "org"), []), key=str.casefold)
        a.report_themes = sorted(names.get((a.pk, "theme"), []), key=str.casefold)
