from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class AtlasConfig(AppConfig):
    name = "commonground.atlas"
    label = "atlas"
    verbose_name = _("Atlas")

    def ready(self) -> None:
        from commonground.core.nav import register_nav, register_panel

        from . import rules

        register_nav(order=80, label=_("Map"), url_name="atlas:map", capability=rules.VIEW)
        register_panel(order=60, template="atlas/panel.html", context=_panel)

        from commonground.library.reports import register_report_section

        from .reports import activities_section

        register_report_section(40, "atlas/report/activities.html", activities_section)


def _panel(request: HttpRequest, partnership: Any) -> dict[str, Any] | None:
    from commonground.core import policy

    from . import rules

    if not policy.has_capability(request.user, partnership, rules.VIEW):
        return None
    # Counts only (one query): finding overlaps compares every pair of activities, which
    # is work for the overlaps page, not for every visit to the partnership home. An
    # activity without a place is not counted as on the map.
    from django.db.models import Count, Q

    counts = partnership.activities.aggregate(
        total=Count("id"), mapped=Count("id", filter=Q(min_lat__isnull=False))
    )
    if not counts["total"]:
        return None
    return {
        "slug": partnership.slug,
        "total": counts["total"],
        "mapped": counts["mapped"],
        "not_on_map": counts["total"] - counts["mapped"],
    }
