"""Peak memory of every export and of report generation, on a seeded scale database.

    COMMONGROUND_VAR_DIR=var/bench-10 .venv/bin/python scripts/export_memory.py --factor 10

The database must already be seeded (``python -m bench.seed --factor F``); it is
opened read-only and nothing is written to it: sessions live in signed cookies,
the cache in memory, and the sign-in does not touch ``last_login``.

Each export runs in its own forked child of a process that has Django set up and
WeasyPrint, openpyxl and python-docx imported, so one export's freed memory does
not hide the next one's. The child resets the kernel's peak-RSS mark
(``/proc/self/clear_refs``), sends the request through ``django.test.Client`` as
the bench partnership's manager, reads the whole body (streaming responses
included) and reports the peak RSS above its starting RSS. ``--tracemalloc``
also reports the peak of Python allocations (slower). Exits 1 if any export
fails or grows by more than ``--limit`` MB (200 by default, the target of
docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def memory_kb() -> dict[str, int]:
    """Current and peak resident set size of this process, in kB (Linux)."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def reset_peak() -> None:
    # "5" resets VmHWM to the current RSS (Linux 4.0+).
    Path("/proc/self/clear_refs").write_text("5")


def setup_django_read_only() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")  # DEBUG keeps every query in memory
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")
    import django
    from django.conf import settings

    django.setup()
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith(".sqlite3"):
        raise SystemExit("export_memory.py reads a seeded SQLite database (COMMONGROUND_VAR_DIR)")
    path = Path(db["NAME"])
    if not path.exists():
        raise SystemExit(f"no database at {path}: seed it with python -m bench.seed first")
    db["NAME"] = f"file:{path}?mode=ro"
    options = dict(db.get("OPTIONS", {}))
    options.pop("transaction_mode", None)  # BEGIN IMMEDIATE would ask for the write lock
    options["uri"] = True
    db["OPTIONS"] = options
    locmem = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    settings.CACHES = {"default": locmem, "pages": locmem}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    from django.contrib.auth.models import update_last_login
    from django.contrib.auth.signals import user_logged_in

    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")


def exports(factor: float) -> tuple[Any, list[tuple[str, Callable[[Any], int]]]]:
    """The bench user and (label, run) pairs; ``run(client)`` returns the body size."""
    from django.db.models import Count
    from django.urls import reverse

    from bench.seed import load_context
    from commonground.accounts.models import User
    from commonground.agreements.models import AgreementVersion
    from commonground.healthchecks.models import Round
    from commonground.meetings.models import Meeting

    ctx = load_context(factor)
    user = User.objects.get(pk=ctx.bench_user_id)
    slug = ctx.bench_partnership_slug
    pid = ctx.bench_partnership_id
    jobs: list[tuple[str, Callable[[Any], int]]] = []

    def get(label: str, name: str, **kwargs: Any) -> None:
        url = reverse(name, kwargs={"slug": slug, **kwargs})

        def run(client: Any) -> int:
            response = client.get(url)
            try:
                if response.status_code != 200:
                    raise RuntimeError(f"{url} answered {response.status_code}")
                if response.streaming:
                    return sum(len(chunk) for chunk in response.streaming_content)
                return len(response.content)
            finally:
                response.close()

        jobs.append((label, run))

    get("contributions: ledger CSV", "contributions:export_csv")
    get("contributions: ledger XLSX", "contributions:export_xlsx")
    get("actions: CSV (all)", "actionplan:export_csv")
    get("actions: XLSX (all)", "actionplan:export_xlsx")
    get("report: HTML page", "library:report")
    get("report: PDF", "library:report_pdf")
    get("charter: PDF", "method:charter_pdf")
    version = (
        AgreementVersion.objects.filter(agreement__partnership_id=pid)
        .annotate(n=Count("parties"))
        .order_by("-n", "-pk")
        .first()
    )
    if version is not None:
        v = {"pk": version.agreement_id, "number": version.number}
        get("agreement: PDF", "agreements:version_pdf", **v)
        get("agreement: DOCX", "agreements:version_docx", **v)
    meeting = (
        Meeting.objects.filter(partnership_id=pid)
        .annotate(n=Count("items"))
        .order_by("-n", "-pk")
        .first()
    )
    if meeting is not None:
        get("meeting: agenda PDF", "meetings:agenda_pdf", pk=meeting.pk)
        get("meeting: minutes PDF", "meetings:minutes_pdf", pk=meeting.pk)
        get("meeting: ICS", "meetings:ics", pk=meeting.pk)
    rnd = (
        Round.objects.filter(partnership_id=pid)
        .annotate(n=Count("responses"))
        .order_by("-n", "-pk")
        .first()
    )
    if rnd is not None:
        get("health check: results CSV", "healthchecks:round_export_csv", pk=rnd.pk)
        get("health check: report PDF", "healthchecks:round_report_pdf", pk=rnd.pk)

    def calendar_feed(client: Any) -> int:
        # The feed URL needs a token row, which would be a write: read what the view streams.
        from commonground.meetings.views import feed_body
        from commonground.partnerships.models import Partnership

        p = Partnership.objects.get(pk=pid)
        return sum(len(chunk) for chunk in feed_body(p, "http://testserver"))

    jobs.append(("meetings: calendar feed (in-process)", calendar_feed))
    return user, jobs


def measure(user: Any, run: Callable[[Any], int], use_tracemalloc: bool) -> dict[str, Any]:
    """Run one export in a forked child; its peak RSS growth, body size and time."""
    from django.db import connections

    connections.close_all()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_fd)
        result: dict[str, Any] = {}
        try:
            from django.test import Client

            client = Client(raise_request_exception=True)
            client.force_login(user)
            if use_tracemalloc:
                import tracemalloc

                tracemalloc.start()
            reset_peak()
            start = memory_kb()["VmRSS"]
            t0 = time.perf_counter()
            result["bytes"] = run(client)
            result["seconds"] = time.perf_counter() - t0
            result["peak_mb"] = (memory_kb()["VmHWM"] - start) / 1024
            if use_tracemalloc:
                result["py_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        except BaseException as exc:  # reported by the parent
            result["error"] = f"{type(exc).__name__}: {exc}"[:300]
        os.write(write_fd, json.dumps(result).encode())
        os.close(write_fd)
        os._exit(0)
    os.close(write_fd)
    chunks = []
    while chunk := os.read(read_fd, 65536):
        chunks.append(chunk)
    os.close(read_fd)
    os.waitpid(pid, 0)
    return json.loads(b"".join(chunks) or b'{"error": "the child died"}')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factor", type=float, required=True, help="the seeded scale factor")
    parser.add_argument("--limit", type=float, default=200.0, help="MB per export (200)")
    parser.add_argument("--tracemalloc", action="store_true", help="also the Python heap peak")
    parser.add_argument("--only", default="", help="run only exports whose label contains this")
    args = parser.parse_args()
    if not Path("/proc/self/clear_refs").exists():
        raise SystemExit("export_memory.py measures peak RSS through Linux /proc")

    setup_django_read_only()
    import docx  # noqa: F401  # imported once, as in a long-running server
    import openpyxl  # noqa: F401
    import weasyprint  # noqa: F401

    user, jobs = exports(args.factor)
    from django.conf import settings

    print(f"database: {settings.DATABASES['default']['NAME']}  factor {args.factor:g}")
    print(f"process before the exports: {memory_kb()['VmRSS'] / 1024:.0f} MB resident\n")
    head = f"{'export':40} {'peak RSS growth':>16} {'body':>10} {'time':>8}"
    print(head + (f" {'Python heap peak':>17}" if args.tracemalloc else ""))
    failed = []
    for label, run in jobs:
        if args.only and args.only not in label:
            continue
        r = measure(user, run, args.tracemalloc)
        if "error" in r:
            print(f"{label:40} ERROR {r['error']}")
            failed.append(label)
            continue
        line = (
            f"{label:40} {r['peak_mb']:13.1f} MB {r['bytes'] / 2**20:7.1f} MB {r['seconds']:7.2f}s"
        )
        if args.tracemalloc:
            line += f" {r['py_peak_mb']:14.1f} MB"
        over = r["peak_mb"] > args.limit
        print(line + ("  OVER THE LIMIT" if over else ""), flush=True)
        if over:
            failed.append(label)
    if failed:
        print(f"\nfailed or over {args.limit:g} MB: {', '.join(failed)}")
        return 1
    print(f"\nevery export stayed under {args.limit:g} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
