"""The figures of one year to date, assembled from the store: the `summary` of the CLI and the
numbers behind the dashboard. Arithmetic lives in `metrics`; this module only composes."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from .. import store
from ..domain import labels
from ..domain.numbers import is_missing, round_half_up_array, round_half_up_float
from ..domain.periods import Period
from ..domain.sectors import SECTOR_ORDER
from .drivers import Projection, project_full_year
from .electricity import (
    Electricity,
    ElectricitySettings,
    add_divergence_warnings,
    compute_electricity,
    electricity_ledger,
)
from .ledger import ledger_from_store
from .metrics import (
    Aggregate,
    Estimate,
    Ledger,
    Reporting,
    WarningSettings,
    compute_aggregate,
    compute_breakdown,
    compute_completion,
    compute_enterprise_figures,
    compute_estimate,
    compute_reporting,
    compute_schedule,
    compute_schedule_gap,
    compute_usual_mom,
    compute_warnings,
    select_scope,
)
from .projects import ProjectBook, ProjectSettings, compute_projects
from .targets import TargetRow, compute_targets, own_target


@dataclass(frozen=True)
class PeriodAlone:
    """当季/当月 of a scope: the value, the same months last year and 同比 (comparable basis), the
    period before and 环比. `value` is None when no enterprise in scope has a figure for the period
    alone (a month of a year reported only by quarter cannot be derived): unknown, never 0."""

    value: float | None
    prior: float | None
    yoy: float | None
    previous: float | None
    mom: float | None


@dataclass
class YearToDate:
    """Everything computed for one year through one month."""

    period: Period  # months 1..through of the year
    figures: pd.DataFrame  # per enterprise, year to date, with rank, target and completion
    alone: Period  # the last quarter (or month) alone: 当季/当月
    period_figures: pd.DataFrame  # per enterprise, that period alone
    total: Aggregate
    above_scale: Aggregate
    sectors: pd.DataFrame
    targets: list[TargetRow]
    warnings: pd.DataFrame
    settings: WarningSettings = WarningSettings()
    reporting: Reporting | None = None  # who of the expected enterprises has the period's figure
    projection: Projection | None = None  # where the year's total output will end
    projects: ProjectBook | None = None  # the year's 重点项目, when any are recorded
    town: str = labels.TOWN  # whose figures these are
    estimate: Estimate | None = None  # 工业总产值 含估算 (the missing enterprises estimated), apart from `total`
    above_scale_estimate: Estimate | None = None  # 规上工业产值 含估算
    electricity: Electricity | None = None  # 以电核产: the year's electricity, when any is stored

    @property
    def provisional(self) -> bool:
        """Whether some expected enterprise has not reported: the totals and every verdict on output
        are then provisional (暂定)."""
        return self.reporting is not None and not self.reporting.complete

    def target_provisional(self, target: TargetRow) -> bool:
        """Whether a target's verdict is provisional: it is computed from output and enterprises of
        its scope (all, or 规上 for a 规上 target) have not reported."""
        return target.source == "output" and self.totals(target.indicator.startswith("above_scale"))[1] is not None

    def totals(self, above_only: bool) -> tuple[Aggregate, Estimate | None]:
        """The headline total of a scope (工业总产值, or 规上工业产值) and what it misses with its
        含估算 figure (None when no enterprise of the scope is missing)."""
        return (self.above_scale, self.above_scale_estimate) if above_only else (self.total, self.estimate)

    def headline_target(self, above_only: bool) -> TargetRow | None:
        """The target a headline figure (工业总产值, or 规上工业产值) is measured against: its amount
        target, else its growth target (judged as growth); None when the year has neither."""
        return next(iter(self.headline_targets(above_only)), None)

    def headline_targets(self, above_only: bool) -> list[TargetRow]:
        """Every target of a headline figure: its amount target and its growth target (each with its
        own verdict, amount first), those the year has."""
        by_code = {t.indicator: t for t in self.targets}
        prefix = "above_scale_output" if above_only else "total_output"
        return [by_code[code] for code in (prefix, f"{prefix}_growth") if code in by_code]

    def enterprise_target(self, enterprise_id: int) -> TargetRow | None:
        """An enterprise's own output target and where it stands; None when it has none."""
        row = self.figures[self.figures.enterprise_id == enterprise_id]
        if row.empty:
            return None
        row = row.iloc[0]
        return own_target(row["name"], float(row.value_10k), row.target_10k, self.period.last, self.settings)

    def alone_totals(self, above_only: bool) -> PeriodAlone:
        """当季/当月 of the enterprises in scope, with 同比 and 环比."""
        figures = self.scoped_alone(above_only)
        yoy, mom = compute_aggregate(figures), compute_aggregate(figures, base="previous_10k")
        return PeriodAlone(yoy.value if len(figures) else None, yoy.prior, yoy.yoy, mom.prior, mom.yoy)

    def town_figures(self) -> dict[str, float | None]:
        """The town's own figure for each output indicator (domain.targets codes), to set beside a
        peer town's: totals in 万元, growth as a fraction."""
        return {"total_output": self.total.value, "total_output_growth": self.total.yoy,
                "above_scale_output": self.above_scale.value, "above_scale_output_growth": self.above_scale.yoy}

    def scoped(self, above_only: bool) -> pd.DataFrame:
        """The year-to-date figures of the enterprises in scope: all, or 规上 only."""
        return select_scope(self.figures, above_only)

    def scoped_alone(self, above_only: bool) -> pd.DataFrame:
        """The period alone (当季/当月) of the enterprises in scope."""
        return select_scope(self.period_figures, above_only)

    def scoped_warnings(self, above_only: bool) -> pd.DataFrame:
        """Warnings of the enterprises in scope (a 规下 enterprise's warnings leave with it)."""
        if not above_only:
            return self.warnings
        return self.warnings[self.warnings.enterprise_id.isin(set(self.scoped(True).enterprise_id))]


def compute_year_to_date(ledger: Ledger, period: Period, goals: dict[str, float],
                         actuals: pd.DataFrame, enterprise_targets: dict[int, float],
                         settings: WarningSettings = WarningSettings(), monthly: bool = False,
                         projects: ProjectBook | None = None, projection: bool = True,
                         seasons: bool = True, electricity: Ledger | None = None,
                         electricity_settings: ElectricitySettings = ElectricitySettings()) -> YearToDate:
    """All figures of `period` (a year-to-date span) from stored data. The period alone (当月/当季)
    is the last month when `monthly`, else the last quarter when the period ends one. With the
    year's `projects`, the targets they add up to are computed from them. Without `projection`,
    the full year is not projected (which reads three earlier years). With an `electricity` ledger
    (electricity.electricity_ledger of this year and last), the year's electricity and the
    enterprises whose output and electricity diverge, among the warnings."""
    figures = compute_enterprise_figures(ledger, period)
    figures["rank"] = figures.value_10k.rank(ascending=False, method="min").astype("int64")
    figures["target_10k"] = figures.enterprise_id.map(enterprise_targets).astype(float)
    figures["completion"] = [compute_completion(v, t) for v, t in zip(figures.value_10k, figures.target_10k)]
    schedule = compute_schedule(period.last)
    figures["schedule_gap"] = [compute_schedule_gap(c, schedule) for c in figures.completion]
    alone = period.quarter_span() if period.last % 3 == 0 and not monthly else period.month_span()
    period_figures = compute_enterprise_figures(ledger, alone)
    usual = compute_usual_mom(ledger, alone, period_figures.enterprise_id)
    period_figures["usual_mom"], period_figures["usual_from"] = usual.usual_mom.to_numpy(), usual.usual_from.to_numpy()
    total = compute_aggregate(figures)
    above = compute_aggregate(select_scope(figures, above_only=True))
    targets = compute_targets(ledger, period, figures, goals, actuals, settings,
                              projects.target_actuals() if projects is not None else {}, seasons=seasons)
    power = (compute_electricity(electricity, period, alone, figures, electricity_settings)
             if electricity is not None else None)
    warnings = add_divergence_warnings(compute_warnings(figures, period_figures, enterprise_targets, period.last,
                                                        settings), None if power is None else power.divergences)
    reporting = compute_reporting(ledger, period)
    full_year = (project_full_year(ledger, period.year, period.last, figures.enterprise_id,
                                   missing=len(reporting.missing)) if projection else None)
    return YearToDate(period, figures, alone, period_figures, total, above, compute_breakdown(figures),
                      targets, warnings, settings, reporting, full_year, projects,
                      estimate=compute_estimate(ledger, reporting, total),
                      above_scale_estimate=compute_estimate(ledger, reporting, above, above_only=True),
                      electricity=power)


def load_year_to_date(engine: Engine, period: Period, monthly: bool = False,
                      settings: WarningSettings = WarningSettings(),
                      ledger: Ledger | None = None, project_settings: ProjectSettings = ProjectSettings(),
                      today: dt.date | None = None, projection: bool = True,
                      seasons: bool = True,
                      electricity_settings: ElectricitySettings = ElectricitySettings()) -> tuple[YearToDate, Ledger]:
    """Read what the year needs and compute it; also the ledger it used. Without a `ledger`
    (the app passes its cached one), the years the figures need are read: this year and last, and
    the three before for the full-year `projection` and the output targets' `seasons`; the
    electricity of this year and last is read too (以电核产).
    Projects' milestones are judged on the period's last day, or `today` (default: the date now)
    while that month runs."""
    if ledger is None:
        ledger = ledger_from_store(engine)  # reads the years the figures ask for, no others
    goals, actuals = store.load_targets(engine, period.year)
    register = store.load_projects(engine, period.year)
    projects = None if register.empty else compute_projects(
        register, store.load_project_progress(engine, period.year), period, today or dt.date.today(),
        project_settings)
    ytd = compute_year_to_date(ledger, period, goals, actuals, store.load_enterprise_targets(engine, period.year),
                               settings=settings, monthly=monthly, projects=projects, projection=projection,
                               seasons=seasons, electricity=_electricity(engine, period.year),
                               electricity_settings=electricity_settings)
    ytd.town = store.town_of(engine)
    return ytd, ledger


def _electricity(engine: Engine, year: int) -> Ledger | None:
    """The stored electricity of `year` and the year before as a ledger; None when `year` has none."""
    rows = store.load_electricity(engine, [year - 1, year])
    return electricity_ledger(rows) if (rows.year == year).any() else None


def summary_json(ytd: YearToDate, through: str) -> dict:
    """The summary as the CLI prints it: money in 万元, rates as fractions, null where none."""
    has_data = ytd.total.count > 0
    sectors = {}
    for row in ytd.sectors.to_dict("records"):
        sectors[row["sector"]] = {
            "value": _money(row["value_10k"]) if has_data else None, "prior": _money(row["prior_10k"]),
            "yoy": row["yoy"],
            "share": row["share"], "contribution": row["contribution"], "pull": row["pull"],
        }
    enterprises = _enterprises_json(ytd)
    return _clean_json({
        "year": ytd.period.year,
        "through": through,
        "months": ytd.period.last,
        "unit": "万元",
        "basis": "同口径（本期报送企业的上年同期）",
        "has_data": has_data,
        "reporting": None if ytd.reporting is None else {
            "reported": len(ytd.reporting.reported), "expected": ytd.reporting.expected,
            "missing": len(ytd.reporting.missing), "complete": ytd.reporting.complete},
        "total": _aggregate_json(ytd.total, has_data) | _completeness_json(ytd, False),
        "above_scale": _aggregate_json(ytd.above_scale, has_data) | _completeness_json(ytd, True),
        "sectors": {code: sectors[code] for code in SECTOR_ORDER},
        "period": {"label": ytd.alone.label(),
                   "total": _alone_json(ytd.alone_totals(False), has_data),
                   "above_scale": _alone_json(ytd.alone_totals(True), has_data)},
        "enterprises": [],
        "targets": [_target_json(t) | {"provisional": ytd.target_provisional(t)}
                    for t in ytd.targets],
        "warnings": _records(ytd.warnings.drop(columns="enterprise_id")),
        "projects": projects_json(ytd.projects),
        "project_warnings": ([] if ytd.projects is None else ytd.projects.warnings.to_dict("records")),
    }) | {"enterprises": enterprises}


def _enterprises_json(ytd: YearToDate) -> list[dict]:
    """One object per reporting enterprise, largest first, built by whole columns (a county has
    thousands): money rounded like _money, null for a missing value."""
    f = ytd.figures.sort_values(["value_10k", "name"], ascending=[False, True])
    mom = f.enterprise_id.map(dict(zip(ytd.period_figures.enterprise_id, ytd.period_figures.mom)))
    frame = pd.DataFrame({
        "rank": f["rank"], "name": f["name"], "sector": f["sector"], "above_scale": f["above_scale"],
        "value": _money_column(f.value_10k), "prior": _money_column(f.prior_10k), "yoy": f.yoy,
        "base": f.base_source, "target": _money_column(f.target_10k), "completion": f.completion, "mom": mom,
        "contact": f.contact})
    return _records(frame)


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain Python values (int, float, str, bool), None where a value is missing."""
    plain = frame.astype(object).where(frame.notna(), None)
    return plain.to_dict("records")


def _target_json(target: TargetRow) -> dict:
    """A target as the CLI prints it: a growth target has no `completion` and its `gap` is growth −
    target rate, and it also gives the amount it implies."""
    row = asdict(target)
    if target.kind != "growth":
        for key in ("implied_target", "projected_growth"):
            row.pop(key)
    else:
        row.pop("projected_completion")
    row["seasonal_years"] = list(target.seasonal_years)
    return row


def projects_json(book: ProjectBook | None) -> list[dict]:
    """One object per project of the year (none when none are recorded); money in 万元."""
    if book is None:
        return []
    out = []
    for r in book.table.to_dict("records"):
        out.append({
            "name": r["name"], "enterprise": r["enterprise"], "sector": r["sector"], "kind": r["kind"],
            "manufacturing": bool(r["manufacturing"]), "inward": bool(r["inward"]),
            "total_10k": _money(r["total_10k"]), "planned_10k": _money(r["plan_10k"]),
            "invested_10k": _money(r["invested_10k"]), "invested_as_of_month": r["invested_as_of"],
            "completion": r["completion"], "schedule": r["schedule"],
            "schedule_start": None if is_missing(r["schedule_start"]) else r["schedule_start"].isoformat(),
            "not_started": bool(r["before_start"]),
            "contracted_10k": _money(r["contracted_10k"]), "received_10k": _money(r["received_10k"]),
            "signed": r["signed"], "late": bool(r["late"]), "delay_days": int(r["delay_days"]),
            "late_milestone": r["late_milestone"], "next_milestone": r["next_milestone"],
            "next_planned": None if r["next_planned"] is None else r["next_planned"].isoformat(),
            "milestones": {m.code: {"planned": m.planned and m.planned.isoformat(),
                                    "actual": m.actual and m.actual.isoformat()} for m in r["milestones"]},
            "contact": r["contact"], "issues": r["issues"],
        })
    return out


def _alone_json(alone: PeriodAlone, has_data: bool) -> dict:
    """当季/当月: value, 同比 and 环比 of the period alone."""
    return {"value": _money(alone.value) if has_data else None, "prior": _money(alone.prior), "yoy": alone.yoy,
            "previous": _money(alone.previous), "mom": alone.mom}


def _aggregate_json(agg: Aggregate, has_data: bool) -> dict:
    """A total; its value is null when no enterprise has data for the period at all."""
    return {"value": _money(agg.value) if has_data else None, "prior": _money(agg.prior), "yoy": agg.yoy,
            "enterprises": agg.count, "comparable_enterprises": agg.comparable}


def _completeness_json(ytd: YearToDate, above_only: bool) -> dict:
    """What a total holds: its new enterprises (no 上年同期) and the growth without them; whether
    it is provisional (enterprises missing) and its 含估算 figure, apart from the reported value."""
    agg, estimate = ytd.totals(above_only)
    return {
        "new_enterprises": agg.new, "new_value": _money(agg.new_value), "new_share": agg.new_share,
        "existing_yoy": agg.existing_yoy, "provisional": estimate is not None,
        "missing_enterprises": 0 if estimate is None else estimate.missing,
        "estimate": None if estimate is None or estimate.value is None else {
            "value": _money(estimate.value), "estimated": _money(estimate.estimated), "growth": estimate.growth,
            "estimated_enterprises": estimate.enterprises, "unestimated_enterprises": estimate.unestimated},
    }


def _money(value):
    """万元 rounded to 1元 (4 decimals, 四舍五入 like every figure), which removes float noise such
    as 50971.20000000001."""
    return round_half_up_float(value, 4)


def _money_column(values: pd.Series) -> np.ndarray:
    """_money of a whole column (NaN where missing; _records turns it into null)."""
    return round_half_up_array(values, 4)


def _clean_json(value):
    """NaN → None, numpy scalars → Python, so json.dumps prints null and plain numbers."""
    if isinstance(value, dict):
        return {k: _clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean_json(v) for v in value]
    if value is pd.NA or value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value
