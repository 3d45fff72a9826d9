"""Registries that let each app add itself to the partnership workspace.

Apps call these from ``AppConfig.ready``; the partnership layout and home page
read them. Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from . import policy


@dataclass(frozen=True)
class NavItem:
    order: int
    label: str | Promise
    url_name: str
    capability: str


@dataclass(frozen=True)
class HomePanel:
    order: int
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any] | None]


_NAV: dict[str, NavItem] = {}
_PANELS: dict[str, HomePanel] = {}


def register_nav(*, order: int, label: str | Promise, url_name: str, capability: str) -> None:
    """Add a tab to the partnership navigation (url_name takes the partnership ``slug``)."""
    _NAV[url_name] = NavItem(order, label, url_name, capability)


def register_panel(
    *, order: int, template: str, context: Callable[[HttpRequest, Any], dict[str, Any] | None]
) -> None:
    """Add a panel to the partnership home. ``context`` returns None to hide the panel."""
    _PANELS[template] = HomePanel(order, template, context)


def nav_for(request: HttpRequest, partnership: Any) -> list[dict[str, Any]]:
    items = []
    for item in sorted(_NAV.values(), key=lambda i: i.order):
        if not policy.has_capability(request.user, partnership, item.capability):
            continue
        try:
            url = reverse(item.url_name, kwargs={"slug": partnership.slug})
        except NoReverseMatch:
            continue
        items.append(
            {
                "label": item.label,
                "url": url,
                "active": request.path == url
                or (url.count("/") > 3 and request.path.startswith(url)),
            }
        )
    return items


def panels_for(request: HttpRequest, partnership: Any) -> list[dict[str, Any]]:
    rendered = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.order):
        ctx = panel.context(request, partnership)
        if ctx is not None:
            rendered.append({"template": panel.template, "context": ctx})
    return rendered
