from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonground.demo import loader


class Command(BaseCommand):
    help = "Load the demo partnership (idempotent: does nothing if it is already there, unless --reset)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo data first and build it again."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scenario = loader.read_scenario()
        if loader.is_loaded(scenario):
            if not options["reset"]:
                self.stdout.write("The demo partnership is already loaded.")
                return
            loader.reset(scenario)
        ctx = loader.build(scenario, report=lambda step: self.stdout.write(f"  demo: {step} ready"))
        slug = ctx.partnership.slug
        self.stdout.write(self.style.SUCCESS(f"Demo partnership loaded: /p/{slug}/"))
