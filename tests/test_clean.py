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


REGISTER_HEADER = ["企业名称", "统一社会信用代码", "所属行业", "是否规上"]


@pytest.mark.parametrize("sheets, where, other", [
    pytest.param({"企业名录": [REGISTER_HEADER, ["甲厂", None, "五金", "是"], ["乙厂", None, "光伏", "否"],
                           ["甲 厂", None, "建材", "否"]]}, ("企业名录", 4, "甲厂"), "另见第2行", id="a name twice"),
    pytest.param({"企业名录": [REGISTER_HEADER, ["甲厂", "91331121MA2A000001", "五金", "是"],
                           ["丙厂", "91331121ma2a000001", "建材", "否"]]}, ("企业名录", 3, "丙厂"),
                 "与第2行的「甲厂」相同", id="one code under two names"),
    pytest.param({"名录一": [REGISTER_HEADER, ["甲厂", None, "五金", "是"]],
                  "名录二": [REGISTER_HEADER, ["甲厂", None, "建材", "否"]]}, ("名录二", 2, "甲厂"),
                 "另见工作表「名录一」第2行", id="across sheets"),
])
def test_an_enterprise_listed_twice_in_a_register_is_refused_naming_both_rows(sheets, where, other):
    problems = problems_of(xlsx_bytes(sheets))
    assert [(p.sheet, p.row, p.value) for p in problems] == [where]
    assert other in problems[0].reason and problems[0].column == "企业名称"


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


# --- totals, notes and enterprises: decided on the whole label ---------------------------------
TOTAL_LABELS = ["合计", "合 计", "合計", "總計", "小計", "总计", "小计", "共计", "汇总", "Total", "TOTAL", "total:",
                "Grand total", "Sub-total", "Subtotal", "Sum", "全部企业", "全镇", "全镇合计", "全县合计", "本页合计",
                "规上小计", "规下小计", "五金行业小计", "其中：五金", "其中:规上", "其中", "其中五金行业",
                "其中：五金行业小计", "全镇规上工业企业", "2024年3月合计", "3月合计", "1-3月合计", "合计（1-3月）",
                "合计(2024年一季度)", "合计（万元）", "Total (Q1)", "全镇2024年1-3月", "合计：", "全鎮合計",
                "TOTAL AMOUNT"]
# In an enterprise's name column only: an indicator sheet's 工业总产值 is its indicator.
SUM_LABELS = ["总产值", "工业总产值", "合计金额", "总和", "总数", "累计", "五金行业", "1.五金行业",
              "光伏企业", "建材", "金属加工行业", "其他", "农产品加工（1-3月）"]
NOTE_LABELS = ["填报人：张三", "填报人:张三  审核人:李四", "填报人", "说明：本表为快报数", "说明", "注：", "注1：规上口径",
               "注", "单位负责人：", "制表：王", "日期：2024-04-10", "报出日期：2024-04-10", "备注：无",
               "注意：以上为快报数"]
ENTERPRISE_LABELS = ["腊口联合计算机配件厂", "总计量器具有限公司", "说明文化用品厂", "全县通客运有限公司", "其中科技有限公司",
                     "合计电子厂", "全镇通五金厂", "注塑厂", "日期印刷厂", "小计算器厂", "Summit Ltd", "卓尔五金",
                     "汇总物流有限公司", "填报人力资源公司", "五金厂", "腊口五金制品有限公司", "光伏新能源科技公司",
                     "总和五金厂", "无锡五金", "累计器材厂"]


@pytest.mark.parametrize("label, kind", [pytest.param(t, "total", id=t) for t in TOTAL_LABELS]
                         + [pytest.param(t, "note", id=t) for t in NOTE_LABELS]
                         + [pytest.param(t, None, id=t) for t in ENTERPRISE_LABELS])
def test_a_label_is_a_total_a_note_or_an_enterprise_on_the_whole_label(label, kind):
    from lakou_metrics.ingest.cells import is_note, note_kind
    from lakou_metrics.ingest.columns import is_sum_label

    assert note_kind(label) == kind
    assert is_note(label) is (kind is not None)
    assert not (kind is None and is_sum_label(label))


@pytest.mark.parametrize("label", SUM_LABELS)
def test_a_sum_or_a_sectors_label_in_the_name_column_is_said_and_not_stored(label):
    from lakou_metrics.ingest.columns import is_sum_label

    assert is_sum_label(label)
    result = clean(xlsx_bytes({"2024年3月": _labelled_sheet(["卓尔五金", "石普铝业", label])}), "t.xlsx")
    assert dict(zip(result.output.name, result.output.value_10k)) == {"卓尔五金": 10.0, "石普铝业": 20.0}
    assert [(w.row, w.reason) for w in result.warnings if "未计入" in w.reason] == [
        (5, f"「{label}」是合计行，该行的数字未计入企业数据")]
    assert set(result.enterprises.name) == {"卓尔五金", "石普铝业"}


def _labelled_sheet(labels_with_figures: list[str]) -> list[list]:
    rows = [["2024年3月企业产值"], ["序号", "企业名称", "本月产值（万元）"]]
    rows += [[n, label, 10.0 * n] for n, label in enumerate(labels_with_figures, 1)]
    return rows


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_enterprises_named_like_totals_are_stored_and_totals_are_said(kind):
    enterprises = ["腊口联合计算机配件厂", "总计量器具有限公司", "说明文化用品厂", "全县通客运有限公司", "其中科技有限公司"]
    labels_in_file = enterprises + ["合計", "Total", "全部企业", "填报人：张三"]
    rows = _labelled_sheet(labels_in_file)
    if kind == "csv":
        data, name = csv_bytes([[("" if c is None else c) for c in r] for r in rows]), "2024年3月.csv"
    else:
        data, name = xlsx_bytes({"2024年3月": rows}), "t.xlsx"
    result = clean(data, name)
    got = dict(zip(result.output.name, result.output.value_10k))
    assert got == {e: 10.0 * n for n, e in enumerate(enterprises, 1)}  # 10, 20, … by their serial numbers
    unstored = [(w.row, w.reason) for w in result.warnings if "未计入" in w.reason]
    # The total rows sit on Excel rows 8-11 (title, header, five enterprises above them).
    assert unstored == [(8, "「合計」是合计行，该行的数字未计入企业数据"), (9, "「Total」是合计行，该行的数字未计入企业数据"),
                        (10, "「全部企业」是合计行，该行的数字未计入企业数据"),
                        (11, "「填报人：张三」是表下的说明，该行的数字未计入企业数据")]


@pytest.mark.parametrize("placeholder", ["-", "—", "/", "……", "以下空白", "此页无正文", "无", "以下无数据", "以下均为空白",
                                         "此表以下空白", "无企业"])
def test_a_placeholder_in_the_name_column_is_no_enterprise_and_its_figure_is_said(placeholder):
    from lakou_metrics.ingest.columns import is_filler_label

    assert is_filler_label(placeholder)
    result = clean(xlsx_bytes({"2024年3月": _labelled_sheet(["卓尔五金", placeholder])}), "t.xlsx")
    assert dict(zip(result.output.name, result.output.value_10k)) == {"卓尔五金": 10.0}
    assert [(w.row, w.reason) for w in result.warnings if "未计入" in w.reason] == [
        (4, f"「{placeholder}」不是企业名称（占位或说明文字），该行的数字未计入企业数据")]
    assert set(result.enterprises.name) == {"卓尔五金"}


@pytest.mark.parametrize("label", ["合计", "五金小计"])
def test_a_total_in_the_sector_column_is_said_not_refused(label):
    rows = [["序号", "企业名称", "所属行业", "产值（万元）"], [1, "甲厂", "五金", 100.0], [2, "乙厂", "建材", 50.0],
            [None, None, label, 150.0]]
    result = clean(xlsx_bytes({"2024年3月": rows}), "t.xlsx")
    assert dict(zip(result.output.name, result.output.value_10k)) == {"甲厂": 100.0, "乙厂": 50.0}
    assert [(w.row, w.reason) for w in result.warnings if "未计入" in w.reason] == [
        (4, f"「{label}」是合计行，该行的数字未计入企业数据")]


def test_a_figure_alone_on_its_row_is_said_and_a_placeholder_figure_is_a_blank():
    rows = [["序号", "企业名称", "本月产值（万元）"], [1, "卓尔五金", 10.0], [None, None, 77.0], [2, "石普铝业", "-"]]
    result = clean(xlsx_bytes({"2024年3月": rows}), "t.xlsx")
    assert dict(zip(result.output.name, result.output.value_10k)) == {"卓尔五金": 10.0}
    said = {w.row: w.reason for w in result.warnings}
    assert said[3].startswith("该行有数字但没有企业名称") and said[4] == "该行没有产值，已跳过"
    assert [w.value for w in result.warnings if w.row == 4] == ["石普铝业"]


def test_a_sub_heading_keeps_its_sections_scale_and_a_top_heading_sets_its_own():
    rows = [["企业名称", "产值（万元）"], ["一、规模以上工业企业", None], ["（一）亿元以上企业", None], ["甲厂", 100.0],
            ["（二）其他规上企业", None], ["丙厂", 70.0], ["1、重点企业", None], ["戊厂", 9.0],
            ["二、规模以下工业企业", None], ["乙厂", 50.0], ["三、其他", None], ["丁厂", 5.0]]
    result = clean(xlsx_bytes({"2024年3月": rows}), "t.xlsx")
    assert dict(zip(result.output.name, result.output.above_scale)) == {
        "甲厂": True, "丙厂": True, "戊厂": True, "乙厂": False, "丁厂": None}


def test_a_total_in_the_serial_column_and_a_section_heading_with_figures_are_said():
    rows = [["2024年3月企业产值"], ["序号", "企业名称", "本月产值（万元）"],
            [None, "一、规模以上工业企业", 30.0],
            [1, "卓尔五金", 30.0],
            ["小计", None, 30.0],
            ["合计", None, None],  # no figure: nothing to say
            ["说明：本表为快报数", None, None]]
    result = clean(xlsx_bytes({"2024年3月": rows}))
    assert dict(zip(result.output.name, result.output.value_10k)) == {"卓尔五金": 30.0}
    assert [(w.row, w.reason) for w in result.warnings] == [
        (3, "「一、规模以上工业企业」是分段标题，该行的数字未计入企业数据"), (5, "「小计」是合计行，该行的数字未计入企业数据")]


# --- units: from the header, a unit row or a unit cell; never a size class -----------------------
def _unit_sheet(above: list[list], header: list, under: list[list] = ()) -> list[list]:
    return [*above, header, *under, ["甲", 5000]]


@pytest.mark.parametrize("rows, unit, factor", [
    pytest.param(_unit_sheet([], ["企业名称", "产值（千元）"]), "千元", 0.1, id="in brackets"),
    pytest.param(_unit_sheet([], ["企业名称", "产值/千元"]), "千元", 0.1, id="after a slash"),
    pytest.param(_unit_sheet([], ["企业名称", "产值（百万元）"]), "百万元", 100.0, id="百万元"),
    pytest.param(_unit_sheet([], ["企业名称", "产值（千万元）"]), "千万元", 1000.0, id="千万元"),
    pytest.param(_unit_sheet([["单位：千元"]], ["企业名称", "产值"]), "千元", 0.1, id="单位 row above"),
    pytest.param(_unit_sheet([["企业产值表（单位：千元）"]], ["企业名称", "产值"]), "千元", 0.1, id="in the title"),
    pytest.param(_unit_sheet([["注：金额单位为千元"]], ["企业名称", "产值"]), "千元", 0.1, id="单位为 in a note above"),
    pytest.param(_unit_sheet([], ["企业名称", "产值", "单位：千元"]), "千元", 0.1, id="a unit cell in the header row"),
    pytest.param(_unit_sheet([], ["企业名称", "产值"], [["计量单位", "千元"]]), "千元", 0.1, id="unit row 计量单位"),
    pytest.param(_unit_sheet([], ["企业名称", "产值"], [["单位", "千元"]]), "千元", 0.1, id="unit row 单位"),
    pytest.param(_unit_sheet([], ["企业名称", "产值"], [[None, "千元"]]), "千元", 0.1, id="bare unit row"),
    pytest.param(_unit_sheet([], ["企业名称", "产值"], [["单位：亿元", None]]), "亿元", 1e4, id="unit row, one cell"),
    pytest.param(_unit_sheet([["年主营业务收入2000万元及以上工业企业产值（单位：千元）"]], ["企业名称", "产值"]),
                 "千元", 0.1, id="size class beside the unit"),
])
def test_the_unit_of_a_figure(rows, unit, factor):
    result = clean(xlsx_bytes({"2024年3月": rows}))
    assert list(result.output.name) == ["甲"]  # a unit row is never an enterprise
    assert result.output.value_10k.iloc[0] == pytest.approx(5000 * factor)
    assert result.sheets[0].unit == unit
    assert "计量单位" not in set(result.enterprises.name) and "单位" not in set(result.enterprises.name)


@pytest.mark.parametrize("title", ["年主营业务收入2000万元及以上工业企业产值", "亿元以上企业产值表", "产值超亿元企业"])
def test_a_size_class_in_the_title_is_no_unit(title):
    result = clean(xlsx_bytes({"2024年3月": [[title], ["企业名称", "产值"], ["甲", 5000]]}))
    assert result.output.value_10k.iloc[0] == 5000  # taken as 万元, and said
    assert [w.reason for w in result.warnings] == ["未找到计量单位，按万元处理"]


def test_a_merged_group_over_a_unit_sub_header_and_a_unit_row_under_a_two_row_header():
    merged = [["2024年3月"], ["企业名称", "工业总产值", "增速"], [None, "千元", "%"], ["甲", 5000, 3.5]]
    result = clean(xlsx_bytes({"表": merged}, merges={"表": ["A2:A3"]}))
    assert result.output.value_10k.iloc[0] == pytest.approx(500.0)
    three = [["2024年3月"], ["企业名称", "工业总产值", None], [None, "本月", "1-3月"], ["计量单位", "千元", "万元"],
             ["甲", 5000, 1200]]
    result = clean(xlsx_bytes({"表": three}, merges={"表": ["B2:C2"]}))
    got = {(r.first_month, r.last_month): r.value_10k for r in result.output.itertuples()}
    assert got == {(3, 3): pytest.approx(500.0), (1, 3): pytest.approx(1200.0)}  # each column its own unit


@pytest.mark.parametrize("rows, row, column", [
    pytest.param([["企业名称", "产值（万美元）"], ["甲", 5]], 1, "产值（万美元）", id="header"),
    pytest.param([["单位：美元"], ["企业名称", "产值"], ["甲", 5]], 1, None, id="title"),
    pytest.param([["企业名称", "产值"], ["计量单位", "港元"], ["甲", 5]], 2, "产值", id="unit row"),
    pytest.param([["企业名称", "本月（欧元）", "累计（欧元）"], ["甲", 5, 6]], 1, "本月（欧元）", id="two columns"),
    pytest.param([["企业名称", "产值（千美元）"], ["甲", 5]], 1, "产值（千美元）", id="千美元"),
])
def test_a_money_unit_the_system_does_not_know_is_refused_naming_the_cell(rows, row, column):
    problems = problems_of(xlsx_bytes({"2024年3月": rows}))
    assert problems[0].row == row and problems[0].column == column
    assert "不是能换算成万元的金额单位" in problems[0].reason and "千万元" in problems[0].reason
    assert len({(p.row, p.column) for p in problems}) == len(problems)  # each cell named once


def test_a_unit_row_contradicting_the_header_is_refused():
    rows = [["企业名称", "产值（万元）"], [None, "千元"], ["甲", 5]]
    (problem,) = problems_of(xlsx_bytes({"2024年3月": rows}))
    assert (problem.row, problem.column, problem.value) == (2, "产值（万元）", "千元")


def test_units_in_target_project_and_enterprise_target_sheets_share_the_table():
    goals = [["企业名称", "年度产值目标（百万元）"], ["甲", 15]]
    result = clean(xlsx_bytes({"2024年企业目标": goals}))
    assert result.enterprise_targets.target_10k.iloc[0] == pytest.approx(1500)  # 15 × 100万元
    targets = [["年份", "指标", "单位", "年度目标"], [2024, "完成制造业投资", "千万元", 2]]
    assert clean(xlsx_bytes({"目标": targets})).targets.target.iloc[0] == pytest.approx(2000)
    (problem,) = problems_of(xlsx_bytes({"2024年企业目标": [["企业名称", "年度产值目标（港元）"], ["甲", 15]]}))
    assert problem.value == "港元" and problem.row == 1


# --- numbers and text ---------------------------------------------------------------------------
def test_a_csv_row_longer_than_its_header_is_refused_naming_its_line():
    text = ("2024年3月企业产值\n"
            "企业名称,行业,本月产值（万元）,累计产值（万元）\n"
            "卓尔五金,五金,100,300\n"
            "石普铝业,金属加工,1,234.5,3000\n"  # unquoted: 1 | 234.5 | 3000, one field too many
            "浙南油茶,农产品加工,50\n")  # shorter than the header: fine (a blank 累计)
    (problem,) = problems_of(text.encode("utf-8"), name="产值.csv")
    assert problem.row == 4 and problem.sheet is None
    assert "5个字段" in problem.reason and "4个多" in problem.reason
    quoted = text.replace("1,234.5", '"1,234.5"') + "说明：本表为快报数,单位万元,未含新投产企业,仅供参考,如有疑问请联系经发办\n"
    result = clean(quoted.encode("utf-8"), name="产值.csv")  # a note's own commas are no shift
    assert rows_by(result, "石普铝业")[(3, 3)].value_10k == 1234.5
    assert set(rows_by(result, "浙南油茶")) == {(3, 3)}


@pytest.mark.parametrize("cell", ["1,5", "12,34", "1,2345", "1.234,5"])
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_grouping_not_by_threes_is_refused_never_read(cell, kind):
    rows = [["企业名称", "产值（万元）"], ["甲", cell]]
    data = xlsx_bytes({"2024年3月": rows}) if kind == "xlsx" else csv_bytes(rows)
    (problem,) = problems_of(data, name="2024年3月." + kind)
    assert (problem.row, problem.column, problem.value) == (2, "产值（万元）", cell)
    assert problem.reason.startswith("不是数字") and "三位一组" in problem.reason


LONG_NAME = "卓尔五金" * 26  # 104 characters


def test_a_name_longer_than_100_characters_is_refused_in_an_output_sheet():
    just = "甲" * 100
    rows = [["企业名称", "产值（万元）"], [just, 1], [LONG_NAME, 2], ["x" * 32_767, 3]]
    problems = problems_of(xlsx_bytes({"2024年3月": rows}))
    assert [(p.row, p.column) for p in problems] == [(3, "企业名称"), (4, "企业名称")]
    assert problems[0].value == "卓尔五金" * 5 + "…（共104个字符）"
    assert "超过100个字符" in problems[0].reason
    assert len(problems[1].describe()) < 200  # the 32,767 characters are not repeated
    assert clean(xlsx_bytes({"2024年3月": rows[:2]})).output.name.iloc[0] == just


@pytest.mark.parametrize("sheet, rows, row, column", [
    pytest.param("企业名录", [["企业名称", "联系领导"], [LONG_NAME, "王"]], 2, "企业名称", id="register"),
    pytest.param("2024年企业目标", [["企业名称", "年度产值目标（万元）"], [LONG_NAME, 5]], 2, "企业名称",
                 id="enterprise targets"),
    pytest.param("2023年重点项目", [["项目名称", "企业名称", "总投资（万元）"], [LONG_NAME, "甲", 5]], 2, "项目名称",
                 id="project name"),
    pytest.param("2023年重点项目", [["项目名称", "企业名称", "总投资（万元）"], ["甲扩建", LONG_NAME, 5]], 2, "企业名称",
                 id="project's enterprise"),
    pytest.param("项目进度", [["项目名称", "年份", "月份", "本月完成投资（万元）"], [LONG_NAME, 2023, 3, 5]], 2,
                 "项目名称", id="project progress"),
])
def test_a_name_longer_than_100_characters_is_refused_in_every_sheet_kind(sheet, rows, row, column):
    (problem,) = problems_of(xlsx_bytes({sheet: rows}))
    assert (problem.row, problem.column, problem.value) == (row, column, "卓尔五金" * 5 + "…（共104个字符）")


MARKS = "\u202e\u200f\u2066\u200b"  # right-to-left override, right-to-left mark, isolate, zero-width space
# Printable, yet nothing shows: Hangul fillers, the combining grapheme joiner, a variation selector, a tag.
BLANKS = "\u3164\u115f\uffa0\u034f\ufe0f\U000e0041"


@pytest.mark.parametrize("marks", [MARKS, BLANKS], ids=["unprintable marks", "printable blanks"])
def test_invisible_marks_are_removed_from_every_stored_text(marks):
    MARKS = marks  # noqa: N806 -- the same rows for each kind of invisible character
    output = [["企业名称", "联系领导", "产值（万元）"], [f"卓尔{MARKS}五金", f"王{MARKS}海涛", 5]]
    register = [["企业名称", "联系领导"], [f"{MARKS}石普铝业", f"李{MARKS}四"]]
    peer = [["乡镇", "年份", "期间", "指标", "单位", "数值"], [f"温溪{MARKS}镇", 2024, "1-3月", "工业总产值", "亿元", 4.5]]
    projects = [["项目名称", "企业名称", "联系领导", "问题与需协调事项"],
                [f"扩建{MARKS}工程", f"龙{MARKS}显", f"赵{MARKS}六", f"用地{MARKS}未落实\n需协调"]]
    data = xlsx_bytes({"2024年3月": output, "企业名录": register, "对比": peer, "2023年重点项目": projects})
    result = clean(data, name=f"产值{MARKS}.xlsx")
    texts = ([result.file] + list(result.output.name) + list(result.output.contact) + list(result.register.name)
             + list(result.register.contact) + list(result.peer_figures.town)
             + [result.projects[c].iloc[0] for c in ("name", "enterprise", "contact", "issues")])
    assert texts == ["产值.xlsx", "卓尔五金", "王海涛", "石普铝业", "李四", "温溪镇", "扩建工程", "龙显", "赵六", "用地未落实\n需协调"]


def test_aliases_typed_on_the_register_page_are_cleaned_like_names():
    from lakou_metrics.ingest.cells import alias_rows

    assert alias_rows([("卓尔五金", f"卓尔{MARKS}、 卓尔 五金厂 ,，"), ("石普铝业", None)]) == [
        ("卓尔五金", "卓尔", "卓尔"), ("卓尔五金", "卓尔五金厂", "卓尔五金厂")]


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv"])
def test_a_name_written_as_a_number_is_kept_as_written(kind):
    rows = [["企业名称", "产值（万元）"], [12345, 5], ["12346", 6]]
    data = {"xlsx": lambda: xlsx_bytes({"2024年3月": rows}), "xls": lambda: xls_bytes(rows, sheet="2024年3月"),
            "csv": lambda: csv_bytes(rows)}[kind]()
    result = clean(data, name="2024年3月." + kind)
    assert list(result.output.name) == ["12345", "12346"]
    assert list(result.enterprises.name) == ["12345", "12346"]


@pytest.mark.parametrize("label, heading", [
    pytest.param("规模以下工业企业", True, id="a section alone"),
    pytest.param("规上企业（12家）", True, id="with its count"),
    pytest.param("一、规模以上工业企业", True, id="numbered"),
    pytest.param("浙江规上企业服务有限公司", False, id="an enterprise holding the words"),
    pytest.param("规模以上工业企业协会", False, id="another"),
])
def test_a_section_heading_is_its_whole_label(label, heading):
    rows = [["2024年3月"], ["企业名称", "产值（万元）"], [label, 7.0], ["卓尔五金", 5.0]]
    result = clean(xlsx_bytes({"表": rows}))
    assert set(result.output.name) == ({"卓尔五金"} if heading else {label, "卓尔五金"})
    said = [w.row for w in result.warnings if "分段标题" in w.reason]
    assert said == ([3] if heading else [])


def test_a_unit_column_among_the_data_rows_states_the_unit():
    rows = [["年份", "月份", "企业名称", "计量单位", "产值"], [2024, 3, "甲", "千元", 5000], [2024, 3, "乙", "千元", 700]]
    result = clean(xlsx_bytes({"表": rows}))
    assert dict(zip(result.output.name, result.output.value_10k)) == {"甲": 500.0, "乙": 70.0}
    mixed = rows[:2] + [[2024, 3, "乙", "万元", 700]]
    (problem,) = problems_of(xlsx_bytes({"表": mixed}))
    assert (problem.row, problem.column, problem.value) == (3, "计量单位", "万元")
    against = [["年份", "月份", "企业名称", "计量单位", "产值（万元）"], [2024, 3, "甲", "千元", 5000]]
    (problem,) = problems_of(xlsx_bytes({"表": against}))
    assert (problem.row, problem.column, problem.value) == (2, "计量单位", "千元")
    assert "“万元”不一致" in problem.reason


def test_an_unknown_unit_in_a_column_that_is_not_read_is_no_problem():
    rows = [["2024年3月"], ["企业名称", "工业总产值（千元）", "出口交货值（万美元）"], ["甲", 5000, 12]]
    result = clean(xlsx_bytes({"表": rows}))
    assert result.output.value_10k.iloc[0] == pytest.approx(500.0)
