"""The briefing: sentences against hand-computed figures, the .docx, the PNGs, and Chinese that
renders with the project's own font when the machine has no Chinese font at all."""
import datetime as dt
import io
import json
import subprocess
import sys
import textwrap
from zoneinfo import ZoneInfo

import pytest
from cli_support import cli
from conftest import long_rows, process_env, refuse_in_check_lane, staff, write, xlsx_bytes
from PIL import Image

from lakou_metrics import importing
from lakou_metrics.compute.report import load_year_to_date
from lakou_metrics.domain.periods import Period
from lakou_metrics.output.briefing import build_docx, kpi_strip_chart, render_briefing_pngs, render_png
from lakou_metrics.output.text import briefing_sections, headline

SHANGHAI = ZoneInfo("Asia/Shanghai")
WRITTEN = dt.date(2024, 5, 6)  # the day a test's briefing is written, where the day does not matter

RECORDS = [(2023, 1, "甲", "五金", True, 100.0), (2023, 1, "乙", "光伏", False, 50.0),
           (2024, 1, "甲", "五金", True, 130.0), (2024, 1, "乙", "光伏", False, 60.0)]
TARGETS = [["年份", "指标", "单位", "年度目标"], [2024, "工业总产值", "万元", 1000]]


@pytest.fixture
def loaded(engine):
    importing.import_bytes(engine, xlsx_bytes({"2023": long_rows([r for r in RECORDS if r[0] == 2023])}), "a.xlsx",
                       period=Period.quarter(2023, 1), operator=staff())
    importing.import_bytes(engine, xlsx_bytes({"2024": long_rows([r for r in RECORDS if r[0] == 2024])}), "b.xlsx",
                       period=Period.quarter(2024, 1), operator=staff())
    importing.import_bytes(engine, xlsx_bytes({"目标": TARGETS}), "t.xlsx", operator=staff())
    return engine


def test_headline_with_the_figures_worked_out_by_hand(loaded):
    ytd, _ = load_year_to_date(loaded, Period.ytd(2024, 3))
    # 130 + 60 = 190 against 100 + 50 = 150: +26.7%; 190 / 1000 = 19.0% at 3/12 = 25%: 6.0 points behind
    assert headline(ytd) == ("2024年1-3月，全镇实现工业总产值190.0万元，同比增长26.7%，"
                             "完成年度目标的19.0%，落后序时6.0个百分点。")  # 6.0 > 5 points: 落后, as the card
    sections = dict(briefing_sections(ytd))
    sectors = sections["二、分行业情况"]
    # 五金 130 against 100: +30.0%, 68.4% of 190, pulls 30 / 150 = 20.0 points
    assert "五金行业产值130.0万元，同比增长30.0%，占全镇68.4%，拉动全镇增长20.0个百分点。" in sectors
    assert "规模以上工业产值130.0万元，同比增长30.0%；规上企业1家。" in sections["一、总体情况"]


def test_sentences_without_data_are_left_out(engine):
    importing.import_bytes(engine, xlsx_bytes({"2024": long_rows([r for r in RECORDS if r[0] == 2024])}), "b.xlsx",
                       period=Period.quarter(2024, 1), operator=staff())
    ytd, _ = load_year_to_date(engine, Period.ytd(2024, 3))
    assert headline(ytd) == "2024年1-3月，全镇实现工业总产值190.0万元。"
    text = "".join(p for _, paragraphs in briefing_sections(ytd) for p in paragraphs)
    assert "同比" not in text and "目标" not in text and "0.0%" not in text


def test_no_data_no_briefing(engine):
    ytd, _ = load_year_to_date(engine, Period.ytd(2024, 3))
    assert headline(ytd) is None and briefing_sections(ytd) == []


@pytest.mark.images
def test_docx_has_the_headline_table_and_images(loaded):
    from docx import Document

    ytd, ledger = load_year_to_date(loaded, Period.ytd(2024, 3))
    pngs = render_briefing_pngs(ytd, ledger)
    document = Document(io.BytesIO(build_docx(ytd, pngs, WRITTEN)))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "腊口镇2024年1-3月工业经济运行情况分析"
    assert headline(ytd) in texts
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[0][0] == "指标" and rows[1][:3] == ["工业总产值（1-3月）", "190.0万元", "+26.7%"]
    assert rows[1][3] == "19.0%" and rows[1][4] == "25.0%"
    assert len(document.inline_shapes) == len(pngs) >= 4
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


@pytest.mark.images
def test_the_evaluation_section_only_with_evaluation_data(loaded):
    from docx import Document
    from test_evaluation import FIRST_REPORTS, STORED_2022, STORED_2023

    from lakou_metrics.compute.evaluation import evaluate_stored

    ytd, ledger = load_year_to_date(loaded, Period.ytd(2024, 3))
    without = [heading for heading, _ in briefing_sections(ytd)]
    assert not any("亩均效益评价" in h for h in without)
    result = evaluate_stored(STORED_2023, FIRST_REPORTS, 2023, last_rows=STORED_2022)
    sections = briefing_sections(ytd, result)
    headings = [h for h, _ in sections]
    (heading,) = [h for h in headings if h.endswith("、亩均效益评价")]
    # Before 存在问题 and 下步工作建议 when the briefing has them, numbered in turn.
    assert [h.split("、")[1] for h in headings] == [h.split("、")[1] for h in without if "问题" not in h and
                                                    "建议" not in h] + ["亩均效益评价"] + [
        h.split("、")[1] for h in without if "问题" in h or "建议" in h]
    # E1 C→A and E2 A→C (tests/test_evaluation.py test_count_grades_and_the_largest_moves_first); E3, E5 unrated.
    paragraph = ("2023年度亩均效益评价：规下企业参评3家，A类1家、D类0家；另有2家不参评（没有用地面积或当年新投产）。"
                 "与2022年度相比，升档1家、降档1家，变动较大的有：E1（C类→A类，升档）、E2（A类→C类，降档）。")
    assert dict(sections)[heading] == [paragraph]
    document = Document(io.BytesIO(build_docx(ytd, render_briefing_pngs(ytd, ledger), WRITTEN, result)))
    texts = [p.text for p in document.paragraphs]
    assert texts[texts.index(heading) + 1] == paragraph


@pytest.mark.images
def test_docx_is_what_an_office_sends_out(loaded):
    """Properties, 公文 page numbers, the KPI table first with its header repeated, numbered captions,
    the title's font and its named fallback, and the issuer and date at the end."""
    import zipfile

    from docx import Document
    from docx.oxml.ns import qn

    ytd, ledger = load_year_to_date(loaded, Period.ytd(2024, 3))
    pngs = render_briefing_pngs(ytd, ledger)
    produced = build_docx(ytd, pngs, today=dt.date(2024, 5, 6))
    document = Document(io.BytesIO(produced))

    props = document.core_properties
    assert props.title == "腊口镇2024年1-3月工业经济运行情况分析"
    assert props.author == props.last_modified_by == "腊口镇人民政府"
    assert props.created == props.modified == dt.datetime(2024, 5, 6, tzinfo=dt.timezone.utc)
    assert "python-docx" not in f"{props.author}{props.comments}{props.title}"

    footer = document.sections[0].footer.paragraphs[0]
    assert footer.alignment == 1  # centred
    xml = footer._p.xml
    assert footer.text == "— 1 —"  # the dashes around the field's placeholder number
    assert [c.get(qn("w:fldCharType")) for c in footer._p.iter(qn("w:fldChar"))] == ["begin", "separate", "end"]
    assert "".join(t.text for t in footer._p.iter(qn("w:instrText"))).strip() == "PAGE"
    assert "fldSimple" not in xml

    body = document.element.body
    first_table = body.index(document.tables[0]._tbl)
    sections_start = next(i for i, p in enumerate(document.paragraphs) if p.text == "一、总体情况")
    assert first_table < body.index(document.paragraphs[sections_start]._p)  # the table before the analysis
    header_props = document.tables[0].rows[0]._tr.trPr
    assert header_props is not None and header_props.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr is None or r._tr.trPr.find(qn("w:tblHeader")) is None for r in document.tables[0].rows[1:])

    texts = [p.text for p in document.paragraphs]
    # 截至 a point in time: the month the data reach, not the span the title names
    assert texts[:3] == ["腊口镇2024年1-3月工业经济运行情况分析", "（数据截至2024年3月）", "表1　主要指标"]
    figures = [t for t in texts if t.startswith("图")]
    assert figures == [f"图{n}　{name}" for n, name in enumerate(pngs, start=1)] and len(figures) >= 4
    assert texts[-2:] == ["腊口镇人民政府", "2024年5月6日"]
    assert document.paragraphs[-1].alignment == document.paragraphs[-2].alignment == 2  # right

    title_fonts = document.paragraphs[0].runs[0]._r.rPr.rFonts
    assert title_fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    with zipfile.ZipFile(io.BytesIO(produced)) as package:
        font_table = package.read("word/fontTable.xml").decode()
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in font_table
    # The document's language is Chinese for Latin and East Asian text alike (python-docx says en-US).
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = defaults.find(qn("w:lang"))
    assert (lang.get(qn("w:val")), lang.get(qn("w:eastAsia"))) == ("zh-CN", "zh-CN")
    # KPI columns as wide as the text (156 mm: A4 less 28 and 26 mm margins), the cells' margins 0.08 cm
    grid = [c.width.cm for c in document.tables[0].columns]
    assert sum(grid) == pytest.approx(15.6, abs=0.01)


def test_the_phone_image_closes_with_the_issuer_and_date(loaded):
    from lakou_metrics.output.phone_image import phone_image_chart

    ytd, _ = load_year_to_date(loaded, Period.ytd(2024, 3))
    spec = json.dumps(phone_image_chart(ytd, today=dt.date(2024, 5, 6)).to_dict(), ensure_ascii=False)
    assert "腊口镇人民政府　2024年5月6日" in spec


@pytest.mark.images
def test_pngs_are_images_of_the_expected_size(loaded):
    ytd, ledger = load_year_to_date(loaded, Period.ytd(2024, 3))
    png = render_png(kpi_strip_chart(ytd), scale=2, width=900)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    # 2x of a 900-pixel-wide chart plus its padding
    assert 1800 <= image.width <= 1900 and image.height > 300
    assert image.convert("L").getextrema()[0] < 60  # something dark was drawn


RENDER = textwrap.dedent("""
    import hashlib, io, sys
    import altair as alt, pandas as pd, vl_convert
    from lakou_metrics.output import briefing, charts
    chart = alt.Chart(pd.DataFrame({"t": ["腊口镇工业总产值"]})).mark_text(fontSize=40, font=charts.FONT).encode(text="t")
    if sys.argv[1] == "project":
        png = briefing.render_png(chart, width=400)
    else:  # the same chart without the project's font
        png = vl_convert.vegalite_to_png(chart.properties(width=400).to_dict(), scale=2)
    sys.stdout.buffer.write(png)
""")


def render(mode: str, tmp_path, hide_system_fonts: bool) -> bytes:
    """PNG bytes of a Chinese label, rendered in a fresh process; with `hide_system_fonts`, in a
    private mount namespace where /usr/share/fonts is an empty folder."""
    script = tmp_path / "render.py"
    script.write_text(RENDER, encoding="utf-8")
    command = [sys.executable, str(script), mode]
    if hide_system_fonts:
        empty = tmp_path / "no-fonts"
        empty.mkdir(exist_ok=True)
        command = ["unshare", "-r", "-m", "sh", "-c",
                   f"mount --bind {empty} /usr/share/fonts && exec {sys.executable} {script} {mode}"]
    refuse_in_check_lane("a Python process of its own", "processes")
    result = subprocess.run(command, capture_output=True, env=process_env(HOME=str(tmp_path)), timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


@pytest.mark.processes
def test_chinese_renders_with_the_projects_font_when_the_machine_has_none(tmp_path):
    with_system = render("control", tmp_path, hide_system_fonts=False)  # Debian's Noto CJK
    without_any = render("control", tmp_path, hide_system_fonts=True)  # boxes for every character
    ours_alone = render("project", tmp_path, hide_system_fonts=True)
    assert with_system != without_any  # the check can tell glyphs from boxes
    assert ours_alone == with_system  # the project's font draws exactly the real glyphs


@pytest.mark.images
def test_briefing_command(tmp_path):
    db = tmp_path / "b.db"
    path = write(tmp_path, "a.xlsx", xlsx_bytes({"s": long_rows(RECORDS)}))
    assert cli("import", str(path), db=db).returncode == 0
    out, pngs = tmp_path / "简报.docx", tmp_path / "png"
    image = tmp_path / "手机.png"
    result = cli("briefing", "--year", "2024", "--through", "M01", "--out", str(out), "--png", str(pngs),
                 "--image", str(image), db=db)
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 10_000
    assert Image.open(image).size[0] == 1080
    names = sorted(p.name for p in pngs.iterdir())
    assert "2024年1月_主要指标.png" in names and len(names) >= 4
    empty = cli("briefing", "--year", "2019", "--through", "M01", "--out", str(tmp_path / "x.docx"), db=db)
    assert empty.returncode == 1 and "没有数据" in empty.stderr


DECLINE = [(2023, 1, "甲", "五金", True, 200.0), (2024, 1, "甲", "五金", True, 150.0)]
# 150 of 1000 at 3/12: completion 15.0%, 10.0 points behind (the default cut is 5 points: 落后序时)
DECLINE_TARGETS = [["年份", "指标", "单位", "年度目标"], [2024, "工业总产值", "万元", 1000]]


@pytest.mark.images
def test_a_decline_and_a_lag_look_the_same_in_the_image_and_in_word(engine):
    from docx import Document

    from lakou_metrics.domain import style

    importing.import_bytes(engine, xlsx_bytes({"2023": long_rows(DECLINE[:1])}), "a.xlsx", period=Period.quarter(2023, 1),
                           operator=staff())
    importing.import_bytes(engine, xlsx_bytes({"2024": long_rows(DECLINE[1:])}), "b.xlsx", period=Period.quarter(2024, 1),
                           operator=staff())
    importing.import_bytes(engine, xlsx_bytes({"目标": DECLINE_TARGETS}), "t.xlsx", operator=staff())
    ytd, ledger = load_year_to_date(engine, Period.ytd(2024, 3))
    strip = kpi_strip_chart(ytd).to_dict()
    (card,) = [r for r in next(iter(strip["datasets"].values())) if r["名称"].endswith("工业总产值")]
    assert card["同比"] == "同比-25.0%"  # 150 against 200, written as everywhere else (no space)
    assert card["同比颜色"] == style.DOWN  # the page's red down-arrow colour, not blue or green
    assert card["完成"] == "完成率15.0%，落后序时10.0个百分点"
    assert card["颜色"] == style.BEHIND.colour
    document = Document(io.BytesIO(build_docx(ytd, render_briefing_pngs(ytd, ledger), WRITTEN)))
    row = document.tables[0].rows[1].cells
    assert row[2].text == "-25.0%" and row[5].text == "落后序时10.0个百分点"
    assert str(row[2].paragraphs[0].runs[-1].font.color.rgb) == style.DOWN.lstrip("#").upper()
    assert str(row[5].paragraphs[0].runs[-1].font.color.rgb) == style.BEHIND.colour.lstrip("#").upper()
    assert "同比下降25.0%" in headline(ytd)


@pytest.mark.images
def test_the_phone_image_carries_the_period_and_is_phone_wide(loaded):
    from lakou_metrics.output.phone_image import WIDTH, phone_image_chart, render_phone_image

    ytd, _ = load_year_to_date(loaded, Period.ytd(2024, 3))
    spec = json.dumps(phone_image_chart(ytd, WRITTEN).to_dict(), ensure_ascii=False)
    assert "2024年1-3月 · 全部企业" in spec and "腊口镇" in spec
    # 190 of 1000 at 3/12: 19.0% against 25%, 6.0 points behind; growth +26.7% (test_headline… by hand)
    assert "完成率19.0%，落后序时6.0个百分点" in spec and "同比+26.7%" in spec and "同比 " not in spec
    width, height = Image.open(io.BytesIO(render_phone_image(ytd, WRITTEN))).size
    assert width == WIDTH == 1080 and height > width


# 2023 Q1 150, 2024 Q1 190 (RECORDS): +26.7%, against a growth target of +30%: 3.3 points short.
GROWTH_TARGETS = [["年份", "指标", "单位", "年度目标"], [2024, "工业总产值同比增长", "%", 30]]


@pytest.mark.images
def test_a_growth_target_says_growth_on_every_output(engine):
    from docx import Document

    from lakou_metrics.domain import style
    from lakou_metrics.output.phone_image import phone_image_chart

    importing.import_bytes(engine, xlsx_bytes({"2023": long_rows([r for r in RECORDS if r[0] == 2023])}), "a.xlsx",
                           period=Period.quarter(2023, 1), operator=staff())
    importing.import_bytes(engine, xlsx_bytes({"2024": long_rows([r for r in RECORDS if r[0] == 2024])}), "b.xlsx",
                           period=Period.quarter(2024, 1), operator=staff())
    importing.import_bytes(engine, xlsx_bytes({"目标": GROWTH_TARGETS}), "t.xlsx", operator=staff())
    ytd, ledger = load_year_to_date(engine, Period.ytd(2024, 3))
    short = f"低于目标增速{(0.30 - 190 / 150 + 1) * 100:.1f}个百分点"
    assert short == "低于目标增速3.3个百分点"
    assert headline(ytd) == f"2024年1-3月，全镇实现工业总产值190.0万元，同比增长26.7%，{short}。"
    strip = kpi_strip_chart(ytd).to_dict()
    (card,) = [r for r in next(iter(strip["datasets"].values())) if r["名称"].endswith("工业总产值")]
    assert card["完成"] == short and card["颜色"] == style.GROWTH_SHORT.colour
    spec = json.dumps(phone_image_chart(ytd, WRITTEN).to_dict(), ensure_ascii=False)
    assert short in spec and "完成率" not in spec and "序时" not in spec.replace("序时进度按各目标数据所属月份", "")
    document = Document(io.BytesIO(build_docx(ytd, render_briefing_pngs(ytd, ledger), WRITTEN)))
    row = [c.text for c in document.tables[0].rows[1].cells]
    assert row[2:] == ["+26.7%", "—", "—", short]  # no 完成率, no 序时进度 of an implied amount


# The whole of 2023 and 2024 month by month (equal months): 1200 and 1156 for 甲 (规上).
YEARS = [(y, m, "甲", "五金", True, total / 12) for y, total in ((2023, 1200.0), (2024, 1156.0)) for m in range(1, 13)]


@pytest.mark.images
def test_at_the_years_end_the_image_and_word_say_met_or_missed(engine):
    from docx import Document

    from lakou_metrics.output.phone_image import phone_image_chart

    importing.import_bytes(engine, xlsx_bytes({"逐月": long_rows(YEARS)}), "a.xlsx", operator=staff())
    importing.import_bytes(engine, xlsx_bytes({"目标": [["年份", "指标", "单位", "年度目标"],
                                                       [2024, "工业总产值", "万元", 1200]]}), "t.xlsx", operator=staff())
    ytd, ledger = load_year_to_date(engine, Period.ytd(2024, 12))
    words = f"未完成全年目标（完成{1156 / 1200 * 100:.1f}%）"
    assert words == "未完成全年目标（完成96.3%）"
    spec = json.dumps(phone_image_chart(ytd, WRITTEN).to_dict(), ensure_ascii=False)
    assert words in spec and "序时" not in spec
    document = Document(io.BytesIO(build_docx(ytd, render_briefing_pngs(ytd, ledger), WRITTEN)))
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[0][4] == "年度目标" and rows[1][3:] == ["96.3%", "1200.0万元", "未完成全年目标"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert words in text and "序时" not in text and "其余" not in text


def test_an_incomplete_period_is_marked_everywhere_with_its_estimate_apart():
    from docx import Document

    from lakou_metrics.output.phone_image import phone_image_chart

    ytd = _town_year_to_date(10, {"total_output": 5000.0})
    # Reported 2200 (甲 1100, 乙 600, 新厂 500) on 1500; 丙 and 丁 (1000 in 1-10月 last year) missing,
    # estimated at the growth of 甲 and 乙 (1700 on 1500).
    estimate = 2200 + 1000 * 1700 / 1500
    growth = 2200 / 1500 - 1
    line = headline(ytd)
    assert line.startswith(f"2024年1-10月，全镇实现工业总产值2200.0万元（已报送 3/5 家，暂缺2家，不完整；"
                           f"含估算约{estimate:.1f}万元），同比增长{growth * 100:.1f}%，完成年度目标的44.0%")
    assert line.index("完成年度目标") < line.index("（暂定）")
    assert line.endswith(f"其中新投产企业1家，产值500.0万元，占全镇{500 / 2200 * 100:.1f}%，"
                         f"剔除后存量企业同比增长{(1700 / 1500 - 1) * 100:.1f}%。")
    overall = " ".join(dict(briefing_sections(ytd))["一、总体情况"])
    assert (f"含估算约{estimate:.1f}万元：2家未报送企业按各自上年同期×已报送存量企业同口径增速"
            f"{(1700 / 1500 - 1) * 100:.1f}%估算") in overall
    spec = json.dumps(phone_image_chart(ytd, WRITTEN).to_dict(), ensure_ascii=False)
    assert f"已报送 3/5 家，暂缺2家，不完整；含估算约{estimate:.1f}万元" in spec and "（暂定）" in spec
    strip = next(iter(kpi_strip_chart(ytd).to_dict()["datasets"].values()))
    card = next(r for r in strip if "工业总产值" in r["名称"] and "规上" not in r["名称"])
    assert card["名称"] == "2024年1-10月 工业总产值（暂缺2家）" and card["完成"].endswith("（暂定）")
    rows = [[c.text for c in r.cells] for r in Document(io.BytesIO(build_docx(ytd, {}, WRITTEN))).tables[0].rows]
    # The name breaks before its （…） and after its ，, never inside 1-10月
    assert rows[1][0] == "工业总产值\n（1-10月，\n暂缺2家）" and rows[1][1] == "2200.0万元" and rows[1][5].endswith("（暂定）")
    assert rows[2][:2] == ["工业总产值\n（含估算，\n仅供参考）", f"{estimate:.1f}万元"]


def test_an_amount_and_a_growth_target_each_say_their_verdict(engine):
    from docx import Document

    from lakou_metrics.output.phone_image import phone_image_chart

    importing.import_bytes(engine, xlsx_bytes({"2023": long_rows([r for r in RECORDS if r[0] == 2023])}), "a.xlsx",
                           period=Period.quarter(2023, 1), operator=staff())
    importing.import_bytes(engine, xlsx_bytes({"2024": long_rows([r for r in RECORDS if r[0] == 2024])}), "b.xlsx",
                           period=Period.quarter(2024, 1), operator=staff())
    importing.import_bytes(engine, xlsx_bytes({"目标": [*GROWTH_TARGETS, [2024, "工业总产值", "万元", 1000]]}), "t.xlsx",
                           operator=staff())
    ytd, ledger = load_year_to_date(engine, Period.ytd(2024, 3))
    # 190 of 1000 = 19.0% against 25.0%: 6.0 points behind; +26.7% against +30%: 3.3 points short.
    amount, short = "完成率19.0%，落后序时6.0个百分点", "低于目标增速3.3个百分点"
    spec = json.dumps(phone_image_chart(ytd, WRITTEN).to_dict(), ensure_ascii=False)
    assert amount in spec and short in spec
    rows = [[c.text for c in r.cells] for r in Document(io.BytesIO(build_docx(ytd, {}, WRITTEN))).tables[0].rows]
    assert rows[1][3:] == ["19.0%", "25.0%", "落后序时6.0个百分点"]
    (growth,) = [r for r in rows if r[0].startswith("工业总产值同比增长")]
    assert growth[1] == "+26.7%" and growth[-1] == short


def _town_year_to_date(through: int, goals: dict):
    import pandas as pd
    from test_metrics import TOWN

    from lakou_metrics.compute.metrics import Ledger
    from lakou_metrics.compute.report import compute_year_to_date

    return compute_year_to_date(Ledger(TOWN), Period.ytd(2024, through), goals,
                                pd.DataFrame(columns=["indicator", "last_month", "actual"]), {})


def test_a_target_judged_on_a_partial_total_asks_no_pace_of_the_remaining_months():
    from lakou_metrics.output.text import problems_and_suggestions

    # 1-10月: 2200 reported of 5000 (44.0% against 83.3%), 丙 and 丁 missing: behind, but 暂定, and
    # no growth is asked of November and December on a total that lacks two enterprises.
    problems, suggestions = problems_and_suggestions(_town_year_to_date(10, {"total_output": 5000.0}))
    (point,) = [p for p in problems if "工业总产值" in p]
    assert "（暂定）" in point and "待报齐后再核算" in point
    assert "其余" not in point.replace("其余月份所需进度待报齐", "") and "还需完成" not in point
    assert not any("工业总产值" in s for s in suggestions)


def test_a_scale_target_is_provisional_only_when_scale_enterprises_are_missing():
    from lakou_metrics.compute.report import summary_json
    from lakou_metrics.output.text import provisional_mark

    # 1-3月: only 丁 (规下) owes March; every 规上 enterprise has reported.
    ytd = _town_year_to_date(3, {"total_output": 5000.0, "above_scale_output": 4000.0})
    targets = {t.indicator: t for t in ytd.targets}
    assert provisional_mark(ytd, targets["total_output"]) == "（暂定）"
    assert provisional_mark(ytd, targets["above_scale_output"]) == ""
    got = {t["indicator"]: t["provisional"] for t in summary_json(ytd, "M03")["targets"]}
    assert got == {"total_output": True, "above_scale_output": False}
    assert summary_json(ytd, "M03")["above_scale"]["provisional"] is False


def test_the_phone_image_says_why_each_red_enterprise_is_red_each_sectors_growth_and_the_peers(engine):
    import pandas as pd

    from lakou_metrics.compute.cockpit import compare_peers
    from lakou_metrics.output.phone_image import phone_image_chart

    importing.import_bytes(engine, xlsx_bytes({"2023": long_rows(DECLINE[:1])}), "a.xlsx", period=Period.quarter(2023, 1),
                           operator=staff())
    importing.import_bytes(engine, xlsx_bytes({"2024": long_rows(DECLINE[1:])}), "b.xlsx", period=Period.quarter(2024, 1),
                           operator=staff())
    ytd, _ = load_year_to_date(engine, Period.ytd(2024, 3))
    lines = _image_lines(phone_image_chart(ytd, WRITTEN))
    # 甲 150 against 200: -25.0%, past the red cut of -20%; the reason follows its name.
    assert lines[lines.index("甲") + 1].strip("　") == "同比下降：累计同比-25.0%"
    assert "五金  150.0万元，同比-25.0%" in lines
    assert "周边乡镇" not in lines  # no peer figures: no empty block
    # No projects recorded for 2024: said as 总览 says it, not dropped.
    assert lines[lines.index("重点项目") + 1] == "2024年没有录入重点项目"
    # 温溪镇 entered as 300万元, +10.0%: 150 less, and -25.0 - 10.0 = 35.0 points lower.
    entered = pd.DataFrame({"town": ["温溪镇", "温溪镇"], "indicator": ["total_output", "total_output_growth"],
                            "value": [300.0, 0.10], "file_name": "对比.xlsx", "imported_at": "2024-04-20T10:00:00"})
    lines = _image_lines(phone_image_chart(ytd, WRITTEN, compare_peers(ytd, None, entered, zone=SHANGHAI)))
    block = lines[lines.index("周边乡镇") + 1:]
    assert [line.strip("　") for line in block[:3]] == [
        "温溪镇：300.0万元，同比+10.0%", "腊口镇产值少150.0万元，增速低35.0个百分点", "对比数据：对比.xlsx，2024年4月20日导入"]  # the date as documents write it


def _image_lines(chart) -> list[str]:
    """The phone image's lines of text, top to bottom."""
    return [row["text"] for part in chart.to_dict()["vconcat"]
            for row in chart.to_dict()["datasets"].get(part.get("data", {}).get("name"), []) if "text" in row]


def test_the_phone_image_writes_a_peer_whatever_its_name_and_only_the_gaps_known():
    """A peer town written "温溪镇；工业园" in the comparison sheet (the image used to cut each peer
    line at "；" and fail), and one with no figures: its name and dashes, no gap line."""
    import pandas as pd
    from test_cockpit import ROWS, _ytd

    from lakou_metrics.compute.cockpit import compare_peers
    from lakou_metrics.output.phone_image import phone_image_chart

    ytd = _ytd(ROWS, 2024, 6)  # 180 万元, 同比 −10.0%
    entered = pd.DataFrame({"town": ["温溪镇；工业园", "船寮镇"], "indicator": ["total_output", "total_output_growth"],
                            "value": [500.0, None], "file_name": "对比.xlsx", "imported_at": "2024-07-03T02:00:00+00:00"})
    lines = _image_lines(phone_image_chart(ytd, WRITTEN, compare_peers(ytd, None, entered, zone=SHANGHAI)))
    block = [line.strip("　") for line in lines[lines.index("周边乡镇") + 1:]]
    assert block[:4] == ["温溪镇；工业园：500.0万元，同比—", "腊口镇产值少320.0万元", "船寮镇：—，同比—",
                         "对比数据：对比.xlsx，2024年7月3日导入"]


@pytest.fixture
def server_far_behind_the_town(tmp_path, monkeypatch):
    """The server's clock in UTC−12 and the town's zone ([display] timezone) in UTC+14: their dates
    differ at every hour of the day. Yields the town's date."""
    import time

    from lakou_metrics.settings import town_today

    settings = tmp_path / "settings.toml"
    settings.write_text('[display]\ntimezone = "Pacific/Kiritimati"\n', encoding="utf-8")
    monkeypatch.setenv("LAKOU_SETTINGS", str(settings))
    monkeypatch.setenv("TZ", "Etc/GMT+12")
    time.tzset()
    try:
        assert town_today() != dt.date.today()  # the fixture can tell the two days apart
        yield town_today()
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.images
def test_the_briefing_command_dates_the_word_file_on_the_towns_day(server_far_behind_the_town, tmp_path):
    """`briefing` writes the Word file's date (its last line and its properties) on the town's day,
    not the server's: on a server in UTC, a briefing written at 7:00 in 腊口 was dated the day before."""
    from docx import Document

    from lakou_metrics import store
    from lakou_metrics.cli import main

    db = tmp_path / "b.db"
    importing.import_bytes(store.open_database(db), xlsx_bytes({"s": long_rows(RECORDS)}), "a.xlsx", operator=staff())
    out = tmp_path / "简报.docx"
    assert main(["briefing", "--year", "2024", "--through", "M01", "--out", str(out), "--db", str(db)]) == 0
    day = server_far_behind_the_town
    document = Document(str(out))
    assert document.paragraphs[-1].text == f"{day.year}年{day.month}月{day.day}日"
    assert document.core_properties.created.date() == day


def test_the_phone_image_writes_every_sector_in_one_unit():
    import pandas as pd

    from lakou_metrics.output.phone_image import _sector_lines

    sectors = pd.DataFrame({"sector": ["photovoltaic", "metals"], "value_10k": [9472.6, 15052.3],
                            "yoy": [1.891, 0.085]})
    # The largest is 1.51亿元, so 9472.6万元 is written 0.95亿元 (half up at the hundredth of 亿).
    assert [text for text, _ in _sector_lines(sectors)] == ["金属加工  1.51亿元，同比+8.5%",
                                                           "光伏  0.95亿元，同比+189.1%"]
    small = pd.DataFrame({"sector": ["hardware"], "value_10k": [150.0], "yoy": [-0.25]})
    assert [text for text, _ in _sector_lines(small)] == ["五金  150.0万元，同比-25.0%"]



def test_the_phone_image_names_a_rule_only_where_its_finding_does_not_say_it():
    import pandas as pd

    from lakou_metrics.output.phone_image import _red_lines

    red = pd.DataFrame({"name": ["甲", "甲"], "rule": ["decline", "behind_target"], "value": [-0.253, -0.252],
                        "usual": [None, None], "usual_from": [None, None]})
    assert [text.strip("　") for text, _ in _red_lines(red)] == [
        "甲", "同比下降：累计同比-25.3%", "完成率落后序时进度25.2个百分点"]
