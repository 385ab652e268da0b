"""Holes found by attacking "one town's data, enforced in one place" (store/scope.py, row-level
security, the command line), each closed and held here: statements of rarer forms, an update that
would move a row, another town's history through a store call, the county file's outcome, the
sample loaded over a town's data, and the county's name taken for a town. Two towns' rows are
written by each test itself, so every expected figure is the town's own rows as written here."""
import pytest
from cli_support import cli
from conftest import county_staff, long_rows, staff, xlsx_bytes
from sqlalchemy import MetaData, func, insert, lambda_stmt, literal_column, select, union, union_all, update

from lakou_metrics import importing, store
from lakou_metrics.ingest.errors import ImportRefused
from lakou_metrics.store import scope
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


# Reads of the rarer forms (they once returned both towns' rows on SQLite).
READS = {
    "union": lambda conn: union(select(enterprises.c.town), select(enterprises.c.town)),
    "union all": lambda conn: union_all(select(enterprises.c.town), select(enterprises.c.town)),
    "a reflected table (pandas read_sql_table reflects)": _reflected_enterprises,
}


@pytest.mark.parametrize("name", list(READS))
def test_a_read_through_a_towns_connection_sees_that_towns_rows_only(two_towns, name):
    with store.for_town(two_towns, A).connect() as conn:
        seen = set(conn.execute(READS[name](conn)).scalars())
    assert seen == {A}


# Forms the layer cannot limit are refused (on both backends), never run unlimited.
UNSCOPABLE = {
    "a lambda statement": lambda_stmt(lambda: select(enterprises.c.town)),
    "an insert of several VALUES rows": insert(enterprises).values(
        [{"name_key": "甲厂", "name": "甲厂", "sector": "other"}, {"name_key": "乙厂", "name": "乙厂", "sector": "other"}]),
    "an insert from a select": insert(enterprises).from_select(
        ["name_key", "name", "sector", "town"], select(enterprises.c.name_key + "2", enterprises.c.name,
                                                       enterprises.c.sector, literal_column(f"'{B}'"))),
}


@pytest.mark.parametrize("name", list(UNSCOPABLE))
def test_a_statement_the_layer_cannot_limit_is_refused(two_towns, name):
    with pytest.raises(scope.Unscopable):
        with store.for_town(two_towns, A).connect() as conn, conn.begin():
            conn.execute(UNSCOPABLE[name])
    for town in (A, B):
        assert sorted(store.load_register(store.for_town(two_towns, town)).name) == sorted(FIRMS)


def test_a_towns_evaluation_and_electricity_are_its_own(two_towns):
    """The same firms' 亩均评价 data and electricity in both towns (10 in 腊口镇, 30 in 温溪镇): each
    town's readers, and a statement on the new tables that names no town, see its own rows only."""
    from lakou_metrics.store.schema import electricity, evaluation_figures

    for town in (A, B):
        data = xlsx_bytes({
            "亩均": [["2023年度亩均效益评价数据表"], ["企业名称", "用地面积（亩）", "税收实际贡献（万元）", "用电量（万千瓦时）"],
                     *([name, VALUE[town], VALUE[town], VALUE[town]] for name in FIRMS)],
            "用电": [["2024年1月用电量"], ["企业名称", "本月用电量（万千瓦时）"], *([name, VALUE[town]] for name in FIRMS)]})
        importing.import_bytes(store.for_town(two_towns, town), data, f"{town}亩均.xlsx", operator=staff(town))
    for town in (A, B):
        mine = store.for_town(two_towns, town)
        assert store.load_evaluation(mine, 2023).tax_10k.tolist() == [VALUE[town]] * 3
        assert store.load_electricity(mine).value_10k_kwh.tolist() == [VALUE[town]] * 3
        with mine.connect() as conn:
            for table, column in ((evaluation_figures, "land_mu"), (electricity, "value_10k_kwh")):
                assert conn.execute(select(func.sum(table.c[column]))).scalar() == 3 * VALUE[town]


def test_an_update_cannot_move_a_row_into_another_town(two_towns):
    """Refused by the layer (and on PostgreSQL by the policy as well): nothing moves."""
    with pytest.raises(scope.OutsideTown):
        with store.for_town(two_towns, A).connect() as conn, conn.begin():
            conn.execute(update(enterprises).where(enterprises.c.name == FIRMS[2]).values(town=B, name_key="x", name="移入"))
    assert sorted(store.load_register(store.for_town(two_towns, B)).name) == sorted(FIRMS)
    assert sorted(store.load_register(store.for_town(two_towns, A)).name) == sorted(FIRMS)


def test_an_updates_subquery_of_its_own_table_reads_the_towns_rows_only(two_towns):
    """腊口镇's figures are set to 腊口镇's own largest (10), never 温溪镇's (30)."""
    with store.for_town(two_towns, A).connect() as conn, conn.begin():
        conn.execute(update(observations).values(value_10k=select(func.max(observations.c.value_10k)).scalar_subquery()))
    assert store.load_observations(store.for_town(two_towns, A)).value_10k.tolist() == [VALUE[A]] * 3
    assert store.load_observations(store.for_town(two_towns, B)).value_10k.tolist() == [VALUE[B]] * 3


def test_a_towns_store_call_does_not_tell_another_towns_imports(two_towns):
    """A town's staff who pass versions of another town (or of 县) are refused before anything of
    that town's history is read: DataChanged would name its latest file, person and time."""
    cleaned = importing.read_and_clean(xlsx_bytes({"产值": long_rows([(2024, 2, "温溪新厂", "建材", False, 5)])}),
                                       "二月.xlsx", None, importing.known_towns(store.for_town(two_towns, B)))
    for versions in ({A: -1}, {store.COUNTY: -1}):
        with pytest.raises(store.NotPermitted) as refused:
            store.store_cleaned(store.for_town(two_towns, B), cleaned, "0" * 64, 1, operator=staff(B),
                                expected_version=versions)
        assert f"{A}一月.xlsx" not in str(refused.value), versions
    assert "温溪新厂" not in store.load_register(store.for_town(two_towns, B)).name.tolist()


def test_a_county_files_outcome_names_each_town_once(two_towns):
    """Each part's line names its town once (it once read "温溪镇：温溪镇：已导入…")."""
    rows = [["乡镇", "年份", "月份", "企业名称", "产值（万元）"], [A, 2024, "2月", FIRMS[0], 11], [B, 2024, "2月", FIRMS[0], 33]]
    outcome = importing.import_bytes(store.for_town(two_towns, A), xlsx_bytes({"产值": rows}), "县域二月.xlsx",
                                     operator=county_staff())
    lines = outcome.describe().splitlines()
    assert lines[0].startswith(f"{A}：已导入「县域二月.xlsx」")
    assert [line for line in lines if "已导入" in line][1].startswith(f"{B}：已导入「县域二月.xlsx」")


def test_starting_the_county_edition_never_loads_the_sample_over_a_towns_data(tmp_path):
    """scripts/run-county.sh runs `init --sample --county` at every start: while any town holds data
    (here 温溪镇, the home town 腊口镇 none), no sample is loaded over it."""
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
    """`import --town 县 --new-town` is told in Chinese that 县 is no town (it once ended in
    程序内部错误); a blank --town is refused the same way, never taken for the home town."""
    path = tmp_path / "一月.xlsx"
    path.write_bytes(xlsx_bytes({"产值": long_rows([(2024, 1, "县厂", "建材", False, 5)])}))
    result = cli("import", str(path), "--town", store.COUNTY, "--new-town", db=tmp_path / "t.db")
    assert result.returncode == 1
    assert "是县级工作人员的身份，不是乡镇" in result.stderr and "程序内部错误" not in result.stderr
    blank = cli("undo", "1", "--town", " ", db=tmp_path / "t.db")
    assert blank.returncode == 1 and "--town 给的乡镇名称是空的" in blank.stderr


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
