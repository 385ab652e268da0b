"""Workbooks staff download, fill in and upload again: enterprise output, annual targets and the
enterprise register. Chinese headers, an instructions sheet, drop-down lists, number formats.

Each template's headers are ones the importer recognises (columns.COLUMN_ALIASES), so a filled
template imports without any mapping.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation

from ..domain import labels
from ..domain.evaluation import FIGURES
from ..domain.numbers import is_missing
from ..domain.sectors import SECTOR_NAMES, SECTOR_ORDER
from ..domain.targets import INDICATORS
from ..ingest.columns import MILESTONE_FIELDS

HEADER_FILL = PatternFill("solid", fgColor="1F5FA8")
HEADER_FONT = Font(bold=True, color="FFFFFF")
THIN = Side(style="thin", color="B7C3D0")
ROWS = 2000  # how far down the drop-down lists reach


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    choices: tuple[str, ...] = ()
    number_format: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Template:
    key: str
    title: str
    file_name: str
    sheet: str
    columns: tuple[Column, ...]
    instructions: tuple[str, ...]
    example: tuple = ()


SECTOR_CHOICES = tuple(SECTOR_NAMES[c] for c in SECTOR_ORDER)
MONTHS = tuple(f"{m}月" for m in range(1, 13))

TEMPLATES = {
    "output": Template(
        "output", "企业产值（逐月填报）", "模板_企业产值.xlsx", "企业产值",
        (Column("年份", 8, number_format="0"), Column("月份", 8, MONTHS),
         Column("企业名称", 28), Column("统一社会信用代码", 22, number_format="@"),
         Column("所属行业", 12, SECTOR_CHOICES), Column("是否规上", 10, ("是", "否")),
         Column("产值（万元）", 14, number_format="0.0")),
        ("每行填一家企业一个月的产值，单位万元（若按季度填报，可把“月份”列改名为“季度”，填“一季度”等）。",
         "企业名称请与以往报表一致；有统一社会信用代码的请填写，系统按代码识别同一企业。",
         "所属行业、是否规上请从下拉列表选择。产值填数字，不要填“约”“左右”等文字，不要用公式。",
         "同一企业同一月份只能出现一次。导入前系统会列出全部问题，并显示与已有数据相比的变化。"),
        (2024, "1月", "卓尔五金", "", "五金", "是", 100.0),
    ),
    "targets": Template(
        "targets", "年度目标与完成情况", "模板_年度目标.xlsx", "年度目标",
        (Column("年份", 8, number_format="0"), Column("指标", 28, tuple(i.name for i in INDICATORS)),
         Column("单位", 8, ("万元", "亿元", "%", "亩", "家", "个")),
         Column("年度目标", 12, number_format="0.00"),
         *(Column(f"1-{m}月完成", 12, number_format="0.00") for m in (3, 6, 9, 12))),
        ("每行一个指标：年度目标，以及截至各季度末的累计完成数（没有的留空）。",
         "指标请从下拉列表选择；增速类指标单位填“%”，如增长33%填 33。",
         "工业总产值、规上工业产值的完成数由系统按企业产值计算，可不填完成列。"),
        (2024, "完成制造业投资", "亿元", 2.5, 0.45),
    ),
    "register": Template(
        "register", "企业名录", "模板_企业名录.xlsx", "企业名录",
        (Column("企业名称", 28), Column("统一社会信用代码", 22, number_format="@"),
         Column("所属行业", 12, SECTOR_CHOICES), Column("是否规上", 10, ("是", "否")),
         Column("联系领导", 12), Column("用地面积（亩）", 12, number_format="0.00"),
         Column("电力户号", 18, number_format="@")),
        ("每行一家企业。联系领导为“一对一”联系制度中负责该企业的镇领导。",
         "用地面积为企业自有工业用地（亩），用于亩均效益评价；电力户号为供电所的用电户号，有多个的用“、”隔开，"
         "用电量表只有户号时按此找到企业。",
         "已有企业按统一社会信用代码或名称匹配并更新；新企业会被加入名录。"),
        ("浙江华都新能源", "", "光伏", "是", "王海涛", 35.5, "3300012345"),
    ),
}


YES_NO = ("是", "否")
PROJECT_KIND_CHOICES = ("新建", "扩建", "技改")
MILESTONE_WORDS = tuple(labels.MILESTONE_NAMES.values())
# The project register's headers, one row, in the order staff fill them (the importer also reads
# the two-row layout with 开工 merged over 计划 | 实际).
PROJECT_COLUMNS = (
    Column("年份", 8, number_format="0"), Column("项目名称", 26), Column("企业名称", 22),
    Column("行业", 10, SECTOR_CHOICES), Column("建设性质", 10, PROJECT_KIND_CHOICES),
    Column("是否制造业", 10, YES_NO), Column("总投资（万元）", 12, number_format="0.0"),
    Column("年度计划投资（万元）", 14, number_format="0.0"), Column("是否市外内资", 10, YES_NO),
    Column("合同引资额（万元）", 14, number_format="0.0"), Column("签约日期", 12, number_format="yyyy-mm-dd"),
    Column("联系领导", 10),
    *(Column(f"{kind}{word}", 12, number_format="yyyy-mm-dd") for word in MILESTONE_WORDS for kind in ("计划", "实际")),
    Column("问题与需协调事项", 40),
)
PROGRESS_HEADERS = ("年份", "月份", "项目名称", "本月完成投资（万元）", "本月到位资金（万元）")

TEMPLATES["projects"] = Template(
    "projects", "重点项目库", "模板_重点项目.xlsx", "重点项目", PROJECT_COLUMNS,
    ("每行一个项目。年份为项目库所属年份；“年度计划投资”为该年计划完成的投资。",
     "企业名称请与企业名录一致；名录中没有的企业会被加入名录。",
     "计划/实际日期可填 2023-06-30，也可只填月份（2023年6月，按月末计）；实际日期只填已经发生的。",
     "“是否制造业”不填按“是”；有合同引资额的项目请在“是否市外内资”填“是”并填写签约日期。",
     "同一项目再次导入会替换原来的一行，可在“导入历史”中撤销。"),
    (2024, "卓尔五金二期工程", "卓尔五金", "五金", "扩建", "是", 12000, 5000, "是", 12000, "2023-03-15", "吴晓东",
     "2023-04-30", "2023-04-20"),
)
TEMPLATES["progress"] = Template(
    "progress", "重点项目月度进度", "模板_重点项目进度.xlsx", "项目进度",
    (Column("年份", 8, number_format="0"), Column("月份", 8, MONTHS), Column("项目名称", 26),
     Column("本月完成投资（万元）", 16, number_format="0.0"), Column("本月到位资金（万元）", 16, number_format="0.0")),
    ("每行一个项目一个月：本月完成的投资，以及市外内资项目本月到位的资金（没有到位的留空）。",
     "项目须已在该年的重点项目库中；项目名称请与项目库一致。",
     "也可以用“1-5月累计完成投资”这样的累计列代替“本月完成投资”。"),
    (2024, "5月", "卓尔五金二期工程", 600, 1500),
)


@cache
def build_template(key: str) -> bytes:
    """The .xlsx bytes of a template: data sheet first (frozen header, drop-downs), then 填表说明.
    Built once per process (a blank template never changes; the data page offers five in every run)."""
    template = TEMPLATES[key]
    wb = Workbook()
    ws = wb.active
    ws.title = template.sheet
    ws.append([c.header for c in template.columns])
    ws.freeze_panes = "A2"
    for index, column in enumerate(template.columns, start=1):
        cell = ws.cell(row=1, column=index)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = Border(bottom=THIN)
        letter = cell.column_letter
        ws.column_dimensions[letter].width = column.width
        if column.choices:
            rule = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"',
                                  allow_blank=True, showErrorMessage=True,
                                  errorTitle="请从列表中选择", error=f"“{column.header}”请从下拉列表中选择")
            rule.add(f"{letter}2:{letter}{ROWS}")
            ws.add_data_validation(rule)
        if column.number_format:
            ws.column_dimensions[letter].number_format = column.number_format
    ws.row_dimensions[1].height = 22

    notes = wb.create_sheet("填表说明")
    notes.column_dimensions["A"].width = 100
    notes.append([f"{labels.APP_TITLE}：{template.title}模板"])
    notes["A1"].font = Font(bold=True, size=14)
    for line in template.instructions:
        notes.append([line])
    if template.example:
        example = " | ".join(f"{c.header}：{v}" for c, v in zip(template.columns, template.example) if v != "")
        notes.append([f"填写示例（请勿写入数据表）：{example}"])
    notes.append([])
    notes.append(["各列说明："])
    for column in template.columns:
        choices = f"（可选：{'、'.join(column.choices)}）" if column.choices and len(column.choices) <= 12 else ""
        notes.append([f"· {column.header}{choices}"])
    for row in notes.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


REFERENCE_FILL = PatternFill("solid", fgColor="EEF1F5")
REFERENCE_FONT = Font(color="5B6675", italic=True)


def build_prefilled_output(register, ledger, period) -> bytes:
    """The output template for one month (or quarter), listing every enterprise of the register
    with its credit code, sector and 规上 flag, and two read-only reference columns (the same
    period last year, the period before) so staff type only this period's figures. An enterprise
    added below by hand imports as new. `register` is store.load_enterprises; `ledger` a
    metrics.Ledger of this year and last."""
    from openpyxl.styles import Protection
    from openpyxl.worksheet.protection import SheetProtection

    is_quarter = period.is_quarter
    unit_header = "季度" if is_quarter else "月份"
    when = labels.CHINESE_QUARTERS[period.last // 3] if is_quarter else f"{period.first}月"
    last_year = period.shifted_year(-1)
    before = period.previous()
    reference_headers = (f"参考：上年同期{last_year.label()}（万元）",
                         f"参考：上期{before.label() if before else ''}（万元）")
    wb = Workbook()
    ws = wb.active
    ws.title = f"{period.label()}产值"
    headers = ["年份", unit_header, "企业名称", "统一社会信用代码", "所属行业", "是否规上", "产值（万元）",
               *reference_headers]
    ws.append(headers)
    widths = (8, 8, 28, 22, 12, 10, 14, 24, 24)
    order = register.assign(_order=register.sector.map({c: i for i, c in enumerate(SECTOR_ORDER)}).fillna(99))
    for row in order.sort_values(["_order", "name"]).itertuples():
        prior = ledger.derive(int(row.id), last_year)
        previous = ledger.derive(int(row.id), before) if before else None
        _append(ws, [period.year, when, row.name, row.credit_code or "",
                   SECTOR_NAMES.get(row.sector, "") if row.sector else "",
                   {True: "是", False: "否"}.get(row.above_scale, "") if row.above_scale is not None
                   and row.above_scale == row.above_scale else "",
                   None, None if prior is None else round(prior.value, 4),
                   None if previous is None else round(previous.value, 4)])
    _styled_header(ws, headers, widths, freeze="D2")
    # Every cell may be typed in, rows may be added, except the reference columns (grey to the
    # last row the drop-down lists reach). One style object of each kind for all the cells.
    locked, unlocked = Protection(locked=True), Protection(locked=False)
    for row in ws.iter_rows(min_row=2, max_row=ROWS, max_col=len(headers)):
        for cell in row:
            reference = cell.column > 7
            cell.protection = locked if reference else unlocked
            if reference:
                cell.fill, cell.font = REFERENCE_FILL, REFERENCE_FONT
            if cell.column in (7, 8, 9):
                cell.number_format = "0.0"
            elif cell.column == 4:
                cell.number_format = "@"
    for letter, choices in (("E", SECTOR_CHOICES), ("F", ("是", "否"))):
        rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        rule.add(f"{letter}2:{letter}{ROWS}")
        ws.add_data_validation(rule)
    ws.protection = SheetProtection(sheet=True, formatCells=False, formatColumns=False, formatRows=False,
                                    insertRows=False, deleteRows=False, sort=False, autoFilter=False)
    notes = wb.create_sheet("填表说明")
    notes.column_dimensions["A"].width = 100
    for line in (f"{labels.APP_TITLE}：{period.label()}企业产值预填模板",
                 f"已列出名录中的全部企业。只需在“产值（万元）”列填写{period.label()}的产值（单位万元），没有报送的留空。",
                 "灰色的“参考”两列是系统中已存的上年同期和上一期产值，供核对，不会被导入，也不能修改。",
                 "名录中没有的新企业，可在表格下方空行填写完整的一行；行业、是否规上请从下拉列表选择。",
                 "企业名称、信用代码请勿修改；企业的行业或规上情况有变化时，可直接改对应单元格。"):
        notes.append([line])
    notes["A1"].font = Font(bold=True, size=14)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _styled_header(ws, headers, widths, freeze: str = "C2") -> None:
    """Row 1 as the templates' header: white bold on blue, wrapped, the columns' widths; the
    panes frozen at `freeze` so names stay in view."""
    for index, (header, width) in enumerate(zip(headers, widths), start=1):
        cell = ws.cell(row=1, column=index)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[cell.column_letter].width = width
    ws.row_dimensions[1].height = 36
    ws.freeze_panes = freeze


def build_prefilled_projects(projects, year: int) -> bytes:
    """The project register template for `year`, listing `projects` (store.load_projects rows: the
    year's own, or last year's unfinished ones carried over) so staff update dates and plans."""
    import datetime as dt

    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年重点项目"
    ws.append([c.header for c in PROJECT_COLUMNS])
    _styled_header(ws, [c.header for c in PROJECT_COLUMNS], [c.width for c in PROJECT_COLUMNS])

    def day(text):
        return None if not isinstance(text, str) or not text else dt.date.fromisoformat(text)

    def yes_no(value):
        return "是" if value is True else "否" if value is False else ""

    for r in projects.to_dict("records"):
        own_year = int(r["year"]) == year
        _append(ws, [year, r["name"], r["enterprise"], SECTOR_NAMES.get(r["sector"], ""), r["kind"] or "",
                   yes_no(r["manufacturing"]), _number(r["total_10k"]), _number(r["plan_10k"]) if own_year else None,
                   yes_no(r["inward"]), _number(r["contracted_10k"]), day(r["signed"]), r["contact"] or "",
                   *(day(r[field]) for field in MILESTONE_FIELDS), r["issues"] or ""])
    for row in ws.iter_rows(min_row=2, max_row=ws.max_row):
        for cell, column in zip(row, PROJECT_COLUMNS):
            if column.number_format:
                cell.number_format = column.number_format
    _add_choices(ws, PROJECT_COLUMNS)
    _notes(wb, f"{year}年重点项目库（预填）", TEMPLATES["projects"].instructions)
    return _save(wb)


def build_prefilled_progress(projects, progress, period) -> bytes:
    """The progress template for one month: every project of the year, with a read-only reference
    column (the year to date through the month before), so staff type only this month's figures."""
    from openpyxl.styles import Protection
    from openpyxl.worksheet.protection import SheetProtection

    from ..compute.projects import project_history

    wb = Workbook()
    ws = wb.active
    ws.title = f"{period.label()}项目进度"
    month = period.last
    reference = f"参考：1-{month - 1}月累计完成投资（万元）" if month > 1 else "参考：上月累计（无）"
    headers = [*PROGRESS_HEADERS, reference]
    ws.append(headers)
    _styled_header(ws, headers, (8, 8, 26, 16, 16, 24))
    for r in projects.to_dict("records"):
        before = None
        if month > 1:
            history = project_history(progress, r["name_key"], month - 1)
            last = history.cumulative_10k.iloc[-1]
            before = None if is_missing(last) else round(float(last), 4)
        _append(ws, [period.year, f"{month}月", r["name"], None, None, before])
    locked, unlocked = Protection(locked=True), Protection(locked=False)
    for row in ws.iter_rows(min_row=2, max_row=ROWS, max_col=len(headers)):
        for cell in row:
            cell.protection = locked if cell.column == 6 else unlocked
            if cell.column == 6:  # the reference, grey to the last row the template reaches
                cell.fill, cell.font = REFERENCE_FILL, REFERENCE_FONT
            if cell.column >= 4:
                cell.number_format = "0.0"
    ws.protection = SheetProtection(sheet=True, formatCells=False, formatColumns=False, formatRows=False,
                                    insertRows=False, deleteRows=False)
    _notes(wb, f"{period.label()}重点项目进度（预填）", (
        f"已列出{period.year}年重点项目库中的全部项目。只需填写{month}月完成的投资，以及市外内资项目{month}月到位的资金（单位万元）。",
        "灰色的“参考”列是系统中已存的此前累计完成投资，供核对，不会被导入，也不能修改。",
        *TEMPLATES["progress"].instructions[1:]))
    return _save(wb)


def _append(ws, values) -> None:
    """A row of stored values: text stays text, so a name that begins with "=" is never written as
    a formula the spreadsheet would run."""
    ws.append(values)
    for cell, value in zip(ws[ws.max_row], values):
        if isinstance(value, str):
            cell.data_type = "s"


def _number(value):
    return None if is_missing(value) else float(value)


def _add_choices(ws, columns) -> None:
    for index, column in enumerate(columns, start=1):
        if column.choices:
            letter = ws.cell(row=1, column=index).column_letter
            rule = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True)
            rule.add(f"{letter}2:{letter}{ROWS}")
            ws.add_data_validation(rule)


def _notes(wb, title: str, lines) -> None:
    notes = wb.create_sheet("填表说明")
    notes.column_dimensions["A"].width = 100
    notes.append([f"{labels.APP_TITLE}：{title}"])
    notes["A1"].font = Font(bold=True, size=14)
    for line in lines:
        notes.append([line])
    for row in notes.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def _save(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# The evaluation sheet's columns after 是否规上, in the county's order (labels.EVALUATION_FIGURES names them).
EVALUATION_HEADERS = ("序号", "企业名称", "统一社会信用代码", "是否规上",
                      *(labels.EVALUATION_FIGURES[f] for f in FIGURES), "投产日期", "备注")


def build_prefilled_evaluation(register, year: int) -> bytes:
    """A year's 亩均效益评价 data sheet, listing every enterprise of the register (`register` is
    store.load_enterprises) with its credit code, 规上 flag and 用地面积 (亩) pre-filled: staff fill
    in the other figures (a figure left blank is missing, not 0). The title names the year, so the
    filled sheet imports as that year's."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年亩均评价数据"
    ws.append([labels.EVALUATION_TEMPLATE_TITLE.format(year=year)])
    ws["A1"].font = Font(bold=True, size=14)
    headers = list(EVALUATION_HEADERS)
    ws.append(headers)
    order = register.sort_values("name", key=lambda names: names.map(str))
    for serial, row in enumerate(order.itertuples(), start=1):
        above = row.above_scale if row.above_scale is not None and row.above_scale == row.above_scale else None
        _append(ws, [serial, row.name, "" if is_missing(row.credit_code) else row.credit_code,
                     {True: "是", False: "否"}.get(above, ""), _number(row.land_mu),
                     *([None] * (len(FIGURES) - 1)), None, ""])
    widths = (6, 28, 22, 8, *([12] * len(FIGURES)), 12, 20)
    _header_row(ws, 2, headers, widths, freeze="C3")
    for row in ws.iter_rows(min_row=3, max_row=ws.max_row, min_col=3, max_col=3):
        row[0].number_format = "@"
    rule = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    rule.add(f"D3:D{ROWS}")
    ws.add_data_validation(rule)
    _notes(wb, labels.EVALUATION_TEMPLATE_TITLE.format(year=year), labels.EVALUATION_TEMPLATE_NOTES)
    return _save(wb)


def build_prefilled_electricity(register, period) -> bytes:
    """A month's (or 1-N月's) electricity sheet, listing every enterprise of the register with its
    电力户号: staff fill in 用电量 in 万千瓦时 (or change the unit in the header to 千瓦时)."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"{period.label()}用电量"
    ws.append([labels.ELECTRICITY_TEMPLATE_TITLE.format(period=period.label())])
    ws["A1"].font = Font(bold=True, size=14)
    span = "本月" if period.months == 1 else f"{period.first}-{period.last}月累计"
    headers = ["企业名称", "户号", f"{span}用电量（万千瓦时）", f"上年同期{span}用电量（万千瓦时）"]
    ws.append(headers)
    for row in register.sort_values("name", key=lambda names: names.map(str)).itertuples():
        account = row.power_account if isinstance(row.power_account, str) else ""
        _append(ws, [row.name, account, None, None])
    _header_row(ws, 2, headers, (28, 20, 18, 22), freeze="B3")
    for row in ws.iter_rows(min_row=3, max_row=ws.max_row, min_col=2, max_col=2):
        row[0].number_format = "@"
    _notes(wb, labels.ELECTRICITY_TEMPLATE_TITLE.format(period=period.label()), labels.ELECTRICITY_TEMPLATE_NOTES)
    return _save(wb)


def _header_row(ws, row: int, headers, widths, freeze: str) -> None:
    """Row `row` styled as the templates' header (under a title row), the panes frozen at `freeze`."""
    for index, (header, width) in enumerate(zip(headers, widths), start=1):
        cell = ws.cell(row=row, column=index)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[cell.column_letter].width = width
    ws.row_dimensions[row].height = 36
    ws.freeze_panes = freeze
