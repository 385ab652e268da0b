"""行业: one pillar industry at a time: its figures, trend, share, enterprises and pull."""
import streamlit as st

from lakou_metrics import charts
from lakou_app.data import load_trend
from lakou_app.tables import enterprise_table
from lakou_app.ui import show_chart, current_year, stop_without_data, scoped
from lakou_metrics import labels
from lakou_metrics.metrics import SECTOR_ORDER, compute_breakdown, compute_enterprise_ranking
from lakou_metrics.numbers import format_10k, format_rate

selection, ytd = current_year()
when = selection.when
st.title(f"行业 · {when}")
sector = st.segmented_control("行业", SECTOR_ORDER, format_func=labels.SECTOR_NAMES.get, default=SECTOR_ORDER[0],
                              key="sector", required=True, label_visibility="collapsed")
name = labels.SECTOR_NAMES[sector]
figures = scoped(ytd.figures, selection)
stop_without_data(selection, figures)
sectors = compute_breakdown(figures).set_index("sector")
row = sectors.loc[sector]
members = figures[figures.sector == sector]

cards = st.columns(4)
cards[0].metric(f"{when} {name}产值", format_10k(row.value_10k), delta=f"同比 {format_rate(row.yoy)}"
                if row.yoy == row.yoy else "同比 —", delta_color="normal" if row.yoy == row.yoy else "off",
                border=True)
cards[1].metric("占全镇比重", format_rate(row.share).lstrip("+"), border=True,
                help=f"{name}产值 ÷ {selection.scope}产值")
pull = row.pull
cards[2].metric("拉动（百分点）", f"{pull * 100:+.1f}" if pull == pull else "—", border=True,
                help="拉动全镇增长：本行业增量 ÷ 全镇上年同期（同口径）")
cards[3].metric("贡献率", format_rate(row.contribution).lstrip("+") if row.contribution == row.contribution
                else "—", border=True, help="本行业增量 ÷ 全镇增量")
st.caption(f"{name}共 {len(members)} 家{selection.scope}报送数据；金额单位万元，同比为同口径。")

if members.empty:
    st.info(f"{when}{name}没有{selection.scope}的产值数据。")
    st.stop()
left, right = st.columns(2)
trend = load_trend(selection.period, members.enterprise_id)
unit = "月度" if trend.attrs.get("granularity") == "month" else "季度"
show_chart(left, charts.trend_chart(trend, f"{labels.TOWN}{name}行业{selection.period.year}年{unit}产值与上年同期",
                                     f"{selection.scope} · 单位：万元", color=charts.SECTOR_COLORS[sector]))
show_chart(right, charts.sector_chart(
    compute_breakdown(figures), f"{labels.TOWN}{when}{name}在各行业中的位置", f"{selection.scope} · 单位：万元 · 标注为产值与同比",
    highlight=sector))

st.subheader(f"{name}企业排名（按累计产值）")
ranked = compute_enterprise_ranking(figures, by="value_10k")
ranked = ranked[ranked.sector == sector].assign(rank=lambda f: range(1, len(f) + 1))
enterprise_table(ranked)
st.caption(f"排名、贡献率与拉动均在全镇{selection.scope}中计算。")
