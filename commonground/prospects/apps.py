from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProspectsConfig(AppConfig):
    name = "commonground.prospects"
    label = "prospects"
    verbose_name = _("Prospects")

    def ready(self) -> None:
        from commonground.core.nav import register_nav

        from . import rules

        register_nav(
            order=20, label=_("Prospects"), url_name="prospects:board", capability=rules.VIEW
        )
        register_nav(order=22, label=_("Gaps"), url_name="prospects:gaps", capability=rules.VIEW)

        from commonground.core.nav import register_panel

        from .panels import home_panel

        register_panel(
            order=30,
            template="prospects/_home_panel.html",
            context=home_panel,
            capability=rules.VIEW,
        )
