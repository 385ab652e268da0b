"""Which town a file's rows belong to: the towns a file names (its file name, a sheet's name, the
title rows above a sheet's header, a 乡镇 column), and the file cut into each town's part.

A town's name is a name the database holds (or the home town), matched anywhere in a name or a
title; else a general pattern of Chinese town names (two to four characters before 镇, 乡 or 街道)
at the start of a piece of text, which never takes the words below (全镇, 各乡镇, 城镇, 乡镇企业 …)
for one. Enterprise names in data rows are never read for a town. A peer town's figures (the
对比乡镇 sheet) name other towns by design and are left out.

The words are data, in the tables at the top: to teach the importer a word that looks like a
town's name and is not, add it to NOT_TOWNS.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

from ..domain import labels
from ..domain.periods import Period, summarise_periods
from ..domain.text import normalise_text, strip_invisible
from .cells import cell_text
from .errors import ImportRefused, Problem, ProblemList
from .layout import ENTERPRISE_FIELDS

if TYPE_CHECKING:
    from .clean import CleanResult
    from .layout import SheetLayout, SheetReport

# What ends a town's name: 温溪镇, 章村乡, 鹤城街道.
TOWN_SUFFIXES = ("街道", "镇", "乡")
# The characters of a town's name before its suffix: at least two (全镇, 本乡, 城镇 have one).
NAME_LENGTH = (2, 4)
# Administrative levels above a town, dropped before its name (浙江省丽水市青田县温溪镇).
ADMIN_SUFFIXES = "省市县区"
# Words that may open a title before the town's name, and are not part of it (the characters
# left of a period once its digits are cut out: "2024年1-10月温溪镇…" leaves 年, 月).
LEAD_WORDS = ("全县", "本县", "我县", "全市", "本市", "关于", "截至", "截止", "一季度", "二季度", "三季度", "四季度",
              "前三季度", "上半年", "下半年", "季度", "年度", "全年", "一季", "二季", "三季", "四季", "份", "底",
              "末", "初", "中旬", "上旬", "下旬", "快报", "月报", "季报", "年报", "统计", "上月", "本月", "当月",
              "去年", "今年", "上年", "本年", "当年", "按月", "逐月", "累计", "年", "月", "日", "度")
# A word before a name that joins it to what comes first ("腊口镇与温溪镇"): dropped when the rest
# is still a town's name (so 和平镇 stays whole).
CONNECTIVES = "与和及同跟较"
# A name starting with one of these speaks of towns in general (各个镇, 全县乡, 本街道).
GENERIC_LEADS = "各全本该我每某其"
# A name ending so is a kind of place, not a town (城镇, 小城镇, 特色小镇, 千年古镇, 工业强镇, 美丽城乡).
NOT_TOWN_ENDINGS = ("城镇", "村镇", "集镇", "市镇", "小镇", "古镇", "名镇", "重镇", "强镇", "大镇",
                    "城乡", "故乡", "家乡", "异乡", "他乡", "老乡", "下乡", "返乡", "水乡")
# A suffix that reads on into one of these words is no name's end (周边乡镇, 美丽乡村, 各镇街).
NOT_TOWN_FOLLOWED = ("乡镇", "乡村", "乡土", "乡贤", "乡亲", "乡情", "乡愁", "乡里", "镇街")
# Whole words shaped like a town's name that name none.
NOT_TOWNS = frozenset({
    "建制镇", "中心镇", "重点镇", "特色镇", "示范镇", "卫星镇", "周边镇", "兄弟镇", "邻近镇", "相邻镇",
    "所在镇", "所属镇", "其他镇", "周边乡", "兄弟乡", "邻近乡", "相邻乡", "所在乡", "所属乡", "贫困乡",
    "民族乡", "示范乡", "周边街道", "兄弟街道", "邻近街道", "所在街道", "所属街道", "相关街道",
})

FILE, SHEET, TITLE, CELL = "file", "sheet", "title", "cell"
# How a place that names a town is called in messages and in the sheet report.
PLACE_NAMES = {FILE: "文件名称", SHEET: "工作表名称", TITLE: "标题", CELL: "「乡镇」列"}
REPORT_TOWNS = 4  # the towns of a 乡镇 column a sheet report lists by name (the preview lists all)

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_GENERAL = re.compile(rf"([\u3400-\u4dbf\u4e00-\u9fff]{{{NAME_LENGTH[0]},{NAME_LENGTH[1]}}}?)"
                      rf"({'|'.join(TOWN_SUFFIXES)})")
_ADMIN = re.compile(rf"[\u3400-\u4dbf\u4e00-\u9fff]{{2,7}}?[{ADMIN_SUFFIXES}]")


@dataclass(frozen=True)
class TownMention:
    """One place in a file that names a town."""
    town: str
    place: str  # FILE, SHEET, TITLE or CELL
    sheet: str | None = None  # the sheet's name (None for the file name and a CSV's sheet)
    row: int | None = None  # as Excel shows it, for a title or a cell
    column: str | None = None  # the 乡镇 column's header, for a cell


@dataclass
class TownFindings:
    """The towns a file names, and the town each output row's 乡镇 cell gives."""
    mentions: list[TownMention] = field(default_factory=list)
    # (sheet, Excel row) → the town its 乡镇 cell names, for the rows that hold output figures
    row_towns: dict[tuple[str, int], str] = field(default_factory=dict)
    # sheet → how messages name it (None for a CSV's one sheet), for the sheets read
    sheets: dict[str, str | None] = field(default_factory=dict)

    @property
    def towns(self) -> list[str]:
        """Every town named, in order of first mention."""
        return list(dict.fromkeys(m.town for m in self.mentions))


def find_towns(text, known=()) -> list[str]:
    """The towns a file name, sheet name or title names, in order: the `known` names anywhere in
    it, and names of the general pattern where a piece of text starts with one."""
    found: list[str] = []
    text = strip_invisible(unicodedata.normalize("NFKC", str(text)))
    pattern = _known_pattern(tuple(sorted(set(known), key=len, reverse=True)))
    for segment in _CJK.findall(text):
        start = 0
        for match in (pattern.finditer(segment) if pattern else ()):
            found += _general_towns(segment[start:match.start()])
            found.append(match.group(0))
            start = match.end()
        found += _general_towns(segment[start:])
    return list(dict.fromkeys(found))


def town_key(name: str) -> str:
    """A town's name as far as telling towns apart goes: without its 镇/乡/街道 ("温溪" and "温溪镇"
    are one town, 温溪); a bare suffix (镇) stays as it is. `name` is normalised text."""
    for suffix in TOWN_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[:-len(suffix)]
    return name


def read_town_cell(value, known=()) -> str | None:
    """The town a 乡镇 cell names: a known name, a known name without its 镇/乡/街道 ("温溪"), or a
    name of the general pattern filling the cell ("青田县温溪镇" gives 温溪镇); None otherwise."""
    text = normalise_text(cell_text(value))
    if not text:
        return None
    known = tuple(known)
    if text in known:
        return text
    for town in known:
        if any(town == text + suffix for suffix in TOWN_SUFFIXES):
            return town
    found = find_towns(text, known)
    return found[0] if len(found) == 1 and text.endswith(found[0]) else None


@lru_cache(maxsize=64)
def _known_pattern(known: tuple[str, ...]):
    return re.compile("|".join(map(re.escape, known))) if known else None


def _general_towns(segment: str) -> list[str]:
    """Names of the general pattern in a run of Chinese characters, each where the text before it
    has been read (a town's name opens a title or follows another name)."""
    found = []
    while segment:
        segment = _strip_leads(segment)
        name = _name_at_start(segment[1:]) if segment[:1] in tuple(CONNECTIVES) else None
        if name is not None:
            segment = segment[1:]
        else:
            name = _name_at_start(segment)
        if name is None:
            break
        found.append(name)
        segment = segment[len(name):]
    return found


def _strip_leads(segment: str) -> str:
    """The segment without the levels above a town and the leading words that are not its name."""
    while True:
        lead = next((w for w in LEAD_WORDS if segment.startswith(w)), None)
        if lead:
            segment = segment[len(lead):]
            continue
        admin = _ADMIN.match(segment)
        if admin and not any(c in admin.group(0) for c in "镇乡"):
            segment = segment[admin.end():]
            continue
        return segment


def _name_at_start(segment: str) -> str | None:
    match = _GENERAL.match(segment)
    if match is None:
        return None
    name, stem, suffix = match.group(0), match.group(1), match.group(2)
    after = segment[match.end():match.end() + 1]
    if any(c in stem for c in "镇乡") or stem[0] in GENERIC_LEADS:
        return None
    if stem[-1] in GENERIC_LEADS and suffix != "街道":
        return None  # "…全镇", "…本镇": words before a generic word, not a town (a known 万全镇 still reads)
    if name in NOT_TOWNS or name.endswith(NOT_TOWN_ENDINGS) or (suffix + after) in NOT_TOWN_FOLLOWED:
        return None
    return name


class TownCollector:
    """Collects, sheet by sheet as a file is cleaned, the places that name a town; `finish` checks
    the 乡镇 cells of the rows that hold figures."""

    def __init__(self, file_name: str, known, problems: ProblemList):
        self.file, self.known, self.problems = file_name, tuple(known), problems
        self.mentions = [TownMention(t, FILE) for t in find_towns(_file_stem(file_name), self.known)]
        # sheet → (the layout, the 乡镇 column), for sheets that have one
        self._columns: dict[str, tuple] = {}
        self._reports: list = []
        self._sheets: dict[str, str | None] = {}

    def note_sheet(self, layout: SheetLayout, report: SheetReport) -> None:
        """The towns a recognised sheet names: its name, its title rows, its 乡镇 column. A peer
        town's figures are not the file's own town."""
        if report.kind == "peer":
            return
        self._reports.append((layout, report))
        self._sheets[layout.sheet.name] = sheet = layout.where
        if sheet:
            self.mentions += [TownMention(t, SHEET, sheet) for t in find_towns(sheet, self.known)]
        for i, row in enumerate(layout.sheet.rows[:layout.header_row]):
            for cell in row:
                text = cell_text(cell) if isinstance(cell, str) else ""
                self.mentions += [TownMention(t, TITLE, sheet, i + 1) for t in find_towns(text, self.known)]
        column = layout.by_role.get("town")
        if column is not None:
            self._columns[layout.sheet.name] = (layout, column)

    def finish(self, output: pd.DataFrame) -> TownFindings:
        """The findings, every sheet's towns in its report; a 乡镇 cell of a row with figures that
        is blank (when others in its column are not) or names no town is a problem."""
        # A file of peer figures alone (对比乡镇_温溪镇.xlsx) is named after the peer, not its town.
        found = TownFindings([m for m in self.mentions if self._reports or m.place != FILE], sheets=dict(self._sheets))
        rows_of = output.groupby("sheet", sort=False)["row"].agg(list) if len(output) and self._columns else {}
        for name, (layout, column) in self._columns.items():
            figures = set(rows_of[name]) if name in rows_of else set()
            found.mentions += self._read_column(layout, column, figures, found.row_towns)
        for layout, report in self._reports:
            report.towns = _describe(found, layout.sheet.name)
        return found

    def _read_column(self, layout, column, figures: set[int], row_towns: dict) -> list[TownMention]:
        rows = layout.sheet.rows
        cells = {r: rows[r - 1][column.index] if column.index < len(rows[r - 1]) else "" for r in sorted(figures)}
        said = any(cell_text(c) for c in cells.values())
        mentions = []
        read = lru_cache(maxsize=None)(lambda text: read_town_cell(text, self.known))
        for i in range(layout.first_data, len(rows)):
            row = i + 1
            text = cell_text(rows[i][column.index]) if column.index < len(rows[i]) else ""
            town = read(text) if text else None
            if town is not None:
                mentions.append(TownMention(town, CELL, layout.where, row, column.header))
                if row in figures:
                    row_towns[(layout.sheet.name, row)] = town
            elif row in figures and said:
                reason = labels.TOWN_CELL_UNKNOWN if text else labels.TOWN_CELL_BLANK
                self.problems.append(Problem(self.file, reason, layout.where, row, column.header, text or None))
        return mentions


def _own_mentions(found: TownFindings, sheet: str) -> list[TownMention]:
    """The mentions of a sheet's name and title rows."""
    where = found.sheets.get(sheet)
    return [m for m in found.mentions if m.place in (SHEET, TITLE) and m.sheet == where]


def _file_stem(file_name: str) -> str:
    return re.sub(r"\.(xlsx|xls|csv)$", "", str(file_name), flags=re.IGNORECASE)


def _describe(found: TownFindings, sheet: str) -> list[str]:
    """The towns a sheet's rows are said to belong to, and where, for the sheet report:
    「乡镇」列：温溪镇 12 行、船寮镇 3 行; 温溪镇（标题）; 温溪镇（文件名称）."""
    described = []
    cells = Counter(t for (s, _), t in found.row_towns.items() if s == sheet)
    if cells:
        counted = [f"{t} {n} 行" for t, n in cells.items()]
        more = f"等 {len(counted)} 个乡镇" if len(counted) > REPORT_TOWNS else ""
        described.append(f"{PLACE_NAMES[CELL]}：{'、'.join(counted[:REPORT_TOWNS])}{more}")
    described += [f"{m.town}（{PLACE_NAMES[m.place]}）" for m in _own_mentions(found, sheet)]
    if not described:
        described = [f"{m.town}（{PLACE_NAMES[FILE]}）" for m in found.mentions if m.place == FILE]
    return list(dict.fromkeys(described))


# -- who gets which rows ----------------------------------------------------------------------

def refuse_other_towns(cleaned: CleanResult, town: str) -> None:
    """A town's staff import only their own town's data: raises ImportRefused naming every place
    in the file that names another town (a 乡镇 column's rows counted, the first one named)."""
    problems = ProblemList()
    cells: dict[tuple, list[TownMention]] = {}
    for mention in cleaned.towns.mentions:
        if mention.town == town:
            continue
        if mention.place == CELL:
            cells.setdefault((mention.sheet, mention.column, mention.town), []).append(mention)
            continue
        problems.append(Problem(cleaned.file, labels.TOWN_OTHER.format(
            place=PLACE_NAMES[mention.place], town=mention.town, shown=town), mention.sheet, mention.row))
    for (sheet, column, other), found in cells.items():
        problems.append(Problem(cleaned.file, labels.TOWN_OTHER_ROWS.format(n=len(found), town=other, shown=town),
                                sheet, found[0].row, column, other))
    if problems:
        raise ImportRefused(problems)


def split_by_town(cleaned: CleanResult, town: str) -> dict[str, CleanResult]:
    """County staff: the file's data by the town it belongs to. A file that names no town is
    `town`'s (the town shown); one that names a single town is all that town's; one whose rows
    name several is cut into each town's output rows and their enterprises. Raises ImportRefused
    when the places disagree, when some rows belong to no named town, or when a file of several
    towns holds other tables than output."""
    found = cleaned.towns
    if not found.mentions:
        return {town: cleaned}
    problems = ProblemList()
    defaults = _sheet_towns(cleaned, problems)
    _check_rows(cleaned, defaults, problems)
    out = cleaned.output
    destination = [found.row_towns.get((s, r)) or defaults.get(s) for s, r in zip(out["sheet"], out["row"])]
    sheets = [r for r in cleaned.sheets if r.kind != "peer"]
    named = list(dict.fromkeys([t for t in destination if t] + [
        defaults[r.sheet] for r in sheets if r.kind != "output" and defaults.get(r.sheet)]))
    unnamed = {s for s, t in zip(out["sheet"], destination) if t is None}
    unnamed |= {r.sheet for r in sheets if r.kind != "output" and not defaults.get(r.sheet)}
    for report in sheets:
        where = found.sheets.get(report.sheet)
        if named and report.sheet in unnamed:
            problems.append(Problem(cleaned.file, labels.TOWN_UNASSIGNED.format(towns="、".join(named)), where))
        if len(named) > 1 and report.kind != "output":
            problems.append(Problem(cleaned.file, labels.TOWN_SPLIT_OUTPUT_ONLY.format(towns="、".join(named)),
                                    where))
    if problems:
        raise ImportRefused(problems)
    if len(named) <= 1:
        return {named[0] if named else town: cleaned}
    towns = pd.Series(destination, index=out.index, dtype=object)
    return {t: _part(cleaned, out[towns == t]) for t in named}


def _sheet_towns(cleaned: CleanResult, problems: ProblemList) -> dict[str, str | None]:
    """Sheet → the town its name or title (else the file name) gives its rows; places naming
    several towns, or a sheet and the file naming different ones, are problems."""
    found = cleaned.towns
    of_file = list(dict.fromkeys(m.town for m in found.mentions if m.place == FILE))
    if len(of_file) > 1:
        problems.append(Problem(cleaned.file, labels.TOWN_SEVERAL.format(place=PLACE_NAMES[FILE],
                                                                          towns="、".join(of_file))))
    towns = {}
    for report in cleaned.sheets:
        if report.kind == "peer":
            continue
        own = _own_mentions(found, report.sheet)
        named = list(dict.fromkeys(m.town for m in own))
        where = found.sheets.get(report.sheet)
        if len(named) > 1:
            problems.append(Problem(cleaned.file, labels.TOWN_SEVERAL.format(
                place=labels.TOWN_SHEET_PLACES, towns="、".join(named)), where, own[0].row))
        elif named and of_file and named[0] != of_file[0]:
            problems.append(Problem(cleaned.file, labels.TOWNS_DISAGREE.format(
                place=PLACE_NAMES[own[0].place], town=named[0], other_place=PLACE_NAMES[FILE], other=of_file[0]),
                where, own[0].row))
        towns[report.sheet] = named[0] if named else (of_file[0] if of_file else None)
        if report.kind != "output":
            towns[report.sheet] = _column_town(cleaned, report.sheet, towns[report.sheet], problems)
    return towns


def _column_town(cleaned: CleanResult, sheet: str, said: str | None, problems: ProblemList) -> str | None:
    """The town of a sheet other than output (a register …) that has a 乡镇 column: the one town
    the column names, which must agree with what the sheet or file says; such a sheet is never
    split (several towns in it are a problem)."""
    where = cleaned.towns.sheets.get(sheet)
    cells = [m for m in cleaned.towns.mentions if m.place == CELL and m.sheet == where]
    named = list(dict.fromkeys(m.town for m in cells))
    if len(named) > 1:
        problems.append(Problem(cleaned.file, labels.TOWN_SPLIT_OUTPUT_ONLY.format(towns="、".join(named)), where,
                                cells[0].row, cells[0].column))
    elif named and said and named[0] != said:
        problems.append(Problem(cleaned.file, labels.TOWN_ROWS_DISAGREE.format(
            n=len(cells), town=named[0], other=said), where, cells[0].row, cells[0].column, named[0]))
    return named[0] if len(named) == 1 else said


def _check_rows(cleaned: CleanResult, defaults: dict[str, str | None], problems: ProblemList) -> None:
    """乡镇 cells that name another town than their sheet's name, title or the file name: one
    problem per sheet and town, at its first row."""
    found = cleaned.towns
    disagree: dict[tuple, list[int]] = {}
    for (sheet, row), town in found.row_towns.items():
        said = defaults.get(sheet)
        if said and town != said:
            disagree.setdefault((sheet, town, said), []).append(row)
    columns = {m.sheet: m.column for m in found.mentions if m.place == CELL}
    for (sheet, town, said), rows in disagree.items():
        where = found.sheets.get(sheet)
        problems.append(Problem(cleaned.file, labels.TOWN_ROWS_DISAGREE.format(n=len(rows), town=town, other=said),
                                where, rows[0], columns.get(where), town))


def _part(cleaned: CleanResult, output: pd.DataFrame) -> CleanResult:
    """One town's part of a county file: its output rows, the enterprises they name (as those rows
    give them: one name in two towns is two enterprises, each with its own code, sector and 规上),
    each sheet's report counting its rows and periods (the file's warnings stay with the whole file)."""
    output = output.reset_index(drop=True)
    mine = _enterprise_keys(output)
    everyone = cleaned.enterprises
    enterprises = everyone[[key in mine for key in _enterprise_keys(everyone, as_list=True)]]
    reports = []
    for report in cleaned.sheets:
        rows = output[output["sheet"] == report.sheet]
        if rows.empty:
            continue
        spans = {Period(int(y), int(a), int(b)) for y, a, b in zip(rows.year, rows.first_month, rows.last_month)}
        reports.append(replace(report, rows=rows["row"].nunique(), periods=summarise_periods(spans)))
    return replace(cleaned, output=output, enterprises=enterprises.reset_index(drop=True), sheets=reports,
                   warnings=[])


def _enterprise_keys(frame: pd.DataFrame, as_list: bool = False):
    """Each row's enterprise fields (layout.ENTERPRISE_FIELDS, blanks as None) as a tuple."""
    columns = [frame[c].astype(object).where(frame[c].notna(), None) for c in ENTERPRISE_FIELDS]
    keys = list(zip(*columns))
    return keys if as_list else set(keys)
