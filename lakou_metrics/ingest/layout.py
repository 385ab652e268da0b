"""One sheet laid out: where its header is, what each column holds (by COLUMN_ALIASES), which rows
hold data, the sheet's own unit, period and year, merged cells; and the one problem collector every
kind of sheet reports to, located by sheet, row and column."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..domain import labels
from ..domain.numbers import NotANumber, NotFinite, TooPrecise, parse_number
from ..domain.periods import Period, normalise_text, parse_period, parse_year
from ..domain.targets import INDICATORS, UNIT_FACTORS
from .cells import (
    cell_text,
    clean_credit_code,
    describe_span_kind,
    enterprise_display_name,
    enterprise_name_key,
    is_note,
    looks_numeric,
)
from .columns import (
    classify_value_header,
    match_indicator,
    match_role,
    match_sector,
    match_yes_no,
    names_other_indicator,
    section_heading,
    unit_in,
)
from .errors import Problem
from .read import RawSheet

HEADER_SCAN_ROWS = 40
ENTERPRISE_FIELDS = ("name", "name_key", "credit_code", "sector", "above_scale", "contact")
ENTERPRISE_ROLES = ("enterprise", "credit_code", "sector", "above_scale", "contact")
# Words that make a row without figures a section heading ("规模以下工业企业" alone on its row).
SECTION_WORDS = ("规模以上工业企业", "规模以下工业企业", "规模以上企业", "规模以下企业", "规上企业", "规下企业")


@dataclass
class SheetReport:
    """What was recognised in one sheet, for the person importing it."""

    sheet: str
    kind: str  # output, targets, enterprise_targets, register, ignored
    header_row: int | None = None  # as Excel shows it
    periods: list[str] = field(default_factory=list)
    unit: str | None = None
    rows: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # header → what it was read as
    # other indicators' columns the sheet carries and the import does not read (工业销售产值 …)
    unused: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)  # section headings met (一、规模以上工业企业)
    # the towns its rows are said to belong to, and where: 温溪镇（标题）… (ingest.towns)
    towns: list[str] = field(default_factory=list)


@dataclass
class Column:
    index: int
    header: str  # as displayed: parent/sub
    role: str | None = None
    value_kind: tuple | None = None  # from classify_value_header
    unit: str | None = None


class SheetLayout:
    """One sheet: `read` finds its header and columns; then the kind of sheet it is (sheets.SHEET_KINDS)
    reads its rows through `data_rows`, reporting problems and warnings here."""

    def __init__(self, file, sheet: RawSheet, override, problems, warnings):
        self.header_row = 0
        self.first_data = 0
        self.columns: list[Column] = []
        self.by_role: dict[str, Column] = {}
        self.values: list[Column] = []
        self.data_rows = iter(())
        self.file = file
        self.sheet = sheet
        self.override = override
        self.problems = problems
        self.warnings = warnings
        self.found_headers: list[str] = []
        self.header_guess: int | None = None  # 0-based row that looked most like a header
        self.merged_from: dict[tuple[int, int], int] = {}  # a cell filled from a merge → its first row
        # The 规上 flag a section heading gives the rows under it (None: the heading says nothing).
        self.section_above: bool | None = None
        self.report: SheetReport | None = None
        self.special: set[tuple[int, int]] = set(sheet.uncalculated) | set(sheet.errors)

    def read(self) -> bool:
        """Find the header and what each column holds; False when the sheet has no table."""
        found = self._find_header()
        if found is None:
            return False
        self.header_row, first_data, self.columns = found
        self.first_data = first_data  # 0-based, the first row under the header
        self._fill_merges(first_data)
        self.by_role = {}
        for col in self.columns:
            if col.role and col.role not in self.by_role:
                self.by_role[col.role] = col
        self.values = [c for c in self.columns if c.value_kind is not None]
        self.found_headers = [c.header for c in self.columns]
        report = SheetReport(self.sheet.name, "", self.header_row + 1,
                             columns={c.header: describe_column(c) for c in self.columns})
        report.unused = list(dict.fromkeys(
            c.header.split("/")[0] for c in self.columns if c.role is None and names_other_indicator(c.header)))
        if report.unused:
            self.warn(labels.OTHER_INDICATORS.format(names="、".join(f"「{u}」" for u in report.unused)),
                      row=self.header_row + 1)
        self.report = report
        self.data_rows = self._data_rows(first_data, self.by_role, self.columns)
        return True

    @property
    def where(self) -> str | None:
        return self.sheet.name if self.sheet.is_worksheet else None

    def problem(self, reason, row=None, column=None, value=None):
        self.problems.append(Problem(self.file, reason, self.where, row, column, value))

    def warn(self, reason, row=None, column=None, value=None):
        self.warnings.append(Problem(self.file, reason, self.where, row, column, value))

    def number(self, row_idx, col: Column, cell, allow_negative=False) -> float | None:
        where = (row_idx, col.index)
        if where in self.special:
            if where in self.sheet.uncalculated:
                self.problem(labels.UNCALCULATED_FORMULA, row_idx + 1, col.header)
            elif where in self.sheet.errors:
                self.problem(labels.FORMULA_ERROR, row_idx + 1, col.header, self.sheet.errors[where])
            elif where in self.merged_from:
                self.problem(labels.MERGED_VALUE.format(first=self.merged_from[where] + 1), row_idx + 1,
                             col.header, cell)
            return None
        try:
            value = parse_number(cell)
        except NotFinite:
            self.problem(labels.NOT_FINITE, row_idx + 1, col.header, cell)
            return None
        except TooPrecise:
            self.problem(labels.TOO_PRECISE, row_idx + 1, col.header, cell)
            return None
        except NotANumber:
            self.problem(labels.BAD_NUMBER, row_idx + 1, col.header, cell)
            return None
        if value is not None and value < 0 and not allow_negative:
            self.problem(labels.NEGATIVE_VALUE, row_idx + 1, col.header, cell)
            return None
        return value

    def _find_header(self):
        rows = self.sheet.rows
        for r in range(min(len(rows), HEADER_SCAN_ROWS)):
            top = [cell_text(c) for c in rows[r]]
            roles = [match_role(t) if t else None for t in top]
            keys = [k for k in ("project", "enterprise", "indicator") if k in roles]
            if not keys:
                continue
            key_col = roles.index(keys[0])
            sub = [cell_text(c) for c in rows[r + 1]] if r + 1 < len(rows) else []
            has_sub = self._is_subheader(top, sub, key_col)
            columns = []
            parent = ""
            for j, t in enumerate(top):
                s = sub[j] if has_sub and j < len(sub) else ""
                parent = t if t else (parent if s else "")
                if not t and not s:
                    continue
                header = f"{parent}/{s}" if s and parent else (s or t)
                role = (match_role(s) or match_role(f"{parent}/{s}")) if s else None
                role = role or match_role(t) if t else role
                # Under another indicator's group (工业销售产值/本月) a column is never output.
                other = names_other_indicator(parent + s)
                kind = None if role or other else (classify_value_header(parent + s) or classify_value_header(s))
                columns.append(Column(j, header, role, kind, unit_in(parent + s)))
            return r, (r + 2 if has_sub else r + 1), columns
        # Name the row that looks most like a header (the first with two or more texts), and its texts.
        for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
            texts = [t for t in map(cell_text, row) if t and not looks_numeric(t)]
            if len(texts) >= 2:
                self.found_headers, self.header_guess = texts[:12], r
                break
        else:
            self.found_headers = [t for row in rows[:HEADER_SCAN_ROWS] for t in map(cell_text, row) if t][:12]
        return None

    @staticmethod
    def _is_subheader(top, sub, key_col) -> bool:
        if not sub or (key_col < len(sub) and sub[key_col]):
            return False
        texts = [s for s in sub if s]
        if not texts or any(looks_numeric(s) for s in texts):
            return False
        parent = ""
        for j, s in enumerate(sub):
            parent = top[j] if j < len(top) and top[j] else parent
            if s and (match_role(s) or match_role(f"{parent}/{s}") or classify_value_header(parent + s)
                      or classify_value_header(s)):
                return True
        return False

    def sheet_unit(self, header_row: int) -> str | None:
        for row in self.sheet.rows[:header_row]:
            for cell in row:
                unit = unit_in(cell) if isinstance(cell, str) else None
                if unit:
                    return unit
        return None

    def sheet_period(self, header_row: int) -> Period | None:
        if self.override:
            return self.override
        candidates = [self.sheet.name] + [
            " ".join(cell_text(c) for c in row if cell_text(c)) for row in self.sheet.rows[:header_row]
        ]
        for text in candidates:
            period = parse_period(text)
            if period:
                return period
        year = self.sheet_year(header_row)
        if year:
            for text in candidates:
                for piece in re.split(r"[\s年度]+", normalise_text(text)):
                    period = parse_period(piece, default_year=year)
                    if period:
                        return period
        return None

    def sheet_year(self, header_row: int) -> int | None:
        if self.override:
            return self.override.year
        for text in [self.sheet.name] + [cell_text(c) for row in self.sheet.rows[:header_row] for c in row]:
            m = re.search(r"(19|20|21)\d{2}(?=年)", normalise_text(text))
            if m:
                return int(m.group(0))
        return None

    def _fill_merges(self, first_data: int) -> None:
        """A cell merged over several rows below the header counts for every row it covers (a
        行业 or 是否规上 written once for a block of enterprises). A merged *figure* cannot be
        shared out, so those cells are marked and refused where a number is read."""
        rows = self.sheet.rows
        for (r0, c0), (r1, c1) in self.sheet.merges:
            if r1 <= r0 or r0 < first_data:
                continue
            value = rows[r0][c0] if r0 < len(rows) and c0 < len(rows[r0]) else ""
            for r in range(r0, min(r1, len(rows) - 1) + 1):
                row = rows[r]
                if len(row) <= c1:
                    row.extend([""] * (c1 + 1 - len(row)))
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0, c0):
                        row[c] = value
                        self.merged_from[(r, c)] = r0
                        self.special.add((r, c))

    def _data_rows(self, first_data, by_role, columns):
        """(row index, cells) of rows that hold an enterprise: no blanks, totals or footnotes."""
        key = by_role.get("project") or by_role.get("enterprise") or by_role.get("indicator")
        width = max(c.index for c in columns) + 1
        for i in range(first_data, len(self.sheet.rows)):
            cells = self.sheet.rows[i]
            if len(cells) < width:
                cells = list(cells) + [""] * (width - len(cells))
            name = cell_text(cells[key.index])
            lead = cells[0] if type(cells[0]) is str else ""
            if "enterprise" in by_role and "project" not in by_role and self._section(
                    name or next((c for c in cells if type(c) is str and c.strip()), ""), cells, columns):
                continue
            if name and not (is_note(name) or (lead and is_note(lead))):
                if i in self.sheet.hidden_rows:
                    self.warn(labels.HIDDEN_ROW_COUNTED, i + 1, key.header, name)
                yield i, cells
                continue
            first_text = next((c for c in cells if type(c) is str and c.strip()), "")
            if first_text and is_note(first_text):
                continue
            if not name:
                texts = [c for c in cells if c not in ("", None)]
                if not texts:
                    continue
                numbers = [c for c in texts if not isinstance(c, str) or looks_numeric(c)]
                if len(numbers) == len(texts) and len(texts) <= 1:
                    continue  # a lone serial number
                if any(c.index != key.index and c.value_kind and cells[c.index] not in ("", None)
                       for c in columns):
                    self.problem(labels.MISSING_NAME, i + 1, key.header)
                continue

    def _section(self, text: str, cells, columns) -> bool:
        """A section heading row ("一、规模以上工业企业", or "规模以下工业企业" alone on a row without
        figures): remembered with the 规上 flag it gives, never an enterprise."""
        found = section_heading(text) if text else None
        if found is None and text and any(w in text for w in SECTION_WORDS) \
                and not any(c.value_kind and cells[c.index] not in ("", None) for c in columns):
            found = section_heading(f"一、{text}")
        if found is None:
            return False
        self.section_above = found[1]
        if self.report is not None:
            self.report.sections.append(normalise_text(text))
        return True

    def enterprise_fields(self, i, cells, by_role, mentions: dict) -> dict:
        """Name, key, code, sector, 规上 and contact of a row, as a dict (and noted as mentioned)."""
        ent = self.enterprise_tuple(i, cells, by_role)
        mentions.pop(ent, None)
        mentions[ent] = None
        return dict(zip(ENTERPRISE_FIELDS, ent))

    def credit_code(self, i, cells, by_role) -> str | None:
        """The row's 统一社会信用代码; a malformed one is ignored with a warning."""
        if "credit_code" not in by_role:
            return None
        col = by_role["credit_code"]
        try:
            return clean_credit_code(cells[col.index])
        except ValueError:
            self.warn(labels.BAD_CREDIT_CODE + "，已忽略该代码", i + 1, col.header, cells[col.index])
            return None

    def sector(self, i, cells, by_role) -> str | None:
        """The row's sector code; an unknown label files it under other, with a warning."""
        if "sector" not in by_role:
            return None
        col = by_role["sector"]
        label = cell_text(cells[col.index])
        if not label:
            return None
        sector = match_sector(label)
        if sector is None:
            self.warn(labels.UNKNOWN_SECTOR, i + 1, col.header, label)
        return sector or "other"

    def enterprise_tuple(self, i, cells, by_role) -> tuple:
        name = enterprise_display_name(cells[by_role["enterprise"].index])
        code, sector = self.credit_code(i, cells, by_role), self.sector(i, cells, by_role)
        above = contact = None
        if "above_scale" in by_role:
            col = by_role["above_scale"]
            cell = cells[col.index]
            above = match_yes_no(cell)
            if above is None and cell_text(cell):
                self.warn(labels.UNKNOWN_SCALE, i + 1, col.header, cell)
        if above is None:
            above = self.section_above  # under "一、规模以上工业企业" and no 规上 column
        if "contact" in by_role:
            contact = cell_text(cells[by_role["contact"].index]) or None
        return name, enterprise_name_key(name), code, sector, above, contact

    def period_source(self, header_row, by_role):
        """How rows get their period: (a reader of each row's period, None) for a long sheet, (None,
        the sheet's own period) for a wide one; None, with the problem noted, when it has neither."""
        row_period = self.row_period_reader(by_role, header_row)
        if row_period is not None:
            return row_period, None
        sheet_period = self.sheet_period(header_row)
        if sheet_period is None:
            self.problem(labels.NO_PERIOD, row=header_row + 1)
            return None
        return None, sheet_period

    def row_period_reader(self, by_role, header_row) -> RowPeriods | None:
        """A reader of each row's period for long sheets (called with row index and cells), or None
        for wide sheets."""
        period_col, month_col = by_role.get("period"), by_role.get("month")
        quarter_col, year_col = by_role.get("quarter"), by_role.get("year")
        if not (period_col or month_col or quarter_col) or self.override:
            return None
        return RowPeriods(self, period_col or month_col or quarter_col, year_col, period_col is not None,
                          self.sheet_year(header_row))

    def indicator(self, i, cells, by_role):
        """(indicator, factor to its canonical unit) named by a row, or None with the problem noted."""
        col = by_role["indicator"]
        indicator = match_indicator(cells[col.index])
        if indicator is None:
            self.problem(labels.UNKNOWN_INDICATOR.format(known="、".join(x.name for x in INDICATORS)),
                         i + 1, col.header, cells[col.index])
            return None
        unit_text = cell_text(cells[by_role["unit"].index]) if "unit" in by_role else ""
        factor = UNIT_FACTORS.get(unit_text or indicator.unit)
        if factor is None:
            self.problem(f"单位无法识别（可用：{'、'.join(k for k in UNIT_FACTORS if k)}）",
                         i + 1, by_role["unit"].header, unit_text)
            return None
        return indicator, factor



class RowPeriods:
    """The period of each row of a long sheet, from its period (or month, or quarter) cell and its
    year cell, parsed once per distinct pair; a row whose period cannot be read is reported with
    its own row number."""

    def __init__(self, layout: SheetLayout, col: Column, year_col: Column | None, has_period: bool,
                 default_year: int | None):
        self.layout, self.col, self.year_col = layout, col, year_col
        self.has_period, self.default_year = has_period, default_year
        self.year_index = year_col.index if year_col else None
        self._cache: dict = {}

    def key(self, cells) -> tuple:
        """What a row's period depends on: (its year cell or None, its period cell)."""
        return (cells[self.year_index] if self.year_index is not None else None, cells[self.col.index])

    def peek(self, year_cell, cell) -> Period | None:
        """The period of a key, without reporting anything: None when it cannot be read."""
        if isinstance(cell, dt.date) and cell.year <= 1900:
            return None
        year = self.default_year
        if self.year_col:
            year = parse_year(year_cell)
            if year is None and not self.has_period:
                return None
        return _parse_period_cell(self.col, cell, year)

    def __call__(self, i, cells) -> Period | None:
        key = self.key(cells)
        found = self._cache.get(key)
        if found is not None:
            return found
        period = self.peek(*key)
        if period is None:
            self._report(i, *key)  # for every such row, with its own row number
            return None
        self._cache[key] = period
        return period

    def _report(self, i, year_cell, cell) -> None:
        layout, col = self.layout, self.col
        if isinstance(cell, dt.date) and cell.year <= 1900:
            # A small number (a month, 3) in a cell formatted as a date reads as 1900-01-03.
            layout.problem(labels.DATE_FORMATTED_NUMBER.format(shown=f"{cell:%Y-%m-%d}"), i + 1, col.header)
        elif self.year_col and parse_year(year_cell) is None and not self.has_period:
            layout.problem(labels.BAD_PERIOD, i + 1, self.year_col.header, year_cell)
        else:
            layout.problem(labels.BAD_PERIOD, i + 1, col.header, cell)


def _parse_period_cell(col: Column, cell, year) -> Period | None:
    if col.role == "period":
        return parse_period(cell, default_year=year)
    if year is None:
        return None
    if col.role == "quarter":
        text = normalise_text(cell if not isinstance(cell, float) else int(cell))
        m = re.fullmatch(r"(?:第)?([一二三四1-4])(?:季度?)?|[Qq]([1-4])", text)
        if not m:
            return None
        q = m.group(1) or m.group(2)
        return Period.quarter(year, "一二三四".index(q) + 1 if q in "一二三四" else int(q))
    period = parse_period(cell, default_year=year)
    if period is not None and period.months != 1:
        return None
    return Period.month(year, period.first) if period else None


def describe_column(col: Column) -> str:
    if col.role:
        return labels.ROLE_NAMES[col.role]
    if col.value_kind:
        kind, months, prior = col.value_kind
        return ("上年同期" if prior else "") + describe_span_kind(kind, months) + "产值"
    return "未使用"
