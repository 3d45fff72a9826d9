from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonground.actionplan.services import reminders_send


class Command(BaseCommand):
    help = "Email owners about overdue and due-soon actions (at most once a day per person)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send()
        self.stdout.write(f"{sent} reminder(s) sent.")
