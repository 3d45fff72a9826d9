from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    name = "commonground.contributions"
    label = "contributions"
    verbose_name = _("Contributions")

    def ready(self) -> None:
        from commonground.core.nav import register_nav, register_panel

        from . import rules

        register_nav(
            order=40,
            label=_("Contributions"),
            url_name="contributions:ledger",
            capability=rules.VIEW,
        )
        register_panel(order=40, template="contributions/_panel.html", context=_panel)

        from commonground.systemmap.edges import register_edge_provider

        from .edges import contribution_edges

        register_edge_provider(contribution_edges)

        from commonground.library.reports import register_report_section

        from . import reports as report_sections

        register_report_section(
            50, "contributions/report/section.html", report_sections.report_section
        )


def _panel(request, partnership):  # type: ignore[no-untyped-def]
    from django.urls import reverse
    from django.utils import timezone

    from commonground.core import policy

    from . import rules, selectors
    from .models import Contribution

    if not policy.has_capability(request.user, partnership, rules.VIEW):
        return None
    if not Contribution.objects.filter(partnership=partnership).exists():
        return None
    return {
        "totals": selectors.totals(partnership),
        "overdue": selectors.overdue(partnership, timezone.localdate()).count(),
        "url": reverse("contributions:ledger", kwargs={"slug": partnership.slug}),
    }
