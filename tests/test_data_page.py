"""The 数据管理 page through AppTest: operator, upload, preview, commit, undo, edits, passcode."""
import io
import re
import zipfile

import pandas as pd
import pytest
from conftest import BACKENDS, long_rows, staff, xlsx_bytes
from page_support import app_test

from lakou_metrics import importing, store
from lakou_metrics.passcode import hash_passcode

pytestmark = pytest.mark.pages  # every test here runs the app's pages

BASE = [(2024, 1, "卓尔五金", "五金", True, 100.0), (2024, 1, "石普铝业", "金属加工", True, 200.0),
        (2024, 2, "卓尔五金", "五金", True, 110.0), (2024, 2, "石普铝业", "金属加工", True, 210.0)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path, monkeypatch):
    """The page's database with a base month, on SQLite and on PostgreSQL."""
    path = str(tmp_path / "page.db") if request.param == "sqlite" else request.getfixturevalue("postgres").new_database()
    importing.import_bytes(store.open_database(path), xlsx_bytes({"逐月": long_rows(BASE)}), "base.xlsx",
                           operator=staff(name="初始"))
    monkeypatch.setenv("LAKOU_DB", str(path))
    monkeypatch.delenv("LAKOU_STAFF_PASSCODE_HASH", raising=False)
    return path


# What the page decides before anything is written (reading and refusing a file, the sign-in and
# passcode, the templates it offers, a question still pending) runs the same on either backend: those
# tests run on SQLite alone. A test that imports, edits or undoes through the page runs on both.
BEFORE_THE_STORE = pytest.mark.parametrize("db", ["sqlite"], indirect=True)


def open_page(operator="小王"):
    at = app_test()
    at.switch_page("views/data.py")  # the page's own URL, as a bookmark opens it
    at.run()
    assert not at.exception, at.exception
    if operator:
        form_inputs = [t for t in at.text_input if t.label == "操作人姓名"]
        form_inputs[0].input(operator)
        next(b for b in at.button if b.label == "开始操作").click().run()
        assert not at.exception, at.exception
    return at


def upload(at, name, data):
    at.file_uploader[0].set_value((name, data, XLSX)).run()
    assert not at.exception, at.exception


def problems_of(at) -> pd.DataFrame:
    """The refusal's table of problems (a static table, so long reasons wrap), as a person reads it:
    its cells are Markdown, with every ASCII punctuation character escaped."""
    table = next(t.value for t in at.table if "原因" in t.value.columns)
    return table.map(lambda v: re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", v) if isinstance(v, str) else v)


def button(at, label):
    return next(b for b in at.button if b.label == label)


def march(values: dict[str, float]) -> bytes:
    return xlsx_bytes({"2024年3月": [["企业名称", "产值（万元）"]] + [[n, v] for n, v in values.items()]})


def active(path, year=2024):
    obs = store.load_observations(store.open_database(path), [year])
    return {(r.name, r.last_month): r.value_10k for r in obs.itertuples()}


@BEFORE_THE_STORE
def test_without_a_passcode_the_page_says_anyone_can_change_data(db):
    at = open_page(operator=None)
    assert any("没有设置工作人员口令" in w.value for w in at.warning)
    assert at.file_uploader[0].proto.disabled
    [t for t in at.text_input if t.label == "操作人姓名"][0].input("小王")
    button(at, "开始操作").click().run()
    # Recognised by nothing but the typed name, acting for the town shown (anyone may: the warning says so).
    assert at.session_state["staff_operator"] == store.Operator("小王", "腊口镇", "未设口令，只填写了姓名")
    assert not at.file_uploader[0].proto.disabled
    # The page says where an upload goes before anything is uploaded; one town, no town in the title.
    assert any(m.value == "上传的报表导入**腊口镇**。" for m in at.markdown)
    assert at.title[0].value == "数据管理"


def test_without_a_passcode_an_import_is_recorded_as_the_towns(db):
    at = open_page()
    upload(at, "三月.xlsx", march({"卓尔五金": 120, "石普铝业": 220}))
    button(at, "确认导入").click().run()
    assert not at.exception, at.exception
    latest = store.list_imports(store.open_database(db)).iloc[0]
    assert (latest.file_name, latest.imported_by, latest.imported_as) == ("三月.xlsx", "小王", "腊口镇")


def test_upload_preview_commit_and_history(db):
    at = open_page()
    upload(at, "三月.xlsx", march({"卓尔五金": 120, "石普铝业": 220, "新企业": 5}))
    labels = {m.label: m.value for m in at.metric}
    assert labels["本期新增"] == "3" and labels["不变"] == "0"
    assert any("导入后 **345.0万元**" in m.value for m in at.markdown)
    assert any("1 家是名录中没有的新企业：新企业" in c.value for c in at.caption)
    assert active(db).get(("卓尔五金", 3)) is None  # nothing stored by the preview
    button(at, "确认导入").click().run()
    assert not at.exception
    assert active(db)[("卓尔五金", 3)] == 120 and active(db)[("新企业", 3)] == 5
    history = store.list_imports(store.open_database(db))
    assert history.iloc[0].file_name == "三月.xlsx" and history.iloc[0].imported_by == "小王"
    assert any("已导入「三月.xlsx」" in s.value.replace("\\", "") for s in at.success)
    # A clear finish: the new town figure, a link to 总览, and the stored file not previewed again.
    # 2024年1-3月: 卓尔五金 100+110+120, 石普铝业 200+210+220 (BASE holds January and February);
    # 新企业 has March only, so no 1-3月 figure of its own.
    assert any("现在全镇2024年1-3月工业总产值 **960.0万元**" in m.value for m in at.markdown)
    assert not [b for b in at.button if b.label == "确认导入"]
    assert not any("完全相同" in i.value for i in at.info)


def test_a_file_uploaded_with_the_imported_one_is_named_as_not_imported(db):
    at = open_page()
    april = xlsx_bytes({"2024年4月": [["企业名称", "产值（万元）"], ["卓尔五金", 130], ["石普铝业", 230]]})
    at.file_uploader[0].set_value([("三月.xlsx", march({"卓尔五金": 120, "石普铝业": 220}), XLSX),
                                   ("四月.xlsx", april, XLSX)]).run()
    assert not at.exception, at.exception
    assert len([b for b in at.button if b.label == "确认导入"]) == 2
    [b for b in at.button if b.label == "确认导入"][0].click().run()
    assert not at.exception, at.exception
    # The uploader is cleared after an import, April with it: the message says so, and April is not stored.
    (said,) = [s.value.replace("\\", "") for s in at.success if "已导入「三月.xlsx」" in s.value.replace("\\", "")]
    assert "同时上传的「四月.xlsx」还没有导入（上传框已清空），请重新上传。" in said
    assert list(store.list_imports(store.open_database(db)).file_name[:2]) == ["三月.xlsx", "base.xlsx"]


def test_replacing_a_period_shows_the_change_and_what_goes_missing(db):
    at = open_page()
    upload(at, "二月更正.xlsx", xlsx_bytes({"2024年2月": [["企业名称", "产值（万元）"], ["卓尔五金", 115]]}))
    labels = {m.label: m.value for m in at.metric}
    assert labels["数值变化"] == "1" and labels["本表缺少"] == "1"
    assert any("石普铝业" in w.value for w in at.warning)
    assert any("将替换已存的：2024年2月" in w.value for w in at.warning)


@BEFORE_THE_STORE
def test_bad_file_lists_every_problem_and_stores_nothing(db):
    at = open_page()
    before = active(db)
    upload(at, "坏.xlsx", march({"卓尔五金": "约100", "石普铝业": -3}))
    assert any("共发现2个问题" in e.value for e in at.error)
    problems = problems_of(at)
    assert list(problems["行"]) == ["2", "3"] and "不是数字" in problems["原因"].iloc[0]
    assert not [b for b in at.button if b.label == "确认导入"]
    assert active(db) == before


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (100 << 20))
    return buffer.getvalue()


def encrypted() -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(march({"甲": 1}))).encrypt("pw", out)
    return out.getvalue()


@BEFORE_THE_STORE
@pytest.mark.parametrize("name, make, words", [
    ("改名.xlsx", lambda: b"a,b\n1,2\n", "纯文本"),
    ("空.xlsx", lambda: b"", "0字节"),
    ("炸弹.xlsx", zip_bomb, "压缩炸弹"),
    ("加密.xlsx", encrypted, "已加密"),
    ("公式.xlsx", lambda: xlsx_bytes({"2024年3月": [["企业名称", "产值（万元）"], ["卓尔五金", "=1+1"]]}), "公式"),
    ("隐藏.xlsx", lambda: xlsx_bytes({"说明": [["本表无数据"]], "2024年3月": [["企业名称", "产值（万元）"],
                                                                       ["卓尔五金", 1]]}, hidden=("2024年3月",)),
     "没有找到表头"),
])
def test_refused_files_get_the_importers_message(db, name, make, words):
    at = open_page()
    before = active(db)
    upload(at, name, make())
    assert words in problems_of(at)["原因"].iloc[0]
    assert active(db) == before


@BEFORE_THE_STORE
def test_upload_over_the_size_limit_is_refused_before_parsing(db):
    at = open_page()
    upload(at, "太大.xlsx", b"PK\x03\x04" + b"\0" * (50 * 1024 * 1024))
    assert any("超过 50MB" in e.value for e in at.error)
    assert not at.dataframe or "识别结果" not in [c.value for c in at.caption]


def test_each_figure_to_confirm_is_listed_and_the_import_waits_for_the_box(db):
    # Two more enterprises for January and February (the file replaces those months, so BASE too).
    more = [(2024, m, n, "五金", True, 100.0) for m in (1, 2) for n in ("友邦铝业", "浙南油茶")]
    importing.import_bytes(store.open_database(db), xlsx_bytes({"逐月": long_rows(BASE + more)}), "more.xlsx",
                           operator=staff())
    at = open_page()
    # 卓尔五金: 元 under 万元 (February 110). 石普铝业: 1-3月 typed as March, 200 + 210 + 210 = 620 against
    # the estimate 200 + 210 + 210. 友邦铝业: +60% on February. 浙南油茶: +5%, nothing to confirm.
    upload(at, "三月.xlsx", march({"卓尔五金": 1_200_000, "石普铝业": 620, "友邦铝业": 160, "浙南油茶": 105}))
    assert any(e.value == "有 3 个数值须核对后才能导入（可能把1-N月累计数填成了当月数 1 个、"
               "可能填错单位（元、千元、万元） 1 个、同比或环比波动大 1 个）：" for e in at.error)
    tables = dict(zip([c.value for c in at.caption if "（1 个）" in c.value],
                      [t.value for t in at.dataframe if "说明" in t.value.columns]))
    assert {k: list(v["企业"]) for k, v in tables.items()} == {
        "可能把1-N月累计数填成了当月数（1 个）": ["石普铝业"], "可能填错单位（元、千元、万元）（1 个）": ["卓尔五金"],
        "同比或环比波动大（1 个）": ["友邦铝业"]}
    slip = tables["可能填错单位（元、千元、万元）（1 个）"].iloc[0]
    assert (slip["本表（万元）"], slip["参照期"], slip["参照值（万元）"]) == (1_200_000, "2024年2月", 110)
    assert tables["可能把1-N月累计数填成了当月数（1 个）"].iloc[0]["参照值（万元）"] == 620
    assert button(at, "确认导入").disabled
    assert active(db).get(("卓尔五金", 3)) is None
    next(c for c in at.checkbox if c.label == "我已核对，以上数值无误").check().run()
    assert not button(at, "确认导入").disabled
    button(at, "确认导入").click().run()
    assert not at.exception
    assert active(db)[("卓尔五金", 3)] == 1_200_000 and active(db)[("石普铝业", 3)] == 620


def test_identical_file_needs_no_import(db):
    at = open_page()
    upload(at, "base-again.xlsx", xlsx_bytes({"逐月": long_rows(BASE)}))
    assert any("完全相同" in i.value for i in at.info)
    assert not [b for b in at.button if b.label == "确认导入"]


def test_someone_else_importing_after_the_preview_is_reported(db):
    at = open_page()
    upload(at, "mine.xlsx", march({"卓尔五金": 120}))
    importing.import_bytes(store.open_database(db), march({"卓尔五金": 999}), "theirs.xlsx", operator=staff(name="小李"))
    button(at, "确认导入").click().run()
    assert any("预览之后数据已被修改" in e.value and "小李" in e.value for e in at.error)
    assert active(db)[("卓尔五金", 3)] == 999


def test_undo_from_history(db):
    engine = store.open_database(db)
    outcome = importing.import_bytes(engine, march({"卓尔五金": 120}), "三月.xlsx", operator=staff(name="小李"))
    at = open_page()
    # The latest import is the one offered first: two clicks undo it, the first only asks.
    assert at.selectbox(key="history_choice").value == outcome.import_id
    button(at, "撤销这次导入").click().run()
    assert ("卓尔五金", 3) in active(db)
    assert any("确定吗" in w.value for w in at.warning)
    button(at, "确认撤销").click().run()
    assert not at.exception
    assert ("卓尔五金", 3) not in active(db)
    history = store.list_imports(store.open_database(db)).set_index("id")
    assert history.loc[outcome.import_id, "status"] == "undone"
    assert history.loc[outcome.import_id, "undone_by"] == "小王"


def open_tab(at) -> str:
    """The label of the data page's tab that is open (the tabs keep it across reruns)."""
    (container,) = [node for node in at if node.type == "tab_container"]
    return [t.label for t in at.tabs][container.proto.tab_container.default_tab_index]


def test_undo_right_after_imports_offers_the_newest_names_it_and_keeps_the_tab(db):
    at = open_page()  # the history, and its selector, already drawn: base.xlsx is the newest
    upload(at, "三月.xlsx", march({"卓尔五金": 120}))
    button(at, "确认导入").click().run()
    upload(at, "四月.xlsx", xlsx_bytes({"2024年4月": [["企业名称", "产值（万元）"], ["卓尔五金", 130]]}))
    button(at, "确认导入").click().run()
    april = int(store.list_imports(store.open_database(db)).set_index("file_name").loc["四月.xlsx", "id"])
    assert at.selectbox(key="history_choice").value == april
    at.session_state["data_tab"] = "导入历史"  # the person opens the tab
    at.run()
    assert open_tab(at) == "导入历史"
    button(at, "撤销这次导入").click().run()
    assert open_tab(at) == "导入历史"
    (prompt,) = [w.value.replace("\\", "") for w in at.warning if "确定吗" in w.value]
    assert prompt.startswith(f"撤销导入 {april}「四月.xlsx」（期间：2024年4月）后")
    button(at, "确认撤销").click().run()
    assert open_tab(at) == "导入历史"
    assert ("卓尔五金", 4) not in active(db) and active(db)[("卓尔五金", 3)] == 120
    history = store.list_imports(store.open_database(db)).set_index("file_name")
    assert list(history.loc[["四月.xlsx", "三月.xlsx"], "status"]) == ["undone", "active"]


@BEFORE_THE_STORE
def test_a_pending_undo_is_forgotten_when_another_import_is_chosen(db):
    """撤销 asks for the import it was clicked on; choosing another one and back asks again."""
    engine = store.open_database(db)
    importing.import_bytes(engine, march({"卓尔五金": 120}), "三月.xlsx", operator=staff(name="小李"))
    ids = store.list_imports(engine).set_index("file_name")["id"]
    at = open_page()
    button(at, "撤销这次导入").click().run()
    assert any("确定吗" in w.value for w in at.warning)
    at.selectbox(key="history_choice").set_value(int(ids["base.xlsx"])).run()
    at.selectbox(key="history_choice").set_value(int(ids["三月.xlsx"])).run()
    assert not any("确定吗" in w.value for w in at.warning)
    assert button(at, "撤销这次导入")


def test_register_edit_with_alias_is_recorded_and_undoable(db):
    at = open_page()
    frame = at.data_editor(key="register_editor").value
    row = list(frame["企业名称"]).index("卓尔五金")
    at.session_state["register_editor"] = {"edited_rows": {row: {"联系领导": "王海涛", "别名": "青田卓尔五金有限公司"}},
                                           "added_rows": [], "deleted_rows": []}
    at.run()
    button(at, "保存企业名录").click().run()
    assert not at.exception, at.exception
    engine = store.open_database(db)
    ent = store.load_enterprises(engine).set_index("name").loc["卓尔五金"]
    assert ent.contact == "王海涛" and ent.aliases == ["青田卓尔五金有限公司"]
    # A later file with the other spelling is the same enterprise.
    importing.import_bytes(engine, march({"青田卓尔五金有限公司": 130}), "alias.xlsx", operator=staff())
    assert active(db)[("卓尔五金", 3)] == 130
    edit = store.list_imports(engine)
    assert "页面编辑：企业名录" in set(edit.file_name)


def test_targets_edit(db):
    at = open_page()
    frame = at.data_editor(key="targets_editor_2025").value
    row = list(frame["指标"]).index("完成制造业投资")
    at.session_state["targets_editor_2025"] = {"edited_rows": {row: {"年度目标": 25_000}}, "added_rows": [],
                                               "deleted_rows": []}
    at.run()
    button(at, "保存年度目标").click().run()
    assert not at.exception
    goals, _ = store.load_targets(store.open_database(db), 2025)
    assert goals == {"manufacturing_investment": pytest.approx(25_000)}


@BEFORE_THE_STORE
def test_passcode_guards_changes(db, monkeypatch):
    monkeypatch.setenv("LAKOU_STAFF_PASSCODE_HASH", hash_passcode("腊口2024"))
    at = open_page(operator=None)
    assert not any("没有设置工作人员口令" in w.value for w in at.warning)
    [t for t in at.text_input if t.label == "操作人姓名"][0].input("小王")
    [t for t in at.text_input if t.label == "工作人员口令"][0].input("错误口令")
    button(at, "开始操作").click().run()
    assert any("口令不正确" in e.value for e in at.error)
    assert at.file_uploader[0].proto.disabled
    [t for t in at.text_input if t.label == "工作人员口令"][0].input("腊口2024")
    button(at, "开始操作").click().run()
    assert not at.file_uploader[0].proto.disabled
    assert at.session_state["staff_operator"] == store.Operator("小王", "腊口镇", "工作人员口令")


@BEFORE_THE_STORE
def test_template_downloads_are_offered(db):
    at = open_page()
    names = [d.proto.label for d in at.get("download_button")]
    assert {"下载模板：企业产值（逐月填报）", "下载模板：年度目标与完成情况", "下载模板：企业名录"} <= set(names)


def test_register_edit_can_clear_a_contact_and_refuses_a_code_of_another_enterprise(db):
    engine = store.open_database(db)
    importing.import_bytes(engine, xlsx_bytes({"名录": [["企业名称", "统一社会信用代码", "联系领导"],
                                                   ["卓尔五金", "91331121MA2000X0Y0", "王海涛"],
                                                   ["石普铝业", "91331121MA2001X1Y7", "刘敏"]]}), "r.xlsx", operator=staff())
    at = open_page()
    frame = at.data_editor(key="register_editor").value
    row = list(frame["企业名称"]).index("卓尔五金")
    at.session_state["register_editor"] = {"edited_rows": {row: {"联系领导": ""}}, "added_rows": [],
                                           "deleted_rows": []}
    at.run()
    button(at, "保存企业名录").click().run()
    assert pd.isna(store.load_enterprises(engine).set_index("name").loc["卓尔五金", "contact"])
    at.session_state["register_editor"] = {"edited_rows": {row: {"统一社会信用代码": "91331121MA2001X1Y7"}},
                                           "added_rows": [], "deleted_rows": []}
    at.run()
    button(at, "保存企业名录").click().run()
    assert not at.exception
    problems = problems_of(at)
    # Both enterprises the code now stands for are named: one as the row's value, one in the reason.
    said = problems["值"].iloc[0] + problems["原因"].iloc[0]
    assert "石普铝业" in said and "卓尔五金" in said and "91331121MA2001X1Y7" in said
    assert store.load_enterprises(engine).set_index("name").loc["卓尔五金", "credit_code"] == "91331121MA2000X0Y0"


def power_month(month: int, values: dict[str, float]) -> bytes:
    return xlsx_bytes({"用电": [[f"2024年{month}月工业企业用电量"], ["企业名称", "本月用电量（万千瓦时）"],
                                *([n, v] for n, v in values.items())]})


def active_power(path) -> dict:
    power = store.load_electricity(store.open_database(path), [2024])
    return {(r.name, r.last_month): r.value_10k_kwh for r in power.itertuples()}


def test_electricity_typed_in_kilowatt_hours_is_asked_in_its_own_unit_before_import(db):
    importing.import_bytes(store.open_database(db), power_month(2, {"卓尔五金": 12, "石普铝业": 30}), "二月用电.xlsx",
                           operator=staff())
    at = open_page()
    # 卓尔五金: 13万千瓦时 written as 130000 千瓦时 under the 万千瓦时 header, 10833.3 times February's 12.
    upload(at, "三月用电.xlsx", power_month(3, {"卓尔五金": 130_000, "石普铝业": 31}))
    assert any(e.value == "有 1 个数值须核对后才能导入（可能填错用电量单位（千瓦时、万千瓦时） 1 个）：" for e in at.error)
    table = next(t.value for t in at.dataframe if "说明" in t.value.columns)
    assert table.to_dict("records") == [{"企业": "卓尔五金", "期间": "2024年3月", "本表（万千瓦时）": 130_000,
                                         "参照期": "2024年2月", "参照值（万千瓦时）": 12,
                                         "说明": "是2024年2月的10833.3倍，可能把千瓦时填成了万千瓦时"}]
    assert button(at, "确认导入").disabled and ("卓尔五金", 3) not in active_power(db)
    next(c for c in at.checkbox if c.label == "我已核对，以上数值无误").check().run()
    button(at, "确认导入").click().run()
    assert not at.exception
    assert active_power(db)[("卓尔五金", 3)] == 130_000


@BEFORE_THE_STORE
@pytest.mark.parametrize("settings, asked", [
    pytest.param("unit_slip_ratio = 100\n", "同比或环比波动大", id="10x under a ratio of 100 is a swing"),
    pytest.param("unit_slip_ratio = 100\npreview_swing = 20\n", None, id="and under a swing of 2000%: nothing"),
])
def test_unit_slip_ratio_and_swing_are_settings(db, tmp_path, monkeypatch, settings, asked):
    path = tmp_path / "settings.toml"
    path.write_text("[import]\n" + settings, encoding="utf-8")
    monkeypatch.setenv("LAKOU_SETTINGS", str(path))
    at = open_page()
    upload(at, "三月.xlsx", march({"卓尔五金": 1_100, "石普铝业": 220}))  # 10x February: under 100x
    assert not any("可能填错单位" in e.value for e in at.error)
    assert any(asked in e.value for e in at.error) if asked else not at.error
    assert button(at, "确认导入").disabled == bool(asked)


@BEFORE_THE_STORE
def test_guessing_the_passcode_is_slowed_and_stopped(db, monkeypatch):
    monkeypatch.setenv("LAKOU_STAFF_PASSCODE_HASH", hash_passcode("腊口2024", iterations=1000))
    at = open_page(operator=None)
    [t for t in at.text_input if t.label == "操作人姓名"][0].input("小王")
    for attempt in range(3):
        [t for t in at.text_input if t.label == "工作人员口令"][0].input(f"猜{attempt}")
        button(at, "开始操作").click().run()
        assert any("口令不正确" in e.value for e in at.error)
    # The fourth try comes at once: even the right passcode must wait now.
    [t for t in at.text_input if t.label == "工作人员口令"][0].input("腊口2024")
    button(at, "开始操作").click().run()
    assert any("错误次数过多" in e.value and "秒后再试" in e.value for e in at.error)
    assert at.file_uploader[0].proto.disabled


@BEFORE_THE_STORE
def test_a_stray_far_cell_upload_is_refused_on_the_page(db):
    from test_hostile import GOOD, patched, with_cell

    at = open_page()
    data = patched(xlsx_bytes({"s": GOOD}), lambda x: with_cell(x, 1048576, b'<c r="XFD1048576"><v>1</v></c>'))
    upload(at, "far.xlsx", data)
    assert "XFD1048576" in problems_of(at)["原因"].iloc[0]
    assert any("文件未导入" in e.value for e in at.error)
    assert len(store.load_observations(store.open_database(db))) == 4  # what was there, and no more


EVALUATION = [["2023年度工业企业亩均效益评价数据表"], ["单位：万元、亩"],
              ["序号", "企业名称", "是否规上", "用地面积（亩）", "税收实际贡献（万元）", "用电量（万千瓦时）"],
              [1, "卓尔五金", "是", 30, 120, 250], [2, "石普铝业", "是", 50, "", 400], ["合计", "", "", 80, 120, 650]]


def test_an_evaluation_sheet_previews_what_it_holds_and_replaces_then_imports(db):
    at = open_page()
    upload(at, "亩均.xlsx", xlsx_bytes({"亩均": EVALUATION}))
    sheets = next(d.value for d in at.dataframe if "类型" in d.value.columns)
    assert list(sheets["类型"]) == ["亩均评价数据"] and list(sheets["期间"]) == ["2023年亩均评价数据"]
    assert any("**亩均评价数据**：2 家企业" in m.value for m in at.markdown)
    table = next(d.value for d in at.dataframe if "税收实际贡献（万元）" in d.value.columns)
    assert list(table["企业"]) == ["卓尔五金", "石普铝业"] and table["税收实际贡献（万元）"].isna().tolist() == [False, True]
    button(at, "确认导入").click().run()
    assert not at.exception, at.exception
    assert sorted(store.load_evaluation(store.open_database(db), 2023).name) == ["卓尔五金", "石普铝业"]
    # The same year again, corrected: the preview says it replaces the year.
    corrected = [*EVALUATION[:3], [1, "卓尔五金", "是", 30, 125, 250]]
    upload(at, "亩均更正.xlsx", xlsx_bytes({"亩均": corrected}))
    assert any("将替换已存的：2023年亩均评价数据" in w.value for w in at.warning)


def test_an_electricity_sheet_previews_its_spans(db):
    at = open_page()
    rows = [["2024年3月企业用电量"], ["企业名称", "本月用电量（千瓦时）", "1-3月累计用电量（千瓦时）"],
            ["卓尔五金", 100_000, 250_000], ["石普铝业", 50_000, 140_000]]
    upload(at, "用电.xlsx", xlsx_bytes({"用电": rows}))
    summary = next(d.value for d in at.dataframe if "用电量合计（万千瓦时）" in d.value.columns)
    # 1-3月: (250000 + 140000) / 10000 = 39; 3月: (100000 + 50000) / 10000 = 15.
    assert list(zip(summary["期间"], summary["企业（户）"], summary["用电量合计（万千瓦时）"])) == [
        ("2024年1-3月", 2, 39.0), ("2024年3月", 2, 15.0)]
    button(at, "确认导入").click().run()
    assert not at.exception, at.exception
    assert len(store.load_electricity(store.open_database(db))) == 4


def test_the_register_edit_keeps_land_area_and_power_account(db):
    at = open_page()
    frame = at.data_editor(key="register_editor").value
    row = list(frame["企业名称"]).index("卓尔五金")
    at.session_state["register_editor"] = {"edited_rows": {row: {"用地面积（亩）": 30.5, "电力户号": "3300012345"}},
                                           "added_rows": [], "deleted_rows": []}
    at.run()
    button(at, "保存企业名录").click().run()
    assert not at.exception, at.exception
    register = store.load_register(store.open_database(db)).set_index("name")
    assert register.loc["卓尔五金", "land_mu"] == 30.5 and register.loc["卓尔五金", "power_account"] == "3300012345"
    assert pd.isna(register.loc["石普铝业", "land_mu"])
