"""以电核产 (compute/electricity.py, settings [electricity]): electricity derived from monthly and 1-N月
spans on the output's comparable basis, and the enterprises whose output and electricity diverge;
expected figures worked out by hand from the rows each test writes."""
import math

import pandas as pd
import pytest
from conftest import settings_refusal
from test_metrics import _observations

from lakou_metrics.compute.electricity import (
    ElectricitySettings,
    compute_electricity,
    compute_electricity_figures,
    electricity_ledger,
    find_divergences,
)
from lakou_metrics.compute.metrics import Ledger, compute_aggregate, compute_enterprise_figures
from lakou_metrics.compute.report import compute_year_to_date
from lakou_metrics.domain.periods import Period
from lakou_metrics.output.text import briefing_sections, describe_warning, describe_warnings
from lakou_metrics.settings import DEFAULT_PATH, load_electricity_settings


def _power(rows):
    """rows: (enterprise_id, name, year, first, last, 万千瓦时, 上年同期 or None), as store.load_electricity
    gives them (no credit code or contact: the ledger adds them)."""
    frame = pd.DataFrame(rows, columns=["enterprise_id", "name", "year", "first_month", "last_month",
                                        "value_10k_kwh", "prior_10k_kwh"])
    frame["sector"] = "hardware"
    frame["above_scale"] = pd.array([eid != 4 for eid in frame.enterprise_id], dtype="boolean")
    frame["prior_10k_kwh"] = frame["prior_10k_kwh"].astype(float)
    return frame


def _monthly(eid, name, year, values):
    return [(eid, name, year, m, m, float(v), None) for m, v in enumerate(values, 1)]


# A: monthly both years. B: 1-N月 year to date both years (the quarter alone is a difference).
# C: only last year (it left: not in the base). D: new this year (no electricity last year), monthly.
# E: only this year, but its sheet carries 上年同期 (the sheet's base is used).
POWER = _power(
    _monthly(1, "A", 2023, [10] * 6) + _monthly(1, "A", 2024, [12] * 6)
    + [(2, "B", 2023, 1, 3, 30.0, None), (2, "B", 2023, 1, 6, 60.0, None),
       (2, "B", 2024, 1, 3, 33.0, None), (2, "B", 2024, 1, 6, 72.0, None)]
    + _monthly(3, "C", 2023, [5] * 6)
    + _monthly(4, "D", 2024, [1] * 6)
    + [(5, "E", 2024, 1, 3, 20.0, 25.0), (5, "E", 2024, 4, 6, 22.0, 20.0)])


def test_year_to_date_and_the_quarter_from_monthly_and_year_to_date_spans():
    ledger = electricity_ledger(POWER)
    ytd = compute_electricity_figures(ledger, Period.ytd(2024, 6)).set_index("name")
    q2 = compute_electricity_figures(ledger, Period.quarter(2024, 2)).set_index("name")
    assert sorted(ytd.index) == ["A", "B", "D", "E"]  # C reported nothing this year
    # A: 6 × 12 = 72 against 6 × 10 = 60; B: its 1-6月 72 against 60; E: 20 + 22 = 42 against 25 + 20 = 45.
    assert ytd.loc[["A", "B", "E"], "value_10k_kwh"].tolist() == pytest.approx([72, 72, 42])
    assert ytd.loc[["A", "B", "E"], "prior_10k_kwh"].tolist() == pytest.approx([60, 60, 45])
    assert ytd.loc[["A", "B", "E"], "yoy"].tolist() == pytest.approx([0.2, 0.2, 42 / 45 - 1])
    # B's 二季度 is (1-6月) − (1-3月): 72 − 33 = 39 against 60 − 30 = 30, +30%.
    assert q2.at["B", "value_10k_kwh"] == pytest.approx(39) and q2.at["B", "yoy"] == pytest.approx(0.3)
    assert q2.at["A", "value_10k_kwh"] == pytest.approx(36) and q2.at["A", "yoy"] == pytest.approx(0.2)
    # D had no electricity last year: a base of 0, no growth of its own (not infinity).
    assert ytd.at["D", "prior_10k_kwh"] == 0 and math.isnan(ytd.at["D", "yoy"])


def test_the_town_total_is_on_the_comparable_basis_as_output_is():
    ledger = electricity_ledger(POWER)
    power = compute_electricity(ledger, Period.ytd(2024, 6), Period.quarter(2024, 2), _no_output())
    total = power.total()
    # This year: A 72 + B 72 + D 6 + E 42 = 192. Base: A 60 + B 60 + D 0 + E 45 = 165 (C left, not in it).
    assert (total.value, total.prior) == pytest.approx((192, 165))
    assert total.yoy == pytest.approx(192 / 165 - 1)
    assert total.existing_yoy == pytest.approx((192 - 6) / 165 - 1)  # without D, the new one
    # The same rows as output give the same total: one comparable basis for both.
    as_output = POWER.rename(columns={"value_10k_kwh": "value_10k", "prior_10k_kwh": "prior_10k"}).assign(
        credit_code=None, contact=None)
    output = compute_aggregate(compute_enterprise_figures(Ledger(as_output), Period.ytd(2024, 6)))
    assert (output.value, output.prior, output.yoy) == pytest.approx((total.value, total.prior, total.yoy))
    # 二季度: A 36 + B 39 + D 3 + E 22 = 100 against 30 + 30 + 0 + 20 = 80.
    alone = power.alone_total()
    assert (alone.value, alone.prior, alone.yoy) == pytest.approx((100, 80, 0.25))
    # 规上 only (D is 规下): 192 − 6 against 165.
    assert power.total(above_only=True).value == pytest.approx(186)


def test_electricity_short_of_the_period_is_not_a_total():
    # Electricity through June only: 1-9月 cannot be derived, and nothing is made up.
    power = compute_electricity(electricity_ledger(POWER), Period.ytd(2024, 9), Period.quarter(2024, 3), _no_output())
    assert not power.covered and power.total() is None and power.months_loaded == 6
    assert compute_electricity(electricity_ledger(POWER), Period.ytd(2025, 3), Period.quarter(2025, 1),
                               _no_output()) is None  # no electricity stored for the year


def _no_output():
    return pd.DataFrame({"enterprise_id": pd.Series(dtype="int64"), "name": pd.Series(dtype=str),
                         "sector": pd.Series(dtype=str), "yoy": pd.Series(dtype=float)})


def _judge(output_yoy, power_yoy, points=20.0):
    output = pd.DataFrame({"enterprise_id": [1], "name": ["甲"], "sector": ["hardware"], "yoy": [output_yoy]})
    power = (pd.DataFrame({"enterprise_id": [1], "yoy": [power_yoy]}) if power_yoy != "absent"
             else pd.DataFrame({"enterprise_id": [2], "yoy": [0.1]}))
    return find_divergences(output, power, points)


@pytest.mark.parametrize("output_yoy, power_yoy, points, gap", [
    pytest.param(0.15, -0.10, 20, 0.25, id="output +15%, power -10%: 25 points"),
    pytest.param(0.15, -0.05, 20, 0.20, id="exactly 20 points is judged"),
    pytest.param(0.15, -0.049, 20, None, id="19.9 points is not"),
    # +14.96% and −5.04% are shown +15.0% and −5.0%: 20.0 points as a reader works it out.
    pytest.param(0.1496, -0.0504, 20, 0.20, id="the gap of the figures as shown"),
    pytest.param(-0.12, 0.08, 20, -0.20, id="output falls while power rises"),
    pytest.param(0.15, -0.10, 30, None, id="a wider setting"),
    pytest.param(0.153, -0.05, 20.3, 0.203, id="a setting with a decimal"),
    pytest.param(math.nan, -0.30, 20, None, id="no output growth: not judged"),
    pytest.param(0.40, math.nan, 20, None, id="no electricity growth (new, base 0): not judged"),
    pytest.param(0.40, "absent", 20, None, id="no electricity at all: not judged"),
])
def test_divergence(output_yoy, power_yoy, points, gap):
    found = _judge(output_yoy, power_yoy, points)
    if gap is None:
        assert found.empty
    else:
        assert found.gap.tolist() == pytest.approx([gap])
        assert found.output_yoy.tolist() == pytest.approx([output_yoy])
        assert found.power_yoy.tolist() == pytest.approx([power_yoy])


def test_the_widest_gap_first():
    output = pd.DataFrame({"enterprise_id": [1, 2, 3], "name": ["甲", "乙", "丙"], "sector": ["hardware"] * 3,
                           "yoy": [0.10, 0.50, -0.30]})
    power = pd.DataFrame({"enterprise_id": [1, 2, 3], "yoy": [-0.15, 0.05, 0.0]})
    # 甲 25, 乙 45, 丙 −30 points.
    assert find_divergences(output, power).name.tolist() == ["乙", "丙", "甲"]


# Output: 甲 1-3月 100 → 115 (+15%), 乙 200 → 200 (0%), 丙 new this year.
OUTPUT = _observations([
    (1, "甲", "hardware", True, 2023, 1, 3, 100.0, None), (1, "甲", "hardware", True, 2024, 1, 3, 115.0, None),
    (2, "乙", "metals", False, 2023, 1, 3, 200.0, None), (2, "乙", "metals", False, 2024, 1, 3, 200.0, None),
])
# Electricity of the same months: 甲 50 → 45 (−10%), 乙 20 → 30 (+50%).
POWER_Q1 = _power([(1, "甲", 2023, 1, 3, 50.0, None), (1, "甲", 2024, 1, 3, 45.0, None),
                   (2, "乙", 2023, 1, 3, 20.0, None), (2, "乙", 2024, 1, 3, 30.0, None)])


def _year(power=POWER_Q1, points=20.0):
    return compute_year_to_date(Ledger(OUTPUT), Period.ytd(2024, 3), {}, pd.DataFrame(), {}, projection=False,
                                electricity=None if power is None else electricity_ledger(power),
                                electricity_settings=ElectricitySettings(points))


def test_a_divergence_is_a_warning_with_its_figures():
    ytd = _year()
    found = ytd.warnings[ytd.warnings.rule == "divergence"]
    # 甲: +15.0% against −10.0%, 25.0 points; 乙: 0.0% against +50.0%, 50.0 points: both, widest first.
    assert found.name.tolist() == ["乙", "甲"] and set(found.level) == {"橙"}
    assert describe_warnings(found) == ["产值同比0.0%，用电同比+50.0%，相差50.0个百分点",
                                        "产值同比+15.0%，用电同比-10.0%，相差25.0个百分点"]
    # 乙 is 规下: with 规上 only, its warning leaves with it.
    assert ytd.scoped_warnings(True)[lambda w: w.rule == "divergence"].name.tolist() == ["甲"]
    # The town: 75 against 70 (+7.1%), beside output 315 against 300 (+5.0%).
    assert (ytd.electricity.total().value, ytd.electricity.total().yoy) == pytest.approx((75, 75 / 70 - 1))
    # At 30 points only 乙 (50) is judged; the other rules' warnings are there either way.
    assert _year(points=30).warnings[lambda w: w.rule == "divergence"].name.tolist() == ["乙"]


def test_without_electricity_nothing_is_judged_and_the_warnings_stay():
    ytd, without = _year(), _year(power=None)
    assert without.electricity is None and "divergence" not in set(without.warnings.rule)
    others = ytd.warnings[ytd.warnings.rule != "divergence"].drop(columns="power_yoy").reset_index(drop=True)
    assert others.equals(without.warnings.drop(columns="power_yoy").reset_index(drop=True))


def test_describe_warning_of_a_divergence():
    # 14.96% and −5.04% as shown: +15.0% and −5.0%, 20.0 points apart (not 19.9 nor 20.2).
    assert describe_warning("divergence", 0.1496, power=-0.0504) == "产值同比+15.0%，用电同比-5.0%，相差20.0个百分点"


def test_electricity_settings_default_and_from_file(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("[warnings]\n", encoding="utf-8")
    assert load_electricity_settings(path) == ElectricitySettings(20.0)
    path.write_text("[electricity]\ndivergence_points = 15\n", encoding="utf-8")
    assert load_electricity_settings(path).divergence_points == 15.0
    # The shipped settings file says the default.
    assert load_electricity_settings(DEFAULT_PATH) == ElectricitySettings()


@pytest.mark.parametrize("text, words", [
    pytest.param("divergence_points = 0", "divergence_points 应是大于0的数", id="zero"),
    pytest.param("divergence_points = -20", "divergence_points 应是大于0的数", id="negative"),
    pytest.param('divergence_points = "20"', "divergence_points 应是大于0的数", id="text"),
    pytest.param("divergence_points = 0.2", "是百分点数（20 即相差20个百分点）", id="a fraction"),
    pytest.param("divergence_points = inf", "divergence_points 应是大于0的数", id="infinite"),
    pytest.param("divergence = 20", "[electricity] 中有无法识别的设置 divergence", id="unknown key"),
])
def test_bad_electricity_settings_are_refused_in_chinese(tmp_path, text, words):
    assert words in settings_refusal(tmp_path, load_electricity_settings, "[electricity]\n" + text)


def test_the_briefing_says_electricity_beside_output_and_names_the_divergent():
    overall = dict(briefing_sections(_year()))["一、总体情况"]
    # Output 315 against 300 (+5.0%); electricity 75 against 70 (+7.1%); 乙 and 甲 diverge, widest first.
    assert overall[-1] == ("全镇工业用电量75.0万千瓦时，同比增长7.1%（工业总产值同比增长5.0%）。"
                           "产值与用电背离2家（相差20个百分点及以上）："
                           "乙（产值同比0.0%，用电同比+50.0%，相差50.0个百分点）、"
                           "甲（产值同比+15.0%，用电同比-10.0%，相差25.0个百分点），请向企业核实产值与用电情况。")


def test_the_briefing_says_nothing_of_electricity_without_it_and_when_it_falls_short():
    assert not any("用电" in line for _, lines in briefing_sections(_year(power=None)) for line in lines)
    # Electricity through February only: 1-3月 cannot be derived; said, not made up.
    short = _power([(1, "甲", 2023, 1, 2, 30.0, None), (1, "甲", 2024, 1, 2, 28.0, None)])
    assert dict(briefing_sections(_year(power=short)))["一、总体情况"][-1] == "用电数据截至2024年2月，算不出2024年1-3月的累计。"


def test_no_divergence_is_said_as_such():
    # The same growth as output (甲 +15%, 乙 0%): nobody diverges.
    even = _power([(1, "甲", 2023, 1, 3, 40.0, None), (1, "甲", 2024, 1, 3, 46.0, None),
                   (2, "乙", 2023, 1, 3, 20.0, None), (2, "乙", 2024, 1, 3, 20.0, None)])
    line = dict(briefing_sections(_year(power=even)))["一、总体情况"][-1]
    # 66 against 60: +10.0%.
    assert line == ("全镇工业用电量66.0万千瓦时，同比增长10.0%（工业总产值同比增长5.0%）。"
                    "没有产值与用电背离的企业（相差20个百分点及以上）。")
