from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from ..richtext import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Render a partnership's Markdown text as sanitised HTML."""
    return render_markdown(text)
