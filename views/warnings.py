"""预警: enterprises with negative growth, behind their target's schedule, or swinging abnormally;
重点项目 with a late milestone or investment behind 序时进度."""
import streamlit as st

from lakou_app.data import load_power_settings
from lakou_app.tables import RULE_NAMES, project_warnings_table, warnings_table
from lakou_app.ui import chosen_sector, current_year, link_params, page_title, sector_link_label
from lakou_metrics.compute.cockpit import choose_sector
from lakou_metrics.compute.metrics import SEASON_YEARS, compute_breakdown, count_warnings
from lakou_metrics.domain import labels, style
from lakou_metrics.domain.sectors import SECTOR_NAMES
from lakou_metrics.settings import settings_path

selection, ytd = current_year()
when, scope = selection.when, selection.scope
page_title("预警", selection)
warnings = ytd.scoped_warnings(selection.above_only)
levels = st.segmented_control("级别", list(style.LEVEL_NAMES), format_func=style.LEVEL_NAMES.get,
                              selection_mode="multi", default=list(style.LEVEL_NAMES), key="warning_levels")
# The rules of enterprises and of 重点项目 in one control: a leader filters both at once.
# With the whole year's figures an enterprise's own target is met or missed, never behind 序时.
year_end = ytd.period.last == 12
ALL_RULES = {code: name for code, name in {**RULE_NAMES, **labels.PROJECT_WARNING_RULES}.items()
             if code != ("behind_target" if year_end else "missed_target")}
# A link may open the page on one rule (总览's electricity card: ?rule=divergence); the reader can
# then choose others. An unknown rule is dropped from the URL, never an error.
asked = st.query_params.get("rule")
if asked is not None:
    del st.query_params["rule"]
    if asked in ALL_RULES:
        st.session_state["warning_rules"] = [asked]
rules = st.segmented_control("规则", list(ALL_RULES), format_func=ALL_RULES.get, selection_mode="multi",
                             default=list(ALL_RULES), key="warning_rules")
shown = warnings[warnings.level.isin(levels or []) & warnings.rule.isin(rules or [])]
count = count_warnings(warnings)
cols = st.columns(3)
for col, (level, n) in zip(cols, count.by_level.items()):
    col.metric(f":{style.level_badge(level)}[{style.LEVEL_NAMES[level]}预警]", f"{n} 条", border=True)
st.caption(f"{scope}共{count.describe()}；一家企业可能同时触发几条规则。")
if shown.empty:
    st.success(f"{when}{scope}没有符合条件的预警。")
else:
    warnings_table(shown)
# To 行业 on the same selection, with the sector chosen there, else the one 行业 opens on (the one
# that drags most), named.
sector = chosen_sector() or choose_sector(compute_breakdown(ytd.scoped(selection.above_only))).sector
st.page_link("views/sectors.py", label=sector_link_label(SECTOR_NAMES[sector]), icon=":material/factory:",
             query_params=link_params(selection, sector))

s = ytd.settings
with st.expander("预警规则与阈值"):
    st.markdown(
        f"- **同比下降**：累计同比 ≤ {s.decline_red:.0%} 为红色，≤ {s.decline_orange:.0%} 为橙色，其余下降为蓝色"
        "（按显示的一位小数判断：四舍五入为 0.0% 的不算下降）。\n"
        f"- **落后自身目标序时进度**（完成率 − 序时进度）：≤ {s.behind_red * 100:.0f} 个百分点为红色，"
        f"≤ {s.behind_orange * 100:.0f} 为橙色，≤ {s.behind_blue * 100:.0f} 为蓝色；"
        "全年数据（截至12月）为**未完成自身全年目标**（完成率 − 100%），分级相同。\n"
        f"- **当期环比异常波动**（{ytd.alone.label()} 对上一期）：本期环比与**往年同期环比**之差"
        f"≥ {s.swing_red * 100:.0f} 个百分点为红色，≥ {s.swing_orange * 100:.0f} 为橙色。"
        f"往年同期环比是该企业此前{SEASON_YEARS}年内同一期间环比的中位数（两年时为平均数），"
        "企业自己没有时用全镇的；都没有时按环比本身判断。这样春节前后等每年都有的季节起落不算异常。\n"
        f"- **产值与用电背离**（以电核产）：同一企业{ytd.period.label_in_year()}的累计产值同比与用电同比"
        f"（同样的月份，各按显示的一位小数）相差 ≥ {load_power_settings().divergence_points:g} 个百分点为橙色，"
        "请向企业核实；没有用电数据、没有上年同期（新投产）的企业不判断。\n\n"
        f"阈值在设置文件 `{settings_path().name}` 中修改（环境变量 LAKOU_SETTINGS 可指定其他文件）。")

book = ytd.projects
if book is not None:
    st.subheader("重点项目预警")
    projects = book.warnings[book.warnings.level.isin(levels or []) & book.warnings.rule.isin(rules or [])]
    st.caption(f"重点项目共预警{len(book.warnings)}条，涉及项目{book.warnings.name.nunique()}个。"
               if len(book.warnings) else "重点项目没有预警。")
    if projects.empty:
        st.success(f"{when}没有符合条件的重点项目预警。")
    else:
        project_warnings_table(projects)
    p = book.settings
    st.caption(f"项目节点滞后：计划日期已过仍未完成，滞后 {p.late_red_days:g} 天及以上为红色，不到为橙色。"
               f"项目投资落后序时（完成年度计划投资比例 − 序时进度）：≤ {p.behind_red * 100:.0f} 个百分点为红色，"
               f"≤ {p.behind_orange * 100:.0f} 为橙色，≤ {p.behind_blue * 100:.0f} 为蓝色。"
               "阈值在设置文件 [projects] 中修改。")
