"""亩均效益评价 (compute/evaluation.py, domain/evaluation.py, settings [evaluation]): every expected
base, item score, score, rank and class is worked out by hand below from the rows the test writes."""
import datetime as dt
import math

import pandas as pd
import pytest
from conftest import settings_refusal

from lakou_metrics.compute.evaluation import (
    class_limits,
    compare_grades,
    count_grades,
    evaluate_enterprises,
    evaluate_stored,
    grade_for_rank,
    latest_evaluation_year,
    list_moves,
)
from lakou_metrics.domain.evaluation import EvaluationSettings, is_first_production_year
from lakou_metrics.settings import load_evaluation_settings

NAN = math.nan


def enterprise(name, above, land, tax, va=NAN, energy=NAN, emission=NAN, staff=NAN, rd=NAN, revenue=NAN,
               power=NAN, code=None, first_year=False, start=None):
    return {"name": name, "credit_code": code or f"CODE-{name}", "above_scale": above, "land_mu": land,
            "tax_10k": tax, "value_added_10k": va, "energy_tce": energy, "emission_t": emission, "staff": staff,
            "rd_10k": rd, "revenue_10k": revenue, "power_10k_kwh": power, "first_year": first_year,
            "production_start": start}


# 规上: A1 and A2 alike but A2 has no emission figure; A3 smaller; A4 in its first year (flag), so not
# rated and out of every base (its tax of 5000 would otherwise move 亩均税收's base).
ABOVE = [
    enterprise("A1", True, 10, 100, va=400, energy=40, emission=4, staff=40, rd=30, revenue=1000),
    enterprise("A2", True, 10, 100, va=400, energy=40, emission=NAN, staff=40, rd=30, revenue=1000),
    enterprise("A3", True, 10, 20, va=200, energy=40, emission=4, staff=40, rd=10, revenue=1000),
    enterprise("A4", True, 10, 5000, va=9000, energy=1, emission=1, staff=1, rd=900, revenue=1000, first_year=True),
]
# 规下: R's 亩均税收 is past the cap; T used no power (a zero denominator); S has no land and U started
# production in May of the year: neither is rated nor counted in a base.
BELOW = [
    enterprise("P", False, 10, 100, power=50),
    enterprise("Q", False, 10, 20, power=10),
    enterprise("R", False, 10, 1000, power=100),
    enterprise("S", False, 0, 500, power=5),
    enterprise("T", False, 10, 40, power=0),
    enterprise("U", False, 10, 900, power=1, start=dt.date(2023, 5, 1)),
]


def evaluate(rows, settings=None, last_year=None):
    return evaluate_enterprises(pd.DataFrame(rows), 2023, settings, last_year)


def by_name(evaluation):
    return evaluation.enterprises.set_index("name")


def item(evaluation, name, indicator):
    items = evaluation.items
    return items[(items["name"] == name) & (items["indicator"] == indicator)].iloc[0]


def base(evaluation, group, indicator):
    bases = evaluation.bases
    return bases[(bases["group"] == group) & (bases["indicator"] == indicator)].iloc[0]


def test_below_scale_bases_cap_zero_denominator_and_classes():
    result = evaluate(ABOVE + BELOW)
    # 亩均税收 base over the rated P, Q, R, T: (100+20+1000+40)/(10+10+10+10) = 1160/40 = 29.
    assert base(result, "below", "tax_per_mu")["base"] == pytest.approx(29)
    assert base(result, "below", "tax_per_mu")["counted"] == 4
    # 单位电耗税收 base over P, Q, R (T's power is 0): (100+20+1000)/(50+10+100) = 1120/160 = 7.
    assert base(result, "below", "tax_per_power")["base"] == pytest.approx(7)
    assert base(result, "below", "tax_per_power")["counted"] == 3
    # R: 亩均税收 100, 100/29 = 3.448 > 3, capped: 50 × 3 = 150.00.
    capped = item(result, "R", "tax_per_mu")
    assert capped["value"] == pytest.approx(100) and capped["ratio"] == pytest.approx(3)
    assert capped["score"] == pytest.approx(150.00)
    # Item scores of 单位电耗税收: P 50×2/7 = 14.2857 → 14.29, Q the same, R 50×10/7 = 71.4286 → 71.43;
    # their average (14.29+14.29+71.43)/3 = 33.3367 → 33.34 is T's, flagged as the group's average.
    assert base(result, "below", "tax_per_power")["average_score"] == pytest.approx(33.34)
    zero = item(result, "T", "tax_per_power")
    assert zero["score"] == pytest.approx(33.34) and zero["averaged"] == "zero_denominator"
    assert zero["note"] == "用电量（万千瓦时）为0，按本组该项平均得分计"
    assert math.isnan(zero["value"])
    # Scores: P 50×10/29 = 17.2414 → 17.24, + 14.29 = 31.53; Q 50×2/29 = 3.4483 → 3.45, + 14.29 = 17.74;
    # R 150 + 71.43 = 221.43; T 50×4/29 = 6.8966 → 6.90, + 33.34 = 40.24.
    # n = 4: A ≤ round(0.8) = 1, B ≤ round(2.8) = 3, C ≤ round(3.8) = 4.
    table = by_name(result)
    expected = {"R": (221.43, 1, "A"), "T": (40.24, 2, "B"), "P": (31.53, 3, "B"), "Q": (17.74, 4, "C")}
    for name, (score, rank, grade) in expected.items():
        assert (table.at[name, "score"], table.at[name, "rank"], table.at[name, "grade"]) == (
            pytest.approx(score), rank, grade), name
    assert table.at["T", "averaged_items"] == 1 and table.at["P", "averaged_items"] == 0


def test_above_scale_missing_emission_takes_the_group_average():
    result = evaluate(ABOVE + BELOW)
    # Bases over A1, A2, A3 (A4 is in its first year): 亩均税收 (100+100+20)/30 = 7.3333; 亩均增加值
    # 1000/30 = 33.333; 单位能耗增加值 1000/120 = 8.3333; 全员劳动生产率 1000/120 = 8.3333; 研发经费占比
    # 70/3000 = 0.023333; 单位排放增加值 over A1 and A3 only (A2 has no emission): 600/8 = 75.
    expected_bases = {"tax_per_mu": (220 / 30, 3), "value_added_per_mu": (1000 / 30, 3),
                      "value_added_per_energy": (1000 / 120, 3), "value_added_per_emission": (75, 2),
                      "labour_productivity": (1000 / 120, 3), "rd_share": (70 / 3000, 3)}
    for indicator, (value, counted) in expected_bases.items():
        found = base(result, "above", indicator)
        assert (found["base"], found["counted"], found["fixed"]) == (pytest.approx(value), counted, False)
    # 单位排放增加值: A1 10×100/75 = 13.33, A3 10×50/75 = 6.67; average (13.33+6.67)/2 = 10.00 for A2.
    missing = item(result, "A2", "value_added_per_emission")
    assert missing["score"] == pytest.approx(10.00) and missing["averaged"] == "missing"
    assert missing["note"] == "缺少主要污染物排放当量（吨），按本组该项平均得分计"
    assert pd.isna(item(result, "A1", "value_added_per_emission")["note"])
    # A1: 30×10/7.3333 = 40.909 → 40.91; 20×40/33.333 = 24.00; 20×10/8.3333 = 24.00; 13.33;
    #     10×10/8.3333 = 12.00; 10×0.03/0.023333 = 12.857 → 12.86. Sum 127.10.
    # A2: the same with 10.00 for emission: 123.77.
    # A3: 30×2/7.3333 = 8.1818 → 8.18; 20×20/33.333 = 12.00; 20×5/8.3333 = 12.00; 6.67; 10×5/8.3333 = 6.00;
    #     10×0.01/0.023333 = 4.2857 → 4.29. Sum 49.14.
    # n = 3 (规上 ranked apart from 规下): A ≤ round(0.6) = 1, B ≤ round(2.1) = 2, C ≤ round(2.85) = 3.
    table = by_name(result)
    expected = {"A1": (127.10, 1, "A"), "A2": (123.77, 2, "B"), "A3": (49.14, 3, "C")}
    for name, (score, rank, grade) in expected.items():
        assert (table.at[name, "score"], table.at[name, "rank"], table.at[name, "grade"]) == (
            pytest.approx(score), rank, grade), name
    scored = result.items[result.items["name"] == "A1"]
    assert list(scored["indicator"]) == ["tax_per_mu", "value_added_per_mu", "value_added_per_energy",
                                         "value_added_per_emission", "labour_productivity", "rd_share"]
    assert scored["score"].sum() == pytest.approx(127.10)


@pytest.mark.parametrize("name, reason", [
    pytest.param("A4", "first_year", id="first year flag"),
    pytest.param("S", "no_land", id="land 0"),
    pytest.param("U", "first_year", id="started production in May"),
])
def test_unrated_enterprises_have_no_score_rank_or_class(name, reason):
    table = by_name(evaluate(ABOVE + BELOW))
    assert not table.at[name, "rated"]
    assert table.at[name, "unrated_reason"] == reason
    assert pd.isna(table.at[name, "score"]) and pd.isna(table.at[name, "rank"]) and pd.isna(table.at[name, "grade"])


def test_missing_land_is_not_rated_either():
    rows = [enterprise("P", False, NAN, 100, power=50), enterprise("Q", False, 10, 20, power=10)]
    table = by_name(evaluate(rows))
    assert table.at["P", "unrated_reason"] == "no_land"
    # Q alone: its values are the bases, 50 + 50 = 100.00, rank 1; n = 1: A ≤ round(0.2) = 0, B ≤ round(0.7) = 1.
    assert (table.at["Q", "score"], table.at["Q", "rank"], table.at["Q", "grade"]) == (pytest.approx(100), 1, "B")


@pytest.mark.parametrize("taxes, ranks, grades", [
    # Land 1 and power 1 each, so both items of an enterprise are 50 × tax / 15 (sum 105 over 7, base 15).
    # Scores 200, 200, 100, 66.66, 66.66, 33.34, 33.34. n = 7: A ≤ 1, B ≤ 5, C ≤ 7. The two at the top
    # share rank 1 and class A (the second would otherwise be B).
    pytest.param([30, 30, 15, 10, 10, 5, 5], [1, 1, 3, 4, 4, 6, 6], list("AABBBCC"), id="tie at the top"),
    # 35: 50×2.3333 = 116.67 twice, 233.34; 20: 66.67 → 133.34; 15: 100; 12: 40 → 80; 8: 26.67 → 53.34
    # (twice: ranks 5 and 6 share 5, so class B); 7: 23.33 → 46.66, rank 7, C.
    pytest.param([35, 20, 15, 12, 8, 8, 7], [1, 2, 3, 4, 5, 5, 7], list("ABBBBBC"), id="tie across B and C"),
])
def test_equal_scores_share_the_better_rank_and_class(taxes, ranks, grades):
    rows = [enterprise(f"E{i}", False, 1, tax, power=1) for i, tax in enumerate(taxes)]
    table = evaluate(rows).enterprises
    assert list(table["rank"]) == ranks
    assert list(table["grade"]) == grades


def test_tie_scores_as_published():
    # 50 × 2.3333 = 116.67 per item, 233.34 in all, for the tax of 35 above.
    table = evaluate([enterprise(f"E{i}", False, 1, tax, power=1)
                      for i, tax in enumerate([35, 20, 15, 12, 8, 8, 7])]).enterprises
    assert list(table["score"]) == pytest.approx([233.34, 133.34, 100.00, 80.00, 53.34, 53.34, 46.66])


@pytest.mark.parametrize("n, limits", [
    pytest.param(7, (1, 5, 7), id="7: 1.4, 4.9, 6.65"),
    pytest.param(5, (1, 4, 5), id="5: 1.0, 3.5 rounds up, 4.75"),
    pytest.param(2, (0, 1, 2), id="2: 0.4, 1.4, 1.9"),
    pytest.param(10, (2, 7, 10), id="10: 9.5 rounds up"),
    pytest.param(30, (6, 21, 29), id="30: 28.5 (a double just below) rounds up"),
    pytest.param(0, (0, 0, 0), id="nobody rated"),
])
def test_class_limits_round_half_up(n, limits):
    assert class_limits(n, (0.20, 0.70, 0.95)) == limits


@pytest.mark.parametrize("rank, grade", [(1, "A"), (2, "B"), (5, "B"), (6, "C"), (7, "C"), (8, "D")])
def test_grade_for_rank(rank, grade):
    assert grade_for_rank(rank, (1, 5, 7)) == grade


def test_fixed_bases_replace_the_group_averages():
    settings = EvaluationSettings(fixed_bases={"below": {"tax_per_mu": 20.0, "tax_per_power": 10.0}})
    result = evaluate(BELOW, settings)
    assert base(result, "below", "tax_per_mu")["fixed"]
    assert base(result, "below", "tax_per_mu")["base"] == 20
    # P: 50×10/20 = 25.00 + 50×2/10 = 10.00 → 35.00. Q: 50×2/20 = 5.00 + 10.00 → 15.00.
    # R: 100/20 = 5, capped at 3: 150.00, + 50×10/10 = 50.00 → 200.00.
    # T: 50×4/20 = 10.00 + the average of P, Q, R on 单位电耗税收 (10+10+50)/3 = 23.33 → 33.33.
    table = by_name(result)
    assert [table.at[n, "score"] for n in "PQRT"] == pytest.approx([35.00, 15.00, 200.00, 33.33])
    assert [table.at[n, "grade"] for n in "RPTQ"] == list("ABBC")


@pytest.mark.parametrize("grade, last, change", [
    pytest.param("A", "B", "up", id="B to A"),
    pytest.param("C", "B", "down", id="B to C"),
    pytest.param("B", "B", "same", id="kept B"),
    pytest.param("B", None, "new", id="not rated last year"),
    pytest.param(None, "A", None, id="not rated this year"),
])
def test_compare_grades(grade, last, change):
    assert compare_grades(grade, last) == change


def test_change_of_class_from_last_year():
    last_year = pd.DataFrame([
        {"name": "R", "credit_code": "CODE-R", "grade": "B"},  # now A: 升档
        {"name": "Q 旧名", "credit_code": "CODE-Q", "grade": "B"},  # renamed, same code; now C: 降档
        {"name": "P", "credit_code": None, "grade": "B"},  # no code last year: matched by name; B: 持平
        {"name": "S", "credit_code": "CODE-S", "grade": "A"},  # not rated now: no change
        {"name": "T", "credit_code": "CODE-T", "grade": None},  # 不定 last year: 新评
    ])
    table = by_name(evaluate(BELOW, last_year=last_year))
    assert [table.at[n, "change"] for n in "RQPT"] == ["up", "down", "same", "new"]
    assert pd.isna(table.at["S", "change"]) and table.at["S", "last_grade"] == "A"


@pytest.mark.parametrize("start, first", [
    pytest.param(dt.date(2023, 1, 15), False, id="January: a whole year"),
    pytest.param(dt.date(2023, 2, 1), True, id="February"),
    pytest.param(dt.date(2022, 12, 1), False, id="last December"),
    pytest.param(dt.date(2024, 3, 1), True, id="after the year"),
    pytest.param(None, False, id="unknown"),
])
def test_first_production_year(start, first):
    assert is_first_production_year(start, 2023) is first


def test_evaluation_settings_default_and_from_file(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("[warnings]\n", encoding="utf-8")
    assert load_evaluation_settings(path) == EvaluationSettings()
    path.write_text("[evaluation]\ncap = 2\nclass_shares = [0.1, 0.6, 0.9]\n"
                    "[evaluation.weights.below]\ntax_per_mu = 60\ntax_per_power = 40\n"
                    "[evaluation.fixed_bases.above]\nrd_share = 0.02\n", encoding="utf-8")
    loaded = load_evaluation_settings(path)
    assert (loaded.cap, loaded.class_shares) == (2.0, (0.1, 0.6, 0.9))
    assert loaded.weights["below"] == {"tax_per_mu": 60.0, "tax_per_power": 40.0}
    assert loaded.weights["above"]["tax_per_mu"] == 30.0  # not given: the default
    assert loaded.fixed_base("above", "rd_share") == 0.02


@pytest.mark.parametrize("text, words", [
    pytest.param("cap = 0", "cap 应是大于0的数", id="cap 0"),
    pytest.param('cap = "3"', "cap 应是大于0的数", id="cap as text"),
    pytest.param("class_shares = [0.7, 0.2, 0.95]", "依次增大", id="shares not rising"),
    pytest.param("class_shares = [0.2, 0.7]", "三个", id="two shares"),
    pytest.param("bonus = 1", "无法识别的设置 bonus", id="unknown key"),
    pytest.param("[evaluation.weights.above]\nland_tax = 30", "[evaluation.weights.above] 中有无法识别的设置 land_tax",
                 id="unknown indicator"),
    pytest.param("[evaluation.weights.medium]\ntax_per_mu = 30", "无法识别的设置 medium", id="unknown group"),
    pytest.param("[evaluation.weights.below]\ntax_per_mu = -5", "tax_per_mu 应是大于0的数", id="negative weight"),
    pytest.param("[evaluation.weights.below]", "[evaluation.weights.below] 没有列出任何指标", id="no indicator"),
    pytest.param("[evaluation.fixed_bases.below]\nrd_share = 0.02", "rd_share 是本组没有计分的指标",
                 id="base of an indicator the group does not score"),
])
def test_bad_evaluation_settings_are_refused_in_chinese(tmp_path, text, words):
    assert words in settings_refusal(tmp_path, load_evaluation_settings, "[evaluation]\n" + text)


def test_a_negative_figure_scores_zero_not_below():
    # Q's tax is −20 (refunds above tax paid). 亩均税收 base (100−20)/(10+10) = 4: P 50×10/4 = 125.00,
    # Q −2/4 → 0. 单位电耗税收 base 80/60 = 1.3333: P 50×2/1.3333 = 75.00, Q → 0. P 200.00, Q 0.00.
    table = by_name(evaluate([enterprise("P", False, 10, 100, power=50), enterprise("Q", False, 10, -20, power=10)]))
    assert [table.at[n, "score"] for n in "PQ"] == pytest.approx([200.00, 0.00])


def stored(enterprise_id, name, land, tax, power, start=None, note=None):
    """A 规下 row as store.load_evaluation gives it."""
    return {"enterprise_id": enterprise_id, "name": name, "credit_code": f"CODE-{enterprise_id}", "sector": "hardware",
            "above_scale": False, "land_mu": land, "tax_10k": tax, "value_added_10k": NAN, "energy_tce": NAN,
            "emission_t": NAN, "staff": NAN, "rd_10k": NAN, "revenue_10k": NAN, "power_10k_kwh": power,
            "production_start": start, "note": note}


# 2023: E3's first output report is of April 2023 (its first year); E4's is of February 2024, after the
# year, which says nothing of 2023; E5's 投产日期 is June 2023. E1, E2 and E4 are rated.
STORED_2023 = pd.DataFrame([stored(1, "E1", 10, 100, 50, note="备注一"), stored(2, "E2", 10, 20, 10),
                            stored(3, "E3", 10, 900, 1), stored(4, "E4", 10, 40, 20),
                            stored(5, "E5", 10, 800, 1, start=dt.date(2023, 6, 1))])
FIRST_REPORTS = pd.DataFrame({"enterprise_id": [1, 2, 3, 4], "year": [2022, 2023, 2023, 2024], "month": [1, 1, 4, 2]})
# 2022: all three rated; 亩均税收 and 单位电耗税收 bases both 160/30 = 5.3333. E1 50×1/5.3333 = 9.375 → 9.38
# twice = 18.76; E2 50×10/5.3333 = 93.75 twice = 187.50; E4 50×5/5.3333 = 46.875 → 46.88 twice = 93.76.
# n = 3: A ≤ 1, B ≤ 2, C ≤ 3, so E2 A, E4 B, E1 C.
STORED_2022 = pd.DataFrame([stored(1, "E1", 10, 10, 10), stored(2, "E2", 10, 100, 10), stored(4, "E4", 10, 50, 10)])


def test_evaluate_stored_rates_the_stored_rows_against_last_year():
    result = evaluate_stored(STORED_2023, FIRST_REPORTS, 2023, last_rows=STORED_2022)
    table = by_name(result)
    assert table.at["E3", "unrated_reason"] == "first_year"  # first report April 2023
    assert table.at["E5", "unrated_reason"] == "first_year"  # 投产日期 June 2023
    # Bases over E1, E2, E4: 亩均税收 160/30 = 5.3333, 单位电耗税收 160/80 = 2.
    # E1 50×10/5.3333 = 93.75 + 50×2/2 = 50 → 143.75; E2 50×2/5.3333 = 18.75 + 50 → 68.75;
    # E4 50×4/5.3333 = 37.50 + 50 → 87.50. n = 3: E1 A, E4 B, E2 C.
    assert base(result, "below", "tax_per_power")["base"] == pytest.approx(2)
    expected = {"E1": (143.75, "A", "C", "up"), "E4": (87.50, "B", "B", "same"), "E2": (68.75, "C", "A", "down")}
    for name, (score, grade, last, change) in expected.items():
        assert (table.at[name, "score"], table.at[name, "grade"], table.at[name, "last_grade"],
                table.at[name, "change"]) == (pytest.approx(score), grade, last, change), name
    assert list(table["enterprise_id"]) == [1, 2, 3, 4, 5]
    assert table.at["E1", "note"] == "备注一" and table.at["E1", "sector"] == "hardware"


def test_a_late_first_report_is_no_first_year_when_the_towns_reports_start_later():
    # Every report starts in April 2023: the town's records begin then, so no enterprise's first year
    # follows from them; E3 is rated, E5's 投产日期 still keeps it out.
    reports = FIRST_REPORTS.assign(year=2023, month=4)
    table = by_name(evaluate_stored(STORED_2023, reports, 2023))
    assert table.at["E3", "rated"] and table.at["E5", "unrated_reason"] == "first_year"
    assert table["change"].dropna().eq("new").all()  # no last year: every rated enterprise 新评


def test_evaluate_stored_without_rows_or_reports():
    empty = evaluate_stored(STORED_2023.iloc[0:0], FIRST_REPORTS.iloc[0:0], 2023)
    assert empty.enterprises.empty and empty.items.empty
    assert count_grades(empty).to_numpy().sum() == 0
    no_reports = by_name(evaluate_stored(STORED_2023, FIRST_REPORTS.iloc[0:0], 2023))
    assert no_reports.at["E3", "rated"]


def test_count_grades_and_the_largest_moves_first():
    result = evaluate_stored(STORED_2023, FIRST_REPORTS, 2023, last_rows=STORED_2022)
    counts = count_grades(result)
    assert counts.loc["below"].to_dict() == {"A": 1, "B": 1, "C": 1, "D": 0, "unrated": 2, "total": 5}
    assert counts.loc["above"].to_dict() == {"A": 0, "B": 0, "C": 0, "D": 0, "unrated": 0, "total": 0}
    moves = list_moves(result)
    # E1 C→A (+2) and E2 A→C (−2) move as far; 升档 first. E4 kept B.
    assert list(zip(moves["name"], moves["steps"])) == [("E1", 2), ("E2", -2)]


@pytest.mark.parametrize("years, year, latest", [
    pytest.param([2022, 2023], 2024, 2023, id="a briefing of 2024: the 2023 evaluation"),
    pytest.param([2022, 2023], 2023, 2023, id="the same year"),
    pytest.param([2022, 2023], 2021, None, id="before any evaluation: none"),
    pytest.param([], 2023, None, id="no evaluation data"),
])
def test_latest_evaluation_year(years, year, latest):
    assert latest_evaluation_year(years, year) == latest
