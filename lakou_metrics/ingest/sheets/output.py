"""Output sheets, long or wide: one row per enterprise per span of months, values in 万元, with the
sheet's own 上年同期 where it has one."""
from __future__ import annotations

from ...domain import labels
from ...domain.numbers import values_agree
from ...domain.periods import Period, summarise_periods
from ..cells import INFINITY, describe_found, resolve_span
from ..layout import ENTERPRISE_ROLES, Column, SheetLayout
from .output_columns import parse_by_columns, warn_blank


def parse_output(layout: SheetLayout, parts: dict) -> None:
    """The sheet's figures into parts["output"] (row tuples, or one frame when the sheet could be
    read by columns: output_columns), its enterprises into parts["mentions"]."""
    _OutputSheet(layout).parse(parts)


class _OutputSheet:
    """One output sheet being read: its unit factors, and each row's spans and 上年同期."""

    def __init__(self, layout: SheetLayout):
        self.layout = layout

    def parse(self, parts: dict) -> None:
        layout = self.layout
        header_row, by_role, values, data_rows, report = (
            layout.header_row, layout.by_role, layout.values, layout.data_rows, layout.report)
        factors = self._unit_factors(header_row, values, report)
        found = layout.period_source(header_row, by_role)
        if found is None or factors is None:
            return
        row_period, sheet_period = found
        current = [c for c in values if not c.value_kind[2]]
        priors = [c for c in values if c.value_kind[2]]
        if not current:
            layout.problem(labels.NO_VALUE_COLUMN.format(found=describe_found(layout.found_headers)),
                           row=header_row + 1)
            return
        prior_for = [(p, _prior_target(p, current)) for p in priors]
        if parse_by_columns(self, parts, row_period, sheet_period, current, prior_for, factors):
            return
        entity_cols = [by_role[r].index for r in ENTERPRISE_ROLES if r in by_role]
        name_header = by_role["enterprise"].header
        sheet, out, seen, mentions = layout.sheet.name, parts["output"], parts["seen"], parts["mentions"]
        # Per distinct period, computed once: its key and the span of each value column.
        spans_of: dict = {}
        blank: list[tuple[int, str]] = []  # rows without a figure: (row, enterprise)
        entities: dict = {}  # the raw cells of a row's enterprise → its cleaned fields
        periods = set()
        for i, cells in data_rows:
            period = sheet_period or row_period(i, cells)
            if period is None:
                continue
            plan = spans_of.get(period)
            if plan is None:
                plan = spans_of[period] = self._span_plan(period, current)
            raw = (layout.section_above, *(cells[j] for j in entity_cols))
            ent = entities.get(raw)
            if ent is None:
                ent = entities[raw] = layout.enterprise_tuple(i, cells, by_role)
            mentions.pop(ent, None)
            mentions[ent] = None
            first = seen.setdefault((ent[1], plan[0]), (sheet, i + 1))
            if first[1] != i + 1 or first[0] != sheet:
                where = "" if first[0] == sheet else f"工作表「{first[0]}」"
                layout.problem(labels.DUPLICATE_ENTERPRISE.format(where=where, other=first[1]),
                               i + 1, name_header, ent[0])
                continue
            spans = self._row_spans(i, cells, period, plan[1], factors)
            self._row_priors(i, cells, spans, prior_for, factors)
            if not spans:
                blank.append((i + 1, ent[0]))
                continue
            for span, (value, prior, _, _) in spans.items():
                out.append((sheet, i + 1, *ent, span.year, span.first, span.last, value, prior))
            periods.update(spans)
            report.rows += 1
        report.periods = summarise_periods(periods)
        warn_blank(layout, blank, name_header)

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
            if span is None:
                self.layout.problem(labels.BAD_PERIOD, i + 1, col.header, period.label())
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
            prior = self.layout.number(i, col, cells[col.index])
            if prior is None or target is None:
                continue
            for entry in spans.values():
                if entry[3] == target.index:
                    entry[1] = prior * factors[col.index]

    @staticmethod
    def _span_plan(period: Period, current: list) -> tuple:
        return (period.year, period.first, period.last), [(c, resolve_span(c.value_kind, period))
                                                          for c in current]


def _prior_target(prior: Column, current: list[Column]) -> Column | None:
    """The value column a 上年同期 column is the base of: 累计 with 累计, the period with the period."""
    if len(current) == 1:
        return current[0]
    wants_ytd = prior.value_kind[0] in ("ytd", "range")
    for col in current:
        is_ytd = col.value_kind[0] == "ytd" or (col.value_kind[0] == "range" and col.value_kind[1][0] == 1)
        if is_ytd == wants_ytd:
            return col
    return None
