from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonground.decisions import services


class Command(BaseCommand):
    help = (
        "Close every proposal whose closing time has passed (writing its tally and register "
        "entry) and send 'closing soon' reminders. Run it from cron every few minutes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        closed = services.close_due_proposals()
        reminded = services.send_closing_soon()
        self.stdout.write(f"closed {closed} proposals; sent closing-soon reminders for {reminded}")
