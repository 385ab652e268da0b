"""Project sheets → tidy rows: the 重点项目 register of a year, and its monthly progress.

A register sheet has a 项目名称 column and the project's attributes (企业, 建设性质, 总投资, 年度计划投资,
milestone dates …); a progress sheet has 项目名称 with 完成投资 (and 到位资金) columns for a month
or a span of months. Both are read by `layout.SheetLayout`, which finds the header and the rows and
hands them here; problems are collected exactly as for output sheets, so a bad project sheet is
refused with every problem listed.
"""
from __future__ import annotations

import datetime as dt
import re
from calendar import monthrange

from ...domain import labels
from ...domain.periods import Period, normalise_text, parse_year, summarise_periods
from ..cells import cell_text, describe_span_kind, enterprise_display_name, enterprise_name_key, resolve_span
from ..columns import MILESTONE_FIELDS, REFERENCE_PREFIX, classify_project_measure, match_yes_no
from ..layout import SheetLayout

MILESTONE_ROLES = tuple(f"milestone_{field}" for field in MILESTONE_FIELDS)
PROJECT_KINDS = {"新建": "新建", "扩建": "扩建", "技改": "技改", "技术改造": "技改", "改扩建": "扩建",
                 "新建项目": "新建", "扩建项目": "扩建", "技改项目": "技改"}
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?|\s*月?)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def is_progress_sheet(columns) -> bool:
    """A progress sheet has a 完成投资 or 到位资金 column; a register has none."""
    return any(c.role is None and classify_project_measure(c.header) for c in columns)


def parse_date(cell) -> dt.date | None:
    """A milestone or signing date: a date cell, 2023-06-30, 2023/6/30, 2023年6月30日, or a month
    alone (2023年6月, 2023-06: its last day). None when blank; ValueError when unreadable."""
    if cell is None or cell == "":
        return None
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, float | int) and not isinstance(cell, bool):
        # A date typed into a cell formatted as a number shows as Excel's day count (45107).
        if float(cell).is_integer() and 32874 <= cell <= 73051:  # 1990-01-01 … 2099-12-31
            return _EXCEL_EPOCH + dt.timedelta(days=int(cell))
        raise ValueError(cell)
    text = normalise_text(cell)
    if text in ("", "-", "—", "/", "无"):
        return None
    m = _DATE_TEXT.match(text)
    if not m:
        raise ValueError(cell)
    year, month = int(m.group(1)), int(m.group(2))
    day = int(m.group(3)) if m.group(3) else None
    if not (1990 <= year <= 2099 and 1 <= month <= 12):
        raise ValueError(cell)
    last = monthrange(year, month)[1]
    if day is not None and not 1 <= day <= last:
        raise ValueError(cell)
    return dt.date(year, month, day or last)


class _RegisterRow:
    """One row of a register sheet, read cell by cell: every unreadable cell is noted as a problem
    with its row and column, and read as blank."""

    def __init__(self, layout, i: int, cells, by_role, today: dt.date):
        self.layout, self.i, self.cells, self.by_role = layout, i, cells, by_role
        self.today = today

    def problem(self, reason, role: str) -> None:
        col = self.by_role[role]
        self.layout.problem(reason, self.i + 1, col.header, self.cells[col.index])

    def text(self, role: str) -> str | None:
        col = self.by_role.get(role)
        return (cell_text(self.cells[col.index]) or None) if col else None

    def money(self, role: str) -> float | None:
        """An amount in 万元 (the column's or the sheet's unit, else 万元)."""
        col = self.by_role.get(role)
        if col is None:
            return None
        value = self.layout.number(self.i, col, self.cells[col.index])
        factor = self.layout.money_unit(col)[1]
        return None if value is None or factor is None else value * factor

    def flag(self, role: str, default: bool) -> bool:
        """是/否; blank → `default`."""
        if not self.text(role):
            return default
        value = match_yes_no(self.cells[self.by_role[role].index])
        if value is None:
            self.problem(labels.BAD_YES_NO, role)
            return default
        return value

    def kind(self) -> str | None:
        """新建 / 扩建 / 技改 (and the ways staff write them)."""
        col = self.by_role.get("project_kind")
        text = normalise_text(self.cells[col.index]) if col else ""
        if not text:
            return None
        if text not in PROJECT_KINDS:
            self.problem(labels.BAD_PROJECT_KIND, "project_kind")
        return PROJECT_KINDS.get(text)

    def date(self, role: str) -> str | None:
        """An ISO date; an actual (or signing) date may not lie after today."""
        col = self.by_role.get(role)
        if col is None:
            return None
        try:
            value = parse_date(self.cells[col.index])
        except ValueError:
            self.problem(labels.BAD_DATE, role)
            return None
        if value is not None and (role.endswith("_actual") or role == "signed") and value > self.today:
            self.problem(labels.ACTUAL_DATE_IN_FUTURE.format(today=f"{self.today:%Y-%m-%d}"), role)
            return None
        return None if value is None else value.isoformat()


def _warn_unread(layout: SheetLayout, unread) -> None:
    """Columns of a project sheet no role was found for: said, so a date or an amount under an
    unknown header (开工时间 without 计划/实际) is never dropped without a word."""
    names = [c.header for c in unread if not normalise_text(c.header).startswith(REFERENCE_PREFIX)]
    if names:
        layout.warn(labels.PROJECT_UNREAD_COLUMNS.format(names="、".join(f"「{n}」" for n in names)),
                    row=layout.header_row + 1)


def parse_register(layout: SheetLayout, parts: dict, today: dt.date | None = None) -> None:
    """One row per project of a year: who builds it, what it costs, when each milestone is due.
    An actual date after `today` (default: the date now) is refused."""
    header_row, by_role, data_rows, report = layout.header_row, layout.by_role, layout.data_rows, layout.report
    _warn_unread(layout, [c for c in layout.columns if c.role is None])
    today = today or dt.date.today()
    if "enterprise" not in by_role:
        layout.problem(labels.PROJECT_NEEDS_ENTERPRISE_COLUMN, row=header_row + 1)
        return
    problems_before = len(layout.problems)
    sheet_year = layout.sheet_year(header_row)
    year_col = by_role.get("year")
    seen: dict = {}
    rows = parts["projects"]
    for i, cells in data_rows:
        row = _RegisterRow(layout, i, cells, by_role, today)
        name = _display(cells[by_role["project"].index])
        year = parse_year(cells[year_col.index]) if year_col else sheet_year
        if year is None:
            layout.problem(labels.PROJECT_NEEDS_YEAR, i + 1, year_col.header if year_col else None,
                           cells[year_col.index] if year_col else None)
            continue
        first = seen.setdefault((year, _key(name)), i + 1)
        if first != i + 1:
            layout.problem(labels.DUPLICATE_PROJECT.format(other=first), i + 1, by_role["project"].header, name)
            continue
        enterprise = _display(cells[by_role["enterprise"].index])
        if enterprise and layout.is_long_name(i, by_role["enterprise"], enterprise):
            continue
        if not enterprise:
            layout.problem(labels.PROJECT_NEEDS_ENTERPRISE, i + 1, by_role["enterprise"].header)
        total, plan, contracted = row.money("total_investment"), row.money("year_plan"), row.money("contracted")
        inward = row.flag("inward", contracted is not None)
        if contracted is not None and not inward:
            row.problem(labels.CONTRACT_NOT_INWARD, "contracted")
        if total is not None and plan is not None and plan > total * 1.0000001:
            row.problem(labels.PLAN_ABOVE_TOTAL.format(total=f"{total:g}"), "year_plan")
        rows.append({
            "sheet": layout.sheet.name, "row": i + 1, "year": year, "name": name, "name_key": _key(name),
            "enterprise": enterprise, "enterprise_key": _key(enterprise),
            "credit_code": layout.credit_code(i, cells, by_role), "sector": layout.sector(i, cells, by_role),
            "kind": row.kind(), "manufacturing": row.flag("manufacturing", True),
            "total_10k": total, "plan_10k": plan, "inward": inward, "contracted_10k": contracted,
            "signed": row.date("signed"), "contact": row.text("contact"),
            **{role.removeprefix("milestone_"): row.date(role) for role in MILESTONE_ROLES},
            "issues": row.text("issues"),
        })
        report.rows += 1
    if len(layout.problems) == problems_before:
        years = {r["year"] for r in rows if r["sheet"] == layout.sheet.name}
        report.periods = [f"{y}年重点项目" for y in sorted(years)]


def parse_progress(layout: SheetLayout, parts: dict) -> None:
    """Investment completed (and inward capital received) per project, for a month or a span."""
    header_row, by_role, columns, data_rows, report = (
        layout.header_row, layout.by_role, layout.columns, layout.data_rows, layout.report)
    measures = []
    for col in columns:
        found = None if col.role else classify_project_measure(col.header)
        if found:
            measures.append((col, *found))
    _warn_unread(layout, [c for c in columns if c.role is None and not any(c is m[0] for m in measures)])
    factors = {col.index: layout.money_unit(col) for col, _, _ in measures}
    found = layout.period_source(header_row, by_role)
    if found is None:
        return
    row_period, sheet_period = found
    seen = parts.setdefault("progress_seen", {})
    out = parts["progress"]
    spans_all = set()
    for i, cells in data_rows:
        period = sheet_period or row_period(i, cells)
        if period is None:
            continue
        name = _display(cells[by_role["project"].index])
        key = _key(name)
        figures: dict = {}
        for col, measure, kind in measures:
            value = layout.number(i, col, cells[col.index])
            if value is None or factors[col.index][1] is None:
                continue
            span = resolve_span(kind, period)
            if span is None:
                layout.problem(labels.BAD_PERIOD, i + 1, col.header, period.label())
                continue
            value *= factors[col.index][1]
            slot = figures.setdefault((span.year, span.first, span.last), {"invested": None, "received": None})
            slot[measure] = value
        for (year, first, last), values in figures.items():
            where = seen.setdefault((key, year, first, last), (layout.sheet.name, i + 1))
            if where != (layout.sheet.name, i + 1):
                layout.problem(labels.DUPLICATE_PROJECT_PERIOD.format(other=where[1]), i + 1,
                               by_role["project"].header, name)
                continue
            out.append({"sheet": layout.sheet.name, "row": i + 1, "name": name, "name_key": key, "year": year,
                        "first_month": first, "last_month": last, "invested_10k": values["invested"],
                        "received_10k": values["received"]})
            spans_all.add((year, first, last))
        if figures:
            report.rows += 1
    for col, measure, (span_kind, months, *_) in measures:
        report.columns[col.header] = describe_span_kind(span_kind, months) + (
            "完成投资" if measure == "invested" else "到位资金")
    report.periods = [f"{p}项目进度" for p in summarise_periods({Period(*s) for s in spans_all})]
    report.unit = "、".join(sorted({factors[c.index][0] or "万元" for c, _, _ in measures}))


def _display(cell) -> str:
    return enterprise_display_name(cell_text(cell)) if cell_text(cell) else ""


def _key(name: str) -> str:
    return enterprise_name_key(name) if name else ""
