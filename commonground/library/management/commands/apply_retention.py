from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonground.library import services
from commonground.partnerships.models import Partnership


class Command(BaseCommand):
    help = (
        "Apply each data-room item's end-of-partnership rule (return, delete, archive) in every "
        "partnership whose status is 'ended'. Safe to run repeatedly (e.g. nightly)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for partnership in Partnership.objects.filter(status="ended"):
            done = services.retention_apply(actor=None, partnership=partnership)
            if any(done.values()):
                self.stdout.write(
                    f"{partnership.slug}: returned {done['return']}, deleted {done['delete']}, "
                    f"archived {done['archive']}"
                )
