from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtlasConfig(AppConfig):
    name = "commonground.atlas"
    label = "atlas"
    verbose_name = _("Atlas")

    def ready(self) -> None:
        from commonground.core.nav import register_nav

        from . import rules

        register_nav(order=80, label=_("Map"), url_name="atlas:map", capability=rules.VIEW)
