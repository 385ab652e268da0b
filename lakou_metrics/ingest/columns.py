"""The one place for header aliases, units and yes/no words (sector names: domain/sectors.py): data, not if-chains.

To teach the importer a new header, add it to a table here; nothing else changes.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..domain.periods import normalise_text
from ..domain.sectors import SECTOR_ALIASES
from ..domain.targets import INDICATORS, Indicator

# Clean role → the headers it has worn in real files (compared after `normalise_header`).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "enterprise": (
        "企业名称", "单位名称", "单位详细名称", "企业(单位)名称", "企业", "企业全称", "名称",
        "纳税人名称", "法人单位名称", "单位全称", "项目单位", "实施主体", "业主单位", "建设单位", "项目业主",
    ),
    # 重点项目 (a project register or its monthly progress): "项目" alone stays a target's 指标.
    "project": ("项目名称", "重点项目", "重点项目名称", "项目全称"),
    "project_kind": ("建设性质", "项目性质", "建设类型"),
    "total_investment": ("总投资", "计划总投资", "项目总投资", "总投资额"),
    "year_plan": ("年度计划投资", "本年计划投资", "当年计划投资", "年度投资计划", "年度计划", "本年度计划投资"),
    "manufacturing": ("是否制造业", "是否制造业项目", "制造业项目"),
    "inward": ("是否市外内资", "是否市外内资项目", "市外内资项目", "市外内资"),
    "contracted": ("合同引资额", "合同利用市外内资", "合同引进市外内资", "合同资金", "合同金额"),
    "signed": ("签约日期", "签约时间"),
    "issues": ("问题与需协调事项", "存在问题及需协调事项", "存在问题", "需协调事项", "问题及需协调事项",
               "问题与困难", "存在困难和问题"),
    "credit_code": (
        "统一社会信用代码", "社会信用代码", "信用代码", "统一代码", "组织机构代码", "法人单位代码",
    ),
    "sector": (
        "所属行业", "行业", "行业类别", "行业名称", "行业分类", "产业", "所属产业", "产业类别",
        "国民经济行业", "国民经济行业分类", "行业门类", "行业代码及名称",
    ),
    "above_scale": ("是否规上", "规上", "是否规模以上", "规模以上", "规上企业", "企业规模", "规模"),
    "town": ("乡镇", "对比乡镇", "乡镇名称", "镇名", "镇", "对比镇", "所属乡镇", "所在乡镇", "乡镇街道", "所属镇"),
    "contact": ("联系领导", "挂联领导", "包联领导", "责任领导", "联系镇领导", "一对一联系领导"),
    "year": ("年份", "年度", "年", "统计年度", "报告年份"),
    "quarter": ("季度", "季", "报告季度"),
    "month": ("月份", "月", "报告月份"),
    "period": ("期间", "统计期", "统计期间", "报告期", "时期", "所属期", "日期", "年月"),
    "serial": ("序号", "编号", "排名", "行次"),
    "indicator": ("指标", "指标名称", "目标指标", "项目"),
    "unit": ("单位", "计量单位"),
    "target": ("年度目标", "全年目标", "目标", "目标值", "年度目标值", "年度产值目标", "目标产值"),
    "actual": ("累计完成", "完成", "实际完成", "完成值", "累计完成值"),
}

# Words that make a header an output (value) column, and how its span relates to the period.
VALUE_WORDS = ("产值", "总产值", "工业总产值", "工业产值", "产出", "数值", "金额")
MONTH_WORDS = ("本月", "当月")
QUARTER_WORDS = ("本季", "当季", "本季度", "当季度")
YTD_WORDS = ("累计", "本年累计", "1-本月累计", "1-本月", "本年", "年初至今")
PRIOR_WORDS = ("上年同期", "去年同期", "上年", "去年", "同期")
GROWTH_WORDS = ("增速", "增长", "增幅", "同比", "%", "比上年")
REFERENCE_PREFIX = "参考"  # a pre-filled template's read-only columns (参考：上年同期…): never read
# Other indicators a bureau form carries beside 工业总产值 (each with its own 本月/累计/上年同期
# columns): present, but not output. A value column under one of these is not read.
OTHER_INDICATOR_WORDS = ("销售产值", "出口交货值", "交货值", "增加值", "营业收入", "主营业务收入", "利润",
                         "税金", "用电量", "能耗", "从业人员", "产销率", "新产品产值", "出口")

UNIT_FACTORS_TO_10K = {"元": 1e-4, "千元": 0.1, "万元": 1.0, "亿元": 1e4}
_UNIT_IN_TEXT = re.compile(r"(?:单位|计量单位)?[:：]?\s*(千元|万元|亿元|元)")
_PAREN = re.compile(r"[(\[（【]([^)\]）】]*)[)\]）】]")
_YTD_RANGE = re.compile(r"(\d{1,2})[-—–~～至到]+(\d{1,2})月")

YES_WORDS = ("是", "规上", "规模以上", "√", "✓", "y", "yes", "true", "1", "1.0", "规上企业")
NO_WORDS = ("否", "规下", "规模以下", "×", "n", "no", "false", "0", "0.0", "规下企业", "限下")

# Rows whose first text cell starts with one of these are totals, not enterprises; and any row
# whose text holds one of TOTAL_INSIDE_WORDS (规上小计, 五金行业小计, 全镇合计).
TOTAL_ROW_WORDS = ("合计", "小计", "总计", "全镇", "本页合计", "其中", "汇总", "全县", "共计")
TOTAL_INSIDE_WORDS = ("小计", "合计", "总计", "共计")
# A section heading of a bureau form: 一、规模以上工业企业 / （二）规模以下 / 1、规下企业.
_SECTION = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、．])")
# Rows below the table that are notes about the form.
FOOTNOTE_WORDS = ("填报单位", "填报人", "填表人", "负责人", "制表", "日期", "填报日期", "注:", "注：",
                  "说明", "备注:", "审核人", "单位负责人", "统计负责人")


def normalise_header(text) -> str:
    """Header text for matching: NFKC, no spaces, unit and brackets removed, lower-case."""
    text = normalise_text(text)
    text = _PAREN.sub(lambda m: "" if unit_in(m.group(1)) or not m.group(1) else m.group(1), text)
    return text.replace("：", ":").lower()


def unit_in(text) -> str | None:
    """The money unit named in a header or a unit row ("产值（千元）", "单位：万元"), else None."""
    m = _UNIT_IN_TEXT.search(normalise_text(text))
    return m.group(1) if m else None


def match_role(header: str) -> str | None:
    """The clean role of a non-value column, by exact alias; None if it is not one."""
    key = normalise_header(header)
    for role, aliases in _ALIAS_INDEX:
        if key in aliases:
            return role
    return None


# A project's milestones, in the order a project passes them: code → the words a header uses.
MILESTONES: dict[str, tuple[str, ...]] = {
    "start": ("开工",),
    "topping": ("主体结顶", "结顶"),
    "completion": ("竣工",),
    "production": ("投产",),
}
_MILESTONE_KINDS = {"planned": "计划", "actual": "实际"}
# The stored fields of a project's milestone dates, in order: start_planned, start_actual, …
MILESTONE_FIELDS = tuple(f"{code}_{kind}" for code in MILESTONES for kind in _MILESTONE_KINDS)


def _milestone_aliases() -> dict[str, tuple[str, ...]]:
    """Role milestone_<code>_<planned|actual> → its headers: 计划开工日期, 开工时间(计划), and 开工/计划
    (a merged 开工 over 计划 | 实际, which the header reader joins as parent + sub)."""
    aliases = {}
    for code, words in MILESTONES.items():
        for kind, kind_word in _MILESTONE_KINDS.items():
            forms = []
            for w in words:
                for when in ("", "日期", "时间"):
                    forms += [f"{kind_word}{w}{when}", f"{w}{kind_word}{when}", f"{w}{when}{kind_word}",
                              f"{w}{when}/{kind_word}"]
            aliases[f"milestone_{code}_{kind}"] = tuple(forms)
    return aliases


COLUMN_ALIASES.update(_milestone_aliases())
# A project's progress sheet: investment completed, and inward capital received (到位), by span.
INVESTED_WORDS = ("完成投资", "投资完成", "完成固定资产投资", "实际完成投资")
RECEIVED_WORDS = ("到位资金", "到位市外内资", "实际到位", "资金到位", "到位")


def classify_project_measure(header: str) -> tuple[str, tuple] | None:
    """("invested" | "received", span kind as classify_value_header gives it) for a header of a
    project progress sheet (本月完成投资, 1-5月完成投资, 累计到位资金); None for other columns."""
    key = normalise_header(header)
    if "计划" in key or "合同" in key or "是否" in key or key.startswith(REFERENCE_PREFIX):
        return None
    measure = ("invested" if any(w in key for w in INVESTED_WORDS) else
               "received" if any(w in key for w in RECEIVED_WORDS) else None)
    if measure is None:
        return None
    m = _YTD_RANGE.search(key)
    if m and int(m.group(1)) <= int(m.group(2)) <= 12:
        return measure, ("range", (int(m.group(1)), int(m.group(2))), False)
    if any(w in key for w in YTD_WORDS):
        return measure, ("ytd", None, False)
    if any(w in key for w in MONTH_WORDS):
        return measure, ("month", None, False)
    return measure, ("period", None, False)


_ALIAS_INDEX = [(role, {normalise_header(a) for a in aliases}) for role, aliases in COLUMN_ALIASES.items()]


def classify_value_header(header: str) -> tuple[str, tuple[int, int] | None, bool] | None:
    """How a header relates to output: (span kind, explicit months, is_prior) or None.

    Span kinds: "period" (the row's or sheet's own period), "month", "quarter", "ytd",
    "range" (explicit months such as 1-4月, given as the second item). Growth columns → None.
    """
    key = normalise_header(header)
    if not key or any(w in key for w in GROWTH_WORDS) and not any(w in key for w in PRIOR_WORDS[:2]):
        return None
    if names_other_indicator(key) or key.startswith(REFERENCE_PREFIX):
        return None
    is_prior = any(w in key for w in PRIOR_WORDS)
    if is_prior and any(w in key for w in GROWTH_WORDS if w != "同比"):
        return None
    m = _YTD_RANGE.search(key)
    if m and int(m.group(1)) <= int(m.group(2)) <= 12:
        return ("range", (int(m.group(1)), int(m.group(2))), is_prior)
    if any(w in key for w in YTD_WORDS):
        return ("ytd", None, is_prior)
    if any(w in key for w in QUARTER_WORDS):
        return ("quarter", None, is_prior)
    if any(w in key for w in MONTH_WORDS):
        return ("month", None, is_prior)
    if is_prior:
        return ("period", None, True)
    if any(w in key for w in VALUE_WORDS):
        return ("period", None, False)
    return None


def names_other_indicator(header) -> str | None:
    """The other indicator a header belongs to (工业销售产值, 出口交货值 …), else None."""
    key = normalise_header(header)
    return next((w for w in OTHER_INDICATOR_WORDS if w in key), None)


_SECTOR_INDEX = [(code, [normalise_header(a) for a in aliases]) for code, aliases in SECTOR_ALIASES.items()]


@lru_cache(maxsize=4096)
def match_sector(label) -> str | None:
    """Sector code for a label: exact alias, else an alias inside the label (e.g. "C33金属制品业").

    Returns None for an unknown label; the caller files it under "other" with a warning.
    """
    key = normalise_header(label)
    key = re.sub(r"^[a-z]?\d+", "", key)  # GB/T 4754 codes before the name: C33, 3311
    for code, aliases in _SECTOR_INDEX:
        if key in aliases:
            return code
    best = None
    for code, aliases in _SECTOR_INDEX:
        for alias in aliases:
            if len(alias) >= 2 and alias in key and (best is None or len(alias) > best[1]):
                best = (code, len(alias))
    return best[0] if best else None


@lru_cache(maxsize=4096)
def match_yes_no(value) -> bool | None:
    """True/False for 是/否 and their variants; None when blank or unrecognised."""
    key = normalise_text(value).lower()
    if key in YES_WORDS:
        return True
    if key in NO_WORDS:
        return False
    return None


@lru_cache(maxsize=65536)
def is_total_row(text: str) -> bool:
    key = normalise_text(text)
    return key.startswith(TOTAL_ROW_WORDS) or any(w in key for w in TOTAL_INSIDE_WORDS)


@lru_cache(maxsize=4096)
def section_heading(text) -> tuple[bool, bool | None] | None:
    """A section heading ("一、规模以上工业企业"): (True, its 规上 flag — True, False, or None when it
    does not say); None when the text is not a heading."""
    key = normalise_text(text)
    if not _SECTION.match(key):
        return None
    body = _SECTION.sub("", key)
    if any(w in body for w in ("规模以下", "规下", "限下")):
        return True, False
    if any(w in body for w in ("规模以上", "规上")):
        return True, True
    return True, None


@lru_cache(maxsize=65536)
def is_footnote_row(text: str) -> bool:
    return normalise_text(text).startswith(FOOTNOTE_WORDS)


_BY_NAME = {
    normalise_header(name): ind for ind in INDICATORS for name in (ind.name, ind.code, *ind.aliases)
}


def match_indicator(name) -> Indicator | None:
    """The indicator a row names, by its name or an alias; None if unknown."""
    return _BY_NAME.get(normalise_header(name))
