"""Tables shown on several pages, with Chinese headers and number formats."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from lakou_metrics.domain import labels, style
from lakou_metrics.domain.numbers import percent_array, round_half_up_array
from lakou_metrics.domain.sectors import SECTOR_NAMES
from lakou_metrics.output.text import describe_warnings

RULE_NAMES = labels.WARNING_RULES
LEVEL_NAMES = style.LEVEL_NAMES
LEVEL_STYLES = {style.LEVEL_NAMES[level]: f"background-color: {colour}; color: white"
                for level, colour in style.LEVEL_COLOURS.items()}
# A table lists at most this many rows, in its order: a county's thousands of enterprises would take
# seconds to colour and nobody reads past the first screens; search and filters find the others.
TABLE_ROWS = 200
# A rank's or a level's column, as wide as its two-character header: Streamlit's "small" (75 px)
# takes a fifth of a phone's width.
_NARROW_PX = 52
# The name stays in view while a phone scrolls the table sideways (pinned columns come first).
_PINNED_LEVEL = {"级别": st.column_config.TextColumn(width=_NARROW_PX, pinned=True)}
# A warning's 情况 is a phrase with its figures ("完成率落后序时进度 25.2个百分点"): at 390 px it
# cannot fit one line beside the level and the name, and cut it says nothing. Streamlit wraps a
# cell's text only when rows are taller than 4rem (64 px): three lines of text, name and 情况 as
# wide as a phone leaves them (级别 52 + 名称 96 + 情况 210 = 358 px; a desk stretches them).
_WRAPPED_ROW_PX = 66
_WARNING_COLUMNS = {"情况": st.column_config.TextColumn(width=210)}
_WARNING_NAME = st.column_config.TextColumn(width=96, pinned=True)
# Rows that tall fill Streamlit's default table height with six: the table is as tall as its rows
# (header included), up to this many, and scrolls beyond.
_WRAPPED_ROWS_SHOWN = 12


def _wrapped_height(rows: int) -> int:
    return 38 + min(max(rows, 1), _WRAPPED_ROWS_SHOWN) * _WRAPPED_ROW_PX + 2


def _first_rows(frame: pd.DataFrame, noun: str) -> pd.DataFrame:
    """The first TABLE_ROWS rows, saying so under the table when there are more."""
    if len(frame) <= TABLE_ROWS:
        return frame
    st.caption(f"表中列出前 {TABLE_ROWS} {noun}（共 {len(frame)} {noun}）。其余请用搜索或筛选查找；"
               "完整名单可在“数据管理 → 导出”下载 Excel。")
    return frame.head(TABLE_ROWS)


def warnings_table(warnings: pd.DataFrame) -> None:
    warnings = _first_rows(warnings, "条")
    # The level, the name and what was found first: on a phone they are what fits without scrolling.
    table = pd.DataFrame({
        "级别": warnings.level.map(LEVEL_NAMES),
        "企业": warnings.name,
        "情况": describe_warnings(warnings),
        "规则": warnings.rule.map(RULE_NAMES),
        "行业": warnings.sector.map(SECTOR_NAMES),
    })
    styled = table.style.map(lambda v: LEVEL_STYLES.get(v, ""), subset=["级别"])
    st.dataframe(styled, hide_index=True, width="stretch", row_height=_WRAPPED_ROW_PX,
                 height=_wrapped_height(len(table)),
                 column_config=_PINNED_LEVEL | _WARNING_COLUMNS | {"企业": _WARNING_NAME})


def project_warnings_table(warnings: pd.DataFrame) -> None:
    """重点项目 warnings (projects.project_warnings), coloured like the enterprises' ones."""
    table = pd.DataFrame({
        "级别": warnings.level.map(LEVEL_NAMES),
        "项目": warnings.name,
        "情况": warnings.detail,
        "规则": warnings.rule.map(labels.PROJECT_WARNING_RULES),
        "企业": warnings.enterprise,
    })
    styled = table.style.map(lambda v: LEVEL_STYLES.get(v, ""), subset=["级别"])
    st.dataframe(styled, hide_index=True, width="stretch", row_height=_WRAPPED_ROW_PX,
                 height=_wrapped_height(len(table)),
                 column_config=_PINNED_LEVEL | _WARNING_COLUMNS | {"项目": _WARNING_NAME})


def enterprise_table(ranked: pd.DataFrame, key: str | None = None) -> None:
    """Ranked enterprises with output, growth, own-target completion, contribution and pull."""
    ranked = _first_rows(ranked, "家")
    # Rank and name, the output, its 同比 and the target's 完成率 first: on a phone they are what
    # fits without scrolling, and rank and name stay in view when the rest is scrolled to.
    table = pd.DataFrame({
        "排名": ranked["rank"],
        "企业": ranked.name,
        # Rounded half up here (the one rule), then printed with one decimal as they are.
        "产值（万元）": round_half_up_array(ranked.value_10k, 1),
        "同比%": percent_array(ranked.yoy),
        "完成率%": percent_array(ranked.completion),
        "行业": ranked.sector.map(SECTOR_NAMES),
        "规上": ranked.above_scale.map({True: "是", False: "否"}),
        "贡献率%": percent_array(ranked.contribution),
        "拉动（点）": percent_array(ranked.pull),
        "联系领导": ranked.contact,
    })
    # Rises in green, falls in red: the cards' colours, so a decline never reads as growth.
    signed = ["同比%", "贡献率%", "拉动（点）"]
    styled = table.style.map(lambda v: f"color: {style.direction_colour(v / 100)}" if pd.notna(v) else "",
                             subset=signed)
    # Rank, name, output, 同比 and 完成率 in 358 px (a phone's width less its margins), each whole:
    # auto-sized, 完成率 showed as "完成" at the phone's edge (a desk stretches them).
    st.dataframe(styled, hide_index=True, width="stretch", placeholder="—", key=key, column_config={
        "排名": st.column_config.NumberColumn(width=44, pinned=True),
        "企业": st.column_config.TextColumn(width=104, pinned=True),
        "规上": st.column_config.TextColumn(width="small"),
        "产值（万元）": st.column_config.NumberColumn(width=92, format="%.1f", help="年初至今累计产值"),
        "同比%": st.column_config.NumberColumn(width=54, format="%+.1f", help="同口径同比增速"),
        "完成率%": st.column_config.NumberColumn(width=64, format="%.1f", help="累计产值 ÷ 企业年度产值目标"),
        "贡献率%": st.column_config.NumberColumn(format="%+.1f", help="企业增量 ÷ 全镇增量"),
        "拉动（点）": st.column_config.NumberColumn(format="%+.1f", help="企业增量 ÷ 全镇上年同期，百分点"),
    })


# 七个字的企业名称（北坑不锈钢制品）whole; rank, name, class, score and change still fit a phone's 358 px.
_EVALUATION_NAME_PX = 120
_RANKING_ROWS_SHOWN = 20


def _class_style(value) -> str:
    colour = style.EVALUATION_CLASS_COLOURS.get(value)
    return f"background-color: {colour}; color: white; font-weight: 600" if colour else ""


def _change_style(value) -> str:
    return {labels.EVALUATION_CHANGES["up"]: f"color: {style.UP}",
            labels.EVALUATION_CHANGES["down"]: f"color: {style.DOWN}; font-weight: 600"}.get(value, "")


def evaluation_table(ranking: pd.DataFrame, key: str | None = None) -> None:
    """A group's 亩均效益评价 ranking (output.evaluation.ranking_table): rank, name, class and score
    first (what a phone shows without scrolling), the class in its colour, 降档 in red; every
    indicator value and item score after, with two decimals."""
    ranking = _first_rows(ranking, "家")
    styled = ranking.style.map(_class_style, subset=["类别"]).map(_change_style, subset=["较上年"])
    numbers = {column: st.column_config.NumberColumn(format="%.2f") for column in ranking.columns
               if pd.api.types.is_float_dtype(ranking[column])}
    # A town's group (a few dozen) in one view, up to _RANKING_ROWS_SHOWN rows; a county's scrolls.
    height = 38 + min(max(len(ranking), 1), _RANKING_ROWS_SHOWN) * 35 + 2
    st.dataframe(styled, hide_index=True, width="stretch", height=height, placeholder="—", key=key,
                 column_config=numbers | {
        "排名": st.column_config.NumberColumn(width=44, pinned=True),
        "企业名称": st.column_config.TextColumn(width=_EVALUATION_NAME_PX, pinned=True),
        "类别": st.column_config.TextColumn(width=_NARROW_PX, help="A 优先发展、B 提升发展、C 帮扶转型、D 倒逼整治"),
        "得分": st.column_config.NumberColumn(width=64, format="%.2f", help="各项得分之和"),
        "较上年": st.column_config.TextColumn(width=_NARROW_PX,
                                           help="与上年类别比较：升档、降档、持平；上年未评为新评"),
        "说明": st.column_config.TextColumn(width="large"),
    })


def scorecard_table(card: pd.DataFrame) -> None:
    """An enterprise's scorecard (output.evaluation.scorecard_table): each indicator with its item
    score, value, base, ratio and weight first (what a phone shows), then the unit, the figures and
    where the base comes from, the note (where the item took the group's average or was capped) last:
    a wide note before them pushed the figures — why the item scored so — past a desk's edge."""
    order = ["指标", "得分", "指标值", "基准值", "比值", "权重", "单位", "分子", "分母", "基准", "说明"]
    st.dataframe(card[order], hide_index=True, width="stretch", placeholder="—", column_config={
        "指标": st.column_config.TextColumn(width=_EVALUATION_NAME_PX, pinned=True),
        "得分": st.column_config.NumberColumn(width=64, format="%.2f", help="权重 × 比值"),
        "指标值": st.column_config.NumberColumn(format="%.2f"),
        "基准值": st.column_config.NumberColumn(format="%.2f"),
        "比值": st.column_config.NumberColumn(format="%.3f", help="指标值 ÷ 基准值，超过上限的按上限计"),
        "权重": st.column_config.NumberColumn(format="%g"),
        "说明": st.column_config.TextColumn(width="large"),
    })
