"""The shipped sample workbooks read directly with openpyxl, independently of the importer, so
tests can compute expected figures from the rows themselves."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
# GB/T 4754 names in the bureau sheets, as DOMAIN.md maps them
GB_SECTORS = {"金属制品业": "五金", "有色金属冶炼和压延加工业": "金属加工", "农副食品加工业": "农产品加工",
              "电气机械和器材制造业": "光伏", "非金属矿物制品业": "建材", "其他制造业": "其他"}


def monthly_rows():
    """(year, month, name, sector label, 规上 是/否, value 万元) from the long workbook."""
    (path,) = SAMPLE.glob("*逐月*.xlsx")
    rows = []
    for ws in openpyxl.load_workbook(path, read_only=True).worksheets:
        assert "示例数据" in str(ws["A1"].value)
        for row in ws.iter_rows(min_row=4, values_only=True):
            if row[0] is not None:
                rows.append((row[0], int(str(row[1]).rstrip("月")), row[2], row[4], row[5], row[6]))
    return rows


def bureau_rows(through: int) -> list[dict]:
    """Enterprise rows of the 2024 1-N月 bureau report, values converted from 千元 to 万元."""
    (path,) = SAMPLE.glob(f"*2024年1-{through}月.xlsx")
    ws = openpyxl.load_workbook(path, read_only=True).active
    rows = []
    for row in ws.iter_rows(min_row=6, values_only=True):
        if isinstance(row[0], int):
            rows.append({"name": row[1].strip(), "sector": GB_SECTORS[row[3]], "above": row[4] == "是",
                         "quarter": row[5] / 10, "ytd": int(str(row[6]).replace(",", "")) / 10,
                         "prior_quarter": row[7] / 10, "prior_ytd": row[8] / 10})
    return rows


def target_rows(year: int) -> dict[str, tuple[str, float]]:
    """{indicator name: (unit, annual target)} from the targets workbook."""
    (path,) = SAMPLE.glob("*目标*.xlsx")
    ws = openpyxl.load_workbook(path, read_only=True)["年度目标"]
    return {r[1]: (r[2], r[3]) for r in ws.iter_rows(min_row=3, values_only=True) if r[0] == year}


def entered_rows(year: int) -> dict[str, dict[int, float]]:
    """{indicator name: {last month: figure entered, in the sheet's unit}} from the targets workbook's
    1-N月完成 columns (blank cells left out)."""
    (path,) = SAMPLE.glob("*目标*.xlsx")
    ws = openpyxl.load_workbook(path, read_only=True)["年度目标"]
    rows = ws.iter_rows(min_row=2, values_only=True)
    months = [int(str(h).split("-")[1].rstrip("月完成")) if h and "完成" in str(h) else None for h in next(rows)]
    return {r[1]: {m: v for m, v in zip(months, r) if m and v is not None} for r in rows if r[0] == year}


def register_rows() -> dict[str, str]:
    """{enterprise: 联系领导} from the register workbook."""
    (path,) = SAMPLE.glob("*名录*.xlsx")
    ws = openpyxl.load_workbook(path, read_only=True).active
    return {r[0]: r[4] for r in ws.iter_rows(min_row=3, values_only=True) if r[0]}


def half_up(value: float, places: int = 1) -> Decimal:
    """四舍五入 as the statistics office does it, written out here apart from lakou_metrics: the
    figure's decimal value (12 significant digits, so the noise of float arithmetic is not a
    digit) rounded half away from zero to `places` decimals."""
    return Decimal(f"{value:.12g}").quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def pct(fraction: float, signed: bool = False) -> str:
    """A fraction as the pages print a percentage or points: one decimal, half up ("54.8",
    "+4.8" when `signed`, "0.0" unsigned)."""
    shown = half_up(fraction * 100, 1)
    return f"{shown:+f}" if signed and shown != 0 else f"{abs(shown) if shown == 0 else shown:f}"


def points_between(a: float, b: float) -> Decimal:
    """a − b in points as a reader subtracts the two percentages shown (54.8 − 50.0 = 4.8)."""
    return half_up(a * 100, 1) - half_up(b * 100, 1)


def yi(value_10k: float) -> str:
    """万元 as official documents write 亿元 amounts: always 2 decimals (half up), no separators."""
    return f"{half_up(value_10k / 10_000, 2):f}亿元"


def project_rows() -> list[dict]:
    """The sample's 2023 projects: name, enterprise, plan, total, 市外内资, contract, signed, and the
    milestone dates (planned, actual) in the order 开工, 主体结顶, 竣工, 投产, as the workbook has them."""
    import datetime as dt

    (path,) = SAMPLE.glob("*重点项目*.xlsx")
    ws = openpyxl.load_workbook(path, read_only=True)["2023年重点项目"]
    assert "示例数据" in str(ws["A1"].value)
    day = lambda v: dt.date.fromisoformat(v) if v else None  # noqa: E731
    return [{"name": r[0], "enterprise": r[1], "total": r[4], "plan": r[5], "inward": r[6] == "是",
             "contract": r[7], "signed": day(r[8]), "contact": r[9],
             "milestones": [(day(r[10 + 2 * i]), day(r[11 + 2 * i])) for i in range(4)]}
            for r in ws.iter_rows(min_row=4, values_only=True) if r[0]]


def progress_rows() -> list[tuple]:
    """(project, month, invested 万元, received 万元 or None) of the sample's 2023 progress sheet."""
    (path,) = SAMPLE.glob("*重点项目*.xlsx")
    ws = openpyxl.load_workbook(path, read_only=True)["2023年项目进度"]
    return [(r[0], int(str(r[2]).rstrip("月")), r[3], r[4]) for r in ws.iter_rows(min_row=3, values_only=True) if r[0]]


def power_rows() -> list[tuple]:
    """(year, month, 户号, enterprise, 万千瓦时) from the electricity workbook (2024's 千瓦时 ÷ 10000)."""
    (path,) = SAMPLE.glob("*用电量*.xlsx")
    rows = []
    for ws in openpyxl.load_workbook(path, read_only=True).worksheets:
        assert "示例数据" in str(ws["A1"].value)
        header = [str(c.value) for c in ws[3]]
        per = 10_000 if "（千瓦时）" in header[4] else 1
        for r in ws.iter_rows(min_row=4, values_only=True):
            if r[0] is not None:
                rows.append((r[0], int(str(r[1]).rstrip("月")), r[2], r[3], r[4] / per))
    return rows


def evaluation_sheet(year: int) -> tuple[list[str], list[dict], dict]:
    """The header, the enterprise rows ({header: cell}) and the 合计 row of a year's 亩均效益评价 workbook."""
    (path,) = SAMPLE.glob(f"*亩均效益评价_{year}年.xlsx")
    ws = openpyxl.load_workbook(path, read_only=True).active
    assert "示例数据" in str(ws["A1"].value) and str(year) in str(ws["A1"].value)
    rows = list(ws.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r[0] == "序号")
    header = list(rows[at])
    body = [dict(zip(header, r)) for r in rows[at + 1:] if isinstance(r[0], int)]
    total = next(dict(zip(header, r)) for r in rows[at + 1:] if r[0] == "合计")
    return header, body, total


def register_figures() -> dict[str, tuple]:
    """{enterprise: (用地面积, 电力户号)} from the register workbook."""
    (path,) = SAMPLE.glob("*名录*.xlsx")
    ws = openpyxl.load_workbook(path, read_only=True).active
    rows = ws.iter_rows(min_row=2, values_only=True)
    header = list(next(rows))
    land, account = header.index("用地面积（亩）"), header.index("电力户号")
    return {r[0]: (r[land], r[account]) for r in rows if r[0]}
