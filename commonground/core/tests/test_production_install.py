"""The README's "Running in production" steps, performed as an operator would.

A fresh copy of the source tree (the files a clone has: no compiled catalogues, no
``var/``) in a temporary directory, production settings from the environment, a
throwaway database (SQLite in the temporary var directory, or a scratch database
on the suite's PostgreSQL server), then the README's commands as subprocesses with
the project's Python: ``compilemessages``, ``migrate``, ``createsuperuser``,
``collectstatic``, ``check --deploy``; then gunicorn on a loopback port, spoken to as
a TLS-terminating reverse proxy would (``X-Forwarded-Proto: https``, ``Host``).

Static files are the reverse proxy's job (README: it serves
``$COMMONGROUND_VAR_DIR/static`` under ``/static/``), so the promise tested here is
that every static URL a page links to is a hashed name from the manifest whose file
was collected to that folder.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest
from django.conf import settings

SOURCE = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
ADMIN_EMAIL = "admin@install.example"
ADMIN_PASSWORD = "install-test-Pa55word-" + uuid.uuid4().hex[:8]

# The commands exactly as the README gives them (the test checks that it still does).
README_STEPS = [
    "manage.py compilemessages --ignore=.venv",
    "manage.py migrate",
    "manage.py createsuperuser",
    "manage.py collectstatic --noinput",
    "manage.py check --deploy --fail-level WARNING",
    "gunicorn commonground.wsgi",
]
# What a fresh clone does not have (see .gitignore), used when git is unavailable.
NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "var",
    "__pycache__",
    "*.pyc",
    "*.mo",
    "*.egg-info",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    "node_modules",
    "staticfiles",
)


def fresh_checkout(target: Path) -> None:
    """Copy the files a clone of the working tree would have into ``target``."""
    listed = None
    if shutil.which("git"):
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=SOURCE,
            capture_output=True,
            check=False,
        )
    if listed is None or listed.returncode != 0:  # not a git checkout
        shutil.copytree(SOURCE, target, ignore=NOT_IN_A_CLONE)
        return
    for name in listed.stdout.decode().split("\0"):
        source = SOURCE / name
        if name and source.is_file():  # files deleted in the working tree are skipped
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


@pytest.fixture
def database_url() -> Iterator[str | None]:
    """None for SQLite; on PostgreSQL a scratch database on the suite's server."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        yield None
        return
    import psycopg

    admin_url = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    name = f"cg_install_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(url)._replace(path="/" + name))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def operator_environment(var_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "COMMONGROUND_", "EMAIL_", "PYTEST_"))
        and key not in {"DATABASE_URL", "DEFAULT_FROM_EMAIL"}
    }
    env.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="install-test-" + uuid.uuid4().hex + uuid.uuid4().hex,
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        COMMONGROUND_VAR_DIR=str(var_dir),
        COMMONGROUND_SITE_URL=f"https://{HOST}",
        DJANGO_SUPERUSER_EMAIL=ADMIN_EMAIL,
        DJANGO_SUPERUSER_PASSWORD=ADMIN_PASSWORD,
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def manage(app: Path, env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}{result.stderr}"


def listening_socket() -> socket.socket:
    """A bound, listening loopback socket handed to gunicorn (no free-port race)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((HOST, 0))
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


class Client:
    """HTTP as a TLS-terminating reverse proxy forwards it, with a cookie jar."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        *,
        proxied: bool = True,
        body: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[http.client.HTTPResponse, bytes]:
        all_headers = {"Host": HOST}
        if proxied:
            all_headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers.update(headers or {})
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response, content


def wait_until_serving(server: subprocess.Popen, client: Client, log: Path) -> None:
    """The socket listens already; wait until a worker answers (or gunicorn exits)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn exited:\n" + log.read_text()
        try:
            client.request("GET", "/healthz")
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not answer within 60 s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def test_the_readme_production_install_serves_pages_and_static_files(tmp_path, database_url):
    readme = (SOURCE / "README.md").read_text()
    section = readme.partition("## Running in production")[2].partition("\n## ")[0]
    production = " ".join(section.split())
    for step in README_STEPS:
        assert step in production, f"the README's production steps no longer say `{step}`"

    app, var_dir = tmp_path / "app", tmp_path / "var"
    fresh_checkout(app)
    env = operator_environment(var_dir, database_url)

    manage(app, env, "compilemessages", "--ignore=.venv")
    manage(app, env, "migrate", "--noinput")
    manage(app, env, "createsuperuser", "--noinput")
    manage(app, env, "collectstatic", "--noinput")
    manage(app, env, "check", "--deploy", "--fail-level", "WARNING")

    static_root = var_dir / "static"
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    for vendored in (app / "static" / "vendor").rglob("*"):
        if vendored.is_file():
            name = vendored.relative_to(app / "static").as_posix()
            assert (static_root / manifest[name]).is_file(), name

    sock, log = listening_socket(), tmp_path / "gunicorn.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "commonground.wsgi", "-w", "2", "-b", f"fd://{sock.fileno()}"],
            cwd=app,
            env=env,
            pass_fds=[sock.fileno()],
            stdout=subprocess.DEVNULL,
            stderr=log_file,
            start_new_session=True,
        )
    port = sock.getsockname()[1]
    sock.close()
    try:
        client = Client(port)
        wait_until_serving(server, client, log)

        # Plain HTTP (no proxy header) is sent to HTTPS.
        response, _ = client.request("GET", "/accounts/login/", proxied=False)
        assert response.status == 301
        assert response.headers["Location"] == f"https://{HOST}/accounts/login/"

        response, content = client.request("GET", "/accounts/login/")
        page = content.decode()
        assert response.status == 200, page
        headers = response.headers
        assert (
            headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        )
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        csrf_cookie = next(
            c for c in headers.get_all("Set-Cookie") if c.startswith("__Host-csrftoken=")
        )
        assert "Secure" in csrf_cookie and "Path=/" in csrf_cookie and "Domain" not in csrf_cookie

        # Every static file the page links to is a hashed name collected to the folder the
        # reverse proxy serves; the main stylesheet among them.
        linked = re.findall(r'(?:href|src)="/static/([^"]+)"', page)
        assert manifest["css/app.css"] in linked
        assert manifest["css/app.css"] != "css/app.css"
        for name in linked:
            assert name in manifest.values(), name
            assert (static_root / name).is_file(), name
        assert (static_root / manifest["css/app.css"]).read_bytes() == (
            app / "static" / "css" / "app.css"
        ).read_bytes()
        # ... and the app serves it: hashed names cached for a year and immutable.
        response, content = client.request("GET", f"/static/{manifest['css/app.css']}")
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/css")
        assert content == (app / "static" / "css" / "app.css").read_bytes()
        cache_control = response.headers["Cache-Control"]
        assert "immutable" in cache_control and "max-age=315360000" in cache_control
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        # A vendored script too, under its hashed name.
        htmx = next(
            v for k, v in manifest.items() if k.startswith("vendor/htmx") and k.endswith(".js")
        )
        response, content = client.request("GET", f"/static/{htmx}")
        assert response.status == 200 and "javascript" in response.headers["Content-Type"]
        assert "immutable" in response.headers["Cache-Control"]
        # Something that was never collected is a plain 404, not a file from elsewhere.
        response, _ = client.request("GET", "/static/../commonground/settings.py")
        assert response.status in (400, 404)

        # The compiled catalogues are used.
        _, content = client.request("GET", "/accounts/login/", headers={"Accept-Language": "nb"})
        assert "Logg inn" in content.decode()

        # The administrator signs in through the proxy (CSRF over HTTPS, __Host- cookies).
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        response, content = client.request(
            "POST",
            "/accounts/login/",
            body=urlencode(
                {"login": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "csrfmiddlewaretoken": token}
            ),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://{HOST}",
                "Referer": f"https://{HOST}/accounts/login/",
            },
        )
        assert response.status == 302, content.decode()
        assert "__Host-sessionid" in client.cookies
        response, content = client.request("GET", response.headers["Location"])
        assert response.status == 200, content.decode()
        assert ADMIN_EMAIL in content.decode()
    finally:
        stop(server)
    assert server.returncode == 0, log.read_text()
