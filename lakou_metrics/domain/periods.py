"""Periods of a year as spans of months: a month [m, m], a quarter [3q-2, 3q], year to date [1, n].

One representation serves 当月, 当季 and 累计 alike: 一季度 and 1-3月 are the same span, and any
span can be derived from others that partition it (see `spans.derive_span`).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import labels
from .numbers import is_missing
from .text import normalise_text

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass(frozen=True, order=True)
class Period:
    """Months `first`..`last` (1-12, inclusive) of `year`."""

    year: int
    first: int
    last: int

    def __post_init__(self):
        if not (1 <= self.first <= self.last <= 12) or not (1900 <= self.year <= 2200):
            raise ValueError(f"invalid period {self.year} {self.first}-{self.last}")
        # Hashed once: a county's sheet looks its periods up a million times.
        object.__setattr__(self, "_hash", hash((self.year, self.first, self.last)))

    def __hash__(self) -> int:
        return self._hash

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        return cls(year, month, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        return cls(year, 3 * quarter - 2, 3 * quarter)

    @classmethod
    def ytd(cls, year: int, through_month: int) -> "Period":
        return cls(year, 1, through_month)

    @property
    def months(self) -> int:
        return self.last - self.first + 1

    @property
    def is_quarter(self) -> bool:
        return self.months == 3 and self.first % 3 == 1

    def ytd_span(self) -> "Period":
        """The year to date that ends where this period ends."""
        return Period(self.year, 1, self.last)

    def month_span(self) -> "Period":
        """The last month of this period alone."""
        return Period(self.year, self.last, self.last)

    def quarter_span(self) -> "Period":
        """The quarter that contains this period's last month."""
        return Period.quarter(self.year, (self.last - 1) // 3 + 1)

    def shifted_year(self, years: int) -> "Period":
        return Period(self.year + years, self.first, self.last)

    def previous(self) -> "Period | None":
        """The span of equal length just before (环比 base); None when it would cross years
        unevenly. The previous of 一季度 is the last quarter of the year before."""
        n = self.months
        if self.first - n >= 1:
            return Period(self.year, self.first - n, self.last - n)
        if self.first == 1 and 12 % n == 0:
            return Period(self.year - 1, 13 - n, 12)
        return None

    @property
    def code(self) -> str:
        """Machine form: 2024M04, 2024Q1, or 2024M01-M06 for other spans."""
        if self.months == 1:
            return f"{self.year}M{self.first:02d}"
        if self.is_quarter:
            return f"{self.year}Q{self.last // 3}"
        return f"{self.year}M{self.first:02d}-M{self.last:02d}"

    def label(self) -> str:
        """Chinese, as staff write it: 2024年3月, 2024年二季度, 2024年1-6月."""
        return f"{self.year}年{self.label_in_year()}"

    def label_in_year(self) -> str:
        if self.months == 1:
            return f"{self.first}月"
        if self.is_quarter and self.first != 1:
            return labels.CHINESE_QUARTERS[self.last // 3]
        return f"{self.first}-{self.last}月"


_DASH = r"[-—–~～至到]"
# Months in Chinese numerals (三月, 十二月), as some sheets write them.
_CN_MONTHS = {n: i for i, n in enumerate("一 二 三 四 五 六 七 八 九 十 十一 十二".split(), 1)}
_CN_MONTH = "(十[一二]?|[一二三四五六七八九])"
_PATTERNS = (
    (re.compile(rf"(\d{{4}})年?度?(\d{{1,2}})月?{_DASH}+(\d{{1,2}})月"), "span"),
    (re.compile(r"(\d{4})[Qq]([1-4])"), "quarter"),
    (re.compile(r"(\d{4})年?度?第?([一二三四1-4])季"), "quarter"),
    (re.compile(r"(\d{4})年?度?上半年"), "h1"),
    (re.compile(r"(\d{4})年?度?下半年"), "h2"),
    (re.compile(r"(\d{4})年?度?前三季"), "q1_3"),
    (re.compile(r"(\d{4})[Mm](\d{1,2})"), "month"),
    (re.compile(r"(\d{4})年(\d{1,2})月"), "month"),
    (re.compile(rf"(\d{{4}})年{_CN_MONTH}月"), "cn_month"),
    (re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.]\d{1,2})?$"), "month"),
    (re.compile(r"^(\d{4})(\d{2})$"), "month"),
    (re.compile(r"(\d{4})年?(?:全年|1-12月)"), "year"),
)
_YEARLESS = (
    (re.compile(rf"^(\d{{1,2}})月?{_DASH}+(\d{{1,2}})月"), "span"),
    (re.compile(r"^[Qq]([1-4])$"), "quarter"),
    (re.compile(r"^第?([一二三四1-4])季度?$"), "quarter"),
    (re.compile(r"^上半年$"), "h1"),
    (re.compile(r"^(\d{1,2})(?:月份?)?$"), "month"),
    (re.compile(rf"^{_CN_MONTH}月份?$"), "cn_month"),
)


def parse_period(value, default_year: int | None = None) -> Period | None:
    """A period from a cell, a sheet name or a title; None when nothing period-like is found.

    A date cell is its month. Text without a year uses `default_year`.
    """
    if isinstance(value, dt.datetime | dt.date):
        try:
            return Period.month(value.year, value.month)
        except ValueError:  # a date outside 1900-2200, such as 9999-12-31
            return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = normalise_text(value)
    if not text:
        return None
    try:
        for pattern, kind in _PATTERNS:
            m = pattern.search(text)
            if m:
                return _build(kind, int(m.group(1)), m.groups()[1:])
        if default_year is not None:
            for pattern, kind in _YEARLESS:
                m = pattern.search(text)
                if m:
                    return _build(kind, default_year, m.groups())
    except ValueError:
        return None
    return None


def _build(kind: str, year: int, groups: tuple) -> Period:
    if kind == "span":
        return Period(year, int(groups[0]), int(groups[1]))
    if kind == "quarter":
        return Period.quarter(year, _CN_DIGITS[groups[0]])
    if kind == "month":
        return Period.month(year, int(groups[0]))
    if kind == "cn_month":
        return Period.month(year, _CN_MONTHS[groups[0]])
    if kind == "h1":
        return Period(year, 1, 6)
    if kind == "h2":
        return Period(year, 7, 12)
    if kind == "q1_3":
        return Period(year, 1, 9)
    return Period(year, 1, 12)


def parse_year(value) -> int | None:
    """A year from a cell: 2024, 2024.0, "2024年", "2024年度"."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        year = int(value)
        return year if float(value) == year and 1900 <= year <= 2200 else None
    m = re.search(r"(\d{4})", normalise_text(value))
    return int(m.group(1)) if m and 1900 <= int(m.group(1)) <= 2200 else None


def parse_through(text: str, year: int) -> Period:
    """The --through argument (Q1..Q4, M01..M12) as the year-to-date span. ValueError if bad."""
    m = re.fullmatch(r"[Qq]([1-4])|[Mm](\d{1,2})", text.strip())
    if not m:
        raise ValueError(text)
    last = int(m.group(1)) * 3 if m.group(1) else int(m.group(2))
    return Period.ytd(year, last)


def summarise_periods(periods) -> list[str]:
    """Labels for a set of periods, in time order, with runs of single months folded:
    2022年1月…2022年12月 → "2022年1-12月各月"."""
    ordered = sorted(set(periods), key=lambda p: (p.year, p.first, p.last))
    labels_out: list[str] = []
    run: list[Period] = []

    def flush():
        if len(run) >= 3:
            labels_out.append(f"{run[0].year}年{run[0].first}-{run[-1].last}月各月")
        else:
            labels_out.extend(p.label() for p in run)
        run.clear()

    for period in ordered:
        if period.months == 1 and run and (period.year, period.first) == (run[-1].year, run[-1].last + 1):
            run.append(period)
            continue
        flush()
        if period.months == 1:
            run.append(period)
        else:
            labels_out.append(period.label())
    flush()
    return labels_out


def format_timestamp(stamp, zone: dt.tzinfo) -> str:
    """A stored ISO time (with its offset) as people in `zone` read it: 2026-11-26 04:52 (a time
    stored without an offset is taken as UTC); missing → —."""
    moment = _local_moment(stamp, zone)
    return "—" if moment is None else moment.strftime("%Y-%m-%d %H:%M")


def format_local_day(stamp, zone: dt.tzinfo) -> str:
    """The day of a stored ISO time as people in `zone` read it: 2024-07-03T20:00:00+00:00 in
    Asia/Shanghai is 2024-07-04 (a time stored without an offset is taken as UTC); missing → —."""
    moment = _local_moment(stamp, zone)
    return "—" if moment is None else moment.strftime("%Y-%m-%d")


def _local_moment(stamp, zone: dt.tzinfo) -> dt.datetime | None:
    if is_missing(stamp) or not str(stamp).strip():
        return None
    moment = dt.datetime.fromisoformat(str(stamp))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(zone)


def format_day(day) -> str:
    """A date as documents write it: 2023年9月30日 (no leading zeros); an ISO text such as a stored
    import time ("2026-12-04" or "2026-12-04 09:30:00") is read as its date first; None → —."""
    if day is None:
        return "—"
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    return f"{day.year}年{day.month}月{day.day}日"
