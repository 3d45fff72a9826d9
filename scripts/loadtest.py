"""Bounded load test on loopback: many clients mixing reads and writes, optionally
killing the server with SIGKILL half-way and restarting it.

    .venv/bin/python scripts/loadtest.py [--clients 50] [--seconds 120] [--kill]

Builds a fresh demo database (SQLite in a temporary folder, or the PostgreSQL
database in DATABASE_URL, flushed first), serves it with gunicorn, and runs
the clients until the time is up. Every write carries a unique marker; when the
run ends the script checks that every write the server acknowledged is in the
database, that no response was a 5xx, that the server log has no "database is
locked", and (SQLite) that PRAGMA integrity_check is ok. Exit code 0 only if all
hold. Only 127.0.0.1 is contacted; every loop stops at the deadline.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log, self.port = env, log, free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "commonground.wsgi",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                "3",
                "-k",
                "gthread",
                "--threads",
                "8",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("a"),
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)  # master and workers, no clean shutdown
        self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)


def request(
    base: str, method: str, path: str, token: str, body: dict | None = None
) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        base + path,
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument(
        "--kill", action="store_true", help="SIGKILL the server half-way and restart it"
    )
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="cg-load-"))
    env = {
        **os.environ,
        "COMMONGROUND_VAR_DIR": str(var),
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    os.environ.update(
        {"COMMONGROUND_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "commonground.settings"}
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    if os.environ.get("DATABASE_URL"):
        subprocess.run([*manage, "flush", "--noinput"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "load_demo"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)

    import django

    django.setup()
    import datetime

    from django.db import connection
    from django.utils import timezone

    from commonground.accounts.models import User
    from commonground.accounts.services import api_token_create
    from commonground.core.demo import DEMO_SLUG
    from commonground.decisions.models import Vote
    from commonground.decisions.services import proposal_create
    from commonground.meetings.models import AgendaItem, Motion
    from commonground.meetings.services import meeting_create
    from commonground.partnerships.models import Partnership
    from commonground.results.models import Indicator, Measurement

    writers = ["tor", "ingrid", "oskar", "nora", "lars", "erik", "per", "eva"]
    people = {w: User.objects.get(email=f"{w}@fjordvik.example") for w in writers}
    tokens = [api_token_create(user=people[w], name="load")[1] for w in writers]
    token_user = dict(zip(tokens, [people[w].pk for w in writers], strict=True))
    minute_takers = tokens[:3]  # the manager, the convener and the record-keeper may write minutes
    indicators = list(
        Indicator.objects.filter(partnership__slug=DEMO_SLUG, kind="quantitative").values_list(
            "pk", flat=True
        )
    )
    partnership = Partnership.objects.get(slug=DEMO_SLUG)
    # Open proposals to vote on (a vote may be changed until close, so clients keep re-voting),
    # and a meeting under way whose minutes keep getting motions.
    proposals = [
        proposal_create(
            actor=people["tor"],
            partnership=partnership,
            title=f"Load test proposal {i}",
            method="majority",
            closes_at=timezone.now() + datetime.timedelta(days=2),
            notify_people=False,
        ).pk
        for i in range(3)
    ]
    now = timezone.now()
    meeting = meeting_create(
        actor=people["tor"],
        partnership=partnership,
        title="Load test meeting",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=1),
        mode="online",
        online_url="https://meet.example/load",
        chair=people["tor"],
    )
    item = AgendaItem.objects.filter(meeting=meeting).order_by("position").last()
    connection.close()

    log = var / "server.log"
    server = Server(env, log)
    server.start()
    base_lock = threading.Lock()
    statuses: Counter[int] = Counter()
    acknowledged: list[tuple[str, str]] = []  # (kind, marker)
    errors: Counter[str] = Counter()
    deadline = time.monotonic() + args.seconds
    reads = [
        f"/api/partnerships/{DEMO_SLUG}",
        f"/api/partnerships/{DEMO_SLUG}/members",
        f"/api/results/{DEMO_SLUG}/indicators",
        f"/api/atlas/{DEMO_SLUG}/overlaps",
        f"/api/library/{DEMO_SLUG}/documents",
        "/api/organisations/?q=fjordvik",
    ]

    def client(n: int) -> None:
        rng = random.Random(n)
        token = tokens[n % len(tokens)]
        while time.monotonic() < deadline:
            with base_lock:
                base = server.base
            try:
                roll = rng.random()
                if roll < 0.15 and proposals:
                    pk = rng.choice(proposals)
                    position = rng.choice(["yes", "no", "abstain"])
                    status, _ = request(
                        base,
                        "POST",
                        f"/api/decisions/{DEMO_SLUG}/proposals/{pk}/votes",
                        token,
                        {"position": position, "reason": "load"},
                    )
                    if status == 201:
                        with base_lock:
                            acknowledged.append(("vote", f"{pk}:{token_user[token]}"))
                elif roll < 0.3:
                    marker = uuid.uuid4().hex
                    a, b = rng.sample(list(token_user.values()), 2)
                    status, _ = request(
                        base,
                        "POST",
                        f"/api/meetings/{DEMO_SLUG}/{meeting.pk}/items/{item.pk}/motions",
                        minute_takers[n % len(minute_takers)],
                        {
                            "text": f"load {marker}",
                            "proposed_by": a,
                            "seconded_by": b,
                            "result": "not_adopted",
                            "votes_for": 0,
                            "votes_against": 3,
                        },
                    )
                    if status == 201:
                        with base_lock:
                            acknowledged.append(("motion", marker))
                elif roll < 0.6 and indicators:
                    marker = uuid.uuid4().hex
                    pk = rng.choice(indicators)
                    status, _ = request(
                        base,
                        "POST",
                        f"/api/results/{DEMO_SLUG}/indicators/{pk}/measurements",
                        token,
                        {
                            "measured_on": time.strftime("%Y-%m-%d"),
                            "value": str(rng.randint(1, 999)),
                            "note": f"load {marker}",
                        },
                    )
                    if status == 201:
                        with base_lock:
                            acknowledged.append(("measurement", marker))
                else:
                    status, _ = request(base, "GET", rng.choice(reads), token)
                with base_lock:
                    statuses[status] += 1
            except (OSError, urllib.error.URLError, http.client.HTTPException) as exc:
                with base_lock:
                    errors[type(exc).__name__] += 1
                time.sleep(0.05)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
    for t in threads:
        t.start()
    if args.kill:
        time.sleep(args.seconds / 2)
        server.kill()
        print(
            f"killed the server with SIGKILL after {args.seconds / 2:.0f}s; restarting", flush=True
        )
        with base_lock:
            server.start()
    for t in threads:
        t.join()
    server.stop()

    failures = []
    django.db.connections.close_all()
    found = set(Measurement.objects.filter(note__startswith="load ").values_list("note", flat=True))
    found |= set(Motion.objects.filter(text__startswith="load ").values_list("text", flat=True))
    votes = {
        f"{p}:{u}"
        for p, u in Vote.objects.filter(proposal_id__in=proposals).values_list(
            "proposal_id", "voter_id"
        )
    }
    missing = [
        m
        for kind, m in acknowledged
        if (m not in votes if kind == "vote" else f"load {m}" not in found)
    ]
    if missing:
        failures.append(f"{len(missing)} acknowledged writes are missing")
    five = sum(v for k, v in statuses.items() if k >= 500)
    if five:
        failures.append(f"{five} responses were 5xx")
    locked = log.read_text(errors="replace").count("database is locked")
    if locked:
        failures.append(f"'database is locked' {locked} times in the server log")
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA integrity_check")
            result = cur.fetchone()[0]
        if result != "ok":
            failures.append(f"integrity_check: {result}")
    kinds = Counter(kind for kind, _m in acknowledged)
    total = sum(statuses.values())
    print(
        f"{total} responses in {args.seconds:.0f}s ({total / args.seconds:.0f}/s) from {args.clients} clients; "
        f"status counts {dict(sorted(statuses.items()))}; connection errors {dict(errors)}; "
        f"{len(acknowledged)} acknowledged writes {dict(kinds)}, all present: {not missing}; "
        f"database {connection.vendor}"
    )
    print("load test: ok" if not failures else "load test FAILED:\n- " + "\n- ".join(failures))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
