"""The engine: SQLite in data/ by default (WAL, busy timeout, BEGIN IMMEDIATE so concurrent imports
queue instead of interleaving), or a shared PostgreSQL named by a SQLAlchemy URL (writers queue on
a transaction-level advisory lock), both reached through SQLAlchemy Core; the schema brought up to
date by Alembic on opening (`migrate`); the town an engine reads and writes (`for_town`; on
PostgreSQL also told to the database at the start of every transaction, `set_town_setting`, whose
row-level security then holds the transaction to that town's rows); write transactions, the data
versions caches key on, and failures of the store itself as StoreUnavailable with a Chinese message."""
from __future__ import annotations

import errno
import logging
import os
import time
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from sqlalchemy import (
    Integer,
    String,
    cast,
    create_engine,
    event,
    exists,
    func,
    insert,
    or_,
    select,
    text,
    union,
    update,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, OperationalError

from ..domain import labels
from ..domain.text import strip_invisible
from . import scope
from .schema import imports, meta, towns
from .scope import for_town, town_of

DEFAULT_DB = Path("data") / "lakou.db"


def resolve_db(db: str | os.PathLike | None = None) -> str:
    """--db, else $LAKOU_DB, else data/lakou.db: a SQLAlchemy URL (postgresql+psycopg://…) or
    the path of a SQLite file."""
    return str(db or os.environ.get("LAKOU_DB") or DEFAULT_DB)


def is_url(db: str) -> bool:
    """True when `db` names a database server by URL rather than a SQLite file by path."""
    if "://" not in db:
        return False
    try:
        make_url(db)
    except ArgumentError:
        return False
    return True


def resolve_db_path(db: str | os.PathLike | None = None) -> Path:
    """The SQLite file `db` names; for a database server, the data/ folder's default file, beside
    which logs are written."""
    target = resolve_db(db)
    return DEFAULT_DB if is_url(target) else Path(target)


def home_town() -> str:
    """The town this installation serves by default: $LAKOU_TOWN (as typed, less spaces and
    invisible characters), else 腊口镇."""
    return strip_invisible(os.environ.get("LAKOU_TOWN") or "").strip() or labels.TOWN


def open_database(db: str | os.PathLike | None = None, town: str | None = None) -> Engine:
    """An engine on the database (`resolve_db`), its schema made or upgraded on the way
    (`migrate`), serving `town` (the home town by default)."""
    target = resolve_db(db)
    if is_url(target) and make_url(target).get_backend_name() != "sqlite":
        engine = _server_engine(target)
    else:  # a path, or a sqlite:/// URL: the embedded file, with its locking
        engine = _sqlite_engine(Path(make_url(target).database if is_url(target) else target))
    scope.install(engine)
    from .migrate import migrate

    with _translated_errors():
        migrate(engine, home_town())
    return for_town(engine, town or home_town())


def _sqlite_engine(path: Path) -> Engine:
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

    return engine


# The advisory lock every writer of a shared database holds until its transaction ends.
WRITE_LOCK_KEY = 0x1A4B0  # "lakou"


def _server_engine(url: str) -> Engine:
    """A database server (PostgreSQL): several app processes on several machines share it. Writers
    queue on one transaction-level advisory lock, released by commit, rollback or a lost
    connection (a process killed mid-import leaves nothing behind); readers never wait."""
    engine = create_engine(url, pool_pre_ping=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        set_town_setting(conn)
        if conn.get_execution_options().get("lakou_write"):
            _advisory_lock(conn)

    return engine


def set_town_setting(conn: Connection) -> None:
    """On PostgreSQL, tell the database which town this transaction acts for: `lakou.town`, from
    the connection's town (for_town; '' when it has none, which matches no town's rows). The
    database's row-level security (migration 0003) then reads and writes that town's rows only,
    every town's for reading as COUNTY. Called at the start of every transaction, and again after
    a connection's town is changed within one. Nothing on SQLite, which has no such security."""
    if conn.dialect.name != "postgresql":
        return
    town = conn.get_execution_options().get(scope.TOWN_OPTION) or ""
    conn.execute(text("SELECT set_config('lakou.town', :town, true)"), {"town": town})


def _advisory_lock(conn) -> None:
    """Take the writers' lock, waiting up to LOCK_WAIT_SECONDS for another writer (announced
    through `lock_wait_notice`)."""
    if conn.exec_driver_sql(f"SELECT pg_try_advisory_xact_lock({WRITE_LOCK_KEY})").scalar():
        return
    notice = lock_wait_notice.get()
    if notice:
        notice()
    conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(LOCK_WAIT_SECONDS * 1000)}ms'")
    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
    conn.exec_driver_sql("SET LOCAL lock_timeout = 0")


@contextmanager
def _writing(engine: Engine):
    """A write transaction (the only place one is opened), committed at the end unless an error is
    raised or the caller rolls it back (`conn.rollback()`). A locked, full, read-only or
    unreachable store raises StoreUnavailable, with nothing changed."""
    with _translated_errors(), engine.connect().execution_options(lakou_write=True) as conn:
        with conn.begin():
            yield conn


@contextmanager
def _reading(engine: Engine):
    """A read transaction, rolled back at the end: it takes no writers' lock, so it never waits
    for another's import (an import's preview runs in one). Every read in it sees the data as of
    its first: SQLite's read transactions do; PostgreSQL's do at REPEATABLE READ."""
    with _translated_errors(), engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin() as trans:
            yield conn
            trans.rollback()


def _read_data_version(conn: Connection, key: str = "data_version") -> int | None:
    value = conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()
    return None if value is None else int(value)


def _bump_data_version(conn: Connection, key: str = "data_version") -> None:
    """Count one more change under `key` in meta, in one statement (two writers of a shared
    database never lose a count)."""
    counted = conn.execute(update(meta).where(meta.c.key == key).values(
        value=cast(cast(meta.c.value, Integer) + 1, String)))
    if not counted.rowcount:
        conn.execute(insert(meta).values(key=key, value="1"))


def town_version_key(town: str, scope: str = "all") -> str:
    """The meta key counting changes of a town's data: all of it, or one scope ("year:2024", "register")."""
    return f"data_version:{town}:{scope}"


def bump_town(conn: Connection, town: str, scopes: set[str]) -> None:
    """Mark a change of `town`'s data: the whole store's version, the town's, and each of these
    scopes of the town (changed_scopes), for caches that key on them."""
    _bump_data_version(conn)
    for part in ["all", *sorted(scopes)]:
        _bump_data_version(conn, town_version_key(town, part))


def changed_scopes(conn: Connection, import_id: int) -> set[str]:
    """What an import changes (or its undo changes back): "year:2024" for each year whose rows it
    adds or replaces, in any data table, and "register" when it adds or changes enterprises or
    their names. Asked before an undo removes the rows that tell."""
    from .schema import VERSIONED, enterprise_aliases, enterprise_changes, enterprises

    # Two statements, not one a table: each is limited to the town before it runs (store/scope.py).
    years = union(*(select(table.c.year).where((table.c.import_id == import_id) | (table.c.replaced_by == import_id))
                    for table in VERSIONED))
    scopes = {f"year:{int(y)}" for y in conn.execute(years).scalars()}
    register = or_(exists().where(enterprise_changes.c.import_id == import_id),
                   exists().where(enterprises.c.created_by == import_id),
                   exists().where(enterprise_aliases.c.import_id == import_id))
    if conn.execute(select(register)).scalar():
        scopes.add("register")
    return scopes


def data_versions(engine: Engine) -> dict[str, int]:
    """The versions of the engine's town: {"all": n, "register": n, "year:2024": n, …, "county": n};
    each grows when that part of the town's data changes, so a cache of one year is kept while
    another year (or another town) is imported; "county" grows with any town's change. A scope
    never changed reads 0."""
    prefix = town_version_key(town_of(engine), "")
    with engine.connect() as conn:
        rows = conn.execute(select(meta.c.key, meta.c.value).where(
            meta.c.key.startswith(prefix, autoescape=True) | (meta.c.key == "data_version"))).all()
    versions = {("county" if key == "data_version" else key.removeprefix(prefix)): int(value) for key, value in rows}
    versions.setdefault("all", 0)
    versions.setdefault("county", 0)
    return versions


def files_dir(engine: Engine) -> Path | None:
    """Where releases before the county edition kept original files (named by their sha256):
    beside a SQLite file. None for a database server."""
    if engine.dialect.name != "sqlite":
        return None
    return Path(engine.url.database).parent / "files"


def is_empty(engine: Engine) -> bool:
    """True when the engine's town has no active import (a fresh database, or everything undone)."""
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(imports).where(
            imports.c.status == "active")).scalar() == 0


def data_version(engine: Engine) -> int:
    """A number that grows whenever the engine's town's data changes, for caches and previews to
    key on (another town's import leaves it alone)."""
    with engine.connect() as conn:
        return _read_data_version(conn, town_version_key(town_of(engine))) or 0


def list_towns(engine: Engine) -> list[str]:
    """The towns the database holds, the home town first."""
    with engine.connect() as conn:
        return list(conn.execute(select(towns.c.name).order_by(towns.c.position, towns.c.name)).scalars())



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
    return "locked" in text or "busy" in text or "lock timeout" in text



@contextmanager
def _translated_errors():
    """Failures of the store itself as StoreUnavailable with a Chinese message; a transaction that
    fails this way has been rolled back, so nothing is half-stored."""
    try:
        yield
    except (DBAPIError, OSError) as exc:
        if isinstance(exc, DBAPIError) and not isinstance(exc, (OperationalError, IntegrityError)):
            raise
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
        elif "connection" in text or "could not connect" in text or "server closed" in text:
            message = labels.STORE_UNREACHABLE
        else:
            raise
        logging.getLogger(__name__).warning("store unavailable: %s", exc)
        raise StoreUnavailable(message) from exc
