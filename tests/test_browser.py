"""The app in Debian's Chromium, driven by Playwright: every page opens, finishes, shows no error.

Screenshots go to test-output/ for a person to look at.
"""
import pytest
from browser_support import FINISHED, OUTPUT, open_page

pytestmark = pytest.mark.browser


PAGES = {"overview": ("", 4), "sectors": ("sectors", 2), "enterprises": ("enterprises", 1),
         "targets": ("targets", 1), "warnings": ("warnings", 0), "data": ("data", 0),
         "evaluation": ("evaluation", 0), "briefing": ("briefing", 0)}


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders_without_error(browser, app_url, name):
    # One desktop size: the layout changes only below 768 px (the phone tests), so a second
    # desktop size drew the same page again.
    width, height = 1400, 900
    path, charts = PAGES[name]
    page = open_page(browser, f"{app_url}/{path}", {"width": width, "height": height})
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "数据管理" in page.inner_text("body")
    drawn = page.locator('[data-testid="stVegaLiteChart"]')
    assert drawn.count() == charts
    for i in range(charts):
        # vega-embed draws into a canvas (or svg) once the spec compiled and rendered.
        drawn.nth(i).locator("canvas, svg").first.wait_for(state="attached", timeout=30_000)
    OUTPUT.mkdir(exist_ok=True)
    # The main area scrolls inside the page: a tall viewport captures it whole.
    page.set_viewport_size({"width": width, "height": max(height, page.evaluate(
        "document.querySelector('[data-testid=\\'stMain\\']').scrollHeight"))})
    page.wait_for_function(FINISHED, timeout=60_000)
    page.screenshot(path=str(OUTPUT / f"{name}-{width}x{height}.png"), full_page=True)
    page.close()


def test_chart_png_download_is_complete_and_tables_offer_no_raw_csv(browser, app_url):
    """Leaders paste the chart PNG into reports: it must carry its own title. Streamlit's raw CSV
    export is switched off (it would write a name like "=HYPERLINK(…)" as a live formula)."""
    from PIL import Image

    page = open_page(browser, app_url, accept_downloads=True)
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.scroll_into_view_if_needed()
    chart.hover()
    frame = chart.locator("xpath=ancestor::*[@data-testid='stFullScreenFrame'][1]")
    with page.expect_download(timeout=30_000) as download:
        # The toolbar sits over the chart's top corner, where the chart's own canvas may take the
        # pointer: send the click to the button itself.
        frame.get_by_label("Download as PNG").dispatch_event("click")
    OUTPUT.mkdir(exist_ok=True)
    path = OUTPUT / "overview-chart-download.png"
    download.value.save_as(path)
    image = Image.open(path).convert("L")
    width, height = image.size
    assert width >= 400 and height >= 250
    # The title is drawn inside the image: dark pixels in its top band, on a white background.
    top = image.crop((0, 0, width, 40))
    assert top.getextrema()[0] < 80 and image.getpixel((width - 2, height - 2)) > 240
    page.locator('[data-testid="stDataFrame"]').first.hover()
    assert page.get_by_label("Download as CSV").count() == 0
    page.close()


def test_briefing_prints_without_sidebar_and_buttons(browser, app_url):
    page = open_page(browser, f"{app_url}/briefing")
    page.get_by_text("一、总体情况", exact=True).wait_for(timeout=60_000)
    assert page.locator('[data-testid="stSidebar"]').is_visible()
    page.emulate_media(media="print")
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert not page.locator('[data-testid="stDownloadButton"]').first.is_visible()
    assert page.get_by_text("一、总体情况", exact=True).is_visible()
    OUTPUT.mkdir(exist_ok=True)
    page.pdf(path=str(OUTPUT / "briefing-print.pdf"), format="A4")
    assert (OUTPUT / "briefing-print.pdf").stat().st_size > 10_000
    page.close()


def test_briefing_word_document_downloads(browser, app_url, tmp_path):
    from docx import Document

    page = open_page(browser, f"{app_url}/briefing", accept_downloads=True)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="下载 Word 文档（.docx）").click()
    path = tmp_path / "briefing.docx"
    download.value.save_as(path)
    assert Document(path).paragraphs[0].text == "腊口镇2024年1-9月工业经济运行情况分析"
    page.close()


def test_downloads_clicked_in_quick_succession_all_arrive(browser, app_url, tmp_path):
    """Five PNG buttons and the phone image clicked without waiting: every file arrives (a rerun
    between clicks used to cancel some of them)."""
    from PIL import Image

    page = open_page(browser, f"{app_url}/briefing", accept_downloads=True)
    arrived = []
    page.on("download", lambda d: arrived.append(d))
    buttons = page.get_by_role("button", name="下载 PNG：", exact=False)
    count = buttons.count()
    assert count >= 5
    for i in range(count):
        buttons.nth(i).click(no_wait_after=True)
    page.get_by_role("button", name="下载手机长图（PNG）").click(no_wait_after=True)
    # Playwright delivers queued events while it waits, so each wait ends on a real arrival.
    while len(arrived) < count + 1:
        page.wait_for_event("download", timeout=30_000)
    names = sorted(d.suggested_filename for d in arrived)
    assert len(names) == count + 1, names
    phone = next(d for d in arrived if "手机版" in d.suggested_filename)
    path = tmp_path / "phone.png"
    phone.save_as(path)
    assert Image.open(path).size[0] == 1080
    page.close()
