"""Cached loaders: stored data is read once per change of the database, not on every rerun.

Every cache key includes the data version (bumped by each import or undo), so a page shows new
data on its next run after an import, and pages share what another already computed.
"""
from __future__ import annotations

import streamlit as st

from lakou_metrics import store
from lakou_metrics.compute.metrics import Ledger, compute_reporting, compute_trend
from lakou_metrics.compute.report import YearToDate, load_year_to_date
from lakou_metrics.domain.periods import Period
from lakou_metrics.settings import load_project_settings, load_warning_settings, settings_path, town_today


@st.cache_resource(show_spinner=False)
def get_engine(db_path: str):
    return store.open_database(db_path)


def db_path() -> str:
    return str(store.resolve_db_path())


def data_version() -> int:
    return store.data_version(get_engine(db_path()))


@st.cache_resource(show_spinner=False, max_entries=4)
def _ledger(db: str, version: int) -> Ledger:
    # A shared, read-only object: cache_resource hands every session the same one.
    return Ledger(store.load_observations(get_engine(db)))


def load_ledger() -> Ledger:
    db = db_path()
    return _ledger(db, data_version())


def load_settings():
    """The thresholds of warnings and statuses (config/settings.toml), read when it changes."""
    return _settings(_settings_stamp())


@st.cache_data(show_spinner=False, max_entries=2)
def _settings(stamp: float):
    return load_warning_settings()


def _settings_stamp() -> float:
    path = settings_path()
    return path.stat().st_mtime if path.exists() else 0.0


@st.cache_data(show_spinner=False, max_entries=64)
def _year(db: str, version: int, year: int, last: int, monthly: bool, settings: float,
          today=None) -> YearToDate:
    # `today` is part of the key: a project's milestone can fall due overnight.
    ytd, _ = load_year_to_date(get_engine(db), Period.ytd(year, last), monthly=monthly,
                               settings=load_settings(), ledger=_ledger(db, version),
                               project_settings=load_project_settings(), today=today)
    return ytd


@st.cache_data(show_spinner=False, max_entries=8)
def _available(db: str, version: int) -> dict[int, list[int]]:
    ledger = _ledger(db, version)
    return {year: ledger.ytd_months(year) for year in ledger.years()}


def load_available() -> dict[int, list[int]]:
    """Each year with data and the months its year to date can run through (ascending)."""
    return _available(db_path(), data_version())


@st.cache_data(show_spinner=False, max_entries=64)
def _reporting(db: str, version: int, year: int, first: int, last: int):
    return compute_reporting(_ledger(db, version), Period(year, first, last))


def load_reporting(period: Period):
    """Who of the expected enterprises has a figure for the period (metrics.Reporting)."""
    return _reporting(db_path(), data_version(), period.year, period.first, period.last)


def load_chart_png(chart) -> bytes:
    """A page's chart as a PNG (2x) drawn on the server with the project's CJK font."""
    from lakou_metrics.output.briefing import render_png

    return render_png(chart)


def load_year(period: Period, monthly: bool = False) -> YearToDate:
    """Everything computed for the year through the period's last month."""
    return _year(db_path(), data_version(), period.year, period.last, monthly, _settings_stamp(), town_today())


@st.cache_data(show_spinner=False, max_entries=256)
def _trend(db: str, version: int, year: int, last: int, ids: tuple | None):
    return compute_trend(_ledger(db, version), year, last, ids)


def load_trend(period: Period, enterprise_ids=None):
    """Monthly (or quarterly) output this year and last, for these enterprises (all when None)."""
    ids = None if enterprise_ids is None else tuple(sorted(int(e) for e in enterprise_ids))
    return _trend(db_path(), data_version(), period.year, period.last, ids)


@st.cache_data(show_spinner=False)
def _peer(db: str, version: int, year: int, last: int):
    return store.load_peer_figures(get_engine(db), year, last)


def load_peer(period: Period):
    return _peer(db_path(), data_version(), period.year, period.last)


@st.cache_data(show_spinner="正在生成图表…", max_entries=16)
def _briefing_pngs(db: str, version: int, year: int, last: int, settings: float) -> dict[str, bytes]:
    from lakou_metrics.output.briefing import render_briefing_pngs

    return render_briefing_pngs(_year(db, version, year, last, False, settings, town_today()), _ledger(db, version))


def load_briefing_pngs(period: Period) -> dict[str, bytes]:
    """The briefing's charts as PNG (2x), rendered once per data version."""
    return _briefing_pngs(db_path(), data_version(), period.year, period.last, _settings_stamp())


@st.cache_data(show_spinner=False, max_entries=64)
def _project_history(db: str, version: int, year: int, last: int, key: str):
    from lakou_metrics.compute.projects import project_history

    return project_history(store.load_project_progress(get_engine(db), year), key, last)


def load_project_history(period: Period, project_key: str):
    """A project's months of the year through the period: investment, year to date, received."""
    return _project_history(db_path(), data_version(), period.year, period.last, project_key)


@st.cache_data(show_spinner=False, max_entries=8)
def _project_years(db: str, version: int) -> list[int]:
    return store.project_years(get_engine(db))


def load_project_years() -> list[int]:
    """Years with a 重点项目 register, newest first."""
    return _project_years(db_path(), data_version())
