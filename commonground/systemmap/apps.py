from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SystemmapConfig(AppConfig):
    name = "commonground.systemmap"
    label = "systemmap"
    verbose_name = _("System map")
