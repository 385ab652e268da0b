"""总览: how the town's industry is doing this year, on one screen."""

import pandas as pd
import streamlit as st

from lakou_app.data import (
    current_town,
    load_annual,
    load_county,
    load_electricity_years,
    load_peer,
    load_project_years,
    load_trend,
    towns,
)
from lakou_app.tables import warnings_table
from lakou_app.ui import (
    chart_title,
    current_year,
    growth_metric,
    kpi_card,
    link_params,
    page_title,
    plain,
    sector_link_label,
    show_chart,
    status_key,
    stop_without_data,
)
from lakou_metrics.compute.cockpit import (
    choose_sector,
    compare_peers,
    compute_annual_trend,
    summarise_projects,
    summarise_targets,
)
from lakou_metrics.compute.drivers import compute_drivers
from lakou_metrics.compute.electricity import DIVERGENCE_LEVEL, DIVERGENCE_RULE
from lakou_metrics.compute.metrics import (
    compute_breakdown,
    compute_enterprise_ranking,
    count_warnings,
)
from lakou_metrics.domain import labels, style
from lakou_metrics.domain.labels import SCOPE_WHOLES
from lakou_metrics.domain.numbers import format_10k, format_amount, format_points, format_rate
from lakou_metrics.domain.periods import Period, format_day
from lakou_metrics.domain.sectors import SECTOR_NAMES
from lakou_metrics.output import charts
from lakou_metrics.output.text import (
    describe_drivers,
    describe_estimate,
    describe_incomplete,
    describe_new,
    describe_peer,
    describe_rank,
    describe_target,
    describe_warnings,
)
from lakou_metrics.settings import load_timezone

selection, ytd = current_year()
when, scope = selection.when, selection.scope
page_title("总览", selection)
stop_without_data(selection, ytd.scoped(selection.above_only))

cards = st.columns(4)
# The two headline figures are the town's two official indicators, each on its own scope whatever
# the selection; their labels say which.
for card, name, above, card_scope in ((cards[0], "工业总产值", False, "全部企业 · 累计"),
                                      (cards[1], "规上工业产值", True, "规上企业 · 累计")):
    total, estimate = ytd.totals(above)
    # Missing enterprises are said beside the figure, with the 含估算 figure apart from it; the part
    # of the total with no 上年同期 is said so that 同比 reads as comparable.
    kpi_card(card, f"{when} {name}", format_10k(total.value), total.yoy, card_scope, ytd.headline_targets(above),
             help=describe_estimate(ytd, above),
             notes=(describe_incomplete(ytd, above), describe_new(total, SCOPE_WHOLES["above" if above else "all"])),
             provisional=estimate is not None)
alone = ytd.alone_totals(selection.above_only)
with cards[2].container(border=True):
    growth_metric(st, f"{ytd.alone.label()}产值", format_10k(alone.value), alone.yoy,
                  help=f"{ytd.alone.label()}当期，{scope}；同比为同口径")
    st.caption(f"{scope} · 当{'季' if ytd.alone.is_quarter else '月'}")
    way = style.direction(alone.mom)
    st.badge(f"环比 {format_rate(alone.mom)}", color={"up": "green", "down": "red"}.get(way, "gray"))
warnings = ytd.scoped_warnings(selection.above_only)
count = count_warnings(warnings)
with cards[3].container(border=True):
    st.metric("预警", f"{count.warnings} 条", help="一家企业可能同时触发几条规则")
    st.caption(f"{scope} · 涉及企业 {count.enterprises} 家")
    with st.container(horizontal=True, gap="small"):
        for level, n in count.by_level.items():
            st.badge(f"{style.LEVEL_NAMES[level]} {n} 条", color=style.level_badge(level) if n else "gray")
    st.page_link("views/warnings.py", label=labels.COCKPIT_LINK, icon=":material/warning:",
                 query_params=link_params(selection))
status_key(ytd.settings, ytd.headline_targets(above_only=False) + ytd.headline_targets(above_only=True))

# The cockpit row: what a leader asks before a meeting, each answered in a few lines, each opening
# its page on the same selection (and town).
params = link_params(selection)
town = current_town()
row = st.columns(4)
with row[0].container(border=True):
    st.markdown(f"**{labels.COCKPIT_TARGETS}**")
    aims = summarise_targets(ytd.targets)
    if not aims.judged:
        st.caption(labels.COCKPIT_TARGETS_NONE.format(year=selection.period.year))
    elif not aims.lagging:
        st.markdown(labels.COCKPIT_TARGETS_ON_COURSE.format(judged=aims.judged))
    else:
        st.markdown(labels.COCKPIT_TARGETS_LAGGING.format(judged=aims.judged, lagging=len(aims.lagging)))
        # The worst three are read in seconds; the rest are counted, named on the 目标 page.
        for t in aims.lagging[:3]:
            st.caption(plain(labels.COCKPIT_TARGET_ITEM.format(name=t.name,
                                                               verdict=describe_target(t, with_growth=True))))
        if len(aims.lagging) > 3:
            st.caption(labels.COCKPIT_MORE.format(n=len(aims.lagging) - 3))
    st.page_link("views/targets.py", label=labels.COCKPIT_LINK, icon=":material/flag:", query_params=params)
with row[1].container(border=True):
    st.markdown(f"**{labels.COCKPIT_PROJECTS}**")
    plan = summarise_projects(ytd.projects)
    if not plan.recorded:
        # Where the projects are, when another year has them (a new year's are often entered late).
        held = [y for y in load_project_years() if y != selection.period.year]
        st.caption(labels.COCKPIT_PROJECTS_NONE.format(year=selection.period.year)
                   + (labels.COCKPIT_PROJECTS_LATEST.format(latest=max(held)) if held else ""))
    else:
        st.markdown(labels.COCKPIT_PROJECTS_ON_PLAN.format(recorded=plan.recorded, on_plan=plan.on_plan)
                    + (labels.COCKPIT_PROJECTS_WAITING.format(waiting=plan.waiting) if plan.waiting else ""))
        for p in plan.late:
            st.caption(plain(labels.COCKPIT_PROJECT_LATE.format(name=p.name, milestone=p.milestone, days=p.days)))
        for name, gap in plan.behind:
            st.caption(plain(labels.COCKPIT_PROJECT_BEHIND.format(name=name, points=format_points(gap))))
    st.page_link("views/projects.py", label=labels.COCKPIT_LINK, icon=":material/construction:",
                 query_params=params)
with row[2].container(border=True):
    st.markdown(f"**{labels.COCKPIT_PEERS}**")
    peers = compare_peers(ytd, load_county(selection.period) if len(towns()) > 1 else None,
                          load_peer(selection.period), zone=load_timezone())
    if peers.source == "none":
        st.caption(labels.COCKPIT_PEERS_NONE.format(when=when))
    else:
        if peers.rank is not None:
            st.markdown(describe_rank(peers))
        for p in peers.peers:
            st.caption(plain(describe_peer(p, town)))
        st.caption(plain(labels.COCKPIT_PEERS_COUNTY if peers.source == "county"
                         else labels.COCKPIT_PEERS_ENTERED.format(
                             file=peers.file_name, day=format_day(peers.loaded_on))))
    st.page_link("views/county.py" if peers.source == "county" else "views/targets.py", label=labels.COCKPIT_LINK,
                 icon=":material/compare_arrows:", query_params=params)
figures = ytd.scoped(selection.above_only)
sectors = compute_breakdown(figures)
with row[3].container(border=True):
    st.markdown(f"**{labels.COCKPIT_TREND}**", help=labels.COCKPIT_TREND_BASIS)
    for point in compute_annual_trend(load_annual(), ytd):
        figures_of = {"value": format_10k(point.value_10k), "yoy": format_rate(point.yoy)}
        if point.last == 12:
            st.caption(labels.COCKPIT_TREND_ITEM.format(label=f"{point.year}年", **figures_of))
        else:
            months = Period.ytd(point.year, point.last)
            st.caption(labels.COCKPIT_TREND_PART_ITEM.format(label=months.label(),
                                                             months=months.label().removeprefix(f"{point.year}年"),
                                                             **figures_of))
    st.caption(labels.COCKPIT_TREND_NOTE)

# 以电核产: the year's electricity beside output's growth, in a town that loads electricity at all; a
# card as wide as the row (a fifth card in the first row cut every figure on a desk), under the
# cockpit row so that the first screen still holds the cards and the cockpit row.
if load_electricity_years():
    power = ytd.electricity
    power_total = power.total(selection.above_only) if power is not None else None
    with st.container(border=True, key="power_card"):  # the key: narrow_style stacks its columns on a phone
        left, right = st.columns([1, 2])
        growth_metric(left, f"{when} {labels.ELECTRICITY_CARD}",
                      "—" if power_total is None else format_amount(power_total.value, labels.ELECTRICITY_UNIT),
                      None if power_total is None else power_total.yoy, help=labels.ELECTRICITY_HELP)
        left.caption(f"{scope} · 累计")
        # 当季/当月 as the output's card has it, unless it is the year to date itself (一季度 of 1-3月).
        alone_apart = power_total is not None and ytd.alone != ytd.period
        power_alone = power.alone_total(selection.above_only) if alone_apart else None
        if power_alone is not None:
            left.caption(labels.ELECTRICITY_ALONE.format(
                alone=ytd.alone.label_in_year(), value=format_amount(power_alone.value, labels.ELECTRICITY_UNIT),
                rate=format_rate(power_alone.yoy)))
        if power is None:
            right.markdown(labels.ELECTRICITY_NONE.format(year=selection.period.year))
        elif power_total is None:
            right.markdown(labels.ELECTRICITY_SHORT.format(year=selection.period.year, last=power.months_loaded,
                                                           period=ytd.period.label()))
        else:
            right.markdown(labels.ELECTRICITY_BESIDE.format(
                output=format_rate(ytd.totals(selection.above_only)[0].yoy), power=format_rate(power_total.yoy)))
            scoped_warnings = ytd.scoped_warnings(selection.above_only)
            diverging = scoped_warnings[scoped_warnings.rule == DIVERGENCE_RULE]
            points = power.settings.divergence_points
            right.badge(labels.ELECTRICITY_DIVERGING.format(n=len(diverging), points=points) if len(diverging)
                        else labels.ELECTRICITY_NOT_DIVERGING.format(points=points),
                        color=style.level_badge(DIVERGENCE_LEVEL) if len(diverging) else "gray")
            # The widest three by name with their figures; the rest on 预警.
            for name, found in zip(diverging.name.head(3), describe_warnings(diverging.head(3))):
                right.caption(plain(f"{name}：{found}"))
            if len(diverging) > 3:
                right.caption(labels.ELECTRICITY_MORE.format(n=len(diverging) - 3))
            if len(diverging):
                right.page_link("views/warnings.py", label=labels.COCKPIT_LINK, icon=":material/bolt:",
                                query_params={**link_params(selection), "rule": DIVERGENCE_RULE})

# Where this year's growth comes from and goes: the sector that drags it most first (it opens 行业;
# else the largest), then the enterprises and sectors behind the change.
focus = choose_sector(sectors)
sector_name = SECTOR_NAMES[focus.sector]
with st.container(border=True):
    st.markdown(f"**{labels.COCKPIT_GROWTH.format(scope=scope)}**")
    st.markdown(labels.COCKPIT_DRAG.format(sector=sector_name, whole=selection.whole, points=format_points(focus.pull))
                if focus.reason == "drags" else labels.COCKPIT_NO_DRAG.format(sector=sector_name,
                                                                              whole=selection.whole))
    for line in describe_drivers(compute_drivers(figures), selection.whole):
        st.markdown(plain(line))
    st.page_link("views/sectors.py", label=sector_link_label(sector_name), icon=":material/factory:",
                 query_params=link_params(selection, focus.sector))
subtitle = f"{scope} · 单位：万元 · 同比为同口径"
left, right = st.columns(2)
trend = load_trend(selection.period, selection.above_only)
unit = "月度" if trend.attrs.get("granularity") == "month" else "季度"
show_chart(left, charts.trend_chart(
    trend, chart_title(f"{selection.period.year}年", f"{unit}产值与上年同期"), subtitle),
    f"{current_town()}{selection.period.year}年{unit}产值与上年同期（截至{selection.period.last}月，{scope}）")
show_chart(right, charts.sector_chart(
    sectors, chart_title(when, "各行业产值"), f"{subtitle} · 标注为产值与同比"),
    f"{current_town()}{when}各行业产值（{scope}）")

left, right = st.columns(2)
show_chart(left, charts.pull_chart(
    sectors.assign(name=sectors.sector.map(SECTOR_NAMES)).dropna(subset=["pull"]), "name",
    chart_title(when, f"各行业拉动{selection.whole}增长"), f"{scope} · 单位：百分点"),
    f"{current_town()}{when}各行业拉动{selection.whole}增长（{scope}）")
ranked = compute_enterprise_ranking(figures, by="pull").dropna(subset=["pull"])
movers = pd.concat([ranked.head(5), ranked.tail(5)]).drop_duplicates("enterprise_id")
show_chart(right, charts.pull_chart(
    movers, "name", chart_title(when, "拉动最大与拖累最大的企业"), f"{scope} · 前5与后5 · 单位：百分点"),
    f"{current_town()}{when}拉动最大与拖累最大的企业（{scope}）")

st.subheader(f"{when} 预警（{scope}）")
if warnings.empty:
    st.success("没有预警。")
else:
    st.caption(f"{count.describe()}。")
    warnings_table(warnings.head(10))
    if len(warnings) > 10:
        st.page_link("views/warnings.py", label=f"查看全部 {len(warnings)} 条预警", icon=":material/warning:",
                     query_params=link_params(selection))
