"""行业: one pillar industry at a time: its figures, trend, share, enterprises and pull."""
import streamlit as st

from lakou_app.data import current_town, load_trend
from lakou_app.tables import enterprise_table
from lakou_app.ui import (
    chart_title,
    choose_sector_widget,
    chosen_sector,
    current_year,
    growth_metric,
    page_title,
    show_chart,
    stop_without_data,
)
from lakou_metrics.compute.cockpit import choose_sector
from lakou_metrics.compute.metrics import compute_breakdown, compute_enterprise_ranking
from lakou_metrics.domain import labels
from lakou_metrics.domain.numbers import format_10k, format_percent, format_signed_points, is_missing
from lakou_metrics.domain.sectors import SECTOR_COLORS, SECTOR_NAMES, SECTOR_ORDER
from lakou_metrics.output import charts

selection, ytd = current_year()
when, scope = selection.when, selection.scope
page_title("行业", selection)
figures = ytd.scoped(selection.above_only)
stop_without_data(selection, figures)
breakdown = compute_breakdown(figures)
# Opens on the reader's sector (the URL's, else this session's), else the one that drags most.
focus = choose_sector(breakdown, chosen_sector())
st.session_state["sector"] = focus.sector  # the control shows it; set before it is drawn
sector = st.segmented_control("行业", SECTOR_ORDER, format_func=SECTOR_NAMES.get, key="sector", required=True,
                              label_visibility="collapsed", on_change=choose_sector_widget, args=("sector",))
if focus.reason == "drags":
    st.caption(labels.SECTOR_OPENS_DRAGGING.format(whole=selection.whole))
elif focus.reason == "largest":
    st.caption(labels.SECTOR_OPENS_LARGEST.format(when=when, whole=selection.whole))
name = SECTOR_NAMES[sector]
sectors = breakdown.set_index("sector")
row = sectors.loc[sector]
members = figures[figures.sector == sector]

cards = st.columns(4)
growth_metric(cards[0], f"{when} {name}产值", format_10k(row.value_10k), row.yoy, border=True,
              help=f"{name}行业{scope}累计产值；同比为同口径")
# The shares are of the scope chosen: with 规上 they are of 规上 output, and the words say so.
whole = selection.whole
cards[1].metric(f"占{whole}比重", format_percent(row.share), border=True, help=f"{name}产值 ÷ 全镇{scope}产值")
cards[2].metric(f"拉动{whole}增长（百分点）", format_signed_points(row.pull), border=True,
                help=f"本行业增量 ÷ 全镇{scope}上年同期（同口径）")
drag = not is_missing(row.contribution) and format_percent(-row.contribution) not in ("0.0%", "—") \
    and row.contribution < 0
cards[3].metric("贡献率", f"-{format_percent(-row.contribution)}" if drag else format_percent(row.contribution),
                border=True,
                help=f"本行业增量 ÷ 全镇{scope}增量；负数为拖累")
st.caption(f"{name}共 {len(members)} 家{scope}报送数据；金额单位万元，同比为同口径。")

if members.empty:
    st.info(f"{when}{name}没有{scope}的产值数据。")
    st.stop()
left, right = st.columns(2)
trend = load_trend(selection.period, selection.above_only, sector=sector)
unit = "月度" if trend.attrs.get("granularity") == "month" else "季度"
trend_title = chart_title(f"{selection.period.year}年", f"{name}{unit}产值与上年同期")
show_chart(left, charts.trend_chart(trend, trend_title,
                                    f"{scope} · 单位：万元", color=SECTOR_COLORS[sector]),
           f"{current_town()}{selection.period.year}年{name}{unit}产值（截至{selection.period.last}月，{scope}）")
show_chart(right, charts.sector_chart(
    breakdown, chart_title(when, f"{name}在各行业中的位置"),
    f"{scope} · 单位：万元 · 标注为产值与同比", highlight=sector),
    f"{current_town()}{when}{name}在各行业中的位置（{scope}）")

st.subheader(f"{name}企业排名（按累计产值）")
enterprise_table(compute_enterprise_ranking(figures, by="value_10k", sector=sector))
st.caption(f"排名为{name}行业内的名次；贡献率与拉动相对全镇{scope}计算。")
