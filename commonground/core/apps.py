from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "commonground.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import ops, textinput, versions
        from .nav import register_nav
        from .views_deliveries import MANAGE

        versions.connect_signals()
        # Managers find the emails that could not be sent beside the audit log.
        register_nav(
            order=895,
            label=_("Failed deliveries"),
            url_name="core:partnership_deliveries",
            capability=MANAGE,
        )
        ops.register_checks()
        textinput.connect_signals()
