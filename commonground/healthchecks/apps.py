from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthchecksConfig(AppConfig):
    name = "commonground.healthchecks"
    label = "healthchecks"
    verbose_name = _("Health checks")

    def ready(self) -> None:
        from commonground.core.nav import register_nav

        from . import rules

        register_nav(
            order=75,
            label=_("Health check"),
            url_name="healthchecks:round_list",
            capability=rules.VIEW,
        )

        from commonground.library.reports import register_report_section

        from . import reports as report_sections

        register_report_section(
            60, "healthchecks/report/section.html", report_sections.report_section
        )
