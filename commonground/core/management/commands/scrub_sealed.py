"""Finish the secure deletion of sealed answers and ballots that a reader held back."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonground.core.anonymity import scrub_pending


class Command(BaseCommand):
    help = (
        "Try again to scrub sealed tables whose deleted rows another session's snapshot "
        "still held at the close (see docs/security.md). Safe to run at any time."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        left = scrub_pending()
        if options["verbosity"]:
            self.stdout.write(f"{left} scrub(s) still pending")
