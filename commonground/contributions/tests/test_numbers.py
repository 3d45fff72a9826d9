"""``grouped`` writes amounts exactly as the ``floatformat`` filter with grouping does."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation

from commonground.contributions.numbers import grouped

EDGES = [
    *("0", "-0", "0.00", "-0.00", "-0.004", "-0.005", "0.005", "0.5", "-0.5", "1.5"),
    *("2.5", "-2.5", "-999.5", "999.995", "999999.5", "1234567.89", "-1234567.89"),
    *("1E+3", "1E+30", "12345678901234.99", "123456789012345678901234567890.5"),
]


def _values() -> list[object]:
    chosen = random.Random(7)
    values: list[object] = [Decimal(v) for v in EDGES]
    values += [
        Decimal(chosen.randint(-(10**12), 10**12)) / Decimal(10 ** chosen.randint(0, 4))
        for _ in range(500)
    ]
    return [*values, None, 1234, 1234.5, "12.5", "text", Decimal("NaN"), Decimal("Infinity")]


@pytest.mark.parametrize("language", ["en", "nb"])
@pytest.mark.parametrize("places", [0, 2])
def test_grouped_is_floatformat_with_grouping(language, places):
    with translation.override(language):
        for value in _values():
            assert grouped(value, places) == floatformat(value, f"{places}g"), value

