"""Messy real-world shapes → one tidy table; every problem of a file reported at once."""
import pytest
from conftest import LONG_HEADER, csv_bytes, long_rows, xls_bytes, xlsx_bytes

from lakou_metrics.domain.periods import Period
from lakou_metrics.ingest.clean import clean_workbook
from lakou_metrics.ingest.errors import ImportRefused
from lakou_metrics.ingest.read import read_workbook


def clean(data, name="t.xlsx", period=None):
    return clean_workbook(read_workbook(data, name), period)


def problems_of(data, name="t.xlsx", period=None):
    with pytest.raises(ImportRefused) as caught:
        clean(data, name, period)
    return caught.value.problems


def rows_by(result, name):
    out = result.output
    return {(r.first_month, r.last_month): r for r in out[out.name == name].itertuples()}


BUREAU = {
    "Sheet1": [
        ["腊口镇工业企业产值快报"],
        ["2024年1-6月"],
        [None, None, None, None, None, None, "计量单位：千元"],
        ["序号", "单位详细名称", "行业", "是否规上", "工业总产值", None, None, None, "增速（%）"],
        [None, None, None, None, "本季", "1-6月", "上年同期", "上年同期累计", None],
        [1, " 卓尔 五金 ", "金属制品业", "是", 12345, "23,456", 10000, 20000, 17.3],
        [2, "浙南油茶", "C13农副食品加工业", "否", 800, 1500, None, 1000, 50.0],
        [None, None, None, None, None, None, None, None, None],
        ["合计", None, None, None, 13145, 24956, 10000, 21000, 18.8],
        ["填报人：张三", None, None, None, "报出日期：2024-07-10"],
    ]
}


def test_bureau_report_with_title_unit_row_merged_header_total_and_footnotes():
    data = xlsx_bytes(BUREAU, merges={"Sheet1": ["E4:H4", "A4:A5", "B4:B5", "A1:I1"]})
    result = clean(data)
    assert sorted(result.output.name.unique()) == ["卓尔五金", "浙南油茶"]  # no 合计, no footnote
    zhuoer = rows_by(result, "卓尔五金")
    # 千元 → 万元: divide by 10. 本季 is 二季度 (4-6月); 1-6月 is year to date.
    assert zhuoer[(4, 6)].value_10k == pytest.approx(1234.5)
    assert zhuoer[(4, 6)].prior_10k == pytest.approx(1000.0)
    assert zhuoer[(1, 6)].value_10k == pytest.approx(2345.6)
    assert zhuoer[(1, 6)].prior_10k == pytest.approx(2000.0)
    assert zhuoer[(1, 6)].sector == "hardware" and zhuoer[(1, 6)].above_scale is True
    youcha = rows_by(result, "浙南油茶")
    assert youcha[(4, 6)].sector == "agriculture"
    assert youcha[(4, 6)].prior_10k != youcha[(4, 6)].prior_10k  # blank 上年同期 → NaN
    report = result.sheets[0]
    assert report.header_row == 4 and report.unit == "千元" and report.kind == "output"
    assert set(report.periods) == {"2024年二季度", "2024年1-6月"}


def test_long_sheet_with_text_numbers_full_width_digits_and_stray_spaces():
    rows = [["腊口镇企业逐月产值（示例）"], [], LONG_HEADER,
            [2024, "1月", "  龙山 果业 ", "农产品加工", "是", " 1,234.5 "],
            [2024, 2, "龙山果业", "农产品加工", "是", "１２３"],
            [2024, "3月", "龙山果业", "农产品加工", "是", 100]]
    result = clean(xlsx_bytes({"2024": rows}))
    got = {(r.first_month, r.last_month): r.value_10k for r in result.output.itertuples()}
    assert got == {(1, 1): 1234.5, (2, 2): 123.0, (3, 3): 100.0}
    assert set(result.output.name) == {"龙山果业"}


@pytest.mark.parametrize("header, unit_row, factor", [
    ("产值（元）", None, 1e-4),
    ("产值(千元)", None, 0.1),
    ("产值", "单位：亿元", 1e4),
    ("产值", "单位：万元", 1.0),
    ("工业总产值（万元）", "单位：千元", 1.0),  # the column's own unit wins
])
def test_units_are_converted_to_10k_cny(header, unit_row, factor):
    rows = ([["2024年一季度产值表"]] + ([[unit_row]] if unit_row else [])
            + [["企业名称", header], ["甲", 5000]])
    result = clean(xlsx_bytes({"Sheet1": rows}))
    assert result.output.value_10k.iloc[0] == pytest.approx(5000 * factor)


@pytest.mark.parametrize("sheet, title, column, override, expected", [
    ("2024年二季度", None, None, None, Period(2024, 4, 6)),
    ("Sheet1", "腊口镇2024年1-4月工业产值", None, None, Period(2024, 1, 4)),
    ("Sheet1", None, "2024Q3", None, Period(2024, 7, 9)),
    ("Sheet1", None, "2024年11月", None, Period(2024, 11, 11)),
    ("2024年二季度", None, None, Period(2023, 1, 3), Period(2023, 1, 3)),  # --period wins
])
def test_period_from_column_sheet_name_title_or_override(sheet, title, column, override, expected):
    header = ["企业名称", "产值（万元）"] + (["期间"] if column else [])
    rows = ([[title]] if title else []) + [header, ["甲", 10] + ([column] if column else [])]
    result = clean(xlsx_bytes({sheet: rows}), period=override)
    row = result.output.iloc[0]
    assert Period(row.year, row.first_month, row.last_month) == expected


def test_wide_sheet_columns_relative_to_the_sheet_period():
    rows = [["企业名称", "本月", "1-4月累计", "上年同期累计"], ["甲", 10, 40, 32]]
    result = clean(xlsx_bytes({"2024年4月": rows}))
    got = {(r.first_month, r.last_month): (r.value_10k, r.prior_10k) for r in result.output.itertuples()}
    assert got[(4, 4)][0] == 10
    assert got[(1, 4)] == (40, 32)


def test_every_problem_of_a_file_is_reported_at_once_with_its_location():
    rows = [["2024年一季度"], ["企业名称", "行业", "产值（万元）"],
            ["甲", "五金", "约100"],
            ["乙", "五金", -5],
            ["甲", "五金", 7],
            ["丙", "五金", "=B2*2"],
            [None, "五金", 9]]
    problems = problems_of(xlsx_bytes({"一季度": rows}), name="坏.xlsx")
    found = {(p.row, p.column): p for p in problems}
    assert set(found) == {(3, "产值（万元）"), (4, "产值（万元）"), (5, "企业名称"), (6, "产值（万元）"),
                          (7, "企业名称")}
    assert found[(3, "产值（万元）")].value == "约100" and "不是数字" in found[(3, "产值（万元）")].reason
    assert "负数" in found[(4, "产值（万元）")].reason
    assert "两次" in found[(5, "企业名称")].reason and "第3行" in found[(5, "企业名称")].reason
    assert "公式" in found[(6, "产值（万元）")].reason
    assert all(p.file == "坏.xlsx" and p.sheet == "一季度" for p in problems)
    text = problems[0].describe()
    assert text.startswith("文件「坏.xlsx」工作表「一季度」第3行「产值（万元）」列")


def test_missing_output_column_names_the_columns_found():
    rows = [["企业名称", "行业", "是否规上"], ["甲", "五金", "是"]]
    (problem,) = problems_of(xlsx_bytes({"2024Q1": rows}))
    assert "缺少产值列" in problem.reason
    assert "「企业名称」" in problem.reason and "「行业」" in problem.reason


def test_sheet_without_data_rows_is_refused():
    (problem,) = problems_of(xlsx_bytes({"2024Q1": [["企业名称", "产值（万元）"], [None, None]]}))
    assert "没有数据行" in problem.reason


def test_sheet_without_any_header_is_refused_listing_what_was_there():
    (problem,) = problems_of(xlsx_bytes({"Sheet1": [["名字", "钱"], ["甲", 1]]}))
    assert "没有找到表头" in problem.reason and "「钱」" in problem.reason


def test_no_period_anywhere_is_refused():
    (problem,) = problems_of(xlsx_bytes({"Sheet1": [["企业名称", "产值（万元）"], ["甲", 1]]}))
    assert "期间" in problem.reason


def test_unknown_sector_goes_to_other_with_a_warning():
    rows = [["企业名称", "行业", "产值（万元）"], ["甲", "火箭制造", 1]]
    result = clean(xlsx_bytes({"2024Q1": rows}))
    assert result.output.sector.iloc[0] == "other"
    (warning,) = result.warnings
    assert warning.value == "火箭制造" and warning.row == 2


def test_names_that_look_like_code_are_kept_as_data():
    names = ["<script>alert(1)</script>", "=HYPERLINK(\"http://x\",\"点我\")"]
    rows = [["企业名称", "产值（万元）"]] + [[n, 1] for n in names]
    result = clean(csv_bytes(rows), name="2024Q1.csv")
    assert sorted(result.output.name) == sorted(names)


def test_xls_and_gbk_csv_give_the_same_table():
    rows = [["企业名称", "统一社会信用代码", "产值（千元）"], ["石普铝业", "91331121MA2000X0Y0", 1234]]
    from_xls = clean(xls_bytes(rows, sheet="2024年3月"), name="a.xls")
    from_csv = clean(csv_bytes(rows, "gbk"), name="a.csv", period=Period(2024, 3, 3))
    for result in (from_xls, from_csv):
        row = result.output.iloc[0]
        assert (row["name"], row.credit_code, row.value_10k) == ("石普铝业", "91331121MA2000X0Y0", 123.4)


def test_targets_sheet():
    rows = [["年份", "指标", "单位", "年度目标", "1-3月完成"],
            [2023, "完成制造业投资", "亿元", 2, 0.38],
            [2023, "工业总产值同比增长", "%", 33, None],
            [2023, "净增规模以上企业", "家", 2, 0]]
    result = clean(xlsx_bytes({"年度目标": rows}))
    targets = dict(zip(result.targets.indicator, result.targets.target))
    assert targets == {"manufacturing_investment": pytest.approx(20_000),
                       "total_output_growth": pytest.approx(0.33), "net_new_above_scale": 2}
    actual = result.target_actuals.set_index("indicator")
    assert actual.loc["manufacturing_investment", "actual"] == pytest.approx(3800)
    assert actual.loc["manufacturing_investment", "last_month"] == 3


def test_unknown_target_indicator_is_refused():
    rows = [["年份", "指标", "年度目标"], [2023, "登月", 1]]
    (problem,) = problems_of(xlsx_bytes({"目标": rows}))
    assert problem.value == "登月" and "指标名称无法识别" in problem.reason


def test_register_and_enterprise_targets():
    register = [["企业名称", "行业", "是否规上", "联系领导"], ["甲", "光伏", "是", "王海涛"]]
    goals = [["年份", "企业名称", "年度产值目标（亿元）"], [2024, "甲", 1.5]]
    result = clean(xlsx_bytes({"企业名录": register, "企业目标": goals}))
    reg = result.register.iloc[0]
    assert (reg["name"], reg.sector, reg.above_scale, reg.contact) == ("甲", "photovoltaic", True, "王海涛")
    assert result.enterprise_targets.target_10k.iloc[0] == pytest.approx(15_000)


def test_long_rows_helper_roundtrip():
    result = clean(xlsx_bytes({"s": long_rows([(2024, 1, "甲", "五金", True, 5.5)])}))
    assert result.output.value_10k.iloc[0] == 5.5


def test_every_column_role_has_a_chinese_name():
    from lakou_metrics.domain import labels
    from lakou_metrics.ingest.columns import COLUMN_ALIASES

    assert set(COLUMN_ALIASES) <= set(labels.ROLE_NAMES)


def test_peer_town_sheet():
    rows = [["乡镇", "年份", "期间", "指标", "单位", "数值"],
            ["温溪镇", 2024, "1-3月", "工业总产值", "亿元", 4.5],
            ["温溪镇", 2024, "1-3月", "工业总产值同比增长", "%", 10.2]]
    result = clean(xlsx_bytes({"温溪镇": rows}))
    got = {(r.town, r.year, r.last_month, r.indicator): r.value for r in result.peer_figures.itertuples()}
    assert got == {("温溪镇", 2024, 3, "total_output"): pytest.approx(45_000),
                   ("温溪镇", 2024, 3, "total_output_growth"): pytest.approx(0.102)}


def test_a_template_without_its_name_column_gets_one_problem_at_its_header_row():
    import io

    import openpyxl

    from lakou_metrics.output.templates import build_template

    wb = openpyxl.load_workbook(io.BytesIO(build_template("output")))
    wb.active["C1"] = "公司"  # the name column renamed
    wb.active.append([2024, "1月", "卓尔五金", "", "五金", "是", 100])
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(ImportRefused) as refused:
        clean_workbook(read_workbook(buffer.getvalue(), "模板.xlsx"))
    (problem,) = refused.value.problems  # nothing about the template's own 填表说明 sheet
    assert problem.row == 1 and problem.sheet == "企业产值"
    assert "「公司」" in problem.reason and "卓尔五金" not in problem.reason
