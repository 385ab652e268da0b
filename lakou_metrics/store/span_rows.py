"""Output figures by span of months: a period the file brings replaces that period's stored rows,
unless identical; the spans of one enterprise and year must agree (1-6月 = 一季度 + 二季度)."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import and_, select, update
from sqlalchemy.engine import Connection

from ..domain import labels
from ..domain.numbers import format_10k, is_missing, values_agree
from ..domain.periods import Period
from ..domain.spans import find_disagreement
from ..ingest.errors import ImportRefused, Problem
from .queries import driver_frame
from .schema import enterprises, observations
from .scope import insert_frame


def store_observations(tx, ids: dict[str, int]) -> list[str]:
    """The file's output figures (enterprise name keys → `ids`): each span the file brings that
    differs from what is stored replaces it; the labels of the spans replaced."""
    out = tx.cleaned.output
    if out.empty:
        return []
    new = pd.DataFrame({
        "enterprise_id": out["name_key"].map(ids).astype("int64"),
        "year": out["year"].astype("int64"),
        "first_month": out["first_month"].astype("int64"),
        "last_month": out["last_month"].astype("int64"),
        "value_10k": out["value_10k"].astype(float),
        "prior_10k": pd.to_numeric(out["prior_10k"], errors="coerce").astype(float),
        "above_scale": out["above_scale"],
        "sector": out["sector"],
    })
    span_cols = ["year", "first_month", "last_month"]
    _refuse_one_enterprise_twice(tx, new)
    spans = [tuple(int(x) for x in s) for s in new[span_cols].drop_duplicates().itertuples(index=False)]
    active = _active_observations(tx, spans)

    unchanged_spans = set()
    for span, group in new.groupby(span_cols):
        span = tuple(int(x) for x in span)
        old = active[(active.year == span[0]) & (active.first_month == span[1])
                     & (active.last_month == span[2])]
        if _same_observations(old, group):
            unchanged_spans.add(span)
    changed_spans = [s for s in spans if s not in unchanged_spans]
    if not changed_spans:
        return []
    _check_consistency(tx, new, changed_spans, ids)

    # A span replaces the stored rows read above: exactly those the update marks replaced.
    stored = {tuple(int(x) for x in s) for s in active[span_cols].drop_duplicates().itertuples(index=False)}
    replaced = []
    for span in changed_spans:
        if span not in stored:
            continue
        tx.write(update(observations).where(and_(
            observations.c.year == span[0], observations.c.first_month == span[1],
            observations.c.last_month == span[2], observations.c.replaced_by.is_(None),
        )).values(replaced_by=tx.import_id))
        replaced.append(Period(*span).label())
    if not tx.planning:
        keep = _index(new, span_cols).isin(changed_spans)
        insert_frame(tx.conn, observations, new[keep].assign(import_id=tx.import_id))
    tx.changed = True
    return replaced


def _refuse_one_enterprise_twice(tx, new: pd.DataFrame) -> None:
    """Two rows of the file that are one registered enterprise (two names the register joins by
    credit code or alias) in one span: refused, naming both rows. The file's own repeats (one
    name, or one code, twice) were named while reading it."""
    keys = ["enterprise_id", "year", "first_month", "last_month"]
    repeated = new.duplicated(keys, keep=False)
    if not repeated.any():
        return
    out = tx.cleaned.output
    registered = dict(tx.conn.execute(select(enterprises.c.id, enterprises.c.name).where(
        enterprises.c.id.in_([int(e) for e in new.enterprise_id[repeated].unique()]))).all())
    registered.update((ent_id, row["name"]) for ent_id, row in tx.enterprises.items())
    problems = []
    for _, group in new[repeated].groupby(keys, sort=False):
        first, *later = group.index
        for k in later:
            codes = {None if is_missing(c) else c for c in (out.at[first, "credit_code"], out.at[k, "credit_code"])}
            how = "统一社会信用代码相同" if codes != {None} and len(codes) == 1 else "名录中登记的别名或信用代码"
            problems.append(Problem(tx.cleaned.file, labels.SAME_ENTERPRISE_TWICE.format(
                where="" if out.at[first, "sheet"] == out.at[k, "sheet"] else f"工作表「{out.at[first, 'sheet']}」",
                row=int(out.at[first, "row"]), other=out.at[first, "name"],
                registered=registered[int(group.enterprise_id.iloc[0])], how=how,
                period=Period(*(int(group[c].iloc[0]) for c in keys[1:])).label()),
                out.at[k, "sheet"], int(out.at[k, "row"]), "企业名称", out.at[k, "name"]))
    raise ImportRefused(problems)


ACTIVE_COLUMNS = ["enterprise_id", "year", "first_month", "last_month", "value_10k", "prior_10k", "above_scale"]


def _active_observations(tx, spans) -> pd.DataFrame:
    """The stored rows of exactly these spans (year, first, last): found through the span index,
    however many other rows the store holds."""
    o = observations.c
    frames = [_active(tx, (o.year == y) & (o.first_month == a) & (o.last_month == b)) for y, a, b in spans]
    return pd.concat(frames, ignore_index=True) if frames else _active(tx, o.year.is_(None))


def _active(tx, where) -> pd.DataFrame:
    """The town's active observations matching `where` (a county's year has 100,000 rows)."""
    o = observations.c
    return driver_frame(tx.conn, select(*(o[c] for c in ACTIVE_COLUMNS)).where(
        o.replaced_by.is_(None), where), ACTIVE_COLUMNS)


def _shapes_disjoint(conn: Connection, year: int, new_spans, replaced) -> bool:
    """True when no enterprise can hold overlapping spans in `year`: the span shapes stored (but
    those being replaced) and brought are pairwise disjoint, as months alone are. Read from the
    span index, without the rows."""
    o = observations.c
    stored = conn.execute(select(o.first_month, o.last_month).where(o.year == year,
                                                                    o.replaced_by.is_(None))
                          .distinct()).all()
    shapes = {(int(a), int(b)) for a, b in stored if (year, int(a), int(b)) not in replaced}
    return spans_disjoint(shapes | set(new_spans))


def _check_consistency(tx, new: pd.DataFrame, changed_spans, ids) -> None:
    """Stored and new spans of one enterprise and year must agree (1-6月 = 一季度 + 二季度)."""
    span_cols = ["year", "first_month", "last_month"]
    replaced = set(changed_spans)
    years = [y for y in sorted({s[0] for s in changed_spans})
             if not _shapes_disjoint(tx.conn, y, {(a, b) for yy, a, b in changed_spans if yy == y}, replaced)]
    if not years:
        return  # months beside months (the usual case): nothing can disagree
    o = observations.c
    active = _active(tx, o.year.in_(years))
    # Stored rows of the replaced spans do not count; nor do enterprise-years the file misses.
    active = active[~_index(active, span_cols).isin(changed_spans)]
    new = new[_index(new, span_cols).isin(changed_spans)]
    touched = _index(new, ["enterprise_id", "year"]).unique()
    active = active[_index(active, ["enterprise_id", "year"]).isin(touched)]
    combined = _overlapping(pd.concat([active.assign(is_new=False), new.assign(is_new=True)],
                                      ignore_index=True))
    if combined.empty:
        return
    names = {v: k for k, v in ids.items()}
    out = tx.cleaned.output
    rows_of = dict(zip(zip(out["name_key"], out["year"], out["first_month"], out["last_month"]),
                       zip(out["sheet"], out["row"], out["name"])))
    problems = []
    for (ent, year), group in combined.groupby(["enterprise_id", "year"]):
        spans = {(int(a), int(b)): (v, None) for a, b, v in
                 zip(group.first_month, group.last_month, group.value_10k)}
        if spans_disjoint(spans):
            continue
        new_spans = frozenset((int(a), int(b)) for a, b, n in
                              zip(group.first_month, group.last_month, group.is_new) if n)
        found = find_disagreement(spans, values_agree, new_spans)
        if found is None:
            continue
        span, derived = found
        key = names.get(ent)
        sheet, row, name = rows_of.get((key, year, *span)) or next(
            (rows_of[(key, year, *p)] for p in derived.parts if (key, year, *p) in rows_of),
            (None, None, key))
        names_of = [Period(int(year), *p).label_in_year() for p in derived.parts]
        parts = ("减".join(names_of) if derived.how == "difference" else "+".join(names_of) + "相加")
        problems.append(Problem(
            tx.cleaned.file, labels.INCONSISTENT_SPANS.format(
                name=name, year=int(year), span=Period(int(year), *span).label_in_year(),
                value=format_10k(spans[span][0]), parts=parts,
                derived=format_10k(derived.value),
                diff=format_10k(abs(spans[span][0] - derived.value))),
            sheet=sheet, row=row))
    if problems:
        raise ImportRefused(problems)


def _same_observations(old: pd.DataFrame, new: pd.DataFrame) -> bool:
    if len(old) != len(new):
        return False
    cols = ["enterprise_id", "value_10k", "prior_10k", "above_scale"]
    a = old[cols].sort_values("enterprise_id").reset_index(drop=True)
    b = new[cols].sort_values("enterprise_id").reset_index(drop=True)
    if not (a.enterprise_id.to_numpy() == b.enterprise_id.to_numpy()).all():
        return False
    if not ((a.value_10k - b.value_10k).abs() < 1e-9).all():
        return False
    pa, pb = a.prior_10k.astype(float), b.prior_10k.astype(float)
    if not (((pa - pb).abs() < 1e-9) | (pa.isna() & pb.isna())).all():
        return False
    sa = a.above_scale.astype(object).where(a.above_scale.notna(), None)
    sb = b.above_scale.astype(object).where(b.above_scale.notna(), None)
    return all(x == y for x, y in zip(sa, sb))


def _index(frame: pd.DataFrame, columns: list[str]) -> pd.MultiIndex:
    return pd.MultiIndex.from_frame(frame[columns].astype("int64"))


def _overlapping(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of the enterprise-years in which some spans overlap: only there can one span be
    derived from others (monthly data alone never needs checking)."""
    keys = ["enterprise_id", "year", "first_month", "last_month"]
    ordered = frame.astype({k: "int64" for k in keys}).sort_values(keys)
    reach = ordered.groupby(["enterprise_id", "year"]).last_month.cummax()
    previous = reach.groupby([ordered.enterprise_id, ordered.year]).shift()
    overlap = ordered[ordered.first_month <= previous]
    keys = _index(overlap, ["enterprise_id", "year"]).unique()
    return ordered[_index(ordered, ["enterprise_id", "year"]).isin(keys)]


def spans_disjoint(spans) -> bool:
    last = 0
    for a, b in sorted(spans):
        if a <= last:
            return False
        last = b
    return True
