"""The reader's selection: which periods exist, and what a URL or a session asks for, made valid."""
import pytest
from test_metrics import _observations

from lakou_metrics.compute.metrics import Ledger
from lakou_metrics.domain.selection import (
    choose_selection,
    describe_coverage,
    selection_from_params,
    through_label,
)

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
