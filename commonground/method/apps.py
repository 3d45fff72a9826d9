from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MethodConfig(AppConfig):
    name = "commonground.method"
    label = "method"
    verbose_name = _("Method")
