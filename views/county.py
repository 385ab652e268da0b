"""县域: the towns of a shared database side by side for the selected period — output, 同比, 规上
output and target completion, ranked, with the same chart and exports as every page. Shown when
the database holds more than one town (the county edition)."""
import pandas as pd
import streamlit as st

from lakou_app.data import current_town, load_county
from lakou_app.ui import growth_metric, plain, show_chart, sidebar_controls, stop_without_period
from lakou_metrics.compute.county import county_ranking, county_total, missing_towns
from lakou_metrics.domain.numbers import format_10k, format_percent, format_rate, round_half_up_array
from lakou_metrics.output import charts, export
from lakou_metrics.output.text import describe_target

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

selection = sidebar_controls()
if selection is None:
    stop_without_period()
when, scope = selection.when, selection.scope
st.title(f"县域 · {selection.heading()}")
years = load_county(selection.period)
ranking = county_ranking(years)
absent = missing_towns(years)
if ranking.empty:
    st.info(f"{when}还没有任何乡镇的产值数据。请选择其他期间。")
    st.stop()
st.caption(f"{len(ranking)} 个乡镇有{when}的数据"
           + (f"；{'、'.join(plain(t) for t in absent)}还没有。" if absent else "。")
           + "各乡镇的数据由各乡镇导入，合计为各乡镇之和，同比按各乡镇同口径企业计算。")

total, above = county_total(years), county_total(years, above_only=True)
cards = st.columns(3)
growth_metric(cards[0], f"{when} 全县工业总产值", format_10k(total.value), total.yoy, border=True)
growth_metric(cards[1], f"{when} 全县规上工业产值", format_10k(above.value), above.yoy, border=True)
town = current_town()
mine = ranking[ranking.town == town]
cards[2].metric(f"{plain(town)}排名（工业总产值）", f"第 {int(mine['rank'].iloc[0])} 名" if len(mine) else "—",
                f"共 {len(ranking)} 个乡镇", delta_color="off", delta_arrow="off", border=True)

value_name = "规上工业产值" if selection.above_only else "工业总产值"
ordered = ranking.sort_values("above_10k" if selection.above_only else "value_10k", ascending=False)
title = f"各乡镇{value_name}"
show_chart(st, charts.town_chart(ordered, charts.chart_title(when, title, "全县"),
                                 f"{scope} · 单位：万元 · 标注为产值与同比", highlight=town,
                                 above_only=selection.above_only), f"全县{when}{title}")

table = pd.DataFrame({
    "排名": ranking["rank"], "乡镇": ranking.town,
    "工业总产值（万元）": round_half_up_array(ranking.value_10k, 1), "同比": [format_rate(v) for v in ranking.yoy],
    "规上工业产值（万元）": round_half_up_array(ranking.above_10k, 1),
    "规上同比": [format_rate(v) for v in ranking.above_yoy],
    "目标完成率": [format_percent(v) for v in ranking.target_completion],
    "序时进度": [format_percent(v) for v in ranking.schedule],
    "目标完成情况": [describe_target(t) or "—" for t in ranking.target],
    "报送企业": [f"{int(r)}/{int(e)}" if pd.notna(e) else "—" for r, e in zip(ranking.reported, ranking.expected)],
})
st.dataframe(table, hide_index=True, width="stretch",
             column_config={c: st.column_config.NumberColumn(format="localized") for c in
                            ("工业总产值（万元）", "规上工业产值（万元）")})
st.caption("目标为各乡镇的工业总产值年度目标：金额目标看完成率与序时进度（全年数据看是否完成全年目标），"
           "增速目标看同比增速与目标增速之差（没有完成率）；没有设目标的乡镇为“—”。")
left, right = st.columns(2)
left.download_button("导出 Excel", lambda: export.to_xlsx({"各乡镇": table}), f"全县{when}各乡镇工业经济指标.xlsx",
                     mime=XLSX, key="county_xlsx", icon=":material/download:", on_click="ignore")
right.download_button("导出 CSV", lambda: export.to_csv(table), f"全县{when}各乡镇工业经济指标.csv",
                      mime="text/csv", key="county_csv", icon=":material/download:", on_click="ignore")
