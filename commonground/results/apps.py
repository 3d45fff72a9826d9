from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "commonground.results"
    label = "results"
    verbose_name = _("Results")

    def ready(self) -> None:
        from commonground.core.nav import register_nav, register_panel

        from . import panels, rules

        register_nav(
            order=70,
            label=_("Indicators"),
            url_name="results:indicator_list",
            capability=rules.VIEW,
        )
        register_panel(order=60, template="results/panel.html", context=panels.home_panel)

        from commonground.library.reports import register_report_section

        from . import reports as report_sections

        register_report_section(55, "results/report/section.html", report_sections.report_section)
