"""Shared helpers: every test builds its own small workbooks in code."""
from __future__ import annotations

import atexit
import contextlib
import csv
import io
import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent


def xlsx_bytes(sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None,
               hidden: tuple[str, ...] = ()) -> bytes:
    """An .xlsx with the given sheets (rows of cell values), merged ranges and hidden sheets."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for ref in (merges or {}).get(name, []):
            ws.merge_cells(ref)
        if name in hidden:
            ws.sheet_state = "hidden"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xls_bytes(rows: list[list], sheet: str = "Sheet1") -> bytes:
    """An old-format .xls (BIFF8), as old WPS/Excel versions write it."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def process_env(**extra: str) -> dict[str, str]:
    """The environment of a Python process a test starts: this one's, the project importable, and `extra`."""
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


LONG_HEADER = ["年份", "月份", "企业名称", "所属行业", "是否规上", "产值（万元）"]


def long_rows(records: list[tuple]) -> list[list]:
    """A long sheet: records of (year, month, name, sector, above_scale, value in 万元)."""
    return [LONG_HEADER] + [[y, m, n, s, "是" if a else "否", v] for y, m, n, s, a, v in records]


def settings_refusal(tmp_path: Path, loader, text: str) -> str:
    """The message `loader` refuses a settings file holding `text` with; it must name the file."""
    path = tmp_path / "settings.toml"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ValueError) as refused:
        loader(path)
    assert str(path) in str(refused.value)
    return str(refused.value)


_TEMPLATES: dict[str, Path] = {}  # name → the session's database of that name, built on first use


def _copy_of_template(name: str, build, path: Path) -> Path:
    """A copy, at `path`, of the session's (and worker's) database `name`, which `build(file)` makes
    the first time it is asked for; copied with SQLite's backup, so nothing half-written is copied."""
    if name not in _TEMPLATES:
        folder = Path(tempfile.mkdtemp(prefix=f"lakou-{name}-"))
        atexit.register(shutil.rmtree, folder, True)
        build(folder / f"{name}.db")
        _TEMPLATES[name] = folder / f"{name}.db"
    path.parent.mkdir(parents=True, exist_ok=True)  # as store.open_database makes a new file's folder
    with contextlib.closing(sqlite3.connect(_TEMPLATES[name])) as source, \
            contextlib.closing(sqlite3.connect(path)) as copy:
        source.backup(copy)
    return path


def _init_sample(file: Path) -> None:
    from cli_support import cli

    result = cli("init", "--sample", db=file)
    assert result.returncode == 0, result.stderr


def sample_database(path: Path) -> Path:
    """A fresh copy, at `path`, of the sample database: `init --sample` runs once per test session
    (and worker) through the command line as a newcomer's `make run` does, and every test that
    needs the sample gets its own copy of that database, instead of importing the eleven files again."""
    return _copy_of_template("sample", _init_sample, path)


def empty_database(path: Path) -> Path:
    """A new database at `path` with the newest schema. The migrations run once per test session
    (and worker), through store.open_database as for any new database; each test gets a copy (a new
    database's migrations rebuild tables: about 0.1 s a test, a thousand times over)."""
    from lakou_metrics import store

    return _copy_of_template("empty", lambda file: store.open_database(file).dispose(), path)


def staff(town: str = "腊口镇", name: str = "测试员"):
    """A town's staff member signed in with the town's passcode, as the data page's sign-in makes one."""
    from lakou_metrics import store
    from lakou_metrics.domain import labels

    return store.Operator.signed_in(name, town, labels.IDENTITY_PASSCODE)


def county_staff(name: str = "县级测试员"):
    """County staff (store.COUNTY) signed in with the county's passcode: may change every town's data."""
    from lakou_metrics import store

    return staff(store.COUNTY, name)


def refuse_in_check_lane(tool: str, marker: str) -> None:
    """Fail the test when it reaches what its lane leaves out (make check: LAKOU_TEST_LANE=check)."""
    if os.environ.get("LAKOU_TEST_LANE") == "check":
        pytest.fail(f"make check leaves out the tests that need {tool}: mark this test `{marker}`")


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL server for the whole session (tests/pg_support.py)."""
    from pg_support import running_cluster

    refuse_in_check_lane("PostgreSQL", "postgres")
    with running_cluster() as cluster:
        yield cluster


BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    """Where a test's database lives: a new SQLite file, or a new database on the session's
    PostgreSQL server (its URL), either with the newest schema (made once, then copied). Tests
    taking it run once on each."""
    if request.param == "sqlite":
        return str(empty_database(tmp_path / "test.db"))
    return request.getfixturevalue("postgres").new_database()


@pytest.fixture
def engine(db):
    from lakou_metrics import store

    engine = store.open_database(db)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def _chromium():
    from browser_support import chromium

    refuse_in_check_lane("Chromium", "browser")
    with chromium() as launched:
        yield launched


@pytest.fixture
def browser(_chromium):
    """Debian's Chromium through Playwright, one for the whole session (and worker), so starting it
    is paid once: each test opens its own pages (each page its own context) and they are closed
    after it."""
    yield _chromium
    for context in _chromium.contexts:
        context.close()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """The app on a copy of the sample data, one server for the session (and worker), for the
    browser tests that only read the sample: each test opens its own pages, so their sessions are
    apart, and the server's caches are warm after the first. A module whose tests change the data
    starts its own (test_browser_data_flow)."""
    from browser_support import sample_app

    with sample_app(tmp_path_factory, "sample-app") as url:
        yield url


@pytest.fixture(autouse=True)
def _images_only_where_marked(monkeypatch):
    """In make check, drawing a chart to a PNG (vl-convert, a fraction of a second each) fails a test
    not marked `images`."""
    if os.environ.get("LAKOU_TEST_LANE") == "check":
        import vl_convert

        monkeypatch.setattr(vl_convert, "vegalite_to_png",
                            lambda *args, **kwargs: refuse_in_check_lane("charts drawn to PNG", "images"))


def pytest_collection_modifyitems(items):
    """Mark what needs a system tool, so a lane can leave it out (make check): a test that takes
    the session's PostgreSQL (itself, or through `db` on its postgresql side) is `postgres`; one
    that takes `browser` is `browser` (browser test modules also say so themselves). In the lane
that leaves them out, the fixtures refuse to start (LAKOU_TEST_LANE=check), so a test that reaches
one unmarked fails instead of quietly running slow."""
    for item in items:
        params = item.callspec.params if hasattr(item, "callspec") else {}
        if "postgres" in item.fixturenames or "postgresql" in params.values():
            item.add_marker(pytest.mark.postgres)
        if "browser" in item.fixturenames:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A browser test fails when a server it used logged a page failure meanwhile (app.py shows the
    person a Chinese note and carries on, so the browser alone would not notice)."""
    result = yield
    support = sys.modules.get("browser_support")
    if support is not None:
        support.check_servers()
    return result
