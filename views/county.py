"""县域: the towns of a shared database side by side for the selected period — output, 同比, 规上
output and target completion against 序时进度, ranked, a town that has not reported marked as such,
the county's total last, with the same chart and exports as every page. Shown when the database
holds more than one town (the county edition). The periods offered are the county's (any town's)."""
import pandas as pd
import streamlit as st

from lakou_app.data import current_town, load_county
from lakou_app.ui import growth_metric, plain, show_chart, sidebar_controls
from lakou_metrics.compute.county import county_ranking, county_table, county_total, is_tied, missing_towns
from lakou_metrics.domain import labels, style
from lakou_metrics.domain.numbers import format_10k, percent_array, round_half_up_array
from lakou_metrics.output import charts, export

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

selection = sidebar_controls(county=True)
if selection is None:
    st.info(labels.EMPTY_DATABASE_HELP)
    st.stop()
when, scope = selection.when, selection.scope
st.title(f"县域 · {selection.heading()}")
years = load_county(selection.period)
ranking = county_ranking(years)
absent = missing_towns(years)
if ranking.empty:
    st.info(f"{when}还没有任何乡镇的产值数据。请选择其他期间。")
    st.stop()
st.caption(f"{len(ranking)} 个乡镇有{when}的数据"
           + (f"；{'、'.join(plain(t) for t in absent)}未报送，不计入全县合计。" if absent else "。")
           + "各乡镇的数据由各乡镇导入，合计为各乡镇之和，同比按各乡镇同口径企业计算。")

total, above = county_total(years), county_total(years, above_only=True)
absent_names = "、".join(plain(t) for t in absent)
# The indicator leads the label, so that 工业总产值 and 规上 are told apart however narrow the card;
# the period and the towns the total covers go in the line under the figure.
covers = (labels.COUNTY_COVERS_SOME.format(when=when, towns=len(years), reported=len(ranking), absent=absent_names)
          if absent else labels.COUNTY_COVERS_ALL.format(when=when, towns=len(years)))
cards = st.columns(3)
for card, name, figure in ((cards[0], "全县工业总产值", total), (cards[1], "全县规上工业产值", above)):
    with card.container(border=True):
        growth_metric(st, name, format_10k(figure.value), figure.yoy)
        st.caption(covers)
town = current_town()
mine = ranking[ranking.town == town]
among = (labels.COUNTY_RANK_AMONG_SOME.format(reported=len(ranking), towns=len(years)) if absent
         else labels.COUNTY_RANK_AMONG_ALL.format(towns=len(years)))
with cards[2].container(border=True):
    st.metric(f"{plain(town)}排名（工业总产值）",
              labels.COUNTY_RANK[is_tied(ranking, town)].format(rank=int(mine["rank"].iloc[0])) if len(mine)
              else labels.COUNTY_NOT_REPORTED,
              among, delta_color="off", delta_arrow="off")
    st.caption(when)

value_name = "规上工业产值" if selection.above_only else "工业总产值"
ordered = ranking.sort_values("above_10k" if selection.above_only else "value_10k", ascending=False)
title = f"各乡镇{value_name}"
show_chart(st, charts.town_chart(ordered, charts.chart_title(when, title, "全县"),
                                 f"{scope} · 单位：万元 · 标注为产值与同比", highlight=town,
                                 above_only=selection.above_only), f"全县{when}{title}")
if absent:  # the chart draws the towns with figures: the others are named, never left out silently
    st.caption(labels.COUNTY_CHART_ABSENT.format(absent=absent_names))

rows = county_table(years)
# The figures as the page's other tables write them: rounded half up, one decimal, no separators.
table = pd.DataFrame({
    "乡镇": [labels.COUNTY_TOTAL if k == "total" else t for k, t in zip(rows.kind, rows.town)],
    "工业总产值（万元）": round_half_up_array(rows.value_10k, 1),
    "同比%": percent_array(rows.yoy),
    "状态": export.county_status_words(rows),
    # The rows are in rank order already: on a phone the name, value, 同比 and status come first.
    "排名": rows["rank"],
    "完成率%": percent_array(rows.target_completion),
    "序时进度%": percent_array(rows.schedule),
    "超欠序时（点）": percent_array(rows.gap),
    "规上工业产值（万元）": round_half_up_array(rows.above_10k, 1),
    "规上同比%": percent_array(rows.above_yoy),
    "报送情况": export.county_reporting_words(rows),
})
# Rises green and falls red, statuses in their colours (as on 企业 and 目标任务); the total in bold.
colours = {s.words: s.colour for s in style.STATUSES.values()} | {labels.COUNTY_NOT_REPORTED: style.GRAY}
signed = ["同比%", "超欠序时（点）", "规上同比%"]
styled = (table.style
          .map(lambda v: f"color: {style.direction_colour(v / 100)}" if pd.notna(v) else "", subset=signed)
          .map(lambda v: f"color: {colours[v]}; font-weight: 600" if v in colours else "", subset=["状态", "报送情况"])
          .apply(lambda r: ["font-weight: 700" if r["乡镇"] == labels.COUNTY_TOTAL else ""] * len(r), axis=1))
st.dataframe(styled, hide_index=True, width="stretch", placeholder="—", height=36 * len(table) + 40, column_config={
    # Widths as the headers need (14 px a character): every column whole on a 1400 px desk.
    "排名": st.column_config.NumberColumn(width=44, format="%d"),
    "乡镇": st.column_config.TextColumn(width=72, pinned=True),
    "工业总产值（万元）": st.column_config.NumberColumn(width=140, format="%.1f", help="年初至今累计产值"),
    "同比%": st.column_config.NumberColumn(width=56, format="%+.1f", help="同口径同比增速"),
    "状态": st.column_config.TextColumn(width=96, help="工业总产值年度目标的完成情况；未设目标为“—”"),
    "完成率%": st.column_config.NumberColumn(width=68, format="%.1f", help="累计产值 ÷ 工业总产值年度目标（金额目标）"),
    "序时进度%": st.column_config.NumberColumn(width=80, format="%.1f", help="已过月数 ÷ 12"),
    "超欠序时（点）": st.column_config.NumberColumn(
        width=108, format="%+.1f", help="完成率 − 序时进度（全年数据：完成率 − 100%），百分点；增速目标看“状态”"),
    "规上工业产值（万元）": st.column_config.NumberColumn(width=152, format="%.1f"),
    "规上同比%": st.column_config.NumberColumn(width=78, format="%+.1f"),
    "报送情况": st.column_config.TextColumn(width=78, help="已报送企业 / 应报企业；合计行为已报送的乡镇"),
})
st.caption("目标为各乡镇的工业总产值年度目标：金额目标看完成率与序时进度（全年数据看是否完成全年目标），"
           "增速目标看同比增速是否达到目标增速（没有完成率）；没有设目标的乡镇为“—”。"
           "未报送的乡镇不计入全县合计和排名。")
sheet = export.county_sheet(rows)
left, right = st.columns(2)
left.download_button("导出 Excel", lambda: export.to_xlsx({"各乡镇": sheet}, export.COUNTY_FORMATS),
                     f"全县{when}各乡镇工业经济指标.xlsx", mime=XLSX, key="county_xlsx", icon=":material/download:",
                     on_click="ignore")
right.download_button("导出 CSV", lambda: export.to_csv(sheet), f"全县{when}各乡镇工业经济指标.csv",
                      mime="text/csv", key="county_csv", icon=":material/download:", on_click="ignore")
