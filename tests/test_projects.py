"""重点项目: the test's own project sheets in, checked figures out. Expected numbers are summed by
hand from the rows each test writes; dates of lateness are counted on the calendar here."""
import datetime as dt
import json

import pandas as pd
import pytest
from cli_support import cli
from conftest import staff, xlsx_bytes
from sample_rows import points_between

from lakou_metrics import importing, store
from lakou_metrics.compute.projects import ProjectSettings
from lakou_metrics.compute.report import load_year_to_date, projects_json
from lakou_metrics.domain.periods import Period
from lakou_metrics.ingest.errors import ImportRefused
from lakou_metrics.ingest.sheets.projects import parse_date

REGISTER = ["项目名称", "企业名称", "行业", "建设性质", "是否制造业", "总投资（万元）", "年度计划投资（万元）",
            "是否市外内资", "合同引资额（万元）", "签约日期", "联系领导", "计划开工", "实际开工", "计划主体结顶",
            "实际主体结顶", "计划竣工", "实际竣工", "计划投产", "实际投产", "问题与需协调事项"]
PROGRESS = ["项目名称", "年份", "月份", "本月完成投资（万元）", "本月到位资金（万元）"]
LATER = dt.date(2030, 1, 1)  # "today" well after the periods the tests look at


def project(name, enterprise, *, sector="五金", kind="新建", made="是", total=5000, plan=2000, inward="否",
            contract=None, signed=None, contact="王海涛", dates=(), issues=None):
    stones = list(dates) + [None] * (8 - len(dates))
    return [name, enterprise, sector, kind, made, total, plan, inward, contract, signed, contact, *stones, issues]


def register_book(rows, year=2023) -> bytes:
    return xlsx_bytes({f"{year}年重点项目": [[f"腊口镇{year}年重点项目"], REGISTER, *rows]})


def progress_book(rows) -> bytes:
    return xlsx_bytes({"项目进度": [PROGRESS, *rows]})


def figures(engine, year, month, today=LATER, settings=ProjectSettings()):
    ytd, _ = load_year_to_date(engine, Period.ytd(year, month), today=today, project_settings=settings)
    return ytd


def test_dates_as_staff_write_them():
    assert parse_date("2023-06-30") == dt.date(2023, 6, 30)
    assert parse_date("2023/6/3") == dt.date(2023, 6, 3)
    assert parse_date("2023年6月30日") == dt.date(2023, 6, 30)
    assert parse_date("2023年6月") == dt.date(2023, 6, 30)  # a month alone: its last day
    assert parse_date("2024.2") == dt.date(2024, 2, 29)
    assert parse_date(dt.datetime(2023, 6, 30, 0, 0)) == dt.date(2023, 6, 30)
    assert parse_date(45107.0) == dt.date(2023, 6, 30)  # Excel's day count in a number-formatted cell
    assert parse_date("") is None and parse_date(None) is None
    for bad in ("6-7月", "2023-13-01", "2023-02-30", "下半年", 12.5):
        with pytest.raises(ValueError):
            parse_date(bad)


def test_register_with_merged_milestone_headers(engine):
    """The layout towns use: 开工 merged over 计划 | 实际, title row above, amounts in 万元."""
    head = ["项目名称", "企业名称", "年度计划投资", "开工", None, "主体结顶", None]
    data = xlsx_bytes({"2023年重点项目": [["2023年重点项目（单位：万元）"], head,
                                       [None, None, None, "计划", "实际", "计划", "实际"],
                                       ["石塔线缆扩建", "石塔线缆", 3500, "2023-01-31", "2023-02-10", "2023年5月", None]]},
                      merges={"2023年重点项目": ["D2:E2", "F2:G2"]})
    importing.import_bytes(engine, data, "项目.xlsx", operator=staff())
    (row,) = store.load_projects(engine, 2023).to_dict("records")
    assert (row["start_planned"], row["start_actual"], row["topping_planned"], row["topping_actual"]) == (
        "2023-01-31", "2023-02-10", "2023-05-31", None)
    assert row["plan_10k"] == 3500 and row["enterprise"] == "石塔线缆"
    assert row["manufacturing"] is True and row["inward"] is False  # blanks: a manufacturing, local project


def test_a_bad_project_sheet_is_refused_with_every_problem(engine):
    rows = [
        project("A项目", "甲企业", kind="新建厂房"),  # row 3: unknown kind
        project("B项目", "", plan=100),  # row 4: no enterprise
        project("C项目", "丙企业", dates=("2023-13-01",)),  # row 5: not a date
        project("D项目", "丁企业", made="也许"),  # row 6: not 是/否
        project("E项目", "戊企业", plan=-5),  # row 7: negative
        project("A项目", "甲企业"),  # row 8: the same project again
        project("F项目", "己企业", dates=("2023-01-01", "2099-01-01")),  # row 9: an actual date in the future
        project("G项目", "庚企业", total=1000, plan=3000),  # row 10: plan above the total
        project("H项目", "辛企业", contract=5000, inward="否"),  # row 11: a contract but not 市外内资
    ]
    with pytest.raises(ImportRefused) as refused:
        importing.import_bytes(engine, register_book(rows), "项目.xlsx", operator=staff())
    found = {(p.row, p.column) for p in refused.value.problems}
    assert found == {(3, "建设性质"), (4, "企业名称"), (5, "计划开工"), (6, "是否制造业"), (7, "年度计划投资（万元）"),
                     (8, "项目名称"), (9, "实际开工"), (10, "年度计划投资（万元）"), (11, "合同引资额（万元）")}
    assert all(p.sheet == "2023年重点项目" and p.file == "项目.xlsx" for p in refused.value.problems)
    messages = [p.describe() for p in refused.value.problems]
    assert any("第3行「建设性质」列的值“新建厂房”不是有效的建设性质" in m for m in messages)
    assert any("第9行" in m and "晚于今天" in m for m in messages)
    assert store.is_empty(engine) and store.load_projects(engine, 2023).empty


def test_progress_of_an_unregistered_project_is_refused(engine):
    importing.import_bytes(engine, register_book([project("A项目", "甲企业")]), "项目库.xlsx", operator=staff())
    with pytest.raises(ImportRefused) as refused:
        importing.import_bytes(engine, progress_book([["A项目", 2023, "1月", 100, None],
                                                  ["B项目", 2023, "1月", 50, None]]), "进度.xlsx", operator=staff())
    (problem,) = refused.value.problems
    assert (problem.row, problem.column, problem.value) == (3, "项目名称", "B项目")
    assert "不在2023年重点项目库中" in problem.reason
    assert store.load_project_progress(engine, 2023).empty


def test_progress_that_disagrees_with_stored_months_is_refused(engine):
    importing.import_bytes(engine, register_book([project("A项目", "甲企业")]), "项目库.xlsx", operator=staff())
    importing.import_bytes(engine, progress_book([["A项目", 2023, f"{m}月", 100, None] for m in (1, 2, 3)]), "1-3月.xlsx",
                           operator=staff())
    cumulative = xlsx_bytes({"2023年1-3月": [["项目名称", "1-3月累计完成投资（万元）"], ["A项目", 310]]})
    with pytest.raises(ImportRefused) as refused:
        importing.import_bytes(engine, cumulative, "累计.xlsx", operator=staff())
    (problem,) = refused.value.problems
    assert problem.row == 2 and "1-3月完成投资为 310.0万元" in problem.reason and "相差 10.0万元" in problem.reason
    agreeing = xlsx_bytes({"2023年1-3月": [["项目名称", "1-3月累计完成投资（万元）"], ["A项目", 300]]})
    assert importing.import_bytes(engine, agreeing, "累计.xlsx", operator=staff()).status == "imported"


def test_a_late_milestone_warns_from_the_day_after_its_planned_date(engine):
    rows = [project("A项目", "甲企业", dates=("2023-01-10", "2023-01-12", "2023-05-20", "2023-06-10"))]
    importing.import_bytes(engine, register_book(rows), "项目库.xlsx", operator=staff())

    april = figures(engine, 2023, 4).projects
    assert not april.table.late.iloc[0] and april.warnings.empty
    assert april.table.next_milestone.iloc[0] == "主体结顶"

    may = figures(engine, 2023, 5).projects  # looked at on 31 May: planned 20 May, not reached
    (warning,) = may.warnings.to_dict("records")
    assert (warning["rule"], warning["value"], warning["level"]) == ("milestone_late", 11, "橙")
    assert "主体结顶计划2023-05-20，滞后11天" == warning["detail"]

    # In the month it is due, looked at on the day itself it is not late yet; the day after it is.
    assert figures(engine, 2023, 5, today=dt.date(2023, 5, 20)).projects.warnings.empty
    assert figures(engine, 2023, 5, today=dt.date(2023, 5, 21)).projects.table.delay_days.iloc[0] == 1

    # Reached on 10 June (21 days late): June shows it done, the delay kept in its history.
    june = figures(engine, 2023, 6).projects
    assert june.warnings.empty and june.table.next_milestone.iloc[0] == "竣工"
    topping = june.table.milestones.iloc[0][1]
    assert topping.done and topping.days_late(june.as_of) == 21

    # A May view is judged on 31 May however late it is looked at.
    assert figures(engine, 2023, 5, today=dt.date(2023, 6, 19)).projects.table.delay_days.iloc[0] == 11
    # Red from `late_red_days` days late (30 by default): the setting moves it.
    assert figures(engine, 2023, 5, settings=ProjectSettings(late_red_days=12)).projects.warnings.level.tolist() == ["橙"]
    assert figures(engine, 2023, 5, settings=ProjectSettings(late_red_days=11)).projects.warnings.level.tolist() == ["红"]


MONTHS_A = (300, 250, 400, 350)  # 万元 per month, the manufacturing project
MONTHS_B = (100, 120, 80, 90)  # a project of the town that is not manufacturing
MONTHS_C = (500, 0, 700, 600)  # manufacturing, 市外内资, with capital received


def three_projects(engine):
    rows = [project("A项目", "甲企业", total=8000, plan=3600, signed="2023-02-01"),
            project("B项目", "乙企业", made="否", total=2000, plan=1000, signed="2023-03-01"),
            project("C项目", "丙企业", total=30000, plan=6000, inward="是", contract=30000, signed="2023-03-20"),
            project("D项目", "丁企业", total=12000, plan=0, inward="是", contract=12000, signed="2022-11-11")]
    importing.import_bytes(engine, register_book(rows), "项目库.xlsx", operator=staff())
    received = {1: 2000, 3: 1500}
    progress = [[name, 2023, f"{m}月", months[m - 1], received.get(m) if name == "C项目" else None]
                for name, months in (("A项目", MONTHS_A), ("B项目", MONTHS_B), ("C项目", MONTHS_C))
                for m in range(1, 5)]
    importing.import_bytes(engine, progress_book(progress), "进度.xlsx", operator=staff())


def test_projects_stand_beside_the_entered_figures(engine):
    """Key projects are part of the town's total: an entered figure is the actual, the projects' sum
    stands beside it (flagged when larger); projects fill only what nothing is entered for. (Until
    issue 22 the projects' sum replaced the entered figure.)"""
    three_projects(engine)
    goals = xlsx_bytes({"2023年目标": [["年份", "指标", "单位", "年度目标", "1-3月完成"],
                                     [2023, "完成制造业投资", "亿元", 2, 0.99],
                                     [2023, "引进大项目", "个", 2, 0],
                                     [2023, "合同引进市外内资", "亿元", 4, 0.1],
                                     [2023, "实际到位市外内资", "亿元", 2.2, 0.1],
                                     [2023, "完成征地工业用地面积", "亩", 314, 62]]})
    importing.import_bytes(engine, goals, "目标.xlsx", operator=staff())
    targets = {t.indicator: t for t in figures(engine, 2023, 3).targets}
    invested = sum(MONTHS_A[:3]) + sum(MONTHS_C[:3])  # manufacturing only, January to March
    made = targets["manufacturing_investment"]
    assert (made.actual, made.source) == (pytest.approx(9900), "entered")  # 0.99亿元 as entered
    assert made.completion == pytest.approx(9900 / 20000)
    assert made.projects_actual == pytest.approx(invested) and made.projects_exceed is False
    # Signed in 2023 with a total of at least 1亿元: C only (D was signed in 2022, A is smaller): one
    # big project against 0 entered, flagged.
    assert (targets["major_projects"].actual, targets["major_projects"].projects_actual) == (0, 1)
    assert targets["major_projects"].projects_exceed is True
    assert targets["contracted_capital"].actual == pytest.approx(1000)
    assert targets["contracted_capital"].projects_actual == pytest.approx(30000)
    assert targets["actual_capital"].projects_actual == pytest.approx(2000 + 1500)
    assert targets["actual_capital"].projects_exceed is True
    assert targets["land_acquired"].source == "entered" and targets["land_acquired"].actual == 62
    assert targets["land_acquired"].projects_actual is None
    # The threshold is a setting: at 5000万元, A (8000) counts too.
    lower = figures(engine, 2023, 3, settings=ProjectSettings(big_project_min_10k=5000))
    assert {t.indicator: t for t in lower.targets}["major_projects"].projects_actual == 2
    # February: nothing entered yet (the figures are for 1-3月), so the projects fill the actuals;
    # C was not signed yet, so it is neither a big project nor a contract.
    february = {t.indicator: t for t in figures(engine, 2023, 2).targets}
    assert february["major_projects"].source == "projects"
    assert february["major_projects"].actual == 0 and february["contracted_capital"].actual == 0
    made = february["manufacturing_investment"]
    assert made.source == "projects" and made.actual == pytest.approx(sum(MONTHS_A[:2]) + sum(MONTHS_C[:2]))
    assert made.projects_exceed is False


def test_investment_behind_its_plan_warns(engine):
    three_projects(engine)
    book = figures(engine, 2023, 4).projects
    completion = {"A项目": sum(MONTHS_A) / 3600, "B项目": sum(MONTHS_B) / 1000, "C项目": sum(MONTHS_C) / 6000}
    got = dict(zip(book.table.name, book.table.completion))
    assert got["A项目"] == pytest.approx(completion["A项目"]) and got["C项目"] == pytest.approx(completion["C项目"])
    assert got["D项目"] != got["D项目"]  # no plan this year: no rate, never a division by 0
    # 序时进度 of April is 1/3: A is at 36.1% (ahead), B at 39%, C at 30% (3.3 points behind: no warning
    # at the default 5 points); at 3 points C warns blue.
    assert book.warnings.empty
    strict = figures(engine, 2023, 4, settings=ProjectSettings(behind_blue=-0.03)).projects
    assert strict.warnings[["name", "rule", "level"]].values.tolist() == [["C项目", "investment_behind", "蓝"]]


def test_summary_json_lists_projects_and_sums_them(engine, db, tmp_path):
    three_projects(engine)
    importing.import_bytes(engine, xlsx_bytes({"2023年目标": [["年份", "指标", "单位", "年度目标"],
                                                        [2023, "完成制造业投资", "亿元", 2]]}), "目标.xlsx", operator=staff())
    data = json.loads(cli("summary", "--year", "2023", "--through", "M04", "--json", db=db).stdout)
    by_name = {p["name"]: p for p in data["projects"]}
    assert set(by_name) == {"A项目", "B项目", "C项目", "D项目"}
    assert by_name["A项目"]["invested_10k"] == sum(MONTHS_A) and by_name["A项目"]["planned_10k"] == 3600
    assert by_name["B项目"]["manufacturing"] is False and by_name["C项目"]["enterprise"] == "丙企业"
    assert by_name["D项目"]["invested_10k"] == 0  # recorded, nothing reported: 0 while others report
    assert all({"sector", "late", "next_milestone"} <= set(p) for p in data["projects"])
    (target,) = [t for t in data["targets"] if t["indicator"] == "manufacturing_investment"]
    made = [p["invested_10k"] for p in data["projects"] if p["manufacturing"]]
    assert target["actual"] == pytest.approx(sum(made)) == pytest.approx(sum(MONTHS_A) + sum(MONTHS_C))


def test_without_projects_the_typed_figure_stands(engine):
    importing.import_bytes(engine, xlsx_bytes({"2023年目标": [["年份", "指标", "单位", "年度目标", "1-3月完成"],
                                                        [2023, "完成制造业投资", "亿元", 2, 0.5]]}), "目标.xlsx", operator=staff())
    (target,) = figures(engine, 2023, 3).targets
    assert (target.source, target.actual) == ("entered", 5000)
    assert figures(engine, 2023, 3).projects is None


def test_undo_of_a_project_import_restores_what_was_there(engine):
    first = importing.import_bytes(engine, register_book([project("A项目", "新企业", plan=2000, issues="用地")]), "v1.xlsx",
                                   operator=staff())
    second = importing.import_bytes(engine, register_book([project("A项目", "新企业", plan=2500, issues=None)]), "v2.xlsx",
                                    operator=staff())
    assert second.replaced == ["2023年重点项目「A项目」"]
    assert store.load_projects(engine, 2023).plan_10k.tolist() == [2500]
    store.undo_import(engine, second.import_id, operator=staff())
    (row,) = store.load_projects(engine, 2023).to_dict("records")
    assert (row["plan_10k"], row["issues"]) == (2000, "用地")
    progress = importing.import_bytes(engine, progress_book([["A项目", 2023, "1月", 100, None]]), "进度.xlsx",
                                      operator=staff())
    # The project's progress would be left without its project: the register waits for it.
    with pytest.raises(ValueError, match=f"请先撤销导入 {progress.import_id}"):
        store.undo_import(engine, first.import_id, operator=staff())
    store.undo_import(engine, progress.import_id, operator=staff())
    assert store.load_project_progress(engine, 2023).empty
    store.undo_import(engine, first.import_id, operator=staff())
    assert store.load_projects(engine, 2023).empty
    assert store.load_enterprises(engine).empty  # the enterprise the first import created is gone too


def test_a_project_names_an_enterprise_of_the_register(engine):
    importing.import_bytes(engine, xlsx_bytes({"名录": [["企业名称", "所属行业", "是否规上"], ["卓尔五金", "五金", "是"]]}),
                       "名录.xlsx", operator=staff())
    importing.import_bytes(engine, register_book([project("二期", "卓尔五金", sector="")]), "项目库.xlsx", operator=staff())
    (row,) = store.load_projects(engine, 2023).to_dict("records")
    assert row["sector"] == "hardware"  # from the register, when the project states none
    assert len(store.load_enterprises(engine)) == 1


def test_prefilled_templates_import_as_written(engine):
    import io

    import openpyxl

    from lakou_metrics.output.templates import build_prefilled_progress, build_prefilled_projects

    rows = [project("A项目", "甲企业", plan=2000, dates=("2023-01-10", "2023-01-12", "2023-05-20")),
            project("B项目", "乙企业", plan=900, inward="是", contract=1500, signed="2023-02-02")]
    importing.import_bytes(engine, register_book(rows), "项目库.xlsx", operator=staff())
    importing.import_bytes(engine, progress_book([["A项目", 2023, "1月", 120, None], ["B项目", 2023, "1月", 80, 300]]),
                       "1月.xlsx", operator=staff())
    register = store.load_projects(engine, 2023)
    # The register template, downloaded and uploaded untouched, changes nothing.
    again = importing.import_bytes(engine, build_prefilled_projects(register, 2023), "预填项目库.xlsx", operator=staff())
    assert again.status == "unchanged"
    # The February progress template lists both projects with January's figures for reference.
    book = openpyxl.load_workbook(io.BytesIO(build_prefilled_progress(
        register, store.load_project_progress(engine, 2023), Period.month(2023, 2))))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:5] == ["年份", "月份", "项目名称", "本月完成投资（万元）", "本月到位资金（万元）"]
    listed = {r[2]: r[5] for r in sheet.iter_rows(min_row=2, values_only=True) if r[2]}
    assert listed == {"A项目": 120, "B项目": 80}
    for row, (invested, received) in zip(sheet.iter_rows(min_row=2), ((130, None), (70, 200))):
        row[3].value, row[4].value = invested, received
    buffer = io.BytesIO()
    book.save(buffer)
    importing.import_bytes(engine, buffer.getvalue(), "2月.xlsx", operator=staff())
    made = {p["name"]: p for p in projects_json(
        figures(engine, 2023, 2).projects)}
    assert made["A项目"]["invested_10k"] == 120 + 130 and made["B项目"]["invested_10k"] == 80 + 70
    assert made["B项目"]["received_10k"] == 300 + 200
    # Next year's register starts from this year's projects still being built, plans left blank.
    carried = register[register.production_actual.isna()]
    importing.import_bytes(engine, build_prefilled_projects(carried, 2024), "2024项目库.xlsx", operator=staff())
    next_year = store.load_projects(engine, 2024).set_index("name")
    assert set(next_year.index) == {"A项目", "B项目"} and next_year.plan_10k.isna().all()
    assert next_year.loc["A项目", "topping_planned"] == "2023-05-20"


def test_the_computed_export_has_the_projects(engine):
    from lakou_metrics.output.export import computed_tables

    three_projects(engine)
    tables = computed_tables(figures(engine, 2023, 4))
    sheet = tables["重点项目"].set_index("项目名称")
    assert sheet.loc["A项目", "本年完成投资（万元）"] == sum(MONTHS_A)
    assert sheet.loc["C项目", "投资完成率"] == pytest.approx(sum(MONTHS_C) / 6000)
    assert list(sheet["是否滞后"]) == ["否"] * 4


def test_a_column_the_register_cannot_read_is_said(engine):
    """开工时间 says neither 计划 nor 实际: it is not guessed, and not dropped without a word."""
    sheet = [["2023年重点项目"], ["项目名称", "企业名称", "年度计划投资", "开工时间"], ["A项目", "甲企业", 100, "2023-03-01"]]
    outcome = importing.import_bytes(engine, xlsx_bytes({"2023年重点项目": sheet}), "项目库.xlsx", operator=staff())
    (warning,) = [w for w in outcome.warnings if "无法识别" in w.reason]
    assert "「开工时间」" in warning.reason and warning.row == 2
    assert store.load_projects(engine, 2023).start_planned.isna().all()


def test_templates_and_the_sample_have_no_unread_columns():
    import io

    import openpyxl
    from sample_rows import SAMPLE

    from lakou_metrics.output.templates import TEMPLATES, build_template

    books = [(p.read_bytes(), p.name) for p in SAMPLE.glob("*重点项目*.xlsx")]
    for key in ("projects", "progress"):  # each template with its own example row filled in
        wb = openpyxl.load_workbook(io.BytesIO(build_template(key)))
        wb.worksheets[0].append(list(TEMPLATES[key].example))
        buffer = io.BytesIO()
        wb.save(buffer)
        books.append((buffer.getvalue(), f"{key}.xlsx"))
    assert len(books) == 3
    for data, name in books:
        warnings = importing.read_and_clean(data, name).warnings
        assert not [w for w in warnings if "无法识别" in w.reason], name


# -- 序时进度 from a project's start ------------------------------------------------------------
D = dt.date


@pytest.mark.parametrize(("start", "through", "expected"), [
    pytest.param(None, 3, 3 / 12, id="no start recorded: from January"),
    pytest.param(D(2022, 10, 31), 3, 3 / 12, id="started last year: from January"),
    pytest.param(D(2023, 1, 1), 5, 5 / 12, id="starts on 1 January: the official months / 12"),
    pytest.param(D(2023, 4, 30), 3, 0.0, id="30 April, end of March: not started, 0"),
    # April 30 itself (1 of April's 30 days), May and June: 2 + 1/30 months of the 8 + 1/30 to 31 Dec.
    pytest.param(D(2023, 4, 30), 6, (2 + 1 / 30) / (8 + 1 / 30), id="30 April, end of June"),
    pytest.param(D(2023, 4, 1), 6, 3 / 9, id="1 April, end of June: April to June of April to December"),
    pytest.param(D(2023, 4, 30), 12, 1.0, id="30 April, end of December: all of it"),
    pytest.param(D(2023, 12, 31), 11, 0.0, id="31 December, end of November: not started"),
    pytest.param(D(2024, 2, 1), 12, 0.0, id="starts next year: 0 all year"),
])
def test_a_project_schedule_runs_from_its_start_to_the_year_end(start, through, expected):
    from lakou_metrics.compute.projects import compute_project_schedule

    assert compute_project_schedule(start, 2023, through) == pytest.approx(expected)


def starting_late(engine):
    """二期 planned to start on 30 April (started 20 April), a project without a start beside it, and
    their investment January to June."""
    rows = [project("二期", "卓尔五金", total=12000, plan=5000, dates=("2023-04-30", "2023-04-20")),
            project("A项目", "甲企业", plan=3000)]
    importing.import_bytes(engine, register_book(rows), "项目库.xlsx", operator=staff())
    months = {"二期": (0, 0, 0, 100, 200, 300), "A项目": (250,) * 6}
    importing.import_bytes(engine, progress_book([[name, 2023, f"{m}月", values[m - 1], None]
                                                  for name, values in months.items() for m in range(1, 7)]),
                           "进度.xlsx", operator=staff())


def test_nothing_is_behind_before_the_project_starts(engine):
    from lakou_metrics.domain import style

    starting_late(engine)
    book = figures(engine, 2023, 3).projects
    second = book.table.set_index("name").loc["二期"]
    assert second.schedule == 0 and second.gap == 0 and second.before_start
    assert not book.table.set_index("name").loc["A项目", "before_start"]
    # Against a January straight line 二期 would be 25 points behind (red); it is not behind at all.
    assert book.warnings.empty
    statuses = {t.name: t.status for t in book.plan_targets()}
    assert statuses == {"二期": style.NOT_STARTED.code, "A项目": style.AHEAD.code}
    # All plans together: A's 3/12 of its 3000 and 二期's nothing of its 5000 were due.
    money = book.investment()
    assert money.schedule == pytest.approx(3000 * 3 / 12 / 8000)
    assert money.gap == pytest.approx(float(points_between(250 * 3 / 8000, 3000 * 3 / 12 / 8000)) / 100)
    made = {p["name"]: p for p in projects_json(book)}
    assert made["二期"]["not_started"] is True and made["二期"]["schedule_start"] == "2023-04-30"
    assert made["A项目"]["schedule_start"] is None and made["A项目"]["schedule"] == pytest.approx(0.25)


def test_after_its_start_a_project_is_judged_from_its_start(engine):
    starting_late(engine)
    book = figures(engine, 2023, 6).projects
    second = book.table.set_index("name").loc["二期"]
    share = (2 + 1 / 30) / (8 + 1 / 30)  # 30 April (1 day of 30), May, June; of 30 April to 31 December
    invested = 100 + 200 + 300
    assert not second.before_start
    assert second.schedule == pytest.approx(share)
    # 12.0% against 25.3% as shown: 13.3 points behind
    assert second.gap == pytest.approx(float(points_between(invested / 5000, share)) / 100)
    (warning,) = book.warnings.to_dict("records")
    assert (warning["name"], warning["rule"], warning["level"]) == ("二期", "investment_behind", "橙")
    assert warning["detail"].endswith("（自4月30日开工起算）")
    money = book.investment()
    assert money.schedule == pytest.approx((3000 * 6 / 12 + 5000 * share) / 8000)


# -- carrying unfinished projects into the next year -------------------------------------------
def year_to_date_book(year, invested: dict[str, float]) -> bytes:
    """Each project's investment January to December, as one year-to-date figure."""
    return xlsx_bytes({"进度": [["项目名称", "年份", "月份", "1-12月累计完成投资（万元）"],
                              *[[n, year, "12月", v] for n, v in invested.items()]]})


def carry_years(engine):
    """2022 and 2023 registers with progress, and a 2024 register holding one project already."""
    importing.import_bytes(engine, register_book([project("老项目", "丙企业", total=9000, plan=4000)], year=2022),
                           "2022项目库.xlsx", operator=staff())
    importing.import_bytes(engine, year_to_date_book(2022, {"老项目": 4000}), "2022进度.xlsx", operator=staff())
    rows = [
        project("在建", "甲企业", total=6000, plan=3000, contact="王海涛",
                dates=("2023-02-01", "2023-02-10", "2023-09-30", None, "2024-03-31", None, "2024-06-30")),
        project("完工", "乙企业", total=2000, plan=2000,
                dates=("2023-01-10", "2023-01-10", "2023-03-31", "2023-03-31", "2023-06-30", "2023-06-30",
                       "2023-07-31", "2023-07-20")),
        project("投产未完投资", "丁企业", total=8000, plan=3000,
                dates=(None, None, None, None, "2023-05-31", "2023-05-31", "2023-06-30", "2023-06-30")),
        project("已登记", "戊企业", total=5000, plan=2500),
        project("老项目", "丙企业", total=9000, plan=5000, issues="资金"),
    ]
    importing.import_bytes(engine, register_book(rows), "2023项目库.xlsx", operator=staff())
    importing.import_bytes(engine, year_to_date_book(
        2023, {"在建": 2500, "完工": 2000, "投产未完投资": 3000, "已登记": 1000, "老项目": 4500}), "2023进度.xlsx", operator=staff())
    importing.import_bytes(engine, register_book([project("已登记", "戊企业", total=5000, plan=900)], year=2024),
                           "2024项目库.xlsx", operator=staff())


def test_the_carry_over_preview_lists_the_unfinished_and_writes_nothing(engine):
    from lakou_metrics.carry_over import preview_carry_over

    carry_years(engine)
    before = len(store.list_imports(engine))
    preview = preview_carry_over(engine, 2024)
    got = preview.plan.carry.set_index("name")
    # 完工 reached 竣工 and 投产 and spent its total: it stays in 2023. 已登记 is in 2024 already.
    assert set(got.index) == {"在建", "投产未完投资", "老项目"}
    assert preview.plan.kept == ["已登记"]
    # Remaining plan = total − investment of every registered year (老项目: 4000 in 2022, 4500 in 2023).
    assert got.plan_10k.to_dict() == {"在建": 6000 - 2500, "投产未完投资": 8000 - 3000, "老项目": 9000 - 4000 - 4500}
    assert got.invested_to_date_10k.to_dict() == {"在建": 2500, "投产未完投资": 3000, "老项目": 8500}
    # Unfinished by its milestones: ticked; only short of its total: offered, not ticked.
    assert got.suggested.to_dict() == {"在建": True, "投产未完投资": False, "老项目": True}
    assert got.loc["在建", "reason"].startswith("竣工、投产尚未完成")
    assert got.loc["投产未完投资", "reason"] == "已完成投资3000.0万元，不到总投资8000.0万元"
    assert len(store.list_imports(engine)) == before
    assert store.load_projects(engine, 2024).name.tolist() == ["已登记"]


def test_carrying_over_stores_one_undoable_import_and_never_overwrites(engine):
    from lakou_metrics.carry_over import carry_over_projects, preview_carry_over

    carry_years(engine)
    preview = preview_carry_over(engine, 2024)
    outcome = carry_over_projects(engine, preview, operator=staff(name="小王"))
    register = store.load_projects(engine, 2024).set_index("name")
    assert set(register.index) == {"已登记", "在建", "老项目"}
    assert register.loc["已登记", "plan_10k"] == 900  # already there: left as it was
    built = register.loc["在建"]
    assert (built.plan_10k, built.total_10k, built.enterprise, built.contact) == (3500, 6000, "甲企业", "王海涛")
    # The milestones not reached keep their planned dates; the reached ones their history.
    assert (built.completion_planned, built.production_planned) == ("2024-03-31", "2024-06-30")
    assert pd.isna(built.completion_actual) and built.start_actual == "2023-02-10"
    assert register.loc["老项目", "issues"] == "资金" and register.loc["老项目", "plan_10k"] == 500
    latest = store.list_imports(engine).iloc[0]
    assert int(latest.id) == outcome.import_id and latest.file_name == "结转2023年未完成重点项目到2024年项目库.xlsx"
    # In 2024 the carried project started last year: its schedule runs from January.
    book = figures(engine, 2024, 3).projects
    assert book.table.set_index("name").loc["在建", "schedule"] == pytest.approx(3 / 12)
    store.undo_import(engine, outcome.import_id, operator=staff())
    assert store.load_projects(engine, 2024).name.tolist() == ["已登记"]
    # Staff may choose: the one only short of its total, on its own.
    chosen = carry_over_projects(engine, preview_carry_over(engine, 2024), ["投产未完投资"], operator=staff(name="小王"))
    assert chosen is not None
    assert set(store.load_projects(engine, 2024).name) == {"已登记", "投产未完投资"}


def test_a_change_after_the_carry_over_preview_stops_it(engine):
    from lakou_metrics.carry_over import carry_over_projects, preview_carry_over

    carry_years(engine)
    preview = preview_carry_over(engine, 2024)
    # Someone registers 在建 for 2024 meanwhile: the preview's rows would overwrite it.
    importing.import_bytes(engine, register_book([project("在建", "甲企业", total=6000, plan=1234)], year=2024),
                           "又一个.xlsx", operator=staff())
    with pytest.raises(store.DataChanged):
        carry_over_projects(engine, preview, operator=staff(name="小王"))
    assert store.load_projects(engine, 2024).set_index("name").loc["在建", "plan_10k"] == 1234
    assert set(preview_carry_over(engine, 2024).plan.kept) == {"已登记", "在建"}
