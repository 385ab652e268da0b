"""The app in Debian's Chromium, driven by Playwright: every page opens, finishes, shows no error.

Screenshots go to test-output/ for a person to look at.
"""
import os
import socket
import subprocess
import sys
import threading

import pytest
from conftest import ROOT
from test_cli import cli

pytestmark = pytest.mark.browser
OUTPUT = ROOT / "test-output"
CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser") / "sample.db"
    assert cli("init", "--sample", db=db).returncode == 0
    port = free_port()
    env = {**os.environ, "LAKOU_DB": str(db), "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        # Streamlit prints its URL once it listens; reading its output is the readiness signal.
        for line in server.stdout:
            if f":{port}" in line:
                break
        else:
            pytest.fail("streamlit exited before listening")
        # Keep reading its output so a full pipe never blocks the server.
        threading.Thread(target=server.stdout.read, daemon=True).start()
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), "make test installs Debian's chromium (scripts/ensure-chromium.sh)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        yield browser
        browser.close()


PAGES = {"overview": ("", 4), "sectors": ("sectors", 2), "enterprises": ("enterprises", 1),
         "targets": ("targets", 1), "warnings": ("warnings", 0)}


# The script has finished and its output is drawn: a heading, no loading skeleton, no running status.
FINISHED = """() => document.querySelector('h1') && !document.querySelector('[data-testid="stSkeleton"]')
                  && !document.querySelector('[data-testid="stStatusWidget"]')"""


def open_page(browser, url, size):
    page = browser.new_page(viewport=size)
    page.goto(url)
    page.wait_for_function(FINISHED, timeout=60_000)
    return page


@pytest.mark.parametrize("width, height", [(1400, 900), (1280, 720)])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders_without_error(browser, app_url, name, width, height):
    path, charts = PAGES[name]
    page = open_page(browser, f"{app_url}/{path}", {"width": width, "height": height})
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "腊口镇" in page.inner_text("body")
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

    page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page.goto(app_url)
    page.wait_for_function(FINISHED, timeout=60_000)
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.hover()
    frame = chart.locator("xpath=ancestor::*[@data-testid='stFullScreenFrame'][1]")
    with page.expect_download(timeout=30_000) as download:
        frame.get_by_label("Download as PNG").click()
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
