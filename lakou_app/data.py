"""The one cached loader: stored data is read once per change of the database, not per rerun."""
from __future__ import annotations

import streamlit as st

from lakou_metrics import store
from lakou_metrics.metrics import Ledger
from lakou_metrics.periods import Period
from lakou_metrics.report import YearToDate, compute_year_to_date


@st.cache_resource
def get_engine(db_path: str):
    return store.open_database(db_path)


def db_path() -> str:
    return str(store.resolve_db_path())


@st.cache_data(show_spinner=False)
def _load(db: str, version: int):
    engine = get_engine(db)
    observations = store.load_observations(engine)
    return observations


def load_ledger() -> Ledger:
    """All stored observations, re-read only when the data version changes."""
    db = db_path()
    return Ledger(_load(db, store.data_version(get_engine(db))))


def latest_period(ledger: Ledger) -> Period | None:
    """The latest year to date that has data."""
    years = ledger.years()
    if not years:
        return None
    year = years[-1]
    return Period.ytd(year, ledger.months_loaded(year))


def load_year_to_date(period: Period) -> YearToDate:
    db = db_path()
    engine = get_engine(db)
    goals, actuals = store.load_targets(engine, period.year)
    return compute_year_to_date(load_ledger(), period, goals, actuals,
                                store.load_enterprise_targets(engine, period.year))
