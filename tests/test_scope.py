"""One town's data, enforced in one place (store/scope.py), on SQLite and PostgreSQL alike.

The sweep: two towns' files imported into one database, interleaved, and each town's alone into
a database of its own; every loader and writer of the store, run for each town on both, gives the
same result (ids compared by their order, as the two databases number rows differently). Then
the layer itself: statements that name no town still see and change one town's rows only."""
import hashlib
import re
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, staff, xlsx_bytes
from sqlalchemy import delete, func, insert, select, update

from lakou_metrics import importing, store
from lakou_metrics.ingest.cells import enterprise_name_key
from lakou_metrics.ingest.clean import clean_table
from lakou_metrics.store import scope
from lakou_metrics.store.schema import enterprises, imports, meta, observations, towns

A, B = "腊口镇", "温溪镇"
# The same names in both towns, so that a figure filed on the wrong town's enterprise shows.
FIRMS = [("卓尔五金", "五金", "是"), ("石普铝业", "金属加工", "是"), ("浙南油茶", "农产品加工", "否")]


@cache  # the same bytes for every database (a workbook written twice differs in its timestamps)
def town_files(town: str) -> list[tuple[str, bytes]]:
    """A town's year of files, each kind the store keeps: output months of two years, targets with
    actuals, enterprise targets, a peer town's figures, a 重点项目 register and its progress, a year's
    亩均评价 data, the register's 用地面积 and 电力户号, and electricity by name and by 户号. The
    figures differ by town (`k`), so two towns' rows never coincide."""
    k = 1 if town == A else 3
    output = [["年份", "月份", "企业名称", "统一社会信用代码", "所属行业", "是否规上", "产值（万元）"]]
    for year in (2023, 2024):
        for month in (1, 2, 3):
            for i, (name, sector, above) in enumerate(FIRMS):
                output.append([year, f"{month}月", name, f"91331121MA2{k}{i:02d}00X0Y", sector, above,
                               k * (100 + 10 * i + month + (year - 2023) * 7)])
    own = f"{town[:2]}新材料"  # an enterprise only this town has
    output.append([2024, "3月", own, None, "建材", "否", 40 * k])
    targets = [["年份", "指标", "单位", "年度目标", "1-3月完成"], [2024, "完成制造业投资", "亿元", 2.0 * k, 0.4 * k]]
    goals = [["年份", "企业名称", "年度产值目标（万元）"], [2024, FIRMS[0][0], 1500 * k], [2024, own, 600 * k]]
    peers = [["对比乡镇主要指标"], ["乡镇", "年份", "期间", "指标", "单位", "数值"],
             ["船寮镇", 2024, "1-3月", "工业总产值", "亿元", 1.5 * k]]
    register = [["项目名称", "企业名称", "行业", "建设性质", "是否制造业", "总投资（万元）", "年度计划投资（万元）"],
                [f"{town}技改项目", FIRMS[0][0], "五金", "技改", "是", 3000 * k, 1200 * k]]
    progress = [["项目名称", "年份", "月份", "本月完成投资（万元）"],
                *([f"{town}技改项目", 2024, m, 90 * k + m] for m in (1, 2, 3))]
    evaluation = [["2023年度工业企业亩均效益评价数据表"],
                  ["企业名称", "是否规上", "用地面积（亩）", "税收实际贡献（万元）", "工业增加值（万元）", "用电量（万千瓦时）"],
                  *([name, above, 10 * k + i, 50 * k + i, None if i == 2 else 200 * k, 30 * k] for i, (name, _, above)
                    in enumerate(FIRMS))]
    register_power = [["企业名称", "用地面积（亩）", "电力户号"],
                      *([name, 20 * k + i, f"33{k}{i}"] for i, (name, _, _) in enumerate(FIRMS))]
    power = [["2024年3月用电量"], ["户号", "企业名称", "本月用电量（万千瓦时）", "1-3月累计用电量（万千瓦时）"],
             *([f"33{k}{i}", None if i == 1 else name, 5 * k + i, 14 * k + i] for i, (name, _, _) in enumerate(FIRMS))]
    return [("产值.xlsx", xlsx_bytes({"产值": output})),
            ("亩均.xlsx", xlsx_bytes({"亩均数据": evaluation})),
            ("名录.xlsx", xlsx_bytes({"企业名录": register_power})),
            ("用电.xlsx", xlsx_bytes({"用电": power})),
            ("目标.xlsx", xlsx_bytes({"目标": targets, "2024年企业目标": goals})),
            ("对比乡镇.xlsx", xlsx_bytes({"对比": peers})),
            ("项目.xlsx", xlsx_bytes({"2024年重点项目": register, "项目进度": progress}))]


def database(db_factory, towns_: list[str]) -> store.engine.Engine:
    """A database holding these towns' files, imported file by file, the towns interleaved."""
    engine = store.open_database(db_factory())
    files = {town: town_files(town) for town in towns_}
    for i in range(len(files[towns_[0]])):
        for town in towns_:
            name, data = files[town][i]
            outcome = importing.import_bytes(store.for_town(engine, town), data, f"{town}{name}", operator=staff(town, f"{town}员"))
            assert outcome.status == "imported", outcome.describe()
    return engine


@pytest.fixture
def db_factory(request, tmp_path):
    """New databases of the test's backend: SQLite files, or databases on the session's server."""
    names = iter(range(100))
    if request.param == "sqlite":
        return lambda: str(tmp_path / f"t{next(names)}.db")
    cluster = request.getfixturevalue("postgres")
    return cluster.new_database


BACKENDS = pytest.mark.parametrize("db_factory", ["sqlite", "postgresql"], indirect=True)
ID_COLUMNS = {"id", "enterprise_id", "import_id", "created_by", "replaced_by"}
MOMENTS = {"imported_at", "undone_at"}


def comparable(value):
    """A loader's result with ids replaced by their order (two databases number rows differently)
    and the moments of imports left out."""
    if isinstance(value, pd.DataFrame):
        frame = value.reset_index() if value.index.name in ID_COLUMNS else value.reset_index(drop=True)
        frame = frame.drop(columns=[c for c in MOMENTS if c in frame])
        frame = frame.map(lambda v: tuple(v) if isinstance(v, list) else v)  # list_imports' periods
        for column in ID_COLUMNS & set(frame.columns):
            known = sorted(frame[column].dropna().unique())
            frame[column] = frame[column].map({v: i for i, v in enumerate(known)})
        frame = frame.sort_values(list(frame.columns), kind="stable").reset_index(drop=True).astype(object)
        return frame.where(frame.notna(), None).to_dict("list")  # NaN is not equal to itself
    if isinstance(value, tuple):
        return tuple(comparable(v) for v in value)
    return value


def found_in_register(engine) -> dict:
    """find_enterprises of the firms and of a name no register holds, ids by their order."""
    found = store.find_enterprises(engine, [(enterprise_name_key(n), None) for n in (*(f[0] for f in FIRMS), "无名厂")])
    ids = sorted(v for v in found.values() if v is not None)
    return {key: None if v is None else ids.index(v) for key, v in found.items()}


# Every reader of the store, as a page or the CLI calls it. The towns directory (list_towns) is the
# one thing shared on purpose: which towns the database holds.
READERS = {
    "load_observations": lambda e: store.load_observations(e),
    "load_observations([2024])": lambda e: store.load_observations(e, [2024]),
    "load_year_spans": lambda e: store.load_year_spans(e, 2024),
    "load_annual_spans": store.load_annual_spans,
    "observation_years": store.observation_years,
    "load_register": store.load_register,
    "load_enterprises": lambda e: store.load_enterprises(e).drop(columns=["aliases"]),
    "load_targets": lambda e: store.load_targets(e, 2024),
    "load_enterprise_targets": lambda e: sorted(store.load_enterprise_targets(e, 2024).values()),
    "load_peer_figures": lambda e: store.load_peer_figures(e, 2024, 3),
    "load_projects": lambda e: store.load_projects(e, 2024),
    "load_project_progress": lambda e: store.load_project_progress(e, 2024),
    "project_years": store.project_years,
    "load_evaluation": lambda e: store.load_evaluation(e, 2023),
    "evaluation_years": store.evaluation_years,
    "load_first_reports": store.load_first_reports,
    "load_electricity": lambda e: store.load_electricity(e),
    "load_electricity([2024])": lambda e: store.load_electricity(e, [2024]),
    "electricity_years": store.electricity_years,
    "list_imports": store.list_imports,
    "is_empty": store.is_empty,
    "data_version": store.data_version,
    "data_versions": lambda e: {k: v for k, v in store.data_versions(e).items() if k != "county"},
    "find_enterprises": found_in_register,
    "load_original": lambda e: [hashlib.sha256(store.load_original(e, sha)).hexdigest()
                                for sha in sorted(store.list_imports(e).sha256) if sha != "edit"],
}


def readings(engine, town: str) -> dict:
    town_engine = store.for_town(engine, town)
    return {name: comparable(read(town_engine)) for name, read in READERS.items()}


def test_the_sweep_covers_every_reader_the_store_offers():
    offered = {name for name in store.__all__ if name.startswith(("load_", "list_imports", "find_", "is_empty",
                                                                   "data_version")) or name.endswith("_years")}
    covered = {name.split("(")[0] for name in READERS}
    assert offered - covered == set()


@BACKENDS
def test_every_reader_and_writer_gives_a_town_what_a_database_of_that_town_alone_gives(db_factory):
    both = database(db_factory, [A, B])
    alone = {town: database(db_factory, [town]) for town in (A, B)}
    for town in (A, B):
        assert readings(both, town) == readings(alone[town], town), town
    # Another town's original file is not one of this town's, whatever its checksum.
    other_sha = store.list_imports(store.for_town(both, B)).sha256.iloc[0]
    assert store.load_original(store.for_town(both, A), other_sha) is None

    # Writers, for each town in turn: a month replaced, a register edited on the page, the month's
    # import undone. Each gives what it gives alone, and the other town reads as before.
    march = xlsx_bytes({"产值": [["年份", "月份", "企业名称", "产值（万元）"], [2024, "3月", FIRMS[1][0], 999]]})
    for town, other in ((A, B), (B, A)):
        before_other = readings(both, other)
        results = []
        for engine in (both, alone[town]):
            mine = store.for_town(engine, town)
            replaced = importing.import_bytes(mine, march, "三月更正.xlsx", operator=staff(town, f"{town}员"))
            edit = clean_table([["企业名称", "所属行业", "联系领导"], [FIRMS[2][0], "建材", "林晓"]],
                               "页面编辑：企业名录", "企业名录")
            edited = store.store_cleaned(mine, edit, "edit", 0, operator=staff(town, f"{town}员"))
            after_writes = readings(engine, town)
            undone = store.undo_import(mine, replaced.import_id, operator=staff(town, f"{town}员"))
            results.append(((replaced.rows, replaced.periods, replaced.replaced, replaced.new_enterprises),
                            (edited.status, edited.rows), after_writes, undone.replace(str(replaced.import_id), "#"),
                            readings(engine, town)))
        assert results[0] == results[1], town
        assert readings(both, other) == before_other, other


# The layer itself: Core statements that name no town.
@pytest.fixture
def two_towns(engine):
    for town in (A, B):
        data = xlsx_bytes({"产值": [["年份", "月份", "企业名称", "产值（万元）"],
                                    *([2024, "1月", name, 10 if town == A else 30] for name, _, _ in FIRMS)]})
        importing.import_bytes(store.for_town(engine, town), data, f"{town}.xlsx", operator=staff(town, f"{town}员"))
    return engine


STATEMENTS = {
    "a table": (select(enterprises.c.name, enterprises.c.town), lambda rows, t: {r.town for r in rows} == {t}),
    "a join": (select(observations.c.value_10k, enterprises.c.town).join_from(
        observations, enterprises, observations.c.enterprise_id == enterprises.c.id),
        lambda rows, t: len(rows) == 3 and {r.town for r in rows} == {t}),
    "a subquery": (select(enterprises.c.town).where(enterprises.c.id.in_(select(observations.c.enterprise_id))),
                   lambda rows, t: [r.town for r in rows] == [t] * 3),
    "a count": (select(func.count()).select_from(observations), lambda rows, t: rows[0][0] == 3),
    "a sum": (select(func.sum(observations.c.value_10k)), lambda rows, t: rows[0][0] == (30 if t == A else 90)),
}


@pytest.mark.parametrize("name", list(STATEMENTS))
def test_a_statement_that_names_no_town_reads_the_towns_rows_only(two_towns, name):
    statement, holds = STATEMENTS[name]
    for town in (A, B):
        with store.for_town(two_towns, town).connect() as conn:
            rows = conn.execute(statement).all()
        assert holds(rows, town), (town, rows)


def test_a_statement_names_each_town_table_once_whatever_the_shared_subqueries_do(two_towns, monkeypatch):
    """A town table's rows of a town are one subquery shared by every statement (scope._town_rows, a
    cache that may drop an entry while another thread rewrites a statement). Here it makes a new
    one at every call, as if dropped each time: each statement still names each table once."""
    monkeypatch.setattr(scope, "_town_rows", lambda table, town: select(table).where(table.c.town == town)
                        .subquery(table.name))
    for name, (statement, holds) in STATEMENTS.items():
        for town in (A, B):
            with store.for_town(two_towns, town).connect() as conn:
                rows = conn.execute(statement).all()
            assert holds(rows, town), (name, town, rows)


def test_changes_that_name_no_town_change_the_towns_rows_only(two_towns):
    wenxi_before = store.load_observations(store.for_town(two_towns, B)).value_10k.tolist()
    with store.for_town(two_towns, A).connect() as conn, conn.begin():
        assert conn.execute(update(observations).values(value_10k=observations.c.value_10k + 1)).rowcount == 3
        conn.execute(insert(enterprises).values(name_key="新厂", name="新厂", sector="other"))
    assert store.load_observations(store.for_town(two_towns, A)).value_10k.tolist() == [11, 11, 11]
    assert store.load_observations(store.for_town(two_towns, B)).value_10k.tolist() == wenxi_before
    assert "新厂" in store.load_register(store.for_town(two_towns, A)).name.tolist()
    assert "新厂" not in store.load_register(store.for_town(two_towns, B)).name.tolist()
    with store.for_town(two_towns, A).connect() as conn, conn.begin():
        assert conn.execute(delete(observations)).rowcount == 3
    assert store.load_observations(store.for_town(two_towns, B)).value_10k.tolist() == wenxi_before


def test_a_row_of_another_town_cannot_be_inserted(two_towns):
    with pytest.raises(scope.OutsideTown):
        with store.for_town(two_towns, A).connect() as conn, conn.begin():
            conn.execute(insert(enterprises).values(town=B, name_key="潜入", name="潜入", sector="other"))
    with pytest.raises(scope.OutsideTown):
        with store.for_town(two_towns, A).connect() as conn, conn.begin():
            conn.execute(insert(enterprises), [{"town": B, "name_key": "潜入", "name": "潜入", "sector": "other"}])
    assert "潜入" not in store.load_register(store.for_town(two_towns, B)).name.tolist()


def test_the_county_reads_every_town_and_changes_none(two_towns):
    county = store.for_town(two_towns, store.COUNTY)
    with county.connect() as conn:
        assert conn.execute(select(func.count()).select_from(observations)).scalar() == 6
    for change in (update(observations).values(value_10k=0), delete(observations),
                   insert(enterprises).values(name_key="县厂", name="县厂", sector="other")):
        with pytest.raises(scope.OutsideTown):
            with county.connect() as conn, conn.begin():
                conn.execute(change)
    assert sorted(store.load_observations(store.for_town(two_towns, B)).value_10k) == [30, 30, 30]


def test_a_connection_without_a_town_reads_no_towns_rows(two_towns):
    bare = two_towns.execution_options(lakou_town=None)
    with pytest.raises(scope.NoTown):
        store.town_of(bare)
    with bare.connect() as conn:
        with pytest.raises(scope.NoTown):
            conn.execute(select(enterprises.c.name)).all()
        # What holds no town's rows stays readable: the towns the database holds, its versions.
        assert set(conn.execute(select(towns.c.name)).scalars()) == {A, B}
        assert conn.execute(select(func.count()).select_from(meta)).scalar() > 0
        # Unscoped (the migrations' way) passes the layer; on PostgreSQL the database still holds it to
        # no town's rows, as this connection told it no town.
        unscoped = conn.execute(select(func.count()).select_from(imports).execution_options(lakou_unscoped=True))
        assert unscoped.scalar() == (0 if conn.dialect.name == "postgresql" else 2)


def test_no_module_writes_a_town_filter_of_its_own():
    """Only the layer (scope.py), the schema and its migrations name the town column: a query
    elsewhere that filtered by town would be a second, forgettable, guarantee."""
    allowed = {Path("lakou_metrics/store/scope.py"), Path("lakou_metrics/store/schema.py")}
    pattern = re.compile(r"\.c\.town\b|\b[a-z]\.town\s*==|\btown=tx\.town\b|\"town\":\s*tx\.town")
    found = []
    for path in sorted((ROOT / "lakou_metrics").rglob("*.py")) + sorted((ROOT / "lakou_app").rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative in allowed or "migrations" in relative.parts:
            continue
        found += [f"{relative}:{n}" for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                  if pattern.search(line)]
    assert found == []
    unscoped = [str(p.relative_to(ROOT)) for p in (ROOT / "lakou_metrics").rglob("*.py")
                if re.search("lakou_unscoped|UNSCOPED_OPTION", p.read_text(encoding="utf-8"))]
    assert sorted(unscoped) == ["lakou_metrics/store/migrate.py", "lakou_metrics/store/scope.py"]
