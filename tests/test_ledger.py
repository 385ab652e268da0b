"""The ledger derives every enterprise's span at once; each result must equal derive_span's for
that enterprise alone, in every shape of reporting (months, year to date, quarters, mixtures),
including missing months and missing 上年同期."""
import math
import random

import pandas as pd
import pytest

from lakou_metrics.compute.ledger import Ledger
from lakou_metrics.domain.periods import Period
from lakou_metrics.domain.spans import derive_span


def _enterprise_spans(rng: random.Random, shape: str) -> dict:
    """{(first, last): (value, prior)} of one enterprise reporting in `shape`."""
    def figure():
        value = round(rng.uniform(0, 900), rng.choice([0, 1, 4]))
        prior = None if rng.random() < 0.2 else round(rng.uniform(0, 900), 2)
        return value, prior

    months = [m for m in range(1, 13) if rng.random() > 0.15]
    if shape == "monthly":
        return {(m, m): figure() for m in months}
    if shape == "cumulative":
        return {(1, m): figure() for m in months}
    if shape == "quarterly":
        return {(q * 3 - 2, q * 3): figure() for q in range(1, 5) if rng.random() > 0.2}
    spans = {(m, m): figure() for m in months[: len(months) // 2]}  # mixed: months, then quarters or 1..m
    spans.update({(1, m): figure() for m in (6, 9, 12) if rng.random() > 0.3})
    spans.update({(a, a + 2): figure() for a in (4, 7, 10) if rng.random() > 0.5})
    return spans


def _frame(by_enterprise: dict[int, dict], year: int = 2024) -> pd.DataFrame:
    rows = [(eid, f"企业{eid}", None, "other", None, None, year, a, b, v, math.nan if p is None else p)
            for eid, spans in by_enterprise.items() for (a, b), (v, p) in spans.items()]
    return pd.DataFrame(rows, columns=["enterprise_id", "name", "credit_code", "sector", "above_scale", "contact",
                                       "year", "first_month", "last_month", "value_10k", "prior_10k"])


@pytest.mark.parametrize("seed", range(6))
def test_every_span_of_every_enterprise_equals_derive_span(seed):
    rng = random.Random(seed)
    shapes = ["monthly", "cumulative", "quarterly", "mixed"]
    by_enterprise = {eid: _enterprise_spans(rng, rng.choice(shapes)) for eid in range(1, 61)}
    by_enterprise = {e: s for e, s in by_enterprise.items() if s}
    ledger = Ledger(_frame(by_enterprise))
    for first in range(1, 13):
        for last in range(first, 13):
            ids, values, priors = ledger.derive_arrays(Period(2024, first, last))
            got = {int(e): (v, p) for e, v, p in zip(ids, values, priors)}
            expected = {eid: derive_span(spans, first, last) for eid, spans in by_enterprise.items()}
            expected = {eid: d for eid, d in expected.items() if d is not None}
            assert sorted(got) == sorted(expected), (first, last)
            for eid, derived in expected.items():
                # the same additions in the same order: equal to the last bit, not approximately
                assert got[eid][0] == derived.value, (eid, first, last)
                if derived.prior is None:
                    assert math.isnan(got[eid][1]), (eid, first, last)
                else:
                    assert got[eid][1] == derived.prior, (eid, first, last)
                one = ledger.derive(eid, Period(2024, first, last))
                assert one is not None and one.value == derived.value


def test_months_with_a_year_to_date_and_totals_in_the_order_given():
    by_enterprise = {
        1: {(m, m): (1.0, None) for m in (1, 2, 3, 5)},  # April missing: 1-5 cannot be known
        2: {(1, 3): (10.0, None), (1, 6): (25.0, None)},  # year to date only, quarter ends
    }
    ledger = Ledger(_frame(by_enterprise))
    assert ledger.ytd_months(2024) == [1, 2, 3, 6]
    assert ledger.months_loaded(2024) == 6
    assert ledger.total([2, 1], Period.ytd(2024, 3)) == 10.0 + 3.0
    assert ledger.total([1], Period(2024, 4, 6)) is None
    ids, values, _ = ledger.derive_arrays(Period(2024, 4, 6))
    assert dict(zip(ids.tolist(), values.tolist())) == {2: 15.0}
    assert ledger.total([1, 2], Period(2025, 1, 3)) is None
    assert ledger.ytd_months(2025) == []


def test_the_latest_reported_scale_flag_wins_and_a_row_without_one_takes_the_register():
    rows = [(7, 1, True), (7, 2, None), (7, 3, False), (8, 1, None), (8, 2, None)]
    frame = pd.DataFrame({"enterprise_id": [e for e, _, _ in rows], "first_month": [m for _, m, _ in rows],
                          "last_month": [m for _, m, _ in rows], "value_10k": 1.0, "prior_10k": math.nan,
                          "above_scale": pd.array([f for _, _, f in rows], dtype="boolean")})
    from lakou_metrics.compute.ledger import YearSpans

    register = pd.DataFrame({"name": ["甲", "乙"], "credit_code": None, "sector": "other", "contact": None,
                             "above_scale": pd.array([False, True], dtype="boolean")}, index=[7, 8])
    ledger = Ledger.from_years([2024], lambda year: YearSpans(year, frame), register)
    def flag(enterprise, month):
        return bool(ledger.above_scale_all(Period.ytd(2024, month))[enterprise])

    # through February: enterprise 7's February row has no flag, so the register's (否) stands for it
    assert flag(7, 2) is False
    assert flag(7, 1) is True
    assert flag(7, 3) is False
    assert flag(8, 2) is True
    assert ledger.years() == [2024]


def _new_enterprise_spans(rng: random.Random, shape: str) -> dict:
    """Spans of an enterprise that opens in a month after January (months, quarters or a mixture
    from that month on), some with a 上年同期 of 0 (a sheet that writes 0 for none)."""
    opened = rng.randint(2, 12)
    months = [m for m in range(opened, 13) if m == opened or rng.random() > 0.15]
    def figure():
        return round(rng.uniform(0, 900), rng.choice([0, 1, 4])), rng.choice([None, None, 0.0])

    spans = {(m, m): figure() for m in months}
    if shape == "mixed" and opened <= 10:
        spans = {(opened, opened): figure(), (opened + 1, min(opened + 2, 12)): figure()}
    return spans


@pytest.mark.parametrize("seed", range(6))
def test_new_enterprises_count_from_their_first_month_in_every_path(seed):
    """Vectorised and one by one, a new enterprise's span equals derive_span with `opened` its first
    month; an enterprise that reported last year (or whose sheet gives a 上年同期) keeps its gaps."""
    rng = random.Random(100 + seed)
    shapes = ["monthly", "cumulative", "quarterly", "mixed"]
    this_year = {eid: _enterprise_spans(rng, rng.choice(shapes)) for eid in range(1, 31)}
    this_year.update({eid: _new_enterprise_spans(rng, rng.choice(["monthly", "mixed"])) for eid in range(31, 51)})
    # Some late starters did report last year: a gap, never a zero. One carries a 上年同期 above 0.
    last_year = {eid: {(1, 12): (100.0, None)} for eid in list(range(1, 31)) + [45, 46, 47]}
    first_of_48 = min(a for a, _ in this_year[48])
    this_year[48][(first_of_48, first_of_48)] = (5.0, 3.0)
    this_year = {e: s for e, s in this_year.items() if s}
    frame = pd.concat([_frame(this_year, 2024), _frame(last_year, 2023)], ignore_index=True)
    ledger = Ledger(frame)

    def opened(eid):  # written out from the rule, not from the ledger
        spans = this_year[eid]
        first = min(a for a, _ in spans)
        with_prior = any(p is not None and p > 0 for _, p in spans.values())
        return first if eid not in last_year and not with_prior and first > 1 else 1

    assert ledger.opened(2024) == {e: opened(e) for e in this_year if opened(e) > 1}
    assert {45, 46, 47, 48}.isdisjoint(ledger.opened(2024))
    for first in range(1, 13):
        for last in range(first, 13):
            ids, values, priors = ledger.derive_arrays(Period(2024, first, last))
            got = {int(e): (v, p) for e, v, p in zip(ids, values, priors)}
            expected = {eid: derive_span(spans, first, last, opened(eid)) for eid, spans in this_year.items()}
            expected = {eid: d for eid, d in expected.items() if d is not None}
            assert sorted(got) == sorted(expected), (first, last)
            for eid, derived in expected.items():
                assert got[eid][0] == derived.value, (eid, first, last)  # to the last bit
                assert (math.isnan(got[eid][1]) if derived.prior is None else got[eid][1] == derived.prior)
                assert ledger.derive(eid, Period(2024, first, last)).value == derived.value


@pytest.mark.parametrize("spans, first, last, opened, expected", [
    pytest.param({(10, 10): (500.0, None)}, 1, 10, 10, 500.0, id="opened October: 1-10月 is October"),
    pytest.param({(10, 10): (500.0, None)}, 1, 10, 1, None, id="not new: January to September missing"),
    pytest.param({(10, 10): (500.0, None)}, 1, 9, 10, None, id="a span before it opened has no figure"),
    pytest.param({(4, 4): (10.0, None), (5, 6): (30.0, None)}, 1, 6, 4, 40.0, id="a month and a span after it"),
    pytest.param({(4, 4): (10.0, None), (6, 6): (30.0, None)}, 1, 6, 4, None, id="a gap after it opened"),
    pytest.param({(4, 4): (10.0, None), (5, 5): (30.0, None)}, 5, 5, 4, 30.0, id="a span after it opened"),
])
def test_derive_span_of_a_new_enterprise(spans, first, last, opened, expected):
    derived = derive_span(spans, first, last, opened)
    assert (derived is None) if expected is None else derived.value == expected


def test_a_new_enterprise_is_expected_from_the_month_it_opens_and_a_gap_is_a_missing_month():
    by_2024 = {1: {(m, m): (10.0, None) for m in range(1, 11)},  # every month
               2: {(m, m): (10.0, None) for m in range(1, 11) if m != 3},  # March missing
               3: {(10, 10): (500.0, None)}}  # opened in October
    ledger = Ledger(pd.concat([_frame(by_2024, 2024), _frame({1: {(1, 12): (99.0, None)}, 2: {(1, 12): (99.0, None)}},
                                                             2023)], ignore_index=True))
    assert ledger.expected(Period.ytd(2024, 9)) == [1, 2]
    assert ledger.expected(Period.ytd(2024, 10)) == [1, 2, 3]
    assert ledger.reporting(Period.ytd(2024, 10)) == [1, 3]
    assert ledger.total([1, 2, 3], Period.ytd(2024, 10)) == 10 * 10.0 + 500.0
    assert ledger.months_missing(2, Period.ytd(2024, 10)) == [3]
    assert ledger.months_missing(3, Period.ytd(2024, 10)) == []
    assert ledger.ytd_months(2024) == list(range(1, 11))


def test_without_last_year_stored_a_late_first_month_is_a_gap_not_an_opening():
    # Only 2024 is stored: whether an enterprise first reporting in October is new cannot be told.
    ledger = Ledger(_frame({1: {(m, m): (10.0, None) for m in range(1, 11)}, 2: {(10, 10): (500.0, None)}}, 2024))
    assert ledger.opened(2024) == {}
    assert ledger.reporting(Period.ytd(2024, 10)) == [1]
