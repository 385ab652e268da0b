"""重点项目: every project of the year with its investment against this year's plan and 序时进度,
its next milestone and whether it is late; a project's own history below. "哪个项目拖了" first."""
import pandas as pd
import streamlit as st

from lakou_app.data import current_town, load_project_history, load_project_years
from lakou_app.ui import chart_title, current_year, plain, plain_table, show_chart, show_title
from lakou_metrics.domain import labels, style
from lakou_metrics.domain.numbers import (
    format_10k,
    format_percent,
    format_signed_points,
    is_missing,
    round_half_up_array,
)
from lakou_metrics.domain.periods import format_day
from lakou_metrics.domain.sectors import SECTOR_NAMES
from lakou_metrics.output import charts
from lakou_metrics.output.text import describe_projects

selection, ytd = current_year()
when, period = selection.when, selection.period
show_title("重点项目", when)
book = ytd.projects
if book is None:
    others = [y for y in load_project_years() if y != period.year]
    st.info(f"{period.year}年还没有登记重点项目。在“数据管理 → 重点项目”下载项目库模板填写后导入，或直接在页面登记。"
            + (f"已登记重点项目的年份：{'、'.join(f'{y}年' for y in others)}（在左侧选择年份查看）。"
               if others else ""))
    st.stop()

table = book.table
st.caption(f"按{format_day(book.as_of)}的情况判断：计划日期已过、仍未完成的节点为“滞后”。"
           f"投资完成率 = 本年累计完成投资 ÷ 年度计划投资，与项目自己的序时进度比较：本年开工的项目"
           f"从计划开工日（开工当月按天折算）到12月31日均匀推进，开工前为0、不算落后；"
           f"此前开工或未填开工日期的项目为已过月数 ÷ 12。")

late = book.late
with st.container(horizontal=True):
    st.metric("重点项目", f"{len(table)} 个", border=True)
    st.metric("节点滞后", f"{len(late)} 个", border=True,
              help="有计划日期已过、仍未完成的节点（开工、主体结顶、竣工、投产）")
    money = book.investment()
    st.metric("本年完成投资", format_10k(money.invested if money else None), border=True,
              help="各项目本年累计完成投资之和")
    st.metric("年度计划投资", format_10k(table.plan_10k.sum()), border=True)
for line in describe_projects(book):
    st.markdown(plain(line))


def state_of(row) -> str:
    if row.late:
        return f"{row.late_milestone}滞后{row.delay_days}天"
    if row.before_start:
        return labels.PROJECT_NOT_STARTED_STATE.format(day=format_day(row.schedule_start))
    if is_missing(row.next_milestone):
        return "已全部完成"
    return "按计划推进"


rows = pd.DataFrame({
    "项目": table.name,
    # The state, 投资完成率 and how far ahead or behind first: on a phone they are what fits without scrolling.
    "状态": [state_of(r) for r in table.itertuples()],
    "投资完成率": [format_percent(v) for v in table.completion],
    "超欠序时（点）": [format_signed_points(v) for v in table.gap],
    "滞后（天）": table.delay_days.astype(int),
    "下一节点": ["—" if is_missing(n) else f"{n}（计划{format_day(d)}）" if d is not None and not is_missing(d) else n
             for n, d in zip(table.next_milestone, table.next_planned)],
    "序时进度": [format_percent(v) for v in table.schedule],
    "本年完成投资（万元）": round_half_up_array(table.invested_10k, 1),
    "年度计划投资（万元）": round_half_up_array(table.plan_10k, 1),
    "企业": table.enterprise,
    "行业": table.sector.map(SECTOR_NAMES),
    "建设性质": table.kind.fillna("—"),
    "联系领导": table.contact.fillna("—"),
}).assign(_order=table.delay_days.to_numpy()).sort_values(["_order", "项目"], ascending=[False, True]).drop(
    columns="_order")
late_colour, ok_colour = style.RED, style.GREEN
styled = rows.style.map(lambda v: f"color: {late_colour}; font-weight: 600" if "滞后" in str(v) else
                        (f"color: {ok_colour}" if v in ("按计划推进", "已全部完成") else
                         f"color: {style.NOT_STARTED.colour}" if str(v).startswith(style.NOT_STARTED.words) else ""),
                        subset=["状态"])
st.dataframe(styled, hide_index=True, width="stretch", placeholder="—", height="content",
             column_config={
                 "项目": st.column_config.TextColumn(pinned=True),
                 "滞后（天）": st.column_config.NumberColumn(help="点列名可按滞后天数排序"),
                 "本年完成投资（万元）": st.column_config.NumberColumn(format="%.1f"),
                 "年度计划投资（万元）": st.column_config.NumberColumn(format="%.1f"),
             })
if not table.reported.all() and book.has_progress:
    st.caption("本期未报进度的项目按 0 计：" + "、".join(plain(n) for n in table[~table.reported].name) + "。")

show_chart(st, charts.targets_chart(book.plan_targets(ytd.settings),
                                    chart_title(when, "重点项目年度计划投资完成率"),
                                    "竖线为各项目的序时进度（从计划开工起算） · 数据早于所选期间的注明截至月份"),
           f"{current_town()}{when}重点项目投资完成率")

st.subheader("项目详情")


def text_or_dash(value) -> str:
    return "—" if value is None or is_missing(value) or value == "" else str(value)


choice = st.selectbox("选择项目", table.name.tolist(), key="project_choice")
r = table[table.name == choice].iloc[0].to_dict()
left, right = st.columns([2, 3])
with left:
    facts = {"企业": r["enterprise"], "行业": SECTOR_NAMES.get(r["sector"], "—"),
             "建设性质": text_or_dash(r["kind"]), "是否制造业": "是" if r["manufacturing"] else "否",
             "总投资": format_10k(r["total_10k"]), "年度计划投资": format_10k(r["plan_10k"]),
             "本年完成投资": format_10k(r["invested_10k"]), "投资完成率": format_percent(r["completion"]),
             "是否市外内资": "是" if r["inward"] else "否"}
    if r["inward"]:
        facts |= {"合同引资额": format_10k(r["contracted_10k"]), "签约日期": text_or_dash(r["signed"]),
                  "本年到位资金": format_10k(r["received_10k"])}
    facts["联系领导"] = text_or_dash(r["contact"])
    facts = pd.DataFrame({"项目": list(facts), "内容": [str(v) for v in facts.values()]})
    st.table(plain_table(facts), hide_index=True)


def milestone_state(m) -> str:
    days = m.days_late(book.as_of)
    if m.done:
        return f"滞后{days}天完成" if days else "按期完成"
    if m.planned is None:
        return "未定计划日期"
    return f"已滞后{days}天" if m.planned < book.as_of else "未到计划日期"


with right:
    stones = pd.DataFrame([{"节点": m.name, "计划日期": format_day(m.planned) if m.planned else "—",
                            "实际日期": format_day(m.actual) if m.actual else "—", "情况": milestone_state(m)}
                           for m in r["milestones"]])
    st.table(stones, hide_index=True)
    st.caption("问题与需协调事项：")
    st.text(text_or_dash(r["issues"]))
history = load_project_history(period, r["name_key"])
show_chart(st, charts.project_months_chart(history, r["plan_10k"], chart_title(when, f"{r['name']}完成投资"),
                                           "柱为当月完成投资 · 折线为本年累计 · 虚线为年度计划 · 单位：万元"),
           f"{current_town()}{when}{r['name']}完成投资")
