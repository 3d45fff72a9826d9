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
from django.utils.translation import gettext_lazy as _

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
    eager: bool = False
    capability: str | None = None
    shared: bool = False
    # For shared panels: the context from the partnership alone (no request, no viewer).
    shared_context: Callable[[Any], dict[str, Any] | None] | None = None

    @property
    def key(self) -> str:
        """A URL-safe name for the panel: its app label (and file name when an app has several)."""
        app, _, name = self.template.partition("/")
        return app if _PANEL_APPS.get(app, 0) <= 1 else f"{app}-{name.rsplit('.', 1)[0].strip('_')}"

    @property
    def app_label(self) -> str:
        return self.template.split("/", 1)[0]


_NAV: dict[str, NavItem] = {}
_PANELS: dict[str, HomePanel] = {}
_PANEL_APPS: dict[str, int] = {}


def register_nav(*, order: int, label: str | Promise, url_name: str, capability: str) -> None:
    """Add a tab to the partnership navigation (url_name takes the partnership ``slug``)."""
    _NAV[url_name] = NavItem(order, label, url_name, capability)


def register_panel(
    *,
    order: int,
    template: str,
    context: Callable[[HttpRequest, Any], dict[str, Any] | None],
    eager: bool = False,
    capability: str | None = None,
    shared: bool = False,
    shared_context: Callable[[Any], dict[str, Any] | None] | None = None,
) -> None:
    """Add a panel to the partnership home. ``context`` returns None to hide the panel.

    Panels are loaded after the page (one htmx request each, so the home page's
    own queries stay few however many modules there are); without JavaScript
    each shows as a link to the panel on a page of its own. ``eager`` panels are
    rendered inside the home page itself (keep them to the essential one).
    ``capability``, when given, hides the panel from people who lack it. ``shared``
    eager panels show the same to every member who may see them (nothing personal, no
    form), so the home page caches their HTML until the partnership changes; they
    give ``shared_context(partnership)``, built without any viewer's request, and
    leave the permission check to ``capability`` (checked per viewer).
    """
    if shared and (shared_context is None or capability is None):
        raise ValueError("a shared panel needs shared_context and a capability")
    if template not in _PANELS:
        app = template.split("/", 1)[0]
        _PANEL_APPS[app] = _PANEL_APPS.get(app, 0) + 1
    _PANELS[template] = HomePanel(
        order, template, context, eager, capability, shared, shared_context
    )


# The workspace's modules in a few sections, each with its own sub-navigation. The
# grouping is one decision for the whole product, so it lives here (by URL name);
# a module that adds a tab adds its line (test_every_tab_has_a_section).
SECTIONS: list[tuple[str, str | Promise]] = [
    ("overview", _("Overview")),
    ("people", _("People and partners")),
    ("method", _("Method")),
    ("agreements", _("Agreements and contributions")),
    ("decisions", _("Decisions and meetings")),
    ("results", _("Results and story")),
]
SECTION_OF = {
    "partnerships:home": "overview",
    "partnerships:ending": "overview",
    "core:partnership_deliveries": "overview",
    "partnerships:audit": "overview",
    "partnerships:members": "people",
    "prospects:board": "people",
    "prospects:gaps": "people",
    "systemmap:network": "people",
    "atlas:map": "people",
    "method:lifecycle": "method",
    "systemmap:prepare": "method",
    "agreements:list": "agreements",
    "contributions:ledger": "agreements",
    "decisions:proposals": "decisions",
    "meetings:list": "decisions",
    "conversations:threads": "decisions",
    "actionplan:list": "decisions",
    "results:indicator_list": "results",
    "healthchecks:round_list": "results",
    "library:documents": "results",
    "library:cases": "results",
    "library:timeline": "results",
}


def _is_active(request: HttpRequest, url: str) -> bool:
    return request.path == url or (url.count("/") > 3 and request.path.startswith(url))


def nav_for(request: HttpRequest, partnership: Any) -> list[dict[str, Any]]:
    """The workspace navigation: the sections the person may open, each with its
    tabs; the section of the page being shown is marked active (else Overview)."""
    sections: dict[str, dict[str, Any]] = {
        key: {"key": key, "label": label, "items": [], "active": False} for key, label in SECTIONS
    }
    # Within a section, tabs keep the order of SECTION_OF (then registration order).
    place = {name: i for i, name in enumerate(SECTION_OF)}
    for item in sorted(_NAV.values(), key=lambda i: (place.get(i.url_name, len(place)), i.order)):
        if not policy.has_capability(request.user, partnership, item.capability):
            continue
        try:
            url = reverse(item.url_name, kwargs={"slug": partnership.slug})
        except NoReverseMatch:
            continue
        section = sections[SECTION_OF.get(item.url_name, "overview")]
        active = _is_active(request, url)
        section["items"].append({"label": item.label, "url": url, "active": active})
        section["active"] = section["active"] or active
    shown = [s for s in sections.values() if s["items"]]
    if shown and not any(s["active"] for s in shown):
        shown[0]["active"] = True
    for s in shown:
        s["url"] = s["items"][0]["url"]
    return shown


def panel_by_key(key: str) -> HomePanel | None:
    return next((p for p in _PANELS.values() if p.key == key), None)


def panel_title(panel: HomePanel) -> str:
    from django.apps import apps

    return str(apps.get_app_config(panel.app_label).verbose_name)


def shared_panels() -> list[HomePanel]:
    return [p for p in sorted(_PANELS.values(), key=lambda p: p.order) if p.eager and p.shared]


# What matters in each phase of the partnership, most important first (panels by app).
# The home page shows these panels in this order; the others follow folded away, so
# the page opens on the phase's work rather than on every module at once.
PHASE_FOCUS: dict[str, list[str]] = {
    "prepare": ["method", "systemmap", "prospects", "conversations", "library"],
    "identify": ["method", "prospects", "systemmap", "contributions", "meetings"],
    "agree": ["method", "agreements", "contributions", "decisions", "meetings"],
    "consolidate": ["method", "actionplan", "decisions", "meetings", "results", "contributions"],
    "assess": ["method", "results", "library", "contributions", "agreements", "actionplan"],
}


def panels_for(
    request: HttpRequest, partnership: Any, shared_html: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """The home page's panels: eager ones with their context (or, for shared ones, their
    HTML from ``shared_html``), lazy ones as placeholders. Each carries ``focus``:
    whether it belongs to the current phase's work (those come first)."""
    focus = PHASE_FOCUS.get(getattr(partnership, "phase", ""), [])
    rank = {app: i for i, app in enumerate(focus)}

    def place(panel: HomePanel) -> tuple[int, int]:
        return (rank.get(panel.app_label, len(rank)), panel.order)

    rendered = []
    for panel in sorted(_PANELS.values(), key=place):
        if panel.capability and not policy.has_capability(
            request.user, partnership, panel.capability
        ):
            continue
        in_focus = panel.app_label in rank or not focus
        if panel.eager and shared_html is not None and panel.key in shared_html:
            if shared_html[panel.key]:
                rendered.append({"html": shared_html[panel.key], "lazy": False, "focus": in_focus})
        elif panel.eager:
            ctx = panel.context(request, partnership)
            if ctx is not None:
                rendered.append(
                    {"template": panel.template, "context": ctx, "lazy": False, "focus": in_focus}
                )
        else:
            rendered.append(
                {"key": panel.key, "title": panel_title(panel), "lazy": True, "focus": in_focus}
            )
    return rendered
