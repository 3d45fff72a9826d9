"""End-to-end tests: the app under a real server on a free loopback port, driven
by Playwright in the machine's Chromium. Run with ``make e2e``."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "var" / "screenshots"
AXE = ROOT / "e2e" / "vendor" / "axe-core-4.14.1" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PASSWORD = "fjordvik-demo-2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server_var() -> Iterator[Path]:
    var = Path(tempfile.mkdtemp(prefix="cg-e2e-"))
    yield var
    shutil.rmtree(var, ignore_errors=True)


@pytest.fixture(scope="session")
def server(server_var: Path) -> Iterator[str]:
    if os.environ.get("E2E_BASE_URL"):  # reuse a running demo server while writing tests
        if os.environ.get("E2E_MAIL_LOG"):
            (server_var / "mail.log").symlink_to(os.environ["E2E_MAIL_LOG"])
        yield os.environ["E2E_BASE_URL"]
        return
    var = server_var
    port = free_port()
    env = {
        **os.environ,
        "COMMONGROUND_VAR_DIR": str(var),
        "DJANGO_DEBUG": "1",
        "COMMONGROUND_SITE_URL": f"http://127.0.0.1:{port}",
        # Emails (e.g. health-check links) are printed to the server's stdout, kept in a file.
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "load_demo"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    # Both append to mail.log: the server and the task worker, which sends the emails
    # (every email is queued as a background task).
    proc = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
        env=env,
        cwd=ROOT,
        stdout=(var / "mail.log").open("a"),
        stderr=(var / "server.log").open("w"),
    )
    worker = subprocess.Popen(
        [*manage, "db_worker", "--interval", "0.2", "--no-reload", "--no-startup-delay"],
        env=env,
        cwd=ROOT,
        stdout=(var / "mail.log").open("a"),
        stderr=(var / "worker.log").open("w"),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                worker.kill()
                raise RuntimeError("the test server did not start; see server.log") from None
            time.sleep(0.3)
    try:
        yield base
    finally:
        for process in (proc, worker):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def sent_mail(server: str, server_var: Path):
    """The text the server and its task worker have printed so far (the console email
    backend writes there). ``read(until=...)`` waits, up to 60 s, until ``until(text)`` is
    true, since the worker sends queued emails a moment after the page that caused them."""

    def read(until=None) -> str:
        deadline = time.monotonic() + 60
        while True:
            text = (server_var / "mail.log").read_text(encoding="utf-8", errors="replace")
            if until is None or until(text) or time.monotonic() > deadline:
                return text
            time.sleep(0.3)

    return read


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def new_context(browser: Browser, server: str):
    contexts: list[BrowserContext] = []

    def make(
        *, javascript: bool = True, width: int = 1280, height: int = 900, locale: str = "en-GB"
    ) -> BrowserContext:
        ctx = browser.new_context(
            base_url=server,
            java_script_enabled=javascript,
            viewport={"width": width, "height": height},
            locale=locale,
        )
        ctx.set_default_timeout(15_000)
        # People say yes to "are you sure?" prompts (forms with data-confirm).
        ctx.on("page", lambda page: page.on("dialog", lambda dialog: dialog.accept()))
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def axe_violations(page: Page) -> list[dict]:
    """Serious and critical accessibility violations on the current page (axe-core)."""
    # Evaluated through the DevTools protocol, so the page's strict CSP does not block it.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target)}))"
    )
    return list(result)
