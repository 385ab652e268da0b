"""目标任务: every annual target with its actual and its verdict (an amount's 完成率 against 序时进度
and 往年同期进度, a growth rate against its target, met or missed with the whole year), the gap,
what remains, and the key projects' sum beside the entered figure."""
import pandas as pd
import streamlit as st

from lakou_app.data import current_town, load_county, load_peer, towns
from lakou_app.ui import chart_title, current_year, page_title, plain, show_chart, status_key
from lakou_metrics.compute.metrics import compute_schedule
from lakou_metrics.domain import style
from lakou_metrics.domain.numbers import (
    format_10k,
    format_amount,
    format_in_unit,
    format_percent,
    format_rate,
    format_short_of,
    format_signed_points,
)
from lakou_metrics.domain.targets import INDICATOR_BY_CODE
from lakou_metrics.output import charts
from lakou_metrics.output.text import describe_projection, describe_projects_excess, provisional_mark

selection, ytd = current_year()
when, period = selection.when, selection.period
page_title("目标任务", selection)
if period.last == 12:
    st.caption(f"{when}为全年数据：每项目标按是否完成全年目标判断（金额目标看全年完成率是否达到100%，"
               "增速目标看全年增速是否达到目标增速）；完成数截至更早月份的目标仍按其所属月份的序时进度衡量。"
               "工业产值类目标按全部企业或规上企业计算，不随“企业范围”切换。")
else:
    schedule = format_percent(compute_schedule(period.last))
    st.caption(f"序时进度 = 已过月数 ÷ 12；{when}为 {period.last}/12 = {schedule}。"
               "每项目标按其完成数所属月份的序时进度衡量；增速目标看累计增速是否达到目标增速（超欠为两者之差）。"
               "往年同期进度 = 此前年份同期产值占全年产值的平均比重（本镇产值的季节规律，“全年预计”用的也是它）。"
               "工业产值类目标按全部企业或规上企业计算，不随“企业范围”切换。")
if not ytd.targets:
    st.info(f"{period.year}年还没有导入年度目标。目标表格式：年份 | 指标 | 单位 | 年度目标 | 1-3月完成 …")
    st.stop()

stale = [t for t in ytd.targets if t.stale]
if stale:
    by_month: dict[int, list[str]] = {}
    for t in stale:
        by_month.setdefault(t.as_of, []).append(t.name)
    st.warning("；".join(
        f"{'、'.join(names)}的完成数截至{month}月，早于所选的{period.label_in_year()}，"
        f"按{month}月的序时进度（{format_percent(compute_schedule(month))}）衡量"
        for month, names in sorted(by_month.items())) + "。")
missing = [t for t in ytd.targets if t.actual is None]
if missing:
    st.caption("尚无完成数的目标（显示为“—”，不按0计算）：" + "、".join(t.name for t in missing) + "。")


def row_of(t) -> dict:
    growth = t.kind == "growth"
    status = style.STATUSES[t.status]
    return {
        "指标": t.name,
        "状态": status.words + provisional_mark(ytd, t),  # 暂定 while enterprises have not reported
        "完成率": None if growth else format_short_of(t.completion),
        "超欠（点）": format_signed_points(t.gap),
        "往年同期进度": format_percent(t.seasonal_schedule),
        "数据截至": f"{t.as_of}月" if t.as_of else "—",
        "单位": t.unit,
        "年度目标": format_percent(t.target) if growth else format_in_unit(t.target, t.unit),
        "累计完成": format_rate(t.actual) if growth else format_in_unit(t.actual, t.unit),
        "重点项目汇总": format_in_unit(t.projects_actual, t.unit) if t.projects_actual is not None else None,
        "还需完成": "—" if growth else format_in_unit(t.remaining, t.unit),
        "余月需增速": format_rate(t.required_growth),
        "来源": SOURCES[t.source],
    }


SOURCES = {"output": "按企业产值计算", "projects": "按重点项目汇总", "entered": "工作人员录入"}


table = pd.DataFrame([row_of(t) for t in ytd.targets])
if table["重点项目汇总"].isna().all():  # a year without projects: a column of dashes only widens the table
    table = table.drop(columns="重点项目汇总")
colours = {s.words: s.colour for s in style.STATUSES.values()}
colours |= {words + provisional_mark(ytd): colour for words, colour in colours.items()}
styled = table.style.map(lambda v: f"color: {colours[v]}; font-weight: 600" if v in colours else "",
                         subset=["状态"])
# The columns a leader needs first come first: on a phone they are what fits without scrolling.
# The name as wide as the longest one, not Streamlit's "medium", so that 状态 and 完成率 fit beside it.
st.dataframe(styled, hide_index=True, width="stretch", height="content", placeholder="—",
             column_config={
                 "指标": st.column_config.TextColumn(pinned=True),
                 "完成率": st.column_config.TextColumn(width="small", help="累计完成 ÷ 年度目标"),
                 "超欠（点）": st.column_config.TextColumn(
                     width="small", help="金额目标：完成率 − 序时进度（全年数据：完成率 − 100%）；"
                                         "增速目标：累计增速 − 目标增速；百分点"),
                 "往年同期进度": st.column_config.TextColumn(
                     help="此前年份同期产值占全年产值的平均比重（季节规律）；没有此前年份的全年数据时为“—”"),
                 "重点项目汇总": st.column_config.TextColumn(
                     help="当年重点项目的汇总数；重点项目是全镇的一部分，完成数以工作人员录入的为准"),
                 "余月需增速": st.column_config.TextColumn(help="其余月份比上年同期需要的增速"),
                 "来源": st.column_config.TextColumn(help="完成数从哪里来"),
             })
excess = describe_projects_excess(ytd.targets)
if excess:
    st.warning(excess)
summed = [t.name for t in ytd.targets if t.projects_actual is not None]
if summed:
    big = ytd.projects.settings.big_project_min_10k
    filled = [t.name for t in ytd.targets if t.source == "projects"]
    st.caption(f"重点项目汇总：{'、'.join(summed)}（见“重点项目”页）。完成制造业投资为制造业项目本年累计完成投资之和；"
               f"引进大项目为{period.year}年签约、计划总投资{format_10k(big)}及以上的项目个数；"
               "合同引进市外内资为当年签约的市外内资项目合同引资额之和；实际到位市外内资为其到位资金之和。"
               "重点项目是全镇的一部分：完成数以工作人员录入的为准，汇总数列在旁边"
               + (f"；{'、'.join(filled)}没有录入完成数，用重点项目汇总。" if filled else "。"))
status_key(ytd.settings, ytd.targets)
if ytd.projection is not None:
    st.info(describe_projection(ytd.projection, ytd.headline_target(above_only=False)))
what, subtitle = charts.targets_chart_words(period.last == 12)
show_chart(st, charts.targets_chart([t for t in ytd.targets if t.kind == "amount"], chart_title(when, what), subtitle),
           f"{current_town()}{when}{what}")

st.subheader("与周边乡镇比较")
town = current_town()
# Towns of the same database bring their own computed figures; the typed-in peer sheet serves the
# towns outside it.
stored = ({t: y.town_figures() for t, y in load_county(period).items() if t != town and y.total.count}
          if len(towns()) > 1 else {})
peer = load_peer(period)
typed = {} if peer.empty else {
    t: dict(zip(rows.indicator, rows.value)) for t, rows in peer.groupby("town", sort=False) if t not in stored}
if not stored and not typed:
    st.info(f"还没有{when}的对比乡镇数据。对比表格式：乡镇 | 年份 | 期间 | 指标 | 单位 | 数值。")
else:
    ours = ytd.town_figures()
    others = {**stored, **typed}
    codes = [code for code in INDICATOR_BY_CODE if any(code in f for f in others.values())]
    out = []
    for code in codes:
        ind = INDICATOR_BY_CODE[code]
        out.append({"指标": ind.name, town: format_amount(ours.get(code), ind.unit),
                    **{t: format_amount(f.get(code), ind.unit) for t, f in others.items()}})
    st.dataframe(pd.DataFrame(out), hide_index=True)
    sources = []
    if stored:
        sources.append(f"{'、'.join(plain(t) for t in stored)}的数据由系统按各自导入的报表同口径计算")
    if typed:
        sources.append(f"{'、'.join(plain(t) for t in typed)}的数据由工作人员录入")
    st.caption(f"{when}累计。{plain(town)}数据由系统按同口径计算；" + "；".join(sources) + "。")
