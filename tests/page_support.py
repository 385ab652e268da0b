"""AppTest that fails on a page error. app.py catches every page exception (a person reads a Chinese
note, the details go to the log), so without this a `raise` in a page would pass every page test.
Every page test starts its app through `app_test`; tests/test_harness.py checks that none bypasses it."""
from __future__ import annotations

import logging
from pathlib import Path

from conftest import ROOT, refuse_in_check_lane
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as _app_test_module
from streamlit.testing.v1 import local_script_runner as _local_script_runner

from lakou_app.ui import PAGE_FAILURES

# The app's catch-all, and Streamlit's handler of an exception outside it (whose exception element
# only says the message was redacted: its log has the traceback).
_FAILURE_LOGGERS = (PAGE_FAILURES, "streamlit.error_util")


# A running app compiles each script once (its ScriptCache lives as long as the server); AppTest
# makes a new cache for every run, so each run compiled app.py and its page again, Streamlit's
# magic rewriting included: about a third of a page run. Scripts do not change while tests run,
# so every AppTest in this process shares one cache, as a server's sessions do.
_SCRIPTS = ScriptCache()
_app_test_module.ScriptCache = _local_script_runner.ScriptCache = lambda: _SCRIPTS


class PageFailed(AssertionError):
    """A run of the app showed an exception, or logged a page failure through the catch-all."""


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def check_run(at: AppTest, logged: list[logging.LogRecord]) -> None:
    """Raise PageFailed naming every exception element of the run and every page failure it logged."""
    formatter = logging.Formatter()
    problems = [f"exception element: {e.proto.message}" for e in at.exception]
    problems += [formatter.format(record) for record in logged]
    if problems:
        raise PageFailed("the page failed:\n" + "\n\n".join(problems))


class CheckedAppTest(AppTest):
    """An AppTest whose every run (at.run(), a widget's .run(), a click) is checked by check_run."""

    def _run(self, widget_state=None, timeout=None):
        caught = _Records()
        loggers = [logging.getLogger(name) for name in _FAILURE_LOGGERS]
        for logger in loggers:
            logger.addHandler(caught)
        try:
            super()._run(widget_state, timeout)
        finally:
            for logger in loggers:
                logger.removeHandler(caught)
        check_run(self, caught.records)
        return self


def app_test(script: str | Path = "app.py") -> CheckedAppTest:
    """The app (or another script: relative to the project, or absolute) as a new session, not yet
    run. (AppTest.from_file would build a plain AppTest whatever class it is called on.)
    A test that runs the app is marked `pages`: make check leaves such tests out, and fails one not marked."""
    refuse_in_check_lane("the whole app through AppTest", "pages")
    return CheckedAppTest(ROOT / script, default_timeout=60)
