"""企业: a searchable ranking, and one enterprise's history against last year and its target."""
import pandas as pd
import streamlit as st

from lakou_app.data import load_trend
from lakou_app.tables import enterprise_table
from lakou_app.ui import (
    current_year,
    growth_metric,
    page_title,
    plain,
    show_chart,
    status_key,
    stop_without_data,
    target_badges,
)
from lakou_metrics.compute.metrics import compute_enterprise_ranking
from lakou_metrics.domain.numbers import format_10k
from lakou_metrics.domain.sectors import SECTOR_NAMES, SECTOR_ORDER
from lakou_metrics.output import charts

SORTS = {"累计产值": "value_10k", "同比增速": "yoy", "目标完成率": "completion", "贡献率": "contribution"}

selection, ytd = current_year()
when, scope = selection.when, selection.scope
page_title("企业", selection)
figures = ytd.scoped(selection.above_only)
stop_without_data(selection, figures)

left, middle, right = st.columns([2, 3, 1.4])
query = left.text_input("搜索企业名称", key="enterprise_query", placeholder="输入名称中的字")
chosen_sectors = middle.multiselect("行业", SECTOR_ORDER, format_func=SECTOR_NAMES.get,
                                    key="enterprise_sectors", placeholder="全部行业")
sort = right.selectbox("排序", list(SORTS), key="enterprise_sort")
ranked = compute_enterprise_ranking(figures, by=SORTS[sort])
shown = ranked
if query.strip():
    shown = shown[shown.name.str.contains(query.strip(), regex=False)]
if chosen_sectors:
    shown = shown[shown.sector.isin(chosen_sectors)]
st.caption(f"{scope} {len(shown)} 家（共 {len(ranked)} 家）；排名按“{sort}”在{scope}中计算，"
           "贡献率与拉动相对全镇。金额单位万元。")
enterprise_table(shown)

st.divider()
names = shown.name.tolist() or ranked.name.tolist()
name = st.selectbox("查看一家企业", names, key="enterprise_name")
one = ranked[ranked.name == name].iloc[0]
st.subheader(plain(name))
cards = st.columns([1.2, 1.2, 1])
growth_metric(cards[0], f"{when} 累计产值", format_10k(one.value_10k), one.yoy, border=True)
with cards[1].container(border=True):
    st.metric("年度产值目标", format_10k(one.target_10k) if pd.notna(one.target_10k) else "未设")
    if pd.notna(one.completion):
        target_badges(ytd.enterprise_target(one.enterprise_id))
with cards[2].container(border=True):
    contact = one.contact if isinstance(one.contact, str) and one.contact else "未登记"
    st.caption("行业 · 规模")
    st.text(f"{SECTOR_NAMES[one.sector]} · {'规上企业' if one.above_scale else '规下企业'}")
    st.caption("联系领导（一对一）")
    st.text(contact)
status_key(ytd.settings, [ytd.enterprise_target(one.enterprise_id)])
trend = load_trend(selection.period, enterprise_id=one.enterprise_id)
unit = "月度" if trend.attrs.get("granularity") == "month" else "季度"
show_chart(st, charts.trend_chart(trend, (f"{name} ", f"{selection.period.year}年{unit}产值与上年同期"), "单位：万元"),
           f"{name}{selection.period.year}年{unit}产值（截至{selection.period.last}月）")
