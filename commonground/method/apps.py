from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MethodConfig(AppConfig):
    name = "commonground.method"
    label = "method"
    verbose_name = _("Method")

    def ready(self) -> None:
        from commonground.core.nav import register_nav, register_panel

        from . import rules
        from .content import load_content
        from .panels import what_next, what_next_panel, yours_panel

        # Fails loudly (file and line) if a content file is malformed.
        load_content()

        register_nav(
            order=20, label=_("Method"), url_name="method:lifecycle", capability=rules.VIEW
        )
        register_panel(
            order=5,
            template="method/panel_what_next.html",
            context=what_next_panel,
            eager=True,
            # The partnership's own next steps are for those who steer it; everyone
            # else sees their own next steps (the panel below).
            capability=rules.MOVE_PHASE,
            shared=True,
            shared_context=what_next,
        )
        register_panel(order=6, template="method/panel_yours.html", context=yours_panel)
