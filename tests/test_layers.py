"""The layers of lakou_metrics, checked: a module imports only from its own layer or lower ones
(domain < ingest < store < compute < output < the top-level modules), and nothing in the package
imports streamlit. A move that breaks the order fails here, naming the import."""
import ast

import pytest
from conftest import ROOT

PACKAGE = ROOT / "lakou_metrics"
ORDER = ["domain", "ingest", "store", "compute", "output"]
TOP = len(ORDER)  # settings, importing, preview, passcode, cli


def layer_of(module: str) -> int:
    """lakou_metrics.compute.report → 3; a top-level module (lakou_metrics.cli) → TOP."""
    parts = module.split(".")
    return ORDER.index(parts[1]) if len(parts) > 1 and parts[1] in ORDER else TOP


def module_name(path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = list(relative.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path):
    """(line, absolute module) of every import in the file, relative ones resolved."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            if node.module is None and node.level:  # from . import a, b
                for alias in node.names:
                    yield node.lineno, f"{target}.{alias.name}"
            else:
                yield node.lineno, target


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=[module_name(p) for p in SOURCES])
def test_no_module_imports_a_higher_layer(path):
    here = layer_of(module_name(path))
    upward = [(line, target) for line, target in imports_of(path)
              if target.startswith("lakou_metrics.") and layer_of(target) > here]
    assert not upward, f"{module_name(path)} ({ORDER[here] if here < TOP else 'top'}) imports {upward}"


@pytest.mark.parametrize("path", SOURCES, ids=[module_name(p) for p in SOURCES])
def test_nothing_in_the_package_imports_streamlit(path):
    assert not [t for _, t in imports_of(path) if t.split(".")[0] == "streamlit"]


def test_the_check_sees_an_upward_import(tmp_path):
    """The checker itself: a domain module importing compute is caught."""
    bad = PACKAGE / "domain" / "_layer_probe.py"
    bad.write_text("from ..compute import metrics\n", "utf-8")
    try:
        with pytest.raises(AssertionError, match="imports"):
            test_no_module_imports_a_higher_layer(bad)
    finally:
        bad.unlink()
