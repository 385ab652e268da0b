"""亩均评价 data and the 供电所's electricity, read and stored (ingest/sheets/evaluation.py,
ingest/sheets/electricity.py, store/evaluation_rows.py): messy county sheets (title, unit row, 合计,
notes), units, blank versus 0, the year from the title, the sheet name or --period, refusals by
sheet, row and column, enterprises by name or 户号, replacement and undo. Every workbook is built
here, and every expected figure is worked out by hand from the cells written."""
import datetime as dt
import math

import pandas as pd
import pytest
from conftest import staff, xlsx_bytes

from lakou_metrics import importing, store
from lakou_metrics.compute.evaluation import load_stored_evaluation
from lakou_metrics.domain import labels
from lakou_metrics.domain.periods import Period
from lakou_metrics.ingest.errors import ImportRefused
from lakou_metrics.output import evaluation as tables

HEADERS = ["序号", "企业名称", "统一社会信用代码", "是否规上", "用地面积（亩）", "税收实际贡献（万元）", "工业增加值（万元）",
           "综合能耗（吨标准煤）", "主要污染物排放当量（吨）", "年平均职工人数（人）", "研发经费支出（万元）",
           "营业收入（万元）", "用电量（万千瓦时）", "备注"]
TITLE = "2023年度腊口镇工业企业亩均效益评价数据表"
CODE = "91331121MA2A00000X"


def evaluation_rows(*rows, title=TITLE, headers=HEADERS, unit_row=("单位：万元、亩",), notes=True):
    """A county's sheet: title, unit row above the header, the rows, a 合计 row and notes under it."""
    under = [["合计", "", None, "", 40, 125, 850], ["注：用地面积为企业自有工业用地。"], ["填报人：张三"]]
    return [[title], list(unit_row), list(headers), *map(list, rows), *(under if notes else [])]


ZHUOER = [1, "卓尔五金", CODE, "是", 30, 120, 800, 400, 2, 150, 30, 3000, 250, ""]
YOUCHA = [2, "浙南油茶", None, "规下", 10, "", 50, 20, None, 30, 0, 500, "40", "新投产"]


def read(sheets: dict, period=None):
    return importing.read_and_clean(xlsx_bytes(sheets), "亩均.xlsx", period)


def refused(sheets: dict, period=None) -> list[tuple]:
    with pytest.raises(ImportRefused) as caught:
        read(sheets, period)
    return [(p.sheet, p.row, p.column, p.value, p.reason) for p in caught.value.problems]


def figures(frame: pd.DataFrame, name: str) -> dict:
    row = frame[frame.name == name].iloc[0]
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}


# -- reading the county's sheet ------------------------------------------------------------------

def test_a_messy_county_sheet_reads_its_rows_only_with_blank_as_missing_and_zero_as_zero():
    cleaned = read({"Sheet1": evaluation_rows(ZHUOER, YOUCHA)})
    ev = cleaned.evaluation
    assert sorted(ev.name) == ["卓尔五金", "浙南油茶"]  # the 合计 row and the notes are no enterprises
    zhuoer, youcha = figures(ev, "卓尔五金"), figures(ev, "浙南油茶")
    assert (zhuoer["year"], zhuoer["above_scale"], zhuoer["credit_code"]) == (2023, True, CODE)
    assert [zhuoer[f] for f in ("land_mu", "tax_10k", "value_added_10k", "energy_tce", "emission_t", "staff",
                                "rd_10k", "revenue_10k", "power_10k_kwh")] == [30, 120, 800, 400, 2, 150, 30, 3000, 250]
    # 税收 "" and 排放 None are missing; 研发 0 is 0; "40" as text is 40.
    assert (youcha["tax_10k"], youcha["emission_t"], youcha["rd_10k"], youcha["power_10k_kwh"]) == (None, None, 0, 40)
    assert (youcha["above_scale"], youcha["note"], youcha["production_start"]) == (False, "新投产", None)
    assert [s.kind for s in cleaned.sheets] == ["evaluation"]
    assert cleaned.sheets[0].periods == ["2023年亩均评价数据"]
    # The 合计 row carries figures: not stored, and said.
    assert any(w.row == 6 for w in cleaned.warnings)


@pytest.mark.parametrize("scale_cell,expected", [
    pytest.param("是", True, id="是"), pytest.param("否", False, id="否"),
    pytest.param("规上", True, id="规上"), pytest.param("规下", False, id="规下"),
    pytest.param("", None, id="blank: the register's"),
])
def test_the_scale_column_reads_yes_no_and_scale_words(scale_cell, expected):
    row = [1, "卓尔五金", None, scale_cell, 30, 120, 800, 400, 2, 150, 30, 3000, 250, ""]
    assert figures(read({"s": evaluation_rows(row)}).evaluation, "卓尔五金")["above_scale"] == expected


@pytest.mark.parametrize("header,unit_row,cell,figure,expected", [
    pytest.param("税收实际贡献（元）", None, 1_200_000, "tax_10k", 120.0, id="税收 in 元: ÷10000"),
    pytest.param("税收实际贡献（千元）", None, 1200, "tax_10k", 120.0, id="税收 in 千元: ÷10"),
    pytest.param("税收实际贡献", "千元", 1200, "tax_10k", 120.0, id="税收 in the unit row under the header"),
    pytest.param("用电量（千瓦时）", None, 2_500_000, "power_10k_kwh", 250.0, id="用电量 in 千瓦时"),
    pytest.param("用电量（度）", None, 2_500_000, "power_10k_kwh", 250.0, id="用电量 in 度"),
    pytest.param("用电量", "千瓦时", 2_500_000, "power_10k_kwh", 250.0, id="用电量 in the unit row"),
    pytest.param("用地面积（平方米）", None, 20_000, "land_mu", 30.0, id="用地 in 平方米: ×0.0015"),
    pytest.param("综合能耗（千克标准煤）", None, 400_000, "energy_tce", 400.0, id="能耗 in 千克标准煤"),
])
def test_units_in_a_header_or_the_unit_row_are_converted(header, unit_row, cell, figure, expected):
    column = {"tax_10k": 5, "power_10k_kwh": 12, "land_mu": 4, "energy_tce": 7}[figure]
    headers = [*HEADERS[:column], header, *HEADERS[column + 1:]]
    row = list(ZHUOER)
    row[column] = cell
    rows = [[TITLE], headers]
    if unit_row:
        rows.append([unit_row if j == column else "" for j in range(len(headers))])
    rows.append(row)
    assert figures(read({"s": rows}).evaluation, "卓尔五金")[figure] == pytest.approx(expected)


@pytest.mark.parametrize("sheet,title,period,expected", [
    pytest.param("Sheet1", TITLE, None, 2023, id="year in the title"),
    pytest.param("2022年亩均数据", "腊口镇工业企业亩均效益评价数据表", None, 2022, id="year in the sheet name"),
    pytest.param("Sheet1", "腊口镇工业企业亩均效益评价数据表", Period.ytd(2021, 12), 2021, id="--period 2021"),
])
def test_the_year_comes_from_the_title_the_sheet_name_or_period(sheet, title, period, expected):
    cleaned = read({sheet: evaluation_rows(ZHUOER, title=title)}, period)
    assert list(cleaned.evaluation.year) == [expected]


def test_a_sheet_that_names_no_year_is_refused_saying_how_to_give_one():
    [(sheet, row, _, _, reason)] = refused({"Sheet1": evaluation_rows(ZHUOER, title="工业企业亩均效益评价数据表")})
    assert (sheet, row) == ("Sheet1", 3) and "--period 2023" in reason


@pytest.mark.parametrize("column,cell,reason", [
    pytest.param(5, -3, "是负数，税收实际贡献（万元）不能为负数", id="a negative figure"),
    pytest.param(9, "约150", "不是数字", id="text that is no number"),
    pytest.param(4, "-1", "是负数，用地面积（亩）不能为负数", id="negative land as text"),
])
def test_a_figure_that_is_negative_or_no_number_is_refused_at_its_cell(column, cell, reason):
    row = list(ZHUOER)
    row[column] = cell
    problems = refused({"亩均": evaluation_rows(row, YOUCHA)})
    assert problems == [("亩均", 4, HEADERS[column], cell, reason)]


def test_a_two_row_header_under_merged_groups_reads_each_figure_of_its_sub_header():
    # 经济指标 over 税收 | 增加值, 资源环境 over 能耗 | 排放, the other headers merged down two rows.
    top = ["序号", "企业名称", "统一社会信用代码", "是否规上", "用地面积（亩）", "经济指标", "", "资源环境", "",
           "年平均职工人数（人）", "研发经费支出（万元）", "营业收入（万元）", "用电量（万千瓦时）"]
    sub = ["", "", "", "", "", "税收实际贡献（万元）", "工业增加值（万元）", "综合能耗（吨标准煤）",
           "主要污染物排放当量（吨）", "", "", "", ""]
    rows = [[TITLE], top, sub, ZHUOER[:13]]
    merges = ["F2:G2", "H2:I2", *(f"{c}2:{c}3" for c in "ABCDEJKLM")]
    cleaned = importing.read_and_clean(xlsx_bytes({"Sheet1": rows}, {"Sheet1": merges}), "亩均.xlsx")
    zhuoer = figures(cleaned.evaluation, "卓尔五金")
    assert [zhuoer[f] for f in ("land_mu", "tax_10k", "value_added_10k", "energy_tce", "emission_t", "staff",
                                "rd_10k", "revenue_10k", "power_10k_kwh")] == [30, 120, 800, 400, 2, 150, 30, 3000, 250]


def test_a_row_of_figures_without_a_name_is_refused_at_its_name_cell():
    nameless = [2, "", None, "是", 10, 50, 200, 100, 1, 40, 5, 900, 60, ""]
    problems = refused({"亩均": evaluation_rows(ZHUOER, nameless)})
    assert problems == [("亩均", 5, "企业名称", None, "有亩均评价数据但企业名称为空")]


def test_one_enterprise_twice_is_refused_naming_both_places():
    again = [3, "卓尔五金", None, "是", 31, 121, 801, 401, 2, 151, 30, 3001, 251, ""]
    by_code = [4, "卓尔五金有限公司", CODE, "是", 31, 121, 801, 401, 2, 151, 30, 3001, 251, ""]
    problems = refused({"亩均": evaluation_rows(ZHUOER, again, by_code)})
    assert [(s, r, c, v) for s, r, c, v, _ in problems] == [("亩均", 5, "企业名称", "卓尔五金"),
                                                            ("亩均", 6, "企业名称", "卓尔五金有限公司")]
    assert "另见第4行" in problems[0][4] and f"统一社会信用代码 {CODE}" in problems[1][4]


@pytest.mark.parametrize("header,unit", [
    pytest.param("税收实际贡献（美元）", "美元", id="税收 in a foreign currency"),
    pytest.param("用地面积（吨）", "吨", id="land in tonnes"),
    pytest.param("用电量（吨）", "吨", id="electricity in tonnes"),
])
def test_a_unit_a_figure_cannot_be_in_is_refused_at_the_header(header, unit):
    column = {"税": 5, "用地": 4, "用电": 12}[next(k for k in ("税", "用地", "用电") if header.startswith(k))]
    headers = [*HEADERS[:column], header, *HEADERS[column + 1:]]
    problems = refused({"s": [[TITLE], headers, ZHUOER]})
    assert [(s, r, c, v) for s, r, c, v, _ in problems] == [("s", 2, header, unit)]


@pytest.mark.parametrize("cell,expected", [
    pytest.param(dt.datetime(2023, 5, 8), "2023-05-08", id="a date cell"),
    pytest.param("2023年5月", "2023-05-01", id="a month as text"),
    pytest.param("2023.05.08", "2023-05-08", id="dotted"),
    pytest.param(None, None, id="blank"),
])
def test_a_production_start_column_is_optional_and_read_as_a_date(cell, expected):
    rows = [[TITLE], [*HEADERS[:-1], "投产日期", "备注"], [*ZHUOER[:-1], cell, ""]]
    assert figures(read({"s": rows}).evaluation, "卓尔五金")["production_start"] == expected


def test_an_unreadable_production_start_is_refused():
    rows = [[TITLE], [*HEADERS[:-1], "投产日期", "备注"], [*ZHUOER[:-1], "去年五月", ""]]
    assert [(s, r, c, v) for s, r, c, v, _ in refused({"s": rows})] == [("s", 3, "投产日期", "去年五月")]


@pytest.mark.parametrize("cell", [
    pytest.param("2030-01-01", id="years after, as text"),
    pytest.param(dt.datetime(2024, 1, 1), id="the next January, a date cell"),
])
def test_a_production_start_after_the_evaluation_year_is_refused_at_its_cell(cell):
    # A 2023 sheet: a start in 2030 would be taken for 当年新投产 and left unrated.
    rows = [[TITLE], [*HEADERS[:-1], "投产日期", "备注"], [*ZHUOER[:-1], cell, ""]]
    [(sheet, row, column, _, reason)] = refused({"s": rows})
    assert (sheet, row, column) == ("s", 3, "投产日期")
    assert reason.startswith("晚于评价年度（2023年）")


YEAR_HEADERS = ["年份", *HEADERS]


@pytest.mark.parametrize("sheet,title,years,expected", [
    pytest.param("Sheet1", TITLE, (2022, 2022), [("Sheet1", 3, "年份", None, "写的是2022年，而标题写的是2023年")],
                 id="the column says another year than the title"),
    pytest.param("2023年亩均", "亩均效益评价数据表", (2022, 2022),
                 [("2023年亩均", 3, "年份", None, "写的是2022年，而工作表名写的是2023年")],
                 id="another year than the sheet name"),
    pytest.param("Sheet1", TITLE, (2023, 2022), [("Sheet1", 5, "年份", 2022, "与标题的2023年不一致")],
                 id="the column varies by row: the row that differs"),
])
def test_a_year_column_that_disagrees_with_the_title_is_refused_naming_both(sheet, title, years, expected):
    rows = evaluation_rows([years[0], *ZHUOER], [years[1], *YOUCHA], title=title, headers=YEAR_HEADERS, notes=False)
    problems = refused({sheet: rows})
    assert [(s, r, c, v, reason[:len(e[4])]) for (s, r, c, v, reason), e in zip(problems, expected)] == expected
    assert len(problems) == len(expected)


def test_a_year_column_that_agrees_with_the_title_is_read():
    rows = evaluation_rows([2023, *ZHUOER], [2023, *YOUCHA], headers=YEAR_HEADERS, notes=False)
    assert list(read({"s": rows}).evaluation.year) == [2023, 2023]


# -- stored -------------------------------------------------------------------------------------

def import_file(engine, sheets: dict, name: str = "f.xlsx", period=None):
    return importing.import_bytes(engine, xlsx_bytes(sheets), name, period=period, operator=staff())


def test_an_evaluation_is_stored_on_the_register_enterprise_and_read_back(engine):
    # 卓尔五金 is registered (by an output sheet) under another spelling with its credit code.
    import_file(engine, {"产值": [["年份", "月份", "企业名称", "统一社会信用代码", "产值（万元）"],
                                  [2023, "3月", "卓尔五金有限公司", CODE, 100.0]]})
    outcome = import_file(engine, {"亩均": evaluation_rows(ZHUOER, YOUCHA)})
    assert (outcome.status, outcome.new_enterprises, outcome.periods) == ("imported", 1, ["2023年亩均评价数据"])
    ev = store.load_evaluation(engine, 2023)
    assert sorted(ev.name) == ["卓尔五金有限公司", "浙南油茶"]  # matched by code, not a new enterprise
    zhuoer = figures(ev, "卓尔五金有限公司")
    assert (zhuoer["tax_10k"], zhuoer["above_scale"], zhuoer["credit_code"]) == (120.0, True, CODE)
    youcha = figures(ev, "浙南油茶")
    assert (youcha["tax_10k"], youcha["rd_10k"], youcha["above_scale"], youcha["note"]) == (None, 0.0, False, "新投产")
    assert store.evaluation_years(engine) == [2023] and store.load_evaluation(engine, 2022).empty
    assert list(store.load_evaluation(engine, 2022).columns) == list(ev.columns)
    # The year's 是否规上 stays with the figures: the register's flag is the output sheet's (none).
    register = store.load_register(engine)
    assert register.above_scale.isna().all()


def test_a_years_import_replaces_that_year_and_undo_restores_it(engine):
    first = import_file(engine, {"亩均": evaluation_rows(ZHUOER, YOUCHA)}, "一.xlsx")
    assert import_file(engine, {"亩均": evaluation_rows(ZHUOER, YOUCHA)}, "一again.xlsx").status == "unchanged"
    corrected = list(ZHUOER)
    corrected[5] = 130
    other_year = import_file(engine, {"亩均": evaluation_rows(YOUCHA, title="2022年度亩均效益评价数据表")}, "二.xlsx")
    second = import_file(engine, {"亩均": evaluation_rows(corrected)}, "三.xlsx")
    assert second.replaced == ["2023年亩均评价数据"]
    ev = store.load_evaluation(engine, 2023)
    assert list(ev.name) == ["卓尔五金"] and list(ev.tax_10k) == [130.0]  # 浙南油茶 left out: gone from 2023
    assert list(store.load_evaluation(engine, 2022).name) == ["浙南油茶"]  # another year stays
    store.undo_import(engine, second.import_id, operator=staff())
    ev = store.load_evaluation(engine, 2023)
    assert sorted(zip(ev.name, ev.tax_10k.fillna(-1))) == [("卓尔五金", 120.0), ("浙南油茶", -1)]
    assert first.import_id and other_year.import_id
    store.undo_import(engine, other_year.import_id, operator=staff())
    store.undo_import(engine, first.import_id, operator=staff())
    assert store.evaluation_years(engine) == [] and store.load_enterprises(engine).empty


def test_the_register_keeps_land_area_and_power_accounts(engine):
    register = [["企业名称", "所属行业", "用地面积（亩）", "电力户号"], ["卓尔五金", "五金", 30.5, 3300012345],
                ["浙南油茶", "农产品加工", None, "33001、33002"]]
    import_file(engine, {"企业名录": register})
    reg = store.load_register(engine).set_index("name")
    assert reg.loc["卓尔五金", "land_mu"] == 30.5 and reg.loc["卓尔五金", "power_account"] == "3300012345"
    assert math.isnan(reg.loc["浙南油茶", "land_mu"]) and reg.loc["浙南油茶", "power_account"] == "33001、33002"
    # A later file that leaves the cells blank keeps what is known; one that gives a new area changes it.
    import_file(engine, {"企业名录": [register[0], ["卓尔五金", "五金", 32, None]]}, "名录2.xlsx")
    reg = store.load_register(engine).set_index("name")
    assert reg.loc["卓尔五金", "land_mu"] == 32 and reg.loc["卓尔五金", "power_account"] == "3300012345"


ELECTRICITY_TITLE = "2024年3月工业企业用电量"


def test_an_electricity_sheet_by_name_in_kilowatt_hours_is_stored_by_span(engine):
    rows = [[ELECTRICITY_TITLE], ["单位：千瓦时"], ["企业名称", "本月用电量", "1-3月累计用电量", "上年同期累计用电量"],
            ["卓尔五金", 100_000, 250_000, 200_000], ["浙南油茶", 5_000, 12_000, None], ["合计", 105_000, 262_000]]
    outcome = import_file(engine, {"用电": rows})
    assert outcome.periods == ["2024年1-3月用电量", "2024年3月用电量"]
    power = store.load_electricity(engine)
    got = {(r.name, r.first_month, r.last_month): (r.value_10k_kwh, None if math.isnan(r.prior_10k_kwh)
                                                   else r.prior_10k_kwh) for r in power.itertuples()}
    # ÷10000: 100000 千瓦时 = 10 万千瓦时; the 上年同期 累计 column is the base of 1-3月.
    assert got == {("卓尔五金", 3, 3): (10.0, None), ("卓尔五金", 1, 3): (25.0, 20.0),
                   ("浙南油茶", 3, 3): (0.5, None), ("浙南油茶", 1, 3): (1.2, None)}
    assert store.electricity_years(engine) == [2024] and store.load_electricity(engine, [2023]).empty


def test_one_column_per_month_gives_one_span_per_month(engine):
    rows = [["2024年工业企业用电量（万千瓦时）"], ["企业名称", "1月用电量", "2月用电量", "3月用电量"], ["卓尔五金", 8, 9.5, 10]]
    outcome = import_file(engine, {"用电": rows})
    power = store.load_electricity(engine)
    assert sorted(zip(power.first_month, power.last_month, power.value_10k_kwh)) == [(1, 1, 8.0), (2, 2, 9.5),
                                                                                     (3, 3, 10.0)]
    assert outcome.periods == ["2024年1-3月各月用电量"]  # a run of months said once, as output's are
    rows[2][1:] = [8.5, 9.5, 11]
    again = import_file(engine, {"用电": rows})
    assert again.replaced == ["2024年1月用电量", "2024年3月用电量"]


def register_with_accounts(engine):
    import_file(engine, {"企业名录": [["企业名称", "电力户号"], ["卓尔五金", "3300012345"],
                                      ["浙南油茶", "33001、33002"], ["石普铝业", None]]}, "名录.xlsx")


def test_rows_by_account_alone_are_filed_on_the_enterprise_the_register_gives_it(engine):
    register_with_accounts(engine)
    rows = [[ELECTRICITY_TITLE], ["户号", "本月用电量（万千瓦时）"], [3300012345, 10], ["33002", 2.5]]
    import_file(engine, {"用电": rows})
    power = store.load_electricity(engine)
    assert sorted(zip(power.name, power.value_10k_kwh)) == [("卓尔五金", 10.0), ("浙南油茶", 2.5)]


def test_a_sheet_with_names_and_accounts_takes_either(engine):
    register_with_accounts(engine)
    rows = [[ELECTRICITY_TITLE], ["企业名称", "户号", "本月用电量（万千瓦时）"], ["卓尔五金", "3300012345", 10],
            [None, "33001", 2.5], ["石普铝业", None, 7]]
    import_file(engine, {"用电": rows})
    power = store.load_electricity(engine)
    assert sorted(zip(power.name, power.value_10k_kwh)) == [("卓尔五金", 10.0), ("浙南油茶", 2.5), ("石普铝业", 7.0)]


@pytest.mark.parametrize("row,value,reason", [
    pytest.param([None, "9999", 3], "9999", "企业名录中没有这个电力户号", id="an unknown account without a name"),
    pytest.param(["卓尔五金", "33001", 3], "33001", "名录中该户号属于「浙南油茶」", id="an account of another enterprise"),
    pytest.param(["卓尔五金", "9999", 3], "9999", "（名录中「卓尔五金」的户号：3300012345）",
                 id="an account the named enterprise does not have"),
])
def test_an_account_the_register_does_not_give_this_row_is_refused_with_row_and_column(engine, row, value, reason):
    register_with_accounts(engine)
    rows = [[ELECTRICITY_TITLE], ["企业名称", "户号", "本月用电量（万千瓦时）"], ["石普铝业", None, 1], row]
    with pytest.raises(ImportRefused) as caught:
        import_file(engine, {"用电": rows})
    [problem] = caught.value.problems
    assert (problem.sheet, problem.row, problem.column, problem.value) == ("用电", 4, "户号", value)
    assert reason in problem.reason
    assert store.load_electricity(engine).empty  # nothing stored


ZEROS_LOST = "可能是表格把户号当成数字、去掉了开头的0，请把户号列设为文本后重新填写"


@pytest.mark.parametrize("row, value, reason", [
    # The register's 0012345, written as the number 12345 in the sheet.
    pytest.param([None, 12345, 3], "12345",
                 "企业名录中没有这个电力户号；名录中有“0012345”（「卓尔五金」），" + ZEROS_LOST,
                 id="no name: the register's account with the zeros is named"),
    pytest.param(["卓尔五金", 12345, 3], "12345",
                 "（名录中「卓尔五金」的户号：0012345），请核对；名录中有“0012345”（「卓尔五金」），" + ZEROS_LOST,
                 id="with the name"),
    # 00345 and 0345 both lose their zeros as 345: both named, neither chosen.
    pytest.param([None, 345, 3], "345",
                 "企业名录中没有这个电力户号；名录中有“00345”（「浙南油茶」）、“0345”（「石普铝业」），" + ZEROS_LOST,
                 id="two accounts that differ only in leading zeros"),
    pytest.param([None, 9999, 3], "9999", "企业名录中没有这个电力户号，本行也没有企业名称：请在企业名录的“电力户号”列登记该户号",
                 id="an account unknown even with zeros: the plain refusal"),
])
def test_an_account_that_lost_its_leading_zeros_is_refused_saying_so(engine, row, value, reason):
    # Not filed on the register's account: an account 345 may be another enterprise's than 0345's.
    import_file(engine, {"企业名录": [["企业名称", "电力户号"], ["卓尔五金", "0012345"], ["浙南油茶", "00345"],
                                      ["石普铝业", "0345"]]}, "名录.xlsx")
    rows = [[ELECTRICITY_TITLE], ["企业名称", "户号", "本月用电量（万千瓦时）"], row]
    with pytest.raises(ImportRefused) as caught:
        import_file(engine, {"用电": rows})
    [problem] = caught.value.problems
    assert (problem.sheet, problem.row, problem.column, problem.value) == ("用电", 3, "户号", value)
    assert reason in problem.reason, problem.reason
    assert ZEROS_LOST not in reason or problem.reason.endswith(ZEROS_LOST)
    assert store.load_electricity(engine).empty


def test_one_enterprise_twice_in_a_span_is_refused_naming_both_rows(engine):
    register_with_accounts(engine)
    same_name = [[ELECTRICITY_TITLE], ["企业名称", "本月用电量（万千瓦时）"], ["卓尔五金", 1], ["卓尔五金", 2]]
    with pytest.raises(ImportRefused) as caught:
        import_file(engine, {"用电": same_name})
    [problem] = caught.value.problems
    assert (problem.row, problem.column, problem.value) == (4, "企业名称", "卓尔五金") and "另见第3行" in problem.reason
    name_and_account = [[ELECTRICITY_TITLE], ["企业名称", "户号", "本月用电量（万千瓦时）"], ["卓尔五金", None, 1],
                        [None, "3300012345", 2]]
    with pytest.raises(ImportRefused) as caught:
        import_file(engine, {"用电": name_and_account})
    [problem] = caught.value.problems
    assert problem.row == 4 and "与第3行是名录中的同一家企业「卓尔五金」" in problem.reason


@pytest.mark.parametrize("cell,reason", [
    pytest.param(-5, "是负数，用电量不能为负数", id="negative"),
    pytest.param("约5", "不是数字", id="no number"),
])
def test_an_electricity_figure_that_is_negative_or_no_number_is_refused(cell, reason):
    rows = [[ELECTRICITY_TITLE], ["企业名称", "本月用电量（万千瓦时）"], ["卓尔五金", cell]]
    assert refused({"用电": rows}) == [("用电", 3, "本月用电量（万千瓦时）", cell, reason)]


@pytest.mark.parametrize("files,sheet,row,reason", [
    pytest.param([[["企业名称", "1月用电量", "2月用电量", "3月用电量", "1-3月累计用电量"], ["卓尔五金", 4, 4, 4, 5]]],
                 "用电1", 3, "2024年1-3月为 5.0万千瓦时，而由1月+2月+3月相加得出 12.0万千瓦时，两者相差 7.0万千瓦时",
                 id="1-3月 in one row below its months"),
    pytest.param([[["企业名称", "1-3月累计用电量"], ["卓尔五金", 10]],
                  [["企业名称", "1月用电量", "2月用电量", "3月用电量"], ["卓尔五金", 3, 3, 3]]],
                 "用电2", 3, "2024年3月为 3.0万千瓦时，而由1-3月减1月减2月得出 4.0万千瓦时，两者相差 1.0万千瓦时",
                 id="months against the stored 1-3月"),
])
def test_electricity_spans_that_do_not_add_up_are_refused_and_nothing_stored(engine, files, sheet, row, reason):
    # 万千瓦时 in the title; the year alone names the months (1月用电量 …) or 1-3月.
    *earlier, last = files
    for n, rows in enumerate(earlier, start=1):
        import_file(engine, {f"用电{n}": [["2024年1-3月工业企业用电量（万千瓦时）"], *rows]}, f"用电{n}.xlsx")
    stored = store.load_electricity(engine)
    with pytest.raises(ImportRefused) as caught:
        import_file(engine, {sheet: [["2024年工业企业用电量（万千瓦时）"], *last]}, "用电末.xlsx")
    [problem] = caught.value.problems
    assert (problem.sheet, problem.row) == (sheet, row) and reason in problem.reason
    assert "企业「卓尔五金」" in problem.reason
    pd.testing.assert_frame_equal(store.load_electricity(engine), stored)  # nothing stored


def test_an_electricity_span_replaces_that_span_and_undo_restores_it(engine):
    march = [[ELECTRICITY_TITLE], ["企业名称", "本月用电量（万千瓦时）"], ["卓尔五金", 10], ["浙南油茶", 2]]
    april = [["2024年4月工业企业用电量"], ["企业名称", "本月用电量（万千瓦时）"], ["卓尔五金", 11]]
    import_file(engine, {"用电": march}, "三月.xlsx")
    import_file(engine, {"用电": april}, "四月.xlsx")
    corrected = import_file(engine, {"用电": [*march[:2], ["卓尔五金", 12]]}, "三月更正.xlsx")
    assert corrected.replaced == ["2024年3月用电量"]
    power = store.load_electricity(engine)
    assert sorted(zip(power.last_month, power.name, power.value_10k_kwh)) == [(3, "卓尔五金", 12.0), (4, "卓尔五金", 11.0)]
    store.undo_import(engine, corrected.import_id, operator=staff())
    power = store.load_electricity(engine)
    assert sorted(zip(power.last_month, power.name, power.value_10k_kwh)) == [
        (3, "卓尔五金", 10.0), (3, "浙南油茶", 2.0), (4, "卓尔五金", 11.0)]


def test_first_reports_are_each_enterprises_earliest_month_of_output(engine):
    rows = [["年份", "月份", "企业名称", "产值（万元）"], [2023, "5月", "甲厂", 1], [2023, "7月", "甲厂", 1],
            [2024, "1月", "甲厂", 1], [2024, "3月", "乙厂", 1]]
    import_file(engine, {"产值": rows})
    names = store.load_register(engine).name
    first = store.load_first_reports(engine)
    assert sorted((names[e], y, m) for e, y, m in zip(first.enterprise_id, first.year, first.month)) == [
        ("乙厂", 2024, 3), ("甲厂", 2023, 5)]


def test_the_preview_shows_what_an_evaluation_holds_and_replaces(engine):
    from lakou_metrics.preview import evaluation_table, preview_bytes

    import_file(engine, {"亩均": evaluation_rows(ZHUOER, YOUCHA)})
    corrected = list(ZHUOER)
    corrected[5] = 130
    preview = preview_bytes(engine, xlsx_bytes({"亩均": evaluation_rows(corrected, YOUCHA)}), "x.xlsx", operator=staff())
    assert preview.status == "new" and preview.replaced == ["2023年亩均评价数据"]
    table = evaluation_table(preview.cleaned)
    assert list(table["企业"]) == ["卓尔五金", "浙南油茶"] and list(table["税收实际贡献（万元）"].fillna(-1)) == [130, -1]
    assert list(table["是否规上"]) == ["是", "否"]


def test_a_formula_without_a_result_is_refused_as_in_output_sheets():
    row = list(ZHUOER)
    row[5] = "=F5*2"  # written by code: no cached result, as a sheet never opened in Excel
    [(sheet, row_number, column, _, reason)] = refused({"亩均": evaluation_rows(row, YOUCHA)})
    assert (sheet, row_number, column) == ("亩均", 4, "税收实际贡献（万元）") and "公式" in reason


BLANK_SCALE = [*YOUCHA[:3], "", *YOUCHA[4:]]  # 浙南油茶 with 是否规上 left blank


def scale_warnings(outcome) -> list[tuple]:
    return [(w.sheet, w.row, w.column, w.reason) for w in outcome.warnings if "是否规上" in w.reason]


def test_a_blank_scale_the_register_does_not_give_is_rated_below_and_said_at_its_cell(engine):
    outcome = import_file(engine, {"亩均": evaluation_rows(ZHUOER, BLANK_SCALE)})
    assert outcome.status == "imported"  # a warning, not a refusal
    assert scale_warnings(outcome) == [("亩均", 5, "是否规上", labels.EVALUATION_SCALE_ASSUMED)]
    assert "按规下企业评价" in labels.EVALUATION_SCALE_ASSUMED
    ev = store.load_evaluation(engine, 2023).set_index("name")
    assert ev.loc["浙南油茶", ["above_scale", "above_scale_assumed"]].tolist() == [False, True]
    assert ev.loc["卓尔五金", ["above_scale", "above_scale_assumed"]].tolist() == [True, False]
    # The page, the CLI and the export mark the group as assumed.
    result = load_stored_evaluation(engine, 2023)
    ranking = tables.ranking_table(result, "below").set_index("企业名称")
    # (浙南油茶 wrote no 税收, so its items say why after the group's mark.)
    assert ranking.loc["浙南油茶", "说明"].startswith(labels.EVALUATION_GROUP_ASSUMED + "；亩均税收：")
    assert tables.ranking_table(result, "above")["说明"].isna().all()
    found = {e["name"]: e["group_assumed"] for e in tables.evaluation_json(result)["enterprises"]}
    assert found == {"卓尔五金": False, "浙南油茶": True}
    assert f"注：浙南油茶，{labels.EVALUATION_GROUP_ASSUMED}" in tables.describe_evaluation_table(result, "腊口镇")
    assert tables.group_words("below", True) == f"规下企业（{labels.EVALUATION_GROUP_ASSUMED}）"


def test_a_blank_scale_takes_the_registers_flag_without_a_word(engine):
    import_file(engine, {"企业名录": [["企业名称", "所属行业", "是否规上"], ["浙南油茶", "农产品加工", "是"]]})
    outcome = import_file(engine, {"亩均": evaluation_rows(ZHUOER, BLANK_SCALE)}, "亩均.xlsx")
    assert scale_warnings(outcome) == []
    ev = store.load_evaluation(engine, 2023).set_index("name")
    assert ev.loc["浙南油茶", ["above_scale", "above_scale_assumed"]].tolist() == [True, False]


def test_without_a_scale_column_the_register_decides_and_the_import_counts_the_rest(engine):
    import_file(engine, {"企业名录": [["企业名称", "所属行业", "是否规上"], ["卓尔五金", "五金", "是"]]})
    headers = [h for h in HEADERS if h != "是否规上"]
    rows = [[c for j, c in enumerate(r) if j != 3] for r in (ZHUOER, YOUCHA, [3, "中穗米厂", None, "否", 5, 8])]
    outcome = import_file(engine, {"亩均": evaluation_rows(*rows, headers=headers, notes=False)}, "亩均.xlsx")
    # Two enterprises with no flag anywhere, said once for the sheet.
    assert scale_warnings(outcome) == [("亩均", None, None, labels.EVALUATION_SCALE_ASSUMED_COUNT.format(
        count=2, names="浙南油茶、中穗米厂"))]
    ev = store.load_evaluation(engine, 2023).set_index("name")
    assert ev["above_scale"].to_dict() == {"卓尔五金": True, "浙南油茶": False, "中穗米厂": False}
    assert ev["above_scale_assumed"].to_dict() == {"卓尔五金": False, "浙南油茶": True, "中穗米厂": True}
