"""What a reader has chosen to look at: a year, the month its year to date runs through, and the
scope (all enterprises or 规上 only). One selection serves every page, the briefing and every
export, and travels in the page URL as ?year=2023&through=3&scope=above.

Only periods the stored data covers are offered (see Ledger.ytd_months); a URL asking for one
that does not exist falls back to the latest that does, never to an empty or zero-filled view.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from .labels import PERIOD_FALLBACK, SCOPE_WHOLES
from .periods import Period

SCOPES = {"all": "全部企业", "above": "规上企业"}
_SPAN_NAMES = {3: "一季度", 6: "上半年", 9: "前三季度", 12: "全年"}


@dataclass(frozen=True)
class Selection:
    period: Period  # months 1..through of the chosen year
    above_only: bool

    @property
    def scope_code(self) -> str:
        return "above" if self.above_only else "all"

    @property
    def scope(self) -> str:
        """全部企业 / 规上企业."""
        return SCOPES[self.scope_code]

    @property
    def whole(self) -> str:
        """What the figures of the scope are the whole of: 全镇, or 规上 (规上增长, 占规上增量)."""
        return SCOPE_WHOLES[self.scope_code]

    @property
    def when(self) -> str:
        """2023年1-3月."""
        return self.period.label()

    def heading(self) -> str:
        """What every page title carries: 2023年1-3月 · 规上企业."""
        return f"{self.when} · {self.scope}"

    def params(self) -> dict[str, str]:
        """The selection as URL query parameters."""
        return {"year": str(self.period.year), "through": str(self.period.last), "scope": self.scope_code}


class Available(Mapping):
    """{year: its months with data, ascending} over the years with stored figures, where a year's
    months are found only when asked for (a county's database holds many years; a page needs one)."""

    def __init__(self, years, months_of: Callable[[int], list[int]]):
        self._years = sorted(int(y) for y in years)
        self._months_of = months_of
        self._found: dict[int, list[int]] = {}

    def __getitem__(self, year) -> list[int]:
        if year not in self._years:
            raise KeyError(year)
        if year not in self._found:
            self._found[year] = list(self._months_of(year))
        return self._found[year]

    def __iter__(self) -> Iterator[int]:
        return iter(self._years)

    def __len__(self) -> int:
        return len(self._years)


def through_label(months: int) -> str:
    """截至 as leaders say it: 1月, 1-3月（一季度）, 1-10月."""
    text = "1月" if months == 1 else f"1-{months}月"
    return f"{text}（{_SPAN_NAMES[months]}）" if months in _SPAN_NAMES else text


def choose_selection(available: Mapping[int, list[int]], year=None, through=None,
                     scope=None) -> Selection | None:
    """The selection asked for (values as typed in a URL or kept in a session), made valid:
    an unknown year → the latest year; a month without data → the latest month that has data in
    that year; an unknown scope → all enterprises. None when there is no data at all.

    `available` maps each year to its months with data (Ledger.ytd_months), ascending; only the
    chosen year's months are looked at (and the latest years', when it has none).
    """
    chosen_year = _as_int(year)
    if chosen_year not in available or not available[chosen_year]:
        chosen_year = next((y for y in sorted(available, reverse=True) if available[y]), None)
        if chosen_year is None:
            return None
    months = available[chosen_year]
    chosen_through = _as_int(through)
    if chosen_through not in months:
        chosen_through = months[-1]
    return Selection(Period.ytd(chosen_year, chosen_through), scope == "above")


def describe_fallback(asked: Mapping, selection: Selection, where: str) -> str | None:
    """Why the period shown is not the one `asked` for ({"year": "2024", "through": "8"}, as typed
    in a URL), for the reader: 腊口镇没有2024年1-8月的数据，显示的是2024年1-9月。 None when nothing
    was asked, when the period shown is the one asked for, or when the month asked is no month."""
    year, through = _as_int(asked.get("year")), _as_int(asked.get("through"))
    shown = selection.period
    if year is None or (year == shown.year and (through is None or through == shown.last)):
        return None
    if through is not None and 1 <= through <= 12:
        wanted = Period.ytd(year, through).label()
    elif year != shown.year:
        wanted = f"{year}年"
    else:
        return None
    return PERIOD_FALLBACK.format(where=where, asked=wanted, shown=selection.when)


def choose_evaluation_year(years, asked) -> int | None:
    """The 亩均效益评价 year shown for the selection's year `asked` (as typed in a URL or kept in a
    session), among `years` (those with evaluation data): that year when it has data, else the
    latest year before it that has (a county rates 2023 during 2024), else the latest; None when
    no year has data."""
    if not years:
        return None
    wanted = parse_year(asked)
    if wanted in years:
        return wanted
    return max([y for y in years if wanted is not None and y < wanted] or years)


def parse_year(value) -> int | None:
    """A year as typed in a URL or kept in a session ("2023"); None when it is no number."""
    return _as_int(value)


def selection_from_params(params: Mapping[str, str], available: Mapping[int, list[int]]) -> Selection | None:
    """The selection a URL's query parameters ask for, made valid (see choose_selection)."""
    return choose_selection(available, params.get("year"), params.get("through"), params.get("scope"))


def describe_coverage(months: list[int], year: int) -> str:
    """How far a year's data goes, for the reader: 2024年数据已到10月（可选1-3、1-6、1-9、1-10月）."""
    if not months:
        return f"{year}年还没有数据"
    return f"{year}年数据已到{months[-1]}月（可选截至{'、'.join(str(m) for m in months)}月）"


def months_needed(spans, through: int) -> list[int]:
    """The months 1..`through` that none of the stored `spans` (Periods) covers: what a year to
    date through `through` still needs (1-9 when only 10月 is stored)."""
    covered = {m for p in spans for m in range(p.first, p.last + 1)}
    return [m for m in range(1, through + 1) if m not in covered]


def describe_months(months: list[int]) -> str:
    """Months as staff write them, runs joined: [1..9] → 1-9月, [1, 2, 5] → 1-2、5月."""
    runs: list[list[int]] = []
    for m in months:
        if runs and m == runs[-1][-1] + 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    return "、".join(f"{r[0]}" if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs) + "月"


def _as_int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None
