from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def distribution_cells(distribution: list[tuple[int, int, Any]]) -> SafeString:
    """One cell per score with its count: the round page shows a few hundred, which as a
    template loop (each number localised on its own) took a fifth of the page."""
    return format_html_join(
        "",
        '<span class="hc-dist__cell hc-dist__cell--{}" title="{}: {}">{}</span>',
        ((score, score, count, count) for score, count, _percent in distribution),
    )
