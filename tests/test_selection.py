"""The reader's selection: which periods exist, and what a URL or a session asks for, made valid."""
import pytest
from test_metrics import _observations

from lakou_metrics.compute.metrics import Ledger, StoredSpan, compute_stored_spans
from lakou_metrics.domain.periods import Period
from lakou_metrics.domain.selection import (
    Selection,
    choose_evaluation_year,
    choose_selection,
    describe_coverage,
    describe_fallback,
    describe_months,
    months_needed,
    selection_from_params,
    through_label,
)
from lakou_metrics.output.text import describe_stored_only

AVAILABLE = {2023: list(range(1, 13)), 2024: [3, 6, 9, 10]}


@pytest.mark.parametrize("asked, expected", [
    pytest.param({}, (2024, 10, False), id="nothing asked: the latest period"),
    pytest.param({"year": "2023", "through": "3", "scope": "above"}, (2023, 3, True), id="as asked"),
    pytest.param({"year": 2023, "through": 3}, (2023, 3, False), id="numbers as a session keeps them"),
    pytest.param({"year": "2024", "through": "4"}, (2024, 10, False), id="a month without data"),
    pytest.param({"year": "2024", "through": "7"}, (2024, 10, False), id="quarterly year, month between"),
    pytest.param({"year": "1999", "through": "3"}, (2024, 3, False), id="unknown year keeps the month"),
    pytest.param({"year": "abc", "through": "", "scope": "everyone"}, (2024, 10, False), id="nonsense"),
])
def test_choose_selection(asked, expected):
    selection = choose_selection(AVAILABLE, **asked)
    assert (selection.period.year, selection.period.last, selection.above_only) == expected
    assert selection.period.first == 1


def test_no_data_no_selection():
    assert choose_selection({}) is None
    assert choose_selection({2024: []}) is None


def test_the_url_round_trip():
    selection = selection_from_params({"year": "2023", "through": "3", "scope": "above"}, AVAILABLE)
    assert selection.params() == {"year": "2023", "through": "3", "scope": "above"}
    assert selection_from_params(selection.params(), AVAILABLE) == selection
    assert selection.heading() == "2023年1-3月 · 规上企业"


@pytest.mark.parametrize("months, text", [(1, "1月"), (3, "1-3月（一季度）"), (6, "1-6月（上半年）"),
                                          (9, "1-9月（前三季度）"), (10, "1-10月"), (12, "1-12月（全年）")])
def test_through_label(months, text):
    assert through_label(months) == text


def test_describe_coverage():
    assert describe_coverage([3, 6, 9, 10], 2024) == "2024年数据已到10月（可选截至3、6、9、10月）"
    assert describe_coverage([], 2025) == "2025年还没有数据"


def test_ytd_months_offers_only_months_with_data():
    ledger = Ledger(_observations([
        # 2024: quarterly year-to-date reports, then October alone.
        (1, "A", "hardware", True, 2024, 1, 3, 30.0, None),
        (1, "A", "hardware", True, 2024, 1, 6, 70.0, None),
        (1, "A", "hardware", True, 2024, 1, 9, 100.0, None),
        (1, "A", "hardware", True, 2024, 10, 10, 12.0, None),
        # 2023: months 1-4, but a gap at 3 for the only enterprise: 1-3 and 1-4 cannot be derived.
        (1, "A", "hardware", True, 2023, 1, 1, 10.0, None),
        (1, "A", "hardware", True, 2023, 2, 2, 10.0, None),
        (1, "A", "hardware", True, 2023, 4, 4, 10.0, None),
    ]))
    assert ledger.ytd_months(2024) == [3, 6, 9, 10]
    assert ledger.ytd_months(2023) == [1, 2]
    assert ledger.ytd_months(2022) == []


@pytest.mark.parametrize("spans, through, needed", [
    pytest.param([(10, 10)], 10, list(range(1, 10)), id="October alone: 1-9"),
    pytest.param([(10, 10), (11, 11)], 11, list(range(1, 10)), id="October and November: 1-9"),
    pytest.param([(10, 12)], 12, list(range(1, 10)), id="the fourth quarter: 1-9"),
    pytest.param([(4, 6), (10, 10)], 10, [1, 2, 3, 7, 8, 9], id="a quarter and a month: the gaps"),
    pytest.param([(1, 3)], 3, [], id="a year to date needs nothing"),
])
def test_months_needed(spans, through, needed):
    assert months_needed([Period(2024, a, b) for a, b in spans], through) == needed


@pytest.mark.parametrize("months, text", [
    pytest.param(list(range(1, 10)), "1-9月", id="one run"),
    pytest.param([1, 2, 3, 7, 8, 9], "1-3、7-9月", id="two runs"),
    pytest.param([1, 2, 5], "1-2、5月", id="a run and a month"),
    pytest.param([5], "5月", id="one month"),
])
def test_describe_months(months, text):
    assert describe_months(months) == text


# A town holding 2024's October alone (two enterprises); below, a third enterprise reports the
# fourth quarter (10-12) beside them.
OCTOBER_ONLY = [(1, "A", "hardware", True, 2024, 10, 10, 300.0, None),
                (2, "B", "photovoltaic", False, 2024, 10, 10, 50.5, None)]


def test_stored_spans_of_a_year_without_a_year_to_date():
    ledger = Ledger(_observations(OCTOBER_ONLY))
    assert ledger.ytd_months(2024) == []
    assert compute_stored_spans(ledger, 2024) == [StoredSpan(Period(2024, 10, 10), 2, 300.0 + 50.5)]
    assert compute_stored_spans(ledger, 2023) == []
    with_quarter = Ledger(_observations([*OCTOBER_ONLY, (3, "C", "hardware", True, 2024, 10, 12, 90.0, None)]))
    assert compute_stored_spans(with_quarter, 2024) == [
        StoredSpan(Period(2024, 10, 10), 2, 350.5), StoredSpan(Period(2024, 10, 12), 1, 90.0)]


def test_what_a_town_without_a_year_to_date_is_told():
    stored = {2024: [StoredSpan(Period(2024, 10, 10), 2, 350.5)], 2023: []}
    assert describe_stored_only("温溪镇", stored) == [
        "温溪镇已存的产值数据还不能算出累计（1-N月），所以各页的累计、同比和目标完成情况暂时无法显示。",
        "2024年已存有：2024年10月，2 家企业，合计 350.5万元。",
        "2024年1-10月的累计还需要2024年1-9月的数据（逐月或“1-N月累计”的报表均可），导入后各页即可显示。",
    ]


@pytest.mark.parametrize(("asked", "expected"), [
    pytest.param({"year": "2024", "through": "8"}, "腊口镇没有2024年1-8月的数据，显示的是2024年1-9月。", id="a month not held"),
    pytest.param({"year": "2021", "through": "9"}, "腊口镇没有2021年1-9月的数据，显示的是2024年1-9月。", id="a year not held"),
    pytest.param({"year": "2021"}, "腊口镇没有2021年的数据，显示的是2024年1-9月。", id="a year alone"),
    pytest.param({"year": "2024", "through": "9"}, None, id="the period shown"),
    pytest.param({"year": "2024"}, None, id="the year shown, no month asked"),
    pytest.param({"year": "2024", "through": "13"}, None, id="no month"),
    pytest.param({}, None, id="nothing asked"),
])
def test_describe_fallback_says_when_the_period_shown_is_not_the_one_asked(asked, expected):
    shown = Selection(Period.ytd(2024, 9), above_only=False)
    assert describe_fallback(asked, shown, "腊口镇") == expected


@pytest.mark.parametrize("years, asked, shown", [
    pytest.param([2022, 2023], "2023", 2023, id="the year asked has evaluation data"),
    pytest.param([2022, 2023], "2024", 2023, id="a year to date of 2024: the 2023 evaluation"),
    pytest.param([2021, 2023], "2022", 2021, id="the latest before it"),
    pytest.param([2022, 2023], "2020", 2023, id="none before it: the latest"),
    pytest.param([2022, 2023], None, 2023, id="nothing asked"),
    pytest.param([2022, 2023], "x", 2023, id="nonsense"),
    pytest.param([], "2023", None, id="no evaluation data"),
])
def test_choose_evaluation_year(years, asked, shown):
    assert choose_evaluation_year(years, asked) == shown
