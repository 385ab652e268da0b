"""An output sheet read a column at a time: the fast way through a long, clean sheet (a county's
100,000 enterprise-months), with the same result as reading it row by row.

Each test a row would get is asked once per distinct value of a column (names repeat every month,
periods every enterprise) or with array arithmetic (figures). The moment anything is not plain (a
blank name with figures, a total or section row among the data, a merged or formula cell, a
negative or unreadable number, an unreadable period, an enterprise twice in one period, two
columns of one span), this path gives up before it has changed anything, and the row-by-row path
reads the sheet and names every problem by row and column.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...domain import labels
from ...domain.numbers import NotANumber, parse_number
from ...domain.periods import summarise_periods
from ..cells import MAX_NAME_CHARS, cell_text, enterprise_display_name, enterprise_name_key, is_note
from ..columns import is_section_words, section_heading
from ..layout import ENTERPRISE_FIELDS, ENTERPRISE_ROLES

ENABLED = True  # tests turn it off to compare with the row-by-row path


class GiveUp(Exception):
    """Something in the sheet is for the row-by-row path."""


def parse_by_columns(sheet, parts: dict, row_period, sheet_period, current, prior_for, factors) -> bool:
    """Read the data rows of `sheet` (an output._OutputSheet) by columns into `parts`; False,
    with nothing changed, when the sheet needs the row-by-row path."""
    if not ENABLED:
        return False
    layout = sheet.layout
    try:
        rows, data = _data_rows(layout)
        picked = [rows[k] for k in data]
        periods, period_of, plans = _periods(picked, row_period, sheet_period, sheet, current)
        values, priors = _figures(picked, current, prior_for, factors)
        key = layout.by_role["enterprise"].index
        cell_of, keys = _codes([r[key] for r in picked], lambda v: enterprise_name_key(enterprise_display_name(v)))
        key_of, distinct = pd.factorize(pd.Series(keys, dtype=object), use_na_sentinel=False)
        names = key_of[cell_of], list(distinct)  # two spellings of one name share a code
        _check_unique(names, period_of, periods, plans, parts["seen"])
    except GiveUp:
        return False
    # From here on nothing gives up: the enterprises' own warnings (a malformed credit code …) are said once.
    table = _Table(layout, data, picked, periods, period_of, plans, values, priors, names)
    table.store(parts)
    return True


def _data_rows(layout):
    """The rows under the header (each as long as the header) and the indexes of those holding an
    enterprise; the others must be blank or a total/footnote row."""
    sheet, first = layout.sheet, layout.first_data
    by_role = layout.by_role
    if "enterprise" not in by_role or "project" in by_role:
        raise GiveUp
    if any(i >= first for i, _ in layout.special) or any(i >= first for i in sheet.hidden_rows):
        raise GiveUp  # merged, formula or hidden cells are named row by row
    width = max(c.index for c in layout.columns) + 1
    rows = sheet.rows[first:]
    if any(len(r) < width for r in rows):
        raise GiveUp
    key = by_role["enterprise"].index
    kinds = {v: _name_kind(v) for v in {r[key] for r in rows}}
    leads = {v for r in rows if type(v := r[0]) is str and v}
    if any(is_note(v) or is_section_words(v) for v in leads):  # a sheet with sections goes row by row
        raise GiveUp
    data = []
    for k, r in enumerate(rows):
        kind = kinds[r[key]]
        if kind == "name":
            data.append(k)
        elif kind == "blank" and any(c not in ("", None) for c in r):
            raise GiveUp  # a row without a name but with something in it: a problem, or a serial number
        elif kind == "note" and layout.carries_figure(r):
            raise GiveUp  # a total or note with figures: said row by row
    return rows, np.array(data, dtype=np.int64)


def _name_kind(cell) -> str:
    """"name" (an enterprise), "note" (a total or footnote row: skipped), "blank", or GiveUp."""
    if cell is None or cell == "":
        return "blank"
    if type(cell) is not str and type(cell) is not float and type(cell) is not int:
        raise GiveUp
    name = cell_text(cell)  # a name typed as a number reads as written: 12345
    if not name:
        return "blank"
    if section_heading(name) is not None or is_section_words(name):
        raise GiveUp
    if is_note(name):
        return "note"
    if len(name) > MAX_NAME_CHARS:
        raise GiveUp  # perhaps too long to be a name: the row path says
    return "name"


def _codes(cells: list, fn) -> tuple[np.ndarray, list]:
    """(each cell's code, fn of each distinct cell in order of first appearance): fn runs once per
    distinct value."""
    codes, uniques = pd.factorize(pd.Series(cells, dtype=object), use_na_sentinel=False)
    return codes, [fn(v) for v in uniques]


def _periods(picked, row_period, sheet_period, sheet, current):
    """The distinct periods of the data rows, each row's code into them, and each period's span plan."""
    if sheet_period is not None:
        periods, period_of = [sheet_period], np.zeros(len(picked), dtype=np.int64)
    else:
        try:
            keys = [row_period.key(r) for r in picked]
            period_of, periods = _codes(keys, lambda key: row_period.peek(*key))
        except TypeError:  # an odd cell: the row path says what it is
            raise GiveUp from None
        if None in periods:
            raise GiveUp
    plans = []
    for period in periods:
        plan = sheet._span_plan(period, current)
        spans = [span for _, span in plan[1]]
        if None in spans or len(set(spans)) < len(spans):
            raise GiveUp
        plans.append(plan)
    return periods, period_of, plans


def _numbers(cells) -> np.ndarray:
    """Each cell's number, NaN where blank; GiveUp at a negative, infinite or unreadable one."""
    out = np.empty(len(cells))
    parsed: dict = {}
    for k, cell in enumerate(cells):
        if type(cell) is float:
            out[k] = cell
            continue
        if not isinstance(cell, str | int) or isinstance(cell, bool):
            raise GiveUp  # dates, booleans …: the row path names them
        value = parsed.get(cell)
        if value is None:
            try:
                number = parse_number(cell)
            except NotANumber:  # and NotFinite, TooPrecise
                raise GiveUp from None
            value = parsed[cell] = np.nan if number is None else number
        out[k] = value
    known = out[~np.isnan(out)]
    if (known < 0).any() or np.isinf(known).any():
        raise GiveUp
    return out


def _figures(picked, current, prior_for, factors):
    """Figures in 万元 of each value column and of each 上年同期 column (by the column it is the base
    of), over the data rows."""
    values = {c.index: _numbers([r[c.index] for r in picked]) * factors[c.index] for c in current}
    priors = {}
    for col, target in prior_for:
        numbers = _numbers([r[col.index] for r in picked])  # read (and checked) even without a target
        if target is not None:
            if target.index in priors:
                raise GiveUp  # two bases of one column: the row path keeps the last one given
            priors[target.index] = numbers * factors[col.index]
    return values, priors


def _check_unique(names, period_of, periods, plans, seen: dict) -> None:
    """An enterprise twice in one period, here or in an earlier sheet, goes row by row (it is named there)."""
    codes, keys = names
    pairs = codes.astype(np.int64) * len(periods) + period_of
    if len(np.unique(pairs)) < len(pairs):
        raise GiveUp
    if seen and any((keys[c], plans[p][0]) in seen for c, p in set(zip(codes.tolist(), period_of.tolist()))):
        raise GiveUp


class _Table:
    """The sheet's data rows read by columns, and what the row-by-row path would add from them."""

    def __init__(self, layout, data, picked, periods, period_of, plans, values, priors, names):
        self.layout, self.data, self.picked = layout, data, picked
        self.periods, self.period_of, self.plans = periods, period_of, plans
        self.values, self.priors, self.names = values, priors, names
        self.first = layout.first_data

    def store(self, parts: dict) -> None:
        layout, sheet_name = self.layout, self.layout.sheet.name
        entity_of, entities = self._entities()
        self._mention(parts["mentions"], entity_of, entities)
        codes, keys = self.names
        rows = (self.data + self.first + 1).tolist()
        plan_keys = [plan[0] for plan in self.plans]
        parts["seen"].update(zip(((keys[c], plan_keys[p]) for c, p in zip(codes.tolist(), self.period_of.tolist())),
                                 ((sheet_name, r) for r in rows)))
        frame, spans, filled = self._output(entity_of, entities)
        if frame is not None:
            parts["output"].append(frame)
        layout.report.rows += int(filled.sum())
        layout.report.periods = summarise_periods(spans)
        blank = [(rows[p], entities[entity_of[p]][0]) for p in np.flatnonzero(~filled)]
        warn_blank(layout, blank, layout.by_role["enterprise"].header)

    def _entities(self):
        """Each row's code into the distinct enterprise field tuples, computed at the first row of
        each distinct set of cells (so their warnings name that row, as row by row)."""
        by_role = self.layout.by_role
        columns = [by_role[r].index for r in ENTERPRISE_ROLES if r in by_role]
        raw = [tuple(r[j] for j in columns) for r in self.picked]
        raw_of, uniques = pd.factorize(pd.Series(raw, dtype=object), use_na_sentinel=False)
        _, firsts = np.unique(raw_of, return_index=True)  # the first row of each (codes count from 0)
        tuples = [self.layout.enterprise_tuple(self.first + int(self.data[k]), self.picked[k], by_role)
                  for k in firsts]
        # Two spellings of one set of cells can give one enterprise: code by the tuples themselves.
        ent_of, entities = pd.factorize(pd.Series(tuples, dtype=object), use_na_sentinel=False)
        return ent_of[raw_of], list(entities)

    def _mention(self, mentions: dict, entity_of, entities) -> None:
        """Noted in the order of their last mention, as rows are read."""
        _, from_end = np.unique(entity_of[::-1], return_index=True)
        last = len(entity_of) - 1 - from_end
        for code in np.argsort(last, kind="stable"):
            ent = entities[code]
            mentions.pop(ent, None)
            mentions[ent] = None

    def _output(self, entity_of, entities):
        """The output rows (row order, then the value columns' order), the spans met, and which
        rows have a figure."""
        chunks, spans = [], set()
        filled = np.zeros(len(self.data), dtype=bool)
        fields = [np.array([e[f] for e in entities], dtype=object) for f in range(len(ENTERPRISE_FIELDS))]
        for m, (index, series) in enumerate(self.values.items()):
            has = ~np.isnan(series)
            filled |= has
            if not has.any():
                continue
            where = np.flatnonzero(has)
            span_of = [plan[1][m][1] for plan in self.plans]
            used = np.unique(self.period_of[where])
            spans.update(span_of[p] for p in used)
            codes = self.period_of[where]
            years, firsts, lasts = (np.array([getattr(s, a) for s in span_of])[codes]
                                    for a in ("year", "first", "last"))
            base = self.priors.get(index)
            ents = entity_of[where]
            chunks.append(pd.DataFrame({
                "_position": where, "_column": m, "sheet": self.layout.sheet.name,
                "row": self.data[where] + self.first + 1,
                **{name: fields[f][ents] for f, name in enumerate(ENTERPRISE_FIELDS)},
                "year": years, "first_month": firsts, "last_month": lasts, "value_10k": series[where],
                "prior_10k": base[where] if base is not None else np.nan}))
        if not chunks:
            return None, spans, filled
        frame = pd.concat(chunks, ignore_index=True).sort_values(["_position", "_column"], kind="stable")
        return frame.drop(columns=["_position", "_column"]).reset_index(drop=True), spans, filled


def warn_blank(layout, blank: list[tuple[int, str]], header: str) -> None:
    """Rows without a figure: one named, or several counted (a pre-filled template lists every
    enterprise; the blank ones have not reported yet)."""
    if len(blank) == 1:
        layout.warn(labels.BLANK_VALUE_ROW, blank[0][0], header, blank[0][1])
    elif blank:
        names = "、".join(n for _, n in blank[:10]) + ("等" if len(blank) > 10 else "")
        layout.warn(labels.BLANK_VALUE_ROWS.format(n=len(blank), names=names))
