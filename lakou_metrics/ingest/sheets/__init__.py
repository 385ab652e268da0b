"""The kinds of sheet the importer reads, chosen from a table by the columns a sheet has: each kind
is one module that reads rows through the sheet's layout and reports problems to it."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...domain import labels
from ..cells import describe_found
from ..layout import SheetLayout, SheetReport
from . import electricity, evaluation, figures, output, projects, register

REGISTER_SHEET_WORDS = ("名录", "名单", "企业库")


@dataclass(frozen=True)
class SheetKind:
    code: str  # SheetReport.kind
    matches: Callable[[SheetLayout], bool]  # tried in table order
    parse: Callable[[SheetLayout, dict], None]


def _has(*roles: str) -> Callable[[SheetLayout], bool]:
    return lambda layout: all(r in layout.by_role for r in roles)


SHEET_KINDS: tuple[SheetKind, ...] = (
    SheetKind("evaluation", lambda s: s.measure == "evaluation", evaluation.parse_evaluation),
    SheetKind("electricity", lambda s: s.measure == "power", electricity.parse_electricity),
    SheetKind("project_progress", lambda s: "project" in s.by_role and projects.is_progress_sheet(s.columns),
              projects.parse_progress),
    SheetKind("projects", _has("project"), projects.parse_register),
    SheetKind("peer", _has("indicator", "town"), figures.parse_peer),
    SheetKind("targets", _has("indicator", "target"), figures.parse_targets),
    SheetKind("output", lambda s: "enterprise" in s.by_role and bool(s.values), output.parse_output),
    SheetKind("enterprise_targets", _has("enterprise", "target"), figures.parse_enterprise_targets),
    SheetKind("register", lambda s: "enterprise" in s.by_role and (
        any(r in s.by_role for r in ("contact", "land_mu", "power_account"))
        or any(w in s.sheet.name for w in REGISTER_SHEET_WORDS)), register.parse_register),
)


def parse_sheet(layout: SheetLayout, parts: dict) -> SheetReport | None:
    """Read a laid-out sheet as the first kind it matches. None when it is no table the importer
    knows (no 企业名称 / 指标 / 项目名称 key column to speak of); a table without figures is a problem."""
    kind = next((k for k in SHEET_KINDS if k.matches(layout)), None)
    report = layout.report
    if kind is None:
        if "enterprise" not in layout.by_role:
            return None
        layout.problem(labels.NO_VALUE_COLUMN.format(found=describe_found(layout.found_headers)),
                       row=layout.header_row + 1)
        return report
    report.kind = kind.code
    kind.parse(layout, parts)
    if report.rows == 0 and not any(p.sheet == layout.where for p in layout.problems):
        layout.problem(labels.NO_DATA_ROWS, row=layout.header_row + 1)
    return report
