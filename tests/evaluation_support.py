"""A county's 亩均效益评价 workbook built in code, and the scores and classes its rows should get,
worked out here from the rows by the method as the county's notice states it (plain Python and
Decimal, nothing of lakou_metrics), for the page, CLI and briefing tests."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from conftest import long_rows, staff, xlsx_bytes

HEADER = ["序号", "企业名称", "统一社会信用代码", "是否规上", "用地面积（亩）", "税收实际贡献（万元）", "工业增加值（万元）",
          "综合能耗（吨标准煤）", "主要污染物排放当量（吨）", "年平均职工人数（人）", "研发经费支出（万元）", "营业收入（万元）",
          "用电量（万千瓦时）", "投产日期", "备注"]
FIGURES = ["land", "tax", "va", "energy", "emission", "staff", "rd", "revenue", "power"]
WEIGHTS = {True: {"tax_per_mu": ("tax", "land", 30), "value_added_per_mu": ("va", "land", 20),
                  "value_added_per_energy": ("va", "energy", 20), "value_added_per_emission": ("va", "emission", 10),
                  "labour_productivity": ("va", "staff", 10), "rd_share": ("rd", "revenue", 10)},
           False: {"tax_per_mu": ("tax", "land", 50), "tax_per_power": ("tax", "power", 50)}}
SHARES = (Decimal("0.20"), Decimal("0.70"), Decimal("0.95"))
CLASSES = "ABCD"


def firm(name, above, land, tax, va=None, energy=None, emission=None, staff_count=None, rd=None, revenue=None,
         power=None, start=None, note=None):
    """One enterprise's row of the sheet (None: the cell left blank)."""
    return {"name": name, "above": above, "land": land, "tax": tax, "va": va, "energy": energy, "emission": emission,
            "staff": staff_count, "rd": rd, "revenue": revenue, "power": power, "start": start, "note": note}


def above(name, land, tax, emission=10.0, **extra):
    """A 规上 enterprise whose other figures are alike (增加值 1000, 能耗 100, 职工 100, 研发 50 of 营收 2000)."""
    return firm(name, True, land, tax, va=1000.0, energy=100.0, emission=emission, staff_count=100, rd=50.0,
                revenue=2000.0, **extra)


def below(name, land, tax, power, **extra):
    return firm(name, False, land, tax, power=power, **extra)


# 2023: 规上 甲 乙 丙 (乙 has no emission figure: it takes the group's average on 单位排放增加值); 规下 丁
# (亩均税收 past 3 times the base: capped), 己 (no power: a zero denominator), 戊, eight more 规下 (n = 11,
# so the last is D), 庚 without land and 辛 with a 投产日期 of May 2023 (not rated), 壬 whose first output
# report is of April 2023 (its first year: not rated).
ROWS_2023 = [
    above("甲", 10, 200.0), above("乙", 10, 100.0, emission=None, note="排放数据待环保部门核实"), above("丙", 20, 60.0),
    below("丁", 2, 300.0, 50.0), below("戊", 10, 20.0, 20.0), below("己", 10, 40.0, 0.0),
    *[below(f"规下{i}", 10, 10.0 * i, 10.0 + i) for i in range(1, 9)],
    below("庚", None, 30.0, 10.0), below("辛", 5, 10.0, 5.0, start=dt.date(2023, 5, 1)), below("壬", 8, 50.0, 10.0),
]
# 2022: 丁 low (D), 戊 high (A), 己 in between; the others as in 2023.
ROWS_2022 = [
    above("甲", 10, 100.0), above("乙", 10, 100.0), above("丙", 20, 60.0),
    below("丁", 2, 1.0, 50.0), below("戊", 10, 500.0, 20.0), below("己", 10, 40.0, 10.0),
    *[below(f"规下{i}", 10, 10.0 * i, 10.0 + i) for i in range(1, 9)],
]
# Output reports (for 投产首年): everyone from January 2023, 壬 from April 2023.
OUTPUT_2023 = [(2023, m, r["name"], "五金", r["above"], 100.0) for r in ROWS_2023 if r["name"] != "壬"
               for m in (1, 2, 3, 4)] + [(2023, 4, "壬", "五金", False, 80.0)]


def evaluation_sheet(year: int, rows: list[dict], town: str = "腊口镇") -> list[list]:
    """The sheet as a county sends it: a title naming the year, a unit row, the header, one row per
    enterprise, a 合计 row and notes under the table."""
    table = [[f"{year}年度{town}工业企业亩均效益评价数据表"], ["单位：万元、亩、吨标准煤、吨、人、万千瓦时"], HEADER]
    for i, r in enumerate(rows, start=1):
        table.append([i, r["name"], None, "是" if r["above"] else "否", *(r[f] for f in FIGURES),
                      r["start"].isoformat() if r["start"] else None, r["note"]])
    table.append([None, "合计", None, None, *(sum(r[f] or 0 for r in rows) for f in FIGURES), None, None])
    table += [[], ["注：1. 税收实际贡献不含土地使用税；2. 数据经企业核对。"]]
    return table


def import_evaluation(engine, years=(2022, 2023), output: bool = True) -> None:
    """The output reports of 2023 and the evaluation sheets of `years`, imported as staff would."""
    from lakou_metrics import importing

    if output:
        importing.import_bytes(engine, xlsx_bytes({"产值": long_rows(OUTPUT_2023)}), "产值.xlsx", operator=staff())
    for year in years:
        rows = {2022: ROWS_2022, 2023: ROWS_2023}[year]
        importing.import_bytes(engine, xlsx_bytes({f"{year}年": evaluation_sheet(year, rows)}),
                               f"{year}年度亩均效益评价.xlsx", operator=staff())


def _d(value) -> Decimal:
    return Decimal(repr(float(value)))


def _half_up(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def expected(rows: list[dict], year: int, first_year: set[str] = frozenset(), last: dict | None = None) -> dict:
    """{name: {"score", "rank", "class", "reason", "change", "items"}} as the county's method gives it:
    groups apart; not rated without land or in the first year (a 投产日期 or `first_year`); base = sum
    of numerators / sum of denominators over the rated with both figures and a denominator above 0;
    item = weight × min(value / base, 3) rounded half up to 0.01; an item without its figures takes
    the group's average item (rounded half up); classes by rank against n × 20/70/95% rounded half
    up, equal scores sharing the better rank; change against `last` ({name: class})."""
    found = {}
    for group in (True, False):
        members = [r for r in rows if r["above"] is group]
        rated = []
        for r in members:
            started = r["start"] is not None and (r["start"].year, r["start"].month) > (year, 1)
            reason = ("没有用地面积（未填或为0），不参评" if not r["land"] else
                      "当年新投产（投产未满一年），不参评" if started or r["name"] in first_year else None)
            found[r["name"]] = {"reason": reason, "items": {}, "score": None, "rank": None, "class": None,
                                "change": None, "group": "规上" if group else "规下"}
            if reason is None:
                rated.append(r)
        if not rated:
            continue
        for code, (num, den, weight) in WEIGHTS[group].items():
            own = [r for r in rated if r[num] is not None and r[den] is not None and r[den] > 0]
            base = sum(_d(r[num]) for r in own) / sum(_d(r[den]) for r in own)
            scores = {r["name"]: _half_up(weight * min(_d(r[num]) / _d(r[den]) / base, Decimal(3))) for r in own}
            average = (sum(scores.values()) / len(scores)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            for r in rated:
                found[r["name"]]["items"][code] = scores.get(r["name"], average)
        totals = {r["name"]: sum(found[r["name"]]["items"].values()) for r in rated}
        n = len(rated)
        limits = [int((n * share).quantize(Decimal(1), rounding=ROUND_HALF_UP)) for share in SHARES]
        for name, total in totals.items():
            rank = 1 + sum(other > total for other in totals.values())
            grade = next((c for c, limit in zip(CLASSES, limits) if rank <= limit), "D")
            before = (last or {}).get(name)
            change = ("新评" if before is None else "升档" if grade < before else "降档" if grade > before else "持平")
            found[name].update(score=float(total), rank=rank, **{"class": grade}, change=change)
    return found


def expected_classes(rows, year, first_year=frozenset(), last=None) -> dict[str, str]:
    return {name: e["class"] for name, e in expected(rows, year, first_year, last).items()}


def expected_2023() -> dict:
    """2023 against 2022 (壬 in its first year by its first output report)."""
    return expected(ROWS_2023, 2023, {"壬"}, expected_classes(ROWS_2022, 2022))
