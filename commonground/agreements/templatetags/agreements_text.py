from __future__ import annotations

import re

import markdown  # type: ignore[import-untyped]
import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ITEM = re.compile(r"^\s*(?:[-*]|\d+\.)\s")
ALLOWED = {"p", "ul", "ol", "li", "strong", "em", "br", "h4"}


@register.filter
def clause_html(text: str) -> SafeString:
    """A clause's plain text with simple lists and emphasis, sanitised."""
    lines: list[str] = []
    for line in (text or "").splitlines():
        if ITEM.match(line) and lines and lines[-1].strip() and not ITEM.match(lines[-1]):
            lines.append("")
        lines.append(line)
    html = markdown.markdown("\n".join(lines), extensions=["sane_lists"])
    return mark_safe(nh3.clean(html, tags=ALLOWED, attributes={}))
