"""Output sheets, long or wide: one row per enterprise per span of months, values in 万元, with the
sheet's own 上年同期 where it has one.

One reader for every output sheet, clean or messy, of ten rows or a county's 100,000: each test a
row gets is asked once per distinct value (an enterprise's cells, a period's spelling), so the
common case stays cheap without a second path that could read a sheet differently.
"""
from __future__ import annotations

from functools import lru_cache
from operator import itemgetter

from ...domain import labels
from ...domain.numbers import format_10k, values_agree
from ...domain.periods import Period, normalise_text, summarise_periods
from ..cells import INFINITY, cell_text, describe_found, place_value_column
from ..errors import Problem
from ..layout import ENTERPRISE_ROLES, Column, SheetLayout
from ..towns import town_key


def parse_output(layout: SheetLayout, parts: dict) -> None:
    """The sheet's figures into parts["output"] (row tuples in clean.OUTPUT_COLUMNS order), its
    enterprises into parts["mentions"]; an enterprise's span met twice (here or in an earlier
    sheet of the file, however its period is spelled) is a problem naming both places."""
    _OutputSheet(layout).parse(parts)


class _OutputSheet:
    """One output sheet being read: its unit factors, and each row's spans and 上年同期."""

    def __init__(self, layout: SheetLayout):
        self.layout = layout
        self._no_value_said = False

    def parse(self, parts: dict) -> None:
        layout = self.layout
        header_row, by_role, values, report = layout.header_row, layout.by_role, layout.values, layout.report
        factors = self._unit_factors(header_row, values, report)
        found = layout.period_source(header_row, by_role)
        if found is None or factors is None:
            return
        row_period, sheet_period = found
        if all(c.value_kind.prior for c in values):
            self._say_no_value_column()
            return
        entity_cells = itemgetter(*(by_role[r].index for r in ENTERPRISE_ROLES if r in by_role))
        name_header = by_role["enterprise"].header
        town_of = _town_key(by_role.get("town"))
        out, mentions = parts["output"], parts["mentions"]
        plans: dict = {}  # period → each value column's span, computed once per distinct period
        entities: dict = {}  # the raw cells of a row's enterprise → its cleaned fields
        blank: list[tuple[int, str]] = []  # rows without a figure: (row, enterprise)
        periods = set()
        for i, cells in layout.data_rows:
            period = sheet_period or row_period(i, cells)
            if period is None:
                continue
            found = plans.get(period)
            if found is None:
                found = plans[period] = self._plan(period)
            plan, prior_for = found
            if not plan:
                continue
            raw = (layout.section_above, entity_cells(cells))
            ent = entities.get(raw)
            if ent is None:
                ent = entities[raw] = layout.enterprise_tuple(i, cells, by_role)
            mentions.pop(ent, None)
            mentions[ent] = None
            # The spans the row gives a figure for, readable or not: a repeat is named either way.
            given = {span: col.header for col, span in plan if cells[col.index] not in ("", None) and span}
            first = self._first_mention(parts["seen"], i, ent, given, name_header, town_of(cells))
            spans = self._row_spans(i, cells, period, plan, factors)
            if not spans:  # blank, or a placeholder (-, /, 无) where the figure goes
                blank.append((i + 1, ent[0]))
                continue
            if prior_for:
                self._row_priors(i, cells, spans, prior_for, factors)
            if not (first and (len(spans) == 1 or self._parts_within_whole(i, spans))):
                continue
            for span, (value, prior, _, _) in spans.items():
                out.append((layout.sheet.name, i + 1, *ent, span.year, span.first, span.last, value, prior))
            periods.update(spans)
            report.rows += 1
        report.periods = summarise_periods(periods)
        warn_blank(layout, blank, name_header)

    def _plan(self, period) -> tuple[list, list]:
        """Where each value column's figures go in rows of `period`: [(column, span)] of the figures,
        [(上年同期 column, the column it is the base of)]. A column whose header names a period that
        cannot be read in this one (another year, a month after it) is a problem at the header."""
        layout = self.layout
        current, priors, misplaced = [], [], False
        for col in layout.values:
            placed = place_value_column(col.value_kind, period)
            if placed is None:
                layout.problem(labels.HEADER_PERIOD_MISMATCH.format(period=period.label()),
                               layout.header_row + 1, col.header)
                misplaced = True
                continue
            (priors if placed[1] else current).append((col, placed[0]))
        if not current and not misplaced:
            self._say_no_value_column()
        return current, [(col, _prior_target(col, span, current)) for col, span in priors]

    def _say_no_value_column(self) -> None:
        """No column holds this period's own figures (only 上年同期): a problem, said once."""
        layout = self.layout
        if not self._no_value_said:
            self._no_value_said = True
            layout.problem(labels.NO_VALUE_COLUMN.format(found=describe_found(layout.found_headers)),
                           row=layout.header_row + 1)

    def _unit_factors(self, header_row, values, report) -> dict[int, float] | None:
        """Each value column's factor to 万元: its own unit, else the sheet's, else 万元 (said);
        None when a unit is no known money unit (the problem is noted)."""
        factors = {}
        for col in values:
            unit, factor = self.layout.money_unit(col)
            if unit is None:
                unit = "万元"
                self.layout.warn("未找到计量单位，按万元处理", header_row + 1, col.header)
            factors[col.index] = factor
            col.unit = unit
        if None in factors.values():
            return None
        report.unit = "、".join(sorted({c.unit for c in values}))
        return factors

    def _row_spans(self, i, cells, period, plan, factors) -> dict:
        """A row's figures: span → [value in 万元, prior (filled later), header, column index]."""
        spans: dict = {}
        special = self.layout.special
        for col, span in plan:
            cell = cells[col.index]
            if type(cell) is float and cell >= 0 and cell != INFINITY and (i, col.index) not in special:
                value = cell  # the common case: a plain non-negative number
            else:
                value = self.layout.number(i, col, cell)
                if value is None:
                    continue
            value *= factors[col.index]
            if span in spans:
                if not values_agree(spans[span][0], value):
                    self.layout.problem(f"与「{spans[span][2]}」列同为{span.label()}，数值却不同", i + 1,
                                        col.header, cell)
                continue
            spans[span] = [value, None, col.header, col.index]
        return spans

    def _row_priors(self, i, cells, spans: dict, prior_for: list, factors) -> None:
        """上年同期 columns of a row, set beside the figure each is the base of."""
        for col, target in prior_for:
            cell = cells[col.index]
            if type(cell) is float and cell >= 0 and cell != INFINITY and (i, col.index) not in self.layout.special:
                prior = cell  # the common case, as in _row_spans
            else:
                prior = self.layout.number(i, col, cell)
            if prior is None or target is None:
                continue
            for entry in spans.values():
                if entry[3] == target.index:
                    entry[1] = prior * factors[col.index]

    def _first_mention(self, seen: dict, i: int, ent: tuple, given: dict, name_header: str, town: str) -> bool:
        """True when none of the row's spans was met before for its enterprise (by name in its town,
        or by credit code under another name), in this sheet or an earlier one; else each repeat is
        a problem naming both places. Keyed by the span itself, so 3, 3月 and 2024-03 are one month,
        and the 本月 of a 1-3月 sheet is the same month as a monthly sheet's March. Two firms of one
        name in two towns of a county file (its 乡镇 column) are two enterprises."""
        sheet, layout, row = self.layout.sheet.name, self.layout, i + 1
        name_key, code = ent[1], ent[2]
        first = True
        for span, header in given.items():
            here = (sheet, row, header)
            # Keys by name (name, town, span) and by code (code, span) differ in length: one dict.
            other, how = seen.setdefault((name_key, town, span), here), ""
            if (other is here or other[:2] == here[:2]) and code:
                other, how = seen.setdefault((code, span), here), f"，统一社会信用代码相同（{code}）"
            if other is here or other[:2] == here[:2]:
                continue
            where = "" if other[0] == sheet else f"工作表「{other[0]}」"
            layout.problem(labels.DUPLICATE_SPAN.format(period=span.label(), where=where, row=other[1],
                                                        column=other[2], how=how), row, name_header, ent[0])
            first = False
        return first

    def _parts_within_whole(self, i: int, spans: dict) -> bool:
        """True unless a row's span is smaller than a span inside it (累计 below 本月): a problem."""
        fine = True
        for whole, (value, _, header, _) in spans.items():
            for part, (part_value, _, part_header, _) in spans.items():
                if (part != whole and whole.first <= part.first and part.last <= whole.last
                        and value < part_value and not values_agree(value, part_value)):
                    self.layout.problem(labels.WHOLE_BELOW_PART.format(
                        whole=header, whole_span=whole.label(), value=format_10k(value), part=part_header,
                        part_span=part.label(), part_value=format_10k(part_value)), i + 1, header)
                    fine = False
        return fine


def refuse_parts_above_wholes(file_name: str, rows: list[tuple], row_towns: dict, problems) -> None:
    """Across the rows of a file: an enterprise's span (1-3月, 一季度) below a span inside it given on
    another row or sheet (3月) is a problem at the whole's row, naming the part's. Rows are tuples in
    clean.OUTPUT_COLUMNS order; an enterprise is its name in its row's town (row_towns)."""
    wholes = {(row[3], row[8]) for row in rows if row[9] != row[10]}  # (name key, year) of a span of months
    if not wholes:
        return  # a file of single months: nothing holds anything
    spans: dict[tuple, list] = {}
    for row in rows:
        if (row[3], row[8]) in wholes:
            key = (row[3], row_towns.get((row[0], row[1])), row[8])
            spans.setdefault(key, []).append((row[9], row[10], row[11], row))
    for found in spans.values():
        if len(found) < 2:
            continue
        for first, last, value, row in (w for w in found if w[0] != w[1]):  # a month holds no other span
            part = next(((f, lst, v, r) for f, lst, v, r in found
                         if (f, lst) != (first, last) and first <= f and lst <= last
                         and value < v and not values_agree(value, v)), None)
            if part is None:
                continue
            whole_span, part_span = Period(row[8], first, last), Period(row[8], part[0], part[1])
            where = "" if part[3][0] == row[0] else f"工作表「{part[3][0]}」"
            problems.append(Problem(file_name, labels.WHOLE_BELOW_PART_ROWS.format(
                whole_span=whole_span.label(), value=format_10k(value), where=where, row=part[3][1],
                part_span=part_span.label(), part_value=format_10k(part[2])), row[0], row[1], None, row[2]))


def _town_key(column):
    """A row's town as far as telling enterprises apart goes: its 乡镇 cell without 镇/乡/街道
    ("温溪" and "温溪镇" are one town); "" for every row of a sheet without that column."""
    if column is None:
        return lambda cells: ""
    index = column.index

    @lru_cache(maxsize=None)
    def key(cell) -> str:
        return town_key(normalise_text(cell_text(cell)))

    return lambda cells: key(cells[index]) if index < len(cells) else ""


def _prior_target(prior: Column, span, plan: list) -> Column | None:
    """The value column a 上年同期 column is the base of: one that names its months or year (上年1-3月,
    2023年产值) that of the same span; else 累计 with 累计, the period with the period."""
    if prior.value_kind.months or prior.value_kind.year:
        return next((col for col, own in plan if own == span), None)
    current = [col for col, _ in plan]
    if len(current) == 1:
        return current[0]
    wants_ytd = prior.value_kind[0] in ("ytd", "range")
    for col in current:
        is_ytd = col.value_kind[0] == "ytd" or (col.value_kind[0] == "range" and col.value_kind[1][0] == 1)
        if is_ytd == wants_ytd:
            return col
    return None


def warn_blank(layout, blank: list[tuple[int, str]], header: str) -> None:
    """Rows without a figure: one named, or several counted (a pre-filled template lists every
    enterprise; the blank ones have not reported yet)."""
    if len(blank) == 1:
        layout.warn(labels.BLANK_VALUE_ROW, blank[0][0], header, blank[0][1])
    elif blank:
        names = "、".join(n for _, n in blank[:10]) + ("等" if len(blank) > 10 else "")
        layout.warn(labels.BLANK_VALUE_ROWS.format(n=len(blank), names=names))
