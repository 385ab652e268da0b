"""Regression tests for holes found by attacking "one town's data, enforced in one place"
(store/scope.py, row-level security, the CLI). Each test states what should hold; several FAIL on
the code they were written against (marked KNOWN FAILING below, with the backend), and pass once the
hole is closed. Two towns' rows are written by each test itself, so every expected figure is the
town's own rows as written here."""
import psycopg
import pytest
from conftest import county_staff, long_rows, staff, xlsx_bytes
from sqlalchemy import MetaData, func, lambda_stmt, literal_column, select, union, union_all, update
from test_cli import cli

from lakou_metrics import importing, store
from lakou_metrics.ingest.errors import ImportRefused
from lakou_metrics.store.schema import enterprises, observations

A, B = "腊口镇", "温溪镇"
FIRMS = ["卓尔五金", "石普铝业", "浙南油茶"]
VALUE = {A: 10.0, B: 30.0}  # every January figure of the town


@pytest.fixture
def two_towns(engine):
    """腊口镇 and 温溪镇, the same three firms each, January 2024: 10 万元 each in 腊口镇, 30 in 温溪镇."""
    for town in (A, B):
        data = xlsx_bytes({"产值": long_rows([(2024, 1, name, "五金", True, VALUE[town]) for name in FIRMS])})
        importing.import_bytes(store.for_town(engine, town), data, f"{town}一月.xlsx", operator=staff(town))
    return engine


def _reflected_enterprises(conn):
    tables = MetaData()
    tables.reflect(conn, only=["enterprises"])
    return select(tables.tables["enterprises"].c.town)


# Reads the layer does not rewrite (KNOWN FAILING on SQLite: they return both towns' rows; on
# PostgreSQL row-level security holds them).
READS = {
    "union": lambda conn: union(select(enterprises.c.town), select(enterprises.c.town)),
    "union all": lambda conn: union_all(select(enterprises.c.town), select(enterprises.c.town)),
    "lambda_stmt": lambda conn: lambda_stmt(lambda: select(enterprises.c.town)),
    "a reflected table (pandas read_sql_table reflects)": _reflected_enterprises,
}


@pytest.mark.parametrize("name", list(READS))
def test_a_read_through_a_towns_connection_sees_that_towns_rows_only(two_towns, name):
    with store.for_town(two_towns, A).connect() as conn:
        seen = set(conn.execute(READS[name](conn)).scalars())
    assert seen == {A}


def test_an_update_cannot_move_a_row_into_another_town(two_towns):
    """KNOWN FAILING on SQLite: the update is limited to 腊口镇's rows, but may set their town to
    温溪镇's, which then holds an enterprise 腊口镇's staff wrote (PostgreSQL's policy refuses it)."""
    try:
        with store.for_town(two_towns, A).connect() as conn, conn.begin():
            conn.execute(update(enterprises).where(enterprises.c.name == FIRMS[2]).values(town=B, name_key="x", name="移入"))
    except Exception:  # refused by the layer or by the database: either way nothing was moved
        pass
    assert sorted(store.load_register(store.for_town(two_towns, B)).name) == sorted(FIRMS)
    assert sorted(store.load_register(store.for_town(two_towns, A)).name) == sorted(FIRMS)


def test_an_updates_subquery_of_its_own_table_reads_the_towns_rows_only(two_towns):
    """KNOWN FAILING on SQLite: the subquery of the updated table is left unscoped, so 腊口镇's
    figures are set to 温溪镇's largest (30) instead of 腊口镇's own largest (10)."""
    with store.for_town(two_towns, A).connect() as conn, conn.begin():
        conn.execute(update(observations).values(value_10k=select(func.max(observations.c.value_10k)).scalar_subquery()))
    assert store.load_observations(store.for_town(two_towns, A)).value_10k.tolist() == [VALUE[A]] * 3
    assert store.load_observations(store.for_town(two_towns, B)).value_10k.tolist() == [VALUE[B]] * 3


def test_a_towns_store_call_does_not_tell_another_towns_imports(two_towns):
    """KNOWN FAILING on both backends: store_cleaned checks the versions it is given, of any town,
    and DataChanged names the file, person and time of that town's latest import."""
    cleaned = importing.read_and_clean(xlsx_bytes({"产值": long_rows([(2024, 2, "温溪新厂", "建材", False, 5)])}),
                                       "二月.xlsx", None, importing.known_towns(store.for_town(two_towns, B)))
    for versions in ({A: -1}, {store.COUNTY: -1}):
        try:
            store.store_cleaned(store.for_town(two_towns, B), cleaned, "0" * 64, 1, operator=staff(B),
                                expected_version=versions)
        except (store.DataChanged, store.NotPermitted) as refused:
            assert f"{A}一月.xlsx" not in str(refused), versions


def test_a_county_files_outcome_names_each_town_once(two_towns):
    """KNOWN FAILING on both backends: the part of a town other than the one shown reads
    "温溪镇：温溪镇：已导入…" (the part's own line is prefixed, then the whole file's again)."""
    rows = [["乡镇", "年份", "月份", "企业名称", "产值（万元）"], [A, 2024, "2月", FIRMS[0], 11], [B, 2024, "2月", FIRMS[0], 33]]
    outcome = importing.import_bytes(store.for_town(two_towns, A), xlsx_bytes({"产值": rows}), "县域二月.xlsx",
                                     operator=county_staff())
    lines = outcome.describe().splitlines()
    assert lines[0].startswith(f"{A}：已导入「县域二月.xlsx」")
    assert [line for line in lines if "已导入" in line][1].startswith(f"{B}：已导入「县域二月.xlsx」")


def test_a_direct_connection_as_the_apps_role_cannot_read_another_town(postgres):
    """README (县域版, 行级安全): "有人拿看板的数据库账号直接连上数据库，也看不到、改不了别的乡镇的数据".
    KNOWN FAILING: the role may set lakou.town itself (a custom setting anyone can set), so a
    direct connection reads every town as 县, or writes any town as that town."""
    url = postgres.new_database()
    engine = store.open_database(url)
    for town in (A, B):
        importing.import_bytes(store.for_town(engine, town), xlsx_bytes({"产值": long_rows(
            [(2024, 1, FIRMS[0], "五金", True, VALUE[town])])}), f"{town}.xlsx", operator=staff(town))
    engine.dispose()
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as conn:
        conn.execute("SELECT set_config('lakou.town', %s, false)", (A,))
        assert conn.execute("SELECT count(*) FROM enterprises WHERE town = %s", (B,)).fetchone()[0] == 0
        conn.execute("SELECT set_config('lakou.town', %s, false)", (store.COUNTY,))
        assert conn.execute("SELECT count(*) FROM enterprises WHERE town = %s", (B,)).fetchone()[0] == 0


def test_starting_the_county_edition_never_loads_the_sample_over_a_towns_data(tmp_path):
    """scripts/run-county.sh runs `init --sample --county` at every start. KNOWN FAILING: when the
    home town (腊口镇) holds no active import, the sample of 温溪镇 and 船寮镇 is imported too and
    replaces 温溪镇's own months of 2024 (its real enterprise is left with no figures)."""
    db = tmp_path / "county.db"
    engine = store.open_database(db)
    months = [(2024, m, "温溪真实企业", "五金", True, 1000.0) for m in range(1, 10)]
    importing.import_bytes(store.for_town(engine, B), xlsx_bytes({"产值": long_rows(months)}), "温溪镇2024.xlsx",
                           operator=staff(B))
    engine.dispose()
    result = cli("init", "--sample", "--county", db=db)
    assert result.returncode == 0, result.stderr
    engine = store.open_database(db)
    real = store.load_observations(store.for_town(engine, B), [2024])
    engine.dispose()
    assert real[real.name == "温溪真实企业"].value_10k.tolist() == [1000.0] * 9


def test_the_command_line_refuses_the_countys_name_as_a_town_in_chinese(tmp_path):
    """KNOWN FAILING: `import --town 县 --new-town` reaches the store as the county's reading
    connection and ends in 程序内部错误 (OutsideTown) instead of saying 县 is no town."""
    path = tmp_path / "一月.xlsx"
    path.write_bytes(xlsx_bytes({"产值": long_rows([(2024, 1, "县厂", "建材", False, 5)])}))
    result = cli("import", str(path), "--town", store.COUNTY, "--new-town", db=tmp_path / "t.db")
    assert result.returncode == 1
    assert "程序内部错误" not in result.stderr


def test_a_county_file_whose_one_part_fails_stores_nothing_in_any_town(two_towns):
    """Held when written: 温溪镇's part names one firm with another firm's credit code, so neither
    town's part is stored."""
    codes = {A: "91331121MA21000X0Y", B: "91331121MA23000X0Y"}
    for town in (A, B):  # each town's 卓尔五金 gets its code, 石普铝业 none
        importing.import_bytes(store.for_town(two_towns, town), xlsx_bytes({"产值": [
            ["年份", "月份", "企业名称", "统一社会信用代码", "产值（万元）"], [2024, "2月", FIRMS[0], codes[town], 1]]}),
            f"{town}二月.xlsx", operator=staff(town))
    before = {t: store.data_version(store.for_town(two_towns, t)) for t in (A, B)}
    rows = [["乡镇", "年份", "月份", "企业名称", "统一社会信用代码", "产值（万元）"],
            [A, 2024, "3月", "腊口新厂", None, 12],
            [B, 2024, "3月", FIRMS[1], codes[B], 33]]  # 温溪镇: 石普铝业 given 卓尔五金's code
    with pytest.raises(ImportRefused):
        importing.import_bytes(store.for_town(two_towns, A), xlsx_bytes({"产值": rows}), "县域三月.xlsx",
                               operator=county_staff())
    assert {t: store.data_version(store.for_town(two_towns, t)) for t in (A, B)} == before
    assert "腊口新厂" not in store.load_register(store.for_town(two_towns, A)).name.tolist()
    with store.for_town(two_towns, store.COUNTY).connect() as conn:
        assert conn.execute(select(func.count()).select_from(observations).where(
            observations.c.year == 2024, literal_column("first_month") == 3)).scalar() == 0
