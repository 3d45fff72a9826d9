"""Amounts as the ledger's pages show them, faster than the ``floatformat`` filter.

``{{ amount|floatformat:"2g" }}`` parses its argument, takes the value apart digit by
digit and looks the number formats up on every call; the totals and flow tables call
it a hundred times a page. ``grouped`` gives the same text for the Decimal amounts of
the ledger (Python's own grouping with the language's separators) and hands any other
value, or a language whose grouping is not plain thousands, to the filter.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.template.defaultfilters import floatformat
from django.utils.formats import get_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

_STEP = {0: Decimal(1), 2: Decimal("0.01")}


def grouped(value: Any, places: int) -> str:
    """``value|floatformat:"<places>g"`` (places 0 or 2): rounded half up, grouped by
    thousands with the current language's separators, zero without a minus sign."""
    if type(value) is not Decimal or places not in _STEP or not value.is_finite():
        return floatformat(value, f"{places}g")
    language = get_language()
    if get_format("NUMBER_GROUPING", language) != 3:
        return floatformat(value, f"{places}g")
    try:
        rounded = value.quantize(_STEP[places], ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the default context holds
        return floatformat(value, f"{places}g")
    text = f"{rounded:,.{places}f}"
    if not rounded:
        text = text.lstrip("-")
    thousands = get_format("THOUSAND_SEPARATOR", language)
    decimal = get_format("DECIMAL_SEPARATOR", language)
    return mark_safe(text.replace(",", "\0").replace(".", decimal).replace("\0", thousands))
