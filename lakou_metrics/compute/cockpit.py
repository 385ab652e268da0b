"""The cockpit row of 总览: what a leader asks before a meeting, each answered in one line — which
targets lag (worst first), how the key projects stand, where the town stands among its peers, and
the last few years' output and growth. Pure functions over what compute already gives (TargetRow,
ProjectBook, the county's YearToDate, the entered peer sheet, the ledger)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..domain import labels, style
from ..domain.numbers import difference_as_shown, round_half_up
from ..domain.periods import format_local_day, normalise_text
from ..domain.sectors import SECTOR_ORDER
from ..ingest.towns import town_key
from .county import county_ranking, is_tied
from .metrics import compute_aggregate
from .projects import ProjectBook
from .report import YearToDate
from .targets import TargetRow

# A target lags when it is behind schedule, short of its growth rate, or missed at the year's end.
LAGGING = (style.SLIGHTLY_BEHIND.code, style.BEHIND.code, style.GROWTH_SHORT.code, style.MISSED.code)


@dataclass(frozen=True)
class TargetsLine:
    """The year's targets: how many have a verdict, and those that lag, the widest gap first (a
    gap in points: 完成率 − 序时进度 of an amount, growth − target rate of a growth target)."""

    judged: int
    lagging: tuple[TargetRow, ...]


@dataclass(frozen=True)
class LateProject:
    name: str
    milestone: str
    days: int


@dataclass(frozen=True)
class ProjectsLine:
    """The year's 重点项目: how many are recorded, how many are on plan (ProjectBook.on_plan: no
    milestone late, started), how many wait for their planned start, the late ones (longest delay
    first) and those whose investment is behind 序时 by the warning threshold (name, gap as a
    fraction, widest first). `recorded` 0 means the year has none."""

    recorded: int
    on_plan: int
    late: tuple[LateProject, ...]
    waiting: int = 0
    behind: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class PeerLine:
    """Another town's output (万元) and 同比 (fraction), and the town's gap to it: `gap_10k` = ours −
    theirs, `gap_points` = our 同比 − theirs (as shown, a fraction); None where a figure is missing."""

    town: str
    value_10k: float | None
    yoy: float | None
    gap_10k: float | None
    gap_points: float | None


@dataclass(frozen=True)
class PeersLine:
    """The town against other towns. `source` "county": the towns of the same database, computed
    alike, with the town's `rank` among `ranked` towns by output; "entered": the comparison sheet
    staff loaded, with the file it came from and the day (YYYY-MM-DD) it was loaded; "none".
    `towns` counts the county's towns, those that have not reported the period included; `tied`
    says another town shares the town's rank."""

    source: str
    town: str
    value_10k: float | None
    yoy: float | None
    peers: tuple[PeerLine, ...] = ()
    rank: int | None = None
    ranked: int = 0
    file_name: str | None = None
    loaded_on: str | None = None
    towns: int = 0
    tied: bool = False


@dataclass(frozen=True)
class YearPoint:
    """One year's output of all enterprises (万元) through month `last` (12: the full year), with
    同比 on the comparable basis (None without a base)."""

    year: int
    last: int
    value_10k: float
    yoy: float | None


@dataclass(frozen=True)
class SectorFocus:
    """The sector 行业 opens on: `reason` "asked" (the reader's choice), "drags" (the most negative
    拉动 as shown, one decimal of a point) or "largest" (no sector drags: the largest output)."""

    sector: str
    reason: str
    pull: float | None = None


def choose_sector(breakdown: pd.DataFrame, asked: str | None = None) -> SectorFocus:
    """The sector to show first, from compute_breakdown's rows: `asked` when it names a sector,
    else the one whose 拉动 is the most negative (a pull that rounds to 0.0 drags nothing), else
    the largest by output (the first in SECTOR_ORDER when none has output)."""
    pulls = dict(zip(breakdown.sector, breakdown.pull))
    if asked in SECTOR_ORDER:
        return SectorFocus(asked, "asked", _number(pulls.get(asked)))
    shown = {s: round_half_up(p, 3) for s, p in pulls.items()}
    dragging = [s for s in SECTOR_ORDER if shown.get(s) is not None and shown[s] < 0]
    if dragging:
        worst = min(dragging, key=lambda s: pulls[s])  # min keeps the sector order among equals
        return SectorFocus(worst, "drags", float(pulls[worst]))
    values = dict(zip(breakdown.sector, breakdown.value_10k.fillna(0.0)))
    largest = max(SECTOR_ORDER, key=lambda s: values.get(s, 0.0))
    return SectorFocus(largest, "largest", _number(pulls.get(largest)))


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def summarise_targets(targets: list[TargetRow]) -> TargetsLine:
    """The targets with a verdict, and those lagging (style LAGGING), the widest gap first."""
    judged = [t for t in targets if t.status != style.UNKNOWN.code]
    lagging = sorted((t for t in judged if t.status in LAGGING),
                     key=lambda t: (t.gap if t.gap is not None else 0.0))
    return TargetsLine(len(judged), tuple(lagging))


def summarise_projects(book: ProjectBook | None) -> ProjectsLine:
    """How many of the year's projects are on plan, counted as the 重点项目 page and the briefing
    count them, the late ones with their first overdue milestone (longest delay first), and those
    whose investment is behind 序时 by the warning threshold."""
    if book is None or not book.recorded:
        return ProjectsLine(0, 0, ())
    late = tuple(LateProject(r.name, r.late_milestone, int(r.delay_days)) for r in book.late.itertuples())
    behind = tuple((r.name, float(r.gap)) for r in book.behind.itertuples())
    return ProjectsLine(len(book.table), book.on_plan, late, len(book.waiting), behind)


def compare_peers(ytd: YearToDate, county: dict[str, YearToDate] | None, entered: pd.DataFrame, *,
                  zone: dt.tzinfo) -> PeersLine:
    """The town (`ytd.town`) against the other towns, 温溪镇 first: against the towns of the same
    database with its rank by output when the database holds more than one with figures for the
    period (county_ranking), else against the entered comparison sheet (store.load_peer_figures:
    town, indicator, value, file_name, imported_at), else nothing. The sheet's rows of one town
    however written ("温溪", "温溪镇") are one peer, each figure the last loaded; the town's own row
    in the sheet is left out (it is compared with others, never with itself). The sheet's load day
    is the day in `zone` (the town's time zone, settings.load_timezone)."""
    town, value, yoy = ytd.town, ytd.total.value, ytd.total.yoy
    ranking = county_ranking(county) if county else None
    if ranking is not None and len(ranking) > 1 and town in set(ranking.town):
        others = ranking[ranking.town != town]
        peers = tuple(_peer(r.town, r.value_10k, r.yoy, value, yoy) for r in others.itertuples())
        rank = int(ranking.loc[ranking.town == town, "rank"].iloc[0])
        return PeersLine("county", town, value, yoy, _peer_first(peers), rank, len(ranking), towns=len(county),
                         tied=is_tied(ranking, town))
    others = _other_towns(entered, town)
    if others.empty:
        return PeersLine("none", town, value, yoy)
    peers = []
    for _, rows in others.groupby("key", sort=False):
        figures = dict(zip(rows.indicator, rows.value))  # the last loaded of each indicator
        written = [t for t in rows.town if town_key(t) != t]  # the name with its 镇 where a row has it
        peers.append(_peer((written or list(rows.town))[-1], figures.get("total_output"),
                           figures.get("total_output_growth"), value, yoy))
    latest = others.iloc[-1]
    return PeersLine("entered", town, value, yoy, _peer_first(tuple(peers)),
                     file_name=str(latest.file_name), loaded_on=format_local_day(latest.imported_at, zone))


def _other_towns(entered: pd.DataFrame | None, town: str) -> pd.DataFrame:
    """The entered sheet's rows of towns other than `town`, with each town's `key` (town_key), the
    earliest loaded first."""
    if entered is None or entered.empty:
        return pd.DataFrame(columns=["town", "indicator", "value", "file_name", "imported_at", "key"])
    keys = entered.town.map(lambda t: town_key(normalise_text(t)))
    others = entered.assign(key=keys)[keys != town_key(normalise_text(town))]
    return others.sort_values("imported_at", kind="stable")


def _peer(town: str, value, yoy, our_value, our_yoy) -> PeerLine:
    value = None if pd.isna(value) else float(value)
    yoy = None if yoy is None or pd.isna(yoy) else float(yoy)
    gap = None if value is None or our_value is None else our_value - value
    return PeerLine(town, value, yoy, gap, difference_as_shown(our_yoy, yoy))


def _peer_first(peers: tuple[PeerLine, ...]) -> tuple[PeerLine, ...]:
    """温溪镇 (the neighbour the speech compares with) first, the others in their order."""
    return tuple(sorted(peers, key=lambda p: p.town != labels.PEER_TOWN))


def compute_annual_trend(annual: pd.DataFrame, ytd: YearToDate, years: int = 5) -> list[YearPoint]:
    """Output and 同比 of the last `years` years with figures up to the period's year, oldest first:
    the period's year as the headline gives it (`ytd.total`), each earlier year through its last
    stored month (12 when complete) from `annual` (store.load_annual_spans: per year and
    enterprise, so no year's rows are read). 同比 is on the comparable basis, as the headline's:
    each enterprise against its sheet's 上年同期, else its own figure of the same months the year
    before (a new enterprise's base 0); where the year before ends at another month, only the
    sheets' 上年同期 give a base."""
    period = ytd.period
    known = sorted(int(y) for y in annual.year.unique() if y < period.year)[-(years - 1):] if years > 1 else []
    points = []
    for year in known:
        figures = _annual_figures(annual, year)
        agg = compute_aggregate(figures)
        if agg.count:
            points.append(YearPoint(year, int(annual.loc[annual.year == year, "year_last"].iloc[0]),
                                    agg.value, agg.yoy))
    if ytd.total.count:
        points.append(YearPoint(period.year, period.last, ytd.total.value, ytd.total.yoy))
    return points


def _annual_figures(annual: pd.DataFrame, year: int) -> pd.DataFrame:
    """Each enterprise's output of `year` through its last stored month, with the comparable base
    (value_10k, prior_10k), derived from the per-enterprise sums as the ledger derives a span:
    its row 1..last when it has one, else its spans when they cover its months without a gap (a
    month or a quarter each) from January, or from its first month when it is new (新投产)."""
    rows = annual[annual.year == year]
    before = annual[annual.year == year - 1]
    last = rows.year_last
    whole = (rows.ytd_rows > 0).to_numpy()
    covers = ((rows.last_month == last) & (rows.months == last - rows.first_month + 1)).to_numpy()
    # New: last year is stored, the enterprise has no figure in it, and no row carries a 上年同期 above 0.
    absent = ~rows.enterprise_id.isin(before.enterprise_id).to_numpy()
    new = (not before.empty) & absent & ~rows.prior_above_zero.to_numpy()
    counted = covers & ((rows.first_month == 1).to_numpy() | new)
    value = np.where(whole, rows.ytd_value_10k, np.where(counted, rows.value_10k, np.nan))
    all_priors = (rows.priors == rows.rows).to_numpy()
    sheet = np.where(whole, rows.ytd_prior_10k, np.where(counted & all_priors, rows.prior_10k, np.nan))
    prior_loaded = bool((~np.isnan(sheet)).any())
    stored = np.full(len(rows), np.nan)
    if not before.empty and int(before.year_last.iloc[0]) == int(last.iloc[0]):
        earlier = _annual_figures(annual, year - 1).dropna(subset=["value_10k"]).set_index("enterprise_id")
        stored = earlier.value_10k.reindex(rows.enterprise_id).to_numpy()
        prior_loaded = prior_loaded or bool(len(earlier))
    prior = np.where(np.isnan(sheet), stored, sheet)
    if prior_loaded:
        prior = np.where(np.isnan(prior), 0.0, prior)
    frame = pd.DataFrame({"enterprise_id": rows.enterprise_id.to_numpy(), "value_10k": value, "prior_10k": prior})
    return frame[frame.value_10k.notna()]
