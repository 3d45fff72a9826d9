"""Safe markdown for posts: Markdown, then nh3 with an allow-list; @mentions and #links.

Nothing the author typed reaches the page as HTML except the allowed tags; #links
become links only when the reader may see the target, otherwise they stay text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import markdown  # type: ignore[import-untyped]
import nh3
from django.urls import reverse
from django.utils.html import escape

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

REF_RE = re.compile(r"(?<![\w&/])#(proposal|action|meeting|document|indicator)-(\d{1,9})\b")
MENTION_RE = re.compile(r"@\[([^\]\n]{1,120})\]")
_TOKEN = "cgtok{0}x"
_TOKEN_RE = re.compile(r"cgtok(\d+)x")

URL_NAMES = {
    "proposal": "decisions:proposal_detail",
    "action": "actionplan:detail",
    "meeting": "meetings:detail",
    "document": "library:document",
    "indicator": "results:indicator_detail",
}


def refs_in(texts: Iterable[str]) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for text in texts:
        for kind, pk in REF_RE.findall(text or ""):
            found.setdefault(kind, set()).add(int(pk))
    return found


def mentions_in(text: str) -> list[str]:
    return [m.strip() for m in MENTION_RE.findall(text or "")]


def visible_refs(
    user: Any, partnership: Any, refs: dict[str, set[int]]
) -> dict[tuple[str, int], str]:
    """(kind, pk) -> title for every referenced record the reader may see (one query per kind)."""
    from commonground.core import policy

    out: dict[tuple[str, int], str] = {}
    if not refs:
        return out
    if refs.get("proposal"):
        from commonground.decisions import rules as d
        from commonground.decisions.models import Proposal

        if policy.has_capability(user, partnership, d.VIEW):
            for pk, title in Proposal.objects.filter(
                partnership=partnership, pk__in=refs["proposal"]
            ).values_list("pk", "title"):
                out[("proposal", pk)] = title
    if refs.get("action"):
        from commonground.actionplan import rules as a
        from commonground.actionplan.models import Action

        if policy.has_capability(user, partnership, a.VIEW):
            for pk, title in Action.objects.filter(
                partnership=partnership, pk__in=refs["action"]
            ).values_list("pk", "title"):
                out[("action", pk)] = title
    if refs.get("meeting"):
        from commonground.meetings import rules as m
        from commonground.meetings.models import Meeting

        if policy.has_capability(user, partnership, m.VIEW):
            for pk, title in Meeting.objects.filter(
                partnership=partnership, pk__in=refs["meeting"]
            ).values_list("pk", "title"):
                out[("meeting", pk)] = title
    if refs.get("document"):
        from commonground.library.rules import visible_documents

        for pk, title in (
            visible_documents(user, partnership)
            .filter(pk__in=refs["document"])
            .values_list("pk", "title")
        ):
            out[("document", pk)] = title
    if refs.get("indicator"):
        from commonground.results import rules as r
        from commonground.results.models import Indicator

        if policy.has_capability(user, partnership, r.VIEW):
            for pk, name in Indicator.objects.filter(
                partnership=partnership, pk__in=refs["indicator"]
            ).values_list("pk", "name"):
                out[("indicator", pk)] = name
    return out


def render(text: str, *, slug: str, visible: dict[tuple[str, int], str]) -> str:
    """Markdown to sanitised HTML, with mentions and the visible #links filled in."""
    pieces: list[str] = []

    def hold(html: str) -> str:
        pieces.append(html)
        return _TOKEN.format(len(pieces) - 1)

    def ref(match: re.Match[str]) -> str:
        kind, pk = match.group(1), int(match.group(2))
        label = match.group(0)
        title = visible.get((kind, pk))
        if title is None:
            return hold(escape(label))
        url = reverse(URL_NAMES[kind], kwargs={"slug": slug, "pk": pk})
        return hold(
            f'<a class="ref" href="{escape(url)}" title="{escape(title)}">{escape(label)}</a>'
        )

    def mention(match: re.Match[str]) -> str:
        return hold(f'<span class="mention">@{escape(match.group(1).strip())}</span>')

    text = _TOKEN_RE.sub("", text or "")
    text = REF_RE.sub(ref, text)
    text = MENTION_RE.sub(mention, text)
    html = markdown.markdown(text, extensions=["fenced_code", "sane_lists"])
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
    )
    return _TOKEN_RE.sub(lambda m: pieces[int(m.group(1))], html)
