"""Every page through Streamlit's AppTest against the sample data. Expected figures come from the
sample workbooks read with openpyxl (tests/sample_rows.py), not from the code under test."""
import json

import pytest
from conftest import ROOT, long_rows, xlsx_bytes
from sample_rows import bureau_rows, register_rows, target_rows, yi
from streamlit.testing.v1 import AppTest
from test_cli import cli

from lakou_metrics import store


def wan(value_10k: float) -> str:
    return yi(value_10k) if value_10k >= 10_000 else f"{value_10k:,.1f}万元"


def rate(value: float) -> str:
    return f"{value * 100:+.1f}%"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("pages") / "sample.db"
    assert cli("init", "--sample", db=db).returncode == 0
    return db


@pytest.fixture
def app(sample_db, monkeypatch):
    monkeypatch.setenv("LAKOU_DB", str(sample_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def go(at, page):
    at.switch_page(f"views/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def metric(at, label_part):
    (found,) = [m for m in at.metric if label_part in m.label]
    return found


def badges(at) -> str:
    return " ".join(m.value for m in at.markdown if "-badge[" in m.value)


def test_empty_database_shows_how_to_load_data(tmp_path, monkeypatch):
    monkeypatch.setenv("LAKOU_DB", str(tmp_path / "empty.db"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert "init --sample" in at.info[0].value
    assert not at.metric


def test_overview_kpis_for_the_latest_period(app):
    rows = bureau_rows(9)
    total, prior = sum(r["ytd"] for r in rows), sum(r["prior_ytd"] for r in rows)
    above = [r for r in rows if r["above"]]
    above_total, above_prior = sum(r["ytd"] for r in above), sum(r["prior_ytd"] for r in above)
    card = metric(app, "工业总产值")
    assert card.label == "2024年1-9月 工业总产值"
    assert card.value == wan(total)
    assert card.delta == f"同比 {rate(total / prior - 1)}"
    card = metric(app, "规上工业产值")
    assert card.value == wan(above_total) and card.delta == f"同比 {rate(above_total / above_prior - 1)}"
    unit, goal = target_rows(2024)["工业总产值"]
    assert unit == "亿元"
    completion = total / (goal * 10_000)
    gap = completion - 9 / 12
    assert f"完成率 {completion * 100:.1f}%" in badges(app)
    assert f"{'超' if gap >= 0 else '欠'}序时{abs(gap) * 100:.1f}个百分点" in badges(app)
    assert len(app.get("vega_lite_chart")) == 4
    assert app.title[0].value.endswith("2024年1-9月")


def test_year_and_period_switch_to_the_speech_quarter(app):
    app.sidebar.selectbox(key="year").set_value(2023).run()
    app.sidebar.selectbox(key="through_2023").set_value(3).run()
    assert not app.exception
    assert metric(app, "工业总产值").value == "1.4亿元"  # the speech: 一季度 1.4亿元
    assert metric(app, "工业总产值").label == "2023年1-3月 工业总产值"


def test_scope_switch_changes_the_quarter_card_and_charts(app):
    rows = bureau_rows(9)
    assert metric(app, "三季度产值").value == wan(sum(r["quarter"] for r in rows))
    before = json.loads(app.get("vega_lite_chart")[1].proto.spec)
    app.sidebar.segmented_control(key="scope").set_value("规上企业").run()
    assert metric(app, "三季度产值").value == wan(sum(r["quarter"] for r in rows if r["above"]))
    after = json.loads(app.get("vega_lite_chart")[1].proto.spec)
    assert before != after and "规上企业" in json.dumps(after, ensure_ascii=False)


def test_a_period_without_data_says_so(app):
    app.sidebar.selectbox(key="through_2024").set_value(4).run()  # only quarters exist for 2024
    assert not app.exception
    assert "没有" in app.info[0].value and "2024年1-4月" in app.info[0].value


def test_sector_page(app):
    go(app, "sectors")
    app.segmented_control(key="sector").set_value("photovoltaic").run()
    pv = [r for r in bureau_rows(9) if r["sector"] == "光伏"]
    total = sum(r["ytd"] for r in bureau_rows(9))
    value, prior = sum(r["ytd"] for r in pv), sum(r["prior_ytd"] for r in pv)
    assert metric(app, "光伏产值").value == wan(value)
    assert metric(app, "光伏产值").delta == f"同比 {rate(value / prior - 1)}"
    assert metric(app, "占全镇比重").value == f"{value / total * 100:.1f}%"
    town_prior = sum(r["prior_ytd"] for r in bureau_rows(9))
    assert metric(app, "拉动").value == f"{(value - prior) / town_prior * 100:+.1f}"
    table = app.dataframe[0].value
    assert sorted(table["企业"]) == sorted(r["name"] for r in pv)
    app.segmented_control(key="sector").set_value("building_materials").run()
    assert "建材" in metric(app, "建材产值").label


def test_enterprise_page_search_and_detail(app):
    go(app, "enterprises")
    assert len(app.dataframe[0].value) == len(bureau_rows(9))
    app.text_input(key="enterprise_query").input("铝业").run()
    found = app.dataframe[0].value
    assert sorted(found["企业"]) == sorted(r["name"] for r in bureau_rows(9) if "铝业" in r["name"])
    app.selectbox(key="enterprise_name").set_value("友邦铝业").run()
    youbang = next(r for r in bureau_rows(9) if r["name"] == "友邦铝业")
    assert metric(app, "累计产值").value == wan(youbang["ytd"])
    assert register_rows()["友邦铝业"] in [t.value for t in app.text]
    app.multiselect(key="enterprise_sectors").set_value(["agriculture"]).run()
    app.text_input(key="enterprise_query").input("").run()
    assert set(app.dataframe[0].value["行业"]) == {"农产品加工"}


def test_targets_page(app):
    go(app, "targets")
    goals = target_rows(2024)
    table = app.dataframe[0].value
    assert list(table["指标"]) == [n for n in ["工业总产值", "工业总产值同比增长", "规模以上工业产值",
                                               "规模以上工业产值同比增长", "完成征地工业用地面积",
                                               "实际出让工业用地面积", "完成制造业投资", "净增规模以上企业",
                                               "合同引进市外内资", "实际到位市外内资", "引进大项目"] if n in goals]
    land = table.set_index("指标").loc["完成征地工业用地面积"]
    assert land["年度目标"] == f"{goals['完成征地工业用地面积'][1]}亩"
    peer = app.dataframe[1].value
    assert list(peer.columns) == ["指标", "腊口镇", "温溪镇"]
    assert len(app.get("vega_lite_chart")) == 1


def test_warnings_page_lists_the_steepest_decline_in_red(app):
    go(app, "warnings")
    rows = bureau_rows(9)
    steep = [r["name"] for r in rows if r["prior_ytd"] and r["ytd"] / r["prior_ytd"] - 1 <= -0.20]
    assert steep, "the sample has an enterprise down 20% or more"
    table = app.dataframe[0].value
    red = table[(table["级别"] == "红色") & (table["规则"] == "同比下降")]
    assert sorted(red["企业"]) == sorted(steep)


def test_user_text_is_shown_as_typed(tmp_path, monkeypatch):
    db = tmp_path / "names.db"
    names = ["<script>alert(1)</script>", "**粗体**企业"]
    store.import_bytes(store.open_database(db), xlsx_bytes({"s": long_rows(
        [(2024, 1, n, "五金", True, 1.0) for n in names])}), "x.xlsx")
    monkeypatch.setenv("LAKOU_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    go(at, "enterprises")
    for name in names:
        at.selectbox(key="enterprise_name").set_value(name).run()
        assert not at.exception
        # The heading escapes Markdown, so the name reads exactly as typed.
        assert at.subheader[0].value.replace("\\", "") == name
    assert not at.get("html")


def test_briefing_page(app):
    go(app, "briefing")
    rows = bureau_rows(9)
    total, prior = sum(r["ytd"] for r in rows), sum(r["prior_ytd"] for r in rows)
    first = app.markdown[1].value.replace("\\", "")
    assert first.startswith(f"2024年1-9月，全镇实现工业总产值{yi(total)}，同比增长{(total / prior - 1) * 100:.1f}%")
    labels = [d.proto.label for d in app.get("download_button")]
    assert labels[0] == "下载 Word 文档（.docx）"
    assert {"下载 PNG：主要指标", "下载 PNG：产值走势", "下载 PNG：分行业产值"} <= set(labels)
    assert len(app.get("image")) == len(labels) - 1
