"""Enqueue the periodic jobs when they are due (``core.scheduler``); run one per site."""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from commonground.core import scheduler


class Command(BaseCommand):
    help = "Enqueue the periodic jobs (digests, reminders, retention, backups, …) when due."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=20.0, help="seconds between checks")
        parser.add_argument("--once", action="store_true", help="check once, then exit")

    def handle(self, *args: Any, interval: float, once: bool, **options: Any) -> None:
        running = True

        def stop(signum: int, frame: Any) -> None:
            nonlocal running
            running = False

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while running:
            close_old_connections()
            for name in scheduler.tick():
                if options["verbosity"] > 1:
                    self.stdout.write(f"enqueued {name}")
            if once:
                break
            slept = 0.0
            while running and slept < interval:
                time.sleep(0.5)
                slept += 0.5
