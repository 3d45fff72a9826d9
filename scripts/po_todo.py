"""List untranslated or fuzzy entries of the nb catalogues (a helper for translators)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
import django

django.setup()
from commonground.core.tests.test_i18n import catalogues, entries  # noqa: E402

for path in catalogues():
    for e in entries(path):
        if e["msgid"] and (e["fuzzy"] or any(s == "" for s in e["msgstr"])):
            sys.stdout.write(
                f"{path}\t{'FUZZY' if e['fuzzy'] else 'EMPTY'}\t{e['msgid']}\t{e['msgstr']}\n"
            )
