from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionplanConfig(AppConfig):
    name = "commonground.actionplan"
    label = "actionplan"
    verbose_name = _("Action plan")

    def ready(self) -> None:
        from commonground.core.nav import register_nav, register_panel

        from . import rules
        from .panels import actions_panel

        register_nav(
            order=60, label=_("Action plan"), url_name="actionplan:list", capability=rules.VIEW
        )
        register_panel(order=60, template="actionplan/panel.html", context=actions_panel)

        from commonground.core import hooks

        from . import services

        hooks.provide(hooks.ACTION_CREATE, services.action_create)
