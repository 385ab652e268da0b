"""Output sheets read by columns (ingest.sheets.output_columns) must give exactly what reading
them row by row gives: the same figures, enterprises, reports, warnings, and the same problems
named by row and column when a file is refused. Compared on many generated sheets, clean and
messy, read both ways."""
import copy
import random

import pytest

from lakou_metrics.ingest import clean
from lakou_metrics.ingest.errors import ImportRefused
from lakou_metrics.ingest.read import RawSheet, RawWorkbook
from lakou_metrics.ingest.sheets import output_columns

NAMES = ["甲五金厂", "乙金属公司", "丙农产品公司", "丁光伏科技", "戊建材厂", "己机械厂", "庚阀门公司", "辛食品厂"]
SECTORS = ["五金", "金属加工", "农产品加工", "光伏", "建材", "其他", "不知道"]
CODES = ["91331121MA2A000001", "91331121MA2A00000X", "123", ""]


def _value(rng: random.Random, messy: bool):
    if messy and rng.random() < 0.08:
        return rng.choice(["", "-", "1,234.5", "12.5", "abc", -3.0, float("inf"), "１２３", 7, True])
    return round(rng.uniform(0, 900), rng.choice([0, 1, 2]))


def _long_sheet(rng: random.Random, messy: bool, name: str) -> RawSheet:
    header = ["年份", "月份", "企业名称", "统一社会信用代码", "所属行业", "是否规上", "产值（万元）"]
    if rng.random() < 0.4:
        header.append("上年同期产值（万元）")
    rows = [["全县工业企业逐月产值（单位：万元）"], header]
    months = rng.sample(range(1, 13), rng.randint(1, 4))
    firms = rng.sample(NAMES, rng.randint(2, len(NAMES)))
    for month in months:
        for firm in firms:
            shown = firm
            if messy and rng.random() < 0.05:
                shown = firm + "\u200b"  # the same enterprise spelled with an invisible character
            row = [2024.0, float(month) if rng.random() > 0.02 or not messy else "十三月", shown,
                   rng.choice(CODES[:2]) if not messy else rng.choice(CODES), rng.choice(SECTORS[:6] if not messy
                                                                                     else SECTORS),
                   rng.choice(["是", "否"]), _value(rng, messy)]
            if len(header) == 8:
                row.append(_value(rng, messy) if rng.random() > 0.3 else "")
            rows.append(row)
    if messy and rng.random() < 0.3:
        rows.append(["", "", "合计", "", "", "", 999.0] + [""] * (len(header) - 7))
    if messy and rng.random() < 0.2:
        rows.insert(2, ["", "", "一、规模以上工业企业", "", "", "", ""] + [""] * (len(header) - 7))
    if messy and rng.random() < 0.2:
        rows.append(["", "", "", "", "", "", 5.0] + [""] * (len(header) - 7))  # a figure without a name
    if messy and rng.random() < 0.2:
        rows.append(list(rows[-1]))  # an enterprise twice in one period
    if rng.random() < 0.3:
        rows.append([""] * len(header))  # trailing blank rows, as templates have
    if messy and rng.random() < 0.2:
        rows.append(["填报人：张三"] + [""] * (len(header) - 1))
    return RawSheet(name, rows)


def _wide_sheet(rng: random.Random, messy: bool, name: str) -> RawSheet:
    rows = [["2024年1-6月企业产值"], ["企业名称", "所属行业", "本季产值（万元）", "累计产值（万元）", "上年同期累计（万元）"]]
    for firm in rng.sample(NAMES, rng.randint(2, len(NAMES))):
        rows.append([firm, rng.choice(SECTORS[:6]), _value(rng, messy), _value(rng, messy),
                     _value(rng, messy) if rng.random() > 0.2 else ""])
    return RawSheet(name, rows)


def _workbook(seed: int) -> RawWorkbook:
    rng = random.Random(seed)
    messy = seed % 3 != 0
    sheets = [(_long_sheet if rng.random() < 0.7 else _wide_sheet)(rng, messy, f"表{n}")
              for n in range(rng.randint(1, 3) if messy else 1)]  # several sheets may repeat a period
    return RawWorkbook("生成.xlsx", "xlsx", sheets)


def _outcome(book: RawWorkbook, monkeypatch, by_columns: bool):
    monkeypatch.setattr(output_columns, "ENABLED", by_columns)
    try:
        result = clean.clean_workbook(copy.deepcopy(book))
    except ImportRefused as refused:
        return "refused", [str(p) for p in refused.problems]
    output = result.output.astype(object).where(result.output.notna(), None).to_dict("records")
    return "read", (output, result.enterprises.astype(object).where(result.enterprises.notna(), None)
                    .to_dict("records"), result.sheets, [str(w) for w in result.warnings])


@pytest.mark.parametrize("seed", range(150))
def test_columns_and_rows_read_a_sheet_alike(seed, monkeypatch):
    book = _workbook(seed)
    assert _outcome(book, monkeypatch, True) == _outcome(book, monkeypatch, False)


def test_clean_sheets_are_read_by_columns_and_messy_ones_row_by_row(monkeypatch):
    taken = []
    real = output_columns._Table.store
    monkeypatch.setattr(output_columns._Table, "store", lambda self, parts: (taken.append(1), real(self, parts)))
    clean_books = [_workbook(seed) for seed in range(0, 30, 3)]
    for book in clean_books:
        clean.clean_workbook(copy.deepcopy(book))
    assert len(taken) == sum(len(b.sheets) for b in clean_books)  # every clean sheet went by columns

    taken.clear()
    total = [["年份", "月份", "企业名称", "产值（万元）"], [2024.0, 1.0, "甲厂", 5.0], [2024.0, 1.0, "甲厂", 6.0]]
    with pytest.raises(ImportRefused) as refused:
        clean.clean_workbook(RawWorkbook("重复.xlsx", "xlsx", [RawSheet("表", total)]))
    assert taken == []  # the duplicate is named row by row
    assert [(p.row, p.column) for p in refused.value.problems] == [(3, "企业名称")]


def test_a_long_sheet_by_columns_keeps_row_order_and_figures():
    rows = [["年份", "月份", "企业名称", "产值（千元）", "上年同期（千元）"]]
    expected = []
    for month in (1, 2):
        for n, firm in enumerate(NAMES[:3]):
            value, prior = 1000.0 * (n + 1) + month, 900.0 * (n + 1)
            rows.append([2024.0, float(month), firm, value, prior])
            expected.append((firm, month, value / 10, prior / 10))  # 千元 → 万元 by hand
    result = clean.clean_workbook(RawWorkbook("t.xlsx", "xlsx", [RawSheet("表", rows)]))
    out = result.output
    assert list(out.name) == [e[0] for e in expected]
    assert list(out.first_month) == [e[1] for e in expected]
    assert list(out.value_10k) == pytest.approx([e[2] for e in expected])
    assert list(out.prior_10k) == pytest.approx([e[3] for e in expected])
    assert list(out.row) == list(range(2, 8))
