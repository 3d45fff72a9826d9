"""Save or compare the HTML of pages, whitespace and CSRF tokens aside.

For refactors that must not change what a page shows (a template moved from one
language to another, a helper replaced by Django's own):

    COMMONGROUND_VAR_DIR=DIR python scripts/html_snapshot.py save OUT PATH...
    COMMONGROUND_VAR_DIR=DIR python scripts/html_snapshot.py compare OUT PATH...

``DIR`` holds a copy of a database with the demo loaded (``manage.py load_demo``);
pages are fetched in-process with Django's test client, signed in as the demo's
convener (``--as`` another email). ``compare`` prints a unified diff per page that
differs and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")

import django

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

CSRF = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": "|csrftoken=)[A-Za-z0-9]+')


def normalise(html: str) -> str:
    html = CSRF.sub(lambda m: m.group(1) + "X", html)
    html = re.sub(r">\s+<", ">\n<", html)
    html = re.sub(r"[ \t\r\f\v]+", " ", html)
    return "\n".join(line.strip() for line in html.splitlines() if line.strip()) + "\n"


def fetch(client: Client, path: str) -> str:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    return f"status {response.status_code}\n" + normalise(response.content.decode())


def name_of(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "root"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["save", "compare"])
    parser.add_argument("out")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--as", dest="email", default="ingrid@fjordvik.example")
    args = parser.parse_args()
    setup_test_environment()
    from commonground.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=args.email))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    failed = 0
    for path in args.paths:
        html = fetch(client, path)
        target = out / f"{name_of(path)}.html"
        if args.mode == "save":
            target.write_text(html)
            continue
        before = target.read_text()
        if before != html:
            failed += 1
            sys.stdout.writelines(
                difflib.unified_diff(
                    before.splitlines(True), html.splitlines(True), f"{path} before", "after"
                )
            )
    if args.mode == "compare":
        sys.stdout.write(f"{len(args.paths) - failed} same, {failed} different\n")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
