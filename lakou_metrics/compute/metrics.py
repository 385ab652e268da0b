"""Pure functions for what leaders talk about: growth, shares, contribution, pull, schedule.

Money is in 万元, rates are fractions (0.125 = 12.5%), percentage points are fractions too
(0.057 = 5.7个百分点). A rate whose base is 0 or missing is None, never inf or NaN.

Growth is on the comparable basis (同口径) the statistics office uses: the base of each enterprise
reporting now is its own 上年同期, from the sheet that carried it, else from its stored rows of
last year; an enterprise that did not report last year counts 0 there (when last year is known at
all: its rows are loaded, or this year's reports carry 上年同期 for the others). Enterprises that
reported last year but not now are left out.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..domain.numbers import count_units, difference_as_shown
from ..domain.numbers import is_missing as _missing
from ..domain.periods import Period
from ..domain.sectors import SECTOR_ORDER
from ..domain.style import LEVEL_NAMES
from .ledger import Ledger, lookup

# Where an enterprise's comparable base came from.
BASE_FROM_SHEET = "sheet"  # the report's own 上年同期 column
BASE_FROM_STORED = "stored"  # the enterprise's stored rows for the same months last year
BASE_NEW = "new"  # no rows last year although last year is loaded: counted as 0
BASE_UNKNOWN = "unknown"  # last year's period is not loaded at all


def compute_growth(current: float | None, base: float | None) -> float | None:
    """(current − base) / base; None when either is missing or the base is 0."""
    if _missing(current) or _missing(base) or base == 0:
        return None
    return (current - base) / base


def compute_share(part: float | None, whole: float | None) -> float | None:
    """part / whole (占比); None when the whole is 0 or missing."""
    if _missing(part) or _missing(whole) or whole == 0:
        return None
    return part / whole


def compute_contribution(part_increase: float | None, whole_increase: float | None) -> float | None:
    """贡献率: the part's increase / the whole's increase; None when the whole did not change."""
    return compute_share(part_increase, whole_increase)


def compute_pull(part_increase: float | None, whole_base: float | None) -> float | None:
    """拉动 in percentage points (as a fraction): the part's increase / the whole's base.

    The pulls of all parts add up to the whole's growth rate.
    """
    return compute_share(part_increase, whole_base)


def compute_schedule(months_elapsed: int) -> float:
    """序时进度: the elapsed share of the year, months / 12 (end of Q1 = 0.25)."""
    if not 0 <= months_elapsed <= 12:
        raise ValueError(months_elapsed)
    return months_elapsed / 12


def compute_completion(actual: float | None, target: float | None) -> float | None:
    """完成率 = actual / annual target; None when the target is 0 or missing."""
    return compute_share(actual, target)


def compute_schedule_gap(completion: float | None, schedule: float | None) -> float | None:
    """超/欠序时进度 in percentage points (fraction): completion − schedule, each as shown (a
    percentage with one decimal, rounded half up), so the gap is what a reader computes from the
    two figures beside it: 54.75% (shown 54.8%) at 50.0% is 0.048 (4.8个百分点), not 0.0475.
    None when either is missing."""
    return difference_as_shown(completion, schedule)


def compute_required_growth(target: float | None, actual: float | None,
                            prior_rest_of_year: float | None) -> float | None:
    """The growth the remaining months need against the same months last year to reach the target.

    (target − actual) / prior_rest_of_year − 1; None when last year's remaining months are unknown
    or 0, or when no months remain.
    """
    if _missing(target) or _missing(actual):
        return None
    return compute_growth(target - actual, prior_rest_of_year)


@dataclass(frozen=True)
class Reporting:
    """Who has reported for a period: of the enterprises expected (those with any figure this
    year or last, less the new ones that open after the period), which have a figure for it. For a
    year to date an enterprise has reported when its every month is known (a new one's from the
    month it opened), so the pages, the briefing and the 报送情况 tab count alike. A total over
    `reported` is not the town's total while `missing` is not empty."""

    period: Period
    reported: tuple[int, ...]
    missing: tuple[int, ...]
    missing_names: tuple[str, ...] = ()
    missing_months: tuple[tuple[int, ...], ...] = ()  # of each missing enterprise, the months it still owes

    @property
    def expected(self) -> int:
        return len(self.reported) + len(self.missing)

    @property
    def complete(self) -> bool:
        return not self.missing

    def describe(self) -> str:
        """本期已报送 38/40 家."""
        return f"已报送 {len(self.reported)}/{self.expected} 家"


def compute_reporting(ledger: Ledger, period: Period) -> Reporting:
    """Which expected enterprises have a figure for `period` (a month, a quarter or a year to
    date). Expected: every enterprise with a figure in the period's year or the year before,
    except a new enterprise that opens after the period (Ledger.expected)."""
    expected = ledger.expected(period)
    reported = set(ledger.reporting(period))
    missing = tuple(e for e in expected if e not in reported)
    names = ledger.enterprises.name.reindex(list(missing)) if missing else pd.Series(dtype=object)
    return Reporting(period, tuple(e for e in expected if e in reported), missing,
                     tuple(str(e if _missing(n) else n) for e, n in zip(missing, names)),
                     tuple(tuple(ledger.months_missing(e, period)) for e in missing))


@dataclass(frozen=True)
class StoredSpan:
    """A span of months as stored (a month, a quarter, 1-N月 …): how many enterprises have a figure
    for it, and their total (万元)."""

    period: Period
    enterprises: int
    value_10k: float


def compute_stored_spans(ledger: Ledger, year: int) -> list[StoredSpan]:
    """Each span of months stored for `year`, in month order, with the enterprises that have a
    figure for it and their total: what a town holds, said plainly when no year to date (1-N月)
    can be derived from it yet. Empty when the year holds nothing."""
    spans = ledger.year(year)
    if spans is None:
        return []
    found = []
    for first, last in spans.stored_spans():
        period = Period(year, first, last)
        ids = ledger.reporting(period)
        found.append(StoredSpan(period, len(ids), ledger.total(ids, period)))
    return found


def compute_enterprise_figures(ledger: Ledger, period: Period) -> pd.DataFrame:
    """One row per enterprise reporting for `period`, with its comparable bases.

    Columns: enterprise_id, name, credit_code, sector, contact, above_scale, value_10k,
    prior_10k (同比 base, NaN when unknown), base_source, previous_10k (环比 base: the span of
    equal length just before, NaN when unknown), yoy, mom.
    """
    ids, value, sheet_prior = ledger.derive_arrays(period)
    stored_ids, stored_value, _ = ledger.derive_arrays(period.shifted_year(-1))
    stored = lookup(stored_ids, stored_value, ids)
    # Last year counts as known when its rows are loaded, or when the reports themselves carry a
    # 上年同期 column: an enterprise left blank there did not produce last year.
    prior_loaded = bool(len(stored_ids)) or bool((~np.isnan(sheet_prior)).any())
    from_sheet, from_store = ~np.isnan(sheet_prior), ~np.isnan(stored)
    prior = np.where(from_sheet, sheet_prior, stored)
    source = np.where(from_sheet, BASE_FROM_SHEET, np.where(from_store, BASE_FROM_STORED,
                                                            BASE_NEW if prior_loaded else BASE_UNKNOWN))
    if prior_loaded:
        prior = np.where(np.isnan(prior), 0.0, prior)
    previous = np.full(len(ids), math.nan)
    if period.previous() is not None:
        before_ids, before_value, _ = ledger.derive_arrays(period.previous())
        previous = lookup(before_ids, before_value, ids)
        if len(before_ids):
            previous = np.where(np.isnan(previous), 0.0, previous)
    frame = pd.DataFrame({"enterprise_id": ids, "value_10k": value, "prior_10k": prior,
                          "base_source": pd.array(source, dtype=object), "previous_10k": previous})
    register = ledger.enterprises.reindex(ids)
    for column in register.columns:
        frame[column] = register[column].to_numpy()
    frame["above_scale"] = ledger.above_scale_all(period).reindex(ids).to_numpy()
    frame["above_scale"] = frame["above_scale"].astype("boolean")
    frame["yoy"] = _growth(frame.value_10k, frame.prior_10k)
    frame["mom"] = _growth(frame.value_10k, frame.previous_10k)
    return frame


def _growth(current: pd.Series, base: pd.Series) -> pd.Series:
    """compute_growth of whole columns: NaN where the base is missing or 0."""
    usable = base.notna() & (base != 0) & current.notna()
    return ((current - base) / base.where(usable)).where(usable)


def _shares(parts: pd.Series, whole: float | None) -> pd.Series:
    """compute_share of a whole column against one whole: NaN where it has none."""
    if _missing(whole) or whole == 0:
        return pd.Series(math.nan, index=parts.index)
    return parts / whole


@dataclass(frozen=True)
class Aggregate:
    """A total on the comparable basis. `prior` sums the bases that are known; `yoy` compares it
    with the current output of the same enterprises. The new enterprises (新投产: a known base of 0,
    no 上年同期) are in it with their whole output as increase; `existing_yoy` is the growth of the
    others (存量企业), which 同比 stays comparable with."""

    value: float
    prior: float | None
    yoy: float | None
    increase: float | None  # value − prior over the comparable enterprises
    count: int
    comparable: int  # enterprises whose base is known
    new: int = 0  # enterprises with no 上年同期 (base 0)
    new_value: float = 0.0  # their output, 万元
    existing_yoy: float | None = None  # growth of the comparable enterprises with a 上年同期

    @property
    def new_share(self) -> float | None:
        """The new enterprises' share of the total; None without a total."""
        return compute_share(self.new_value, self.value)


def compute_aggregate(figures: pd.DataFrame, base: str = "prior_10k") -> Aggregate:
    """Total output, comparable base and growth of the enterprises in `figures`.

    `base` is the column compared against: prior_10k (同比) or previous_10k (环比).
    """
    known = figures[figures[base].notna()]
    value = float(figures.value_10k.sum())
    if known.empty:
        return Aggregate(value, None, None, None, len(figures), 0)
    prior = float(known[base].sum())
    comparable_value = float(known.value_10k.sum())
    bases, values = known[base], known.value_10k  # columns, not frames: a county has thousands of rows
    new = (bases == 0).to_numpy()
    return Aggregate(value, prior, compute_growth(comparable_value, prior), comparable_value - prior,
                     len(figures), len(known), int(new.sum()), float(values[new].sum()),
                     compute_growth(float(values[~new].sum()), float(bases[~new].sum())))


@dataclass(frozen=True)
class Estimate:
    """The missing enterprises of a total's scope and the total 含估算: each missing enterprise as
    its own figure for the same months last year × the comparable growth of the enterprises that
    reported (those with a 上年同期). Never mixed into the reported total: `reported` stays apart."""

    reported: float  # the reported enterprises' total, 万元
    missing: int  # expected enterprises of the scope without a figure: the total is provisional
    estimated: float | None  # the missing enterprises' estimate, 万元; None without a comparable growth
    growth: float | None  # the growth applied
    enterprises: int = 0  # missing enterprises estimated
    unestimated: int = 0  # missing enterprises with no figure for the same months last year

    @property
    def value(self) -> float | None:
        """The total 含估算, 万元; None when nothing could be estimated."""
        return None if self.estimated is None or not self.enterprises else self.reported + self.estimated


def compute_estimate(ledger: Ledger, reporting: Reporting | None, total: Aggregate,
                     above_only: bool = False) -> Estimate | None:
    """What `reporting` misses of `total`'s scope, with its estimate (Estimate); None when no
    enterprise of the scope is missing. With `above_only`, the missing enterprises last said to be
    规上 (by their rows this year, else last year)."""
    if reporting is None or reporting.complete:
        return None
    period = reporting.period
    missing = np.array(reporting.missing, dtype=np.int64)
    if above_only:
        flags = ledger.above_scale_all(period)
        flags = flags.combine_first(ledger.above_scale_all(Period.ytd(period.year - 1, 12)))
        missing = missing[flags.reindex(missing).fillna(False).to_numpy(dtype=bool)]
    if not len(missing):
        return None
    growth = total.existing_yoy
    if growth is None:
        return Estimate(total.value, len(missing), None, None, 0, len(missing))
    last_year = lookup(*ledger.derive_arrays(period.shifted_year(-1))[:2], missing)
    known = ~np.isnan(last_year)
    return Estimate(total.value, len(missing), float(last_year[known].sum()) * (1 + growth), growth,
                    int(known.sum()), int((~known).sum()))


def compute_breakdown(figures: pd.DataFrame, by: str = "sector") -> pd.DataFrame:
    """Per group (sector by default): value, prior, yoy, share, contribution and pull.

    Every sector appears (0 output where none reported), in the fixed sector order.
    """
    total = compute_aggregate(figures)
    rows = []
    groups = SECTOR_ORDER if by == "sector" else sorted(figures[by].dropna().unique())
    for key in groups:
        part = compute_aggregate(figures[figures[by] == key])
        rows.append({
            by: key, "value_10k": part.value, "prior_10k": part.prior, "yoy": part.yoy,
            "increase_10k": part.increase, "count": part.count,
            "share": compute_share(part.value, total.value),
            "contribution": compute_contribution(part.increase, total.increase),
            "pull": compute_pull(part.increase, total.prior),
        })
    return pd.DataFrame(rows)


def compute_enterprise_ranking(figures: pd.DataFrame, by: str = "value_10k", sector: str | None = None) -> pd.DataFrame:
    """Enterprises ranked (1 = first) by output, growth or contribution, with share, contribution
    and pull against the whole set. Enterprises without a rate rank last. With `sector`, only that
    sector's enterprises, ranked among themselves (share, contribution and pull stay the town's)."""
    total = compute_aggregate(figures)
    ranked = figures.copy()
    increase = ranked.value_10k - ranked.prior_10k
    ranked["increase_10k"] = increase
    ranked["share"] = _shares(ranked.value_10k, total.value)
    ranked["contribution"] = _shares(increase, total.increase)
    ranked["pull"] = _shares(increase, total.prior)
    key = pd.to_numeric(ranked[by], errors="coerce")
    ranked = ranked.assign(_key=key).sort_values(["_key", "name"], ascending=[False, True],
                                                 na_position="last").drop(columns="_key")
    if sector is not None:
        ranked = ranked[ranked.sector == sector]
    ranked["rank"] = range(1, len(ranked) + 1)
    return ranked.reset_index(drop=True)


@dataclass(frozen=True)
class WarningSettings:
    """Thresholds of the warning rules (fractions). Levels: 红 > 橙 > 蓝 > 绿."""

    decline_red: float = -0.20
    decline_orange: float = -0.10
    behind_red: float = -0.20  # completion − schedule
    behind_orange: float = -0.10
    behind_blue: float = -0.05
    swing_red: float = 1.00  # |本期环比 − 往年同期环比| (|环比| without earlier years)
    swing_orange: float = 0.50
    # An annual target behind its 序时进度 by less than this is 略欠 (orange), else 落后 (red).
    schedule_slightly_behind: float = -0.05


LEVEL_ORDER = {"红": 0, "橙": 1, "蓝": 2, "绿": 3}

# Where an enterprise's 往年同期环比 came from.
USUAL_FROM_ENTERPRISE = "enterprise"  # its own 环比 of the same months in earlier years
USUAL_FROM_TOWN = "town"  # it has none: the town's 环比 of those months
SEASON_YEARS = 3  # the earlier years a usual 环比 looks at: those the full-year projection reads
_PERCENT_PLACES = 3  # a fraction is shown as a percentage with one decimal: 0.001


def compute_usual_mom(ledger: Ledger, alone: Period, enterprise_ids, years: int = SEASON_YEARS) -> pd.DataFrame:
    """往年同期环比: the 环比 the same months (`alone`, a month or quarter, against the span before
    it) usually had, for each enterprise in `enterprise_ids`.

    For each of the `years` earlier years whose two spans are both within them (so 一季度 against
    the last quarter looks back one year less), the enterprise's own 环比 where it has both
    figures and a non-zero base, and a figure for the span before those too: a plant's first
    periods (it opened in the span before, or in the one compared) are its ramp-up, not its season;
    its usual 环比 is the **median** of those years' (two years: their
    mean; one year: that year's), so one odd year does not set it. An enterprise with no such year
    takes the town's: the median of the town's 环比 of those years, each over the enterprises that
    count for their own. Columns (in the order given): usual_mom (fraction, NaN when neither has any
    year), usual_from (USUAL_FROM_ENTERPRISE, USUAL_FROM_TOWN, or None)."""
    ids = np.asarray(enterprise_ids, dtype=np.int64)
    own, town = [], []
    for earlier in range(alone.year - 1, alone.year - 1 - years, -1):
        period = alone.shifted_year(earlier - alone.year)
        before = period.previous()
        if before is None or before.year < alone.year - years:
            continue
        now_ids, now_value, _ = ledger.derive_arrays(period)
        before_ids, before_value, _ = ledger.derive_arrays(before)
        if not len(now_ids) or not len(before_ids):
            continue
        base = lookup(before_ids, before_value, now_ids)
        earlier_span = before.previous()  # not asked beyond the years read (as `before` is not)
        running = (np.isin(now_ids, ledger.derive_arrays(earlier_span)[0])
                   if earlier_span is not None and earlier_span.year >= alone.year - years
                   else np.ones(len(now_ids), dtype=bool))
        both = ~np.isnan(base) & running
        rate = np.full(len(now_ids), math.nan)
        usable = both & (base != 0)
        rate[usable] = now_value[usable] / base[usable] - 1
        own.append(lookup(now_ids, rate, ids))
        town_base = float(base[both].sum())
        if town_base:
            town.append(float(now_value[both].sum()) / town_base - 1)
    usual = np.full(len(ids), math.nan)
    if own:
        rates = np.vstack(own)
        has = (~np.isnan(rates)).any(axis=0)
        usual[has] = np.nanmedian(rates[:, has], axis=0)
    source = np.where(~np.isnan(usual), USUAL_FROM_ENTERPRISE, None).astype(object)
    if town:
        source[np.isnan(usual)] = USUAL_FROM_TOWN
        usual[np.isnan(usual)] = float(np.median(town))
    return pd.DataFrame({"usual_mom": usual, "usual_from": source})


def compute_warnings(figures: pd.DataFrame, period_figures: pd.DataFrame | None = None,
                     enterprise_targets: dict[int, float] | None = None, months_elapsed: int = 12,
                     settings: WarningSettings = WarningSettings()) -> pd.DataFrame:
    """Warnings for enterprises: negative growth (year to date), behind their own target's
    schedule (with the whole year's figure, `months_elapsed` 12: missed_target, the same gap to
    100%), and abnormal swings of the period alone against the period before.

    Every rule judges a figure as it is shown (a percentage with one decimal, rounded half up), so
    a warning never contradicts its own text: a 同比 of −0.04% (shown 0.0%) is no decline.
    A swing is judged against the season: its deviation is 本期环比 − 往年同期环比 (the
    `usual_mom` column of `period_figures`, compute_usual_mom), in percentage points; where there
    is no usual 环比 (no column, or NaN), the 环比 itself, as before seasons were known.

    Returns columns: enterprise_id, name, sector, level, rule, value (the rate or gap; for a swing
    本期环比), usual (a swing's 往年同期环比, NaN when none and for other rules), usual_from
    (where that came from: USUAL_FROM_ENTERPRISE / USUAL_FROM_TOWN, None otherwise).
    """
    columns = ["enterprise_id", "name", "sector", "level", "rule", "value", "usual", "usual_from"]
    parts = []  # in the order the rules are read: each enterprise's decline, then its target; swings last
    yoy = pd.to_numeric(figures.yoy, errors="coerce")
    shown = _units(yoy)
    parts.append(_rule_rows(figures, shown < 0, "decline", yoy, 0,
                            _grade(shown, _units(settings.decline_red), _units(settings.decline_orange))))
    target = pd.to_numeric(figures.enterprise_id.map(enterprise_targets or {}), errors="coerce")
    usable = target.notna() & (target != 0) & figures.value_10k.notna()
    completion = (figures.value_10k / target.where(usable)).where(usable)
    gap_units = _units(completion) - _units(compute_schedule(months_elapsed))  # as compute_schedule_gap
    gap = pd.Series(gap_units / 10 ** _PERCENT_PLACES, index=figures.index)
    # With the whole year's figure there is no 序时 left to be behind: a target is met or missed.
    behind = "missed_target" if months_elapsed == 12 else "behind_target"
    parts.append(_rule_rows(figures, gap_units <= _units(settings.behind_blue), behind, gap, 1,
                            _grade(gap_units, _units(settings.behind_red), _units(settings.behind_orange))))
    if period_figures is not None:
        swing = pd.to_numeric(period_figures.mom, errors="coerce")
        usual = (pd.to_numeric(period_figures.usual_mom, errors="coerce") if "usual_mom" in period_figures
                 else pd.Series(math.nan, index=period_figures.index))
        size = np.abs(_units(swing) - np.nan_to_num(_units(usual)))  # in tenths of a point, as shown
        parts.append(_rule_rows(period_figures, size >= _units(settings.swing_orange), "swing", swing, 2,
                                np.where(size >= _units(settings.swing_red), "红", "橙"), offset=len(figures),
                                usual=usual, usual_from=period_figures.get("usual_from"),
                                size=size / 10 ** _PERCENT_PLACES))
    joined = {c: np.concatenate([p[c] for p in parts]) for c in parts[0]}
    read = np.lexsort((joined["_rule"], joined["_pos"]))  # the order the rules are read in
    # Most severe first: by level, then by how far the figure is off (a swing: from its season);
    # ties keep the reading order (lexsort is stable).
    rank = np.vectorize(LEVEL_ORDER.get, otypes=[int])(joined["level"]) if len(read) else np.zeros(0, int)
    order = read[np.lexsort((-joined["_size"][read], rank[read]))]
    return pd.DataFrame({c: joined[c][order] for c in columns})


def _units(values) -> np.ndarray:
    """Fractions as a reader sees them, in tenths of a percentage point (0.0475 → 48): whole
    numbers that compare exactly with a threshold as shown (−0.05 → −50)."""
    return count_units([values] if np.ndim(values) == 0 else values, _PERCENT_PLACES)


def _grade(shown: np.ndarray, red: np.ndarray, orange: np.ndarray) -> np.ndarray:
    """红 at or below `red`, 橙 at or below `orange`, else 蓝 (all in the units of _units)."""
    return np.where(shown <= red, "红", np.where(shown <= orange, "橙", "蓝"))


def _rule_rows(figures: pd.DataFrame, hit, rule: str, value: pd.Series, order: int, level,
               offset: int = 0, usual: pd.Series | None = None, usual_from=None,
               size: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The warnings of one rule as columns: the enterprises where `hit`, with their level, value
    (and a swing's usual value and its source), how far off they are (_size: |value| unless
    given), and their place in the reading order (_pos, _rule)."""
    where = np.flatnonzero(np.asarray(hit, dtype=bool))  # comparisons with NaN are False: no hit
    values = value.to_numpy(dtype=float)
    n = len(where)
    return {"enterprise_id": figures.enterprise_id.to_numpy()[where], "name": figures.name.to_numpy()[where],
            "sector": figures.sector.to_numpy()[where], "level": np.asarray(level, dtype=object)[where],
            "rule": np.full(n, rule, dtype=object), "value": values[where],
            "usual": (np.full(n, math.nan) if usual is None else usual.to_numpy(dtype=float)[where]),
            "usual_from": (np.full(n, None, dtype=object) if usual_from is None
                           else np.asarray(usual_from, dtype=object)[where]),
            "_size": np.abs(values[where]) if size is None else np.asarray(size, dtype=float)[where],
            "_pos": where + offset, "_rule": np.full(n, order)}


@dataclass(frozen=True)
class WarningCount:
    """Warnings (条) and the enterprises they concern (家): never one in place of the other."""

    warnings: int
    enterprises: int
    by_level: dict[str, int]

    def describe(self) -> str:
        """预警31条，涉及企业21家（红色3条、橙色11条、蓝色17条）; 没有预警 when none."""
        if not self.warnings:
            return "没有预警"
        levels = "、".join(f"{LEVEL_NAMES[k]}{n}条" for k, n in self.by_level.items() if n)
        return f"预警{self.warnings}条，涉及企业{self.enterprises}家（{levels}）"


def count_warnings(warnings: pd.DataFrame) -> WarningCount:
    """How many warnings, of which level, and how many enterprises they concern."""
    counts = warnings.level.value_counts()
    return WarningCount(len(warnings), int(warnings.enterprise_id.nunique()),
                        {level: int(counts.get(level, 0)) for level in LEVEL_NAMES})


def compute_trend(ledger: Ledger, year: int, through: int, enterprise_ids=None,
                  granularity: str | None = None) -> pd.DataFrame:
    """Output of each month (or quarter) of `year` up to month `through`, beside the same months
    of the year before, for the given enterprises (all when None).

    Months when every enterprise's months can be derived, else quarters; a quarter in progress
    (through 10 → October alone) appears as 四季度（截至10月）, beside the same months of the year
    before. Returns columns: period
    (Period), label (1月 / 一季度), year, value_10k (NaN where nobody has data), and attrs
    {"granularity": "month" | "quarter"}.
    """
    ids = [int(e) for e in (enterprise_ids if enterprise_ids is not None else ledger.enterprises.index)]
    if granularity is None:
        wanted = np.array(ids, dtype=np.int64)
        months_ok = all(ledger.any_of(wanted, Period.month(year, m)) for m in range(1, through + 1)) if ids else False
        granularity = "month" if months_ok else "quarter"
    if granularity == "month":
        spans = [(m, m) for m in range(1, through + 1)]
    else:
        spans = [(q * 3 - 2, q * 3) for q in range(1, through // 3 + 1)]
        if through % 3:  # the quarter in progress, with the months it has so far
            spans.append((through - through % 3 + 1, through))
    rows = []
    for y in (year - 1, year):
        for first, last in spans:
            period = Period(y, first, last)
            value = ledger.total(ids, period)
            label = period.label_in_year() if granularity == "month" else _quarter_label(first, last)
            rows.append((period, label, y, math.nan if value is None else value))
    frame = pd.DataFrame(rows, columns=["period", "label", "year", "value_10k"])
    frame.attrs["granularity"] = granularity
    return frame


def _quarter_label(first: int, last: int) -> str:
    """一季度; a quarter in progress says how far it goes: 四季度（截至10月）."""
    name = ("一", "二", "三", "四")[(first - 1) // 3] + "季度"
    return name if last - first == 2 else f"{name}（截至{last}月）"


def select_scope(figures: pd.DataFrame, above_only: bool) -> pd.DataFrame:
    """Only 规上 enterprises (as reported for the period) when `above_only`; else all."""
    if not above_only:
        return figures
    return figures[figures.above_scale.fillna(False).astype(bool)]
