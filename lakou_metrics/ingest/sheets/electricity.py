"""The 供电所's monthly electricity sheet: one row per enterprise (企业名称, or 户号 the register maps
to one, or both) with its 用电量 by span like an output sheet (本月 | 1-N月累计 | 上年同期, or one
column per month), in 万千瓦时 (千瓦时 and 度 converted)."""
from __future__ import annotations

import re

from ...domain import labels
from ...domain.periods import Period, normalise_text, summarise_periods
from ...domain.units import POWER_UNITS, STORED_POWER_UNIT
from ..cells import cell_text, enterprise_display_name, place_value_column
from ..layout import Column, SheetLayout
from .output import _prior_target, warn_blank

_POWER_UNIT_STATED = re.compile(r"单位[:：]?\s*(万千瓦时|千瓦时|万度|度|万kwh|kwh)", re.IGNORECASE)


def parse_electricity(layout: SheetLayout, parts: dict) -> None:
    """The sheet's figures into parts["electricity"] (dicts of clean.ELECTRICITY_FIELDS), its named
    enterprises into parts["mentions"]. An enterprise's (or a 户号's) span met twice in the file is
    a problem naming both places; a figure that is negative or no number, a problem at its cell."""
    by_role, report = layout.by_role, layout.report
    factors = _factors(layout)
    found = _months_of_a_year(layout) or layout.period_source(layout.header_row, by_role)
    if found is None or factors is None:
        return
    row_period, sheet_period = found
    name_col, account_col = by_role.get("enterprise"), by_role.get("power_account")
    key_header = (name_col or account_col).header
    plans: dict = {}
    blank, periods = [], set()
    for i, cells in layout.data_rows:
        period = sheet_period or row_period(i, cells)
        if period is None:
            continue
        if period not in plans:
            plans[period] = _plan(layout, period)
        current, priors = plans[period]
        name = enterprise_display_name(cells[name_col.index]) if name_col else ""
        account = cell_text(cells[account_col.index]) or None if account_col else None
        ent = layout.enterprise_fields(i, cells, by_role, parts["mentions"]) if name else None
        spans = _row_spans(layout, i, cells, current, factors)
        if not spans:
            blank.append((i + 1, name or account))
            continue
        for col, target in priors:
            prior = _power(layout, i, cells, col)
            for entry in spans.values():
                if target is not None and entry[2] is target and prior is not None:
                    entry[1] = prior * factors[col.index]
        who = ("name", ent["name_key"]) if ent else ("account", account)
        if not _first(layout, parts["seen"], i, who, spans, key_header, name or account):
            continue
        for span, (value, prior, col) in spans.items():
            parts["electricity"].append({
                "sheet": layout.sheet.name, "row": i + 1, "column": col.header, "name": name or None,
                "name_key": ent["name_key"] if ent else None, "credit_code": ent["credit_code"] if ent else None,
                "account": account, "year": span.year, "first_month": span.first, "last_month": span.last,
                "value_10k_kwh": value, "prior_10k_kwh": prior})
        periods.update(spans)
        report.rows += 1
    report.periods = [labels.ELECTRICITY_PERIOD.format(period=p) for p in summarise_periods(periods)]
    warn_blank(layout, blank, key_header)


def _months_of_a_year(layout: SheetLayout):
    """(None, 1-N月 of the sheet's year) for a sheet of one column per month (1月用电量 | 2月用电量 …)
    under a title that names only its year; None for any other sheet (its period is read as output's)."""
    months = [c.value_kind.months for c in layout.values if c.value_kind.span == "range"]
    if (len(months) != len(layout.values) or layout.row_period_reader(layout.by_role, layout.header_row)
            or layout.sheet_period(layout.header_row)):
        return None
    year = layout.sheet_year(layout.header_row)
    return None if year is None else (None, Period.ytd(year, max(last for _, last in months)))


def _plan(layout: SheetLayout, period) -> tuple[list, list]:
    """[(column, span)] of the figures of rows of `period`, and [(上年同期 column, the column it is the
    base of)]; a column whose header names a period that cannot be read in it is a problem."""
    current, priors = [], []
    for col in layout.values:
        placed = place_value_column(col.value_kind, period)
        if placed is None:
            layout.problem(labels.HEADER_PERIOD_MISMATCH.format(period=period.label()), layout.header_row + 1,
                           col.header)
            continue
        (priors if placed[1] else current).append((col, placed[0]))
    return current, [(col, _prior_target(col, span, current)) for col, span in priors]


def _row_spans(layout: SheetLayout, i: int, cells, current: list, factors: dict) -> dict:
    """A row's figures: span → [value in 万千瓦时, prior (set after), its column]."""
    spans: dict = {}
    for col, span in current:
        value = _power(layout, i, cells, col)
        if value is not None and span not in spans:
            spans[span] = [value * factors[col.index], None, col]
    return spans


def _power(layout: SheetLayout, i: int, cells, col: Column) -> float | None:
    """A cell's 用电量 as written; None when blank, or (the problem noted) negative or no number."""
    cell = cells[col.index]
    value = layout.number(i, col, cell, allow_negative=True)
    if value is not None and value < 0:
        layout.problem(labels.NEGATIVE_FIGURE.format(figure="用电量"), i + 1, col.header, cell)
        return None
    return value


def _factors(layout: SheetLayout) -> dict[int, float] | None:
    """Each figure column's factor to 万千瓦时: its own unit, else the sheet's (单位：千瓦时 in the
    title), else 万千瓦时 (said). None, with the problem noted, for a unit that is no electricity."""
    stated = _sheet_power_unit(layout)
    factors = {}
    for col in layout.values:
        unit = col.unit or stated
        if unit is None:
            layout.warn(labels.POWER_UNIT_ASSUMED, layout.header_row + 1, col.header)
            unit = STORED_POWER_UNIT
        factor = POWER_UNITS.get(normalise_text(unit).lower())
        if factor is None:
            layout.problem(labels.FIGURE_UNIT_UNKNOWN.format(figure="用电量", unit=unit, known="、".join(POWER_UNITS)),
                           (col.unit_row if col.unit else layout.header_row) + 1, col.header, unit)
            return None
        factors[col.index] = factor
        col.unit = unit
    layout.report.unit = "、".join(dict.fromkeys(c.unit for c in layout.values)) or None
    return factors


def _sheet_power_unit(layout: SheetLayout) -> str | None:
    """The electricity unit the rows above the header state (单位：千瓦时), None when none."""
    for row in layout.sheet.rows[:layout.header_row]:
        for cell in row:
            m = _POWER_UNIT_STATED.search(normalise_text(cell_text(cell)))
            if m:
                return m.group(1)
    return None


def _first(layout: SheetLayout, seen: dict, i: int, who: tuple, spans: dict, header: str, label: str) -> bool:
    """True when none of the row's spans was met before for its enterprise (by name) or 户号; else
    each repeat is a problem naming the other row."""
    here = (layout.sheet.name, i + 1)
    first = True
    for span in spans:
        other = seen.setdefault(("power", *who, span), here)
        if other is here:
            continue
        where = "" if other[0] == here[0] else f"工作表「{other[0]}」"
        layout.problem(labels.ELECTRICITY_TWICE.format(period=span.label(), where=where, row=other[1]), i + 1,
                       header, label)
        first = False
    return first
