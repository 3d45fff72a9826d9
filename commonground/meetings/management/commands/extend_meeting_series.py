from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonground.meetings.series import HORIZON_MONTHS, series_extend_all


class Command(BaseCommand):
    help = (
        f"Plan the coming meetings of every running meeting series up to {HORIZON_MONTHS} "
        "months ahead (run daily; running it again plans nothing twice)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        planned = series_extend_all()
        self.stdout.write(f"{planned} meeting(s) planned.")
