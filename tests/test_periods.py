import datetime as dt

import pytest

from lakou_metrics.domain.periods import Period, parse_period, parse_through, summarise_periods


@pytest.mark.parametrize("text, expected", [
    ("2024Q1", Period(2024, 1, 3)),
    ("2024q3", Period(2024, 7, 9)),
    ("2024年一季度", Period(2024, 1, 3)),
    ("2024年第二季度", Period(2024, 4, 6)),
    ("2024年3季度", Period(2024, 7, 9)),
    ("2024年3月", Period(2024, 3, 3)),
    ("2024-03", Period(2024, 3, 3)),
    ("2024.11", Period(2024, 11, 11)),
    ("202404", Period(2024, 4, 4)),
    ("2024M04", Period(2024, 4, 4)),
    ("2024年1-3月", Period(2024, 1, 3)),
    ("腊口镇2024年1—4月工业产值快报", Period(2024, 1, 4)),
    ("２０２４年１－６月", Period(2024, 1, 6)),
    ("2024年上半年", Period(2024, 1, 6)),
    ("2024年前三季度", Period(2024, 1, 9)),
    (dt.date(2023, 5, 1), Period(2023, 5, 5)),
    (dt.datetime(2023, 12, 31, 0, 0), Period(2023, 12, 12)),
    pytest.param("工业产值", None, id="no period"),
    pytest.param("2024年13月", None, id="month 13"),
    pytest.param("", None, id="blank"),
])
def test_parse_period(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("一季度", Period(2023, 1, 3)),
    ("第四季度", Period(2023, 10, 12)),
    ("3月", Period(2023, 3, 3)),
    ("1-4月", Period(2023, 1, 4)),
    (7.0, Period(2023, 7, 7)),
])
def test_parse_period_without_year_uses_default(text, expected):
    assert parse_period(text, default_year=2023) == expected


@pytest.mark.parametrize("period, label, code", [
    (Period(2024, 3, 3), "2024年3月", "2024M03"),
    (Period(2024, 4, 6), "2024年二季度", "2024Q2"),
    (Period(2024, 1, 3), "2024年1-3月", "2024Q1"),
    (Period(2024, 1, 9), "2024年1-9月", "2024M01-M09"),
])
def test_labels_and_codes(period, label, code):
    assert period.label() == label
    assert period.code == code


@pytest.mark.parametrize("period, previous", [
    (Period(2024, 4, 6), Period(2024, 1, 3)),
    (Period(2024, 1, 3), Period(2023, 10, 12)),
    (Period(2024, 1, 1), Period(2023, 12, 12)),
    (Period(2024, 5, 5), Period(2024, 4, 4)),
    pytest.param(Period(2024, 1, 5), None, id="five months has no even previous"),
])
def test_previous(period, previous):
    assert period.previous() == previous


@pytest.mark.parametrize("through, last", [("Q1", 3), ("q4", 12), ("M04", 4), ("M12", 12)])
def test_parse_through(through, last):
    assert parse_through(through, 2024) == Period(2024, 1, last)


@pytest.mark.parametrize("bad", ["Q5", "M13", "2024Q1", "", "M00"])
def test_parse_through_rejects(bad):
    with pytest.raises(ValueError):
        parse_through(bad, 2024)


def test_summarise_periods_folds_runs_of_months():
    months = [Period.month(2022, m) for m in range(12, 0, -1)] + [Period.month(2023, 1)]
    assert summarise_periods(months) == ["2022年1-12月各月", "2023年1月"]
    mixed = [Period(2024, 1, 6), Period(2024, 4, 6), Period.month(2024, 7), Period.month(2024, 8)]
    assert summarise_periods(mixed) == ["2024年1-6月", "2024年二季度", "2024年7月", "2024年8月"]


@pytest.mark.parametrize("day, written", [
    pytest.param(dt.date(2023, 9, 30), "2023年9月30日", id="a date"),
    pytest.param("2026-12-04", "2026年12月4日", id="ISO text: no leading zeros"),
    pytest.param("2024-04-20T10:00:00", "2024年4月20日", id="a stored import time"),
    pytest.param(None, "—", id="none"),
])
def test_a_day_is_written_the_chinese_way(day, written):
    from lakou_metrics.domain.periods import format_day

    assert format_day(day) == written
