"""The county edition's pages through AppTest, on SQLite and on PostgreSQL: a town's dashboard
shows its own town, the 县域 page ranks the towns, 对比乡镇 takes the other towns' stored figures,
and a town's staff cannot change another town from the data page. Expected figures are worked
out here from the rows the test writes."""
import json

import pandas as pd
import pytest
from conftest import county_staff, long_rows, staff, xlsx_bytes
from page_support import CheckedAppTest, app_test
from sample_rows import half_up, pct

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
    if page:
        at.switch_page(f"views/{page}.py")  # the page's own URL, as a bookmark opens it
    at.run()
    assert not at.exception, at.exception
    return at


def wan(value):
    return f"{half_up(value, 1):f}万元"


@pytest.mark.pages
def test_the_county_page_ranks_the_towns(county_db, monkeypatch):
    at = start(county_db, monkeypatch, "county", {"year": "2024", "through": "3"})
    full = at.dataframe[0].value
    order = sorted(("腊口镇", "温溪镇", "船寮镇"), key=lambda t: -expected(t)[0])
    assert list(full["乡镇"]) == order + ["全县合计"]
    table = full.iloc[:3]
    assert list(table["排名"]) == [1, 2, 3]
    for town in order:
        row = table[table["乡镇"] == town].iloc[0]
        value, growth = expected(town)
        assert row["工业总产值（万元）"] == float(half_up(value, 1))
        assert row["同比%"] == float(half_up(growth * 100, 1))
        assert row["报送情况"] == f"{len(town_rows(town))}/{len(town_rows(town))}家"
    # 温溪镇: 640 of 8000 by March, against 3/12 of the year: 8.0% − 25.0% = −17.0 points behind.
    wenxi = table[table["乡镇"] == "温溪镇"].iloc[0]
    assert wenxi["完成率%"] == 8.0 and wenxi["序时进度%"] == 25.0 and wenxi["超欠序时（点）"] == -17.0
    assert wenxi["状态"] == "落后序时"
    lakou = table[table["乡镇"] == "腊口镇"].iloc[0]
    assert pd.isna(lakou["状态"]) and lakou[["完成率%", "序时进度%", "超欠序时（点）"]].isna().all()
    # 船寮镇's target is a growth rate (+5%): judged as growth (88 against 80 is +10%), no 完成率.
    chuanliao = table[table["乡镇"] == "船寮镇"].iloc[0]
    assert chuanliao["状态"] == "达到目标增速"
    assert chuanliao[["完成率%", "序时进度%", "超欠序时（点）"]].isna().all()
    now, before = sum(r[5] for r in ROWS), sum(r[4] for r in ROWS)  # 893 against 830
    above_now = sum(r[5] for r in ROWS if r[3])
    above_before = sum(r[4] for r in ROWS if r[3])
    total = full.iloc[3]
    assert total["工业总产值（万元）"] == 893.0 and total["同比%"] == float(half_up((893 / 830 - 1) * 100, 1))
    assert total["规上工业产值（万元）"] == above_now and total["规上同比%"] == float(
        half_up((above_now / above_before - 1) * 100, 1))
    assert total["报送情况"] == "3/3个乡镇" and pd.isna(total["排名"])
    (county,) = [m for m in at.metric if "全县" in m.label and "工业总产值" in m.label and "规上" not in m.label]
    assert county.label == "全县工业总产值"
    assert "2024年1-3月 · 3个乡镇合计" in [c.value for c in at.caption]
    assert county.value == wan(now) and county.delta == f"{pct(now / before - 1, signed=True)}%"
    (rank,) = [m for m in at.metric if "腊口镇排名" in m.label]
    assert rank.value == f"第 {order.index('腊口镇') + 1} 名" and rank.delta == "共 3 个乡镇"
    (chart,) = at.get("vega_lite_chart")
    spec = json.dumps(json.loads(chart.proto.spec), ensure_ascii=False)
    assert "全县2024年1-3月" in spec and "各乡镇工业总产值" in spec


def add_april(db, towns):
    """April 2024 for `towns`: each enterprise of the town 10 万元 more than a third of its 1-3月."""
    engine = store.open_database(db)
    for town in towns:
        records = [(2024, 4, name, sector, above, v24 / 3 + 10) for _, name, sector, above, _, v24 in town_rows(town)]
        importing.import_bytes(store.for_town(engine, town), xlsx_bytes({"s": long_rows(records)}), f"{town}4月.xlsx",
                               operator=staff(town))
    engine.dispose()


@pytest.mark.pages
def test_the_county_page_offers_the_countys_periods_and_marks_a_town_that_has_not_reported(county_db, monkeypatch):
    """腊口镇 and 温溪镇 report April, 船寮镇 does not: shown with 船寮镇 chosen, 县域 still offers
    1-4月 (the county's periods), 船寮镇's row says 未报送 (no zero), and the total says it covers
    two of three towns."""
    add_april(county_db, ("腊口镇", "温溪镇"))
    at = start(county_db, monkeypatch, "county", {"year": "2024", "town": "船寮镇"})
    through = at.sidebar.selectbox(key="sel_through")
    assert through.options == ["1-4月", "1-3月（一季度）", "1-2月", "1月"]  # 船寮镇 alone has 1-3月
    through.set_value(4).run()
    assert not at.exception
    assert at.title[0].value == "县域 · 2024年1-4月 · 全部企业"
    table = at.dataframe[0].value
    assert list(table["乡镇"]) == ["温溪镇", "腊口镇", "船寮镇", "全县合计"]
    missing = table.iloc[2]
    assert missing["报送情况"] == "未报送" and missing["状态"] == "未报送"
    assert missing[["排名", "工业总产值（万元）", "同比%", "规上工业产值（万元）"]].isna().all()  # shown as —, not 0
    # 1-4月: 腊口镇 165 + (120/3 + 10) + (45/3 + 10) = 240; 温溪镇 640 + (380/3 + 10) + (260/3 + 10) = 873.33…
    lakou, wenxi = 165 + 40 + 10 + 15 + 10, 640 + 380 / 3 + 10 + 260 / 3 + 10
    assert table.iloc[3]["工业总产值（万元）"] == float(half_up(lakou + wenxi, 1))
    assert table.iloc[3]["报送情况"] == "2/3个乡镇"
    (county,) = [m for m in at.metric if m.label == "全县工业总产值"]
    assert county.value == wan(lakou + wenxi)
    # Under each total card: the period and the towns it covers, the one missing named.
    covers = "2024年1-4月 · 3个乡镇中已报2个的合计（未报送：船寮镇）"
    assert [c.value for c in at.caption].count(covers) == 2
    (rank,) = [m for m in at.metric if "船寮镇排名" in m.label]
    assert rank.value == "未报送" and rank.delta == "已报 2 个乡镇中（共 3 个）"
    # The chart draws the two towns with figures; the third is named under it.
    assert "未报送（不在图中）：船寮镇" in [c.value for c in at.caption]
    # 总览 of 船寮镇 keeps the town's own periods: its latest is 1-3月, and the page says that 1-4月,
    # asked for by the URL, is not there.
    at.switch_page("views/overview.py").run()
    assert at.title[0].value == "船寮镇 · 总览"
    assert at.caption[0].value == "2024年1-3月 · 全部企业"
    assert [i.value.replace("\\", "") for i in at.info if "没有" in i.value] == [
        "船寮镇没有2024年1-4月的数据，显示的是2024年1-3月。"]
    # Said once: the URL now names the period shown.
    at.run()
    assert not [i.value for i in at.info if "显示的是" in i.value]


def test_the_county_export_stores_numbers_and_no_formula(county_db):
    """The .xlsx of 县域: rates as numbers formatted as %, 万元 without thousands separators, the
    missing town's row marked, nothing a spreadsheet would run (a town named like a formula)."""
    import io

    import openpyxl

    from lakou_metrics.compute.county import county_table, load_county
    from lakou_metrics.domain.periods import Period
    from lakou_metrics.output import export

    hostile = "=HYPERLINK(1)镇"
    engine = store.open_database(county_db)
    importing.import_bytes(store.for_town(engine, hostile), xlsx_bytes({"s": long_rows(
        [(2023, 1, "某厂", "五金", False, 1.0)])}), "x.xlsx", operator=staff(hostile))
    sheet = export.county_sheet(county_table(load_county(engine, Period.ytd(2024, 3))))
    engine.dispose()
    ws = openpyxl.load_workbook(io.BytesIO(export.to_xlsx({"各乡镇": sheet}, export.COUNTY_FORMATS))).active
    header = [c.value for c in ws[1]]
    rows = {ws.cell(r, 2).value: {h: ws.cell(r, i + 1) for i, h in enumerate(header)} for r in range(2, ws.max_row + 1)}
    wenxi = rows["温溪镇"]
    assert wenxi["同比"].value == pytest.approx(float(half_up(640 / 600 - 1, 3))) and wenxi["同比"].number_format == "0.0%"
    assert wenxi["目标完成率"].value == pytest.approx(0.08) and wenxi["目标完成率"].number_format == "0.0%"
    assert wenxi["序时进度"].value == pytest.approx(0.25)
    assert wenxi["超欠序时（百分点）"].value == pytest.approx(-17.0)
    assert wenxi["工业总产值（万元）"].value == 640 and wenxi["工业总产值（万元）"].number_format == "0.0"
    assert rows[hostile]["报送情况"].value == "未报送" and rows[hostile]["工业总产值（万元）"].value is None
    assert rows["全县合计"]["工业总产值（万元）"].value == 893
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert rows[hostile]["乡镇"].data_type == "s"


@pytest.mark.pages
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


@pytest.mark.pages
def test_a_towns_staff_can_look_at_another_town_but_not_change_it(county_db, monkeypatch):
    wang = staff("腊口镇", name="小王")
    at = start(county_db, monkeypatch, "data", {"town": "温溪镇"}, staff_operator=wang)
    assert any("只能修改腊口镇的数据" in w.value for w in at.warning)
    locked = "填写操作人（及口令）后才能上传和导入。"
    assert any(c.value == locked for c in at.caption)  # the upload is not offered
    at = start(county_db, monkeypatch, "data", {"town": "腊口镇"}, staff_operator=wang)
    assert not any("只能修改" in w.value for w in at.warning)
    assert not any(c.value == locked for c in at.caption)


@pytest.mark.pages
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


@pytest.mark.pages
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


@pytest.mark.pages
@pytest.mark.parametrize("page", ["overview", "sectors", "enterprises", "targets", "warnings", "briefing"])
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
    assert at.caption[0].value == "2024年1-3月 · 全部企业"
    assert not [i for i in at.info if "已存有" in i.value]


@pytest.mark.pages
def test_the_data_page_of_a_town_without_a_year_to_date_keeps_its_sidebar(october_only_db, monkeypatch):
    at = start(october_only_db, monkeypatch, "data", {"town": "温溪镇"})
    assert at.sidebar.selectbox(key="sel_town").value == "温溪镇"
    assert not [s for s in at.sidebar.selectbox if s.label == "年份"]
    assert any("已存的数据还不能算出累计" in c.value for c in at.sidebar.caption)
    told = " ".join(i.value.replace("\\", "").replace("\u2060", "") for i in at.info)
    assert "2024年10月，2 家企业，合计 350.5万元" in told  # the 报送情况 tab says what is stored


def sign_in_without_passcode(at, name="小李", unit=None):
    [t for t in at.text_input if t.label == "操作人姓名"][0].input(name)
    if unit:
        [s for s in at.selectbox if s.label == "单位"][0].set_value(unit)
    next(b for b in at.button if b.label == "开始操作").click().run()
    assert not at.exception, at.exception


@pytest.mark.pages
def test_without_passcodes_the_operator_acts_for_the_town_shown(county_db, monkeypatch):
    monkeypatch.delenv("LAKOU_STAFF_PASSCODE_HASH", raising=False)
    at = start(county_db, monkeypatch, "data", {"town": "温溪镇"})
    assert at.title[0].value == "温溪镇 · 数据管理"
    (unit,) = [s for s in at.selectbox if s.label == "单位"]
    assert unit.value == "温溪镇" and unit.options == ["温溪镇", "县级"]
    sign_in_without_passcode(at)
    assert at.session_state["staff_operator"] == store.Operator("小李", "温溪镇", "未设口令，只填写了姓名")
    (told,) = [i.value for i in at.info if "上传的报表导入" in i.value]
    assert told.startswith("上传的报表导入**温溪镇**（左侧“乡镇”中选的乡镇）。写明别的乡镇的文件会被拒绝")
    upload = xlsx_bytes({"s": long_rows([(2024, 4, "温溪一厂", "五金", True, 130.0)])})
    at.file_uploader[0].set_value(("四月.xlsx", upload, "application/octet-stream")).run()
    next(b for b in at.button if b.label == "确认导入").click().run()
    assert not at.exception, at.exception
    latest = store.list_imports(store.for_town(store.open_database(county_db), "温溪镇")).iloc[0]
    assert (latest.file_name, latest.imported_by, latest.imported_as) == ("四月.xlsx", "小李", "温溪镇")
    # Another town chosen in the sidebar: the name-only operator follows it (no passcode tells towns apart).
    at.sidebar.selectbox(key="sel_town").set_value("船寮镇").run()
    assert at.session_state["staff_operator"].authority == "船寮镇"
    assert not any("只能修改" in w.value for w in at.warning)
    assert any(i.value.startswith("上传的报表导入**船寮镇**") for i in at.info)


@pytest.mark.pages
def test_without_passcodes_county_staff_say_so(county_db, monkeypatch):
    monkeypatch.delenv("LAKOU_STAFF_PASSCODE_HASH", raising=False)
    at = start(county_db, monkeypatch, "data", {"town": "温溪镇"})
    sign_in_without_passcode(at, unit=store.COUNTY)
    assert at.session_state["staff_operator"] == store.Operator("小李", store.COUNTY, "未设口令，只填写了姓名")
    (told,) = [i.value for i in at.info if "上传的报表导入" in i.value]
    assert "您是县级工作人员" in told


@pytest.mark.pages
def test_county_staff_with_a_passcode_act_as_the_county_and_land_on_the_county_page(county_db, monkeypatch):
    from lakou_metrics.passcode import hash_passcode

    monkeypatch.setenv("LAKOU_DB", str(county_db))
    at = app_test()
    at.secrets["staff_passcodes"] = {"温溪镇": hash_passcode("wenxi-2024"), store.COUNTY: hash_passcode("county-2024")}
    at.query_params["town"] = "温溪镇"
    at.run()
    assert at.title[0].value == "温溪镇 · 总览"  # nobody signed in: the town's 总览
    at.switch_page("views/data.py").run()
    [t for t in at.text_input if t.label == "操作人姓名"][0].input("老陈")
    [s for s in at.selectbox if s.label == "单位"][0].set_value(store.COUNTY)
    [t for t in at.text_input if t.label == "工作人员口令"][0].input("county-2024")
    next(b for b in at.button if b.label == "开始操作").click().run()
    assert at.session_state["staff_operator"] == county_staff("老陈")
    records = [(2024, 4, "温溪一厂", "五金", True, 130.0)]
    at.file_uploader[0].set_value(("四月.xlsx", xlsx_bytes({"s": long_rows(records)}), "application/octet-stream")).run()
    next(b for b in at.button if b.label == "确认导入").click().run()
    assert not at.exception, at.exception
    latest = store.list_imports(store.for_town(store.open_database(county_db), "温溪镇")).iloc[0]
    assert (latest.imported_by, latest.imported_as) == ("老陈", store.COUNTY)
    # The county's staff open the dashboard on 县域.
    landing = app_test()
    landing.session_state["staff_operator"] = county_staff("老陈")
    landing.run()
    assert not landing.exception, landing.exception
    assert landing.title[0].value.startswith("县域 · ")


@pytest.mark.pages
def test_a_towns_overview_in_the_county_edition_ranks_it_among_the_towns(county_db, monkeypatch):
    """总览 of each town: its title names it, and the cockpit gives its rank by output among the
    three towns (温溪镇 640, 腊口镇 165, 船寮镇 88 万元 in 2024年1-3月)."""
    for town, rank in (("温溪镇", 1), ("腊口镇", 2), ("船寮镇", 3)):
        at = start(county_db, monkeypatch, None, {"year": "2024", "through": "3", "town": town})
        assert at.title[0].value == f"{town} · 总览" and at.caption[0].value == "2024年1-3月 · 全部企业"
        assert any(m.value == f"全县3个乡镇中产值排第{rank}" for m in at.markdown)
        # The rank's details are on 县域, where the towns are ranked.
        assert "county" in [link.proto.page for link in at.get("page_link")]


def _town_ytd(town: str, value: float):
    """A town's 2024年1-6月 of one enterprise worth `value` 万元."""
    from test_cockpit import _ytd

    return _ytd([(1, "A", "hardware", True, 2024, 1, 6, value, None)], 2024, 6, town=town)


@pytest.mark.parametrize("values, ranks", [
    pytest.param({"腊口镇": 180.0, "温溪镇": 180.0, "船寮镇": 100.0}, {"腊口镇": 1, "温溪镇": 1, "船寮镇": 3},
                 id="equal output shares the better rank"),
    pytest.param({"船寮镇": 100.0, "腊口镇": 180.0, "温溪镇": 180.0}, {"腊口镇": 1, "温溪镇": 1, "船寮镇": 3},
                 id="whatever the order of the towns"),
    pytest.param({"腊口镇": 180.0, "温溪镇": 180.04, "船寮镇": 180.0}, {"温溪镇": 1, "腊口镇": 1, "船寮镇": 1},
                 id="equal as shown (180.0万元)"),
    pytest.param({"腊口镇": 180.0, "温溪镇": 180.05, "船寮镇": 100.0}, {"温溪镇": 1, "腊口镇": 2, "船寮镇": 3},
                 id="180.05 shows as 180.1: ahead"),
    pytest.param({"腊口镇": 300.0, "温溪镇": 180.0, "船寮镇": 180.0}, {"腊口镇": 1, "温溪镇": 2, "船寮镇": 2},
                 id="a tie below the first"),
])
def test_towns_with_equal_output_share_a_rank(values, ranks):
    """As a statistics office ranks: equal output (as shown, 万元 to one decimal) shares the better
    rank, and the next town's rank counts the towns above it (1, 1, 3)."""
    from lakou_metrics.compute.county import county_ranking

    ranking = county_ranking({town: _town_ytd(town, value) for town, value in values.items()})
    assert dict(zip(ranking.town, ranking["rank"])) == ranks
    assert list(ranking["rank"]) == sorted(ranks.values())  # the rows in rank order


@pytest.fixture
def tied_db(db):
    """腊口镇 and 温溪镇 with 165 万元 each in 2024年1-3月 (150 and 160 in 2023), 船寮镇 with 88."""
    engine = store.open_database(db)
    for town, before, now in (("腊口镇", 150.0, 165.0), ("温溪镇", 160.0, 165.0), ("船寮镇", 80.0, 88.0)):
        records = [(year, month, f"{town}一厂", "五金", True, value * share)
                   for year, value in ((2023, before), (2024, now)) for month, share in ((1, 0.25), (2, 0.25), (3, 0.5))]
        importing.import_bytes(store.for_town(engine, town), xlsx_bytes({"s": long_rows(records)}), f"{town}.xlsx",
                               operator=staff(town))
    engine.dispose()
    return db


@pytest.mark.pages
def test_a_shared_rank_reads_the_same_on_the_county_page_its_export_and_the_overview(tied_db, monkeypatch):
    import io

    import openpyxl

    from lakou_metrics.compute.county import county_table, load_county
    from lakou_metrics.domain.periods import Period
    from lakou_metrics.output import export

    at = start(tied_db, monkeypatch, "county", {"year": "2024", "through": "3"})
    table = at.dataframe[0].value
    assert dict(zip(table["乡镇"][:3], table["排名"][:3])) == {"腊口镇": 1, "温溪镇": 1, "船寮镇": 3}
    (rank,) = [m for m in at.metric if "腊口镇排名" in m.label]
    assert rank.value == "并列第 1 名"
    engine = store.open_database(tied_db)
    sheet = export.county_sheet(county_table(load_county(engine, Period.ytd(2024, 3))))
    engine.dispose()
    ws = openpyxl.load_workbook(io.BytesIO(export.to_xlsx({"各乡镇": sheet}, export.COUNTY_FORMATS))).active
    header = [c.value for c in ws[1]]
    ranks = {ws.cell(r, header.index("乡镇") + 1).value: ws.cell(r, header.index("排名") + 1).value
             for r in range(2, 5)}
    assert ranks == {"腊口镇": 1, "温溪镇": 1, "船寮镇": 3}
    for town, said in (("温溪镇", "全县3个乡镇中产值并列第1"), ("船寮镇", "全县3个乡镇中产值排第3")):
        overview = start(tied_db, monkeypatch, None, {"year": "2024", "through": "3", "town": town})
        assert said in [m.value for m in overview.markdown]
