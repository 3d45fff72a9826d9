"""`make run`: the web server, one background worker and the scheduler, as one command.

    .venv/bin/python scripts/serve.py [--host 127.0.0.1] [--port 8000]

Starts ``manage.py runserver``, ``manage.py db_worker`` (sends the email, runs the
periodic jobs) and ``manage.py run_scheduler`` (enqueues the periodic jobs when due).
One Ctrl-C (or SIGTERM) stops all three; if one of them exits, the others are
stopped too. No dependency beyond the standard library.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    args = parser.parse_args()
    manage = [sys.executable, str(ROOT / "manage.py")]
    commands = {
        "web": [*manage, "runserver", f"{args.host}:{args.port}"],
        "worker": [*manage, "db_worker", "--no-reload"],
        "scheduler": [*manage, "run_scheduler"],
    }
    children: dict[str, subprocess.Popen[bytes]] = {}
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for name, command in commands.items():
        # Their own process group: the launcher alone decides when they stop.
        children[name] = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    code = 0
    while not stopping:
        for name, child in children.items():
            if child.poll() is not None:
                print(f"serve: {name} exited with {child.returncode}; stopping the others")
                code = child.returncode or 1
                stopping = True
                break
        time.sleep(0.2)
    for child in children.values():
        if child.poll() is None:
            # The whole group (runserver's autoreloader has a child of its own).
            os.killpg(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for child in children.values():
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    return code


if __name__ == "__main__":
    sys.exit(main())
