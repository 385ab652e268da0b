"""Tables of cases for the pure functions; expected figures worked out by hand."""
import math

import pandas as pd
import pytest

from lakou_metrics.compute.metrics import (
    Ledger,
    compute_aggregate,
    compute_breakdown,
    compute_completion,
    compute_contribution,
    compute_enterprise_figures,
    compute_enterprise_ranking,
    compute_growth,
    compute_pull,
    compute_required_growth,
    compute_schedule,
    compute_schedule_gap,
    compute_share,
    compute_warnings,
)
from lakou_metrics.domain.periods import Period
from lakou_metrics.domain.spans import derive_span


@pytest.mark.parametrize("current, base, expected", [
    (112.5, 100, 0.125),
    (90, 100, -0.10),
    (100, 100, 0.0),
    (0, 50, -1.0),
    pytest.param(100, 0, None, id="prior year zero"),
    pytest.param(100, None, None, id="prior missing"),
    pytest.param(None, 100, None, id="current missing"),
    pytest.param(100, math.nan, None, id="prior NaN"),
    pytest.param(0, 0, None, id="both zero"),
])
def test_growth(current, base, expected):
    result = compute_growth(current, base)
    assert result == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize("part, whole, expected", [
    (25, 100, 0.25), (0, 100, 0.0), pytest.param(5, 0, None, id="whole zero"),
    pytest.param(None, 10, None, id="part missing"),
])
def test_share(part, whole, expected):
    assert compute_share(part, whole) == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize("months, expected", [(3, 0.25), (4, 1 / 3), (6, 0.5), (12, 1.0), (0, 0.0)])
def test_schedule(months, expected):
    assert compute_schedule(months) == pytest.approx(expected)


def test_schedule_rejects_thirteen_months():
    with pytest.raises(ValueError):
        compute_schedule(13)


@pytest.mark.parametrize("actual, target, schedule, completion, gap", [
    # 1-3月: 3,410 of 10,000 done, 25% of the year gone → 34.1%, 9.1 points ahead
    (3410, 10_000, 0.25, 0.341, 0.091),
    # 20.0% at 1-4月 (33.3% as shown): the gap is what a reader subtracts, 20.0 − 33.3 = −13.3
    (2000, 10_000, 1 / 3, 0.2, -0.133),
    # 54.75% is shown 54.8%: 超序时4.8个百分点 beside it, never 4.7 (nor 4.75)
    pytest.param(5475, 10_000, 0.5, 0.5475, 0.048, id="a half of a tenth rounds up"),
    pytest.param(2834, 10_000, 1 / 3, 0.2834, -0.050, id="28.3% at 33.3% is 5.0 behind, not 4.99"),
    pytest.param(100, 0, 0.25, None, None, id="target zero"),
    pytest.param(None, 100, 0.25, None, None, id="no actual"),
])
def test_completion_and_gap(actual, target, schedule, completion, gap):
    done = compute_completion(actual, target)
    assert done == (pytest.approx(completion) if completion is not None else None)
    result = compute_schedule_gap(done, schedule)
    assert result == (pytest.approx(gap) if gap is not None else None)


@pytest.mark.parametrize("target, actual, prior_rest, expected", [
    # 6,000 left to do in months that made 5,000 last year → they must grow 20%
    (10_000, 4_000, 5_000, 0.20),
    (10_000, 10_500, 4_000, -1.125),
    pytest.param(10_000, 4_000, 0, None, id="last year's rest zero"),
    pytest.param(10_000, 4_000, None, None, id="last year's rest unknown"),
])
def test_required_growth(target, actual, prior_rest, expected):
    result = compute_required_growth(target, actual, prior_rest)
    assert result == (pytest.approx(expected) if expected is not None else None)


def test_contribution_and_pull():
    # Whole grew from 200 to 250: part A from 100 to 140, part B from 100 to 110.
    assert compute_contribution(40, 50) == pytest.approx(0.8)
    assert compute_pull(40, 200) == pytest.approx(0.20)
    assert compute_pull(10, 200) == pytest.approx(0.05)
    assert compute_contribution(10, 0) is None


SPANS = {(1, 1): (10.0, None), (2, 2): (20.0, None), (3, 3): (30.0, None), (1, 6): (150.0, 120.0),
         (4, 6): (90.0, None)}


@pytest.mark.parametrize("first, last, value, how", [
    (1, 3, 60.0, "sum"),  # three months
    (1, 6, 150.0, "reported"),
    (4, 6, 90.0, "reported"),
    (2, 3, 50.0, "sum"),
    pytest.param(7, 9, None, None, id="not loaded"),
])
def test_derive_span(first, last, value, how):
    derived = derive_span(SPANS, first, last)
    if value is None:
        assert derived is None
    else:
        assert derived.value == pytest.approx(value)
        assert derived.how == how


def test_derive_span_by_difference():
    # Year-to-date reports only: 二季度 = 1-6月 − 1-3月
    spans = {(1, 3): (100.0, 80.0), (1, 6): (250.0, 200.0)}
    derived = derive_span(spans, 4, 6)
    assert derived.how == "difference"
    assert derived.value == pytest.approx(150.0)
    assert derived.prior == pytest.approx(120.0)


def _observations(rows):
    """rows: (enterprise_id, name, sector, above_scale, year, first, last, value, prior)."""
    frame = pd.DataFrame(rows, columns=["enterprise_id", "name", "sector", "above_scale", "year",
                                        "first_month", "last_month", "value_10k", "prior_10k"])
    frame["credit_code"] = None
    frame["contact"] = None
    frame["above_scale"] = frame["above_scale"].astype("boolean")
    frame["prior_10k"] = frame["prior_10k"].astype(float)
    return frame


def test_comparable_basis_uses_only_enterprises_reporting_now():
    obs = _observations([
        # A reports both years; B only last year (left the set); C is new this year.
        (1, "A", "hardware", True, 2023, 1, 3, 100.0, None),
        (1, "A", "hardware", True, 2024, 1, 3, 120.0, None),
        (2, "B", "metals", True, 2023, 1, 3, 500.0, None),
        (3, "C", "metals", False, 2024, 1, 3, 30.0, None),
    ])
    figures = compute_enterprise_figures(Ledger(obs), Period(2024, 1, 3))
    assert sorted(figures.name) == ["A", "C"]
    total = compute_aggregate(figures)
    # Base: A's 100 and C's 0 (it did not report last year); B's 500 is not in the base.
    assert total.value == pytest.approx(150.0)
    assert total.prior == pytest.approx(100.0)
    assert total.yoy == pytest.approx(0.5)
    by_name = figures.set_index("name")
    assert by_name.loc["C", "base_source"] == "new"
    assert pd.isna(by_name.loc["C", "yoy"])  # in a frame, "no rate" is NaN; never inf


def test_sheet_prior_column_beats_stored_rows():
    obs = _observations([
        (1, "A", "hardware", True, 2023, 1, 3, 100.0, None),
        (1, "A", "hardware", True, 2024, 1, 3, 120.0, 96.0),  # the sheet says 上年同期 96
    ])
    figures = compute_enterprise_figures(Ledger(obs), Period(2024, 1, 3))
    assert figures.prior_10k.iloc[0] == pytest.approx(96.0)
    assert figures.base_source.iloc[0] == "sheet"
    assert figures.yoy.iloc[0] == pytest.approx(0.25)


def test_blank_base_in_a_report_with_bases_means_new():
    obs = _observations([
        (1, "A", "hardware", True, 2024, 1, 3, 120.0, 100.0),
        (2, "B", "hardware", True, 2024, 1, 3, 30.0, None),  # blank 上年同期: did not produce then
    ])
    figures = compute_enterprise_figures(Ledger(obs), Period(2024, 1, 3)).set_index("name")
    assert figures.loc["B", "prior_10k"] == 0 and figures.loc["B", "base_source"] == "new"
    total = compute_aggregate(figures)
    assert total.yoy == pytest.approx(150 / 100 - 1)


def test_no_rate_when_last_year_is_not_loaded():
    obs = _observations([(1, "A", "hardware", True, 2024, 1, 3, 120.0, None)])
    figures = compute_enterprise_figures(Ledger(obs), Period(2024, 1, 3))
    total = compute_aggregate(figures)
    assert total.prior is None and total.yoy is None
    assert figures.base_source.iloc[0] == "unknown"


def test_year_to_date_from_months_and_quarters():
    # Months 1-3 stored for A, quarter 2 for A: 1-6月 sums them.
    obs = _observations([
        (1, "A", "hardware", True, 2024, 1, 1, 10.0, None),
        (1, "A", "hardware", True, 2024, 2, 2, 20.0, None),
        (1, "A", "hardware", True, 2024, 3, 3, 30.0, None),
        (1, "A", "hardware", True, 2024, 4, 6, 140.0, None),
    ])
    figures = compute_enterprise_figures(Ledger(obs), Period(2024, 1, 6))
    assert figures.value_10k.iloc[0] == pytest.approx(200.0)


def test_breakdown_pulls_add_up_to_growth_and_contributions_to_one():
    obs = _observations([
        (1, "A", "hardware", True, 2023, 1, 3, 100.0, None),
        (1, "A", "hardware", True, 2024, 1, 3, 140.0, None),
        (2, "B", "metals", True, 2023, 1, 3, 300.0, None),
        (2, "B", "metals", True, 2024, 1, 3, 270.0, None),
        (3, "C", "other", False, 2023, 1, 3, 100.0, None),
        (3, "C", "other", False, 2024, 1, 3, 140.0, None),
    ])
    figures = compute_enterprise_figures(Ledger(obs), Period(2024, 1, 3))
    sectors = compute_breakdown(figures).set_index("sector")
    # Whole: 500 → 550, +10%. hardware +40 → pull 8 points, contribution 80%.
    assert sectors.loc["hardware", "pull"] == pytest.approx(0.08)
    assert sectors.loc["hardware", "contribution"] == pytest.approx(0.8)
    assert sectors.loc["metals", "pull"] == pytest.approx(-0.06)
    assert sectors.loc["metals", "share"] == pytest.approx(270 / 550)
    assert sectors["pull"].dropna().sum() == pytest.approx(0.10)
    assert sectors["contribution"].dropna().sum() == pytest.approx(1.0)
    # Sectors without enterprises still appear, with no rate.
    assert sectors.loc["photovoltaic", "value_10k"] == 0
    assert pd.isna(sectors.loc["photovoltaic", "yoy"])
    assert not sectors[["yoy", "share", "contribution", "pull"]].isin([math.inf, -math.inf]).any().any()


def test_ranking_by_growth_puts_missing_rates_last():
    obs = _observations([
        (1, "A", "hardware", True, 2023, 1, 3, 100.0, None),
        (1, "A", "hardware", True, 2024, 1, 3, 110.0, None),
        (2, "B", "metals", True, 2023, 1, 3, 100.0, None),
        (2, "B", "metals", True, 2024, 1, 3, 150.0, None),
        (3, "C", "other", True, 2024, 1, 3, 500.0, None),
    ])
    figures = compute_enterprise_figures(Ledger(obs), Period(2024, 1, 3))
    ranked = compute_enterprise_ranking(figures, by="yoy")
    assert list(ranked.name) == ["B", "A", "C"]
    assert list(ranked["rank"]) == [1, 2, 3]
    by_value = compute_enterprise_ranking(figures, by="value_10k")
    assert list(by_value.name) == ["C", "B", "A"]


def test_warnings_levels():
    obs = _observations([
        (1, "跌得多", "hardware", True, 2023, 1, 3, 100.0, None),
        (1, "跌得多", "hardware", True, 2024, 1, 3, 75.0, None),  # -25% → 红
        (2, "小跌", "metals", True, 2023, 1, 3, 100.0, None),
        (2, "小跌", "metals", True, 2024, 1, 3, 95.0, None),  # -5% → 蓝
        (3, "正常", "other", True, 2023, 1, 3, 100.0, None),
        (3, "正常", "other", True, 2024, 1, 3, 110.0, None),
    ])
    ledger = Ledger(obs)
    figures = compute_enterprise_figures(ledger, Period(2024, 1, 3))
    # 正常's own target 1,000: 11% done at 25% of the year → 14 points behind → 橙
    warnings = compute_warnings(figures, None, {3: 1000.0}, months_elapsed=3)
    got = {(w.name, w.rule): w.level for w in warnings.itertuples()}
    assert got == {("跌得多", "decline"): "红", ("小跌", "decline"): "蓝", ("正常", "behind_target"): "橙"}
    assert list(warnings.level)[0] == "红"


def test_at_the_years_end_an_enterprise_misses_its_own_target_instead_of_lagging():
    # 940 of 1,000 for the whole year: 94.0% against 100%, 6.0 points short (蓝: 5 to 10); no 序时 is left.
    obs = _observations([(1, "A", "hardware", True, 2023, 1, 12, 900.0, None),
                         (1, "A", "hardware", True, 2024, 1, 12, 940.0, None)])
    warnings = compute_warnings(compute_enterprise_figures(Ledger(obs), Period(2024, 1, 12)), None, {1: 1000.0},
                                months_elapsed=12)
    assert list(warnings.rule) == ["missed_target"] and list(warnings.level) == ["蓝"]
    assert warnings.value.iloc[0] == pytest.approx(0.940 - 1)


def test_a_sector_ranking_ranks_within_the_sector_against_the_town():
    figures = pd.DataFrame({"enterprise_id": [1, 2, 3], "name": ["甲", "乙", "丙"],
                            "sector": ["hardware", "metals", "hardware"],
                            "value_10k": [300.0, 500.0, 100.0], "prior_10k": [200.0, 400.0, 100.0]})
    ranked = compute_enterprise_ranking(figures, by="value_10k", sector="hardware")
    assert list(ranked.name) == ["甲", "丙"] and list(ranked["rank"]) == [1, 2]
    # the town grew by 200 (100 + 100 + 0) on a base of 700: 甲 gave half of it, pulled 100/700
    assert ranked.contribution.iloc[0] == pytest.approx(0.5)
    assert ranked.pull.iloc[0] == pytest.approx(100 / 700)


# -- swings judged against the season ------------------------------------------------------------

def _months(eid, name, year, values):
    """An enterprise's months 1..n of a year: (enterprise_id, …) rows for _observations."""
    return [(eid, name, "hardware", True, year, m, m, float(v), None) for m, v in enumerate(values, 1)]


# Two earlier years in which March was 40% above February (a Spring Festival February).
SEASON = (_months(1, "甲", 2022, [100, 100, 140]) + _months(1, "甲", 2023, [200, 200, 280])
          + _months(2, "乙", 2022, [50, 50, 70]) + _months(2, "乙", 2023, [50, 50, 70]))


def _march_warnings(rows, settings=None):
    from lakou_metrics.compute.report import compute_year_to_date

    ytd = compute_year_to_date(Ledger(_observations(rows)), Period.ytd(2024, 3), {}, pd.DataFrame(), {},
                               monthly=True, projection=False, **({"settings": settings} if settings else {}))
    return ytd.warnings[ytd.warnings.rule == "swing"].set_index("name")


@pytest.mark.parametrize("march, level", [
    pytest.param(213, None, id="+42% where March is usually +40%: no warning"),
    pytest.param(375, "红", id="+150% against +40%: 110 points off, red"),
    pytest.param(300, "橙", id="+100% against +40%: 60 points off, orange"),
    pytest.param(60, "红", id="-60% against +40%: 100 points below, red"),
])
def test_a_swing_is_judged_against_the_same_months_of_earlier_years(march, level):
    rows = SEASON + _months(1, "甲", 2024, [150, 150, march]) + _months(2, "乙", 2024, [50, 50, 70])
    swings = _march_warnings(rows)
    usual = ((140 / 100 - 1) + (280 / 200 - 1)) / 2  # 甲's own Marches: the median of two years is their mean
    this_year = march / 150 - 1
    if level is None:
        assert "甲" not in swings.index
        return
    row = swings.loc["甲"]
    assert row.value == pytest.approx(this_year) and row.usual == pytest.approx(usual)
    assert row.usual_from == "enterprise" and row.level == level


def test_the_same_swing_without_earlier_years_is_judged_on_itself():
    # +42% raw is no swing, +150% is red, +60% is orange: no season is known.
    rows = (_months(1, "甲", 2024, [150, 150, 213]) + _months(2, "乙", 2024, [100, 100, 250])
            + _months(3, "丙", 2024, [100, 100, 160]))
    swings = _march_warnings(rows)
    assert dict(swings.level) == {"乙": "红", "丙": "橙"}
    assert swings.usual.isna().all() and swings.usual_from.isna().all()
    assert swings.loc["乙"].value == pytest.approx(250 / 100 - 1)


def test_an_enterprise_without_history_takes_the_towns_season():
    # 丙 opened in 2024: its +60% is set beside the town's usual March, +40% in both years
    # ((140 + 70) / (100 + 50) and (280 + 70) / (200 + 50)), so it is 20 points off: no swing.
    rows = (SEASON + _months(1, "甲", 2024, [150, 150, 213]) + _months(2, "乙", 2024, [50, 50, 70])
            + _months(3, "丙", 2024, [100, 100, 160]))
    assert "丙" not in _march_warnings(rows).index
    # At +130% it is 90 points off the town's +40%: orange, and it says whose season it was.
    rows[-1] = (3, "丙", "hardware", True, 2024, 3, 3, 230.0, None)
    row = _march_warnings(rows).loc["丙"]
    town = [(140 + 70) / (100 + 50) - 1, (280 + 70) / (200 + 50) - 1]
    assert row.usual == pytest.approx(sum(town) / 2) and row.usual_from == "town" and row.level == "橙"


def test_the_usual_swing_is_the_median_of_the_years():
    from lakou_metrics.compute.metrics import compute_usual_mom

    # Three earlier Marches: +40%, +10%, +400% (a year the plant restarted): the median is +40%.
    rows = (_months(1, "甲", 2021, [100, 100, 140]) + _months(1, "甲", 2022, [100, 100, 110])
            + _months(1, "甲", 2023, [100, 100, 500]) + _months(1, "甲", 2024, [100, 100, 150]))
    usual = compute_usual_mom(Ledger(_observations(rows)), Period.month(2024, 3), [1])
    assert usual.usual_mom.tolist() == pytest.approx([0.40]) and usual.usual_from.tolist() == ["enterprise"]


def test_a_first_quarter_looks_back_only_as_far_as_the_years_read():
    from lakou_metrics.compute.metrics import compute_usual_mom

    # 一季度 against the last quarter of the year before: 2023Q1 (against 2022Q4) and 2022Q1
    # (against 2021Q4) are within the three years before 2024 that the pages read; 2021Q1 would
    # need 2020Q4, which is not read, so its +900% is not part of the season.
    # (Third quarters too: a year's 环比 counts when the plant was producing the quarter before as well.)
    quarters = {(2020, 4): 10.0, (2021, 1): 100.0, (2021, 3): 100.0, (2021, 4): 100.0, (2022, 1): 70.0,
                (2022, 3): 100.0, (2022, 4): 100.0, (2023, 1): 90.0, (2023, 4): 100.0, (2024, 1): 100.0}
    rows = [(1, "甲", "hardware", True, y, q * 3 - 2, q * 3, v, None) for (y, q), v in quarters.items()]
    usual = compute_usual_mom(Ledger(_observations(rows)), Period.quarter(2024, 1), [1])
    # −10% and −30%: the median of two years is their mean, −20%.
    assert usual.usual_mom.tolist() == pytest.approx([((90 / 100 - 1) + (70 / 100 - 1)) / 2])


@pytest.mark.parametrize("now, warned", [
    pytest.param(9996.0, False, id="-0.04% is shown 0.0%: no 同比下降"),
    pytest.param(9995.0, True, id="-0.05% is shown -0.1%: a decline, blue"),
])
def test_a_decline_is_one_that_shows(now, warned):
    obs = _observations([(1, "A", "hardware", True, 2023, 1, 3, 10_000.0, None),
                         (1, "A", "hardware", True, 2024, 1, 3, now, None)])
    warnings = compute_warnings(compute_enterprise_figures(Ledger(obs), Period(2024, 1, 3)))
    assert (list(warnings.rule) == ["decline"]) is warned
    if warned:
        assert list(warnings.level) == ["蓝"]


def test_behind_its_own_target_as_shown():
    # 283.4 of 1,000 at 1-4月: 28.3% against 33.3%, shown 5.0 points behind: at the blue line
    # (−4.99 unrounded, which no reader sees).
    obs = _observations([(1, "A", "hardware", True, 2023, 1, 4, 200.0, None),
                         (1, "A", "hardware", True, 2024, 1, 4, 283.4, None)])
    warnings = compute_warnings(compute_enterprise_figures(Ledger(obs), Period(2024, 1, 4)), None, {1: 1000.0},
                                months_elapsed=4)
    assert list(warnings.rule) == ["behind_target"] and list(warnings.level) == ["蓝"]
    assert warnings.value.iloc[0] == pytest.approx(0.283 - 0.333)


def _month_rows(eid, name, sector, above, year, values: dict[int, float]):
    return [(eid, name, sector, above, year, m, m, v, None) for m, v in values.items()]


# 2023 in full, 2024 through October. 丙 has not reported October, 丁 not March (both reported
# last year: missing, not zero); 新厂 has no 2023 and opened in October.
TOWN = _observations(
    _month_rows(1, "甲", "hardware", True, 2023, {m: 100.0 for m in range(1, 13)})
    + _month_rows(1, "甲", "hardware", True, 2024, {m: 110.0 for m in range(1, 11)})
    + _month_rows(2, "乙", "metals", False, 2023, {m: 50.0 for m in range(1, 13)})
    + _month_rows(2, "乙", "metals", False, 2024, {m: 60.0 for m in range(1, 11)})
    + _month_rows(3, "丙", "other", True, 2023, {m: 80.0 for m in range(1, 13)})
    + _month_rows(3, "丙", "other", True, 2024, {m: 90.0 for m in range(1, 10)})
    + _month_rows(4, "丁", "building_materials", False, 2023, {m: 20.0 for m in range(1, 13)})
    + _month_rows(4, "丁", "building_materials", False, 2024, {m: 25.0 for m in range(1, 11) if m != 3})
    + _month_rows(5, "新厂", "photovoltaic", True, 2024, {10: 500.0}))


def test_a_new_enterprise_counts_from_its_first_month_and_says_its_share():
    figures = compute_enterprise_figures(Ledger(TOWN), Period.ytd(2024, 10)).set_index("name")
    assert sorted(figures.index) == ["乙", "新厂", "甲"]  # 丙 and 丁 owe a month: not in the year to date
    assert figures.loc["新厂", "value_10k"] == 500.0 and figures.loc["新厂", "base_source"] == "new"
    total = compute_aggregate(figures.reset_index())
    reported, base = 10 * 110 + 10 * 60 + 500, 10 * 100 + 10 * 50 + 0
    assert total.value == reported and total.prior == base
    assert total.yoy == pytest.approx(reported / base - 1)
    assert (total.new, total.new_value) == (1, 500.0)
    assert total.new_share == pytest.approx(500 / reported)
    assert total.existing_yoy == pytest.approx((reported - 500) / base - 1)
    # The month card and the year to date agree: 新厂 is in both.
    october = compute_enterprise_figures(Ledger(TOWN), Period.month(2024, 10))
    assert "新厂" in set(october.name)


@pytest.mark.parametrize("through, reported, missing, months", [
    pytest.param(10, ["甲", "乙", "新厂"], ["丙", "丁"], [(10,), (3,)], id="1-10月: 新厂 from October"),
    pytest.param(9, ["甲", "乙", "丙"], ["丁"], [(3,)], id="1-9月: 新厂 not open yet, not expected"),
    pytest.param(2, ["甲", "乙", "丙", "丁"], [], [], id="1-2月: all reported"),
])
def test_who_has_reported_a_year_to_date(through, reported, missing, months):
    from lakou_metrics.compute.metrics import compute_reporting

    ledger = Ledger(TOWN)
    found = compute_reporting(ledger, Period.ytd(2024, through))
    names = ledger.enterprises.name
    assert sorted(names[list(found.reported)]) == sorted(reported)
    assert list(found.missing_names) == missing
    assert list(found.missing_months) == months
    assert found.describe() == f"已报送 {len(reported)}/{len(reported) + len(missing)} 家"


def test_the_estimate_is_last_years_same_months_times_the_comparable_growth():
    from lakou_metrics.compute.metrics import compute_estimate, compute_reporting, select_scope

    ledger = Ledger(TOWN)
    period = Period.ytd(2024, 10)
    figures = compute_enterprise_figures(ledger, period)
    reporting = compute_reporting(ledger, period)
    # All enterprises: 丙 (800 in 1-10月 2023) and 丁 (200) grow as 甲 and 乙 did (1700 on 1500);
    # 新厂 has no 上年同期 and does not set the growth.
    growth = (1100 + 600) / (1000 + 500) - 1
    estimate = compute_estimate(ledger, reporting, compute_aggregate(figures))
    assert estimate.missing == 2 and estimate.enterprises == 2 and estimate.unestimated == 0
    assert estimate.growth == pytest.approx(growth)
    assert estimate.estimated == pytest.approx((800 + 200) * (1 + growth))
    assert estimate.reported == 2200 and estimate.value == pytest.approx(2200 + (800 + 200) * (1 + growth))
    # 规上: 甲 and 新厂 reported (1600), 丙 missing; 甲 grew 1100 on 1000.
    above = compute_estimate(ledger, reporting, compute_aggregate(select_scope(figures, True)), above_only=True)
    assert above.missing == 1 and above.value == pytest.approx(1600 + 800 * 1.1)
    assert compute_estimate(ledger, compute_reporting(ledger, Period.ytd(2024, 2)), compute_aggregate(
        compute_enterprise_figures(ledger, Period.ytd(2024, 2)))) is None


def test_a_plants_opening_months_are_not_its_season():
    from lakou_metrics.compute.metrics import compute_usual_mom

    # 乙 opened in February 2023: its March 2023 (+200% on a part February) is ramp-up, not season;
    # its only usable year would be none, so it takes the town's: 甲's +40% of 2022 and 2023.
    rows = (_months(1, "甲", 2022, [100, 100, 140]) + _months(1, "甲", 2023, [100, 100, 140])
            + [(2, "乙", "hardware", True, 2023, m, m, v, None) for m, v in ((2, 50.0), (3, 150.0))]
            + _months(1, "甲", 2024, [100, 100, 140]) + _months(2, "乙", 2024, [150, 150, 160]))
    usual = compute_usual_mom(Ledger(_observations(rows)), Period.month(2024, 3), [1, 2])
    assert usual.usual_mom.tolist() == pytest.approx([0.40, 0.40])
    assert usual.usual_from.tolist() == ["enterprise", "town"]


def test_a_red_surge_is_to_be_checked_not_visited_about_a_fall():
    from lakou_metrics.compute.report import compute_year_to_date
    from lakou_metrics.output.text import problems_and_suggestions

    # 甲's March +150% against its usual +40% (red, upward); 乙's 2024 falls 30% year on year (red).
    rows = SEASON + _months(1, "甲", 2024, [150, 150, 375]) + _months(2, "乙", 2024, [35, 35, 49])
    ytd = compute_year_to_date(Ledger(_observations(rows)), Period.ytd(2024, 3), {}, pd.DataFrame(), {},
                               monthly=True, projection=False)
    _, suggestions = problems_and_suggestions(ytd)
    (visit,) = [s for s in suggestions if "停减产" in s]
    (check,) = [s for s in suggestions if "核实报送数据" in s]
    assert "乙" in visit and "甲" not in visit and "甲" in check


def test_only_a_decline_is_a_stop_to_visit_about_a_swing_or_a_lag_has_its_own_words():
    from lakou_metrics.compute.report import compute_year_to_date
    from lakou_metrics.domain import labels
    from lakou_metrics.output.text import problems_and_suggestions

    # 甲 grows (1010 on 680: +48.5%) but its March falls 98.0% (10 on 500) against its usual +40%:
    # 138.0 points below its season, red for the swing alone. 乙 falls 30% (119 on 170): red decline.
    # 丙 is flat (30 on 30) but has done 30 of its own 1000 by March: 3.0% against 25.0%, 22.0 points
    # behind (red at -20).
    rows = (SEASON + _months(3, "丙", 2023, [10, 10, 10]) + _months(1, "甲", 2024, [500, 500, 10])
            + _months(2, "乙", 2024, [35, 35, 49]) + _months(3, "丙", 2024, [10, 10, 10]))
    ytd = compute_year_to_date(Ledger(_observations(rows)), Period.ytd(2024, 3), {}, pd.DataFrame(), {3: 1000.0},
                               monthly=True, projection=False)
    red = ytd.warnings[ytd.warnings.level == "红"]
    assert sorted(zip(red.name, red.rule)) == [("丙", "behind_target"), ("乙", "decline"), ("甲", "swing")]
    _, suggestions = problems_and_suggestions(ytd)
    said = [s.split(". ", 1)[1] for s in suggestions]
    assert labels.VISIT_DECLINE + "乙。" in said
    assert labels.VISIT_BEHIND + "丙。" in said
    assert labels.CHECK_DROP + "甲。" in said
    assert not any(labels.CHECK_SURGE in s for s in said)
    assert [s for s in said if "停减产" in s] == [labels.VISIT_DECLINE + "乙。"]
