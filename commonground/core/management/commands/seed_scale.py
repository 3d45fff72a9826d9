from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from commonground.core.scale import ScaleContext, scale_modules


class Command(BaseCommand):
    help = "Build deterministic synthetic data for a region-wide instance (factor 1 = 20,000 organisations)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--factor", type=float, default=1.0)

    def handle(self, *args: Any, **options: Any) -> None:
        ctx = ScaleContext(factor=options["factor"])
        for module in scale_modules():
            if not hasattr(module, "seed"):
                continue
            started = time.monotonic()
            with transaction.atomic():
                module.seed(ctx)
            name = module.__name__.split(".")[1]
            self.stdout.write(f"  {name}: {time.monotonic() - started:.1f}s")
        self.stdout.write(self.style.SUCCESS(f"Scale data at factor {options['factor']} ready."))
