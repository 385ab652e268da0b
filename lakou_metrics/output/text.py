"""Figures written as the sentences of a 工业经济运行情况分析 (Chinese). Every number comes from
the computed YearToDate; a sentence whose data is missing is left out, never filled with zeros."""
from __future__ import annotations

import pandas as pd

from ..compute.drivers import compute_drivers
from ..compute.metrics import StoredSpan, compute_aggregate, count_warnings
from ..compute.targets import TargetRow
from ..domain import labels, style
from ..domain.numbers import format_10k, format_amount, format_percent, format_points, format_rate, is_missing
from ..domain.periods import format_day
from ..domain.sectors import SECTOR_NAMES
from ..domain.selection import describe_months, months_needed

Section = tuple[str, list[str]]  # heading, paragraphs


def _known(x) -> bool:
    return not is_missing(x)


def describe_growth(rate: float | None) -> str | None:
    """同比增长12.4% / 同比下降3.0%; None when there is no rate."""
    if not _known(rate):
        return None
    if style.direction(rate) == "flat":
        return "与上年同期持平"
    return f"同比增长{rate * 100:.1f}%" if rate > 0 else f"同比下降{-rate * 100:.1f}%"


def _pct(x: float) -> str:
    return format_percent(x)


def describe_schedule(target: TargetRow) -> str:
    """The status of an amount target with its gap, as badge, image and table say it:
    超序时2.1个百分点 / 略欠序时1.3个百分点 / 落后序时6.0个百分点."""
    return f"{style.STATUSES[target.schedule_status].words}{format_points(target.gap)}"


def _target_clause(target: TargetRow | None) -> str | None:
    """完成年度目标的48.1%，超序时进度2.1个百分点 — for an amount target with a completion."""
    if not target or not _known(target.completion) or not _known(target.gap):
        return None
    gap = target.gap
    side = "超" if gap >= 0 else "落后"
    return f"完成年度目标的{_pct(target.completion)}，{side}序时进度{format_points(gap)}"


def _growth_target_clause(target: TargetRow | None, actual: float | None) -> str | None:
    if not target or not _known(actual):
        return None
    diff = actual - target.target
    side = "高于" if diff >= 0 else "低于"
    return f"{side}年度目标增速（{_pct(target.target)}）{format_points(diff)}"


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
    down = drivers.sectors_down[:2]
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
    """（暂定） after a verdict on output while enterprises are missing; "" otherwise (or for a target
    not computed from output)."""
    if not ytd.provisional or (target is not None and target.source != "output"):
        return ""
    return f"（{labels.PROVISIONAL}）"


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
                            _growth_target_clause(targets.get("total_output_growth"), ytd.total.yoy))):
        if clause:
            parts.append(clause + provisional_mark(ytd, target))
    new = describe_new(ytd.total)
    return "，".join(parts) + "。" + (f"{new}。" if new else "")


def briefing_sections(ytd) -> list[Section]:
    """总体情况, 分行业, 重点企业, 目标任务, 重点项目, 预警, 问题, 建议 — each only with the sentences
    its data supports, numbered in order (a section without data leaves no gap in 一、二、三)."""
    if ytd.total.count == 0:
        return []
    drivers = compute_drivers(ytd.figures)
    problems, suggestions = problems_and_suggestions(ytd, drivers)
    sections = [("总体情况", _overall_lines(ytd)), ("分行业情况", _sector_lines(ytd, drivers)),
                ("重点企业", _enterprise_lines(ytd)), ("目标任务完成情况", _target_lines(ytd)),
                ("重点项目", describe_projects(ytd.projects) if ytd.projects is not None else []),
                ("运行预警", _warning_lines(ytd)), ("存在问题", problems), ("下步工作建议", suggestions)]
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
                               (targets.get("above_scale_output_growth"), _growth_target_clause(
                                   targets.get("above_scale_output_growth"), ytd.above_scale.yoy))):
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
        if _known(before.yoy):
            extras.append(f"环比{'增长' if before.yoy >= 0 else '下降'}{abs(before.yoy) * 100:.1f}%")
        overall.append("，".join([sentence] + [e for e in extras if e]) + "。")
    if ytd.reporting is not None and not ytd.reporting.complete:
        overall.append(f"（{ytd.period.label()}应报送的{ytd.reporting.expected}家企业中已报送"
                       f"{len(ytd.reporting.reported)}家，以上为已报送企业的合计，不是全镇的完整数，"
                       f"完成率等结论均为暂定。{describe_estimate(ytd)}）")
    return overall


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
            parts.append(f"{'拉动' if row['pull'] >= 0 else '拖累'}全镇增长{format_points(row['pull'])}")
        lines.append("，".join(parts) + "。")
    return describe_drivers(drivers) + lines if lines else []


def _enterprise_lines(ytd) -> list[str]:
    """The enterprises that give the increase are named under 分行业 (增长来源); here, the declines."""
    figures = ytd.figures
    falling = figures[pd.to_numeric(figures.yoy, errors="coerce") < 0].sort_values("yoy")
    if not len(falling):
        return []
    names = "、".join(f"{r.name}（{describe_growth(r.yoy)}）" for r in falling.head(3).itertuples())
    return [f"产值同比下降的企业{len(falling)}家，降幅较大的有：{names}。"]


def _target_lines(ytd) -> list[str]:
    lines = []
    behind = [t for t in ytd.targets if t.kind == "amount" and _known(t.gap) and t.gap < 0]
    if behind:
        lines.append("落后序时进度的目标：" + "；".join(
            f"{t.name}（截至{t.as_of}月完成率{_pct(t.completion)}，落后{format_points(t.gap)}）"
            + provisional_mark(ytd, t) for t in behind) + "。")
    slow = [t for t in ytd.targets if t.kind == "growth" and t.on_schedule is False]
    if slow:
        lines.append("增速未达目标：" + "；".join(
            f"{t.name}目标{_pct(t.target)}，实际{_pct(t.actual)}{provisional_mark(ytd, t)}" for t in slow) + "。")
    ahead = [t for t in ytd.targets if t.kind == "amount" and _known(t.gap) and t.gap >= 0]
    if ahead:
        lines.append("达到或超过序时进度的目标：" + "、".join(t.name + provisional_mark(ytd, t) for t in ahead) + "。")
    stale = [t for t in ytd.targets if t.stale]
    if stale:
        lines.append("以上各项按其数据所属月份的序时进度衡量；" + "、".join(
            f"{t.name}数据截至{t.as_of}月" for t in stale) + "。")
    if ytd.projection is not None:
        lines.append(describe_projection(ytd.projection, ytd.headline_target(above_only=False)))
    return lines


def _warning_lines(ytd) -> list[str]:
    if ytd.warnings.empty:
        return []
    line = f"共有{count_warnings(ytd.warnings).describe()}。"
    red = ytd.warnings[ytd.warnings.level == "红"]
    if len(red):
        rules = red.groupby("name", sort=False).rule.apply(lambda r: "、".join(labels.WARNING_RULES[x] for x in r))
        line += "红色预警：" + "；".join(f"{name}（{why}）" for name, why in list(rules.items())[:5]) + "。"
    return [line]


_CHINESE_NUMBERS = "一二三四五六七八九十"


def describe_projects(book) -> list[str]:
    """重点项目 in sentences: how many, how many on schedule, which are late and by how long, and
    investment completed against this year's plan and 序时进度."""
    table = book.table
    late = book.late
    finished = table[table.next_milestone.isna()]
    first = f"{book.period.year}年重点项目{len(table)}个"
    done = f"（其中{len(finished)}个已全部完成）" if len(finished) else ""
    parts = [f"{len(table) - len(late)}个按计划推进{done}"]
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
                     f"{'超' if money.gap >= 0 else '落后'}序时进度{format_points(money.gap)}")
        behind = table[table.gap.notna() & (table.gap < 0)].sort_values("gap")
        if len(behind):
            line += "；投资落后序时的有：" + "、".join(
                f"{r.name}（完成{format_percent(r.completion)}）" for r in behind.head(5).itertuples())
        lines.append(line + "。")
    else:
        lines.append(f"{book.period.label()}尚无重点项目投资进度数据。")
    return lines


def describe_warning(rule: str, value: float) -> str:
    """What a warning found, with its figure: 累计同比 -24.5% / 完成率落后序时进度 6.0个百分点."""
    if rule == "decline":
        return f"累计同比 {format_rate(value)}"
    if rule == "behind_target":
        return f"完成率落后序时进度 {format_points(value)}"
    return f"当期环比 {format_rate(value)}"


def problems_and_suggestions(ytd, drivers=None) -> tuple[list[str], list[str]]:
    """存在问题 and 下步工作建议 from the data, each point with its figures; a suggestion only
    where a problem calls for it, naming who (the 联系领导) and what; a point without data is
    left out."""
    problems: list[str] = []
    suggestions: list[str] = []
    numbered = lambda items: [f"{i}. {t}" for i, t in enumerate(items, 1)]  # noqa: E731
    # Targets behind schedule: what remains and the monthly pace the rest of the year needs.
    paces = []
    for t in ytd.targets:
        if t.kind != "amount" or t.status not in ("behind", "slightly_behind") or t.remaining is None:
            continue
        months_left = 12 - t.as_of
        text = (f"{t.name}截至{t.as_of}月完成{format_amount(t.actual, t.unit)}，完成率"
                f"{format_percent(t.completion)}，落后序时进度{format_points(t.gap)}，还需完成"
                f"{format_amount(t.remaining, t.unit)}")
        # A monthly pace reads well for amounts and areas, not for counts (家, 个).
        if months_left > 0 and t.unit not in ("家", "个") and t.actual is not None and t.as_of:
            needed, so_far = t.remaining / months_left, t.actual / t.as_of
            text += f"，其余{months_left}个月需月均完成{format_amount(needed, t.unit)}"
            if so_far > 0:
                text += f"，是前{t.as_of}个月月均（{format_amount(so_far, t.unit)}）的{needed / so_far:.1f}倍"
            paces.append(f"{t.name}月均{format_amount(needed, t.unit)}")
        elif months_left > 0:
            paces.append(f"{t.name}还需{format_amount(t.remaining, t.unit)}")
        problems.append(text + provisional_mark(ytd, t) + "。")
    if paces:
        suggestions.append(f"落后序时的{len(paces)}项目标按其余月份所需进度分解到月、落实到责任人，逐月对账："
                           + "；".join(paces) + "。")
    # Sectors and enterprises in decline.
    falling_sectors = [r for r in ytd.sectors.to_dict("records") if _known(r["yoy"]) and r["yoy"] < 0]
    if falling_sectors:
        problems.append("行业下降：" + "、".join(
            f"{SECTOR_NAMES[r['sector']]}行业{describe_growth(r['yoy'])}" for r in falling_sectors) + "。")
    figures = ytd.figures
    falling = figures[pd.to_numeric(figures.yoy, errors="coerce") < 0].sort_values("yoy")
    if len(falling):
        problems.append(f"产值同比下降的企业{len(falling)}家，其中降幅较大的有：" + "、".join(
            f"{r.name}（{describe_growth(r.yoy)}）" for r in falling.head(3).itertuples()) + "。")
    # Red warnings: the enterprises, and who is to visit them.
    red = ytd.warnings[ytd.warnings.level == "红"]
    if len(red):
        names = list(dict.fromkeys(red.name))
        problems.append(f"红色预警{len(red)}条，涉及企业{len(names)}家：{'、'.join(names)}。")
        contacts = figures.set_index("name").contact.to_dict()
        visits = [f"{n}（{contacts.get(n)}）" if isinstance(contacts.get(n), str) and contacts.get(n) else n
                  for n in names]
        suggestions.append("请联系领导上门走访红色预警企业，了解停减产原因、帮助解决困难：" + "、".join(visits) + "。")
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
