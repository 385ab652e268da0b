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

from ..domain import labels
from ..domain.numbers import format_percent, is_missing
from ..domain.periods import Period
from ..domain.sectors import SECTOR_NAMES
from .metrics import Ledger, compute_aggregate, compute_breakdown, compute_enterprise_ranking, compute_pull

# An enterprise giving at least OUTSIZED_SHARE of the town's increase, and at least
# CONCENTRATION_OVER_WEIGHT times its share of last year's output, is an outsized contributor; the
# new plants (no 上年同期: all their output is increase, and they weigh nothing) count as one, and
# are outsized together when together they give OUTSIZED_SHARE. The growth is "concentrated" when
# the outsized contributors give at least CONCENTRATION_SHARE of the increase: the growth without
# all of them is then stated (never without one plant while another, as new, stays in).
# (Two equal enterprises growing alike each give half the increase and weigh half: not outsized.)
OUTSIZED_SHARE = 0.2
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
    leaders: list[Mover] = field(default_factory=list)  # enterprises with a 上年同期, largest increase first
    laggards: list[Mover] = field(default_factory=list)  # enterprises, largest decrease first
    dominant: list[Mover] = field(default_factory=list)  # every outsized contributor, new plants included
    growth_without: float | None = None  # the town's growth without `dominant`
    new: list[Mover] = field(default_factory=list)  # new enterprises (no 上年同期), largest output first
    new_increase: float = 0.0  # their output, all of it increase, 万元
    new_pull: float | None = None  # the points of the town's growth they give (as a fraction)
    growth_existing: float | None = None  # the growth without them (存量企业); None without new ones

    @property
    def dominant_share(self) -> float | None:
        """The share of the town's increase that `dominant` gives; None without one."""
        if not self.dominant or not self.increase:
            return None
        return sum(m.increase for m in self.dominant) / self.increase

    @property
    def new_contribution(self) -> float | None:
        """The new enterprises' share of the town's increase; None when the town did not grow."""
        return self.new_increase / self.increase if self.new and self.increase and self.increase > 0 else None

    @property
    def dominant_is_new(self) -> bool:
        """Whether the outsized contributors are exactly the new enterprises (then said once, as 新投产)."""
        return bool(self.dominant) and sorted(m.name for m in self.dominant) == sorted(m.name for m in self.new)


def compute_drivers(figures: pd.DataFrame, top: int = 3) -> Drivers:
    """Drivers of the change of the enterprises in `figures` (year to date, comparable basis):
    sectors; the new enterprises (no 上年同期, 新投产) apart from the others, with the growth
    without them; leaders and laggards among the others; every outsized contributor, with the
    growth without all of them. Empty lists and None where the base is unknown or the town did not
    change."""
    total = compute_aggregate(figures)
    if total.increase is None or total.prior in (None, 0):
        return Drivers(total.increase, total.yoy)
    sectors = compute_breakdown(figures)
    known = sectors.dropna(subset=["increase_10k"])
    movers = [Mover(SECTOR_NAMES[r.sector], float(r.increase_10k), _none(r.contribution), _none(r.pull))
              for r in known.itertuples()]
    ranked = compute_enterprise_ranking(figures).dropna(subset=["increase_10k"])
    is_new = (ranked.prior_10k == 0).to_numpy()  # no 上年同期: all of its output is increase
    rising, falling = (ranked.increase_10k > 0).to_numpy(), (ranked.increase_10k < 0).to_numpy()
    new = ranked[is_new]
    dominant, without = _outsized(ranked, figures, total.increase, total.prior)
    # Only the first few of each side are told: sorted by whole columns, stable like sorted(),
    # before any Mover is made.
    return Drivers(
        total.increase, total.yoy,
        sorted((m for m in movers if m.increase > 0), key=lambda m: -m.increase),
        sorted((m for m in movers if m.increase < 0), key=lambda m: m.increase),
        _movers(ranked[~is_new & rising], -1, top), _movers(ranked[falling], 1, top), dominant, without,
        _movers(new, -1, len(new)), total.new_value, compute_pull(total.new_value, total.prior) if len(new) else None,
        total.existing_yoy if len(new) else None)


def _outsized(ranked: pd.DataFrame, figures: pd.DataFrame, town_increase: float,
              town_prior: float) -> tuple[list[Mover], float | None]:
    """The outsized contributors, largest increase first (see OUTSIZED_SHARE: every existing
    enterprise that is, and all the new plants when together they are), when together they give at
    least CONCENTRATION_SHARE of the town's increase (only when the town grew); and the town's
    growth without all of them."""
    if town_increase <= 0:
        return [], None
    increase = ranked.increase_10k.to_numpy(dtype=float)
    prior = ranked.prior_10k.to_numpy(dtype=float)
    new = prior == 0
    outsized = ~new & (increase >= OUTSIZED_SHARE * town_increase) & (
        increase / town_increase >= CONCENTRATION_OVER_WEIGHT * prior / town_prior)
    if increase[new].sum() >= OUTSIZED_SHARE * town_increase:
        outsized |= new
    chosen = ranked[outsized]
    if chosen.empty or chosen.increase_10k.sum() < CONCENTRATION_SHARE * town_increase:
        return [], None
    rest = figures[~figures.enterprise_id.isin(set(chosen.enterprise_id))]
    return _movers(chosen, -1, len(chosen)), compute_aggregate(rest).yoy


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
    missing: int = 0  # expected enterprises without a figure: the projection covers those reported

    @property
    def method(self) -> str:
        """The method and its assumption, in the words of a briefing."""
        years = "、".join(f"{y}年" for y in sorted(self.years_used))
        return (f"按{years}1-{self.through}月产值占全年的平均比重（{format_percent(self.share)}）推算，"
                "假定其余月份保持往年的季节规律")


def project_full_year(ledger: Ledger, year: int, through: int, enterprise_ids, history: int = 3,
                      missing: int = 0) -> Projection:
    """Full-year output of these enterprises: year to date ÷ the average share that months
    1..through held of the full year in up to `history` earlier years, over the same enterprises
    where they reported. No projection (value None, with the reason) for a full year, when this
    year's year to date is unknown, or when no earlier year has both figures. `missing` expected
    enterprises have not reported: a full year is then not yet complete, and says so."""
    if through >= 12:
        reason = labels.PROJECTION_YEAR_INCOMPLETE.format(n=missing) if missing else labels.PROJECTION_YEAR_COMPLETE
        return Projection(year, through, None, None, reason=reason, missing=missing)
    ids = [int(e) for e in enterprise_ids]
    now = ledger.total(ids, Period.ytd(year, through))
    if now is None:
        return Projection(year, through, None, None, reason=f"{year}年1-{through}月没有数据", missing=missing)
    shares, used = [], []
    for earlier in range(year - 1, year - 1 - history, -1):
        part = ledger.total(ids, Period.ytd(earlier, through))
        whole = ledger.total(ids, Period.ytd(earlier, 12))
        if part and whole:
            shares.append(part / whole)
            used.append(earlier)
    if not shares:
        return Projection(year, through, None, None,
                          reason="此前年份没有同期和全年数据，无法按季节规律推算全年", missing=missing)
    share = sum(shares) / len(shares)
    return Projection(year, through, now / share, share, tuple(used), missing=missing)
