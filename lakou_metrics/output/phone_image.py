"""One tall image for a phone: what a leader forwards to a WeChat group. About 1080 px wide and
readable without zooming: the town, period and scope; the headline figures with 同比 and their
targets' verdicts; the targets behind (or missed at the year's end); the key projects (or that the
year has none); each red
enterprise with why it is red; each sector's output and 同比 and its pull on growth; the town against
its peers (when there are peer figures); the issuer and the date.
Drawn with Vega-Lite and rendered on the server with the project's CJK font (briefing.render_png).
"""
from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from ..compute.cockpit import PeersLine, summarise_targets
from ..compute.report import YearToDate
from ..compute.targets import TargetRow
from ..domain import labels, style
from ..domain.numbers import (
    choose_money_unit,
    format_10k,
    format_in_money_unit,
    format_percent,
    format_points,
    format_rate,
    format_short_of,
    format_signed_points,
    percent_array,
)
from ..domain.periods import format_day
from ..domain.sectors import SECTOR_NAMES
from .charts import FONT
from .text import (
    describe_incomplete,
    describe_peer_parts,
    describe_rank,
    describe_schedule,
    describe_target,
    describe_warning,
    provisional_mark,
)

GREY = "#5b6675"
WIDTH = 1080
MARGIN = 40
LABELS = 170  # the bar chart's names on the left: every block lines up after them
INNER = WIDTH - 2 * MARGIN - LABELS


def _lines(rows: list[tuple[str, str]], size: int, step: int) -> alt.Chart:
    """Lines of text, each in its colour, one under the other."""
    data = pd.DataFrame([{"i": i, "text": t, "colour": c} for i, (t, c) in enumerate(rows)])
    return alt.Chart(data).mark_text(align="left", baseline="middle", fontSize=size, limit=INNER + LABELS).encode(
        x=alt.value(-LABELS), y=alt.Y("i:O", axis=None), text="text:N", color=alt.Color("colour:N", scale=None),
    ).properties(width=INNER, height=step * max(len(rows), 1))


def _heading(text: str) -> alt.Chart:
    return _lines([(text, "#1f5fa8")], 34, 64)


def _lagging_line(t: TargetRow) -> str:
    """One target short of its course, for a phone, in its card's status words: 征地  67.9%（截至9月，
    落后序时7.1个百分点） / 73.7%（截至9月，略欠序时1.3个百分点）; a growth target
    工业总产值增速  +27.9%（目标33.0%，低5.1个百分点）; at the year's end 完成96.3%（未完成全年目标）."""
    if t.kind == "growth":
        grown = t.name.removesuffix("同比增长")
        return f"{grown}增速  {format_rate(t.actual)}（目标{format_percent(t.target)}，低{format_points(t.gap)}）"
    if t.year_end:
        return f"{t.name}  完成{format_short_of(t.completion)}（{style.MISSED.words}）"
    return f"{t.name}  {format_short_of(t.completion)}（截至{t.as_of}月，{describe_schedule(t)}）"


# The rules whose finding is only figures: their name goes first.
_NAMED_RULES = {rule: f"{labels.WARNING_RULES[rule]}：" for rule in ("decline", "swing")}


def _red_lines(red: pd.DataFrame, shown: int = 8) -> list[tuple[str, str]]:
    """Each red enterprise (its first `shown`), then why, in the warnings table's words, one line a
    rule, so the reader need not open the page: what it found, after the rule's name where the
    finding does not say it (同比下降：累计同比-25.3%; 完成率落后序时进度25.2个百分点)."""
    names = list(dict.fromkeys(red.name))
    lines = []
    for name in names[:shown]:
        lines.append((name, style.RED))
        lines += [(f"　{_NAMED_RULES.get(w.rule, '')}{describe_warning(w.rule, w.value, w.usual, w.usual_from)}",
                   "#333")
                  for w in red[red.name == name].itertuples()]
    if len(names) > shown:
        lines.append((f"另有{len(names) - shown}家，见看板“预警”页", GREY))
    return lines


def _sector_lines(sectors: pd.DataFrame) -> list[tuple[str, str]]:
    """Each sector's output and 同比, the largest first, in the colour of its growth; the figures in
    one unit (1.51亿元 above 0.95亿元, never above 9472.6万元), as the sector chart writes them."""
    ordered = sectors.sort_values("value_10k", ascending=False)
    unit = choose_money_unit(ordered.value_10k)
    return [(f"{SECTOR_NAMES[r.sector]}  {format_in_money_unit(r.value_10k, unit)}，同比{format_rate(_known(r.yoy))}",
             style.direction_colour(_known(r.yoy))) for r in ordered.itertuples()]


def _known(value):
    return None if pd.isna(value) else value


def _peer_lines(peers: PeersLine) -> list[tuple[str, str]]:
    """The town against the other towns as 总览 writes it (温溪镇 first), its county rank when
    the towns are computed alike, and where the figures come from."""
    lines = []
    if peers.rank is not None:
        lines.append((describe_rank(peers), "#1d2733"))
    for peer in peers.peers:  # the other town's figures, then the gap on a line of its own: a phone's width
        theirs, gap = describe_peer_parts(peer, peers.town)
        lines += [(theirs, "#1d2733")] + ([(f"　{gap}", "#1d2733")] if gap else [])
    source = (labels.COCKPIT_PEERS_COUNTY if peers.source == "county"
              else labels.COCKPIT_PEERS_ENTERED.format(file=peers.file_name, day=format_day(peers.loaded_on)))
    return lines + [(source, GREY)]


def phone_image_chart(ytd: YearToDate, today: dt.date, peers: PeersLine | None = None) -> alt.VConcatChart:
    """The image's chart (render with briefing.render_png(chart, scale=1, width=None)), closing with
    the issuer and the date of writing (`today`: the town's day, settings.town_today), as the Word
    briefing does.
    `peers` (compute.cockpit.compare_peers) adds the town against its peers; without peer figures
    the image has no such block."""
    from .briefing import describe_issuer

    when = ytd.period.label()
    parts = [_lines([(f"{ytd.town}工业经济", "#1d2733"), (f"{when} · 全部企业", "#5b6675")], 44, 66)]
    cards = []
    for name, above in (("工业总产值", False), ("规上工业产值", True)):
        agg, _ = ytd.totals(above)
        cards.append((f"{name}  {format_10k(agg.value)}", "#1d2733"))
        incomplete = describe_incomplete(ytd, above)
        if incomplete:  # the page's words: never a partial total taken for the whole
            cards.append((incomplete, style.ORANGE))
        cards.append((f"同比{format_rate(agg.yoy)}", style.direction_colour(agg.yoy)))
        for target in ytd.headline_targets(above):  # an amount target and a growth target each say theirs
            verdict = describe_target(target, with_growth=False)
            if verdict:
                cards.append((verdict + provisional_mark(ytd, target), style.STATUSES[target.status].colour))
    parts += [_heading("主要指标"), _lines(cards, 36, 60)]
    lagging = list(summarise_targets(ytd.targets).lagging)  # the widest gap first, as 总览's card
    if lagging:
        year_end = all(t.year_end for t in lagging)
        heading = style.MISSED.words if year_end else f"{labels.TARGETS_SHORT}的目标"
        parts += [_heading(f"{heading}（{len(lagging)}项）"), _lines(
            [(_lagging_line(t) + provisional_mark(ytd, t), style.STATUSES[t.status].colour) for t in lagging], 30, 52)]
    book = ytd.projects
    if book is not None:
        waiting = len(book.waiting)
        lines = [(f"{book.on_plan}个按计划推进，"
                  + (f"{waiting}个未到计划开工日期，" if waiting else "") + f"{len(book.late)}个节点滞后",
                  style.RED if len(book.late) else style.GREEN)]
        lines += [(f"{r.name}  {r.late_milestone}滞后{r.delay_days}天", style.RED)
                  for r in book.late.head(4).itertuples()]
        money = book.investment()
        if money is not None and money.gap is not None:
            status = style.schedule_status(money.gap, ytd.settings.schedule_slightly_behind)
            lines.append((f"完成投资{format_10k(money.invested)}，占年度计划{format_percent(money.completion)}"
                          f"（截至{money.month}月，{status.words}{format_points(money.gap)}）", status.colour))
        parts += [_heading(f"重点项目（{len(book.table)}个）"), _lines(lines, 30, 52)]
    else:  # as 总览 says it: a year without projects is news too
        parts += [_heading("重点项目"), _lines([(labels.COCKPIT_PROJECTS_NONE.format(year=ytd.period.year), GREY)],
                                                30, 52)]
    red = ytd.warnings[ytd.warnings.level == "红"]
    if len(red):
        parts += [_heading(f"红色预警（{len(red)}条，{red.name.nunique()}家企业）"), _lines(_red_lines(red), 30, 50)]
    if len(ytd.sectors):
        parts += [_heading("各行业产值与同比"), _lines(_sector_lines(ytd.sectors), 30, 52)]
    sectors = ytd.sectors.assign(行业=ytd.sectors.sector.map(SECTOR_NAMES)).dropna(subset=["pull"])
    if len(sectors):
        points = percent_array(sectors.pull)
        data = sectors.assign(拉动=points, 标注=[format_signed_points(p) for p in sectors.pull],
                              颜色=[style.direction_colour(p) for p in sectors.pull],
                              位置=[max(p, 0.0) for p in points])
        order = data.sort_values("拉动", ascending=False)["行业"].tolist()
        base = alt.Chart(data).encode(y=alt.Y("行业:N", sort=order, title=None,
                                             axis=alt.Axis(labelFontSize=28, labelLimit=LABELS - 20, minExtent=LABELS)))
        bars = base.mark_bar(height=34).encode(x=alt.X("拉动:Q", title="拉动全镇增长（百分点）",
                                                       axis=alt.Axis(labelFontSize=24, titleFontSize=26)),
                                               color=alt.Color("颜色:N", scale=None))
        # Labels right of the zero line, so a falling bar's label never covers the names.
        text = base.mark_text(align="left", dx=8, fontSize=28, color="#333").encode(x=alt.X("位置:Q"), text="标注:N")
        parts += [_heading("各行业拉动全镇增长"), (bars + text).properties(width=INNER - 90, height=alt.Step(56))]
    if peers is not None and peers.peers:
        parts += [_heading(labels.COCKPIT_PEERS), _lines(_peer_lines(peers), 28, 48)]
    note = "全年目标按全年数据判断" if ytd.period.last == 12 else "序时进度按各目标数据所属月份"
    parts.append(_lines([(f"单位：万元、亿元；同比为同口径；{note}", GREY)], 24, 40))
    issuer, written = describe_issuer(ytd.town, today)
    parts.append(_lines([(f"{issuer}　{written}", "#1d2733")], 28, 44))
    return (alt.vconcat(*parts, spacing=18).properties(padding=MARGIN, background="white")
            .configure(font=FONT).configure_view(strokeWidth=0).configure_concat(spacing=18))


def render_phone_image(ytd: YearToDate, today: dt.date, peers: PeersLine | None = None) -> bytes:
    """The image as PNG bytes, WIDTH pixels wide, dated `today` (the town's day), with the
    peer block when `peers` has peer figures."""
    import vl_convert as vlc

    from .briefing import _register_font

    _register_font()
    return vlc.vegalite_to_png(phone_image_chart(ytd, today, peers).to_dict(), scale=1)
