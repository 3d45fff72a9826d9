from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "commonground.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from commonground.core.nav import register_nav, register_panel

        from . import rules
        from .panels import next_meetings_panel

        register_nav(order=50, label=_("Meetings"), url_name="meetings:list", capability=rules.VIEW)
        register_panel(order=50, template="meetings/panel_next.html", context=next_meetings_panel)
