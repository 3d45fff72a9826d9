from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonground.decisions.notifications import send_digests


class Command(BaseCommand):
    help = (
        "Email daily and weekly notification digests to everyone whose digest is due. "
        "Safe to run hourly: each person gets at most one digest a day (or a week)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_digests()
        self.stdout.write(f"sent {sent} digests")
