"""The database, by job: `schema` (tables), `migrate` (Alembic migrations on opening), `engine`
(SQLite or PostgreSQL, write transactions, errors), `scope` (every statement limited to the town
its connection serves), `authority` (who may
change which town), `transaction` (one import stored all or nothing, through enterprise_rows,
span_rows, keyed_rows and project_rows), `history` (imports and undo), `queries` (reading).
Callers use the names below: `from lakou_metrics import store; store.load_observations(engine)`.
Every read and write is limited to one town, the engine's (`store.for_town(engine, town)`), by
scope.py alone: no other module names a town in a query."""
from .authority import NotPermitted, Operator
from .engine import (
    BUSY_STEP_MS,
    DEFAULT_DB,
    LOCK_WAIT_SECONDS,
    StoreUnavailable,
    data_version,
    data_versions,
    files_dir,
    home_town,
    is_empty,
    is_url,
    list_towns,
    lock_wait_notice,
    open_database,
    resolve_db,
    resolve_db_path,
)
from .enterprise_rows import find_enterprises
from .history import list_imports, undo_import
from .queries import (
    electricity_years,
    evaluation_years,
    load_annual_spans,
    load_electricity,
    load_enterprise_targets,
    load_enterprises,
    load_evaluation,
    load_first_reports,
    load_observations,
    load_original,
    load_peer_figures,
    load_project_progress,
    load_projects,
    load_register,
    load_targets,
    load_year_spans,
    observation_years,
    project_years,
)
from .schema import VERSIONED, metadata
from .scope import COUNTY, for_town, town_of
from .transaction import DataChanged, ImportOutcome, store_cleaned

__all__ = [
    "BUSY_STEP_MS", "COUNTY", "DEFAULT_DB", "LOCK_WAIT_SECONDS", "VERSIONED", "DataChanged", "ImportOutcome",
    "NotPermitted", "Operator", "StoreUnavailable", "data_version", "data_versions", "electricity_years",
    "evaluation_years", "files_dir", "find_enterprises", "for_town", "home_town", "is_empty", "is_url",
    "list_imports", "list_towns", "load_annual_spans", "load_electricity", "load_enterprise_targets",
    "load_enterprises", "load_evaluation", "load_first_reports", "load_observations", "load_original",
    "load_peer_figures", "load_project_progress", "load_projects", "load_register", "load_targets",
    "load_year_spans", "lock_wait_notice", "metadata", "observation_years", "open_database", "project_years",
    "resolve_db", "resolve_db_path", "store_cleaned", "town_of", "undo_import",
]
