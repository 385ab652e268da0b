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


def open_page(browser, url, size):
    page = browser.new_page(viewport=size)
    page.goto(url)
    page.wait_for_selector('[data-testid="stMetric"], [data-testid="stAlert"]', timeout=60_000)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
    return page


@pytest.mark.parametrize("width, height", [(1400, 900), (1280, 720)])
def test_home_page_renders_without_error(browser, app_url, width, height):
    page = open_page(browser, app_url, {"width": width, "height": height})
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stMetric"]').count() == 2
    assert "工业总产值" in page.inner_text("body")
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"home-{width}x{height}.png"), full_page=True)
    page.close()
