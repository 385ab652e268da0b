"""Numbers as staff type them, and when two figures count as the same."""
from __future__ import annotations

import math
import re
import unicodedata

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


def format_10k(value: float | None) -> str:
    """万元 as official documents write it, the one rule for screen, tables, images and Word:
    from 10000万元 up in 亿元 with two decimals (3.9979亿 → 4.00亿元, never "4亿元"), below in
    万元 with one decimal; no thousands separators (a 万元 figure below 1亿 has at most four
    integer digits). None/NaN → —."""
    if is_missing(value):
        return "—"
    if abs(round(value, 1)) >= YI:
        return f"{value / YI:.2f}亿元"
    return f"{value:.1f}万元"


def format_rate(rate: float | None) -> str:
    """A fraction as a signed percentage with one decimal: +12.5%, -3.0%; a rate that rounds to
    zero is 0.0% (no sign, so it reads as neither rise nor fall); None → —."""
    if is_missing(rate):
        return "—"
    text = f"{rate * 100:+.1f}%"
    return "0.0%" if text in ("+0.0%", "-0.0%") else text


def format_percent(share: float | None) -> str:
    """A share or completion (never signed) with one decimal: 48.1%; None → —."""
    if is_missing(share):
        return "—"
    return f"{share * 100:.1f}%"


def format_points(points: float | None) -> str:
    """The size of a difference of fractions in percentage points, one decimal, no sign (the
    sentence says 超 or 落后): 5.7个百分点; None → —."""
    if is_missing(points):
        return "—"
    return f"{abs(points) * 100:.1f}个百分点"


def format_signed_points(points: float | None) -> str:
    """Percentage points with their sign and one decimal, for tables and chart labels: +1.2,
    -0.4, 0.0; None → —."""
    if is_missing(points):
        return "—"
    text = f"{points * 100:+.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text


def format_amount(value, unit: str) -> str:
    """A figure in an indicator's unit: 万元 as people say it, % with a sign, others (亩, 家, 个)
    with the unit after it; missing → —."""
    if is_missing(value):
        return "—"
    if unit == "%":
        return format_rate(value)
    if unit == "万元":
        return format_10k(value)
    return f"{value:.10g}{unit}" if float(value).is_integer() else f"{value:.1f}{unit}"


def format_in_unit(value, unit: str) -> str:
    """A figure in its indicator's own unit without the unit (a table states it in its own
    column, so one column never mixes 亿元 and 万元): 万元 with one decimal, % as a signed rate,
    counts and areas as whole numbers when whole; missing → —."""
    if is_missing(value):
        return "—"
    if unit == "%":
        return format_rate(value)
    if unit == "万元":
        return f"{value:.1f}"
    return f"{value:.10g}" if float(value).is_integer() else f"{value:.1f}"
