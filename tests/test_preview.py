"""The import preview compares each enterprise's new figure with last year and the period before,
and the town's and each sector's 同比 before and after; figures expected here are worked out
from the rows the tests store."""
import contextlib
import sqlite3

import pandas as pd
import pytest
import test_projects
import test_store
import test_towns
from conftest import empty_database, long_rows, staff, xlsx_bytes
from sqlalchemy import event

from lakou_metrics import importing, store
from lakou_metrics.domain.periods import Period
from lakou_metrics.ingest.cells import enterprise_name_key
from lakou_metrics.ingest.clean import clean_table
from lakou_metrics.ingest.errors import ImportRefused
from lakou_metrics.preview import list_confirmations, preview_bytes

# March and February 2023 and February 2024 are stored; March 2024 comes in the file.
STORED = [(2023, 3, "甲", "五金", True, 100.0), (2023, 3, "乙", "光伏", True, 50.0),
          (2023, 3, "丙", "五金", False, 40.0),
          (2024, 2, "甲", "五金", True, 110.0), (2024, 2, "乙", "光伏", True, 60.0), (2024, 2, "丙", "五金", False, 30.0)]
MARCH = [(2024, 3, "甲", "五金", True, 120.0), (2024, 3, "乙", "光伏", True, 100.0), (2024, 3, "丙", "五金", False, 38.0),
         (2024, 3, "丁", "建材", False, 10.0)]


@pytest.fixture
def preview_and_engine(engine):
    importing.import_bytes(engine, xlsx_bytes({"s": long_rows(STORED)}), "stored.xlsx", operator=staff())
    return preview_bytes(engine, xlsx_bytes({"s": long_rows(MARCH)}), "march.xlsx", swing=0.5, operator=staff()), engine


@pytest.fixture
def preview(preview_and_engine):
    (change,) = preview_and_engine[0].spans
    assert change.period == Period.month(2024, 3)
    return change


def test_each_enterprise_beside_last_year_and_last_month(preview):
    rows = preview.comparisons.set_index("name")
    assert rows.loc["甲", "prior"] == 100 and rows.loc["甲", "previous"] == 110
    assert rows.loc["甲", "yoy"] == pytest.approx(120 / 100 - 1)
    assert rows.loc["甲", "mom"] == pytest.approx(120 / 110 - 1)
    assert rows.loc["丁", "prior"] != rows.loc["丁", "prior"]  # new: no base, no rate
    assert rows.loc["丁", "yoy"] != rows.loc["丁", "yoy"]


def test_swings_beyond_the_setting_are_flagged_and_first(preview):
    rows = preview.comparisons
    # 乙: +100% on last year and +66.7% on February; 甲 and 丙 move less than 50%.
    assert rows.name.iloc[0] == "乙" and bool(rows.flagged.iloc[0])
    assert set(rows[rows.flagged].name) == {"乙"}


def test_town_and_sector_growth_before_and_after(preview):
    # Before: nothing stored for March 2024. After: the three enterprises with a base,
    # (120 + 100 + 38) against (100 + 50 + 40); 丁 is new and has no base.
    assert preview.yoy_before is None
    assert preview.yoy_after == pytest.approx((120 + 100 + 38) / (100 + 50 + 40) - 1)
    sectors = preview.sectors.set_index("sector")
    assert sectors.loc["hardware", "yoy_after"] == pytest.approx((120 + 38) / (100 + 40) - 1)
    assert sectors.loc["photovoltaic", "yoy_after"] == pytest.approx(100 / 50 - 1)
    assert sectors.loc["building_materials", "yoy_after"] != sectors.loc["building_materials", "yoy_after"]


# -- what a person must confirm before the file is stored ------------------------------------------
def confirmations_for(tmp_path, months: list[float], typed: float, slip_ratio=5.0, swing=0.5):
    """The kinds list_confirmations gives for one enterprise whose months 1..len(months) of 2024 are
    stored, when the next month comes in as `typed` (万元)."""
    engine = store.open_database(empty_database(tmp_path / "c.db"))
    rows = [(2024, m, "甲", "五金", True, v) for m, v in enumerate(months, start=1)]
    importing.import_bytes(engine, xlsx_bytes({"s": long_rows(rows)}), "stored.xlsx", operator=staff())
    month = len(months) + 1
    found = preview_bytes(engine, xlsx_bytes({f"2024年{month}月": [["企业名称", "产值（万元）"], ["甲", typed]]}),
                          "next.xlsx", slip_ratio=slip_ratio, swing=swing, operator=staff())
    return [c.kind for c in list_confirmations(found)]


@pytest.mark.parametrize("months, typed, kinds", [
    # A 1-N月 figure typed as the month: within 10% of (stored 1..N-1 + the month before again) and
    # at least twice the month before.
    pytest.param([100, 100], 300, ["year_to_date"], id="1-3月 exactly as estimated"),
    pytest.param([100, 110], 325, ["year_to_date"], id="1-3月 with a March above February"),
    pytest.param([100, 100], 271, ["year_to_date"], id="9.7% under the estimate of 300"),
    pytest.param([100, 100], 329, ["year_to_date"], id="9.7% over the estimate of 300"),
    pytest.param([100] * 5, 600, ["year_to_date"], id="1-6月: named as such though also 6 times May"),
    # A normal month never trips it.
    pytest.param([100, 100], 100, [], id="a month like the others"),
    pytest.param([100, 100], 140, [], id="+40% is not even a swing"),
    pytest.param([100, 100], 150, ["swing"], id="+50% is a swing, not a year to date"),
    pytest.param([100, 100], 269, ["swing"], id="10.3% under the estimate"),
    pytest.param([100, 100], 331, ["swing"], id="10.3% over the estimate"),
    # January almost nothing: 1 + 100 + 100 = 201, and 185 is within 10% of it, but less than twice
    # February, so a rise (+85%), not a year to date.
    pytest.param([1, 100], 185, ["swing"], id="close to the estimate but not double the month before"),
    # February as 1-2月 cannot be told from a doubling: a swing only.
    pytest.param([100], 200, ["swing"], id="February is never a year to date"),
    # 元 under 万元, and a figure a tenth of the month before: unit slips, listed once (not again as swings).
    pytest.param([100, 100], 1_000_000, ["unit_slip"], id="元 typed under 万元"),
    pytest.param([100, 100], 10, ["unit_slip"], id="a tenth of the month before"),
])
def test_what_a_single_month_needs_confirmed(tmp_path, months, typed, kinds):
    assert confirmations_for(tmp_path, months, typed) == kinds


def test_swing_and_slip_follow_the_settings(tmp_path):
    # 10 times February: a unit slip at 5, a swing at 20, nothing when swings up to +1000% pass.
    assert confirmations_for(tmp_path / "a", [100, 100], 1000) == ["unit_slip"]
    assert confirmations_for(tmp_path / "b", [100, 100], 1000, slip_ratio=20) == ["swing"]
    assert confirmations_for(tmp_path / "c", [100, 100], 1000, slip_ratio=20, swing=10) == []


def test_confirmations_name_the_figure_and_its_reference(preview_and_engine):
    found, _ = preview_and_engine
    # 乙 +100% on March 2023 (50) and +66.7% on February (60): the larger, 同比, is the reference.
    (swing,) = list_confirmations(found)
    assert (swing.kind, swing.enterprise, swing.period, swing.value) == ("swing", "乙", "2024年3月", 100)
    assert (swing.reference, swing.reference_label) == (50, "2023年3月")
    assert swing.why == "同比 +100.0%、环比 +66.7%"
    assert swing.describe() == "乙 2024年3月：本表 100.0万元，参照 2023年3月 50.0万元；同比 +100.0%、环比 +66.7%"


def test_a_figure_already_stored_is_not_asked_again(preview_and_engine):
    found, engine = preview_and_engine
    importing.import_bytes(engine, xlsx_bytes({"s": long_rows(MARCH)}), "march.xlsx", operator=staff())
    # 乙's swing was confirmed when March was stored; a correction of 丙 alone asks nothing of 乙.
    corrected = [r if r[2] != "丙" else (*r[:5], 39.0) for r in MARCH]
    again = preview_bytes(engine, xlsx_bytes({"s": long_rows(corrected)}), "corrected.xlsx", swing=0.5,
                          operator=staff())
    assert again.status == "new" and list_confirmations(again) == []
    same = preview_bytes(engine, xlsx_bytes({"s": long_rows(MARCH)}), "march.xlsx", swing=0.5, operator=staff())
    assert same.status == "unchanged" and list_confirmations(same) == []


def test_a_total_with_figures_is_listed_in_the_preview_and_not_counted(engine):
    rows = long_rows(MARCH) + [[2024, 3, "合計", None, None, 268.0], [2024, 3, "腊口联合计算机配件厂", "其他", "否", 7.0]]
    found = preview_bytes(engine, xlsx_bytes({"s": rows}), "march.xlsx", swing=0.5, operator=staff())
    assert [(w.row, w.reason) for w in found.warnings] == [(6, "「合計」是合计行，该行的数字未计入企业数据")]
    (change,) = found.spans
    assert set(change.comparisons.name) == {"甲", "乙", "丙", "丁", "腊口联合计算机配件厂"}


# -- a preview is the import planned: the same outcome, nothing stored, never a wait ---------------
LAKOU, WENXI, CHUANLIAO = test_towns.LAKOU, test_towns.WENXI, test_towns.CHUANLIAO
TARGETS = ["年份", "指标", "单位", "年度目标"]


def _from_file(name: str, data: bytes):
    """A case's file: read and cleaned afresh for each store (a store adds its warnings to it)."""
    return lambda engine: importing.read_and_clean(data, name, None, importing.known_towns(engine))


def _register_edit(rows: list[tuple[str, str | None]], aliases: list[tuple[str, str]]):
    """The register edited on the page: (name, sector) rows, and (name, alias) spellings."""
    def clean(_engine):
        edit = clean_table([["企业名称", "所属行业"], *map(list, rows)], "页面编辑：企业名录", "企业名录")
        edit.aliases = pd.DataFrame([(enterprise_name_key(n), a, enterprise_name_key(a)) for n, a in aliases],
                                    columns=["name_key", "alias", "alias_key"])
        return edit
    return clean


def _month(month: int, values: dict[str, float]) -> bytes:
    return xlsx_bytes({"s": long_rows([(2024, month, n, "五金", True, v) for n, v in values.items()])})


REGISTER_A = test_projects.register_book([test_projects.project("A项目", "甲企业")])
JAN_FEB = [["A项目", 2023, "1月", 100, None], ["A项目", 2023, "2月", 50, None]]


def _register_and_progress(cumulative: float | None = None) -> bytes:
    """A project register of 2023 (A项目 of the new 甲企业) with its January and February progress in
    the same file, and its 1-2月 figure on a sheet of its own when given."""
    sheets = {"2023年重点项目": [["腊口镇2023年重点项目"], test_projects.REGISTER, test_projects.project("A项目", "甲企业")],
              "项目进度": [test_projects.PROGRESS, *JAN_FEB]}
    if cumulative is not None:
        sheets["2023年1-2月"] = [["项目名称", "1-2月累计完成投资（万元）"], ["A项目", cumulative]]
    return xlsx_bytes(sheets)


# Each case: files stored first ((town or None for the engine's, name, bytes)), the cleaned file (or
# page edit) under test, who stores it, and what the import makes of it, worked out by hand: per
# town part (town, a new town, whether it stores anything, rows (aliases count too), periods,
# replaced, new enterprises, the values the warnings name), or the refusal's problems as (row,
# words of the reason).
PLANS = [
    pytest.param([], _from_file("q1.xlsx", test_store.quarter_file({"甲": 10, "乙": 20})), None,
                 [(LAKOU, False, True, 2, ["2024年1-3月"], [], 2, [])], id="new data"),
    pytest.param([(None, "q1.xlsx", test_store.quarter_file({"甲": 10, "乙": 20}))],
                 _from_file("q1-copy.xlsx", test_store.quarter_file({"甲": 10, "乙": 20})), None,
                 [(LAKOU, False, False, 2, ["2024年1-3月"], [], 0, [])], id="identical data: unchanged"),
    pytest.param([(None, "march.xlsx", _month(3, {"甲": 10, "乙": 20}))],
                 _from_file("march-fixed.xlsx", _month(3, {"甲": 11, "乙": 20})), None,
                 [(LAKOU, False, True, 2, ["2024年3月"], ["2024年3月"], 0, [])], id="a replaced month"),
    pytest.param([(None, "march.xlsx", _month(3, {"甲": 10}))],
                 _from_file("april.xlsx", _month(4, {"甲": 12, "乙": 5, "丙": 7})), None,
                 [(LAKOU, False, True, 3, ["2024年4月"], [], 2, [])], id="new enterprises"),
    pytest.param([(None, "jan.xlsx", xlsx_bytes({"2024年1月": [test_store.CODED, ["石普铝业", test_store.CODE_A, 10],
                                                                ["友邦铝业", test_store.CODE_B, 20]]}))],
                 _from_file("feb.xlsx", xlsx_bytes({"2024年2月": [
                     test_store.CODED, ["青田石普铝业有限公司", test_store.CODE_A, 11],
                     ["友邦铝业", "91331121MA2A000001", 21]]})), None,
                 [(LAKOU, False, True, 2, ["2024年2月"], [], 0, ["青田石普铝业有限公司", "友邦铝业"])],
                 id="codes under other names: warned"),
    pytest.param([(None, "jan.xlsx", _month(1, {"石普铝业": 10}))],
                 _register_edit([("石普铝业", "金属加工"), ("新厂", "五金")], [("石普铝业", "石普"), ("新厂", "新厂二号")]),
                 None, [(LAKOU, False, True, 4, [], [], 1, [])], id="aliases and a new enterprise"),
    pytest.param([(None, "jan.xlsx", _month(1, {"石普铝业": 10, "友邦铝业": 20}))],
                 _register_edit([("石普铝业", "金属加工")], [("石普铝业", "友邦铝业")]), None,
                 [(None, "已是名录中另一家企业的名称")], id="an alias naming a registered enterprise refused"),
    pytest.param([(None, "jan.xlsx", _month(1, {"石普铝业": 10}))],
                 _register_edit([("石普铝业", "金属加工"), ("新厂", "五金")], [("石普铝业", "新厂")]), None,
                 [(None, "已是名录中另一家企业的名称")], id="an alias naming an enterprise new in the edit refused"),
    pytest.param([(None, "q1.xlsx", test_store.quarter_file({"甲": 100, "乙": 50})),
                  (None, "q2.xlsx", test_store.quarter_file({"甲": 120, "乙": 60}, sheet="2024年二季度"))],
                 _from_file("ytd.xlsx", xlsx_bytes({"2024年1-6月": [["企业名称", "1-6月累计"], ["甲", 230], ["乙", 110]]})),
                 None, [(2, "「甲」")], id="a span disagreement refused"),
    pytest.param([(None, "jan.xlsx", xlsx_bytes({"2024年1月": [test_store.CODED, ["石普铝业", test_store.CODE_A, 10],
                                                                ["友邦铝业", test_store.CODE_B, 20]]}))],
                 _from_file("feb.xlsx", xlsx_bytes({"2024年2月": [
                     test_store.CODED, ["石普铝业", None, 11], ["浙江石普铝业有限公司", test_store.CODE_A, 11]]})),
                 None, [(3, "第2行的「石普铝业」")], id="one enterprise twice refused"),
    pytest.param([(None, "t.xlsx", xlsx_bytes({"目标": [TARGETS, [2024, "工业总产值", "万元", 1000]]}))],
                 _from_file("t2.xlsx", xlsx_bytes({"目标": [TARGETS, [2024, "工业总产值", "万元", 1200],
                                                          [2024, "工业总产值同比增长", "%", 8]]})), None,
                 [(LAKOU, False, True, 2, ["2024年目标"], ["2024年目标"], 0, [])], id="a targets sheet"),
    # The second row of one target replaces the first (which the plan never stored) and says so.
    pytest.param([], _from_file("t.xlsx", xlsx_bytes({"目标": [TARGETS, [2024, "工业总产值", "万元", 1000],
                                                            [2024, "工业总产值", "万元", 1200]]})), None,
                 [(LAKOU, False, True, 2, ["2024年目标"], ["2024年目标"], 0, [])], id="one target twice in a file"),
    pytest.param([], _from_file("项目.xlsx", xlsx_bytes({
        "2023年1月": [["企业名称", "产值（万元）"], ["甲企业", 30]],
        "2023年重点项目": [["腊口镇2023年重点项目"], test_projects.REGISTER, test_projects.project("A项目", "甲企业")]})),
        None, [(LAKOU, False, True, 2, ["2023年1月", "2023年重点项目"], [], 1, [])],
        id="a project of an enterprise new in the same file"),
    pytest.param([], _from_file("项目.xlsx", _register_and_progress()), None,
                 [(LAKOU, False, True, 3, ["2023年重点项目", "2023年1月项目进度", "2023年2月项目进度"], [], 1, [])],
                 id="a project register with progress in the same file"),
    pytest.param([], _from_file("项目.xlsx", _register_and_progress(cumulative=160)), None,
                 [(2, "相差 10.0万元")], id="progress disagreeing with progress of the same file refused"),
    pytest.param([(None, "项目库.xlsx", REGISTER_A),
                  (None, "1-3月.xlsx", test_projects.progress_book([["A项目", 2023, f"{m}月", 100, None]
                                                                  for m in (1, 2, 3)]))],
                 _from_file("累计.xlsx", xlsx_bytes({"2023年1-3月": [["项目名称", "1-3月累计完成投资（万元）"], ["A项目", 310]]})),
                 None, [(2, "相差 10.0万元")], id="progress disagreeing with stored progress refused"),
    pytest.param([(None, "项目库.xlsx", REGISTER_A)],
                 _from_file("进度.xlsx", test_projects.progress_book([["A项目", 2023, "1月", 100, None],
                                                                    ["B项目", 2023, "1月", 50, None]])), None,
                 [(3, "不在2023年重点项目库中")], id="progress of an unregistered project refused"),
    pytest.param([(None, "九月.xlsx", _month(9, {"卓尔五金": 100})), (WENXI, "温溪九月.xlsx", _month(9, {"温溪一厂": 400}))],
                 _from_file("县_十月.xlsx", test_towns.book(test_towns.october(
                     test_towns.COUNTY_ROWS, title="2024年10月各乡镇工业企业产值", town_column=True))),
                 test_towns.COUNTY,
                 [(WENXI, False, True, 2, ["2024年10月"], [], 1, []),
                  (CHUANLIAO, True, True, 2, ["2024年10月"], [], 2, [])], id="a county file of two towns"),
]


def _parts(outcome: store.ImportOutcome) -> list[tuple]:
    return [(p.town, p.new_town, p.changed, p.rows, p.periods, p.replaced, p.new_enterprises,
             [w.value for w in p.warnings]) for p in outcome.parts or [outcome]]


def _whole(outcome: store.ImportOutcome) -> tuple:
    return outcome.rows, outcome.periods, outcome.replaced, outcome.new_enterprises, [
        w.describe() for w in outcome.warnings]


def _store_state(engine) -> tuple:
    """Everything an import could change, in every town, as plain values."""
    state = {}
    for town in store.list_towns(engine):
        scoped = store.for_town(engine, town)
        frames = (store.list_imports(scoped), store.load_observations(scoped), store.load_enterprises(scoped),
                  store.load_targets(scoped, 2024)[1], store.load_projects(scoped, 2023),
                  store.load_project_progress(scoped, 2023))
        state[town] = (store.data_versions(scoped), [test_towns.records(f) for f in frames])
    return state


@contextlib.contextmanager
def _statements(engine):
    """The SQL statements run through `engine` meanwhile, as the database receives them."""
    issued = []

    def hear(_conn, _cursor, statement, *_):
        issued.append(statement.strip())

    event.listen(engine, "before_cursor_execute", hear)
    try:
        yield issued
    finally:
        event.remove(engine, "before_cursor_execute", hear)


def _store_or_refuse(engine, clean, who, dry_run: bool):
    """(the outcome, None) or (None, the refusal's problems)."""
    try:
        operator = who or staff(store.town_of(engine))
        return store.store_cleaned(engine, clean(engine), "0" * 64, 0, operator=operator, dry_run=dry_run), None
    except ImportRefused as refused:
        return None, [(p.file, p.sheet, p.row, p.column, p.value, p.reason) for p in refused.problems]


@pytest.mark.parametrize("stored, clean, who, expected", PLANS)
def test_a_preview_is_the_import_planned_and_stores_nothing(engine, stored, clean, who, expected):
    lakou = store.for_town(engine, LAKOU)
    for town, name, data in stored:
        importing.import_bytes(store.for_town(engine, town or LAKOU), data, name, operator=staff(town or LAKOU))
    before = _store_state(engine)

    with _statements(lakou) as issued:
        plan, plan_refusal = _store_or_refuse(lakou, clean, who, dry_run=True)
    assert _store_state(engine) == before
    assert any(s.startswith("SELECT") for s in issued)  # the listener heard the preview
    assert [s for s in issued if s.split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")
            or "IMMEDIATE" in s.upper() or "advisory" in s] == []

    outcome, refusal = _store_or_refuse(lakou, clean, who, dry_run=False)
    assert plan_refusal == refusal
    if refusal is not None:
        assert [(row, words in reason) for (_, _, row, _, _, reason), (_, words) in zip(refusal, expected)] == [
            (row, True) for row, _ in expected] and len(refusal) == len(expected)
        assert _store_state(engine) == before
        return
    assert _parts(outcome) == _parts(plan) == expected
    assert _whole(plan) == _whole(outcome)
    assert plan.status == "dry_run" and {p.status for p in plan.parts} <= {"dry_run"}
    assert [p.status for p in outcome.parts or [outcome]] == [
        "imported" if changed else "unchanged" for _, _, changed, *_ in expected]
    assert (_store_state(engine) != before) == any(changed for _, _, changed, *_ in expected)


OTHER_TOWNS_IMPORT = [
    f"INSERT INTO towns (name, position) VALUES ('{WENXI}', 9)",
    "INSERT INTO imports (file_name, sha256, size_bytes, imported_at, imported_by, town, row_count, periods,"
    f" replaced, status, imported_as) VALUES ('温溪十月.xlsx', '{'0' * 64}', 1, '2024-11-01T09:00:00+08:00',"
    f" '温溪镇小李', '{WENXI}', 1, '[]', '[]', 'active', '{WENXI}')",
]


@contextlib.contextmanager
def _another_towns_import(db: str):
    """温溪镇's import in the middle of its transaction, on a connection of its own: the writers'
    lock held (SQLite: BEGIN IMMEDIATE; PostgreSQL: the advisory lock), its rows inserted and not
    committed. Yields the function that commits it (and so releases the lock)."""
    if store.is_url(db):
        import psycopg

        other = psycopg.connect(db.replace("postgresql+psycopg", "postgresql"))
        other.execute(f"SELECT pg_advisory_xact_lock({store.engine.WRITE_LOCK_KEY})")  # opens the transaction
        other.execute("SELECT set_config('lakou.town', %s, true)", (WENXI,))  # as the store's writer would
    else:
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
    for statement in OTHER_TOWNS_IMPORT:
        other.execute(statement)
    done = []

    def commit():
        if not done:
            other.execute("COMMIT")
            done.append(True)

    try:
        yield commit
    finally:
        if not done:
            other.execute("ROLLBACK")
        other.close()


def _never_wait():
    raise AssertionError("a preview waited for the writers' lock")


def test_a_preview_never_waits_for_another_towns_import_and_its_commit_does(db, monkeypatch):
    # Should a preview ever wait again, it fails at once (the notice), or within a second or two.
    monkeypatch.setattr(store.engine, "LOCK_WAIT_SECONDS", 2.0)
    monkeypatch.setattr(store.engine, "BUSY_STEP_MS", 100)
    engine = store.open_database(db)
    lakou = store.for_town(engine, LAKOU)
    importing.import_bytes(lakou, _month(3, {"甲": 10, "乙": 20}), "march.xlsx", operator=staff())
    before = _store_state(engine)
    data = _month(3, {"甲": 11, "乙": 20, "丙": 5})
    waited = []
    token = store.lock_wait_notice.set(_never_wait)
    try:
        with _another_towns_import(db) as commit_other:
            found = preview_bytes(lakou, data, "march-fixed.xlsx", operator=staff())
            assert (found.status, found.replaced, found.outcome.new_enterprises) == ("new", ["2024年3月"], 1)
            assert _store_state(engine) == before  # nothing of the preview, nothing of 温溪镇's yet

            # The commit does wait for the writers' lock; once 温溪镇's import commits, it goes through.
            store.lock_wait_notice.set(lambda: (waited.append("waiting"), commit_other()))
            outcome = importing.import_bytes(lakou, data, "march-fixed.xlsx", expected_version=found.version,
                                             cleaned=found.cleaned, operator=staff())
    finally:
        store.lock_wait_notice.reset(token)
    assert waited == ["waiting"]
    assert (outcome.status, outcome.replaced, outcome.new_enterprises) == ("imported", ["2024年3月"], 1)
    assert test_store.active(lakou) == {("甲", 3, 3): 11, ("乙", 3, 3): 20, ("丙", 3, 3): 5}
    assert list(store.list_imports(store.for_town(engine, WENXI)).file_name) == ["温溪十月.xlsx"]
    engine.dispose()


def test_a_preview_sees_the_store_as_it_began_and_its_commit_is_then_refused(db):
    """Another member of staff's import commits while a preview is being worked out (after its first
    read): the preview goes on with the data as it began; the commit then finds the data changed."""
    engine, elsewhere = store.open_database(db), store.open_database(db)
    lakou = store.for_town(engine, LAKOU)
    seen = store.data_version(lakou)
    meanwhile = []

    def import_meanwhile(_conn, _cursor, statement, *_):
        if statement.lstrip().startswith("SELECT") and not meanwhile:
            meanwhile.append(importing.import_bytes(store.for_town(elsewhere, LAKOU), _month(3, {"甲": 1, "乙": 2}),
                                                    "other.xlsx", operator=staff()))

    data = _month(3, {"甲": 10, "乙": 20, "丙": 5})
    cleaned = _from_file("march.xlsx", data)(lakou)
    event.listen(lakou, "after_cursor_execute", import_meanwhile)
    try:
        plan = store.store_cleaned(lakou, cleaned, "0" * 64, 0, dry_run=True, operator=staff())
    finally:
        event.remove(lakou, "after_cursor_execute", import_meanwhile)
    assert [o.status for o in meanwhile] == ["imported"]
    # As it began: nothing stored for March, no enterprise registered.
    assert (plan.replaced, plan.new_enterprises) == ([], 3)
    with pytest.raises(store.DataChanged, match="other.xlsx"):
        importing.import_bytes(lakou, data, "march.xlsx", expected_version=seen, operator=staff())
    assert test_store.active(lakou) == {("甲", 3, 3): 1, ("乙", 3, 3): 2}
    engine.dispose()
    elsewhere.dispose()


def test_a_writer_after_a_preview_reads_what_others_committed(postgres):
    """The preview's snapshot (REPEATABLE READ) ends with it: a writer that waited for the lock on
    the same pooled connection reads what the writer before it committed (READ COMMITTED)."""
    engine = store.open_database(postgres.new_database())
    store.store_cleaned(engine, _from_file("march.xlsx", _month(3, {"甲": 1}))(engine), "0" * 64, 0, dry_run=True,
                        operator=staff())
    assert engine.pool.checkedin() == 1  # the preview's connection, back in the pool
    with store.engine._writing(engine) as conn:
        assert conn.exec_driver_sql("SHOW transaction_isolation").scalar() == "read committed"
    engine.dispose()


# -- electricity typed in 千瓦时 under a 万千瓦时 header: a unit slip, asked as output's are ---------
# 甲's electricity stored (万千瓦时): March 2023 11; January and February 2024 10 and 12. 乙 has only
# March 2023 (8), and holds 户号 0012345 in the register.
POWER_STORED = {"2023年3月": {"甲": 11, "乙": 8}, "2024年1月": {"甲": 10}, "2024年2月": {"甲": 12}}


def power_month(period: str, values: dict, unit: str = "万千瓦时", key: str = "企业名称") -> bytes:
    return xlsx_bytes({"用电": [[f"{period}工业企业用电量"], [key, f"本月用电量（{unit}）"],
                                *([k, v] for k, v in values.items())]})


@pytest.fixture
def power_engine(engine):
    importing.import_bytes(engine, xlsx_bytes({"名录": [["企业名称", "所属行业", "电力户号"], ["甲", "五金", "0099"],
                                                      ["乙", "光伏", "0012345"]]}), "名录.xlsx", operator=staff())
    for period, values in POWER_STORED.items():
        importing.import_bytes(engine, power_month(period, values), f"{period}.xlsx", operator=staff())
    return engine


def power_confirmations(engine, data: bytes, slip_ratio=5.0):
    found = preview_bytes(engine, data, "三月用电.xlsx", slip_ratio=slip_ratio, operator=staff())
    return [(c.kind, c.enterprise, c.period, c.value, c.reference, c.reference_label, c.why)
            for c in list_confirmations(found)]


@pytest.mark.parametrize("data, expected", [
    # 13万千瓦时 written as 130000 千瓦时 under a 万千瓦时 header: 130000 / February's 12 = 10833.3 times.
    pytest.param(power_month("2024年3月", {"甲": 130_000}), [
        ("power_unit_slip", "甲", "2024年3月", 130_000, 12, "2024年2月", "是2024年2月的10833.3倍，可能把千瓦时填成了万千瓦时")],
        id="千瓦时 under 万千瓦时, against the month before"),
    # 乙 has no February: its reference is March 2023 (8); 88000 / 8 = 11000. Found by 户号 alone.
    pytest.param(power_month("2024年3月", {"0012345": 88_000}, key="户号"), [
        ("power_unit_slip", "乙", "2024年3月", 88_000, 8, "2023年3月", "是2023年3月的11000.0倍，可能把千瓦时填成了万千瓦时")],
        id="by 户号, against the same month last year"),
    # 万千瓦时 written under a 千瓦时 header: 13 千瓦时 is 0.0013万千瓦时, 0.000108 of February's 12.
    pytest.param(power_month("2024年3月", {"甲": 13}, unit="千瓦时"), [
        ("power_unit_slip", "甲", "2024年3月", 0.0013, 12, "2024年2月", "是2024年2月的0.000108倍，可能把万千瓦时填成了千瓦时")],
        id="万千瓦时 under 千瓦时"),
    pytest.param(power_month("2024年3月", {"甲": 13, "乙": 8.8}), [], id="figures like the others"),
    # 4 times February is within the ratio of 5 (no swing is judged for electricity).
    pytest.param(power_month("2024年3月", {"甲": 48}), [], id="4 times the month before"),
])
def test_an_electricity_figure_off_by_the_unit_needs_confirming(power_engine, data, expected):
    found = power_confirmations(power_engine, data)
    assert [(*f[:3], pytest.approx(f[3]), f[4], *f[5:]) for f in found] == expected


def test_an_electricity_slip_is_described_in_its_own_unit_and_follows_the_setting(power_engine):
    data = power_month("2024年3月", {"甲": 130_000})
    (item,) = list_confirmations(preview_bytes(power_engine, data, "三月用电.xlsx", operator=staff()))
    assert item.describe() == ("甲 2024年3月：本表 130000.0万千瓦时，参照 2024年2月 12.0万千瓦时；"
                               "是2024年2月的10833.3倍，可能把千瓦时填成了万千瓦时")
    assert power_confirmations(power_engine, data, slip_ratio=20_000) == []


def test_an_enterprise_slipping_both_output_and_power_is_asked_about_each(power_engine):
    importing.import_bytes(power_engine, _month(2, {"甲": 100}), "产值二月.xlsx", operator=staff())
    both = xlsx_bytes({"产值": [["2024年3月"], ["企业名称", "产值（万元）"], ["甲", 1_000_000]],
                       "用电": [["2024年3月工业企业用电量"], ["企业名称", "本月用电量（万千瓦时）"], ["甲", 130_000]]})
    found = list_confirmations(preview_bytes(power_engine, both, "三月.xlsx", operator=staff()))
    assert [(c.kind, c.enterprise, c.period, c.unit) for c in found] == [
        ("unit_slip", "甲", "2024年3月", "万元"), ("power_unit_slip", "甲", "2024年3月", "万千瓦时")]


def test_an_electricity_figure_already_stored_is_not_asked_again(power_engine):
    slipped = power_month("2024年3月", {"甲": 130_000, "乙": 8.8})
    importing.import_bytes(power_engine, slipped, "三月用电.xlsx", operator=staff())
    # 甲's 130000 was confirmed when stored; correcting 乙 alone asks nothing of 甲.
    corrected = power_month("2024年3月", {"甲": 130_000, "乙": 9})
    again = preview_bytes(power_engine, corrected, "更正.xlsx", operator=staff())
    assert again.status == "new" and list_confirmations(again) == []
