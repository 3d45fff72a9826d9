import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
application = get_wsgi_application()


def _settle() -> None:
    """Load the URL patterns now and move everything loaded so far out of the garbage
    collector's sight.

    A loaded Django project is a few hundred thousand long-lived objects (modules,
    classes, URL patterns, translation catalogues). Python's oldest-generation collection
    walks all of them now and then (about a tenth of a second here), which lands on an
    unlucky request as latency; objects that live as long as the process need not be
    walked, and freezing them takes them out of every collection. Runs once per worker
    process (each imports this module after the fork).
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every app's urls module
    gc.collect()
    gc.freeze()


_settle()
