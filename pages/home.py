"""首页: the town's headline figures for the latest period with data."""
import streamlit as st

from lakou_app.data import latest_period, load_ledger, load_year_to_date
from lakou_metrics import labels
from lakou_metrics.numbers import format_10k, format_rate
from lakou_metrics.text import describe_summary

st.title(labels.APP_TITLE)
ledger = load_ledger()
period = latest_period(ledger)
if period is None:
    st.info(labels.EMPTY_DATABASE_HELP)
    st.stop()

ytd = load_year_to_date(period)
st.caption(f"数据截至 {period.label()}　·　金额单位：万元　·　同比为同口径（本期报送企业的上年同期）")
left, right = st.columns(2)
left.metric(f"{period.label()} 工业总产值", format_10k(ytd.total.value),
            delta=f"同比 {format_rate(ytd.total.yoy)}" if ytd.total.yoy is not None else None)
right.metric(f"{period.label()} 规上工业产值", format_10k(ytd.above_scale.value),
             delta=f"同比 {format_rate(ytd.above_scale.yoy)}" if ytd.above_scale.yoy is not None else None)
st.text(describe_summary(ytd))
