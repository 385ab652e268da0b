"""Annual targets against what is done: 完成率, 序时进度, the gap, what remains and the growth the
remaining months need, for every indicator with a target (domain.targets lists them)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..domain import style
from ..domain.numbers import difference_as_shown, is_missing
from ..domain.periods import Period
from ..domain.targets import INDICATORS
from .metrics import (
    Ledger,
    WarningSettings,
    compute_aggregate,
    compute_completion,
    compute_required_growth,
    compute_schedule,
    compute_schedule_gap,
    select_scope,
)


@dataclass
class TargetRow:
    """One annual target and where it stands. Money in 万元, rates and gaps as fractions; None
    where there is no figure (never 0). `status` is the row's verdict (a style.Status code: against
    序时进度 for an amount, against the target rate for a growth target); `schedule_status` judges
    完成率 against 序时进度 (for a growth target, of the amount it implies), as headline cards show it.
    `source`: "output" (computed from output), "projects" (summed over 重点项目) or "entered"."""

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
    gap: float | None = None  # completion − schedule
    remaining: float | None = None
    required_growth: float | None = None
    on_schedule: bool | None = None
    status: str = style.UNKNOWN.code
    schedule_status: str = style.UNKNOWN.code
    source: str = "entered"
    implied_target: float | None = None  # a growth target's amount: last year × (1 + rate)


def compute_targets(ledger: Ledger, period: Period, figures: pd.DataFrame, goals: dict[str, float],
                    actuals: pd.DataFrame, settings: WarningSettings = WarningSettings(),
                    from_projects: dict[str, tuple] | None = None) -> list[TargetRow]:
    """Each annual target with its actual so far, 完成率, 序时进度, the gap, what remains and the
    growth the remaining months need. `status` is the row's verdict (style.Status code: against
    序时进度 for an amount, against the target rate for a growth target); `schedule_status` judges
    完成率 against 序时进度 (for a growth target, of the amount it implies), as headline cards show it.

    Every actual is dated: `as_of` is the last month it covers. Output targets are as of the
    period; an entered figure (征地, 投资 …) is the latest reported up to the period, and its
    完成率 is judged against the 序时进度 of *its* month (1-9月 figure → 9/12), with `stale` set
    when that month is before the period's end. With no output at all for the period, output
    targets have no actual (never 0).

    `from_projects` ({code: (actual, month)}, ProjectBook.target_actuals) replaces the entered
    figure of the targets projects add up to. `source` says where each actual came from:
    "output" (computed from output), "projects" (from the projects) or "entered" (typed in).
    """
    from_projects = from_projects or {}
    full_year = Period(period.year - 1, 1, 12)
    rows = []
    for ind in INDICATORS:
        if ind.code not in goals:
            continue
        target = goals[ind.code]
        row = TargetRow(ind.code, ind.name, ind.unit, ind.kind, target,
                        source=("projects" if ind.code in from_projects
                                else "entered" if ind.source == "entered" else "output"))
        if ind.code in from_projects:
            row.actual, row.as_of = from_projects[ind.code]
            amount_target = target
            prior_rest = None
        elif ind.source == "entered":
            entered = actuals[(actuals.indicator == ind.code) & (actuals.last_month <= period.last)]
            if not entered.empty:
                latest = entered.sort_values("last_month").iloc[-1]
                row.actual, row.as_of = float(latest.actual), int(latest.last_month)
            amount_target = target
            prior_rest = None
        else:
            subset = select_scope(figures, above_only=ind.source != "output")
            if subset.empty:
                rows.append(row)
                continue
            row.as_of = period.last
            agg = compute_aggregate(subset)
            prior_full = ledger.total(subset.enterprise_id, full_year)
            prior_rest = (None if prior_full is None or agg.prior is None or agg.count != agg.comparable
                          or period.last == 12 else _rest_of_year(prior_full, agg.prior))
            if ind.kind == "growth":
                row.actual = agg.yoy
                # Judged as shown: 33.0% against a 33% target is met, whatever the third decimal.
                row.on_schedule = None if agg.yoy is None else difference_as_shown(agg.yoy, target) >= 0
                row.status = style.growth_status(row.on_schedule).code
                row.schedule = compute_schedule(period.last)
                # The amount the growth target implies: last year's full year × (1 + rate).
                amount_target = None if prior_full is None else prior_full * (1 + target)
                row.implied_target = amount_target
                row.completion = compute_completion(agg.value, amount_target)
                row.gap = compute_schedule_gap(row.completion, row.schedule)
                row.schedule_status = style.schedule_status(row.gap, settings.schedule_slightly_behind).code
                if amount_target is not None:
                    row.remaining = max(amount_target - agg.value, 0.0)
                    row.required_growth = compute_required_growth(amount_target, agg.value, prior_rest)
                rows.append(row)
                continue
            row.actual = agg.value
            amount_target = target
        if row.as_of is not None:
            row.stale = row.as_of < period.last
            row.schedule = compute_schedule(row.as_of)
        row.completion = compute_completion(row.actual, amount_target)
        row.gap = compute_schedule_gap(row.completion, row.schedule)
        row.on_schedule = None if row.gap is None else row.gap >= 0
        row.status = row.schedule_status = style.schedule_status(
            row.gap, settings.schedule_slightly_behind).code
        if row.actual is not None:
            row.remaining = max(amount_target - row.actual, 0.0)
            if prior_rest is not None:
                row.required_growth = compute_required_growth(amount_target, row.actual, prior_rest)
        rows.append(row)
    return rows


def own_target(name: str, actual: float | None, target: float | None, month: int,
               settings: WarningSettings = WarningSettings(), source: str = "output") -> TargetRow | None:
    """A single annual amount target (an enterprise's output target, a project's plan) judged as
    of `month` like the town's: 完成率 against that month's 序时进度. None without a target."""
    if is_missing(target) or not target:
        return None
    completion = compute_completion(actual, target)
    schedule = compute_schedule(month)
    gap = compute_schedule_gap(completion, schedule)
    status = style.schedule_status(gap, settings.schedule_slightly_behind).code
    return TargetRow("own", name, "万元", "amount", float(target), actual=actual, as_of=month,
                     completion=completion, schedule=schedule, gap=gap,
                     remaining=None if actual is None else max(float(target) - actual, 0.0),
                     on_schedule=None if gap is None else gap >= 0, status=status, schedule_status=status,
                     source=source)


def _rest_of_year(prior_full: float, prior_so_far: float) -> float:
    """Last year's remaining months: the full year less the months so far; a difference within
    rounding of 0 (the two sums add the same figures in another order) is 0, so no growth rate is
    computed on it."""
    rest = prior_full - prior_so_far
    return 0.0 if abs(rest) < 1e-6 else rest
