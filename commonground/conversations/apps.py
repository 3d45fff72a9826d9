from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "commonground.conversations"
    label = "conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from commonground.core.nav import register_nav, register_panel

        from . import rules
        from .panels import conversations_panel

        register_nav(
            order=55,
            label=_("Conversations"),
            url_name="conversations:threads",
            capability=rules.VIEW,
        )
        register_panel(
            order=55,
            template="conversations/panel.html",
            context=conversations_panel,
            capability=rules.VIEW,
        )
