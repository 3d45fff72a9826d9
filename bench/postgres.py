"""A throwaway PostgreSQL 15 cluster, started as ``.ci/run`` starts CI's.

``initdb`` in a temporary folder, trust authentication, a unix socket in that folder
and no TCP listener, ``fsync``, ``synchronous_commit`` and ``full_page_writes`` off
(the benchmark measures reads; a lost cluster costs nothing). PostgreSQL refuses to
run as root, so under root the server runs as the ``postgres`` user. The postmaster
gets its own session, so a Ctrl-C in the terminal reaches the benchmark (which then
stops the cluster) and not the server directly. ``stop()`` ends it and removes the
folder; use it as a context manager.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType


def _bindir() -> Path:
    debian = Path("/usr/lib/postgresql/15/bin")
    if (debian / "initdb").exists():
        return debian
    initdb = shutil.which("initdb")
    if initdb is None:
        raise SystemExit("PostgreSQL 15 not found (/usr/lib/postgresql/15/bin or initdb on PATH)")
    return Path(initdb).parent


class ThrowawayPostgres:
    def __init__(self) -> None:
        self.bin = _bindir()
        self.dir = Path(tempfile.mkdtemp(prefix="cg-bench-pg."))
        self.data = self.dir / "data"
        self.as_root = os.geteuid() == 0
        self.started = False

    def __enter__(self) -> ThrowawayPostgres:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _server(self, tool: str, *args: str) -> None:
        """initdb and pg_ctl, as the postgres user when we are root."""
        cmd = [str(self.bin / tool), *args]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(
            cmd, check=True, stdout=subprocess.DEVNULL, start_new_session=True, cwd=self.dir
        )

    def start(self) -> None:
        if self.as_root:
            shutil.chown(self.dir, "postgres")
        self._server(
            "initdb",
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
        )
        options = (
            f"-k {self.dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off"
        )
        self._server(
            "pg_ctl",
            "-D",
            str(self.data),
            "-w",
            "-l",
            str(self.dir / "log"),
            "-o",
            options,
            "start",
        )
        self.started = True

    def stop(self) -> None:
        if self.started:
            with contextlib.suppress(subprocess.CalledProcessError):
                self._server("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgres://postgres@/{database}?host={self.dir}"

    def client(self, tool: str, *args: str) -> None:
        """createdb, pg_dump, pg_restore: clients, connecting over the socket as postgres."""
        subprocess.run(
            [str(self.bin / tool), "-h", str(self.dir), "-U", "postgres", *args],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def version(self) -> str:
        out = subprocess.run(
            [str(self.bin / "postgres"), "--version"], check=True, capture_output=True, text=True
        ).stdout
        return out.strip().replace("postgres (PostgreSQL) ", "PostgreSQL ")
