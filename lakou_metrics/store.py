"""The database: schema, imports in one transaction, import history, undo.

SQLite in data/ by default (WAL, busy timeout, BEGIN IMMEDIATE so concurrent imports queue
instead of interleaving), reached through SQLAlchemy Core so that a shared PostgreSQL can serve
later without a rewrite. Rows are never updated in place: an import that replaces a period marks
the old rows `replaced_by` itself, so undo restores them exactly.
"""
from __future__ import annotations

import datetime as dt
import errno
import getpass
import hashlib
import json
import logging
import os
import tempfile
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import (
    Boolean, Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, and_, create_engine,
    delete, event, func, insert, or_, select, update,
)
from sqlalchemy import inspect as sqlalchemy_inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from . import labels
from .clean import CleanResult, read_and_clean
from .columns import MILESTONE_FIELDS
from .errors import ImportRefused, Problem
from .numbers import format_10k, values_agree
from .periods import Period
from .spans import find_disagreement

DEFAULT_DB = Path("data") / "lakou.db"
# Called inside an import's transaction just before it commits; tests use it to kill the process
# at the worst moment. None in normal use.
before_commit = None
SCHEMA_VERSION = 3
# Schema changes since version 1, applied in order to older databases when they are opened
# (new tables need none: create_all adds them).
MIGRATIONS = {
    2: ["ALTER TABLE enterprise_aliases ADD COLUMN alias VARCHAR NOT NULL DEFAULT ''"],
    3: [],  # projects, project_progress
}

metadata = MetaData()

meta = Table("meta", metadata, Column("key", String, primary_key=True), Column("value", String))

imports = Table(
    "imports", metadata,
    Column("id", Integer, primary_key=True),
    Column("file_name", String, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("size_bytes", Integer, nullable=False),
    Column("stored_path", String),
    Column("imported_at", String, nullable=False),  # ISO 8601, local time with offset
    Column("imported_by", String, nullable=False),
    Column("row_count", Integer, nullable=False),
    Column("periods", String, nullable=False),  # JSON list of period labels
    Column("replaced", String, nullable=False),  # JSON list of period labels it replaced
    Column("status", String, nullable=False, default="active"),  # active | undone
    Column("undone_at", String),
    Column("undone_by", String),
)

enterprises = Table(
    "enterprises", metadata,
    Column("id", Integer, primary_key=True),
    Column("name_key", String, nullable=False, unique=True),
    Column("name", String, nullable=False),
    Column("credit_code", String, unique=True),
    Column("sector", String, nullable=False, default="other"),
    Column("above_scale", Boolean),
    Column("contact", String),
    Column("created_by", Integer, ForeignKey("imports.id")),
)

# Other spellings of an enterprise's name (normalised), so two spellings become one enterprise.
enterprise_aliases = Table(
    "enterprise_aliases", metadata,
    Column("name_key", String, primary_key=True),
    Column("alias", String, nullable=False),  # as typed
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("import_id", Integer, ForeignKey("imports.id")),
)

# The attributes an import changed, as they were before it (JSON), so undo can put them back.
enterprise_changes = Table(
    "enterprise_changes", metadata,
    Column("id", Integer, primary_key=True),
    Column("import_id", Integer, ForeignKey("imports.id"), nullable=False, index=True),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("before", String, nullable=False),
)


def _versioned(name: str, *columns) -> Table:
    """A data table whose rows belong to an import and may be replaced by a later one."""
    return Table(
        name, metadata,
        Column("id", Integer, primary_key=True),
        Column("import_id", Integer, ForeignKey("imports.id"), nullable=False),
        *columns,
        # Not indexed on their own: undo scans by them rarely, and every index slows a bulk import.
        Column("replaced_by", Integer, ForeignKey("imports.id")),
    )


observations = _versioned(
    "observations",
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("first_month", Integer, nullable=False),
    Column("last_month", Integer, nullable=False),
    Column("value_10k", Float, nullable=False),
    Column("prior_10k", Float),
    Column("above_scale", Boolean),
    Column("sector", String),
)
Index("ix_observations_span", observations.c.year, observations.c.first_month,
      observations.c.last_month, observations.c.replaced_by)

targets = _versioned(
    "targets",
    Column("year", Integer, nullable=False),
    Column("indicator", String, nullable=False),
    Column("target", Float, nullable=False),
)
target_actuals = _versioned(
    "target_actuals",
    Column("year", Integer, nullable=False),
    Column("indicator", String, nullable=False),
    Column("last_month", Integer, nullable=False),
    Column("actual", Float, nullable=False),
)
enterprise_targets = _versioned(
    "enterprise_targets",
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("target_10k", Float, nullable=False),
)
peer_figures = _versioned(
    "peer_figures",
    Column("town", String, nullable=False),
    Column("year", Integer, nullable=False),
    Column("last_month", Integer, nullable=False),
    Column("indicator", String, nullable=False),
    Column("value", Float, nullable=False),
)
# 重点项目: a year's register, one row per project (milestone dates as ISO text, NULL when none) …
projects = _versioned(
    "projects",
    Column("year", Integer, nullable=False),
    Column("name_key", String, nullable=False),
    Column("name", String, nullable=False),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("sector", String),  # NULL: the enterprise's
    Column("kind", String),  # 新建 | 扩建 | 技改
    Column("manufacturing", Boolean, nullable=False),
    Column("total_10k", Float),
    Column("plan_10k", Float),  # this year's planned investment
    Column("inward", Boolean, nullable=False),  # 市外内资
    Column("contracted_10k", Float),
    Column("signed", String),
    Column("contact", String),
    *(Column(name, String) for name in MILESTONE_FIELDS),
    Column("issues", String),
)
# … and its progress: investment completed (and inward capital received) per project and span.
project_progress = _versioned(
    "project_progress",
    Column("year", Integer, nullable=False),
    Column("project_key", String, nullable=False),
    Column("first_month", Integer, nullable=False),
    Column("last_month", Integer, nullable=False),
    Column("invested_10k", Float),
    Column("received_10k", Float),
)
PROJECT_VALUES = ("name", "enterprise_id", "sector", "kind", "manufacturing", "total_10k", "plan_10k", "inward",
                  "contracted_10k", "signed", "contact", *MILESTONE_FIELDS, "issues")
VERSIONED = (observations, targets, target_actuals, enterprise_targets, peer_figures, projects, project_progress)
ENTERPRISE_ATTRIBUTES = ("name", "credit_code", "sector", "above_scale", "contact")


# -- engine ------------------------------------------------------------------------------------
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


def _read_data_version(conn: Connection) -> int | None:
    value = conn.execute(select(meta.c.value).where(meta.c.key == "data_version")).scalar()
    return None if value is None else int(value)


def _bump_data_version(conn: Connection) -> None:
    current = _read_data_version(conn)
    if current is None:
        conn.execute(insert(meta).values(key="data_version", value="1"))
    else:
        conn.execute(update(meta).where(meta.c.key == "data_version").values(value=str(current + 1)))


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


# -- import ------------------------------------------------------------------------------------
@dataclass
class ImportOutcome:
    status: str  # imported | unchanged | dry_run
    file: str
    import_id: int | None = None
    rows: int = 0
    periods: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    new_enterprises: int = 0
    warnings: list[Problem] = field(default_factory=list)
    cleaned: CleanResult | None = None

    def describe(self) -> str:
        """What happened, in Chinese, for the CLI and the page."""
        periods = "、".join(self.periods) or "—"
        if self.status == "unchanged":
            lines = [labels.UNCHANGED.format(file=self.file)]
        elif self.status == "dry_run":
            lines = [labels.DRY_RUN.format(file=self.file, rows=self.rows, periods=periods)]
        else:
            lines = [labels.IMPORTED.format(file=self.file, rows=self.rows, periods=periods,
                                            id=self.import_id)]
            if self.replaced:
                lines.append(labels.REPLACED.format(periods="、".join(self.replaced), id=self.import_id))
        if self.new_enterprises:
            lines.append(f"新增企业 {self.new_enterprises} 家")
        if self.warnings:
            lines.append(labels.WARNINGS_HEADING)
            lines += [f"- {w.describe()}" for w in self.warnings]
        return "\n".join(lines)


def import_file(engine: Engine, path: str | os.PathLike, **kwargs) -> ImportOutcome:
    """Import a file from disk; see `import_bytes`."""
    from .settings import load_limits

    path = Path(path)
    limit = load_limits().max_file_bytes
    try:
        if path.stat().st_size > limit:  # refused before a byte is read into memory
            raise ImportRefused([Problem(path.name, labels.FILE_TOO_LARGE.format(mb=limit // 1_000_000))])
        data = path.read_bytes()
    except OSError as exc:
        reason = ("文件不存在" if isinstance(exc, FileNotFoundError) else
                  "没有读取这个文件的权限" if isinstance(exc, PermissionError) else
                  "这是一个文件夹，不是文件" if isinstance(exc, IsADirectoryError) else "无法读取文件")
        raise ImportRefused([Problem(path.name, reason)]) from None
    return import_bytes(engine, data, path.name, **kwargs)


def import_bytes(engine: Engine, data: bytes, file_name: str, *, period: Period | None = None,
                 who: str | None = None, dry_run: bool = False,
                 expected_version: int | None = None) -> ImportOutcome:
    """Read, clean, check and store one file in one transaction: all of it or none of it.

    Raises ImportRefused with every problem found. Importing data identical to what is stored
    changes nothing and returns status "unchanged". With `expected_version` (from a preview),
    raises DataChanged when someone else changed the data since.
    """
    cleaned = read_and_clean(data, file_name, period)
    sha = hashlib.sha256(data).hexdigest()
    keep = None if dry_run else (lambda: _keep_original(engine, data, sha, file_name))
    return store_cleaned(engine, cleaned, sha, len(data), who=who, dry_run=dry_run,
                         expected_version=expected_version, store_file=keep)


class DataChanged(Exception):
    """The stored data changed after the preview the user confirmed; nothing was stored."""


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


def store_cleaned(engine: Engine, cleaned: CleanResult, sha: str, size: int, *, who: str | None = None,
                  dry_run: bool = False, expected_version: int | None = None,
                  store_file=None) -> ImportOutcome:
    """Store cleaned tables (from a file or from a page's edits) in one write transaction."""
    who = who or _current_user()
    with _translated_errors(), engine.connect().execution_options(lakou_write=True) as conn:
        with conn.begin() as trans:
            if expected_version is not None:
                _check_version(conn, expected_version)
            outcome = _ImportTransaction(conn, cleaned, sha, size, who).run(store_file=store_file)
            if dry_run or outcome.status == "unchanged":
                trans.rollback()
            else:
                _bump_data_version(conn)
                if before_commit is not None:
                    before_commit()
    if dry_run:
        outcome.status = "dry_run"
    return outcome


def _check_version(conn: Connection, expected: int) -> None:
    if (_read_data_version(conn) or 0) != expected:
        latest = conn.execute(select(imports).order_by(imports.c.id.desc()).limit(1)).first()
        what = (f"{latest.imported_by} 于 {latest.imported_at} "
                f"{'撤销了' if latest.status == 'undone' else '导入了'}「{latest.file_name}」") if latest else "数据已变化"
        raise DataChanged(labels.DATA_CHANGED.format(what=what))


class _ImportTransaction:
    def __init__(self, conn: Connection, cleaned: CleanResult, sha: str, size: int, who: str):
        self.conn, self.cleaned, self.sha, self.size, self.who = conn, cleaned, sha, size, who
        self.import_id: int | None = None
        self.changed = False
        self.new_enterprises = 0

    def run(self, store_file) -> ImportOutcome:
        c = self.cleaned
        now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        self.import_id = self.conn.execute(insert(imports).values(
            file_name=c.file, sha256=self.sha, size_bytes=self.size, imported_at=now,
            imported_by=self.who, row_count=c.row_count, periods="[]", replaced="[]", status="active",
        )).inserted_primary_key[0]

        ids = self._resolve_enterprises()
        replaced = []
        replaced += self._store_observations(ids)
        replaced += self._store_rows(targets, c.targets, ["year", "indicator"], ["target"],
                                     lambda r: f"{r['year']}年目标")
        replaced += self._store_rows(target_actuals, c.target_actuals,
                                     ["year", "indicator", "last_month"], ["actual"],
                                     lambda r: f"{r['year']}年1-{r['last_month']}月目标完成情况")
        ent_targets = c.enterprise_targets.assign(
            enterprise_id=[ids[k] for k in c.enterprise_targets["name_key"]]
        )[["enterprise_id", "year", "target_10k"]]
        replaced += self._store_rows(enterprise_targets, ent_targets, ["year", "enterprise_id"],
                                     ["target_10k"], lambda r: f"{r['year']}年企业目标")
        self._store_aliases(ids)
        replaced += self._store_rows(peer_figures, c.peer_figures, ["town", "year", "last_month", "indicator"],
                                     ["value"], lambda r: f"{r['town']}{r['year']}年1-{r['last_month']}月")
        replaced += self._store_projects()
        replaced += self._store_progress()

        periods = list(dict.fromkeys(p for s in c.sheets for p in s.periods))
        replaced = list(dict.fromkeys(replaced))
        self.conn.execute(update(imports).where(imports.c.id == self.import_id).values(
            periods=json.dumps(periods, ensure_ascii=False),
            replaced=json.dumps(replaced, ensure_ascii=False)))
        outcome = ImportOutcome("imported", c.file, self.import_id, c.row_count, periods, replaced,
                                self.new_enterprises, c.warnings, c)
        if not self.changed:
            outcome.status, outcome.import_id = "unchanged", None
        elif store_file is not None:
            path = store_file()
            self.conn.execute(update(imports).where(imports.c.id == self.import_id)
                              .values(stored_path=path.name))
        return outcome

    # -- enterprises ---------------------------------------------------------------------------
    def _resolve_enterprises(self) -> dict[str, int]:
        """name_key → enterprise id for every enterprise the file names; creates and updates."""
        if self.cleaned.enterprises.empty:
            return {}
        # The last mention of an enterprise in a file carries its latest attributes
        # (groupby.last skips blanks, so a blank cell never erases a known attribute).
        mentioned = self.cleaned.enterprises.astype(object)
        mentioned = mentioned.where(mentioned.notna(), None)
        editing = self.cleaned.authoritative  # a register edited on the page: blanks do clear
        latest = (mentioned.drop_duplicates("name_key", keep="last").set_index("name_key") if editing
                  else mentioned.groupby("name_key", sort=False).last())

        existing, by_key, by_code = _enterprise_index(self.conn)

        ids: dict[str, int] = {}
        new_rows = []
        new_codes = set()
        for key, attrs in zip(latest.index, latest.to_dict("records")):
            attrs = {k: v for k, v in attrs.items()
                     if v is not None or (editing and k in ("credit_code", "contact"))}
            code = attrs.get("credit_code")
            if editing:
                ent_id = by_key.get(key)
                holder = by_code.get(code) if code else None
                if holder is not None and holder != ent_id:
                    raise ImportRefused([Problem(self.cleaned.file, labels.CODE_TAKEN.format(
                        other=existing[holder]["name"]), column="统一社会信用代码", value=code)])
            else:
                ent_id = _match_enterprise(by_key, by_code, key, code)
            if ent_id is not None:
                self._update_enterprise(existing[ent_id], attrs, editing)
                ids[key] = ent_id
            elif code and code in new_codes:
                ids[key] = None  # the same code under two spellings in one file: one enterprise
            else:
                if code:
                    new_codes.add(code)
                new_rows.append({"name_key": key, "name": attrs["name"], "credit_code": code,
                                 "sector": attrs.get("sector") or "other",
                                 "above_scale": attrs.get("above_scale"),
                                 "contact": attrs.get("contact"), "created_by": self.import_id})
        if new_rows:
            self.conn.execute(insert(enterprises), new_rows)
            created = dict(self.conn.execute(select(enterprises.c.name_key, enterprises.c.id)
                                             .where(enterprises.c.created_by == self.import_id)).all())
            code_to_id = {r["credit_code"]: created[r["name_key"]] for r in new_rows if r["credit_code"]}
            for key, attrs in zip(latest.index, latest.to_dict("records")):
                if ids.get(key) is None:
                    ids[key] = created.get(key) or code_to_id[attrs["credit_code"]]
            self.changed = True
            self.new_enterprises += len(new_rows)
        return ids

    def _store_aliases(self, ids: dict[str, int]) -> None:
        """Other spellings of an enterprise's name, so later files with them match it."""
        if self.cleaned.aliases.empty:
            return
        known = dict(self.conn.execute(select(enterprises.c.name_key, enterprises.c.id)).all())
        taken = dict(self.conn.execute(select(enterprise_aliases.c.name_key,
                                              enterprise_aliases.c.enterprise_id)).all())
        problems = []
        for key, alias, alias_key in self.cleaned.aliases.itertuples(index=False):
            owner = ids.get(key) or known.get(key)
            other = known.get(alias_key)
            if other is not None and other != owner:
                problems.append(Problem(self.cleaned.file, labels.ALIAS_IS_ENTERPRISE, column="别名", value=alias))
            elif taken.get(alias_key) not in (None, owner):
                problems.append(Problem(self.cleaned.file, labels.ALIAS_TAKEN, column="别名", value=alias))
            elif alias_key not in taken and other is None:
                self.conn.execute(insert(enterprise_aliases).values(
                    name_key=alias_key, alias=alias, enterprise_id=owner, import_id=self.import_id))
                taken[alias_key] = owner
                self.changed = True
        if problems:
            raise ImportRefused(problems)

    def _update_enterprise(self, row: dict, attrs: dict, editing: bool = False) -> None:
        changes = {a: attrs[a] for a in ("credit_code", "sector", "above_scale", "contact")
                   if a in attrs and attrs[a] != row[a]}
        if changes.get("credit_code") and row["credit_code"] and not editing:
            # A different code means a different enterprise of the same name: keep the register's.
            changes.pop("credit_code")
        if not changes:
            return
        before = {a: row[a] for a in changes}
        self.conn.execute(insert(enterprise_changes).values(
            import_id=self.import_id, enterprise_id=row["id"], before=json.dumps(before, ensure_ascii=False)))
        self.conn.execute(update(enterprises).where(enterprises.c.id == row["id"]).values(**changes))
        row.update(changes)
        self.changed = True

    # -- output --------------------------------------------------------------------------------
    def _store_observations(self, ids: dict[str, int]) -> list[str]:
        out = self.cleaned.output
        if out.empty:
            return []
        new = pd.DataFrame({
            "enterprise_id": out["name_key"].map(ids).astype("int64"),
            "year": out["year"].astype("int64"),
            "first_month": out["first_month"].astype("int64"),
            "last_month": out["last_month"].astype("int64"),
            "value_10k": out["value_10k"].astype(float),
            "prior_10k": pd.to_numeric(out["prior_10k"], errors="coerce").astype(float),
            "above_scale": out["above_scale"],
            "sector": out["sector"],
        })
        span_cols = ["year", "first_month", "last_month"]
        spans = [tuple(int(x) for x in s) for s in new[span_cols].drop_duplicates().itertuples(index=False)]
        active = self._active_observations(spans)

        unchanged_spans = set()
        for span, group in new.groupby(span_cols):
            span = tuple(int(x) for x in span)
            old = active[(active.year == span[0]) & (active.first_month == span[1])
                         & (active.last_month == span[2])]
            if _same_observations(old, group):
                unchanged_spans.add(span)
        changed_spans = [s for s in spans if s not in unchanged_spans]
        if not changed_spans:
            return []
        self._check_consistency(new, changed_spans, ids)

        replaced = []
        for span in changed_spans:
            result = self.conn.execute(update(observations).where(and_(
                observations.c.year == span[0], observations.c.first_month == span[1],
                observations.c.last_month == span[2], observations.c.replaced_by.is_(None),
            )).values(replaced_by=self.import_id))
            if result.rowcount:
                replaced.append(Period(*span).label())
        keep = _index(new, span_cols).isin(changed_spans)
        _bulk_insert(self.conn, observations, new[keep].assign(import_id=self.import_id))
        self.changed = True
        return replaced

    def _active_observations(self, spans) -> pd.DataFrame:
        years = sorted({s[0] for s in spans})
        rows = self.conn.execute(select(
            observations.c.enterprise_id, observations.c.year, observations.c.first_month,
            observations.c.last_month, observations.c.value_10k, observations.c.prior_10k,
            observations.c.above_scale,
        ).where(observations.c.replaced_by.is_(None), observations.c.year.in_(years))).all()
        return pd.DataFrame(rows, columns=["enterprise_id", "year", "first_month", "last_month",
                                           "value_10k", "prior_10k", "above_scale"])

    def _check_consistency(self, new: pd.DataFrame, changed_spans, ids) -> None:
        """Stored and new spans of one enterprise and year must agree (1-6月 = 一季度 + 二季度)."""
        span_cols = ["year", "first_month", "last_month"]
        years = sorted({s[0] for s in changed_spans})
        active = self._active_observations([(y, 0, 0) for y in years])
        # Stored rows of the replaced spans do not count; nor do enterprise-years the file misses.
        active = active[~_index(active, span_cols).isin(changed_spans)]
        new = new[_index(new, span_cols).isin(changed_spans)]
        touched = _index(new, ["enterprise_id", "year"]).unique()
        active = active[_index(active, ["enterprise_id", "year"]).isin(touched)]
        combined = _overlapping(pd.concat([active.assign(is_new=False), new.assign(is_new=True)],
                                          ignore_index=True))
        if combined.empty:
            return
        names = {v: k for k, v in ids.items()}
        out = self.cleaned.output
        rows_of = dict(zip(zip(out["name_key"], out["year"], out["first_month"], out["last_month"]),
                           zip(out["sheet"], out["row"], out["name"])))
        problems = []
        for (ent, year), group in combined.groupby(["enterprise_id", "year"]):
            spans = {(int(a), int(b)): (v, None) for a, b, v in
                     zip(group.first_month, group.last_month, group.value_10k)}
            if _disjoint(spans):
                continue
            new_spans = frozenset((int(a), int(b)) for a, b, n in
                                  zip(group.first_month, group.last_month, group.is_new) if n)
            found = find_disagreement(spans, values_agree, new_spans)
            if found is None:
                continue
            span, derived = found
            key = names.get(ent)
            sheet, row, name = rows_of.get((key, year, *span)) or next(
                (rows_of[(key, year, *p)] for p in derived.parts if (key, year, *p) in rows_of),
                (None, None, key))
            names_of = [Period(int(year), *p).label_in_year() for p in derived.parts]
            parts = ("减".join(names_of) if derived.how == "difference" else "+".join(names_of) + "相加")
            problems.append(Problem(
                self.cleaned.file, labels.INCONSISTENT_SPANS.format(
                    name=name, year=int(year), span=Period(int(year), *span).label_in_year(),
                    value=format_10k(spans[span][0]), parts=parts,
                    derived=format_10k(derived.value),
                    diff=format_10k(abs(spans[span][0] - derived.value))),
                sheet=sheet, row=row))
        if problems:
            raise ImportRefused(problems)

    # -- 重点项目 ---------------------------------------------------------------------------------
    def _store_projects(self) -> list[str]:
        """A year's project register: each project's row replaces its stored one, unless identical.
        The enterprise a project names is found in the register (by code, name or alias) or added."""
        frame = self.cleaned.projects
        if frame.empty:
            return []
        _, by_key, by_code = _enterprise_index(self.conn)
        ids = []
        for row in frame.to_dict("records"):
            ent_id = _match_enterprise(by_key, by_code, row["enterprise_key"], row["credit_code"])
            if ent_id is None:
                ent_id = self.conn.execute(insert(enterprises).values(
                    name_key=row["enterprise_key"], name=row["enterprise"], credit_code=row["credit_code"],
                    sector=row["sector"] or "other", above_scale=None, created_by=self.import_id,
                )).inserted_primary_key[0]
                by_key[row["enterprise_key"]] = ent_id
                if row["credit_code"]:
                    by_code[row["credit_code"]] = ent_id
                self.new_enterprises += 1
                self.changed = True
            ids.append(ent_id)
        rows = frame.assign(enterprise_id=ids)[["year", "name_key", *PROJECT_VALUES]]
        return self._store_rows(projects, rows, ["year", "name_key"], list(PROJECT_VALUES),
                                lambda r: f"{r['year']}年重点项目「{r['name']}」")

    def _store_progress(self) -> list[str]:
        """Progress rows replace stored ones of the same project and span; every project must be in
        its year's register (stored, or in this file), and its spans must agree (1-5月 = 1-4月 + 5月)."""
        frame = self.cleaned.project_progress
        if frame.empty:
            return []
        years = sorted({int(y) for y in frame.year})
        registered = set(self.conn.execute(select(projects.c.year, projects.c.name_key).where(
            projects.c.year.in_(years), projects.c.replaced_by.is_(None))).all())
        problems = [Problem(self.cleaned.file, labels.PROJECT_NOT_REGISTERED.format(year=int(r.year)), r.sheet,
                            int(r.row), "项目名称", r.name)
                    for r in frame.drop_duplicates(["name_key", "year"]).itertuples()
                    if (int(r.year), r.name_key) not in registered]
        if problems:
            raise ImportRefused(problems)
        rows = frame.rename(columns={"name_key": "project_key"})[
            ["year", "project_key", "first_month", "last_month", "invested_10k", "received_10k"]]
        replaced = self._store_rows(project_progress, rows, ["year", "project_key", "first_month", "last_month"],
                                    ["invested_10k", "received_10k"],
                                    lambda r: f"{r['year']}年{Period(r['year'], r['first_month'], r['last_month']).label_in_year()}项目进度")
        self._check_progress(frame)
        return replaced

    def _check_progress(self, frame: pd.DataFrame) -> None:
        """The stored spans of each project this file touched, new and old together, must agree."""
        problems = []
        p = project_progress.c
        for (key, year), group in frame.groupby(["name_key", "year"]):
            stored = self.conn.execute(select(p.first_month, p.last_month, p.invested_10k).where(
                p.year == int(year), p.project_key == key, p.replaced_by.is_(None),
                p.invested_10k.is_not(None))).all()
            spans = {(int(a), int(b)): (float(v), None) for a, b, v in stored}
            new = frozenset((int(a), int(b)) for a, b in zip(group.first_month, group.last_month))
            found = None if _disjoint(spans) else find_disagreement(spans, values_agree, new)
            if found is None:
                continue
            span, derived = found
            where = group[(group.first_month == span[0]) & (group.last_month == span[1])]
            sheet, row = (where.sheet.iloc[0], int(where.row.iloc[0])) if len(where) else (None, None)
            parts = [Period(int(year), *s).label_in_year() for s in derived.parts]
            problems.append(Problem(self.cleaned.file, labels.INCONSISTENT_PROJECT_SPANS.format(
                name=group.name.iloc[0], year=int(year), span=Period(int(year), *span).label_in_year(),
                value=format_10k(spans[span][0]),
                parts=("减".join(parts) if derived.how == "difference" else "+".join(parts) + "相加"),
                derived=format_10k(derived.value), diff=format_10k(abs(spans[span][0] - derived.value))),
                sheet=sheet, row=row))
        if problems:
            raise ImportRefused(problems)

    # -- targets and other keyed rows ----------------------------------------------------------
    def _store_rows(self, table: Table, frame: pd.DataFrame, keys: list[str], values: list[str],
                    label) -> list[str]:
        """Replace the active rows that share `keys` with the frame's rows, unless identical."""
        if frame.empty:
            return []
        replaced = []
        for record in frame.to_dict("records"):
            record = {k: (int(v) if k in keys and not isinstance(v, str) else v) for k, v in record.items()}
            record = {k: (_plain(v) if k in values else v) for k, v in record.items()}
            match = and_(*(table.c[k] == record[k] for k in keys), table.c.replaced_by.is_(None))
            old = self.conn.execute(select(*(table.c[v] for v in values)).where(match)).all()
            if len(old) == 1 and _exact(old[0], record, values):
                continue
            if old:
                self.conn.execute(update(table).where(match).values(replaced_by=self.import_id))
                replaced.append(label(record))
            self.conn.execute(insert(table).values(import_id=self.import_id, **record))
            self.changed = True
        return replaced


def _enterprise_index(conn: Connection):
    """The register as {id: row}, {name_key or alias key: id} and {credit code: id}."""
    existing = {r.id: r._asdict() for r in conn.execute(select(enterprises))}
    by_key = {r["name_key"]: i for i, r in existing.items()}
    by_key.update(dict(conn.execute(select(enterprise_aliases.c.name_key, enterprise_aliases.c.enterprise_id)).all()))
    by_code = {r["credit_code"]: i for i, r in existing.items() if r["credit_code"]}
    return existing, by_key, by_code


def _match_enterprise(by_key: dict, by_code: dict, key: str, code: str | None) -> int | None:
    """The stored enterprise a file's row names: by credit code, else by name or alias."""
    return (by_code.get(code) if code else None) or by_key.get(key)


def find_enterprises(engine: Engine, keys_and_codes) -> dict[str, int | None]:
    """name_key → stored enterprise id (None if new), read-only, matched as an import would."""
    with engine.connect() as conn:
        _, by_key, by_code = _enterprise_index(conn)
    return {key: _match_enterprise(by_key, by_code, key, code) for key, code in keys_and_codes}


def _plain(value):
    """A value as SQL takes it: NaN → None, numpy scalars → Python; text as it is."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        value = value.item()
        return None if isinstance(value, float) and value != value else value
    return value


def _exact(old_row, record, values) -> bool:
    """A stored row's values equal a new record's (numbers to 1e-9, blanks equal blanks)."""
    for old, name in zip(old_row, values):
        new = record[name]
        if old is None or new is None:
            if old is not new:
                return False
        elif isinstance(new, float) and not isinstance(old, bool):
            if abs(float(old) - new) >= 1e-9:
                return False
        elif old != new:
            return False
    return True


def _same_observations(old: pd.DataFrame, new: pd.DataFrame) -> bool:
    if len(old) != len(new):
        return False
    cols = ["enterprise_id", "value_10k", "prior_10k", "above_scale"]
    a = old[cols].sort_values("enterprise_id").reset_index(drop=True)
    b = new[cols].sort_values("enterprise_id").reset_index(drop=True)
    if not (a.enterprise_id.to_numpy() == b.enterprise_id.to_numpy()).all():
        return False
    if not ((a.value_10k - b.value_10k).abs() < 1e-9).all():
        return False
    pa, pb = a.prior_10k.astype(float), b.prior_10k.astype(float)
    if not (((pa - pb).abs() < 1e-9) | (pa.isna() & pb.isna())).all():
        return False
    sa = a.above_scale.astype(object).where(a.above_scale.notna(), None)
    sb = b.above_scale.astype(object).where(b.above_scale.notna(), None)
    return all(x == y for x, y in zip(sa, sb))


def _index(frame: pd.DataFrame, columns: list[str]) -> pd.MultiIndex:
    return pd.MultiIndex.from_frame(frame[columns].astype("int64"))


def _bulk_insert(conn: Connection, table: Table, rows: pd.DataFrame) -> None:
    """Insert a frame's rows (NaN → NULL). SQLite's driver takes plain tuples much faster than
    SQLAlchemy's per-row dicts; other databases go through SQLAlchemy."""
    columns = [c.name for c in table.columns if c.name in rows.columns]  # the order SQL lists them
    frame = rows[columns].astype(object)
    frame = frame.where(frame.notna(), None)
    values = list(zip(*(frame[c].tolist() for c in columns)))
    if conn.dialect.name == "sqlite":
        sql = str(insert(table).compile(dialect=conn.dialect, column_keys=columns))
        conn.exec_driver_sql(sql, values)
    else:
        conn.execute(insert(table), [dict(zip(columns, v)) for v in values])


def _overlapping(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of the enterprise-years in which some spans overlap: only there can one span be
    derived from others (monthly data alone never needs checking)."""
    keys = ["enterprise_id", "year", "first_month", "last_month"]
    ordered = frame.astype({k: "int64" for k in keys}).sort_values(keys)
    reach = ordered.groupby(["enterprise_id", "year"]).last_month.cummax()
    previous = reach.groupby([ordered.enterprise_id, ordered.year]).shift()
    overlap = ordered[ordered.first_month <= previous]
    keys = _index(overlap, ["enterprise_id", "year"]).unique()
    return ordered[_index(ordered, ["enterprise_id", "year"]).isin(keys)]


def _disjoint(spans) -> bool:
    last = 0
    for a, b in sorted(spans):
        if a <= last:
            return False
        last = b
    return True


def _keep_original(engine: Engine, data: bytes, sha: str, file_name: str) -> Path:
    """Save the original file as files/<sha256><ext> (atomically; an existing copy is kept)."""
    folder = files_dir(engine)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{sha}{Path(file_name).suffix.lower()}"
    if not target.exists():
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".incoming-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    return target


def _current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


# -- history and undo --------------------------------------------------------------------------
def list_imports(engine: Engine) -> pd.DataFrame:
    """The import history, newest first."""
    with engine.connect() as conn:
        rows = conn.execute(select(imports).order_by(imports.c.id.desc())).all()
    frame = pd.DataFrame(rows, columns=[c.name for c in imports.columns])
    for col in ("periods", "replaced"):
        frame[col] = frame[col].map(json.loads)
    return frame


def undo_import(engine: Engine, import_id: int, who: str | None = None) -> str:
    """Restore exactly what was stored before import `import_id`. Raises ValueError (Chinese)
    when it is not active or a later import has since replaced its rows."""
    with _writing(engine) as conn:
        row = conn.execute(select(imports).where(imports.c.id == import_id,
                                                 imports.c.status == "active")).first()
        if row is None:
            raise ValueError(labels.UNDO_MISSING.format(id=import_id))
        for table in VERSIONED:
            later = conn.execute(select(table.c.replaced_by).where(
                table.c.import_id == import_id, table.c.replaced_by.is_not(None))).first()
            if later:
                raise ValueError(labels.UNDO_BLOCKED.format(id=import_id, later=later[0]))
        touched = or_(
            enterprise_changes.c.enterprise_id.in_(
                select(enterprise_changes.c.enterprise_id).where(enterprise_changes.c.import_id == import_id)),
            # an enterprise this import created, which a later import has since changed
            enterprise_changes.c.enterprise_id.in_(
                select(enterprises.c.id).where(enterprises.c.created_by == import_id)))
        later = conn.execute(select(enterprise_changes.c.import_id).where(
            enterprise_changes.c.import_id > import_id, touched,
            enterprise_changes.c.import_id.in_(select(imports.c.id).where(imports.c.status == "active")),
        )).first()
        if later:
            raise ValueError(labels.UNDO_BLOCKED.format(id=import_id, later=later[0]))
        _check_projects_unused(conn, import_id)

        for table in VERSIONED:
            conn.execute(delete(table).where(table.c.import_id == import_id))
            conn.execute(update(table).where(table.c.replaced_by == import_id).values(replaced_by=None))
        changes = conn.execute(select(enterprise_changes).where(enterprise_changes.c.import_id == import_id)
                               .order_by(enterprise_changes.c.id.desc())).all()
        for change in changes:
            conn.execute(update(enterprises).where(enterprises.c.id == change.enterprise_id)
                         .values(**json.loads(change.before)))
        conn.execute(delete(enterprise_changes).where(enterprise_changes.c.import_id == import_id))
        conn.execute(delete(enterprise_aliases).where(enterprise_aliases.c.import_id == import_id))
        created = select(enterprises.c.id).where(enterprises.c.created_by == import_id)
        still_used = or_(*(enterprises.c.id.in_(select(t.c.enterprise_id)) for t in
                           (observations, enterprise_targets, projects)),
                         enterprises.c.id.in_(select(enterprise_aliases.c.enterprise_id)))
        conn.execute(update(enterprises).where(enterprises.c.id.in_(created), still_used)
                     .values(created_by=None))
        conn.execute(delete(enterprises).where(enterprises.c.created_by == import_id))
        conn.execute(update(imports).where(imports.c.id == import_id).values(
            status="undone", undone_by=who or _current_user(),
            undone_at=dt.datetime.now().astimezone().isoformat(timespec="seconds")))
    return labels.UNDONE.format(id=import_id, file=row.file_name)


def _check_projects_unused(conn: Connection, import_id: int) -> None:
    """Undoing an import that first registered a project, while a later import holds its
    progress, would leave that progress without a project: refused, naming the later import."""
    p, g = projects.c, project_progress.c
    created = conn.execute(select(p.year, p.name_key, p.name).where(p.import_id == import_id)).all()
    for year, key, name in created:
        earlier = conn.execute(select(p.id).where(p.year == year, p.name_key == key,
                                                  p.replaced_by == import_id)).first()
        if earlier is not None:
            continue  # undo puts the earlier row back: the project stays
        user = conn.execute(select(g.import_id).where(g.year == year, g.project_key == key, g.replaced_by.is_(None),
                                                      g.import_id != import_id)).first()
        if user is not None:
            raise ValueError(labels.UNDO_PROJECT_IN_USE.format(id=import_id, name=name, later=user[0]))


# -- reading for metrics -----------------------------------------------------------------------
def load_observations(engine: Engine, years: list[int] | None = None) -> pd.DataFrame:
    """Active observations with their enterprise: one row per enterprise per stored span.

    Columns: enterprise_id, name, credit_code, sector (the register's), above_scale (as reported
    with the row, else the register's), contact, year, first_month, last_month, value_10k,
    prior_10k (the sheet's own 上年同期, NaN when it had none).
    """
    o, e = observations.c, enterprises.c
    query = select(
        o.enterprise_id, e.name, e.credit_code, e.sector,
        func.coalesce(o.above_scale, e.above_scale).label("above_scale"), e.contact,
        o.year, o.first_month, o.last_month, o.value_10k, o.prior_10k,
    ).join_from(observations, enterprises, o.enterprise_id == e.id).where(o.replaced_by.is_(None))
    if years is not None:
        query = query.where(o.year.in_(years))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame(rows, columns=["enterprise_id", "name", "credit_code", "sector", "above_scale",
                                        "contact", "year", "first_month", "last_month", "value_10k",
                                        "prior_10k"])
    frame["above_scale"] = frame["above_scale"].astype("boolean")
    frame["prior_10k"] = frame["prior_10k"].astype(float)
    return frame


def load_targets(engine: Engine, year: int) -> tuple[dict[str, float], pd.DataFrame]:
    """The year's targets {indicator: target} and entered actuals (indicator, last_month, actual)."""
    with engine.connect() as conn:
        goal = dict(conn.execute(select(targets.c.indicator, targets.c.target).where(
            targets.c.year == year, targets.c.replaced_by.is_(None))).all())
        actual = conn.execute(select(target_actuals.c.indicator, target_actuals.c.last_month,
                                     target_actuals.c.actual).where(
            target_actuals.c.year == year, target_actuals.c.replaced_by.is_(None))).all()
    return goal, pd.DataFrame(actual, columns=["indicator", "last_month", "actual"])


def load_enterprise_targets(engine: Engine, year: int) -> dict[int, float]:
    """{enterprise id: annual output target in 万元} for the year."""
    with engine.connect() as conn:
        return dict(conn.execute(select(enterprise_targets.c.enterprise_id, enterprise_targets.c.target_10k)
                                 .where(enterprise_targets.c.year == year,
                                        enterprise_targets.c.replaced_by.is_(None))).all())


def load_peer_figures(engine: Engine, year: int, last_month: int) -> pd.DataFrame:
    """Peer towns' figures entered for the year through `last_month`: town, indicator, value."""
    with engine.connect() as conn:
        rows = conn.execute(select(peer_figures.c.town, peer_figures.c.indicator, peer_figures.c.value).where(
            peer_figures.c.year == year, peer_figures.c.last_month == last_month,
            peer_figures.c.replaced_by.is_(None))).all()
    return pd.DataFrame(rows, columns=["town", "indicator", "value"])


def load_enterprises(engine: Engine) -> pd.DataFrame:
    """The register, with each enterprise's other spellings in `aliases` (a list)."""
    with engine.connect() as conn:
        rows = conn.execute(select(enterprises)).all()
        names = conn.execute(select(enterprise_aliases.c.enterprise_id, enterprise_aliases.c.alias)).all()
    frame = pd.DataFrame(rows, columns=[c.name for c in enterprises.columns])
    by_id: dict[int, list[str]] = {}
    for eid, key in names:
        by_id.setdefault(eid, []).append(key)
    frame["aliases"] = [by_id.get(i, []) for i in frame.id]
    return frame


def load_projects(engine: Engine, year: int) -> pd.DataFrame:
    """The year's 重点项目 register: one row per project, with its enterprise's name and the
    enterprise's sector where the project states none (columns: PROJECT_VALUES, name_key, year,
    enterprise)."""
    p, e = projects.c, enterprises.c
    query = select(p.year, p.name_key, *(p[c] for c in PROJECT_VALUES if c != "sector"),
                   func.coalesce(p.sector, e.sector).label("sector"), e.name.label("enterprise")
                   ).join_from(projects, enterprises, p.enterprise_id == e.id).where(
        p.year == year, p.replaced_by.is_(None)).order_by(p.id)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    columns = ["year", "name_key", *(c for c in PROJECT_VALUES if c != "sector"), "sector", "enterprise"]
    return pd.DataFrame(rows, columns=columns)


def load_project_progress(engine: Engine, year: int) -> pd.DataFrame:
    """The year's stored progress spans: project_key, first_month, last_month, invested_10k,
    received_10k (NaN where a sheet gave none)."""
    p = project_progress.c
    with engine.connect() as conn:
        rows = conn.execute(select(p.project_key, p.first_month, p.last_month, p.invested_10k, p.received_10k)
                            .where(p.year == year, p.replaced_by.is_(None))).all()
    frame = pd.DataFrame(rows, columns=["project_key", "first_month", "last_month", "invested_10k", "received_10k"])
    return frame.astype({"invested_10k": float, "received_10k": float})


def project_years(engine: Engine) -> list[int]:
    """The years with a 重点项目 register, newest first."""
    with engine.connect() as conn:
        return [int(y) for y in conn.execute(select(projects.c.year).where(projects.c.replaced_by.is_(None))
                                             .distinct().order_by(projects.c.year.desc())).scalars()]
