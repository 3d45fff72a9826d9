from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "commonground.agreements"
    label = "agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        from commonground.core import hooks
        from commonground.core.nav import register_nav, register_panel

        from . import rules, selectors

        hooks.provide(hooks.AGREEMENT_LINKS, selectors.agreement_links)

        register_nav(
            order=45, label=_("Agreements"), url_name="agreements:list", capability=rules.VIEW
        )
        register_panel(order=45, template="agreements/_panel.html", context=_panel)


def _panel(request, partnership):  # type: ignore[no-untyped-def]
    from django.urls import reverse
    from django.utils import timezone

    from commonground.core import policy

    from . import rules, selectors

    if not policy.has_capability(request.user, partnership, rules.VIEW):
        return None
    today = timezone.localdate()
    agreements = list(selectors.agreements(partnership)[:5])
    if not agreements:
        return None
    return {
        "rows": [{"a": a, "state": selectors.state(a, today)} for a in agreements],
        "url": reverse("agreements:list", kwargs={"slug": partnership.slug}),
    }
