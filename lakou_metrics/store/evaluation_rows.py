"""亩均评价 data and electricity: a year's evaluation sheet replaces every stored row of that year
(an enterprise the new sheet leaves out is no longer in that year's evaluation), unless identical;
an electricity span replaces that span's stored rows, unless identical. Electricity rows that
name no enterprise are found by their 户号 in the register (电力户号)."""
from __future__ import annotations

import re

import pandas as pd
from sqlalchemy import and_, select, update

from ..domain import labels
from ..domain.numbers import format_amount, is_missing, values_agree
from ..domain.periods import Period, summarise_periods
from ..domain.spans import find_disagreement
from ..ingest.errors import ImportRefused, Problem
from .enterprise_rows import index_enterprises, warn
from .keyed_rows import same_value
from .queries import driver_frame
from .schema import EVALUATION_VALUES, electricity, evaluation_figures
from .scope import insert_frame
from .span_rows import spans_disjoint

_ACCOUNT_SEPARATORS = re.compile(r"[、,，;；/\s]+")


def split_accounts(text) -> list[str]:
    """The 电力户号 a register cell holds (several separated by 、 , ; / or spaces)."""
    if text is None or is_missing(text):
        return []
    return [a for a in _ACCOUNT_SEPARATORS.split(str(text).strip()) if a]


def store_evaluation(tx, ids: dict[str, int]) -> list[str]:
    """The file's 亩均评价 rows (enterprise name keys → `ids`): each year the file brings replaces
    that year's stored rows, unless they are the same; the labels of the years replaced."""
    frame = tx.cleaned.evaluation
    if frame.empty:
        return []
    new = frame.assign(enterprise_id=frame["name_key"].map(ids).astype("int64"))
    _refuse_twice(tx, new, ["year"], lambda r: labels.EVALUATION_PERIOD.format(year=int(r["year"])))
    _warn_assumed_scale(tx, new)
    return [labels.EVALUATION_PERIOD.format(year=year)
            for (year,) in _replace_groups(tx, evaluation_figures, new, ["year"], list(EVALUATION_VALUES))]


def _warn_assumed_scale(tx, new: pd.DataFrame) -> None:
    """Rows whose 是否规上 neither the sheet nor the register (as this import leaves it) gives are
    rated as 规下 (store.load_evaluation): said at each blank cell, or once per sheet with the count
    when the sheet has no 是否规上 column.

    A warning, not a refusal: a county's sheet fills 是否规上 as a rule, and refusing a whole
    county's file for one blank cell would hold up every other enterprise's evaluation; the office
    sees the cell named here and the page marks the group as assumed until the cell is filled."""
    existing, _, _ = index_enterprises(tx)
    unflagged = [r for r in new.to_dict("records") if is_missing(r["above_scale"])
                 and existing[int(r["enterprise_id"])].get("above_scale") is None]
    without_column: dict[str, list[str]] = {}
    for r in unflagged:
        if is_missing(r["scale_column"]):
            without_column.setdefault(r["sheet"], []).append(r["name"])
        else:
            warn(tx, Problem(tx.cleaned.file, labels.EVALUATION_SCALE_ASSUMED, r["sheet"], int(r["row"]),
                             r["scale_column"]))
    for sheet, names in without_column.items():
        shown = "、".join(names[:5]) + ("等" if len(names) > 5 else "")
        warn(tx, Problem(tx.cleaned.file, labels.EVALUATION_SCALE_ASSUMED_COUNT.format(count=len(names), names=shown),
                         sheet))


def store_electricity(tx, ids: dict[str, int]) -> list[str]:
    """The file's electricity rows: each enterprise found by name (`ids`) or by its 户号 in the
    register; each span the file brings replaces that span's stored rows, unless the same. A 户号
    no enterprise holds, on a row without a name, or a 户号 and a name that the register gives to
    two enterprises, is refused with its row and column. The labels of the spans replaced."""
    frame = tx.cleaned.electricity
    if frame.empty:
        return []
    new = frame.assign(enterprise_id=_electricity_enterprises(tx, frame, ids))
    tx.electricity = new  # the preview judges each figure against its enterprise's stored electricity
    span_cols = ["year", "first_month", "last_month"]
    _refuse_twice(tx, new, span_cols, lambda r: Period(*(int(r[c]) for c in span_cols)).label())
    _refuse_disagreeing_spans(tx, new)
    replaced = _replace_groups(tx, electricity, new, span_cols, ["value_10k_kwh", "prior_10k_kwh"])
    return [labels.ELECTRICITY_PERIOD.format(period=p) for p in summarise_periods(Period(*s) for s in replaced)]


def _replace_groups(tx, table, new: pd.DataFrame, group_cols: list[str], values: list[str]) -> list[tuple]:
    """Each group of the file's rows (a year's evaluation, an electricity span) replaces the
    group's stored rows, unless they hold the same values; the groups replaced (as int tuples)."""
    c = table.c
    replaced = []
    for group, rows in new.groupby(group_cols):
        group = tuple(int(x) for x in group)
        where = and_(*(c[col] == value for col, value in zip(group_cols, group)), c.replaced_by.is_(None))
        stored = driver_frame(tx.conn, select(c.enterprise_id, *(c[v] for v in values)).where(where),
                              ["enterprise_id", *values])
        rows = rows[["enterprise_id", *values]].assign(**dict(zip(group_cols, group)))
        if _same(stored, rows, ["enterprise_id"], values):
            continue
        if len(stored):
            tx.write(update(table).where(where).values(replaced_by=tx.import_id))
            replaced.append(group)
        if not tx.planning:
            insert_frame(tx.conn, table, rows.assign(import_id=tx.import_id))
        tx.changed = True
    return replaced


def _electricity_enterprises(tx, frame: pd.DataFrame, ids: dict[str, int]) -> list[int]:
    """Each electricity row's enterprise id: by its name, else by its 户号 in the register as this
    import leaves it; refused (all problems at once) where neither finds one or the two disagree."""
    existing, _, _ = index_enterprises(tx)
    holders: dict[str, int] = {}
    for ent_id, row in existing.items():
        for account in split_accounts(row.get("power_account")):
            holders.setdefault(account, ent_id)
    found, problems = [], []
    for row in frame.to_dict("records"):
        account = None if is_missing(row["account"]) else str(row["account"])
        by_name = None if is_missing(row["name_key"]) else ids.get(row["name_key"])
        # A cell may list several 户号 of one enterprise (A1、A2), as the register does.
        owners = {holders.get(a) for a in split_accounts(account)}
        holder = next(iter(owners)) if len(owners) == 1 else None
        place = (row["sheet"], int(row["row"]))
        lost = _lost_zeros(account, holders, existing)
        if by_name is None and holder is None:
            reason = labels.POWER_ACCOUNT_UNKNOWN_ZEROS + lost if lost else labels.POWER_ACCOUNT_UNKNOWN
            problems.append(Problem(tx.cleaned.file, reason, *place, labels.POWER_ACCOUNT_HEADER, account))
            continue
        if by_name is not None and account:
            registered = split_accounts(existing[by_name].get("power_account"))
            holder = next((o for o in owners if o not in (None, by_name)), holder)
            if (holder is not None and holder != by_name) or (None in owners and registered):
                problems.append(Problem(tx.cleaned.file, labels.POWER_ACCOUNT_DISAGREES.format(
                    holder=existing[holder]["name"] if holder is not None else labels.POWER_ACCOUNT_NOBODY,
                    named=existing[by_name]["name"], registered="、".join(registered) or "—") + lost,
                    *place, labels.POWER_ACCOUNT_HEADER, account))
                continue
        found.append(by_name if by_name is not None else holder)
    if problems:
        raise ImportRefused(problems)
    return found


def _lost_zeros(account: str | None, holders: dict[str, int], existing: dict[int, dict]) -> str:
    """The words naming the register's 户号 that a 户号 of the cell no enterprise holds equals once
    leading zeros are dropped from both (“0012345”（「卓尔五金」） for 12345, as a spreadsheet that
    took the column for numbers writes it); "" when there is none.

    Only named, never taken for the cell's: the 供电所's 户号 is a string, so 12345 and 0012345 may
    be two accounts (of two enterprises, one not registered yet). Filing the power on the zero-padded
    one would put it under another enterprise without a word, and 以电核产 would then question the
    wrong one; refusing costs staff one re-typed column."""
    unknown = [a for a in split_accounts(account) if a not in holders]
    found = [a for a in holders for u in unknown if a != u and a.lstrip("0") == u.lstrip("0") != ""]
    if not found:
        return ""
    return labels.POWER_ACCOUNT_LOST_ZEROS.format(accounts="、".join(
        labels.POWER_ACCOUNT_REGISTERED.format(account=a, name=existing[holders[a]]["name"])
        for a in dict.fromkeys(found)))


def _refuse_disagreeing_spans(tx, new: pd.DataFrame) -> None:
    """An enterprise's spans of a year, the file's with the stored ones it does not replace, must
    agree as output's do (1-3月 = 1月 + 2月 + 3月): else refused at the file's row, with both figures."""
    p = electricity.c
    years = sorted({int(y) for y in new["year"]})
    stored = driver_frame(tx.conn, select(p.enterprise_id, p.year, p.first_month, p.last_month, p.value_10k_kwh)
                          .where(p.year.in_(years), p.replaced_by.is_(None)),
                          ["enterprise_id", "year", "first_month", "last_month", "value_10k_kwh"])
    brought = set(zip(new["year"].astype(int), new["first_month"].astype(int), new["last_month"].astype(int)))
    kept = stored[pd.Series([(int(y), int(a), int(b)) not in brought for y, a, b in zip(
        stored["year"], stored["first_month"], stored["last_month"])], index=stored.index, dtype=bool)]
    existing, _, _ = index_enterprises(tx)
    problems = []
    for (ent, year), rows in new.groupby(["enterprise_id", "year"], sort=True):
        spans = {(int(a), int(b)): (float(v), None) for a, b, v in zip(
            rows["first_month"], rows["last_month"], rows["value_10k_kwh"])}
        file_spans = frozenset(spans)
        old = kept[(kept["enterprise_id"] == ent) & (kept["year"] == year)]
        spans |= {(int(a), int(b)): (float(v), None) for a, b, v in zip(
            old["first_month"], old["last_month"], old["value_10k_kwh"])}
        if spans_disjoint(spans):
            continue
        found = find_disagreement(spans, values_agree, file_spans)
        if found is None:
            continue
        span, derived = found
        at = rows[(rows["first_month"] == span[0]) & (rows["last_month"] == span[1])]
        if at.empty:  # a stored span disagrees with the file's parts: name the first of those parts
            at = rows[pd.Series([(int(a), int(b)) in derived.parts for a, b in zip(
                rows["first_month"], rows["last_month"])], index=rows.index, dtype=bool)]
        names = [Period(int(year), *part).label_in_year() for part in derived.parts]
        parts = "减".join(names) if derived.how == "difference" else "+".join(names) + "相加"
        problems.append(Problem(tx.cleaned.file, labels.INCONSISTENT_SPANS.format(
            name=existing[int(ent)]["name"], year=int(year), span=Period(int(year), *span).label_in_year(),
            value=format_amount(spans[span][0], labels.ELECTRICITY_UNIT), parts=parts,
            derived=format_amount(derived.value, labels.ELECTRICITY_UNIT),
            diff=format_amount(abs(spans[span][0] - derived.value), labels.ELECTRICITY_UNIT)),
            sheet=at.iloc[0]["sheet"], row=int(at.iloc[0]["row"])))
    if problems:
        raise ImportRefused(problems)


def _refuse_twice(tx, new: pd.DataFrame, keys: list[str], period) -> None:
    """Two rows of the file that are one enterprise (two names the register joins by credit code or
    alias, or a name and a 户号) for one year or span: refused, naming both rows. Repeats of one
    name in the file were named while reading it."""
    repeated = new.duplicated(["enterprise_id", *keys], keep=False)
    if not repeated.any():
        return
    existing, _, _ = index_enterprises(tx)
    problems = []
    for _, group in new[repeated].groupby(["enterprise_id", *keys], sort=False):
        first = group.iloc[0]
        for _, later in group.iloc[1:].iterrows():
            problems.append(Problem(tx.cleaned.file, labels.SAME_ENTERPRISE_ROWS.format(
                where="" if first["sheet"] == later["sheet"] else f"工作表「{first['sheet']}」",
                row=int(first["row"]), registered=existing[int(first["enterprise_id"])]["name"],
                period=period(first)), later["sheet"], int(later["row"]), None,
                later["name"] if not is_missing(later["name"]) else None))
    raise ImportRefused(problems)


def _same(old: pd.DataFrame, new: pd.DataFrame, keys: list[str], values: list[str]) -> bool:
    """The stored rows and the new ones hold the same values for the same keys (keyed_rows.same_value)."""
    if len(old) != len(new):
        return False
    a = old.sort_values(keys).reset_index(drop=True)
    b = new.sort_values(keys).reset_index(drop=True)
    return all(same_value(x, y) for column in [*keys, *values] for x, y in zip(a[column], b[column]))
