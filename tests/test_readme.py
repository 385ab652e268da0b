"""The README cannot drift from the code: its command-line and settings sections are what
scripts/readme_sections.py writes from the parser and from config/settings.toml, and every value in
that file is the code's own default and is read by the code."""
import importlib.util
import re
import tomllib

import pytest
from conftest import ROOT

from lakou_metrics import settings
from lakou_metrics.cli import build_parser

SPEC = importlib.util.spec_from_file_location("readme_sections", ROOT / "scripts" / "readme_sections.py")
readme_sections = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(readme_sections)

# Every reader of the settings file: what a town sees change when it changes a key.
LOADERS = [settings.load_warning_settings, settings.load_project_settings, settings.load_limits,
           settings.load_unit_slip_ratio, settings.load_preview_swing, settings.load_evaluation_settings,
           settings.load_electricity_settings, settings.load_timezone]


def read_all(path):
    return [load(path) for load in LOADERS]


def test_the_generated_sections_of_the_readme_are_current():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_sections.rewrite(text) == text, "README.md is stale: run python scripts/readme_sections.py"


def test_a_new_option_makes_the_readme_stale(monkeypatch):
    """The check above can fail: an option added to the parser is missing from today's README."""
    def with_extra_option():
        parser = build_parser()
        (commands,) = [a for a in parser._actions if a.dest == "command"]
        commands.choices["summary"].add_argument("--extra", help="新选项")
        return parser

    monkeypatch.setattr(readme_sections, "build_parser", with_extra_option)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "--extra EXTRA：新选项" in readme_sections.rewrite(text) != text


def test_the_shipped_settings_are_the_codes_defaults(tmp_path):
    empty = tmp_path / "settings.toml"
    empty.write_text("", encoding="utf-8")
    assert read_all(settings.DEFAULT_PATH) == read_all(empty)


def _shipped_keys() -> list[tuple[tuple[str, ...], str, object]]:
    """(table path, key, value) of every setting in the shipped file."""
    found = []

    def walk(table: dict, where: tuple[str, ...]):
        for key, value in table.items():
            if isinstance(value, dict):
                walk(value, (*where, key))
            else:
                found.append((where, key, value))

    walk(tomllib.loads(settings.DEFAULT_PATH.read_text(encoding="utf-8")), ())
    return found


def _changed(value):
    """Another valid value of the same kind: numbers scaled (their sign kept), shares lowered, a zone."""
    if isinstance(value, str):
        return "Europe/London"
    if isinstance(value, list):
        return [round(v * 0.9, 4) for v in value]
    return value * 2 if value > 1 else value / 2


@pytest.mark.parametrize("where, key, value", [pytest.param(*k, id=".".join((*k[0], k[1]))) for k in _shipped_keys()])
def test_every_shipped_setting_is_read_by_the_code(tmp_path, where, key, value):
    """Setting the key alone to another value changes what some reader gives: no key is ignored."""
    path = tmp_path / "settings.toml"
    rendered = repr(_changed(value)) if not isinstance(value, str) else f'"{_changed(value)}"'
    path.write_text(f"[{'.'.join(where)}]\n{key} = {rendered}\n", encoding="utf-8")
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    assert read_all(path) != read_all(empty)


def test_the_settings_table_lists_every_shipped_key():
    section = readme_sections.settings_section()
    listed = set(re.findall(r"`\[([\w.]+)\] (\w+)`", section))
    assert listed == {(".".join(where), key) for where, key, _value in _shipped_keys()}
