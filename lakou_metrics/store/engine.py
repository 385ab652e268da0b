"""The engine: SQLite in data/ by default (WAL, busy timeout, BEGIN IMMEDIATE so concurrent imports
queue instead of interleaving), reached through SQLAlchemy Core so that a shared PostgreSQL can serve
later without a rewrite; write transactions, the data version caches key on, and failures of the
store itself as StoreUnavailable with a Chinese message."""
from __future__ import annotations

import errno
import getpass
import logging
import os
import time
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from sqlalchemy import (
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy import inspect as sqlalchemy_inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from ..domain import labels
from .schema import MIGRATIONS, SCHEMA_VERSION, imports, meta, metadata

DEFAULT_DB = Path("data") / "lakou.db"


def resolve_db_path(db: str | os.PathLike | None = None) -> Path:
    """--db, else $LAKOU_DB, else data/lakou.db."""
    return Path(db or os.environ.get("LAKOU_DB") or DEFAULT_DB)


def open_database(db: str | os.PathLike | None = None) -> Engine:
    """An engine on the SQLite file (created with its schema when missing)."""
    path = resolve_db_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" below open transactions, so they can be IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_STEP_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A writer takes the lock at the start: two imports of one period queue, never interleave.
        # Readers begin deferred, so a page never waits for an import to finish.
        if conn.get_execution_options().get("lakou_write"):
            _begin_immediate(conn)
        else:
            conn.exec_driver_sql("BEGIN")

    with _translated_errors(), _writing(engine, commit=True, bump=False) as conn:
        fresh = not sqlalchemy_inspect(conn).has_table("meta")
        metadata.create_all(conn)
        found = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
        if found is None or fresh:
            conn.execute(delete(meta).where(meta.c.key == "schema_version"))
            conn.execute(insert(meta).values(key="schema_version", value=str(SCHEMA_VERSION)))
        elif int(found) < SCHEMA_VERSION:
            for version in range(int(found) + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[version]:
                    conn.exec_driver_sql(statement)
            conn.execute(update(meta).where(meta.c.key == "schema_version").values(value=str(SCHEMA_VERSION)))
    return engine


@contextmanager
def _writing(engine: Engine, commit: bool = True, bump: bool = True):
    """A write transaction: committed at the end unless `commit` is False or an error is raised;
    `bump` marks the stored data as changed (for caches). A locked, full or read-only store
    raises StoreUnavailable, with nothing changed."""
    with _translated_errors(), engine.connect().execution_options(lakou_write=True) as conn:
        trans = conn.begin()
        try:
            yield conn
        except BaseException:
            trans.rollback()
            raise
        if commit:
            if bump:
                _bump_data_version(conn)
            trans.commit()
        else:
            trans.rollback()


def _read_data_version(conn: Connection, key: str = "data_version") -> int | None:
    value = conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()
    return None if value is None else int(value)


def _bump_data_version(conn: Connection, key: str = "data_version") -> None:
    """Count one more change under `key` in meta (the whole store's by default)."""
    current = _read_data_version(conn, key)
    if current is None:
        conn.execute(insert(meta).values(key=key, value="1"))
    else:
        conn.execute(update(meta).where(meta.c.key == key).values(value=str(current + 1)))


def changed_scopes(conn: Connection, import_id: int) -> set[str]:
    """What an import changes (or its undo changes back): "year:2024" for each year whose rows it
    adds or replaces, in any data table, and "register" when it adds or changes enterprises or
    their names. Asked before an undo removes the rows that tell."""
    from .schema import VERSIONED, enterprise_aliases, enterprise_changes, enterprises

    scopes = set()
    for table in VERSIONED:
        found = conn.execute(select(table.c.year).where(
            (table.c.import_id == import_id) | (table.c.replaced_by == import_id)).distinct()).scalars()
        scopes.update(f"year:{int(y)}" for y in found)
    register = (select(enterprise_changes.c.id).where(enterprise_changes.c.import_id == import_id),
                select(enterprises.c.id).where(enterprises.c.created_by == import_id),
                select(enterprise_aliases.c.name_key).where(enterprise_aliases.c.import_id == import_id))
    if any(conn.execute(query.limit(1)).first() is not None for query in register):
        scopes.add("register")
    return scopes


def bump_scopes(conn: Connection, scopes: set[str]) -> None:
    """Mark these scopes (changed_scopes) as changed, for caches that key on them."""
    for scope in sorted(scopes):
        _bump_data_version(conn, f"data_version:{scope}")


def data_versions(engine: Engine) -> dict[str, int]:
    """{"all": n, "register": n, "year:2024": n, …}: each grows when that part of the stored data
    changes, so a cache of one year is kept while another year is imported (a scope never bumped
    reads 0)."""
    with engine.connect() as conn:
        rows = conn.execute(select(meta.c.key, meta.c.value).where(meta.c.key.like("data_version%"))).all()
    versions = {("all" if key == "data_version" else key.removeprefix("data_version:")): int(value)
                for key, value in rows}
    versions.setdefault("all", 0)
    return versions


def files_dir(engine: Engine) -> Path:
    """Where original files are kept, named by their sha256: beside the database."""
    return Path(engine.url.database).parent / "files"


def is_empty(engine: Engine) -> bool:
    """True when no import is active (a fresh database, or everything undone)."""
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(imports)
                            .where(imports.c.status == "active")).scalar() == 0


def data_version(engine: Engine) -> int:
    """A number that grows whenever stored data changes, for caches to key on."""
    with engine.connect() as conn:
        return _read_data_version(conn) or 0



class StoreUnavailable(Exception):
    """The store could not take a change (locked by another writer past the wait, disk full,
    read-only or unopenable); nothing was changed. The message is for the person."""



# How long a writer waits for another writer's lock, and in what steps (so it can say it waits).
LOCK_WAIT_SECONDS = 30.0

BUSY_STEP_MS = 1000

# Called once when a writer starts waiting for another's lock (the CLI prints a line).
lock_wait_notice: ContextVar = ContextVar("lock_wait_notice", default=None)



def _begin_immediate(conn) -> None:
    """BEGIN IMMEDIATE, retried in one-second steps for up to LOCK_WAIT_SECONDS while another
    writer holds the lock; the first wait is announced through `lock_wait_notice`."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    announced = False
    while True:
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as exc:
            if not _is_locked(exc) or time.monotonic() >= deadline:
                raise
            notice = lock_wait_notice.get()
            if notice and not announced:
                notice()
                announced = True



def _is_locked(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text



@contextmanager
def _translated_errors():
    """Failures of the store itself as StoreUnavailable with a Chinese message; a transaction that
    fails this way has been rolled back, so nothing is half-stored."""
    try:
        yield
    except (OperationalError, IntegrityError, OSError) as exc:
        text = str(exc).lower()
        errno_ = getattr(exc, "errno", None) or getattr(getattr(exc, "orig", None), "sqlite_errorcode", None)
        if isinstance(exc, OperationalError) and _is_locked(exc):
            message = labels.STORE_BUSY.format(s=int(LOCK_WAIT_SECONDS))
        elif "full" in text or "disk i/o" in text or errno_ == errno.ENOSPC:
            message = labels.STORE_FULL
        elif "readonly" in text or "read-only" in text or "unable to open" in text or isinstance(exc, PermissionError):
            message = labels.STORE_READ_ONLY
        elif isinstance(exc, IntegrityError):
            message = labels.STORE_CONFLICT
        else:
            raise
        logging.getLogger(__name__).warning("store unavailable: %s", exc)
        raise StoreUnavailable(message) from exc



def _current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


