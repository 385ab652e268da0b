"""The county edition's pages through AppTest, on SQLite and on PostgreSQL: a town's dashboard
shows its own town, the 县域 page ranks the towns, 对比乡镇 takes the other towns' stored figures,
and a town's staff cannot change another town from the data page. Expected figures are worked
out here from the rows the test writes."""
import json

import pytest
from conftest import long_rows, xlsx_bytes
from page_support import CheckedAppTest, app_test

from lakou_metrics import importing, store

# (town, enterprise, sector, 规上, 2023 1-3月, 2024 1-3月): written as months of a quarter, 1/4 + 1/4 + 1/2
# (exact in binary, so the sums below are exact).
ROWS = [
    ("腊口镇", "卓尔五金", "五金", True, 100.0, 120.0),
    ("腊口镇", "石普铝业", "金属加工", False, 50.0, 45.0),
    ("温溪镇", "温溪一厂", "五金", True, 400.0, 380.0),
    ("温溪镇", "温溪二厂", "光伏", True, 200.0, 260.0),
    ("船寮镇", "船寮农产", "农产品加工", False, 80.0, 88.0),
]


def town_rows(town):
    return [r for r in ROWS if r[0] == town]


def expected(town):
    rows = town_rows(town)
    now, before = sum(r[5] for r in rows), sum(r[4] for r in rows)
    return now, now / before - 1


@pytest.fixture
def county_db(db):
    engine = store.open_database(db)
    for town in ("腊口镇", "温溪镇", "船寮镇"):
        records = [(year, month, name, sector, above, value * share)
                   for _, name, sector, above, v23, v24 in town_rows(town) for year, value in ((2023, v23), (2024, v24))
                   for month, share in ((1, 0.25), (2, 0.25), (3, 0.5))]
        importing.import_bytes(store.for_town(engine, town), xlsx_bytes({"s": long_rows(records)}), f"{town}.xlsx")
    importing.import_bytes(store.for_town(engine, "温溪镇"), xlsx_bytes({"目标": [
        ["年份", "指标", "单位", "年度目标"], [2024, "工业总产值", "万元", 8000]]}), "目标.xlsx")
    engine.dispose()
    return db


def start(db, monkeypatch, page=None, query=None, **state) -> CheckedAppTest:
    monkeypatch.setenv("LAKOU_DB", str(db))
    at = app_test()
    at.query_params.update(query or {})
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page:
        at.switch_page(f"views/{page}.py")
        at.run()
    assert not at.exception, at.exception
    return at


def wan(value):
    return f"{value:.1f}万元"


def test_the_county_page_ranks_the_towns(county_db, monkeypatch):
    at = start(county_db, monkeypatch, "county", {"year": "2024", "through": "3"})
    table = at.dataframe[0].value
    order = sorted(("腊口镇", "温溪镇", "船寮镇"), key=lambda t: -expected(t)[0])
    assert list(table["乡镇"]) == order and list(table["排名"]) == [1, 2, 3]
    for town in order:
        row = table[table["乡镇"] == town].iloc[0]
        value, growth = expected(town)
        assert row["工业总产值（万元）"] == pytest.approx(value)
        assert row["同比"] == f"{growth * 100:+.1f}%"
    wenxi = table[table["乡镇"] == "温溪镇"].iloc[0]
    assert wenxi["目标完成率"] == f"{640 / 8000 * 100:.1f}%" and wenxi["序时进度"] == "25.0%"
    assert table[table["乡镇"] == "腊口镇"].iloc[0]["目标完成率"] == "—"
    now = sum(r[5] for r in ROWS)
    before = sum(r[4] for r in ROWS)
    (county,) = [m for m in at.metric if "全县工业总产值" in m.label]
    assert county.value == wan(now) and county.delta == f"{(now / before - 1) * 100:+.1f}%"
    (rank,) = [m for m in at.metric if "腊口镇排名" in m.label]
    assert rank.value == f"第 {order.index('腊口镇') + 1} 名"
    (chart,) = at.get("vega_lite_chart")
    spec = json.dumps(json.loads(chart.proto.spec), ensure_ascii=False)
    assert "全县2024年1-3月" in spec and "各乡镇工业总产值" in spec


def test_a_town_shows_its_own_figures_and_the_others_beside_them(county_db, monkeypatch):
    lakou = start(county_db, monkeypatch, None, {"year": "2024", "through": "3"})
    (total,) = [m for m in lakou.metric if "工业总产值" in m.label]
    assert total.value == wan(expected("腊口镇")[0])
    assert lakou.sidebar.selectbox[0].label == "乡镇" and lakou.sidebar.selectbox[0].value == "腊口镇"

    wenxi = start(county_db, monkeypatch, "targets", {"year": "2024", "through": "3", "town": "温溪镇"})
    assert wenxi.query_params["town"] == ["温溪镇"] or wenxi.query_params["town"] == "温溪镇"
    compare = wenxi.dataframe[-1].value.set_index("指标")
    assert compare.loc["工业总产值", "温溪镇"] == wan(expected("温溪镇")[0])
    assert compare.loc["工业总产值", "腊口镇"] == wan(expected("腊口镇")[0])
    assert compare.loc["工业总产值同比增长", "船寮镇"] == f"{expected('船寮镇')[1] * 100:+.1f}%"


def test_a_towns_staff_can_look_at_another_town_but_not_change_it(county_db, monkeypatch):
    staff = store.Operator("小王", "腊口镇")
    at = start(county_db, monkeypatch, "data", {"town": "温溪镇"}, staff_operator=staff)
    assert any("只能修改腊口镇的数据" in w.value for w in at.warning)
    locked = "填写操作人（及口令）后才能上传和导入。"
    assert any(c.value == locked for c in at.caption)  # the upload is not offered
    at = start(county_db, monkeypatch, "data", {"town": "腊口镇"}, staff_operator=staff)
    assert not any("只能修改" in w.value for w in at.warning)
    assert not any(c.value == locked for c in at.caption)


def test_each_town_signs_in_with_its_own_passcode(county_db, monkeypatch):
    """[staff_passcodes]: one passcode per town and one for the county; the passcode of one town
    does not open another, and a town's staff signed in look at another town read-only."""
    from lakou_metrics.passcode import hash_passcode

    monkeypatch.setenv("LAKOU_DB", str(county_db))
    at = app_test()
    at.secrets["staff_passcodes"] = {"腊口镇": hash_passcode("lakou-2024"), "温溪镇": hash_passcode("wenxi-2024"),
                                     store.COUNTY: hash_passcode("county-2024")}
    at.query_params["town"] = "温溪镇"
    at.run()
    at.switch_page("views/data.py")
    at.run()
    (unit,) = [s for s in at.selectbox if s.label == "单位"]
    assert unit.value == "温溪镇" and set(unit.options) == {"腊口镇", "温溪镇", "县级"}

    def sign_in(authority, code):
        [t for t in at.text_input if t.label == "操作人姓名"][0].input("小王")
        [s for s in at.selectbox if s.label == "单位"][0].set_value(authority)
        [t for t in at.text_input if t.label == "工作人员口令"][0].input(code)
        next(b for b in at.button if b.label == "开始操作").click().run()
        assert not at.exception, at.exception

    sign_in("温溪镇", "lakou-2024")  # Lakou's passcode does not open Wenxi
    assert any("口令不正确" in e.value for e in at.error)
    sign_in("腊口镇", "lakou-2024")
    assert at.session_state["staff_operator"] == store.Operator("小王", "腊口镇")
    assert any("只能修改腊口镇的数据" in w.value for w in at.warning)  # Wenxi is shown: read only
