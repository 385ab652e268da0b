"""Row-level security on PostgreSQL (migration 0003): the database itself keeps each town's rows to
that town, whatever the query. The app connects as its own role (tests/pg_support.py: no
superuser, no BYPASSRLS, owner of the tables) and the store sets `lakou.town` at the start of every
transaction (store.engine.set_town_setting). Raw SQL without a town filter, run through the app's
own connections, sees and changes only the town's rows; 县 reads every town's and writes none; a
connection that never set a town sees nothing; a county file of several towns writes each as its
own; a database of the previous revision, made by the superuser, gets the policies on opening and
keeps every row. Expected counts come from the rows each test writes itself."""
import psycopg
import pytest
import sqlalchemy as sa
from alembic import command
from conftest import ROOT, county_staff, long_rows, staff, xlsx_bytes
from pg_support import APP_ROLE, SUPERUSER
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from lakou_metrics import importing, store
from lakou_metrics.store import scope
from lakou_metrics.store.migrate import _config

LAKOU, WENXI, CHUANLIAO = "腊口镇", "温溪镇", "船寮镇"
COUNTY_STAFF = county_staff("县经信局老张")
# Every table of a town's rows, as the code describes them (the database is checked against it).
TOWN_TABLES = sorted(t.name for t in store.metadata.sorted_tables if "town" in t.c)
# The tables of a town's rows that revision 0004 adds (亩均评价 data, electricity), with their policies.
TABLES_0004 = {"evaluation_figures", "electricity"}
POLICIES = {("lakou_town_select", "SELECT"), ("lakou_town_insert", "INSERT"), ("lakou_town_update", "UPDATE"),
            ("lakou_town_delete", "DELETE")}
PROBE = {int: 1, float: 1.0, bool: True, str: "probe"}


def superuser(postgres, url: str) -> sa.Engine:
    """The same database as the cluster's superuser, who passes row-level security."""
    return sa.create_engine(postgres.url(make_url(url).database, user=SUPERUSER))


def bare(url: str) -> psycopg.Connection:
    """A plain connection as the app's role that never says which town it acts for."""
    return psycopg.connect(url.replace("postgresql+psycopg", "postgresql"))


def probe_values(table: sa.Table, town: str, ids: dict[str, int], text: str = "probe") -> dict:
    """A row of `town` for `table`: what each required column's type needs, and a reference to
    the same town's row of the table it refers to."""
    values = {}
    for column in table.columns:
        if column.name == "town":
            values["town"] = town
        elif column.nullable or column.name == "id":
            continue
        elif column.foreign_keys:
            values[column.name] = ids[next(iter(column.foreign_keys)).column.table.name]
        else:
            values[column.name] = text if column.type.python_type is str else PROBE[column.type.python_type]
    return values


def write_probe_rows(conn: sa.Connection, towns: list[str]) -> dict[str, dict[str, int]]:
    """One row of each town in every table of a town's rows (and in enterprise_changes, which
    belong to their import's town), whatever the revision: {town: {table: id}}."""
    tables = sa.MetaData()
    tables.reflect(conn)
    written = {}
    for town in towns:
        ids = written[town] = {}
        for table in tables.sorted_tables:
            if "town" in table.c or "import_id" in table.c:
                key = conn.execute(table.insert().values(probe_values(table, town, ids))).inserted_primary_key
                if "id" in table.c:
                    ids[table.name] = key.id
    return written


def town_counts(conn: sa.Connection) -> dict[str, dict[str, int]]:
    """{table: {town: rows}} of every table of a town's rows the database has (an older revision
    lacks the later ones); enterprise_changes by their import's town (revision 0002 had no column
    for it)."""
    counts = {}
    present = set(sa.inspect(conn).get_table_names())
    for table in (t for t in TOWN_TABLES if t in present):
        query = (f"SELECT town, count(*) FROM {table} GROUP BY town" if table != "enterprise_changes" else
                 "SELECT i.town, count(*) FROM enterprise_changes c JOIN imports i ON i.id = c.import_id GROUP BY 1")
        counts[table] = dict(conn.exec_driver_sql(query).all())
    return counts


def row_security(conn: sa.Connection) -> dict[str, tuple[bool, bool, set]]:
    """{table: (enabled, forced, {(policy, command)})} of every table in the public schema."""
    tables = conn.exec_driver_sql("SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
                                  "WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'").all()
    policies = conn.exec_driver_sql("SELECT tablename, policyname, cmd FROM pg_policies WHERE schemaname = 'public'")
    found = {name: (enabled, forced, set()) for name, enabled, forced in tables}
    for table, name, cmd in policies:
        found[table][2].add((name, cmd))
    return found


def columns_named_town(conn: sa.Connection) -> list[str]:
    return sorted(conn.exec_driver_sql("SELECT table_name FROM information_schema.columns "
                                       "WHERE table_schema = 'public' AND column_name = 'town'").scalars())


def assert_every_town_table_is_guarded(conn: sa.Connection) -> None:
    """Every table with a town column has row-level security enabled, forced, and the four
    policies; the tables without one (towns, meta, original files, alembic's) have none."""
    assert columns_named_town(conn) == TOWN_TABLES
    security = row_security(conn)
    for table, (enabled, forced, policies) in security.items():
        if table in TOWN_TABLES:
            assert (table, enabled, forced, policies) == (table, True, True, POLICIES)
        else:
            assert (table, enabled, forced, policies) == (table, False, False, set())
    assert {"meta", "towns", "original_files", "alembic_version"} <= set(security) - set(TOWN_TABLES)


def raw(engine: sa.Engine, sql: str) -> list[tuple]:
    """`sql` as written, through one of the app's own connections."""
    with engine.connect() as conn:
        return [tuple(row) for row in conn.exec_driver_sql(sql).all()]


# -- the role ------------------------------------------------------------------------------------

def test_the_app_connects_as_its_own_role_which_owns_the_tables_and_is_held_to_the_policies(postgres):
    engine = store.open_database(postgres.new_database())
    assert raw(engine, "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user") == [
        (APP_ROLE, False, False)]
    # The owner of a table passes its policies unless they are forced: so they are (below).
    assert raw(engine, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'") == [(APP_ROLE,)]
    engine.dispose()


def test_every_table_with_a_town_column_has_row_security_forced_and_its_four_policies(postgres):
    engine = store.open_database(postgres.new_database())
    with engine.connect() as conn:
        assert_every_town_table_is_guarded(conn)
    engine.dispose()


def test_the_downgrade_takes_the_row_security_away(postgres):
    plain = sa.create_engine(postgres.new_database())  # the app's role, acting for no town
    with plain.begin() as conn:
        command.downgrade(_config(connection=conn, home_town=LAKOU), "0002")
        security = row_security(conn)
    # Revision 0004's tables are gone with their policies; 0003 takes the others' away.
    assert set(TOWN_TABLES) - {"enterprise_changes"} - TABLES_0004 <= set(security)
    assert TABLES_0004 & set(security) == set()
    assert {table: found for table, found in security.items() if found != (False, False, set())} == {}
    plain.dispose()


# -- reading and writing, table by table ------------------------------------------------------------

@pytest.fixture(scope="module")
def probed(postgres):
    """A database holding one row of 腊口镇 and one of 温溪镇 in every table of a town's rows,
    written by the superuser: (the app's engine, the superuser's, the rows' ids, the tables)."""
    url = postgres.new_database()
    admin = superuser(postgres, url)
    with admin.begin() as conn:
        ids = write_probe_rows(conn, [LAKOU, WENXI])
    tables = sa.MetaData()
    tables.reflect(admin)
    engine = store.open_database(url)
    yield engine, admin, ids, tables
    engine.dispose()
    admin.dispose()


@pytest.mark.parametrize("table", TOWN_TABLES)
def test_a_query_without_a_town_filter_returns_the_towns_rows_only(probed, table):
    engine, admin, _, _ = probed
    count = f"SELECT town, count(*) FROM {table} GROUP BY town ORDER BY town"
    with admin.connect() as conn:
        assert dict(conn.exec_driver_sql(count).all()) == {LAKOU: 1, WENXI: 1}  # what the fixture wrote
    assert raw(store.for_town(engine, LAKOU), count) == [(LAKOU, 1)]
    assert raw(store.for_town(engine, WENXI), count) == [(WENXI, 1)]
    assert dict(raw(store.for_town(engine, store.COUNTY), count)) == {LAKOU: 1, WENXI: 1}
    assert raw(store.for_town(engine, "别的镇"), count) == []
    with bare(engine.url.render_as_string(hide_password=False)) as conn:
        assert conn.execute(count).fetchall() == []


def _changed(engine: sa.Engine, statement) -> int:
    """The rows `statement` changes through one of the app's connections (rolled back after)."""
    with engine.connect() as conn:
        changed = conn.execute(sa.text(statement) if isinstance(statement, str) else statement).rowcount
        conn.rollback()
    return changed


@pytest.mark.parametrize("table", TOWN_TABLES)
def test_a_town_writes_its_own_rows_only_and_the_county_writes_none(probed, table):
    engine, admin, ids, tables = probed
    lakou, county = store.for_town(engine, LAKOU), store.for_town(engine, store.COUNTY)
    t = tables.tables[table]
    # The scoped layer stepped aside (as for a migration), so that the database itself is what refuses.
    unscoped = {scope.UNSCOPED_OPTION: True}
    wenxi_row = t.insert().values(probe_values(t, WENXI, ids[WENXI], text="intruder")).execution_options(**unscoped)
    with pytest.raises(DBAPIError, match="violates row-level security policy"):
        _changed(lakou, wenxi_row)
    assert _changed(lakou, f"UPDATE {table} SET town = town WHERE town = '{WENXI}'") == 0
    assert _changed(lakou, f"DELETE FROM {table} WHERE town = '{WENXI}'") == 0
    assert _changed(lakou, f"UPDATE {table} SET town = town") == 1  # its own row, the only one it sees
    with pytest.raises(DBAPIError, match="violates row-level security policy"):
        _changed(lakou, f"UPDATE {table} SET town = '{WENXI}'")  # nor can it give its row away

    lakou_row = t.insert().values(probe_values(t, LAKOU, ids[LAKOU], text="county")).execution_options(**unscoped)
    with pytest.raises(DBAPIError, match="violates row-level security policy"):
        _changed(county, lakou_row)
    assert _changed(county, f"UPDATE {table} SET town = town") == 0
    assert _changed(county, f"DELETE FROM {table}") == 0
    with admin.connect() as conn:
        assert dict(conn.exec_driver_sql(f"SELECT town, count(*) FROM {table} GROUP BY town").all()) == {
            LAKOU: 1, WENXI: 1}


# -- through the app's own imports ----------------------------------------------------------------

def month_file(rows: list[tuple[str, str, float]], month: int = 9) -> bytes:
    """A month of 2024: rows of (name, sector, value 万元)."""
    return xlsx_bytes({"s": long_rows([(2024, month, name, sector, True, v) for name, sector, v in rows])})


def test_raw_sql_through_the_apps_connection_sees_the_towns_imports_only(postgres):
    url = postgres.new_database()
    engine = store.open_database(url)
    imported = {LAKOU: [("甲", "五金", 10.0), ("乙", "五金", 20.0)],
                WENXI: [("甲", "五金", 7.0), ("丙", "建材", 30.0), ("丁", "建材", 5.0)]}
    for town, rows in imported.items():
        importing.import_bytes(store.for_town(engine, town), month_file(rows), f"{town}.xlsx", operator=staff(town))
    names = "SELECT name FROM enterprises ORDER BY name"
    count = "SELECT count(*), sum(value_10k) FROM observations"
    for town, rows in imported.items():
        mine = store.for_town(engine, town)
        assert raw(mine, names) == sorted((name,) for name, _, _ in rows)
        assert raw(mine, count) == [(len(rows), sum(v for _, _, v in rows))]
    every = [row for rows in imported.values() for row in rows]
    county = store.for_town(engine, store.COUNTY)
    assert raw(county, names) == sorted((name,) for name, _, _ in every)
    assert raw(county, count) == [(len(every), sum(v for _, _, v in every))]
    with bare(url) as conn:
        assert conn.execute(names).fetchall() == [] and conn.execute(count).fetchall() == [(0, None)]
    # The town lasts one transaction: the pooled connection it leaves behind acts for none.
    with store.for_town(engine, LAKOU).connect() as conn:
        assert conn.exec_driver_sql(count).one() == (2, 30.0)
        conn.commit()
        driver = conn.connection.driver_connection
        assert driver.execute(count).fetchall() == [(0, None)]
    engine.dispose()


def test_a_county_file_of_two_towns_writes_each_towns_rows_as_that_towns_in_one_transaction(postgres):
    url = postgres.new_database()
    engine = store.open_database(url)
    lakou, wenxi, chuanliao = (store.for_town(engine, town) for town in (LAKOU, WENXI, CHUANLIAO))
    importing.import_bytes(wenxi, month_file([("温溪一厂", "五金", 400.0)]), "温溪九月.xlsx", operator=staff(WENXI))
    county_file = xlsx_bytes({"2024年10月": [
        ["乡镇", "企业名称", "所属行业", "是否规上", "产值（万元）"],
        [WENXI, "温溪一厂", "建材", "是", 430.0],  # a new sector: the register changes
        [CHUANLIAO, "船寮一厂", "五金", "是", 80.0],
        [WENXI, "温溪二厂", "五金", "是", 120.5]]})
    # Through 腊口镇's engine, as county staff do from the town they are looking at.
    outcome = importing.import_bytes(lakou, county_file, "县_十月.xlsx", operator=COUNTY_STAFF)
    assert [part.town for part in outcome.parts] == [WENXI, CHUANLIAO]
    admin = superuser(postgres, url)
    with admin.connect() as conn:
        assert town_counts(conn)["observations"] == {WENXI: 3, CHUANLIAO: 1}
        assert conn.exec_driver_sql("SELECT c.town, i.town, i.file_name FROM enterprise_changes c "
                                    "JOIN imports i ON i.id = c.import_id").all() == [(WENXI, WENXI, "县_十月.xlsx")]
    # Each town's part counted as a change of that town's year and register (read within its town).
    assert store.data_versions(wenxi)["year:2024"] == 2 and store.data_versions(wenxi)["register"] == 2
    assert store.data_versions(chuanliao)["year:2024"] == 1 and store.data_versions(lakou)["all"] == 0

    # County staff undo each part through another town's engine.
    store.undo_import(wenxi, outcome.parts[1].import_id, operator=COUNTY_STAFF)
    store.undo_import(chuanliao, outcome.parts[0].import_id, operator=COUNTY_STAFF)
    with admin.connect() as conn:
        assert town_counts(conn)["observations"] == {WENXI: 1}
        assert conn.exec_driver_sql("SELECT name, sector FROM enterprises").all() == [("温溪一厂", "hardware")]
        assert conn.exec_driver_sql("SELECT count(*) FROM enterprise_changes").scalar() == 0
    admin.dispose()
    engine.dispose()


# -- a database of the previous release ------------------------------------------------------------

def test_a_database_made_by_the_superuser_at_the_previous_revision_gets_the_policies_and_keeps_every_row(postgres):
    """As `make run-county` of the previous release left it: made and owned by the superuser, no
    row-level security. scripts/app-role.sql hands it to the app's role (as run-county.sh does);
    the app's own migration adds the policies on opening."""
    url = postgres.new_database(migrated=False)
    name = make_url(url).database
    postgres.admin(f"ALTER DATABASE {name} OWNER TO {SUPERUSER}")
    admin = superuser(postgres, url)
    with admin.begin() as conn:
        command.upgrade(_config(connection=conn, home_town=LAKOU), "0002")
        write_probe_rows(conn, [LAKOU, WENXI])
    with admin.connect() as conn:
        before = town_counts(conn)
        assert conn.exec_driver_sql("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'").all() == [
            (SUPERUSER,)]
    assert all(counts == {LAKOU: 1, WENXI: 1} for counts in before.values())

    postgres.admin((ROOT / "scripts" / "app-role.sql").read_text(encoding="utf-8"), dbname=name)
    engine = store.open_database(url)

    with admin.connect() as conn:
        assert town_counts(conn) == {**before, **dict.fromkeys(TABLES_0004, {})}  # made empty by 0004
        assert conn.exec_driver_sql("SELECT count(*) FROM enterprise_changes c JOIN imports i "
                                    "ON i.id = c.import_id WHERE c.town = i.town").scalar() == 2
        assert conn.exec_driver_sql("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'").all() == [
            (APP_ROLE,)]
        assert_every_town_table_is_guarded(conn)
    lakou = store.for_town(engine, LAKOU)
    for table in before:
        assert raw(lakou, f"SELECT town, count(*) FROM {table} GROUP BY town") == [(LAKOU, 1)]
    admin.dispose()
    engine.dispose()

