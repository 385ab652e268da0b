"""The county view: every town of a shared database, side by side for one period. Each town's
figures are its own year to date (report.load_year_to_date, on the same comparable basis as its
dashboard); the county's total adds the towns' totals and compares them with the sum of their
comparable bases."""
from __future__ import annotations

import pandas as pd
from sqlalchemy.engine import Engine

from .. import store
from ..domain.numbers import round_half_up_array
from ..domain.periods import Period
from .metrics import Aggregate, compute_growth
from .report import YearToDate, load_year_to_date

RANKING_COLUMNS = ["town", "value_10k", "yoy", "above_10k", "above_yoy", "target", "target_completion", "schedule",
                   "reported", "expected", "rank"]


def load_county(engine: Engine, period: Period, **kwargs) -> dict[str, YearToDate]:
    """Every town's year to date through the period (kwargs as load_year_to_date's; no full-year
    projection or 往年同期进度, which a ranking does not show)."""
    return {town: load_year_to_date(store.for_town(engine, town), period, projection=False, seasons=False,
                                    **kwargs)[0]
            for town in store.list_towns(engine)}


def county_ranking(years: dict[str, YearToDate]) -> pd.DataFrame:
    """One row per town with figures for the period, ranked by output: value_10k and yoy (all
    enterprises), above_10k and above_yoy (规上), the town's output `target` (its TargetRow, whose
    verdict the page words: a growth target is judged as growth), the target_completion of an amount
    target and the 序时进度 it is judged against before the year's end (None where the town set
    none, for a growth target, and 序时进度 at the year's end), and how many of its expected
    enterprises reported. Towns without figures for the period are left out (`missing_towns`).
    `rank` is by output as shown (万元, one decimal, rounded half up), equal output sharing the better
    rank as a statistics office ranks (1, 1, 3); the rows are in the order of the exact output."""
    rows = []
    for town, ytd in years.items():
        if ytd.total.count == 0:
            continue
        target = ytd.headline_target(above_only=False)
        reporting = ytd.reporting
        rows.append({
            "town": town, "value_10k": ytd.total.value, "yoy": ytd.total.yoy,
            "above_10k": ytd.above_scale.value, "above_yoy": ytd.above_scale.yoy,
            "target": target,
            "target_completion": None if target is None else target.completion,
            "schedule": None if target is None or target.year_end else target.schedule,
            "reported": None if reporting is None else len(reporting.reported),
            "expected": None if reporting is None else reporting.expected,
        })
    frame = pd.DataFrame(rows, columns=RANKING_COLUMNS[:-1])
    frame = frame.sort_values("value_10k", ascending=False, kind="stable").reset_index(drop=True)
    shown = pd.Series(round_half_up_array(frame.value_10k, 1))
    frame["rank"] = shown.rank(method="min", ascending=False).astype(int)
    return frame


def is_tied(ranking: pd.DataFrame, town: str) -> bool:
    """Whether another town of county_ranking shares `town`'s rank (并列)."""
    rank = ranking.loc[ranking.town == town, "rank"]
    return len(rank) == 1 and int((ranking["rank"] == rank.iloc[0]).sum()) > 1


TABLE_COLUMNS = ["kind", "town", "rank", "value_10k", "yoy", "above_10k", "above_yoy", "target_completion",
                 "schedule", "gap", "status", "target", "reported", "expected"]


def county_table(years: dict[str, YearToDate]) -> pd.DataFrame:
    """The 县域 table: county_ranking's towns in rank order (kind "town"), then the towns without
    figures for the period (kind "missing": every figure None, never 0), then the county's total
    (kind "total": county_total of both scopes; `reported` and `expected` count the towns with
    figures and all towns). `gap` is 超/欠序时进度 of an amount target, None for a growth target
    or none; `status`
    is the target's status code (style.STATUSES), None without a target."""
    ranking = county_ranking(years)
    rows = [{
        "kind": "town", "town": r.town, "rank": r.rank, "value_10k": r.value_10k, "yoy": r.yoy,
        "above_10k": r.above_10k, "above_yoy": r.above_yoy, "target_completion": r.target_completion,
        "schedule": r.schedule, "gap": _schedule_gap(r.target), "status": None if r.target is None else r.target.status,
        "target": r.target, "reported": r.reported, "expected": r.expected,
    } for r in ranking.itertuples()]
    rows += [{"kind": "missing", "town": town} for town in missing_towns(years)]
    total, above = county_total(years), county_total(years, above_only=True)
    rows.append({"kind": "total", "town": None, "value_10k": total.value, "yoy": total.yoy,
                 "above_10k": above.value, "above_yoy": above.yoy,
                 "reported": len(ranking), "expected": len(years)})
    frame = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    return frame.astype({c: "float64" for c in ("rank", "value_10k", "yoy", "above_10k", "above_yoy",
                                                 "target_completion", "schedule", "gap")})


def _schedule_gap(target) -> float | None:
    """An amount target's gap (targets.compute_targets: compute_schedule_gap of 完成率 and the
    序时进度 of its month, 100% with the whole year); None for a growth target or none."""
    return target.gap if target is not None and target.kind == "amount" else None


def missing_towns(years: dict[str, YearToDate]) -> list[str]:
    """The towns with no figures for the period."""
    return [town for town, ytd in years.items() if ytd.total.count == 0]


def county_total(years: dict[str, YearToDate], above_only: bool = False) -> Aggregate:
    """The county's output: the towns' totals added; 同比 against the sum of the towns' comparable
    bases (each town's own comparable enterprises)."""
    parts = [ytd.above_scale if above_only else ytd.total for ytd in years.values() if ytd.total.count]
    value = sum(p.value for p in parts)
    known = [p for p in parts if p.prior is not None]
    prior = sum(p.prior for p in known) if known else None
    increase = sum(p.increase for p in known if p.increase is not None) if known else None
    yoy = compute_growth(prior + increase, prior) if prior is not None and increase is not None else None
    return Aggregate(value, prior, yoy, increase, sum(p.count for p in parts), sum(p.comparable for p in parts))
