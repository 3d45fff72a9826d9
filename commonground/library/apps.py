from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "commonground.library"
    label = "library"
    verbose_name = _("Library")

    def ready(self) -> None:
        from commonground.core import hooks
        from commonground.core.nav import register_nav, register_panel

        from . import rules, services

        hooks.provide(hooks.END_RULES_APPLY, services.retention_apply)
        from .reports import register_library_sections

        register_nav(
            order=85, label=_("Data room"), url_name="library:documents", capability=rules.VIEW
        )
        register_nav(
            order=86, label=_("Knowledge"), url_name="library:cases", capability=rules.VIEW
        )
        register_nav(order=87, label=_("Story"), url_name="library:timeline", capability=rules.VIEW)
        register_library_sections()
        register_panel(order=70, template="library/panel.html", context=_panel)


def _panel(request: HttpRequest, partnership: Any) -> dict[str, Any] | None:
    from commonground.core import policy

    from . import rules

    if not policy.has_capability(request.user, partnership, rules.VIEW):
        return None
    # The four newest only: no version counts (a GROUP BY over every visible document).
    docs = (
        rules.visible_documents(request.user, partnership)
        .select_related("owner_organisation")
        .order_by("-updated_at", "-id")[:4]
    )
    return {"slug": partnership.slug, "documents": list(docs)}
