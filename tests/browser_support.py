"""Running the app and Debian's Chromium for browser tests."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from conftest import ROOT, process_env

from lakou_app.ui import PAGE_FAILED_LOG

CHROMIUM = "/usr/bin/chromium"
OUTPUT = ROOT / "test-output"
# The script has finished and its output is drawn: Streamlit marks its root element with the
# script's state (what its own browser tests wait on), and our navigation and a heading are there.
FINISHED = """() => document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState === 'notRunning'
                  && document.querySelector('h1') && !document.querySelector('[data-testid="stSkeleton"]')
                  && (document.querySelector('[data-testid="stSidebarNav"]')?.innerText || '').includes('总览')"""


# What a server writes to stderr when a page fails: the app's catch-all (lakou_app.ui.run_page),
# or Streamlit's own handler of an exception outside it.
FAILURE_MARKS = (PAGE_FAILED_LOG.split("%s")[0], "Uncaught app execution")


class ServerFailure(AssertionError):
    """A page failed on the server while a test was using it."""


class ServerLog:
    """A running server's stderr, kept in a file: a page's failure is written there before its run
    ends, so it is in the file by the time the browser sees the page finished."""

    def __init__(self, path: Path):
        self.path, self.seen = path, 0

    def read(self) -> str:
        """What the server wrote since the last read."""
        with open(self.path, "rb") as log:
            log.seek(self.seen)
            written = log.read()
        self.seen += len(written)
        return written.decode("utf-8", "replace")

    def check(self) -> None:
        """Raise ServerFailure with what the server logged about failing pages since the last check."""
        text = self.read()
        if any(mark in text for mark in FAILURE_MARKS):
            raise ServerFailure(f"the server logged a page failure:\n{text}")


RUNNING: list[ServerLog] = []  # the servers running now; conftest checks them after every test


def check_servers() -> None:
    """Fail when a running server logged a page failure since the last check."""
    for log in list(RUNNING):
        log.check()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(db, script: str = "app.py"):
    """Streamlit serving `script` on a free loopback port against database `db`; yields its URL
    and the server process. A page failure it logs fails the test running then (check_servers)
    or, at the latest, the `with` block."""
    port = free_port()
    env = process_env(LAKOU_DB=str(db))
    env.pop("LAKOU_STAFF_PASSCODE_HASH", None)
    handle, path = tempfile.mkstemp(prefix="lakou-server-", suffix=".log")
    os.close(handle)
    log = ServerLog(Path(path))
    with open(path, "ab") as stderr:  # appended to, so the server's writes never overwrite each other
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True)
    RUNNING.append(log)
    try:
        # Streamlit prints its URL once it listens; reading its output is the readiness signal.
        for line in server.stdout:
            if f":{port}" in line:
                break
        else:
            raise RuntimeError(f"streamlit exited before listening:\n{log.read()}")
        # Keep reading its output so a full pipe never blocks the server.
        threading.Thread(target=server.stdout.read, daemon=True).start()
        yield f"http://127.0.0.1:{port}", server
        log.check()
    finally:
        RUNNING.remove(log)
        server.terminate()
        server.wait(timeout=30)
        log.path.unlink()


@contextlib.contextmanager
def running_app(db):
    """The app on a free loopback port against database `db`; yields its URL."""
    with running_server(db) as (url, _):
        yield url


@contextlib.contextmanager
def sample_app(tmp_path_factory, name: str):
    """The app on a fresh copy of the sample data (`init --sample`); yields its URL."""
    from conftest import sample_database

    db = sample_database(tmp_path_factory.mktemp(name) / "sample.db")
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


def settled(page) -> None:
    """Wait until the script has finished and Streamlit's running indicator is gone."""
    page.wait_for_function(FINISHED, timeout=60_000)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=60_000)


def console_errors(page) -> list[str]:
    """Script errors, Vega's included, as they come; network noise (a favicon, an offline font) is
    not ours."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error"
            and not m.text.startswith("Failed to load resource") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def watch(page, url) -> list[str]:
    """Console errors, page errors, and requests that leave the machine or fail."""
    found: list[str] = []
    page.on("console", lambda m: found.append(f"console: {m.text}") if m.type == "error"
            and not m.text.startswith("Failed to load resource: the server responded with a status of 404") else None)
    page.on("pageerror", lambda e: found.append(f"pageerror: {e}"))
    page.on("request", lambda r: found.append(f"left the machine: {r.url}")
            if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    # Streamlit probes /<page>/_stcore/… before it finds its base path; any other 404 is ours.
    page.on("response", lambda r: found.append(f"{r.status}: {r.url}")
            if r.status >= 400 and "/_stcore/" not in r.url else None)
    return found
