"""Page pieces every page shares: the selection (year, 截至, scope) kept in the URL, KPI cards
whose arrows never contradict their sign, status badges and their key, charts with a PNG
download, safe text. The words, colours and number formats come from lakou_metrics."""
from __future__ import annotations

import logging
import re

import streamlit as st

from lakou_metrics.compute.report import YearToDate
from lakou_metrics.compute.targets import TargetRow
from lakou_metrics.domain import labels, style
from lakou_metrics.domain.numbers import format_percent, format_points, format_rate, is_missing
from lakou_metrics.domain.sectors import SECTOR_NAMES
from lakou_metrics.domain.selection import (
    SCOPES,
    Selection,
    choose_evaluation_year,
    choose_selection,
    describe_coverage,
    describe_fallback,
    parse_year,
    through_label,
)
from lakou_metrics.output.text import describe_stored_only, describe_target_badges

from .data import (
    choose_town,
    current_town,
    load_available,
    load_chart_png,
    load_county_available,
    load_reporting,
    load_stored_spans,
    load_year,
    load_years,
    towns,
    unheld_town,
)

_UNSAFE_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
# Every ASCII punctuation character, which CommonMark lets a backslash escape: no emphasis, heading,
# list or Streamlit directive (:red[…]) comes from user text.
_MARKDOWN = re.compile(r"([!-/:-@\[-`{-~])")
# Escapes do not stop GFM's autolinks: Streamlit's Markdown also finds them in the text once escapes
# are resolved ("http://", "www.", "a@b.cn"), and shortcodes such as :fire: become emoji. A WORD
# JOINER (invisible, never a line break; removed again by the importer) after ':' and '@' and
# inside "www." leaves none of them to find.
_LINK_STARTS = re.compile(r"([:@]|www(?=\.))", re.IGNORECASE)
_JOINER = "\u2060"
# The selection of this session, kept apart from the widgets: Streamlit forgets a widget's state
# when a page that does not draw it runs, and a page switch may arrive without the URL's query.
_CHOSEN = "lakou_selection"
_WIDGETS = {"year": "sel_year", "through": "sel_through", "scope": "sel_scope"}
_SCOPE_BY_NAME = {name: code for code, name in SCOPES.items()}
# What the page says under its title when the period asked for is not the one shown (a town that
# reports quarterly asked for 1-8月): set by the sidebar, said once by the title.
_FALLBACK = "lakou_fallback"


# A page's uncaught exception is logged here, in this form: the tests fail on any such record
# (tests/page_support.py, tests/browser_support.py) while a person reads labels.PAGE_FAILED.
PAGE_FAILURES = "lakou_app.pages"
PAGE_FAILED_LOG = "page failed: %s"


def run_page(page) -> None:
    """Run the page st.navigation chose; an exception shows a Chinese note, its details go to the
    server's log only (st.stop and st.rerun are BaseExceptions and pass through)."""
    try:
        page.run()
    except Exception:
        logging.getLogger(PAGE_FAILURES).exception(PAGE_FAILED_LOG, page.title)
        st.error(labels.PAGE_FAILED)


def plain(text) -> str:
    """User text (an enterprise name) made safe to place inside Markdown: shown as typed, never as
    formatting or a link (http://…, www.…, a@b.cn)."""
    return _MARKDOWN.sub(r"\\\1", _LINK_STARTS.sub(rf"\1{_JOINER}", str(text)))


def plain_table(frame):
    """A frame for st.table, whose cells are Markdown: every text cell made plain."""
    return frame.map(lambda v: plain(v) if isinstance(v, str) else v)


def _remember_widgets(county: bool = False) -> None:
    """on_change of a control: what the reader just chose becomes the selection and the URL."""
    chosen = {"year": st.session_state[_WIDGETS["year"]], "through": st.session_state[_WIDGETS["through"]],
              "scope": _SCOPE_BY_NAME.get(st.session_state[_WIDGETS["scope"]], "all")}
    selection = choose_selection(load_county_available() if county else load_available(), **chosen)
    if selection is not None:
        st.session_state[_CHOSEN] = selection.params()
        st.query_params.update(selection.params())


def app_title() -> str:
    """腊口镇工业经济运行: the dashboard's name, of the town it shows."""
    return f"{current_town()}{labels.APP_SUFFIX}"


def chart_title(when: str, what: str) -> tuple[str, str]:
    """A chart's title of the town shown (charts.chart_title)."""
    from lakou_metrics.output import charts

    return charts.chart_title(when, what, current_town())


def _remember_town() -> None:
    choose_town(st.session_state["sel_town"])


def town_control() -> str:
    """The town shown: chosen in the sidebar when the database holds several (the county
    edition), kept in the URL like the period; a town's own database shows no choice."""
    town, held = current_town(), towns()
    if len(held) > 1:
        if st.query_params.get("town") != town:
            st.query_params["town"] = town
        st.session_state["sel_town"] = town
        st.sidebar.selectbox("乡镇", held, key="sel_town", on_change=_remember_town)
    return town


def sidebar_controls(county: bool = False) -> Selection | None:
    """Year, 截至 and scope in the sidebar, shared by every page. The URL's query (a bookmark, a
    shared link, a reload, the browser's back button) wins, else this session's last choice, else
    the latest period with data; only periods with data are offered: the town's, or with `county`
    (the 县域 page) any town's. None when there is no data."""
    available = load_county_available() if county else load_available()
    params = st.query_params
    asked = ({k: params.get(k) for k in ("year", "through", "scope")} if params.get("year")
             else st.session_state.get(_CHOSEN, {}))
    selection = choose_selection(available, **asked)
    if selection is not None:
        where = "全县" if county else current_town()
        st.session_state[_FALLBACK] = describe_fallback(asked, selection, where)
    bar = st.sidebar
    bar.markdown(f"**{plain(app_title())}**")
    town_control()  # also when there is nothing to choose in this town: the reader can leave it
    if selection is None:
        if available:
            bar.caption(labels.NO_YTD_SIDEBAR)
        return None
    st.session_state[_CHOSEN] = selection.params()
    if any(params.get(k) != v for k, v in selection.params().items()):
        st.query_params.update(selection.params())
    year, through = selection.period.year, selection.period.last
    # The widgets show the selection; set before they are drawn, so no default competes with it.
    st.session_state[_WIDGETS["year"]] = year
    st.session_state[_WIDGETS["through"]] = through
    st.session_state[_WIDGETS["scope"]] = selection.scope
    years = sorted(available, reverse=True)
    remember = {"on_change": _remember_widgets, "args": (county,)}
    bar.selectbox("年份", years, format_func=lambda y: f"{y}年", key=_WIDGETS["year"], **remember)
    bar.selectbox("截至", available[year][::-1], format_func=through_label, key=_WIDGETS["through"],
                  help="列出任一乡镇已有数据的期间" if county else "只列出已有数据的期间", **remember)
    bar.segmented_control("企业范围", list(SCOPES.values()), key=_WIDGETS["scope"], required=True, **remember)
    bar.caption(f"{'全县' if county else ''}{describe_coverage(available[year], year)}。"
                "金额单位：万元；同比为同口径（本期报送企业的上年同期）。")
    return selection


def _remember_evaluation_year() -> None:
    """on_change of 亩均评价's year: the year chosen becomes the selection's year (every page's), in
    this session and in the URL; the month and scope stay as they were."""
    year = str(st.session_state[_WIDGETS["year"]])
    st.session_state[_CHOSEN] = {**st.session_state.get(_CHOSEN, {}), "year": year}
    st.query_params["year"] = year


def evaluation_year_control(years: list[int]) -> int | None:
    """The sidebar of 亩均评价: the town, and the year among `years` (those with evaluation data,
    newest first) in the shared year control. The page opens on the selection's year (the URL's
    ?year=, else this session's) when it has evaluation data, else on the latest year before it
    that has (choose_evaluation_year): a year to date of 2024 opens on the 2023 evaluation, which
    is what a county rates in 2024. The URL keeps the shared selection, so the other pages keep
    their period; choosing a year here makes it the selection's year. None when no year has data."""
    params = st.query_params
    chosen = st.session_state.get(_CHOSEN, {})
    if not params.get("year") and chosen:
        st.query_params.update(chosen)  # a page switch that lost the query: the session's selection
    asked = params.get("year") or chosen.get("year")
    year = choose_evaluation_year(years, asked)
    bar = st.sidebar
    bar.markdown(f"**{plain(app_title())}**")
    town_control()
    if year is None:
        return None
    st.session_state[_WIDGETS["year"]] = year
    bar.selectbox("年份", sorted(years, reverse=True), format_func=lambda y: f"{y}年",
                  key=_WIDGETS["year"], on_change=_remember_evaluation_year,
                  help="只列出已导入亩均效益评价数据的年份")
    bar.caption(labels.EVALUATION_SIDEBAR.format(years="、".join(f"{y}年" for y in years)))
    wanted = parse_year(asked)
    if wanted is not None and wanted != year:
        bar.caption(labels.EVALUATION_NO_DATA_YEAR.format(year=wanted) + f"，显示{year}年。")
    return year


_SECTOR = "lakou_sector"  # this session's sector (行业), kept apart from the widget like the selection


def chosen_sector() -> str | None:
    """The sector the reader chose: ?sector= in the URL when it names a sector, else this
    session's last choice; None when neither (行业 then opens on the one that drags most). An
    unknown ?sector= is dropped from the URL, never an error."""
    asked = st.query_params.get("sector")
    if asked in SECTOR_NAMES:
        st.session_state[_SECTOR] = asked
        return asked
    if asked is not None:
        del st.query_params["sector"]
    return st.session_state.get(_SECTOR)


def choose_sector_widget(key: str) -> None:
    """on_change of 行业's sector control: the choice is kept in this session and in the URL."""
    st.session_state[_SECTOR] = st.session_state[key]
    st.query_params["sector"] = st.session_state[key]


def sector_link_label(name: str) -> str:
    """A link's words to 行业 on one sector: 查看光伏行业; the sector 其他 in quotes (查看“其他”行业),
    which would otherwise read as "the other sectors"."""
    return labels.SECTOR_LINK.format(sector=f"“{name}”" if name == "其他" else name)


def link_params(selection: Selection, sector: str | None = None) -> dict[str, str]:
    """The query of a link to another page: the same period, scope and town (and sector)."""
    return {**selection.params(), "town": current_town(), **({"sector": sector} if sector else {})}


def current_year() -> tuple[Selection, YearToDate]:
    """The selection and the year's figures; stops the page when there is no year to date to show."""
    selection = sidebar_controls()
    if selection is None:
        stop_without_period()
    return selection, load_year(selection.period)


def stop_without_period() -> None:
    """End a page that has no year to date to show: how to load data when the town holds none,
    else what it holds (each stored month's enterprises and total) and the months still needed."""
    if not load_years():
        st.info(labels.EMPTY_DATABASE_HELP)
        st.stop()
    st.title(plain(app_title()))
    st.info(stored_only_note())
    st.page_link("views/data.py", label="去“数据管理”导入报表", icon=":material/upload_file:")
    st.stop()


def stored_only_note() -> str:
    """What the town holds when its data gives no year to date yet, as Markdown (describe_stored_only)."""
    return "\n\n".join(plain(line) for line in describe_stored_only(current_town(), load_stored_spans()))


def town_notice() -> None:
    """A notice when the URL asks for a town the database does not hold: which towns it holds, and
    that the page shows another. The URL then names the town shown (the county's sidebar does so
    too), so the notice is said once, not on every rerun."""
    asked = unheld_town()
    if asked is None:
        return
    held = towns()
    st.warning(labels.UNHELD_TOWN.format(asked=plain(asked), towns="、".join(plain(t) for t in held),
                                         shown=plain(current_town())))
    if len(held) > 1:
        st.query_params["town"] = current_town()
    else:
        del st.query_params["town"]


def titled(name: str) -> str:
    """A page's name for its title, as Markdown: in the county edition led by the town it shows
    (温溪镇 · 总览), so a screenshot never leaves the town in doubt; a town's own dashboard shows
    one town and keeps the bare name."""
    return f"{plain(current_town())} · {name}" if len(towns()) > 1 else name


def show_title(name: str, heading: str) -> None:
    """A page's title with what it shows (`heading`: 2023年1-3月 · 规上企业) on one line at 390 px:
    a town's dashboard writes 行业 · 2023年1-3月 · 规上企业; the county edition, whose title leads
    with the town (温溪镇 · 行业), writes the period and scope in a line under it. Then, once, why
    the period shown is not the one asked for."""
    if len(towns()) > 1:
        st.title(titled(name))
        st.caption(heading)
    else:
        st.title(f"{name} · {heading}")
    fallback = st.session_state.pop(_FALLBACK, None)
    if fallback:
        st.info(plain(fallback), icon=":material/event_busy:")


def page_title(name: str, selection: Selection) -> None:
    """Every page's title names the period and scope it shows (show_title): 行业 · 2023年1-3月 ·
    规上企业; and under it, how complete the period's figures are (a partial total is never taken
    for the town's)."""
    show_title(name, selection.heading())
    reporting = load_reporting(selection.period)
    if reporting.complete:
        st.caption(f"{selection.when}：全部 {reporting.expected} 家企业已报送。")
    else:
        st.warning(f"{selection.when}{reporting.describe()}企业，未报送的 {len(reporting.missing)} 家不在合计中，"
                   "合计不是全镇的完整数（名单见“数据管理 → 报送情况”）。")


def stop_without_data(selection: Selection, figures) -> None:
    """End the page with a note when no enterprise has figures for the selected period and scope."""
    if figures.empty:
        st.info(f"{selection.when}没有{selection.scope}的产值数据。请选择其他期间，或先导入该期间的报表。")
        st.stop()


def show_chart(container, chart, name: str) -> None:
    """A chart with its own look (fonts, colours, titles), and a button that downloads it as a
    PNG named in Chinese (`name`.png), drawn on the server with the project's CJK font only when
    clicked. (The chart toolbar's own PNG is named by Streamlit, which offers no setting for it.)"""
    container.altair_chart(chart, width="stretch", theme=None)
    file_name = _UNSAFE_IN_FILE_NAME.sub("_", name)
    container.download_button("下载图片", lambda: load_chart_png(chart), f"{file_name}.png", mime="image/png",
                              key=f"png_{name}", icon=":material/download:", type="tertiary",
                              on_click="ignore")


def growth_metric(container, label: str, value: str, rate: float | None, help: str | None = None,
                  border: bool = False, description: str = "同比") -> None:
    """A metric with its growth rate as the delta: a rise shows a green up-arrow, a fall a red
    down-arrow (both by the rate's sign as shown, one decimal), no change or no rate a grey line."""
    way = style.direction(rate)
    container.metric(label, value, delta=format_rate(rate), delta_description=description,
                     delta_color="normal" if way in ("up", "down") else "off",
                     delta_arrow={"up": "up", "down": "down"}.get(way, "off"), help=help, border=border)


def target_badges(target: TargetRow | None, provisional: bool = False) -> None:
    """The target's verdict in its status colour (describe_target_badges): an amount's 完成率 and its
    status against 序时进度 (of the month the figure is for), with 往年同期进度 beside it for output;
    a growth target's growth against the target rate; met or missed with the whole year. A grey
    badge says when the figure is older than the selected period, and 暂定 when enterprises the
    figure needs have not reported."""
    if not target or is_missing(target.gap):
        st.badge("未设年度目标" if not target else "本期没有完成数", color="gray")
        return
    status = style.STATUSES[target.status]
    with st.container(horizontal=True, gap="small"):
        for words in describe_target_badges(target):
            st.badge(words, color=status.badge)
        if target.kind == "amount" and not is_missing(target.seasonal_schedule):
            st.badge(f"往年同期进度{format_percent(target.seasonal_schedule)}", color="gray")
        if target.stale:
            st.badge(f"数据截至{target.as_of}月", color="gray")
        if provisional:
            st.badge(labels.PROVISIONAL, color="gray")


def kpi_card(container, label: str, value: str, rate: float | None, scope: str, targets=(),
             help: str | None = None, notes=(), provisional: bool = False) -> None:
    """A bordered card: the figure, its 同比, the scope it is on, `notes` under it (how complete the
    figure is, its new enterprises), and the verdict of each of its `targets` (an amount target and
    a growth target each say their own; 暂定 when `provisional`)."""
    with container.container(border=True):
        growth_metric(st, label, value, rate, help=help)
        st.caption(scope)
        for note in notes:  # the system's own words and figures, no user text
            if note:
                st.caption(note)
        for target in targets or [None]:
            target_badges(target, provisional)


def status_key(settings, targets: list[TargetRow | None]) -> None:
    """The key to the status colours under what colours by status: the key of each kind of verdict
    the `targets` shown have (an amount against 序时进度, a growth rate against its target, met or
    missed with the whole year's figure); the 序时 key when none has a verdict yet."""
    judged = [t for t in targets if t is not None and not is_missing(t.gap)]
    parts = []
    if any(t.kind == "amount" and not t.year_end for t in judged) or not judged:
        cut = format_points(settings.schedule_slightly_behind)
        parts += [f":{style.AHEAD.badge}-badge[{style.AHEAD.words}：完成率 ≥ 序时进度]",
                  f":{style.SLIGHTLY_BEHIND.badge}-badge[{style.SLIGHTLY_BEHIND.words}：落后不足{cut}]",
                  f":{style.BEHIND.badge}-badge[{style.BEHIND.words}：落后{cut}及以上]"]
    if any(t.kind == "growth" and not t.year_end for t in judged):
        parts += [f":{style.GROWTH_MET.badge}-badge[{style.GROWTH_MET.words}：累计增速 ≥ 目标增速]",
                  f":{style.GROWTH_SHORT.badge}-badge[{style.GROWTH_SHORT.words}]"]
    if any(t.year_end for t in judged):
        parts += [f":{style.MET.badge}-badge[{style.MET.words}：完成率或增速达到目标]",
                  f":{style.MISSED.badge}-badge[{style.MISSED.words}]"]
    st.caption("颜色说明：" + " ".join(parts))
