"""The county edition's pages through AppTest, on SQLite and on PostgreSQL: a town's dashboard
shows its own town, the 县域 page ranks the towns, 对比乡镇 takes the other towns' stored figures,
and a town's staff cannot change another town from the data page. Expected figures are worked
out here from the rows the test writes."""
import json

import pytest
from conftest import long_rows, staff, xlsx_bytes
from page_support import CheckedAppTest, app_test
from sample_rows import half_up, pct, points_between

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
        importing.import_bytes(store.for_town(engine, town), xlsx_bytes({"s": long_rows(records)}), f"{town}.xlsx",
                               operator=staff(town))
    importing.import_bytes(store.for_town(engine, "温溪镇"), xlsx_bytes({"目标": [
        ["年份", "指标", "单位", "年度目标"], [2024, "工业总产值", "万元", 8000]]}), "目标.xlsx", operator=staff("温溪镇"))
    importing.import_bytes(store.for_town(engine, "船寮镇"), xlsx_bytes({"目标": [
        ["年份", "指标", "单位", "年度目标"], [2024, "工业总产值同比增长", "%", 5]]}), "目标.xlsx", operator=staff("船寮镇"))
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
    return f"{half_up(value, 1):f}万元"


def test_the_county_page_ranks_the_towns(county_db, monkeypatch):
    at = start(county_db, monkeypatch, "county", {"year": "2024", "through": "3"})
    table = at.dataframe[0].value
    order = sorted(("腊口镇", "温溪镇", "船寮镇"), key=lambda t: -expected(t)[0])
    assert list(table["乡镇"]) == order and list(table["排名"]) == [1, 2, 3]
    for town in order:
        row = table[table["乡镇"] == town].iloc[0]
        value, growth = expected(town)
        assert row["工业总产值（万元）"] == pytest.approx(value)
        assert row["同比"] == f"{pct(growth, signed=True)}%"
    wenxi = table[table["乡镇"] == "温溪镇"].iloc[0]
    assert wenxi["目标完成率"] == f"{pct(640 / 8000)}%" and wenxi["序时进度"] == "25.0%"
    assert wenxi["目标完成情况"] == f"完成率 {pct(640 / 8000)}%，落后序时{abs(points_between(640 / 8000, 0.25)):f}个百分点"
    assert table[table["乡镇"] == "腊口镇"].iloc[0]["目标完成率"] == "—"
    # 船寮镇's target is a growth rate (+5%): judged as growth, no 完成率 of an implied amount.
    chuanliao = table[table["乡镇"] == "船寮镇"].iloc[0]
    growth = expected("船寮镇")[1]  # 88 against 80
    assert chuanliao["目标完成率"] == "—" and chuanliao["序时进度"] == "—"
    assert chuanliao["目标完成情况"] == f"同比增长{pct(growth)}%，高于目标增速{points_between(growth, 0.05):f}个百分点"
    now = sum(r[5] for r in ROWS)
    before = sum(r[4] for r in ROWS)
    (county,) = [m for m in at.metric if "全县工业总产值" in m.label]
    assert county.value == wan(now) and county.delta == f"{pct(now / before - 1, signed=True)}%"
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
    assert compare.loc["工业总产值同比增长", "船寮镇"] == f"{pct(expected('船寮镇')[1], signed=True)}%"


def test_a_towns_staff_can_look_at_another_town_but_not_change_it(county_db, monkeypatch):
    wang = staff("腊口镇", name="小王")
    at = start(county_db, monkeypatch, "data", {"town": "温溪镇"}, staff_operator=wang)
    assert any("只能修改腊口镇的数据" in w.value for w in at.warning)
    locked = "填写操作人（及口令）后才能上传和导入。"
    assert any(c.value == locked for c in at.caption)  # the upload is not offered
    at = start(county_db, monkeypatch, "data", {"town": "腊口镇"}, staff_operator=wang)
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
    assert at.session_state["staff_operator"] == staff("腊口镇", name="小王")  # recognised by the passcode
    assert any("只能修改腊口镇的数据" in w.value for w in at.warning)  # Wenxi is shown: read only


@pytest.mark.parametrize("held", [("腊口镇",), ("腊口镇", "温溪镇")], ids=["one town", "county"])
def test_an_unknown_town_in_the_url_is_said_and_the_home_town_shown(held, db, monkeypatch):
    engine = store.open_database(db)
    for town in held:
        importing.import_bytes(store.for_town(engine, town), xlsx_bytes({"s": long_rows(
            [(2024, 1, f"{town}一厂", "五金", True, 100.0 if town == "腊口镇" else 700.0)])}), f"{town}.xlsx",
            operator=staff(town))
    engine.dispose()
    at = start(db, monkeypatch, None, {"town": "不存在镇"})
    (notice,) = [w.value for w in at.warning if "不存在镇" in w.value]
    assert notice == f"网址中的乡镇“不存在镇”在数据库中没有数据（数据库中有：{'、'.join(held)}），现在显示的是腊口镇。"
    (total,) = [m for m in at.metric if "工业总产值" in m.label]
    assert total.value == wan(100.0)
    # The URL now names the town shown (or none, with one town): the notice is said once.
    assert at.query_params.get("town") in ([["腊口镇"], "腊口镇"] if len(held) > 1 else [None])
    at.switch_page("views/sectors.py").run()
    assert not [w for w in at.warning if "不存在镇" in w.value]


@pytest.fixture
def october_only_db(db):
    """腊口镇 with January-March 2024, 温溪镇 with nothing but October 2024 (a long sheet)."""
    engine = store.open_database(db)
    importing.import_bytes(store.for_town(engine, "腊口镇"), xlsx_bytes({"s": long_rows(
        [(2024, m, "卓尔五金", "五金", True, 100.0) for m in (1, 2, 3)])}), "腊口镇.xlsx", operator=staff("腊口镇"))
    importing.import_bytes(store.for_town(engine, "温溪镇"), xlsx_bytes({"s": long_rows(
        [(2024, 10, "温溪一厂", "五金", True, 300.0), (2024, 10, "温溪二厂", "光伏", False, 50.5)])}), "温溪镇.xlsx",
        operator=staff("温溪镇"))
    engine.dispose()
    return db


@pytest.mark.parametrize("page", ["overview", "sectors", "enterprises", "targets", "warnings", "briefing", "county"])
def test_a_town_without_a_year_to_date_shows_what_it_holds(october_only_db, monkeypatch, page):
    at = start(october_only_db, monkeypatch, page, {"town": "温溪镇"})
    assert at.title[0].value == "温溪镇工业经济运行"
    (told,) = [i.value.replace("\\", "").replace("\u2060", "") for i in at.info]
    # October's two enterprises, 300.0 + 50.5 万元; a year to date through October needs 1-9月.
    assert "2024年已存有：2024年10月，2 家企业，合计 350.5万元。" in told
    assert "2024年1-10月的累计还需要2024年1-9月的数据" in told
    assert "数据库里还没有数据" not in told
    # The sidebar still offers the towns: the reader can go back to one with a year to date.
    town = at.sidebar.selectbox(key="sel_town")
    assert town.value == "温溪镇" and set(town.options) == {"腊口镇", "温溪镇"}
    town.set_value("腊口镇").run()
    assert at.title[0].value.endswith("2024年1-3月 · 全部企业")
    assert not [i for i in at.info if "已存有" in i.value]


def test_the_data_page_of_a_town_without_a_year_to_date_keeps_its_sidebar(october_only_db, monkeypatch):
    at = start(october_only_db, monkeypatch, "data", {"town": "温溪镇"})
    assert at.sidebar.selectbox(key="sel_town").value == "温溪镇"
    assert not [s for s in at.sidebar.selectbox if s.label == "年份"]
    assert any("已存的数据还不能算出累计" in c.value for c in at.sidebar.caption)
    told = " ".join(i.value.replace("\\", "").replace("\u2060", "") for i in at.info)
    assert "2024年10月，2 家企业，合计 350.5万元" in told  # the 报送情况 tab says what is stored
