"""Numbers as staff type them and as leaders read them."""
import math

import numpy as np
import pytest

from lakou_metrics.domain.numbers import (
    BadGrouping,
    NotANumber,
    count_units,
    difference_as_shown,
    differences_as_shown,
    format_10k,
    format_amount,
    format_in_unit,
    format_percent,
    format_points,
    format_rate,
    format_signed_points,
    is_missing,
    parse_number,
    percent_array,
    round_half_up,
    round_half_up_array,
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
    (16_000, "万元", "16000.0"), (190, "亩", "190.0"), (0.33, "%", "+33.0%"), (2.5, "个", "2.5"), (2, "家", "2"),
    (None, "亩", "—"),
])
def test_format_in_unit_keeps_one_unit_per_column(value, unit, expected):
    assert format_in_unit(value, unit) == expected


@pytest.mark.parametrize("value, unit, expected", [
    (0.125, "%", "+12.5%"), (-0.03, "%", "-3.0%"), (20_000, "万元", "2.00亿元"), (314, "亩", "314.0亩"),
    (21.14, "亩", "21.1亩"), (2, "家", "2家"), (2, "个", "2个"), (None, "亩", "—"), (math.nan, "%", "—"),
])
def test_format_amount(value, unit, expected):
    assert format_amount(value, unit) == expected
    if unit == "%" and not is_missing(value):
        assert format_amount(value, unit) == format_rate(value)


# -- 四舍五入 on the decimal value: the one rounding of every figure shown --------------------------
# Each expected text is the decimal figure rounded half away from zero by hand. Binary floats
# printed with f"{x:.2f}" or round() give the first column's "before" (in the ids) instead.

@pytest.mark.parametrize("value, expected", [
    pytest.param(10_950, "1.10亿元", id="1.095亿 → 1.10亿元 (binary printed 1.09亿元)"),
    pytest.param(-10_950, "-1.10亿元", id="a decrease of 1.095亿 rounds away from zero too"),
    pytest.param(10_949.99, "1.09亿元", id="just under the half stays down"),
    pytest.param(12_345, "1.23亿元", id="1.2345亿 → 1.23 (one rounding, not 1.235 → 1.24)"),
    pytest.param(1_234.55, "1234.6万元", id="1234.55万 → 1234.6 (binary printed 1234.5)"),
    pytest.param(0.25, "0.3万元", id="0.25万 → 0.3 (round() gives 0.2)"),
    pytest.param(-0.25, "-0.3万元", id="negative half"),
    pytest.param(-0.04, "0.0万元", id="a figure that rounds to zero has no sign"),
    pytest.param(9_999.95, "1.00亿元", id="9999.95万 rounds to 10000.0万: written in 亿"),
    pytest.param(9_999.94, "9999.9万元", id="9999.94万 stays in 万"),
    pytest.param(math.inf, "—", id="infinity is no figure"),
])
def test_money_is_rounded_half_up_on_its_decimal_value(value, expected):
    assert format_10k(value) == expected


@pytest.mark.parametrize("fraction, rate, percent, points, signed", [
    pytest.param(0.9625, "+96.3%", "96.3%", "96.3个百分点", "+96.3", id="96.25% → 96.3% (binary 96.2%)"),
    pytest.param(0.0475, "+4.8%", "4.8%", "4.8个百分点", "+4.8", id="4.75 → 4.8 (binary 4.7)"),
    pytest.param(-0.0475, "-4.8%", "-4.8%", "4.8个百分点", "-4.8", id="negatives are symmetric"),
    pytest.param(0.5475 - 0.5, "+4.8%", "4.8%", "4.8个百分点", "+4.8",
                 id="arithmetic noise (0.04749999999999999) is not a figure's digit"),
    pytest.param(0.125, "+12.5%", "12.5%", "12.5个百分点", "+12.5", id="an exact tenth stays"),
    pytest.param(0.0005, "+0.1%", "0.1%", "0.1个百分点", "+0.1", id="0.05% → 0.1%: a rise, shown"),
    pytest.param(-0.0005, "-0.1%", "-0.1%", "0.1个百分点", "-0.1", id="-0.05% → -0.1%"),
    pytest.param(0.000499, "0.0%", "0.0%", "0.0个百分点", "0.0", id="under 0.05% is 0.0%, unsigned"),
    pytest.param(-0.000499, "0.0%", "0.0%", "0.0个百分点", "0.0", id="negative under 0.05%: no sign"),
    pytest.param(None, "—", "—", "—", "—", id="none"),
])
def test_rates_shares_and_points_are_rounded_half_up(fraction, rate, percent, points, signed):
    assert format_rate(fraction) == rate
    assert format_percent(fraction) == percent
    assert format_points(fraction) == points
    assert format_signed_points(fraction) == signed


@pytest.mark.parametrize("value, unit, amount, in_unit", [
    pytest.param(2.25, "亩", "2.3亩", "2.3", id="2.25亩 → 2.3 (binary 2.2)"),
    pytest.param(16_000.05, "万元", "1.60亿元", "16000.1", id="万元 column: one decimal, half up"),
    pytest.param(0.0475, "%", "+4.8%", "+4.8%", id="a rate target"),
])
def test_amounts_in_their_units_are_rounded_half_up(value, unit, amount, in_unit):
    assert format_amount(value, unit) == amount
    assert format_in_unit(value, unit) == in_unit


@pytest.mark.parametrize("value, decimals, expected", [
    pytest.param(1.095, 2, "1.10", id="1.095"), pytest.param(2.675, 2, "2.68", id="2.675"),
    pytest.param(-2.675, 2, "-2.68", id="-2.675"), pytest.param(10_950, -2, "1.10E+4", id="to hundreds"),
    pytest.param(1.25, 1, "1.3", id="1.25"), pytest.param(-0.04, 1, "0.0", id="zero has no sign"),
])
def test_round_half_up(value, decimals, expected):
    assert str(round_half_up(value, decimals)) == expected


def test_whole_columns_round_as_each_figure_does():
    """The vectorised rounding gives round_half_up's figure for every value: ties at every
    thousandth (k/2000), values just beside them, noise from arithmetic, and random figures."""
    rng = np.random.default_rng(22)
    ties = [k / 2000 for k in range(-4000, 4001)]
    beside = [t + d for t in ties[::50] for d in (1e-9, -1e-9)]
    noisy = [a - b for a, b in zip(rng.uniform(0, 2, 500).round(4), rng.uniform(0, 2, 500).round(4))]
    values = ties + beside + noisy + list(rng.normal(0, 3, 2000)) + [math.nan, None]
    expected = [math.nan if round_half_up(v, 3) is None else float(round_half_up(v, 3)) for v in values]
    got = round_half_up_array(values, 3)
    assert np.array_equal(got, np.array(expected), equal_nan=True)
    assert np.array_equal(count_units([0.0475, -0.0475, 0.000499], 3), [48.0, -48.0, 0.0])
    assert list(percent_array([0.9625, -0.0475])) == [96.3, -4.8]
    assert list(round_half_up_array([10_950.0, 1_234.55], -2)) == [11_000.0, 1_200.0]


@pytest.mark.parametrize("a, b, expected", [
    pytest.param(0.5475, 0.5, 0.048, id="54.8% − 50.0% = 4.8 points (not 4.75)"),
    pytest.param(0.2834, 1 / 3, -0.05, id="28.3% − 33.3% = −5.0 points exactly"),
    pytest.param(0.3335, 1 / 3, 0.001, id="33.4% − 33.3% = 0.1 (the exact gap 0.02 would print 0.0)"),
    pytest.param(0.305, 0.33, -0.025, id="30.5% against a 33% target: 2.5 points"),
    pytest.param(None, 0.5, None, id="missing"),
])
def test_a_difference_is_that_of_the_figures_as_shown(a, b, expected):
    assert difference_as_shown(a, b) == expected
    if expected is not None:
        assert differences_as_shown([a], [b])[0] == expected


@pytest.mark.parametrize("share, expected", [
    pytest.param(0.9996, "99.96%", id="short of the whole by 0.04 points"),
    pytest.param(0.99996, "99.996%", id="a closer shortfall takes another decimal"),
    pytest.param(0.963, "96.3%", id="one decimal when it shows short"),
    pytest.param(1.0, "100.0%", id="the whole"),
    pytest.param(1.0004, "100.0%", id="above: as format_percent"),
    pytest.param(None, "—", id="none"),
])
def test_a_completion_short_of_the_whole_never_shows_as_the_whole(share, expected):
    from lakou_metrics.domain.numbers import format_short_of

    assert format_short_of(share) == expected


@pytest.mark.parametrize("value, decimals, expected", [
    pytest.param(2e300, 4, "2" + "0" * 300 + ".0000", id="a huge figure keeps every digit"),
    pytest.param(-1e30, 1, "-1" + "0" * 30 + ".0", id="negative"),
])
def test_rounding_a_huge_figure_never_fails(value, decimals, expected):
    from lakou_metrics.domain.numbers import round_half_up

    assert f"{round_half_up(value, decimals):f}" == expected
