"""Raw tables → tidy frames: one row per enterprise per span of months, values in 万元.

Every problem of a file is collected before anything is returned, so staff see all of them at
once; `clean_workbook` raises ImportRefused with the whole list, or returns the tidy tables
with the warnings that did not stop the import.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from ..domain import labels
from ..domain.numbers import NotANumber, NotFinite, TooPrecise, parse_number, values_agree
from ..domain.periods import (
    Period,
    normalise_text,
    parse_period,
    parse_year,
    strip_invisible,
    summarise_periods,
)
from ..domain.targets import INDICATORS, UNIT_FACTORS
from .columns import (
    MILESTONE_FIELDS,
    UNIT_FACTORS_TO_10K,
    classify_value_header,
    is_footnote_row,
    is_total_row,
    match_indicator,
    match_role,
    match_sector,
    match_yes_no,
    names_other_indicator,
    section_heading,
    unit_in,
)
from .errors import ImportRefused, Problem, ProblemList
from .read import RawSheet, RawWorkbook

PROJECT_FIELDS = ["sheet", "row", "year", "name", "name_key", "enterprise", "enterprise_key", "credit_code",
                  "sector", "kind", "manufacturing", "total_10k", "plan_10k", "inward", "contracted_10k",
                  "signed", "contact", *MILESTONE_FIELDS, "issues"]
PROGRESS_FIELDS = ["sheet", "row", "name", "name_key", "year", "first_month", "last_month", "invested_10k",
                    "received_10k"]

HEADER_SCAN_ROWS = 40
ENTERPRISE_FIELDS = ("name", "name_key", "credit_code", "sector", "above_scale", "contact")
ENTERPRISE_ROLES = ("enterprise", "credit_code", "sector", "above_scale", "contact")
OUTPUT_COLUMNS = ["sheet", "row", *ENTERPRISE_FIELDS, "year", "first_month", "last_month", "value_10k",
                  "prior_10k"]
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_CJK = r"\u3000-\u9fff\uff00-\uffef"
INFINITY = float("inf")
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")


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


def _empty(columns):
    return field(default_factory=lambda: pd.DataFrame(columns=columns))


@dataclass
class CleanResult:
    file: str
    output: pd.DataFrame
    enterprises: pd.DataFrame  # every enterprise the file names, as last mentioned (ENTERPRISE_FIELDS)
    register: pd.DataFrame  # name, name_key, credit_code, sector, above_scale, contact
    targets: pd.DataFrame  # year, indicator, target
    target_actuals: pd.DataFrame  # year, indicator, last_month, actual
    enterprise_targets: pd.DataFrame  # name, name_key, credit_code, year, target_10k
    peer_figures: pd.DataFrame  # town, year, last_month, indicator, value (a peer town's figures)
    sheets: list[SheetReport]
    warnings: list[Problem]
    # True for a register edited on a page: a blank cell clears (in a file, it leaves as is)
    authoritative: bool = False
    # Other spellings of enterprises' names (from the register editor): name_key, alias, alias_key
    aliases: pd.DataFrame = _empty(["name_key", "alias", "alias_key"])
    # 重点项目: the register of a year and its monthly progress (project_sheets)
    projects: pd.DataFrame = _empty(PROJECT_FIELDS)
    project_progress: pd.DataFrame = _empty(PROGRESS_FIELDS)

    @property
    def row_count(self) -> int:
        return (len(self.output) + len(self.register) + len(self.targets) + len(self.target_actuals)
                + len(self.enterprise_targets) + len(self.peer_figures) + len(self.aliases)
                + len(self.projects) + len(self.project_progress))


@lru_cache(maxsize=65536)
def enterprise_display_name(text) -> str:
    """A name as stored: invisible characters (zero-width spaces …) removed, stray spaces removed
    around Chinese characters, runs of spaces folded."""
    text = " ".join(strip_invisible(str(text)).split())
    return _SPACE_NEAR_CJK.sub("", text)


@lru_cache(maxsize=65536)
def enterprise_name_key(text) -> str:
    """The key two spellings of one name share: NFKC, no whitespace, upper-case Latin."""
    return normalise_text(text).upper()


@lru_cache(maxsize=65536)
def clean_credit_code(cell) -> str | None:
    """An 18-character 统一社会信用代码, upper-case; None when blank. ValueError when malformed."""
    text = normalise_text(cell).upper()
    if not text:
        return None
    if not _CREDIT_CODE.match(text):
        raise ValueError(text)
    return text


def clean_table(rows: list[list], source: str, sheet: str) -> CleanResult:
    """A table edited on a page (header row first), validated exactly like an imported sheet.
    `source` names it in messages (e.g. "页面编辑：企业名录")."""
    return clean_workbook(RawWorkbook(source, "edit", [RawSheet(sheet, rows)]))


def clean_workbook(raw: RawWorkbook, period_override: Period | None = None, limit: int = 200) -> CleanResult:
    """Recognise and clean every visible sheet. Raises ImportRefused listing the problems (the
    first `limit` of them, and how many more)."""
    problems = ProblemList(limit)
    warnings = ProblemList(limit)
    parts: dict = {k: [] for k in ("output", "register", "targets", "actuals", "ent_targets", "peer",
                                   "projects", "progress")}
    parts["seen"] = {}  # (name_key, period) → (sheet, row): an enterprise twice in one period
    parts["mentions"] = {}  # enterprise field tuples, in the order of their last mention
    reports: list[SheetReport] = []
    unrecognised: list[tuple[RawSheet, list[str]]] = []
    guessed_rows: dict[str, int | None] = {}

    for sheet in raw.sheets:
        if not any(c not in ("", None) for r in sheet.rows for c in r):
            continue
        parser = _SheetParser(raw.file_name, sheet, period_override, problems, warnings)
        report = parser.parse(parts)
        if report is None:
            unrecognised.append((sheet, parser.found_headers))
            guessed_rows[sheet.name] = parser.header_guess
        else:
            reports.append(report)

    prose = [sheet for sheet, _ in unrecognised if _is_prose(sheet)]
    for sheet in prose:
        # A template's 填表说明, notes: skipped and said, never a reason to refuse the file.
        warnings.append(Problem(raw.file_name, labels.PROSE_SHEET_SKIPPED, sheet=sheet.name))
    others = [(sheet, found) for sheet, found in unrecognised if sheet not in prose]
    if not reports:
        for sheet, found in others or unrecognised[:1]:
            guess = guessed_rows.get(sheet.name)
            problems.append(Problem(raw.file_name, labels.NO_TABLE.format(found=_found(found)),
                                    sheet=sheet.name if sheet.is_worksheet else None,
                                    row=None if guess is None else guess + 1))
    else:
        for sheet, _ in others:
            warnings.append(Problem(raw.file_name, "没有识别到数据表，已忽略该工作表", sheet=sheet.name))

    output = _frame(parts["output"], OUTPUT_COLUMNS)
    if problems:
        raise ImportRefused(problems)
    return CleanResult(
        file=raw.file_name,
        output=output,
        enterprises=_frame(list(parts["mentions"]), list(ENTERPRISE_FIELDS)),
        register=_frame(parts["register"], ["name", "name_key", "credit_code", "sector",
                                             "above_scale", "contact"]),
        targets=_frame(parts["targets"], ["year", "indicator", "target"]),
        target_actuals=_frame(parts["actuals"], ["year", "indicator", "last_month", "actual"]),
        enterprise_targets=_frame(parts["ent_targets"], ["name", "name_key", "credit_code", "year",
                                                          "target_10k"]),
        peer_figures=_frame(parts["peer"], ["town", "year", "last_month", "indicator", "value"]),
        sheets=reports,
        warnings=warnings,
        projects=_frame(parts["projects"], PROJECT_FIELDS),
        project_progress=_frame(parts["progress"], PROGRESS_FIELDS),
    )


def _is_prose(sheet: RawSheet) -> bool:
    """A sheet of instructions or notes (说明, 填表说明, 备注) rather than a table: named so, or
    text only, with no figures."""
    if any(w in sheet.name for w in ("说明", "备注", "注释", "须知")):
        return True
    cells = [c for row in sheet.rows[:200] for c in row if c not in ("", None)]
    return bool(cells) and not any(isinstance(c, int | float) or _looks_numeric(str(c)) for c in cells)


def _frame(rows: list, columns: list[str]) -> pd.DataFrame:
    """Rows (tuples in `columns` order, or dicts) as a frame."""
    return pd.DataFrame.from_records(rows, columns=columns) if rows else pd.DataFrame(columns=columns)


def _found(headers: list[str]) -> str:
    return "、".join(f"「{h}」" for h in headers) if headers else "（无）"


@dataclass
class _Column:
    index: int
    header: str  # as displayed: parent/sub
    role: str | None = None
    value_kind: tuple | None = None  # from classify_value_header
    unit: str | None = None


class _SheetParser:
    """Parses one sheet; appends problems and warnings to the shared lists."""

    def __init__(self, file, sheet: RawSheet, override, problems, warnings):
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

    # -- helpers -------------------------------------------------------------------------------
    @property
    def where(self) -> str | None:
        return self.sheet.name if self.sheet.is_worksheet else None

    def problem(self, reason, row=None, column=None, value=None):
        self.problems.append(Problem(self.file, reason, self.where, row, column, value))

    def warn(self, reason, row=None, column=None, value=None):
        self.warnings.append(Problem(self.file, reason, self.where, row, column, value))

    def number(self, row_idx, col: _Column, cell, allow_negative=False) -> float | None:
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

    # -- header --------------------------------------------------------------------------------
    def _find_header(self):
        rows = self.sheet.rows
        for r in range(min(len(rows), HEADER_SCAN_ROWS)):
            top = [_text(c) for c in rows[r]]
            roles = [match_role(t) if t else None for t in top]
            keys = [k for k in ("project", "enterprise", "indicator") if k in roles]
            if not keys:
                continue
            key_col = roles.index(keys[0])
            sub = [_text(c) for c in rows[r + 1]] if r + 1 < len(rows) else []
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
                columns.append(_Column(j, header, role, kind, unit_in(parent + s)))
            return r, (r + 2 if has_sub else r + 1), columns
        # Name the row that looks most like a header (the first with two or more texts), and its texts.
        for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
            texts = [t for t in map(_text, row) if t and not _looks_numeric(t)]
            if len(texts) >= 2:
                self.found_headers, self.header_guess = texts[:12], r
                break
        else:
            self.found_headers = [t for row in rows[:HEADER_SCAN_ROWS] for t in map(_text, row) if t][:12]
        return None

    @staticmethod
    def _is_subheader(top, sub, key_col) -> bool:
        if not sub or (key_col < len(sub) and sub[key_col]):
            return False
        texts = [s for s in sub if s]
        if not texts or any(_looks_numeric(s) for s in texts):
            return False
        parent = ""
        for j, s in enumerate(sub):
            parent = top[j] if j < len(top) and top[j] else parent
            if s and (match_role(s) or match_role(f"{parent}/{s}") or classify_value_header(parent + s)
                      or classify_value_header(s)):
                return True
        return False

    def _sheet_unit(self, header_row: int) -> str | None:
        for row in self.sheet.rows[:header_row]:
            for cell in row:
                unit = unit_in(cell) if isinstance(cell, str) else None
                if unit:
                    return unit
        return None

    def _sheet_period(self, header_row: int) -> Period | None:
        if self.override:
            return self.override
        candidates = [self.sheet.name] + [
            " ".join(_text(c) for c in row if _text(c)) for row in self.sheet.rows[:header_row]
        ]
        for text in candidates:
            period = parse_period(text)
            if period:
                return period
        year = self._sheet_year(header_row)
        if year:
            for text in candidates:
                for piece in re.split(r"[\s年度]+", normalise_text(text)):
                    period = parse_period(piece, default_year=year)
                    if period:
                        return period
        return None

    def _sheet_year(self, header_row: int) -> int | None:
        if self.override:
            return self.override.year
        for text in [self.sheet.name] + [_text(c) for row in self.sheet.rows[:header_row] for c in row]:
            m = re.search(r"(19|20|21)\d{2}(?=年)", normalise_text(text))
            if m:
                return int(m.group(0))
        return None

    # -- body ----------------------------------------------------------------------------------
    def parse(self, parts) -> SheetReport | None:
        found = self._find_header()
        if found is None:
            return None
        header_row, first_data, columns = found
        self._fill_merges(first_data)
        by_role = {}
        for col in columns:
            if col.role and col.role not in by_role:
                by_role[col.role] = col
        values = [c for c in columns if c.value_kind is not None]
        self.found_headers = [c.header for c in columns]
        report = SheetReport(self.sheet.name, "", header_row + 1,
                             columns={c.header: _describe(c) for c in columns})
        report.unused = list(dict.fromkeys(
            c.header.split("/")[0] for c in columns if c.role is None and names_other_indicator(c.header)))
        if report.unused:
            self.warn(labels.OTHER_INDICATORS.format(names="、".join(f"「{u}」" for u in report.unused)),
                      row=header_row + 1)
        self.report = report
        data_rows = self._data_rows(first_data, by_role, columns)

        if "project" in by_role:
            self._parse_project_sheet(header_row, by_role, columns, data_rows, parts, report)
        elif "indicator" in by_role and "town" in by_role:
            report.kind = "peer"
            self._parse_peer(header_row, by_role, columns, data_rows, parts, report)
        elif "indicator" in by_role and "target" in by_role:
            report.kind = "targets"
            self._parse_targets(header_row, by_role, columns, data_rows, parts, report)
        elif "enterprise" not in by_role:
            return None
        elif values:
            report.kind = "output"
            self._parse_output(header_row, by_role, values, data_rows, parts, report)
        elif "target" in by_role:
            report.kind = "enterprise_targets"
            self._parse_enterprise_targets(header_row, by_role, data_rows, parts, report)
        elif "contact" in by_role or any(w in self.sheet.name for w in ("名录", "名单", "企业库")):
            report.kind = "register"
            self._parse_register(by_role, data_rows, parts, report)
        else:
            self.problem(labels.NO_VALUE_COLUMN.format(found=_found(self.found_headers)),
                         row=header_row + 1)
            return report
        if report.rows == 0 and not any(p.sheet == self.where for p in self.problems):
            self.problem(labels.NO_DATA_ROWS, row=header_row + 1)
        return report

    def _parse_project_sheet(self, header_row, by_role, columns, data_rows, parts, report) -> None:
        from . import project_sheets  # it builds on this module's helpers

        if project_sheets.is_progress_sheet(columns):
            report.kind = "project_progress"
            project_sheets.parse_progress(self, header_row, by_role, columns, data_rows, parts, report)
        else:
            report.kind = "projects"
            project_sheets.parse_register(self, header_row, by_role, columns, data_rows, parts, report,
                                          dt.date.today())

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
            name = _text(cells[key.index])
            lead = cells[0] if type(cells[0]) is str else ""
            if "enterprise" in by_role and "project" not in by_role and self._section(
                    name or next((c for c in cells if type(c) is str and c.strip()), ""), cells, columns):
                continue
            if name and not (_is_note(name) or (lead and _is_note(lead))):
                if i in self.sheet.hidden_rows:
                    self.warn(labels.HIDDEN_ROW_COUNTED, i + 1, key.header, name)
                yield i, cells
                continue
            first_text = next((c for c in cells if type(c) is str and c.strip()), "")
            if first_text and _is_note(first_text):
                continue
            if not name:
                texts = [c for c in cells if c not in ("", None)]
                if not texts:
                    continue
                numbers = [c for c in texts if not isinstance(c, str) or _looks_numeric(c)]
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
        if found is None and text and any(w in text for w in ("规模以上工业企业", "规模以下工业企业", "规模以上企业",
                                                              "规模以下企业", "规上企业", "规下企业")) \
                and not any(c.value_kind and cells[c.index] not in ("", None) for c in columns):
            found = section_heading(f"一、{text}")
        if found is None:
            return False
        self.section_above = found[1]
        if self.report is not None:
            self.report.sections.append(normalise_text(text))
        return True

    def _enterprise_fields(self, i, cells, by_role, mentions: dict) -> dict:
        """Name, key, code, sector, 规上 and contact of a row, as a dict (and noted as mentioned)."""
        ent = self._enterprise_tuple(i, cells, by_role)
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
        label = _text(cells[col.index])
        if not label:
            return None
        sector = match_sector(label)
        if sector is None:
            self.warn(labels.UNKNOWN_SECTOR, i + 1, col.header, label)
        return sector or "other"

    def _enterprise_tuple(self, i, cells, by_role) -> tuple:
        name = enterprise_display_name(cells[by_role["enterprise"].index])
        code, sector = self.credit_code(i, cells, by_role), self.sector(i, cells, by_role)
        above = contact = None
        if "above_scale" in by_role:
            col = by_role["above_scale"]
            cell = cells[col.index]
            above = match_yes_no(cell)
            if above is None and _text(cell):
                self.warn(labels.UNKNOWN_SCALE, i + 1, col.header, cell)
        if above is None:
            above = self.section_above  # under "一、规模以上工业企业" and no 规上 column
        if "contact" in by_role:
            contact = _text(cells[by_role["contact"].index]) or None
        return name, enterprise_name_key(name), code, sector, above, contact

    def period_source(self, header_row, by_role):
        """How rows get their period: (a reader of each row's period, None) for a long sheet, (None,
        the sheet's own period) for a wide one; None, with the problem noted, when it has neither."""
        row_period = self._row_period_reader(by_role, header_row)
        if row_period is not None:
            return row_period, None
        sheet_period = self._sheet_period(header_row)
        if sheet_period is None:
            self.problem(labels.NO_PERIOD, row=header_row + 1)
            return None
        return None, sheet_period

    def _unit_factors(self, header_row, values, report) -> dict[int, float]:
        """Each value column's factor to 万元: its own unit, else the sheet's, else 万元 (said)."""
        sheet_unit = self._sheet_unit(header_row)
        factors = {}
        for col in values:
            unit = col.unit or sheet_unit
            if unit is None:
                unit = "万元"
                self.warn("未找到计量单位，按万元处理", header_row + 1, col.header)
            factors[col.index] = UNIT_FACTORS_TO_10K[unit]
            col.unit = unit
        report.unit = "、".join(sorted({c.unit for c in values}))
        return factors

    def _parse_output(self, header_row, by_role, values, data_rows, parts, report):
        factors = self._unit_factors(header_row, values, report)
        found = self.period_source(header_row, by_role)
        if found is None:
            return
        row_period, sheet_period = found
        current = [c for c in values if not c.value_kind[2]]
        priors = [c for c in values if c.value_kind[2]]
        if not current:
            self.problem(labels.NO_VALUE_COLUMN.format(found=_found(self.found_headers)),
                         row=header_row + 1)
            return
        prior_for = {p.index: _prior_target(p, current) for p in priors}
        self._columns_by_index = {c.index: c for c in priors}
        entity_cols = [by_role[r].index for r in ENTERPRISE_ROLES if r in by_role]
        name_header = by_role["enterprise"].header
        sheet, out, seen, mentions = self.sheet.name, parts["output"], parts["seen"], parts["mentions"]
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
            raw = (self.section_above, *(cells[j] for j in entity_cols))
            ent = entities.get(raw)
            if ent is None:
                ent = entities[raw] = self._enterprise_tuple(i, cells, by_role)
            mentions.pop(ent, None)
            mentions[ent] = None
            first = seen.setdefault((ent[1], plan[0]), (sheet, i + 1))
            if first[1] != i + 1 or first[0] != sheet:
                where = "" if first[0] == sheet else f"工作表「{first[0]}」"
                self.problem(labels.DUPLICATE_ENTERPRISE.format(where=where, other=first[1]),
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
        if len(blank) == 1:
            self.warn(labels.BLANK_VALUE_ROW, blank[0][0], name_header, blank[0][1])
        elif blank:
            # A pre-filled template lists every enterprise: the blank ones have not reported yet.
            names = "、".join(n for _, n in blank[:10]) + ("等" if len(blank) > 10 else "")
            self.warn(labels.BLANK_VALUE_ROWS.format(n=len(blank), names=names))

    def _row_spans(self, i, cells, period, plan, factors) -> dict:
        """A row's figures: span → [value in 万元, prior (filled later), header, column index]."""
        spans: dict = {}
        special = self.special
        for col, span in plan:
            cell = cells[col.index]
            if type(cell) is float and cell >= 0 and cell != INFINITY and (i, col.index) not in special:
                value = cell  # the common case: a plain non-negative number
            else:
                value = self.number(i, col, cell)
                if value is None:
                    continue
            if span is None:
                self.problem(labels.BAD_PERIOD, i + 1, col.header, period.label())
                continue
            value *= factors[col.index]
            if span in spans:
                if not values_agree(spans[span][0], value):
                    self.problem(f"与「{spans[span][2]}」列同为{span.label()}，数值却不同", i + 1, col.header, cell)
                continue
            spans[span] = [value, None, col.header, col.index]
        return spans

    def _row_priors(self, i, cells, spans: dict, prior_for: dict, factors) -> None:
        """上年同期 columns of a row, set beside the figure each is the base of."""
        for index, target in prior_for.items():
            col = self._columns_by_index[index]
            prior = self.number(i, col, cells[index])
            if prior is None or target is None:
                continue
            for entry in spans.values():
                if entry[3] == target.index:
                    entry[1] = prior * factors[index]

    @staticmethod
    def _span_plan(period: Period, current: list) -> tuple:
        return (period.year, period.first, period.last), [(c, _resolve_span(c.value_kind, period))
                                                          for c in current]

    def _row_period_reader(self, by_role, header_row):
        """A function (row index, cells) → Period for long sheets, or None for wide sheets."""
        period_col, month_col = by_role.get("period"), by_role.get("month")
        quarter_col, year_col = by_role.get("quarter"), by_role.get("year")
        if not (period_col or month_col or quarter_col) or self.override:
            return None
        default_year = self._sheet_year(header_row)
        col = period_col or month_col or quarter_col
        year_index = year_col.index if year_col else None
        cache: dict = {}

        def parse(i, year_cell, cell):
            if isinstance(cell, dt.date) and cell.year <= 1900:
                # A small number (a month, 3) in a cell formatted as a date reads as 1900-01-03.
                self.problem(labels.DATE_FORMATTED_NUMBER.format(shown=f"{cell:%Y-%m-%d}"), i + 1, col.header)
                return None, False
            year = default_year
            if year_col:
                year = parse_year(year_cell)
                if year is None and not period_col:
                    self.problem(labels.BAD_PERIOD, i + 1, year_col.header, year_cell)
                    return None, False
            period = _parse_period_cell(col, cell, year)
            if period is None:
                self.problem(labels.BAD_PERIOD, i + 1, col.header, cell)
            return period, True

        def read(i, cells):
            key = (cells[year_index] if year_index is not None else None, cells[col.index])
            found = cache.get(key)
            if found is None:
                period, cacheable = parse(i, *key)
                if period is None:
                    return None  # reported for every such row, with its own row number
                if cacheable:
                    cache[key] = period
                return period
            return found

        return read

    def _parse_targets(self, header_row, by_role, columns, data_rows, parts, report):
        year_col = by_role.get("year")
        sheet_year = self._sheet_year(header_row) or parse_year_in_text(self.sheet.name)
        actual_cols = []
        for col in columns:
            if col.role in ("actual",) or ("完成" in col.header and col.role is None):
                actual_cols.append(col)
        period_col = by_role.get("period")
        for i, cells in data_rows:
            year = parse_year(cells[year_col.index]) if year_col else sheet_year
            if year is None:
                self.problem(labels.TARGET_NEEDS_YEAR, i + 1)
                continue
            found = self._indicator(i, cells, by_role)
            if found is None:
                continue
            indicator, factor = found
            target = self.number(i, by_role["target"], cells[by_role["target"].index],
                                 allow_negative=indicator.kind == "growth")
            if target is not None:
                parts["targets"].append({"year": year, "indicator": indicator.code,
                                         "target": target * factor})
                report.rows += 1
            for col in actual_cols:
                actual = self.number(i, col, cells[col.index], allow_negative=True)
                if actual is None:
                    continue
                if period_col:
                    period = parse_period(cells[period_col.index], default_year=year)
                else:
                    period = parse_period(col.header.replace("完成", ""), default_year=year)
                if period is None:
                    self.problem(labels.BAD_PERIOD, i + 1, col.header,
                                 cells[period_col.index] if period_col else col.header)
                    continue
                parts["actuals"].append({"year": year, "indicator": indicator.code,
                                         "last_month": period.last, "actual": actual * factor})
        report.periods = [f"{y}年目标" for y in sorted({t["year"] for t in parts["targets"]})]

    def _indicator(self, i, cells, by_role):
        """(indicator, factor to its canonical unit) named by a row, or None with the problem noted."""
        col = by_role["indicator"]
        indicator = match_indicator(cells[col.index])
        if indicator is None:
            self.problem(labels.UNKNOWN_INDICATOR.format(known="、".join(x.name for x in INDICATORS)),
                         i + 1, col.header, cells[col.index])
            return None
        unit_text = _text(cells[by_role["unit"].index]) if "unit" in by_role else ""
        factor = UNIT_FACTORS.get(unit_text or indicator.unit)
        if factor is None:
            self.problem(f"单位无法识别（可用：{'、'.join(k for k in UNIT_FACTORS if k)}）",
                         i + 1, by_role["unit"].header, unit_text)
            return None
        return indicator, factor

    def _parse_peer(self, header_row, by_role, columns, data_rows, parts, report):
        """A peer town's figures (温溪镇): 乡镇 | 年份 | 期间 | 指标 | 单位 | 数值."""
        figure = next((c for c in columns if c.value_kind or c.role == "actual"), None)
        if figure is None:
            self.problem(labels.NO_VALUE_COLUMN.format(found=_found(self.found_headers)), row=header_row + 1)
            return
        year_col, period_col = by_role.get("year"), by_role.get("period")
        sheet_year = self._sheet_year(header_row)
        for i, cells in data_rows:
            town = _text(cells[by_role["town"].index])
            year = parse_year(cells[year_col.index]) if year_col else sheet_year
            period = parse_period(cells[period_col.index], default_year=year) if period_col else None
            if period is None:
                self.problem(labels.BAD_PERIOD, i + 1, period_col.header if period_col else None,
                             cells[period_col.index] if period_col else None)
                continue
            found = self._indicator(i, cells, by_role)
            value = self.number(i, figure, cells[figure.index], allow_negative=True)
            if found is None or value is None or not town:
                continue
            indicator, factor = found
            parts["peer"].append({"town": town, "year": period.year, "last_month": period.last,
                                  "indicator": indicator.code, "value": value * factor})
            report.rows += 1
        report.periods = sorted({f"{p['town']}{p['year']}年对比指标" for p in parts["peer"]})

    def _parse_enterprise_targets(self, header_row, by_role, data_rows, parts, report):
        col = by_role["target"]
        factor = UNIT_FACTORS_TO_10K[col.unit or self._sheet_unit(header_row) or "万元"]
        year_col = by_role.get("year")
        sheet_year = self._sheet_year(header_row)
        for i, cells in data_rows:
            year = parse_year(cells[year_col.index]) if year_col else sheet_year
            if year is None:
                self.problem(labels.TARGET_NEEDS_YEAR, i + 1)
                continue
            target = self.number(i, col, cells[col.index])
            if target is None:
                continue
            ent = self._enterprise_fields(i, cells, by_role, parts["mentions"])
            parts["ent_targets"].append({"name": ent["name"], "name_key": ent["name_key"],
                                         "credit_code": ent["credit_code"], "year": year,
                                         "target_10k": target * factor})
            report.rows += 1

    def _parse_register(self, by_role, data_rows, parts, report):
        for i, cells in data_rows:
            parts["register"].append(self._enterprise_fields(i, cells, by_role, parts["mentions"]))
            report.rows += 1


def _is_note(text: str) -> bool:
    """A total (合计) or a footnote (填报人) rather than an enterprise."""
    return is_total_row(text) or is_footnote_row(text)


def parse_year_in_text(text) -> int | None:
    m = re.search(r"(19|20|21)\d{2}", normalise_text(text))
    return int(m.group(0)) if m else None


def _parse_period_cell(col: _Column, cell, year) -> Period | None:
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


def _resolve_span(kind, period: Period) -> Period | None:
    span_kind, months, _ = kind
    try:
        if span_kind == "period":
            return period
        if span_kind == "month":
            return period.month_span()
        if span_kind == "quarter":
            return period.quarter_span()
        if span_kind == "ytd":
            return period.ytd_span()
        return Period(period.year, months[0], months[1])
    except ValueError:
        return None


def _prior_target(prior: _Column, current: list[_Column]) -> _Column | None:
    """The value column a 上年同期 column is the base of: 累计 with 累计, the period with the period."""
    if len(current) == 1:
        return current[0]
    wants_ytd = prior.value_kind[0] in ("ytd", "range")
    for col in current:
        is_ytd = col.value_kind[0] == "ytd" or (col.value_kind[0] == "range" and col.value_kind[1][0] == 1)
        if is_ytd == wants_ytd:
            return col
    return None


def _describe(col: _Column) -> str:
    if col.role:
        return labels.ROLE_NAMES[col.role]
    if col.value_kind:
        kind, months, prior = col.value_kind
        return ("上年同期" if prior else "") + describe_span_kind(kind, months) + "产值"
    return "未使用"


def describe_span_kind(kind: str, months) -> str:
    """本期 / 本月 / 本季 / 累计 / 1-5月: the span a value column holds, as a person says it."""
    return {"period": "本期", "month": "本月", "quarter": "本季", "ytd": "累计",
            "range": f"{months[0]}-{months[1]}月" if months else ""}[kind]


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _looks_numeric(text: str) -> bool:
    try:
        return parse_number(text) is not None
    except NotANumber:
        return False
