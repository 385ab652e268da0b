"""以电核产: the 供电所's monthly electricity beside the reported output, the town's independent
check on it.

Electricity is stored in spans like output (monthly, or 1-N月 year to date, with or without the
sheet's 上年同期), so it is derived by the output's own ledger (`compute.ledger.Ledger`) and its
同比 is on the output's comparable basis (`metrics.compute_enterprise_figures`): an enterprise's
base is its sheet's 上年同期, else its stored electricity of the same months last year; one with
no electricity last year (while last year is stored) has a base of 0 and no growth of its own.
Amounts are in 万千瓦时, rates and gaps fractions (0.25 = 25个百分点).

An enterprise whose output 同比 and electricity 同比 over the same months differ by at least
`[electricity] divergence_points` 百分点 is listed (`find_divergences`): output rising while power
falls, or the reverse, is the first thing to ask it about. One without either growth is not judged.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..domain.numbers import count_units
from ..domain.periods import Period
from .ledger import ENTERPRISE_COLUMNS, Ledger
from .metrics import LEVEL_ORDER, Aggregate, compute_aggregate, compute_enterprise_figures, select_scope

DEFAULT_DIVERGENCE_POINTS = 20.0
DIVERGENCE_RULE = "divergence"  # the warning's rule (labels.WARNING_RULES names it)
DIVERGENCE_LEVEL = "橙"  # a figure to check with the enterprise, not a fall in itself
FIGURE_COLUMNS = ["enterprise_id", "name", "sector", "above_scale", "value_10k_kwh", "prior_10k_kwh",
                  "base_source", "yoy"]
DIVERGENCE_COLUMNS = ["enterprise_id", "name", "sector", "output_yoy", "power_yoy", "gap"]
_PERCENT_PLACES = 3  # a rate is shown as a percentage with one decimal: 0.001


@dataclass(frozen=True)
class ElectricitySettings:
    """[electricity] of the settings file."""

    divergence_points: float = DEFAULT_DIVERGENCE_POINTS  # 百分点 (20 = 20个百分点)


def electricity_ledger(rows: pd.DataFrame) -> Ledger:
    """A ledger over stored electricity spans (store.load_electricity: enterprise_id, name, sector,
    above_scale, year, first_month, last_month, value_10k_kwh, prior_10k_kwh), deriving any span
    of months as the output's ledger does. Its `value_10k`/`prior_10k` hold 万千瓦时."""
    observations = rows.rename(columns={"value_10k_kwh": "value_10k", "prior_10k_kwh": "prior_10k"})
    for column in ENTERPRISE_COLUMNS:
        if column not in observations:
            observations[column] = math.nan
    return Ledger(observations)


def compute_electricity_figures(ledger: Ledger, period: Period) -> pd.DataFrame:
    """One row per enterprise with electricity for `period` (FIGURE_COLUMNS): 万千瓦时, its
    comparable base (NaN when last year is not stored at all; 0 for an enterprise new to it) and
    同比 (NaN without a base above 0)."""
    figures = compute_enterprise_figures(ledger, period)
    return figures.rename(columns={"value_10k": "value_10k_kwh", "prior_10k": "prior_10k_kwh"})[FIGURE_COLUMNS]


def find_divergences(output: pd.DataFrame, power: pd.DataFrame,
                     points: float = DEFAULT_DIVERGENCE_POINTS) -> pd.DataFrame:
    """Enterprises whose output 同比 and electricity 同比 over the same months differ by at least
    `points` 百分点, each growth as shown (a percentage with one decimal), so the gap is what a reader
    works out from the two: +15.0% beside −5.0% is 20.0 points, and meets 20.

    `output` has enterprise_id, name, sector and yoy (metrics.compute_enterprise_figures); `power`
    enterprise_id and yoy (compute_electricity_figures) of the same period. An enterprise without
    either growth (no figure, a new enterprise, a base of 0) is not judged. Returns
    DIVERGENCE_COLUMNS (gap = output − power, a fraction as shown), the widest gap first."""
    power_yoy = pd.to_numeric(power.set_index("enterprise_id").yoy, errors="coerce")
    found = output[["enterprise_id", "name", "sector"]].copy()
    found["output_yoy"] = pd.to_numeric(output.yoy, errors="coerce").to_numpy(dtype=float)
    found["power_yoy"] = power_yoy.reindex(output.enterprise_id).to_numpy(dtype=float)
    gap_units = count_units(found.output_yoy, _PERCENT_PLACES) - count_units(found.power_yoy, _PERCENT_PLACES)
    found["gap"] = gap_units / 10 ** _PERCENT_PLACES
    judged = ~np.isnan(gap_units)  # NaN where either growth is missing
    # 百分点 in the tenths of a point of count_units (20 → 200), without float noise (20.3 → 203)
    threshold = round(points * 10 ** (_PERCENT_PLACES - 2), 6)
    hit = judged & (np.abs(np.nan_to_num(gap_units)) >= threshold)
    found = found[hit]
    order = np.lexsort((found.name.astype(str).to_numpy(), -np.abs(found.gap.to_numpy())))
    return found.iloc[order][DIVERGENCE_COLUMNS].reset_index(drop=True)


def divergence_warnings(divergences: pd.DataFrame) -> pd.DataFrame:
    """The divergences as warning rows (the columns of metrics.compute_warnings, with power_yoy):
    rule DIVERGENCE_RULE, level DIVERGENCE_LEVEL, value the output 同比, power_yoy the electricity 同比."""
    n = len(divergences)
    return pd.DataFrame({
        "enterprise_id": divergences.enterprise_id.to_numpy(), "name": divergences.name.to_numpy(),
        "sector": divergences.sector.to_numpy(), "level": np.full(n, DIVERGENCE_LEVEL, dtype=object),
        "rule": np.full(n, DIVERGENCE_RULE, dtype=object), "value": divergences.output_yoy.to_numpy(dtype=float),
        "usual": np.full(n, math.nan), "usual_from": np.full(n, None, dtype=object),
        "power_yoy": divergences.power_yoy.to_numpy(dtype=float)})


def add_divergence_warnings(warnings: pd.DataFrame, divergences: pd.DataFrame | None) -> pd.DataFrame:
    """`warnings` (metrics.compute_warnings) with the divergences among them, each after the others
    of its level (the levels stay most severe first), and a power_yoy column (NaN for other rules)."""
    if "power_yoy" not in warnings:
        warnings = warnings.assign(power_yoy=math.nan)
    if divergences is None or divergences.empty:
        return warnings
    joined = pd.concat([warnings, divergence_warnings(divergences)], ignore_index=True)
    rank = joined.level.map(LEVEL_ORDER).to_numpy()
    return joined.iloc[np.argsort(rank, kind="stable")].reset_index(drop=True)


@dataclass(frozen=True)
class Electricity:
    """A year's electricity through a period: per enterprise for the year to date and the period
    alone (当季/当月, the output's), and the enterprises whose output and electricity diverge over
    the year to date. `figures` is empty when the stored electricity does not reach the period
    (`months_loaded` says how far it goes)."""

    period: Period
    alone: Period
    figures: pd.DataFrame
    alone_figures: pd.DataFrame
    months_loaded: int
    divergences: pd.DataFrame
    settings: ElectricitySettings = field(default_factory=ElectricitySettings)

    @property
    def covered(self) -> bool:
        """Whether any enterprise has electricity for the whole year to date."""
        return not self.figures.empty

    def total(self, above_only: bool = False) -> Aggregate | None:
        """The year to date's electricity of the scope on the comparable basis (value, base, 同比; in
        万千瓦时); None when no enterprise of the scope has it."""
        return _aggregate(select_scope(self.figures, above_only))

    def alone_total(self, above_only: bool = False) -> Aggregate | None:
        """The period alone's electricity of the scope (当季/当月); None when unknown."""
        return _aggregate(select_scope(self.alone_figures, above_only))


def _aggregate(figures: pd.DataFrame) -> Aggregate | None:
    if figures.empty:
        return None
    return compute_aggregate(figures.rename(columns={"value_10k_kwh": "value_10k", "prior_10k_kwh": "prior_10k"}))


def compute_electricity(ledger: Ledger, period: Period, alone: Period, output_figures: pd.DataFrame,
                        settings: ElectricitySettings = ElectricitySettings()) -> Electricity | None:
    """The year's electricity through `period` (a year to date) and for `alone` (the output's
    当季/当月), and the enterprises of `output_figures` (the output's year to date,
    compute_enterprise_figures) whose growth diverges from their electricity's over the same
    months. None when no electricity is stored for the year."""
    if ledger.year(period.year) is None:
        return None
    figures = _as_output_scale(compute_electricity_figures(ledger, period), output_figures)
    alone_figures = _as_output_scale(compute_electricity_figures(ledger, alone), output_figures)
    return Electricity(period, alone, figures, alone_figures, ledger.months_loaded(period.year),
                       find_divergences(output_figures, figures, settings.divergence_points), settings)


def _as_output_scale(figures: pd.DataFrame, output_figures: pd.DataFrame) -> pd.DataFrame:
    """`figures` with each enterprise's 规上 flag as its output reports it for the period (where it
    has one; else the register's), so 规上 electricity is that of the 规上 output's enterprises."""
    if "above_scale" not in output_figures or output_figures.empty:
        return figures
    reported = output_figures.set_index("enterprise_id").above_scale.astype("boolean")
    flags = reported.reindex(figures.enterprise_id).to_numpy()
    own = figures.above_scale.astype("boolean").to_numpy()
    return figures.assign(above_scale=pd.array(np.where(pd.isna(flags), own, flags), dtype="boolean"))
