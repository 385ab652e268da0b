"""The one place for header aliases, units and yes/no words (sector names: domain/sectors.py): data, not if-chains.

To teach the importer a new header, add it to a table here; nothing else changes.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

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
    "town": ("乡镇", "对比乡镇", "乡镇名称", "镇名", "镇", "对比镇", "所属乡镇", "所在乡镇", "乡镇街道", "所属镇",
             "街道", "所属街道", "所在街道", "镇街", "所属镇街", "所在镇街", "乡镇街"),
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
    # The register's 用地面积 and 电力户号 (an electricity sheet may name enterprises by 户号 alone).
    "land_mu": ("用地面积", "用地面积(亩)", "占地面积", "占地面积(亩)", "土地面积", "土地面积(亩)", "实际用地面积",
                "实际用地面积(亩)", "企业用地面积", "用地(亩)"),
    "power_account": ("电力户号", "户号", "用电户号", "电表户号", "供电户号", "用电客户编号", "电力客户编号",
                      "用户编号(电力)", "电力户号(供电所)"),
    "production_start": ("投产日期", "投产时间", "投产年月", "正式投产日期", "投产年份"),
    "note": ("备注", "备注说明"),
}

# 亩均评价 figures (domain.evaluation.FIGURES) → the headers they wear, compared without their
# brackets (税收实际贡献（万元）is 税收实际贡献). A sheet with three of them, 用地面积 or 税收 among
# them, is an evaluation sheet (layout.SheetLayout.measure); elsewhere these columns are not read.
EVALUATION_ALIASES: dict[str, tuple[str, ...]] = {
    "land_mu": COLUMN_ALIASES["land_mu"],
    "tax_10k": ("税收实际贡献", "实际税收贡献", "税收贡献", "税收", "实缴税金", "实缴税收", "实交税金", "入库税收",
                "税收总额", "纳税总额", "实际入库税收", "税收实际贡献额"),
    "value_added_10k": ("工业增加值", "增加值", "工业增加值(现价)"),
    "energy_tce": ("综合能耗", "综合能源消费量", "能源消费量", "总能耗", "能耗", "综合能源消费"),
    "emission_t": ("主要污染物排放当量", "污染物排放当量", "排放当量", "主要污染物排放量", "排污当量"),
    "staff": ("年平均职工人数", "平均职工人数", "职工人数", "年平均从业人员", "从业人员平均人数", "从业人员",
              "年平均从业人数", "员工人数"),
    "rd_10k": ("研发经费支出", "研发经费", "研发投入", "r&d经费支出", "研究与试验发展经费支出", "研发费用"),
    "revenue_10k": ("营业收入", "营业总收入", "主营业务收入", "销售收入"),
    "power_10k_kwh": ("用电量", "总用电量", "年用电量", "全年用电量", "工业用电量"),
}
# Words of a header of electricity (本月用电量, 1-3月累计用电量): the rest says its span, as output's.
POWER_WORDS = ("用电量", "耗电量", "售电量", "电量", "用电")

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
# A forecast or a plan is no actual: an output header with one of these (预计产值, 3月预计, 全年计划)
# is another indicator too, listed and not read.
FORECAST_WORDS = ("预计", "预测", "计划", "目标")

# A money unit as files write it: a scale (千, 万, 百万 …) before a currency. Which of them can be
# converted is domain.units.MONEY_UNITS; another currency (美元, 港元) is read only to be refused.
_MONEY = r"[十百千万亿]{0,2}(?:人民币)?(?:美元|美金|港元|港币|欧元|日元|英镑|澳元|加元|韩元|卢布|元)(?:人民币)?"
# Where a text states a unit, never a size class (年主营业务收入2000万元及以上, 亿元以上企业):
# after a 单位 label ("单位：千元", "计量单位:万元"), alone in brackets ("产值（千元）"), alone
# ("千元"), or after a slash ("产值/千元").
_UNIT_STATED = re.compile(rf"(?:计量|金额|货币|价值)?单位(?:[:：]|为|是)?(?P<a>{_MONEY})(?!以上|以下|及以上)"
                          rf"|[(\[（【](?P<b>{_MONEY})[)\]）】]"
                          rf"|^(?P<c>{_MONEY})$"
                          rf"|/(?P<d>{_MONEY})$")
# A cell that is nothing but a unit statement ("单位：千元", "千元", "（万元）"): beside the headers.
_UNIT_STATEMENT = re.compile(rf"^[(（]?(?:(?:计量|金额|货币|价值)?单位[:：]?)?(?P<u>{_MONEY})[)）]?$")
# A header may also end in its unit ("工业总产值千元", a group over its sub-header), not after a digit.
_UNIT_AT_END = re.compile(rf"(?<![\d.]){_MONEY}$")
# Units of other things a header or a unit row under it may name beside money (增速 %, 用电量 千瓦时,
# 产量 吨 …), with a scale before them or not (万吨, 万千瓦时): a value column in one is refused, a
# column the import does not read keeps it.
OTHER_UNITS = ("%", "％", "家", "个", "人", "亩", "公顷", "吨标准煤", "吨标煤", "千克标准煤", "tce", "吨",
               "千瓦时", "度", "平方米", "立方米", "件", "台", "套", "只",
               "辆", "箱", "千克", "公斤", "克", "米", "千瓦", "kwh", "kw")
_OTHER_UNIT = re.compile("^[十百千万亿]{0,2}(?:%s)$" % "|".join(map(re.escape, OTHER_UNITS)), re.IGNORECASE)
# Money in a currency written as a symbol or a code (US$, $, USD, HK$, €): never 元.
_FOREIGN_MONEY = re.compile(r"^[十百千万亿]{0,2}(?:(?:us|hk|nt|a|c|s)?\$|usd|hkd|eur|gbp|jpy|€|£)[十百千万亿]{0,2}$",
                            re.IGNORECASE)
# A scale alone in a money column's header (产值（千）, 产值（亿）) is that many 元: how every
# statistics office reads it.
_MONEY_SCALES = ("十万", "百万", "千万", "千", "万", "亿")
UNIT_ROW_LABELS = ("单位", "计量单位", "单位:", "计量单位:", "金额单位", "金额单位:")
_PAREN = re.compile(r"[(\[（【]([^)\]）】]*)[)\]）】]")
_YTD_RANGE = re.compile(r"(\d{1,2})[-—–~～至到]+(\d{1,2})月")
# The months a value header names itself (3月产值, 2月份, 一季度, 上半年, 1-4月) and its year (2023年…).
_HEADER_YEAR = re.compile(r"(?<!\d)((?:19|20|21)\d{2})年度?")
_HEADER_MONTHS = re.compile(r"(?P<q1_3>前三季度?)|(?P<h1>上半年)|(?P<h2>下半年)|(?P<year>全年)"
                            r"|第?(?P<q>[一二三四1-4])季度?"
                            r"|(?<!\d)(?P<a>\d{1,2})月?[-—–~～至到]+(?P<b>\d{1,2})月"
                            r"|(?<!\d)(?P<m>\d{1,2}|十[一二]?|[一二三四五六七八九])月份?")
_CN_NUMBERS = {n: i for i, n in enumerate("一 二 三 四 五 六 七 八 九 十 十一 十二".split(), 1)}
# Words that make a month or quarter named in a header the year to date up to it (3月累计 = 1-3月).
_TO_DATE_WORDS = ("累计", "1-本月", "年初至今")

YES_WORDS = ("是", "规上", "规模以上", "√", "✓", "y", "yes", "true", "1", "1.0", "规上企业")
NO_WORDS = ("否", "规下", "规模以下", "×", "n", "no", "false", "0", "0.0", "规下企业", "限下")

# A row's label is a total, never an enterprise, when the WHOLE label (NFKC, no spaces, lower-case,
# a period beside it removed: "2024年3月合计", "合计（1-3月）") is one of these; a label that only
# contains the characters is an enterprise (腊口联合计算机配件厂, 总计量器具有限公司, 全县通客运有限公司).
# - ends with a total word: 合计, 全镇合计, 规上小计, 五金行业小计, 本页合计, 合計, 總計
TOTAL_WORDS = ("合计", "总计", "小计", "共计", "汇总", "合计数", "合計", "總計", "小計", "共計", "彙總", "匯總")
# - is one of these English words (any case; spaces and hyphens removed: "Grand total", "Sub-total")
ENGLISH_TOTAL_WORDS = ("total", "totals", "grandtotal", "subtotal", "sum", "pagetotal", "totalamount", "totalvalue",
                       "totaloutput")
# In an enterprise's name column (not in an indicator's: 工业总产值 is an indicator there), a label is
# a sum too when it
# - is one of these words of a sum alone (总产值, 合计金额, 累计)
SUM_LABELS = ("总产值", "工业总产值", "合计金额", "合计产值", "合计值", "总和", "总数", "总额", "总量", "累计",
              "累计数", "总计金额", "汇总数")
# - is a sector's name (domain.sectors), alone or with 行业/企业/类 (五金行业, 1.五金行业, 光伏企业):
#   a sector's subtotal, or its heading
SECTOR_LABEL_ENDS = ("行业企业", "行业", "类企业", "企业", "类", "")
# - names the whole town or all enterprises: a scope, optionally a part of it, optionally what is
#   counted (全镇, 全部企业, 全镇规上工业企业, 所有企业)
TOTAL_SCOPES = ("全镇", "全县", "全乡", "全市", "全区", "全部", "所有", "本镇", "全鎮", "全縣")
TOTAL_SCOPE_PARTS = ("规上", "规下", "规模以上", "规模以下", "规上工业", "规下工业", "规模以上工业", "规模以下工业",
                     "工业", "限上", "限下")
TOTAL_SCOPE_ENDS = ("企业", "工业企业", "单位", "企業")
# - begins with 其中 and a colon ("其中：五金", "其中:规上"), or 其中 and a part that is no
#   enterprise (其中五金行业, 其中规上企业); 其中科技有限公司 is an enterprise.
PART_OF_WORD = "其中"
# What an enterprise's name ends with (公司, 厂 …): "其中" before one of these is a name.
COMPANY_ENDINGS = ("公司", "厂", "店", "社", "部", "场", "中心", "集团", "所", "站", "坊", "行", "馆", "园", "室",
                   "矿", "院", "铺", "作坊", "商行", "ltd", "co", "inc")
# A note under the table is one of these words alone, or followed by a colon (or a number and a
# colon: 注1：): "填报人：张三", "说明：…", "单位负责人：". 说明文化用品厂 is an enterprise.
FOOTNOTE_WORDS = ("填报单位", "填报人", "填表人", "负责人", "单位负责人", "统计负责人", "制表", "制表人", "日期",
                  "填报日期", "填表日期", "报出日期", "注", "说明", "填报说明", "填表说明", "备注", "审核人", "审核",
                  "联系人", "联系电话", "电话", "统计员", "数据来源", "资料来源", "注意", "附注", "填表要求")
# Words of a period beside a total's label ("2024年1-3月合计", "合计（本月）"), removed before deciding.
_PERIOD_IN_LABEL = re.compile(r"\d{4}年度?|\d{1,2}[-—–~～至到]+\d{1,2}月份?|\d{1,2}月份?|第?[一二三四1-4]季度?|q[1-4]"
                              r"|上半年|下半年|前三季度?|全年|本月|当月|本季度?|当季度?|本年|本期|年初至今|\d{4}")
_LABEL_PUNCTUATION = re.compile(r"[:：、,，.。;；()（）\[\]【】<>《》\-—–_/|·~～*#\"'“”‘’]")
_BRACKETED = re.compile(r"[(\[（【][^)\]）】]*[)\]）】]")
_TOTAL_SCOPE = re.compile("^(?:{})(?:{})?(?:{})?$".format(
    *("|".join(sorted(words, key=len, reverse=True)) for words in (TOTAL_SCOPES, TOTAL_SCOPE_PARTS, TOTAL_SCOPE_ENDS))))
_FOOTNOTE = re.compile("^(?:{})\\d*(?::|$)".format("|".join(sorted(FOOTNOTE_WORDS, key=len, reverse=True))))
# A section's name alone on its row is a heading too ("规模以下工业企业", "规上企业（12家）"), as the
# whole label: 浙江规上企业服务有限公司 is an enterprise.
SECTION_WORDS = ("规模以上工业企业", "规模以下工业企业", "规模以上企业", "规模以下企业", "规上企业", "规下企业",
                 "规上工业企业", "规下工业企业", "规模以上工业", "规模以下工业", "限上企业", "限下企业")
# A section heading of a bureau form: 一、规模以上工业企业 / （二）规模以下 / 1、规下企业.
_SECTION = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、．])")


def normalise_header(text) -> str:
    """Header text for matching: NFKC, no spaces, unit and brackets removed, lower-case."""
    text = normalise_text(text)
    text = _PAREN.sub(lambda m: "" if unit_in(m.group(1)) or not m.group(1) else m.group(1), text)
    return text.replace("：", ":").lower()


def unit_in(text) -> str | None:
    """The money unit a title, unit cell or header states ("单位：千元", "（千元）", "千元", "产值/千元"),
    as written (an unknown one such as 美元 too: the caller refuses it); None when it states none.
    A size class (年主营业务收入2000万元及以上, 亿元以上企业) states no unit."""
    m = _UNIT_STATED.search(normalise_text(text))
    return next(u for u in m.groups() if u).replace("人民币", "") if m else None


def unit_word(text) -> str | None:
    """The unit a short text is, as the whole text ("千元", "千", "吨", "US$", "%"): a money unit as
    written (a bare scale, 千 or 亿, as 千元 or 亿元), another unit as written; None for any other text
    (当年价, 1-3月, 本月 are no units)."""
    key = normalise_text(text)
    if not key:
        return None
    if re.fullmatch(_MONEY, key):
        return key.replace("人民币", "")
    if key in _MONEY_SCALES:
        return key + "元"
    return key if _OTHER_UNIT.match(key) or _FOREIGN_MONEY.match(key) else None


def unit_statement(text) -> str | None:
    """The money unit a cell states when that is all it says ("单位：千元", "千元"), else None."""
    m = _UNIT_STATEMENT.match(normalise_text(text))
    return m.group("u").replace("人民币", "") if m else None


def header_unit(text) -> str | None:
    """The unit of a column header: a money unit as unit_in gives it, or one its text ends with
    ("产值万元"); else any unit in its brackets or after a slash (产值（千）→ 千元, 产值（吨）,
    产值（US$）, 工业总产值（当年价，千元）): the caller refuses one that is no money unit.
    Brackets that hold a period or a kind ((1-3月), (本月), (现价)) state no unit."""
    key = normalise_text(text)
    found = unit_in(key)
    if found is None and (m := _UNIT_AT_END.search(key)):
        found = m.group(0).replace("人民币", "")
    if found is None:
        parts = [p for inside in _PAREN.findall(key) for p in re.split(r"[,，、;；]", inside)]
        parts += [key.rsplit("/", 1)[1]] if "/" in key else []
        found = next((u for u in map(unit_word, parts) if u), None)
    return found


def unit_cell(text) -> str | None:
    """What a cell of a unit row under the header says: a money unit, another unit (%), "" for
    a label (计量单位) or a blank; None when the cell is anything else."""
    key = normalise_text(text)
    if not key or key in UNIT_ROW_LABELS:
        return ""
    found = unit_in(key)
    if found:
        return found
    return unit_word(key.strip("()（）[]【】"))


_ANY_BRACKETS = re.compile(r"[(\[（【][^)\]）】]*[)\]）】]")
_EVALUATION_INDEX = {normalise_header(a): figure for figure, aliases in reversed(EVALUATION_ALIASES.items())
                     for a in aliases}


def match_evaluation_figure(header: str) -> str | None:
    """The 亩均评价 figure a header is (税收实际贡献（万元） → tax_10k), by its words without the
    brackets; None for any other header."""
    found = _EVALUATION_INDEX.get(normalise_header(header))
    return found or _EVALUATION_INDEX.get(normalise_header(_ANY_BRACKETS.sub("", normalise_text(header))))


def classify_power_header(header: str) -> ValueKind | None:
    """How an electricity header relates to a row's period (本月用电量 → month, 1-3月累计用电量 →
    range, 上年同期用电量 → prior), as classify_value_header reads output's; None when it names no
    electricity, or no span of it (用电量同比增长)."""
    key = normalise_header(header)
    word = next((w for w in POWER_WORDS if w in key), None)
    if word is None:
        return None
    return classify_value_header(key.replace(word, "产值", 1))


def bracket_text(header: str) -> str | None:
    """What a header's last brackets hold (综合能耗（吨标准煤） → 吨标准煤), None when it has none."""
    found = _PAREN.findall(normalise_text(header))
    return found[-1].strip() if found else None


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
        return measure, ValueKind("range", (int(m.group(1)), int(m.group(2))), False)
    if any(w in key for w in YTD_WORDS):
        return measure, ValueKind("ytd", None, False)
    if any(w in key for w in MONTH_WORDS):
        return measure, ValueKind("month", None, False)
    return measure, ValueKind("period", None, False)


_ALIAS_INDEX = [(role, {normalise_header(a) for a in aliases}) for role, aliases in COLUMN_ALIASES.items()]


class ValueKind(NamedTuple):
    """What a value column holds, from its header alone (placed in a row's period by
    cells.place_value_column)."""

    span: str  # "period" (the row's or sheet's own), "month", "quarter", "ytd", or "range" (months)
    months: tuple[int, int] | None  # the months a "range" header names: 1-4月 → (1, 4), 3月 → (3, 3)
    prior: bool  # 上年同期 by its words (上年, 去年, 同期)
    year: int | None = None  # the year it names (2023年1-3月, 2023年产值), else None


def classify_value_header(header: str) -> ValueKind | None:
    """How a header relates to output, or None (growth columns, other indicators, forecasts).

    A header naming its own months (3月产值, 2月份, 一季度, 上半年, 1-4月, alone or with a value word)
    is a "range" of those months, the year to date up to them with 累计 (3月累计 = 1-3月); a year
    in it (2023年1-3月, 2023年产值) is kept to be placed against the row's period.
    """
    key = normalise_header(header)
    if not key or any(w in key for w in GROWTH_WORDS) and not any(w in key for w in PRIOR_WORDS[:2]):
        return None
    if names_other_indicator(key) or key.startswith(REFERENCE_PREFIX):
        return None
    is_prior = any(w in key for w in PRIOR_WORDS)
    if is_prior and any(w in key for w in GROWTH_WORDS if w != "同比"):
        return None
    year, months, rest = _header_period(key)
    m = _YTD_RANGE.search(key)
    if m and int(m.group(1)) <= int(m.group(2)) <= 12:
        return ValueKind("range", (int(m.group(1)), int(m.group(2))), is_prior, year)
    words = [w for w in YTD_WORDS + QUARTER_WORDS + MONTH_WORDS + VALUE_WORDS if w in key]
    if months:
        if not (words or is_prior or not rest):
            return None  # 3月完成, 2019年3月投产: a month beside words that are no output
        if any(w in key for w in _TO_DATE_WORDS):
            months = (1, months[1])
        return ValueKind("range", months, is_prior, year)
    if any(w in key for w in YTD_WORDS):
        return ValueKind("ytd", None, is_prior, year)
    if any(w in key for w in QUARTER_WORDS):
        return ValueKind("quarter", None, is_prior, year)
    if any(w in key for w in MONTH_WORDS):
        return ValueKind("month", None, is_prior, year)
    if is_prior or any(w in key for w in VALUE_WORDS) or (year and not rest):
        return ValueKind("period", None, is_prior, year)
    return None


def _header_period(key: str) -> tuple[int | None, tuple[int, int] | None, str]:
    """(the year a header names, the months it names, what is left of it) for a normalised header:
    "2023年1-3月" → (2023, (1, 3), ""), "3月份产值" → (None, (3, 3), "产值"), "上半年" → (None, (1, 6), "")."""
    year = None
    if m := _HEADER_YEAR.search(key):
        year, key = int(m.group(1)), key[:m.start()] + key[m.end():]
    m = _HEADER_MONTHS.search(key)
    if m is None:
        return year, None, key
    rest = key[:m.start()] + key[m.end():]
    g = m.groupdict()
    if g["q1_3"]:
        months = (1, 9)
    elif g["h1"] or g["h2"]:
        months = (1, 6) if g["h1"] else (7, 12)
    elif g["year"]:
        months = (1, 12)
    elif g["q"]:
        q = _CN_NUMBERS.get(g["q"]) or int(g["q"])
        months = (3 * q - 2, 3 * q)
    elif g["a"]:
        months = (int(g["a"]), int(g["b"]))
    else:
        month = _CN_NUMBERS.get(g["m"]) or int(g["m"])
        months = (month, month)
    if not 1 <= months[0] <= months[1] <= 12:
        return year, None, key
    return year, months, rest


def names_other_indicator(header) -> str | None:
    """The other indicator a header belongs to (工业销售产值, 出口交货值 …), or the forecast word of an
    output header that holds a forecast or a plan (预计产值, 3月预计: 预计), else None."""
    key = normalise_header(header)
    found = next((w for w in OTHER_INDICATOR_WORDS if w in key), None)
    if found is None:
        forecast = [w for w in FORECAST_WORDS if w in key]
        rest = key
        for w in forecast:
            rest = rest.replace(w, "")
        if forecast and rest and classify_value_header(rest) is not None:
            return forecast[0]
    return found


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
    """True when a row's label is a total (合计, 合計, Total, 全部企业, 规上小计, 其中：五金, with or
    without a period beside it), decided on the whole label: an enterprise whose name holds such
    characters (腊口联合计算机配件厂) is no total. The forms are the tables above."""
    key = normalise_text(text).lower()
    if key.startswith(PART_OF_WORD):
        rest = _label_core(key[len(PART_OF_WORD):])
        return key[len(PART_OF_WORD):][:1] in (":", "、", ",", "") or not rest.endswith(COMPANY_ENDINGS)
    return any(_is_total_core(_label_core(k)) for k in (key, _BRACKETED.sub("", key)))


def _label_core(key: str) -> str:
    """A label without a period beside it, a unit in brackets, or punctuation: 合计（1-3月）→ 合计."""
    key = _PERIOD_IN_LABEL.sub("", key)
    key = _BRACKETED.sub(lambda m: "" if unit_in(m.group(0)) else m.group(0), key)
    return _LABEL_PUNCTUATION.sub("", key)


def _is_total_core(core: str) -> bool:
    return bool(core) and (core.endswith(TOTAL_WORDS) or core in ENGLISH_TOTAL_WORDS
                           or _TOTAL_SCOPE.match(core) is not None)


@lru_cache(maxsize=65536)
def is_sum_label(text) -> bool:
    """True when an enterprise name cell holds a sum's label (SUM_LABELS: 总产值, 累计) or a sector's
    (五金行业, 1.五金行业): a subtotal or heading, never an enterprise; 五金厂 is an enterprise."""
    key = normalise_text(text).lower()
    return any(core in SUM_LABELS or _is_sector_label(core)
               for core in (_label_core(key), _label_core(_BRACKETED.sub("", key))) if core)


_SECTOR_LABELS = frozenset(normalise_text(a).lower() for aliases in SECTOR_ALIASES.values() for a in aliases)
_SERIAL_LEAD = re.compile(r"^(?:\d+|[一二三四五六七八九十]+)")


def _is_sector_label(core: str) -> bool:
    """五金行业, and 1.五金行业 / 一、五金行业 (the serial's punctuation is gone from `core`, and 五金
    itself starts with a numeral: the label is tried without each length of leading numerals)."""
    serial = len(_SERIAL_LEAD.match(core).group(0)) if _SERIAL_LEAD.match(core) else 0
    return any(label.endswith(end) and label[:len(label) - len(end)] in _SECTOR_LABELS
               for label in (core[k:] for k in range(serial + 1)) for end in SECTOR_LABEL_ENDS)


# A name cell that holds no name: a placeholder or a remark (以下空白, 此页无正文, -, /, ……, 无).
FILLER_WORDS = ("以下空白", "以下无", "以下无正文", "此页无正文", "此页空白", "本页空白", "以下为空", "空白", "无",
                "暂无", "无数据", "略", "空", "null", "none", "nan", "n/a", "na")
# …and the phrases they come in: 以下无数据, 以下均为空白, 此表以下空白, 本页无正文, 无企业.
_FILLER_PHRASE = re.compile(r"^(?:此页|此表|本页|本表)?以下.{0,3}(?:空白|空|无数据|无正文|无内容|无)$"
                            r"|^(?:此页|此表|本页|本表).{0,3}(?:空白|无正文)$|^无(?:企业|数据|内容|记录)$")
_FILLER_MARKS = re.compile(r"[\s\-—–_/\\.。…·、,，*#~～=]+")


@lru_cache(maxsize=65536)
def is_filler_label(text) -> bool:
    """True when a name cell holds a placeholder, not a name: only dashes, slashes or dots, or a
    FILLER_WORDS remark. A figure beside it is never stored under it."""
    key = normalise_text(text).lower()
    core = _LABEL_PUNCTUATION.sub("", key)
    return _FILLER_MARKS.sub("", key) == "" or core in FILLER_WORDS or _FILLER_PHRASE.match(core) is not None


@lru_cache(maxsize=65536)  # asked once per row: as many as a county's names
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


@lru_cache(maxsize=65536)  # asked once per row: as many as a county's names
def is_section_words(text) -> bool:
    """True when a label is nothing but a section's name (SECTION_WORDS; a count in brackets aside)."""
    return _LABEL_PUNCTUATION.sub("", _BRACKETED.sub("", normalise_text(text))) in SECTION_WORDS


@lru_cache(maxsize=65536)
def is_footnote_row(text: str) -> bool:
    """True when a row's label is a note under the table: a FOOTNOTE_WORDS word alone or before a
    colon ("填报人：张三", "注：", "说明"); "说明文化用品厂" is an enterprise."""
    return _FOOTNOTE.match(normalise_text(text)) is not None


_BY_NAME = {
    normalise_header(name): ind for ind in INDICATORS for name in (ind.name, ind.code, *ind.aliases)
}


def match_indicator(name) -> Indicator | None:
    """The indicator a row names, by its name or an alias; None if unknown."""
    return _BY_NAME.get(normalise_header(name))
