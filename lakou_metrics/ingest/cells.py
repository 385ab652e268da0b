"""One cell at a time: its text, whether it is a number, an enterprise's name as stored and as
matched, a credit code, a span of months, a total or footnote row. Used by every kind of sheet."""
from __future__ import annotations

import re
from functools import lru_cache

from ..domain.numbers import NotANumber, parse_number
from ..domain.periods import Period
from ..domain.text import normalise_text, strip_invisible
from .columns import is_footnote_row, is_total_row

_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_CJK = r"\u3000-\u9fff\uff00-\uffef"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
INFINITY = float("inf")


MAX_NAME_CHARS = 100  # the longest enterprise or project name; longer text is no name


@lru_cache(maxsize=65536, typed=True)  # typed: the cells 1.0 and True are different names
def enterprise_display_name(cell) -> str:
    """A name as stored: as its cell reads (cell_text: a name typed as a number is "12345", not
    "12345.0"), invisible characters removed, stray spaces removed around Chinese characters,
    runs of spaces folded."""
    text = " ".join(cell_text(cell).split())
    return _SPACE_NEAR_CJK.sub("", text)


def alias_rows(pairs) -> list[tuple[str, str, str]]:
    """(name key, alias, alias key) for each other spelling typed beside a name, from (name, typed
    text) pairs: spellings parted by 、 or commas, each stored as a name is (enterprise_display_name)."""
    rows = []
    for name, typed in pairs:
        for part in re.split(r"[、,，]", cell_text(typed)):
            alias = enterprise_display_name(part)
            if alias:
                rows.append((enterprise_name_key(name), alias, enterprise_name_key(alias)))
    return rows


def is_too_long_name(name: str) -> bool:
    """True when a name (as enterprise_display_name gives it) is longer than any real name
    (MAX_NAME_CHARS): a paragraph pasted into the name column, or a crafted 32,767-character cell."""
    return len(name) > MAX_NAME_CHARS


def shorten(text: str, keep: int = 20) -> str:
    """A long text as a message shows it: its start and how long it is."""
    return text if len(text) <= keep else f"{text[:keep]}…（共{len(text)}个字符）"


@lru_cache(maxsize=65536)
def enterprise_name_key(text) -> str:
    """The key two spellings of one name share: NFKC, no whitespace, upper-case Latin."""
    return normalise_text(text).upper()


@lru_cache(maxsize=65536)
def clean_credit_code(cell) -> str | None:
    """An 18-character 统一社会信用代码, upper-case; None when blank. ValueError when malformed."""
    text = normalise_text(cell).upper()
    if not text:
        return None
    if not _CREDIT_CODE.match(text):
        raise ValueError(text)
    return text


def cell_text(cell) -> str:
    """A cell as text, the one way every text is taken from a file (names, contacts, notes, towns,
    headers): a whole number without ".0", characters a person cannot see (direction marks such as
    U+202E, zero-width spaces) removed, surrounding spaces removed; "" for an empty cell."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    text = str(cell)
    # Printable ASCII holds nothing strip_invisible removes: most headers and codes skip the regex.
    return (text if text.isascii() and text.isprintable() else strip_invisible(text)).strip()


def looks_numeric(text: str) -> bool:
    try:
        return parse_number(text) is not None
    except NotANumber:
        return False


def is_note(text: str) -> bool:
    """A total (合计) or a footnote (填报人) rather than an enterprise."""
    return is_total_row(text) or is_footnote_row(text)


def note_kind(text: str) -> str | None:
    """"total" (合计 …) or "note" (填报人：…) for a label that is no enterprise; None otherwise."""
    return "total" if is_total_row(text) else "note" if is_footnote_row(text) else None


def parse_year_in_text(text) -> int | None:
    m = re.search(r"(19|20|21)\d{2}", normalise_text(text))
    return int(m.group(0)) if m else None


def resolve_span(kind, period: Period) -> Period | None:
    """The span of months a value column of `kind` (columns.ValueKind) holds in a row of `period`, in
    that period's year: the period itself, its month, quarter or year to date, or the months its
    header names. None when those months cannot belong to the period: later than its last month,
    or ended before the period began and before the quarter it ends in began — a year to date or a
    whole quarter may end with the quarter before (2月 in a 2024年3月 sheet is February, 一季度 in a
    2024年4月 sheet is Q1; 3月 in a 2024年6月 sheet is refused: likely last quarter's header left)."""
    span_kind, months = kind[0], kind[1]
    try:
        if span_kind == "period":
            return period
        if span_kind == "month":
            return period.month_span()
        if span_kind == "quarter":
            return period.quarter_span()
        if span_kind == "ytd":
            return period.ytd_span()
        earliest = min(period.first, period.quarter_span().first)
        if months[0] == 1 or (months[1] - months[0] == 2 and months[1] % 3 == 0):
            earliest -= 3  # a year to date or a whole quarter may be the quarter before (一季度 in a 4月 sheet)
        if not earliest <= months[1] <= period.last:
            return None
        return Period(period.year, months[0], months[1])
    except ValueError:
        return None


def place_value_column(kind, period: Period) -> tuple[Period, bool] | None:
    """(the span a value column holds in a row of `period` (resolve_span), True when the column is that
    span's 上年同期): by its words (上年同期), or by the year it names being the year before the
    period's (2023年1-3月 in a 2024 sheet). None when it cannot be read in that period: it names
    another year, or names the period's own year beside 上年, or its months do not fit."""
    prior, year = kind[2], kind[3]
    if year is not None and year != period.year:
        if year != period.year - 1:
            return None
        prior = True
    elif year is not None and prior:
        return None
    span = resolve_span(kind, period)
    return None if span is None else (span, prior)


def describe_span_kind(kind: str, months, year: int | None = None) -> str:
    """本期 / 本月 / 本季 / 累计 / 1-5月 / 3月 / 二季度: the span a value column holds, as a person says it."""
    words = {"period": "本期", "month": "本月", "quarter": "本季", "ytd": "累计"}.get(kind)
    if words is None:
        words = Period(2000, *months).label_in_year() if months else ""
    return (f"{year}年" if year else "") + words


def describe_found(headers: list[str]) -> str:
    return "、".join(f"「{h}」" for h in headers) if headers else "（无）"
