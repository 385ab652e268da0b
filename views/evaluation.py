"""亩均评价: the year's 亩均效益评价 — class counts of 规上 and 规下, each group's ranking with every
indicator and item score and the change of class from last year, the enterprises not rated and why,
an enterprise's scorecard against the bases, and the whole as Excel."""
import streamlit as st

from lakou_app.data import current_town, load_evaluation, load_evaluation_years
from lakou_app.tables import evaluation_table, scorecard_table
from lakou_app.ui import evaluation_year_control, plain, plain_table, show_title, titled
from lakou_metrics.compute.evaluation import UNRATED, count_grades
from lakou_metrics.domain import labels, style
from lakou_metrics.domain.evaluation import CLASSES, GROUPS
from lakou_metrics.domain.numbers import format_number
from lakou_metrics.output import evaluation as tables
from lakou_metrics.output.export import evaluation_xlsx
from lakou_metrics.output.text import describe_lowest, describe_moves

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NAME = "亩均评价"



def stop_without_data() -> None:
    st.info(plain(labels.EVALUATION_NO_DATA.format(town=current_town())))
    st.page_link("views/data.py", label="去“数据管理”导入亩均效益评价数据", icon=":material/upload_file:")
    st.stop()


year = evaluation_year_control(load_evaluation_years())
if year is None:
    st.title(titled(NAME))
    stop_without_data()
show_title(NAME, f"{year}年度")
try:
    evaluation = load_evaluation(year)
except ValueError as refused:  # the settings file's [evaluation], refused in Chinese
    st.error(plain(str(refused)))
    st.stop()
if evaluation is None:  # undone since the year list was read
    stop_without_data()

table = evaluation.enterprises.set_index("row", drop=False)  # a scorecard is asked for by row
counts = count_grades(evaluation)
st.caption(f"{len(table)} 家企业的{year}年度数据，参评 {int(table.rated.sum())} 家；规上、规下分组评价，"
           f"各组按总分排名分为A类（优先发展）、B类（提升发展）、C类（帮扶转型）、D类（倒逼整治）。"
           + ("" if table["last_grade"].notna().any() else f"没有{year - 1}年度的评价，不比较升降档。"))

with st.container(horizontal=True):
    for group in GROUPS:
        row = counts.loc[group]
        if not row["total"]:
            continue
        with st.container(border=True):
            st.markdown(f"**{labels.EVALUATION_GROUP_NAMES[group]}** · 共 {row['total']} 家")
            with st.container(horizontal=True, gap="small"):
                for grade in CLASSES:
                    st.metric(f":{style.evaluation_class_badge(grade)}[{grade}类]", f"{row[grade]} 家")
                st.metric(f":gray[{labels.EVALUATION_UNRATED}]", f"{row[UNRATED]} 家",
                          help="不参评：没有用地面积，或当年新投产")

for line in (describe_lowest(evaluation), describe_moves(evaluation)):
    if line:
        st.markdown(plain(line))

st.subheader("评价结果")
groups = [g for g in GROUPS if counts.loc[g, "total"]]
rated_counts = {g: int(counts.loc[g, "total"] - counts.loc[g, UNRATED]) for g in GROUPS}
for tab, group in zip(st.tabs([f"{labels.EVALUATION_GROUP_NAMES[g]}（参评 {rated_counts[g]} 家）" for g in groups]),
                      groups):
    with tab:
        ranking = tables.ranking_table(evaluation, group)
        if ranking.empty:
            st.info(f"{year}年度{labels.EVALUATION_GROUP_NAMES[group]}没有参评企业。")
        else:
            evaluation_table(ranking, key=f"evaluation_{group}")
st.caption("指标值与基准值保留两位小数，研发经费占比为百分数；得分为各项得分之和，同分同档。"
           "“说明”列出按本组平均得分计的单项。")
st.download_button("下载 Excel（评价结果、计分明细、基准值）", lambda: evaluation_xlsx(evaluation),
                   f"{current_town()}{year}年度亩均效益评价.xlsx", mime=XLSX, icon=":material/download:",
                   key="evaluation_xlsx", on_click="ignore")

unrated = tables.unrated_table(evaluation)
if len(unrated):
    st.subheader(f"不参评企业（{labels.EVALUATION_UNRATED}，{len(unrated)} 家）")
    # 类别 is 不定 throughout (the heading says so); 备注 only when the sheet wrote one.
    shown = unrated.drop(columns=["类别"] + ([] if unrated["备注"].notna().any() else ["备注"]))
    st.table(plain_table(shown.fillna("—")), hide_index=True)

st.subheader("企业计分卡")
order = table.assign(_group=table.group.map(GROUPS.index)).sort_values(["rated", "_group", "rank", "name"],
                                                                       ascending=[False, True, True, True])
rows = order.row.tolist()


def describe_choice(row: int) -> str:
    r = table.loc[row]
    where = labels.EVALUATION_GROUPS[r.group]
    return (f"{r['name']}（{where} · {r.grade}类 · 第{r['rank']}名）" if r.rated
            else f"{r['name']}（{where} · {labels.EVALUATION_UNRATED}）")


chosen = st.selectbox("选择企业", rows, format_func=describe_choice, key="evaluation_enterprise")
one = table.loc[chosen]
st.markdown(f"**{plain(one['name'])}** · {tables.group_words(one.group, bool(one.get('above_scale_assumed', False)))}")
if one.rated:
    with st.container(horizontal=True):
        st.metric("类别", labels.EVALUATION_CLASS_NAMES[one.grade], border=True)
        st.metric("总分", format_number(one.score, 2), border=True)
        st.metric("组内排名", f"第 {one['rank']} 名", f"共 {rated_counts[one.group]} 家", delta_color="off",
                  delta_arrow="off", border=True)
        last = "—" if not isinstance(one.last_grade, str) else f"{one.last_grade}类"
        st.metric(f"{year - 1}年度", last, labels.EVALUATION_CHANGES[one.change], border=True,
                  delta_color={"up": "green", "down": "red"}.get(one.change, "off"),
                  delta_arrow={"up": "up", "down": "down"}.get(one.change, "off"))
else:
    st.warning(plain(f"不参评（{labels.EVALUATION_UNRATED}）：{labels.EVALUATION_UNRATED_REASONS[one.unrated_reason]}。"
                     "下表列出其数据，仅供核对。"))
card = tables.scorecard_table(evaluation, chosen)
scorecard_table(card)
# The notes again under the table: its last column is past a desk's edge and a phone's.
for item, note in zip(card["指标"], card["说明"]):
    if isinstance(note, str):
        st.caption(plain(f"{item}：{note}"))
if isinstance(one.get("note"), str) and one.note.strip():
    st.caption(plain(f"备注：{one.note}"))

with st.expander("基准值与评价方法"):
    st.dataframe(tables.bases_table(evaluation), hide_index=True, width="stretch", placeholder="—",
                 column_config={"基准值": st.column_config.NumberColumn(format="%.2f"),
                                "本组平均得分": st.column_config.NumberColumn(format="%.2f"),
                                "权重": st.column_config.NumberColumn(format="%g")})
    for line in tables.describe_method(evaluation.settings):
        st.markdown(plain(line))
    st.caption("方法在设置文件 [evaluation] 中修改（权重、封顶倍数、分类比例、县定基准值）。")
