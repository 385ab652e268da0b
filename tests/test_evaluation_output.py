"""亩均效益评价 as people read it (output/evaluation.py, the briefing's paragraph in output/text.py, the
export): every figure expected below is worked out by hand from the rows of tests/test_evaluation.py."""
import io
import json
import math

import openpyxl
import pandas as pd
import pytest
from test_evaluation import ABOVE, BELOW, enterprise, evaluate

from lakou_metrics.output import evaluation as tables
from lakou_metrics.output.export import evaluation_tables, evaluation_xlsx
from lakou_metrics.output.text import describe_evaluation

NAN = math.nan


@pytest.fixture(scope="module")
def result():
    return evaluate(ABOVE + BELOW)


def test_the_ranking_of_a_group_with_every_indicator_and_item_score(result):
    ranking = tables.ranking_table(result, "below")
    # 规下 (see test_below_scale_bases_cap_zero_denominator_and_classes): R 221.43 A, T 40.24 B,
    # P 31.53 B, Q 17.74 C; S (no land) and U (first year) are not in the ranking.
    assert list(ranking["企业名称"]) == ["R", "T", "P", "Q"]
    assert list(ranking["排名"]) == [1, 2, 3, 4]
    assert list(ranking["类别"]) == ["A", "B", "B", "C"]
    assert list(ranking["得分"]) == pytest.approx([221.43, 40.24, 31.53, 17.74])
    assert list(ranking["较上年"]) == ["新评"] * 4
    assert list(ranking.columns[6:10]) == ["亩均税收（万元/亩）", "亩均税收得分", "单位电耗税收（万元/万千瓦时）",
                                           "单位电耗税收得分"]
    # Values: R 1000/10 = 100, T 40/10 = 4; 单位电耗税收 R 1000/100 = 10, T none (power 0).
    assert ranking["亩均税收（万元/亩）"].tolist() == pytest.approx([100, 4, 10, 2])
    assert ranking["单位电耗税收（万元/万千瓦时）"].iloc[0] == pytest.approx(10)
    assert math.isnan(ranking["单位电耗税收（万元/万千瓦时）"].iloc[1])
    assert ranking["单位电耗税收得分"].tolist() == pytest.approx([71.43, 33.34, 14.29, 14.29])
    assert ranking["说明"].iloc[1] == "单位电耗税收：用电量（万千瓦时）为0，按本组该项平均得分计"
    assert ranking["说明"].iloc[[0, 2, 3]].isna().all()


def test_a_share_is_shown_in_percent(result):
    ranking = tables.ranking_table(result, "above")
    # 研发经费占比: A1 30/1000 = 3.00%, A3 10/1000 = 1.00%.
    assert ranking.set_index("企业名称").loc[["A1", "A3"], "研发经费占比（%）"].tolist() == pytest.approx([3.0, 1.0])
    assert tables.format_indicator("rd_share", 70 / 3000) == "2.33%"
    assert tables.format_indicator("tax_per_mu", 220 / 30) == "7.33万元/亩"
    assert tables.format_indicator("tax_per_mu", NAN) == "—"


def row_of(result, name):
    table = result.enterprises
    return int(table.loc[table["name"] == name, "row"].iloc[0])


def test_a_scorecard_says_where_an_item_took_the_average_or_was_capped(result):
    card = tables.scorecard_table(result, row_of(result, "A2")).set_index("指标")
    emission = card.loc["单位排放增加值"]
    assert emission["说明"] == "缺少主要污染物排放当量（吨），按本组该项平均得分计"
    assert math.isnan(emission["指标值"]) and emission["得分"] == pytest.approx(10.00)
    assert emission["基准值"] == pytest.approx(75) and emission["基准"] == "本组平均（2家）"
    assert emission["分母"] == "主要污染物排放当量 未填"
    tax = card.loc["亩均税收"]
    # 100/10 = 10 against 220/30 = 7.3333: ratio 1.364, 30 × 1.3636 = 40.91.
    assert (tax["指标值"], tax["基准值"], tax["比值"], tax["权重"], tax["得分"]) == pytest.approx(
        (10.0, 7.33, 1.364, 30.0, 40.91))
    assert (tax["分子"], tax["分母"]) == ("税收实际贡献 100.0万元", "用地面积 10.0亩")
    assert pd.isna(tax["说明"])
    assert card["得分"].sum() == pytest.approx(123.77)
    capped = tables.scorecard_table(result, row_of(result, "R")).set_index("指标").loc["亩均税收"]
    # R: 100 against 29 is 3.45 times, capped at 3: 50 × 3 = 150.
    assert capped["说明"] == "指标值为基准值的3.45倍，超过3倍，按3倍计分"
    assert (capped["比值"], capped["得分"]) == pytest.approx((3.0, 150.0))


def test_an_unrated_enterprise_has_a_scorecard_without_scores(result):
    card = tables.scorecard_table(result, row_of(result, "S"))
    assert card["得分"].isna().all() and card["说明"].isna().all()  # S's 5 万元/万千瓦时 is past 3×7, yet no note
    unrated = tables.unrated_table(result).set_index("企业名称")
    assert unrated.loc["S", "原因"] == "没有用地面积（未填或为0），不参评"
    assert unrated.loc["A4", "原因"] == unrated.loc["U", "原因"] == "当年新投产（投产未满一年），不参评"
    assert unrated.loc["A4", "组别"] == "规上企业" and set(unrated["类别"]) == {"不定"}


def test_counts_and_bases_tables(result):
    counts = tables.counts_table(result).set_index("组别")
    # 规上: A1 A, A2 B, A3 C, A4 不定; 规下: R A, T and P B, Q C, S and U 不定.
    assert counts.loc["规上企业"].tolist() == [1, 1, 1, 0, 1, 4]
    assert counts.loc["规下企业"].tolist() == [1, 2, 1, 0, 2, 6]
    bases = tables.bases_table(result).set_index(["组别", "指标"])
    assert bases.loc[("规下企业", "单位电耗税收"), "基准值"] == pytest.approx(7)
    assert bases.loc[("规下企业", "单位电耗税收"), "本组平均得分"] == pytest.approx(33.34)
    assert bases.loc[("规上企业", "研发经费占比"), "基准值"] == pytest.approx(2.33)  # 70/3000 in %
    assert bases.loc[("规上企业", "单位排放增加值"), "参与计算企业（家）"] == 2


def test_the_text_table_lines_up_chinese_and_numbers():
    text = tables.format_text_table(pd.DataFrame({"企业名称": ["甲企业", "AB"], "得分": [5.0, 123.456]}))
    lines = text.splitlines()
    assert lines == ["企业名称    得分", "甲企业      5.00", "AB        123.46"]
    assert tables.format_text_table(pd.DataFrame({"排名": [1, 12], "企业": ["甲", "乙"]})).splitlines() == [
        "排名  企业", "   1  甲", "  12  乙"]


def test_the_cli_text_names_every_enterprise_with_its_class_and_reason(result):
    text = tables.describe_evaluation_table(result, "腊口镇")
    assert text.startswith("腊口镇2023年度亩均效益评价")
    assert "规上企业：4家，参评3家（A类1家，B类1家，C类1家，D类0家）" in text
    assert "规下企业：6家，参评4家（A类1家，B类2家，C类1家，D类0家）" in text
    assert [line.split()[:4] for line in text.splitlines() if line.split()[1:2] == ["R"]] == [
        ["1", "R", "A", "221.43"]]
    assert "  注：T，单位电耗税收：用电量（万千瓦时）为0，按本组该项平均得分计" in text
    assert "  S（规下企业）：没有用地面积（未填或为0），不参评" in text
    assert "  U（规下企业）：当年新投产（投产未满一年），不参评" in text


def test_the_json_of_an_evaluation(result):
    data = json.loads(json.dumps(tables.evaluation_json(result), ensure_ascii=False))
    by_name = {e["name"]: e for e in data["enterprises"]}
    assert data["year"] == 2023 and len(by_name) == 10
    assert data["counts"]["规下"] == {"A": 1, "B": 2, "C": 1, "D": 0, "不定": 2}
    r = by_name["R"]
    assert (r["group"], r["class"], r["score"], r["rank"], r["reason"], r["change"]) == (
        "规下", "A", 221.43, 1, None, "新评")
    assert [i["name"] for i in r["indicators"]] == ["亩均税收", "单位电耗税收"]
    assert r["indicators"][0] | {} == {"code": "tax_per_mu", "name": "亩均税收", "unit": "万元/亩", "numerator": 1000.0,
                                       "denominator": 10.0, "value": 100.0, "base": 29.0, "ratio": 3.0,
                                       "weight": 50.0, "score": 150.0, "note": None}
    s = by_name["S"]
    assert (s["class"], s["reason"], s["score"], s["rank"]) == ("不定", "没有用地面积（未填或为0），不参评", None, None)
    assert by_name["A2"]["indicators"][3]["note"] == "缺少主要污染物排放当量（吨），按本组该项平均得分计"
    assert by_name["A1"]["indicators"][5]["value"] == 3.0  # 研发经费占比 in %


def test_the_briefing_paragraph_counts_names_the_d_class_and_the_largest_moves():
    # Twenty 规下 enterprises with land 1 and power 1 and taxes 40 … 21: both items of each are
    # 50 × tax / 30.5 (the taxes sum to 610 over 20), so the ranks follow the taxes. n = 20: A ≤ 4,
    # B ≤ 14, C ≤ 19, D the 20th (E21). N has no land: not rated.
    taxes = list(range(40, 20, -1))
    rows = [enterprise(f"E{t}", False, 1, t, power=1) for t in taxes] + [enterprise("N", False, 0, 10, power=1)]
    last = pd.DataFrame({"name": ["E40", "E21", "E30", "E39"], "credit_code": [None] * 4,
                         "grade": ["D", "A", "B", "B"]})
    result = evaluate(rows, last_year=last)
    table = result.enterprises.set_index("name")
    d_score = table.at["E21", "score"]
    assert table.at["E21", "grade"] == "D" and table.at["E40", "grade"] == "A"
    # Moves: E40 D→A (+3), E21 A→D (−3), E39 B→A (+1); E30 (rank 11) stays B.
    (line,) = describe_evaluation(result)
    assert line == (f"2023年度亩均效益评价：规下企业参评20家，A类4家、D类1家；另有1家不参评（没有用地面积或当年新投产）。"
                    f"D类（倒逼整治）企业：E21（规下，{d_score:.2f}分）。"
                    "与2022年度相比，升档2家、降档1家，变动较大的有：E40（D类→A类，升档）、E21（A类→D类，降档）、"
                    "E39（B类→A类，升档）。")
    assert d_score == pytest.approx(68.86)  # 50 × 21/30.5 = 34.43 on each item


def test_the_export_in_the_result_table_layout(result):
    sheets = evaluation_tables(result)
    assert list(sheets) == ["分类汇总", "规上企业", "规下企业", "不参评企业", "计分明细", "基准值"]
    book = openpyxl.load_workbook(io.BytesIO(evaluation_xlsx(result)))
    below = book["规下企业"]
    header = [c.value for c in below[1]]
    assert header[:6] == ["排名", "企业名称", "类别", "得分", "较上年", "上年类别"]
    assert below["A1"].fill.fgColor.rgb.endswith("1F5FA8") and below["A1"].font.bold
    assert below.freeze_panes == "A2"
    first = {h: c.value for h, c in zip(header, below[2])}
    assert (first["排名"], first["企业名称"], first["类别"], first["得分"]) == (1, "R", "A", pytest.approx(221.43))
    assert below.cell(row=2, column=4).number_format == "0.00"
    assert first["亩均税收（万元/亩）"] == pytest.approx(100) and first["单位电耗税收得分"] == pytest.approx(71.43)
    cards = book["计分明细"]
    card_header = [c.value for c in cards[1]]
    assert card_header[:3] == ["企业名称", "组别", "指标"]
    a2 = [dict(zip(card_header, (c.value for c in row))) for row in cards.iter_rows(min_row=2)
          if row[0].value == "A2"]
    assert [r["指标"] for r in a2][:2] == ["亩均税收", "亩均增加值"] and len(a2) == 6
    assert a2[3]["说明"] == "缺少主要污染物排放当量（吨），按本组该项平均得分计" and a2[3]["指标值"] is None
    unrated = {row[0].value: row[3].value for row in book["不参评企业"].iter_rows(min_row=2)}
    assert unrated == {"A4": "当年新投产（投产未满一年），不参评", "S": "没有用地面积（未填或为0），不参评",
                       "U": "当年新投产（投产未满一年），不参评"}


def test_no_exported_cell_runs_as_a_formula():
    rows = [enterprise("=HYPERLINK(\"http://x\",\"点我\")", False, 10, 100, power=50),
            enterprise("+1+1", False, 10, 20, power=10), enterprise("@SUM(A1)", False, 0, 5, power=1)]
    book = openpyxl.load_workbook(io.BytesIO(evaluation_xlsx(evaluate(rows))))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    names = [row[1].value for row in book["规下企业"].iter_rows(min_row=2)]
    assert names == ["=HYPERLINK(\"http://x\",\"点我\")", "+1+1"]


@pytest.mark.parametrize("column, value, expected", [
    pytest.param("emission_t", 0.46, "主要污染物排放当量 0.46吨", id="hundredths kept"),
    pytest.param("emission_t", 0.5, "主要污染物排放当量 0.5吨", id="tenths"),
    pytest.param("power_10k_kwh", 192.25, "用电量 192.25万千瓦时", id="power hundredths"),
    pytest.param("land_mu", 13.6, "用地面积 13.6亩", id="area tenths"),
    pytest.param("land_mu", 12.0, "用地面积 12.0亩", id="whole area"),
    pytest.param("tax_10k", 130.35, "税收实际贡献 130.4万元", id="万元 to one decimal"),
    pytest.param("staff", 29, "年平均职工人数 29人", id="count"),
    pytest.param("emission_t", NAN, "主要污染物排放当量 未填", id="missing"),
])
def test_a_scorecard_figure_keeps_the_decimals_its_value_was_computed_from(column, value, expected):
    # 623.5 ÷ 0.46 = 1355.43 as the scorecard shows it; 0.46 written "0.5" gives 1247.00 by hand.
    assert tables.format_figure(column, value) == expected


def test_json_and_scorecards_round_whole_columns_not_each_number(monkeypatch):
    # A county of 20,000 enterprises took minutes when every number was rounded on its own: the
    # roundings must not grow with the enterprises (ten times as many rows, the same calls).
    calls = []
    original = tables.round_half_up_array

    def counting(values, decimals=1):
        calls.append(decimals)
        return original(values, decimals)

    monkeypatch.setattr(tables, "round_half_up_array", counting)
    counted = []
    for copies in (1, 10):
        rows = [{**row, "name": f"{row['name']}-{i}", "credit_code": f"{row['credit_code']}-{i}"}
                for i in range(copies) for row in ABOVE + BELOW]
        result = evaluate(rows)
        calls.clear()
        tables.evaluation_json(result)
        tables.scorecards_table(result)
        counted.append(len(calls))
    assert counted[0] == counted[1]
