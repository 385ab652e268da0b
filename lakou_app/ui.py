"""Page pieces every page shares: the period and scope controls, KPI cards, safe text."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from lakou_metrics import labels
from lakou_metrics.numbers import format_10k, format_points, format_rate, is_missing
from lakou_metrics.periods import Period

from .data import load_ledger, load_year

SCOPES = ("全部企业", "规上企业")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


@dataclass(frozen=True)
class Selection:
    period: Period  # months 1..through of the chosen year
    above_only: bool

    @property
    def scope(self) -> str:
        return SCOPES[1] if self.above_only else SCOPES[0]

    @property
    def when(self) -> str:
        return self.period.label()


def plain(text) -> str:
    """User text (an enterprise name) made safe to place inside Markdown: shown as typed."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def through_label(months: int) -> str:
    names = {3: "一季度", 6: "上半年", 9: "前三季度", 12: "全年"}
    text = "1月" if months == 1 else f"1-{months}月"
    return f"{text}（{names[months]}）" if months in names else text


def sidebar_controls() -> Selection | None:
    """Year, through-month and scope in the sidebar (shared by every page). None when no data."""
    ledger = load_ledger()
    years = ledger.years()[::-1]
    if not years:
        return None
    bar = st.sidebar
    bar.markdown(f"**{labels.APP_TITLE}**")
    year = bar.selectbox("年份", years, format_func=lambda y: f"{y}年", key="year")
    last = ledger.months_loaded(year)
    through = bar.selectbox("截至", list(range(last, 0, -1)), format_func=through_label, key=f"through_{year}")
    scope = bar.segmented_control("企业范围", SCOPES, default=SCOPES[0], key="scope", required=True)
    bar.caption(f"{year}年数据已到{last}月。金额单位：万元；同比为同口径（本期报送企业的上年同期）。")
    return Selection(Period.ytd(year, through), scope == SCOPES[1])


def show_chart(container, chart) -> None:
    """A chart with its own look (fonts, colours, titles), so the PNG download matches the page."""
    container.altair_chart(chart, width="stretch", theme=None)


def scoped(frame: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """Only 规上 enterprises when the scope says so."""
    if not selection.above_only:
        return frame
    return frame[frame.above_scale.fillna(False).astype(bool)]


def status_of(gap: float | None) -> tuple[str, str]:
    """Badge colour and words for 完成率 − 序时进度."""
    if is_missing(gap):
        return "gray", ""
    if gap >= 0:
        return "green", f"超序时{format_points(gap)}"
    return ("orange" if gap > -0.05 else "red"), f"欠序时{format_points(gap)}"


def kpi_card(container, label: str, value: float | None, yoy: float | None,
             completion: float | None = None, gap: float | None = None, help: str | None = None) -> None:
    """A bordered card: the figure, its 同比, and its 完成率 beside 序时进度 in a coloured badge."""
    with container.container(border=True):
        st.metric(label, format_10k(value), delta=f"同比 {format_rate(yoy)}" if _known(yoy) else "同比 —",
                  delta_color="normal" if _known(yoy) else "off", help=help)
        completion_badges(completion, gap)


def completion_badges(completion: float | None, gap: float | None) -> None:
    """完成率 and 超/欠序时 side by side (wrapping when narrow), coloured by status."""
    if not _known(completion):
        st.badge("未设年度目标", color="gray")
        return
    colour, words = status_of(gap)
    with st.container(horizontal=True, gap="small"):
        st.badge(f"完成率 {completion * 100:.1f}%", color=colour)
        if words:
            st.badge(words, color=colour)


def _known(x) -> bool:
    return not is_missing(x)


def current_year() -> tuple[Selection, object]:
    """The sidebar controls' selection and the year's figures; stops the page when there is no data."""
    selection = sidebar_controls()
    if selection is None:
        st.info(labels.EMPTY_DATABASE_HELP)
        st.stop()
    return selection, load_year(selection.period)


def stop_without_data(selection: Selection, figures) -> None:
    """End the page with a note when no enterprise has figures for the selected period and scope."""
    if figures.empty:
        st.info(f"{selection.when}没有{selection.scope}的产值数据。请选择其他期间，或先导入该期间的报表。")
        st.stop()
