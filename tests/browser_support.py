"""Running the app and Debian's Chromium for browser tests."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading

from conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
OUTPUT = ROOT / "test-output"
# The script has finished and its output is drawn: Streamlit marks its root element with the
# script's state (what its own browser tests wait on), and our navigation and a heading are there.
FINISHED = """() => document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState === 'notRunning'
                  && document.querySelector('h1') && !document.querySelector('[data-testid="stSkeleton"]')
                  && (document.querySelector('[data-testid="stSidebarNav"]')?.innerText || '').includes('总览')"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(db, script: str = "app.py"):
    """Streamlit serving `script` on a free loopback port against database `db`; yields its URL
    and the server process."""
    port = free_port()
    env = {**os.environ, "LAKOU_DB": str(db), "PYTHONPATH": str(ROOT)}
    env.pop("LAKOU_STAFF_PASSCODE_HASH", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        # Streamlit prints its URL once it listens; reading its output is the readiness signal.
        for line in server.stdout:
            if f":{port}" in line:
                break
        else:
            raise RuntimeError("streamlit exited before listening")
        # Keep reading its output so a full pipe never blocks the server.
        threading.Thread(target=server.stdout.read, daemon=True).start()
        yield f"http://127.0.0.1:{port}", server
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextlib.contextmanager
def running_app(db):
    """The app on a free loopback port against database `db`; yields its URL."""
    with running_server(db) as (url, _):
        yield url


@contextlib.contextmanager
def sample_app(tmp_path_factory, name: str):
    """The app on a fresh copy of the sample data (`init --sample`); yields its URL."""
    from test_cli import cli

    db = tmp_path_factory.mktemp(name) / "sample.db"
    assert cli("init", "--sample", db=db).returncode == 0
    with running_app(db) as url:
        yield url


@contextlib.contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), "make test installs Debian's chromium (scripts/ensure-chromium.sh)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        yield browser
        browser.close()


def open_page(browser, url, size=None, **options):
    page = browser.new_page(viewport=size or {"width": 1400, "height": 900}, **options)
    page.goto(url)
    page.wait_for_function(FINISHED, timeout=60_000)
    return page
