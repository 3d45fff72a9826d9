"""Safe markdown for posts: Markdown, then nh3 with an allow-list; @mentions and #links.

Nothing the author typed reaches the page as HTML except the allowed tags; #links
become links only when the reader may see the target, otherwise they stay text.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from html.parser import HTMLParser
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
    """Markdown to sanitised HTML, with mentions and the visible #links filled in.

    Mentions and #links are held aside before markdown runs (so markdown cannot take
    them apart) behind markers that carry a random nonce made for this one call: text
    cannot forge one, typed or as entities. After nh3 has sanitised the markup, the
    markers are put back only where they stand in plain text; inside a link, code or an
    attribute they become the text that was typed.
    """
    nonce = secrets.token_hex(8)
    marker_re = re.compile(rf"cg{nonce}m(\d{{1,9}})x")
    pieces: list[tuple[str, str]] = []  # (HTML for plain text, the text as typed)

    def hold(html: str, typed: str) -> str:
        pieces.append((html, typed))
        return f"cg{nonce}m{len(pieces) - 1}x"

    def ref(match: re.Match[str]) -> str:
        kind, pk = match.group(1), int(match.group(2))
        label = match.group(0)
        title = visible.get((kind, pk))
        if title is None:
            return hold(escape(label), label)
        url = reverse(URL_NAMES[kind], kwargs={"slug": slug, "pk": pk})
        return hold(
            f'<a class="ref" href="{escape(url)}" title="{escape(title)}">{escape(label)}</a>',
            label,
        )

    def mention(match: re.Match[str]) -> str:
        return hold(
            f'<span class="mention">@{escape(match.group(1).strip())}</span>', match.group(0)
        )

    text = REF_RE.sub(ref, text or "")
    text = MENTION_RE.sub(mention, text)
    html = markdown.markdown(text, extensions=["fenced_code", "sane_lists"])
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
    )
    if not pieces:
        return html
    filler = _Filler(marker_re, pieces)
    filler.feed(html)
    filler.close()
    return "".join(filler.out)


class _Filler(HTMLParser):
    """Re-writes nh3's (well-formed, allow-listed) output with the held pieces put back.

    Text and attribute values are escaped again on the way out; a marker becomes its
    HTML only in text outside links and code, and its typed text everywhere else.
    """

    LITERAL = {"a", "code", "pre"}

    def __init__(self, marker_re: re.Pattern[str], pieces: list[tuple[str, str]]) -> None:
        super().__init__(convert_charrefs=True)
        self.marker_re = marker_re
        self.pieces = pieces
        self.literal = 0
        self.out: list[str] = []

    def _piece(self, match: re.Match[str], *, as_html: bool) -> str:
        index = int(match.group(1))
        if index >= len(self.pieces):  # cannot happen: only this call knows the nonce
            return escape(match.group(0))
        html, typed = self.pieces[index]
        return html if as_html else escape(typed)

    def _text(self, value: str, *, as_html: bool) -> str:
        out: list[str] = []
        last = 0
        for match in self.marker_re.finditer(value):
            out.append(escape(value[last : match.start()]))
            out.append(self._piece(match, as_html=as_html))
            last = match.end()
        out.append(escape(value[last:]))
        return "".join(out)

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], end: str) -> None:
        parts = [tag]
        for name, value in attrs:
            if value is None:
                parts.append(name)
            else:
                parts.append(f'{name}="{self._text(value, as_html=False)}"')
        self.out.append(f"<{' '.join(parts)}{end}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, "")
        if tag in self.LITERAL:
            self.literal += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, " /")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.LITERAL:
            self.literal = max(0, self.literal - 1)
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(self._text(data, as_html=not self.literal))
