"""Numbers as staff type them and as leaders read them."""
import math

import pytest

from lakou_metrics.domain.numbers import (
    BadGrouping,
    NotANumber,
    format_10k,
    format_amount,
    format_in_unit,
    format_points,
    format_rate,
    format_signed_points,
    is_missing,
    parse_number,
)


@pytest.mark.parametrize("cell, expected", [
    (12.5, 12.5), (" 1,234.5 ", 1234.5), ("１２３", 123.0), ("—", None), ("", None), (None, None),
])
def test_parse_number(cell, expected):
    assert parse_number(cell) == expected


@pytest.mark.parametrize("cell", ["约100", "12%", True])
def test_parse_number_refuses(cell):
    with pytest.raises(NotANumber):
        parse_number(cell)


@pytest.mark.parametrize("cell, expected", [
    pytest.param("1,234", 1234.0, id="comma"),
    pytest.param("1,234.5", 1234.5, id="comma and decimals"),
    pytest.param("12,345,678", 12_345_678.0, id="three groups"),
    pytest.param("-1,234.5", -1234.5, id="negative"),
    pytest.param("１，２３４", 1234.0, id="full-width digits and comma"),
    pytest.param("1 234 567", 1_234_567.0, id="spaces"),
    pytest.param("1\u00a0234", 1234.0, id="no-break space"),
    pytest.param("1\u202f234", 1234.0, id="narrow no-break space"),
    pytest.param("1'234.5", 1234.5, id="apostrophe"),
    pytest.param("1’234", 1234.0, id="typographic apostrophe"),
    pytest.param("999", 999.0, id="no separator"),
    pytest.param("- 5", -5.0, id="a space after the sign"),
])
def test_thousands_separators_between_groups_of_three_are_read(cell, expected):
    assert parse_number(cell) == expected


@pytest.mark.parametrize("cell", [
    pytest.param("1,5", id="one digit after the comma (1.5? 15?)"),
    pytest.param("12,34", id="two digits"),
    pytest.param("1,2345", id="four digits"),
    pytest.param("12,34,567", id="Indian grouping"),
    pytest.param("1,234,56", id="a short last group"),
    pytest.param("1.234,5", id="European decimal comma"),
    pytest.param("1,234 567", id="two kinds of separator"),
    pytest.param("1234,567", id="four digits before the first separator"),
    pytest.param("1 2", id="spaces not by threes"),
    pytest.param("1,", id="a trailing comma"),
    pytest.param(",123", id="a leading comma"),
    pytest.param("1,234.5,6", id="a separator in the decimals"),
])
def test_a_grouping_not_by_threes_is_not_a_number(cell):
    with pytest.raises(BadGrouping):
        parse_number(cell)


@pytest.mark.parametrize("value, expected", [
    pytest.param(14_000, "1.40亿元", id="亿 always with two decimals"),
    pytest.param(35_200, "3.52亿元", id="亿 rounded"),
    pytest.param(39_979.1, "4.00亿元", id="under 4亿 never reads as a round 4亿元"),
    pytest.param(29_100, "2.91亿元", id="beside it, the same decimals"),
    pytest.param(9_472.6, "9472.6万元", id="no thousands separator (official documents)"),
    pytest.param(9_999.96, "1.00亿元", id="a figure that rounds to 10000.0万元 is written in 亿"),
    pytest.param(3_250.5, "3250.5万元", id="万 with one decimal"),
    pytest.param(0.04, "0.0万元", id="tiny"),
    pytest.param(-1_234.56, "-1234.6万元", id="a decrease"),
    pytest.param(None, "—", id="none"), pytest.param(math.nan, "—", id="nan"),
])
def test_format_10k(value, expected):
    assert format_10k(value) == expected


@pytest.mark.parametrize("rate, expected", [
    pytest.param(0.125, "+12.5%", id="rise"), pytest.param(-0.028, "-2.8%", id="fall"),
    pytest.param(0.0004, "0.0%", id="rounds to zero: no sign"), pytest.param(-0.0004, "0.0%", id="negative zero"),
    pytest.param(None, "—", id="none"),
])
def test_format_rate(rate, expected):
    assert format_rate(rate) == expected


@pytest.mark.parametrize("points, signed, plain", [
    (0.0123, "+1.2", "1.2个百分点"), (-0.0456, "-4.6", "4.6个百分点"), (-0.0004, "0.0", "0.0个百分点"),
    (None, "—", "—"),
])
def test_points_have_one_decimal(points, signed, plain):
    assert format_signed_points(points) == signed
    assert format_points(points) == plain


@pytest.mark.parametrize("value, unit, expected", [
    (16_000, "万元", "16000.0"), (190, "亩", "190"), (0.33, "%", "+33.0%"), (2.5, "个", "2.5"), (None, "亩", "—"),
])
def test_format_in_unit_keeps_one_unit_per_column(value, unit, expected):
    assert format_in_unit(value, unit) == expected


@pytest.mark.parametrize("value, unit, expected", [
    (0.125, "%", "+12.5%"), (-0.03, "%", "-3.0%"), (20_000, "万元", "2.00亿元"), (314, "亩", "314亩"),
    (2, "家", "2家"), (None, "亩", "—"), (math.nan, "%", "—"),
])
def test_format_amount(value, unit, expected):
    assert format_amount(value, unit) == expected
    if unit == "%" and not is_missing(value):
        assert format_amount(value, unit) == format_rate(value)
