"""Stored data and computed tables as .xlsx (styled, units in headers) and .csv.

No exported cell can run as a formula: text that begins with = + - @ tab, CR or LF is written as a
plain string in .xlsx and prefixed with an apostrophe in .csv (the usual spreadsheet escape).
"""
from __future__ import annotations

import csv
import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from ..compute.metrics import compute_breakdown
from ..compute.report import YearToDate
from ..compute.targets import TargetRow
from ..domain import labels, style
from ..domain.evaluation import GROUPS as EVALUATION_GROUPS
from ..domain.numbers import is_missing, percent_array, round_half_up_array
from ..domain.sectors import SECTOR_NAMES
from ..domain.targets import INDICATOR_BY_CODE
from .text import describe_target, describe_warnings

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
HEADER_FILL = PatternFill("solid", fgColor="1F5FA8")
HEADER_FONT = Font(bold=True, color="FFFFFF")


def neutralise(value):
    """Text a spreadsheet would run as a formula, made inert for CSV: "'=1+1"."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Chinese text correctly; formulas neutralised."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    # Every text field quoted: a name holding a line break stays one field in every reader.
    return safe.to_csv(index=False, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC).encode("utf-8-sig")


def to_xlsx(sheets: dict[str, pd.DataFrame], formats: dict[str, str] | None = None) -> bytes:
    """One styled sheet per frame: bold header on colour, frozen, column widths, number formats
    (by header: {"产值（万元）": "0.0"}). Text is always written as text, never as a formula."""
    formats = formats or {}
    wb = Workbook()
    wb.remove(wb.active)
    for name, frame in sheets.items():
        ws = wb.create_sheet(name[:31])
        ws.append(list(frame.columns))
        for cell in ws[1]:
            cell.fill, cell.font = HEADER_FILL, HEADER_FONT
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in frame.itertuples(index=False):
            ws.append([_plain(v) for v in row])
            for cell, value in zip(ws[ws.max_row], row):
                if isinstance(value, str):
                    cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
        for index, header in enumerate(frame.columns, start=1):
            letter = ws.cell(row=1, column=index).column_letter
            values = [str(header)] + [str(v) for v in frame.iloc[:, index - 1].head(200)]
            ws.column_dimensions[letter].width = min(40, max(8, max(_width(v) for v in values) + 2))
            if header in formats:
                for cell in ws[letter][1:]:
                    cell.number_format = formats[header]
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _plain(value):
    if is_missing(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


MONEY = "0.0"
PERCENT = "0.0%"
FORMATS = {"产值（万元）": MONEY, "上年同期（万元）": MONEY, "年度目标（万元）": MONEY, "同比": PERCENT,
           "占比": PERCENT, "贡献率": PERCENT, "拉动（百分点）": "0.0", "完成率": PERCENT, "序时进度": PERCENT,
           "往年同期进度": PERCENT, "往年同期环比": PERCENT, "用电同比": PERCENT,
           "总投资（万元）": MONEY, "年度计划投资（万元）": MONEY, "本年完成投资（万元）": MONEY, "投资完成率": PERCENT}


def stored_tables(observations: pd.DataFrame, enterprises: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The stored data as people read it: 企业产值 (one row per enterprise per period) and 企业名录 (with
    its 用地面积 and 电力户号, so the exported register imports back as it was)."""
    from ..domain.periods import Period

    obs = observations.sort_values(["year", "first_month", "last_month", "name"])
    output = pd.DataFrame({
        "年份": obs.year, "期间": [Period(y, a, b).label_in_year() for y, a, b in
                              zip(obs.year, obs.first_month, obs.last_month)],
        "企业名称": obs.name, "统一社会信用代码": obs.credit_code,
        "行业": obs.sector.map(SECTOR_NAMES),
        "是否规上": obs.above_scale.map({True: "是", False: "否"}),
        "产值（万元）": obs.value_10k, "上年同期（万元）": obs.prior_10k,
    })
    register = pd.DataFrame({
        "企业名称": enterprises.name, "统一社会信用代码": enterprises.credit_code,
        "行业": enterprises.sector.map(SECTOR_NAMES),
        "是否规上": enterprises.above_scale.map({True: "是", False: "否"}),
        "联系领导": enterprises.contact, "用地面积（亩）": enterprises.land_mu, "电力户号": enterprises.power_account,
    }).sort_values("企业名称")
    return {"企业产值": output, "企业名录": register}


def computed_tables(ytd: YearToDate, above_only: bool = False) -> dict[str, pd.DataFrame]:
    """The figures of a year to date: 汇总, 分行业, 企业, 目标, 预警 (rates as fractions). With
    `above_only`, 分行业, 企业 and 预警 cover 规上 enterprises only (汇总 and 目标 always give both
    official totals, each named with its scope)."""
    when = ytd.period.label()
    figures_in_scope = ytd.scoped(above_only)
    sector_rows = compute_breakdown(figures_in_scope) if above_only else ytd.sectors
    warnings_in_scope = ytd.scoped_warnings(above_only)
    summary = pd.DataFrame([
        {"指标": f"{when}工业总产值（全部企业）", "产值（万元）": ytd.total.value, "上年同期（万元）": ytd.total.prior,
         "同比": ytd.total.yoy},
        {"指标": f"{when}规上工业产值（规上企业）", "产值（万元）": ytd.above_scale.value,
         "上年同期（万元）": ytd.above_scale.prior, "同比": ytd.above_scale.yoy},
    ])
    sectors = pd.DataFrame({
        "行业": sector_rows.sector.map(SECTOR_NAMES), "产值（万元）": sector_rows.value_10k,
        "上年同期（万元）": sector_rows.prior_10k, "同比": sector_rows.yoy, "占比": sector_rows.share,
        "贡献率": sector_rows.contribution, "拉动（百分点）": sector_rows.pull * 100,
    })
    figures = figures_in_scope.sort_values("rank")
    enterprises = pd.DataFrame({
        "排名": figures["rank"], "企业名称": figures.name, "行业": figures.sector.map(SECTOR_NAMES),
        "是否规上": figures.above_scale.map({True: "是", False: "否"}), "产值（万元）": figures.value_10k,
        "上年同期（万元）": figures.prior_10k, "同比": figures.yoy, "年度目标（万元）": figures.target_10k,
        "完成率": figures.completion, "联系领导": figures.contact,
    })
    targets = pd.DataFrame([
        {"指标": t.name, "单位": INDICATOR_BY_CODE[t.indicator].unit, "年度目标": t.target,
         "累计完成": t.actual, "数据截至": f"{t.as_of}月" if t.as_of else None,
         "完成率": t.completion, "序时进度": t.schedule, "状态": style.STATUSES[t.status].words,
         "往年同期进度": t.seasonal_schedule, "重点项目汇总": t.projects_actual,
         "来源": {"output": "按企业产值计算", "projects": "按重点项目汇总", "entered": "工作人员录入"}[t.source]}
        for t in ytd.targets])
    warnings = pd.DataFrame({
        "级别": warnings_in_scope.level, "企业名称": warnings_in_scope.name,
        "行业": warnings_in_scope.sector.map(SECTOR_NAMES),
        "规则": warnings_in_scope.rule.map(labels.WARNING_RULES), "数值": warnings_in_scope.value,
        "往年同期环比": warnings_in_scope.usual,
        "情况": describe_warnings(warnings_in_scope),
    })
    if "power_yoy" in warnings_in_scope and warnings_in_scope.power_yoy.notna().any():
        # 产值与用电背离: 数值 is the output's 同比, this the electricity's over the same months.
        warnings.insert(len(warnings.columns) - 1, "用电同比", warnings_in_scope.power_yoy.to_numpy())
    tables = {"汇总": summary, "分行业": sectors, "企业": enterprises, "目标": targets, "预警": warnings}
    if ytd.projects is not None:
        tables["重点项目"] = project_table(ytd.projects)
    return tables


def project_table(book) -> pd.DataFrame:
    """The year's projects as of the period: plan, investment, milestones, lateness."""
    t = book.table
    return pd.DataFrame({
        "项目名称": t.name, "企业名称": t.enterprise, "行业": t.sector.map(SECTOR_NAMES), "建设性质": t.kind,
        "总投资（万元）": t.total_10k, "年度计划投资（万元）": t.plan_10k, "本年完成投资（万元）": t.invested_10k,
        "投资完成率": t.completion, "序时进度": t.schedule,
        "下一节点": t.next_milestone, "是否滞后": t.late.map({True: "是", False: "否"}), "滞后天数": t.delay_days,
        "联系领导": t.contact, "问题与需协调事项": t.issues,
    })


def evaluation_tables(evaluation) -> dict[str, pd.DataFrame]:
    """A year's 亩均效益评价 as sheets: 分类汇总, 规上企业 and 规下企业 (each group's ranking with every
    indicator and item score), 不参评企业 (with why), 计分明细 (every rated enterprise's scorecard)
    and 基准值; figures rounded as the page shows them (output/evaluation.py)."""
    from .evaluation import bases_table, counts_table, ranking_table, scorecards_table, unrated_table

    return {"分类汇总": counts_table(evaluation),
            **{labels.EVALUATION_GROUP_NAMES[g]: ranking_table(evaluation, g) for g in EVALUATION_GROUPS},
            "不参评企业": unrated_table(evaluation), "计分明细": scorecards_table(evaluation),
            "基准值": bases_table(evaluation)}


def evaluation_xlsx(evaluation) -> bytes:
    """evaluation_tables as a workbook (to_xlsx): every score and indicator value with two decimals,
    比值 with three, weights as set."""
    sheets = evaluation_tables(evaluation)
    numeric = {column for frame in sheets.values() for column in frame.columns
               if pd.api.types.is_float_dtype(frame[column]) and column != "权重"}  # weights as typed (30, 7.5)
    formats = {column: "0.00" for column in numeric} | {"比值": "0.000"}
    return to_xlsx(sheets, formats)


COUNTY_FORMATS = {"工业总产值（万元）": "0.0", "规上工业产值（万元）": "0.0", "同比": PERCENT, "规上同比": PERCENT,
                  "目标完成率": PERCENT, "序时进度": PERCENT, "超欠序时（百分点）": "+0.0;-0.0;0.0"}


def county_sheet(table: pd.DataFrame) -> pd.DataFrame:
    """The 县域 table (compute.county.county_table) as a sheet: figures as numbers rounded half up
    as the page shows them (万元 to 0.1, rates as fractions to 0.1%, for COUNTY_FORMATS: "0.0%",
    no thousands separators), a town without figures for the period marked 未报送, the county's
    total last; text cells stay text (to_xlsx, to_csv)."""
    kind = table.kind
    return pd.DataFrame({
        "排名": table["rank"], "乡镇": [labels.COUNTY_TOTAL if k == "total" else t for k, t in zip(kind, table.town)],
        "工业总产值（万元）": round_half_up_array(table.value_10k, 1), "同比": round_half_up_array(table.yoy, 3),
        "规上工业产值（万元）": round_half_up_array(table.above_10k, 1),
        "规上同比": round_half_up_array(table.above_yoy, 3),
        "目标完成率": round_half_up_array(table.target_completion, 3),
        "序时进度": round_half_up_array(table.schedule, 3),
        "超欠序时（百分点）": percent_array(table.gap),
        "状态": county_status_words(table),
        "目标完成情况": [describe_target(t) if isinstance(t, TargetRow) else None for t in table.target],
        "报送情况": county_reporting_words(table),
    })


def county_status_words(table: pd.DataFrame) -> list[str | None]:
    """Each row's target status in words (style.STATUSES), 未报送 for a town without figures."""
    return [labels.COUNTY_NOT_REPORTED if k == "missing" else
            (style.STATUSES[s].words if isinstance(s, str) else None) for k, s in zip(table.kind, table.status)]


def county_reporting_words(table: pd.DataFrame) -> list[str | None]:
    """Who reported: a town's enterprises (39/41家), 未报送, the county's towns (2/3个乡镇)."""
    words = []
    for k, r, e in zip(table.kind, table.reported, table.expected):
        if k == "missing":
            words.append(labels.COUNTY_NOT_REPORTED)
        elif is_missing(e) or is_missing(r):
            words.append(None)
        else:
            template = labels.COUNTY_TOWNS_REPORTED if k == "total" else labels.COUNTY_ENTERPRISES_REPORTED
            words.append(template.format(reported=int(r), expected=int(e), towns=int(e)))
    return words
