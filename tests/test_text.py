"""The sentences of a briefing: figures as shown (四舍五入), and sentences that agree with them."""
import pandas as pd
import pytest
from test_metrics import _months, _observations

from lakou_metrics.compute.cockpit import PeerLine
from lakou_metrics.compute.metrics import Ledger
from lakou_metrics.compute.report import compute_year_to_date
from lakou_metrics.domain.periods import Period
from lakou_metrics.output.text import (
    briefing_sections,
    describe_growth,
    describe_peer,
    describe_peer_parts,
    describe_warning,
    headline,
    problems_and_suggestions,
)

NO_ACTUALS = pd.DataFrame(columns=["indicator", "last_month", "actual"])


@pytest.mark.parametrize("rule, value, usual, usual_from, expected", [
    pytest.param("swing", 1.5, 0.4, "enterprise", "本期环比+150.0%，往年同期环比+40.0%，高110.0个百分点",
                 id="a swing beside its own season"),
    pytest.param("swing", -0.6, 0.4, "enterprise", "本期环比-60.0%，往年同期环比+40.0%，低100.0个百分点",
                 id="a fall against a season that rises"),
    pytest.param("swing", 1.3, 0.4, "town", "本期环比+130.0%，往年同期环比（全镇）+40.0%，高90.0个百分点",
                 id="the town's season for an enterprise without one"),
    pytest.param("swing", 0.6, None, None, "本期环比+60.0%（没有往年同期环比可比）", id="no season known"),
    pytest.param("swing", 0.6, float("nan"), None, "本期环比+60.0%（没有往年同期环比可比）", id="NaN: none"),
    # 54.75% − 40.0%: the deviation is what a reader subtracts from the two figures shown (54.8 − 40.0).
    pytest.param("swing", 0.5475, 0.4, "enterprise", "本期环比+54.8%，往年同期环比+40.0%，高14.8个百分点",
                 id="the deviation from the figures as shown"),
    pytest.param("decline", -0.0475, None, None, "累计同比-4.8%", id="a decline, rounded half up"),
    pytest.param("behind_target", -0.0475, None, None, "完成率落后序时进度4.8个百分点", id="behind"),
    pytest.param("missed_target", -0.037, None, None, "全年完成率96.3%，差3.7个百分点", id="missed at the year's end"),
])
def test_a_warning_says_its_figures(rule, value, usual, usual_from, expected):
    assert describe_warning(rule, value, usual, usual_from) == expected


# PeerLine(town, value_10k, yoy, gap_10k = ours − theirs, gap_points = our 同比 − theirs as shown).
@pytest.mark.parametrize("peer, expected", [
    pytest.param(PeerLine("温溪镇", 52300.0, 0.2, -12300.0, -0.034),
                 ("温溪镇：5.23亿元，同比+20.0%", "腊口镇产值少1.23亿元，增速低3.4个百分点"), id="behind on both"),
    pytest.param(PeerLine("船寮镇", 90.0, -0.05, 90.0, 0.05),
                 ("船寮镇：90.0万元，同比-5.0%", "腊口镇产值多90.0万元，增速高5.0个百分点"), id="ahead on both"),
    pytest.param(PeerLine("温溪镇", 500.0, None, -320.0, None),
                 ("温溪镇：500.0万元，同比—", "腊口镇产值少320.0万元"), id="no growth: no growth gap"),
    pytest.param(PeerLine("温溪镇", None, 0.1, None, -0.2),
                 ("温溪镇：—，同比+10.0%", "腊口镇增速低20.0个百分点"), id="no output: no output gap"),
    pytest.param(PeerLine("温溪镇", None, None, None, None), ("温溪镇：—，同比—", ""), id="nothing to compare"),
    # 180.04 − 180.0 shows as 0.0万元, and 10.0% − 10.0% as 0.0 points: equal as a reader sees them.
    pytest.param(PeerLine("温溪镇", 180.0, 0.1, 0.04, 0.0),
                 ("温溪镇：180.0万元，同比+10.0%", "腊口镇产值持平，增速持平"), id="a tie as shown"),
    pytest.param(PeerLine("温溪镇", 180.0, 0.1, -0.05, 0.001),
                 ("温溪镇：180.0万元，同比+10.0%", "腊口镇产值少0.1万元，增速高0.1个百分点"),
                 id="the smallest gap shown is not a tie"),
    pytest.param(PeerLine("温溪镇；工业园", 500.0, None, -320.0, None),
                 ("温溪镇；工业园：500.0万元，同比—", "腊口镇产值少320.0万元"), id="a semicolon in the name"),
])
def test_a_peer_is_written_with_the_gaps_that_exist(peer, expected):
    assert describe_peer_parts(peer, "腊口镇") == expected
    assert describe_peer(peer, "腊口镇") == ("；".join(expected) if expected[1] else expected[0])


@pytest.mark.parametrize("rate, expected", [
    pytest.param(0.0475, "同比增长4.8%", id="half up"),
    pytest.param(-0.0475, "同比下降4.8%", id="a fall half up, symmetric"),
    pytest.param(-0.0004, "与上年同期持平", id="-0.04% is no 下降0.0%"),
    pytest.param(-0.0005, "同比下降0.1%", id="-0.05% is a fall of 0.1%"),
    pytest.param(None, None, id="no rate"),
])
def test_growth_in_words(rate, expected):
    assert describe_growth(rate) == expected


def test_a_gap_in_a_sentence_agrees_with_the_completion_beside_it():
    # 5,475 of 10,000 by June: 54.75% done, shown 54.8%; 序时 50.0%: the sentence says 4.8, which
    # is what a reader subtracts (binary floats printed "54.8%，超序时进度4.7个百分点").
    obs = _observations([(1, "A", "hardware", True, 2023, 1, 6, 5_000.0, None),
                         (1, "A", "hardware", True, 2024, 1, 6, 5_475.0, None)])
    ytd = compute_year_to_date(Ledger(obs), Period.ytd(2024, 6), {"total_output": 10_000}, NO_ACTUALS, {},
                               projection=False)
    # 5,475 / 5,000 − 1 = 9.5%
    assert headline(ytd) == ("2024年1-6月，全镇实现工业总产值5475.0万元，同比增长9.5%，"
                             "完成年度目标的54.8%，超序时4.8个百分点。")


def test_a_change_that_rounds_to_zero_is_not_called_a_decline():
    # B: 10,000 → 9,996 is −0.04%, shown 0.0%: not among the declining enterprises, no warning.
    obs = _observations([(1, "A", "hardware", True, 2023, 1, 3, 100.0, None),
                         (1, "A", "hardware", True, 2024, 1, 3, 90.0, None),
                         (2, "B", "metals", True, 2023, 1, 3, 10_000.0, None),
                         (2, "B", "metals", True, 2024, 1, 3, 9_996.0, None)])
    ytd = compute_year_to_date(Ledger(obs), Period.ytd(2024, 3), {}, NO_ACTUALS, {}, projection=False)
    problems = "\n".join(problems_and_suggestions(ytd)[0])
    assert "产值同比下降的企业1家，其中降幅较大的有：A（同比下降10.0%）。" in problems
    assert "行业下降：五金行业同比下降10.0%。" in problems  # metals is flat, not listed
    assert set(ytd.warnings.name) == {"A"}


def test_a_red_swing_in_the_briefing_says_both_figures():
    # 甲's March was +40% in 2022 and 2023; this year +150% (150 → 375): red, with both figures.
    rows = (_months(1, "甲", 2022, [100, 100, 140]) + _months(1, "甲", 2023, [200, 200, 280])
            + _months(1, "甲", 2024, [150, 150, 375]))
    ytd = compute_year_to_date(Ledger(_observations(rows)), Period.ytd(2024, 3), {}, NO_ACTUALS, {},
                               monthly=True, projection=False)
    (warnings,) = [lines for heading, lines in briefing_sections(ytd) if heading.endswith("运行预警")]
    assert "甲（当期环比异常波动：本期环比+150.0%，往年同期环比+40.0%，高110.0个百分点）" in warnings[0]
