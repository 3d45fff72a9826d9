from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "commonground.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import textinput, versions

        versions.connect_signals()
        textinput.connect_signals()
