from __future__ import annotations

from decimal import Decimal
from typing import Any

from commonground.atlas import services
from commonground.atlas.models import Activity, Theme


def theme(slug: str = "sharing-repair") -> Theme:
    return Theme.objects.get(partnership__isnull=True, slug=slug)


def make_activity(
    partnership: Any,
    orgs: list[Any],
    *,
    title: str = "Repair café",
    themes: list[str] | None = None,
    lat: str | None = "59.923100",
    lon: str | None = "10.759200",
    actor: Any = None,
    **kw: Any,
) -> Activity:
    return services.activity_create(
        actor=actor,
        partnership=partnership,
        title=title,
        organisations=orgs,
        themes=[theme(s) for s in (themes or ["sharing-repair"])],
        latitude=Decimal(lat) if lat else None,
        longitude=Decimal(lon) if lon else None,
        **kw,
    )
