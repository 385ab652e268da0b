"""Exports: styled workbooks and CSV in which no cell can run as a formula."""
import csv
import io
import zipfile

import openpyxl
import pandas as pd
import pytest
import python_calamine
from conftest import long_rows, staff, xlsx_bytes

from lakou_metrics import importing, store
from lakou_metrics.compute.metrics import Ledger
from lakou_metrics.compute.report import compute_year_to_date
from lakou_metrics.domain.periods import Period
from lakou_metrics.output import export

DANGEROUS = ["=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "\nLF"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_neutralises_formula_text(text):
    data = export.to_csv(pd.DataFrame({"企业名称": [text, "正常企业"], "产值（万元）": [-1.5, 2.0]}))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[1][0] == "'" + text
    assert rows[2][0] == "正常企业"
    assert [rows[1][1], rows[2][1]] == ["-1.5", "2.0"]  # numbers stay numbers


def test_xlsx_writes_formula_text_as_plain_strings():
    data = export.to_xlsx({"企业": pd.DataFrame({"企业名称": DANGEROUS, "产值（万元）": range(len(DANGEROUS))})},
                          {"产值（万元）": "0.0"})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet and b"<f " not in sheet
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    def as_text(values):  # readers differ on a bare CR (kept, or read back as LF)
        return [str(v).replace("\r", "\n") for v in values]

    assert as_text(c.value for c in ws["A"][1:]) == as_text(DANGEROUS)
    assert all(c.data_type == "s" for c in ws["A"][1:])
    assert ws["B2"].number_format == "0.0" and ws.freeze_panes == "A2"
    values = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert as_text(row[0] for row in values[1:]) == as_text(DANGEROUS)


def test_stored_and_computed_tables(engine):
    rows = [(2023, 1, "甲", "五金", True, 100.0), (2024, 1, "甲", "五金", True, 150.0),
            (2024, 1, "@乙", "光伏", False, 50.0)]
    importing.import_bytes(engine, xlsx_bytes({"s": long_rows(rows)}), "a.xlsx", operator=staff())
    tables = export.stored_tables(store.load_observations(engine), store.load_enterprises(engine))
    output = tables["企业产值"]
    assert list(output.columns) == ["年份", "期间", "企业名称", "统一社会信用代码", "行业", "是否规上", "产值（万元）",
                                    "上年同期（万元）"]
    assert sorted(output["企业名称"]) == ["@乙", "甲", "甲"]
    # The register exported imports back with its 用地面积 and 电力户号.
    importing.import_bytes(engine, xlsx_bytes({"企业名录": [["企业名称", "用地面积（亩）", "电力户号"], ["甲", 12.5, "330"]]}),
                           "名录.xlsx", operator=staff())
    register = export.stored_tables(store.load_observations(engine), store.load_enterprises(engine))["企业名录"]
    assert list(register.columns) == ["企业名称", "统一社会信用代码", "行业", "是否规上", "联系领导", "用地面积（亩）", "电力户号"]
    again = importing.read_and_clean(xlsx_bytes({"企业名录": [list(register.columns),
                                                              *register.astype(object).where(register.notna(), None)
                                                              .values.tolist()]}), "导出.xlsx")
    details = again.enterprise_details.set_index("name_key")
    assert (details.loc["甲", "land_mu"], details.loc["甲", "power_account"]) == (12.5, "330")
    ytd = compute_year_to_date(Ledger(store.load_observations(engine)), Period(2024, 1, 1), {},
                               pd.DataFrame(columns=["indicator", "last_month", "actual"]), {})
    computed = export.computed_tables(ytd)
    summary = computed["汇总"].set_index("指标")
    assert summary.loc["2024年1月工业总产值（全部企业）", "产值（万元）"] == 200
    assert summary.loc["2024年1月工业总产值（全部企业）", "同比"] == pytest.approx(1.0)  # 200 against 100 (+ 乙's 0)
    workbook = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(computed, export.FORMATS)))
    assert workbook.sheetnames == ["汇总", "分行业", "企业", "目标", "预警"]
    cells = [c.value for c in workbook["企业"]["B"]]
    assert "@乙" in cells and workbook["企业"]["B"][cells.index("@乙")].data_type == "s"


def test_computed_tables_follow_the_selected_scope(engine):
    rows = [(2023, 1, "甲", "五金", True, 100.0), (2023, 1, "乙", "光伏", False, 80.0),
            (2024, 1, "甲", "五金", True, 150.0), (2024, 1, "乙", "光伏", False, 40.0)]
    importing.import_bytes(engine, xlsx_bytes({"s": long_rows(rows)}), "a.xlsx", operator=staff())
    ytd = compute_year_to_date(Ledger(store.load_observations(engine)), Period(2024, 1, 1), {},
                               pd.DataFrame(columns=["indicator", "last_month", "actual"]), {})
    above = export.computed_tables(ytd, above_only=True)
    assert list(above["企业"]["企业名称"]) == ["甲"]
    assert list(above["预警"]["企业名称"]) == []  # 乙 (规下, -50%) is out of scope
    sectors = above["分行业"].set_index("行业")
    assert sectors.loc["五金", "产值（万元）"] == 150 and sectors.loc["光伏", "产值（万元）"] == 0
    everyone = export.computed_tables(ytd)
    assert sorted(everyone["企业"]["企业名称"]) == ["乙", "甲"] and "乙" in list(everyone["预警"]["企业名称"])


def test_a_swing_in_the_export_carries_its_season():
    from test_metrics import _months, _observations

    # 甲's March was +40% over February in 2022 and 2023; in 2024 +150%: the export says both.
    rows = (_months(1, "甲", 2022, [100, 100, 140]) + _months(1, "甲", 2023, [200, 200, 280])
            + _months(1, "甲", 2024, [150, 150, 375]))
    ytd = compute_year_to_date(Ledger(_observations(rows)), Period.ytd(2024, 3), {},
                               pd.DataFrame(columns=["indicator", "last_month", "actual"]), {}, monthly=True,
                               projection=False)
    warnings = export.computed_tables(ytd)["预警"]
    swing = warnings[warnings["规则"] == "当期环比异常波动"].iloc[0]
    assert swing["数值"] == pytest.approx(375 / 150 - 1) and swing["往年同期环比"] == pytest.approx(0.40)
    assert swing["情况"] == "本期环比+150.0%，往年同期环比+40.0%，高110.0个百分点"
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx({"预警": warnings}, export.FORMATS)))["预警"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=header.index("往年同期环比") + 1).number_format == export.PERCENT
