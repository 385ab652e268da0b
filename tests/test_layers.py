"""The layers, checked: a module imports only from its own layer or lower ones. Inside lakou_metrics
domain < ingest < store < compute < output < the top-level modules; above it lakou_app, then views/
and app.py. Nothing in lakou_metrics imports streamlit. An import counts however it is written:
`import a.b`, `from a import b` (b a module or a name), relative imports, and importlib.import_module
or __import__ of a literal name. A move that breaks the order fails here, naming the import."""
import ast

import pytest
from conftest import ROOT

ORDER = ["domain", "ingest", "store", "compute", "output"]
METRICS_TOP = len(ORDER)  # settings, importing, preview, passcode, cli
APP = METRICS_TOP + 1     # lakou_app
PAGES = APP + 1           # views/ and app.py
LAYER_NAMES = {**dict(enumerate(ORDER)), METRICS_TOP: "lakou_metrics top", APP: "lakou_app", PAGES: "pages"}


def layer_of(module: str) -> int | None:
    """lakou_metrics.compute.report → 3, lakou_metrics.cli → METRICS_TOP, lakou_app.ui → APP,
    views.data or app → PAGES; None for a module outside the project (streamlit, pandas …)."""
    parts = module.split(".")
    if parts[0] == "lakou_metrics":
        return ORDER.index(parts[1]) if len(parts) > 1 and parts[1] in ORDER else METRICS_TOP
    return {"lakou_app": APP, "views": PAGES, "app": PAGES}.get(parts[0])


def module_name(path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = list(relative.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    """Whether `name` is a module or package of the project (so `from a import b` imports a.b)."""
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _resolve(name: str, level: int, package: str) -> str:
    """The absolute name of a relative import (`from ..compute import x` has level 2)."""
    if not level:
        return name
    base = package.split(".")
    base = base[:len(base) - level + 1]
    return ".".join(base + ([name] if name else []))


def _literal_import(node: ast.Call) -> tuple[str, int] | None:
    """(name, level) of importlib.import_module("…") / import_module("…") / __import__("…") with a
    literal name; a name starting with dots is relative to the calling module's package."""
    func = node.func
    called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if called not in ("import_module", "__import__") or not node.args:
        return None
    first = node.args[0]
    if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
        return None
    name = first.value
    level = len(name) - len(name.lstrip("."))
    return name[level:], level


def imports_of(source: str, name: str, is_package: bool = False):
    """(line, absolute module) of every import in the source of module `name`."""
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(node.module or "", node.level, package)
            for alias in node.names:
                # from lakou_metrics import store imports lakou_metrics.store; from x.report import Y, x.report
                submodule = f"{target}.{alias.name}" if target else alias.name
                yield node.lineno, submodule if _is_module(submodule) or not node.module else target
        elif isinstance(node, ast.Call) and (literal := _literal_import(node)):
            yield node.lineno, _resolve(literal[0], literal[1], package)


def upward_imports(source: str, name: str, is_package: bool = False) -> list[tuple[int, str]]:
    """The imports of module `name` from a higher layer of the project."""
    here = layer_of(name)
    return [(line, target) for line, target in imports_of(source, name, is_package)
            if (there := layer_of(target)) is not None and there > here]


def streamlit_imports(source: str, name: str, is_package: bool = False) -> list[tuple[int, str]]:
    return [(line, t) for line, t in imports_of(source, name, is_package) if t.split(".")[0] == "streamlit"]


def check_module(source: str, name: str, is_package: bool = False) -> None:
    """Fail naming every import of `name` that breaks the layers."""
    upward = upward_imports(source, name, is_package)
    assert not upward, f"{name} ({LAYER_NAMES[layer_of(name)]}) imports from a higher layer: {upward}"
    if layer_of(name) <= METRICS_TOP:
        found = streamlit_imports(source, name, is_package)
        assert not found, f"{name} (lakou_metrics) imports streamlit: {found}"


SOURCES = sorted([*(ROOT / "lakou_metrics").rglob("*.py"), *(ROOT / "lakou_app").glob("*.py"),
                  *(ROOT / "views").glob("*.py"), ROOT / "app.py"])


@pytest.mark.parametrize("path", SOURCES, ids=[module_name(p) for p in SOURCES])
def test_no_module_imports_a_higher_layer(path):
    check_module(path.read_text("utf-8"), module_name(path), path.name == "__init__.py")


def test_every_layer_is_checked():
    assert {layer_of(module_name(p)) for p in SOURCES} == set(LAYER_NAMES)


@pytest.mark.parametrize("name, source, words", [
    pytest.param("lakou_metrics.domain._probe", "from ..compute import metrics\n", "lakou_metrics.compute.metrics",
                 id="relative import"),
    pytest.param("lakou_metrics.domain._probe", "import lakou_metrics.output.charts\n", "lakou_metrics.output.charts",
                 id="import a.b"),
    pytest.param("lakou_metrics.compute._probe", "from lakou_metrics import importing\n", "lakou_metrics.importing",
                 id="from the package import a module"),
    pytest.param("lakou_metrics.domain._probe", "from lakou_metrics import store, domain\n", "lakou_metrics.store",
                 id="from the package import a subpackage"),
    pytest.param("lakou_metrics.store._probe", "from lakou_metrics.compute.report import YearToDate\n",
                 "lakou_metrics.compute.report", id="from a module import a name"),
    pytest.param("lakou_metrics.ingest._probe",
                 "import importlib\nimportlib.import_module('lakou_metrics.store.queries')\n",
                 "lakou_metrics.store.queries", id="importlib.import_module"),
    pytest.param("lakou_metrics.ingest._probe",
                 "from importlib import import_module\nimport_module('..compute', __package__)\n",
                 "lakou_metrics.compute", id="import_module of a relative name"),
    pytest.param("lakou_metrics.domain._probe", "__import__('lakou_metrics.output.charts')\n",
                 "lakou_metrics.output.charts", id="__import__"),
    pytest.param("lakou_metrics.cli", "from lakou_app import data\n", "lakou_app.data", id="lakou_metrics imports lakou_app"),
    pytest.param("lakou_metrics.output._probe", "import views.overview\n", "views.overview",
                 id="lakou_metrics imports a page"),
    pytest.param("lakou_app._probe", "from views import data\n", "views.data", id="lakou_app imports a page"),
    pytest.param("lakou_app._probe", "import app\n", "app", id="lakou_app imports app.py"),
    pytest.param("lakou_app._probe", "__import__('views.data')\n", "views.data", id="lakou_app __import__ a page"),
])
def test_the_check_sees_an_upward_import(name, source, words):
    """The checker itself: each way of writing an import from a higher layer is caught, by name."""
    with pytest.raises(AssertionError, match=f"higher layer.*'{words}'"):
        check_module(source, name)


@pytest.mark.parametrize("source", [
    pytest.param("import streamlit as st\n", id="import"),
    pytest.param("from streamlit.testing.v1 import AppTest\n", id="from"),
    pytest.param("import importlib\nimportlib.import_module('streamlit')\n", id="importlib"),
    pytest.param("st = __import__('streamlit')\n", id="__import__"),
])
def test_the_check_sees_streamlit_in_lakou_metrics(source):
    with pytest.raises(AssertionError, match="imports streamlit"):
        check_module(source, "lakou_metrics.output._probe")


@pytest.mark.parametrize("name, source", [
    pytest.param("lakou_metrics.compute._probe", "from ..domain import labels\nfrom . import metrics\n", id="down"),
    pytest.param("lakou_app._probe", "import streamlit as st\nfrom lakou_metrics import importing\n",
                 id="lakou_app uses streamlit and lakou_metrics"),
    pytest.param("views._probe", "from lakou_app.ui import plain\nimport importlib\n"
                 "importlib.import_module('lakou_metrics.cli')\n", id="a page uses everything below"),
])
def test_the_check_lets_a_downward_import_pass(name, source):
    check_module(source, name)


# -- who may make an Operator ---------------------------------------------------------------------
# An Operator comes only from a way of recognising a person: the page's sign-in (lakou_app.auth),
# the command line (the server's account, the sample loader), and the benchmarks, run from a shell
# like the command line. Everything else receives the Operator it is given.
OPERATOR_MAKERS = {
    "lakou_app/auth.py": {"signed_in"},
    "lakou_metrics/cli.py": {"shell_account", "sample_data"},
    "bench/bench_import.py": {"shell_account"},
    "bench/bench_county.py": {"shell_account"},
    "bench/bench_postgres.py": {"shell_account"},
    "bench/bench_evaluation.py": {"shell_account"},
}
AUTHORITY = "lakou_metrics/store/authority.py"  # defines Operator and its constructors


def _names_operator(node: ast.expr) -> bool:
    return ((isinstance(node, ast.Name) and node.id == "Operator")
            or (isinstance(node, ast.Attribute) and node.attr == "Operator"))


def operators_made(source: str) -> list[tuple[int, str]]:
    """(line, how) of every Operator made in `source`: "Operator" for Operator(…) or store.Operator(…),
    else the constructor's name (Operator.signed_in(…) → "signed_in")."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        if _names_operator(node.func):
            found.append((node.lineno, "Operator"))
        elif isinstance(node.func, ast.Attribute) and _names_operator(node.func.value):
            found.append((node.lineno, node.func.attr))
    return found


def check_operators(source: str, path: str) -> None:
    """Fail naming every Operator `path` makes that it may not."""
    if path == AUTHORITY:
        return
    allowed = OPERATOR_MAKERS.get(path, set())
    wrong = [(line, how) for line, how in operators_made(source) if how not in allowed]
    assert not wrong, f"{path} makes an Operator it may not (only {sorted(allowed) or 'none'}): {wrong}"


PROJECT_SOURCES = sorted(p for p in ROOT.rglob("*.py")
                         if not {"tests", ".git", ".venv"} & set(p.relative_to(ROOT).parts))


@pytest.mark.parametrize("path", PROJECT_SOURCES, ids=[str(p.relative_to(ROOT)) for p in PROJECT_SOURCES])
def test_an_operator_is_made_only_where_a_person_is_recognised(path):
    check_operators(path.read_text("utf-8"), path.relative_to(ROOT).as_posix())


def test_every_place_allowed_to_make_an_operator_makes_one():
    """The table above is the truth: each file in it still makes the Operators it is allowed to."""
    for path, allowed in OPERATOR_MAKERS.items():
        assert {how for _, how in operators_made((ROOT / path).read_text("utf-8"))} == allowed, path


@pytest.mark.parametrize("path, source", [
    pytest.param("views/data.py", "from lakou_metrics import store\nstore.Operator('小王', '腊口镇', 'x')\n",
                 id="a page builds one"),
    pytest.param("lakou_metrics/importing.py", "from .store import Operator\nOperator.shell_account('腊口镇')\n",
                 id="the importer takes the server's account"),
    pytest.param("lakou_metrics/cli.py", "store.Operator.signed_in('小王', '腊口镇', 'x')\n",
                 id="the command line claims a sign-in"),
    pytest.param("lakou_app/auth.py", "Operator('小王', store.COUNTY, 'x')\n", id="the sign-in skips its constructor"),
])
def test_the_check_sees_an_operator_made_elsewhere(path, source):
    with pytest.raises(AssertionError, match="makes an Operator it may not"):
        check_operators(source, path)


@pytest.mark.parametrize("module", ["lakou_metrics/domain/labels.py", "lakou_metrics/domain/style.py"])
def test_no_module_of_words_defines_a_name_twice(module):
    """A second definition of a label silently replaces the first for every caller (BAD_DATE once did)."""
    names = [target.id for node in ast.parse((ROOT / module).read_text(encoding="utf-8")).body
             if isinstance(node, (ast.Assign, ast.AnnAssign))
             for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
             if isinstance(target, ast.Name)]
    assert sorted({n for n in names if names.count(n) > 1}) == []


def test_the_readme_names_every_compute_function_that_reads_the_database():
    """compute/ is pure but for the few public functions that take an engine (and their private helpers):
    the README lists exactly those."""
    import re

    readers = {node.name for path in sorted((ROOT / "lakou_metrics" / "compute").glob("*.py"))
               for node in ast.parse(path.read_text(encoding="utf-8")).body
               if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
               and any(a.arg == "engine" for a in node.args.args)}
    line = next(line for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
                if "读数据库的只有" in line)
    assert set(re.findall(r"`(\w+)`", line)) == readers
