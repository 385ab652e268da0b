"""One sheet laid out: where its header is, what each column holds (by COLUMN_ALIASES), which rows
hold data, the sheet's own unit, period and year, merged cells; and the one problem collector every
kind of sheet reports to, located by sheet, row and column."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..domain import labels
from ..domain.evaluation import FIGURES
from ..domain.numbers import BadGrouping, NotANumber, NotFinite, TooPrecise, parse_number
from ..domain.periods import Period, normalise_text, parse_period, parse_year
from ..domain.targets import INDICATORS, UNIT_FACTORS
from ..domain.units import known_money_units, money_factor
from .cells import (
    MAX_NAME_CHARS,
    cell_text,
    clean_credit_code,
    describe_span_kind,
    enterprise_display_name,
    enterprise_name_key,
    is_too_long_name,
    looks_numeric,
    note_kind,
    shorten,
)
from .columns import (
    classify_power_header,
    classify_project_measure,
    classify_value_header,
    header_unit,
    is_filler_label,
    is_section_words,
    is_sum_label,
    match_evaluation_figure,
    match_indicator,
    match_role,
    match_sector,
    match_yes_no,
    names_other_indicator,
    section_heading,
    unit_cell,
    unit_in,
    unit_statement,
)
from .errors import Problem
from .read import RawSheet

HEADER_SCAN_ROWS = 40
ENTERPRISE_FIELDS = ("name", "name_key", "credit_code", "sector", "above_scale", "contact")
ENTERPRISE_ROLES = ("enterprise", "credit_code", "sector", "above_scale", "contact")
# Columns of amounts other than output (a target, a project's investment): read in a money unit.
MONEY_ROLES = ("target", "actual", "total_investment", "year_plan", "contracted")


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
    unit: str | None = None  # the money unit its header or the unit row under it states
    unit_row: int | None = None  # 0-based row where that unit is written


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
        # What the sheet's figures are: output (产值), evaluation (亩均评价 data) or power (用电量).
        self.measure = "output"
        self.report: SheetReport | None = None
        self.special: set[tuple[int, int]] = set(sheet.uncalculated) | set(sheet.errors)
        self._refused_units: set = set()  # (unit, row, column) already named as unusable
        self._listed_units: dict[str, int] | None = None  # a 单位 column's units → first row

    def read(self) -> bool:
        """Find the header and what each column holds; False when the sheet has no table."""
        found = self._find_header()
        if found is None:
            return False
        self.header_row, first_data, self.columns = found
        self.first_data = first_data  # 0-based, the first row under the header (and its unit row)
        if not self.sheet.is_worksheet:
            self._check_csv_widths(first_data)
        self._fill_merges(first_data)
        self.measure = _decide_measure(self.columns)
        self.by_role = {}
        for col in self.columns:
            if col.role and col.role not in self.by_role:
                self.by_role[col.role] = col
        self.values = [c for c in self.columns if c.value_kind is not None]
        self.found_headers = [c.header for c in self.columns]
        report = SheetReport(self.sheet.name, "", self.header_row + 1,
                             columns={c.header: describe_column(c, self.measure) for c in self.columns})
        # Another indicator's group is named once (工业销售产值, not each of its 本月 | 累计); a forecast
        # under the output's own group by its whole header (工业总产值/全年预计).
        report.unused = list(dict.fromkeys(
            c.header.split("/")[0] if names_other_indicator(c.header.split("/")[0]) else c.header
            for c in self.columns if c.role is None and c.value_kind is None and names_other_indicator(c.header)))
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
        except BadGrouping:
            self.problem(labels.BAD_GROUPING, row_idx + 1, col.header, cell)
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
            keys = [k for k in ("project", "enterprise", "indicator", "power_account") if k in roles]
            if not keys:
                continue
            key_col = roles.index(keys[0])
            sub = [cell_text(c) for c in rows[r + 1]] if r + 1 < len(rows) else []
            has_sub = _unit_row(sub) is None and self._is_subheader(top, sub, key_col)
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
                own = header_unit(s) if s else None  # a sub-header's unit, else its group's
                unit = own or header_unit(parent)
                columns.append(Column(j, header, role, kind, unit, (r + 1 if own else r) if unit else None))
            first = r + 2 if has_sub else r + 1
            if first < len(rows) and self._read_unit_row(first, columns):
                first += 1
            return r, first, columns
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
                      or classify_value_header(s) or match_evaluation_figure(s)):
                return True
        return False

    def _read_unit_row(self, r: int, columns: list[Column]) -> bool:
        """Row `r` under the header as a unit row (计量单位 | 千元 | 千元 | %, or a bare 千元): each
        column takes the unit written under it, or the row's one money unit; a unit that
        contradicts the column's header is a problem. False when the row is no unit row."""
        units = _unit_row(self.sheet.rows[r])
        if units is None:
            return False
        money = {u for u in units.values() if unit_in(u)}
        for col in columns:
            stated = units.get(col.index) or (next(iter(money)) if len(money) == 1 else None)
            if not stated:
                continue
            if col.unit is None:
                col.unit, col.unit_row = stated, r
            elif col.index in units and stated != col.unit and self._is_money(col):
                self.problem(labels.UNIT_CONFLICT.format(other=col.unit), r + 1, col.header, stated)
        return True

    @staticmethod
    def _is_money(col: Column) -> bool:
        return (col.value_kind is not None or col.role in MONEY_ROLES
                or (col.role is None and classify_project_measure(col.header) is not None))

    def sheet_unit(self, header_row: int) -> str | None:
        """The money unit the sheet states above its header ("单位：千元" in a title or a row of its
        own) or beside it (a header cell saying only "单位：千元"); a size class in a title
        (年主营业务收入2000万元及以上) is no unit. None when it states none."""
        return self._sheet_unit(header_row)[0]

    def _sheet_unit(self, header_row: int) -> tuple[str | None, int | None]:
        """(the sheet's unit, the 0-based row stating it)."""
        rows = self.sheet.rows
        for r, row in enumerate(rows[:header_row + 1]):
            find = unit_in if r < header_row else unit_statement
            for cell in row:
                unit = find(cell) if isinstance(cell, str) else None
                if unit:
                    return unit, r
        return None, None

    def money_unit(self, col: Column) -> tuple[str | None, float | None]:
        """(the unit a money column's figures are in, its factor to 万元): the column's own unit
        (its header, or the unit row under the header), else the sheet's (sheet_unit); (None, 1.0)
        when none is stated: the caller takes 万元. A 单位 column among the data rows (千元 on every
        row) states the unit as well, over the sheet's. The factor is None, with the problem noted
        once at the cell that states it, for a unit that is no known money unit (美元, 港元, 吨),
        or when the 单位 column says another unit than the header, or several."""
        listed = self._unit_column()
        if col.unit:
            unit, row, column = col.unit, col.unit_row, col.header
        elif listed:
            (unit, row), column = next(iter(listed.items())), self.by_role["unit"].header
        else:
            (unit, row), column = self._sheet_unit(self.header_row), None
        conflicts = [(other, at) for other, at in listed.items() if other != unit]
        for other, at in conflicts:
            self._refuse_unit(labels.UNIT_CONFLICT.format(other=unit), other, at, self.by_role["unit"].header)
        if unit is None:
            return None, 1.0
        factor = money_factor(unit)
        if factor is None:
            self._refuse_unit(labels.UNKNOWN_UNIT.format(known=known_money_units()), unit, row, column)
        return unit, None if conflicts else factor

    def _refuse_unit(self, reason: str, unit: str, row: int | None, column: str | None) -> None:
        """A unit that cannot be used, named once per cell."""
        if (unit, row, column) not in self._refused_units:
            self._refused_units.add((unit, row, column))
            self.problem(reason, None if row is None else row + 1, column, unit)

    def _unit_column(self) -> dict[str, int]:
        """The units a 单位 column of the data rows names (千元 on each row): unit → its first row."""
        if self._listed_units is None:
            self._listed_units = {}
            col = self.by_role.get("unit")
            for i in range(self.first_data, len(self.sheet.rows)) if col else ():
                row = self.sheet.rows[i]
                text = cell_text(row[col.index]) if col.index < len(row) else ""
                if text:
                    self._listed_units.setdefault(unit_in(text) or text, i)
        return self._listed_units

    def _check_csv_widths(self, first_data: int) -> None:
        """A CSV row with more fields than its header: an unquoted 1,234.5 has split a number and
        moved every figure after it one column on. Each such row is a problem, named by its line;
        a note under the table (说明：…, prose with commas of its own) is none."""
        rows = self.sheet.rows
        width = max(len(rows[r]) for r in range(self.header_row, first_data))
        for i in range(first_data, len(rows)):
            if len(rows[i]) > width and note_kind(_first_text(rows[i])) != "note":
                self.problem(labels.CSV_ROW_TOO_LONG.format(n=len(rows[i]), width=width), i + 1)

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
        """(row index, cells) of rows that hold an enterprise: no blanks, totals or footnotes (a
        total, note or section heading carrying a figure is said in the warnings), no name too long
        to be one (a problem)."""
        key = (by_role.get("project") or by_role.get("enterprise") or by_role.get("indicator")
               or by_role.get("power_account"))
        # An electricity row may name its enterprise by 户号 alone (its 企业名称 cell blank).
        account = by_role.get("power_account") if self.measure == "power" and key is not by_role.get(
            "power_account") else None
        width = max(c.index for c in columns) + 1
        has_sections = "enterprise" in by_role and "project" not in by_role
        # An evaluation sheet's figure columns carry a role, not a value kind: a row of them is a row of figures too.
        figures = [c.index for c in columns if c.value_kind or (self.measure == "evaluation" and c.role in FIGURES)]
        names_enterprises = key is by_role.get("enterprise")
        for i in range(first_data, len(self.sheet.rows)):
            cells = self.sheet.rows[i]
            if len(cells) < width:
                cells = list(cells) + [""] * (width - len(cells))
            name = cell_text(cells[key.index]) or (cell_text(cells[account.index]) if account else "")
            lead = cell_text(cells[0]) if type(cells[0]) is str else ""
            label = name or _first_text(cells)
            if has_sections and self._section(label):
                self._warn_unstored(i, cells, "section", label)
                continue
            kind = (note_kind(name) or (note_kind(lead) if lead else None)) if name else None
            if name and kind is None and names_enterprises:  # 总产值, 五金行业; 以下空白, -, /
                kind = "total" if is_sum_label(name) else "filler" if is_filler_label(name) else None
            if name and kind is None:
                if len(name) > MAX_NAME_CHARS and self.is_long_name(i, key, name):
                    continue
                if i in self.sheet.hidden_rows:
                    self.warn(labels.HIDDEN_ROW_COUNTED, i + 1, key.header, name)
                yield i, cells
                continue
            first_text = _first_text(cells)  # a row's label outside its name column (合计 in the 序号 column)
            if first_text and note_kind(first_text):
                self._warn_unstored(i, cells, note_kind(first_text), first_text)
                continue
            if kind:
                self._warn_unstored(i, cells, kind, name)
                continue
            if not name:
                texts = [c for c in cells if c not in ("", None)]
                if not texts:
                    continue
                numbers = [c for c in texts if not isinstance(c, str) or looks_numeric(c)]
                in_figures = any(j != key.index and cells[j] not in ("", None) for j in figures)
                if len(numbers) == len(texts) and len(texts) <= 1:
                    if in_figures:  # a figure alone on its row: an unlabelled total, or a name left out
                        self._warn_unstored(i, cells, "unnamed", "")
                    continue  # else a lone serial number
                if in_figures:
                    self.problem(labels.MISSING_NAME_OF.get(self.measure, labels.MISSING_NAME), i + 1, key.header)

    def carries_figure(self, cells) -> bool:
        """True when a row holds a number in a column of amounts or an unrecognised one (not in a
        serial number, period or code column): such a row, when it is not stored, must be said."""
        for col in self.columns:
            if col.role is not None and col.role not in MONEY_ROLES and col.role not in FIGURES:
                continue
            cell = cells[col.index] if col.index < len(cells) else ""
            if type(cell) in (float, int) or (type(cell) is str and cell.strip() and looks_numeric(cell)):
                return True
        return False

    def _warn_unstored(self, i: int, cells, kind: str, label: str) -> None:
        """A total, note or section heading row that carries a figure: not stored, and said so."""
        if self.carries_figure(cells):
            self.warn(labels.UNSTORED_ROW[kind].format(label=shorten(label)), i + 1)

    def is_long_name(self, i: int, col: Column, name: str) -> bool:
        """True, with the problem noted (the name shown shortened), when a name cell holds more
        text than any name (cells.MAX_NAME_CHARS)."""
        if not is_too_long_name(enterprise_display_name(name)):
            return False
        self.problem(labels.NAME_TOO_LONG.format(n=MAX_NAME_CHARS), i + 1, col.header, shorten(name))
        return True

    def _section(self, text: str) -> bool:
        """A section heading row ("一、规模以上工业企业", or "规模以下工业企业" alone as the whole label):
        remembered with the 规上 flag it gives, never an enterprise."""
        found = section_heading(text) if text else None
        if found is None and text and is_section_words(text):
            found = section_heading(f"一、{text}")
        if found is None:
            return False
        # A sub-heading that says nothing of scale ("（一）亿元以上企业", "1、重点企业" under
        # "一、规模以上工业企业") keeps its section's flag; a heading of the top level sets its own.
        if found[1] is not None or not _SUB_HEADING.match(normalise_text(text)):
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


_SUB_HEADING = re.compile(r"^(?:[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．])")


def _first_text(cells) -> str:
    """The first text of a row (where a total or note row puts its label), "" when none."""
    return next((t for c in cells if type(c) is str and (t := cell_text(c))), "")


def _unit_row(cells) -> dict[int, str] | None:
    """A row of units under a header (计量单位 | 千元 | 千元 | %, or a bare 千元): column → the unit
    written in it. None when the row holds anything else, or names no money unit."""
    found = {}
    for j, cell in enumerate(cells):
        if type(cell) is str:
            unit = unit_cell(cell)
            if unit is None:
                return None
            if unit:
                found[j] = unit
        elif cell not in ("", None):
            return None
    return found or None


def describe_column(col: Column, measure: str = "output") -> str:
    if col.role:
        return labels.ROLE_NAMES[col.role]
    if col.value_kind:
        kind, months, prior, year = col.value_kind
        return (("上年同期" if prior else "") + describe_span_kind(kind, months, year)
                + ("用电量" if measure == "power" else "产值"))
    return "未使用"


def _decide_measure(columns: list[Column]) -> str:
    """What a sheet's figures are, from its columns, set on them: "evaluation" when it names
    enterprises and three 亩均评价 figures, 用地面积 or 税收 among them (each such column then holds
    that figure: its role is the figure's code); "power" when it names enterprises (or 户号) and
    electricity by span with no output of its own (a 上年同期 column then is electricity's too: the
    columns' spans are read as output's); else "output", every column as it was read."""
    roles = {c.role for c in columns}
    # Under a merged group (经济指标/税收实际贡献（万元）) the figure is the sub-header's.
    figures = {c.index: match_evaluation_figure(c.header) or match_evaluation_figure(c.header.rsplit("/", 1)[-1])
               for c in columns if c.role in (None, "land_mu")}
    found = set(figures.values()) - {None}
    if "enterprise" in roles and len(found) >= 3 and found & {"land_mu", "tax_10k"}:
        for c in columns:
            if figures.get(c.index) and c.role is None:
                c.role, c.value_kind = figures[c.index], None
        return "evaluation"
    power = {c.index: kind for c in columns if c.role is None
             and (kind := classify_power_header(c.header.replace("/", "")))}
    output = [c for c in columns if c.value_kind is not None and c.index not in power]
    if power and roles & {"enterprise", "power_account"} and all(c.value_kind.prior for c in output):
        for c in columns:
            if c.index in power:
                c.value_kind = power[c.index]
        return "power"
    return "output"
