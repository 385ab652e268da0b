"""Altair charts that stand on their own when pasted into a report: title, period, unit and data
date inside the chart; one colour per sector everywhere; Chinese tooltips and number formats.

Builders take frames of this package and return charts; no streamlit here, so the same charts
are drawn on the page and rendered to PNG on the server (briefing.render_png).

A chart's rows reach the reader too: Streamlit's "Show data" lists them as they are. So a chart
carries only Chinese headings and the figures as the page writes them (产值（万元） rounded to one
decimal, 同比 as "+10.3%", sectors by name), never the frame's codes and ratios; label positions
and joined labels are Vega calculations, not columns.
"""
from __future__ import annotations

import json

import altair as alt
import pandas as pd

from ..domain import labels, style
from ..domain.numbers import (
    choose_money_unit,
    format_10k,
    format_in_money_unit,
    format_percent,
    format_rate,
    format_short_of,
    format_signed_points,
    is_missing,
    numbers_in_money_unit,
    percent_array,
    round_half_up_array,
)
from ..domain.sectors import SECTOR_COLORS, SECTOR_NAMES, SECTOR_ORDER
from ..domain.style import DOWN, FLAT, LAST_YEAR, THIS_YEAR, UP

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
SECTOR_SCALE = alt.Scale(domain=[SECTOR_NAMES[c] for c in SECTOR_ORDER],
                         range=[SECTOR_COLORS[c] for c in SECTOR_ORDER])
TITLE_SIZE, SUBTITLE_SIZE = 16, 12
PHONE_TEXT_WIDTH = 320  # pixels of text a chart on a 390-px phone has room for
Title = str | tuple[str, str]  # one line, or (where and when, what) that wraps on a narrow chart
# The headings of the numbers a chart plots, with their units, as the page's tables name them; an
# output chart plots in one unit, 亿元 or 万元 (_output_unit), and names it: 产值（亿元）.
VALUE, PULL = "产值（万元）", "拉动（百分点）"
COMPLETION, SCHEDULE = "完成率（%）", "序时进度（%）"
MONTH_INVESTED, CUMULATIVE, PLAN = "当月完成投资（万元）", "累计完成投资（万元）", "年度计划投资（万元）"


def chart_title(when: str, what: str, town: str = labels.TOWN) -> tuple[str, str]:
    """A chart's title as (腊口镇2024年1-10月, 各行业产值): one line on a wide chart, two on a phone."""
    return (f"{town}{when}", what)


def text_ems(text: str) -> float:
    """Rough width of a line in ems: CJK characters are square, others about half."""
    return sum(1 if ord(ch) > 0x2E7F else 0.55 for ch in text)


def _text_width(text: str, size: int) -> int:
    """Rough pixel width of a line at `size` pixels."""
    return text_ems(text) * size


def _wrapping(lines: list[str], size: int, joiner: str) -> dict | str:
    """The lines as one line when the chart is wide enough for it, else one per line: a Vega
    expression on the chart's own width, so page, phone and PNG each get what fits (Streamlit
    would otherwise cut a long title with "…")."""
    whole = joiner.join(lines)
    if len(lines) < 2:
        return whole
    room = int(_text_width(whole, size)) + 40  # the chart's padding
    return alt.ExprRef(f"width < {room} ? {json.dumps(lines, ensure_ascii=False)} : "
                       f"{json.dumps(whole, ensure_ascii=False)}")


def _title(title: Title, subtitle: str) -> alt.TitleParams:
    """Title and subtitle inside the chart. Vega-Lite takes no expression for a subtitle, so a
    subtitle too long for a phone (about 320 px) is always given as two lines."""
    lines = list(title) if isinstance(title, tuple) else [title]
    parts = subtitle.split(" · ")
    half = (len(parts) + 1) // 2
    sub = ([" · ".join(parts[:half]), " · ".join(parts[half:])]
           if len(parts) > 1 and _text_width(subtitle, SUBTITLE_SIZE) > PHONE_TEXT_WIDTH else subtitle)
    return alt.TitleParams(text=_wrapping(lines, TITLE_SIZE, ""), subtitle=sub, anchor="start", fontSize=TITLE_SIZE,
                           subtitleFontSize=SUBTITLE_SIZE, subtitleColor="#5b6675", offset=10, limit=0)


def _finish(chart: alt.Chart, height) -> alt.Chart:
    """Common look; `height` in pixels, or alt.Step(n) for n pixels per category."""
    return (chart.properties(height=height, width="container", padding={"left": 8, "right": 16, "top": 8,
                                                                          "bottom": 8}, background="white")
            .configure(font=FONT)
            .configure_axis(labelFontSize=12, titleFontSize=12, labelColor="#333", titleColor="#333",
                            gridColor="#e8ecf1", domainColor="#9aa5b1")
            .configure_legend(labelFontSize=12, titleFontSize=12, orient="top")
            .configure_view(strokeWidth=0))


def _output_unit(values_10k, subtitle: str) -> tuple[str, str, str, str]:
    """One unit for an output chart (domain.numbers.choose_money_unit): the heading of its plotted
    column (产值（亿元）), the axis format (two decimals of 亿元 need one on a tick, 万元 none), and
    the subtitle with its 单位 said in that unit (a caller writes 单位：万元, as it cannot know)."""
    unit = choose_money_unit(values_10k)
    return (f"产值（{unit}）", unit, ".1f" if unit == "亿元" else ".0f",
            subtitle.replace("单位：万元", f"单位：{unit}"))


def trend_chart(trend: pd.DataFrame, title: Title, subtitle: str, color: str = THIS_YEAR) -> alt.Chart:
    """This year's months (or quarters) beside last year's, as paired bars; this year in `color`
    (a sector's own colour on its page). All bars in one unit (_output_unit)."""
    value, unit, axis_format, subtitle = _output_unit(trend.value_10k, subtitle)
    data = pd.DataFrame({"年份": (trend.year.astype(str) + "年").tolist(), "期间": trend.label.tolist(),
                         value: numbers_in_money_unit(trend.value_10k, unit),
                         "产值": [format_in_money_unit(v, unit) for v in trend.value_10k]})
    years = sorted(data["年份"].unique())
    order = list(dict.fromkeys(data["期间"]))
    chart = alt.Chart(data).mark_bar(cornerRadiusTopLeft=2, cornerRadiusTopRight=2).encode(
        x=alt.X("期间:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("年份:N", sort=years),
        y=alt.Y(f"{value}:Q", title=value, axis=alt.Axis(format=axis_format)),
        color=alt.Color("年份:N", scale=alt.Scale(domain=years, range=[LAST_YEAR, color][-len(years):]),
                        legend=alt.Legend(title=None)),
        tooltip=[alt.Tooltip("年份:N"), alt.Tooltip("期间:N"), alt.Tooltip("产值:N")],
    ).properties(title=_title(title, subtitle))
    return _finish(chart, 280)


def _value_and_growth() -> alt.expr.core.Expression:
    """A bar's label, 1234.5万元  +10.3%, joined in Vega from the row's 产值 and 同比 as written."""
    return alt.datum["产值"] + "  " + alt.datum["同比"]


def sector_chart(sectors: pd.DataFrame, title: Title, subtitle: str, highlight: str | None = None) -> alt.Chart:
    """Output by sector as horizontal bars, each labelled with its value and growth, all in one
    unit (_output_unit)."""
    value, unit, axis_format, subtitle = _output_unit(sectors.value_10k, subtitle)
    data = pd.DataFrame({
        "行业": sectors.sector.map(SECTOR_NAMES).tolist(), value: numbers_in_money_unit(sectors.value_10k, unit),
        "产值": [format_in_money_unit(v, unit) for v in sectors.value_10k],
        "同比": [format_rate(_none(v)) for v in sectors.yoy], "占全镇": [format_percent(v) for v in sectors.share]})
    order = data.sort_values(value, ascending=False)["行业"].tolist()
    base = alt.Chart(data).encode(
        y=alt.Y("行业:N", sort=order, title=None, axis=alt.Axis(labelLimit=120)),
        x=alt.X(f"{value}:Q", title=value, axis=alt.Axis(format=axis_format, tickCount=5),
                scale=alt.Scale(domainMax=float(data[value].max() or 1) * 1.35)),
        tooltip=[alt.Tooltip("行业:N"), alt.Tooltip("产值:N"), alt.Tooltip("同比:N"), alt.Tooltip("占全镇:N")],
    )
    opacity = (alt.condition(alt.datum["行业"] == SECTOR_NAMES[highlight], alt.value(1), alt.value(0.35))
               if highlight else alt.value(1))
    bars = base.mark_bar().encode(color=alt.Color("行业:N", scale=SECTOR_SCALE, legend=None), opacity=opacity)
    text = base.mark_text(align="left", dx=4, fontSize=12, color="#333").transform_calculate(
        标注=_value_and_growth()).encode(text="标注:N")
    return _finish((bars + text).properties(title=_title(title, subtitle)), alt.Step(30))


def town_chart(ranking: pd.DataFrame, title: Title, subtitle: str, highlight: str | None = None,
               above_only: bool = False) -> alt.Chart:
    """The towns' output (compute.county.county_ranking) as horizontal bars, largest first, each
    labelled with its value and 同比, all in one unit (_output_unit); the town a reader belongs to
    stands out."""
    column, growth = ("above_10k", "above_yoy") if above_only else ("value_10k", "yoy")
    value, unit, axis_format, subtitle = _output_unit(ranking[column], subtitle)
    data = pd.DataFrame({
        "乡镇": ranking.town.tolist(), value: numbers_in_money_unit(ranking[column], unit),
        "产值": [format_in_money_unit(v, unit) for v in ranking[column]],
        "同比": [format_rate(_none(v)) for v in ranking[growth]]})
    order = data.sort_values(value, ascending=False)["乡镇"].tolist()
    base = alt.Chart(data).encode(
        y=alt.Y("乡镇:N", sort=order, title=None, axis=alt.Axis(labelLimit=120)),
        x=alt.X(f"{value}:Q", title=value, axis=alt.Axis(format=axis_format, tickCount=5),
                scale=alt.Scale(domainMax=float(data[value].max() or 1) * 1.35)),
        tooltip=[alt.Tooltip("乡镇:N"), alt.Tooltip("产值:N"), alt.Tooltip("同比:N")],
    )
    colour = (alt.condition(alt.datum["乡镇"] == highlight, alt.value(THIS_YEAR), alt.value(LAST_YEAR))
              if highlight else alt.value(LAST_YEAR))
    bars = base.mark_bar().encode(color=colour)
    text = base.mark_text(align="left", dx=4, fontSize=12, color="#333").transform_calculate(
        标注=_value_and_growth()).encode(text="标注:N")
    return _finish((bars + text).properties(title=_title(title, subtitle)), alt.Step(30))


def pull_chart(frame: pd.DataFrame, name_column: str, title: Title, subtitle: str) -> alt.Chart:
    """拉动 in percentage points as diverging bars: who pulled growth up (green), who down (red).

    Every label sits right of the zero line (a falling bar's label too), so no label ever runs
    into the names on the left, however narrow the chart."""
    points = percent_array(frame["pull"]).tolist()
    data = pd.DataFrame({
        "名称": frame[name_column].tolist(), PULL: points, "拉动": [format_signed_points(p) for p in frame["pull"]],
        "方向": ["拉升" if p > 0 else "拖累" if p < 0 else "持平" for p in points]})
    top, low = max(max(points, default=0.0), 0.0), min(min(points, default=0.0), 0.0)
    span = max(top - low, 0.1)
    order = data.sort_values(PULL, ascending=False)["名称"].tolist()
    base = alt.Chart(data).encode(
        y=alt.Y("名称:N", sort=order, title=None, axis=alt.Axis(labelLimit=150)),
        tooltip=[alt.Tooltip("名称:N"), alt.Tooltip("拉动:N", title=PULL)],
    )
    scale = alt.Scale(domain=[low - (span * 0.05 if low < 0 else 0), top + span * 0.35])
    bars = base.mark_bar().encode(
        x=alt.X(f"{PULL}:Q", title=PULL, scale=scale),
        color=alt.Color("方向:N", scale=alt.Scale(domain=["拉升", "拖累", "持平"], range=[UP, DOWN, FLAT]),
                        legend=None))
    text = base.mark_text(align="left", dx=4, fontSize=11, color="#333").transform_calculate(
        标注位置=alt.expr.max(alt.datum[PULL], 0)).encode(x=alt.X("标注位置:Q", scale=scale), text="拉动:N")
    return _finish((bars + text).properties(title=_title(title, subtitle)), alt.Step(24))


def targets_chart_words(year_end: bool) -> tuple[str, str]:
    """(what, subtitle) of the targets chart: 完成率 against 序时进度 during the year; with the
    whole year's figures the tick is the target itself (100%), and no 序时 is left."""
    if year_end:
        return "年度目标完成情况", "竖线为全年目标（100%） · 数据早于所选期间的注明截至月份，按其所属月份的序时进度衡量"
    return "年度目标完成率与序时进度", "竖线为各目标数据所属月份的序时进度 · 数据早于所选期间的注明截至月份"


def targets_chart(targets: list, title: Title, subtitle: str) -> alt.Chart:
    """完成率 of each amount target against the 序时进度 of the month its figure is for (the
    tick; 100% with the whole year's figure), coloured by its status; the label sits past both bar
    and tick, never struck through."""
    rows = []
    for t in targets:
        if is_missing(t.completion) or is_missing(t.schedule):
            continue
        status = style.STATUSES[t.status]
        completion, schedule = percent_array([t.completion, t.schedule]).tolist()
        rows.append({"指标": t.name, COMPLETION: completion, SCHEDULE: schedule, "状态": status.words,
                     "完成率": format_short_of(t.completion) + (f"（截至{t.as_of}月）" if t.stale else "")
                     + (f"（{status.words}）" if status == style.NOT_STARTED else ""),
                     "序时进度": format_percent(t.schedule)})
    data = pd.DataFrame(rows, columns=["指标", COMPLETION, SCHEDULE, "状态", "完成率", "序时进度"])
    top = max([110.0] + [max(r[COMPLETION], r[SCHEDULE]) * 1.45 for r in rows])
    x_scale = alt.Scale(domain=[0, top])
    # The key: the three 序时 statuses (a scale, shown whole) unless every figure is the whole
    # year's, then met and missed where shown; a project before its start (未开工) is neither ahead
    # nor behind: its own colour in the key.
    shown = set(data["状态"])
    year_end = [s for s in style.YEAR_END_STATUSES if s.words in shown]
    not_started = [s for s in (style.NOT_STARTED,) if s.words in shown]
    during = shown - {s.words for s in year_end + not_started}
    statuses = (list(style.SCHEDULE_STATUSES) if during or not year_end else []) + year_end + not_started
    base = alt.Chart(data).encode(y=alt.Y("指标:N", sort=data["指标"].tolist(), title=None,
                                          axis=alt.Axis(labelLimit=200)))
    bars = base.mark_bar(height=16).encode(
        x=alt.X(f"{COMPLETION}:Q", title=COMPLETION, scale=x_scale, axis=alt.Axis(tickCount=6)),
        color=alt.Color("状态:N", scale=alt.Scale(domain=[s.words for s in statuses],
                                                 range=[s.colour for s in statuses]),
                        legend=alt.Legend(title=None)),
        tooltip=[alt.Tooltip("指标:N"), alt.Tooltip("完成率:N"), alt.Tooltip("序时进度:N"), alt.Tooltip("状态:N")])
    tick = base.mark_tick(color="#1d2733", thickness=2, size=26).encode(x=alt.X(f"{SCHEDULE}:Q", scale=x_scale))
    # The label sits past both bar and tick.
    text = base.mark_text(align="left", dx=6, fontSize=11, color="#333").transform_calculate(
        标注位置=alt.expr.max(alt.datum[COMPLETION], alt.datum[SCHEDULE])).encode(
        x=alt.X("标注位置:Q", scale=x_scale), text="完成率:N")
    return _finish((bars + tick + text).properties(title=_title(title, subtitle)), alt.Step(30))


def _none(value):
    return None if is_missing(value) else value


def project_months_chart(history: pd.DataFrame, plan: float | None, title: Title, subtitle: str) -> alt.Chart:
    """A project's investment month by month (bars) and its year to date (line), with this year's
    plan as a dashed rule when there is one."""
    # Months as 1月 in the rows, bare numbers on the axis under a 月份 title: twelve fit a phone.
    data = pd.DataFrame({"月份": [f"{m}月" for m in history.month],
                         MONTH_INVESTED: round_half_up_array(history.invested_10k, 1),
                         CUMULATIVE: round_half_up_array(history.cumulative_10k, 1),
                         "当月完成投资": [format_10k(v) for v in history.invested_10k],
                         "累计完成投资": [format_10k(v) for v in history.cumulative_10k]})
    order = data["月份"].tolist()
    top = max([float(data[CUMULATIVE].max()) if data[CUMULATIVE].notna().any() else 0.0, plan or 0.0, 1.0]) * 1.1
    y_scale = alt.Scale(domain=[0, top])
    base = alt.Chart(data).encode(x=alt.X("月份:N", sort=order, title="月份",
                                          axis=alt.Axis(labelAngle=0, labelExpr="replace(datum.label, '月', '')")),
                                  tooltip=[alt.Tooltip("月份:N"), alt.Tooltip("当月完成投资:N"),
                                           alt.Tooltip("累计完成投资:N")])
    bars = base.mark_bar(color=THIS_YEAR, opacity=0.85).encode(
        y=alt.Y(f"{MONTH_INVESTED}:Q", title="完成投资（万元）", scale=y_scale, axis=alt.Axis(format=".0f")))
    line = base.mark_line(color="#1d2733", point=True).encode(y=alt.Y(f"{CUMULATIVE}:Q", scale=y_scale))
    layers = [bars, line]
    if plan:
        rule = alt.Chart(pd.DataFrame({PLAN: round_half_up_array([plan], 1), "年度计划投资": [format_10k(plan)]}))
        layers += [rule.mark_rule(color=LAST_YEAR, strokeDash=[6, 4]).encode(y=alt.Y(f"{PLAN}:Q", scale=y_scale)),
                   rule.mark_text(align="left", dx=4, dy=-6, fontSize=11, color="#5b6675").transform_calculate(
                       标注="年度计划 " + alt.datum["年度计划投资"]).encode(
                       y=alt.Y(f"{PLAN}:Q", scale=y_scale), x=alt.value(0), text="标注:N")]
    return _finish(alt.layer(*layers).properties(title=_title(title, subtitle)), 260)
