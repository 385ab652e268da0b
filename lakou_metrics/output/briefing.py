"""The briefing: charts rendered to PNG on the server, a KPI strip image, and a Word document in a
plain government-report layout (A4, 仿宋 body, 黑体 headings), ready to edit.

Chinese in the images comes from the Noto Sans CJK font of the pinned noto-cjk-sans-otc package,
registered with vl-convert, so it renders on machines without any Chinese system font.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import threading

import altair as alt
import pandas as pd
import vl_convert as vlc

from ..compute.metrics import Ledger, compute_trend
from ..compute.report import YearToDate
from ..compute.targets import TargetRow
from ..domain import labels, style
from ..domain.numbers import format_10k, format_amount, format_percent, format_rate, format_short_of, is_missing
from ..domain.sectors import SECTOR_NAMES
from . import charts
from .text import briefing_sections, describe_schedule, describe_target, provisional_mark

PNG_WIDTH = 640  # CSS pixels of a chart in the briefing; images are drawn at 2x
_font_lock = threading.Lock()
_font_registered = False


def font_directory() -> str:
    """The folder of the project's CJK font (from the noto-cjk-sans-otc package)."""
    import noto_cjk_sans_otc

    return os.path.dirname(str(noto_cjk_sans_otc.FONT_PATH))


def _register_font() -> None:
    global _font_registered
    with _font_lock:
        if not _font_registered:
            vlc.register_font_directory(font_directory())
            _font_registered = True


def render_png(chart: alt.TopLevelMixin, scale: float = 2, width: int = PNG_WIDTH) -> bytes:
    """A chart as PNG bytes at `scale`, with the project's CJK font."""
    _register_font()
    spec = chart.properties(width=width).to_dict()
    return vlc.vegalite_to_png(spec, scale=scale)


def kpi_strip_chart(ytd: YearToDate) -> alt.Chart:
    """The overview's KPI cards as one image: figure, 同比 (green up, red down), and the target's
    verdict in its status colour, the same words and colours as the page (暂定 while enterprises
    have not reported)."""
    rows = []
    for i, (name, above) in enumerate((("工业总产值", False), ("规上工业产值", True))):
        agg, estimate = ytd.totals(above)
        target = ytd.headline_target(above)
        status = style.STATUSES[target.status] if target else style.UNKNOWN
        verdict = describe_completion(target)
        incomplete = f"（{labels.INCOMPLETE_SHORT.format(n=estimate.missing)}）" if estimate is not None else ""
        mark = provisional_mark(ytd, target) if verdict else ""
        rows.append({"i": i, "名称": f"{ytd.period.label()} {name}{incomplete}", "数值": format_10k(agg.value),
                     "同比": f"同比{format_rate(agg.yoy)}", "同比颜色": style.direction_colour(agg.yoy),
                     "完成": (verdict or "未设年度目标") + mark, "颜色": status.colour})
    data = pd.DataFrame(rows)
    base = alt.Chart(data).encode(x=alt.X("i:O", axis=None, scale=alt.Scale(paddingInner=0.08)))
    card = base.mark_bar(color="#f3f6fa", stroke="#c9d3df", cornerRadius=6).encode(
        y=alt.value(6), y2=alt.value(150))
    layers = [card,
              base.mark_text(fontSize=15, color="#5b6675").encode(text="名称:N", y=alt.value(30)),
              base.mark_text(fontSize=34, fontWeight="bold", color="#1d2733").encode(text="数值:N",
                                                                                   y=alt.value(72)),
              base.mark_text(fontSize=15).encode(text="同比:N", y=alt.value(108),
                                                 color=alt.Color("同比颜色:N", scale=None)),
              base.mark_text(fontSize=14).encode(text="完成:N", y=alt.value(134),
                                                 color=alt.Color("颜色:N", scale=None))]
    return (alt.layer(*layers).properties(height=156, title=charts._title(
        charts.chart_title(ytd.period.label(), "工业经济主要指标", ytd.town),
        "全部企业 · 单位：万元、亿元 · 同比为同口径"))
        .configure(font=charts.FONT).configure_view(strokeWidth=0).properties(background="white"))


def describe_completion(target: TargetRow | None) -> str | None:
    """The verdict under a card's 同比 (which states the growth already): 完成率 48.1%，略欠序时1.3个
    百分点 / 低于目标增速2.5个百分点 / 未完成全年目标（完成96.3%）; None without a verdict."""
    return describe_target(target, with_growth=False)


def briefing_charts(ytd: YearToDate, ledger: Ledger) -> dict[str, alt.Chart]:
    """The charts of a briefing, by file name (without extension). The briefing covers all
    enterprises (its text gives 规上 figures in their own sentences), and its charts say so."""
    when = ytd.period.label()
    trend = compute_trend(ledger, ytd.period.year, ytd.period.last, list(ytd.figures.enterprise_id))
    unit = "月度" if trend.attrs.get("granularity") == "month" else "季度"
    sectors = ytd.sectors
    found = {
        "主要指标": kpi_strip_chart(ytd),
        "产值走势": charts.trend_chart(trend, charts.chart_title(f"{ytd.period.year}年", f"{unit}产值与上年同期",
                                                                ytd.town),
                                   "全部企业 · 单位：万元"),
        "分行业产值": charts.sector_chart(sectors, charts.chart_title(when, "各行业产值", ytd.town),
                                     "全部企业 · 单位：万元 · 标注为产值与同比"),
        "行业拉动": charts.pull_chart(
            sectors.assign(name=sectors.sector.map(SECTOR_NAMES)).dropna(subset=["pull"]), "name",
            charts.chart_title(when, "各行业拉动全镇增长", ytd.town), "全部企业 · 单位：百分点"),
    }
    amount_targets = [t for t in ytd.targets if t.kind == "amount"]
    if amount_targets:
        what, subtitle = charts.targets_chart_words(ytd.period.last == 12)
        found["目标完成"] = charts.targets_chart(amount_targets, charts.chart_title(when, what, ytd.town), subtitle)
    return found


def render_briefing_pngs(ytd: YearToDate, ledger: Ledger) -> dict[str, bytes]:
    return {name: render_png(chart, width=900 if name == "主要指标" else PNG_WIDTH)
            for name, chart in briefing_charts(ytd, ledger).items()}


def kpi_rows(ytd: YearToDate) -> list[list[str]]:
    """The KPI table of the briefing: 指标, 累计, 同比, 完成率, 序时进度 (of the month each figure
    is for) and the verdict in words; with the whole year's figures the fifth column is the target
    itself. A growth target has no 完成率: its verdict is against its rate. While enterprises have not
    reported, a headline row says how many are missing, its verdict is 暂定, and the estimate
    including them follows in a row of its own. The colours are the page's (see build_docx)."""
    year_end = ytd.period.last == 12
    rows = [["指标", "累计完成", "同比", "完成年度目标", "年度目标" if year_end else "序时进度", "进度"]]
    for name, above in (("工业总产值", False), ("规上工业产值", True)):
        agg, estimate = ytd.totals(above)
        target = ytd.headline_target(above)
        incomplete = f"，{labels.INCOMPLETE_SHORT.format(n=estimate.missing)}" if estimate is not None else ""
        cells = _target_cells(target, year_end)
        if cells[-1] != "—":
            cells[-1] += provisional_mark(ytd, target)
        rows.append([f"{name}（{ytd.period.label_in_year()}{incomplete}）", format_10k(agg.value),
                     format_rate(agg.yoy), *cells])
        if estimate is not None and estimate.value is not None:
            rows.append([f"{name}{labels.WITH_ESTIMATE_ROW}", format_10k(estimate.value), "—", "—", "—", "—"])
    for t in _other_targets(ytd):
        rows.append([f"{t.name}（截至{t.as_of}月）", format_amount(t.actual, t.unit), "—", *_target_cells(t, year_end)])
    return rows


def _other_targets(ytd: YearToDate) -> list[TargetRow]:
    """The targets of the KPI table beside the two headline figures, those with a verdict: the other
    amount targets, and a headline figure's growth target when its amount target has its row."""
    headline = {id(ytd.headline_target(above)) for above in (False, True)}
    return [t for t in ytd.targets if id(t) not in headline and not is_missing(t.gap)
            and (t.kind == "growth" or t.indicator not in ("total_output", "above_scale_output"))]


def _target_cells(target: TargetRow | None, year_end: bool) -> list[str]:
    """完成年度目标, 序时进度 (the target with the whole year's figures) and the verdict of a KPI row."""
    if target is None:
        return ["—", "—", "—"]
    if year_end:
        fifth = format_percent(target.target) if target.kind == "growth" else format_amount(target.target, target.unit)
    else:
        fifth = format_percent(target.schedule)
    if is_missing(target.gap):
        verdict = "—"
    elif target.kind == "amount":  # its 完成率 is in its own column
        verdict = style.STATUSES[target.status].words if target.year_end else describe_schedule(target)
    else:
        verdict = describe_target(target, with_growth=False)
    return [format_short_of(target.completion), fifth, verdict]


def kpi_row_colours(ytd: YearToDate) -> list[list[str | None]]:
    """Hex colours for the cells of kpi_rows (None = default): 同比 by direction, 进度 by status."""
    colours: list[list[str | None]] = [[None] * 6]
    for agg, above in ((ytd.total, False), (ytd.above_scale, True)):
        target = ytd.headline_target(above)
        colours.append([None, None, style.direction_colour(agg.yoy), None, None,
                        style.STATUSES[target.status].colour if target else None])
        estimate = ytd.totals(above)[1]
        if estimate is not None and estimate.value is not None:
            colours.append([None] * 6)
    for t in _other_targets(ytd):
        colours.append([None] * 5 + [style.STATUSES[t.status].colour])
    return colours


def describe_issuer(town: str, day: dt.date) -> tuple[str, str]:
    """Who sends a briefing out and when (成文日期, no leading zeros): ("腊口镇人民政府", "2024年5月6日")."""
    return labels.ISSUER.format(town=town), labels.WRITTEN_ON.format(year=day.year, month=day.month, day=day.day)


def briefing_title(ytd: YearToDate) -> str:
    """The briefing's title: 腊口镇2024年1-3月工业经济运行情况分析."""
    return labels.BRIEFING_TITLE.format(town=ytd.town, period=ytd.period.label())


def build_docx(ytd: YearToDate, pngs: dict[str, bytes], today: dt.date, evaluation=None) -> bytes:
    """The briefing as a .docx in 公文 layout: title (方正小标宋, 宋体 where it is not installed), the
    KPI table (表1, its header row repeated on every page), the analysis, the charts (图1 …), and the
    issuer and date of writing; page numbers "— 1 —" centred in the footer; the document's properties
    name the town's office as author, the date of writing and the title. `today` is the date of
    writing, the town's day (settings.town_today), never the server's. `evaluation`: the 亩均效益评价
    the analysis reports (briefing_sections), None for none."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt, RGBColor

    def east_asian(run_or_style, name: str):
        r_pr = run_or_style.element.get_or_add_rPr()
        fonts = r_pr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = r_pr.makeelement(qn("w:rFonts"), {})
            r_pr.append(fonts)
        for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
            fonts.set(qn(attr), name)

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(16)  # 三号
    east_asian(normal, "仿宋_GB2312")
    normal.paragraph_format.line_spacing = Pt(28)
    _set_language(doc, "zh-CN")

    day = today
    heading_text = briefing_title(ytd)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = 1.0  # 二号 does not fit the body's exact 28pt
    run = title.add_run(heading_text)
    run.font.size = Pt(22)  # 二号
    east_asian(run, labels.TITLE_FONT)
    _name_fallback_font(doc, labels.TITLE_FONT, labels.TITLE_FONT_FALLBACK)
    dated = doc.add_paragraph()
    dated.alignment = WD_ALIGN_PARAGRAPH.CENTER
    dated_run = dated.add_run(labels.DATA_AS_OF.format(year=ytd.period.year, month=ytd.period.last))
    dated_run.font.size = Pt(14)
    east_asian(dated_run, "楷体_GB2312")

    caption = doc.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.keep_with_next = True
    caption_run = caption.add_run(labels.TABLE_CAPTION.format(n=1, name=labels.KPI_TABLE_NAME))
    caption_run.bold = True
    caption_run.font.size = Pt(12)
    east_asian(caption_run, "黑体")
    rows, colours = kpi_rows(ytd), kpi_row_colours(ytd)
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _repeat_header_row(table.rows[0]._tr)
    _set_cell_margins(table, Cm(_CELL_MARGIN_CM))
    widths = [Cm(w) for w in _KPI_WIDTHS_CM]
    for column, width in zip(table.columns, widths):
        column.width = width  # the grid (LibreOffice and WPS read this); each cell's width below (Word)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.width = widths[c]
            cell.text = ""
            cell.paragraphs[0].paragraph_format.line_spacing = 1.0
            for i, piece in enumerate(_split_name(value, _KPI_WIDTHS_CM[0]) if c == 0 else [value]):
                if i:  # the （…） on a line of its own
                    cell.paragraphs[0].add_run().add_break()
                run = cell.paragraphs[0].add_run(piece)
                run.font.size = Pt(10.5)  # 五号
                run.bold = r == 0
                if colours[r][c]:
                    run.font.color.rgb = RGBColor.from_string(colours[r][c].lstrip("#").upper())
                east_asian(run, "仿宋_GB2312")

    for heading, paragraphs in briefing_sections(ytd, evaluation):
        head = doc.add_paragraph()
        head.paragraph_format.keep_with_next = True  # a heading never ends a page alone
        head_run = head.add_run(heading)
        east_asian(head_run, "黑体")
        for text in paragraphs:
            body = doc.add_paragraph(text)
            body.paragraph_format.first_line_indent = Pt(32)  # two characters

    for number, (name, png) in enumerate(pngs.items(), start=1):
        picture = doc.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.line_spacing = 1.0  # the body's exact 28pt would clip the image
        picture.paragraph_format.keep_with_next = True  # the caption stays under its chart
        picture.add_run().add_picture(io.BytesIO(png), width=Cm(15.5))
        caption = doc.add_paragraph(labels.FIGURE_CAPTION.format(n=number, name=name))
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.runs[0].font.size = Pt(12)

    issuer, written = describe_issuer(ytd.town, day)
    for i, text in enumerate((issuer, written)):
        closing = doc.add_paragraph(text)
        closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        closing.paragraph_format.right_indent = Pt(64)  # 右空四字, as 公文 place the 落款
        if i == 0:
            closing.paragraph_format.space_before = Pt(28)  # one blank line under the body
            closing.paragraph_format.keep_with_next = True  # the issuer never parts from its date

    _add_page_numbers(section.footer.paragraphs[0], east_asian)
    _set_properties(doc.core_properties, heading_text, issuer, day)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# The KPI table's columns (cm) in 15.6 cm of text width at 五号 with 0.08 cm cell margins, sized on the
# widest rendering met (LibreOffice without 仿宋: 0.375 cm a CJK character, 0.2 cm a digit): each figure
# (9472.6万元, +189.1%, 99.96%) and a status (落后序时41.7个百分点) on one line; the header 完成年度目标 on two.
_KPI_WIDTHS_CM = (3.9, 2.3, 1.7, 1.5, 1.8, 4.4)
_CELL_MARGIN_CM = 0.08
_EM_CM = 0.375  # one CJK character at 五号, as wide as it is drawn


def _split_name(name: str, column_cm: float) -> list[str]:
    """An indicator as the lines of its cell: whole when it fits the column; else broken before its
    （…） when the name before it fits a line (工业总产值 | （1-9月）), so a period or 截至 is never
    split inside (（1-9 | 月）), and a （…） of two parts breaks after its ，(（1-12月， | 暂缺2家）);
    a name longer than a line wraps as it will."""
    room = (column_cm - 2 * _CELL_MARGIN_CM) / _EM_CM
    head, bracket, tail = name.partition("（")
    if not bracket or charts.text_ems(name) <= room or charts.text_ems(head) > room:
        return [name]
    first, comma, rest = (bracket + tail).partition("，")
    return [head, first + comma, rest] if comma else [head, first]


def _set_properties(properties, title: str, issuer: str, day: dt.date) -> None:
    """The document's own properties (File > Properties): not python-docx's defaults of 2013."""
    written = dt.datetime(day.year, day.month, day.day)
    properties.title = title
    properties.author = properties.last_modified_by = issuer
    properties.created = properties.modified = written
    properties.comments = ""
    properties.language = "zh-CN"
    properties.revision = 1


def _set_language(doc, tag: str) -> None:
    """The document's language for Latin and East Asian text (docDefaults in styles.xml; python-docx's
    template says en-US), so Word and WPS check and break lines as Chinese."""
    from docx.oxml.ns import qn

    r_pr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = r_pr.makeelement(qn("w:lang"), {})
        r_pr.append(lang)
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)


def _set_cell_margins(table, margin) -> None:
    """Left and right margins of every cell of `table` (tblCellMar; Word's default is 0.19 cm)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        edge = OxmlElement(side)
        edge.set(qn("w:w"), str(int(margin.twips)))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    tbl_pr = table._tbl.tblPr
    look = tbl_pr.find(qn("w:tblLook"))  # the schema puts tblCellMar before tblLook
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)


def _repeat_header_row(tr) -> None:
    """Mark a table row as its header, which Word, WPS and LibreOffice repeat at the top of each page
    the table runs onto (w:tblHeader); the row itself never splits across pages (w:cantSplit)."""
    from docx.oxml import OxmlElement

    tr_pr = tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        tr_pr.append(OxmlElement(tag))


def _add_page_numbers(paragraph, east_asian) -> None:
    """公文 page numbers in the footer: "— 1 —" centred, 四号 宋体, the number a PAGE field."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, after = labels.PAGE_NUMBER

    def add(text: str | None = None):
        run = paragraph.add_run(text or "")
        run.font.size = Pt(14)  # 四号
        east_asian(run, "宋体")
        return run

    add(before)
    for kind in ("begin", "instr", "separate", "number", "end"):
        run = add()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        elif kind == "number":  # what a reader shows before it updates the field
            run.text = "1"
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    add(after)


def _name_fallback_font(doc, font: str, fallback: str) -> None:
    """Name `fallback` as the font Word and WPS use where `font` is not installed (its altName in the
    document's font table), with the family and character set of a Chinese serif so that other
    readers substitute a 宋体-like face too."""
    from docx.oxml.ns import qn
    from lxml import etree

    part = next(rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable"))
    fonts = etree.fromstring(part.blob)
    entry = etree.SubElement(fonts, qn("w:font"), {qn("w:name"): font})
    for tag, value in (("w:altName", fallback), ("w:charset", "86"), ("w:family", "roman"), ("w:pitch", "variable")):
        etree.SubElement(entry, qn(tag), {qn("w:val"): value})
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)
