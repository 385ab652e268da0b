"""Figures written as the sentences of a 工业经济运行情况分析 (Chinese). Every number comes from
the computed YearToDate; a sentence whose data is missing is left out, never filled with zeros."""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ..compute.cockpit import PeerLine, PeersLine
from ..compute.drivers import compute_drivers
from ..compute.evaluation import UNRATED as UNRATED_COLUMN
from ..compute.evaluation import count_grades, list_moves
from ..compute.metrics import USUAL_FROM_TOWN, StoredSpan, WarningSettings, compute_aggregate, count_warnings
from ..compute.targets import TargetRow
from ..domain import labels, style
from ..domain.numbers import (
    difference_as_shown,
    format_10k,
    format_amount,
    format_number,
    format_percent,
    format_points,
    format_rate,
    format_short_of,
    is_missing,
    round_half_up,
)
from ..domain.periods import format_day
from ..domain.sectors import SECTOR_NAMES
from ..domain.selection import describe_months, months_needed

Section = tuple[str, list[str]]  # heading, paragraphs


def _known(x) -> bool:
    return not is_missing(x)


def describe_growth(rate: float | None, against: str = "同比", flat: str = "与上年同期持平") -> str | None:
    """同比增长12.4% / 同比下降3.0% / 与上年同期持平 (a rate that rounds to 0.0%: never a
    "下降0.0%"); with `against` 环比 and `flat` 与上期持平, the same for 环比. None when there is
    no rate."""
    way = style.direction(rate)
    if way is None:
        return None
    if way == "flat":
        return flat
    return f"{against}增长{format_percent(rate)}" if way == "up" else f"{against}下降{format_percent(-rate)}"


def _falls(rates) -> pd.Series:
    """Which rates read as a fall (shown below 0.0%): −0.04% is 持平, not a decline."""
    return pd.Series([style.direction(r) == "down" for r in rates], index=getattr(rates, "index", None),
                     dtype=bool)


def _pct(x: float) -> str:
    return format_percent(x)


def describe_schedule(target: TargetRow) -> str:
    """The status of an amount target before the year's end with its gap, as badge, image and
    table say it: 超序时2.1个百分点 / 略欠序时1.3个百分点 / 落后序时6.0个百分点."""
    return f"{style.STATUSES[target.status].words}{format_points(target.gap)}"


def describe_target(target: TargetRow | None, with_growth: bool = True) -> str | None:
    """The verdict on a target, the one set of words for cards, tables, images, the briefing and
    sentences; None without a verdict (no figure, no target, no base).

    An amount target: 完成率 48.1%，超序时2.1个百分点; with the whole year's figure
    未完成全年目标（完成96.3%） or 完成全年目标（完成103.2%）. A growth target is said as growth
    against the target rate: 同比增长30.5%，低于目标增速2.5个百分点 (高于 / 达到); with the whole
    year's figure 全年增长30.5%，未达到目标增速33.0%（低2.5个百分点）. Without `with_growth` the
    growth itself is left out (where it is shown just above, as on a card)."""
    if not target or not _known(target.gap):
        return None
    if target.kind == "growth":
        return _growth_verdict(target, with_growth)
    if target.year_end:
        return f"{style.STATUSES[target.status].words}（完成{format_short_of(target.completion)}）"
    return f"完成率{_pct(target.completion)}，{describe_schedule(target)}"


def describe_target_badges(target: TargetRow) -> list[str]:
    """The verdict of describe_target in short pieces, one badge each on a card (a badge does not
    wrap; the card states the growth itself): 完成率 64.4% | 落后序时10.6个百分点; 低于目标增速
    5.1个百分点 | 目标增速 33.0%; 未完成全年目标 | 完成率 96.3%; 未达到目标增速33.0% | 低2.5个百分点.
    [] without a verdict."""
    if not _known(target.gap):
        return []
    if target.kind == "amount":
        first = style.STATUSES[target.status].words if target.year_end else f"完成率{_pct(target.completion)}"
        return [first, f"完成率{format_short_of(target.completion)}" if target.year_end else describe_schedule(target)]
    if not target.year_end:
        return [describe_target(target, with_growth=False), f"目标增速 {_pct(target.target)}"]
    side = "达到" if target.status == style.MET.code else "未达到"
    flat = style.direction(target.gap) == "flat"
    return [f"{side}目标增速{_pct(target.target)}"] + (
        [] if flat else [f"{'高' if target.gap > 0 else '低'}{format_points(target.gap)}"])


def _growth_verdict(target: TargetRow, with_growth: bool) -> str:
    """A growth target's verdict (see describe_target)."""
    gap, flat = target.gap, style.direction(target.gap) == "flat"
    if target.year_end:
        growth = describe_growth(target.actual).replace("同比", "全年").replace("与上年同期持平", "全年与上年持平")
        side = "达到" if target.status == style.MET.code else "未达到"
        verdict = f"{side}目标增速{_pct(target.target)}" + (
            "" if flat else f"（{'高' if gap > 0 else '低'}{format_points(gap)}）")
    else:
        growth = describe_growth(target.actual)
        verdict = ("达到目标增速" if flat and target.status == style.GROWTH_MET.code
                   else f"{'高于' if gap >= 0 else '低于'}目标增速{format_points(gap)}")
    return f"{growth}，{verdict}" if with_growth else verdict


def describe_seasons(target: TargetRow) -> str | None:
    """What the seasons say of an output target before the year's end, for a sentence: an amount
    target 往年同期进度为45.0%，按往年季节规律推算全年可完成104.9% (全年约完成95.0% when short);
    a growth target 按往年季节规律推算全年增长12.0%左右; or why nothing can be said. None for a
    target that is not output, or has no figure."""
    if target.source != "output" or target.year_end or target.actual is None:
        return None
    if target.seasonal_schedule is None:
        return "此前年份没有同期和全年数据，无法按往年季节规律推算全年"
    if target.kind == "growth":
        if not _known(target.projected_growth):
            return None
        if style.direction(target.projected_growth) == "flat":
            return "按往年季节规律推算全年与上年基本持平"
        return f"按往年季节规律推算全年{describe_growth(target.projected_growth).replace('同比', '')}左右"
    done = target.projected_completion
    verb = "可完成" if round(done, 4) >= 1 else "约完成"
    return f"往年同期进度为{_pct(target.seasonal_schedule)}，按往年季节规律推算全年{verb}{_pct(done)}"


def describe_projects_excess(targets: list[TargetRow]) -> str | None:
    """A note on the targets whose key projects add up to more than the entered figure (the
    projects are part of the town's total, so the entered figure is to be checked); None when none."""
    over = [t for t in targets if t.projects_exceed]
    if not over:
        return None
    def one(t: TargetRow) -> str:
        entered, summed = format_amount(t.actual, t.unit), format_amount(t.projects_actual, t.unit)
        if t.as_of == t.projects_as_of:
            return f"{t.name}截至{t.as_of}月录入{entered}，重点项目汇总{summed}"
        return f"{t.name}录入{entered}（截至{t.as_of}月），重点项目汇总{summed}（截至{t.projects_as_of}月）"

    return ("重点项目汇总数大于录入的完成数，请核对录入数（重点项目是全镇的一部分，完成数以录入数为准）："
            + "；".join(one(t) for t in over) + "。")


def _target_clause(target: TargetRow | None) -> str | None:
    """完成年度目标的48.1%，略欠序时1.3个百分点 — for an amount target with a completion, in the
    status words of its card (describe_schedule); 未完成全年目标（完成96.3%） with the whole year's
    figure."""
    if not target or not _known(target.completion) or not _known(target.gap):
        return None
    if target.year_end:
        return describe_target(target)
    return f"完成年度目标的{_pct(target.completion)}，{describe_schedule(target)}"


def _growth_target_clause(target: TargetRow | None) -> str | None:
    """低于目标增速2.5个百分点 — a growth target after the growth itself in a sentence."""
    return describe_target(target, with_growth=False)


def _change(rate: float | None) -> str:
    """增长12.4% / 下降3.0% / 与上年同期持平, for after a subject (剔除…，存量企业增长10.5%)."""
    return describe_growth(rate).replace("同比", "")


def _names(movers, most: int = 5) -> str:
    """甲、乙、丙; beyond `most`, 甲、乙、丙、丁、戊等7家."""
    names = "、".join(m.name for m in movers[:most])
    return names + (f"等{len(movers)}家" if len(movers) > most else "")


def describe_drivers(drivers, whole: str = labels.SCOPE_WHOLES["all"]) -> list[str]:
    """增长来源 in sentences: the sectors and enterprises that give the increase (share of it,
    points of pull); the new enterprises (新投产, no 上年同期) apart, with the growth without them;
    the ones that drag; and the growth without every outsized contributor. `whole` names what the
    figures are of: 全镇, or 规上 when only 规上 enterprises are in them. [] when the change has no
    comparable base."""
    if drivers.increase is None or drivers.growth is None:
        return []
    lines = []
    up = drivers.sectors_up[:2]
    if up and drivers.increase > 0:
        lines.append("增长主要来自" + "、".join(
            f"{m.name}行业（占{whole}增量的{format_percent(m.contribution)}，拉动{format_points(m.pull)}）" for m in up)
            + "。")
    new_said = bool(drivers.new) and drivers.new_increase > 0  # new plants not producing yet say nothing
    if new_said:
        names = "、".join(m.name for m in drivers.new[:3]) + ("等" if len(drivers.new) > 3 else "")
        share = (f"占{whole}增量的{format_percent(drivers.new_contribution)}，"
                 if drivers.new_contribution is not None else "")
        line = (f"新投产企业{len(drivers.new)}家（{names}）产值{format_10k(drivers.new_increase)}，没有上年同期，"
                f"全部计为增量，{share}拉动{format_points(drivers.new_pull)}")
        if drivers.growth_existing is not None:
            line += f"；剔除新投产企业，{whole}存量企业{_change(drivers.growth_existing)}"
        lines.append(line + "。")
    if drivers.leaders:
        lines.append(("增量居前的存量企业：" if new_said else "增量居前的企业：") + "、".join(
            f"{m.name}（增加{format_10k(m.increase)}，拉动{format_points(m.pull)}）" for m in drivers.leaders) + "。")
    if drivers.dominant and drivers.growth_without is not None and not drivers.dominant_is_new:
        names = _names(drivers.dominant)
        lines.append(f"增长集中度较高：{names}占{whole}增量的{format_percent(drivers.dominant_share)}；"
                     f"剔除{names}，{whole}{_change(drivers.growth_without)}。")
    # A sector whose drag rounds to 0.0 points is not said to drag ("拖累0.0个百分点" reads as nonsense).
    down = [m for m in drivers.sectors_down if style.direction(m.pull) == "down"][:2]
    if down or drivers.laggards:
        parts = [f"{m.name}行业（拖累{format_points(m.pull)}）" for m in down]
        parts += [f"{m.name}（减少{format_10k(-m.increase)}）" for m in drivers.laggards]
        lines.append("拖累增长的有：" + "、".join(parts) + "。")
    return lines


def describe_projection(projection, target: TargetRow | None = None) -> str:
    """全年预计 in one sentence with its method; or why there is none. A projection from a year to
    date some enterprises have not reported says so (暂定)."""
    if projection.value is None:
        return f"全年预计：暂不推算（{projection.reason}）。"
    sentence = f"按目前进度，全年工业总产值预计约{format_10k(projection.value)}"
    if target and target.kind == "amount" and target.target:
        sentence += f"，为年度目标的{format_percent(projection.value / target.target)}"
    elif target and target.implied_target:
        sentence += f"，为年度增速目标所对应产值的{format_percent(projection.value / target.implied_target)}"
    partial = f"；{labels.PROJECTION_PARTIAL.format(n=projection.missing)}" if projection.missing else ""
    return sentence + f"（{projection.method}{partial}）。"


def describe_incomplete(ytd, above_only: bool = False) -> str | None:
    """How incomplete a headline total is, beside it: 已报送 39/41 家，暂缺2家，不完整；含估算约6.30亿元
    (规上: 规上企业暂缺1家，不完整；…). None when every expected enterprise of the scope has reported."""
    _, estimate = ytd.totals(above_only)
    if estimate is None:
        return None
    text = (labels.INCOMPLETE_ABOVE.format(n=estimate.missing) if above_only
            else labels.INCOMPLETE.format(reporting=ytd.reporting.describe(), n=estimate.missing))
    if estimate.value is not None:
        text += "；" + labels.WITH_ESTIMATE.format(value=format_10k(estimate.value))
    return text


def describe_estimate(ytd, above_only: bool = False) -> str | None:
    """The 含估算 figure with its method, a sentence apart from the reported total; or why there is
    none. None when nothing of the scope is missing."""
    _, estimate = ytd.totals(above_only)
    if estimate is None:
        return None
    if estimate.value is None:
        return labels.NO_ESTIMATE.format(n=estimate.missing) + "。"
    unestimated = labels.ESTIMATE_UNESTIMATED.format(n=estimate.unestimated) if estimate.unestimated else ""
    return labels.ESTIMATE_HOW.format(value=format_10k(estimate.value), n=estimate.enterprises,
                                      growth=format_percent(estimate.growth), estimated=format_10k(estimate.estimated),
                                      unestimated=unestimated) + "。"


def describe_new(aggregate, whole: str = labels.SCOPE_WHOLES["all"]) -> str | None:
    """其中新投产企业3家，产值1.20亿元，占全镇6.1%，剔除后存量企业同比增长10.5% — the part of a total
    with no 上年同期, so that its 同比 is read as comparable. None without new enterprises."""
    if not aggregate.new or not aggregate.new_value:
        return None
    text = labels.NEW_IN_TOTAL.format(n=aggregate.new, value=format_10k(aggregate.new_value), whole=whole,
                                      share=format_percent(aggregate.new_share))
    growth = describe_growth(aggregate.existing_yoy)
    return text + (f"，剔除后存量企业{growth}" if growth else "")


def provisional_mark(ytd, target: TargetRow | None = None) -> str:
    """（暂定） after a verdict on output while enterprises of its scope are missing (a 规上 target
    only for missing 规上 enterprises); "" otherwise (or for a target not computed from output)."""
    pending = ytd.provisional if target is None else ytd.target_provisional(target)
    return f"（{labels.PROVISIONAL}）" if pending else ""


def headline(ytd) -> str | None:
    """The first sentence of a briefing, as speeches say it: the total (marked incomplete, with its
    含估算 figure, while enterprises are missing), 同比, the target verdicts (暂定 while incomplete),
    and the part of the total from new enterprises."""
    if ytd.total.count == 0:
        return None
    targets = {t.indicator: t for t in ytd.targets}
    incomplete = describe_incomplete(ytd)
    parts = [f"{ytd.period.label()}，全镇实现工业总产值{format_10k(ytd.total.value)}"
             + (f"（{incomplete}）" if incomplete else "")]
    if describe_growth(ytd.total.yoy):
        parts.append(describe_growth(ytd.total.yoy))
    for target, clause in ((targets.get("total_output"), _target_clause(targets.get("total_output"))),
                           (targets.get("total_output_growth"),
                            _growth_target_clause(targets.get("total_output_growth")))):
        if clause:
            parts.append(clause + provisional_mark(ytd, target))
    new = describe_new(ytd.total)
    return "，".join(parts) + "。" + (f"{new}。" if new else "")


def briefing_sections(ytd, evaluation=None) -> list[Section]:
    """总体情况, 分行业, 重点企业, 目标任务, 重点项目, 预警, 亩均效益评价 (with `evaluation`, the
    latest year's: compute.evaluation.latest_evaluation_year), 问题, 建议 — each only with the
    sentences its data supports, numbered in order (a section without data leaves no gap in 一、二、三)."""
    if ytd.total.count == 0:
        return []
    drivers = compute_drivers(ytd.figures)
    problems, suggestions = problems_and_suggestions(ytd, drivers)
    sections = [("总体情况", _overall_lines(ytd)), ("分行业情况", _sector_lines(ytd, drivers)),
                ("重点企业", _enterprise_lines(ytd)), ("目标任务完成情况", _target_lines(ytd)),
                ("重点项目", describe_projects(ytd.projects, ytd.settings.schedule_slightly_behind)
                 if ytd.projects is not None else []),
                ("运行预警", _warning_lines(ytd)),
                (labels.EVALUATION_BRIEFING_HEADING, describe_evaluation(evaluation) if evaluation is not None else []),
                ("存在问题", problems), ("下步工作建议", suggestions)]
    return [(f"{_CHINESE_NUMBERS[i]}、{heading}", lines)
            for i, (heading, lines) in enumerate((h, lines) for h, lines in sections if lines)]


def _overall_lines(ytd) -> list[str]:
    targets = {t.indicator: t for t in ytd.targets}
    overall = [headline(ytd)]
    if ytd.above_scale.count:
        incomplete = describe_incomplete(ytd, above_only=True)
        parts = [f"规模以上工业产值{format_10k(ytd.above_scale.value)}" + (f"（{incomplete}）" if incomplete else "")]
        if describe_growth(ytd.above_scale.yoy):
            parts.append(describe_growth(ytd.above_scale.yoy))
        for target, clause in ((targets.get("above_scale_output"), _target_clause(targets.get("above_scale_output"))),
                               (targets.get("above_scale_output_growth"),
                                _growth_target_clause(targets.get("above_scale_output_growth")))):
            if clause:
                parts.append(clause + provisional_mark(ytd, target))
        overall.append("，".join(parts) + f"；规上企业{ytd.above_scale.count}家。")
    alone = ytd.period_figures
    if len(alone) and alone.value_10k.sum() > 0:
        now, before = compute_aggregate(alone), compute_aggregate(alone, base="previous_10k")
        when = (labels.CHINESE_QUARTERS[ytd.alone.last // 3] if ytd.alone.is_quarter
                else ytd.alone.label_in_year())
        sentence = f"其中{when}完成工业总产值{format_10k(now.value)}"
        extras = [describe_growth(now.yoy)]
        extras.append(describe_growth(before.yoy, "环比", "与上期持平"))
        overall.append("，".join([sentence] + [e for e in extras if e]) + "。")
    if ytd.reporting is not None and not ytd.reporting.complete:
        overall.append(f"（{ytd.period.label()}应报送的{ytd.reporting.expected}家企业中已报送"
                       f"{len(ytd.reporting.reported)}家，以上为已报送企业的合计，不是全镇的完整数，"
                       f"完成率等结论均为暂定。{describe_estimate(ytd)}）")
    electricity = describe_electricity(ytd)
    if electricity:
        overall.append(electricity)
    return overall


def describe_electricity(ytd, most: int = 5) -> str | None:
    """以电核产 in one sentence: the town's electricity of the year to date and its 同比 beside
    output's, and the enterprises whose output and electricity diverge (the widest first, the first
    `most` named with their figures as on 预警). None when no electricity is stored for the year."""
    power = ytd.electricity
    if power is None:
        return None
    if not power.covered:
        return labels.ELECTRICITY_SHORT.format(year=ytd.period.year, last=power.months_loaded,
                                               period=ytd.period.label()) + "。"
    total = power.total()
    parts = [f"全镇{labels.ELECTRICITY_CARD}{format_amount(total.value, labels.ELECTRICITY_UNIT)}"]
    growth = describe_growth(total.yoy)
    if growth:
        output = describe_growth(ytd.total.yoy)
        parts.append(growth + (f"（工业总产值{output}）" if output else ""))
    line = "，".join(parts) + "。"
    points = power.settings.divergence_points
    found = power.divergences
    if found.empty:
        return line + labels.ELECTRICITY_NOT_DIVERGING.format(points=points) + "。"
    named = "、".join(f"{r.name}（{describe_warning('divergence', r.output_yoy, power=r.power_yoy)}）"
                     for r in found.head(most).itertuples())
    return (line + labels.ELECTRICITY_DIVERGING.format(n=len(found), points=points) + "：" + named
            + ("等" if len(found) > most else "") + "，" + labels.ELECTRICITY_CHECK + "。")


def _sector_lines(ytd, drivers) -> list[str]:
    lines = []
    for row in ytd.sectors.sort_values("value_10k", ascending=False).to_dict("records"):
        if not row["count"]:
            continue
        parts = [f"{SECTOR_NAMES[row['sector']]}行业产值{format_10k(row['value_10k'])}"]
        if describe_growth(row["yoy"]):
            parts.append(describe_growth(row["yoy"]))
        if _known(row["share"]):
            parts.append(f"占全镇{_pct(row['share'])}")
        if _known(row["pull"]):
            parts.append(f"{'拖累' if style.direction(row['pull']) == 'down' else '拉动'}全镇增长"
                         f"{format_points(row['pull'])}")
        lines.append("，".join(parts) + "。")
    return describe_drivers(drivers) + lines if lines else []


def _enterprise_lines(ytd) -> list[str]:
    """The enterprises that give the increase are named under 分行业 (增长来源); here, the declines."""
    figures = ytd.figures
    falling = figures[_falls(figures.yoy)].sort_values("yoy")
    if not len(falling):
        return []
    names = "、".join(f"{r.name}（{describe_growth(r.yoy)}）" for r in falling.head(3).itertuples())
    return [f"产值同比下降的企业{len(falling)}家，降幅较大的有：{names}。"]


def _target_lines(ytd) -> list[str]:
    """目标任务: the targets behind, short of their rate, ahead; met or missed at the year's end."""
    lines = []
    during = [t for t in ytd.targets if _known(t.gap) and not t.year_end]
    behind = [t for t in during if t.kind == "amount" and t.gap < 0]
    if behind:  # 略欠 and 落后 alike, each in its card's words
        lines.append(labels.TARGETS_SHORT_OF_SCHEDULE + "：" + "；".join(
            f"{t.name}（截至{t.as_of}月完成率{_pct(t.completion)}，{describe_schedule(t)}"
            + (f"，往年同期进度{_pct(t.seasonal_schedule)}" if _known(t.seasonal_schedule) else "") + "）"
            + provisional_mark(ytd, t) for t in behind) + "。")
    slow = [t for t in during if t.kind == "growth" and t.status == style.GROWTH_SHORT.code]
    if slow:
        lines.append("增速低于目标的：" + "；".join(_growth_named(t) + provisional_mark(ytd, t) for t in slow) + "。")
    ahead = [t for t in during if t.kind == "amount" and t.gap >= 0]
    if ahead:
        lines.append("达到或超过序时进度的目标：" + "、".join(t.name + provisional_mark(ytd, t) for t in ahead) + "。")
    fast = [t for t in during if t.kind == "growth" and t.status == style.GROWTH_MET.code]
    if fast:
        lines.append("增速达到目标的：" + "；".join(_growth_named(t) + provisional_mark(ytd, t) for t in fast) + "。")
    missed = [t for t in ytd.targets if t.year_end and t.status == style.MISSED.code]
    if missed:
        lines.append("未完成全年目标的：" + "；".join(
            _year_end_named(t) + provisional_mark(ytd, t) for t in missed) + "。")
    met = [t for t in ytd.targets if t.year_end and t.status == style.MET.code]
    if met:
        lines.append("完成全年目标的：" + "；".join(_year_end_named(t) + provisional_mark(ytd, t) for t in met) + "。")
    stale = [t for t in ytd.targets if t.stale]
    if stale:
        lines.append("以上各项按其数据所属月份的序时进度衡量；" + "、".join(
            f"{t.name}数据截至{t.as_of}月" for t in stale) + "。")
    excess = describe_projects_excess(ytd.targets)
    if excess:
        lines.append(excess)
    if ytd.projection is not None:
        lines.append(describe_projection(ytd.projection, ytd.headline_target(above_only=False)))
    return lines


def _growth_named(target: TargetRow) -> str:
    """工业总产值同比增长27.9%，低于目标增速5.1个百分点 — a growth target named by what grows."""
    return f"{_grown(target)}{describe_target(target)}"


def _grown(target: TargetRow) -> str:
    """What a growth target's rate is of: 工业总产值 for 工业总产值同比增长."""
    return target.name.removesuffix("同比增长")


def _year_end_named(target: TargetRow) -> str:
    """A target with the whole year's figure: 完成制造业投资（完成96.3%） / 工业总产值全年增长30.5%，
    未达到目标增速33.0%（低2.5个百分点）."""
    if target.kind == "growth":
        return _growth_named(target)
    return f"{target.name}（完成{format_short_of(target.completion)}）"


def _warning_lines(ytd) -> list[str]:
    if ytd.warnings.empty:
        return []
    line = f"共有{count_warnings(ytd.warnings).describe()}。"
    red = ytd.warnings[ytd.warnings.level == "红"]
    if len(red):
        # A swing says its figures (本期环比 beside 往年同期环比): a seasonal jump is not news.
        why = [labels.WARNING_RULES[r.rule] + (f"：{describe_warning(r.rule, r.value, r.usual, r.usual_from)}"
                                                if r.rule == "swing" else "") for r in red.itertuples()]
        rules = pd.Series(why, index=red.index).groupby(red.name.to_numpy(), sort=False).agg("、".join)
        line += "红色预警：" + "；".join(f"{name}（{text}）" for name, text in list(rules.items())[:5]) + "。"
    return [line]


def describe_evaluation(evaluation, most: int = 5) -> list[str]:
    """The year's 亩均效益评价 in a paragraph: each group's rated enterprises with its A and D counts,
    the D enterprises named (倒逼整治) with their scores, and against last year the count of 升档
    and 降档 with the `most` largest moves named (A→C before B→C). Nothing when no enterprise is
    rated."""
    counts = count_grades(evaluation)
    groups = [g for g in counts.index if counts.loc[g, "total"] - counts.loc[g, UNRATED_COLUMN]]
    if not groups:
        return []
    parts = [f"{labels.EVALUATION_GROUP_NAMES[g]}参评{counts.loc[g, 'total'] - counts.loc[g, UNRATED_COLUMN]}家，"
             f"A类{counts.loc[g, 'A']}家、D类{counts.loc[g, 'D']}家" for g in groups]
    line = f"{evaluation.year}年度亩均效益评价：" + "；".join(parts)
    unrated = int(counts[UNRATED_COLUMN].sum())
    line += f"；另有{unrated}家不参评（没有用地面积或当年新投产）。" if unrated else "。"
    return [line + "".join(part for part in (describe_lowest(evaluation), describe_moves(evaluation, most)) if part)]


def describe_lowest(evaluation) -> str | None:
    """D类（倒逼整治）企业：甲（规上，35.20分）、乙（规下，10.18分）。 — None when no enterprise is D."""
    table = evaluation.enterprises
    lowest = table[table["grade"] == "D"].sort_values(["group", "rank", "name"])
    if not len(lowest):
        return None
    return "D类（倒逼整治）企业：" + "、".join(
        f"{r.name}（{labels.EVALUATION_GROUPS[r.group]}，{format_number(r.score, 2)}分）"
        for r in lowest.itertuples()) + "。"


def describe_moves(evaluation, most: int = 5) -> str | None:
    """与2022年度相比，升档3家、降档2家，变动较大的有：甲（D类→A类，升档）… (the `most` largest moves,
    compute.evaluation.list_moves); None when no enterprise had a class last year."""
    if not evaluation.enterprises["last_grade"].notna().any():
        return None
    moves = list_moves(evaluation)
    ups, downs = int((moves["steps"] > 0).sum()), int((moves["steps"] < 0).sum())
    line = f"与{evaluation.year - 1}年度相比，升档{ups}家、降档{downs}家"
    if not len(moves):
        return line + "。"
    return line + "，变动较大的有：" + "、".join(
        f"{r.name}（{r.last_grade}类→{r.grade}类，{labels.EVALUATION_CHANGES[r.change]}）"
        for r in moves.head(most).itertuples()) + "。"


_CHINESE_NUMBERS = "一二三四五六七八九十"


def describe_projects(book, slightly_behind: float = WarningSettings.schedule_slightly_behind) -> list[str]:
    """重点项目 in sentences: how many, how many on schedule, which are late and by how long, and
    investment completed against this year's plan and 序时进度, in the status words of
    domain.style (略欠序时 within `slightly_behind`, a setting; 落后序时 beyond)."""
    table = book.table
    late = book.late
    finished = table[table.next_milestone.isna()]
    first = f"{book.period.year}年重点项目{len(table)}个"
    done = f"（其中{len(finished)}个已全部完成）" if len(finished) else ""
    waiting = book.waiting
    parts = [f"{book.on_plan}个按计划推进{done}"]
    if len(waiting):
        parts.append(f"{len(waiting)}个未到计划开工日期（" + "、".join(
            f"{r.name}计划{format_day(r.schedule_start)}开工" for r in waiting.itertuples()) + "）")
    if len(late):
        parts.append(f"{len(late)}个节点滞后：" + "；".join(
            f"{r.name}{r.late_milestone}（计划{format_day(r.late_planned)}）滞后{r.delay_days}天"
            for r in late.itertuples()))
    lines = [first + "，" + "，".join(parts) + "。"]
    money = book.investment()
    if money is not None:
        line = f"截至{money.month}月，重点项目本年完成投资{format_10k(money.invested)}"
        if money.gap is not None:
            line += (f"，为年度计划投资{format_10k(money.plan)}的{format_percent(money.completion)}，"
                     f"{style.schedule_status(money.gap, slightly_behind).words}{format_points(money.gap)}"
                     f"（序时进度{format_percent(money.schedule)}，各项目从计划开工起算）")
        behind = table[table.gap.notna() & (table.gap < 0)].sort_values("gap")
        if len(behind):
            line += "；投资落后序时的有：" + "、".join(
                f"{r.name}（完成{format_percent(r.completion)}）" for r in behind.head(5).itertuples())
        lines.append(line + "。")
    else:
        lines.append(f"{book.period.label()}尚无重点项目投资进度数据。")
    return lines


def describe_warning(rule: str, value: float, usual: float | None = None, usual_from: str | None = None,
                     power: float | None = None) -> str:
    """What a warning found, with its figures: 累计同比-24.5% / 完成率落后序时进度 6.0个百分点 /
    本期环比+150.0%，往年同期环比+40.0%，高110.0个百分点 (a swing beside the same months' usual
    环比, the town's when `usual_from` says so; without one: 本期环比+60.0%（没有往年同期环比可比）) /
    产值同比+15.0%，用电同比-10.0%，相差25.0个百分点 (a divergence: `value` the output's 同比, `power`
    the electricity's, over the same months)."""
    if rule == "divergence":
        return labels.WARNING_DIVERGENCE.format(output=format_rate(value), power=format_rate(power),
                                                points=format_points(difference_as_shown(value, power)))
    if rule == "decline":
        return labels.WARNING_DECLINE.format(rate=format_rate(value))
    if rule == "behind_target":
        return labels.WARNING_BEHIND.format(points=format_points(value))
    if rule == "missed_target":  # value: completion − 100% as shown
        return labels.WARNING_MISSED.format(completion=format_percent(1 + value), points=format_points(value))
    if not _known(usual):
        return labels.WARNING_SWING_ALONE.format(rate=format_rate(value))
    deviation = difference_as_shown(value, usual)
    return labels.WARNING_SWING.format(
        rate=format_rate(value), usual=format_rate(usual), points=format_points(deviation),
        whose=labels.WARNING_SWING_TOWN if usual_from == USUAL_FROM_TOWN else "",
        side=labels.WARNING_SWING_SIDES[0 if deviation >= 0 else 1])


def describe_warnings(warnings: pd.DataFrame) -> list[str]:
    """describe_warning of each row of a warnings frame (metrics.compute_warnings, with the
    divergences' power_yoy when there are any), in its order."""
    power = warnings["power_yoy"] if "power_yoy" in warnings else pd.Series(None, index=warnings.index, dtype=float)
    return [describe_warning(r, v, u, f, p) for r, v, u, f, p in
            zip(warnings.rule, warnings.value, warnings.usual, warnings.usual_from, power)]


def describe_rank(peers: PeersLine) -> str:
    """The town's rank among the county's towns (compute.cockpit.compare_peers, county source):
    among all of them, or among those that have reported when some have not; 并列 when another
    town shares it."""
    place = labels.COCKPIT_PEERS_PLACE[peers.tied].format(rank=peers.rank)
    if peers.towns > peers.ranked:
        return labels.COCKPIT_PEERS_RANK_PARTIAL.format(towns=peers.towns, ranked=peers.ranked, place=place)
    return labels.COCKPIT_PEERS_RANK.format(ranked=peers.ranked, place=place)


def describe_peer_parts(peer: PeerLine, town: str) -> tuple[str, str]:
    """One other town against `town` (compute.cockpit.compare_peers) in two parts, its figures and
    the town's gap to it: ("温溪镇：5.23亿元，同比+20.0%", "腊口镇产值少1.23亿元，增速低3.4个百分点").
    A gap is written only where both figures exist (the gap part is "" when neither does), and as
    产值持平 / 增速持平 where it rounds to zero as shown (0.0万元, 0.0个百分点)."""
    theirs = labels.COCKPIT_PEER_THEIRS.format(town=peer.town, value=format_10k(peer.value_10k),
                                               yoy=format_rate(peer.yoy))
    gaps = []
    shown_10k = round_half_up(peer.gap_10k, 1)
    if shown_10k is not None:
        gaps.append(labels.COCKPIT_PEER_OUTPUT_LEVEL if shown_10k == 0 else labels.COCKPIT_PEER_OUTPUT_GAP.format(
            side=labels.COCKPIT_PEER_OUTPUT_SIDES[0 if shown_10k > 0 else 1], gap=format_10k(abs(peer.gap_10k))))
    shown_points = round_half_up(peer.gap_points, 3)
    if shown_points is not None:
        gaps.append(labels.COCKPIT_PEER_GROWTH_LEVEL if shown_points == 0 else labels.COCKPIT_PEER_GROWTH_GAP.format(
            side=labels.COCKPIT_PEER_GROWTH_SIDES[0 if shown_points > 0 else 1], points=format_points(peer.gap_points)))
    return theirs, labels.COCKPIT_PEER_GAP.format(ours=town, gaps="，".join(gaps)) if gaps else ""


def describe_peer(peer: PeerLine, town: str) -> str:
    """One other town against `town` as 总览 writes it, describe_peer_parts joined:
    温溪镇：5.23亿元，同比+20.0%；腊口镇产值少1.23亿元，增速低3.4个百分点 (its figures alone when
    no gap can be told)."""
    theirs, gap = describe_peer_parts(peer, town)
    return labels.COCKPIT_PEER_ITEM.format(theirs=theirs, gap=gap) if gap else theirs


# The verdicts of a target short of its course during the year.
_SHORT = (style.BEHIND.code, style.SLIGHTLY_BEHIND.code, style.GROWTH_SHORT.code)


def _target_problems(targets: list[TargetRow], problems: list[str],
                     mark: Callable[[TargetRow], str] = lambda t: "") -> list[str]:
    """Add the targets that are a problem to `problems`, each with its figures: missed at the year's
    end, short of its rate, behind 序时 (an output target also says what the seasons say: a town
    that makes most of its output late in the year is behind 序时 without being behind). Returns
    the pace each needs in the remaining months, for a suggestion. `mark(t)` ends a target's point
    (暂定 while enterprises have not reported); a target judged on a partial total (`mark(t)` says
    so) is said once with that mark and no pace: what the remaining months need is not computed on
    a total that lacks enterprises (it read "需增长1816.7%" with 2 of 8 reported)."""
    paces = []
    for t in targets:
        if mark(t) and t.status in _SHORT and not t.year_end:
            problems.append(f"{t.name}截至{t.as_of}月{describe_target(t, with_growth=t.kind == 'growth')}{mark(t)}"
                            f"，{labels.PENDING_PACE}。")
        elif t.year_end and t.status == style.MISSED.code:
            said = (_growth_named(t) if t.kind == "growth" else
                    f"{t.name}全年完成{format_amount(t.actual, t.unit)}，{describe_target(t)}")
            problems.append(said + mark(t) + "。")
        elif t.kind == "growth" and t.status == style.GROWTH_SHORT.code:
            required = _describe_required(t)
            clauses = [f"{_grown(t)}截至{t.as_of}月{describe_target(t)}", describe_seasons(t), required]
            problems.append("，".join(c for c in clauses if c) + mark(t) + "。")
            if required:
                paces.append(f"{_grown(t)}{required}")
        elif t.kind == "amount" and t.status in (style.BEHIND.code, style.SLIGHTLY_BEHIND.code) \
                and t.remaining is not None:
            text, pace = _behind_problem(t)
            problems.append(text[:-1] + mark(t) + "。")
            if pace:
                paces.append(pace)
    return paces


def _behind_problem(t: TargetRow) -> tuple[str, str | None]:
    """An amount target behind 序时: what is done, what the seasons say (output), what remains and
    the pace the remaining months need (the growth they need for output, which has seasons; a
    monthly average for the rest); and that pace for a suggestion."""
    months_left = 12 - t.as_of
    text = (f"{t.name}截至{t.as_of}月完成{format_amount(t.actual, t.unit)}，完成率"
            f"{format_percent(t.completion)}，{describe_schedule(t)}")
    seasons = describe_seasons(t)
    if seasons:
        on_course = _known(t.projected_completion) and round(t.projected_completion, 4) >= 1
        text += ("，但" if on_course else "，") + seasons + "；"
    else:
        text += "，"
    text += f"还需完成{format_amount(t.remaining, t.unit)}"
    required = _describe_required(t)
    pace = None
    if t.source == "output" and required:
        text += f"，{required}"
        pace = f"{t.name}{required}"
    # A monthly pace reads well for amounts and areas, not for counts (家, 个).
    elif months_left > 0 and t.unit not in ("家", "个") and t.actual is not None and t.as_of:
        needed, so_far = t.remaining / months_left, t.actual / t.as_of
        text += f"，其余{months_left}个月需月均完成{format_amount(needed, t.unit)}"
        if so_far > 0:
            text += (f"，是前{t.as_of}个月月均（{format_amount(so_far, t.unit)}）的"
                     f"{format_number(needed / so_far, 1)}倍")
        pace = f"{t.name}月均{format_amount(needed, t.unit)}"
    elif months_left > 0:
        pace = f"{t.name}还需{format_amount(t.remaining, t.unit)}"
    return text + "。", pace


def problems_and_suggestions(ytd, drivers=None) -> tuple[list[str], list[str]]:
    """存在问题 and 下步工作建议 from the data, each point with its figures; a suggestion only
    where a problem calls for it, naming who (the 联系领导) and what; a point without data is
    left out."""
    problems: list[str] = []
    suggestions: list[str] = []
    numbered = lambda items: [f"{i}. {t}" for i, t in enumerate(items, 1)]  # noqa: E731
    paces = _target_problems(ytd.targets, problems, lambda t: provisional_mark(ytd, t))
    if paces:
        suggestions.append(f"{labels.TARGETS_SHORT}的{len(paces)}项目标按其余月份所需进度分解到月、落实到责任人，逐月对账："
                           + "；".join(paces) + "。")
    # Sectors and enterprises in decline.
    falling_sectors = [r for r in ytd.sectors.to_dict("records") if style.direction(r["yoy"]) == "down"]
    if falling_sectors:
        problems.append("行业下降：" + "、".join(
            f"{SECTOR_NAMES[r['sector']]}行业{describe_growth(r['yoy'])}" for r in falling_sectors) + "。")
    figures = ytd.figures
    falling = figures[_falls(figures.yoy)].sort_values("yoy")
    if len(falling):
        problems.append(f"产值同比下降的企业{len(falling)}家，其中降幅较大的有：" + "、".join(
            f"{r.name}（{describe_growth(r.yoy)}）" for r in falling.head(3).itertuples()) + "。")
    # Red warnings: the enterprises, and who is to visit them.
    red = ytd.warnings[ytd.warnings.level == "红"]
    if len(red):
        names = list(dict.fromkeys(red.name))
        problems.append(f"红色预警{len(red)}条，涉及企业{len(names)}家：{'、'.join(names)}。")
        contacts = figures.set_index("name").contact.to_dict()
        who = lambda n: f"{n}（{contacts.get(n)}）" if isinstance(contacts.get(n), str) and contacts.get(n) else n  # noqa: E731
        # Why each is red decides what to do: only a fall (同比下降) is a 停减产 to visit about; a
        # target lag is to be pressed; a swing against its season (up or down) is to be checked, not
        # taken for a fall (a seasonal dip of the town's second-largest source of growth read as one).
        rules = red.groupby(red.name.to_numpy(), sort=False).rule.agg(set)
        surge = (red.rule == "swing") & (red.value - red.usual.fillna(0.0) > 0)
        surging = set(red[surge].name)
        groups = {"decline": [], "behind": [], "surge": [], "drop": []}
        for name, why in rules.items():
            group = ("decline" if "decline" in why else "behind" if why & {"behind_target", "missed_target"}
                     else "surge" if name in surging else "drop")
            groups[group].append(name)
        for group, words in (("decline", labels.VISIT_DECLINE), ("behind", labels.VISIT_BEHIND),
                             ("surge", labels.CHECK_SURGE), ("drop", labels.CHECK_DROP)):
            if groups[group]:
                suggestions.append(words + "、".join(who(n) for n in groups[group]) + "。")
    # Enterprises that have not reported.
    if ytd.reporting is not None and ytd.reporting.missing:
        missing = list(ytd.reporting.missing_names)
        problems.append(f"{ytd.period.label()}还有{len(ytd.reporting.missing)}家企业未报送数据"
                        f"（{'、'.join(missing[:8])}{'等' if len(missing) > 8 else ''}），本期合计不完整。")
        suggestions.append(f"催报{len(ytd.reporting.missing)}家未报送企业，补齐{ytd.period.label()}数据后更新本分析。")
    # Late projects: the milestone, the delay, what needs coordinating and who follows it.
    if ytd.projects is not None and len(ytd.projects.late):
        late = ytd.projects.late
        problems.append(f"重点项目节点滞后{len(late)}个：" + "；".join(
            f"{r.name}{r.late_milestone}滞后{r.delay_days}天"
            + (f"（{r.issues}）" if _known(r.issues) and r.issues else "")
            for r in late.itertuples()) + "。")
        suggestions.append("由联系领导牵头协调滞后项目、倒排工期：" + "；".join(
            f"{r.name}（{r.contact}）" if _known(r.contact) and r.contact else r.name
            for r in late.itertuples()) + "。")
    # Concentration.
    drivers = drivers or compute_drivers(figures)
    if drivers.dominant and drivers.growth_without is not None:
        names = _names(drivers.dominant)
        problems.append(f"增长过度集中：{names}占全镇增量的{format_percent(drivers.dominant_share)}，剔除后全镇"
                        f"{describe_growth(drivers.growth_without).replace('同比', '')}。")
        suggestions.append(f"跟踪{names}的订单和产能，同时推动其余企业增产，减少全镇增长对个别企业的依赖。")
    return numbered(problems), numbered(suggestions)


def _describe_required(target: TargetRow) -> str | None:
    """The growth the remaining months need against the same months last year: 其余3个月需比上年同期
    增长45.6% / 其余3个月达到上年同期的99.2%即可; None when it is not known."""
    if not _known(target.required_growth) or target.as_of is None or target.as_of >= 12:
        return None
    months = 12 - target.as_of
    if round(target.required_growth, 4) > 0:
        return f"其余{months}个月需比上年同期增长{_pct(target.required_growth)}"
    return f"其余{months}个月达到上年同期的{_pct(1 + target.required_growth)}即可"


def describe_summary(ytd) -> str:
    """The briefing as plain text (the CLI's summary without --json)."""
    lines = []
    for heading, paragraphs in briefing_sections(ytd):
        lines.append(heading)
        lines.extend(paragraphs)
    return "\n".join(lines)


def describe_stored_only(town: str, stored: dict[int, list[StoredSpan]]) -> list[str]:
    """What a town holds when no year to date (1-N月) can be derived from it yet, said plainly:
    each year's stored spans with their enterprises and total (newest year first), and the months
    each year's year to date still needs."""
    lines = [labels.STORED_ONLY_INTRO.format(town=town)]
    for year in sorted(stored, reverse=True):
        spans = stored[year]
        if not spans:
            continue
        held = "；".join(labels.STORED_SPAN.format(period=s.period.label(), n=s.enterprises,
                                                  total=format_10k(s.value_10k)) for s in spans)
        lines.append(labels.STORED_ONLY_YEAR.format(year=year, held=held))
        through = max(s.period.last for s in spans)
        missing = months_needed([s.period for s in spans], through)
        if missing:
            lines.append(labels.STORED_ONLY_NEEDS.format(year=year, through=through,
                                                         missing=f"{year}年{describe_months(missing)}"))
    return lines
