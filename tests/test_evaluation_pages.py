"""亩均评价 through Streamlit's AppTest, with data imported from workbooks the tests build
(tests/evaluation_support.py): the class counts, each group's ranking, the unrated and why, an
enterprise's scorecard, the year control and the URL, a town without data, and a town of a county
database. Expected scores and classes are worked out by evaluation_support.expected from the rows."""
import pytest
from conftest import long_rows, staff, xlsx_bytes
from evaluation_support import ROWS_2022, ROWS_2023, evaluation_sheet, expected, expected_2023, import_evaluation
from page_support import CheckedAppTest, app_test

from lakou_metrics import importing, store

pytestmark = pytest.mark.pages  # every test here runs the app's pages


@pytest.fixture(scope="module")
def evaluated_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("evaluation") / "evaluation.db"
    engine = store.open_database(str(db))
    import_evaluation(engine)
    engine.dispose()
    return db


def start(db, monkeypatch, query: dict | None = None) -> CheckedAppTest:
    """A new session on `db` opened at 亩均评价 with `query` in the URL."""
    monkeypatch.setenv("LAKOU_DB", str(db))
    at = app_test()
    at.query_params.update(query or {})
    at.switch_page("views/evaluation.py")  # the page's own URL, as a bookmark opens it
    at.run()
    return at


def metrics(at) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in at.metric]


def table(at, key_part: str):
    (found,) = [d for d in at.dataframe if key_part in list(d.value.columns)]
    return found.value


def test_the_page_shows_the_latest_year_its_counts_and_rankings(evaluated_db, monkeypatch):
    at = start(evaluated_db, monkeypatch)
    assert at.title[0].value == "亩均评价 · 2023年度"
    assert at.sidebar.selectbox(key="sel_year").options == ["2023年", "2022年"]
    found = expected_2023()
    # The counts per group: A, B, C, D, 不定 of 规上 then 规下.
    shown = [value for label, value in metrics(at)[:10]]
    wanted = []
    for group in ("规上", "规下"):
        members = [e for e in found.values() if e["group"] == group]
        wanted += [f"{sum(e['class'] == c for e in members)} 家" for c in "ABCD"]
        wanted.append(f"{sum(e['class'] is None for e in members)} 家")
    assert shown == wanted
    rankings = [d.value for d in at.dataframe if "排名" in list(d.value.columns)]
    for ranking, group in zip(rankings, ("规上", "规下")):
        rated = sorted(((e["rank"], name) for name, e in found.items() if e["group"] == group and e["class"]))
        assert list(ranking["企业名称"]) == [name for _, name in rated], group
        for row in ranking.itertuples():
            e = found[row.企业名称]
            assert (row.排名, row.类别, row.得分, row.较上年) == (e["rank"], e["class"], pytest.approx(e["score"]),
                                                              e["change"]), row.企业名称
    # The D enterprise and the largest moves, named.
    (lowest,) = [name for name, e in found.items() if e["class"] == "D"]
    texts = [m.value.replace("\\", "") for m in at.markdown]  # as read: plain() escapes punctuation
    assert any(t.startswith(f"D类（倒逼整治）企业：{lowest}（规下，{found[lowest]['score']:.2f}分）") for t in texts)
    assert any(t.startswith("与2022年度相比，升档") and "丁（D类→A类，升档）" in t for t in texts)


def test_the_unrated_are_listed_with_their_reason(evaluated_db, monkeypatch):
    at = start(evaluated_db, monkeypatch)
    found = expected_2023()
    (unrated,) = at.table
    rows = {r["企业名称"]: r["原因"] for r in unrated.value.to_dict("records")}
    assert rows == {name: e["reason"] for name, e in found.items() if e["reason"]}
    assert rows["壬"] == "当年新投产（投产未满一年），不参评"  # by its first output report, April 2023


@pytest.mark.parametrize("name, indicator, note", [
    pytest.param("乙", "单位排放增加值", "缺少主要污染物排放当量（吨），按本组该项平均得分计", id="missing emission"),
    pytest.param("己", "单位电耗税收", "用电量（万千瓦时）为0，按本组该项平均得分计", id="no power"),
    pytest.param("丁", "亩均税收", "指标值为基准值的21.25倍，超过3倍，按3倍计分", id="capped"),
])
def test_a_scorecard_against_the_bases(evaluated_db, monkeypatch, name, indicator, note):
    at = start(evaluated_db, monkeypatch)
    found = expected_2023()[name]
    box = at.selectbox(key="evaluation_enterprise")
    (row,) = [r for r in box.options if r.startswith(f"{name}（")]
    box.select(row).run()
    card = table(at, "比值").set_index("指标")
    assert card["得分"].to_dict() == pytest.approx({at_name: float(found["items"][code]) for code, at_name in (
        ("tax_per_mu", "亩均税收"), ("tax_per_power", "单位电耗税收"), ("value_added_per_mu", "亩均增加值"),
        ("value_added_per_energy", "单位能耗增加值"), ("value_added_per_emission", "单位排放增加值"),
        ("labour_productivity", "全员劳动生产率"), ("rd_share", "研发经费占比")) if code in found["items"]})
    assert card.at[indicator, "说明"] == note
    # The note again under the table, where a desk and a phone read it without scrolling the table.
    assert f"{indicator}：{note}" in [c.value.replace("\\", "") for c in at.caption]
    assert ("总分", f"{found['score']:.2f}") in metrics(at)
    assert ("组内排名", f"第 {found['rank']} 名") in metrics(at)
    # Against 2022: 升档 a green up-arrow, 降档 a red down-arrow, 持平 none.
    (last,) = [m for m in at.metric if m.label == "2022年度"]
    proto = last.proto
    shown = (proto.DESCRIPTOR.fields_by_name["direction"].enum_type.values_by_number[proto.direction].name,
             proto.DESCRIPTOR.fields_by_name["color"].enum_type.values_by_number[proto.color].name)
    assert (last.delta, shown) == (found["change"], {"升档": ("UP", "GREEN"), "降档": ("DOWN", "RED")}.get(
        found["change"], ("NONE", "GRAY")))


def test_choosing_a_year_keeps_it_in_the_url_and_for_the_other_pages(evaluated_db, monkeypatch):
    at = start(evaluated_db, monkeypatch, {"year": "2023", "through": "4", "scope": "all"})
    assert at.query_params == {"year": "2023", "through": "4", "scope": "all"}
    at.sidebar.selectbox(key="sel_year").select(2022).run()
    assert at.title[0].value == "亩均评价 · 2022年度"
    assert at.query_params["year"] == "2022" and at.query_params["through"] == "4"
    assert any("没有2021年度的评价，不比较升降档" in c.value for c in at.caption)
    ranking = [d.value for d in at.dataframe if "排名" in list(d.value.columns)][1]
    classes = {name: e["class"] for name, e in expected(ROWS_2022, 2022).items() if e["group"] == "规下"}
    assert dict(zip(ranking["企业名称"], ranking["类别"])) == classes


def test_a_year_without_evaluation_data_opens_the_latest_before_it(evaluated_db, monkeypatch):
    at = start(evaluated_db, monkeypatch, {"year": "2024", "through": "4", "scope": "above"})
    assert at.title[0].value == "亩均评价 · 2023年度"
    assert any(c.value == "2024年没有亩均效益评价数据，显示2023年。" for c in at.sidebar.caption)
    assert at.query_params == {"year": "2024", "through": "4", "scope": "above"}  # the others keep their period


def test_without_evaluation_data_the_page_says_what_to_import(tmp_path, monkeypatch):
    db = tmp_path / "output_only.db"
    engine = store.open_database(str(db))
    importing.import_bytes(engine, xlsx_bytes({"产值": long_rows([(2023, 1, "甲", "五金", True, 100.0)])}), "产值.xlsx",
                           operator=staff())
    engine.dispose()
    at = start(db, monkeypatch)
    assert [t.value for t in at.title] == ["亩均评价"]
    (info,) = at.info
    assert info.value.startswith("腊口镇还没有亩均效益评价数据。请在“数据管理”导入县里下发的年度亩均效益评价数据表")
    assert [(link.proto.label, link.proto.page) for link in at.get("page_link")] == [("去“数据管理”导入亩均效益评价数据", "data")]
    assert not at.dataframe


def test_the_export_button(evaluated_db, monkeypatch):
    at = start(evaluated_db, monkeypatch)
    assert [d.proto.label for d in at.get("download_button")] == ["下载 Excel（评价结果、计分明细、基准值）"]


def test_a_town_of_a_county_database_sees_its_own_evaluation(db, monkeypatch):
    """On SQLite and on PostgreSQL (row-level security): 温溪镇's page shows 温溪镇's evaluation only."""
    engine = store.open_database(db)
    import_evaluation(engine, years=(2023,))
    wenxi = store.for_town(engine, "温溪镇")
    rows = [r for r in ROWS_2023 if not r["above"]][:4]
    importing.import_bytes(wenxi, xlsx_bytes({"产值": long_rows([(2023, 1, r["name"] + "温溪", "五金", False, 10.0)
                                                                 for r in rows])}), "温溪镇产值.xlsx",
                           operator=staff("温溪镇"))
    importing.import_bytes(wenxi, xlsx_bytes({"2023年": evaluation_sheet(2023, [{**r, "name": r["name"] + "温溪"}
                                                                              for r in rows], town="温溪镇")}),
                           "温溪镇2023年度亩均效益评价.xlsx", operator=staff("温溪镇"))
    engine.dispose()
    at = start(db, monkeypatch, {"town": "温溪镇"})
    assert at.title[0].value == "温溪镇 · 亩均评价"
    names = set(table(at, "排名")["企业名称"])
    classes = expected([{**r, "name": r["name"] + "温溪"} for r in rows], 2023)
    assert names == {name for name, e in classes.items() if e["class"]}
    assert not any("甲" == n for n in names)
    ranking = table(at, "排名")
    assert dict(zip(ranking["企业名称"], ranking["类别"])) == {n: e["class"] for n, e in classes.items() if e["class"]}


def test_the_briefing_writes_the_years_evaluation(evaluated_db, monkeypatch):
    """简报 of 2023年1-4月 reports the 2023 evaluation: A and D per group, the D enterprise named, the moves."""
    monkeypatch.setenv("LAKOU_DB", str(evaluated_db))
    at = app_test()
    at.query_params.update({"year": "2023", "through": "4", "scope": "all"})
    at.switch_page("views/briefing.py")
    at.run()
    found = expected_2023()
    (heading,) = [h.value for h in at.subheader if h.value.endswith("、亩均效益评价")]
    texts = [m.value.replace("\\", "") for m in at.markdown]
    paragraph = next(t for t in texts if t.startswith("2023年度亩均效益评价："))
    parts = []
    for group, name in (("规上", "规上企业"), ("规下", "规下企业")):
        rated = [e for e in found.values() if e["group"] == group and e["class"]]
        parts.append(f"{name}参评{len(rated)}家，A类{sum(e['class'] == 'A' for e in rated)}家、"
                     f"D类{sum(e['class'] == 'D' for e in rated)}家")
    unrated = sum(e["class"] is None for e in found.values())
    lowest = "、".join(f"{n}（{e['group']}，{e['score']:.2f}分）" for n, e in found.items() if e["class"] == "D")
    moved = [(n, e) for n, e in found.items() if e["change"] in ("升档", "降档")]
    last = {n: c for n, c in expected(ROWS_2022, 2022).items()}
    steps = {n: "ABCD".index(last[n]["class"]) - "ABCD".index(e["class"]) for n, e in moved}
    moved.sort(key=lambda item: (-abs(steps[item[0]]), -steps[item[0]], item[0]))
    named = "、".join(f"{n}（{last[n]['class']}类→{e['class']}类，{e['change']}）" for n, e in moved[:5])
    assert paragraph == ("2023年度亩均效益评价：" + "；".join(parts) + f"；另有{unrated}家不参评（没有用地面积或当年新投产）。"
                         f"D类（倒逼整治）企业：{lowest}。"
                         f"与2022年度相比，升档{sum(s > 0 for s in steps.values())}家、降档{sum(s < 0 for s in steps.values())}家，"
                         f"变动较大的有：{named}。")
    assert heading.split("、")[0] in "一二三四五六七八九十"


def test_an_import_shows_on_the_next_run(tmp_path, monkeypatch):
    """The cached evaluation is of the data version: a year imported while the page is open shows next run."""
    db = tmp_path / "later.db"
    engine = store.open_database(str(db))
    import_evaluation(engine, years=(2022,), output=False)
    at = start(db, monkeypatch)
    assert at.title[0].value == "亩均评价 · 2022年度"
    import_evaluation(engine, years=(2023,), output=False)
    engine.dispose()
    at.run()
    assert at.sidebar.selectbox(key="sel_year").options == ["2023年", "2022年"]
    at.sidebar.selectbox(key="sel_year").select(2023).run()
    assert at.title[0].value == "亩均评价 · 2023年度"
    # Without output reports 壬 is rated; 丁 went from D to A.
    ranking = [d.value for d in at.dataframe if "排名" in list(d.value.columns)][1]
    assert "壬" in set(ranking["企业名称"])
    assert ranking.set_index("企业名称").at["丁", "较上年"] == "升档"
