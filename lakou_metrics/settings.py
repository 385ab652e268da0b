"""Settings a town changes without touching code: the warning and status thresholds, the import
checks (unit slip, preview swings), the limits on uploaded files, the time zone of times shown, the
method of the 亩均效益评价, and when output and electricity diverge (以电核产).

Read from the TOML file named by $LAKOU_SETTINGS, else config/settings.toml; a missing file or
key keeps the default (metrics.WarningSettings, read.Limits, the values below). An unknown key or
an impossible value is refused with a Chinese message naming the file and the table.
"""
from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import fields
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .compute.electricity import ElectricitySettings
from .compute.metrics import WarningSettings
from .compute.projects import ProjectSettings
from .domain import labels
from .domain.evaluation import DEFAULT_WEIGHTS, EVALUATION_INDICATOR_BY_CODE, GROUPS, EvaluationSettings
from .ingest.read import Limits

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "config" / "settings.toml"
DEFAULT_TIMEZONE = "Asia/Shanghai"
DEFAULT_SLIP_RATIO = 5.0  # [import] unit_slip_ratio
DEFAULT_SWING = 0.5  # [import] preview_swing: |同比| or |环比| at least this is flagged in the preview


def settings_path() -> Path:
    return Path(os.environ.get("LAKOU_SETTINGS") or DEFAULT_PATH)


def _table(name: str, path: Path | None) -> tuple[dict, Path]:
    """One [table] of the settings file ({} when the file or the table is missing), and the path."""
    path = path or settings_path()
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")).get(name, {}), path
    except FileNotFoundError:
        return {}, path


def _dataclass(cls, name: str, convert, path: Path | None):
    """A settings dataclass from its [table]: known keys only, values through `convert`."""
    table, path = _table(name, path)
    unknown = set(table) - {f.name for f in fields(cls)}
    if unknown:
        raise ValueError(f"{path}：[{name}] 中有无法识别的设置 {', '.join(sorted(unknown))}")
    return cls(**{k: convert(v) for k, v in table.items()})


def load_warning_settings(path: Path | None = None) -> WarningSettings:
    """[warnings]: thresholds of the warning rules and of the 略欠/落后 status (fractions)."""
    return _dataclass(WarningSettings, "warnings", float, path)


def load_project_settings(path: Path | None = None) -> ProjectSettings:
    """[projects]: what counts as a 大项目, and when a project's lateness is red."""
    return _dataclass(ProjectSettings, "projects", float, path)


def load_limits(path: Path | None = None) -> Limits:
    """[limits]: the bounds on an uploaded file (size, rows, columns, cells, text, problems listed,
    the memory and time its reading may take)."""
    return _dataclass(Limits, "limits", int, path)


def _import_setting(key: str, default: float, smallest: float, path: Path | None) -> float:
    table, path = _table("import", path)
    value = float(table.get(key, default))
    if value <= smallest:
        raise ValueError(f"{path}：[import] {key} 应大于 {smallest:g}")
    return value


def load_unit_slip_ratio(path: Path | None = None) -> float:
    """[import] unit_slip_ratio: a figure (output, or electricity) this many times larger or smaller
    than the enterprise's previous period needs explicit confirmation before import (default 5)."""
    return _import_setting("unit_slip_ratio", DEFAULT_SLIP_RATIO, 1, path)


def load_preview_swing(path: Path | None = None) -> float:
    """[import] preview_swing: in an import preview, an enterprise whose 同比 or 环比 moves by at
    least this fraction (default 0.5 = ±50%) is flagged and listed first."""
    return _import_setting("preview_swing", DEFAULT_SWING, 0, path)


_EVALUATION_KEYS = {"cap", "class_shares", "weights", "fixed_bases"}


def load_evaluation_settings(path: Path | None = None) -> EvaluationSettings:
    """[evaluation]: the 亩均效益评价 method. `cap`, `class_shares` (A, B, C cumulative), and the
    sub-tables [evaluation.weights.above] / [evaluation.weights.below] (indicator code = weight; a
    group listed there is scored on exactly the indicators listed) and
    [evaluation.fixed_bases.above] / [...below] (indicator code = the county's base). Missing parts
    keep the defaults (domain.evaluation); a bad value is refused in Chinese naming file and table."""
    table, path = _table("evaluation", path)
    _refuse_unknown(path, "evaluation", table, _EVALUATION_KEYS)
    found = {}
    if "cap" in table:
        found["cap"] = _positive(path, "evaluation", "cap", table["cap"])
    if "class_shares" in table:
        found["class_shares"] = _class_shares(path, table["class_shares"])
    weights = {group: dict(default) for group, default in DEFAULT_WEIGHTS.items()}
    for group, given in _group_tables(path, "weights", table.get("weights", {})).items():
        where = f"evaluation.weights.{group}"
        if not given:
            raise ValueError(labels.EVALUATION_SETTING_NO_INDICATOR.format(path=path, where=where))
        weights[group] = {code: _positive(path, where, code, weight) for code, weight in given.items()}
    found["weights"] = weights
    fixed = {}
    for group, given in _group_tables(path, "fixed_bases", table.get("fixed_bases", {})).items():
        where = f"evaluation.fixed_bases.{group}"
        for code in given:
            if code not in weights[group]:
                raise ValueError(labels.EVALUATION_SETTING_BAD.format(
                    path=path, where=where, key=code, why=labels.EVALUATION_SETTING_UNSCORED))
        fixed[group] = {code: _positive(path, where, code, base) for code, base in given.items()}
    found["fixed_bases"] = fixed
    return EvaluationSettings(**found)


def load_electricity_settings(path: Path | None = None) -> ElectricitySettings:
    """[electricity]: `divergence_points`, the gap in 百分点 (20 = 20个百分点, default 20) between an
    enterprise's output 同比 and electricity 同比 over the same months that is a divergence. Refused in
    Chinese: an unknown key, a value that is not a number above 0, and one below 1 (a fraction
    written as elsewhere in the file: 0.2 would flag nearly every enterprise)."""
    table, path = _table("electricity", path)
    _refuse_unknown(path, "electricity", table, {f.name for f in fields(ElectricitySettings)})
    found = {}
    for key, value in table.items():
        points = _positive(path, "electricity", key, value)
        if points < 1:
            raise ValueError(labels.EVALUATION_SETTING_BAD.format(
                path=path, where="electricity", key=key, why=labels.ELECTRICITY_SETTING_POINTS.format(value=value)))
        found[key] = points
    return ElectricitySettings(**found)


def _refuse_unknown(path: Path, where: str, table, known) -> None:
    unknown = set(table) - set(known) if isinstance(table, dict) else set()
    if not isinstance(table, dict) or unknown:
        raise ValueError(labels.EVALUATION_SETTING_UNKNOWN.format(
            path=path, where=where, keys=", ".join(sorted(unknown)) or repr(table)))


def _group_tables(path: Path, name: str, table) -> dict[str, dict]:
    """[evaluation.<name>.<group>] tables: known groups, known indicator codes only."""
    _refuse_unknown(path, f"evaluation.{name}", table, GROUPS)
    for group, given in table.items():
        _refuse_unknown(path, f"evaluation.{name}.{group}", given, EVALUATION_INDICATOR_BY_CODE)
    return table


def _positive(path: Path, where: str, key: str, value) -> float:
    """A setting that must be a number above 0 (TOML int or float; not a bool or text)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0 or value == float("inf"):
        raise ValueError(labels.EVALUATION_SETTING_BAD.format(
            path=path, where=where, key=key, why=labels.EVALUATION_SETTING_NOT_POSITIVE.format(value=value)))
    return float(value)


def _class_shares(path: Path, value) -> tuple[float, float, float]:
    """Three cumulative shares, rising, each in (0, 1]."""
    numbers = isinstance(value, list) and len(value) == 3 and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    if not numbers or not 0 < value[0] < value[1] < value[2] <= 1:
        raise ValueError(labels.EVALUATION_SETTING_BAD.format(
            path=path, where="evaluation", key="class_shares",
            why=labels.EVALUATION_SETTING_SHARES.format(value=value)))
    return tuple(float(v) for v in value)


def load_timezone(path: Path | None = None) -> ZoneInfo:
    """[display] timezone: the town's time zone for times shown to people (default Asia/Shanghai)."""
    table, path = _table("display", path)
    name = table.get("timezone") or DEFAULT_TIMEZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{path}：[display] timezone 不是有效的时区名称（如 Asia/Shanghai）：{name}") from None


def town_today(path: Path | None = None) -> dt.date:
    """Today's date in the town's time zone ([display] timezone)."""
    return dt.datetime.now(load_timezone(path)).date()
