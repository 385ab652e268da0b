"""重点项目 on the pages (AppTest) against the sample: expected figures from the sample workbook
read with openpyxl (sample_rows), lateness counted here on the calendar."""
import datetime as dt
import json

import pandas as pd
import pytest
from cli_support import cli
from conftest import sample_database, staff
from sample_rows import entered_rows, half_up, progress_rows, project_rows
from test_data_page import button, open_page
from test_pages import go, metric, start, wan

from lakou_metrics import store


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    return sample_database(tmp_path_factory.mktemp("projects") / "sample.db")


def late_on(day: dt.date) -> dict[str, tuple[int, int]]:
    """{project: (index of its first overdue milestone, days late)} on `day`, from the workbook."""
    late = {}
    for p in project_rows():
        for i, (planned, actual) in enumerate(p["milestones"]):
            if planned and planned < day and (actual is None or actual > day):
                late[p["name"]] = (i, (day - planned).days)
                break
    return late


def invested_through(month: int) -> float:
    return sum(v for _, m, v, _ in progress_rows() if m <= month)


@pytest.mark.pages
def test_projects_page_on_the_sample(sample_db, monkeypatch):
    at = go(start(sample_db, monkeypatch, {"year": "2023", "through": "12", "scope": "all"}), "projects")
    projects = project_rows()
    late = late_on(dt.date(2023, 12, 31))
    assert late, "the sample has a late project at the end of 2023"
    assert metric(at, "重点项目").value == f"{len(projects)} 个"
    assert metric(at, "节点滞后").value == f"{len(late)} 个"
    assert metric(at, "本年完成投资").value == wan(invested_through(12))
    assert metric(at, "年度计划投资").value == wan(sum(p["plan"] for p in projects))
    table = at.dataframe[0].value
    first = table.iloc[0]  # the longest delay first
    name, (stone, days) = max(late.items(), key=lambda item: item[1][1])
    assert first["项目"] == name and first["滞后（天）"] == days
    assert first["状态"] == f"{['开工', '主体结顶', '竣工', '投产'][stone]}滞后{days}天"
    assert any(f"滞后{days}天" in m.value for m in at.markdown)


@pytest.mark.pages
def test_projects_page_as_of_june(sample_db, monkeypatch):
    at = go(start(sample_db, monkeypatch, {"year": "2023", "through": "6", "scope": "all"}), "projects")
    late = late_on(dt.date(2023, 6, 30))
    assert metric(at, "节点滞后").value == f"{len(late)} 个"
    assert metric(at, "本年完成投资").value == wan(invested_through(6))
    table = at.dataframe[0].value.set_index("项目")
    for name, (_, days) in late.items():
        assert table.loc[name, "滞后（天）"] == days


@pytest.mark.pages
def test_a_year_without_projects_points_to_one_with(sample_db, monkeypatch):
    at = go(start(sample_db, monkeypatch, {"year": "2024", "through": "9", "scope": "all"}), "projects")
    assert any("2024年还没有登记重点项目" in i.value and "2023年" in i.value for i in at.info)


@pytest.mark.pages
def test_targets_page_sets_the_projects_sums_beside_the_entered_figures(sample_db, monkeypatch):
    """The staff's figure is the town's: the entered 1-12月 figures are the actuals, the projects'
    sums stand beside them, and a sum above its entered figure is pointed out. (Until issue 22 the
    projects' sums replaced the entered figures.)"""
    at = go(start(sample_db, monkeypatch, {"year": "2023", "through": "12", "scope": "all"}), "targets")
    table = at.dataframe[0].value.set_index("指标")
    entered = {name: months[12] for name, months in entered_rows(2023).items() if 12 in months}
    projects = project_rows()
    signed = [p for p in projects if p["signed"] and p["signed"].year == 2023]
    inward = {p["name"] for p in signed if p["inward"]}
    sums = {  # in 万元 (counts as they are), from the project workbook
        "完成制造业投资": invested_through(12),  # all four sample projects are manufacturing
        "引进大项目": len([p for p in signed if p["total"] >= 10000]),
        "合同引进市外内资": sum(p["contract"] for p in signed if p["inward"] and p["contract"]),
        "实际到位市外内资": sum(r or 0 for name, _, _, r in progress_rows() if name in inward),
    }
    unit = {"完成制造业投资": 10_000, "合同引进市外内资": 10_000, "实际到位市外内资": 10_000, "引进大项目": 1}
    for name, total in sums.items():
        shown = "{:.10g}".format if unit[name] == 1 else (lambda v: f"{half_up(v, 1):f}")  # counts whole, 万元 to 0.1
        assert table.loc[name, "来源"] == "工作人员录入"
        assert table.loc[name, "累计完成"] == shown(entered[name] * unit[name])
        assert table.loc[name, "重点项目汇总"] == shown(total)
    assert table.loc["完成征地工业用地面积", "来源"] == "工作人员录入"
    assert table.loc["规模以上工业产值", "来源"] == "按企业产值计算"
    over = [name for name, total in sums.items() if total > entered[name] * unit[name] + 0.5]
    notes = [w.value for w in at.warning if "重点项目汇总数大于录入的完成数" in w.value]
    assert len(notes) == (1 if over else 0)
    for name in over:
        assert name in notes[0]


@pytest.mark.pages
def test_warnings_page_lists_late_projects(sample_db, monkeypatch):
    at = go(start(sample_db, monkeypatch, {"year": "2023", "through": "12", "scope": "all"}), "warnings")
    tables = [d.value for d in at.dataframe if "项目" in d.value.columns]
    (projects,) = tables
    late = late_on(dt.date(2023, 12, 31))
    rows = projects[projects["规则"] == "项目节点滞后"]
    assert set(rows["项目"]) == set(late)


@pytest.mark.pages
def test_briefing_has_a_projects_section(sample_db, monkeypatch):
    at = go(start(sample_db, monkeypatch, {"year": "2023", "through": "12", "scope": "all"}), "briefing")
    text = "\n".join(m.value for m in at.markdown)
    assert "重点项目" in text
    name, (_, days) = max(late_on(dt.date(2023, 12, 31)).items(), key=lambda item: item[1][1])
    assert f"滞后{days}天" in text


@pytest.fixture
def own_sample(tmp_path, monkeypatch):
    db = sample_database(tmp_path / "sample.db")
    monkeypatch.setenv("LAKOU_DB", str(db))
    monkeypatch.delenv("LAKOU_STAFF_PASSCODE_HASH", raising=False)
    return db


@pytest.mark.pages
def test_editing_a_project_in_the_page_is_recorded_and_undoable(own_sample):
    at = open_page()
    at.selectbox(key="projects_year").set_value(2023).run()
    key = "projects_editor_2023"
    frame = at.data_editor(key=key).value
    (name, (stone, _)), = late_on(dt.date(2023, 12, 31)).items()
    row = list(frame["项目名称"]).index(name)
    header = "实际" + ["开工", "主体结顶", "竣工", "投产"][stone]
    at.session_state[key] = {"edited_rows": {row: {header: "2023-10-08"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    button(at, "保存项目库").click().run()
    assert not at.exception, at.exception
    engine = store.open_database(own_sample)
    saved = store.load_projects(engine, 2023).set_index("name")
    column = ["start", "topping", "completion", "production"][stone] + "_actual"
    assert saved.loc[name, column] == "2023-10-08"
    edit = store.list_imports(engine).iloc[0]
    assert edit.file_name == "页面编辑：2023年重点项目" and edit.imported_by == "小王"
    store.undo_import(engine, int(edit.id), operator=staff())
    assert pd.isna(store.load_projects(engine, 2023).set_index("name").loc[name, column])


@pytest.mark.pages
def test_entering_a_month_of_progress_in_the_page(own_sample):
    at = open_page()
    at.selectbox(key="projects_year").set_value(2023).run()
    at.selectbox(key="progress_month").set_value(12).run()
    key = "progress_editor_2023_12"
    frame = at.data_editor(key=key).value
    assert list(frame["项目名称"]) == [p["name"] for p in project_rows()]
    stored = {name: v for name, m, v, _ in progress_rows() if m == 12}
    assert list(frame["本月完成投资（万元）"]) == [stored[p["name"]] for p in project_rows()]
    first = project_rows()[0]["name"]
    at.session_state[key] = {"edited_rows": {0: {"本月完成投资（万元）": stored[first] + 50}}, "added_rows": [],
                             "deleted_rows": []}
    at.run()
    button(at, "保存项目进度").click().run()
    assert not at.exception, at.exception
    data = json.loads(cli("summary", "--year", "2023", "--through", "M12", "--json",
                                        db=own_sample).stdout)
    assert {p["name"]: p["invested_10k"] for p in data["projects"]}[first] == pytest.approx(
        sum(v for n, _, v, _ in progress_rows() if n == first) + 50)


@pytest.mark.pages
def test_uploading_a_project_file_previews_then_stores(own_sample):
    from test_data_page import problems_of, upload
    from test_projects import project, register_book

    at = open_page()
    upload(at, "2024项目.xlsx", register_book([project("新材料项目", "宏泰新型建材", plan=3000, kind="技改"),
                                             project("坏项目", "", kind="翻新")], year=2024))
    problems = problems_of(at)
    assert set(problems["行"].astype(str)) == {"4"} and len(problems) == 2  # no enterprise, and an unknown kind
    at = open_page()
    upload(at, "2024项目.xlsx", register_book([project("新材料项目", "宏泰新型建材", plan=3000, kind="技改")], year=2024))
    assert any("重点项目库" in m.value and "1 个项目" in m.value for m in at.markdown)
    assert store.load_projects(store.open_database(own_sample), 2024).empty  # the preview stores nothing
    button(at, "确认导入").click().run()
    assert not at.exception, at.exception
    (row,) = store.load_projects(store.open_database(own_sample), 2024).to_dict("records")
    assert (row["name"], row["plan_10k"], row["kind"], row["sector"]) == ("新材料项目", 3000, "技改", "hardware")


@pytest.mark.images
def test_phone_image_and_word_briefing_carry_the_projects(sample_db):
    import io

    from docx import Document

    from lakou_metrics.compute.report import load_year_to_date
    from lakou_metrics.domain.periods import Period
    from lakou_metrics.output.briefing import build_docx
    from lakou_metrics.output.phone_image import phone_image_chart, render_phone_image

    ytd, _ = load_year_to_date(store.open_database(sample_db), Period.ytd(2023, 12))
    name, (stone, days) = max(late_on(dt.date(2023, 12, 31)).items(), key=lambda item: item[1][1])
    spec = json.dumps(phone_image_chart(ytd, dt.date(2024, 1, 5)).to_dict(), ensure_ascii=False)
    assert f"重点项目（{len(project_rows())}个）" in spec
    assert f"{name}  {['开工', '主体结顶', '竣工', '投产'][stone]}滞后{days}天" in spec
    assert render_phone_image(ytd, dt.date(2024, 1, 5))[:8] == b"\x89PNG\r\n\x1a\n"
    text = "\n".join(p.text for p in Document(io.BytesIO(build_docx(ytd, {}, dt.date(2024, 1, 5)))).paragraphs)
    assert "、重点项目" in text and f"滞后{days}天" in text


@pytest.mark.pages
def test_a_project_before_its_start_is_not_behind(sample_db, monkeypatch):
    """At 1-3月 the sample's project planned to start after March is 未开工, with 序时进度 0, and
    raises no 投资落后 warning."""
    waiting = [p for p in project_rows() if p["milestones"][0][0] > dt.date(2023, 3, 31)]
    assert waiting, "the sample has a project starting after March 2023"
    at = go(start(sample_db, monkeypatch, {"year": "2023", "through": "3", "scope": "all"}), "projects")
    table = at.dataframe[0].value.set_index("项目")
    for p in waiting:
        day = p["milestones"][0][0]
        assert table.loc[p["name"], "状态"] == f"未开工（计划{day.year}年{day.month}月{day.day}日开工）"
        assert table.loc[p["name"], "序时进度"] == "0.0%"
    at = go(start(sample_db, monkeypatch, {"year": "2023", "through": "3", "scope": "all"}), "warnings")
    tables = [d.value for d in at.dataframe if "项目" in d.value.columns]
    assert all(not set(t["项目"]) & {p["name"] for p in waiting} for t in tables)


@pytest.mark.pages
def test_carrying_last_years_unfinished_projects_in_the_page(own_sample):
    """重点项目 of 2024: a preview of the sample's 2023 projects still unfinished (nothing stored),
    then one import on confirming, with total − 2023 investment as each one's 2024 plan."""
    at = open_page()
    at.selectbox(key="projects_year").set_value(2024).run()
    projects = project_rows()
    next(b for b in at.button if b.label.startswith("预览结转")).click().run()
    frame = at.data_editor(key="carry_editor_2024").value.set_index("项目名称")
    invested = {p["name"]: sum(v for n, _, v, _ in progress_rows() if n == p["name"]) for p in projects}
    unfinished = {p["name"] for p in projects if p["milestones"][2][1] is None or p["milestones"][3][1] is None}
    short = {p["name"] for p in projects if invested[p["name"]] < p["total"]}
    assert set(frame.index) == unfinished | short
    assert set(frame.index[frame["结转"]]) == unfinished  # only short of its total: not ticked
    for p in projects:
        if p["name"] in frame.index:
            assert frame.loc[p["name"], "2024年计划投资（万元）"] == pytest.approx(p["total"] - invested[p["name"]])
    engine = store.open_database(own_sample)
    assert store.load_projects(engine, 2024).empty  # the preview stores nothing
    button(at, f"确认结转{len(unfinished)}个项目到2024年项目库").click().run()
    register = store.load_projects(engine, 2024).set_index("name")
    assert set(register.index) == unfinished
    assert {n: register.loc[n, "plan_10k"] for n in unfinished} == pytest.approx(
        {p["name"]: p["total"] - invested[p["name"]] for p in projects if p["name"] in unfinished})
    assert store.list_imports(engine).iloc[0].file_name == "结转2023年未完成重点项目到2024年项目库.xlsx"
    assert any("已结转" in s.value for s in at.success)
