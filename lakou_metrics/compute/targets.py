"""Annual targets against what is done, for every indicator with a target (domain.targets lists
them): an amount's 完成率 against 序时进度, a growth rate against the target rate, met or missed at
the year's end; what remains and the growth the remaining months need; 往年同期进度 and the
projected full year of output targets; the key projects' sum beside an entered figure."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..domain import style
from ..domain.numbers import difference_as_shown, is_missing, values_agree
from ..domain.periods import Period
from ..domain.targets import INDICATORS
from .drivers import Projection, project_full_year
from .metrics import (
    Ledger,
    WarningSettings,
    compute_aggregate,
    compute_completion,
    compute_growth,
    compute_required_growth,
    compute_schedule,
    compute_schedule_gap,
    select_scope,
)


@dataclass
class TargetRow:
    """One annual target and where it stands. Money in 万元, rates and gaps as fractions; None
    where there is no figure (never 0).

    An amount target has a 完成率 (`completion`) judged against 序时进度 (`schedule`, of the month
    its figure is for): `gap` = completion − schedule. A growth target is judged as growth: its
    `actual` is the growth so far, `completion` and `schedule` are None, and `gap` = actual −
    target rate; `implied_target` is the amount the rate implies (last year × (1 + rate)). With the
    whole year's figure (`as_of` 12) a target is met or missed. `status` is the verdict (a
    style.Status code: ahead / slightly_behind / behind for an amount, growth_met / growth_short
    for a growth target, met / missed at the year's end); `schedule_status` is the same code (kept
    for readers of `summary --json`).

    Output targets also carry the seasons: `seasonal_schedule` (往年同期进度) is the share the same
    months held of the full year in earlier years (drivers.project_full_year), and `projected` the
    full year it projects (`projected_completion` of an amount target, `projected_growth` of a
    growth target); None without an earlier full year, and at the year's end.

    `source`: "output" (computed from output), "projects" (summed over 重点项目, only where nothing
    is entered) or "entered". `projects_actual` is the projects' sum (as of `projects_as_of`) for a
    target the projects add up to, beside the entered figure; `projects_exceed` flags a sum above
    the entered figure (key projects are part of the town's total, so it cannot be larger)."""

    indicator: str  # domain.targets code
    name: str
    unit: str
    kind: str  # amount | growth
    target: float
    actual: float | None = None
    as_of: int | None = None  # the last month the actual covers
    stale: bool = False  # as_of is before the period's end
    completion: float | None = None
    schedule: float | None = None  # 序时进度 of as_of
    gap: float | None = None  # completion − schedule; a growth target: actual − target
    remaining: float | None = None
    required_growth: float | None = None
    on_schedule: bool | None = None
    status: str = style.UNKNOWN.code
    schedule_status: str = style.UNKNOWN.code
    source: str = "entered"
    implied_target: float | None = None  # a growth target's amount: last year × (1 + rate)
    seasonal_schedule: float | None = None  # 往年同期进度
    seasonal_years: tuple[int, ...] = ()
    projected: float | None = None  # the full year's amount at earlier years' seasonal shape
    projected_completion: float | None = None
    projected_growth: float | None = None
    projects_actual: float | None = None
    projects_as_of: int | None = None
    projects_exceed: bool = False

    @property
    def year_end(self) -> bool:
        """The figure covers the whole year: the target is met or missed."""
        return self.as_of == 12


def compute_targets(ledger: Ledger, period: Period, figures: pd.DataFrame, goals: dict[str, float],
                    actuals: pd.DataFrame, settings: WarningSettings = WarningSettings(),
                    from_projects: dict[str, tuple] | None = None, seasons: bool = True) -> list[TargetRow]:
    """Each annual target with its actual so far and its verdict (see TargetRow): an amount target's
    完成率 against 序时进度, the gap, what remains and the growth the remaining months need; a
    growth target's growth against its rate and the growth the remaining months need; met or
    missed with the whole year's figure.

    Every actual is dated: `as_of` is the last month it covers. Output targets are as of the
    period; an entered figure (征地, 投资 …) is the latest reported up to the period, and its
    完成率 is judged against the 序时进度 of *its* month (1-9月 figure → 9/12), with `stale` set
    when that month is before the period's end. With no output at all for the period, output
    targets have no actual (never 0).

    `from_projects` ({code: (actual, month)}, ProjectBook.target_actuals) gives the projects' sum
    of the targets they add up to: it stands beside the entered figure (`projects_actual`), and is
    the actual only where nothing is entered. With `seasons`, output targets carry 往年同期进度 and
    the projected full year (reading up to three earlier years).
    """
    from_projects = from_projects or {}
    full_year = Period(period.year - 1, 1, 12)
    projections: dict[str, Projection] = {}
    rows = []
    for ind in INDICATORS:
        if ind.code not in goals:
            continue
        target = goals[ind.code]
        row = TargetRow(ind.code, ind.name, ind.unit, ind.kind, target,
                        source="entered" if ind.source == "entered" else "output")
        if ind.source == "entered":
            _entered_actual(row, actuals, period, from_projects.get(ind.code))
            _judge_amount(row, period.last, target, None, settings)
            rows.append(row)
            continue
        subset = select_scope(figures, above_only=ind.source != "output")
        if subset.empty:
            rows.append(row)
            continue
        row.as_of = period.last
        agg = compute_aggregate(subset)
        prior_full = ledger.total(subset.enterprise_id, full_year)
        prior_rest = (None if prior_full is None or agg.prior is None or agg.count != agg.comparable
                      or period.last == 12 else _rest_of_year(prior_full, agg.prior))
        if seasons and period.last < 12:
            if ind.source not in projections:
                projections[ind.source] = project_full_year(ledger, period.year, period.last, subset.enterprise_id)
            _seasons(row, projections[ind.source])
        if ind.kind == "growth":
            _judge_growth(row, agg, prior_full, prior_rest, settings)
        else:
            row.actual = agg.value
            _judge_amount(row, period.last, target, prior_rest, settings)
        rows.append(row)
    return rows


def _entered_actual(row: TargetRow, actuals: pd.DataFrame, period: Period, projects: tuple | None) -> None:
    """The latest figure entered up to the period is the actual; the projects' sum (when the
    projects add up to this target) stands beside it, and fills the actual only where nothing is
    entered."""
    entered = actuals[(actuals.indicator == row.indicator) & (actuals.last_month <= period.last)]
    if not entered.empty:
        latest = entered.sort_values("last_month").iloc[-1]
        row.actual, row.as_of = float(latest.actual), int(latest.last_month)
    if projects is None:
        return
    row.projects_actual, row.projects_as_of = projects
    if row.actual is None:
        row.actual, row.as_of, row.source = row.projects_actual, row.projects_as_of, "projects"
    elif row.projects_actual is not None:
        row.projects_exceed = (row.projects_actual > row.actual
                               and not values_agree(row.projects_actual, row.actual))


def _judge_amount(row: TargetRow, through: int, target: float, prior_rest: float | None,
                  settings: WarningSettings, schedule: float | None = None) -> None:
    """完成率 against the 序时进度 of the actual's month, or `schedule` when given (stale when the
    actual's month is before `through`, the period's last month); met or missed with the whole year."""
    if row.as_of is not None:
        row.stale = row.as_of < through
        row.schedule = compute_schedule(row.as_of) if schedule is None else schedule
    row.completion = compute_completion(row.actual, target)
    row.gap = compute_schedule_gap(row.completion, row.schedule)
    _judge(row, settings)
    if row.year_end and row.completion is not None:
        # The whole year is met only when the figure reaches the target: 313.9 of 314 is missed,
        # though its completion shows as 100.0% (format_short_of shows it as 99.97%).
        row.status = row.schedule_status = (style.MET if row.completion >= 1 - 1e-12 else style.MISSED).code
        row.on_schedule = row.status == style.MET.code
    if row.actual is not None and not row.year_end:
        row.remaining = max(target - row.actual, 0.0)
        if prior_rest is not None:
            row.required_growth = compute_required_growth(target, row.actual, prior_rest)
    if row.projected is not None:
        row.projected_completion = compute_completion(row.projected, target)


def _judge_growth(row: TargetRow, agg, prior_full: float | None, prior_rest: float | None,
                  settings: WarningSettings) -> None:
    """The growth so far against the target rate (never a 完成率 of the amount it implies); the
    amount it implies, and the growth the remaining months need to reach it."""
    row.actual = agg.yoy
    row.gap = None if agg.yoy is None else difference_as_shown(agg.yoy, row.target)  # as a reader subtracts them
    _judge(row, settings)
    row.implied_target = None if prior_full is None else prior_full * (1 + row.target)
    if row.implied_target is not None and not row.year_end:
        row.remaining = max(row.implied_target - agg.value, 0.0)
        row.required_growth = compute_required_growth(row.implied_target, agg.value, prior_rest)
    if row.projected is not None and prior_full:
        row.projected_growth = compute_growth(row.projected, prior_full)


def _judge(row: TargetRow, settings: WarningSettings) -> None:
    """The row's verdict from its gap (style.target_status), and whether it is on course."""
    row.status = row.schedule_status = style.target_status(
        row.kind, row.gap, row.year_end, settings.schedule_slightly_behind).code
    row.on_schedule = None if row.status == style.UNKNOWN.code else row.status in style.REACHED


def _seasons(row: TargetRow, projection: Projection) -> None:
    """往年同期进度 and the projected full year of an output target, from the projection of its
    enterprises (None without an earlier full year)."""
    row.seasonal_schedule = projection.share
    row.seasonal_years = tuple(sorted(projection.years_used))
    row.projected = projection.value


def own_target(name: str, actual: float | None, target: float | None, month: int,
               settings: WarningSettings = WarningSettings(), source: str = "output",
               schedule: float | None = None) -> TargetRow | None:
    """A single annual amount target (an enterprise's output target, a project's plan) judged as
    of `month` like the town's: 完成率 against that month's 序时进度, or against `schedule` when
    given (a project's own, counted from its start); met or missed at month 12. None without a target."""
    if is_missing(target) or not target:
        return None
    row = TargetRow("own", name, "万元", "amount", float(target), actual=actual, as_of=month, source=source)
    _judge_amount(row, month, float(target), None, settings, schedule)
    return row


def _rest_of_year(prior_full: float, prior_so_far: float) -> float:
    """Last year's remaining months: the full year less the months so far; a difference within
    rounding of 0 (the two sums add the same figures in another order) is 0, so no growth rate is
    computed on it."""
    rest = prior_full - prior_so_far
    return 0.0 if abs(rest) < 1e-6 else rest
