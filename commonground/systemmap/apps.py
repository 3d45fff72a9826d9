from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SystemmapConfig(AppConfig):
    name = "commonground.systemmap"
    label = "systemmap"
    verbose_name = _("System map")

    def ready(self) -> None:
        from commonground.core.nav import register_nav, register_panel

        from . import edges, panels, rules, ties

        edges.register_builtin_providers()
        ties.connect()
        register_nav(
            order=35, label=_("System map"), url_name="systemmap:network", capability=rules.VIEW
        )
        register_panel(order=40, template="systemmap/_home_panel.html", context=panels.home_panel)
        register_nav(
            order=15,
            label=_("Preparation tools"),
            url_name="systemmap:prepare",
            capability=rules.VIEW,
        )
