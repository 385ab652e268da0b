"""The cockpit row of 总览 (compute/cockpit.py) against figures worked out by hand from the rows
each test writes: lagging targets worst first, projects on plan and late, the town among its peers
(the county's towns, else the entered sheet) and the last years' output and growth."""
import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from conftest import long_rows, staff, xlsx_bytes
from test_metrics import _observations
from test_projects import figures, progress_book, project, register_book

from lakou_metrics import importing, store
from lakou_metrics.compute.cockpit import (
    compare_peers,
    compute_annual_trend,
    summarise_projects,
    summarise_targets,
)
from lakou_metrics.compute.metrics import Ledger, compute_aggregate, compute_enterprise_figures
from lakou_metrics.compute.report import compute_year_to_date, load_year_to_date
from lakou_metrics.domain.periods import Period
from lakou_metrics.ingest.errors import ImportRefused

SHANGHAI = ZoneInfo("Asia/Shanghai")  # the town's zone ([display] timezone's default)
NO_ACTUALS = pd.DataFrame({"indicator": pd.Series([], dtype=str), "last_month": pd.Series([], dtype=int),
                           "actual": pd.Series([], dtype=float)})


def _ytd(rows, year, through, goals=None, actuals=NO_ACTUALS, town="腊口镇"):
    ytd = compute_year_to_date(Ledger(_observations(rows)), Period.ytd(year, through), goals or {}, actuals, {})
    ytd.town = town
    return ytd


# Last year 1-6月 200, full year 400; this year 1-6月 180 (all enterprises), of which 规上 A 150.
ROWS = [(1, "A", "hardware", True, 2023, 1, 6, 160.0, None), (1, "A", "hardware", True, 2023, 7, 12, 160.0, None),
        (2, "B", "metals", False, 2023, 1, 6, 40.0, None), (2, "B", "metals", False, 2023, 7, 12, 40.0, None),
        (1, "A", "hardware", True, 2024, 1, 6, 150.0, None), (2, "B", "metals", False, 2024, 1, 6, 30.0, None)]


def test_lagging_targets_are_named_worst_first_and_those_on_course_are_left_out():
    goals = {"total_output": 400.0,  # 180 / 400 = 45.0% against 序时 50.0%: −5.0 points, 落后
             "total_output_growth": 0.10,  # 180 / 200 − 1 = −10.0%: 20.0 points short
             "above_scale_output": 280.0,  # 150 / 280 = 53.6%: ahead of 50%
             "land_acquired": 314.0}  # entered 100 as of 3月: 31.8% against 25.0%, ahead
    actuals = pd.DataFrame({"indicator": ["land_acquired"], "last_month": [3], "actual": [100.0]})
    line = summarise_targets(_ytd(ROWS, 2024, 6, goals, actuals).targets)
    assert line.judged == 4
    assert [t.indicator for t in line.lagging] == ["total_output_growth", "total_output"]
    assert line.lagging[0].gap == pytest.approx(180 / 200 - 1 - 0.10)
    assert line.lagging[1].gap == pytest.approx(180 / 400 - 6 / 12)


def test_a_target_without_a_figure_is_neither_judged_nor_lagging():
    line = summarise_targets(_ytd(ROWS, 2024, 6, {"land_acquired": 314.0}).targets)
    assert line.judged == 0 and line.lagging == ()


def test_projects_on_plan_and_late_longest_delay_first(engine):
    rows = [project("A项目", "甲企业", dates=("2023-01-10", "2023-01-12", "2023-05-20", "2023-06-10")),
            project("B项目", "乙企业", dates=("2023-04-01",)),  # 开工 planned 1 April, not started
            project("C项目", "丙企业", dates=("2023-01-05", "2023-01-05"))]
    importing.import_bytes(engine, register_book(rows), "项目库.xlsx", operator=staff())
    line = summarise_projects(figures(engine, 2023, 5).projects)  # looked at on 31 May
    assert line.recorded == 3
    # A: 主体结顶 due 20 May → 11 days; B: 开工 due 1 April → 60 days; C keeps its plan.
    assert [(p.name, p.milestone, p.days) for p in line.late] == [("B项目", "开工", 60), ("A项目", "主体结顶", 11)]
    assert (line.on_plan, line.waiting) == (1, 0)


def test_a_project_before_its_planned_start_waits_and_is_not_on_plan(engine):
    rows = [project("A项目", "甲企业", dates=("2023-01-10", "2023-01-12")),
            project("D项目", "丁企业", dates=("2023-09-01",))]  # 开工 planned 1 September
    importing.import_bytes(engine, register_book(rows), "项目库.xlsx", operator=staff())
    line = summarise_projects(figures(engine, 2023, 5).projects)
    assert (line.recorded, line.on_plan, line.waiting, line.late) == (2, 1, 1, ())


def test_a_project_behind_its_investment_schedule_is_named_with_its_gap(engine):
    rows = [project("A项目", "甲企业", plan=1200), project("B项目", "乙企业", plan=1200)]
    importing.import_bytes(engine, register_book(rows), "项目库.xlsx", operator=staff())
    # 1-6月: A 600 of 1200 = 50% (序时 50%), B 300 = 25%: 25 points behind.
    book = progress_book([[name, 2023, f"{m}月", each, None] for name, each in (("A项目", 100), ("B项目", 50))
                          for m in range(1, 7)])
    importing.import_bytes(engine, book, "进度.xlsx", operator=staff())
    line = summarise_projects(figures(engine, 2023, 6).projects)
    # 按计划推进 counts milestones, as the 重点项目 page and the briefing do; B's investment is said apart.
    assert (line.recorded, line.on_plan, line.late, line.waiting) == (2, 2, (), 0)
    assert [(name, round(gap, 6)) for name, gap in line.behind] == [("B项目", -0.25)]


def test_a_year_without_projects_says_none_are_recorded():
    line = summarise_projects(None)
    assert (line.recorded, line.on_plan, line.late) == (0, 0, ())


def test_peers_from_the_county_rank_the_town_and_put_the_neighbour_first():
    ours = _ytd(ROWS, 2024, 6)  # 180, 同比 −10.0%
    wenxi = _ytd([(1, "W", "metals", True, 2023, 1, 6, 500.0, None), (1, "W", "metals", True, 2024, 1, 6, 600.0, None)],
                 2024, 6, town="温溪镇")  # 600, +20.0%
    other = _ytd([(1, "Q", "metals", True, 2023, 1, 6, 100.0, None), (1, "Q", "metals", True, 2024, 1, 6, 110.0, None)],
                 2024, 6, town="船寮镇")  # 110, +10.0%
    line = compare_peers(ours, {"船寮镇": other, "腊口镇": ours, "温溪镇": wenxi}, pd.DataFrame(), zone=SHANGHAI)
    assert (line.source, line.rank, line.ranked) == ("county", 2, 3)
    assert [p.town for p in line.peers] == ["温溪镇", "船寮镇"]
    wx, cl = line.peers
    assert (wx.value_10k, wx.gap_10k) == (600.0, 180.0 - 600.0)
    assert wx.yoy == pytest.approx(0.20) and wx.gap_points == pytest.approx(-0.10 - 0.20)
    assert cl.gap_10k == pytest.approx(70.0) and cl.gap_points == pytest.approx(-0.20)


def test_the_rank_says_how_many_of_the_county_s_towns_have_reported():
    from lakou_metrics.output.text import describe_rank

    ours = _ytd(ROWS, 2024, 6)  # 180
    wenxi = _ytd([(1, "W", "metals", True, 2024, 1, 6, 600.0, None)], 2024, 6, town="温溪镇")
    silent = _ytd([(1, "Q", "metals", True, 2023, 1, 6, 100.0, None)], 2024, 6, town="船寮镇")  # no 2024 rows
    line = compare_peers(ours, {"船寮镇": silent, "腊口镇": ours, "温溪镇": wenxi}, pd.DataFrame(), zone=SHANGHAI)
    assert (line.rank, line.ranked, line.towns) == (2, 2, 3)
    assert [p.town for p in line.peers] == ["温溪镇"]
    assert describe_rank(line) == "全县3个乡镇中已报2个，产值在已报乡镇中排第2"
    everyone = compare_peers(ours, {"腊口镇": ours, "温溪镇": wenxi}, pd.DataFrame(), zone=SHANGHAI)
    assert describe_rank(everyone) == "全县2个乡镇中产值排第2"


def test_peers_from_the_entered_sheet_say_their_file_and_day():
    entered = pd.DataFrame({"town": ["船寮镇", "温溪镇", "温溪镇"],
                            "indicator": ["total_output", "total_output", "total_output_growth"],
                            "value": [90.0, 500.0, 0.05], "file_name": ["a.xlsx", "对比.xlsx", "对比.xlsx"],
                            "imported_at": ["2024-07-01T09:00:00+08:00", "2024-07-03T10:00:00+08:00",
                                            "2024-07-03T10:00:00+08:00"]})
    line = compare_peers(_ytd(ROWS, 2024, 6), None, entered, zone=SHANGHAI)
    assert (line.source, line.rank, line.file_name, line.loaded_on) == ("entered", None, "对比.xlsx", "2024-07-03")
    wx, cl = line.peers
    assert (wx.town, wx.gap_10k) == ("温溪镇", -320.0) and wx.gap_points == pytest.approx(-0.15)
    assert (cl.town, cl.yoy, cl.gap_points, cl.gap_10k) == ("船寮镇", None, None, 90.0)


def test_without_peers_there_is_nothing_to_compare():
    alone = {"腊口镇": _ytd(ROWS, 2024, 6)}
    assert compare_peers(_ytd(ROWS, 2024, 6), alone, pd.DataFrame(), zone=SHANGHAI).source == "none"


def _monthly(year, *enterprises):
    """One file of monthly rows, (name, months, each) per enterprise: an import replaces the
    periods it holds, so a year's months come in one file."""
    return xlsx_bytes({"产值": long_rows([(year, m, name, "五金", True, each)
                                          for name, months, each in enterprises for m in months])})


def _span_sheet(sheet, values, prior=None):
    header = ["企业名称", "行业", "产值（万元）"] + (["上年同期"] if prior else [])
    return xlsx_bytes({sheet: [header] + [[n, "五金", v] + ([prior[n]] if prior else []) for n, v in values.items()]})


@pytest.fixture
def trend_engine(engine):
    """Four years of one town in every shape a year's figures come in (figures in 万元):
    2021 A monthly 12×10 = 120, C monthly 12×5 = 60;
    2022 A by quarters 30+40+40+40 = 150; B new from July, monthly 6×10 = 60; E new, monthly 12×1 = 12;
         C silent;
    2023 A year to date 1-6月 80 and 1-12月 180 with the sheet's 上年同期 160; B monthly 12×10 = 120;
         D new from March, monthly 10×1 = 10; E misses January (it produced last year: no figure);
    2024 A monthly 6×20 = 120 (1-6月)."""
    files = [_monthly(2021, ("甲", range(1, 13), 10.0), ("丙", range(1, 13), 5.0)),
             *(_span_sheet(f"2022年{q}季度", {"甲": v}) for q, v in zip("一二三四", (30.0, 40.0, 40.0, 40.0))),
             _monthly(2022, ("乙", range(7, 13), 10.0), ("戊", range(1, 13), 1.0)),
             _span_sheet("2023年1-6月", {"甲": 80.0}), _span_sheet("2023年1-12月", {"甲": 180.0}, {"甲": 160.0}),
             _monthly(2023, ("乙", range(1, 13), 10.0), ("丁", range(3, 13), 1.0), ("戊", range(2, 13), 1.0)),
             _monthly(2024, ("甲", range(1, 7), 20.0))]
    for n, data in enumerate(files):
        importing.import_bytes(engine, data, f"{n}.xlsx", operator=staff())
    return store.for_town(engine, "腊口镇")


def test_the_trend_gives_each_years_output_and_growth_oldest_first_with_no_year_read(trend_engine, monkeypatch):
    ytd, _ = load_year_to_date(trend_engine, Period.ytd(2024, 6))

    def refuse(engine, year):
        raise AssertionError(f"the trend read {year}'s rows")

    monkeypatch.setattr(store, "load_year_spans", refuse)
    points = compute_annual_trend(store.load_annual_spans(trend_engine), ytd)
    assert [(p.year, p.last, p.value_10k) for p in points] == [
        (2021, 12, 180.0), (2022, 12, 222.0), (2023, 12, 310.0), (2024, 6, 120.0)]
    # 2021: no year before, no 上年同期 in the sheets: no base.
    # 2022: against A's 120 (C is silent; B and E are new, base 0): 222 / 120.
    # 2023: A against its sheet's 160, B against its 60, D new (0); E has no figure: 310 / 220.
    # 2024 1-6月: A against its own 1-6月 80, as the headline says.
    assert points[0].yoy is None
    assert [p.yoy for p in points[1:]] == pytest.approx([222 / 120 - 1, 310 / 220 - 1, 120 / 80 - 1])
    assert points[-1].yoy == ytd.total.yoy


def test_the_trend_agrees_with_the_ledger_year_by_year(trend_engine):
    ytd, ledger = load_year_to_date(trend_engine, Period.ytd(2024, 6))
    points = compute_annual_trend(store.load_annual_spans(trend_engine), ytd)
    for point in points[:-1]:
        agg = compute_aggregate(compute_enterprise_figures(ledger, Period.ytd(point.year, point.last)))
        assert (point.value_10k, point.yoy) == (pytest.approx(agg.value), pytest.approx(agg.yoy)), point.year


@pytest.mark.parametrize(("years", "expected"), [
    pytest.param(3, [2022, 2023, 2024], id="three years"),
    pytest.param(5, [2021, 2022, 2023, 2024], id="five years, four stored"),
    pytest.param(1, [2024], id="this year alone"),
])
def test_the_trend_keeps_the_last_years(trend_engine, years, expected):
    ytd, _ = load_year_to_date(trend_engine, Period.ytd(2024, 6))
    assert [p.year for p in compute_annual_trend(store.load_annual_spans(trend_engine), ytd, years)] == expected


def test_the_entered_peer_sheet_keeps_its_file_and_load_time(engine):
    sheet = xlsx_bytes({"对比": [["乡镇", "年份", "期间", "指标", "单位", "数值"],
                                 ["温溪镇", 2024, "1-6月", "工业总产值", "万元", 500]]})
    importing.import_bytes(engine, sheet, "温溪镇对比.xlsx", operator=staff())
    peer = store.for_town(engine, "腊口镇")
    found = store.load_peer_figures(peer, 2024, 6)
    assert found[["town", "indicator", "value", "file_name"]].values.tolist() == [
        ["温溪镇", "total_output", 500.0, "温溪镇对比.xlsx"]]
    assert dt.date.fromisoformat(found.imported_at.iloc[0][:10]) == dt.date.today()


PEER_HEADER = ["乡镇", "年份", "期间", "指标", "单位", "数值"]


def _entered(rows: list[tuple[str, str, float, str]]) -> pd.DataFrame:
    """What store.load_peer_figures gives for peer rows of (town, indicator, value, imported_at)."""
    return pd.DataFrame({"town": [r[0] for r in rows], "indicator": [r[1] for r in rows],
                         "value": [r[2] for r in rows], "file_name": ["对比.xlsx"] * len(rows),
                         "imported_at": [r[3] for r in rows]})


AT = "2024-07-03T10:00:00+08:00"


@pytest.mark.parametrize("own", ["腊口镇", "腊口", "腊口镇\u200b"], ids=["as named", "without 镇", "an invisible space"])
def test_the_town_is_never_compared_with_itself(own):
    """A sheet that copies the county's table lists the town too (999 万元 beside its own 180):
    the town is compared with the others only, never with itself."""
    line = compare_peers(_ytd(ROWS, 2024, 6), None, _entered([("温溪镇", "total_output", 500.0, AT),
                                                             (own, "total_output", 999.0, AT)]), zone=SHANGHAI)
    assert [p.town for p in line.peers] == ["温溪镇"]
    alone = compare_peers(_ytd(ROWS, 2024, 6), None, _entered([(own, "total_output", 999.0, AT)]), zone=SHANGHAI)
    assert alone.source == "none"


def test_one_town_however_written_is_one_peer_with_its_last_figures():
    """Rows stored as "温溪" (500, loaded first) and "温溪镇" (520, later): one peer, named with its
    镇 and put first as the neighbour, with the later figure; 180 − 520 = −340."""
    line = compare_peers(_ytd(ROWS, 2024, 6), None, _entered([
        ("船寮镇", "total_output", 90.0, "2024-07-01T09:00:00+08:00"),
        ("温溪", "total_output", 500.0, "2024-07-02T09:00:00+08:00"),
        ("温溪镇", "total_output", 520.0, "2024-07-03T09:00:00+08:00")]), zone=SHANGHAI)
    assert [(p.town, p.value_10k, p.gap_10k) for p in line.peers] == [("温溪镇", 520.0, -340.0),
                                                                        ("船寮镇", 90.0, 90.0)]


@pytest.mark.parametrize("stored, zone, day", [
    pytest.param("2024-07-03T20:00:00+00:00", "Asia/Shanghai", "2024-07-04", id="UTC evening, 腊口's next morning"),
    pytest.param("2024-07-03T20:00:00", "Asia/Shanghai", "2024-07-04", id="no offset is UTC"),
    pytest.param("2024-07-04T01:00:00+08:00", "Asia/Shanghai", "2024-07-04", id="stored in the town's zone"),
    pytest.param("2024-07-04T01:00:00+08:00", "Etc/GMT+12", "2024-07-03", id="a zone far behind"),
])
def test_the_sheets_load_day_is_the_day_in_the_towns_zone(stored, zone, day):
    line = compare_peers(_ytd(ROWS, 2024, 6), None, _entered([("温溪镇", "total_output", 500.0, stored)]),
                         zone=ZoneInfo(zone))
    assert line.loaded_on == day


def test_the_neighbour_written_without_zhen_is_the_neighbour(engine):
    """"温溪" and "温溪镇" are one town (README): a sheet writing “温溪” is stored as 温溪镇, and a
    later sheet writing “温溪镇” replaces its figure (one line, 520), not a second town beside it."""
    for town, value in (("温溪", 500), ("温溪镇", 520)):
        importing.import_bytes(engine, xlsx_bytes({"对比": [PEER_HEADER, [town, 2024, "1-6月", "工业总产值", "万元", value]]}),
                               f"对比{town}.xlsx", operator=staff())
    found = store.load_peer_figures(store.for_town(engine, "腊口镇"), 2024, 6)
    assert found[["town", "value"]].values.tolist() == [["温溪镇", 520.0]]
    line = compare_peers(_ytd(ROWS, 2024, 6), None, found, zone=SHANGHAI)
    assert [(p.town, p.value_10k) for p in line.peers] == [("温溪镇", 520.0)]


@pytest.mark.parametrize("sheets, refused", [
    pytest.param({"对比": [PEER_HEADER, ["温溪镇", 2024, "1-6月", "工业总产值", "万元", 500],
                          ["温溪镇", 2024, "1-6月", "工业总产值", "万元", 700]]},
                 "工作表「对比」第3行「乡镇」列的值“温溪镇”的2024年1-6月工业总产值出现了两次（另见第2行）",
                 id="two values in one sheet"),
    pytest.param({"对比": [PEER_HEADER, ["温溪", 2024, "1-6月", "工业总产值", "万元", 500],
                          ["温溪镇", 2024, "1-6月", "工业总产值", "万元", 500]]},
                 "工作表「对比」第3行「乡镇」列的值“温溪镇”的2024年1-6月工业总产值出现了两次（另见第2行）",
                 id="one town written two ways"),
    pytest.param({"一": [PEER_HEADER, ["温溪镇", 2024, "1-6月", "工业总产值", "万元", 500]],
                  "二": [PEER_HEADER, ["温溪镇", 2024, "1-6月", "工业总产值", "万元", 700]]},
                 "工作表「二」第2行「乡镇」列的值“温溪镇”的2024年1-6月工业总产值出现了两次（另见工作表「一」第2行）",
                 id="two sheets"),
])
def test_a_peer_figure_given_twice_is_refused(engine, sheets, refused):
    """Two rows of a peer sheet giving one town's figure of one period: refused at both places, as
    two figures of one enterprise's period are, and nothing is stored (the import used to keep
    the last one silently)."""
    with pytest.raises(ImportRefused) as caught:
        importing.import_bytes(engine, xlsx_bytes(sheets), "对比.xlsx", operator=staff())
    assert refused in str(caught.value)
    assert "只能有一个数，请删去重复的一行" in str(caught.value)
    assert store.load_peer_figures(store.for_town(engine, "腊口镇"), 2024, 6).empty


def test_one_town_s_figures_of_two_periods_or_indicators_are_not_twice(engine):
    sheet = xlsx_bytes({"对比": [PEER_HEADER, ["温溪镇", 2024, "1-6月", "工业总产值", "万元", 500],
                                 ["温溪镇", 2024, "1-5月", "工业总产值", "万元", 400],
                                 ["温溪镇", 2024, "1-6月", "工业总产值增速", "%", 5]]})
    importing.import_bytes(engine, sheet, "对比.xlsx", operator=staff())
    assert len(store.load_peer_figures(store.for_town(engine, "腊口镇"), 2024, 6)) == 2


@pytest.mark.pages
def test_the_overview_says_the_day_the_sheet_was_loaded_in_the_towns_zone(tmp_path, monkeypatch):
    """总览's line under the peers: a sheet loaded at 04:00 in 腊口 (20:00 UTC the day before) was
    loaded on the town's day, as every other time on the pages is shown."""
    from test_county_pages import start

    from lakou_metrics.store.schema import imports

    db = str(tmp_path / "t.db")
    engine = store.open_database(db)
    importing.import_bytes(engine, xlsx_bytes({"s": long_rows([(y, m, "甲厂", "五金", True, 100.0)
                                                              for y in (2023, 2024) for m in (1, 2, 3)])}),
                           "产值.xlsx", operator=staff())
    outcome = importing.import_bytes(engine, xlsx_bytes({"对比": [PEER_HEADER, ["温溪镇", 2024, "1-3月", "工业总产值",
                                                                                 "万元", 500]]}),
                                     "对比.xlsx", operator=staff())
    with engine.begin() as conn:
        conn.execute(imports.update().where(imports.c.id == outcome.import_id)
                     .values(imported_at="2024-07-03T20:00:00+00:00"))
    engine.dispose()
    at = start(db, monkeypatch, None, {"year": "2024", "through": "3"})
    said = [c.value.replace("\\", "") for c in at.caption if c.value.startswith("对比数据")]
    assert said == ["对比数据：对比.xlsx，2024年7月4日导入"]


def test_a_shared_rank_is_said_as_shared():
    """腊口镇 and 温溪镇 with 180 万元 each: both 并列第1, among all towns or among those reported."""
    from lakou_metrics.output.text import describe_rank

    ours = _ytd(ROWS, 2024, 6)  # 180
    wenxi = _ytd([(1, "W", "metals", True, 2024, 1, 6, 180.0, None)], 2024, 6, town="温溪镇")
    silent = _ytd([(1, "Q", "metals", True, 2023, 1, 6, 100.0, None)], 2024, 6, town="船寮镇")  # no 2024 rows
    both = compare_peers(ours, {"腊口镇": ours, "温溪镇": wenxi}, pd.DataFrame(), zone=SHANGHAI)
    assert (both.rank, both.tied) == (1, True)
    assert describe_rank(both) == "全县2个乡镇中产值并列第1"
    some = compare_peers(ours, {"船寮镇": silent, "腊口镇": ours, "温溪镇": wenxi}, pd.DataFrame(), zone=SHANGHAI)
    assert describe_rank(some) == "全县3个乡镇中已报2个，产值在已报乡镇中并列第1"
