"""One cell at a time: its text, whether it is a number, an enterprise's name as stored and as
matched, a credit code, a span of months, a total or footnote row. Used by every kind of sheet."""
from __future__ import annotations

import re
from functools import lru_cache

from ..domain.numbers import NotANumber, parse_number
from ..domain.periods import Period, normalise_text, strip_invisible
from .columns import is_footnote_row, is_total_row

_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_CJK = r"\u3000-\u9fff\uff00-\uffef"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
INFINITY = float("inf")


@lru_cache(maxsize=65536)
def enterprise_display_name(text) -> str:
    """A name as stored: invisible characters (zero-width spaces …) removed, stray spaces removed
    around Chinese characters, runs of spaces folded."""
    text = " ".join(strip_invisible(str(text)).split())
    return _SPACE_NEAR_CJK.sub("", text)


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
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def looks_numeric(text: str) -> bool:
    try:
        return parse_number(text) is not None
    except NotANumber:
        return False


def is_note(text: str) -> bool:
    """A total (合计) or a footnote (填报人) rather than an enterprise."""
    return is_total_row(text) or is_footnote_row(text)


def parse_year_in_text(text) -> int | None:
    m = re.search(r"(19|20|21)\d{2}", normalise_text(text))
    return int(m.group(0)) if m else None


def resolve_span(kind, period: Period) -> Period | None:
    span_kind, months, _ = kind
    try:
        if span_kind == "period":
            return period
        if span_kind == "month":
            return period.month_span()
        if span_kind == "quarter":
            return period.quarter_span()
        if span_kind == "ytd":
            return period.ytd_span()
        return Period(period.year, months[0], months[1])
    except ValueError:
        return None


def describe_span_kind(kind: str, months) -> str:
    """本期 / 本月 / 本季 / 累计 / 1-5月: the span a value column holds, as a person says it."""
    return {"period": "本期", "month": "本月", "quarter": "本季", "ytd": "累计",
            "range": f"{months[0]}-{months[1]}月" if months else ""}[kind]


def describe_found(headers: list[str]) -> str:
    return "、".join(f"「{h}」" for h in headers) if headers else "（无）"
