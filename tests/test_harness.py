"""The page tests can fail: app.py shows a person a Chinese note when a page raises (and carries on),
so the harness fails a test instead, in AppTest (page_support) and in the browser (browser_support).
Each check is shown catching an error injected into a page."""
import re

import pytest
from browser_support import ServerFailure, check_servers, running_server
from conftest import ROOT, long_rows, staff, xlsx_bytes
from page_support import PageFailed, app_test

from lakou_app import ui
from lakou_metrics import importing, store
from lakou_metrics.domain import labels


@pytest.fixture
def small_db(tmp_path, monkeypatch):
    db = tmp_path / "small.db"
    importing.import_bytes(store.open_database(db), xlsx_bytes({"s": long_rows(
        [(2024, 1, "卓尔五金", "五金", True, 100.0)])}), "s.xlsx", operator=staff())
    monkeypatch.setenv("LAKOU_DB", str(db))
    return db


@pytest.mark.pages
def test_a_sound_page_passes(small_db):
    at = app_test()
    at.run()
    assert at.title[0].value.startswith("总览")


@pytest.mark.pages
def test_a_page_error_caught_by_the_app_fails_the_run(small_db, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("injected into page_title")

    monkeypatch.setattr(ui, "page_title", broken)
    at = app_test()
    with pytest.raises(PageFailed, match=r"(?s)page failed: 总览.*injected into page_title"):
        at.run()
    # What a person sees is unchanged: the Chinese note, no traceback.
    assert [e.value for e in at.error] == [labels.PAGE_FAILED]
    assert not at.exception


@pytest.mark.pages
def test_a_page_error_on_a_later_run_fails_that_run(small_db, monkeypatch):
    at = app_test()
    at.run()

    def broken(*args, **kwargs):
        raise ValueError("injected after the first run")

    monkeypatch.setattr(ui, "page_title", broken)
    with pytest.raises(PageFailed, match="injected after the first run"):
        at.switch_page("views/sectors.py").run()


@pytest.mark.pages
def test_an_exception_element_fails_the_run(tmp_path):
    script = tmp_path / "raises.py"
    script.write_text("raise ValueError('shown as an exception element')\n", "utf-8")
    at = app_test(script)
    with pytest.raises(PageFailed, match="(?s)exception element: .*shown as an exception element"):
        at.run()


def test_every_page_test_starts_its_app_through_the_checked_harness():
    """A test building AppTest itself would pass whatever the page raised."""
    direct = re.compile(r"\bAppTest(\.from_(file|string|function))?\(")
    offenders = [path.name for path in sorted((ROOT / "tests").glob("*.py"))
                 if path.name != "page_support.py" and direct.search(path.read_text("utf-8"))]
    assert offenders == []


# A page run through the app's own catch-all, and a script raising outside it (Streamlit's handler).
CAUGHT = """
import streamlit as st
from lakou_app.ui import run_page

class Probe:
    title = "探针"

    def run(self):
        raise ValueError("probe raised in the page")

st.title("探针")
run_page(Probe())
"""
UNCAUGHT = """
import streamlit as st

st.title("探针")
raise ValueError("probe raised outside the catch-all")
"""


@pytest.mark.browser
@pytest.mark.parametrize("script, shown, words", [
    pytest.param(CAUGHT, f"text={labels.PAGE_FAILED}", "page failed: 探针", id="caught by the app"),
    pytest.param(UNCAUGHT, '[data-testid="stException"]', "probe raised outside the catch-all", id="uncaught"),
])
def test_the_browser_harness_reports_a_page_failure_on_the_server(browser, tmp_path, script, shown, words):
    probe = tmp_path / "probe.py"
    probe.write_text(script, "utf-8")
    with running_server(tmp_path / "empty.db", str(probe)) as (url, _):
        page = browser.new_page()
        page.goto(url)
        page.locator(shown).wait_for(timeout=60_000)  # drawn after the failure was logged
        with pytest.raises(ServerFailure, match=words):
            check_servers()
        check_servers()  # reported once: the next test using the server starts clean
        page.close()
