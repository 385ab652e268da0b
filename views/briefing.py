"""简报: the figures written up, with the charts as images and the whole as a Word document."""
import streamlit as st

from lakou_app.data import (
    current_town,
    load_briefing_pngs,
    load_county,
    load_evaluation,
    load_evaluation_years,
    load_peer,
    towns,
)
from lakou_app.print_style import apply_print_style
from lakou_app.ui import current_year, page_title, plain, stop_without_data
from lakou_metrics.compute.cockpit import compare_peers
from lakou_metrics.compute.evaluation import latest_evaluation_year
from lakou_metrics.output.briefing import build_docx
from lakou_metrics.output.phone_image import render_phone_image
from lakou_metrics.output.text import briefing_sections
from lakou_metrics.settings import load_timezone, town_today

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

apply_print_style()
selection, ytd = current_year()
when = selection.when
page_title("简报", selection)
stop_without_data(selection, ytd.figures)
st.markdown(f"**{current_town()}{when}工业经济运行情况分析**")
st.caption("简报按所选期间写出全镇（全部企业）情况，规上企业单列一句，不随“企业范围”切换。"
           "文中数字均由系统按同口径计算；缺少数据的句子自动省略。可下载 Word 文档编辑，或按 Ctrl+P 打印（A4）。")

evaluated = latest_evaluation_year(load_evaluation_years(), selection.period.year)
try:
    evaluation = None if evaluated is None else load_evaluation(evaluated)
except ValueError as refused:  # [evaluation] of the settings file: the briefing goes on without it
    st.warning(plain(str(refused)))
    evaluation = None
pngs = load_briefing_pngs(selection.period)
# The document is built when clicked, not on every rerun of the page.
# Downloads never rerun the page: a rerun while another download starts would cancel it.
with st.container(horizontal=True):
    st.download_button("下载 Word 文档（.docx）", lambda: build_docx(ytd, pngs, town_today(), evaluation),
                       f"{current_town()}{when}工业经济运行情况分析.docx", mime=DOCX, type="primary",
                       icon=":material/description:", key="briefing_docx", on_click="ignore")
    st.download_button("下载手机长图（PNG）", lambda: render_phone_image(ytd, town_today(), compare_peers(
        ytd, load_county(selection.period) if len(towns()) > 1 else None, load_peer(selection.period),
        zone=load_timezone())),
                       f"{current_town()}{when}工业经济简报（手机版）.png",
                       mime="image/png", icon=":material/smartphone:", key="briefing_phone", on_click="ignore",
                       help="一张约1080像素宽的长图：主要指标、落后序时的目标、重点项目、红色预警及原因、"
                            "各行业产值、同比与拉动、与周边乡镇比较，适合发到微信群")
for heading, paragraphs in briefing_sections(ytd, evaluation):
    st.subheader(heading)
    for paragraph in paragraphs:
        st.markdown(plain(paragraph))

st.subheader("图表（可下载 PNG，2 倍清晰度）")
for name, png in pngs.items():
    st.image(png, caption=name, width="stretch")
    st.download_button(f"下载 PNG：{name}", png, f"{current_town()}{when}_{name}.png", mime="image/png",
                       key=f"png_{name}", icon=":material/image:", on_click="ignore")
