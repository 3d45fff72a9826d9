"""Benchmark: the app under gunicorn on loopback, driven by concurrent signed-in clients.

    .venv/bin/python -m bench [--factors 1 10] [--database sqlite|postgres] [--clients 4]
        [--seconds 8] [--rounds 3] [--only NAME ...] [--server sync|gthread] [--workers 4]
        [--reseed] [--verbose] [--save [FILE]]
    .venv/bin/python -m bench --table docs/performance/runs/FILE.json

For each factor it builds (or reuses) a seeded database: on SQLite in var/bench-F/
(kept between runs), on PostgreSQL in a throwaway cluster started for the run and
removed at its end (the seeded database is kept between runs as a dump in
var/bench-pg-F/). It starts gunicorn on a free loopback port for each (by default as
the README deploys it: sync workers, which behind a proxy take one request per
connection), signs each client in, then drives every page that the modules of
``bench.seed`` list in their ``bench_pages`` plus the bare ``/healthz`` view (the
ceiling), each for a fixed duration; each client is its own process sending requests
back to back. It prints requests/s, p50/p95/p99 latency and queries per request (from
the X-Query-Count header), checks the targets of docs/performance.md and, with
``--save``, writes the run as JSON (docs/performance/runs/). Only 127.0.0.1 and a unix
socket are contacted; every loop is bounded in time.
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
import signal
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
RUNS = ROOT / "docs" / "performance" / "runs"
sys.path.insert(0, str(ROOT))

from bench.postgres import ThrowawayPostgres  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(var: Path, database_url: str = "") -> dict[str, str]:
    env = {
        **os.environ,
        "COMMONGROUND_VAR_DIR": str(var),
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "COMMONGROUND_QUERY_COUNT_HEADER": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "commonground.settings",
    }
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PY, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT)


def seed(env: dict[str, str], factor: float) -> None:
    started = time.monotonic()
    manage(env, "migrate", "--noinput", "-v0")
    subprocess.run([PY, "-m", "bench.seed", "--factor", str(factor)], env=env, check=True, cwd=ROOT)
    print(f"seeded factor {factor:g} in {time.monotonic() - started:.0f}s", flush=True)


def prepare_sqlite(factor: float, reseed: bool) -> tuple[Path, str]:
    """var/bench-F/ holds the seeded SQLite database, reused while its marker is there."""
    var = ROOT / "var" / f"bench-{factor:g}"
    marker = var / f"seeded-{factor}"
    if marker.exists() and not reseed:
        # a cached seed: bring its schema up to date (new indexes, new tables)
        manage(env_for(var), "migrate", "--noinput", "-v0")
        return var, ""
    if var.exists():
        shutil.rmtree(var)
    var.mkdir(parents=True)
    seed(env_for(var), factor)
    marker.touch()
    return var, ""


def prepare_postgres(factor: float, reseed: bool, pg: ThrowawayPostgres) -> tuple[Path, str]:
    """A database per factor in the throwaway cluster, restored from var/bench-pg-F/seed.dump
    when there is one (then migrated), else seeded and dumped there for the next run."""
    var = ROOT / "var" / f"bench-pg-{factor:g}"
    database = "bench_f" + f"{factor:g}".replace(".", "_")
    url = pg.url(database)
    dump = var / "seed.dump"
    pg.client("createdb", database)
    if dump.exists() and not reseed:
        started = time.monotonic()
        pg.client("pg_restore", "--no-owner", "-j", "2", "-d", database, str(dump))
        manage(env_for(var, url), "migrate", "--noinput", "-v0")
        # A restore brings no planner statistics (pg_restore leaves them to ANALYZE);
        # a live database has them from autovacuum, so the run starts with them too.
        pg.client("vacuumdb", "--analyze-only", "-d", database)
        print(f"restored factor {factor:g} in {time.monotonic() - started:.0f}s", flush=True)
        return var, url
    if var.exists():
        shutil.rmtree(var)
    var.mkdir(parents=True)
    seed(env_for(var, url), factor)
    pg.client("vacuumdb", "--analyze-only", "-d", database)
    started = time.monotonic()
    pg.client("pg_dump", "-Fc", "-f", str(var / "seed.dump.part"), database)
    (var / "seed.dump.part").rename(dump)
    print(f"dumped factor {factor:g} in {time.monotonic() - started:.0f}s", flush=True)
    return var, url


def bench_paths(env: dict[str, str], factor: float) -> list[tuple[str, str]]:
    code = (
        "import django, json; django.setup();"
        "from bench.seed import load_context, bench_pages;"
        f"print(json.dumps(bench_pages(load_context({factor}))))"
    )
    out = subprocess.run(
        [PY, "-c", code], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    ).stdout
    return [(name, path) for name, path in json.loads(out.strip().splitlines()[-1])]


def sign_in(base: str, email: str, password: str) -> str:
    """Sign in through the real form; return the Cookie header of the new session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/accounts/login/", timeout=30).read().decode()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if found is None:
        raise RuntimeError("bench sign-in: no CSRF token on the sign-in page")
    token = found.group(1)
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
        str(Path(PY).parent / "gunicorn"),
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

    def __init__(
        self,
        factor: float,
        clients: int,
        reseed: bool,
        only: list[str] | None,
        pg: ThrowawayPostgres | None,
    ):
        from bench.seed import BENCH_EMAIL, SCALE_PASSWORD

        self.factor = factor
        self.server: subprocess.Popen[bytes] | None = None
        if pg is None:
            var, url = prepare_sqlite(factor, reseed)
        else:
            var, url = prepare_postgres(factor, reseed, pg)
        env = env_for(var, url)
        pages = bench_paths(env, factor)
        if only:
            pages = [(n, p) for n, p in pages if any(o in n for o in only)]
        self.pages = dict([("bare view (healthz)", "/healthz"), *pages])
        self.port = free_port()
        base = f"http://127.0.0.1:{self.port}"
        self.server = subprocess.Popen(server_command(self.port), env=env, cwd=ROOT)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=2)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError("gunicorn did not start") from None
                    time.sleep(0.3)
            self.cookies = [sign_in(base, BENCH_EMAIL, SCALE_PASSWORD) for _ in range(clients)]
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait(timeout=20)


def run(
    factors: list[float],
    clients: int,
    seconds: float,
    reseed: bool,
    only: list[str] | None,
    rounds: int = 1,
    pg: ThrowawayPostgres | None = None,
) -> dict[float, dict[str, dict]]:
    """Every page at every factor. All factors are served at once (an idle server costs
    nothing; on PostgreSQL each factor is its own database in the one cluster) and each
    page is measured at one factor right after the other, so a passing disturbance of the
    machine hits both sides of a comparison alike."""
    results: dict[float, dict[str, dict]] = {f: {} for f in factors}
    targets: list[Target] = []
    try:
        for f in factors:
            targets.append(Target(f, clients, reseed, only, pg))
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
                r["path"] = t.pages[name]
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
    """CPU model, cores, memory and Python version, for the record."""
    import platform

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
    return f"{cpu}, {os.cpu_count()} cores, {memory}; Python {platform.python_version()}"


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def record(
    all_results: dict[float, dict[str, dict]],
    failures: list[str],
    settings: dict[str, Any],
    database: str,
) -> dict[str, Any]:
    """A run as saved in docs/performance/runs/ (the old runs were converted to it)."""
    factors = sorted(all_results)
    low, high = factors[0], factors[-1]
    pages = []
    for name in all_results[low]:
        by_factor = {}
        for f in factors:
            r = all_results[f].get(name)
            if r:
                by_factor[f"{f:g}"] = {
                    "rps": round(r["rps"], 1),
                    "p50_ms": round(r["p50"], 1),
                    "p95_ms": round(r["p95"], 1),
                    "p99_ms": round(r["p99"], 1),
                    "queries": r["queries"],
                    "errors": r["errors"],
                    "requests": r["n"],
                }
        page: dict[str, Any] = {"name": name, "path": all_results[low][name].get("path")}
        page["by_factor"] = by_factor
        if len(by_factor) > 1 and f"{high:g}" in by_factor and by_factor[f"{low:g}"]["p95_ms"]:
            page["p95_growth"] = round(
                by_factor[f"{high:g}"]["p95_ms"] / by_factor[f"{low:g}"]["p95_ms"], 2
            )
        pages.append(page)
    return {
        "date": time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime()),
        "commit": commit(),
        "database": database,
        "machine": machine(),
        "speed_check_s": round(CALIBRATION, 2),
        "server": server_shape(),
        "settings": settings,
        "factors": [float(f) if f != int(f) else int(f) for f in factors],
        "targets_met": not failures,
        "targets_missed": failures,
        "notes": "",
        "pages": pages,
    }


def table(run: dict[str, Any]) -> str:
    """The markdown table of a saved run: one row per page, the smallest and largest factor."""
    factors = [f"{f:g}" for f in run["factors"]]
    low, high = factors[0], factors[-1]
    two = len(factors) > 1
    head = f"| page | queries | req/s F={low} | p50 F={low} | p95 F={low} |"
    rule = "|---|---|---|---|---|"
    if two:
        head += f" p95 F={high} | growth |"
        rule += "---|---|"
    lines = [head, rule]
    for page in run["pages"]:
        lo = page["by_factor"].get(low)
        if lo is None:
            continue
        hi = page["by_factor"].get(high, {})
        queries = f"{lo['queries']}"
        if two and hi and hi["queries"] != lo["queries"]:
            queries += f" / {hi['queries']}"
        line = (
            f"| {page['name']} | {queries} | {lo['rps']:.0f} | {lo['p50_ms']:.1f} "
            f"| {lo['p95_ms']:.1f} |"
        )
        if two:
            growth = page.get("p95_growth")
            line += f" {hi.get('p95_ms', float('nan')):.1f} | {growth:.2f} |" if growth else " | |"
        lines.append(line)
    return "\n".join(lines)


def _stop_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def main() -> int:
    try:
        return _main()
    except KeyboardInterrupt:
        print("\ninterrupted (servers stopped, a PostgreSQL cluster removed)", file=sys.stderr)
        return 130


def _main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark on loopback (docs/performance.md).")
    parser.add_argument("--factors", type=float, nargs="+", default=[1, 10])
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgres"],
        default="sqlite",
        help="postgres: a throwaway PostgreSQL 15 cluster, started and removed by the run",
    )
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--reseed", action="store_true", help="seed again instead of the cache")
    parser.add_argument(
        "--save",
        nargs="?",
        const="",
        metavar="FILE",
        help="write the run as JSON (default docs/performance/runs/<UTC time>-<database>.json)",
    )
    parser.add_argument("--table", metavar="RUN.json", help="print a saved run's table and exit")
    parser.add_argument("--only", nargs="*", help="only pages whose name contains one of these")
    parser.add_argument(
        "--rounds", type=int, default=3, help="alternate the sizes this many times per page"
    )
    parser.add_argument("--server", choices=["sync", "gthread"], default=SERVER["kind"])
    parser.add_argument("--workers", type=int, default=SERVER["workers"])
    parser.add_argument("--threads", type=int, default=SERVER["threads"])
    parser.add_argument("--verbose", action="store_true", help="print each round's p95")
    args = parser.parse_args()
    if args.table:
        print(table(json.loads(Path(args.table).read_text(encoding="utf-8"))))
        return 0
    global VERBOSE, CALIBRATION
    VERBOSE = args.verbose
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    CALIBRATION = calibration()
    print(f"speed check: {CALIBRATION:.2f} s (sum of 10^7 squares in Python)", flush=True)
    SERVER.update(kind=args.server, workers=args.workers, threads=args.threads)
    factors = sorted(args.factors)
    if args.database == "postgres":
        with ThrowawayPostgres() as pg:
            print(f"{pg.version()} started in a throwaway cluster", flush=True)
            database = pg.version()
            all_results = run(
                factors, args.clients, args.seconds, args.reseed, args.only, args.rounds, pg
            )
    else:
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
        all_results = run(factors, args.clients, args.seconds, args.reseed, args.only, args.rounds)
    failures = check_targets(all_results)
    settings = {
        "clients": args.clients,
        "seconds_per_page_and_size": args.seconds,
        "rounds": args.rounds,
        "only": args.only or [],
    }
    result = record(all_results, failures, settings, database)
    print()
    print(table(result))
    print()
    print("targets: all met" if not failures else "targets missed:\n- " + "\n- ".join(failures))
    if args.save is not None:
        stamp = time.strftime("%Y-%m-%dT%H%M", time.gmtime())
        path = Path(args.save or RUNS / f"{stamp}-{args.database}.json")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"saved {path}")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
