"""Backups taken while the app writes restore to exactly what was committed at backup time."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, connections

from commonground.core.models import AuditEvent


@pytest.mark.django_db(transaction=True)
def test_backup_under_writes_restores_to_the_same_row_count(tmp_path):
    for i in range(50):
        AuditEvent.objects.create(verb="seed", summary=f"row {i}")
    stop = threading.Event()

    def writer():
        from django.db import OperationalError

        try:
            while not stop.is_set():
                try:
                    AuditEvent.objects.create(verb="load", summary="concurrent write")
                except OperationalError:
                    # SQLite's shared-cache test database reports "table is locked" while the
                    # backup copies pages; a real writer would retry, and so does this one.
                    time.sleep(0.01)
        finally:
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        target = tmp_path / ("db.sqlite3" if connection.vendor == "sqlite" else "db.pgdump")
        # Count and back up inside the same instant as far as a client can: the backup is a
        # consistent snapshot, so the restored count equals some count at or after `low`.
        low = AuditEvent.objects.count()
        call_command("backup", str(target), verbosity=0)
        high = AuditEvent.objects.count()
    finally:
        stop.set()
        thread.join()
    assert target.exists() and target.stat().st_size > 0
    AuditEvent.objects.create(verb="after", summary="written after the backup")
    call_command("restore", str(target), "--yes", verbosity=0)
    connections.close_all()
    restored = AuditEvent.objects.count()
    assert low <= restored <= high
    assert not AuditEvent.objects.filter(verb="after").exists()
    assert AuditEvent.objects.filter(verb="seed").count() == 50
