"""Cached loaders: stored data is read once per change of the data it comes from, not on every rerun.

Every cache key includes the versions of what it was computed from (store.data_versions: each
year's, the register's), so a page shows new data on its next run after an import, an import of
one year keeps what was computed from the others, and pages share what another already computed.
Each year's observations are read on their own (compute.ledger.YearSpans), only when a page needs
that year.

Everything is read for one town (`current_town`: the URL's ?town=, else this session's choice, else
the home town); a cache's first argument, `db`, is the (database, town) pair it was read from.
"""
from __future__ import annotations

import threading

import streamlit as st

from lakou_metrics import store
from lakou_metrics.compute.evaluation import Evaluation, load_stored_evaluation
from lakou_metrics.compute.ledger import Ledger, YearSpans
from lakou_metrics.compute.metrics import compute_reporting, compute_stored_spans, compute_trend
from lakou_metrics.compute.report import YearToDate, load_year_to_date
from lakou_metrics.domain.periods import Period
from lakou_metrics.domain.selection import Available
from lakou_metrics.settings import (
    load_electricity_settings,
    load_evaluation_settings,
    load_project_settings,
    load_warning_settings,
    settings_path,
    town_today,
)


@st.cache_resource(show_spinner=False)
def _open(target: str):
    return store.open_database(target)


def get_engine(db: tuple[str, str]):
    """The engine of a (database, town) pair: the database's connections, read and written as the town's."""
    target, town = db
    return store.for_town(_open(target), town)


_TOWN = "lakou_town"  # this session's town, kept apart from the widget (see ui._CHOSEN)


def towns() -> list[str]:
    """The towns the database holds, the home town first."""
    target = store.resolve_db()
    return _towns(target, store.data_versions(_open(target))["county"])


@st.cache_data(show_spinner=False, max_entries=4)
def _towns(target: str, version: int) -> list[str]:
    return store.list_towns(_open(target)) or [store.home_town()]


def current_town() -> str:
    """The town the pages show: ?town= in the URL when the database holds it, else this session's
    last choice, else the home town. Every loader asks, so the database is asked only about a
    town this session has not shown yet."""
    asked = st.query_params.get("town") or st.session_state.get(_TOWN) or store.home_town()
    if asked != st.session_state.get(_TOWN):
        asked = asked if asked in towns() else store.home_town()
        st.session_state[_TOWN] = asked
    return asked


def unheld_town() -> str | None:
    """The town the URL asks for (?town=) when the database does not hold it, so a page can say it
    shows current_town() instead; None when the URL asks for none or for a town it holds."""
    asked = st.query_params.get("town")
    if not asked or asked == st.session_state.get(_TOWN):  # the session's town is always a held one
        return None
    return None if asked in towns() else asked


def choose_town(town: str) -> None:
    """Show `town` from now on, in this session and in the URL."""
    st.session_state[_TOWN] = town
    st.query_params["town"] = town


def db_path() -> tuple[str, str]:
    """The (database, town) the pages read now."""
    return store.resolve_db(), current_town()


def data_version() -> int:
    return store.data_version(get_engine(db_path()))


def _versions() -> dict[str, int]:
    """The town's version of each scope: "all", "register", "year:2024" … (store.data_versions)."""
    return store.data_versions(get_engine(db_path()))


def _stamps(versions: dict[str, int], years) -> tuple:
    """The part of `versions` that figures of `years` depend on: the register and those years."""
    return (versions.get("register", 0), *((y, versions.get(f"year:{y}", 0)) for y in years))


# What a year to date reads: this year, last year (同比), and the two before (the full-year
# projection averages three earlier years).
def _years_read(year: int) -> range:
    return range(year - 3, year + 1)


_latest: dict[tuple, tuple] = {}
_latest_lock = threading.Lock()


def _fresh(cached, db: str, stamps, *rest):
    """cached(db, stamps, *rest), after dropping what it holds for the same `rest` under older
    stamps: once a year is imported into, its old figures are never asked for again and would
    stay in memory until their cache filled up (ten imports, ten copies)."""
    key = (cached.__name__, db, rest)
    with _latest_lock:
        old, _latest[key] = _latest.get(key), stamps
    if old is not None and old != stamps:
        cached.clear(db, old, *rest)
    return cached(db, stamps, *rest)


@st.cache_resource(show_spinner=False, max_entries=24)
def _year_spans(db: str, stamp: int, year: int) -> YearSpans:
    # One year, shared read-only by every session; an import into another year keeps it.
    return YearSpans(year, store.load_year_spans(get_engine(db), year))


@st.cache_resource(show_spinner=False, max_entries=2)
def _register(db: str, stamp: int):
    return store.load_register(get_engine(db))


@st.cache_data(show_spinner=False, max_entries=2)
def _observation_years(db: str, version: int) -> list[int]:
    return store.observation_years(get_engine(db))


def _ledger(db: str, versions: dict[str, int]) -> Ledger:
    """A ledger whose years come from the per-year cache as the figures ask for them."""
    return Ledger.from_years(_fresh(_observation_years, db, versions["all"]),
                             lambda year: _fresh(_year_spans, db, versions.get(f"year:{year}", 0), year),
                             _fresh(_register, db, versions.get("register", 0)))


def load_ledger() -> Ledger:
    db = db_path()
    return _ledger(db, _versions())


def load_stored_spans() -> dict:
    """{year: its stored spans with their enterprises and totals} (compute_stored_spans), for a town
    whose data gives no year to date yet."""
    ledger = load_ledger()
    return {year: compute_stored_spans(ledger, year) for year in load_years()}


def load_years() -> list[int]:
    """The years with stored figures, ascending."""
    return _fresh(_observation_years, db_path(), _versions()["all"])


def load_settings():
    """The thresholds of warnings and statuses (config/settings.toml), read when it changes."""
    return _settings(_settings_stamp())


@st.cache_data(show_spinner=False, max_entries=2)
def _settings(stamp: float):
    return load_warning_settings()


def load_power_settings():
    """[electricity] of the settings file (以电核产), read when it changes."""
    return _electricity_settings(_settings_stamp())


@st.cache_data(show_spinner=False, max_entries=2)
def _electricity_settings(stamp: float):
    return load_electricity_settings()


def _settings_stamp() -> float:
    path = settings_path()
    return path.stat().st_mtime if path.exists() else 0.0


@st.cache_data(show_spinner=False, max_entries=16)
def _year(db: str, stamps: tuple, year: int, last: int, monthly: bool) -> YearToDate:
    # `stamps` (_stamps of _years_read, the settings file's, today) is the key: an import into
    # another year keeps this; a project's milestone can fall due overnight.
    ytd, _ = load_year_to_date(get_engine(db), Period.ytd(year, last), monthly=monthly,
                               settings=load_settings(), ledger=load_ledger(),
                               project_settings=load_project_settings(), today=stamps[-1],
                               electricity_settings=load_power_settings())
    return ytd


@st.cache_data(show_spinner=False, max_entries=64)
def _months(db: str, stamps: tuple, year: int) -> list[int]:
    return load_ledger().ytd_months(year)


def load_available() -> Available:
    """Each year with data and the months its year to date can run through (ascending); the
    months of a year are read when asked for. They depend on the year before too: whether an
    enterprise is new (and counts from its first month) is whether it had figures then."""
    db, versions = db_path(), _versions()
    return Available(_fresh(_observation_years, db, versions["all"]),
                     lambda year: _fresh(_months, db, (versions.get(f"year:{year - 1}", 0),
                                                       versions.get(f"year:{year}", 0)), year))


@st.cache_data(show_spinner=False, max_entries=64)
def _reporting(db: str, stamps: tuple, year: int, first: int, last: int):
    return compute_reporting(load_ledger(), Period(year, first, last))


def load_reporting(period: Period):
    """Who of the expected enterprises has a figure for the period (metrics.Reporting)."""
    stamps = _stamps(_versions(), (period.year - 1, period.year))
    return _fresh(_reporting, db_path(), stamps, period.year, period.first, period.last)


def load_chart_png(chart) -> bytes:
    """A page's chart as a PNG (2x) drawn on the server with the project's CJK font."""
    from lakou_metrics.output.briefing import render_png

    return render_png(chart)


def load_year(period: Period, monthly: bool = False) -> YearToDate:
    """Everything computed for the year through the period's last month."""
    stamps = (*_stamps(_versions(), _years_read(period.year)), _settings_stamp(), town_today())
    return _fresh(_year, db_path(), stamps, period.year, period.last, monthly)


@st.cache_data(show_spinner=False, max_entries=64)
def _trend(db: str, stamps: tuple, year: int, last: int, above_only: bool, sector: str | None,
           enterprise_id: int | None):
    if enterprise_id is not None:
        ids = [enterprise_id]
    else:
        figures = load_year(Period.ytd(year, last)).scoped(above_only)
        ids = figures.enterprise_id if sector is None else figures[figures.sector == sector].enterprise_id
    return compute_trend(load_ledger(), year, last, ids)


def load_trend(period: Period, above_only: bool = False, sector: str | None = None,
               enterprise_id: int | None = None):
    """Monthly (or quarterly) output this year and last: of one enterprise, else of the
    enterprises in scope reporting for the period (of one sector, when given)."""
    stamps = _stamps(_versions(), _years_read(period.year))
    return _fresh(_trend, db_path(), stamps, period.year, period.last, above_only, sector,
                  None if enterprise_id is None else int(enterprise_id))


@st.cache_data(show_spinner=False, max_entries=2)
def _annual(db: str, version: int):
    return store.load_annual_spans(get_engine(db))


def load_annual():
    """Every year's spans summed per enterprise (store.load_annual_spans), for the trend of
    several years: one aggregate query per change of the town's data, never a year's rows."""
    return _fresh(_annual, db_path(), _versions()["all"])


@st.cache_data(show_spinner=False, max_entries=16)
def _peer(db: str, stamp: int, year: int, last: int):
    return store.load_peer_figures(get_engine(db), year, last)


def load_peer(period: Period):
    return _fresh(_peer, db_path(), _versions().get(f"year:{period.year}", 0), period.year, period.last)


@st.cache_data(show_spinner="正在生成图表…", max_entries=16)
def _briefing_pngs(db: str, stamps: tuple, year: int, last: int) -> dict[str, bytes]:
    from lakou_metrics.output.briefing import render_briefing_pngs

    return render_briefing_pngs(load_year(Period.ytd(year, last)), load_ledger())


def load_briefing_pngs(period: Period) -> dict[str, bytes]:
    """The briefing's charts as PNG (2x), rendered once per change of the years they show."""
    stamps = (*_stamps(_versions(), _years_read(period.year)), _settings_stamp(), town_today())
    return _fresh(_briefing_pngs, db_path(), stamps, period.year, period.last)


@st.cache_data(show_spinner=False, max_entries=64)
def _project_history(db: str, stamp: int, year: int, last: int, key: str):
    from lakou_metrics.compute.projects import project_history

    return project_history(store.load_project_progress(get_engine(db), year), key, last)


def load_project_history(period: Period, project_key: str):
    """A project's months of the year through the period: investment, year to date, received."""
    stamp = _versions().get(f"year:{period.year}", 0)
    return _fresh(_project_history, db_path(), stamp, period.year, period.last, project_key)


@st.cache_data(show_spinner=False, max_entries=8)
def _electricity_years(db: str, version: int) -> list[int]:
    return store.electricity_years(get_engine(db))


def load_electricity_years() -> list[int]:
    """Years with stored electricity (以电核产), ascending: none, and 总览 shows no electricity card."""
    return _fresh(_electricity_years, db_path(), _versions()["all"])


@st.cache_data(show_spinner=False, max_entries=8)
def _project_years(db: str, version: int) -> list[int]:
    return store.project_years(get_engine(db))


def load_project_years() -> list[int]:
    """Years with a 重点项目 register, newest first."""
    return _fresh(_project_years, db_path(), _versions()["all"])


@st.cache_data(show_spinner="正在计算各乡镇数据…", max_entries=8)
def _county(target: str, version: int, year: int, last: int, today):
    from lakou_metrics.compute.county import load_county

    return load_county(_open(target), Period.ytd(year, last), settings=load_settings(),
                       project_settings=load_project_settings(), today=today)


def load_county(period: Period) -> dict:
    """Every town's year to date through the period {town: YearToDate}, computed once per change
    of any town's data."""
    target = store.resolve_db()
    return _county(target, store.data_versions(_open(target))["county"], period.year, period.last, town_today())


@st.cache_data(show_spinner=False, max_entries=64)
def _town_months(db: tuple[str, str], stamps: tuple, year: int) -> list[int]:
    return _ledger(db, store.data_versions(get_engine(db))).ytd_months(year)


def load_county_available() -> Available:
    """The county's periods (the 县域 page's choice): every year any town has data for, and the
    months any town's year to date can run through — not only the town shown's."""
    target = store.resolve_db()
    versions = {(target, town): store.data_versions(get_engine((target, town))) for town in towns()}
    years = sorted({y for db, v in versions.items() for y in _fresh(_observation_years, db, v["all"])})

    def months(year: int) -> list[int]:
        return sorted({m for db, v in versions.items() for m in _fresh(
            _town_months, db, (v.get(f"year:{year - 1}", 0), v.get(f"year:{year}", 0)), year)})
    return Available(years, months)


@st.cache_data(show_spinner=False, max_entries=8)
def _evaluation_years(db: str, version: int) -> list[int]:
    return store.evaluation_years(get_engine(db))


def load_evaluation_years() -> list[int]:
    """The years with stored 亩均效益评价 data, ascending."""
    return _fresh(_evaluation_years, db_path(), _versions()["all"])


def load_method():
    """The 亩均效益评价 method ([evaluation] of the settings file), read when the file changes.
    Raises ValueError (in Chinese, naming the file and table) when the settings are bad."""
    return _method(_settings_stamp())


@st.cache_data(show_spinner=False, max_entries=2)
def _method(stamp: float):
    return load_evaluation_settings()


@st.cache_data(show_spinner="正在计算亩均效益评价…", max_entries=8)
def _evaluation(db: str, stamps: tuple, year: int) -> Evaluation | None:
    return load_stored_evaluation(get_engine(db), year, load_method())


def load_evaluation(year: int) -> Evaluation | None:
    """The year's 亩均效益评价 (compute.evaluation.evaluate_stored), with each enterprise's change of
    class from last year, computed once per change of the town's data (its first output reports
    count too) or of the settings file; None when the year has none. Raises ValueError when the
    settings are bad (load_method)."""
    return _fresh(_evaluation, db_path(), (_versions()["all"], _settings_stamp()), year)
