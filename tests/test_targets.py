"""Annual targets as a statistician judges them, against figures worked out by hand from the rows
each test writes: a growth target against its rate, met or missed at the year's end, the entered
figure as the town's figure with the key projects' sum beside it, and 往年同期进度 beside 序时进度."""
import json

import pandas as pd
import pytest
from sample_rows import points_between
from test_metrics import _observations

from lakou_metrics.compute.metrics import Ledger, compute_enterprise_figures
from lakou_metrics.compute.report import compute_year_to_date, summary_json
from lakou_metrics.compute.targets import compute_targets
from lakou_metrics.domain.periods import Period
from lakou_metrics.output.text import (
    briefing_sections,
    describe_target,
    headline,
    problems_and_suggestions,
)

NO_ACTUALS = pd.DataFrame({"indicator": pd.Series([], dtype=str), "last_month": pd.Series([], dtype=int),
                           "actual": pd.Series([], dtype=float)})


def _year_to_date(rows, year, through, goals, actuals=NO_ACTUALS, from_projects=None):
    """compute_year_to_date over observation rows (test_metrics._observations)."""
    ytd = compute_year_to_date(Ledger(_observations(rows)), Period.ytd(year, through), goals, actuals, {})
    if from_projects is not None:  # the projects' sums, as ProjectBook.target_actuals gives them
        ledger = Ledger(_observations(rows))
        period = Period.ytd(year, through)
        ytd.targets = compute_targets(ledger, period, compute_enterprise_figures(ledger, period), goals, actuals,
                                      from_projects=from_projects)
    return ytd


def _by_code(ytd):
    return {t.indicator: t for t in ytd.targets}


# -- a growth target is judged as growth ---------------------------------------------------------
# Last year 1-9月 200 (and 100 in 10-12月); this year 1-9月 as given. Target +33%.
def _growth_rows(now: float):
    return [(1, "A", "hardware", True, 2023, 1, 9, 200.0, None), (1, "A", "hardware", True, 2023, 10, 12, 100.0, None),
            (1, "A", "hardware", True, 2024, 1, 9, now, None)]


@pytest.mark.parametrize("now, status, words", [
    # 261 / 200 − 1 = 30.5%; 30.5 − 33.0 = −2.5 points
    pytest.param(261.0, "growth_short", "同比增长30.5%，低于目标增速2.5个百分点", id="short of the rate"),
    # 270 / 200 − 1 = 35.0%: 2.0 points above
    pytest.param(270.0, "growth_met", "同比增长35.0%，高于目标增速2.0个百分点", id="above the rate"),
    # 266 / 200 − 1 = 33.0% exactly
    pytest.param(266.0, "growth_met", "同比增长33.0%，达到目标增速", id="at the rate"),
])
def test_a_growth_target_is_judged_against_its_rate(now, status, words):
    ytd = _year_to_date(_growth_rows(now), 2024, 9, {"total_output_growth": 0.33})
    target = _by_code(ytd)["total_output_growth"]
    assert target.actual == pytest.approx(now / 200 - 1)
    assert target.gap == pytest.approx(now / 200 - 1 - 0.33)
    assert target.completion is None and target.schedule is None  # no 完成率 of an implied amount
    assert target.status == target.schedule_status == status
    assert describe_target(target) == words
    # The amount the rate implies stays known: last year's 300 × 1.33 = 399; the rest of the year
    # needs (399 − now) over last year's 100 in 10-12月.
    assert target.implied_target == pytest.approx(300 * 1.33)
    assert target.required_growth == pytest.approx((399 - now) / 100 - 1)
    text = "".join(p for _, lines in briefing_sections(ytd) for p in lines)
    assert "完成率" not in text and "序时" not in text
    assert headline(ytd).endswith(f"{words}。")


def test_the_json_gives_a_growth_target_no_completion_and_its_gap_in_points():
    ytd = _year_to_date(_growth_rows(261.0), 2024, 9, {"total_output_growth": 0.33})
    (target,) = summary_json(ytd, "Q3")["targets"]
    assert target["completion"] is None and target["schedule"] is None
    assert target["gap"] == pytest.approx(261 / 200 - 1 - 0.33)
    assert target["status"] == "growth_short"
    assert target["implied_target"] == pytest.approx(399.0)


# -- at the year's end a target is met or missed -------------------------------------------------
def _year_rows(last_year: float, this_year: float):
    """One enterprise, the whole of two years reported month by month (equal months)."""
    return [(1, "A", "hardware", True, y, m, m, total / 12, None)
            for y, total in ((2023, last_year), (2024, this_year)) for m in range(1, 13)]


@pytest.mark.parametrize("done, status, words", [
    pytest.param(963.0, "missed", "未完成全年目标（完成96.3%）", id="missed"),
    pytest.param(1032.0, "met", "完成全年目标（完成103.2%）", id="met"),
])
def test_an_amount_target_at_the_years_end_is_met_or_missed(done, status, words):
    ytd = _year_to_date(_year_rows(900.0, done), 2024, 12, {"total_output": 1000.0})
    target = _by_code(ytd)["total_output"]
    assert target.completion == pytest.approx(done / 1000)
    assert target.status == status and describe_target(target) == words
    assert target.remaining is None and target.required_growth is None  # no months remain
    assert target.seasonal_schedule is None  # no season to speak of with the whole year
    text = "\n".join(p for _, lines in briefing_sections(ytd) for p in lines)
    assert words in text
    assert "序时" not in text and "还需完成" not in text and "其余" not in text
    problems, suggestions = problems_and_suggestions(ytd)
    if status == "missed":
        assert f"1. 工业总产值全年完成{done:.1f}万元，未完成全年目标（完成96.3%）。" in problems
    else:
        assert not any("工业总产值" in p for p in problems)
    assert not any("月均" in s or "其余" in s for s in suggestions)


def test_a_growth_target_at_the_years_end_is_met_or_missed():
    # 1305 against 1000: +30.5%, the target +33%: missed by 2.5 points.
    ytd = _year_to_date(_year_rows(1000.0, 1305.0), 2024, 12, {"total_output_growth": 0.33})
    target = _by_code(ytd)["total_output_growth"]
    assert target.status == "missed" and target.gap == pytest.approx(0.305 - 0.33)
    assert describe_target(target) == "全年增长30.5%，未达到目标增速33.0%（低2.5个百分点）"
    assert describe_target(target, with_growth=False) == "未达到目标增速33.0%（低2.5个百分点）"
    problems, _ = problems_and_suggestions(ytd)
    assert "1. 工业总产值全年增长30.5%，未达到目标增速33.0%（低2.5个百分点）。" in problems
    # 1350 against 1000: +35.0%, 2.0 points above.
    met = _by_code(_year_to_date(_year_rows(1000.0, 1350.0), 2024, 12, {"total_output_growth": 0.33}))
    assert met["total_output_growth"].status == "met"
    assert describe_target(met["total_output_growth"]) == "全年增长35.0%，达到目标增速33.0%（高2.0个百分点）"


@pytest.mark.parametrize("done, target, status, words", [
    pytest.param(313.9, 314.0, "missed", "未完成全年目标（完成99.97%）", id="313.9 of 314 shows 100.0% but is short"),
    pytest.param(314.0, 314.0, "met", "完成全年目标（完成100.0%）", id="exactly the target"),
    pytest.param(299.0, 314.0, "missed", "未完成全年目标（完成95.2%）", id="well short: one decimal"),
])
def test_a_whole_year_is_met_only_when_the_figure_reaches_the_target(done, target, status, words):
    actuals = pd.DataFrame({"indicator": ["land_acquired"], "last_month": [12], "actual": [done]})
    land = _by_code(_year_to_date(_year_rows(900.0, 1000.0), 2024, 12, {"land_acquired": target}, actuals))[
        "land_acquired"]
    assert land.status == status and describe_target(land) == words


def test_an_entered_figure_older_than_december_is_still_judged_on_its_month():
    """At 1-12月 a 征地 figure reported for 1-9月 says nothing of the year: 序时 of September."""
    actuals = pd.DataFrame({"indicator": ["land_acquired"], "last_month": [9], "actual": [150.0]})
    ytd = _year_to_date(_year_rows(900.0, 1000.0), 2024, 12, {"land_acquired": 300.0}, actuals)
    land = _by_code(ytd)["land_acquired"]
    # 150 of 300 = 50.0% against 9/12 = 75.0%: 25.0 points behind, not "missed"
    assert land.stale and land.status == "behind" and land.gap == pytest.approx(0.5 - 0.75)


# -- the staff's figure is the town's figure ------------------------------------------------------
@pytest.mark.parametrize("entered, projects, actual, source, exceed", [
    pytest.param(19000.0, 23000.0, 19000.0, "entered", True, id="projects above the entered figure"),
    pytest.param(23000.0, 19000.0, 23000.0, "entered", False, id="projects within the entered figure"),
    pytest.param(None, 23000.0, 23000.0, "projects", False, id="nothing entered: projects fill it"),
])
def test_the_entered_figure_is_the_actual_and_projects_stand_beside_it(entered, projects, actual, source, exceed):
    actuals = (NO_ACTUALS if entered is None else
               pd.DataFrame({"indicator": ["actual_capital"], "last_month": [12], "actual": [entered]}))
    ytd = _year_to_date(_year_rows(900.0, 1000.0), 2024, 12, {"actual_capital": 22000.0}, actuals,
                        from_projects={"actual_capital": (projects, 12)})
    target = _by_code(ytd)["actual_capital"]
    assert (target.actual, target.source) == (actual, source)
    assert (target.projects_actual, target.projects_as_of, target.projects_exceed) == (projects, 12, exceed)
    # The verdict is on the actual: 19000 / 22000 = 86.4% (missed), 23000 / 22000 = 104.5% (met).
    assert target.completion == pytest.approx(actual / 22000)
    assert target.status == ("met" if actual >= 22000 else "missed")
    (row,) = summary_json(ytd, "M12")["targets"]
    assert row["projects_actual"] == projects and row["projects_exceed"] is exceed and row["actual"] == actual
    text = "\n".join(p for _, lines in briefing_sections(ytd) for p in lines)
    note = "重点项目汇总数大于录入的完成数"
    assert (note in text) is exceed
    if exceed:
        assert "实际到位市外内资截至12月录入1.90亿元，重点项目汇总2.30亿元" in text


def test_a_projects_sum_of_a_later_month_says_both_months():
    actuals = pd.DataFrame({"indicator": ["actual_capital"], "last_month": [9], "actual": [13000.0]})
    ytd = _year_to_date(_year_rows(900.0, 1000.0), 2024, 12, {"actual_capital": 22000.0}, actuals,
                        from_projects={"actual_capital": (23000.0, 12)})
    text = "\n".join(p for _, lines in briefing_sections(ytd) for p in lines)
    assert "实际到位市外内资录入1.30亿元（截至9月），重点项目汇总2.30亿元（截至12月）" in text


def test_a_target_projects_do_not_add_up_to_has_no_projects_figure():
    actuals = pd.DataFrame({"indicator": ["land_acquired"], "last_month": [12], "actual": [300.0]})
    ytd = _year_to_date(_year_rows(900.0, 1000.0), 2024, 12, {"land_acquired": 300.0}, actuals, from_projects={})
    land = _by_code(ytd)["land_acquired"]
    assert land.projects_actual is None and land.projects_exceed is False and land.source == "entered"


# -- seasons -------------------------------------------------------------------------------------
# Two earlier years month by month (quarters of three equal months), this year through September.
SEASON_QUARTERS = {2022: (80.0, 100.0, 100.0, 120.0), 2023: (90.0, 110.0, 115.0, 125.0)}


def _season_rows():
    rows = [(1, "A", "hardware", True, year, m, m, quarters[(m - 1) // 3], None)
            for year, quarters in SEASON_QUARTERS.items() for m in range(1, 13)]
    return rows + [(1, "A", "hardware", True, 2024, m, m, 100.0, None) for m in range(1, 10)]


def test_an_output_target_carries_the_share_the_same_months_held_in_earlier_years():
    ytd = _year_to_date(_season_rows(), 2024, 9, {"total_output": 1240.0, "total_output_growth": 0.05})
    shares = [3 * sum(q[:3]) / (3 * sum(q)) for q in SEASON_QUARTERS.values()]  # 840/1200, 945/1320
    seasonal = sum(shares) / 2
    amount, growth = _by_code(ytd)["total_output"], _by_code(ytd)["total_output_growth"]
    assert amount.seasonal_schedule == pytest.approx(seasonal)
    assert amount.seasonal_years == (2022, 2023)
    assert amount.schedule == pytest.approx(0.75)  # 序时进度 stays months / 12
    assert amount.projected == pytest.approx(900 / seasonal)
    assert amount.projected_completion == pytest.approx(900 / seasonal / 1240)
    assert growth.seasonal_schedule == pytest.approx(seasonal)
    assert growth.projected_growth == pytest.approx(900 / seasonal / 1320 - 1)
    # The town's projection and the target's are one computation.
    assert ytd.projection.share == pytest.approx(seasonal) and ytd.projection.value == pytest.approx(amount.projected)
    row = {t["indicator"]: t for t in summary_json(ytd, "M09")["targets"]}["total_output"]
    assert row["seasonal_schedule"] == pytest.approx(seasonal) and row["seasonal_years"] == [2022, 2023]
    assert row["projected_completion"] == pytest.approx(900 / seasonal / 1240)


def test_a_target_behind_schedule_is_never_called_lagging_without_what_the_seasons_say():
    ytd = _year_to_date(_season_rows(), 2024, 9, {"total_output": 1240.0})
    seasonal = (840 / 1200 + 945 / 1320) / 2
    completion = 900 / 1240  # 72.6% against 75.0%: 2.4 points behind (略欠)
    projected = 900 / seasonal / 1240  # 102.5%
    need = (1240 - 900) / 375  # last year's 10-12月 were 3 × 125: 90.7% of them will do
    target = _by_code(ytd)["total_output"]
    assert target.status == "slightly_behind" and target.gap == pytest.approx(float(points_between(completion, 0.75)) / 100)  # as shown
    problems, suggestions = problems_and_suggestions(ytd)
    assert problems[0] == (
        f"1. 工业总产值截至9月完成900.0万元，完成率{completion * 100:.1f}%，略欠序时{(0.75 - completion) * 100:.1f}个百分点，"  # 2.4 < 5 points: 略欠, as the card
        f"但往年同期进度为{seasonal * 100:.1f}%，按往年季节规律推算全年可完成{projected * 100:.1f}%；"
        f"还需完成340.0万元，其余3个月达到上年同期的{need * 100:.1f}%即可。")
    assert any(f"工业总产值其余3个月达到上年同期的{need * 100:.1f}%即可" in s for s in suggestions)


def test_without_an_earlier_full_year_the_seasons_are_unknown_and_said_so():
    rows = [(1, "A", "hardware", True, 2023, 1, 9, 800.0, None), (1, "A", "hardware", True, 2024, 1, 9, 900.0, None)]
    ytd = _year_to_date(rows, 2024, 9, {"total_output": 1240.0})
    target = _by_code(ytd)["total_output"]
    assert target.seasonal_schedule is None and target.projected is None and target.seasonal_years == ()
    problems, _ = problems_and_suggestions(ytd)
    assert "此前年份没有同期和全年数据，无法按往年季节规律推算全年" in problems[0]


def test_an_entered_target_has_no_seasons():
    actuals = pd.DataFrame({"indicator": ["land_acquired"], "last_month": [9], "actual": [150.0]})
    ytd = _year_to_date(_season_rows(), 2024, 9, {"land_acquired": 300.0}, actuals)
    assert _by_code(ytd)["land_acquired"].seasonal_schedule is None


def test_a_slight_lag_is_略欠_in_every_sentence_as_on_its_card():
    import datetime as dt

    from lakou_metrics.output.briefing import kpi_rows
    from lakou_metrics.output.phone_image import phone_image_chart

    ytd = _year_to_date(_season_rows(), 2024, 9, {"total_output": 1240.0})
    # 900 of 1240: 72.6% against 9/12 = 75.0%, 2.4 points behind: less than 5, so 略欠 (orange), as the card.
    # The seasons: (840/1200 + 945/1320) / 2 = 70.8%.
    verdict = "略欠序时2.4个百分点"
    assert headline(ytd).endswith(f"完成年度目标的72.6%，{verdict}。")
    targets = next(lines for heading, lines in briefing_sections(ytd) if heading.endswith("目标任务完成情况"))
    assert f"未达序时进度的目标：工业总产值（截至9月完成率72.6%，{verdict}，往年同期进度70.8%）。" in targets
    assert kpi_rows(ytd)[1][5] == verdict
    text = "\n".join(p for _, lines in briefing_sections(ytd) for p in lines)
    assert "落后序时" not in text and "落后的" not in text
    spec = json.dumps(phone_image_chart(ytd, dt.date(2024, 10, 8)).to_dict(), ensure_ascii=False)
    assert "未达进度的目标（1项）" in spec and f"工业总产值  72.6%（截至9月，{verdict}）" in spec
    assert "落后" not in spec


def test_the_phone_image_lists_the_lagging_targets_widest_gap_first():
    import datetime as dt

    from lakou_metrics.output.phone_image import phone_image_chart

    # 900 (all of it 规上): 72.6% of 1240 (2.4 points behind 75.0%), 45.0% of 2000 (30.0 behind).
    ytd = _year_to_date(_season_rows(), 2024, 9, {"total_output": 1240.0, "above_scale_output": 2000.0})
    spec = json.dumps(phone_image_chart(ytd, dt.date(2024, 10, 8)).to_dict(), ensure_ascii=False)
    wide = spec.index("规模以上工业产值  45.0%（截至9月，落后序时30.0个百分点）")
    assert wide < spec.index("工业总产值  72.6%（截至9月，略欠序时2.4个百分点）")
