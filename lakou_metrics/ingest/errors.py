"""Problems found in an input file, and the refusal that carries all of them.

Low-level code records problems with their location; one place (`format_problems`) turns them
into the lines a person reads. Reasons are Chinese text from `labels`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..domain import labels


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as a person finds it in Excel."""

    file: str
    reason: str
    sheet: str | None = None
    row: int | None = None  # 1-based, as Excel shows it
    column: str | None = None  # the header text as written in the file
    value: object = None

    def describe(self) -> str:
        """The problem as one Chinese sentence, location first."""
        where = [f"文件「{self.file}」"]
        if self.sheet:
            where.append(f"工作表「{self.sheet}」")
        if self.row is not None:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"「{self.column}」列")
        text = "".join(where)
        if self.value not in (None, ""):
            return f"{text}的值“{_show(self.value)}”{self.reason}"
        return f"{text}：{self.reason}"


class ProblemList(list):
    """Problems as they are found, keeping the first `limit`: a file of a million bad cells is
    reported by its first problems and a count of the rest, in bounded memory and time."""

    def __init__(self, limit: int = 200):
        super().__init__()
        self.limit = limit
        self.unlisted = 0

    def append(self, problem: Problem) -> None:
        if len(self) < self.limit:
            super().append(problem)
        else:
            self.unlisted += 1

    @property
    def total(self) -> int:
        return len(self) + self.unlisted


@dataclass
class ImportRefused(Exception):
    """The file was refused; nothing from it was stored."""

    problems: list[Problem] = field(default_factory=list)

    @property
    def total(self) -> int:
        """All problems found, listed or not."""
        return len(self.problems) + getattr(self.problems, "unlisted", 0)

    @property
    def unlisted(self) -> int:
        return getattr(self.problems, "unlisted", 0)

    def __str__(self) -> str:
        return format_problems(self.problems)


def _show(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def format_problems(problems: list[Problem]) -> str:
    """All problems as numbered lines under one heading (Chinese); past the listed ones, a count."""
    unlisted = getattr(problems, "unlisted", 0)
    lines = [labels.REFUSED_HEADING.format(n=len(problems) + unlisted)]
    lines += [f"{i}. {p.describe()}" for i, p in enumerate(problems, 1)]
    if unlisted:
        lines.append(labels.MORE_PROBLEMS.format(n=unlisted))
    return "\n".join(lines)


def problems_table(problems: list[Problem]) -> list[dict]:
    """Problems as rows with Chinese keys, for a table on a page or in an export."""
    return [
        {
            labels.COL_FILE: p.file,
            labels.COL_SHEET: p.sheet or "",
            labels.COL_ROW: labels.WHOLE_SHEET if p.row is None else str(p.row),
            labels.COL_COLUMN: p.column or "",
            labels.COL_VALUE: "" if p.value is None else _show(p.value),
            # A reason written to follow its value ("的2024年10月产值出现了两次") stands alone in a table.
            labels.COL_REASON: p.reason.removeprefix("的"),
        }
        for p in problems
    ]
