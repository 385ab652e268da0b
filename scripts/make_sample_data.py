"""Write the sample workbooks in data/sample/ (示例数据). The content is deterministic (only the
files' save timestamps change); run again to regenerate.

They tell the speech's story (DOMAIN.md): 2023 Q1 town output exactly 14,000万元; 华都新能源
starts production after its first phase is finished mid-2023, 龙显 in June; the 2023 targets
of the speech. The enterprises named in the speech appear beside fictional ones; every file and
sheet says 示例数据. Shapes are those staff receive: a long monthly sheet with a title row, wide
bureau-style quarterly reports in 千元 with merged two-row headers, a 合计 row and footnotes.
"""
from __future__ import annotations

import math
import random
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from lakou_metrics.domain.sectors import SECTOR_NAMES, SECTOR_ORDER
from lakou_metrics.domain.targets import INDICATOR_BY_CODE, SPEECH_TARGETS, SPEECH_YEAR, UNIT_FACTORS

OUT = Path(__file__).resolve().parent.parent / "data" / "sample"
SEASON = [0.070, 0.052, 0.082, 0.082, 0.084, 0.085, 0.083, 0.084, 0.088, 0.089, 0.092, 0.109]
OFFICIALS = ["周建华", "吴晓东", "郑丽", "王海涛", "陈立群", "刘敏", "徐志强", "林芳"]
SECTOR_LABELS = {  # what the 2024 bureau sheets call each sector (GB/T 4754 names)
    "hardware": "金属制品业", "metals": "有色金属冶炼和压延加工业", "agriculture": "农副食品加工业",
    "photovoltaic": "电气机械和器材制造业", "building_materials": "非金属矿物制品业", "other": "其他制造业",
}
SHORT_LABELS = SECTOR_NAMES  # what the long monthly sheets call each sector

# name, sector, 2022 annual output (万元), 2023 growth, 2024 growth, 规上 2022/2023, 规上 2024,
# first month of production in 2023 (None: producing throughout)
ENTERPRISES = [
    ("卓尔五金", "hardware", 4100, 0.46, 0.18, True, True, None),
    ("腊口恒达五金", "hardware", 2600, 0.35, 0.08, True, True, None),
    ("青田瓯江工具", "hardware", 2660, 0.12, 0.09, False, True, None),
    ("腊口华丰锁业", "hardware", 1820, -0.08, 0.02, False, False, None),
    ("石塔精工五金", "hardware", 1370, 0.05, -0.12, False, False, None),
    ("北坑不锈钢制品", "hardware", 2300, 0.41, 0.14, True, True, None),
    ("腊口永信五金", "hardware", 1060, 0.02, 0.04, False, False, None),
    ("武垟机械配件", "hardware", 1610, 0.14, 0.09, False, False, None),
    ("外垟门业", "hardware", 900, -0.15, -0.05, False, False, None),
    ("腊口创新厨具", "hardware", 730, 0.09, 0.11, False, False, None),
    ("石普铝业", "metals", 5200, 0.48, 0.16, True, True, None),
    ("友邦铝业", "metals", 4300, 0.44, 0.12, True, True, None),
    ("腊口鑫源铜业", "metals", 2900, 0.31, -0.06, True, True, None),
    ("青田金源铝材", "metals", 2380, 0.16, 0.12, False, True, None),
    ("大坑合金材料", "metals", 1540, -0.22, -0.10, False, False, None),
    ("腊口精密铸造", "metals", 1230, 0.07, 0.03, False, False, None),
    ("瓯江型材", "metals", 970, 0.10, 0.06, False, False, None),
    ("浙南油茶", "agriculture", 3100, 0.36, 0.15, True, True, None),
    ("龙山果业", "agriculture", 2400, 0.33, 0.12, True, True, None),
    ("中野植物科技", "agriculture", 2750, 0.42, 0.21, True, True, None),
    ("中穗米厂", "agriculture", 2240, 0.11, 0.07, False, False, None),
    ("腊口茶叶加工", "agriculture", 870, 0.06, 0.09, False, False, None),
    ("青田杨梅食品", "agriculture", 760, -0.04, 0.13, False, False, None),
    ("石帆山珍", "agriculture", 570, 0.15, 0.02, False, False, None),
    ("虞宅笋干加工", "agriculture", 420, -0.30, -0.18, False, False, None),
    ("腊口田鱼食品", "agriculture", 660, 0.08, 0.05, False, False, None),
    ("浙江华都新能源", "photovoltaic", 0, None, 0.0, True, True, 8),
    ("腊口光能科技", "photovoltaic", 1450, 0.38, 0.20, True, True, None),
    ("青田阳光组件", "photovoltaic", 1090, 0.40, 0.30, False, False, None),
    ("康盛新墙材", "building_materials", 2700, 0.30, 0.04, True, True, None),
    ("宏泰新型建材", "building_materials", 2200, 0.27, 0.06, True, True, None),
    ("腊口商砼", "building_materials", 2520, -0.05, -0.14, False, False, None),
    ("石塔砂石加工", "building_materials", 1330, -0.12, -0.25, False, False, None),
    ("北坑石材", "building_materials", 780, 0.03, 0.01, False, False, None),
    ("石塔线缆", "other", 2100, 0.37, 0.17, True, True, None),
    ("龙显", "other", 0, None, 0.0, False, False, 6),
    ("腊口包装材料", "other", 1220, 0.05, 0.03, False, False, None),
    ("青田印务", "other", 630, -0.02, 0.00, False, False, None),
    ("腊口塑料制品", "other", 970, 0.08, -0.03, False, False, None),
    ("瓯江纺织", "other", 530, -0.10, -0.08, False, False, None),
]
# New production: annual run-rate once producing (万元), by 2023 and by 2024.
NEW_RUN_RATE = {"浙江华都新能源": (9000, 12000), "龙显": (2400, 3000)}
Q1_2023_TOTAL_TENTHS = 140_000  # 14,000.0万元 (1.4亿元), the speech's figure


def credit_code(i: int) -> str:
    # Fictional codes of the right shape: 91 + 331121 (Qingtian) + 10 characters.
    return f"91331121MA2{i:03d}X{i % 10}Y{(i * 7) % 10}"[:18]


def monthly_tenths(rng: random.Random) -> dict[tuple[str, int], list[int]]:
    """Output per enterprise and year by month, in tenths of 万元 (integers, so sums are exact)."""
    months: dict[tuple[str, int], list[int]] = {}
    for name, _sector, base, g23, g24, *_rest, start in ENTERPRISES:
        for year, growth in ((2022, None), (2023, g23), (2024, g24)):
            if base:
                annual = base * (1 + (g23 or 0)) ** (year >= 2023) * (1 + g24) ** (year >= 2024)
            else:
                annual = NEW_RUN_RATE[name][0 if year == 2023 else 1] if year >= 2023 else 0
            row = []
            for m in range(1, 13):
                share = SEASON[m - 1] * rng.uniform(0.93, 1.07)
                if base == 0 and year == 2023:
                    share = (1 / 12) * rng.uniform(0.9, 1.1) if m >= start else 0.0
                row.append(round(annual * share * 10))
            months[(name, year)] = row
    # 2023 Q1 must total exactly 14,000.0万元: scale every year alike (growth rates stay), then
    # put the last tenths of rounding into one March.
    q1 = sum(sum(v[:3]) for (n, y), v in months.items() if y == 2023)
    for values in months.values():
        values[:] = [round(v * Q1_2023_TOTAL_TENTHS / q1) for v in values]
    q1 = sum(sum(v[:3]) for (n, y), v in months.items() if y == 2023)
    months[("石普铝业", 2023)][2] += Q1_2023_TOTAL_TENTHS - q1
    return months


def write_long(months) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for year in (2022, 2023):
        ws = wb.create_sheet(f"{year}年")
        ws.append([f"腊口镇工业企业逐月产值（{year}年，示例数据）"])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append([])
        ws.append(["年份", "月份", "企业名称", "统一社会信用代码", "所属行业", "是否规上", "产值（万元）"])
        for m in range(1, 13):
            for i, (name, sector, *_r, scale, _s24, _start) in enumerate(ENTERPRISES):
                value = months[(name, year)][m - 1]
                if value == 0 and not (year == 2023 and name in NEW_RUN_RATE):
                    continue  # not yet an enterprise; new ones report 0 until they produce
                ws.append([year, f"{m}月", name, credit_code(i), SHORT_LABELS[sector],
                           "是" if scale else "否", value / 10])
        for col, width in zip("ABCDEFG", (8, 8, 18, 22, 12, 10, 14)):
            ws.column_dimensions[col].width = width
    wb.save(OUT / "示例数据_企业产值_2022-2023年逐月.xlsx")


def write_bureau(months, through: int) -> None:
    """A wide quarterly report for 2024 1-N月, in 千元, as the county bureau lays it out."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"2024年1-{through}月"
    ws.append(["腊口镇工业企业产值快报（示例数据）"])
    ws.merge_cells("A1:J1")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([f"2024年1-{through}月"])
    ws.merge_cells("A2:J2")
    ws["A2"].alignment = Alignment(horizontal="center")
    ws.append([None] * 9 + ["计量单位：千元"])
    ws.append(["序号", "单位详细名称", "统一社会信用代码", "行业", "是否规上", "工业总产值", None, None, None,
               "增速（%）"])
    ws.append([None] * 5 + ["本季", f"1-{through}月", "上年同期", "上年同期累计", None])
    ws.merge_cells("F4:I4")
    for col in "ABCDEJ":
        ws.merge_cells(f"{col}4:{col}5")
    total = [0, 0, 0, 0]
    n = 0
    for i, (name, sector, *_r, _scale, scale24, _start) in enumerate(ENTERPRISES):
        m24, m23 = months[(name, 2024)], months[(name, 2023)]
        quarter = sum(m24[through - 3:through])  # tenths of 万元 = 千元
        ytd = sum(m24[:through])
        prior_q = sum(m23[through - 3:through])
        prior_ytd = sum(m23[:through])
        n += 1
        name_cell = f" {name} " if i % 7 == 3 else name  # stray spaces, as typed by hand
        growth = round((ytd - prior_ytd) / prior_ytd * 100, 1) if prior_ytd else None
        ws.append([n, name_cell, credit_code(i), SECTOR_LABELS[sector], "是" if scale24 else "否",
                   quarter, f"{ytd:,}" if i % 5 == 0 else ytd, prior_q, prior_ytd, growth])
        for k, v in enumerate((quarter, ytd, prior_q, prior_ytd)):
            total[k] += v
    ws.append(["合计", None, None, None, None, *total,
               round((total[1] - total[3]) / total[3] * 100, 1)])
    ws.append([])
    ws.append(["填报单位：腊口镇经济发展办公室（示例）", None, None, None, None, "填报人：示例", None, None,
               f"报出日期：2024-{through + 1:02d}-10"])
    for col, width in zip("ABCDEFGHIJ", (6, 18, 22, 26, 9, 12, 12, 12, 14, 10)):
        ws.column_dimensions[col].width = width
    wb.save(OUT / f"示例数据_腊口镇工业产值快报_2024年1-{through}月.xlsx")


def write_register() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "企业名录"
    ws.append(["腊口镇工业企业名录（示例数据）"])
    ws.append(["企业名称", "统一社会信用代码", "所属行业", "是否规上", "联系领导", "用地面积（亩）", "电力户号"])
    for i, (name, sector, *_r, _scale, scale24, _start) in enumerate(ENTERPRISES):
        ws.append([name, credit_code(i), SHORT_LABELS[sector], "是" if _scale else "否",
                   OFFICIALS[i % len(OFFICIALS)], land_mu(name), power_account(i)])
    wb.save(OUT / "示例数据_企业名录.xlsx")


def write_targets(months) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "年度目标"
    ws.append(["腊口镇工业经济主要目标（示例数据；2023年目标取自全镇工业经济推进会讲话）"])
    ws.append(["年份", "指标", "单位", "年度目标", "1-3月完成", "1-6月完成", "1-9月完成", "1-12月完成"])
    # The speech's targets come from lakou_metrics.targets (canonical units), written in the units
    # the town uses, with made-up quarterly progress (示例).
    # The four targets key projects add up to are the town's figures, of which the key projects
    # are part: each is the projects' sum for the same months plus the rest of the town (示例).
    projects = project_sums()
    progress = {
        "land_acquired": ("亩", (62, 148, 231, 306)), "land_granted": ("亩", (40, 121, 214, 329)),
        "net_new_above_scale": ("家", (0, 1, 1, 2)),
        **{code: (unit, tuple(_entered(projects[code][i] + OTHER_THAN_PROJECTS[code][i], unit) for i in range(4)))
           for code, unit in PROJECT_TARGET_UNITS.items()},
        "total_output_growth": ("%", ()), "above_scale_output": ("亿元", ()),
        "above_scale_output_growth": ("%", ()),
    }
    for code, target in SPEECH_TARGETS.items():
        unit, done = progress[code]
        ws.append([SPEECH_YEAR, INDICATOR_BY_CODE[code].name, unit, round(target / UNIT_FACTORS[unit], 4),
                   *done])
    # 2024's output targets: 2023's actual plus the growth the town plans (示例).
    total_2023 = sum(sum(months[(e[0], 2023)]) for e in ENTERPRISES) / 10
    above_2023 = sum(sum(months[(e[0], 2023)]) for e in ENTERPRISES if e[5]) / 10
    plan_2024 = [
        ("完成征地工业用地面积", "亩", 280, (55, 120, 190)),
        ("实际出让工业用地面积", "亩", 300, (30, 96, 171)),
        ("完成制造业投资", "亿元", 2.5, (0.45, 1.1, 1.72)),
        ("净增规模以上企业", "家", 3, (0, 1, 2)),
        ("合同引进市外内资", "亿元", 4.5, (0.8, 2.1, 3.0)),
        ("实际到位市外内资", "亿元", 2.5, (0.4, 1.0, 1.6)),
        ("引进大项目", "个", 3, (0, 1, 1)),
        ("工业总产值", "亿元", round(total_2023 * 1.15 / 10_000, 2), ()),
        ("工业总产值同比增长", "%", 15, ()),
        ("规模以上工业产值", "亿元", round(above_2023 * 1.18 / 10_000, 2), ()),
        ("规模以上工业产值同比增长", "%", 18, ()),
    ]
    for name, unit, target, done in plan_2024:
        ws.append([2024, name, unit, target, *done])
    for col, width in zip("ABCDEFGH", (8, 26, 8, 10, 11, 11, 11, 12)):
        ws.column_dimensions[col].width = width

    ws2 = wb.create_sheet("企业产值目标")
    ws2.append(["腊口镇企业年度产值目标（示例数据）"])
    ws2.append(["年份", "企业名称", "年度产值目标（万元）"])
    for year in (2023, 2024):
        for name, *_r in ENTERPRISES:
            last = sum(months[(name, year - 1)]) / 10
            if last:
                ws2.append([year, name, round(last * 1.08, -1)])
    wb.save(OUT / "示例数据_年度目标.xlsx")


# 重点项目 of 2023, the four the speech follows (示例): name, enterprise, sector, kind, total and 2023
# planned investment (万元), 市外内资 contract (万元) and its signing date, contact, milestones
# (planned, actual) for 开工 / 主体结顶 / 竣工 / 投产, issues; then monthly investment and received.
# Plans add up to the speech's 完成制造业投资 2亿元; the two signed in 2023 of 1亿元 and more are
# its 引进大项目 2个, their contracts its 合同引进市外内资 4亿元.
PROJECTS = [
    ("浙江华都新能源一期厂房", "浙江华都新能源", "光伏", "新建", 30000, 9000, 30000, "2023-01-18", "王海涛",
     (("2022-10-31", "2022-10-20"), ("2023-03-31", "2023-04-10"), ("2023-06-30", "2023-07-25"),
      ("2023-07-31", "2023-08-01")), "一期厂房竣工验收，需协调供电增容",
     (900, 800, 1000, 1000, 1000, 900, 800, 700, 600, 400, 300, 300),
     (0, 2000, 0, 1500, 0, 2500, 0, 1500, 0, 2000, 0, 2000)),
    ("石塔线缆扩建项目", "石塔线缆", "其他", "扩建", 6000, 3500, None, None, "周建华",
     (("2022-11-30", "2022-11-15"), ("2023-03-31", "2023-03-28"), ("2023-09-30", "2023-11-10"),
      ("2023-12-31", None)), "设备进场晚于计划，竣工推迟",
     (300, 250, 300, 300, 300, 300, 300, 300, 250, 250, 200, 150), None),
    ("卓尔五金二期工程", "卓尔五金", "五金", "扩建", 12000, 5000, 12000, "2023-04-10", "吴晓东",
     (("2023-04-30", "2023-04-20"), ("2023-09-30", None), ("2024-03-31", None), ("2024-06-30", None)),
     "二期部分用地报批中，需协调县自然资源局加快审批",
     (0, 0, 0, 300, 500, 600, 600, 700, 700, 600, 500, 400),
     (0, 0, 0, 0, 1000, 0, 1000, 0, 1500, 0, 1500, 1000)),
    ("龙显新建厂房", "龙显", "其他", "新建", 5000, 2500, None, None, "郑丽",
     (("2022-08-31", "2022-08-20"), ("2022-12-31", "2023-01-15"), ("2023-04-30", "2023-05-20"),
      ("2023-05-31", "2023-06-01")), None,
     (400, 400, 450, 400, 350, 200, 100, 50, 50, 50, 0, 0), None),
]


# What the town did beyond its key projects, 1-3/1-6/1-9/1-12月 of 2023 (示例): smaller investments,
# contracts and capital received, in 万元; big projects (个) are all key projects.
OTHER_THAN_PROJECTS = {"manufacturing_investment": (600, 1300, 1900, 2400),
                       "contracted_capital": (2000, 4000, 6000, 8000),
                       "actual_capital": (1000, 1000, 2000, 1500), "major_projects": (0, 0, 0, 0)}
PROJECT_TARGET_UNITS = {"manufacturing_investment": "亿元", "major_projects": "个", "contracted_capital": "亿元",
                        "actual_capital": "亿元"}
BIG_PROJECT_MIN_10K = 10_000  # [projects] big_project_min_10k's default


def project_sums() -> dict[str, list[float]]:
    """The 2023 key projects' sums at the end of March, June, September and December, as the
    dashboard computes them (万元; 个): investment of the (all manufacturing) projects, projects
    signed by then of 1亿元 and more, their 市外内资 contracts, and capital received."""
    sums: dict[str, list[float]] = {code: [] for code in PROJECT_TARGET_UNITS}
    for through in (3, 6, 9, 12):
        signed = [p for p in PROJECTS if p[7] and int(p[7][5:7]) <= through]
        sums["manufacturing_investment"].append(sum(sum(p[11][:through]) for p in PROJECTS))
        sums["major_projects"].append(sum(1 for p in signed if p[4] >= BIG_PROJECT_MIN_10K))
        sums["contracted_capital"].append(sum(p[6] for p in signed))
        sums["actual_capital"].append(sum(sum(p[12][:through]) for p in PROJECTS if p[12]))
    return sums


def _entered(value: float, unit: str) -> float:
    """A figure staff would type: 亿元 to two decimals, rounded up so that it is never below the sum."""
    if unit == "亿元":
        return math.ceil(value / 100) / 100
    return value


def write_projects() -> None:
    """The 2023 project register and its monthly progress, one workbook of two sheets."""
    wb = Workbook()
    ws = wb.active
    ws.title = "2023年重点项目"
    ws.append(["腊口镇2023年重点项目（示例数据，单位：万元）"])
    stones = ("开工", "主体结顶", "竣工", "投产")
    ws.append(["项目名称", "企业名称", "行业", "建设性质", "总投资", "年度计划投资", "是否市外内资", "合同引资额",
               "签约日期", "联系领导", *(x for s in stones for x in (s, None)), "问题与需协调事项"])
    ws.append([None] * 10 + ["计划", "实际"] * 4 + [None])
    for i in range(4):
        first = 11 + 2 * i
        ws.merge_cells(start_row=2, start_column=first, end_row=2, end_column=first + 1)
    for (name, enterprise, sector, kind, total, plan, contract, signed, contact, dates, issues,
         _invested, _received) in PROJECTS:
        ws.append([name, enterprise, sector, kind, total, plan, "是" if contract else "否", contract, signed,
                   contact, *(d for pair in dates for d in pair), issues])
    for col, width in zip("ABCDEFGHIJKLMNOPQRS", (24, 16, 8, 8, 8, 12, 12, 10, 12, 10, *(11,) * 8, 36)):
        ws.column_dimensions[col].width = width
    ws2 = wb.create_sheet("2023年项目进度")
    ws2.append(["腊口镇2023年重点项目逐月进度（示例数据）"])
    ws2.append(["项目名称", "年份", "月份", "本月完成投资（万元）", "本月到位资金（万元）"])
    for name, *_r, invested, received in PROJECTS:
        for month in range(1, 13):
            ws2.append([name, 2023, f"{month}月", invested[month - 1],
                        received[month - 1] if received else None])
    wb.save(OUT / "示例数据_重点项目_2023年.xlsx")


def write_peer() -> None:
    """温溪镇, the richer neighbour the speech compares with: the figures its own sample (county/)
    gives, as staff would type them from its report: 万元 to one decimal, growth in % to one
    decimal (四舍五入), so the comparison agrees with the county edition's computed figures."""
    wb = Workbook()
    ws = wb.active
    ws.title = "温溪镇"
    ws.append(["对比乡镇主要指标（示例数据，虚构；与县域示例中温溪镇的数据一致）"])
    ws.append(["乡镇", "年份", "期间", "指标", "单位", "数值"])
    rows, _ = county_rows("温溪镇")
    tenths: dict[tuple, int] = {}
    for year, month, _name, _sector, above, value in rows:
        for scope in ("all", "above") if above == "是" else ("all",):
            for through in range(int(month.rstrip("月")), 13):
                tenths[(scope, year, through)] = tenths.get((scope, year, through), 0) + round(value * 10)
    for year, throughs in ((2023, (3, 6, 9, 12)), (2024, (3, 6, 9))):
        for through in throughs:
            for scope, name in (("all", "工业总产值"), ("above", "规模以上工业产值")):
                now, before = tenths[(scope, year, through)], tenths[(scope, year - 1, through)]
                # The same enterprises report every month of every year: growth on the whole base.
                growth = Decimal(now - before) * 100 / Decimal(before)
                ws.append(["温溪镇", year, f"1-{through}月", name, "万元", now / 10])
                ws.append(["温溪镇", year, f"1-{through}月", f"{name}同比增长", "%",
                           float(growth.quantize(Decimal("0.1"), ROUND_HALF_UP))])
    wb.save(OUT / "示例数据_对比乡镇_温溪镇.xlsx")


# The county edition's sample (make run-county): two more towns of Qingtian beside Lakou, each with
# its own enterprises, monthly output 2022 to September 2024 and a 2024 output target.
COUNTY_TOWNS = {"温溪镇": (36, 2.6, 0.07), "船寮镇": (18, 0.55, -0.03)}  # enterprises, size, 2024 growth
TOWN_WORDS = ["宏达", "恒昌", "瓯江", "新峰", "金源", "华盛", "明珠", "永利", "东方", "力源", "天成", "富康"]
TOWN_SECTORS = list(SECTOR_ORDER)


def county_rows(town: str) -> tuple[list[tuple], float]:
    """A county sample town's rows (year, month, enterprise, sector, 是/否 规上, 万元), 2022 to
    September 2024, and its 2023 total: the same for the same town on every run."""
    t = list(COUNTY_TOWNS).index(town)
    count, size, growth = COUNTY_TOWNS[town]
    rng = random.Random(20240000 + t)
    rows, total_2023 = [], 0.0
    for i in range(count):
        name = f"{town[:2]}{TOWN_WORDS[i % len(TOWN_WORDS)]}{SECTOR_NAMES[TOWN_SECTORS[i % 6]][:2]}有限公司"
        if i >= len(TOWN_WORDS):
            name = name.replace("有限公司", f"{i // len(TOWN_WORDS) + 1}厂")
        annual = rng.uniform(300, 9000) * size
        above = annual >= 2000
        g23, g24 = rng.uniform(-0.12, 0.2), growth + rng.uniform(-0.15, 0.15)
        for year, scale in ((2022, 1.0), (2023, 1 + g23), (2024, (1 + g23) * (1 + g24))):
            for m in range(1, 13 if year < 2024 else 10):
                value = round(annual * scale * SEASON[m - 1] * rng.uniform(0.93, 1.07), 1)
                total_2023 += value if year == 2023 else 0
                rows.append((year, f"{m}月", name, SECTOR_NAMES[TOWN_SECTORS[i % 6]], "是" if above else "否", value))
    return rows, total_2023


def write_county_towns() -> None:
    folder = OUT / "county"
    folder.mkdir(exist_ok=True)
    for town, (_count, _size, growth) in COUNTY_TOWNS.items():
        wb = Workbook()
        ws = wb.active
        ws.title = "逐月产值"
        ws.append([f"{town}工业企业逐月产值（2022年-2024年9月，示例数据）"])
        ws.append(["年份", "月份", "企业名称", "所属行业", "是否规上", "产值（万元）"])
        rows, total_2023 = county_rows(town)
        for row in rows:
            ws.append(list(row))
        wb.save(folder / f"{town}_企业产值_2022-2024年逐月.xlsx")
        targets = Workbook()
        sheet = targets.active
        sheet.title = "年度目标"
        sheet.append([f"{town}工业经济主要目标（示例数据）"])
        sheet.append(["年份", "指标", "单位", "年度目标"])
        sheet.append([2024, "工业总产值", "亿元", round(total_2023 * (1 + growth + 0.03) / 10000, 2)])
        targets.save(folder / f"{town}_年度目标.xlsx")


# 以电核产 and 亩均效益评价 (示例): electricity tracks output at a sector's intensity (万千瓦时 per 万元 of
# output), month by month within a few per cent, except two enterprises whose 2024 output rises while
# their power falls (the ones a town calls first).
POWER_INTENSITY = {"hardware": 0.030, "metals": 0.085, "agriculture": 0.018, "photovoltaic": 0.026,
                   "building_materials": 0.060, "other": 0.022}
POWER_DIVERGERS = {"青田金源铝材": 0.78, "中野植物科技": 0.80}  # 2024 power per 万元 against 2023's
POWER_YEARS = (2022, 2023, 2024)
POWER_MONTHS_2024 = 9  # through September, like the 2024 output reports
EVALUATION_YEARS = (2022, 2023)
NEW_PLANT_START = {"浙江华都新能源": "2023-08-01", "龙显": "2023-06-01"}  # 投产日期
NO_LAND = {"青田印务": "租用厂房，无自有用地"}  # 用地面积 0: not rated
EMISSION_PENDING = ("宏泰新型建材", 2023, "排放当量待生态环境分局核定")  # a blank figure: the group's average


def land_mu(name: str) -> float:
    """An enterprise's industrial land (亩): about one 亩 per 110-260万元 of 2022 output; the new
    plants' land as granted; none for one that rents its workshop."""
    if name in NO_LAND:
        return 0
    if name in NEW_RUN_RATE:
        return {"浙江华都新能源": 126.5, "龙显": 31.2}[name]
    i = [e[0] for e in ENTERPRISES].index(name)
    base = ENTERPRISES[i][2]
    return round(base / (110 + (i * 37) % 150), 1)


def power_account(i: int) -> str:
    """A 供电所 户号 (fictional, ten digits)."""
    return f"33{(i * 7919) % 10_000_000 + 61_000_000:08d}"


def monthly_power(months, rng: random.Random) -> dict[tuple[str, int], list[int]]:
    """Electricity per enterprise and year by month, in hundredths of 万千瓦时 (integers)."""
    power: dict[tuple[str, int], list[int]] = {}
    for name, sector, *_rest in ENTERPRISES:
        for year in POWER_YEARS:
            intensity = POWER_INTENSITY[sector] * (POWER_DIVERGERS.get(name, 1.0) if year == 2024 else 1.0)
            power[(name, year)] = [round(v / 10 * intensity * rng.uniform(0.97, 1.03) * 100)
                                   for v in months[(name, year)]]
    return power


def write_power(power) -> None:
    """The 供电所's monthly electricity: one sheet per year, 户号 and 企业名称, 万千瓦时 (2024 in 千瓦时, as
    the 供电所 prints it)."""
    wb = Workbook()
    wb.remove(wb.active)
    for year in POWER_YEARS:
        kwh = year == 2024
        last = POWER_MONTHS_2024 if year == 2024 else 12
        ws = wb.create_sheet(f"{year}年" if last == 12 else f"{year}年1-{last}月")
        ws.append([f"腊口镇工业企业逐月用电量（{year}年，示例数据）"])
        ws.append([])
        ws.append(["年份", "月份", "户号", "企业名称", "用电量（千瓦时）" if kwh else "用电量（万千瓦时）"])
        for m in range(1, last + 1):
            for i, (name, *_r) in enumerate(ENTERPRISES):
                value = power[(name, year)][m - 1]
                if value == 0:
                    continue  # not yet connected
                ws.append([year, f"{m}月", power_account(i), name, value * 100 if kwh else value / 100])
        for col, width in zip("ABCDE", (8, 8, 14, 18, 18)):
            ws.column_dimensions[col].width = width
    wb.save(OUT / "示例数据_企业用电量_2022-2024年.xlsx")


EVALUATION_HEADER = ["序号", "企业名称", "统一社会信用代码", "是否规上", "用地面积（亩）", "税收实际贡献（万元）",
                     "工业增加值（万元）", "综合能耗（吨标准煤）", "主要污染物排放当量（吨）", "年平均职工人数（人）",
                     "研发经费支出（万元）", "营业收入（万元）", "用电量（万千瓦时）", "投产日期", "备注"]


def evaluation_rows(months, power, year: int, rng: random.Random) -> list[list]:
    """One row per enterprise producing in `year`: its figures from its output and power (示例)."""
    rows = []
    for i, (name, sector, _base, _g23, _g24, scale, *_r) in enumerate(ENTERPRISES):
        output = sum(months[(name, year)]) / 10
        if output == 0:
            continue
        kwh = sum(power[(name, year)]) / 100
        revenue = round(output * rng.uniform(0.95, 1.08), 1)
        value_added = round(output * rng.uniform(0.17, 0.29), 1)
        energy = round(kwh * 1.229 * rng.uniform(1.0, 1.35), 1)  # 1万千瓦时 = 1.229吨标准煤, plus fuel
        emission = round(energy * rng.uniform(0.002, 0.012), 2)
        note = NO_LAND.get(name)
        if (name, year) == EMISSION_PENDING[:2]:
            emission, note = None, EMISSION_PENDING[2]
        rows.append([len(rows) + 1, name, credit_code(i), "是" if scale else "否", land_mu(name),
                     round(output * rng.uniform(0.018, 0.065), 1), value_added, energy, emission,
                     round(output / rng.uniform(45, 95)), round(revenue * rng.uniform(0.0, 0.045), 1) if scale
                     else round(revenue * rng.uniform(0.0, 0.015), 1), revenue, round(kwh, 2),
                     NEW_PLANT_START.get(name), note])
    return rows


def write_evaluation(months, power, year: int, rng: random.Random) -> None:
    """A year's 亩均效益评价 data as the county sends it: title, unit row, header, a 合计 row, notes."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年度"
    ws.append([f"{year}年度腊口镇工业企业亩均效益综合评价数据表（示例数据）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(EVALUATION_HEADER))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(["填报单位：腊口镇人民政府（示例）"])
    ws.append(EVALUATION_HEADER)
    rows = evaluation_rows(months, power, year, rng)
    for row in rows:
        ws.append(row)
    sums = [round(sum(r[k] or 0 for r in rows), 2) for k in range(4, 13)]
    ws.append(["合计", None, None, None, *sums, None, None])
    ws.append([])
    ws.append(["注：1.税收为税务部门提供的实际入库税收；2.能耗、排放由发改、生态环境部门核定；3.本表为示例数据，"
               "企业及数据均为虚构。"])
    for col, width in zip("ABCDEFGHIJKLMNO", (6, 18, 22, 8, 10, 12, 12, 12, 14, 12, 12, 12, 12, 12, 28)):
        ws.column_dimensions[col].width = width
    wb.save(OUT / f"示例数据_亩均效益评价_{year}年.xlsx")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    months = monthly_tenths(random.Random(20230511))  # the date of the speech
    write_register()
    write_long(months)
    for through in (3, 6, 9):
        write_bureau(months, through)
    write_targets(months)
    write_peer()
    write_projects()
    write_county_towns()
    power = monthly_power(months, random.Random(20240108))
    write_power(power)
    for year in EVALUATION_YEARS:
        write_evaluation(months, power, year, random.Random(year))
    for path in sorted(OUT.rglob("*.xlsx")):
        print(path.relative_to(OUT.parent.parent))


if __name__ == "__main__":
    main()
