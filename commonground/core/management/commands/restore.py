from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from commonground.core.backups import restore_database


class Command(BaseCommand):
    help = "Restore the database from a file written by `manage.py backup` (replaces all current data)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("source")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source"])
        if not source.exists():
            raise CommandError(f"no such backup: {source}")
        if not options["yes"]:
            answer = input("This replaces every row in the database. Type 'restore' to go on: ")
            if answer.strip() != "restore":
                raise CommandError("not restored")
        restore_database(source)
        self.stdout.write(self.style.SUCCESS(f"Restored from {source}"))
