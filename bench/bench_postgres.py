"""The county edition's store: PostgreSQL against SQLite in the same run, on the same data, with the
same promise about the disk.

    python bench/bench_postgres.py [--repeat 5]

A throwaway PostgreSQL server is started as the tests start theirs (tests/pg_support.py), but
durable: fsync and synchronous_commit on, PostgreSQL's defaults, as `make run-county` and a
production server run it. SQLite runs as the app opens it (store/engine.py: WAL,
synchronous=FULL). Both keep their files on the same disk (the system's temporary folder). Each
side's settings are read back from its own connections and printed, and the script stops when they
are not the ones its table claims.

Each store gets the same year of a 1,000-enterprise town through the import path; then, best of
`repeat`, the sides taking turns in every round (so a busy moment of a shared machine falls on
all): a year's and a month's import, whole (read, clean, store) and the store alone (the file read
and cleaned beforehand, as a confirmed preview is), each try undone before the next but the year's
last; opening the database (the engine, its first connection, the schema check); the year to date
a page computes (load_year_to_date: two years read and computed, on an engine opened and warmed
beforehand, so opening is only the line above; the app's caches are not involved); and the 总览
page's first run and a rerun in AppTest with empty caches (the first run opens the database, as a
freshly started server does).

A second pair, both relaxed (a commit does not wait for the disk: PostgreSQL
synchronous_commit=off, SQLite synchronous=NORMAL; set on the bench's own engines through a
connect event, the app's engine unchanged), times the imports again: reads commit nothing, so only
writes differ. Ratios are PostgreSQL over SQLite in the same run: above 1 means PostgreSQL is slower.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench_county import PAGES, app_test, county_workbook  # this script's folder is on sys.path
from pg_support import running_cluster
from sqlalchemy import event
from sqlalchemy.engine import Engine

from lakou_metrics import importing, store
from lakou_metrics.compute.report import load_year_to_date
from lakou_metrics.domain.periods import Period

ENTERPRISES = 1_000
OPERATOR = store.Operator.shell_account(store.home_town())  # the account running the bench, as the CLI acts
# Each side: (pair, database) → what its connections must report (read back from them, never assumed).
SIDES = {("durable", "SQLite"): {"journal_mode": "wal", "synchronous": "FULL"},
         ("durable", "PostgreSQL"): {"fsync": "on", "synchronous_commit": "on"},
         ("relaxed", "SQLite"): {"journal_mode": "wal", "synchronous": "NORMAL"},
         ("relaxed", "PostgreSQL"): {"fsync": "on", "synchronous_commit": "off"}}
SQLITE_SYNCHRONOUS = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}


def read_settings(engine: Engine) -> dict[str, str]:
    """What a connection of `engine` says about its durability."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return {"journal_mode": conn.exec_driver_sql("PRAGMA journal_mode").scalar(),
                    "synchronous": SQLITE_SYNCHRONOUS[conn.exec_driver_sql("PRAGMA synchronous").scalar()]}
        return {name: conn.exec_driver_sql(f"SHOW {name}").scalar() for name in ("fsync", "synchronous_commit")}


def check_settings(side: tuple, engine: Engine, expected: dict[str, str]) -> str:
    """The settings as the table prints them; stops the bench when they are not `expected`."""
    found = read_settings(engine)
    if found != expected:
        raise SystemExit(f"{side}: expected {expected}, the connection says {found}")
    return ", ".join(f"{name}={value}" for name, value in found.items())


def relax(engine: Engine) -> Engine:
    """The bench's own engine, committing without waiting for the disk: SQLite synchronous=NORMAL
    (in WAL a power cut may lose the last commits, a crash of the program none), PostgreSQL
    synchronous_commit=off (a crash may lose the last commits; fsync stays on, so neither is
    corrupted). Set on each new connection of this engine only; the app opens its own."""
    relaxing = "PRAGMA synchronous = NORMAL" if engine.dialect.name == "sqlite" else "SET synchronous_commit = off"

    @event.listens_for(engine, "connect")
    def _relax(dbapi_connection, _record):  # runs after the app's own connect listener, registered first
        cursor = dbapi_connection.cursor()
        cursor.execute(relaxing)
        cursor.close()
        dbapi_connection.commit()  # PostgreSQL: a SET in a transaction rolled back would be undone

    engine.dispose()  # the connection open_database made before the listener existed
    return engine


def best(times: dict[tuple, list[float]]) -> dict[tuple, float]:
    return {side: min(seconds) for side, seconds in times.items()}


def time_imports(targets: dict[tuple, str], repeat: int) -> tuple[dict, dict]:
    """A year's and a month's import on each side, taking turns, whole (read, clean, store) and
    the store alone (the file read and cleaned beforehand, as a confirmed preview is); each try
    undone before the next, so each starts from the same data. (Rows of the tables, the settings.)"""
    files = {year: county_workbook(year, range(1, 13), ENTERPRISES) for year in (2023, 2024)}
    month = county_workbook(2025, [1], ENTERPRISES)
    engines, settings = {}, {}
    for side, target in targets.items():
        engine = store.open_database(target)
        if side[0] == "relaxed":
            engine = relax(engine)
        settings[side] = check_settings(side, engine, SIDES[side])
        importing.import_bytes(engine, files[2023], "2023.xlsx", operator=OPERATOR)
        engines[side] = engine
    rows = {}
    tries = [("一年的导入（12,000 行）", "　其中入库（一年，预览之后确认）", "2024.xlsx", files[2024], True),
             ("一个月的导入（1,000 行）", "　其中入库（一个月，预览之后确认）", "2025-1.xlsx", month, False)]
    for name, store_name, file_name, data, keep in tries:
        whole, stored = {side: [] for side in targets}, {side: [] for side in targets}
        cleaned = {side: importing.read_and_clean(data, file_name, None, importing.known_towns(engine))
                   for side, engine in engines.items()}
        for i in range(repeat):
            for side, engine in engines.items():
                for times, ready in ((whole, None), (stored, cleaned[side])):
                    start = time.perf_counter()
                    outcome = importing.import_bytes(engine, data, file_name, cleaned=ready, operator=OPERATOR)
                    times[side].append(time.perf_counter() - start)
                    assert outcome.status == "imported", outcome.describe()
                    if not (keep and i == repeat - 1 and ready is not None):  # the year's last try stays
                        store.undo_import(engine, outcome.import_id, operator=OPERATOR)
        rows[name], rows[store_name] = best(whole), best(stored)
    for engine in engines.values():
        engine.dispose()
    return rows, settings


def time_reads(targets: dict[tuple, str], repeat: int) -> dict:
    """Opening, the year to date on an open engine, and the 总览 page, on each side taking turns."""
    period = Period.ytd(2024, 12)
    opening = {side: [] for side in targets}
    for _ in range(repeat):
        for side, target in targets.items():
            start = time.perf_counter()
            engine = store.open_database(target)
            opening[side].append(time.perf_counter() - start)
            engine.dispose()
    engines = {side: store.open_database(target) for side, target in targets.items()}
    for engine in engines.values():  # warm: the connection, SQLAlchemy's compiled statements, the database's pages
        load_year_to_date(engine, period, projection=False)
    reads = {side: [] for side in targets}
    for _ in range(repeat):
        for side, engine in engines.items():  # no ledger passed: both years read from the store each time
            start = time.perf_counter()
            load_year_to_date(engine, period, projection=False)
            reads[side].append(time.perf_counter() - start)
    for engine in engines.values():
        engine.dispose()
    first, again = {side: [] for side in targets}, {side: [] for side in targets}
    for _ in range(repeat):
        for side, target in targets.items():
            page_first, page_again = app_test(target, PAGES["总览"])
            first[side].append(page_first)
            again[side].append(page_again)
    return {"打开数据库（连接与表结构检查）": best(opening),
            "页面的年度累计（已打开的连接，读两年并计算）": best(reads),
            "总览首次打开（AppTest，含打开数据库）": best(first), "总览切换期间（AppTest）": best(again)}


def print_table(title: str, pair: str, settings: dict[tuple, str], rows: dict[str, dict[tuple, float]]) -> None:
    print(title)
    for database in ("SQLite", "PostgreSQL"):
        print(f"  {database}: {settings[pair, database]}")
    print(f"  {'项目':<36}{'SQLite':>10}{'PostgreSQL':>12}{'比值':>8}")
    for name, seconds in rows.items():
        if (pair, "SQLite") in seconds:
            sqlite, postgres = seconds[pair, "SQLite"], seconds[pair, "PostgreSQL"]
            print(f"  {name:<36}{sqlite:>9.3f}s{postgres:>11.3f}s{postgres / sqlite:>7.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, running_cluster(durable=True) as cluster:
        targets = {(pair, database): str(Path(folder) / f"{pair}.db") if database == "SQLite"
                   else cluster.new_database(migrated=False) for pair, database in SIDES}
        rows, settings = time_imports(targets, args.repeat)
        rows |= time_reads({side: target for side, target in targets.items() if side[0] == "durable"}, args.repeat)
    print(f"PostgreSQL 与 SQLite（{ENTERPRISES:,} 家企业；同一次运行，四方轮流测，取 {args.repeat} 次中最快；"
          "比值 = PostgreSQL ÷ SQLite）")
    print_table("都等数据写入磁盘再确认提交（两者的默认）：", "durable", settings, rows)
    print_table("都不等磁盘就确认提交（只有写入不同，只测导入）：", "relaxed", settings, rows)


if __name__ == "__main__":
    main()
