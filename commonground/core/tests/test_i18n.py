"""The Norwegian Bokmål catalogues are complete: no untranslated and no fuzzy entries."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.utils import translation


def catalogues() -> list[Path]:
    root = Path(settings.BASE_DIR)
    found = [
        *root.glob("locale/nb/LC_MESSAGES/*.po"),
        *root.glob("commonground/*/locale/nb/LC_MESSAGES/*.po"),
    ]
    return sorted(found)


def entries(path: Path) -> list[dict]:
    """A small .po reader: enough to find each entry's flags, msgid and msgstr(s)."""
    result: list[dict] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        lines = [ln for ln in block.strip().splitlines() if not ln.startswith("#~")]
        if not any(ln.startswith("msgid") for ln in lines):
            continue
        entry: dict = {
            "fuzzy": any(ln.startswith("#,") and "fuzzy" in ln for ln in lines),
            "msgid": "",
            "msgstr": [],
        }
        current = None
        for ln in lines:
            if ln.startswith("msgid "):
                current = "msgid"
                entry["msgid"] = ln[6:].strip().strip('"')
            elif ln.startswith("msgid_plural"):
                current = None
            elif ln.startswith("msgstr"):
                current = "msgstr"
                entry["msgstr"].append(ln.split(" ", 1)[1].strip().strip('"'))
            elif ln.startswith('"') and current == "msgid":
                entry["msgid"] += ln.strip('"')
            elif ln.startswith('"') and current == "msgstr":
                entry["msgstr"][-1] += ln.strip('"')
        result.append(entry)
    return result


def test_every_catalogue_is_complete():
    problems = []
    paths = catalogues()
    assert paths, "no nb catalogues found"
    for path in paths:
        for entry in entries(path):
            if entry["msgid"] == "":
                continue  # the header
            if entry["fuzzy"]:
                problems.append(
                    f"{path.relative_to(settings.BASE_DIR)}: fuzzy: {entry['msgid'][:60]}"
                )
            if any(s == "" for s in entry["msgstr"]):
                problems.append(
                    f"{path.relative_to(settings.BASE_DIR)}: untranslated: {entry['msgid'][:60]}"
                )
    assert not problems, "\n".join(problems[:50]) + f"\n({len(problems)} in all)"


def test_pages_switch_to_norwegian(db):
    client = Client()
    client.post("/language/", {"language": "nb", "next": "/about/"})
    body = client.get("/about/").content.decode()
    assert 'lang="nb"' in body
    with translation.override("nb"):
        assert translation.gettext("Sign in") != "Sign in"
