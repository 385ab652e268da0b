"""The county edition's store, on SQLite and on a real PostgreSQL server alike: towns that never
touch each other's rows, staff who may change only their own town, imports from two processes
that queue, and databases of the earlier releases upgraded in place without loss."""
import shutil
import sqlite3
import subprocess
import sys

import pytest
from conftest import (
    BACKENDS,
    ROOT,
    county_staff,
    long_rows,
    process_env,
    refuse_in_check_lane,
    staff,
    write,
    xlsx_bytes,
)

from lakou_metrics import importing, store

LAKOU, WENXI = "腊口镇", "温溪镇"


def month_file(values: dict[str, float], month: int = 3) -> bytes:
    return xlsx_bytes({"s": long_rows([(2024, month, name, "五金", True, v) for name, v in values.items()])})


def figures(engine, year=2024):
    return {(r.name, r.last_month): r.value_10k for r in store.load_observations(engine, [year]).itertuples()}


def test_each_town_keeps_its_own_rows_and_a_file_replaces_its_period_only_in_its_town(engine):
    lakou, wenxi = store.for_town(engine, LAKOU), store.for_town(engine, WENXI)
    importing.import_bytes(lakou, month_file({"甲": 10, "乙": 20}), "lakou.xlsx", operator=staff(LAKOU))
    importing.import_bytes(wenxi, month_file({"甲": 7, "丙": 30}), "wenxi.xlsx", operator=staff(WENXI))
    # The same name in two towns is two enterprises, each in its own register.
    assert figures(lakou) == {("甲", 3): 10, ("乙", 3): 20}
    assert figures(wenxi) == {("甲", 3): 7, ("丙", 3): 30}
    again = importing.import_bytes(wenxi, month_file({"甲": 8}), "wenxi2.xlsx", operator=staff(WENXI))
    assert again.replaced == ["2024年3月"]
    assert figures(wenxi) == {("甲", 3): 8}
    assert figures(lakou) == {("甲", 3): 10, ("乙", 3): 20}  # Lakou's March untouched
    assert sorted(store.list_towns(engine)) == sorted([LAKOU, WENXI])
    assert list(store.list_imports(lakou).file_name) == ["lakou.xlsx"]
    assert sorted(store.load_enterprises(wenxi).name) == ["丙", "甲"]


def test_a_towns_staff_cannot_import_edit_or_undo_another_towns_data(engine):
    lakou, wenxi = store.for_town(engine, LAKOU), store.for_town(engine, WENXI)
    mine = importing.import_bytes(lakou, month_file({"甲": 10}), "lakou.xlsx", operator=staff(LAKOU, name="小王"))
    before = (figures(lakou), figures(wenxi), store.data_version(lakou), store.data_version(wenxi))

    intruder = staff(WENXI, name="小李")
    with pytest.raises(store.NotPermitted, match="温溪镇的工作人员.*不能修改腊口镇的数据"):
        importing.import_bytes(lakou, month_file({"甲": 99}), "x.xlsx", operator=intruder)
    with pytest.raises(store.NotPermitted, match="腊口镇的数据"):
        store.undo_import(wenxi, mine.import_id, operator=intruder)  # through their own town's engine, too
    with pytest.raises(store.NotPermitted):
        store.undo_import(lakou, mine.import_id, operator=intruder)
    # A page's edits are stored the same way: refused the same way.
    cleaned = importing.read_and_clean(month_file({"甲": 5}), "edit.xlsx")
    with pytest.raises(store.NotPermitted):
        store.store_cleaned(lakou, cleaned, "0" * 64, 0, operator=intruder)
    assert (figures(lakou), figures(wenxi), store.data_version(lakou), store.data_version(wenxi)) == before

    county = county_staff("县经信局老张")
    theirs = importing.import_bytes(wenxi, month_file({"丙": 3}), "w.xlsx", operator=county)
    store.undo_import(lakou, mine.import_id, operator=county)
    assert figures(lakou) == {} and figures(wenxi) == {("丙", 3): 3}
    history = store.list_imports(lakou).set_index("id")
    assert history.loc[mine.import_id, ["imported_by", "imported_as", "undone_by", "undone_as", "town"]].tolist() == [
        "小王", LAKOU, "县经信局老张", store.COUNTY, LAKOU]
    assert store.list_imports(wenxi).set_index("id").loc[theirs.import_id, "imported_as"] == store.COUNTY


def test_another_towns_import_does_not_make_a_preview_stale(engine):
    lakou, wenxi = store.for_town(engine, LAKOU), store.for_town(engine, WENXI)
    seen = store.data_version(lakou)
    importing.import_bytes(wenxi, month_file({"丙": 3}), "w.xlsx", operator=staff(WENXI))
    assert importing.import_bytes(lakou, month_file({"甲": 1}), "a.xlsx", expected_version=seen,
                                  operator=staff(LAKOU)).status == "imported"
    with pytest.raises(store.DataChanged):
        importing.import_bytes(lakou, month_file({"甲": 2}), "b.xlsx", expected_version=seen, operator=staff(LAKOU))
    versions = store.data_versions(lakou)
    assert versions["all"] == 1 and versions["year:2024"] == 1 and versions["county"] == 2


QUEUED_IMPORT = """
import sys
from lakou_metrics import importing, store
engine = store.open_database(sys.argv[1])
store.lock_wait_notice.set(lambda: print("waiting", flush=True))
if sys.argv[3] == "pause":
    def pause():
        print("in-transaction", flush=True)
        sys.stdin.readline()
    store.transaction.before_commit = pause
outcome = importing.import_file(engine, sys.argv[2], operator=store.Operator.shell_account(store.town_of(engine)))
print("done", outcome.status, ",".join(outcome.replaced), flush=True)
"""


def _start(db, path, mode):
    refuse_in_check_lane("a Python process of its own", "processes")
    return subprocess.Popen([sys.executable, "-c", QUEUED_IMPORT, str(db), str(path), mode], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env=process_env())


@pytest.mark.processes
def test_two_processes_importing_at_once_queue(db, tmp_path):
    """Two app processes (two machines, for PostgreSQL) import the same month at once: the second
    waits for the first's transaction, then replaces its month; nothing interleaves."""
    store.open_database(db).dispose()
    first = _start(db, write(tmp_path, "a.xlsx", month_file({"甲": 1, "乙": 2})), "pause")
    second = None
    try:
        assert first.stdout.readline().strip() == "in-transaction"
        second = _start(db, write(tmp_path, "b.xlsx", month_file({"甲": 3, "丙": 4})), "go")
        assert second.stdout.readline().strip() == "waiting"  # queued behind the first
        first.stdin.write("\n")
        first.stdin.flush()
        assert first.stdout.readline().split() == ["done", "imported"]
        assert second.stdout.readline().split() == ["done", "imported", "2024年3月"]
    finally:
        for proc in (first, second):
            if proc is not None:
                proc.kill()
                proc.wait(timeout=30)
    engine = store.open_database(db)
    assert figures(engine) == {("甲", 3): 3, ("丙", 3): 4}
    assert list(store.list_imports(engine).file_name) == ["b.xlsx", "a.xlsx"]


def test_a_writer_of_a_shared_database_waits_then_says_so(postgres, monkeypatch):
    """Another machine holds the writers' lock past the wait: told in Chinese, nothing stored."""
    import psycopg

    url = postgres.new_database()
    engine = store.open_database(url)
    monkeypatch.setattr(store.engine, "LOCK_WAIT_SECONDS", 1.5)
    told = []
    token = store.lock_wait_notice.set(lambda: told.append("waiting"))
    other = psycopg.connect(url.replace("postgresql+psycopg", "postgresql"))
    other.execute(f"SELECT pg_advisory_xact_lock({store.engine.WRITE_LOCK_KEY})")  # a transaction, left open
    try:
        with pytest.raises(store.StoreUnavailable, match="其他人正在导入"):
            importing.import_bytes(engine, month_file({"甲": 1}), "a.xlsx", operator=staff())
    finally:
        other.rollback()
        other.close()
        store.lock_wait_notice.reset(token)
    assert told == ["waiting"] and figures(engine) == {}
    assert importing.import_bytes(engine, month_file({"甲": 1}), "a.xlsx", operator=staff()).status == "imported"


def test_an_unreachable_server_is_said_in_chinese():
    from pg_support import free_port

    with pytest.raises(store.StoreUnavailable, match="连接不上数据库服务器"):
        store.open_database(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/none")


def test_the_migrations_make_the_schema_the_code_describes(db):
    """A database made by the migrations has every table, column, key and index of schema.py."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = store.open_database(db)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), store.metadata)
    assert differences == []


def _rows(path, table):
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()


RELEASE_TABLES = ["imports", "enterprises", "enterprise_aliases", "enterprise_changes", "observations", "targets",
                  "target_actuals", "enterprise_targets", "peer_figures", "projects", "project_progress"]


def test_a_database_of_the_last_release_upgrades_in_place_without_loss(tmp_path):
    """tests/fixtures/release-3.db was written by the release before towns (the sample data):
    every row it holds is still there, value for value, now the home town's, and its figures read
    as before."""
    path = tmp_path / "lakou.db"
    shutil.copy(ROOT / "tests" / "fixtures" / "release-3.db", path)
    before = {table: _rows(path, table) for table in RELEASE_TABLES}
    engine = store.open_database(path)
    for table in RELEASE_TABLES:
        with sqlite3.connect(path) as conn:
            names = [c[1] for c in conn.execute(f"PRAGMA table_info({table})")]
        after = _rows(path, table)
        assert len(after) == len(before[table]) > 0 or table in ("enterprise_changes", "enterprise_aliases")
        town = names.index("town")
        assert {row[town] for row in after} <= {store.home_town()}
        # The old columns, in their old order, hold the old values (peer_figures.town is now `peer`).
        old_width = len(before[table][0]) if before[table] else 0
        kept = [tuple(v for i, v in enumerate(row) if names[i] not in ("town", "imported_as", "undone_as"))
                for row in after]
        assert [row[:old_width] for row in kept] == before[table]
    observations = before["observations"]
    stored = store.load_observations(engine)
    assert len(stored) == len(observations)
    assert stored.value_10k.sum() == pytest.approx(sum(row[6] for row in observations if row[-1] is None))
    assert store.data_versions(engine)["all"] == 8  # the caches' counts carried over
    # And it takes the next import as any database would.
    assert importing.import_bytes(engine, month_file({"新企业": 1}), "next.xlsx", operator=staff()).status == "imported"


def test_a_release_1_database_is_brought_up_to_date(tmp_path):
    """Release 1 had no alias spellings and no project tables."""
    path = tmp_path / "old.db"
    shutil.copy(ROOT / "tests" / "fixtures" / "release-3.db", path)
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE project_progress")
        conn.execute("DROP TABLE projects")
        conn.execute("ALTER TABLE enterprise_aliases DROP COLUMN alias")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    engine = store.open_database(path)
    assert store.load_projects(engine, 2023).empty and not store.load_enterprises(engine).empty
    with sqlite3.connect(path) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(enterprise_aliases)")]
    assert "alias" in columns and "town" in columns


@pytest.mark.parametrize("backend", BACKENDS)
def test_revision_0003_gives_each_enterprise_change_its_imports_town_and_can_be_taken_back(backend, tmp_path,
                                                                                        request):
    """Rows of two towns written at revision 0002 (one in every table, test_rls.write_probe_rows):
    on opening, each enterprise change gets the town of its import; the downgrade takes the column
    away again, keeping the rows, and the next opening brings it back."""
    import sqlalchemy as sa
    from alembic import command
    from test_rls import write_probe_rows

    from lakou_metrics.store.migrate import _config

    db = (str(tmp_path / "old.db") if backend == "sqlite"
          else request.getfixturevalue("postgres").new_database(migrated=False))
    plain = sa.create_engine(db if store.is_url(db) else f"sqlite:///{db}")
    with plain.begin() as conn:
        command.upgrade(_config(connection=conn, home_town=LAKOU), "0002")
        ids = write_probe_rows(conn, [LAKOU, WENXI])
    changes = "SELECT import_id, town FROM enterprise_changes ORDER BY id"
    expected = [(ids[LAKOU]["imports"], LAKOU), (ids[WENXI]["imports"], WENXI)]
    engine = store.open_database(db)
    with store.for_town(engine, store.COUNTY).connect() as conn:
        assert conn.exec_driver_sql(changes).all() == expected
    engine.dispose()
    with plain.begin() as conn:
        command.downgrade(_config(connection=conn, home_town=LAKOU), "0002")
        assert "town" not in {c["name"] for c in sa.inspect(conn).get_columns("enterprise_changes")}
        assert conn.exec_driver_sql("SELECT import_id FROM enterprise_changes ORDER BY id").all() == [
            (import_id,) for import_id, _ in expected]
    plain.dispose()
    engine = store.open_database(db)
    with store.for_town(engine, store.COUNTY).connect() as conn:
        assert conn.exec_driver_sql(changes).all() == expected
    engine.dispose()
