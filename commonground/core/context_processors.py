from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .nav import nav_for


def site(request: HttpRequest) -> dict[str, Any]:
    partnership = getattr(request, "partnership", None)
    return {
        "SITE_NAME": "Common Ground",
        "TILE_URL": settings.COMMONGROUND_TILE_URL,
        "partnership": partnership,
        "partnership_nav": nav_for(request, partnership) if partnership is not None else [],
    }
