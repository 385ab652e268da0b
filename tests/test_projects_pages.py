"""重点项目 on the pages (AppTest) against the sample: expected figures from the sample workbook
read with openpyxl (sample_rows), lateness counted here on the calendar."""
import datetime as dt
import json

import pandas as pd
import pytest
from sample_rows import half_up, progress_rows, project_rows
from test_cli import cli
from test_data_page import button, open_page
from test_pages import go, metric, start, wan

from lakou_metrics import store


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("projects") / "sample.db"
    assert cli("init", "--sample", db=db).returncode == 0
    return db


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


def test_projects_page_as_of_june(sample_db, monkeypatch):
    at = go(start(sample_db, monkeypatch, {"year": "2023", "through": "6", "scope": "all"}), "projects")
    late = late_on(dt.date(2023, 6, 30))
    assert metric(at, "节点滞后").value == f"{len(late)} 个"
    assert metric(at, "本年完成投资").value == wan(invested_through(6))
    table = at.dataframe[0].value.set_index("项目")
    for name, (_, days) in late.items():
        assert table.loc[name, "滞后（天）"] == days


def test_a_year_without_projects_points_to_one_with(sample_db, monkeypatch):
    at = go(start(sample_db, monkeypatch, {"year": "2024", "through": "9", "scope": "all"}), "projects")
    assert any("2024年还没有登记重点项目" in i.value and "2023年" in i.value for i in at.info)


def test_targets_page_says_which_figures_come_from_projects(sample_db, monkeypatch):
    at = go(start(sample_db, monkeypatch, {"year": "2023", "through": "12", "scope": "all"}), "targets")
    table = at.dataframe[0].value.set_index("指标")
    assert table.loc["完成制造业投资", "来源"] == "按重点项目汇总"
    assert table.loc["完成征地工业用地面积", "来源"] == "工作人员录入"
    assert table.loc["规模以上工业产值", "来源"] == "按企业产值计算"
    made = invested_through(12)  # all four sample projects are manufacturing
    assert table.loc["完成制造业投资", "累计完成"] == f"{half_up(made, 1):f}"
    signed = [p for p in project_rows() if p["signed"] and p["signed"].year == 2023 and p["total"] >= 10000]
    assert table.loc["引进大项目", "累计完成"] == str(len(signed))


def test_warnings_page_lists_late_projects(sample_db, monkeypatch):
    at = go(start(sample_db, monkeypatch, {"year": "2023", "through": "12", "scope": "all"}), "warnings")
    tables = [d.value for d in at.dataframe if "项目" in d.value.columns]
    (projects,) = tables
    late = late_on(dt.date(2023, 12, 31))
    rows = projects[projects["规则"] == "项目节点滞后"]
    assert set(rows["项目"]) == set(late)


def test_briefing_has_a_projects_section(sample_db, monkeypatch):
    at = go(start(sample_db, monkeypatch, {"year": "2023", "through": "12", "scope": "all"}), "briefing")
    text = "\n".join(m.value for m in at.markdown)
    assert "重点项目" in text
    name, (_, days) = max(late_on(dt.date(2023, 12, 31)).items(), key=lambda item: item[1][1])
    assert f"滞后{days}天" in text


@pytest.fixture
def own_sample(tmp_path, monkeypatch):
    db = tmp_path / "sample.db"
    assert cli("init", "--sample", db=db).returncode == 0
    monkeypatch.setenv("LAKOU_DB", str(db))
    monkeypatch.delenv("LAKOU_STAFF_PASSCODE_HASH", raising=False)
    return db


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
    store.undo_import(engine, int(edit.id))
    assert pd.isna(store.load_projects(engine, 2023).set_index("name").loc[name, column])


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


def test_phone_image_and_word_briefing_carry_the_projects(sample_db):
    import io

    from docx import Document

    from lakou_metrics.compute.report import load_year_to_date
    from lakou_metrics.domain.periods import Period
    from lakou_metrics.output.briefing import build_docx
    from lakou_metrics.output.phone_image import phone_image_chart, render_phone_image

    ytd, _ = load_year_to_date(store.open_database(sample_db), Period.ytd(2023, 12))
    name, (stone, days) = max(late_on(dt.date(2023, 12, 31)).items(), key=lambda item: item[1][1])
    spec = json.dumps(phone_image_chart(ytd).to_dict(), ensure_ascii=False)
    assert f"重点项目（{len(project_rows())}个）" in spec
    assert f"{name}  {['开工', '主体结顶', '竣工', '投产'][stone]}滞后{days}天" in spec
    assert render_phone_image(ytd)[:8] == b"\x89PNG\r\n\x1a\n"
    text = "\n".join(p.text for p in Document(io.BytesIO(build_docx(ytd, {}))).paragraphs)
    assert "、重点项目" in text and f"滞后{days}天" in text
