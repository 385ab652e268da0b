"""数据管理: staff bring the quarter's spreadsheets in safely — check, preview, commit, undo — edit
the register and the targets, and export. Viewing the rest of the dashboard needs none of this."""
import datetime as dt
import hashlib

import pandas as pd
import streamlit as st

from lakou_app.auth import may_change, staff_operator
from lakou_app.data import (
    current_town,
    data_version,
    db_path,
    get_engine,
    load_available,
    load_ledger,
    load_power_settings,
    load_reporting,
    load_year,
    towns,
)
from lakou_app.project_forms import projects_tab
from lakou_app.ui import plain, plain_table, sidebar_controls, stored_only_note, titled
from lakou_metrics import importing, store
from lakou_metrics.domain import labels
from lakou_metrics.domain.numbers import (
    format_10k,
    format_points,
    format_rate,
    is_missing,
    round_half_up_array,
    round_half_up_float,
)
from lakou_metrics.domain.periods import Period, format_timestamp
from lakou_metrics.domain.sectors import SECTOR_NAMES, SECTOR_ORDER
from lakou_metrics.domain.selection import choose_selection, describe_months
from lakou_metrics.domain.targets import INDICATORS, in_unit
from lakou_metrics.ingest.cells import alias_rows
from lakou_metrics.ingest.clean import clean_table
from lakou_metrics.ingest.errors import ImportRefused, problems_table
from lakou_metrics.output import export
from lakou_metrics.output.templates import (
    TEMPLATES,
    build_prefilled_electricity,
    build_prefilled_evaluation,
    build_prefilled_output,
    build_template,
)
from lakou_metrics.preview import (
    count_confirmations,
    electricity_summary,
    evaluation_table,
    group_confirmations,
    list_confirmations,
    preview_bytes,
    town_versions,
)
from lakou_metrics.settings import load_limits, load_preview_swing, load_timezone, load_unit_slip_ratio, town_today

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SECTOR_BY_NAME = {SECTOR_NAMES[c]: c for c in SECTOR_ORDER}

st.title(titled("数据管理"))
engine = get_engine(db_path())
operator = staff_operator()
if not may_change(operator):
    operator = None  # a town's staff looking at another town (the store would refuse anyway)
if st.session_state.get("last_import"):
    st.success(plain(st.session_state.pop("last_import")))
    latest = choose_selection(load_available())
    if latest is not None:
        figures = load_year(latest.period)
        st.markdown(f"现在全镇{latest.when}工业总产值 **{format_10k(figures.total.value)}**，"
                    f"同比 **{format_rate(figures.total.yoy)}**；"
                    f"规上工业产值 **{format_10k(figures.above_scale.value)}**，"
                    f"同比 **{format_rate(figures.above_scale.yoy)}**。")
        # The pages keep the period a reader chose; after new data arrives, one click shows it.
        st.page_link("views/overview.py", label=f"查看最新数据：{latest.when}", icon=":material/dashboard:",
                     query_params=latest.params())
# Stateful tabs (a key, a rerun on switching): the tab a person is on stays open through the reruns
# its own buttons start (撤销这次导入 → 确认撤销), and after the page's notes above it change.
tabs = st.tabs(["导入报表", "报送情况", "导入历史", "企业名录", "年度目标", "重点项目", "导出"], key="data_tab",
               on_change="rerun")


# -- 导入报表 -----------------------------------------------------------------------------------
def show_refusal(refused: ImportRefused, what: str = "文件") -> None:
    """Every problem listed (up to the limit, then how many more), nothing stored."""
    st.error(labels.REFUSED_HEADING.format(n=refused.total).replace("文件", what))
    # A static table, so a long reason wraps instead of being cut off in its cell.
    st.table(plain_table(pd.DataFrame(problems_table(refused.problems))), hide_index=True)
    if refused.unlisted:
        st.caption(labels.MORE_PROBLEMS.format(n=refused.unlisted))


def show_preview(preview, key: str) -> None:
    sheets = pd.DataFrame([{"工作表": s.sheet, "表头所在行": s.header_row, "类型": KINDS.get(s.kind, s.kind),
                            "期间": "、".join(s.periods) or "—", "单位": s.unit or "—", "数据行数": s.rows,
                            "乡镇": "、".join(s.towns) or "未写明", "未读取的指标": "、".join(s.unused) or "—"}
                           for s in preview.sheets])
    st.caption("识别结果")
    st.dataframe(sheets, hide_index=True, width="stretch")
    if preview.warnings:
        with st.expander(f"提示 {len(preview.warnings)} 条（不影响导入）"):
            st.dataframe(pd.DataFrame(problems_table(preview.warnings)), hide_index=True, width="stretch")
    project_preview(preview.cleaned)
    evaluation_preview(preview.cleaned)
    if not preview.elsewhere:
        show_spans(preview.parts[0].spans)
        return
    towns_preview(preview)
    for part in preview.parts:
        with st.expander(f"{part.town}：逐期明细"):
            show_spans(part.spans)


def towns_preview(preview) -> None:
    """Where a file that names other towns goes: each town's enterprises, periods and totals."""
    towns = "、".join(p.town for p in preview.parts)
    if len(preview.parts) > 1:
        st.warning(labels.TOWN_PREVIEW_SPLIT.format(n=len(preview.parts)))
    else:
        st.warning(labels.TOWN_PREVIEW_ELSEWHERE.format(towns=towns, shown=preview.town))
    if preview.new_towns:
        new = "、".join(preview.new_towns)
        st.warning(labels.TOWN_PREVIEW_NEW.format(towns=new, these="这些" if len(preview.new_towns) > 1 else "这个"))
    rows = []
    for part in preview.parts:
        note = "新乡镇（将新建）" if part.new_town else ("与已存数据相同" if part.status == "unchanged" else "")
        for change in part.spans or [None]:
            rows.append({"乡镇": part.town, "企业（家）": part.enterprises,
                         "期间": change.period.label() if change else "—",
                         "导入前（万元）": None if change is None or change.total_before is None
                         else round_half_up_float(change.total_before, 1),
                         "导入后（万元）": None if change is None else round_half_up_float(change.total_after, 1),
                         "本表缺少（家）": 0 if change is None else len(change.missing), "说明": note})
    st.caption("各乡镇的部分（“本表缺少”是该乡镇已存有本期数据、本文件却没有的企业，导入后其本期数据将被移除）")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", placeholder="尚无数据", column_config={
        c: st.column_config.NumberColumn(format="%.1f") for c in ("导入前（万元）", "导入后（万元）")})


def show_spans(spans) -> None:
    """Each period the file brings: new, changed, unchanged and missing enterprises, the totals
    and each sector's before and after, and each enterprise beside its own history."""
    for change in spans:
        st.markdown(f"**{change.period.label()}**")
        cols = st.columns(4)
        cols[0].metric("本期新增", len(change.new), help="本期尚无数据的企业")
        cols[1].metric("数值变化", len(change.changed))
        cols[2].metric("不变", change.unchanged)
        cols[3].metric("本表缺少", len(change.missing), help="已存有、但本表没有的企业；导入后这些企业本期数据将被移除")
        before = "尚无数据" if change.total_before is None else format_10k(change.total_before)
        growth = ("" if change.yoy_after is None else
                  f"；同比 {format_rate(change.yoy_before) if change.total_before is not None else '—'} → "
                  f"**{format_rate(change.yoy_after)}**")
        st.markdown(f"全镇合计：导入前 {before} → 导入后 **{format_10k(change.total_after)}**{growth}")
        if change.unknown:
            st.caption(f"其中 {len(change.unknown)} 家是名录中没有的新企业："
                       + "、".join(plain(n) for n in change.unknown[:10])
                       + ("等" if len(change.unknown) > 10 else "") + "（将加入名录）")
        detail = change.sectors.assign(行业=change.sectors.sector.map(SECTOR_NAMES))
        detail = detail[(detail.before != 0) | (detail.after != 0)]
        money = {c: st.column_config.NumberColumn(format="%.1f")
                 for c in ("导入前（万元）", "导入后（万元）", "原值（万元）", "新值（万元）")}
        st.dataframe(pd.DataFrame({"行业": detail["行业"], "导入前（万元）": round_half_up_array(detail.before, 1),
                                   "导入后（万元）": round_half_up_array(detail.after, 1),
                                   "同比（导入前）": [format_rate(v) for v in detail.yoy_before],
                                   "同比（导入后）": [format_rate(v) for v in detail.yoy_after]}),
                     hide_index=True, width="stretch", column_config=money)
        compare_table(change)
        divergence_table(change)
        if change.changed:
            changed = pd.DataFrame(change.changed, columns=["企业", "原值（万元）", "新值（万元）"])
            for column in ("原值（万元）", "新值（万元）"):
                changed[column] = round_half_up_array(changed[column], 1)
            st.dataframe(changed,
                         hide_index=True, width="stretch", column_config=money)
        if change.missing:
            st.warning("以下企业已存有本期数据，但本表中没有，导入后将被移除："
                       + "、".join(plain(name) for name, _ in change.missing[:20])
                       + ("等" if len(change.missing) > 20 else ""))


def project_preview(cleaned) -> None:
    """What a project file brings: its projects, and its progress month by month."""
    if not cleaned.projects.empty:
        p = cleaned.projects
        st.markdown(f"**重点项目库**：{len(p)} 个项目")
        st.dataframe(pd.DataFrame({"年份": p.year, "项目": p.name, "企业": p.enterprise,
                                   "年度计划投资（万元）": round_half_up_array(p.plan_10k, 1),
                                   "总投资（万元）": round_half_up_array(p.total_10k, 1)}),
                     hide_index=True, width="stretch", placeholder="—")
    if not cleaned.project_progress.empty:
        g = cleaned.project_progress
        spans = g.assign(期间=[Period(int(y), int(a), int(b)).label() for y, a, b in
                             zip(g.year, g.first_month, g.last_month)])
        summary = spans.groupby("期间", sort=False).agg(项目数=("name", "nunique"), 完成投资=("invested_10k", "sum"),
                                                      到位资金=("received_10k", "sum"))
        st.markdown("**重点项目进度**")
        money = {"完成投资": "完成投资（万元）", "到位资金": "到位资金（万元）"}
        summary = summary.reset_index().rename(columns=money)
        for column in money.values():
            summary[column] = round_half_up_array(summary[column], 1)
        st.dataframe(summary, hide_index=True, width="stretch",
                     column_config={c: st.column_config.NumberColumn(format="%.1f") for c in money.values()})


def evaluation_preview(cleaned) -> None:
    """What a 亩均评价 sheet or an electricity sheet brings (what it replaces is said beside the button)."""
    if not cleaned.evaluation.empty:
        table = evaluation_table(cleaned)
        st.markdown(f"**亩均评价数据**：{len(table)} 家企业（空白表示缺少该项，不按0计）")
        st.dataframe(table, hide_index=True, width="stretch", placeholder="—", column_config={
            c: st.column_config.NumberColumn(format="%.2f") for c in labels.EVALUATION_FIGURES.values()})
    if not cleaned.electricity.empty:
        st.markdown("**企业用电量**")
        st.dataframe(electricity_summary(cleaned), hide_index=True, width="stretch", column_config={
            "用电量合计（万千瓦时）": st.column_config.NumberColumn(format="%.2f")})


def compare_table(change) -> None:
    """Each enterprise's new figure beside the same months last year and the period before, with
    同比 and 环比: how staff catch a wrong figure. Swings beyond the setting come first, marked."""
    rows = change.comparisons
    if rows is None or rows.empty:
        return
    flagged = int(rows.flagged.sum())
    swing = load_preview_swing()
    st.caption(f"逐家对比（同比或环比波动达到 ±{swing:.0%} 的 {flagged} 家排在最前，请重点核对）"
               if flagged else "逐家对比（没有波动异常的企业）")
    table = pd.DataFrame({
        "提示": ["波动大" if f else "" for f in rows.flagged],
        "企业": rows.name, "行业": rows.sector.map(SECTOR_NAMES),
        "本期（万元）": round_half_up_array(rows.value, 1), "上年同期（万元）": round_half_up_array(rows.prior, 1),
        "同比": [format_rate(v) for v in rows.yoy], "上期（万元）": round_half_up_array(rows.previous, 1),
        "环比": [format_rate(v) for v in rows.mom]})
    st.dataframe(table, hide_index=True, width="stretch", placeholder="—", column_config={
        c: st.column_config.NumberColumn(format="%.1f") for c in ("本期（万元）", "上年同期（万元）", "上期（万元）")})


def divergence_table(change) -> None:
    """以电核产: where stored electricity covers the period, the file's enterprises whose output
    growth and electricity growth diverge, to check before confirming (never a refusal)."""
    found = change.divergences
    if found is None:
        return
    points = load_power_settings().divergence_points
    if found.empty:
        st.caption(labels.PREVIEW_NO_DIVERGENCE.format(period=change.period.label(), points=points))
        return
    st.warning(labels.PREVIEW_DIVERGENCE.format(period=change.period.label(), n=len(found), points=points),
               icon=":material/bolt:")
    st.dataframe(pd.DataFrame({
        "企业": found.name, "产值同比": [format_rate(v) for v in found.output_yoy],
        "用电同比": [format_rate(v) for v in found.power_yoy], "相差": [format_points(v) for v in found.gap],
        "行业": found.sector.map(SECTOR_NAMES)}), hide_index=True, width="stretch")


KINDS = {"output": "企业产值", "targets": "年度目标", "enterprise_targets": "企业产值目标", "register": "企业名录",
         "peer": "对比乡镇指标", "projects": "重点项目库", "project_progress": "重点项目进度",
         "evaluation": "亩均评价数据", "electricity": "企业用电量"}


def template_periods() -> tuple[list[Period], int]:
    """Months and quarters a pre-filled template can be for, and the index of the one to offer
    first: the month after the latest with data (or this year's January)."""
    latest = choose_selection(load_available())
    year = latest.period.year if latest else dt.date.today().year
    last = latest.period.last if latest else 0
    months = [Period.month(y, m) for y in (year, year + 1) for m in range(1, 13)]
    quarters = [Period.quarter(y, q) for y in (year, year + 1) for q in range(1, 5)]
    following = Period.month(year, last + 1) if last < 12 else Period.month(year + 1, 1)
    options = months + quarters
    return options, options.index(following)


def prefilled_template() -> None:
    """The output template for a chosen month or quarter, listing every enterprise of the register."""
    options, default = template_periods()
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    period = left.selectbox("预填模板的期间", options, index=default, format_func=Period.label, key="template_period",
                            help="按月或按季度填报均可")
    right.download_button(f"下载预填模板：{period.label()}企业产值", lambda: build_prefilled_output(
        store.load_enterprises(engine), load_ledger(), period),
        f"{current_town()}{period.label()}企业产值（预填）.xlsx",
        mime=XLSX, key="template_prefilled", icon=":material/download:", type="primary")
    st.caption("模板已列出名录中的全部企业及其信用代码、行业、是否规上，并附上年同期和上一期产值供核对，只需填写本期产值。")


def evaluation_templates() -> None:
    """The 亩均评价 data sheet of a year and the electricity sheet of a month, pre-filled from the register."""
    with st.expander("亩均评价数据、企业用电量预填模板"):
        options, default = template_periods()
        this_year = dt.date.today().year
        years = list(range(this_year, this_year - 6, -1))
        left, right = st.columns([1, 2], vertical_alignment="bottom")
        year = left.selectbox("评价年度", years, index=1, format_func=lambda y: f"{y}年",
                              key="template_evaluation_year", help="亩均效益评价按上一年度的数据进行")
        right.download_button(f"下载预填模板：{year}年度亩均评价数据", lambda: build_prefilled_evaluation(
            store.load_enterprises(engine), year), f"{current_town()}{year}年度亩均评价数据（预填）.xlsx",
            mime=XLSX, key="template_evaluation", icon=":material/download:")
        left, right = st.columns([1, 2], vertical_alignment="bottom")
        months = [p for p in options if p.months == 1]
        period = left.selectbox("用电量月份", months, index=min(default, len(months) - 1), format_func=Period.label,
                                key="template_power_period")
        right.download_button(f"下载预填模板：{period.label()}企业用电量", lambda: build_prefilled_electricity(
            store.load_enterprises(engine), period), f"{current_town()}{period.label()}企业用电量（预填）.xlsx",
            mime=XLSX, key="template_electricity", icon=":material/download:")
        st.caption("模板已列出名录中的全部企业：亩均评价表预填信用代码、是否规上和用地面积，用电量表预填电力户号。")


def import_tab() -> None:
    st.markdown("下载模板填写，或直接上传收到的报表（.xlsx、.xls、.csv，可多选）。导入前会先检查并显示变化，确认后才保存。")
    prefilled_template()
    evaluation_templates()
    with st.expander("空白模板（企业产值、年度目标、企业名录）"):
        cols = st.columns(3)
        for col, template in zip(cols, (TEMPLATES[k] for k in ("output", "targets", "register"))):
            col.download_button(f"下载模板：{template.title}", build_template(template.key), template.file_name,
                                mime=XLSX, key=f"template_{template.key}", icon=":material/download:")
    upload_destination()
    # A new uploader after each import: the file just stored is not previewed again.
    files = st.file_uploader("上传报表", type=["xlsx", "xls", "csv"], accept_multiple_files=True,
                             key=f"uploads_{st.session_state.get('upload_round', 0)}", disabled=operator is None)
    if operator is None:
        st.caption("填写操作人（及口令）后才能上传和导入。")
        return
    limit = load_limits().max_file_bytes
    for uploaded in files or []:
        st.divider()
        st.subheader(plain(uploaded.name))
        if uploaded.size > limit:
            st.error(labels.FILE_TOO_LARGE.format(mb=limit // 1_000_000))
            continue
        file_flow(uploaded.name, uploaded.getvalue())


def upload_destination() -> None:
    """Which town an upload goes into, said before the upload; in the county edition also what
    happens to a file that names another town, for the person signed in."""
    if len(towns()) == 1:
        st.markdown(labels.UPLOAD_INTO_TOWN.format(town=plain(current_town())))
        return
    words = labels.UPLOAD_INTO_SHOWN_TOWN.format(town=plain(current_town()))
    if operator is not None:
        words += labels.UPLOAD_COUNTY_STAFF if operator.authority == store.COUNTY else labels.UPLOAD_TOWN_STAFF
    st.info(words, icon=":material/move_to_inbox:")


def file_flow(name: str, data: bytes) -> None:
    """One uploaded file: its preview for the town shown (kept while the data stays as it was),
    then commit."""
    key = hashlib.sha256(data).hexdigest()
    notice = st.session_state.setdefault("commit_notices", {}).pop(key, None)
    if isinstance(notice, ImportRefused):
        show_refusal(notice)
    elif notice:
        st.error(plain(notice))
    preview = previewed(name, data, key, current_town())
    if preview is None:
        return
    if isinstance(preview, ImportRefused):
        show_refusal(preview)
        return
    show_preview(preview, key)
    if preview.status == "unchanged":
        st.info(plain(labels.UNCHANGED.format(file=preview.file)))
        return
    confirmed = ask_to_confirm(preview, key)
    if preview.new_towns:
        confirmed = st.checkbox(labels.TOWN_CONFIRM_NEW.format(towns="、".join(preview.new_towns)),
                                key=f"confirm_towns_{key}") and confirmed
    if preview.replaced:
        st.warning("将替换已存的：" + "、".join(preview.replaced) + "（可在“导入历史”中撤销）")
    # The click commits the preview it was drawn under (commit checks its town against the page's).
    st.button("确认导入", key=f"commit_{key}", type="primary", disabled=not confirmed, on_click=commit,
              args=(name, data, preview, operator))


def ask_to_confirm(preview, key: str) -> bool:
    """The figures a person must confirm before the file is stored (the command line asks for the
    same, preview.list_confirmations), grouped by why, and one box to tick; True when none or ticked."""
    items = list_confirmations(preview)
    if not items:
        return True
    st.error(labels.CONFIRM_HEADING.format(n=len(items), kinds=count_confirmations(items)))
    for word, group in group_confirmations(items):
        st.caption(f"{word}（{len(group)} 个）")
        # One kind is one measure: output in 万元, electricity in 万千瓦时 (Confirmation.unit).
        value, reference = f"本表（{group[0].unit}）", f"参照值（{group[0].unit}）"
        st.dataframe(pd.DataFrame({"企业": [i.enterprise for i in group], "期间": [i.period for i in group],
                                   value: round_half_up_array([i.value for i in group], 1),
                                   "参照期": [i.reference_label for i in group],
                                   reference: round_half_up_array([i.reference for i in group], 1),
                                   "说明": [i.why for i in group]}),
                     hide_index=True, width="stretch",
                     column_config={c: st.column_config.NumberColumn(format="%.1f") for c in (value, reference)})
    return st.checkbox(labels.CONFIRM_BOX, key=f"confirm_{key}")


def previewed(name: str, data: bytes, key: str, town: str):
    """The file's preview for `town`, or its refusal; None when the store cannot be read (said on
    the page). A session keeps one per town and file: a preview made for one town is never shown
    (or committed) under another. A preview made before someone else changed the data of a town
    it goes to is kept until the person asks again."""
    previews = st.session_state.setdefault("previews", {})
    cached = previews.get((town, key))
    if cached is not None and cached[0] != operator.authority:
        cached = None  # signed in again under another authority: what it may import differs
    if cached is not None and isinstance(cached[1], ImportRefused):
        if cached[2] != data_version():
            cached = None
    elif cached is not None and town_versions(engine, cached[1].versions) != cached[1].versions:
        # Keep what the person saw: committing it will say what changed in between.
        st.warning("显示本预览之后，数据已被修改。")
        if st.button("重新预览", key=f"again_{key}"):
            cached = None
    if cached is None:
        version = data_version()
        try:
            with st.spinner("正在检查文件……"):
                previews[(town, key)] = (operator.authority, preview_bytes(
                    engine, data, name, operator=operator, slip_ratio=load_unit_slip_ratio(),
                    swing=load_preview_swing(), divergence_points=load_power_settings().divergence_points))
        except ImportRefused as refused:
            previews[(town, key)] = (operator.authority, refused, version)
        except store.StoreUnavailable as unavailable:
            st.error(plain(str(unavailable)))
            return None
    return previews[(town, key)][1]


def commit(name: str, data: bytes, preview, operator: store.Operator) -> None:
    """Import the file the preview shows, into the preview's town: refused (said beside the file)
    when the page shows another town now."""
    previews = st.session_state.setdefault("previews", {})
    notices = st.session_state.setdefault("commit_notices", {})
    key, shown = preview.sha256, current_town()
    if preview.town != shown:
        notices[key] = labels.PREVIEW_OTHER_TOWN.format(previewed=preview.town, shown=shown)
        return
    try:
        with st.spinner(f"正在导入……（如有他人正在导入，会等待最多{int(store.LOCK_WAIT_SECONDS)}秒）"):
            outcome = importing.import_bytes(get_engine((db_path()[0], preview.town)), data, name, operator=operator,
                                             expected_version=preview.versions)
    except (store.DataChanged, store.StoreUnavailable) as changed:
        notices[key] = str(changed)
        previews.pop((preview.town, key), None)
    except ImportRefused as refused:
        notices[key] = refused
    else:
        previews.pop((preview.town, key), None)
        said = outcome.describe()
        # The uploader is cleared below (the stored file is not previewed again): a file uploaded
        # with it and not imported yet would go with it unsaid.
        round_ = st.session_state.get("upload_round", 0)
        others = [f"「{f.name}」" for f in st.session_state.get(f"uploads_{round_}") or [] if f.name != name]
        if others:
            said += "\n\n" + labels.UPLOAD_NOT_IMPORTED.format(files="、".join(others))
        st.session_state["last_import"] = said
        st.session_state["upload_round"] = round_ + 1


# -- 报送情况 -----------------------------------------------------------------------------------
def reporting_tab() -> None:
    """Who has reported for the latest period and who has not, counted as every page's title counts
    (已报送 x/y of the same year to date: an enterprise that owes any of its months has not), with
    the months each still owes, the official who answers for it (一对一), and a 催报 list to download."""
    latest = choose_selection(load_available())
    if latest is None:
        st.info(stored_only_note() if load_available() else "还没有产值数据。")
        return
    period = latest.period
    reporting = load_reporting(period)
    register = store.load_enterprises(engine).set_index("id")
    st.markdown(f"**{period.label()}**：应报 {reporting.expected} 家，{reporting.describe()}。"
                + labels.REPORTING_RULE.format(period=period.label()))
    if reporting.complete:
        st.success("全部企业已报送。")
        return
    missing = register.loc[list(reporting.missing)]
    table = pd.DataFrame({"企业": missing.name, "行业": missing.sector.map(SECTOR_NAMES),
                          "规上": missing.above_scale.map({True: "是", False: "否"}),
                          "缺报月份": [describe_months(list(m)) if m else labels.REPORTING_UNJOINED
                                   for m in reporting.missing_months],
                          "联系领导": missing.contact.fillna("未登记"), "统一社会信用代码": missing.credit_code})
    st.caption(f"未报送的 {len(table)} 家（按联系领导排列）：")
    table = table.sort_values(["联系领导", "企业"])
    st.dataframe(table, hide_index=True, width="stretch", placeholder="—")
    st.download_button(f"下载催报名单（{period.label()}，.xlsx）",
                       lambda: export.to_xlsx({"未报送企业": table}, export.FORMATS),
                       f"{current_town()}{period.label()}未报送企业名单.xlsx", mime=XLSX, key="chase_list",
                       icon=":material/download:")


# -- 导入历史 -----------------------------------------------------------------------------------
def local_time(stamp) -> str:
    """A stored time in the town's time zone (config/settings.toml [display] timezone)."""
    return format_timestamp(stamp, load_timezone())


def _authority(value) -> str:
    """The authority a change was made under, as the history shows it (none before towns)."""
    if not isinstance(value, str) or not value:
        return ""
    return "（县级）" if value == store.COUNTY else ("" if value == current_town() else f"（{value}）")


def _original(row) -> bytes | None:
    """An import's original file: kept in the database; releases before the county edition kept
    it beside the SQLite file."""
    found = store.load_original(engine, row.sha256)
    if found is None and row.stored_path and store.files_dir(engine) is not None:
        legacy = store.files_dir(engine) / str(row.stored_path)
        found = legacy.read_bytes() if legacy.is_file() else None
    return found


def _periods(periods) -> str:
    return "、".join(periods) or "—"


def _offer_newest(newest: int) -> None:
    """Select the newest import whenever a newer one appears (an import, a page edit, another town's
    history): the selector would otherwise keep the one it showed before, and 撤销 would undo that."""
    if st.session_state.get("history_newest") != newest:
        st.session_state["history_newest"] = newest
        st.session_state["history_choice"] = newest
        st.session_state.pop("undo_pending", None)


def _describe_import(import_id: int, row) -> str:
    """An import as the selector offers it: its number, file, periods and time."""
    return f"{import_id}：{row.file_name}（{_periods(row.periods)}，{local_time(row.imported_at)}）"


def _forget_pending_undo() -> None:
    st.session_state.pop("undo_pending", None)


def history_tab() -> None:
    history = store.list_imports(engine)  # newest first
    if history.empty:
        st.info("还没有导入记录。")
        return
    table = pd.DataFrame({
        "编号": history.id, "文件": history.file_name, "导入时间": history.imported_at.map(local_time),
        "操作人": [f"{b}{_authority(a)}" for b, a in zip(history.imported_by, history.imported_as)],
        "记录数": history.row_count,
        "期间": history.periods.map(_periods),
        "替换了": history.replaced.map(_periods),
        "状态": [("有效" if s == "active" else f"已撤销（{b}{_authority(w)}，{local_time(a)}）")
               for s, a, b, w in zip(history.status, history.undone_at, history.undone_by, history.undone_as)],
        "sha256": history.sha256,
    })
    st.dataframe(table, hide_index=True, width="stretch")
    by_id = history.set_index("id")
    _offer_newest(int(history.id.iloc[0]))
    choice = st.selectbox("选择一次导入（最新的在最前）", history.id.tolist(), key="history_choice",
                          on_change=_forget_pending_undo, format_func=lambda i: _describe_import(i, by_id.loc[i]))
    row = by_id.loc[choice]
    original = _original(row)
    cols = st.columns(2)
    if original is not None:
        cols[0].download_button("下载原始文件", original, row.file_name, key=f"original_{choice}",
                                icon=":material/download:")
    else:
        cols[0].caption("页面编辑，没有原始文件。")
    if row.status != "active":
        cols[1].caption("已撤销。")
        return
    if operator is None:
        cols[1].caption("填写操作人（及口令）后才能撤销。")
        return
    # Two clicks: 撤销 asks, 确认撤销 does it.
    pending = st.session_state.get("undo_pending") == choice
    if not pending:
        if cols[1].button("撤销这次导入", key=f"undo_{choice}", icon=":material/undo:"):
            st.session_state["undo_pending"] = choice
            st.rerun()
        return
    with cols[1].container(border=True):
        periods = f"（期间：{_periods(row.periods)}）" if row.periods else ""
        st.warning(labels.UNDO_CONFIRM.format(id=choice, file=plain(row.file_name), periods=periods))
        confirm, cancel = st.columns(2)
        if cancel.button("取消", key=f"undo_cancel_{choice}"):
            st.session_state.pop("undo_pending", None)
            st.rerun()
        if confirm.button("确认撤销", key=f"undo_confirm_{choice}", type="primary"):
            st.session_state.pop("undo_pending", None)
            try:
                message = store.undo_import(engine, int(choice), operator=operator)
            except (ValueError, store.StoreUnavailable) as refused:
                st.error(plain(str(refused)))
            else:
                st.session_state["last_import"] = message
                st.rerun()


# -- 企业名录 -----------------------------------------------------------------------------------
def register_tab() -> None:
    ents = store.load_enterprises(engine).sort_values("name")
    if ents.empty:
        st.info("名录为空：导入企业产值表或企业名录后会自动建立。")
        return
    frame = pd.DataFrame({
        "企业名称": ents.name, "统一社会信用代码": ents.credit_code.fillna(""),
        "所属行业": ents.sector.map(SECTOR_NAMES), "是否规上": ents.above_scale.fillna(False).astype(bool),
        "联系领导": ents.contact.fillna(""), "用地面积（亩）": ents.land_mu.astype(float),
        "电力户号": ents.power_account.fillna(""), "别名": ents.aliases.map("、".join),
    })
    st.caption("可修改行业、规上、联系领导、信用代码、用地面积、电力户号，并在“别名”中填写同一企业的其他写法（用顿号分隔），"
               "以后导入时按同一企业处理。保存后记入导入历史，可撤销。")
    edited = st.data_editor(frame, hide_index=True, width="stretch", disabled=["企业名称"], num_rows="fixed",
                            key="register_editor", column_config={
                                "所属行业": st.column_config.SelectboxColumn(options=list(SECTOR_BY_NAME),
                                                                          required=True),
                                "是否规上": st.column_config.CheckboxColumn(),
                            })
    if operator is None or not st.button("保存企业名录", key="save_register", type="primary"):
        return
    rows = [["企业名称", "统一社会信用代码", "所属行业", "是否规上", "联系领导", "用地面积（亩）", "电力户号"]] + [
        [r["企业名称"], r["统一社会信用代码"], r["所属行业"], "是" if r["是否规上"] else "否", r["联系领导"],
         None if is_missing(r["用地面积（亩）"]) else float(r["用地面积（亩）"]), r["电力户号"]]
        for r in edited.to_dict("records")]
    aliases = alias_rows((r["企业名称"], r["别名"]) for r in edited.to_dict("records"))
    save_edit(rows, "企业名录", "页面编辑：企业名录", aliases, authoritative=True)


def save_edit(rows: list[list], sheet: str, source: str, aliases=(), authoritative=False) -> None:
    try:
        cleaned = clean_table(rows, source, sheet)
        cleaned.authoritative = authoritative
        cleaned.aliases = pd.DataFrame(list(aliases), columns=["name_key", "alias", "alias_key"])
        digest = hashlib.sha256(repr((rows, list(aliases))).encode("utf-8")).hexdigest()
        outcome = store.store_cleaned(engine, cleaned, digest, 0, operator=operator)
    except ImportRefused as refused:
        show_refusal(refused, what="修改")
        return
    except store.StoreUnavailable as unavailable:
        st.error(plain(str(unavailable)))
        return
    st.session_state["last_import"] = ("没有修改。" if outcome.status == "unchanged"
                                       else f"已保存（导入编号 {outcome.import_id}，可在“导入历史”中撤销）。")
    st.rerun()


# -- 年度目标 -----------------------------------------------------------------------------------
def targets_tab() -> None:
    ledger_years = load_ledger_years()
    year = st.selectbox("年份", ledger_years, format_func=lambda y: f"{y}年", key="targets_year")
    goals, actuals = store.load_targets(engine, year)
    rows = []
    for ind in INDICATORS:
        done = {int(m): a for m, a in zip(actuals[actuals.indicator == ind.code].last_month,
                                          actuals[actuals.indicator == ind.code].actual)}
        rows.append({"指标": ind.name, "单位": ind.unit,
                     "年度目标": in_unit(goals[ind.code], ind.unit) if ind.code in goals else None,
                     **{f"1-{m}月完成": (in_unit(done[m], ind.unit) if m in done else None) for m in (3, 6, 9, 12)}})
    st.caption("增速类指标按百分数填写（33 表示 33%）；工业总产值、规上产值的完成数由系统计算，无需填写。")
    edited = st.data_editor(pd.DataFrame(rows), hide_index=True, width="stretch", disabled=["指标", "单位"],
                            num_rows="fixed", key=f"targets_editor_{year}")
    if operator is None or not st.button("保存年度目标", key="save_targets", type="primary"):
        return
    header = ["年份", "指标", "单位", "年度目标", "1-3月完成", "1-6月完成", "1-9月完成", "1-12月完成"]
    table = [header] + [[year, r["指标"], r["单位"], *(r[h] if pd.notna(r[h]) else "" for h in header[3:])]
                        for r in edited.to_dict("records") if pd.notna(r["年度目标"])]
    save_edit(table, f"{year}年度目标", f"页面编辑：{year}年目标")


def load_ledger_years() -> list[int]:
    from lakou_app.data import load_years

    years = load_years()
    # The years with data and the one after (to enter next year's targets); this year when none.
    return sorted(set(years) | {max(years, default=town_today().year - 1) + 1}, reverse=True)


# -- 导出 ---------------------------------------------------------------------------------------
def export_tab() -> None:
    st.markdown("导出的表格中，以 = + - @ 开头的文字会被处理为纯文本，不会在电子表格中被当作公式执行。")
    # Built when clicked (Streamlit runs the callable then), not on every rerun of this page.
    def stored():
        return export.stored_tables(store.load_observations(engine), store.load_enterprises(engine))

    cols = st.columns(2)
    cols[0].download_button("已存数据（.xlsx）", lambda: export.to_xlsx(stored(), export.FORMATS),
                            f"{current_town()}工业产值数据.xlsx", mime=XLSX, key="export_stored_xlsx",
                            icon=":material/download:")
    cols[1].download_button("企业产值（.csv）", lambda: export.to_csv(stored()["企业产值"]),
                            f"{current_town()}企业产值.csv", mime="text/csv", key="export_stored_csv",
                            icon=":material/download:")
    if selection is not None:
        ytd = load_year(selection.period)
        when, scope, above = selection.when, selection.scope, selection.above_only
        st.caption(f"指标计算结果按左侧所选期间和企业范围：{selection.heading()}。")
        cols = st.columns(2)
        cols[0].download_button(f"{when}指标计算结果·{scope}（.xlsx）",
                                lambda: export.to_xlsx(export.computed_tables(ytd, above), export.FORMATS),
                                f"{current_town()}{when}工业经济指标（{scope}）.xlsx", mime=XLSX,
                                key="export_year_xlsx", icon=":material/download:")
        cols[1].download_button(f"{when}企业排名·{scope}（.csv）",
                                lambda: export.to_csv(export.computed_tables(ytd, above)["企业"]),
                                f"{current_town()}{when}企业排名（{scope}）.csv", mime="text/csv",
                                key="export_year_csv", icon=":material/download:")


selection = sidebar_controls()
with tabs[0]:
    import_tab()
with tabs[1]:
    reporting_tab()
with tabs[2]:
    history_tab()
with tabs[3]:
    register_tab()
with tabs[4]:
    targets_tab()
with tabs[5]:
    projects_tab(engine, operator, load_ledger_years(), save_edit, show_refusal)
with tabs[6]:
    export_tab()
