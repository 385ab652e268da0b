"""Static checks of the promises the code makes about security."""
import re

from conftest import ROOT

SOURCES = [p for p in [ROOT / "app.py", *(ROOT / "views").glob("*.py"), *(ROOT / "lakou_app").glob("*.py"),
                       *(ROOT / "lakou_metrics").glob("*.py")]]


def test_no_page_renders_html():
    """No HTML anywhere but one constant print style sheet."""
    offenders = []
    for path in SOURCES:
        text = path.read_text("utf-8")
        for match in re.finditer(r"unsafe_allow_html\s*=\s*True|st\.html\((.*?)\)|components\.html\(", text):
            if not (path.name == "print_style.py" and match.group(1) == "PRINT_CSS"):
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
    for path in (ROOT / "lakou_metrics").glob("*.py"):
        assert not re.search(r"^\s*(import|from)\s+streamlit", path.read_text("utf-8"), re.M), path.name
