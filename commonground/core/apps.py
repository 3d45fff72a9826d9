from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "commonground.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import ops, textinput, versions

        versions.connect_signals()
        ops.register_checks()
        textinput.connect_signals()
