"""English texts the application writes for people (audit summaries, story events,
notification titles, default names, role codes), listed from the code, and a check that a
Norwegian page shows none of them.

The list is read from the source, so a new generated text is checked as soon as it is
written: every ``gettext_noop("…")`` (the message keys of ``core.i18n.Msg``) gives its
fixed pieces between the values (``Created the partnership “%(name)s”`` gives "Created the
partnership"); the few names a service writes as plain text, and the codes of roles and
kinds that once appeared raw, are added by hand below.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext

ROOT = Path(__file__).resolve().parent.parent
CODE = ROOT / "commonground"

# Generated texts that do not pass through gettext_noop at their call site.
EXTRA_PHRASES = [
    "First draft",  # an agreement's first version label
    "Started from the conversation",  # an action or proposal made from a conversation post
    "Decided at the results review",  # an action made from a results review
    "Suggested in the activity atlas",  # a proposal made from an atlas overlap
    "Talk about joining forces on",
    "overlaps with our",  # a prospect made from an atlas overlap
    "Minutes approved",
]
# Codes that were shown raw instead of their label; matched as whole words.
RAW_CODES = [
    "representative",
    "decision_maker",
    "doer",
    "convener",
    "secretariat",
    "observer",
    "signatory",
    "not_started",
    "in_progress",
    "majority",
    "consent",
]

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{\w*\}")
# Short or non-word pieces (a quote mark, "on", "to") would match anything.
MIN_WORDS = 2


def _noop_keys() -> set[str]:
    keys: set[str] = set()
    for path in CODE.rglob("*.py"):
        if "/tests/" in str(path) or "/migrations/" in str(path):
            continue
        text = path.read_text(encoding="utf-8")
        if "gettext_noop" not in text:
            continue
        for node in ast.walk(ast.parse(text)):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "gettext_noop"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                keys.add(node.args[0].value)
    return keys


def _pieces(text: str) -> list[str]:
    out = []
    for piece in PLACEHOLDER.split(text):
        piece = (piece or "").strip(" “”\"'«»:;,.·—–-()?!\n")
        if len(piece.split()) >= MIN_WORDS and re.search(r"[a-z]{3}", piece):
            out.append(piece)
    return out


@cache
def english_phrases() -> tuple[str, ...]:
    """Fixed English pieces of the generated texts whose Norwegian differs."""
    phrases: set[str] = set()
    for key in _noop_keys():
        with translation.override("nb"):
            norwegian = gettext(key)
        if norwegian == key:
            continue  # untranslated keys are po_todo's business; nothing to tell apart
        for piece in _pieces(key):
            if piece not in norwegian:
                phrases.add(piece)
    for phrase in EXTRA_PHRASES:
        with translation.override("nb"):
            if gettext(phrase) != phrase:
                phrases.add(phrase)
    return tuple(sorted(phrases))


def english_in(text: str, *, allowed: tuple[str, ...] = ()) -> list[str]:
    """The generated English phrases and raw codes in ``text`` (a Norwegian page's
    visible text), except those in ``allowed`` (user content that happens to contain one)."""
    found = [p for p in english_phrases() if p in text and p not in allowed]
    found += [
        code
        for code in RAW_CODES
        if code not in allowed and re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)
    ]
    return found
