"""Benchmark: the app under gunicorn on loopback, driven by concurrent signed-in clients.

    .venv/bin/python -m bench [--factors 1 10] [--clients 4] [--seconds 8] [--rounds 3]
        [--server sync|gthread] [--workers 4] [--verbose] [--write docs/performance.md]

For each factor it builds (or reuses) a seeded database in var/bench-F/, starts
gunicorn on a free loopback port (by default as the README deploys it: sync workers,
which behind a proxy take one request per connection), signs each client in, then
drives every page that the modules of ``bench.seed`` list in their ``bench_pages`` plus the bare
``/healthz`` view (the ceiling), each for a fixed duration; each client is its own
process sending requests back to back. It prints requests/s, p50/p95/p99
latency and queries per request (from the X-Query-Count header), and checks the
targets of docs/performance.md. Only 127.0.0.1 is contacted; every loop is
bounded in time.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import json
import multiprocessing
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(var: Path, port: int | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        "COMMONGROUND_VAR_DIR": str(var),
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "COMMONGROUND_QUERY_COUNT_HEADER": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    return env


def prepare(factor: float, var: Path, reseed: bool) -> None:
    marker = var / f"seeded-{factor}"
    if marker.exists() and not reseed and not os.environ.get("DATABASE_URL"):
        # a cached seed: bring its schema up to date (new indexes, new tables)
        subprocess.run(
            [PY, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
            env=env_for(var),
            check=True,
            cwd=ROOT,
        )
        return
    if var.exists():
        shutil.rmtree(var)
    var.mkdir(parents=True)
    env = env_for(var)
    manage = [PY, str(ROOT / "manage.py")]
    if os.environ.get("DATABASE_URL"):
        subprocess.run([*manage, "flush", "--noinput"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    started = time.monotonic()
    subprocess.run([PY, "-m", "bench.seed", "--factor", str(factor)], env=env, check=True, cwd=ROOT)
    print(f"seeded factor {factor} in {time.monotonic() - started:.0f}s", flush=True)
    marker.touch()


def bench_paths(var: Path, factor: float) -> list[tuple[str, str]]:
    code = (
        "import django, json; django.setup();"
        "from bench.seed import load_context, bench_pages;"
        f"print(json.dumps(bench_pages(load_context({factor}))))"
    )
    env = {**env_for(var), "DJANGO_SETTINGS_MODULE": "commonground.settings"}
    out = subprocess.run(
        [PY, "-c", code], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    ).stdout
    return [tuple(x) for x in json.loads(out.strip().splitlines()[-1])]


def sign_in(base: str, email: str, password: str) -> str:
    """Sign in through the real form; return the Cookie header of the new session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"login": email, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    req = urllib.request.Request(
        base + "/accounts/login/", data=data, headers={"Referer": base + "/accounts/login/"}
    )
    opener.open(req, timeout=30)
    if not any(c.name.endswith("sessionid") for c in jar):
        raise RuntimeError("bench sign-in failed")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def client_loop(port: int, path: str, cookie: str, start_at: float, deadline: float, out) -> None:
    """One client: its own process, requests back to back (on one kept-alive connection
    where the server keeps it open; the sync workers close it after each response)."""
    latencies: list[float] = []
    queries: list[int] = []
    errors = 0
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie, "Accept-Encoding": "identity"}
    while time.time() < start_at:
        time.sleep(0.001)
    while time.time() < deadline:
        t0 = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            resp.read()
            ok = resp.status == 200
            q = int(resp.headers.get("X-Query-Count", "0"))
            if resp.headers.get("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException):
            ok, q = False, 0
            conn.close()
        dt = time.perf_counter() - t0
        if ok:
            latencies.append(dt)
            queries.append(q)
        else:
            errors += 1
    conn.close()
    out.put((latencies, queries, errors))


def drive(port: int, cookies: list[str], path: str, seconds: float) -> dict:
    """Every client hits ``path`` for ``seconds``; latency percentiles over all requests."""
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    start_at = time.time() + 0.2
    deadline = start_at + seconds
    procs = [
        ctx.Process(target=client_loop, args=(port, path, c, start_at, deadline, out))
        for c in cookies
    ]
    for p in procs:
        p.start()
    latencies: list[float] = []
    queries: list[int] = []
    errors = 0
    for _ in procs:
        lat, q, e = out.get(timeout=seconds + 60)
        latencies += lat
        queries += q
        errors += e
    for p in procs:
        p.join(timeout=10)
    return summary(latencies, queries, errors, seconds)


def summary(latencies: list[float], queries: list[int], errors: int, seconds: float) -> dict:
    latencies = sorted(latencies)

    def pct(p: float) -> float:
        if not latencies:
            return float("nan")
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {
        "latencies": latencies,
        "query_list": queries,
        "seconds": seconds,
        "rps": len(latencies) / seconds,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "queries": statistics.mode(queries) if queries else -1,
        "errors": errors,
        "n": len(latencies),
    }


# The production server's shape: "sync" (gunicorn's default: one request at a time per
# worker process, one connection per request, a free worker takes the next connection)
# or "gthread" (threads in each worker, kept-alive connections stay with one worker).
SERVER: dict[str, Any] = {"kind": "sync", "workers": 4, "threads": 4}
VERBOSE = False
CALIBRATION = float("nan")


def server_command(port: int) -> list[str]:
    cmd = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "commonground.wsgi",
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        str(SERVER["workers"]),
        "--log-level",
        "warning",
    ]
    if SERVER["kind"] == "gthread":
        cmd += ["-k", "gthread", "--threads", str(SERVER["threads"])]
    else:
        cmd += ["-k", "sync"]
    return cmd


def server_shape() -> str:
    if SERVER["kind"] == "gthread":
        return f"gunicorn {SERVER['workers']} gthread workers x {SERVER['threads']} threads"
    return f"gunicorn {SERVER['workers']} sync workers"


class Target:
    """One seeded database served by its own gunicorn, with signed-in clients."""

    def __init__(self, factor: float, clients: int, reseed: bool, only: list[str] | None):
        from bench.seed import BENCH_EMAIL, SCALE_PASSWORD

        self.factor = factor
        var = ROOT / "var" / f"bench-{factor:g}"
        prepare(factor, var, reseed)
        pages = bench_paths(var, factor)
        if only:
            pages = [(n, p) for n, p in pages if any(o in n for o in only)]
        self.pages = dict([("bare view (healthz)", "/healthz"), *pages])
        self.port = free_port()
        base = f"http://127.0.0.1:{self.port}"
        self.server = subprocess.Popen(
            server_command(self.port),
            env=env_for(var),
            cwd=ROOT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)
        self.cookies = [sign_in(base, BENCH_EMAIL, SCALE_PASSWORD) for _ in range(clients)]

    def stop(self) -> None:
        self.server.terminate()
        self.server.wait(timeout=20)


def run(
    factors: list[float],
    clients: int,
    seconds: float,
    reseed: bool,
    only: list[str] | None,
    rounds: int = 1,
) -> dict[float, dict[str, dict]]:
    """Every page at every factor. On SQLite all factors are served at once and each page is
    measured at one factor right after the other (an idle server costs nothing), so a
    passing disturbance of the machine hits both sides of a comparison alike. PostgreSQL
    holds one seeded database at a time, so there the factors run one after the other."""
    groups = [[f] for f in factors] if os.environ.get("DATABASE_URL") else [factors]
    results: dict[float, dict[str, dict]] = {f: {} for f in factors}
    for group in groups:
        targets: list[Target] = []
        try:
            for f in group:
                targets.append(Target(f, clients, reseed, only))
            for name in targets[0].pages:
                for t in targets:
                    if name in t.pages:
                        drive(t.port, t.cookies, t.pages[name], 1.5)  # warm up every worker
                pooled: dict[float, list[dict]] = {t.factor: [] for t in targets}
                # Alternate the sizes in short rounds and pool the samples, so that a
                # passing stall of the machine lands on both sizes rather than one.
                for _round in range(rounds):
                    for t in targets:
                        if name in t.pages:
                            part = drive(t.port, t.cookies, t.pages[name], seconds / rounds)
                            pooled[t.factor].append(part)
                for t in targets:
                    parts = pooled[t.factor]
                    if not parts:
                        continue
                    if VERBOSE:
                        rounds_p95 = " ".join(f"{part['p95']:.0f}" for part in parts)
                        print(f"  F={t.factor:g} {name}: p95 by round {rounds_p95}", flush=True)
                    r = results[t.factor][name] = summary(
                        [x for part in parts for x in part["latencies"]],
                        [q for part in parts for q in part["query_list"]],
                        sum(part["errors"] for part in parts),
                        seconds,
                    )
                    print(
                        f"F={t.factor:g} {name:38} {r['rps']:7.1f} req/s  p50 {r['p50']:6.1f}  "
                        f"p95 {r['p95']:6.1f}  p99 {r['p99']:6.1f} ms  {r['queries']:3d} q  "
                        f"{r['errors']} err",
                        flush=True,
                    )
        finally:
            for t in targets:
                t.stop()
    return results


def table(all_results: dict[float, dict[str, dict]]) -> str:
    factors = sorted(all_results)
    lines = [
        "| page | F | req/s | p50 ms | p95 ms | p99 ms | queries | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in all_results[factors[0]]:
        for f in factors:
            r = all_results[f].get(name)
            if r:
                lines.append(
                    f"| {name} | {f:g} | {r['rps']:.1f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | "
                    f"{r['queries']} | {r['errors']} |"
                )
    return "\n".join(lines)


def check_targets(all_results: dict[float, dict[str, dict]]) -> list[str]:
    failures = []
    factors = sorted(all_results)
    low, high = factors[0], factors[-1]
    bare = all_results[low]["bare view (healthz)"]["rps"]
    for name, r in all_results[low].items():
        if name.startswith("bare view"):
            continue
        hr = all_results[high].get(name, r)
        if r["queries"] != hr["queries"]:
            failures.append(
                f"{name}: queries {r['queries']} at F={low:g} but {hr['queries']} at F={high:g}"
            )
        if hr["queries"] > 20:
            failures.append(f"{name}: {hr['queries']} queries (> 20)")
        if r["p95"] > 150:
            failures.append(f"{name}: p95 {r['p95']:.0f} ms at F={low:g} (> 150)")
        if len(factors) > 1 and hr["p95"] > 1.25 * r["p95"]:
            failures.append(
                f"{name}: p95 grew {hr['p95'] / r['p95']:.2f}x from F={low:g} to F={high:g} (> 1.25)"
            )
        if r["errors"] or hr["errors"]:
            failures.append(f"{name}: errors")
    home = all_results[low].get("partnership home")
    if home and home["rps"] < 0.2 * bare:
        failures.append(
            f"partnership home: {home['rps']:.0f} req/s is under 20% of the bare view's {bare:.0f}"
        )
    return failures


def calibration() -> float:
    """Seconds for a fixed pure-Python loop (best of three): the machine's speed on the
    day, so that runs on different days (or a busier host) can be compared."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        sum(i * i for i in range(10**7))
        best = min(best, time.perf_counter() - started)
    return best


def machine() -> str:
    """CPU model, cores, memory, Python and database versions, for the record."""
    import platform
    import sqlite3

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{mem_kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        memory = "unknown memory"
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory}; Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}; {server_shape()}; the load generator runs on the "
        f"same cores; speed check (sum of 10^7 squares in Python, best of 3): {CALIBRATION:.2f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--factors", type=float, nargs="+", default=[1, 10])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--write", help="append the table to this markdown file")
    parser.add_argument("--only", nargs="*", help="only pages whose name contains one of these")
    parser.add_argument(
        "--rounds", type=int, default=3, help="alternate the sizes this many times per page"
    )
    parser.add_argument("--server", choices=["sync", "gthread"], default=SERVER["kind"])
    parser.add_argument("--workers", type=int, default=SERVER["workers"])
    parser.add_argument("--threads", type=int, default=SERVER["threads"])
    parser.add_argument("--verbose", action="store_true", help="print each round's p95")
    args = parser.parse_args()
    global VERBOSE, CALIBRATION
    VERBOSE = args.verbose
    CALIBRATION = calibration()
    print(f"speed check: {CALIBRATION:.2f} s (sum of 10^7 squares in Python)", flush=True)
    SERVER.update(kind=args.server, workers=args.workers, threads=args.threads)
    all_results = run(args.factors, args.clients, args.seconds, args.reseed, args.only, args.rounds)
    text = table(all_results)
    print()
    print(text)
    failures = check_targets(all_results)
    print()
    print("targets: all met" if not failures else "targets missed:\n- " + "\n- ".join(failures))
    if args.write:
        db = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
        stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        with Path(args.write).open("a", encoding="utf-8") as fh:
            fh.write(
                f"\n### Run of {stamp} on {db}, {args.clients} clients, "
                f"{args.seconds:g} s per page and size in {args.rounds} alternating rounds"
                f"\n\nMachine: {machine()}\n\n{text}\n\n"
            )
            fh.write(
                "Targets: all met.\n"
                if not failures
                else "Targets missed:\n- " + "\n- ".join(failures) + "\n"
            )
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
