from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from commonground.core.demo import DEMO_SLUG, DemoContext
from commonground.partnerships.models import Partnership


class Command(BaseCommand):
    help = "Load the demo partnership (idempotent: does nothing if it is already there, unless --reset)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo data first and build it again."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from commonground.partnerships.demo import reset_demo

        if Partnership.objects.filter(slug=DEMO_SLUG).exists():
            if not options["reset"]:
                self.stdout.write("The demo partnership is already loaded.")
                return
            reset_demo()
        ctx = DemoContext(today=timezone.localdate())
        with transaction.atomic():
            for app in settings.COMMONGROUND_APPS:
                if find_spec(f"{app}.demo") is None:
                    continue
                module = import_module(f"{app}.demo")
                if hasattr(module, "build"):
                    module.build(ctx)
                    self.stdout.write(f"  demo: {app.rsplit('.', 1)[-1]} ready")
        self.stdout.write(self.style.SUCCESS(f"Demo partnership loaded: /p/{DEMO_SLUG}/"))
