"""Take screenshots of pages as a signed-in person, for looking at what we build.

Usage: .venv/bin/python scripts/screenshots.py BASE_URL EMAIL PASSWORD OUTDIR PATH [PATH ...]
Runs the machine's Chromium headless through Playwright; writes OUTDIR/<n>-<slug>.png
at desktop width and OUTDIR/<n>-<slug>-phone.png at phone width.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def main() -> None:
    base, email, password, outdir, *paths = sys.argv[1:]
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for width, height, suffix in ((1280, 900, ""), (390, 844, "-phone")):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(base + "/accounts/login/")
            page.fill("input[name=login]", email)
            page.fill("input[name=password]", password)
            page.click("main form button[type=submit]")
            page.wait_for_load_state("networkidle")
            for n, path in enumerate(paths):
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(300)
                slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "root"
                page.screenshot(path=str(out / f"{n:02d}-{slug}{suffix}.png"), full_page=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
