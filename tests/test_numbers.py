"""Numbers as staff type them and as leaders read them."""
import math

import pytest

from lakou_metrics.numbers import NotANumber, format_10k, format_amount, format_rate, is_missing, parse_number


@pytest.mark.parametrize("cell, expected", [
    (12.5, 12.5), (" 1,234.5 ", 1234.5), ("１２３", 123.0), ("—", None), ("", None), (None, None),
])
def test_parse_number(cell, expected):
    assert parse_number(cell) == expected


@pytest.mark.parametrize("cell", ["约100", "12%", True])
def test_parse_number_refuses(cell):
    with pytest.raises(NotANumber):
        parse_number(cell)


@pytest.mark.parametrize("value, expected", [
    (14_000, "1.4亿元"), (35_200, "3.52亿元"), (3_250.5, "3,250.5万元"), (None, "—"), (math.nan, "—"),
])
def test_format_10k(value, expected):
    assert format_10k(value) == expected


@pytest.mark.parametrize("value, unit, expected", [
    (0.125, "%", "+12.5%"), (-0.03, "%", "-3.0%"), (20_000, "万元", "2亿元"), (314, "亩", "314亩"),
    (2, "家", "2家"), (None, "亩", "—"), (math.nan, "%", "—"),
])
def test_format_amount(value, unit, expected):
    assert format_amount(value, unit) == expected
    if unit == "%" and not is_missing(value):
        assert format_amount(value, unit) == format_rate(value)
