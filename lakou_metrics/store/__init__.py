"""The database, by job: `schema` (tables), `engine` (opening, write transactions, errors),
`transaction` (one import stored all or nothing, through enterprise_rows, span_rows, keyed_rows and
project_rows), `history` (imports and undo), `queries` (reading).
Callers use the names below: `from lakou_metrics import store; store.load_observations(engine)`."""
from .engine import (
    BUSY_STEP_MS,
    DEFAULT_DB,
    LOCK_WAIT_SECONDS,
    StoreUnavailable,
    data_version,
    data_versions,
    files_dir,
    is_empty,
    lock_wait_notice,
    open_database,
    resolve_db_path,
)
from .enterprise_rows import find_enterprises
from .history import list_imports, undo_import
from .queries import (
    load_enterprise_targets,
    load_enterprises,
    load_observations,
    load_peer_figures,
    load_project_progress,
    load_projects,
    load_register,
    load_targets,
    load_year_spans,
    observation_years,
    project_years,
)
from .schema import SCHEMA_VERSION, VERSIONED, metadata
from .transaction import DataChanged, ImportOutcome, store_cleaned

__all__ = [
    "BUSY_STEP_MS", "DEFAULT_DB", "LOCK_WAIT_SECONDS", "SCHEMA_VERSION", "VERSIONED", "DataChanged", "ImportOutcome",
    "StoreUnavailable", "data_version", "data_versions", "files_dir", "find_enterprises", "is_empty", "list_imports",
    "load_enterprise_targets", "load_enterprises", "load_observations", "load_peer_figures",
    "load_project_progress", "load_projects", "load_register", "load_targets", "load_year_spans",
    "lock_wait_notice", "metadata", "observation_years", "open_database", "project_years", "resolve_db_path",
    "store_cleaned", "undo_import",
]
