"""Altair charts that stand on their own when pasted into a report: title, period, unit and data
date inside the chart; one colour per sector everywhere; Chinese tooltips and number formats.

Builders take frames of this package and return charts; no streamlit here, so the same charts
are drawn on the page and rendered to PNG on the server (briefing.render_png).
"""
from __future__ import annotations


import altair as alt
import pandas as pd

from . import labels
from .metrics import SECTOR_ORDER
from .numbers import format_10k, format_rate, is_missing

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
SECTOR_COLORS = {
    "hardware": "#4e79a7", "metals": "#9c755f", "agriculture": "#59a14f",
    "photovoltaic": "#f28e2b", "building_materials": "#b07aa1", "other": "#8c8c8c",
}
SECTOR_SCALE = alt.Scale(domain=[labels.SECTOR_NAMES[c] for c in SECTOR_ORDER],
                         range=[SECTOR_COLORS[c] for c in SECTOR_ORDER])
THIS_YEAR, LAST_YEAR = "#1f5fa8", "#b9c6d6"
UP, DOWN = "#2e7d32", "#c62828"
STATUS_COLORS = {"超序时": "#2e7d32", "略欠序时": "#ef8a00", "落后序时": "#c62828"}
LEVEL_COLORS = {"红": "#d32f2f", "橙": "#f57c00", "蓝": "#1976d2", "绿": "#388e3c"}


def _title(text: str, subtitle: str) -> alt.TitleParams:
    return alt.TitleParams(text=text, subtitle=subtitle, anchor="start", fontSize=16, subtitleFontSize=12,
                           subtitleColor="#5b6675", offset=10)


def _finish(chart: alt.Chart, height) -> alt.Chart:
    """Common look; `height` in pixels, or alt.Step(n) for n pixels per category."""
    return (chart.properties(height=height, width="container", padding={"left": 8, "right": 16, "top": 8,
                                                                          "bottom": 8}, background="white")
            .configure(font=FONT)
            .configure_axis(labelFontSize=12, titleFontSize=12, labelColor="#333", titleColor="#333",
                            gridColor="#e8ecf1", domainColor="#9aa5b1")
            .configure_legend(labelFontSize=12, titleFontSize=12, orient="top")
            .configure_view(strokeWidth=0))


def trend_chart(trend: pd.DataFrame, title: str, subtitle: str, color: str = THIS_YEAR) -> alt.Chart:
    """This year's months (or quarters) beside last year's, as paired bars; this year in `color`
    (a sector's own colour on its page)."""
    data = trend.drop(columns="period").assign(
        年份=trend.year.astype(str) + "年", 期间=trend.label,
        产值=trend.value_10k.round(1), 显示=[format_10k(v) for v in trend.value_10k],
        order=range(len(trend)))
    years = sorted(data["年份"].unique())
    order = list(dict.fromkeys(data["期间"]))
    chart = alt.Chart(data).mark_bar(cornerRadiusTopLeft=2, cornerRadiusTopRight=2).encode(
        x=alt.X("期间:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("年份:N", sort=years),
        y=alt.Y("产值:Q", title="产值（万元）", axis=alt.Axis(format=",.0f")),
        color=alt.Color("年份:N", scale=alt.Scale(domain=years, range=[LAST_YEAR, color][-len(years):]),
                        legend=alt.Legend(title=None)),
        tooltip=[alt.Tooltip("年份:N"), alt.Tooltip("期间:N"), alt.Tooltip("显示:N", title="产值")],
    ).properties(title=_title(title, subtitle))
    return _finish(chart, 280)


def sector_chart(sectors: pd.DataFrame, title: str, subtitle: str, highlight: str | None = None) -> alt.Chart:
    """Output by sector as horizontal bars, each labelled with its value and growth."""
    data = sectors.assign(
        行业=sectors.sector.map(labels.SECTOR_NAMES), 产值=sectors.value_10k.round(1),
        增速=[format_rate(_none(v)) for v in sectors.yoy], 占比=[format_rate(_none(v)).lstrip("+")
                                                            for v in sectors.share],
        标注=[f"{format_10k(v)}  {format_rate(_none(g))}" for v, g in zip(sectors.value_10k, sectors.yoy)],
        显示=[format_10k(v) for v in sectors.value_10k])
    order = data.sort_values("产值", ascending=False)["行业"].tolist()
    base = alt.Chart(data).encode(
        y=alt.Y("行业:N", sort=order, title=None, axis=alt.Axis(labelLimit=120)),
        x=alt.X("产值:Q", title="产值（万元）", axis=alt.Axis(format=",.0f", tickCount=5),
                scale=alt.Scale(domainMax=float(data["产值"].max() or 1) * 1.35)),
        tooltip=[alt.Tooltip("行业:N"), alt.Tooltip("显示:N", title="产值"), alt.Tooltip("增速:N", title="同比"),
                 alt.Tooltip("占比:N", title="占全镇")],
    )
    opacity = (alt.condition(alt.datum["行业"] == labels.SECTOR_NAMES[highlight], alt.value(1), alt.value(0.35))
               if highlight else alt.value(1))
    bars = base.mark_bar().encode(color=alt.Color("行业:N", scale=SECTOR_SCALE, legend=None), opacity=opacity)
    text = base.mark_text(align="left", dx=4, fontSize=12, color="#333").encode(text="标注:N")
    return _finish((bars + text).properties(title=_title(title, subtitle)), alt.Step(30))


def pull_chart(frame: pd.DataFrame, name_column: str, title: str, subtitle: str) -> alt.Chart:
    """拉动 in percentage points as diverging bars: who pulled growth up, who down."""
    data = frame.assign(
        名称=frame[name_column], 拉动=(frame["pull"] * 100).round(2),
        标注=[f"{p * 100:+.1f}个百分点" for p in frame["pull"]],
        方向=["拉升" if p >= 0 else "拖累" for p in frame["pull"]])
    # Room for the labels on the side(s) that have bars; no empty half when all pull one way.
    top, low = max(float(data["拉动"].max()), 0.0), min(float(data["拉动"].min()), 0.0)
    pad = max(top - low, 0.1) * 0.3
    order = data.sort_values("拉动", ascending=False)["名称"].tolist()
    base = alt.Chart(data).encode(
        y=alt.Y("名称:N", sort=order, title=None, axis=alt.Axis(labelLimit=150)),
        x=alt.X("拉动:Q", title="拉动（百分点）", scale=alt.Scale(domain=[low - (pad if low < 0 else 0) - pad * 0.2,
                                                                       top + pad])),
        tooltip=[alt.Tooltip("名称:N", title="名称"), alt.Tooltip("标注:N", title="拉动")],
    )
    bars = base.mark_bar().encode(color=alt.Color("方向:N", scale=alt.Scale(domain=["拉升", "拖累"],
                                                                           range=[UP, DOWN]), legend=None))
    right = base.mark_text(align="left", dx=4, fontSize=11, color="#333").encode(text="标注:N") \
        .transform_filter(alt.datum["拉动"] >= 0)
    left = base.mark_text(align="right", dx=-4, fontSize=11, color="#333").encode(text="标注:N") \
        .transform_filter(alt.datum["拉动"] < 0)
    return _finish((bars + right + left).properties(title=_title(title, subtitle)), alt.Step(24))


def targets_chart(targets: list[dict], title: str, subtitle: str) -> alt.Chart:
    """完成率 of each amount target against 序时进度: behind-schedule ones in orange or red."""
    rows = []
    for t in targets:
        if is_missing(t.get("completion")):
            continue
        gap = t["gap"]
        status = "超序时" if gap >= 0 else ("略欠序时" if gap > -0.05 else "落后序时")
        rows.append({"指标": t["name"], "完成率": round(t["completion"] * 100, 1),
                     "序时进度": round(t["schedule"] * 100, 1), "状态": status,
                     "标注": f"{t['completion'] * 100:.1f}%"})
    data = pd.DataFrame(rows, columns=["指标", "完成率", "序时进度", "状态", "标注"])
    top = max([110.0] + [r["完成率"] * 1.15 for r in rows])
    base = alt.Chart(data).encode(y=alt.Y("指标:N", sort=data["指标"].tolist(), title=None,
                                          axis=alt.Axis(labelLimit=200)))
    bars = base.mark_bar(height=16).encode(
        x=alt.X("完成率:Q", title="完成率（%）", scale=alt.Scale(domain=[0, top]), axis=alt.Axis(tickCount=6)),
        color=alt.Color("状态:N", scale=alt.Scale(domain=list(STATUS_COLORS), range=list(STATUS_COLORS.values())),
                        legend=alt.Legend(title=None)),
        tooltip=[alt.Tooltip("指标:N"), alt.Tooltip("标注:N", title="完成率"),
                 alt.Tooltip("序时进度:Q", title="序时进度（%）"), alt.Tooltip("状态:N")])
    tick = base.mark_tick(color="#1d2733", thickness=2, size=26).encode(x="序时进度:Q")
    text = base.mark_text(align="left", dx=4, fontSize=11, color="#333").encode(x="完成率:Q", text="标注:N")
    return _finish((bars + tick + text).properties(title=_title(title, subtitle)), alt.Step(30))


def _none(value):
    return None if is_missing(value) else value
