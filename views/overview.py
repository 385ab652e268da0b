"""总览: how the town's industry is doing this year, on one screen."""
import pandas as pd
import streamlit as st

from lakou_metrics import charts
from lakou_app.data import load_trend
from lakou_app.tables import warnings_table
from lakou_app.ui import show_chart, current_year, kpi_card, stop_without_data, scoped
from lakou_metrics import labels
from lakou_metrics.metrics import compute_aggregate, compute_breakdown, compute_enterprise_ranking
from lakou_metrics.numbers import format_10k, format_rate

selection, ytd = current_year()
when = selection.when
st.title(f"{labels.APP_TITLE} · {when}")
stop_without_data(selection, ytd.figures)

targets = {t["indicator"]: t for t in ytd.targets}
total_goal = targets.get("total_output") or targets.get("total_output_growth") or {}
above_goal = targets.get("above_scale_output") or targets.get("above_scale_output_growth") or {}
cards = st.columns(4)
kpi_card(cards[0], f"{when} 工业总产值", ytd.total.value, ytd.total.yoy,
         total_goal.get("completion"), total_goal.get("gap"))
kpi_card(cards[1], f"{when} 规上工业产值", ytd.above_scale.value, ytd.above_scale.yoy,
         above_goal.get("completion"), above_goal.get("gap"))
alone_figures = scoped(ytd.period_figures, selection)
alone = compute_aggregate(alone_figures)
alone_mom = compute_aggregate(alone_figures, base="previous_10k")
with cards[2].container(border=True):
    st.metric(f"{ytd.alone.label()}产值", format_10k(alone.value), help=f"{ytd.alone.label()}当期，{selection.scope}",
              delta=f"同比 {format_rate(alone.yoy)}", delta_color="normal" if alone.yoy is not None else "off")
    st.badge(f"环比 {format_rate(alone_mom.yoy)}", color="blue" if alone_mom.yoy is not None else "gray")
warnings = ytd.warnings
with cards[3].container(border=True):
    counts = warnings.level.value_counts()
    st.metric("预警企业", f"{warnings.enterprise_id.nunique()} 家")
    st.badge(f"红 {counts.get('红', 0)} · 橙 {counts.get('橙', 0)} · 蓝 {counts.get('蓝', 0)}",
             color="red" if counts.get("红", 0) else "orange")

figures = scoped(ytd.figures, selection)
sectors = compute_breakdown(figures)
subtitle = f"{selection.scope} · 单位：万元 · 同比为同口径"
left, right = st.columns(2)
trend = load_trend(selection.period, figures.enterprise_id)
unit = "月度" if trend.attrs.get("granularity") == "month" else "季度"
show_chart(left, charts.trend_chart(
    trend, f"{labels.TOWN}{selection.period.year}年{unit}产值与上年同期", subtitle))
show_chart(right, charts.sector_chart(
    sectors, f"{labels.TOWN}{when}各行业产值（万元）", f"{subtitle} · 标注为产值与同比"))

left, right = st.columns(2)
show_chart(left, charts.pull_chart(
    sectors.assign(name=sectors.sector.map(labels.SECTOR_NAMES)).dropna(subset=["pull"]), "name",
    f"{labels.TOWN}{when}各行业拉动全镇增长", f"{selection.scope} · 单位：百分点"))
ranked = compute_enterprise_ranking(figures, by="pull").dropna(subset=["pull"])
movers = pd.concat([ranked.head(5), ranked.tail(5)]).drop_duplicates("enterprise_id")
show_chart(right, charts.pull_chart(
    movers, "name", f"{labels.TOWN}{when}拉动最大与拖累最大的企业", f"{selection.scope} · 前5与后5 · 单位：百分点"))

st.subheader(f"{when} 预警")
if warnings.empty:
    st.success("没有预警。")
else:
    warnings_table(warnings.head(10))
    if len(warnings) > 10:
        st.page_link("views/warnings.py", label=f"查看全部 {len(warnings)} 条预警", icon=":material/warning:")
