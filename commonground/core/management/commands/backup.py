from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from commonground.core.backups import backup_database


class Command(BaseCommand):
    help = "Back up the database while the app keeps running (SQLite backup API or pg_dump)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "target", nargs="?", help="file to write (default: var/backups/<timestamp>.<ext>)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.db import connection

        ext = "sqlite3" if connection.vendor == "sqlite" else "pgdump"
        target = options["target"] or str(
            Path(settings.VAR_DIR)
            / "backups"
            / f"commonground-{timezone.now():%Y%m%d-%H%M%S}.{ext}"
        )
        path = backup_database(Path(target))
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
