from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "commonground.conversations"
    label = "conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from commonground.core.nav import register_nav

        from . import rules

        register_nav(
            order=55,
            label=_("Conversations"),
            url_name="conversations:threads",
            capability=rules.VIEW,
        )
