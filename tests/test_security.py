"""Static checks of the promises the code makes about security."""
import re

from conftest import ROOT, staff

SOURCES = [p for p in [ROOT / "app.py", *(ROOT / "views").glob("*.py"), *(ROOT / "lakou_app").glob("*.py"),
                       *(ROOT / "lakou_metrics").rglob("*.py")]]


# The only HTML the app writes: module-level constants with no user data in them (the print
# style sheet, and the phone layout's style sheet and the script that closes the sidebar).
CONSTANT_HTML = {("print_style.py", "PRINT_CSS"), ("narrow_style.py", "NARROW_CSS"),
                 ("narrow_style.py", "NARROW_SCRIPT, unsafe_allow_javascript=True")}


def test_no_page_renders_html():
    """No HTML anywhere but the constant style sheets and the phone layout's constant script."""
    offenders = []
    for path in SOURCES:
        text = path.read_text("utf-8")
        for match in re.finditer(r"unsafe_allow_html\s*=\s*True|st\.html\((.*?)\)|components\.html\(", text):
            if (path.name, match.group(1)) not in CONSTANT_HTML:
                offenders.append(f"{path.name}: {match.group(0)}")
    assert offenders == []


def test_the_server_listens_on_loopback_only():
    config = (ROOT / ".streamlit" / "config.toml").read_text("utf-8")
    assert re.search(r'^address\s*=\s*"127\.0\.0\.1"', config, re.M)
    assert re.search(r"^gatherUsageStats\s*=\s*false", config, re.M)
    assert re.search(r'^showErrorDetails\s*=\s*"none"', config, re.M)
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert "--server.address 127.0.0.1" in makefile


def test_no_metrics_module_imports_streamlit():
    for path in (ROOT / "lakou_metrics").rglob("*.py"):
        assert not re.search(r"^\s*(import|from)\s+streamlit", path.read_text("utf-8"), re.M), path.name


def test_prefilled_templates_never_write_stored_text_as_a_formula(tmp_path):
    """A name that begins with "=" (typed as text in some file) stays text in every template
    staff download, so opening the template runs nothing."""
    import io

    import openpyxl
    from conftest import csv_bytes, long_rows

    from lakou_metrics import importing, store
    from lakou_metrics.compute.metrics import Ledger
    from lakou_metrics.domain.periods import Period
    from lakou_metrics.output.templates import (
        build_prefilled_output,
        build_prefilled_progress,
        build_prefilled_projects,
    )

    engine = store.open_database(tmp_path / "t.db")
    evil = '=HYPERLINK("http://example.invalid","点我")'
    # A CSV cell is text as written (an .xlsx written by openpyxl would hold a formula).
    importing.import_bytes(engine, csv_bytes(long_rows([(2023, 1, evil, "五金", True, 10.0)])), "o.csv", operator=staff())
    register = csv_bytes([["年份", "项目名称", "企业名称", "年度计划投资"], [2023, evil, evil, 100]])
    importing.import_bytes(engine, register, "p.csv", operator=staff())
    projects = store.load_projects(engine, 2023)
    books = [build_prefilled_output(store.load_enterprises(engine), Ledger(store.load_observations(engine)),
                                    Period.month(2023, 2)),
             build_prefilled_projects(projects, 2023),
             build_prefilled_progress(projects, store.load_project_progress(engine, 2023), Period.month(2023, 2))]
    for data in books:
        sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
        cells = [c for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row) for c in row if c.value == evil]
        assert cells and all(c.data_type == "s" for c in cells)
