#!/usr/bin/env bash
# CI: a short bounded load test (50 clients, 20 s, SIGKILL of the server half-way and a
# restart) on the PostgreSQL database in DATABASE_URL if it is set, else on SQLite.
# Exits non-zero if any 5xx, "database is locked", lost acknowledged write, failed
# integrity check or failed restart is seen. The load test stops itself at its deadline;
# the timeout is only a backstop against a hang.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
if [ -n "${DATABASE_URL:-}" ]; then db=PostgreSQL; else db=SQLite; fi
echo "load test on $db"
start=$(date +%s)
timeout --kill-after=30 600 "$PY" scripts/loadtest.py --clients 50 --seconds "${LOAD_SECONDS:-20}" --kill
echo "load test passed in $(( $(date +%s) - start )) s"
