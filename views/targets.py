"""目标任务: every annual target with its actual, 完成率 against 序时进度, the gap and what remains."""

import pandas as pd
import streamlit as st

from lakou_metrics import charts
from lakou_app.data import load_peer
from lakou_app.ui import show_chart, current_year
from lakou_metrics import labels
from lakou_metrics.numbers import format_amount, is_missing
from lakou_metrics.targets import INDICATOR_BY_CODE

selection, ytd = current_year()
when = selection.when
st.title(f"目标任务 · {when}")
st.caption(f"序时进度 = 已过月数 ÷ 12 = {selection.period.last}/12 = {selection.period.last / 12 * 100:.1f}%。"
           "增速目标以“累计增速是否达到目标增速”判断；金额单位万元。")
if not ytd.targets:
    st.info(f"{selection.period.year}年还没有导入年度目标。目标表格式：年份 | 指标 | 单位 | 年度目标 | 1-3月完成 …")
    st.stop()



STATE_STYLES = {"超序时": "color: #2e7d32", "达到目标增速": "color: #2e7d32", "略欠序时": "color: #ef8a00",
                "低于目标增速": "color: #c62828", "落后序时": "color: #c62828"}


def state(t):
    if t["on_schedule"] is None:
        return "—"
    if t["kind"] == "growth":
        return "达到目标增速" if t["on_schedule"] else "低于目标增速"
    return "超序时" if t["gap"] >= 0 else ("略欠序时" if t["gap"] > -0.05 else "落后序时")


def pct(x):
    return None if is_missing(x) else round(x * 100, 1)


rows = []
for t in ytd.targets:
    rows.append({
        "指标": t["name"], "状态": state(t), "年度目标": format_amount(t["target"], t["unit"]),
        "累计完成": format_amount(t["actual"], t["unit"]),
        "完成率（%）": pct(t["completion"]) if t["kind"] == "amount" else None,
        "超欠序时（点）": pct(t["gap"]) if t["kind"] == "amount" else None,
        "还需完成": format_amount(t["remaining"], t["unit"] if t["kind"] == "amount" else "万元"),
        "余月需增速": format_amount(t["required_growth"], "%"),
    })
table = pd.DataFrame(rows)
table[["完成率（%）", "超欠序时（点）"]] = table[["完成率（%）", "超欠序时（点）"]].astype(float)
styled = table.style.map(lambda v: STATE_STYLES.get(v, "") + "; font-weight: 600", subset=["状态"]).format(
    {"完成率（%）": "{:.1f}", "超欠序时（点）": "{:+.1f}"}, na_rep="—")
st.dataframe(styled, hide_index=True, width="stretch", height=36 * len(table) + 40, placeholder="—",
             column_config={
    "完成率（%）": st.column_config.NumberColumn(format="%.1f"),
    "超欠序时（点）": st.column_config.NumberColumn(format="%+.1f"),
})
show_chart(st, charts.targets_chart(
    [t for t in ytd.targets if t["kind"] == "amount"], f"{labels.TOWN}{when}年度目标完成率与序时进度",
    f"竖线为序时进度 {selection.period.last / 12 * 100:.1f}% · 橙色、红色为落后序时的目标"))

st.subheader("与周边乡镇比较")
peer = load_peer(selection.period)
if peer.empty:
    st.info(f"还没有{when}的对比乡镇数据。对比表格式：乡镇 | 年份 | 期间 | 指标 | 单位 | 数值。")
else:
    ours = {"total_output": ytd.total.value, "total_output_growth": ytd.total.yoy,
            "above_scale_output": ytd.above_scale.value, "above_scale_output_growth": ytd.above_scale.yoy}
    table = peer.pivot_table(index="indicator", columns="town", values="value", aggfunc="last")
    out = []
    order = [code for code in INDICATOR_BY_CODE if code in table.index]
    for code, row in table.loc[order].iterrows():
        ind = INDICATOR_BY_CODE[code]
        out.append({"指标": ind.name, "腊口镇": format_amount(ours.get(code), ind.unit),
                    **{town: format_amount(row[town], ind.unit) for town in table.columns}})
    st.dataframe(pd.DataFrame(out), hide_index=True)
    st.caption(f"{when}累计。对比乡镇数据由工作人员录入，腊口镇数据由系统按同口径计算。")
