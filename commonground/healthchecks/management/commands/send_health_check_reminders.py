from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonground.healthchecks.services import next_round_reminders_send


class Command(BaseCommand):
    help = (
        "Tell managers when a year has passed since the last health-check round opened "
        "and no round is open (once per due date)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = next_round_reminders_send()
        self.stdout.write(f"{sent} partnership(s) reminded.")
