from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from ..richtext import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Render a partnership's Markdown text as sanitised HTML."""
    return render_markdown(text)


@register.simple_tag
def element_count() -> int:
    """How many design elements the method has (for "3 / 15" on an element's page)."""
    from ..content import method

    return len(method().elements)
