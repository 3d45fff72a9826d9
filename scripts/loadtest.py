"""Bounded load test on loopback: many clients mixing reads and writes, optionally
killing the server with SIGKILL half-way and restarting it.

    .venv/bin/python scripts/loadtest.py [--clients 50] [--seconds 120] [--kill]

Builds a fresh demo database (SQLite in a temporary folder; with DATABASE_URL
set, a new PostgreSQL database created beside that one and dropped afterwards),
serves it with gunicorn, and runs the clients until the time is up. The writes are of five kinds: votes (JSON API),
measurements (JSON API), motions in the minutes (JSON API), edits of the minutes
text of an agenda item (the meeting page's form) and data-room uploads (the
library's upload form, multipart). Every write carries a unique marker. When
the run ends the script counts, kind by kind, that every write the server
acknowledged is in the database (and, for uploads, that the stored file is on
disk under the media root with the marker and checksum it was sent with), that
no response was a 5xx, that the server log never says "database is locked", and
that no request failed outside the kill window. With --kill the server (master
and workers) gets SIGKILL half-way; before it is restarted the database must
open cleanly (SQLite: PRAGMA integrity_check; PostgreSQL: a fresh connection
answers). Exit code 0 only if all hold. Only 127.0.0.1 is contacted; every loop
stops at the deadline.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CSRF = "loadtestcsrfsecret0123456789abcd"  # 32 characters: Django accepts it unmasked
KINDS = ["vote", "measurement", "motion", "minutes", "upload"]


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
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a form's 302 is the acknowledgement; do not fetch the next page


_opener = urllib.request.build_opener(_NoRedirect)


def request(
    base: str,
    method: str,
    path: str,
    *,
    token: str = "",
    session: str = "",
    body: dict | None = None,
    form: dict[str, str] | None = None,
    files: dict[str, tuple[str, bytes]] | None = None,
) -> tuple[int, bytes]:
    """One request. JSON ``body`` with a bearer ``token``; or a form (``form`` and
    ``files``, multipart) with a ``session`` cookie and the CSRF header."""
    headers: dict[str, str] = {}
    data = None
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if session:
        headers["Cookie"] = f"sessionid={session}; csrftoken={CSRF}"
        headers["X-CSRFToken"] = CSRF
    if form is not None:
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in form.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, content) in (files or {}).items():
            parts.append(
                f"--{boundary}\r\nContent-Disposition: form-data; "
                f'name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        data = b"".join(parts)
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with _opener.open(req, timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def upload_content(marker: str) -> bytes:
    return f"Load test upload\nmarker {marker}\n".encode() + b"x" * random.randint(100, 4000)


def scratch_database(url: str) -> str:
    """Create an empty database next to the one in ``url`` and return its URL."""
    import psycopg

    name = f"cg_load_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def drop_database(admin_url: str, url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument(
        "--kill", action="store_true", help="SIGKILL the server half-way and restart it"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the temporary folder and PostgreSQL database (both are kept on failure)",
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
    env.pop("DJANGO_MEDIA_ROOT", None)  # uploads land in the temporary folder
    os.environ.pop("DJANGO_MEDIA_ROOT", None)
    os.environ.update(
        {"COMMONGROUND_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "commonground.settings"}
    )
    # PostgreSQL: a database of its own, created beside the one in DATABASE_URL (flushing
    # that one would also delete the rows its migrations put there, which the demo needs).
    admin_url = os.environ.get("DATABASE_URL", "")
    if admin_url:
        env["DATABASE_URL"] = os.environ["DATABASE_URL"] = scratch_database(admin_url)
    server = Server(env, var / "server.log")
    # On SIGTERM (a CI time limit, Ctrl-C's cousin) still stop the server and clean up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ok = False
    try:
        ok = run(args, env, server)
    finally:
        server.stop()
        keep = args.keep or not ok
        if not keep and admin_url:
            import django.db

            django.db.connections.close_all()
            drop_database(admin_url, os.environ["DATABASE_URL"])
        if not keep:
            shutil.rmtree(var, ignore_errors=True)
        elif admin_url:
            print(f"kept {var} and the database {urlsplit(env['DATABASE_URL']).path[1:]}")
        else:
            print(f"kept {var}")
    return 0 if ok else 1


def run(args: argparse.Namespace, env: dict[str, str], server: Server) -> bool:
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "load_demo"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)

    import django

    django.setup()
    import datetime
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import connection
    from django.utils import timezone

    from commonground.accounts.models import User
    from commonground.accounts.services import api_token_create
    from commonground.core import policy
    from commonground.core.models import AuditEvent
    from commonground.decisions.models import Vote
    from commonground.decisions.services import proposal_create
    from commonground.demo import DEMO_SLUG
    from commonground.library import rules as library_rules
    from commonground.library.models import Document, DocumentVersion
    from commonground.meetings import rules as meeting_rules
    from commonground.meetings.models import AgendaItem, Motion
    from commonground.meetings.services import item_add, meeting_create
    from commonground.partnerships.models import Partnership
    from commonground.results.models import Indicator, Measurement

    vendor = connection.vendor
    partnership = Partnership.objects.get(slug=DEMO_SLUG)
    writers = ["tor", "ingrid", "oskar", "nora", "lars", "erik", "per", "eva"]
    people = [User.objects.get(email=f"{w}@fjordvik.example") for w in writers]
    store = import_module(settings.SESSION_ENGINE).SessionStore

    def session_for(user: User) -> str:
        s = store()
        s[SESSION_KEY] = str(user.pk)
        # As a sign-in by password records it (the first backend only refuses).
        s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        s.create()
        return s.session_key

    member_orgs = list(partnership.memberships.values_list("organisation_id", flat=True))
    own_org = {u.pk: (library_rules.user_org_ids(u, partnership) or member_orgs)[0] for u in people}
    tokens = [api_token_create(user=u, name="load")[1] for u in people]
    token_user = dict(zip(tokens, [u.pk for u in people], strict=True))
    # Who may take minutes and who may upload, as the permission policy says.
    recorders = [u for u in people if policy.has_capability(u, partnership, meeting_rules.RECORD)]
    uploaders = [u for u in people if policy.has_capability(u, partnership, library_rules.UPLOAD)]
    recorder_tokens = [t for t, u in zip(tokens, people, strict=True) if u in recorders]
    recorder_sessions = [session_for(u) for u in recorders]
    uploader_sessions = [(session_for(u), own_org[u.pk]) for u in uploaders]
    indicators = list(
        Indicator.objects.filter(partnership=partnership, kind="quantitative").values_list(
            "pk", flat=True
        )
    )
    if not (recorders and uploaders and indicators):
        print("the demo has no minute-taker, uploader or quantitative indicator")
        return False
    # Open proposals to vote on (a vote may be changed until close, so clients keep re-voting),
    # and a meeting under way whose minutes keep getting motions and edits. Each client edits
    # the minutes text of its own agenda item, so the last acknowledged edit must be the text
    # stored at the end.
    proposals = [
        proposal_create(
            actor=people[0],
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
        actor=people[0],
        partnership=partnership,
        title="Load test meeting",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=1),
        mode="online",
        online_url="https://meet.example/load",
        chair=people[0],
    )
    motion_item = AgendaItem.objects.filter(meeting=meeting).order_by("position").last()
    assert motion_item is not None
    client_items = [
        item_add(actor=people[0], meeting=meeting, title=f"Load test item {n}").pk
        for n in range(args.clients)
    ]
    connection.close()

    log = server.log
    server.start()
    lock = threading.Lock()
    statuses: Counter[int] = Counter()
    acknowledged: dict[str, list[str]] = defaultdict(list)  # kind -> markers
    minutes_tries: dict[int, list[tuple[str, bool]]] = defaultdict(list)  # item -> (text, acked)
    upload_sent: dict[str, bytes] = {}
    errors: list[tuple[float, float, str]] = []  # (sent, failed, what)
    latencies: dict[str, list[float]] = defaultdict(list)
    kill_window = [float("inf"), float("-inf")]  # monotonic start and end of the outage
    deadline = time.monotonic() + args.seconds
    reads = [
        f"/api/partnerships/{DEMO_SLUG}",
        f"/api/partnerships/{DEMO_SLUG}/members",
        f"/api/results/{DEMO_SLUG}/indicators",
        f"/api/atlas/{DEMO_SLUG}/overlaps",
        f"/api/library/{DEMO_SLUG}/documents",
        f"/api/meetings/{DEMO_SLUG}/{meeting.pk}/minutes",
        "/api/organisations/?q=fjordvik",
    ]

    def client(n: int) -> None:
        rng = random.Random(n)
        token = tokens[n % len(tokens)]
        item_pk = client_items[n]
        while time.monotonic() < deadline:
            with lock:
                base = server.base
            roll = rng.random()
            kind, ok, marker = "read", (200,), ""
            started = time.monotonic()
            try:
                if roll < 0.12:
                    kind, ok = "vote", (201,)
                    pk = rng.choice(proposals)
                    marker = f"{pk}:{token_user[token]}"
                    status, _ = request(
                        base,
                        "POST",
                        f"/api/decisions/{DEMO_SLUG}/proposals/{pk}/votes",
                        token=token,
                        body={"position": rng.choice(["yes", "no", "abstain"]), "reason": "load"},
                    )
                elif roll < 0.26:
                    kind, ok, marker = "measurement", (201,), f"load {uuid.uuid4().hex}"
                    status, _ = request(
                        base,
                        "POST",
                        f"/api/results/{DEMO_SLUG}/indicators/{rng.choice(indicators)}/measurements",
                        token=token,
                        body={
                            "measured_on": time.strftime("%Y-%m-%d"),
                            "value": str(rng.randint(1, 999)),
                            "note": marker,
                        },
                    )
                elif roll < 0.34:
                    kind, ok, marker = "motion", (201,), f"load {uuid.uuid4().hex}"
                    a, b = rng.sample(list(token_user.values()), 2)
                    status, _ = request(
                        base,
                        "POST",
                        f"/api/meetings/{DEMO_SLUG}/{meeting.pk}/items/{motion_item.pk}/motions",
                        token=recorder_tokens[n % len(recorder_tokens)],
                        body={
                            "text": marker,
                            "proposed_by": a,
                            "seconded_by": b,
                            "result": "not_adopted",
                            "votes_for": 0,
                            "votes_against": 3,
                        },
                    )
                elif roll < 0.46:
                    kind, ok, marker = "minutes", (302,), f"load {uuid.uuid4().hex}"
                    with lock:
                        minutes_tries[item_pk].append((marker, False))
                    status, _ = request(
                        base,
                        "POST",
                        f"/p/{DEMO_SLUG}/meetings/{meeting.pk}/items/{item_pk}/minutes/",
                        session=recorder_sessions[n % len(recorder_sessions)],
                        form={"notes": f"Discussed under load.\n{marker}"},
                    )
                    if status in ok:
                        with lock:
                            minutes_tries[item_pk][-1] = (marker, True)
                elif roll < 0.54:
                    kind, ok, marker = "upload", (302,), f"load {uuid.uuid4().hex}"
                    session, org = uploader_sessions[n % len(uploader_sessions)]
                    content = upload_content(marker)
                    status, _ = request(
                        base,
                        "POST",
                        f"/p/{DEMO_SLUG}/library/data-room/upload/",
                        session=session,
                        form={
                            "title": marker,
                            "kind": "document",
                            "access_level": "all",
                            "owner_organisation": str(org),
                            "purpose": "Load test",
                            "confidentiality": "internal",
                            "end_rule": "archive",
                        },
                        files={"file": (f"load-{marker[5:13]}.txt", content)},
                    )
                    if status in ok:
                        with lock:
                            upload_sent[marker] = content
                else:
                    status, _ = request(base, "GET", rng.choice(reads), token=token)
                took = time.monotonic() - started
                with lock:
                    statuses[status] += 1
                    latencies["read" if kind == "read" else "write"].append(took)
                    if kind != "read" and status in ok:
                        acknowledged[kind].append(marker)
                    elif kind != "read" and status < 500:
                        errors.append((started, time.monotonic(), f"{kind} answered {status}"))
            except (OSError, urllib.error.URLError, http.client.HTTPException) as exc:
                with lock:
                    errors.append((started, time.monotonic(), type(exc).__name__))
                time.sleep(0.05)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(args.clients)]
    for t in threads:
        t.start()
    after_kill = ""
    restart_seconds = 0.0
    if args.kill:
        time.sleep(args.seconds / 2)
        with lock:  # clients wait here until the server is back
            killed = time.monotonic()
            kill_window[0] = killed
            server.kill()
            if vendor == "sqlite":
                db = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=20)
                try:
                    after_kill = db.execute("PRAGMA integrity_check").fetchone()[0]
                finally:
                    db.close()
            else:
                django.db.connections.close_all()
                with connection.cursor() as cur:
                    cur.execute("SELECT count(*) FROM results_measurement")
                    cur.fetchone()
                after_kill = "ok"
                connection.close()
            server.start()
            restart_seconds = time.monotonic() - killed
            kill_window[1] = time.monotonic()
        print(
            f"killed the server with SIGKILL after {args.seconds / 2:.0f}s; database after the "
            f"kill: {after_kill}; serving again {restart_seconds:.1f}s after the kill",
            flush=True,
        )
    for t in threads:
        t.join()
    server.stop()

    # --- counting ----------------------------------------------------------------------
    django.db.connections.close_all()
    found: dict[str, set[str]] = {}
    found["vote"] = {
        f"{p}:{u}"
        for p, u in Vote.objects.filter(proposal_id__in=proposals).values_list(
            "proposal_id", "voter_id"
        )
    }
    found["measurement"] = set(
        Measurement.objects.filter(note__startswith="load ").values_list("note", flat=True)
    )
    found["motion"] = set(
        Motion.objects.filter(item=motion_item, text__startswith="load ").values_list(
            "text", flat=True
        )
    )
    # Every acknowledged minutes edit is in the audit history (written in the same
    # transaction), and each item's stored text is its last acknowledged edit, or an edit
    # whose answer was lost in the kill.
    found["minutes"] = set()
    for after in AuditEvent.objects.filter(
        verb="minutes.notes",
        target_type=AgendaItem._meta.label_lower,
        target_id__in=[str(pk) for pk in client_items],
    ).values_list("after", flat=True):
        found["minutes"].add((after or {}).get("notes", "").rsplit("\n", 1)[-1])
    stale_minutes = 0
    for pk, notes in AgendaItem.objects.filter(pk__in=client_items).values_list("pk", "notes"):
        tries = minutes_tries.get(pk, [])
        acked = [m for m, a in tries if a]
        allowed = {m for m, a in tries if not a} | ({acked[-1]} if acked else {""})
        if notes.rsplit("\n", 1)[-1] not in allowed:
            stale_minutes += 1
    # Uploads: the document, its first version, and the stored file under the media root
    # with the content that was sent.
    media = Path(settings.MEDIA_ROOT).resolve()
    found["upload"] = set()
    bad_files: list[str] = []
    for title, name, sha in DocumentVersion.objects.filter(
        document__in=Document.objects.filter(partnership=partnership, title__startswith="load "),
        number=1,
    ).values_list("document__title", "file", "sha256"):
        path = (media / name).resolve()
        if media not in path.parents or not path.is_file():
            bad_files.append(f"{title}: no file at {name}")
            continue
        data = path.read_bytes()
        sent = upload_sent.get(title)
        if hashlib.sha256(data).hexdigest() != sha or (sent is not None and data != sent):
            bad_files.append(f"{title}: stored file differs from the upload")
            continue
        found["upload"].add(title)

    failures = []
    lines = []
    for kind in KINDS:
        acked = acknowledged.get(kind, [])
        distinct = set(acked)
        missing = distinct - found[kind]
        lines.append(
            f"  {kind:<12} {len(acked):>6} acknowledged"
            + (f" ({len(distinct)} distinct voter-proposal pairs)" if kind == "vote" else "")
            + f", {len(distinct) - len(missing)} present, {len(missing)} missing"
        )
        if missing:
            failures.append(f"{len(missing)} acknowledged {kind} writes are missing")
        if not acked:
            failures.append(f"no {kind} write was acknowledged")
    if stale_minutes:
        failures.append(f"{stale_minutes} agenda items do not hold their last acknowledged minutes")
    if bad_files:
        failures.append(f"{len(bad_files)} uploads without their file: {bad_files[:3]}")
    five = sum(v for k, v in statuses.items() if k >= 500)
    if five:
        failures.append(f"{five} responses were 5xx")
    locked = log.read_text(errors="replace").count("database is locked")
    if locked:
        failures.append(f"'database is locked' {locked} times in the server log")
    # A request may fail only if it was under way while the server was down.
    late = [
        e for sent, failed, e in errors if not (sent <= kill_window[1] and failed >= kill_window[0])
    ]
    if late:
        failures.append(f"{len(late)} requests failed outside the kill window: {Counter(late)}")
    integrity = "not applicable (PostgreSQL)"
    if vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA integrity_check")
            integrity = cur.fetchone()[0]
        if integrity != "ok":
            failures.append(f"integrity_check at the end: {integrity}")
    if args.kill and after_kill != "ok":
        failures.append(f"database after the kill: {after_kill}")

    def p95(values: list[float]) -> str:
        values = sorted(values)
        return f"{values[int(len(values) * 0.95)] * 1000:.0f} ms" if values else "-"

    total = sum(statuses.values())
    print(
        f"database {vendor}; {args.clients} clients for {args.seconds:.0f}s"
        f"{' with SIGKILL half-way' if args.kill else ''}: {total} responses "
        f"({total / args.seconds:.0f}/s; {len(latencies['read'])} reads p95 "
        f"{p95(latencies['read'])}, {len(latencies['write'])} writes p95 "
        f"{p95(latencies['write'])})\n"
        f"  status counts {dict(sorted(statuses.items()))}; 5xx {five}; "
        f"'database is locked' {locked}; failed requests {dict(Counter(e for _s, _f, e in errors))}"
        f" ({len(errors) - len(late)} inside the kill window)\n"
        + "\n".join(lines)
        + f"\n  integrity_check at the end: {integrity}"
        + (
            f"; after the kill: {after_kill}, serving again after {restart_seconds:.1f}s"
            if args.kill
            else ""
        )
    )
    if failures:
        print("load test FAILED:\n- " + "\n- ".join(failures))
        return False
    print("load test: ok")
    return True


if __name__ == "__main__":
    sys.exit(main())
