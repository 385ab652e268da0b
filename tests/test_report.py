"""A year to date assembled: targets dated by their own figures, scope, headline targets."""
import pandas as pd
import pytest
from test_metrics import _observations

from lakou_metrics.compute.metrics import Ledger, WarningSettings, compute_enterprise_figures, compute_trend
from lakou_metrics.compute.report import compute_year_to_date
from lakou_metrics.compute.targets import compute_targets
from lakou_metrics.domain.periods import Period

OBS = _observations([
    (1, "A", "hardware", True, 2023, 1, 9, 90.0, None),
    (1, "A", "hardware", True, 2023, 10, 10, 10.0, None),
    (1, "A", "hardware", True, 2024, 1, 9, 120.0, None),
    (1, "A", "hardware", True, 2024, 10, 10, 15.0, None),
    (2, "B", "metals", False, 2024, 1, 9, 60.0, None),
    (2, "B", "metals", False, 2023, 1, 9, 80.0, None),
])
ACTUALS = pd.DataFrame({"indicator": ["land_acquired"] * 2, "last_month": [6, 9], "actual": [120.0, 190.0]})


def _targets(period, goals, figures=None):
    ledger = Ledger(OBS)
    figures = compute_enterprise_figures(ledger, period) if figures is None else figures
    return {t.indicator: t for t in compute_targets(ledger, period, figures, goals, ACTUALS)}


def test_an_entered_figure_is_judged_on_its_own_month():
    land = _targets(Period.ytd(2024, 10), {"land_acquired": 280})["land_acquired"]
    # 190 of 280 reported for 1-9月: 67.9% against 9/12 = 75%, not against 10/12.
    assert land.as_of == 9 and land.stale is True
    assert land.schedule == pytest.approx(0.75)
    assert land.gap == pytest.approx(0.679 - 0.750)  # as shown: 67.9% − 75.0%
    assert land.status == "behind"  # 7.1 points behind; the default cut is 5


def test_an_entered_figure_for_the_period_is_not_stale():
    land = _targets(Period.ytd(2024, 9), {"land_acquired": 280})["land_acquired"]
    assert land.as_of == 9 and land.stale is False


def test_before_any_figure_the_target_has_no_actual_not_zero():
    land = _targets(Period.ytd(2024, 3), {"land_acquired": 280})["land_acquired"]
    assert land.actual is None and land.completion is None and land.gap is None
    assert land.status == "unknown"


def test_output_targets_are_dated_by_the_period_and_empty_without_output():
    out = _targets(Period.ytd(2024, 9), {"total_output": 1000, "above_scale_output": 500})
    assert out["total_output"].as_of == 9 and out["total_output"].actual == pytest.approx(180.0)
    assert out["above_scale_output"].actual == pytest.approx(120.0)  # A only: B is 规下
    assert out["total_output"].stale is False
    none = _targets(Period.ytd(2024, 10), {"total_output": 1000}, figures=compute_enterprise_figures(
        Ledger(OBS), Period.ytd(2024, 10)).iloc[0:0])
    assert none["total_output"].actual is None and none["total_output"].completion is None


def test_the_scope_reaches_the_warnings():
    ytd = compute_year_to_date(Ledger(OBS), Period.ytd(2024, 9), {}, ACTUALS.iloc[0:0], {},
                               settings=WarningSettings())
    # B (规下) fell from 80 to 60: a warning for all enterprises, none for 规上 only.
    assert "B" in set(ytd.warnings.name)
    assert "B" not in set(ytd.scoped_warnings(True).name)
    assert set(ytd.scoped(True).name) == {"A"}


def test_the_quarter_in_progress_is_in_the_trend():
    trend = compute_trend(Ledger(OBS), 2024, 10)
    assert trend.attrs["granularity"] == "quarter"
    this_year = trend[trend.year == 2024]
    assert list(this_year.label) == ["一季度", "二季度", "三季度", "四季度（截至10月）"][-len(this_year):]
    last = this_year.iloc[-1]
    assert last.value_10k == pytest.approx(15.0)  # A's October; B has none
    before = trend[(trend.year == 2023) & (trend.label == "四季度（截至10月）")].value_10k.iloc[0]
    assert before == pytest.approx(10.0)


def test_no_growth_is_asked_of_months_that_are_over():
    """At the end of the year no months remain: 余月需增速 has nothing to be asked of (it once
    printed a growth over a rounding residue of last year's figures)."""
    obs = pd.DataFrame({
        "enterprise_id": [1] * 24, "name": ["A"] * 24, "credit_code": [None] * 24, "sector": ["hardware"] * 24,
        "above_scale": [True] * 24, "contact": [None] * 24, "year": [2023] * 12 + [2024] * 12,
        "first_month": list(range(1, 13)) * 2, "last_month": list(range(1, 13)) * 2,
        "value_10k": [0.1 * m for m in range(1, 13)] + [0.2 * m for m in range(1, 13)], "prior_10k": [float("nan")] * 24})
    ledger = Ledger(obs)
    period = Period.ytd(2024, 12)
    figures = compute_enterprise_figures(ledger, period)
    (row,) = compute_targets(ledger, period, figures, {"total_output": 100.0}, ACTUALS.iloc[0:0])
    assert row.required_growth is None
    (november,) = compute_targets(ledger, Period.ytd(2024, 11), compute_enterprise_figures(ledger, Period.ytd(2024, 11)),
                                  {"total_output": 100.0}, ACTUALS.iloc[0:0])
    # December last year was 1.2: the rest of the target over it
    done = sum(0.2 * m for m in range(1, 12))
    assert november.required_growth == pytest.approx((100.0 - done) / 1.2 - 1)


QUARTERLY_2024 = _observations(
    [(1, "A", "hardware", True, 2023, m, m, 10.0 * m, None) for m in range(1, 13)]
    + [(1, "A", "hardware", True, 2024, 1, last, value, None) for last, value in ((3, 70.0), (6, 160.0), (9, 300.0))])


def test_a_month_no_report_gives_is_unknown_not_zero():
    from lakou_metrics.compute.report import summary_json

    # 2024 has only 1-3/1-6/1-9月 reports: September alone cannot be derived.
    ytd = compute_year_to_date(Ledger(QUARTERLY_2024), Period.ytd(2024, 9), {}, ACTUALS.iloc[0:0], {},
                               monthly=True, projection=False)
    alone = ytd.alone_totals(False)
    assert alone.value is None and alone.yoy is None and alone.mom is None
    period = summary_json(ytd, "M09")["period"]
    assert period["label"] == "2024年9月" and period["total"]["value"] is None
    assert period["above_scale"]["value"] is None
    # The quarter it can give: 1-9月 − 1-6月 = 140; last year's July-September 70 + 80 + 90 = 240.
    quarter = compute_year_to_date(Ledger(QUARTERLY_2024), Period.ytd(2024, 9), {}, ACTUALS.iloc[0:0], {},
                                   projection=False).alone_totals(False)
    assert quarter.value == pytest.approx(140.0) and quarter.yoy == pytest.approx(140 / 240 - 1)


def test_a_month_between_two_year_to_dates_that_skip_it_is_unknown():
    # 1-6月 and 1-10月 reported: 1-10月 is known, October alone is not.
    obs = _observations([(1, "A", "hardware", True, 2024, 1, 6, 60.0, None),
                         (1, "A", "hardware", True, 2024, 1, 10, 100.0, None)])
    ytd = compute_year_to_date(Ledger(obs), Period.ytd(2024, 10), {}, ACTUALS.iloc[0:0], {}, projection=False)
    assert ytd.total.value == pytest.approx(100.0)
    assert ytd.alone_totals(False).value is None


def test_summary_json_says_what_is_new_missing_and_estimated_apart_from_the_total():
    from test_metrics import TOWN

    from lakou_metrics.compute.report import summary_json

    ytd = compute_year_to_date(Ledger(TOWN), Period.ytd(2024, 10), {"total_output": 5000.0}, ACTUALS.iloc[0:0], {})
    got = summary_json(ytd, "M10")
    # Reported: 甲 1100, 乙 600, 新厂 500 (opened October); 丙 (800 last year) and 丁 (200) missing.
    assert got["reporting"] == {"reported": 3, "expected": 5, "missing": 2, "complete": False}
    total = got["total"]
    assert total["value"] == 2200.0 and total["prior"] == 1500.0  # the reported total, never estimated
    assert (total["new_enterprises"], total["new_value"]) == (1, 500.0)
    assert total["new_share"] == pytest.approx(500 / 2200)
    assert total["existing_yoy"] == pytest.approx(1700 / 1500 - 1)
    assert total["provisional"] is True and total["missing_enterprises"] == 2
    growth = 1700 / 1500 - 1
    assert total["estimate"] == {"value": pytest.approx(2200 + 1000 * (1 + growth)),
                                 "estimated": pytest.approx(1000 * (1 + growth)), "growth": pytest.approx(growth),
                                 "estimated_enterprises": 2, "unestimated_enterprises": 0}
    above = got["above_scale"]  # 甲 1100 on 1000 and 新厂 500; 丙 (规上) missing, 丁 (规下) not in scope
    assert above["missing_enterprises"] == 1 and above["estimate"]["value"] == pytest.approx(1600 + 800 * 1.1)
    assert [t["provisional"] for t in got["targets"]] == [True]
    complete = summary_json(compute_year_to_date(Ledger(TOWN), Period.ytd(2024, 2), {}, ACTUALS.iloc[0:0], {}), "M02")
    assert complete["total"]["provisional"] is False and complete["total"]["estimate"] is None
