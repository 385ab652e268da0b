"""Output sheets (ingest.sheets.output): one enterprise, one span of months, one figure.

A period spelled two ways (3 and 3月, 2024-03 and 2024年3月), a month given alone and again as the
本月 of a 1-3月 sheet, one credit code under two names: each is the same figure twice, refused at
both places. Generated workbooks, with every spelling the reader knows, are read against what the
generator itself wrote: the expected rows (or the rows to be refused) come from the generator, not
from the reader.
"""
import datetime as dt
import math
import random

import pytest
from conftest import csv_bytes, xls_bytes, xlsx_bytes

from lakou_metrics.domain.periods import Period
from lakou_metrics.ingest.clean import clean_workbook
from lakou_metrics.ingest.errors import ImportRefused, problems_table
from lakou_metrics.ingest.read import RawSheet, RawWorkbook, read_workbook


def clean_sheets(sheets: dict[str, list[list]]):
    return clean_workbook(RawWorkbook("t.xlsx", "xlsx", [RawSheet(n, rows) for n, rows in sheets.items()]))


def refused(sheets: dict[str, list[list]]):
    with pytest.raises(ImportRefused) as caught:
        clean_sheets(sheets)
    return caught.value.problems


@pytest.mark.parametrize("first,second", [
    pytest.param(3, "3月", id="3 and 3月"),
    pytest.param(3.0, "03", id="3.0 and 03"),
    pytest.param("3", "三月", id="3 and 三月"),
    pytest.param("３月", "3月份", id="full-width and 月份"),
])
def test_a_month_spelled_two_ways_in_one_sheet_is_refused_at_both_rows(first, second):
    rows = [["年份", "月份", "企业名称", "产值（万元）"],
            [2024, first, "甲五金厂", 10.0], [2024, 4, "甲五金厂", 11.0], [2024, second, "甲五金厂", 12.0]]
    problems = refused({"逐月": rows})
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [("逐月", 4, "企业名称", "甲五金厂")]
    assert "2024年3月" in problems[0].reason and "第2行" in problems[0].reason


@pytest.mark.parametrize("first,second", [
    pytest.param("2024-03", "2024年3月", id="2024-03 and 2024年3月"),
    pytest.param("2024M03", "202403", id="2024M03 and 202403"),
    pytest.param(dt.datetime(2024, 3, 1), "2024/3", id="a date and 2024/3"),
    pytest.param("2024.03.31", "2024年三月", id="2024.03.31 and 2024年三月"),
    pytest.param("2024Q1", "2024年1-3月", id="2024Q1 and 2024年1-3月"),
    pytest.param("2024年一季度", "2024年第1季度", id="一季度 and 第1季度"),
])
def test_a_period_column_spelled_two_ways_is_refused(first, second):
    rows = [["期间", "企业名称", "产值（万元）"], [first, "甲五金厂", 10.0], [second, "甲五金厂", 10.0]]
    problems = refused({"表": rows})
    assert [(p.row, p.value) for p in problems] == [(3, "甲五金厂")]


def wide_q1(rows: list[list]) -> list[list]:
    return [["2024年1-3月企业产值"], ["企业名称", "本月产值（万元）", "1-3月累计（万元）"], *rows]


def test_a_month_alone_and_again_as_the_本月_of_a_1_3月_sheet_is_refused_across_sheets():
    monthly = [["年份", "月份", "企业名称", "产值（万元）"], [2024, 3, "甲五金厂", 40.0], [2024, 3, "乙厂", 5.0]]
    problems = refused({"3月": monthly, "一季度": wide_q1([["甲五金厂", 40.0, 100.0]])})
    assert [(p.sheet, p.row, p.value) for p in problems] == [("一季度", 3, "甲五金厂")]
    assert "工作表「3月」第2行" in problems[0].reason and "本月" not in problems[0].column


@pytest.mark.parametrize("sheets, where", [
    pytest.param({"表": [["期间", "企业名称", "产值（万元）"], ["2024年一季度", "甲五金厂", 50.0],
                         ["2024年3月", "甲五金厂", 100.0], ["2024年3月", "乙厂", 10.0]]}, ("表", 2, "小于第3行"),
                 id="one sheet"),
    pytest.param({"2024年1-6月": [["企业名称", "1-6月累计产值（万元）"], ["甲五金厂", 90.0]],
                  "2024年二季度": [["企业名称", "产值（万元）"], ["甲五金厂", 100.0]]},
                 ("2024年1-6月", 2, "小于工作表「2024年二季度」第2行"), id="two sheets"),
])
def test_a_span_below_a_part_of_it_on_another_row_is_refused(sheets, where):
    (problem,) = refused(sheets)
    assert (problem.sheet, problem.row, problem.value) == (*where[:2], "甲五金厂")
    assert where[2] in problem.reason and "累计数不能小于其中一部分" in problem.reason


def test_a_span_at_or_above_its_parts_passes():
    fine = clean_sheets({"表": [["期间", "企业名称", "产值（万元）"], ["2024年一季度", "甲五金厂", 150.0],
                                ["2024年3月", "甲五金厂", 100.0], ["2024年1-6月", "甲五金厂", 150.0]]})
    assert sorted(fine.output.value_10k) == [100.0, 150.0, 150.0]


def test_a_repeat_reads_as_a_sentence_and_as_a_table_row():
    rows = [["企业名称", "月份", "产值（万元）"], ["甲五金厂", 3, 40.0], ["甲五金厂", "三月", 41.0]]
    (problem,) = refused({"2024年": rows})
    assert "的值“甲五金厂”的2024年3月产值出现了两次（另见第2行" in problem.describe()
    (row,) = problems_table([problem])
    assert row["值"] == "甲五金厂" and row["原因"].startswith("2024年3月产值出现了两次（另见第2行")


def test_a_month_and_its_1_3月_row_in_one_long_sheet_are_refused():
    rows = [["期间", "企业名称", "本月", "累计"], ["2024年3月", "甲五金厂", 40.0, 100.0],
            ["2024年1-3月", "甲五金厂", 40.0, 100.0]]
    problems = refused({"表": rows})
    assert {p.row for p in problems} == {3}  # both of its spans repeat row 2


def test_one_credit_code_under_two_names_in_one_period_is_refused():
    code = "91331121MA2A000001"
    rows = [["企业名称", "统一社会信用代码", "产值（万元）"], ["甲五金厂", code, 10.0], ["浙江甲五金有限公司", code, 10.0]]
    problems = refused({"2024年3月": rows})
    assert [(p.row, p.value) for p in problems] == [(3, "浙江甲五金有限公司")]
    assert code in problems[0].reason


def test_one_credit_code_under_two_names_in_two_periods_is_one_enterprise():
    code = "91331121MA2A000001"
    rows = [["期间", "企业名称", "统一社会信用代码", "产值（万元）"],
            ["2024-02", "甲五金厂", code, 10.0], ["2024-03", "浙江甲五金有限公司", code, 12.0]]
    out = clean_sheets({"表": rows}).output
    assert list(zip(out.first_month, out.value_10k)) == [(2, 10.0), (3, 12.0)]


@pytest.mark.parametrize("month,ytd,fine", [
    pytest.param(500.0, 300.0, False, id="累计 below 本月"),
    pytest.param(100.0, 99.8, True, id="equal within rounding"),
    pytest.param(100.0, 250.0, True, id="累计 above 本月"),
])
def test_a_year_to_date_below_its_own_month_is_refused(month, ytd, fine):
    sheets = {"表": wide_q1([["甲五金厂", month, ytd]])}
    if fine:
        assert len(clean_sheets(sheets).output) == 2
        return
    problems = refused(sheets)
    assert [(p.row, p.column) for p in problems] == [(3, "1-3月累计（万元）")]
    assert "小于" in problems[0].reason


def test_a_bad_figure_still_counts_as_the_enterprise_giving_that_month():
    """A repeat is named even where one of the two figures cannot be read."""
    rows = [["年份", "月份", "企业名称", "产值（万元）"], [2024, 3, "甲五金厂", "约100"], [2024, "3月", "甲五金厂", 90.0]]
    problems = refused({"表": rows})
    assert {(p.row, p.column) for p in problems} == {(2, "产值（万元）"), (3, "企业名称")}


# -- generated workbooks, read against what their generator wrote ---------------------------------

FIRMS = [("甲五金厂", "91331121MA2A000001", "五金"), ("乙金属公司", "", "金属加工"), ("丙油茶公司", "", "农产品加工"),
         ("丁光伏科技", "91331121MA2A00000X", "光伏"), ("戊建材厂", "", "建材"), ("己线缆厂", "", "其他")]


def month_spellings(month: int) -> list:
    cn = "一 二 三 四 五 六 七 八 九 十 十一 十二".split()[month - 1]
    return [month, float(month), str(month), f"{month}月", f"{month:02d}", f"{cn}月", chr(0xFF10 + month) + "月"
            if month < 10 else f"{month}月份"]


def period_spellings(period: Period) -> list:
    y, m = period.year, period.last
    if period.months == 1:
        return [f"{y}-{m:02d}", f"{y}年{m}月", f"{y}年{m:02d}月", f"{y}M{m:02d}", f"{y}{m:02d}", f"{y}/{m}",
                dt.datetime(y, m, 1), f"{y}.{m:02d}.28", f"{y}年{m}月份"]
    q = m // 3
    return [f"{y}Q{q}", f"{y}年{'一二三四'[q - 1]}季度", f"{y}年第{q}季度", f"{y}年{period.first}-{m}月"]


class Generated:
    """A workbook of output sheets, and what reading it must give: each data row's spans and
    figures (万元) as the generator wrote them, and the rows that repeat an enterprise's span."""

    def __init__(self, seed: int, spelling_seed: int):
        self.rng, self.spell = random.Random(seed), random.Random(spelling_seed)
        self.sheets: dict[str, list[list]] = {}
        self.expected: list[tuple] = []  # (name, year, first, last, value_10k)
        self.repeats: set[tuple[str, int]] = set()  # (sheet, row) of rows to be refused
        self._seen: set = set()
        for n in range(self.rng.randint(1, 3)):
            kind = self.rng.choice(["months", "periods", "wide"])
            getattr(self, f"_{kind}_sheet")(f"表{n + 1}")

    def _record(self, sheet: str, row: int, firm: tuple, spans: dict[Period, float]) -> None:
        name, code, _ = firm
        keys = {(k, span) for span in spans for k in (("name", name), ("code", code)) if k[1]}
        if keys & self._seen:
            self.repeats.add((sheet, row))
        else:
            self.expected += [(name, s.year, s.first, s.last, v) for s, v in spans.items()]
        self._seen |= keys

    def _firms(self):
        firms = self.rng.sample(FIRMS, self.rng.randint(2, len(FIRMS)))
        if self.rng.random() < 0.15:  # one of them twice: the same name or its code under another name
            name, code, sector = self.rng.choice(firms)
            firms.append((name if not code or self.rng.random() < 0.5 else name + "有限公司", code, sector))
        return firms

    def _value(self) -> float:
        return round(self.rng.uniform(1, 900), 1)

    def _noise(self, rows: list[list], width: int, name_at: int) -> None:
        """Rows that are not enterprises: a total with a figure, a footnote, a blank row."""
        if self.rng.random() < 0.4:
            total = [""] * width
            total[name_at], total[-1] = self.spell.choice(["合计", "全镇合计", "总计", "小计"]), 9999.0
            rows.append(total)
        if self.rng.random() < 0.3:
            rows.append([""] * width)
        if self.rng.random() < 0.3:
            rows.append(["填报人：张三"] + [""] * (width - 1))

    def _months_sheet(self, sheet: str) -> None:
        rows = [["年份", "月份", "企业名称", "统一社会信用代码", "所属行业", "产值（万元）"]]
        for month in sorted(self.rng.sample(range(1, 13), self.rng.randint(1, 3))):
            for firm in self._firms():
                value = self._value()
                rows.append([2024, self.spell.choice(month_spellings(month)), firm[0], firm[1], firm[2], value])
                self._record(sheet, len(rows), firm, {Period.month(2024, month): value})
        self._noise(rows, len(rows[0]), 2)
        self.sheets[sheet] = rows

    def _periods_sheet(self, sheet: str) -> None:
        thousand = self.rng.random() < 0.5  # 千元: the generator divides by ten itself
        rows = [["期间", "企业名称", "统一社会信用代码", "产值（千元）" if thousand else "产值（万元）"]]
        spans = [Period.month(2024, m) for m in self.rng.sample(range(1, 13), 2)] + [Period.quarter(2024, 2)]
        for span in self.rng.sample(spans, self.rng.randint(1, 3)):
            for firm in self._firms():
                # A quarter above any month (≤ 900): a whole is never below a part of it in another row.
                value = self._value() if span.months == 1 else round(self.rng.uniform(2700, 5000), 1)
                raw = round(value * 10, 1) if thousand else value
                rows.append([self.spell.choice(period_spellings(span)), firm[0], firm[1], raw])
                self._record(sheet, len(rows), firm, {span: raw / 10 if thousand else raw})
        self._noise(rows, len(rows[0]), 1)
        self.sheets[sheet] = rows

    def _wide_sheet(self, sheet: str) -> None:
        month = self.rng.choice([3, 6])
        rows = [[f"2024年1-{month}月企业产值"], ["企业名称", "统一社会信用代码", "本月产值（万元）", f"1-{month}月累计（万元）"]]
        for firm in self._firms():
            part = self._value()
            # Above any quarter of another sheet, and 1-6月 above any 1-3月: no whole below a part of it.
            whole = round(part + self.rng.uniform(5000, 7000) + (8000 if month == 6 else 0), 1)
            rows.append([firm[0], firm[1], part, whole])
            self._record(sheet, len(rows), firm, {Period.month(2024, month): part, Period.ytd(2024, month): whole})
        self._noise(rows, 4, 0)
        self.sheets[sheet] = rows


def read_generated(book: Generated):
    """("read", rows) or ("refused", the (sheet, row) of every problem)."""
    try:
        out = clean_sheets(book.sheets).output
    except ImportRefused as caught:
        return "refused", {(p.sheet, p.row) for p in caught.problems}
    return "read", sorted(zip(out.name, out.year, out.first_month, out.last_month, out.value_10k.round(6)))


@pytest.mark.parametrize("seed", range(300))
def test_generated_workbooks_read_as_written_whatever_the_spelling(seed):
    book = Generated(seed, spelling_seed=seed)
    if book.repeats:
        assert read_generated(book) == ("refused", book.repeats)
    else:
        expected = sorted((n, y, a, b, round(v, 6)) for n, y, a, b, v in book.expected)
        assert read_generated(book) == ("read", expected)
    # The same table with every period spelled otherwise reads the same.
    assert read_generated(Generated(seed, spelling_seed=seed + 1000)) == read_generated(book)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_a_generated_sheet_reads_alike_as_xlsx_and_csv(seed):
    book = Generated(seed, spelling_seed=seed)
    name, rows = next(iter(book.sheets.items()))
    rows = [[c.strftime("%Y-%m-%d") if isinstance(c, dt.datetime) else c for c in r] for r in rows]
    results = []
    for data, file_name in ((xlsx_bytes({name: rows}), "t.xlsx"), (csv_bytes(rows), "t.csv")):
        try:
            out = clean_workbook(read_workbook(data, file_name)).output
            results.append(sorted(zip(out.name, out.first_month, out.last_month, out.value_10k.round(6))))
        except ImportRefused as caught:
            results.append(sorted(p.row for p in caught.problems))
    assert results[0] == results[1]


# -- a value header that names its own period, or a forecast -------------------------------------

def read_titled(title: str, headers: list, values: list, file_format: str = "xlsx"):
    """One enterprise's row under `headers`, the period in a title row above them, as .xlsx, .xls or CSV."""
    rows = [[title], ["企业名称", *headers], ["甲厂", *values]]
    data = {"xlsx": lambda: xlsx_bytes({"表": rows}), "xls": lambda: xls_bytes(rows), "csv": lambda: csv_bytes(rows)}
    return clean_workbook(read_workbook(data[file_format](), f"t.{file_format}"))


def stored(result) -> list[tuple]:
    out = result.output
    priors = [None if p is None or math.isnan(p) else p for p in out.prior_10k]
    return sorted(zip(out.year, out.first_month, out.last_month, out.value_10k, priors))


@pytest.mark.parametrize("file_format", ["xlsx", "xls", "csv"])
@pytest.mark.parametrize("title,headers,values,expected", [
    pytest.param("2024年1-3月", ["3月产值"], [41.0], [(2024, 3, 3, 41.0, None)], id="3月产值 in a 1-3月 sheet is March"),
    pytest.param("2024年3月", ["2月产值"], [41.0], [(2024, 2, 2, 41.0, None)], id="2月产值 in a March sheet is February"),
    pytest.param("2024年3月", ["2月份产值（万元）"], [41.0], [(2024, 2, 2, 41.0, None)], id="2月份产值（万元）"),
    pytest.param("2024年3月", ["一季度产值"], [41.0], [(2024, 1, 3, 41.0, None)], id="一季度产值 in a March sheet is Q1"),
    pytest.param("2024年4月", ["本月", "一季度", "1-4月"], [40.0, 100.0, 140.0],
                 [(2024, 1, 3, 100.0, None), (2024, 1, 4, 140.0, None), (2024, 4, 4, 40.0, None)],
                 id="一季度 in an April sheet is the quarter before"),
    pytest.param("2024年3月", ["3月累计"], [90.0], [(2024, 1, 3, 90.0, None)], id="3月累计 is 1-3月"),
    pytest.param("2024年1-3月", ["产值", "2023年1-3月"], [30.0, 20.0], [(2024, 1, 3, 30.0, 20.0)],
                 id="2023年1-3月 is the 上年同期"),
    pytest.param("2024年1-3月", ["产值", "2023年产值"], [30.0, 20.0], [(2024, 1, 3, 30.0, 20.0)],
                 id="2023年产值 is the 上年同期"),
    pytest.param("2024年3月", ["本月", "1-3月累计", "2023年1-3月"], [12.0, 30.0, 20.0],
                 [(2024, 1, 3, 30.0, 20.0), (2024, 3, 3, 12.0, None)], id="上年 1-3月 goes beside 1-3月, not March"),
    pytest.param("2024年1-3月", ["1月", "2月", "3月", "1-3月累计"], [10.0, 11.0, 12.0, 33.0],
                 [(2024, 1, 1, 10.0, None), (2024, 1, 3, 33.0, None), (2024, 2, 2, 11.0, None),
                  (2024, 3, 3, 12.0, None)], id="a month per column keeps every month"),
    pytest.param("2024年1-3月", ["产值", "预计产值"], [30.0, 99.0], [(2024, 1, 3, 30.0, None)],
                 id="a forecast is not read"),
    pytest.param("2024年1-3月", ["产值", "全年计划"], [30.0, 200.0], [(2024, 1, 3, 30.0, None)],
                 id="a plan is not read"),
])
def test_a_value_header_naming_its_period_is_read_as_that_period(title, headers, values, expected, file_format):
    assert stored(read_titled(title, headers, values, file_format)) == expected


@pytest.mark.parametrize("header", ["预计产值", "全年计划", "3月预计", "产值预测", "产值目标"])
def test_a_forecast_or_plan_column_is_listed_as_an_unread_indicator(header):
    result = read_titled("2024年1-3月", ["产值", header], [30.0, 99.0])
    assert result.sheets[0].unused == [header]
    assert any(header in w.reason and "未导入" in w.reason for w in result.warnings)


@pytest.mark.parametrize("file_format", ["xlsx", "xls", "csv"])
@pytest.mark.parametrize("title,headers,values,column,words", [
    pytest.param("2024年6月", ["3月产值"], [41.0], "3月产值", "本表的期间2024年6月", id="3月 in a June sheet"),
    pytest.param("2024年3月", ["4月产值"], [41.0], "4月产值", "本表的期间2024年3月", id="a month after the sheet"),
    pytest.param("2024年1-3月", ["1-4月累计"], [41.0], "1-4月累计", "本表的期间2024年1-3月", id="1-4月 in a 1-3月 sheet"),
    pytest.param("2024年1-3月", ["产值", "2022年1-3月"], [30.0, 20.0], "2022年1-3月", "上年",
                 id="two years back"),
    pytest.param("2024年1-3月", ["产值", "2025年产值"], [30.0, 20.0], "2025年产值", "上年", id="a later year"),
    pytest.param("2024年1-3月", ["产值", "上年2024年1-3月"], [30.0, 20.0], "上年2024年1-3月", "上年",
                 id="上年 naming this year"),
    pytest.param("2024年3月", ["本月", "3月"], [40.0, 41.0], "3月", "同为2024年3月", id="本月 and 3月 differ"),
])
def test_a_value_header_whose_period_cannot_be_the_sheets_is_refused(title, headers, values, column, words,
                                                                      file_format):
    with pytest.raises(ImportRefused) as caught:
        read_titled(title, headers, values, file_format)
    (problem,) = caught.value.problems
    assert problem.column == column and words in problem.reason
    assert problem.row == (3 if words.startswith("同为") else 2)  # the figure's row, else the header's


@pytest.mark.parametrize("headers,values", [
    pytest.param(["2023年1-3月"], [20.0], id="only last year's figure"),
    pytest.param(["上年同期"], [20.0], id="only 上年同期"),
    pytest.param(["预计产值"], [20.0], id="only a forecast"),
])
def test_a_sheet_without_this_periods_own_figures_is_refused(headers, values):
    with pytest.raises(ImportRefused) as caught:
        read_titled("2024年1-3月", headers, values)
    (problem,) = caught.value.problems
    assert problem.row == 2 and "缺少产值列" in problem.reason and headers[0] in problem.reason


def test_february_named_in_a_march_sheet_repeats_a_february_sheet():
    problems = refused({"2024年2月": [["企业名称", "产值"], ["甲厂", 41.0]],
                        "2024年3月": [["企业名称", "本月", "2月产值"], ["甲厂", 50.0, 41.0]]})
    assert [(p.sheet, p.row, p.column) for p in problems] == [("2024年3月", 2, "企业名称")]
    assert "2024年2月" in problems[0].reason and "工作表「2024年2月」第2行" in problems[0].reason


def test_a_long_sheet_places_a_named_month_against_each_rows_year():
    rows = [["期间", "企业名称", "本月", "2023年产值"], ["2024-03", "甲厂", 12.0, 10.0], ["2024-04", "甲厂", 13.0, 11.0]]
    out = clean_sheets({"表": rows}).output
    assert list(zip(out.first_month, out.value_10k, out.prior_10k)) == [(3, 12.0, 10.0), (4, 13.0, 11.0)]


# -- units a value column states ----------------------------------------------------------------

@pytest.mark.parametrize("header,value,expected", [
    pytest.param("产值（千）", 100.0, 10.0, id="千 alone is 千元"),
    pytest.param("产值（亿）", 1.5, 15_000.0, id="亿 alone is 亿元"),
    pytest.param("产值（万）", 100.0, 100.0, id="万 alone is 万元"),
    pytest.param("工业总产值（当年价，千元）", 100.0, 10.0, id="a kind and a unit in one bracket"),
    pytest.param("产值（当年价）", 100.0, 100.0, id="当年价 is no unit"),
    pytest.param("产值（现价）", 100.0, 100.0, id="现价 is no unit"),
    pytest.param("产值（1-3月）", 100.0, 100.0, id="a period in brackets is no unit"),
    pytest.param("产值（累计）", 100.0, 100.0, id="累计 in brackets is no unit"),
])
def test_a_unit_in_a_value_headers_brackets_is_read(header, value, expected):
    (row,) = stored(read_titled("2024年1-3月", [header], [value]))
    assert row[3] == expected


@pytest.mark.parametrize("headers,unit_row,column,unit", [
    pytest.param(["产值（吨）"], None, "产值（吨）", "吨", id="吨"),
    pytest.param(["产值（件）"], None, "产值（件）", "件", id="件"),
    pytest.param(["产值（万千瓦时）"], None, "产值（万千瓦时）", "万千瓦时", id="万千瓦时"),
    pytest.param(["产值（US$）"], None, "产值（US$）", "US$", id="US$"),
    pytest.param(["产值（$）"], None, "产值（$）", "$", id="a dollar sign"),
    pytest.param(["产值/吨"], None, "产值/吨", "吨", id="after a slash"),
    pytest.param(["产值"], ["", "吨"], "产值", "吨", id="in the unit row under the header"),
])
def test_a_value_column_in_a_unit_that_is_no_money_is_refused(headers, unit_row, column, unit):
    rows = [["2024年1-3月"], ["企业名称", *headers], *([unit_row] if unit_row else []), ["甲厂", 100.0]]
    problems = refused({"表": rows})
    assert [(p.row, p.column, p.value) for p in problems] == [(3 if unit_row else 2, column, unit)]
    assert "不是能换算成万元的金额单位" in problems[0].reason


def test_a_unit_that_is_no_money_in_a_column_not_read_is_left_alone():
    rows = [["2024年1-3月"], ["企业名称", "产值（万元）", "用电量（万千瓦时）", "产量（吨）"], ["甲厂", 100.0, 30.0, 7.0]]
    assert stored(clean_sheets({"表": rows})) == [(2024, 1, 3, 100.0, None)]
