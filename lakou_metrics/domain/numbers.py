"""Numbers as staff type them, and when two figures count as the same."""
from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, localcontext

import numpy as np
import pandas as pd

from .units import YI

_MISSING = {"", "-", "—", "--", "——", "/", "／", "－", "无", "null", "nan", "none", "#n/a"}
# Thousands separators people type (after NFKC: full-width ， is a comma, a no-break or thin space a
# space): a number may use one of them, between groups of exactly three digits.
_SEPARATOR = re.compile(r"[, '’_]")
_GROUPED = re.compile(r"^(?P<sign>[+-]?)(?P<lead>\d{1,3})(?P<groups>(?P<sep>[, '’_])\d{3}(?:(?P=sep)\d{3})*)"
                      r"(?P<fraction>\.\d*)?$")

# Two reports of the same figure agree when they differ by rounding only: bureau forms round to
# 千元 (0.1万元), and a span summed from three rounded months may be off by a few tenths.
ABS_TOLERANCE_10K = 0.5
REL_TOLERANCE = 0.001


def is_missing(value) -> bool:
    """True for no value at all: None, pandas' NA, or NaN (how frames hold a missing rate)."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


class NotANumber(ValueError):
    """The cell holds text that is not a number (e.g. "约100")."""


class NotFinite(NotANumber):
    """The cell holds infinity (inf, 1e309): no figure."""


class BadGrouping(NotANumber):
    """The cell groups digits other than by threes ("1,5", "12,34"): which number is meant cannot
    be told (1.5? 15? a comma typed for a decimal point?)."""


class TooPrecise(NotANumber):
    """The cell holds more significant digits than a figure keeps (15): it would be rounded."""


MAX_DIGITS = 15  # what a double (and Excel) keeps exactly
_DIGITS = re.compile(r"^[+-]?0*(\d*?)\.?(\d*?)0*(?:[eE][+-]?\d+)?$")

def parse_number(cell) -> float | None:
    """A cell as a float; None when blank or a dash. Raises NotANumber for other text,
    NotFinite for infinity, TooPrecise for more than 15 significant digits (it would be rounded).

    Accepts thousands separators (comma, space, apostrophe) between groups of three digits
    ("1,234.5", "12 345 678"), full-width digits and surrounding spaces; any other grouping
    ("1,5", "12,34", "1,2345") raises BadGrouping, never a guess.
    """
    if cell is None:
        return None
    if type(cell) is float or type(cell) is int:
        if isinstance(cell, float) and math.isnan(cell):
            return None
        if isinstance(cell, float) and math.isinf(cell):
            raise NotFinite(cell)
        if type(cell) is int and len(str(abs(cell)).rstrip("0")) > MAX_DIGITS:
            raise TooPrecise(cell)
        return float(cell)
    if isinstance(cell, bool) or not isinstance(cell, str):
        raise NotANumber(cell)
    text = unicodedata.normalize("NFKC", cell).strip()
    if text.lower() in _MISSING:
        return None
    text = _ungroup(cell, re.sub(r"^([+-])\s+", r"\1", text))
    try:
        value = float(text)
    except ValueError:
        raise NotANumber(cell) from None
    if math.isnan(value):
        raise NotANumber(cell)
    if math.isinf(value):
        raise NotFinite(cell)
    digits = _DIGITS.match(text)
    if digits and len((digits.group(1) + digits.group(2)).lstrip("0")) > MAX_DIGITS:
        raise TooPrecise(cell)
    return value


def _ungroup(cell, text: str) -> str:
    """`text` without its thousands separators; BadGrouping when they do not part groups of three."""
    if not _SEPARATOR.search(text):
        return text
    m = _GROUPED.match(text)
    if m is None:
        raise BadGrouping(cell)
    return m["sign"] + m["lead"] + m["groups"].replace(m["sep"], "") + (m["fraction"] or "")


def values_agree(a: float, b: float) -> bool:
    """True when two figures in 万元 differ by no more than rounding."""
    return abs(a - b) <= max(ABS_TOLERANCE_10K, REL_TOLERANCE * max(abs(a), abs(b)))


# -- 四舍五入: the one rounding of every figure a person reads -------------------------------------
# A figure is rounded half away from zero on its decimal value, as official figures are (1.095亿 →
# 1.10亿元, 96.25% → 96.3%, −4.75 points → −4.8). Binary floats do otherwise: f"{1.095:.2f}" is
# "1.09" (the double is 1.09499…), and round() rounds half to even. The decimal value is read from
# the float with 15 significant digits, the digits a figure keeps (MAX_DIGITS): repr() gives up to
# 17, and the last of them are the noise of arithmetic (0.5475 − 0.5 is 0.04749999999999999, a
# 4.75 that repr would round to 4.7).
_TIE_NEAR = 1e-6  # how close to a half the scaled binary value must be to be settled in decimal


def _decimal(value) -> Decimal | None:
    """The decimal value a float stands for (15 significant digits); None when missing or infinite."""
    if is_missing(value):
        return None
    value = float(value)
    if not math.isfinite(value):
        return None
    return Decimal(format(value, ".15g"))


def round_half_up(value, decimals: int = 1) -> Decimal | None:
    """`value` rounded half away from zero (四舍五入) to `decimals` places of its decimal value
    (negative: to tens, hundreds …), as a Decimal that prints as shown; None when missing or
    infinite. round_half_up(0.9625, 3) → 0.963; round_half_up(-0.0475, 3) → -0.048; a result of
    zero has no sign."""
    found = _decimal(value)
    if found is None:
        return None
    # Precision for every digit the result keeps: 1e300 万元 to 4 decimals has 305 (hostile, not wrong).
    with localcontext() as context:
        context.prec = max(context.prec, found.adjusted() + decimals + 2)
        rounded = found.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def round_half_up_float(value, decimals: int = 1) -> float | None:
    """round_half_up as a float (for a number a table or chart shows); None when missing."""
    found = round_half_up(value, decimals)
    return None if found is None else float(found)


def count_units(values, decimals: int = 1) -> np.ndarray:
    """Whole columns (list, array or Series) rounded like round_half_up, as whole counts of
    10**-decimals (NaN where missing): 0.0475 at 3 decimals → 48. Counts compare and subtract
    exactly, as the figures shown do. Vectorised: by float arithmetic where the value is clearly
    off a half, in decimal where it is near one (the result is round_half_up's, value by value)."""
    values = pd.to_numeric(pd.Series(values).reset_index(drop=True), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan)
    scaled = values * 10.0 ** decimals
    size = np.abs(scaled)
    units = np.sign(scaled) * np.floor(size + 0.5)
    near = (np.abs(size - np.floor(size) - 0.5) < _TIE_NEAR) | (size >= 1e8)  # past 1e8, spacing nears _TIE_NEAR
    for i in np.flatnonzero(near & np.isfinite(values)):
        units[i] = float(round_half_up(values[i], decimals).scaleb(decimals))
    units[~np.isfinite(values)] = np.nan
    return units + 0.0  # no negative zero


def round_half_up_array(values, decimals: int = 1) -> np.ndarray:
    """round_half_up of a whole column (list, array or Series) as floats, NaN where missing: the
    numbers a table or chart shows (it then prints them with `decimals` places)."""
    scale = 10.0 ** abs(decimals)
    units = count_units(values, decimals)
    # A whole count divided by a power of ten is the double nearest the decimal, like float("96.3").
    return units / scale if decimals >= 0 else units * scale


def percent_array(fractions) -> np.ndarray:
    """Fractions as percentages (or points) with one decimal, rounded half up, as floats for a
    table or chart that prints them as they are: 0.9625 → 96.3, −0.0475 → −4.8; NaN where missing."""
    return count_units(fractions, 3) / 10


def difference_as_shown(a, b, decimals: int = 3) -> float | None:
    """a − b as a reader computes it from the two figures as shown, each rounded to `decimals`
    places (3 for a fraction shown as a percentage with one decimal): 0.5475 and 0.50 are shown as
    54.8% and 50.0%, so the difference is 0.048 (4.8个百分点), not 0.0475 (which would print as
    4.7 or 4.8 depending on float noise). None when either is missing."""
    shown_a, shown_b = round_half_up(a, decimals), round_half_up(b, decimals)
    if shown_a is None or shown_b is None:
        return None
    return float(shown_a - shown_b)


def differences_as_shown(a, b, decimals: int = 3) -> np.ndarray:
    """difference_as_shown of whole columns (NaN where either is missing)."""
    return (count_units(a, decimals) - count_units(b, decimals)) / 10.0 ** decimals


def _signed(number: Decimal) -> str:
    """+4.8 / -4.8 / 0.0 (a figure that rounds to zero has no sign)."""
    return format(number, "f") if number.is_zero() else format(number, "+f")


def format_10k(value: float | None) -> str:
    """万元 as official documents write it, the one rule for screen, tables, images and Word:
    from 10000万元 up in 亿元 with two decimals (3.9979亿 → 4.00亿元, never "4亿元"), below in
    万元 with one decimal; no thousands separators (a 万元 figure below 1亿 has at most four
    integer digits). Rounded half up on the decimal value (10950万元 → 1.10亿元). None/NaN → —."""
    tenths = round_half_up(value, 1)
    if tenths is None:
        return "—"
    if abs(tenths) >= Decimal(str(YI)):
        return f"{round_half_up(value, -2).scaleb(-4):f}亿元"
    return f"{tenths:f}万元"


def choose_money_unit(values_10k) -> str:
    """The one unit of a chart's money figures (given in 万元): 亿元 when the largest of them, as
    format_10k shows it, is 1亿元 or more, else 万元; 万元 when none is known. Axis, bar labels and
    subtitle then all use it (never 1.51亿元 beside 9472.6万元 under 单位：万元)."""
    tenths = count_units(values_10k, 1)
    known = tenths[np.isfinite(tenths)]
    return "亿元" if len(known) and np.abs(known).max() >= YI * 10 else "万元"


def numbers_in_money_unit(values_10k, unit: str) -> np.ndarray:
    """万元 figures as the numbers a chart plots in `unit` (choose_money_unit), rounded half up as
    written: 亿元 with two decimals (15100 → 1.51, 9472.6 → 0.95), 万元 with one; NaN where missing."""
    if unit == "亿元":
        return count_units(values_10k, -2) / 100
    return round_half_up_array(values_10k, 1)


def format_in_money_unit(value: float | None, unit: str) -> str:
    """A 万元 figure written in `unit` with it: 1.51亿元 / 0.95亿元 in 亿元 (two decimals), 9472.6万元 in
    万元 (one decimal, no thousands separators), the same rounding as format_10k; missing → —."""
    if unit != "亿元":
        shown = round_half_up(value, 1)
        return "—" if shown is None else f"{shown:f}万元"
    shown = round_half_up(value, -2)
    return "—" if shown is None else f"{shown.scaleb(-4):f}亿元"


def format_rate(rate: float | None) -> str:
    """A fraction as a signed percentage with one decimal, rounded half up: +12.5%, -3.0%,
    0.0005 → +0.1%; a rate that rounds to zero is 0.0% (no sign, so it reads as neither rise nor
    fall); None → —."""
    shown = round_half_up(rate, 3)
    return "—" if shown is None else f"{_signed(shown.scaleb(2))}%"


def format_percent(share: float | None) -> str:
    """A share or completion (never signed) with one decimal, rounded half up: 0.9625 → 96.3%;
    None → —."""
    shown = round_half_up(share, 3)
    return "—" if shown is None else f"{shown.scaleb(2):f}%"


def format_short_of(share: float | None, whole: float = 1.0) -> str:
    """A completion that falls short of `whole` (100%), with as many decimals (one to four) as it
    takes to show it below: 0.9996 → 99.96%, never "100.0%" beside 未完成; otherwise format_percent."""
    if is_missing(share) or share >= whole:
        return format_percent(share)
    for places in range(3, 7):
        shown = round_half_up(share, places)
        if shown < whole:
            return f"{shown.scaleb(2):f}%"
    return f"{round_half_up(share, 6).scaleb(2):f}%"


def format_points(points: float | None) -> str:
    """The size of a difference of fractions in percentage points, one decimal rounded half up,
    no sign (the sentence says 超 or 落后): 5.7个百分点; None → —."""
    shown = round_half_up(points, 3)
    return "—" if shown is None else f"{shown.copy_abs().scaleb(2):f}个百分点"


def format_signed_points(points: float | None) -> str:
    """Percentage points with their sign and one decimal (rounded half up), for tables and chart
    labels: +1.2, -0.4, 0.0; None → —."""
    shown = round_half_up(points, 3)
    return "—" if shown is None else _signed(shown.scaleb(2))


def format_number(value, decimals: int = 1) -> str:
    """A plain figure with `decimals` places rounded half up: format_number(1.25) → 1.3 (a
    ratio such as 1.3倍, a 万元 figure in a table's 万元 column); None → —."""
    shown = round_half_up(value, decimals)
    return "—" if shown is None else f"{shown:f}"


# Units of measure (an area, electricity) are written with one decimal throughout (19.0亩 beside
# 21.1亩, never 19亩 beside 21.1亩); counts (家, 个) stay whole when whole.
MEASURED_UNITS = frozenset({"亩", "万千瓦时"})


def _count_or_tenths(value, unit: str) -> str:
    """A count: whole when whole (2), else one decimal rounded half up (2.5); an area (亩) always with
    one decimal (19.0)."""
    if unit in MEASURED_UNITS or not float(value).is_integer():
        return format_number(value, 1)
    return f"{float(value):.10g}"


def format_amount(value, unit: str) -> str:
    """A figure in an indicator's unit: 万元 as people say it, % with a sign, areas with one decimal
    (19.0亩), counts whole when whole (2家), each with the unit after it; missing → —."""
    if is_missing(value):
        return "—"
    if unit == "%":
        return format_rate(value)
    if unit == "万元":
        return format_10k(value)
    return f"{_count_or_tenths(value, unit)}{unit}"


def format_in_unit(value, unit: str) -> str:
    """A figure in its indicator's own unit without the unit (a table states it in its own
    column, so one column never mixes 亿元 and 万元): 万元 with one decimal, % as a signed rate,
    areas with one decimal, counts as whole numbers when whole; missing → —."""
    if is_missing(value):
        return "—"
    if unit == "%":
        return format_rate(value)
    if unit == "万元":
        return format_number(value, 1)
    return _count_or_tenths(value, unit)
