"""Raw tables → tidy frames: one row per enterprise per span of months, values in 万元.

Every problem of a file is collected before anything is returned, so staff see all of them at
once; `clean_workbook` raises ImportRefused with the whole list, or returns the tidy tables
with the warnings that did not stop the import.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..domain import labels
from ..domain.evaluation import FIGURES
from ..domain.periods import Period
from .cells import describe_found, looks_numeric
from .columns import MILESTONE_FIELDS
from .errors import ImportRefused, Problem, ProblemList
from .layout import ENTERPRISE_FIELDS, SheetLayout, SheetReport
from .read import RawSheet, RawWorkbook
from .sheets import parse_sheet
from .sheets.output import refuse_parts_above_wholes
from .towns import TownCollector, TownFindings

PROJECT_FIELDS = ["sheet", "row", "year", "name", "name_key", "enterprise", "enterprise_key", "credit_code",
                  "sector", "kind", "manufacturing", "total_10k", "plan_10k", "inward", "contracted_10k",
                  "signed", "contact", *MILESTONE_FIELDS, "issues"]
PROGRESS_FIELDS = ["sheet", "row", "name", "name_key", "year", "first_month", "last_month", "invested_10k",
                    "received_10k"]

# 亩均评价 data (sheets.evaluation): one row per enterprise and year, figures in canonical units (NaN: blank).
# scale_column: the header of the sheet's 是否规上 column (None when it has none), for the warning
# on an enterprise the store finds no flag for.
EVALUATION_FIELDS = ["sheet", "row", "name", "name_key", "credit_code", "year", "above_scale", "scale_column",
                     *FIGURES, "production_start", "note"]
# Electricity by span (sheets.electricity): an enterprise by name (name_key) or by 户号 (account), or both.
ELECTRICITY_FIELDS = ["sheet", "row", "column", "name", "name_key", "credit_code", "account", "year", "first_month",
                      "last_month", "value_10k_kwh", "prior_10k_kwh"]
# The register's attributes beyond ENTERPRISE_FIELDS: 用地面积 (亩) and 电力户号, by name_key.
DETAIL_FIELDS = ["name_key", "land_mu", "power_account"]

OUTPUT_COLUMNS = ["sheet", "row", *ENTERPRISE_FIELDS, "year", "first_month", "last_month", "value_10k",
                  "prior_10k"]


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
    # 重点项目: the register of a year and its monthly progress (sheets.projects)
    projects: pd.DataFrame = _empty(PROJECT_FIELDS)
    project_progress: pd.DataFrame = _empty(PROGRESS_FIELDS)
    # The towns the file names, and the town of each output row that a 乡镇 cell gives (ingest.towns)
    towns: TownFindings = field(default_factory=TownFindings)
    # 亩均评价 data of a year, monthly electricity, and the register's 用地面积 / 电力户号
    evaluation: pd.DataFrame = _empty(EVALUATION_FIELDS)
    electricity: pd.DataFrame = _empty(ELECTRICITY_FIELDS)
    enterprise_details: pd.DataFrame = _empty(DETAIL_FIELDS)

    @property
    def row_count(self) -> int:
        return (len(self.output) + len(self.register) + len(self.targets) + len(self.target_actuals)
                + len(self.enterprise_targets) + len(self.peer_figures) + len(self.aliases)
                + len(self.projects) + len(self.project_progress) + len(self.evaluation) + len(self.electricity))


def clean_table(rows: list[list], source: str, sheet: str) -> CleanResult:
    """A table edited on a page (header row first), validated exactly like an imported sheet.
    `source` names it in messages (e.g. "页面编辑：企业名录")."""
    return clean_workbook(RawWorkbook(source, "edit", [RawSheet(sheet, rows)]))


def clean_workbook(raw: RawWorkbook, period_override: Period | None = None, limit: int = 200,
                   known_towns=()) -> CleanResult:
    """Recognise and clean every visible sheet. Raises ImportRefused listing the problems (the
    first `limit` of them, and how many more). `known_towns` are the towns' names the database
    holds, recognised wherever the file names them (ingest.towns)."""
    problems = ProblemList(limit)
    warnings = ProblemList(limit)
    parts: dict = {k: [] for k in ("output", "register", "targets", "actuals", "ent_targets", "peer",
                                   "projects", "progress", "evaluation", "electricity")}
    parts["details"] = {}  # name_key → {land_mu, power_account} a register sheet gives
    # (how, name key or credit code, span) → (sheet, row, column) of its first figure: one enterprise's
    # span twice in a file, however spelled, is named at both places (sheets.output)
    parts["seen"] = {}
    parts["mentions"] = {}  # enterprise field tuples, in the order of their last mention
    # The names a peer town's 乡镇 cell is read against ("温溪" is 温溪镇, the neighbour, in any database).
    parts["towns"] = (*known_towns, labels.PEER_TOWN)
    reports: list[SheetReport] = []
    unrecognised: list[tuple[RawSheet, list[str]]] = []
    guessed_rows: dict[str, int | None] = {}
    towns = TownCollector(raw.file_name, known_towns, problems)

    for sheet in raw.sheets:
        if not any(c not in ("", None) for r in sheet.rows for c in r):
            continue
        layout = SheetLayout(raw.file_name, sheet, period_override, problems, warnings)
        report = parse_sheet(layout, parts) if layout.read() else None
        if report is None:
            unrecognised.append((sheet, layout.found_headers))
            guessed_rows[sheet.name] = layout.header_guess
        else:
            reports.append(report)
            towns.note_sheet(layout, report)

    prose = [sheet for sheet, _ in unrecognised if _is_prose(sheet)]
    for sheet in prose:
        # A template's 填表说明, notes: skipped and said, never a reason to refuse the file.
        warnings.append(Problem(raw.file_name, labels.PROSE_SHEET_SKIPPED, sheet=sheet.name))
    others = [(sheet, found) for sheet, found in unrecognised if sheet not in prose]
    if not reports:
        for sheet, found in others or unrecognised[:1]:
            guess = guessed_rows.get(sheet.name)
            problems.append(Problem(raw.file_name, labels.NO_TABLE.format(found=describe_found(found)),
                                    sheet=sheet.name if sheet.is_worksheet else None,
                                    row=None if guess is None else guess + 1))
    else:
        for sheet, _ in others:
            warnings.append(Problem(raw.file_name, "没有识别到数据表，已忽略该工作表", sheet=sheet.name))

    output = _frame(parts["output"], OUTPUT_COLUMNS)
    found_towns = towns.finish(output)
    refuse_parts_above_wholes(raw.file_name, parts["output"], found_towns.row_towns, problems)
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
        towns=found_towns,
        evaluation=_frame(parts["evaluation"], EVALUATION_FIELDS),
        electricity=_frame(parts["electricity"], ELECTRICITY_FIELDS),
        enterprise_details=_frame([{"name_key": k, **v} for k, v in parts["details"].items()], DETAIL_FIELDS),
    )


def _is_prose(sheet: RawSheet) -> bool:
    """A sheet of instructions or notes (说明, 填表说明, 备注) rather than a table: named so, or
    text only, with no figures."""
    if any(w in sheet.name for w in ("说明", "备注", "注释", "须知")):
        return True
    cells = [c for row in sheet.rows[:200] for c in row if c not in ("", None)]
    return bool(cells) and not any(isinstance(c, int | float) or looks_numeric(str(c)) for c in cells)


def _frame(rows: list, columns: list[str]) -> pd.DataFrame:
    """Rows (tuples in `columns` order, or dicts) as a frame."""
    return pd.DataFrame.from_records(rows, columns=columns) if rows else pd.DataFrame(columns=columns)
