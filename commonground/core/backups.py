"""Online backups: SQLite's backup API, or pg_dump/pg_restore for PostgreSQL."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import connections


def _pg_env(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = []
    host = settings_dict.get("HOST") or (settings_dict.get("OPTIONS") or {}).get("host")
    if host:
        args += ["-h", str(host)]
    if settings_dict.get("PORT"):
        args += ["-p", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["-U", str(settings_dict["USER"])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise FileNotFoundError(f"{name} not found; install the PostgreSQL client tools")


def backup_database(target: Path, alias: str = "default") -> Path:
    """Write a consistent copy of the live database to ``target`` while it keeps serving."""
    conn = connections[alias]
    target.parent.mkdir(parents=True, exist_ok=True)
    if conn.vendor == "sqlite":
        conn.ensure_connection()
        dest = sqlite3.connect(target)
        try:
            conn.connection.backup(dest)  # pages copied in a consistent snapshot
        finally:
            dest.close()
        return target
    if conn.vendor == "postgresql":
        sd = conn.settings_dict
        args, env = _pg_env(sd)
        subprocess.run(
            [pg_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(target), *args, str(sd["NAME"])],
            env=env,
            check=True,
        )
        return target
    raise NotImplementedError(conn.vendor)


def restore_database(source: Path, alias: str = "default") -> None:
    """Replace the database's contents with the backup in ``source``."""
    if not source.exists():
        raise FileNotFoundError(source)
    conn = connections[alias]
    if conn.vendor == "sqlite":
        conn.ensure_connection()
        src = sqlite3.connect(source)
        try:
            src.backup(conn.connection)
        finally:
            src.close()
        return
    if conn.vendor == "postgresql":
        sd = conn.settings_dict
        args, env = _pg_env(sd)
        conn.close()
        subprocess.run(
            [
                pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "-d",
                str(sd["NAME"]),
                *args,
                str(source),
            ],
            env=env,
            check=True,
        )
        return
    raise NotImplementedError(conn.vendor)
