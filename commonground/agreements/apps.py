from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "commonground.agreements"
    label = "agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        from commonground.core.nav import register_nav

        from . import rules

        register_nav(
            order=45, label=_("Agreements"), url_name="agreements:list", capability=rules.VIEW
        )
