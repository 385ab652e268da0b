"""Every word a user reads, in Simplified Chinese. Code elsewhere refers to these names."""

# --- problems in files ---------------------------------------------------------------------
REFUSED_HEADING = "文件未导入，共发现{n}个问题（没有保存任何数据）："
BAD_EXTENSION = "不支持扩展名 {ext}，请提供 .xlsx、.xls 或 .csv 文件"
FILE_TOO_LARGE = "文件超过 {mb}MB 的上限，请拆分后再导入"
EMPTY_FILE = "文件是空的（0字节）"
ENCRYPTED = "文件已加密，请在 Excel/WPS 中去除密码后另存为 .xlsx 再导入"
WRONG_CONTENT = "扩展名是 {ext}，但文件内容是{actual}，请用 Excel/WPS 打开后另存为正确的格式"
FILE_TYPE_NAMES = {
    "xlsx": " Excel 工作簿（.xlsx）",
    "xls": "旧版 Excel 工作簿（.xls）",
    "csv": "纯文本（CSV）",
    "binary": "无法识别的二进制数据",
    "encrypted": "加密的工作簿",
}
CORRUPT_FILE = "文件已损坏或不是有效的表格文件，请用 Excel/WPS 打开后重新保存"
CORRUPT_SHEET = "工作表「{sheet}」无法读取，文件可能已损坏"
ZIP_TOO_MANY_ENTRIES = "文件内部包含 {n} 个部件，远超正常表格，已拒绝（可能是恶意文件）"
ZIP_TOO_BIG = "文件解压后超过 {mb}MB，远超正常表格，已拒绝（可能是压缩炸弹）"
ZIP_RATIO = "文件压缩比达 {ratio} 倍，远超正常表格，已拒绝（可能是压缩炸弹）"
CSV_ENCODING = "CSV 文件既不是 UTF-8、UTF-16 也不是 GBK 编码，请另存为“CSV UTF-8”后再导入"
CSV_MIXED_ENCODING = ("这一行的文字编码与文件其余部分不同（UTF-8 与 GBK 混在一个文件里），"
                      "请在 Excel/WPS 中统一另存为“CSV UTF-8”后再导入")
CSV_BAD_QUOTE = "这一行的英文引号没有配对（或引号后紧跟其他文字），请检查该行的引号"
CSV_QUOTE_SPANS_LINES = "这一行的英文引号一直到第{last}行才配对，中间各行被并成了一个单元格，请检查该行的引号"
CSV_TEXT_TOO_LONG = "这一行有单元格超过{n}个字符，远超正常表格"
TOO_MANY_ROWS = "行数超过上限 {n} 行，远超正常报表，请检查是否有大量空行或拆分后再导入"
TOO_MANY_COLUMNS = "列数超过上限 {n} 列，远超正常报表"
SHEET_TOO_FAR = ("工作表「{sheet}」的单元格一直延伸到 {cell}，"
                 "超出上限（{rows} 行、{columns} 列、共 {cells} 个单元格），"
                 "多半是远处误填的孤立单元格：请在 Excel/WPS 中删除空白区域的内容后再导入")
OTHER_FORMAT = "文件内容是{what}，本系统不读取这种格式，请在 Excel/WPS 中另存为 .xlsx 后再导入"
READ_TOO_COSTLY = ("读取这个文件需要的内存超过上限（{gb:.0f}GB），已停止读取；"
                   "文件可能被损坏或恶意构造，请用 Excel/WPS 打开后另存为 .xlsx 再导入")
READ_TOO_SLOW = ("读取这个文件超过 {s} 秒仍未完成，已停止；"
                 "文件可能被损坏或恶意构造，请用 Excel/WPS 打开后另存为 .xlsx 再导入")
EMPTY_WORKBOOK = "工作簿里没有任何数据"
NO_TABLE = "没有找到表头（需要“企业名称”和产值列）；找到的列：{found}"
NO_DATA_ROWS = "表头下面没有数据行"
NO_VALUE_COLUMN = "缺少产值列（如“产值（万元）”“本季”“1-3月累计”）；找到的列：{found}"
NO_PERIOD = ("无法确定数据所属期间：表中没有年份/季度/月份列，工作表名和标题中也没有（如“2024年1-3月”）；"
             "可在导入时指定期间")
BAD_PERIOD = "无法识别为期间（示例：2024Q1、2024年一季度、2024年3月、2024-03）"
BAD_NUMBER = "不是数字"
# A value column whose header names its own period (3月产值, 2023年1-3月) that a sheet of this period
# cannot hold.
HEADER_PERIOD_MISMATCH = ("列名写的期间与本表的期间{period}对不上：列名里的年份只能是本年或上年（上年同期），"
                          "月份不能晚于本期，也不能在本期及其所在季度之前就已结束；请改正列名后再导入")
BAD_GROUPING = "不是数字：千分位分隔应每三位一组（如 1,234.5），这样写无法确定是哪个数"
CSV_ROW_TOO_LONG = ("这一行有{n}个字段，比表头的{width}个多：多半是没有加引号的千分位数字（如 1,234.5）"
                    "把后面的数挤到了别的列。请把数字写成 1234.5，或另存 CSV 时让数字带引号")
UNKNOWN_UNIT = "不是能换算成万元的金额单位（可用：{known}），请换算后再导入"
UNIT_CONFLICT = "与本表另写明的单位“{other}”不一致，无法确定这些数字的单位"
NAME_TOO_LONG = "超过{n}个字符，不像企业或项目名称（可能把说明文字填进了名称列），请改正后再导入"
UNSTORED_ROW = {  # a row that carries figures and is not stored, with its label
    "total": "「{label}」是合计行，该行的数字未计入企业数据",
    "note": "「{label}」是表下的说明，该行的数字未计入企业数据",
    "section": "「{label}」是分段标题，该行的数字未计入企业数据",
    "filler": "「{label}」不是企业名称（占位或说明文字），该行的数字未计入企业数据",
    "unnamed": "该行有数字但没有企业名称{label}，未计入企业数据；如是没有标注的合计行可不理会，如是企业请补上名称",
}
NEGATIVE_VALUE = "是负数，产值不能为负数"
UNCALCULATED_FORMULA = "该单元格是公式但没有计算结果，请在 Excel/WPS 中打开、重新计算并保存后再导入"
# One enterprise, one span, one figure: however the period is spelled (3, 3月, 2024-03), and whether
# it is a month's own row or the 本月 column of a 1-3月 sheet.
DUPLICATE_SPAN = ("的{period}产值出现了两次（另见{where}第{row}行「{column}」列{how}）："
                  "同一企业同一期间只能有一个数，请删去重复的一行")
WHOLE_BELOW_PART = ("{whole_span}为 {value}，小于「{part}」列的{part_span} {part_value}："
                    "累计数不能小于其中一部分，请核对是否填反")
WHOLE_BELOW_PART_ROWS = ("的{whole_span}为 {value}，小于{where}第{row}行的{part_span} {part_value}："
                         "累计数不能小于其中一部分，请核对")
REGISTER_TWICE = "在名录中出现了两次（另见{where}第{row}行）：同一企业只能登记一次，请删去重复的一行"
REGISTER_CODE_TWICE = ("的统一社会信用代码 {code} 与{where}第{row}行的「{other}」相同：一个代码只能属于一家企业，"
                       "请核对代码或名称")
MISSING_NAME = "有产值但企业名称为空"
# The same for the sheets whose figures are no output (layout.SheetLayout.measure).
MISSING_NAME_OF = {"evaluation": "有亩均评价数据但企业名称为空", "power": "有用电量但企业名称为空"}
UNKNOWN_SECTOR = "行业无法识别，已归入“其他”"
UNKNOWN_SCALE = "无法识别是否规上（应为“是”或“否”），按未填处理"
BAD_CREDIT_CODE = "统一社会信用代码应为18位字母或数字"
BLANK_VALUE_ROW = "该行没有产值，已跳过"
BLANK_VALUE_ROWS = "有 {n} 家企业没有填写产值，未导入（视为本期未报送）：{names}"
PROSE_SHEET_SKIPPED = "这是文字说明，不是数据表，已跳过"
WHOLE_SHEET = "（整张表）"
OTHER_INDICATORS = "本表还有{names}等其他指标，只读取工业总产值，这些列未导入"
MORE_PROBLEMS = "……另有 {n} 个问题未列出（先改正以上问题后再导入，会列出其余问题）"
NOT_FINITE = "是无穷大，不是有效的数字"
TOO_PRECISE = "超过15位有效数字，保存时会被舍入，请核对（金额请以万元或千元填写）"
FORMULA_ERROR = "是公式的错误结果，请在 Excel/WPS 中改正公式并重新计算保存后再导入"
MERGED_VALUE = "与第{first}行共用一个合并单元格，无法确定各行各自的数值，请取消合并后逐行填写"
DATE_FORMATTED_NUMBER = "单元格被设成了日期格式（显示为 {shown}），无法确定是几月；请把该列改为“常规”格式后重新填写"
HIDDEN_ROW_COUNTED = "这一行在 Excel 中是隐藏行，已按正常数据计入；如不应计入，请删除该行后重新导入"
INCONSISTENT_SPANS = (
    "企业「{name}」{year}年{span}为 {value}，而由{parts}得出 {derived}，两者相差 {diff}，"
    "请核对本表与已导入的数据"
)
UNKNOWN_INDICATOR = "指标名称无法识别（可用：{known}）"
TARGET_NEEDS_YEAR = "目标表缺少年份：请加“年份”列，或在工作表名/标题中写明（如“2023年度目标”）"

ALIAS_IS_ENTERPRISE = "已是名录中另一家企业的名称，不能作为别名（如确为同一企业，请先撤销其导入再合并）"
ALIAS_TAKEN = "已是另一家企业的别名"
CODE_TAKEN = "已是「{other}」的统一社会信用代码"
# A file's enterprise whose name and credit code lead to two different registered enterprises.
CODE_OF_ANOTHER = ("的统一社会信用代码 {code} 在企业名录中属于「{holder}」，而这个名称在名录中是「{named}」："
                   "代码或名称有一个填错了，请核对后再导入（如名录有误，先在“企业名录”中改正）")
MATCHED_BY_CODE = "与名录中的名称不同，按统一社会信用代码 {code} 计入名录中的「{holder}」；如不是同一家企业，请核对代码"
CODE_DIFFERS = ("的统一社会信用代码 {code} 与名录中「{named}」的代码 {registered} 不同，按名称计入「{named}」，"
                "名录中的代码未改；如代码有误，请在“企业名录”中改正")
SAME_ENTERPRISE_TWICE = ("与{where}第{row}行的「{other}」是名录中的同一家企业「{registered}」（{how}），"
                         "{period}的产值出现了两次：同一企业同一期间只能有一个数，请删去重复的一行")

# 重点项目 sheets
PROJECT_NEEDS_YEAR = "缺少年份：请加“年份”列，或在工作表名/标题中写明（如“2023年重点项目”）"
PROJECT_NEEDS_ENTERPRISE_COLUMN = "项目表需要“企业名称”（或“项目单位”）列，写明每个项目由哪家企业实施"
PROJECT_NEEDS_ENTERPRISE = "没有填写实施项目的企业"
DUPLICATE_PROJECT = "同一年的项目在第{other}行已出现过，每个项目只能填一行"
# One peer town, one period, one indicator: "温溪" and "温溪镇" are one town.
DUPLICATE_PEER = ("的{period}{indicator}出现了两次（另见{where}第{row}行）："
                  "同一乡镇同一期间的一个指标只能有一个数，请删去重复的一行")
DUPLICATE_PROJECT_PERIOD = "同一项目同一期间在第{other}行已出现过"
BAD_PROJECT_KIND = "不是有效的建设性质（可填：新建、扩建、技改）"
BAD_YES_NO = "请填“是”或“否”"
BAD_DATE = "不是可识别的日期（可写 2023-06-30、2023/6/30、2023年6月30日，或只写月份 2023年6月）"
ACTUAL_DATE_IN_FUTURE = "晚于今天（{today}）：实际日期只能填已经发生的"
CONTRACT_NOT_INWARD = "有合同引资额，但“是否市外内资”填了“否”，请核对"
PLAN_ABOVE_TOTAL = "大于项目总投资 {total} 万元，请核对"
PROJECT_UNREAD_COLUMNS = "以下列的列名无法识别，未导入：{names}（可参照模板的列名修改后重新导入）"
PROJECT_NOT_REGISTERED = "不在{year}年重点项目库中：请先导入或在页面登记该项目，再导入其进度"
INCONSISTENT_PROJECT_SPANS = (
    "项目「{name}」{year}年{span}完成投资为 {value}，而由{parts}得出 {derived}，两者相差 {diff}，"
    "请核对本表与已导入的进度"
)
# --- the town of a file's rows (ingest/towns.py) ------------------------------------------
TOWN_OTHER = ("{place}写明属于{town}，不能导入{shown}：{shown}的工作人员只能导入{shown}自己的数据"
              "（{town}的报表请由{town}或县级工作人员导入）")
TOWN_OTHER_ROWS = ("是另一个乡镇（本表共{n}行写的是{town}），不能导入{shown}："
                   "{shown}的工作人员只能导入{shown}自己的数据（{town}的报表请由{town}或县级工作人员导入）")
TOWN_CELL_BLANK = "「乡镇」为空，无法确定这一行属于哪个乡镇（本列其他行写明了乡镇）"
TOWN_CELL_UNKNOWN = "不是乡镇名称（请写乡镇全称，如“温溪镇”“船寮镇”）"
TOWN_SHEET_PLACES = "工作表名称和标题"
TOWN_SEVERAL = "{place}写了几个乡镇（{towns}），无法确定这些数据属于哪个乡镇"
TOWNS_DISAGREE = "{place}写明属于{town}，而{other_place}写明属于{other}，无法确定导入哪个乡镇"
TOWN_ROWS_DISAGREE = ("与本表的名称、标题或文件名称所写的{other}不一致（本表共{n}行写的是{town}），"
                      "无法确定导入哪个乡镇")
TOWN_UNASSIGNED = ("没有写明属于哪个乡镇，而本文件其他部分写明了{towns}：请在本表加“乡镇”列或在标题中写明乡镇，"
                   "或按乡镇分开导入")
TOWN_SPLIT_OUTPUT_ONLY = ("本文件的数据分属{towns}，按乡镇拆分导入时只能拆分企业产值表；这张表请按乡镇分开，"
                          "在各乡镇下分别导入")
TOWN_PREVIEW_ELSEWHERE = "这个文件写明属于{towns}，将导入{towns}，不是现在显示的{shown}。"
TOWN_PREVIEW_SPLIT = ("这个文件的企业产值按「乡镇」列分属 {n} 个乡镇，将拆分后分别导入各乡镇"
                      "（每个乡镇记一次导入，可分别撤销）；任何一个乡镇的部分有问题，全部不导入。")
TOWN_PREVIEW_NEW = "数据库中还没有{towns}：确认导入时将新建{these}乡镇（只有县级工作人员导入时才会新建）。"
TOWN_CONFIRM_NEW = "确认新建乡镇：{towns}（请核对乡镇名称没有写错）"
UPLOAD_NOT_IMPORTED = "同时上传的{files}还没有导入（上传框已清空），请重新上传。"
PREVIEW_OTHER_TOWN = ("这个预览是在{previewed}下做的，现在显示的是{shown}，没有导入。"
                      "请核对下面{shown}的预览后再确认，或切换回{previewed}。")
IMPORTED_TOWN = "{town}：{text}"

# --- import outcome ------------------------------------------------------------------------
IMPORTED = "已导入「{file}」：{rows}条记录，期间 {periods}（导入编号 {id}）"
REPLACED = "替换了已有的 {periods} 数据（可用 undo {id} 撤销）"
UNCHANGED = "「{file}」与已存数据完全相同，未做任何改动"
DRY_RUN = "试导入（未保存）：「{file}」可导入 {rows} 条记录，期间 {periods}"
WARNINGS_HEADING = "提示（不影响导入）："
UNDONE = "已撤销导入 {id}（{file}），数据恢复到导入前的状态"
UNDO_CONFIRM = "撤销导入 {id}「{file}」{periods}后，数据恢复到这次导入之前的样子。确定吗？"
UNDO_BLOCKED = "导入 {id} 的数据已被之后的导入 {later} 替换，请先撤销导入 {later}"
UNDO_MISSING = "没有编号为 {id} 的有效导入"
UNDO_PROJECT_IN_USE = "导入 {id} 登记的项目「{name}」已有导入 {later} 的进度数据，请先撤销导入 {later}"
SAMPLE_LOADED = "{town}示例数据已加载：{n}个文件"
SAMPLE_SKIPPED = "数据库中已有数据，未加载示例数据"
STORE_BUSY = "其他人正在导入或修改数据，等了{s}秒仍未完成。本次没有保存任何改动，请稍后再试"
STORE_WAITING = "数据库正被其他人写入（可能有人在导入），正在等待，最多{s}秒……"
STORE_FULL = "磁盘空间已满（或磁盘无法写入），本次没有保存任何改动。请清理磁盘后重试，或联系维护人员"
STORE_READ_ONLY = "数据库文件是只读的或无法打开，本次没有保存任何改动。请联系维护人员检查数据文件夹的权限"
STORE_UNREACHABLE = "连接不上数据库服务器，本次没有保存任何改动。请稍后重试，或联系维护人员检查数据库服务器和网络"
NOT_PERMITTED = "{who}是{authority}的工作人员，只能修改{authority}的数据，不能修改{town}的数据。本次没有保存任何改动"
NOT_PERMITTED_UNDO = "第 {id} 次导入是{town}的数据，{who}是{authority}的工作人员，不能撤销。本次没有改动任何数据"
STORE_CONFLICT = "这次修改与已存数据的关联冲突，本次没有保存任何改动。请先撤销较晚的导入，或联系维护人员"
DATA_CHANGED = "预览之后数据已被修改（{what}），本次没有保存。请重新预览后再确认导入"
NO_DATA_FOR_PERIOD = "{year}年{through}没有数据"
# How the person changing data was recognised (store.Operator.identity).
IDENTITY_PASSCODE = "工作人员口令"
IDENTITY_OIDC = "统一登录 {email}"
IDENTITY_NO_PASSCODE = "未设口令，只填写了姓名"
IDENTITY_SHELL = "服务器账号 {account}"
IDENTITY_SAMPLE = "示例数据"

# What a recognised column was read as (columns.COLUMN_ALIASES roles).
# A project's milestones, in order (columns.MILESTONES has the words headers use for them).
MILESTONE_NAMES = {"start": "开工", "topping": "主体结顶", "completion": "竣工", "production": "投产"}
# A project before the day its investment schedule starts (compute.projects.compute_project_schedule).
PROJECT_NOT_STARTED_STATE = "未开工（计划{day}开工）"
# Why a project is carried into the next year's register (compute.projects.plan_carry_over).
CARRY_REASON_MILESTONES = "{names}尚未完成"
CARRY_REASON_INVESTMENT = "已完成投资{invested}，不到总投资{total}"
ROLE_NAMES = {
    "enterprise": "企业名称", "credit_code": "统一社会信用代码", "sector": "行业", "above_scale": "是否规上",
    "town": "乡镇", "contact": "联系领导", "year": "年份", "quarter": "季度", "month": "月份",
    "period": "期间", "serial": "序号", "indicator": "指标", "unit": "单位", "target": "目标",
    "actual": "完成值", "project": "项目名称", "project_kind": "建设性质", "total_investment": "总投资",
    "year_plan": "年度计划投资", "manufacturing": "是否制造业", "inward": "是否市外内资",
    "contracted": "合同引资额", "signed": "签约日期", "issues": "问题与需协调事项",
    "power_account": "电力户号", "production_start": "投产日期", "note": "备注",
    **{f"milestone_{code}_{kind}": f"{word}（{'计划' if kind == 'planned' else '实际'}）"
       for code, word in MILESTONE_NAMES.items() for kind in ("planned", "actual")},
}

# --- figures to confirm before an import (preview.list_confirmations), page and command line --
# Each kind names what the figure may be; each item's `why` gives the evidence.
CONFIRM_KINDS = {"year_to_date": "可能把1-N月累计数填成了当月数", "unit_slip": "可能填错单位（元、千元、万元）",
                 "power_unit_slip": "可能填错用电量单位（千瓦时、万千瓦时）", "swing": "同比或环比波动大"}
YOY = "同比"
MOM = "环比"
CONFIRM_YEAR_TO_DATE = "是上月的{rise}倍，与估算的{span}累计相差不到{closeness:.0%}"
CONFIRM_ESTIMATED = "{period}（估算）"
CONFIRM_UNIT_SLIP = "是{reference}的{ratio}倍"
# An electricity figure off by the unit: the likely cause, by whether it is too large or too small.
CONFIRM_POWER_UNIT_SLIP = "是{reference}的{ratio}倍，{cause}"
POWER_SLIP_TOO_LARGE = "可能把千瓦时填成了万千瓦时"
POWER_SLIP_TOO_SMALL = "可能把万千瓦时填成了千瓦时"
CONFIRM_LINE = "{enterprise} {period}：本表 {value}，参照 {reference_label} {reference}；{why}"
CONFIRM_HEADING = "有 {n} 个数值须核对后才能导入（{kinds}）："
CONFIRM_BOX = "我已核对，以上数值无误"
CLI_NEEDS_CONFIRMATION = "「{file}」未导入：有 {n} 个数值须核对（{kinds}）："
CLI_CONFIRMED = "已确认的 {n} 个数值（--confirmed）："
CLI_HOW_TO_CONFIRM = ("以上数值核对无误后，加 --confirmed 重新运行即可导入"
                      "（已导入的文件再次运行时不会重复导入）；有误的请改正文件后重新导入。")
# A --town the database does not hold (nor the home town).
CLI_BLANK_TOWN = "--town 给的乡镇名称是空的：请写明乡镇，或去掉 --town 使用本镇。本次没有改动任何数据"
CLI_COUNTY_IS_NO_TOWN = "“{county}”是县级工作人员的身份，不是乡镇：请用 --town 写明要读写的乡镇。本次没有改动任何数据"
CLI_UNKNOWN_TOWN = "数据库中没有“{town}”这个乡镇（现有：{towns}），本次没有改动任何数据"
CLI_NEW_TOWN_HINT = "。如确实要新建这个乡镇，请加 --new-town"

# --- periods -------------------------------------------------------------------------------
CHINESE_QUARTERS = {1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}

# --- column headings in tables shown to people ---------------------------------------------
COL_FILE = "文件"
COL_SHEET = "工作表"
COL_ROW = "行"
COL_COLUMN = "列"
COL_VALUE = "值"
COL_REASON = "原因"

# --- warnings ------------------------------------------------------------------------------
# A rate follows its word with no space (同比+6.6%, 本期环比-60.0%), as every sentence writes it.
WARNING_RULES = {"decline": "同比下降", "behind_target": "落后自身目标序时进度", "missed_target": "未完成自身全年目标",
                 "swing": "当期环比异常波动", "divergence": "产值与用电背离"}
PROJECT_WARNING_RULES = {"milestone_late": "项目节点滞后", "investment_behind": "项目投资落后序时"}
# What a warning found (output.text.describe_warning), with its figures already written.
WARNING_DECLINE = "累计同比{rate}"
WARNING_BEHIND = "完成率落后序时进度{points}"
WARNING_MISSED = "全年完成率{completion}，差{points}"
# A swing: this period's 环比 beside the same months' usual 环比 (the enterprise's own, else the town's).
WARNING_SWING = "本期环比{rate}，往年同期环比{whose}{usual}，{side}{points}"
WARNING_SWING_TOWN = "（全镇）"
WARNING_SWING_SIDES = ("高", "低")
WARNING_SWING_ALONE = "本期环比{rate}（没有往年同期环比可比）"
# 产值与用电背离: the two growths over the same months and the gap between them as shown.
WARNING_DIVERGENCE = "产值同比{output}，用电同比{power}，相差{points}"

# --- 以电核产 (compute/electricity.py) ---------------------------------------------------------------
ELECTRICITY_UNIT = "万千瓦时"
ELECTRICITY_CARD = "工业用电量"
ELECTRICITY_NONE = "未导入{year}年用电数据"
ELECTRICITY_SHORT = "用电数据截至{year}年{last}月，算不出{period}的累计"
ELECTRICITY_BESIDE = "产值同比{output}，用电同比{power}"
ELECTRICITY_DIVERGING = "产值与用电背离{n}家（相差{points:g}个百分点及以上）"
ELECTRICITY_NOT_DIVERGING = "没有产值与用电背离的企业（相差{points:g}个百分点及以上）"
ELECTRICITY_CHECK = "请向企业核实产值与用电情况"
ELECTRICITY_MORE = "另有{n}家，见“预警”"
ELECTRICITY_ALONE = "其中{alone}{value}，同比{rate}"
ELECTRICITY_HELP = "供电所报送的企业用电量，万千瓦时；同比为同口径：本期有用电数据的企业与其上年同样月份相比"
# An output import's preview: its enterprises whose output growth diverges from their stored electricity's.
PREVIEW_DIVERGENCE = ("以电核产：{period}有{n}家企业本表的产值同比与已导入的用电同比相差{points:g}个百分点及以上，"
                      "请在确认导入前向企业核实（只是提示，不影响导入）")
PREVIEW_NO_DIVERGENCE = "以电核产：{period}本表企业的产值同比与已导入的用电同比相差都不到{points:g}个百分点。"
# [electricity] divergence_points, refused: a fraction written as the rest of the file writes them.
ELECTRICITY_SETTING_POINTS = "是百分点数（20 即相差20个百分点），应不小于1，现在是 {value!r}"

# --- enterprises that are new or have not reported (compute/metrics, output/text) -----------
PROJECTION_YEAR_COMPLETE = "全年数据已齐，无需推算"
PROJECTION_YEAR_INCOMPLETE = "已到12月，无需推算；尚有{n}家企业未报送，全年数据未齐，全年数以报齐后为准"
PROJECTION_PARTIAL = "按已报送企业推算，暂缺{n}家企业，暂定"
# A total some expected enterprises have not reported: never taken for the whole.
INCOMPLETE = "{reporting}，暂缺{n}家，不完整"
INCOMPLETE_ABOVE = "规上企业暂缺{n}家，不完整"
PROVISIONAL = "暂定"
# A target judged on a partial total: no pace for the remaining months is computed on it.
PENDING_PACE = "有企业未报送，其余月份所需进度待报齐后再核算"
WITH_ESTIMATE = "含估算约{value}"
WITH_ESTIMATE_ROW = "（含估算，仅供参考）"
INCOMPLETE_SHORT = "暂缺{n}家"
ESTIMATE_HOW = ("含估算约{value}：{n}家未报送企业按各自上年同期×已报送存量企业同口径增速{growth}估算"
                "（估算{estimated}）{unestimated}，仅供参考，不计入报送合计")
ESTIMATE_UNESTIMATED = "；另有{n}家没有上年同期，未估算"
NO_ESTIMATE = "暂缺{n}家企业，无法估算（已报送企业没有可比的上年同期）"
# The new enterprises (新投产: no 上年同期) in a total, so that 同比 stays comparable.
NEW_IN_TOTAL = "其中新投产企业{n}家，产值{value}，占{whole}{share}"
SCOPE_WHOLES = {"all": "全镇", "above": "规上"}  # the whole a share or growth is of, by scope
REPORTING_RULE = ("应报企业指今年或上年报送过数据的企业（今年新投产的企业从投产月份起应报）；"
                  "{period}中缺任何一个月的即为未报送，各页面标题下的“已报送”用同一口径。")
REPORTING_UNJOINED = "各期数据不能拼成累计"

# --- what people copy out: the Word briefing and the phone image (output/briefing, phone_image) --
ISSUER = "{town}人民政府"  # who sends the briefing out: the document's author and its closing line
BRIEFING_TITLE = "{town}{period}工业经济运行情况分析"
# 截至 takes a point in time: the month the data reach, not the span (never "截至2024年1-9月").
DATA_AS_OF = "（数据截至{year}年{month}月）"
# The targets short of their course during the year (略欠序时 and 落后序时 alike; the growth ones too
# where a heading covers both), each then said in its card's status words (domain.style).
TARGETS_SHORT_OF_SCHEDULE = "未达序时进度的目标"
TARGETS_SHORT = "未达进度"
# 下步工作建议 for red enterprises, by why they are red: only a decline is a 停减产 to visit about.
VISIT_DECLINE = "请联系领导上门走访产值下降的红色预警企业，了解停减产原因、帮助解决困难："
VISIT_BEHIND = "请联系领导督促完成率落后自身目标的红色预警企业查找差距、落实措施："
CHECK_SURGE = "环比大幅高于往年同期的企业，请核实报送数据是否准确："
CHECK_DROP = "环比大幅低于往年同期的企业，请核实报送数据，并关注下月是否回升："
WRITTEN_ON = "{year}年{month}月{day}日"  # 成文日期: no leading zeros
TABLE_CAPTION = "表{n}　{name}"
FIGURE_CAPTION = "图{n}　{name}"
KPI_TABLE_NAME = "主要指标"
PAGE_NUMBER = ("— ", " —")  # 公文 page numbers: the number between em dashes
# The title's font, and what Word uses where it is not installed (the font table's altName).
TITLE_FONT = "方正小标宋简体"
TITLE_FONT_FALLBACK = "宋体"

# --- app -----------------------------------------------------------------------------------
TOWN = "腊口镇"
PEER_TOWN = "温溪镇"  # the richer neighbour the speech compares the town with
APP_SUFFIX = "工业经济运行"
APP_TITLE = f"{TOWN}{APP_SUFFIX}"
EMPTY_DATABASE_HELP = (
    "数据库里还没有数据。在左侧“数据管理”页面上传报表即可导入；也可以在项目目录运行 "
    "`python -m lakou_metrics init --sample` 加载示例数据，或 `python -m lakou_metrics import 报表.xlsx`。"
)
PERIOD_FALLBACK = "{where}没有{asked}的数据，显示的是{shown}。"
UNHELD_TOWN = "网址中的乡镇“{asked}”在数据库中没有数据（数据库中有：{towns}），现在显示的是{shown}。"
# --- 县域 (views/county.py) and where an upload goes (views/data.py) --------------------------------
COUNTY_NOT_REPORTED = "未报送"
COUNTY_RANK = ("第 {rank} 名", "并列第 {rank} 名")  # alone, shared with another town
COUNTY_TOTAL = "全县合计"
# Under a county total card (its label names the indicator, so that it fits): the period and the towns it covers.
COUNTY_COVERS_ALL = "{when} · {towns}个乡镇合计"
COUNTY_COVERS_SOME = "{when} · {towns}个乡镇中已报{reported}个的合计（未报送：{absent}）"
COUNTY_RANK_AMONG_ALL = "共 {towns} 个乡镇"
COUNTY_RANK_AMONG_SOME = "已报 {reported} 个乡镇中（共 {towns} 个）"
COUNTY_CHART_ABSENT = "未报送（不在图中）：{absent}"
COUNTY_TOWNS_REPORTED = "{reported}/{towns}个乡镇"
COUNTY_ENTERPRISES_REPORTED = "{reported}/{expected}家"
UPLOAD_INTO_TOWN = "上传的报表导入**{town}**。"
UPLOAD_INTO_SHOWN_TOWN = "上传的报表导入**{town}**（左侧“乡镇”中选的乡镇）。"
UPLOAD_TOWN_STAFF = "写明别的乡镇的文件会被拒绝；要导入别的乡镇，请先在左侧“乡镇”中选择它。"
UPLOAD_COUNTY_STAFF = ("您是县级工作人员：写明别的乡镇的文件导入所写的乡镇（预览中会写明），"
                       "有“乡镇”列、分属几个乡镇的文件按“乡镇”列拆分到各乡镇。")
STORED_ONLY_INTRO = "{town}已存的产值数据还不能算出累计（1-N月），所以各页的累计、同比和目标完成情况暂时无法显示。"
STORED_ONLY_YEAR = "{year}年已存有：{held}。"
STORED_ONLY_NEEDS = ("{year}年1-{through}月的累计还需要{missing}的数据（逐月或“1-N月累计”的报表均可），"
                     "导入后各页即可显示。")
STORED_SPAN = "{period}，{n} 家企业，合计 {total}"
NO_YTD_SIDEBAR = "已存的数据还不能算出累计；导入所缺月份后，这里可以选择年份和截至月份。"
PAGE_FAILED = ("这个页面出了问题，没有修改任何数据。请刷新页面重试；如果仍然出错，请联系维护人员"
               "（详细信息已记录在服务器日志中）。")

# --- 总览's cockpit row (compute/cockpit.py) ---------------------------------------------------
COCKPIT_TARGETS = "年度目标"
COCKPIT_TARGETS_NONE = "还没有{year}年的目标完成数据"
COCKPIT_TARGETS_ON_COURSE = "{judged}项目标全部达到序时或目标增速"
COCKPIT_TARGETS_LAGGING = "{judged}项目标中{lagging}项未达进度"  # 略欠 and 落后 alike, as the briefing says
COCKPIT_TARGET_ITEM = "{name}：{verdict}"
COCKPIT_PROJECTS = "重点项目"
COCKPIT_PROJECTS_NONE = "{year}年没有录入重点项目"
COCKPIT_PROJECTS_LATEST = "；最近录入的是{latest}年"
COCKPIT_PROJECTS_ON_PLAN = "{recorded}个项目中{on_plan}个按计划推进"
COCKPIT_PROJECT_LATE = "{name}：{milestone}滞后{days}天"
COCKPIT_PROJECTS_WAITING = "，{waiting}个未到计划开工日期"
COCKPIT_PROJECT_BEHIND = "{name}：投资落后序时{points}"
COCKPIT_PEERS = "周边乡镇"
COCKPIT_PEERS_NONE = "还没有{when}的对比乡镇数据"
COCKPIT_PEERS_RANK = "全县{ranked}个乡镇中产值{place}"
# Some towns have not reported the period: the rank is among those that have.
COCKPIT_PEERS_RANK_PARTIAL = "全县{towns}个乡镇中已报{ranked}个，产值在已报乡镇中{place}"
# A rank another town shares (equal output as shown) is 并列, as a statistics office writes it.
COCKPIT_PEERS_PLACE = ("排第{rank}", "并列第{rank}")
# The other town's figures, then the town's gap to it: the output gap and the growth gap, each only
# where both towns' figures exist, 持平 where the gap as shown rounds to zero.
COCKPIT_PEER_ITEM = "{theirs}；{gap}"
COCKPIT_PEER_THEIRS = "{town}：{value}，同比{yoy}"
COCKPIT_PEER_GAP = "{ours}{gaps}"
COCKPIT_PEER_OUTPUT_GAP = "产值{side}{gap}"
COCKPIT_PEER_OUTPUT_SIDES = ("多", "少")
COCKPIT_PEER_OUTPUT_LEVEL = "产值持平"
COCKPIT_PEER_GROWTH_GAP = "增速{side}{points}"
COCKPIT_PEER_GROWTH_SIDES = ("高", "低")
COCKPIT_PEER_GROWTH_LEVEL = "增速持平"
COCKPIT_PEERS_ENTERED = "对比数据：{file}，{day}导入"
COCKPIT_PEERS_COUNTY = "各乡镇数据由系统按同口径计算"
COCKPIT_TREND = "近年走势"
COCKPIT_TREND_ITEM = "{label}：{value}，同比{yoy}"
# This year's point is months 1-N, not a year: said beside it, so that it never reads as a fall.
COCKPIT_TREND_PART_ITEM = "{label}（累计，未满一年）：{value}，同比{yoy}（与上年{months}比）"
COCKPIT_TREND_BASIS = ("各年为全部企业全年（当年为累计）产值；同比为同口径：企业报表有上年同期的用报表数，"
                       "没有的用同一企业上年同期的已存数，新投产企业上年为0")
COCKPIT_TREND_NOTE = "各年为全年产值，本年为累计；同比为同口径"
COCKPIT_GROWTH = "增长来源（{scope}）"
COCKPIT_DRAG = "拖累最大：{sector}，拉低{whole}增速{points}"
COCKPIT_NO_DRAG = "没有行业拖累{whole}增长；产值最大的是{sector}"
COCKPIT_SECTOR_LINK = "查看{sector}行业"
COCKPIT_LINK = "查看详情"
# --- 行业: the sector it opens on (compute/cockpit.choose_sector) --------------------------------
SECTOR_OPENS_DRAGGING = "默认显示拖累{whole}增长最多的行业；可点选其他行业，所选行业在各页间保留。"
SECTOR_OPENS_LARGEST = "{when}没有行业拖累{whole}增长，默认显示产值最大的行业；可点选其他行业，所选行业在各页间保留。"
SECTOR_LINK = "查看{sector}行业"
COCKPIT_MORE = "另有{n}项未达进度"

# --- 亩均效益评价 (domain/evaluation.py, compute/evaluation.py) ------------------------------------
EVALUATION_GROUPS = {"above": "规上", "below": "规下"}
# Indicator code → (name, unit of its value).
EVALUATION_INDICATORS = {
    "tax_per_mu": ("亩均税收", "万元/亩"),
    "value_added_per_mu": ("亩均增加值", "万元/亩"),
    "value_added_per_energy": ("单位能耗增加值", "万元/吨标准煤"),
    "value_added_per_emission": ("单位排放增加值", "万元/吨"),
    "labour_productivity": ("全员劳动生产率", "万元/人"),
    "rd_share": ("研发经费占比", "%"),
    "tax_per_power": ("单位电耗税收", "万元/万千瓦时"),
}
EVALUATION_FIGURES = {
    "land_mu": "用地面积（亩）",
    "tax_10k": "税收实际贡献（万元）",
    "value_added_10k": "工业增加值（万元）",
    "energy_tce": "综合能耗（吨标准煤）",
    "emission_t": "主要污染物排放当量（吨）",
    "staff": "年平均职工人数（人）",
    "rd_10k": "研发经费支出（万元）",
    "revenue_10k": "营业收入（万元）",
    "power_10k_kwh": "用电量（万千瓦时）",
}
EVALUATION_CLASS_NAMES = {"A": "A类（优先发展）", "B": "B类（提升发展）", "C": "C类（帮扶转型）",
                          "D": "D类（倒逼整治）"}
EVALUATION_UNRATED = "不定"
EVALUATION_UNRATED_REASONS = {
    "no_land": "没有用地面积（未填或为0），不参评",
    "first_year": "当年新投产（投产未满一年），不参评",
}
# An item the enterprise's own figures cannot score: it takes the group's average item score.
EVALUATION_ITEM_AVERAGED = {
    "missing": "缺少{figures}，按本组该项平均得分计",
    "zero_denominator": "{figure}为0，按本组该项平均得分计",
}
# No rated enterprise of the group has the figures of an item (and no fixed base): nobody scores on it.
EVALUATION_ITEM_NO_BASE = "本组没有企业有该项数据，无法计算基准值，该项不计分"
EVALUATION_CHANGES = {"up": "升档", "down": "降档", "same": "持平", "new": "新评"}
# What the page, the export, the CLI and the briefing add (output/evaluation.py, output/text.py).
EVALUATION_GROUP_NAMES = {"above": "规上企业", "below": "规下企业"}
EVALUATION_ITEM_CAPPED = "指标值为基准值的{ratio}倍，超过{cap}倍，按{cap}倍计分"
EVALUATION_BASE_FIXED = "县定"
EVALUATION_BASE_AVERAGE = "本组平均"
EVALUATION_NO_DATA = ("{town}还没有亩均效益评价数据。请在“数据管理”导入县里下发的年度亩均效益评价数据表"
                      "（每家企业一行：企业名称、是否规上、用地面积、税收实际贡献、工业增加值、综合能耗、污染物排放当量、"
                      "年平均职工人数、研发经费支出、营业收入、用电量；“数据管理”中可下载已列出全部企业的预填模板），"
                      "导入后本页按设置文件 [evaluation] 中的方法计算得分和分类。")
EVALUATION_NO_DATA_YEAR = "{year}年没有亩均效益评价数据"
EVALUATION_SIDEBAR = "亩均效益评价按年度计算；已有数据：{years}。评价方法在设置文件 [evaluation] 中。"
EVALUATION_CLI_NO_DATA = "{town}没有{year}年的亩均效益评价数据{years}。请先导入该年的亩均效益评价数据表。"
EVALUATION_CLI_YEARS = "（已有数据的年份：{years}）"
EVALUATION_BRIEFING_HEADING = "亩均效益评价"
# [evaluation] of the settings file, refused: {path}, {where} (the table), then why.
EVALUATION_SETTING_BAD = "{path}：[{where}] {key} {why}"
EVALUATION_SETTING_UNKNOWN = "{path}：[{where}] 中有无法识别的设置 {keys}"
EVALUATION_SETTING_NOT_POSITIVE = "应是大于0的数，现在是 {value!r}"
EVALUATION_SETTING_SHARES = ("应是三个依次增大、在0到1之间的比例（A、B、C类的累计比例，如 [0.20, 0.70, 0.95]），"
                             "现在是 {value!r}")
EVALUATION_SETTING_NO_INDICATOR = "{path}：[{where}] 没有列出任何指标"
EVALUATION_SETTING_UNSCORED = "是本组没有计分的指标（基准值只能给本组计分的指标）"

# --- 亩均评价 data and electricity, read and stored (ingest/sheets/evaluation.py, electricity.py) ---
EVALUATION_PERIOD = "{year}年亩均评价数据"
ELECTRICITY_PERIOD = "{period}用电量"
EVALUATION_NEEDS_YEAR = ("无法确定亩均评价数据的年份：请在标题或工作表名中写明（如“2023年度亩均效益评价数据表”），"
                         "或在导入时指定期间（如 --period 2023）")
NEGATIVE_FIGURE = "是负数，{figure}不能为负数"
# A unit a figure's column states that cannot be turned into its stored unit: {figure}, {unit}, {known}.
FIGURE_UNIT_UNKNOWN = "「{figure}」的单位“{unit}”无法换算（可用：{known}）"
EVALUATION_TWICE = ("在本表中出现了两次（另见{where}第{row}行）：同一企业一年只能有一行亩均评价数据，"
                    "请删去重复的一行")
EVALUATION_CODE_TWICE = ("的统一社会信用代码 {code} 与{where}第{row}行的「{other}」相同：同一企业一年只能有一行"
                         "亩均评价数据，请核对代码或名称")
# 是否规上 blank on an evaluation row and nothing in the register: rated as 规下, said at import.
EVALUATION_SCALE_ASSUMED = "未填，企业名录中也没有是否规上的标记：按规下企业评价（如是规上企业，请补填后重新导入）"
EVALUATION_SCALE_ASSUMED_COUNT = ("没有“是否规上”列，按企业名录的标记分组；其中{count}家企业名录中也没有标记，"
                                  "按规下企业评价：{names}")
EVALUATION_START_AFTER_YEAR = ("晚于评价年度（{year}年）：投产日期不能在评价年度之后"
                              "（当年新投产的企业，投产日期应在{year}年内），请核对投产日期或表的年份")
# A 年份 column against the year of the title, the sheet name or --period ({where}).
EVALUATION_YEAR_SOURCES = {"override": "导入时指定的期间", "sheet": "工作表名", "title": "标题"}
EVALUATION_YEAR_DISAGREES = ("写的是{column_year}年，而{where}写的是{sheet_year}年：不能确定这是哪一年的评价数据，"
                             "请把两处改成一致")
EVALUATION_ROW_YEAR_DISAGREES = ("与{where}的{sheet_year}年不一致（本列各行年份不同）：一张亩均评价表只能是一年的数据，"
                                 "请核对")
# Beside an enterprise whose group is so assumed, on the 亩均评价 page, in the CLI and the export.
EVALUATION_GROUP_ASSUMED = "是否规上未填（名录中也没有），按规下评价"
# Two rows of a file that the register makes one enterprise, in one year or span.
SAME_ENTERPRISE_ROWS = ("与{where}第{row}行是名录中的同一家企业「{registered}」，{period}出现了两次："
                        "同一企业只能有一个数，请删去重复的一行")
POWER_ACCOUNT_HEADER = "户号"
POWER_ACCOUNT_UNKNOWN = ("企业名录中没有这个电力户号，本行也没有企业名称：请在企业名录的“电力户号”列登记该户号，"
                         "或在本行填写企业名称")
POWER_ACCOUNT_DISAGREES = ("户号与企业名称不一致：名录中该户号属于「{holder}」，而本行写的是「{named}」"
                           "（名录中「{named}」的户号：{registered}），请核对")
POWER_ACCOUNT_NOBODY = "没有企业"
# A 户号 the register holds only with leading zeros (0012345 for 12345): a spreadsheet took it for a number.
POWER_ACCOUNT_UNKNOWN_ZEROS = "企业名录中没有这个电力户号"
POWER_ACCOUNT_LOST_ZEROS = "；名录中有{accounts}，可能是表格把户号当成数字、去掉了开头的0，请把户号列设为文本后重新填写"
POWER_ACCOUNT_REGISTERED = "“{account}”（「{name}」）"
ELECTRICITY_TWICE = ("的{period}用电量出现了两次（另见{where}第{row}行）：同一企业同一期间只能有一个数，"
                     "请删去重复的一行")
ELECTRICITY_NEEDS_KEY = "用电量表需要“企业名称”或“户号”列"
ELECTRICITY_NO_KEY = "本行既没有企业名称也没有户号"
# The columns of an evaluation sheet read as its figures (ingest.layout), named as in a template.
ROLE_NAMES.update(EVALUATION_FIGURES)
POWER_UNIT_ASSUMED = "未找到用电量的计量单位，按万千瓦时处理"
EVALUATION_TEMPLATE_TITLE = "{year}年度工业企业亩均效益评价数据表"
EVALUATION_TEMPLATE_NOTES = (
    "已列出企业名录中的全部企业，并预填了统一社会信用代码、是否规上和名录中的用地面积（亩），请核对后填写其余各项。",
    "金额单位为万元；若按元或千元填写，请把表头括号中的单位改为“元”或“千元”，导入时自动换算。用电量单位为万千瓦时（可改为千瓦时）。",
    "没有的数据请留空（留空表示缺少该项，不等于0）；确实为0的填0。不能填负数、文字或公式。",
    "是否规上填“是”或“否”（也可填“规上”“规下”）；当年新投产的企业请填写投产日期（如 2023-05-01）。",
    "同一企业只能出现一次。再次导入同一年度的数据表，会整体替换该年度已导入的亩均评价数据，可在“导入历史”中撤销。",
)
ELECTRICITY_TEMPLATE_TITLE = "{period}工业企业用电量"
ELECTRICITY_TEMPLATE_NOTES = (
    "已列出企业名录中的全部企业及其电力户号。请填写用电量，单位万千瓦时；按千瓦时（度）填写的，请把表头中的单位改为“千瓦时”。",
    "上年同期用电量可不填。没有用电数据的企业留空。",
    "也可以直接导入供电所的报表：有“企业名称”或“户号”列、以及“本月用电量”“1-N月累计用电量”等列即可；"
    "只有户号的行按企业名录中的电力户号找到企业。",
    "再次导入同一期间的用电量，会替换该期间已导入的数据，可在“导入历史”中撤销。",
)
