"""What drives the change of the town's output, and where the year will end: the sectors and
enterprises that give the increase (their share of it and their points of pull) or drag it
down, how concentrated the growth is, and a full-year projection from the seasonal shape of
earlier years.

Money in 万元, rates and shares as fractions. Pure functions over frames of `metrics`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..domain.numbers import format_percent, is_missing
from ..domain.periods import Period
from ..domain.sectors import SECTOR_NAMES
from .metrics import Ledger, compute_aggregate, compute_breakdown, compute_enterprise_ranking

# One or two enterprises giving at least this share of the town's increase, and at least twice
# their share of last year's output, make the growth "concentrated": the growth without them is
# then stated. (Two equal enterprises growing alike each give half the increase: not concentrated.)
CONCENTRATION_SHARE = 0.4
CONCENTRATION_OVER_WEIGHT = 2.0


@dataclass(frozen=True)
class Mover:
    """A sector or an enterprise and what it gave the town's change."""

    name: str
    increase: float  # 万元, on the comparable basis
    contribution: float | None  # share of the town's increase
    pull: float | None  # points of the town's growth (as a fraction)


@dataclass(frozen=True)
class Drivers:
    increase: float | None  # the town's increase, 万元
    growth: float | None
    sectors_up: list[Mover] = field(default_factory=list)  # largest increase first
    sectors_down: list[Mover] = field(default_factory=list)
    leaders: list[Mover] = field(default_factory=list)  # enterprises, largest increase first
    laggards: list[Mover] = field(default_factory=list)  # enterprises, largest decrease first
    dominant: list[Mover] = field(default_factory=list)  # the one or two that dominate the increase
    growth_without: float | None = None  # the town's growth without `dominant`

    @property
    def dominant_share(self) -> float | None:
        """The share of the town's increase that `dominant` gives; None without one."""
        if not self.dominant or not self.increase:
            return None
        return sum(m.increase for m in self.dominant) / self.increase


def compute_drivers(figures: pd.DataFrame, top: int = 3) -> Drivers:
    """Drivers of the change of the enterprises in `figures` (year to date, comparable basis).
    Empty lists and None where the base is unknown or the town did not change."""
    total = compute_aggregate(figures)
    if total.increase is None or total.prior in (None, 0):
        return Drivers(total.increase, total.yoy)
    sectors = compute_breakdown(figures)
    known = sectors.dropna(subset=["increase_10k"])
    movers = [Mover(SECTOR_NAMES[r.sector], float(r.increase_10k), _none(r.contribution), _none(r.pull))
              for r in known.itertuples()]
    ranked = compute_enterprise_ranking(figures).dropna(subset=["increase_10k"])
    # Only the first few of each side are told (and two looked at for concentration): sorted by
    # whole columns, stable like sorted(), before any Mover is made.
    first = max(top, 2)
    up = _movers(ranked[ranked.increase_10k > 0], -1, first)
    down = _movers(ranked[ranked.increase_10k < 0], 1, first)
    priors = dict(zip(ranked.name, ranked.prior_10k))
    dominant = _dominant(up, total.increase, priors, total.prior)
    without = None
    if dominant:
        names = {m.name for m in dominant}
        rest = figures[~figures.name.isin(names)]
        without = compute_aggregate(rest).yoy
    return Drivers(
        total.increase, total.yoy,
        sorted((m for m in movers if m.increase > 0), key=lambda m: -m.increase),
        sorted((m for m in movers if m.increase < 0), key=lambda m: m.increase),
        up[:top], down[:top], dominant, without)


def _dominant(up: list[Mover], town_increase: float, priors: dict, town_prior: float) -> list[Mover]:
    """The one enterprise, else the two, whose increase is at least CONCENTRATION_SHARE of the
    town's and CONCENTRATION_OVER_WEIGHT times their weight in last year's output (only when the
    town grew)."""
    if town_increase <= 0 or not up:
        return []
    for count in (1, 2):
        chosen = up[:count]
        share = sum(m.increase for m in chosen) / town_increase
        weight = sum(priors.get(m.name) or 0.0 for m in chosen) / town_prior
        if share >= CONCENTRATION_SHARE and share >= CONCENTRATION_OVER_WEIGHT * weight:
            return chosen
    return []


def _movers(rows: pd.DataFrame, sign: int, count: int) -> list[Mover]:
    """The first `count` rows by sign × increase (ties keep their order), as Movers."""
    order = np.argsort(sign * rows.increase_10k.to_numpy(dtype=float), kind="stable")[:count]
    return [Mover(r.name, float(r.increase_10k), _none(r.contribution), _none(r.pull))
            for r in rows.iloc[order].itertuples()]


def _none(value):
    return None if is_missing(value) else float(value)


# -- where the year will end ------------------------------------------------------------------
@dataclass(frozen=True)
class Projection:
    """A full-year figure projected from the year to date and earlier years' seasonal shape."""

    year: int
    through: int
    value: float | None  # 万元; None when there is too little history (see `reason`)
    share: float | None  # the year to date's average share of a full year in the years used
    years_used: tuple[int, ...] = ()
    reason: str = ""  # why there is no projection

    @property
    def method(self) -> str:
        """The method and its assumption, in the words of a briefing."""
        years = "、".join(f"{y}年" for y in sorted(self.years_used))
        return (f"按{years}1-{self.through}月产值占全年的平均比重（{format_percent(self.share)}）推算，"
                "假定其余月份保持往年的季节规律")


def project_full_year(ledger: Ledger, year: int, through: int, enterprise_ids, history: int = 3) -> Projection:
    """Full-year output of these enterprises: year to date ÷ the average share that months
    1..through held of the full year in up to `history` earlier years, over the same enterprises
    where they reported. No projection (value None, with the reason) for a full year, when this
    year's year to date is unknown, or when no earlier year has both figures."""
    if through >= 12:
        return Projection(year, through, None, None, reason="全年数据已齐，无需推算")
    ids = [int(e) for e in enterprise_ids]
    now = ledger.total(ids, Period.ytd(year, through))
    if now is None:
        return Projection(year, through, None, None, reason=f"{year}年1-{through}月没有数据")
    shares, used = [], []
    for earlier in range(year - 1, year - 1 - history, -1):
        part = ledger.total(ids, Period.ytd(earlier, through))
        whole = ledger.total(ids, Period.ytd(earlier, 12))
        if part and whole:
            shares.append(part / whole)
            used.append(earlier)
    if not shares:
        return Projection(year, through, None, None,
                          reason="此前年份没有同期和全年数据，无法按季节规律推算全年")
    share = sum(shares) / len(shares)
    return Projection(year, through, now / share, share, tuple(used))
