"""The 数据管理 page of the county edition through AppTest, on SQLite and on PostgreSQL: a preview
belongs to the town it was made for (switching the sidebar never commits it into another town),
a town's staff see the refusal of a file of another town, and county staff see a county file's
part of each town before it is split; an account signed in with st.login changes its own town's
data under its own name. Expected figures are worked out from the rows written here."""
import pandas as pd
import pytest
from conftest import county_staff, long_rows, staff, xlsx_bytes
from page_support import app_test
from test_county_pages import start

from lakou_metrics import importing, store

pytestmark = pytest.mark.pages  # every test here runs the app's pages

WENXI, CHUANLIAO = "温溪镇", "船寮镇"
COUNTY = county_staff("县经信局老张")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# September stored in each town: 温溪镇 two firms, 船寮镇 one.
STORED = {WENXI: [("温溪一厂", 400.0), ("温溪二厂", 200.0)], CHUANLIAO: [("船寮一厂", 80.0)]}


@pytest.fixture
def towns_db(db):
    engine = store.open_database(db)
    for town, firms in STORED.items():
        importing.import_bytes(store.for_town(engine, town), xlsx_bytes({"s": long_rows(
            [(2024, 9, name, "五金", True, value) for name, value in firms])}), f"{town}九月.xlsx", operator=staff(town))
    engine.dispose()
    return db


def september(db, town):
    obs = store.load_observations(store.for_town(store.open_database(db), town), [2024])
    return dict(zip(obs.name, obs.value_10k))


def imports(db, town):
    return list(store.list_imports(store.for_town(store.open_database(db), town)).file_name)


def upload(at, name, data):
    at.file_uploader[0].set_value((name, data, XLSX)).run()
    assert not at.exception, at.exception


def metrics(at):
    return {m.label: m.value for m in at.metric}


def commit_button(at):
    return next(b for b in at.button if b.label == "确认导入")


def corrected_september():
    """温溪镇's September corrected: 温溪一厂 410 (was 400), 温溪二厂 unchanged; no town named."""
    return xlsx_bytes({"2024年9月": [["企业名称", "产值（万元）"], ["温溪一厂", 410.0], ["温溪二厂", 200.0]]})


def test_a_preview_is_never_committed_into_the_town_switched_to(towns_db, monkeypatch):
    at = start(towns_db, monkeypatch, "data", {"town": WENXI}, staff_operator=COUNTY)
    upload(at, "九月更正.xlsx", corrected_september())
    assert metrics(at)["数值变化"] == "1" and metrics(at)["不变"] == "1"  # against 温溪镇's September
    before = {t: (september(towns_db, t), imports(towns_db, t)) for t in STORED}

    # The sidebar moves to 船寮镇 while 温溪镇's preview is confirmed.
    commit_button(at).click()
    at.query_params["town"] = CHUANLIAO
    at.run()
    assert not at.exception, at.exception
    assert any("这个预览是在温溪镇下做的，现在显示的是船寮镇，没有导入" in e.value for e in at.error)
    assert {t: (september(towns_db, t), imports(towns_db, t)) for t in STORED} == before
    # 船寮镇's own preview of the file is shown now: both firms are new there, 船寮一厂 missing.
    assert metrics(at)["本期新增"] == "2" and metrics(at)["本表缺少"] == "1"

    commit_button(at).click().run()  # confirmed on 船寮镇's preview: stored in 船寮镇
    assert not at.exception, at.exception
    assert september(towns_db, CHUANLIAO) == {"温溪一厂": 410.0, "温溪二厂": 200.0}
    assert september(towns_db, WENXI) == dict(STORED[WENXI])
    assert imports(towns_db, CHUANLIAO)[0] == "九月更正.xlsx" and "九月更正.xlsx" not in imports(towns_db, WENXI)


def test_switching_back_shows_the_preview_made_for_that_town(towns_db, monkeypatch):
    at = start(towns_db, monkeypatch, "data", {"town": WENXI}, staff_operator=COUNTY)
    upload(at, "九月更正.xlsx", corrected_september())
    at.query_params["town"] = CHUANLIAO
    at.run()
    assert metrics(at)["本期新增"] == "2"
    at.query_params["town"] = WENXI
    at.run()
    assert metrics(at)["数值变化"] == "1"
    commit_button(at).click().run()
    assert september(towns_db, WENXI) == {"温溪一厂": 410.0, "温溪二厂": 200.0}
    assert september(towns_db, CHUANLIAO) == dict(STORED[CHUANLIAO])


def test_a_towns_staff_see_the_refusal_of_another_towns_file(towns_db, monkeypatch):
    at = start(towns_db, monkeypatch, "data", {"town": CHUANLIAO}, staff_operator=staff(CHUANLIAO, name="小李"))
    upload(at, "温溪镇_企业产值_2024年9月.xlsx", corrected_september())
    problems = next(t.value for t in at.table if "原因" in t.value.columns)
    assert "文件名称写明属于温溪镇，不能导入船寮镇" in problems["原因"].iloc[0]
    assert not [b for b in at.button if b.label == "确认导入"]
    assert september(towns_db, CHUANLIAO) == dict(STORED[CHUANLIAO])


def test_county_staff_see_each_towns_part_before_the_split(towns_db, monkeypatch):
    """September of three towns in one file: 温溪镇 brings 温溪一厂 only (温溪二厂 stored, so missing),
    船寮镇 corrects 船寮一厂, 仁庄镇 is new to the database."""
    rows = [(WENXI, "温溪一厂", 430.0), (CHUANLIAO, "船寮一厂", 90.0), ("仁庄镇", "仁庄一厂", 55.5)]
    data = xlsx_bytes({"2024年9月": [["2024年9月各乡镇工业企业产值"], ["乡镇", "企业名称", "产值（万元）"],
                                     *[list(r) for r in rows]]})
    at = start(towns_db, monkeypatch, "data", {"town": WENXI}, staff_operator=COUNTY)
    upload(at, "县_九月.xlsx", data)
    assert any("分属 3 个乡镇" in w.value for w in at.warning)
    assert any("数据库中还没有仁庄镇" in w.value for w in at.warning)
    parts = next(d.value for d in at.dataframe if "乡镇" in d.value.columns and "企业（家）" in d.value.columns)
    assert parts["乡镇"].tolist() == [WENXI, CHUANLIAO, "仁庄镇"]
    before = [sum(v for _, v in STORED[WENXI]), sum(v for _, v in STORED[CHUANLIAO])]
    assert parts["导入前（万元）"].tolist()[:2] == before and pd.isna(parts["导入前（万元）"].iloc[2])
    assert parts["导入后（万元）"].tolist() == [430.0, 90.0, 55.5]
    assert parts["本表缺少（家）"].tolist() == [1, 0, 0]  # 温溪二厂
    assert parts["说明"].tolist() == ["", "", "新乡镇（将新建）"]
    report = next(d.value for d in at.dataframe if "表头所在行" in d.value.columns)
    assert report["乡镇"].iloc[0] == "「乡镇」列：温溪镇 1 行、船寮镇 1 行、仁庄镇 1 行"
    assert commit_button(at).disabled  # a new town is confirmed first
    next(c for c in at.checkbox if "确认新建乡镇：仁庄镇" in c.label).check().run()
    commit_button(at).click().run()
    assert not at.exception, at.exception
    for town, name, value in rows:
        assert september(towns_db, town) == {name: value}
        assert imports(towns_db, town)[0] == "县_九月.xlsx"
    assert "仁庄镇" in store.list_towns(store.open_database(towns_db))


def test_an_account_signed_in_with_st_login_changes_its_towns_data_as_itself(towns_db, monkeypatch):
    """st.login: [staff_towns] gives the account its town; the store is given the account's name,
    that town, and how it was recognised (its e-mail), and the history records the name and town."""
    seen = []  # the Operators the import gave the store
    store_cleaned = importing.store_cleaned

    def storing(*args, operator, **kwargs):
        seen.append(operator)
        return store_cleaned(*args, operator=operator, **kwargs)

    monkeypatch.setattr(importing, "store_cleaned", storing)
    monkeypatch.setenv("LAKOU_DB", str(towns_db))
    at = app_test()
    at.secrets["auth"] = {"client_id": "lakou", "client_secret": "x", "redirect_uri": "http://localhost/oauth2callback",
                          "server_metadata_url": "http://localhost/.well-known/openid-configuration"}
    at.secrets["staff_towns"] = {"wang@wenxi.cn": WENXI}
    at.user = {"is_logged_in": True, "email": "wang@wenxi.cn", "name": "小王"}
    at.query_params["town"] = WENXI
    at.run()
    at.switch_page("views/data.py")
    at.run()
    assert not at.exception, at.exception
    upload(at, "九月更正.xlsx", corrected_september())
    commit_button(at).click().run()
    assert not at.exception, at.exception
    assert september(towns_db, WENXI) == {"温溪一厂": 410.0, "温溪二厂": 200.0}
    assert seen == [store.Operator("小王", WENXI, "统一登录 wang@wenxi.cn")]
    row = store.list_imports(store.for_town(store.open_database(towns_db), WENXI)).iloc[0]
    assert (row.file_name, row.imported_by, row.imported_as) == ("九月更正.xlsx", "小王", WENXI)
