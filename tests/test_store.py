"""Storing without ever losing: whole imports, history, undo, crashes and concurrent imports."""
import hashlib
import signal
import subprocess
import sys
import threading

import pytest
from conftest import ROOT, county_staff, long_rows, process_env, refuse_in_check_lane, staff, write, xlsx_bytes

from lakou_metrics import importing, store
from lakou_metrics.ingest.errors import ImportRefused


def quarter_file(values: dict[str, float], sheet="2024年一季度", prior: dict | None = None) -> bytes:
    header = ["企业名称", "行业", "产值（万元）"] + (["上年同期"] if prior else [])
    rows = [header] + [[n, "五金", v] + ([prior[n]] if prior else []) for n, v in values.items()]
    return xlsx_bytes({sheet: rows})


def active(engine, year=2024):
    obs = store.load_observations(engine, [year])
    return {(r.name, r.first_month, r.last_month): r.value_10k for r in obs.itertuples()}


def test_import_stores_rows_history_and_the_original_file(engine, tmp_path):
    data = quarter_file({"甲": 10, "乙": 20})
    outcome = importing.import_file(engine, write(tmp_path, "q1.xlsx", data), operator=staff(name="小王"))
    assert outcome.status == "imported" and outcome.rows == 2
    assert active(engine) == {("甲", 1, 3): 10, ("乙", 1, 3): 20}
    history = store.list_imports(engine)
    row = history.iloc[0]
    sha = hashlib.sha256(data).hexdigest()
    assert (row.file_name, row.sha256, row.size_bytes, row.row_count, row.imported_by) == (
        "q1.xlsx", sha, len(data), 2, "小王")
    assert row.periods == ["2024年1-3月"]
    assert row.town == store.home_town() and row.imported_as == store.home_town()
    # The original is kept in the database, where every app process (on any machine) finds it.
    assert store.load_original(engine, sha) == data


def test_the_operators_name_is_stored_without_invisible_marks(engine):
    outcome = importing.import_bytes(engine, quarter_file({"甲": 10}), "q1.xlsx", operator=staff(name="\u202e小王\u200b "))
    store.undo_import(engine, outcome.import_id, operator=county_staff("小\u2066李\u2069"))
    row = store.list_imports(engine).iloc[0]
    assert (row.imported_by, row.undone_by) == ("小王", "小李")


def _edit_register(engine, operator):
    """The 企业名录 page's edit (views/data.py save_edit): a cleaned table straight to the store."""
    from lakou_metrics.ingest.clean import clean_table

    edit = clean_table([["企业名称", "所属行业"], ["甲", "光伏"]], "页面编辑：企业名录", "企业名录")
    return store.store_cleaned(engine, edit, "edit", 0, operator=operator)


WRITES = [
    pytest.param(lambda engine, operator, _: importing.import_bytes(engine, quarter_file({"甲": 12}), "v2.xlsx",
                                                                    operator=operator), id="import"),
    pytest.param(lambda engine, operator, stored: store.undo_import(engine, stored, operator=operator), id="undo"),
    pytest.param(lambda engine, operator, _: _edit_register(engine, operator), id="page edit"),
]


def _everything(engine):
    history = store.list_imports(engine)[["id", "status", "undone_by"]].values.tolist()
    register = store.load_enterprises(engine)[["name", "sector"]].values.tolist()
    return history, active(engine), register, store.data_versions(engine)


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("operator", [
    pytest.param("小王", id="a plain name"),
    pytest.param(None, id="nobody"),
    pytest.param(store.Operator("小王", "腊口镇", " \u200b"), id="an Operator recognised by nothing"),
])
def test_only_an_operator_a_sign_in_made_changes_data(engine, write, operator):
    stored = importing.import_bytes(engine, quarter_file({"甲": 10}), "v1.xlsx", operator=staff()).import_id
    before = _everything(engine)
    with pytest.raises(TypeError, match="operator must be an Operator made by a sign-in"):
        write(engine, operator, stored)
    assert _everything(engine) == before
    write(engine, staff(), stored)  # the same change by the town's signed-in staff goes through
    assert _everything(engine) != before


def test_identical_file_changes_nothing(engine):
    data = quarter_file({"甲": 10})
    importing.import_bytes(engine, data, "a.xlsx", operator=staff())
    version = store.data_version(engine)
    again = importing.import_bytes(engine, data, "a-copy.xlsx", operator=staff())
    assert again.status == "unchanged" and "未做任何改动" in again.describe()
    assert len(store.list_imports(engine)) == 1
    assert store.data_version(engine) == version


def test_reimport_replaces_the_period_and_undo_restores_it(engine):
    first = importing.import_bytes(engine, quarter_file({"甲": 10, "乙": 20}), "v1.xlsx", operator=staff())
    second = importing.import_bytes(engine, quarter_file({"甲": 11, "丙": 5}), "v2.xlsx", operator=staff())
    assert second.replaced == ["2024年1-3月"]
    assert active(engine) == {("甲", 1, 3): 11, ("丙", 1, 3): 5}
    store.undo_import(engine, second.import_id, operator=staff(name="小王"))
    assert active(engine) == {("甲", 1, 3): 10, ("乙", 1, 3): 20}
    history = store.list_imports(engine).set_index("id")
    assert history.loc[second.import_id, "status"] == "undone"
    assert history.loc[second.import_id, "undone_by"] == "小王"
    # 丙 came only with the undone import, so it is gone from the register too.
    assert "丙" not in set(store.load_enterprises(engine).name)
    store.undo_import(engine, first.import_id, operator=staff())
    assert active(engine) == {}
    assert store.is_empty(engine)


def test_undo_is_refused_while_a_later_import_replaced_its_rows(engine):
    first = importing.import_bytes(engine, quarter_file({"甲": 10}), "v1.xlsx", operator=staff())
    second = importing.import_bytes(engine, quarter_file({"甲": 12}), "v2.xlsx", operator=staff())
    with pytest.raises(ValueError, match=f"请先撤销导入 {second.import_id}"):
        store.undo_import(engine, first.import_id, operator=staff())
    assert active(engine) == {("甲", 1, 3): 12}


def test_undo_restores_enterprise_attributes(engine):
    importing.import_bytes(engine, xlsx_bytes({"名录": [["企业名称", "行业", "联系领导"], ["甲", "五金", "王"]]}), "r1.xlsx",
                           operator=staff())
    change = importing.import_bytes(engine, xlsx_bytes({"名录": [["企业名称", "行业", "联系领导"], ["甲", "光伏", "李"]]}),
                                "r2.xlsx", operator=staff())
    ent = store.load_enterprises(engine).iloc[0]
    assert (ent.sector, ent.contact) == ("photovoltaic", "李")
    store.undo_import(engine, change.import_id, operator=staff())
    ent = store.load_enterprises(engine).iloc[0]
    assert (ent.sector, ent.contact) == ("hardware", "王")


def test_refused_file_stores_nothing(engine):
    importing.import_bytes(engine, quarter_file({"甲": 10}), "good.xlsx", operator=staff())
    bad = xlsx_bytes({"2024年一季度": [["企业名称", "产值（万元）"], ["甲", 11], ["乙", "约100"]]})
    with pytest.raises(ImportRefused):
        importing.import_bytes(engine, bad, "bad.xlsx", operator=staff())
    assert active(engine) == {("甲", 1, 3): 10}
    assert len(store.list_imports(engine)) == 1


def test_same_enterprise_by_credit_code_across_spellings(engine):
    code = "91331121MA2000X0Y0"
    importing.import_bytes(engine, xlsx_bytes({"2024年1月": [["企业名称", "统一社会信用代码", "产值（万元）"],
                                                      ["石普铝业", code, 10]]}), "a.xlsx", operator=staff())
    importing.import_bytes(engine, xlsx_bytes({"2024年2月": [["企业名称", "统一社会信用代码", "产值（万元）"],
                                                      ["青田县石普铝业有限公司", code, 20]]}), "b.xlsx", operator=staff())
    importing.import_bytes(engine, xlsx_bytes({"2024年3月": [["企业名称", "产值（万元）"], ["石普 铝业", 30]]}),
                       "c.xlsx", operator=staff())
    obs = store.load_observations(engine)
    assert obs.enterprise_id.nunique() == 1
    assert sorted(obs.value_10k) == [10, 20, 30]


CODE_A, CODE_B = "91331121MA2000X0Y0", "91331121MA2A00000X"
CODED = ["企业名称", "统一社会信用代码", "产值（万元）"]


def register_two(engine):
    """石普铝业 (CODE_A) and 友邦铝业 (CODE_B) in the register, with January's figures."""
    importing.import_bytes(engine, xlsx_bytes({"2024年1月": [CODED, ["石普铝业", CODE_A, 10], ["友邦铝业", CODE_B, 20]]}),
                           "jan.xlsx", operator=staff())


def test_two_names_of_one_registered_enterprise_in_one_month_are_refused(engine):
    register_two(engine)
    before = store.list_imports(engine)
    twice = xlsx_bytes({"2024年2月": [CODED, ["石普铝业", None, 11], ["浙江石普铝业有限公司", CODE_A, 11]]})
    with pytest.raises(ImportRefused) as caught:
        importing.import_bytes(engine, twice, "feb.xlsx", operator=staff())
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.row, problem.value) == ("2024年2月", 3, "浙江石普铝业有限公司")
    assert "第2行的「石普铝业」" in problem.reason and "2024年2月" in problem.reason
    assert len(store.list_imports(engine)) == len(before)
    assert set(active(engine)) == {("石普铝业", 1, 1), ("友邦铝业", 1, 1)}


def test_a_name_and_its_registered_alias_in_one_month_are_refused(engine):
    import pandas as pd

    from lakou_metrics.ingest.cells import enterprise_name_key
    from lakou_metrics.ingest.clean import clean_table

    register_two(engine)
    edit = clean_table([["企业名称", "所属行业"], ["石普铝业", "金属加工"]], "页面编辑：企业名录", "企业名录")
    edit.aliases = pd.DataFrame([(enterprise_name_key("石普铝业"), "石普", enterprise_name_key("石普"))],
                                columns=["name_key", "alias", "alias_key"])
    store.store_cleaned(engine, edit, "alias-edit", 0, operator=staff())
    twice = xlsx_bytes({"2024年2月": [["企业名称", "产值（万元）"], ["石普", 11], ["石普铝业", 11]]})
    with pytest.raises(ImportRefused) as caught:
        importing.import_bytes(engine, twice, "feb.xlsx", operator=staff())
    (problem,) = caught.value.problems
    assert (problem.row, problem.value) == (3, "石普铝业") and "别名" in problem.reason


def test_a_code_that_belongs_to_another_registered_enterprise_is_refused_naming_both(engine):
    register_two(engine)
    swapped = xlsx_bytes({"2024年2月": [CODED, ["石普铝业", CODE_B, 11], ["友邦铝业", CODE_A, 21]]})
    with pytest.raises(ImportRefused) as caught:
        importing.import_bytes(engine, swapped, "feb.xlsx", operator=staff())
    described = {(p.row, p.value): p.reason for p in caught.value.problems}
    assert set(described) == {(2, "石普铝业"), (3, "友邦铝业")}
    assert "属于「友邦铝业」" in described[(2, "石普铝业")] and "是「石普铝业」" in described[(2, "石普铝业")]
    assert set(active(engine)) == {("石普铝业", 1, 1), ("友邦铝业", 1, 1)}


def test_a_figure_filed_by_code_under_another_name_is_said(engine):
    register_two(engine)
    renamed = xlsx_bytes({"2024年2月": [CODED, ["青田石普铝业有限公司", CODE_A, 11],
                                       ["友邦铝业", "91331121MA2A000001", 21]]})
    outcome = importing.import_bytes(engine, renamed, "feb.xlsx", operator=staff())
    said = {w.value: w.reason for w in outcome.warnings}
    assert "按统一社会信用代码" in said["青田石普铝业有限公司"] and "「石普铝业」" in said["青田石普铝业有限公司"]
    assert CODE_B in said["友邦铝业"] and "按名称计入「友邦铝业」" in said["友邦铝业"]
    assert active(engine)[("石普铝业", 2, 2)] == 11 and active(engine)[("友邦铝业", 2, 2)] == 21


def test_year_to_date_sheet_must_agree_with_stored_quarters(engine):
    importing.import_bytes(engine, quarter_file({"甲": 100, "乙": 50}), "q1.xlsx", operator=staff())
    importing.import_bytes(engine, quarter_file({"甲": 120, "乙": 60}, sheet="2024年二季度"), "q2.xlsx", operator=staff())
    ytd = xlsx_bytes({"2024年1-6月": [["企业名称", "1-6月累计"], ["甲", 230], ["乙", 110]]})
    with pytest.raises(ImportRefused) as caught:
        importing.import_bytes(engine, ytd, "ytd.xlsx", operator=staff())
    (problem,) = caught.value.problems
    assert "「甲」" in problem.reason and "1-6月" in problem.reason and "相差" in problem.reason
    assert problem.row == 2
    good = xlsx_bytes({"2024年1-6月": [["企业名称", "1-6月累计"], ["甲", 220], ["乙", 110.3]]})
    assert importing.import_bytes(engine, good, "ytd-ok.xlsx", operator=staff()).status == "imported"


def test_dry_run_stores_nothing(engine):
    outcome = importing.import_bytes(engine, quarter_file({"甲": 10}), "a.xlsx", dry_run=True, operator=staff())
    assert outcome.status == "dry_run" and outcome.rows == 1
    assert store.is_empty(engine) and active(engine) == {}


KILL_SCRIPT = """
import sys
from lakou_metrics import importing, store
engine = store.open_database(sys.argv[1])
def pause():
    print("in-transaction", flush=True)
    sys.stdin.read()  # wait here until killed
store.transaction.before_commit = pause
importing.import_file(engine, sys.argv[2], operator=store.Operator.shell_account(store.town_of(engine)))
"""


@pytest.mark.processes
def test_process_killed_during_import_leaves_the_database_as_before(db, tmp_path):
    engine = store.open_database(db)
    importing.import_bytes(engine, quarter_file({"甲": 10, "乙": 20}), "before.xlsx", operator=staff())
    before = active(engine)
    engine.dispose()
    path = write(tmp_path, "replacement.xlsx", quarter_file({"甲": 99, "丙": 1}))
    refuse_in_check_lane("a Python process of its own", "processes")
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(db), str(path)], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env=process_env())
    try:
        assert proc.stdout.readline().strip() == "in-transaction"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    engine = store.open_database(db)
    assert active(engine) == before
    assert list(store.list_imports(engine).file_name) == ["before.xlsx"]
    # The database is not left locked: the next import goes through.
    assert importing.import_file(engine, path, operator=staff()).status == "imported"


def test_two_staff_importing_the_same_period_at_once(db):
    store.open_database(db).dispose()
    files = {"a.xlsx": quarter_file({"甲": 1, "乙": 2}), "b.xlsx": quarter_file({"甲": 3, "丙": 4})}
    barrier = threading.Barrier(2)
    outcomes, errors = {}, []

    def run(name):
        engine = store.open_database(db)  # each member of staff has their own connection
        barrier.wait()
        try:
            outcomes[name] = importing.import_bytes(engine, files[name], name, operator=staff())
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    engine = store.open_database(db)
    obs = store.load_observations(engine)
    # One consistent version: every active row comes from the same file, nothing mixed.
    history = store.list_imports(engine)
    assert len(history) == 2
    last = history.iloc[0]
    assert active(engine) in ({("甲", 1, 3): 1, ("乙", 1, 3): 2}, {("甲", 1, 3): 3, ("丙", 1, 3): 4})
    assert len(obs) == 2
    # The later one was told it replaced the earlier one's period.
    assert outcomes[last.file_name].replaced == ["2024年1-3月"]
    assert outcomes[history.iloc[1].file_name].replaced == []


def test_database_path_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("LAKOU_DB", str(tmp_path / "env.db"))
    assert store.resolve_db_path() == tmp_path / "env.db"
    assert store.resolve_db_path(tmp_path / "arg.db") == tmp_path / "arg.db"


def test_long_and_wide_files_together(engine):
    importing.import_bytes(engine, xlsx_bytes({"2023": long_rows(
        [(2023, m, "甲", "五金", True, 10 * m) for m in (1, 2, 3)])}), "months.xlsx", operator=staff())
    assert active(engine, 2023) == {("甲", 1, 1): 10, ("甲", 2, 2): 20, ("甲", 3, 3): 30}


def test_opening_the_database_does_not_count_as_a_change(db):
    first = store.data_version(store.open_database(db))
    assert store.data_version(store.open_database(db)) == first


def test_two_staff_confirming_previews_of_the_same_period_at_once(db):
    """Both saw the same preview; the first commit wins, the second is told and stores nothing."""
    engine = store.open_database(db)
    version = store.data_version(engine)
    files = {"a.xlsx": quarter_file({"甲": 1}), "b.xlsx": quarter_file({"甲": 2})}
    barrier = threading.Barrier(2)
    results = {}

    def run(name):
        mine = store.open_database(db)
        barrier.wait()
        try:
            results[name] = importing.import_bytes(mine, files[name], name, expected_version=version,
                                                   operator=staff()).status
        except store.DataChanged as exc:
            results[name] = str(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results.values(), key=len)[0] == "imported"
    (told,) = [r for r in results.values() if r != "imported"]
    assert "预览之后数据已被修改" in told
    winner = next(n for n, r in results.items() if r == "imported")
    assert active(engine) == {("甲", 1, 3): 1 if winner == "a.xlsx" else 2}
    assert len(store.list_imports(engine)) == 1


# -- the store as an ordinary path of failure: locked, full, read-only, an undo too early --------
def _snapshot(engine):
    return (len(store.load_observations(engine)), len(store.list_imports(engine)), store.data_version(engine))


def test_a_writer_waits_for_another_then_says_so_and_stores_nothing(tmp_path, monkeypatch):
    import sqlite3

    db = tmp_path / "locked.db"
    # Steps of a tenth of a second, for a quarter of a second: the same waits, announced and given up, sooner.
    monkeypatch.setattr(store.engine, "BUSY_STEP_MS", 100)
    monkeypatch.setattr(store.engine, "LOCK_WAIT_SECONDS", 0.25)
    engine = store.open_database(db)
    before = _snapshot(engine)
    told = []
    token = store.lock_wait_notice.set(lambda: told.append("waiting"))
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another member of staff in the middle of an import
    try:
        with pytest.raises(store.StoreUnavailable, match="其他人正在导入"):
            importing.import_bytes(engine, xlsx_bytes({"s": long_rows([(2024, 1, "甲", "五金", True, 1.0)])}), "a.xlsx",
                                   operator=staff())
    finally:
        other.execute("ROLLBACK")
        other.close()
        store.lock_wait_notice.reset(token)
    assert told == ["waiting"]
    assert _snapshot(engine) == before
    # Once the other writer is done, the same import goes through.
    assert importing.import_bytes(engine, xlsx_bytes({"s": long_rows([(2024, 1, "甲", "五金", True, 1.0)])}),
                              "a.xlsx", operator=staff()).status == "imported"


def _engine_with(db, pragma: str):
    """The store opened normally, then every new connection given `pragma` (a full disk, a
    read-only file), as the operating system would impose it."""
    from sqlalchemy import event

    engine = store.open_database(db)
    engine.dispose()
    event.listen(engine, "connect", lambda connection, _: connection.execute(pragma))
    return engine


def test_a_full_disk_stores_nothing_and_says_so(tmp_path):
    db = tmp_path / "full.db"
    importing.import_bytes(store.open_database(db), xlsx_bytes({"s": long_rows([(2024, 1, "甲", "五金", True, 1.0)])}),
                       "a.xlsx", operator=staff())
    pages = store.open_database(db).connect().exec_driver_sql("PRAGMA page_count").scalar()
    engine = _engine_with(db, f"PRAGMA max_page_count = {pages}")
    before = _snapshot(engine)
    many = long_rows([(2024, 2, f"企业{i}", "五金", True, float(i)) for i in range(3000)])
    with pytest.raises(store.StoreUnavailable, match="磁盘空间已满"):
        importing.import_bytes(engine, xlsx_bytes({"s": many}), "big.xlsx", operator=staff())
    assert _snapshot(engine) == before


def test_a_read_only_store_stores_nothing_and_says_so(tmp_path):
    db = tmp_path / "ro.db"
    store.open_database(db)
    engine = _engine_with(db, "PRAGMA query_only = 1")
    with pytest.raises(store.StoreUnavailable, match="只读"):
        importing.import_bytes(engine, xlsx_bytes({"s": long_rows([(2024, 1, "甲", "五金", True, 1.0)])}), "a.xlsx",
                               operator=staff())
    assert len(store.load_observations(engine)) == 0


def test_undo_of_a_register_import_names_the_later_import_to_undo_first(engine):
    first = importing.import_bytes(engine, xlsx_bytes({"名录": [["企业名称", "行业", "联系领导"], ["新企业", "五金", "王"]]}),
                               "r1.xlsx", operator=staff())
    later = importing.import_bytes(engine, xlsx_bytes({"名录": [["企业名称", "行业", "联系领导"], ["新企业", "光伏", "李"]]}),
                               "r2.xlsx", operator=staff())
    with pytest.raises(ValueError) as refused:
        store.undo_import(engine, first.import_id, operator=staff())
    assert f"请先撤销导入 {later.import_id}" in str(refused.value)
    store.undo_import(engine, later.import_id, operator=staff())
    store.undo_import(engine, first.import_id, operator=staff())
    assert store.load_enterprises(engine).empty
