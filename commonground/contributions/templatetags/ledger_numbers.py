from __future__ import annotations

from typing import Any

from django import template

from commonground.contributions.numbers import grouped as grouped_number

register = template.Library()


@register.filter(is_safe=True)
def grouped(value: Any, places: int) -> str:
    """``{{ amount|grouped:2 }}`` is ``{{ amount|floatformat:"2g" }}``, sooner."""
    return grouped_number(value, int(places))
