"""Annual target indicators: their names, units and kinds, and the speech's targets as data.

Amount targets are completed (完成率 = 累计完成 / 年度目标) against the elapsed share of the year;
growth targets are on schedule when the growth so far reaches the target rate.
"""
from __future__ import annotations

from dataclasses import dataclass

from .units import MONEY_UNITS


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str  # as the town writes it
    unit: str  # display unit: 万元, 亩, 家, 个, %
    kind: str  # "amount" or "growth"
    source: str  # "output", "above_scale_output" (computed from stored output) or "entered"
    aliases: tuple[str, ...] = ()


INDICATORS: tuple[Indicator, ...] = (
    Indicator("total_output", "工业总产值", "万元", "amount", "output", ("全镇工业总产值",)),
    Indicator("total_output_growth", "工业总产值同比增长", "%", "growth", "output",
              ("工业总产值增速", "工业总产值增长")),
    Indicator("above_scale_output", "规模以上工业产值", "万元", "amount", "above_scale_output",
              ("规上工业产值", "规模以上工业总产值", "规上工业总产值")),
    Indicator("above_scale_output_growth", "规模以上工业产值同比增长", "%", "growth",
              "above_scale_output", ("规上工业产值增速", "规上工业产值增长", "规模以上工业产值增速")),
    Indicator("land_acquired", "完成征地工业用地面积", "亩", "amount", "entered",
              ("完成征地工业用地", "征地工业用地面积", "征地面积")),
    Indicator("land_granted", "实际出让工业用地面积", "亩", "amount", "entered",
              ("实际出让工业用地", "出让工业用地面积", "出让面积")),
    Indicator("manufacturing_investment", "完成制造业投资", "万元", "amount", "entered",
              ("制造业投资",)),
    Indicator("net_new_above_scale", "净增规模以上企业", "家", "amount", "entered",
              ("净增规上企业", "新增规上企业")),
    Indicator("contracted_capital", "合同引进市外内资", "万元", "amount", "entered",
              ("合同利用市外内资",)),
    Indicator("actual_capital", "实际到位市外内资", "万元", "amount", "entered",
              ("到位市外内资", "实际利用市外内资")),
    Indicator("major_projects", "引进大项目", "个", "amount", "entered", ("引进大项目数", "大项目")),
)
INDICATOR_BY_CODE = {i.code: i for i in INDICATORS}
# The year of the town speech the project grew from (全镇工业经济推进会, 2023): indicator code →
# target, in the indicator's canonical unit (万元 for money, a fraction for growth).
SPEECH_YEAR = 2023
SPEECH_TARGETS: dict[str, float] = {
    "land_acquired": 314,
    "land_granted": 350,
    "manufacturing_investment": 20_000,
    "net_new_above_scale": 2,
    "contracted_capital": 40_000,
    "actual_capital": 22_000,
    "major_projects": 2,
    "total_output_growth": 0.33,
    "above_scale_output": 49_500,
    "above_scale_output_growth": 0.58,
}

# Units a target sheet may state, as factors to the canonical unit: money (to 万元), and the
# indicators' own units (a percentage to a fraction; areas and counts as they are).
UNIT_FACTORS = {**MONEY_UNITS, "%": 0.01, "亩": 1.0, "家": 1.0, "个": 1.0, "": 1.0}


def in_unit(value: float, unit: str) -> float:
    """A stored figure (canonical: 万元 for money, a fraction for growth) in `unit` (亿元, %, 亩 …)."""
    return value / UNIT_FACTORS[unit]
