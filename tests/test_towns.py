"""Every row in its own town (ingest/towns.py, through the import and the preview): the towns a file
names by its file name, a sheet's name, its title rows or a 乡镇 column; a town's staff refused a
file of another town with nothing stored; words that only look like a town's name never refused;
county staff's county-wide file split into each town in one transaction. Store tests run on
SQLite and PostgreSQL; expected figures are worked out here from the rows each test writes."""
import pytest
from conftest import county_staff, long_rows, staff, xlsx_bytes

from lakou_metrics import importing, store
from lakou_metrics.ingest.errors import ImportRefused
from lakou_metrics.ingest.towns import find_towns, read_town_cell
from lakou_metrics.preview import preview_bytes

LAKOU, WENXI, CHUANLIAO = "腊口镇", "温溪镇", "船寮镇"
LAKOU_STAFF = staff(LAKOU, name="小王")
COUNTY = county_staff("县经信局老张")


@pytest.mark.parametrize("text, known, expected", [
    pytest.param("温溪镇_企业产值_2024年10月", (), ["温溪镇"], id="file name"),
    pytest.param("温溪镇2024年1-10月工业企业产值", (), ["温溪镇"], id="title before a period"),
    pytest.param("2024年1-10月温溪镇工业企业产值", (), ["温溪镇"], id="title after a period"),
    pytest.param("浙江省丽水市青田县温溪镇工业企业产值", (), ["温溪镇"], id="levels above dropped"),
    pytest.param("填报单位：温溪镇人民政府", (), ["温溪镇"], id="reporting unit"),
    pytest.param("腊口镇与温溪镇工业产值对比", (), ["腊口镇", "温溪镇"], id="two towns joined by 与"),
    pytest.param("和平镇工业企业产值", (), ["和平镇"], id="和 that belongs to the name"),
    pytest.param("小舟山乡工业", (), ["小舟山乡"], id="three characters and 乡"),
    pytest.param("三溪口街道工业产值", (), ["三溪口街道"], id="街道"),
    pytest.param("一季度温溪镇产值", (), ["温溪镇"], id="after 一季度"),
    pytest.param("青田腊口镇规上企业", ("腊口镇",), ["腊口镇"], id="a known name inside other words"),
    pytest.param("全镇合计", (), [], id="全镇合计"),
    pytest.param("全镇工业企业产值", (), [], id="全镇"),
    pytest.param("本镇企业", (), [], id="本镇"),
    pytest.param("各乡镇工业产值汇总", (), [], id="各乡镇"),
    pytest.param("全县各乡镇（街道）", (), [], id="全县各乡镇街道"),
    pytest.param("周边乡镇对比", (), [], id="周边乡镇"),
    pytest.param("城镇工业", (), [], id="城镇"),
    pytest.param("小城镇建设", (), [], id="小城镇"),
    pytest.param("乡镇企业产值", (), [], id="乡镇企业"),
    pytest.param("镇级企业", (), [], id="镇级"),
    pytest.param("特色小镇企业", (), [], id="特色小镇"),
    pytest.param("工业强镇建设", (), [], id="工业强镇"),
    pytest.param("美丽乡村", (), [], id="美丽乡村"),
    pytest.param("建制镇", (), [], id="建制镇"),
    pytest.param("2024年3月份全镇工业产值", (), [], id="3月份全镇"),
    pytest.param("截至3月底全镇工业产值", (), [], id="3月底全镇"),
    pytest.param("2024年3月末全镇规上企业", (), [], id="3月末全镇"),
    pytest.param("工业产值月报全镇", (), [], id="月报全镇"),
    pytest.param("上月全镇产值", (), [], id="上月全镇"),
    pytest.param("去年全镇产值", (), [], id="去年全镇"),
    pytest.param("一季全镇产值", (), [], id="一季全镇"),
    pytest.param("2024年3月份温溪镇工业产值", (), ["温溪镇"], id="3月份温溪镇"),
    pytest.param("2024年3月底温溪镇工业产值快报", (), ["温溪镇"], id="3月底温溪镇"),
    pytest.param("快报温溪镇", (), ["温溪镇"], id="快报温溪镇"),
    pytest.param("万全镇工业", ("万全镇",), ["万全镇"], id="a known town ending in 全镇"),
    pytest.param("逐月产值", (), [], id="no town at all"),
    pytest.param("Sheet1", (), [], id="latin"),
])
def test_the_towns_a_name_or_title_names(text, known, expected):
    assert find_towns(text, known) == expected


@pytest.mark.parametrize("cell, expected", [
    pytest.param("温溪镇", WENXI, id="a known town"),
    pytest.param(" 温溪镇 ", WENXI, id="spaces"),
    pytest.param("温溪", WENXI, id="a known town without 镇"),
    pytest.param("青田县温溪镇", WENXI, id="with its county"),
    pytest.param("仁庄镇", "仁庄镇", id="a town not in the database"),
    pytest.param("全镇", None, id="全镇"),
    pytest.param("合计", None, id="a total"),
    pytest.param("其他", None, id="not a town"),
    pytest.param("温溪镇人民政府", None, id="more than a town"),
    pytest.param("", None, id="blank"),
])
def test_a_town_cell(cell, expected):
    assert read_town_cell(cell, (LAKOU, WENXI)) == expected


# -- files ------------------------------------------------------------------------------------

HEADER = ["企业名称", "所属行业", "是否规上", "产值（万元）"]
STORED = [(2024, 9, "卓尔五金", "五金", True, 100.0), (2024, 9, "石普铝业", "金属加工", True, 200.0)]


def october(rows, title=None, town_column=None):
    """A sheet of October 2024 (the sheet's name gives the period): rows of (name, value), or of
    (town, name, value) with a 乡镇 column; a title row above the header when given."""
    header = (["乡镇"] if town_column else []) + HEADER
    body = [[*r[:-2], r[-2], "五金", "是", r[-1]] for r in rows]
    return ([[title]] if title else []) + [header] + body


def book(sheet_rows, sheet="2024年10月"):
    return xlsx_bytes({sheet: sheet_rows})


@pytest.fixture
def lakou(engine):
    """腊口镇 with September stored, and 温溪镇 in the database."""
    lakou = store.for_town(engine, LAKOU)
    importing.import_bytes(lakou, xlsx_bytes({"s": long_rows(STORED)}), "九月.xlsx", operator=LAKOU_STAFF)
    importing.import_bytes(store.for_town(engine, WENXI), xlsx_bytes({"s": long_rows([
        (2024, 9, "温溪一厂", "五金", True, 400.0)])}), "温溪九月.xlsx", operator=staff(WENXI, name="温溪镇小李"))
    return lakou


def records(frame):
    """A frame's rows, blanks as None (NaN never equals itself)."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def snapshot(engine):
    """Everything an import could change, in every town: its imports, its figures, its register."""
    towns = store.list_towns(engine)
    return towns, {t: tuple(records(frame) for frame in (
        store.list_imports(store.for_town(engine, t)), store.load_observations(store.for_town(engine, t), [2024]),
        store.load_enterprises(store.for_town(engine, t)))) for t in [*towns, CHUANLIAO]}


FIRMS = [("卓尔五金", 110.0), ("石普铝业", 210.0)]


@pytest.mark.parametrize("name, data, where", [
    pytest.param("温溪镇_企业产值_2024年10月.xlsx", book(october(FIRMS)), (None, None, None, "文件名称"),
                 id="file name"),
    pytest.param("十月.xlsx", book(october(FIRMS), sheet="温溪镇2024年10月"),
                 ("温溪镇2024年10月", None, None, "工作表名称"), id="sheet name"),
    pytest.param("十月.xlsx", book(october(FIRMS, title="温溪镇2024年1-10月工业企业产值")),
                 ("2024年10月", 1, None, "标题"), id="title"),
    pytest.param("十月.xlsx", book(october([(LAKOU, *FIRMS[0]), (WENXI, *FIRMS[1])], town_column=True)),
                 ("2024年10月", 3, "乡镇", "本表共1行"), id="乡镇 column"),
    pytest.param("十月.xlsx", book(october([("仁庄镇", *FIRMS[0])], town_column=True)),
                 ("2024年10月", 2, "乡镇", "仁庄镇"), id="a town not in the database"),
])
@pytest.mark.parametrize("who", [LAKOU_STAFF, store.Operator.shell_account(LAKOU)], ids=["page", "command line"])
def test_a_towns_staff_are_refused_a_file_naming_another_town(lakou, engine, name, data, where, who):
    before = snapshot(engine)
    with pytest.raises(ImportRefused) as refused:
        importing.import_bytes(lakou, data, name, operator=who)
    (problem,) = refused.value.problems
    sheet, row, column, words = where
    assert (problem.sheet, problem.row, problem.column) == (sheet, row, column)
    assert words in problem.describe() and "不能导入腊口镇" in problem.reason
    assert ("仁庄镇" if "仁庄镇" in words else WENXI) in problem.reason
    with pytest.raises(ImportRefused):
        preview_bytes(lakou, data, name, operator=who)  # the preview says so before anyone confirms
    assert snapshot(engine) == before


@pytest.mark.parametrize("data", [
    pytest.param(book(october(FIRMS) + [["全镇合计", "", "", 320.0]]), id="全镇合计 row"),
    pytest.param(book(october(FIRMS, title="各乡镇工业企业产值（全镇）")), id="各乡镇 in the title"),
    pytest.param(book(october(FIRMS, title="腊口镇2024年1-10月工业企业产值")), id="its own town in the title"),
    pytest.param(book(october(FIRMS), sheet="腊口镇2024年10月"), id="its own town as the sheet"),
    pytest.param(book(october([(LAKOU, *FIRMS[0]), ("腊口", *FIRMS[1])], town_column=True)),
                 id="乡镇 column of its own town"),
    pytest.param(book(october([("温溪镇宏达五金", 110.0), ("石普铝业", 210.0)])), id="an enterprise named after a town"),
])
def test_files_of_its_own_town_or_none_import_as_before(lakou, data):
    outcome = importing.import_bytes(lakou, data, "腊口镇_十月.xlsx", operator=LAKOU_STAFF)
    assert outcome.status == "imported" and outcome.town == LAKOU and not outcome.elsewhere
    stored = store.load_observations(lakou, [2024])
    october_rows = stored[stored.last_month == 10]
    assert october_rows.value_10k.sum() == 110.0 + 210.0
    assert set(store.list_imports(lakou).town) == {LAKOU}


def test_a_peer_towns_figures_still_import_as_the_peer_sheet(lakou, engine):
    """A sheet of 指标 with 乡镇 is the other towns' figures to compare with: named on purpose."""
    data = xlsx_bytes({"温溪镇": [["对比乡镇主要指标"], ["乡镇", "年份", "期间", "指标", "单位", "数值"],
                                  [WENXI, 2024, "1-9月", "工业总产值", "亿元", 4.5]]})
    importing.import_bytes(lakou, data, "对比乡镇_温溪镇.xlsx", operator=LAKOU_STAFF)
    peers = store.load_peer_figures(lakou, 2024, 9)
    assert list(peers.town) == [WENXI] and list(peers.value) == [45000.0]
    assert store.list_imports(store.for_town(engine, WENXI)).file_name.tolist() == ["温溪九月.xlsx"]


def test_the_sheet_report_names_the_towns_found():
    cleaned = importing.read_and_clean(
        book(october([(WENXI, "温溪一厂", 1.0), (WENXI, "温溪二厂", 2.0), (CHUANLIAO, "船寮一厂", 3.0)],
                     title="2024年1-10月各乡镇工业产值", town_column=True)), "十月.xlsx", known_towns=[LAKOU, WENXI])
    (report,) = cleaned.sheets
    assert report.towns == ["「乡镇」列：温溪镇 2 行、船寮镇 1 行"]
    many = [(f"{town}镇", f"{town}一厂", 1.0) for town in ("甲乙", "丙丁", "戊己", "庚辛", "壬癸")]
    (report,) = importing.read_and_clean(book(october(many, town_column=True)), "十月.xlsx").sheets
    assert report.towns == ["「乡镇」列：甲乙镇 1 行、丙丁镇 1 行、戊己镇 1 行、庚辛镇 1 行等 5 个乡镇"]
    named = importing.read_and_clean(book(october(FIRMS), sheet="温溪镇2024年10月"), "温溪镇_十月.xlsx")
    assert named.sheets[0].towns == ["温溪镇（工作表名称）"]
    file_only = importing.read_and_clean(book(october(FIRMS)), "温溪镇_十月.xlsx")
    assert file_only.sheets[0].towns == ["温溪镇（文件名称）"]


@pytest.mark.parametrize("rows, reason, row", [
    pytest.param([(WENXI, "温溪一厂", 1.0), ("", "温溪二厂", 2.0)], "「乡镇」为空", 3, id="blank"),
    pytest.param([(WENXI, "温溪一厂", 1.0), ("其他", "温溪二厂", 2.0)], "不是乡镇名称", 3, id="not a town"),
])
def test_a_town_cell_that_says_no_town_is_refused_naming_its_row(lakou, engine, rows, reason, row):
    before = snapshot(engine)
    with pytest.raises(ImportRefused) as refused:
        importing.import_bytes(lakou, book(october(rows, town_column=True)), "县.xlsx", operator=COUNTY)
    (problem,) = refused.value.problems
    assert reason in problem.reason and (problem.row, problem.column) == (row, "乡镇")
    assert snapshot(engine) == before


# -- county staff -----------------------------------------------------------------------------

COUNTY_ROWS = [(WENXI, "温溪一厂", 430.0), (CHUANLIAO, "船寮一厂", 80.0), (WENXI, "温溪二厂", 120.5),
               (CHUANLIAO, "船寮二厂", 40.25)]


def oct_figures(engine, town):
    stored = store.load_observations(store.for_town(engine, town), [2024])
    return dict(zip(stored[stored.last_month == 10].name, stored[stored.last_month == 10].value_10k))


def test_county_staff_split_a_county_file_into_each_town(lakou, engine):
    data = book(october(COUNTY_ROWS, title="2024年10月各乡镇工业企业产值", town_column=True))
    lakou_before = snapshot(lakou)[1][LAKOU]
    preview = preview_bytes(lakou, data, "县_十月.xlsx", operator=COUNTY)
    assert [p.town for p in preview.parts] == [WENXI, CHUANLIAO] and preview.new_towns == [CHUANLIAO]
    assert preview.town == LAKOU and preview.elsewhere
    for part in preview.parts:
        mine = [r for r in COUNTY_ROWS if r[0] == part.town]
        (change,) = part.spans
        assert part.enterprises == len(mine) and change.period.label() == "2024年10月"
        assert change.total_before is None and change.total_after == sum(v for _, _, v in mine)
    assert CHUANLIAO not in store.list_towns(engine)  # the preview stored nothing

    outcome = importing.import_bytes(lakou, data, "县_十月.xlsx", operator=COUNTY, expected_version=preview.versions)
    for town in (WENXI, CHUANLIAO):
        assert oct_figures(engine, town) == {n: v for t, n, v in COUNTY_ROWS if t == town}
        history = store.list_imports(store.for_town(engine, town))
        mine = history[history.file_name == "县_十月.xlsx"]
        assert len(mine) == 1 and mine.iloc[0].imported_as == store.COUNTY
    assert snapshot(lakou)[1][LAKOU] == lakou_before  # the town shown got nothing
    assert CHUANLIAO in store.list_towns(engine)
    assert [p.town for p in outcome.parts] == [WENXI, CHUANLIAO] and outcome.rows == len(COUNTY_ROWS)
    assert "温溪镇：已导入「县_十月.xlsx」：2条记录" in outcome.describe()
    # Each town's import is undone on its own.
    wenxi = store.for_town(engine, WENXI)
    store.undo_import(wenxi, outcome.parts[0].import_id, operator=COUNTY)
    assert oct_figures(engine, WENXI) == {} and oct_figures(engine, CHUANLIAO) == {"船寮一厂": 80.0, "船寮二厂": 40.25}


@pytest.mark.parametrize("order", [1, -1], ids=["温溪镇 first", "船寮镇 first"])
def test_one_name_in_two_towns_of_a_county_file_is_two_enterprises(lakou, engine, order):
    codes = {WENXI: "91331121MA2A000011", CHUANLIAO: "91331121MA2A000022"}
    rows = [["乡镇", "企业名称", "统一社会信用代码", "所属行业", "是否规上", "产值（万元）"],
            *[[WENXI, "宏达五金", codes[WENXI], "五金", "是", 30.0],
              [CHUANLIAO, "宏达五金", codes[CHUANLIAO], "建材", "否", 45.0]][::order]]
    importing.import_bytes(lakou, book(rows), "县_十月.xlsx", operator=COUNTY)
    assert oct_figures(engine, WENXI) == {"宏达五金": 30.0} and oct_figures(engine, CHUANLIAO) == {"宏达五金": 45.0}
    # Each town's register holds its own firm's code, sector and 规上, whichever row came last.
    for town, code, sector, above in [(WENXI, codes[WENXI], "hardware", True),
                                      (CHUANLIAO, codes[CHUANLIAO], "building_materials", False)]:
        (firm,) = records(store.load_enterprises(store.for_town(engine, town)).query("name == '宏达五金'"))
        assert (firm["credit_code"], firm["sector"], bool(firm["above_scale"])) == (code, sector, above)


def test_one_name_twice_in_one_town_of_a_county_file_is_refused_however_the_town_is_spelled(lakou, engine):
    before = snapshot(engine)
    rows = [(WENXI, "宏达五金", 30.0), ("温溪", "宏达五金", 45.0)]
    with pytest.raises(ImportRefused) as refused:
        importing.import_bytes(lakou, book(october(rows, town_column=True)), "县_十月.xlsx", operator=COUNTY)
    (problem,) = refused.value.problems
    assert (problem.row, problem.value) == (3, "宏达五金") and "第2行" in problem.reason
    assert snapshot(engine) == before


def test_a_county_file_naming_one_town_goes_to_that_town(lakou, engine):
    outcome = importing.import_bytes(lakou, book(october([("温溪三厂", 12.0)])), "温溪镇_企业产值_2024年10月.xlsx",
                                     operator=COUNTY)
    assert outcome.town == WENXI and outcome.elsewhere and outcome.describe().startswith("温溪镇：已导入")
    assert oct_figures(engine, WENXI) == {"温溪三厂": 12.0} and oct_figures(engine, LAKOU) == {}


def test_a_county_file_with_nothing_new_for_one_town_makes_no_import_for_it(lakou, engine):
    wenxi = [(WENXI, "温溪一厂", 430.0)]
    importing.import_bytes(store.for_town(engine, WENXI), book(october([r[1:] for r in wenxi])), "温溪十月.xlsx",
                           operator=staff(WENXI))
    outcome = importing.import_bytes(lakou, book(october(wenxi + [(CHUANLIAO, "船寮一厂", 80.0)], town_column=True)),
                                     "县.xlsx", operator=COUNTY)
    assert [p.status for p in outcome.parts] == ["unchanged", "imported"]
    assert "县.xlsx" not in set(store.list_imports(store.for_town(engine, WENXI)).file_name)
    assert list(store.list_imports(store.for_town(engine, CHUANLIAO)).file_name) == ["县.xlsx"]


def test_a_county_file_is_all_or_nothing(lakou, engine):
    """温溪镇 holds 1-3月 = 300 for 温溪一厂 and its January and February (100 each): a March of 150
    disagrees (350 ≠ 300), so 船寮镇's rows are not stored either, nor 船寮镇 created."""
    wenxi = store.for_town(engine, WENXI)
    importing.import_bytes(wenxi, xlsx_bytes({"2024年1-3月": [["企业名称", "1-3月产值（万元）"], ["温溪一厂", 300]]}),
                           "一季度.xlsx", operator=staff(WENXI))
    importing.import_bytes(wenxi, xlsx_bytes({"s": long_rows([(2024, m, "温溪一厂", "五金", True, 100.0)
                                                              for m in (1, 2)])}), "一二月.xlsx", operator=staff(WENXI))
    before = snapshot(engine)
    data = xlsx_bytes({"2024年3月": october([(CHUANLIAO, "船寮一厂", 80.0), (WENXI, "温溪一厂", 150.0)],
                                             town_column=True)})
    with pytest.raises(ImportRefused) as refused:
        importing.import_bytes(lakou, data, "县_三月.xlsx", operator=COUNTY)
    assert "温溪一厂" in str(refused.value) and "1-3月" in str(refused.value)
    assert snapshot(engine) == before and CHUANLIAO not in store.list_towns(engine)


@pytest.mark.parametrize("name, sheets, words", [
    pytest.param("十月.xlsx", {"2024年10月": october([(CHUANLIAO, "船寮一厂", 1.0)], title="温溪镇工业企业产值",
                                                    town_column=True)},
                 "所写的温溪镇不一致", id="乡镇 column against the title"),
    pytest.param("温溪镇_十月.xlsx", {"船寮镇2024年10月": october([("船寮一厂", 1.0)])},
                 "文件名称写明属于温溪镇", id="sheet name against the file name"),
    pytest.param("十月.xlsx", {"温溪镇2024年10月": october([("温溪一厂", 1.0)]),
                              "2024年10月": october([("船寮一厂", 1.0)])},
                 "没有写明属于哪个乡镇", id="a sheet naming no town beside one that does"),
    pytest.param("十月.xlsx", {"2024年10月": october([(WENXI, "温溪一厂", 1.0), (CHUANLIAO, "船寮一厂", 2.0)],
                                                    town_column=True),
                              "企业名录": [["企业名称", "联系领导"], ["温溪一厂", "张三"]]},
                 "只能拆分企业产值表", id="a register in a file of several towns"),
])
def test_a_county_file_whose_towns_cannot_be_told_is_refused(lakou, engine, name, sheets, words):
    before = snapshot(engine)
    with pytest.raises(ImportRefused) as refused:
        importing.import_bytes(lakou, xlsx_bytes(sheets), name, operator=COUNTY)
    assert words in str(refused.value)
    assert snapshot(engine) == before


def test_a_split_commit_is_refused_when_a_town_changed_since_the_preview(lakou, engine):
    data = book(october(COUNTY_ROWS, town_column=True))
    preview = preview_bytes(lakou, data, "县.xlsx", operator=COUNTY)
    importing.import_bytes(store.for_town(engine, WENXI), book(october([("温溪九厂", 1.0)])), "温溪.xlsx",
                           operator=staff(WENXI))
    with pytest.raises(store.DataChanged, match="温溪.xlsx"):
        importing.import_bytes(lakou, data, "县.xlsx", operator=COUNTY, expected_version=preview.versions)
    assert oct_figures(engine, CHUANLIAO) == {}


@pytest.mark.parametrize("header", ["乡镇", "所属乡镇", "乡镇（街道）", "镇", "所属街道", "镇街", "街道"])
def test_the_town_column_under_its_other_headers(lakou, header):
    data = xlsx_bytes({"2024年10月": [[header, "企业名称", "产值（万元）"], [LAKOU, "卓尔五金", 1.0],
                                      [WENXI, "石普铝业", 2.0]]})
    with pytest.raises(ImportRefused) as refused:
        importing.import_bytes(lakou, data, "十月.xlsx", operator=LAKOU_STAFF)
    (problem,) = refused.value.problems
    assert (problem.row, problem.column, problem.value) == (3, header, WENXI)


REGISTER = ["乡镇", "企业名称", "所属行业", "联系领导"]


def test_county_staffs_register_of_one_town_goes_to_that_town(lakou, engine):
    data = xlsx_bytes({"企业名录": [REGISTER, [WENXI, "温溪五厂", "五金", "张三"], [WENXI, "温溪六厂", "光伏", "李四"]]})
    outcome = importing.import_bytes(lakou, data, "名录.xlsx", operator=COUNTY)
    assert outcome.town == WENXI
    assert {"温溪五厂", "温溪六厂"} <= set(store.load_enterprises(store.for_town(engine, WENXI)).name)
    assert not {"温溪五厂", "温溪六厂"} & set(store.load_enterprises(lakou).name)


def test_county_staffs_register_of_two_towns_is_refused(lakou, engine):
    before = snapshot(engine)
    data = xlsx_bytes({"企业名录": [REGISTER, [WENXI, "温溪五厂", "五金", "张三"], [CHUANLIAO, "船寮五厂", "光伏", "李四"]]})
    with pytest.raises(ImportRefused, match="只能拆分企业产值表"):
        importing.import_bytes(lakou, data, "名录.xlsx", operator=COUNTY)
    assert snapshot(engine) == before
