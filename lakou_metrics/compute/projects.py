"""重点项目: each project's progress against this year's plan, its milestones as of a date, the
warnings a late milestone or a lagging investment raises, and the targets projects add up to.

Pure functions over the frames `store.load_projects` and `store.load_project_progress` return.
A milestone is late on a date when its planned date has passed and it has no actual date on or
before that date (viewing an earlier period shows the project as it stood then). A project's
序时进度 runs from its start to the year's end (compute_project_schedule): nothing is behind before
it starts. Money in 万元, rates and gaps as fractions, like `metrics`.
"""
from __future__ import annotations

import datetime as dt
from calendar import monthrange
from dataclasses import dataclass, field

import pandas as pd

from ..domain import labels, style
from ..domain.labels import MILESTONE_NAMES
from ..domain.numbers import format_10k, format_percent, is_missing
from ..domain.periods import Period
from ..domain.spans import derive_span
from .metrics import WarningSettings, compute_completion, compute_schedule, compute_schedule_gap
from .targets import TargetRow, own_target


@dataclass(frozen=True)
class ProjectSettings:
    """[projects] of the settings file."""

    # 引进大项目: a project signed this year whose total planned investment reaches this (万元)
    big_project_min_10k: float = 10_000.0
    # A late milestone is red from this many days late, orange before
    late_red_days: float = 30
    # Investment completed against this year's plan, minus 序时进度: red / orange / blue at or below
    behind_red: float = -0.20
    behind_orange: float = -0.10
    behind_blue: float = -0.05


@dataclass(frozen=True)
class Milestone:
    code: str
    planned: dt.date | None
    actual: dt.date | None  # as of the date looked at: a later actual date is not known yet

    @property
    def name(self) -> str:
        return MILESTONE_NAMES[self.code]

    @property
    def done(self) -> bool:
        return self.actual is not None

    def days_late(self, on: dt.date) -> int:
        """Days past the planned date: on `on` when open, at completion when done; 0 if not late."""
        if self.planned is None:
            return 0
        end = self.actual or on
        return max((end - self.planned).days, 0)


@dataclass(frozen=True)
class Investment:
    """The projects' investment completed this year against their plans, as of a month."""

    invested: float  # 万元
    plan: float  # 万元, this year's plans added up
    month: int  # the latest month with progress
    completion: float | None  # invested / plan
    gap: float | None  # completion − schedule
    # 序时进度 of all plans together: each project's own schedule weighted by its plan (what the
    # plans should have reached by `month` if every project kept its own straight line)
    schedule: float | None = None


@dataclass
class ProjectBook:
    """The year's projects as of the end of a period (or today, for a month in progress)."""

    period: Period
    as_of: dt.date
    table: pd.DataFrame  # one row per project (see compute_projects)
    warnings: pd.DataFrame  # name, enterprise, sector, level, rule, value, detail
    settings: ProjectSettings = field(default_factory=ProjectSettings)

    @property
    def recorded(self) -> bool:
        return not self.table.empty

    @property
    def has_progress(self) -> bool:
        return self.recorded and self.table.invested_10k.notna().any()

    @property
    def late(self) -> pd.DataFrame:
        """Late projects, the longest delay first."""
        return self.table[self.table.late].sort_values("delay_days", ascending=False)

    @property
    def waiting(self) -> pd.DataFrame:
        """Projects whose planned start has not come (and no milestone is overdue)."""
        return self.table[self.table.before_start & ~self.table.late]

    @property
    def on_plan(self) -> int:
        """按计划推进, as every page, the briefing and the phone image count it: the projects with no
        milestone overdue that have started (investment behind 序时 is said on its own)."""
        return len(self.table) - len(self.late) - len(self.waiting)

    @property
    def behind(self) -> pd.DataFrame:
        """Projects whose investment is behind 序时进度 by the warning threshold (项目投资落后序时),
        the widest gap first."""
        named = set(self.warnings.name[self.warnings.rule == "investment_behind"])
        return self.table[self.table.name.isin(named)].sort_values("gap")

    def investment(self) -> Investment | None:
        """All projects' investment against their plans; None while no progress is recorded."""
        if not self.has_progress:
            return None
        month = int(self.table.invested_as_of.max())
        invested, plan = float(self.table.invested_10k.sum()), float(self.table.plan_10k.sum())
        completion = compute_completion(invested, plan)
        planned = self.table[self.table.plan_10k.notna() & (self.table.plan_10k > 0)]
        schedule = (float((planned.plan_10k * planned.schedule).sum()) / plan) if plan > 0 else None
        return Investment(invested, plan, month, completion, compute_schedule_gap(completion, schedule), schedule)

    def plan_targets(self, settings: WarningSettings = WarningSettings()) -> list[TargetRow]:
        """Each project's plan for this year as a target (its investment completed, as of the month
        of its latest progress), for the chart of 完成率 against the project's own 序时进度; a
        project before its start is 未开工 (style.NOT_STARTED), never behind; projects without a
        plan are left out."""
        rows = []
        for r in self.table.itertuples():
            month = int(r.invested_as_of) if not is_missing(r.invested_as_of) and r.invested_as_of else self.period.last
            invested = None if is_missing(r.invested_10k) else r.invested_10k
            row = own_target(r.name, invested, None if is_missing(r.plan_10k) else r.plan_10k, month, settings,
                             source="projects", schedule=r.schedule)
            if row is not None:
                row.stale = month < self.period.last
                if r.before_start:
                    row.status = row.schedule_status = style.NOT_STARTED.code
                rows.append(row)
        return rows

    def target_actuals(self) -> dict[str, tuple[float | None, int | None]]:
        """{indicator code: (actual, month it is as of)} for the targets computed from projects:
        完成制造业投资 (the manufacturing projects' investment completed) whenever projects are
        recorded; 引进大项目 (projects signed this year up to the date, total investment at least the
        setting), 合同引进市外内资 (their contracted amounts) where signing dates are recorded; and
        实际到位市外内资 where amounts received are."""
        if not self.recorded:
            return {}
        t, month = self.table, self.period.last
        found: dict[str, tuple[float | None, int | None]] = {}
        made = t[t.manufacturing]
        if self.has_progress:
            found["manufacturing_investment"] = (float(made.invested_10k.fillna(0).sum()),
                                                 int(t.invested_as_of.max()))
        else:
            found["manufacturing_investment"] = (None, None)
        signed = t[t.signed_this_year]
        if t.signed.notna().any():
            found["major_projects"] = (float((signed.total_10k.fillna(0) >= self.settings.big_project_min_10k).sum()),
                                       month)
        inward = signed[signed.inward & signed.contracted_10k.notna()]
        if (t.inward & t.contracted_10k.notna() & t.signed.notna()).any():
            found["contracted_capital"] = (float(inward.contracted_10k.sum()), month)
        if t.received_10k.notna().any():
            found["actual_capital"] = (float(t[t.inward].received_10k.fillna(0).sum()),
                                       int(t.received_as_of.max()))
        return found


def as_of_date(period: Period, today: dt.date) -> dt.date:
    """The day a period is looked at: its last day, or today while that month is still running."""
    end = dt.date(period.year, period.last, monthrange(period.year, period.last)[1])
    return min(end, today) if today >= dt.date(period.year, period.last, 1) else end


def _date(text) -> dt.date | None:
    return None if text is None or is_missing(text) else dt.date.fromisoformat(str(text))


def schedule_start(row: dict) -> dt.date | None:
    """The day a project's investment schedule starts: its planned 开工, else its actual 开工
    (whatever the register carries as the start); None when it gives neither."""
    return _date(row.get("start_planned")) or _date(row.get("start_actual"))


def compute_project_schedule(start: dt.date | None, year: int, through: int) -> float:
    """序时进度 of a project's plan for `year` at the end of month `through`: the elapsed share of
    the time from its start to 31 December, counted in months, the start's month pro rata by its
    days (the start day itself counts as elapsed).

    A project starting on 30 April has 3 + 29/30 months of the year behind it when it starts, so at
    the end of June 2 + 1/30 of its 8 + 1/30 months have passed (25.3%). Before its start (at the
    end of March) it is 0: nothing is due, nothing is behind. A project that started in an earlier
    year, or whose start is not recorded, runs from January: through / 12, the official 序时进度.
    A project starting in a later year is 0 all year."""
    if start is None or start.year < year:
        return compute_schedule(through)
    if start.year > year:
        return 0.0
    begun = start.month - 1 + (start.day - 1) / monthrange(start.year, start.month)[1]
    return min(max((through - begun) / (12 - begun), 0.0), 1.0)


def milestones_of(row: dict, on: dt.date) -> list[Milestone]:
    """A project's four milestones as they stood on `on`."""
    out = []
    for code in MILESTONE_NAMES:
        actual = _date(row.get(f"{code}_actual"))
        out.append(Milestone(code, _date(row.get(f"{code}_planned")),
                             actual if actual is not None and actual <= on else None))
    return out


def _cumulative(spans: dict, through: int) -> tuple[float | None, int | None]:
    """Investment completed in the year through `through`, else through the latest month before
    it that is known (a project reports every month; a gap is not read as 0)."""
    for month in range(through, 0, -1):
        found = derive_span(spans, 1, month)
        if found is not None:
            return found.value, month
    return None, None


def _received(spans: dict, through: int) -> tuple[float | None, int | None]:
    """Capital received in the year through `through`: money arrives in some months only, so a
    month without a record received nothing; a year-to-date figure (1-5月) counts as given."""
    known = {s: v for s, v in spans.items() if s[1] <= through}
    if not known:
        return None, None
    base_end = max((b for a, b in known if a == 1), default=0)
    base = derive_span(known, 1, base_end).value if base_end else 0.0
    later = [(s, v) for s, v in known.items() if s[0] > base_end]
    # later spans may overlap one another (a month and its quarter): count each month once, the
    # shortest spans first
    taken: set[int] = set()
    total = base
    for (a, b), (value, _) in sorted(later, key=lambda item: item[0][1] - item[0][0]):
        months = set(range(a, b + 1))
        if not months & taken:
            total += value
            taken |= months
    return total, max(b for _, b in known)


def _spans(progress: pd.DataFrame, column: str) -> dict[str, dict]:
    known = progress[progress[column].notna()]
    out: dict[str, dict] = {}
    for key, a, b, v in zip(known.project_key, known.first_month, known.last_month, known[column]):
        out.setdefault(key, {})[(int(a), int(b))] = (float(v), None)
    return out


def compute_projects(register: pd.DataFrame, progress: pd.DataFrame, period: Period, today: dt.date,
                     settings: ProjectSettings = ProjectSettings()) -> ProjectBook:
    """Every project of the register with, through the period's last month:

    invested_10k (completed this year; None for every project while the year has no progress at
    all through the month, else 0 for a project that has not reported), invested_as_of, reported,
    completion (of this year's plan), schedule (序时进度), gap, received_10k, late, delay_days
    (of the first overdue milestone), late_milestone, next_milestone, next_planned, milestones,
    signed_this_year, big.
    """
    on = as_of_date(period, today)
    month = period.last
    invested_by_key = {key: _cumulative(spans, month) for key, spans in _spans(progress, "invested_10k").items()}
    received_spans = _spans(progress, "received_10k")
    reported_months = [m for _, m in invested_by_key.values() if m]
    any_progress = bool(reported_months)
    # Every project is judged at the month of the latest progress report (5月 figures seen in
    # June are measured against 5/12), like an entered target's figure; each from its own start.
    judged = max(reported_months, default=month)
    judged_end = dt.date(period.year, judged, monthrange(period.year, judged)[1])
    rows = []
    for row in register.to_dict("records"):
        start = schedule_start(row)
        schedule = compute_project_schedule(start, period.year, judged)
        invested, invested_month = invested_by_key.get(row["name_key"], (None, None))
        received, received_month = _received(received_spans.get(row["name_key"], {}), month)
        reported = invested is not None
        if not reported and any_progress:
            invested = 0.0
        plan = None if is_missing(row["plan_10k"]) else row["plan_10k"]
        completion = compute_completion(invested, plan) if plan else None
        stones = milestones_of(row, on)
        # Not started: the schedule has not begun by the month judged, and no 开工 is recorded by then.
        before_start = start is not None and start > judged_end and not stones[0].done
        overdue = [m for m in stones if not m.done and m.planned is not None and m.planned < on]
        upcoming = next((m for m in stones if not m.done), None)
        signed = _date(row["signed"])
        rows.append({
            **row,
            "invested_10k": invested, "invested_as_of": invested_month, "reported": reported,
            "received_10k": received if row["inward"] else None, "received_as_of": received_month,
            "completion": completion, "schedule": schedule, "schedule_start": start, "before_start": before_start,
            "gap": compute_schedule_gap(completion, schedule),
            "late": bool(overdue), "delay_days": overdue[0].days_late(on) if overdue else 0,
            "late_milestone": overdue[0].name if overdue else None,
            "late_planned": overdue[0].planned if overdue else None,
            "next_milestone": upcoming.name if upcoming else None,
            "next_planned": upcoming.planned if upcoming else None,
            "milestones": stones,
            "signed_this_year": signed is not None and signed.year == period.year and signed <= on,
            "big": not is_missing(row["total_10k"]) and row["total_10k"] >= settings.big_project_min_10k,
        })
    columns = [*register.columns, "invested_10k", "invested_as_of", "reported", "received_10k", "received_as_of",
               "completion", "schedule", "schedule_start", "before_start", "gap", "late", "delay_days",
               "late_milestone", "late_planned", "next_milestone", "next_planned", "milestones", "signed_this_year",
               "big"]
    table = pd.DataFrame(rows, columns=columns)
    table = table.astype({"invested_10k": float, "received_10k": float, "completion": float, "schedule": float,
                          "gap": float, "late": bool, "before_start": bool, "manufacturing": bool, "inward": bool,
                          "signed_this_year": bool})
    return ProjectBook(period, on, table, project_warnings(table, on, settings), settings)


def project_warnings(table: pd.DataFrame, on: dt.date, settings: ProjectSettings) -> pd.DataFrame:
    """项目节点滞后 (a milestone past its planned date, not reached) and 项目投资落后序时 (investment
    completed against this year's plan behind 序时进度 by the settings' gaps)."""
    out = []
    for row in table.itertuples(index=False):
        if row.late:
            level = "红" if row.delay_days >= settings.late_red_days else "橙"
            out.append((row.name, row.enterprise, row.sector, level, "milestone_late", float(row.delay_days),
                        f"{row.late_milestone}计划{row.late_planned:%Y-%m-%d}，滞后{row.delay_days}天"))
        if not is_missing(row.gap) and row.gap <= settings.behind_blue:
            level = ("红" if row.gap <= settings.behind_red else "橙" if row.gap <= settings.behind_orange else "蓝")
            since = (f"（自{row.schedule_start.month}月{row.schedule_start.day}日开工起算）"
                     if not is_missing(row.schedule_start) and row.schedule_start.year == on.year else "")
            out.append((row.name, row.enterprise, row.sector, level, "investment_behind", float(row.gap),
                        f"完成年度计划投资{format_percent(row.completion)}，序时进度{format_percent(row.schedule)}"
                        + since))
    frame = pd.DataFrame(out, columns=["name", "enterprise", "sector", "level", "rule", "value", "detail"])
    order = {"红": 0, "橙": 1, "蓝": 2}
    return frame.sort_values(["level", "rule", "name"], key=lambda s: s.map(order) if s.name == "level" else s
                             ).reset_index(drop=True)


def project_history(progress: pd.DataFrame, project_key: str, through: int) -> pd.DataFrame:
    """A project's months 1..through: investment of the month and the year to date, capital
    received in the month (None where not known: a month inside a span reported as a whole)."""
    mine = progress[progress.project_key == project_key]
    invested = _spans(mine, "invested_10k").get(project_key, {})
    received = _spans(mine, "received_10k").get(project_key, {})
    rows = []
    for month in range(1, through + 1):
        alone = derive_span(invested, month, month)
        to_date = derive_span(invested, 1, month)
        got = derive_span(received, month, month)
        rows.append({"month": month, "invested_10k": None if alone is None else alone.value,
                     "cumulative_10k": None if to_date is None else to_date.value,
                     "received_10k": None if got is None else got.value})
    return pd.DataFrame(rows, columns=["month", "invested_10k", "cumulative_10k", "received_10k"]).astype(
        {"invested_10k": float, "cumulative_10k": float, "received_10k": float})


# The milestones whose actual dates say a project is finished.
_FINISHING = ("completion", "production")


@dataclass(frozen=True)
class CarryOver:
    """Last year's unfinished projects as rows of `year`'s register (plan_carry_over)."""

    year: int
    # store.load_projects columns for `year`: plan_10k is what remains of the total (None when the
    # total is not recorded); with invested_to_date_10k, reason, and suggested (unfinished by its
    # milestones: carried unless staff untick it; short of its total only: offered, not ticked)
    carry: pd.DataFrame
    kept: list[str]  # unfinished projects already in `year`'s register: left as they are

    @property
    def empty(self) -> bool:
        return self.carry.empty and not self.kept


def compute_invested_to_date(progress_by_year: dict[int, pd.DataFrame]) -> dict[str, float]:
    """Each project's investment completed over the years with stored progress (万元): the sum of
    each year's latest known year to date. Years before a project's first register are not known
    and not counted."""
    out: dict[str, float] = {}
    for progress in progress_by_year.values():
        for key, spans in _spans(progress, "invested_10k").items():
            value, _ = _cumulative(spans, 12)
            if value is not None:
                out[key] = out.get(key, 0.0) + value
    return out


def plan_carry_over(previous: pd.DataFrame, invested: dict[str, float], registered: set[str],
                    year: int) -> CarryOver:
    """Which projects of last year's register (`previous`, store.load_projects of year − 1) go on
    into `year`: those without an actual 竣工 or 投产 date, and those whose investment to date
    (`invested`, compute_invested_to_date; none recorded is 0) is below their total. Each keeps its
    name, enterprise, attributes, contact, issues and milestone dates (reached ones as history,
    the others still due); its plan for `year` is the total less the investment to date. A project
    whose name is in `registered` (the name keys of `year`'s register) is never carried over it."""
    carry, kept = [], []
    for row in previous.to_dict("records"):
        pending = [MILESTONE_NAMES[code] for code in _FINISHING if _date(row.get(f"{code}_actual")) is None]
        done = invested.get(row["name_key"], 0.0)
        total = None if is_missing(row["total_10k"]) else float(row["total_10k"])
        short = total is not None and done < total - 1e-6
        if not pending and not short:
            continue
        if row["name_key"] in registered:
            kept.append(row["name"])
            continue
        reasons = [labels.CARRY_REASON_MILESTONES.format(names="、".join(pending))] if pending else []
        if short:
            reasons.append(labels.CARRY_REASON_INVESTMENT.format(invested=format_10k(done), total=format_10k(total)))
        carry.append({**row, "year": year, "plan_10k": None if total is None else max(total - done, 0.0),
                      "invested_to_date_10k": done, "reason": "；".join(reasons), "suggested": bool(pending)})
    columns = [*previous.columns, "invested_to_date_10k", "reason", "suggested"]
    frame = pd.DataFrame(carry, columns=columns).astype({"plan_10k": float, "invested_to_date_10k": float})
    return CarryOver(year, frame.astype({"suggested": bool}), kept)
