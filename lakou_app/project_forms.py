"""数据管理 → 重点项目: templates pre-filled with known projects, and the register and a month's
progress edited in the page. An edit becomes the rows of the same sheet a template holds and goes
through the importer (clean_table → store_cleaned): same checks, same history, same undo."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from lakou_app.data import current_town
from lakou_app.ui import plain
from lakou_metrics import store
from lakou_metrics.carry_over import CarryPreview, carry_over_projects, preview_carry_over
from lakou_metrics.compute.projects import project_history
from lakou_metrics.domain.labels import MILESTONE_NAMES
from lakou_metrics.domain.numbers import is_missing
from lakou_metrics.domain.periods import Period
from lakou_metrics.domain.sectors import SECTOR_NAMES
from lakou_metrics.ingest.columns import MILESTONE_FIELDS
from lakou_metrics.ingest.errors import ImportRefused
from lakou_metrics.output.templates import (
    MILESTONE_WORDS,
    PROGRESS_HEADERS,
    PROJECT_COLUMNS,
    PROJECT_KIND_CHOICES,
    SECTOR_CHOICES,
    TEMPLATES,
    build_prefilled_progress,
    build_prefilled_projects,
    build_template,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [c.header for c in PROJECT_COLUMNS]
DATE_HEADERS = ["签约日期", *(f"{kind}{word}" for word in MILESTONE_WORDS for kind in ("计划", "实际"))]
FLAG_HEADERS = ("是否制造业", "是否市外内资")


def projects_tab(engine, operator: store.Operator | None, data_years: list[int], save_edit, show_refusal) -> None:
    """The tab: pick a year (first offered: the latest with a register); download its templates;
    carry last year's unfinished projects into it; edit its register and one month's progress."""
    registered = store.project_years(engine)
    years = sorted(set(data_years) | set(registered), reverse=True)
    first = years.index(registered[0]) if registered else 0
    year = st.columns(2)[0].selectbox("项目库年份", years, index=first, format_func=lambda y: f"{y}年",
                                      key="projects_year")
    register = store.load_projects(engine, year)
    carry = preview_carry_over(engine, year) if year - 1 in registered else None
    progress = store.load_project_progress(engine, year)

    # Without a register of its own, the year's template lists what carrying over writes by default.
    listed = carry.plan.carry[carry.plan.carry.suggested] if register.empty and carry is not None else register
    left, right = st.columns(2, vertical_alignment="bottom")
    left.download_button(f"下载预填模板：{year}年重点项目库", lambda: build_prefilled_projects(listed, year),
                         f"{current_town()}{year}年重点项目库（预填）.xlsx", mime=XLSX, key="projects_prefilled",
                         icon=":material/download:", type="primary")
    month = right.selectbox("进度月份", list(range(1, 13)), index=_next_month(progress, year),
                            format_func=lambda m: f"{m}月", key="progress_month")
    period = Period.month(year, month)
    right.download_button(f"下载预填模板：{period.label()}项目进度", lambda: build_prefilled_progress(
        register, progress, period), f"{current_town()}{period.label()}重点项目进度（预填）.xlsx", mime=XLSX,
        key="progress_prefilled", icon=":material/download:", disabled=register.empty)
    with st.expander("空白模板（重点项目库、项目月度进度）"):
        cols = st.columns(2)
        for col, key in zip(cols, ("projects", "progress")):
            template = TEMPLATES[key]
            col.download_button(f"下载模板：{template.title}", build_template(key), template.file_name, mime=XLSX,
                                key=f"template_{key}", icon=":material/download:")
    st.caption("填好的模板在“导入报表”中上传，导入前同样先检查并预览。")

    if carry is not None and not carry.plan.empty:
        _carry_over_section(engine, carry, operator, show_refusal)

    st.markdown(f"**{year}年重点项目库**")
    st.caption("在表格中修改，或在末行添加项目；日期只填已经发生的实际日期。项目名称改动会被当作新项目。"
               "保存后记入导入历史，可撤销。")
    edited = st.data_editor(_register_frame(register, year), hide_index=True, width="stretch", num_rows="add",
                            placeholder="", key=f"projects_editor_{year}", column_config=_register_columns())
    if operator is not None and st.button("保存项目库", key="save_projects", type="primary"):
        rows = _register_rows(edited, year)
        if len(rows) == 1:
            st.warning("表中没有项目。")
        else:
            save_edit(rows, f"{year}年重点项目", f"页面编辑：{year}年重点项目")

    st.markdown(f"**{period.label()}项目进度**")
    if register.empty:
        st.caption(f"先建立{year}年项目库，再填写进度。")
        return
    frame = _progress_frame(register, progress, month)
    edited = st.data_editor(frame, hide_index=True, width="stretch", num_rows="fixed", disabled=["项目名称"],
                            placeholder="",
                            key=f"progress_editor_{year}_{month}", column_config={
                                h: st.column_config.NumberColumn(format="%.1f", min_value=0.0)
                                for h in PROGRESS_HEADERS[3:]})
    if operator is not None and st.button("保存项目进度", key="save_progress", type="primary"):
        rows = [list(PROGRESS_HEADERS)] + [
            [year, f"{month}月", r["项目名称"], *(None if pd.isna(r[h]) else float(r[h]) for h in PROGRESS_HEADERS[3:])]
            for r in edited.to_dict("records") if any(pd.notna(r[h]) for h in PROGRESS_HEADERS[3:])]
        if len(rows) == 1:
            st.warning("请至少填写一个项目的数值。")
        else:
            save_edit(rows, f"{period.label()}项目进度", f"页面编辑：{period.label()}项目进度")
    if operator is None:
        st.caption("填写操作人（及口令）后才能保存。")


def _carry_over_section(engine, carry, operator: store.Operator | None, show_refusal) -> None:
    """结转: last year's unfinished projects, previewed on a click (nothing written), carried into
    this year's register on confirming, as one import (undone in 导入历史 like any other)."""
    plan, year = carry.plan, carry.plan.year
    state = (carry.town, year)
    st.markdown(f"**结转{year - 1}年未完成项目**")
    if plan.kept:
        st.caption(f"已在{year}年项目库中的不再结转，也不会被覆盖：{'、'.join(plain(n) for n in plan.kept)}。")
    if plan.carry.empty:
        return
    if st.session_state.get("carry_preview") != state:
        if st.button(f"预览结转：{year - 1}年未完成的{len(plan.carry)}个项目", key="carry_preview_button"):
            st.session_state["carry_preview"] = state
            st.session_state["carry_version"] = carry.version
            st.rerun()
        return
    st.caption(f"以下项目尚未竣工、投产，或已完成投资不到总投资（只计已登记年份的完成投资），将以{year}年项目"
               f"写入项目库：名称、企业、行业、联系领导、问题与各节点日期照旧（未完成的节点仍按原计划日期考核），"
               f"{year}年计划投资 = 总投资 − 已完成投资。只是投资未完成、节点已全部完成的项目默认不勾选。"
               f"确认前不保存任何数据；结转记入导入历史，可撤销。")
    frame = pd.DataFrame({
        "结转": plan.carry.suggested.to_numpy(), "项目名称": plan.carry.name.to_numpy(),
        f"{year}年计划投资（万元）": plan.carry.plan_10k.round(1).to_numpy(),
        "总投资（万元）": plan.carry.total_10k.astype(float).round(1).to_numpy(),
        "已完成投资（万元）": plan.carry.invested_to_date_10k.round(1).to_numpy(),
        "原因": plan.carry.reason.to_numpy(),
        "未完成的节点": [_pending_milestones(r) for r in plan.carry.to_dict("records")],
        "企业名称": plan.carry.enterprise.to_numpy(), "联系领导": plan.carry.contact.to_numpy(),
    })
    chosen = st.data_editor(frame, hide_index=True, width="stretch", num_rows="fixed",
                            disabled=[c for c in frame.columns if c != "结转"], key=f"carry_editor_{year}",
                            column_config={"结转": st.column_config.CheckboxColumn(width="small")})
    names = chosen.loc[chosen["结转"], "项目名称"].tolist()
    if operator is None:
        st.caption("填写操作人（及口令）后才能结转。")
    confirm, cancel = st.columns(2)
    if cancel.button("取消", key="carry_cancel"):
        st.session_state.pop("carry_preview", None)
        st.rerun()
    if operator is None or not confirm.button(f"确认结转{len(names)}个项目到{year}年项目库", key="carry_confirm",
                                               type="primary", disabled=not names):
        return
    preview = CarryPreview(plan, carry.town, st.session_state.get("carry_version", carry.version))
    try:
        outcome = carry_over_projects(engine, preview, names, operator=operator)
    except ImportRefused as refused:
        show_refusal(refused, what="结转")
        return
    except (store.DataChanged, store.StoreUnavailable, store.NotPermitted) as failed:
        st.session_state.pop("carry_preview", None)
        st.error(plain(str(failed)))
        return
    st.session_state.pop("carry_preview", None)
    st.session_state["last_import"] = (f"已结转{len(names)}个项目到{year}年项目库"
                                       f"（导入编号 {outcome.import_id}，可在“导入历史”中撤销）。")
    st.rerun()


def _pending_milestones(row: dict) -> str:
    """The milestones with no actual date, each with its planned date."""
    pending = [MILESTONE_NAMES[code] if is_missing(row[f"{code}_planned"]) else
               f"{MILESTONE_NAMES[code]}（计划{row[f'{code}_planned']}）"
               for code in MILESTONE_NAMES if is_missing(row[f"{code}_actual"])]
    return "、".join(pending) or "—"


def _next_month(progress: pd.DataFrame, year: int) -> int:
    """The index of the month to offer: the one after the latest with progress (January if none)."""
    latest = int(progress.last_month.max()) if not progress.empty else 0
    return min(latest, 11)


def _register_frame(register: pd.DataFrame, year: int) -> pd.DataFrame:
    frame = pd.DataFrame({
        "项目名称": register.name, "企业名称": register.enterprise,
        "行业": register.sector.map(SECTOR_NAMES), "建设性质": register.kind,
        "是否制造业": register.manufacturing.astype(bool), "总投资（万元）": register.total_10k.astype(float),
        "年度计划投资（万元）": (register.plan_10k.astype(float) if (register.year == year).all()
                           else pd.Series(float("nan"), index=register.index)),
        "是否市外内资": register.inward.astype(bool), "合同引资额（万元）": register.contracted_10k.astype(float),
        "签约日期": pd.to_datetime(register.signed), "联系领导": register.contact,
        **{header: pd.to_datetime(register[column]) for header, column in zip(DATE_HEADERS[1:], MILESTONE_FIELDS)},
        "问题与需协调事项": register.issues,
    })
    return frame.reset_index(drop=True)


def _register_columns() -> dict:
    money = {h: st.column_config.NumberColumn(format="%.1f", min_value=0.0)
             for h in ("总投资（万元）", "年度计划投资（万元）", "合同引资额（万元）")}
    dates = {h: st.column_config.DateColumn(format="YYYY-MM-DD") for h in DATE_HEADERS}
    return {"项目名称": st.column_config.TextColumn(required=True),
            "企业名称": st.column_config.TextColumn(required=True),
            "行业": st.column_config.SelectboxColumn(options=list(SECTOR_CHOICES)),
            "建设性质": st.column_config.SelectboxColumn(options=list(PROJECT_KIND_CHOICES)),
            "是否制造业": st.column_config.CheckboxColumn(default=True),
            "是否市外内资": st.column_config.CheckboxColumn(default=False),
            "问题与需协调事项": st.column_config.TextColumn(width="large"), **money, **dates}


def _register_rows(edited: pd.DataFrame, year: int) -> list[list]:
    """The editor's rows as the register sheet's rows (header first), for the importer."""
    def cell(header, value):
        if header in FLAG_HEADERS:
            return "是" if value is True else "否"
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return ""
        if isinstance(value, pd.Timestamp | dt.datetime):
            return value.date()
        return value

    rows = [HEADERS]
    for r in edited.to_dict("records"):
        if not str(r.get("项目名称") or "").strip():
            continue
        rows.append([year, *(cell(h, r.get(h)) for h in HEADERS[1:])])
    return rows


def _progress_frame(register: pd.DataFrame, progress: pd.DataFrame, month: int) -> pd.DataFrame:
    """Each project with its stored figures for the month (blank where none)."""
    invested, received = [], []
    for key in register.name_key:
        history = project_history(progress, key, month)
        invested.append(history.invested_10k.iloc[-1])
        received.append(history.received_10k.iloc[-1])
    return pd.DataFrame({"项目名称": register.name.to_numpy(), PROGRESS_HEADERS[3]: invested,
                         PROGRESS_HEADERS[4]: received})
