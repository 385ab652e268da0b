"""Figures written as the sentences of a briefing (Chinese). A sentence whose data is missing is
left out, never filled with zeros."""
from __future__ import annotations

import math

from . import labels
from .numbers import format_10k, format_points, format_rate


def _known(x) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))



def describe_growth(rate: float | None) -> str | None:
    if not _known(rate):
        return None
    return f"同比增长{rate * 100:.1f}%" if rate >= 0 else f"同比下降{-rate * 100:.1f}%"


def describe_summary(ytd) -> str:
    """The headline, 规上, sectors, targets and warnings of a year to date, one paragraph each."""
    when = ytd.period.label()
    lines = []
    headline = f"{when}，全镇实现工业总产值{format_10k(ytd.total.value)}"
    growth = describe_growth(ytd.total.yoy)
    if growth:
        headline += f"，{growth}（同口径）"
    total_target = next((t for t in ytd.targets if t["indicator"] == "total_output"), None)
    if total_target and _known(total_target["completion"]):
        gap = total_target["gap"]
        headline += (f"，完成年度目标的{total_target['completion'] * 100:.1f}%，"
                     f"{'超' if gap >= 0 else '落后'}序时进度{format_points(gap)}")
    lines.append(headline + "。")
    if ytd.above_scale.count:
        sentence = f"规上工业产值{format_10k(ytd.above_scale.value)}"
        growth = describe_growth(ytd.above_scale.yoy)
        lines.append(sentence + (f"，{growth}" if growth else "") + "。")
    parts = []
    for row in ytd.sectors.to_dict("records"):
        if not row["count"]:
            continue
        text = f"{labels.SECTOR_NAMES[row['sector']]}{format_10k(row['value_10k'])}"
        details = [format_rate(row["yoy"])] if _known(row["yoy"]) else []
        if _known(row["pull"]):
            details.append(f"拉动{row['pull'] * 100:+.1f}个百分点")
        if details:
            text += f"（{'，'.join(details)}）"
        parts.append(text)
    if parts:
        lines.append("分行业看：" + "；".join(parts) + "。")
    behind = [t for t in ytd.targets if t["on_schedule"] is False]
    if behind:
        lines.append("落后序时进度的目标：" + "、".join(t["name"] for t in behind) + "。")
    if not ytd.warnings.empty:
        counts = ytd.warnings.groupby("level").size()
        lines.append("预警：" + "，".join(f"{lvl}色{counts[lvl]}条" for lvl in ("红", "橙", "蓝")
                                         if lvl in counts) + "。")
    return "\n".join(lines)
