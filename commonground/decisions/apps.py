from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "commonground.decisions"
    label = "decisions"
    verbose_name = _("Decisions")

    def ready(self) -> None:
        from commonground.core.nav import register_nav, register_panel

        from . import rules
        from .panels import open_proposals_panel

        register_nav(
            order=40, label=_("Decisions"), url_name="decisions:proposals", capability=rules.VIEW
        )
        register_panel(order=40, template="decisions/panel_open.html", context=open_proposals_panel)

        from commonground.library.reports import register_report_section

        from . import reports as report_sections

        register_report_section(65, "decisions/report/section.html", report_sections.report_section)

        from commonground.library.selectors import register_timeline_source

        from .selectors import timeline_decisions

        register_timeline_source(timeline_decisions)

        from commonground.core import hooks

        from . import services

        hooks.provide(hooks.PROPOSAL_CREATE, services.proposal_create)
