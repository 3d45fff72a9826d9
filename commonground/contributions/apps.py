from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    name = "commonground.contributions"
    label = "contributions"
    verbose_name = _("Contributions")

    def ready(self) -> None:
        from commonground.core.nav import register_nav

        from . import rules

        register_nav(
            order=40,
            label=_("Contributions"),
            url_name="contributions:ledger",
            capability=rules.VIEW,
        )
