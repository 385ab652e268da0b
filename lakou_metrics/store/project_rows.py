"""重点项目 rows: a year's register (its enterprises found or added) and the projects' progress, which
must name a registered project and agree with the stored months."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from ..domain import labels
from ..domain.numbers import format_10k, is_missing, values_agree
from ..domain.periods import Period
from ..domain.spans import find_disagreement
from ..ingest.errors import ImportRefused, Problem
from .enterprise_rows import add_enterprises, index_enterprises, match_enterprise
from .keyed_rows import store_rows
from .schema import PROJECT_VALUES, project_progress, projects
from .span_rows import spans_disjoint


def store_projects(tx) -> list[str]:
    """A year's project register: each project's row replaces its stored one, unless identical.
    The enterprise a project names is found in the register (by code, name or alias) or added."""
    frame = tx.cleaned.projects
    if frame.empty:
        return []
    _, by_key, by_code = index_enterprises(tx)
    ids = []
    for row in frame.to_dict("records"):
        ent_id = match_enterprise(by_key, by_code, row["enterprise_key"], row["credit_code"])
        if ent_id is None:
            (ent_id,) = add_enterprises(tx, [dict(
                name_key=row["enterprise_key"], name=row["enterprise"], credit_code=row["credit_code"],
                sector=row["sector"] or "other", above_scale=None, created_by=tx.import_id)])
            by_key[row["enterprise_key"]] = ent_id
            if row["credit_code"]:
                by_code[row["credit_code"]] = ent_id
        ids.append(ent_id)
    rows = frame.assign(enterprise_id=ids)[["year", "name_key", *PROJECT_VALUES]]
    return store_rows(tx, projects, rows, ["year", "name_key"], list(PROJECT_VALUES),
                            lambda r: f"{r['year']}年重点项目「{r['name']}」")


def store_progress(tx) -> list[str]:
    """Progress rows replace stored ones of the same project and span; every project must be in
    its year's register (stored, or in this file), and its spans must agree (1-5月 = 1-4月 + 5月)."""
    frame = tx.cleaned.project_progress
    if frame.empty:
        return []
    years = sorted({int(y) for y in frame.year})
    registered = {(int(year), key) for year, key in tx.conn.execute(select(projects.c.year, projects.c.name_key).where(
        projects.c.year.in_(years), projects.c.replaced_by.is_(None)))}
    registered |= set(tx.written.get(projects.name, {}))  # the file's own register (a plan has not stored it)
    problems = [Problem(tx.cleaned.file, labels.PROJECT_NOT_REGISTERED.format(year=int(r.year)), r.sheet,
                        int(r.row), "项目名称", r.name)
                for r in frame.drop_duplicates(["name_key", "year"]).itertuples()
                if (int(r.year), r.name_key) not in registered]
    if problems:
        raise ImportRefused(problems)
    _check_progress(tx, frame)
    rows = frame.rename(columns={"name_key": "project_key"})[
        ["year", "project_key", "first_month", "last_month", "invested_10k", "received_10k"]]
    return store_rows(tx, project_progress, rows, ["year", "project_key", "first_month", "last_month"],
                      ["invested_10k", "received_10k"],
                      _progress_label)


def _check_progress(tx, frame: pd.DataFrame) -> None:
    """The spans of each project this file touches, as the import would leave them (the stored
    ones, each span the file brings in place of the stored one), must agree. Worked out before
    anything is written, so a plan reasons exactly as the import does."""
    problems = []
    p = project_progress.c
    for (key, year), group in frame.groupby(["name_key", "year"]):
        stored = tx.conn.execute(select(p.first_month, p.last_month, p.invested_10k).where(
            p.year == int(year), p.project_key == key, p.replaced_by.is_(None),
            p.invested_10k.is_not(None))).all()
        spans = {(int(a), int(b)): float(v) for a, b, v in stored}
        for a, b, v in zip(group.first_month, group.last_month, group.invested_10k):
            if is_missing(v):  # a blank figure replaces a stored one with nothing
                spans.pop((int(a), int(b)), None)
            else:
                spans[(int(a), int(b))] = float(v)
        # In order of span, not of storage: the same disagreement named whichever rows are stored.
        spans = {span: (value, None) for span, value in sorted(spans.items())}
        new = frozenset((int(a), int(b)) for a, b in zip(group.first_month, group.last_month))
        found = None if spans_disjoint(spans) else find_disagreement(spans, values_agree, new)
        if found is None:
            continue
        span, derived = found
        where = group[(group.first_month == span[0]) & (group.last_month == span[1])]
        sheet, row = (where.sheet.iloc[0], int(where.row.iloc[0])) if len(where) else (None, None)
        parts = [Period(int(year), *s).label_in_year() for s in derived.parts]
        problems.append(Problem(tx.cleaned.file, labels.INCONSISTENT_PROJECT_SPANS.format(
            name=group.name.iloc[0], year=int(year), span=Period(int(year), *span).label_in_year(),
            value=format_10k(spans[span][0]),
            parts=("减".join(parts) if derived.how == "difference" else "+".join(parts) + "相加"),
            derived=format_10k(derived.value), diff=format_10k(abs(spans[span][0] - derived.value))),
            sheet=sheet, row=row))
    if problems:
        raise ImportRefused(problems)


def _progress_label(row: dict) -> str:
    """2023年5月项目进度: what a replaced progress row was, in the import history."""
    return f"{row['year']}年{Period(row['year'], row['first_month'], row['last_month']).label_in_year()}项目进度"
