from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "commonground.library"
    label = "library"
    verbose_name = _("Library")

    def ready(self) -> None:
        from commonground.core.nav import register_nav

        from . import rules
        from .reports import register_library_sections

        register_nav(
            order=85, label=_("Data room"), url_name="library:documents", capability=rules.VIEW
        )
        register_nav(
            order=86, label=_("Knowledge"), url_name="library:cases", capability=rules.VIEW
        )
        register_nav(order=87, label=_("Story"), url_name="library:timeline", capability=rules.VIEW)
        register_library_sections()
