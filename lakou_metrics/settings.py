"""Settings a town changes without touching code: the warning thresholds and the multiple at
which an imported figure is flagged as a likely unit slip.

Read from the TOML file named by $LAKOU_SETTINGS, else config/settings.toml; a missing file or
key keeps the default of `metrics.WarningSettings`.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import fields
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .metrics import WarningSettings
from .read import Limits

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "config" / "settings.toml"


def settings_path() -> Path:
    return Path(os.environ.get("LAKOU_SETTINGS") or DEFAULT_PATH)


def load_warning_settings(path: Path | None = None) -> WarningSettings:
    """The [warnings] table of the settings file as WarningSettings (fractions)."""
    path = path or settings_path()
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("warnings", {})
    except FileNotFoundError:
        return WarningSettings()
    known = {f.name for f in fields(WarningSettings)}
    unknown = set(table) - known
    if unknown:
        raise ValueError(f"{path}：[warnings] 中有无法识别的设置 {', '.join(sorted(unknown))}")
    return WarningSettings(**{k: float(v) for k, v in table.items()})


def load_preview_swing(path: Path | None = None) -> float:
    """[import] preview_swing: in an import preview, an enterprise whose 同比 or 环比 moves by at
    least this fraction (default 0.5 = ±50%) is flagged and listed first."""
    path = path or settings_path()
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("import", {})
    except FileNotFoundError:
        return 0.5
    swing = float(table.get("preview_swing", 0.5))
    if swing <= 0:
        raise ValueError(f"{path}：[import] preview_swing 应大于 0")
    return swing


DEFAULT_TIMEZONE = "Asia/Shanghai"


def load_timezone(path: Path | None = None) -> ZoneInfo:
    """[display] timezone: the town's time zone for times shown to people (default Asia/Shanghai)."""
    path = path or settings_path()
    try:
        name = tomllib.loads(path.read_text(encoding="utf-8")).get("display", {}).get("timezone")
    except FileNotFoundError:
        name = None
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{path}：[display] timezone 不是有效的时区名称（如 Asia/Shanghai）：{name}") from None


def load_unit_slip_ratio(path: Path | None = None) -> float:
    """[import] unit_slip_ratio: a figure this many times larger or smaller than the enterprise's
    previous period needs explicit confirmation before import (default 5)."""
    path = path or settings_path()
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("import", {})
    except FileNotFoundError:
        return 5.0
    ratio = float(table.get("unit_slip_ratio", 5.0))
    if ratio <= 1:
        raise ValueError(f"{path}：[import] unit_slip_ratio 应大于 1")
    return ratio


def load_limits(path: Path | None = None) -> Limits:
    """[limits]: the bounds on an uploaded file (size, rows, columns, cells, text, problems listed,
    the memory and time its reading may take); a missing key keeps the default of read.Limits."""
    path = path or settings_path()
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("limits", {})
    except FileNotFoundError:
        return Limits()
    known = {f.name for f in fields(Limits)}
    unknown = set(table) - known
    if unknown:
        raise ValueError(f"{path}：[limits] 中有无法识别的设置 {', '.join(sorted(unknown))}")
    return Limits(**{k: int(v) for k, v in table.items()})
