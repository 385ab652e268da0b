"""The county's annual 亩均效益评价 data: one row per enterprise (企业名称, 统一社会信用代码, 是否规上,
用地面积, 税收实际贡献, 工业增加值, 综合能耗, 主要污染物排放当量, 年平均职工人数, 研发经费支出,
营业收入, 用电量, [投产日期], 备注) under a title that names the year, a unit row, a 合计 row and
notes. Figures go to their stored units; a blank figure is missing (never 0), 0 is 0."""
from __future__ import annotations

import datetime as dt
import re

from ...domain import labels
from ...domain.evaluation import FIGURES
from ...domain.numbers import is_missing, parse_number
from ...domain.periods import normalise_text, parse_year
from ...domain.units import MONEY_FIGURES, figure_factor, known_figure_units
from ..cells import cell_text
from ..columns import bracket_text, unit_in
from ..layout import Column, SheetLayout

_DATE_TEXT = re.compile(r"((?:19|20|21)\d{2})\s*[-/.年]\s*(\d{1,2})\s*(?:月|[-/.])?\s*(\d{1,2})?")


def parse_evaluation(layout: SheetLayout, parts: dict) -> None:
    """The sheet's rows into parts["evaluation"] (dicts of clean.EVALUATION_FIELDS) and its
    enterprises into parts["mentions"] (without the row's 是否规上, which is that year's and stays
    with the figures). An enterprise twice in the file (by name, or a credit code under two names)
    in one year is a problem naming both places."""
    by_role, report = layout.by_role, layout.report
    columns = {f: by_role[f] for f in FIGURES if f in by_role}
    factors = {f: _factor(layout, f, col) for f, col in columns.items()}
    if None in factors.values():
        return
    year_col = by_role.get("year")
    sheet_year = layout.sheet_year(layout.header_row)
    if sheet_year is None and year_col is None:
        layout.problem(labels.EVALUATION_NEEDS_YEAR, layout.header_row + 1)
        return
    name_header = by_role["enterprise"].header
    years = set()
    written_years = {}  # row → the 年份 column's year, where the sheet's own year is known too
    for i, cells in layout.data_rows:
        year = parse_year(cells[year_col.index]) if year_col else sheet_year
        if year is not None and year_col and sheet_year is not None:
            written_years[i] = year
        year = year or sheet_year
        if year is None:
            layout.problem(labels.EVALUATION_NEEDS_YEAR, i + 1, year_col.header, cell_text(cells[year_col.index]))
            continue
        name, key, code, sector, above, contact = layout.enterprise_tuple(i, cells, by_role)
        mention = (name, key, code, sector, None, contact)
        parts["mentions"].pop(mention, None)
        parts["mentions"][mention] = None
        fine = _first_in_year(layout, parts["seen"], i, year, name, key, code, name_header)
        row = {"sheet": layout.sheet.name, "row": i + 1, "name": name, "name_key": key, "credit_code": code,
               "year": year, "above_scale": above,
               "scale_column": by_role["above_scale"].header if "above_scale" in by_role else None}
        for figure in FIGURES:
            value = _figure(layout, i, cells, figure, columns.get(figure))
            fine = fine and value is not False
            row[figure] = float("nan") if value is None or value is False else value * factors[figure]
        start = _date(layout, i, cells, by_role.get("production_start"))
        if start and start.year > year:
            # A start after the evaluation year would be taken for 当年新投产: a typo or the wrong sheet.
            col = by_role["production_start"]
            layout.problem(labels.EVALUATION_START_AFTER_YEAR.format(year=year), i + 1, col.header,
                           cell_text(cells[col.index]) or start.isoformat())
            start = False
        note = by_role.get("note")
        row["production_start"] = None if start in (None, False) else start.isoformat()
        row["note"] = (cell_text(cells[note.index]) or None) if note else None
        if not fine or start is False:
            continue
        parts["evaluation"].append(row)
        years.add(year)
        report.rows += 1
    _refuse_disagreeing_years(layout, written_years, sheet_year, year_col)
    report.periods = [labels.EVALUATION_PERIOD.format(year=y) for y in sorted(years)]
    report.unit = "、".join(dict.fromkeys(col.unit for col in columns.values() if col.unit)) or None


def _refuse_disagreeing_years(layout: SheetLayout, written: dict[int, int], sheet_year: int | None,
                              year_col: Column | None) -> None:
    """A 年份 column that says another year than the title, the sheet name or --period: refused,
    naming both (at the header), or, when the column's years differ from row to row, each row
    that differs. Neither wins silently: one of them is wrong, and only staff know which."""
    wrong = {i: y for i, y in written.items() if y != sheet_year}
    if not wrong:
        return
    where = labels.EVALUATION_YEAR_SOURCES[_year_source(layout, sheet_year)]
    if len(set(written.values())) == 1:
        layout.problem(labels.EVALUATION_YEAR_DISAGREES.format(
            column_year=next(iter(wrong.values())), where=where, sheet_year=sheet_year),
            layout.header_row + 1, year_col.header)
        return
    for i, year in wrong.items():
        layout.problem(labels.EVALUATION_ROW_YEAR_DISAGREES.format(where=where, sheet_year=sheet_year), i + 1,
                       year_col.header, year)


def _year_source(layout: SheetLayout, year: int) -> str:
    """Where the sheet's own year comes from, as SheetLayout.sheet_year looks: --period, the sheet
    name, else the title."""
    if layout.override:
        return "override"
    return "sheet" if f"{year}年" in normalise_text(layout.sheet.name) else "title"


def _factor(layout: SheetLayout, figure: str, col: Column) -> float | None:
    """A figure column's factor to its stored unit: its own unit (header, or the unit row under it),
    a money figure's also the sheet's (单位：万元 in the title); the stored unit when none is
    written. None, with the problem noted, for a unit the figure cannot be in."""
    if figure in MONEY_FIGURES:
        unit, factor = layout.money_unit(col)
        if unit is not None and factor is None:
            return None  # money_unit said why
        col.unit = unit or "万元"
        return 1.0 if unit is None else factor
    unit = col.unit or bracket_text(col.header)
    if unit is None or (unit_in(unit) and col.unit_row is not None and col.unit_row > layout.header_row
                        and not bracket_text(col.header)):
        # Nothing written, or the money unit of a unit row that names only one (单位：万元) spread
        # over every column: the figure's own unit.
        col.unit = None
        return 1.0
    factor = figure_factor(figure, normalise_text(unit))
    if factor is None:
        row = col.unit_row + 1 if col.unit_row is not None else layout.header_row + 1
        layout.problem(labels.FIGURE_UNIT_UNKNOWN.format(figure=labels.EVALUATION_FIGURES[figure], unit=unit,
                                                         known=known_figure_units(figure)), row, col.header, unit)
        return None
    col.unit = unit
    return factor


def _figure(layout: SheetLayout, i: int, cells, figure: str, col: Column | None):
    """A row's figure as written (None when blank or no column; False, with the problem noted, when
    it is no number or negative). 0 is a figure: counties write it."""
    if col is None:
        return None
    cell = cells[col.index]
    value = layout.number(i, col, cell, allow_negative=True)
    if value is None:
        return False if (i, col.index) in layout.special or _unreadable(cell) else None
    if value < 0:
        layout.problem(labels.NEGATIVE_FIGURE.format(figure=labels.EVALUATION_FIGURES[figure]), i + 1,
                       col.header, cell)
        return False
    return value


def _unreadable(cell) -> bool:
    """A cell that holds something other than a number (layout.number has noted the problem)."""
    try:
        parse_number(cell)
    except ValueError:
        return True
    return False


def _date(layout: SheetLayout, i: int, cells, col: Column | None):
    """The row's 投产日期: a date, None when blank or no column, False (the problem noted) when unreadable."""
    if col is None:
        return None
    cell = cells[col.index]
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = normalise_text(cell_text(cell))
    if not text or is_missing(cell):
        return None
    m = _DATE_TEXT.fullmatch(text.rstrip("日号"))
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    except ValueError:
        pass
    layout.problem(labels.BAD_DATE, i + 1, col.header, cell_text(cell))
    return False


def _first_in_year(layout: SheetLayout, seen: dict, i: int, year: int, name: str, key: str, code: str | None,
                   header: str) -> bool:
    """True when the file has not given this enterprise's year before (by name, or by credit code
    under another name); else the problem, naming the other place."""
    here = (layout.sheet.name, i + 1, name)
    other = seen.setdefault(("evaluation", key, year), here)
    if other is here and code:
        other = seen.setdefault(("evaluation_code", code, year), here)
        if other is not here:
            layout.problem(labels.EVALUATION_CODE_TWICE.format(
                code=code, where=_where(other, here), row=other[1], other=other[2]), i + 1, header, name)
            return False
        return True
    if other is here:
        return True
    layout.problem(labels.EVALUATION_TWICE.format(where=_where(other, here), row=other[1]), i + 1, header, name)
    return False


def _where(other: tuple, here: tuple) -> str:
    return "" if other[0] == here[0] else f"工作表「{other[0]}」"
