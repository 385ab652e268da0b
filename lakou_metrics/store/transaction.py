"""One import in one write transaction: cleaned tables in, versioned rows out, all or nothing.
Enterprises are matched and created, aliases stored, spans replaced and checked for consistency,
keyed rows (targets, peer figures, projects) replaced unless identical."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import (
    Table,
    and_,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine

from ..domain import labels
from ..domain.numbers import format_10k, is_missing, values_agree
from ..domain.periods import Period
from ..domain.spans import find_disagreement
from ..ingest.clean import CleanResult
from ..ingest.errors import ImportRefused, Problem
from .engine import _bump_data_version, _current_user, _read_data_version, _translated_errors
from .schema import (
    PROJECT_VALUES,
    enterprise_aliases,
    enterprise_changes,
    enterprise_targets,
    enterprises,
    imports,
    observations,
    peer_figures,
    project_progress,
    projects,
    target_actuals,
    targets,
)

# Called inside an import's transaction just before it commits; tests use it to kill the process
# at the worst moment. None in normal use.
before_commit = None


@dataclass
class ImportOutcome:
    status: str  # imported | unchanged | dry_run
    file: str
    import_id: int | None = None
    rows: int = 0
    periods: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    new_enterprises: int = 0
    warnings: list[Problem] = field(default_factory=list)
    cleaned: CleanResult | None = None

    def describe(self) -> str:
        """What happened, in Chinese, for the CLI and the page."""
        periods = "、".join(self.periods) or "—"
        if self.status == "unchanged":
            lines = [labels.UNCHANGED.format(file=self.file)]
        elif self.status == "dry_run":
            lines = [labels.DRY_RUN.format(file=self.file, rows=self.rows, periods=periods)]
        else:
            lines = [labels.IMPORTED.format(file=self.file, rows=self.rows, periods=periods,
                                            id=self.import_id)]
            if self.replaced:
                lines.append(labels.REPLACED.format(periods="、".join(self.replaced), id=self.import_id))
        if self.new_enterprises:
            lines.append(f"新增企业 {self.new_enterprises} 家")
        if self.warnings:
            lines.append(labels.WARNINGS_HEADING)
            lines += [f"- {w.describe()}" for w in self.warnings]
        return "\n".join(lines)


class DataChanged(Exception):
    """The stored data changed after the preview the user confirmed; nothing was stored."""


def store_cleaned(engine: Engine, cleaned: CleanResult, sha: str, size: int, *, who: str | None = None,
                  dry_run: bool = False, expected_version: int | None = None,
                  store_file=None) -> ImportOutcome:
    """Store cleaned tables (from a file or from a page's edits) in one write transaction."""
    who = who or _current_user()
    with _translated_errors(), engine.connect().execution_options(lakou_write=True) as conn:
        with conn.begin() as trans:
            if expected_version is not None:
                _check_version(conn, expected_version)
            outcome = _ImportTransaction(conn, cleaned, sha, size, who).run(store_file=store_file)
            if dry_run or outcome.status == "unchanged":
                trans.rollback()
            else:
                _bump_data_version(conn)
                if before_commit is not None:
                    before_commit()
    if dry_run:
        outcome.status = "dry_run"
    return outcome


def _check_version(conn: Connection, expected: int) -> None:
    if (_read_data_version(conn) or 0) != expected:
        latest = conn.execute(select(imports).order_by(imports.c.id.desc()).limit(1)).first()
        what = "数据已变化"
        if latest:
            done = "撤销了" if latest.status == "undone" else "导入了"
            what = f"{latest.imported_by} 于 {latest.imported_at} {done}「{latest.file_name}」"
        raise DataChanged(labels.DATA_CHANGED.format(what=what))


class _ImportTransaction:
    def __init__(self, conn: Connection, cleaned: CleanResult, sha: str, size: int, who: str):
        self.conn, self.cleaned, self.sha, self.size, self.who = conn, cleaned, sha, size, who
        self.import_id: int | None = None
        self.changed = False
        self.new_enterprises = 0

    def run(self, store_file) -> ImportOutcome:
        c = self.cleaned
        now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        self.import_id = self.conn.execute(insert(imports).values(
            file_name=c.file, sha256=self.sha, size_bytes=self.size, imported_at=now,
            imported_by=self.who, row_count=c.row_count, periods="[]", replaced="[]", status="active",
        )).inserted_primary_key[0]

        ids = self._resolve_enterprises()
        replaced = []
        replaced += self._store_observations(ids)
        replaced += self._store_rows(targets, c.targets, ["year", "indicator"], ["target"],
                                     lambda r: f"{r['year']}年目标")
        replaced += self._store_rows(target_actuals, c.target_actuals,
                                     ["year", "indicator", "last_month"], ["actual"],
                                     lambda r: f"{r['year']}年1-{r['last_month']}月目标完成情况")
        ent_targets = c.enterprise_targets.assign(
            enterprise_id=[ids[k] for k in c.enterprise_targets["name_key"]]
        )[["enterprise_id", "year", "target_10k"]]
        replaced += self._store_rows(enterprise_targets, ent_targets, ["year", "enterprise_id"],
                                     ["target_10k"], lambda r: f"{r['year']}年企业目标")
        self._store_aliases(ids)
        replaced += self._store_rows(peer_figures, c.peer_figures, ["town", "year", "last_month", "indicator"],
                                     ["value"], lambda r: f"{r['town']}{r['year']}年1-{r['last_month']}月")
        replaced += self._store_projects()
        replaced += self._store_progress()

        periods = list(dict.fromkeys(p for s in c.sheets for p in s.periods))
        replaced = list(dict.fromkeys(replaced))
        self.conn.execute(update(imports).where(imports.c.id == self.import_id).values(
            periods=json.dumps(periods, ensure_ascii=False),
            replaced=json.dumps(replaced, ensure_ascii=False)))
        outcome = ImportOutcome("imported", c.file, self.import_id, c.row_count, periods, replaced,
                                self.new_enterprises, c.warnings, c)
        if not self.changed:
            outcome.status, outcome.import_id = "unchanged", None
        elif store_file is not None:
            path = store_file()
            self.conn.execute(update(imports).where(imports.c.id == self.import_id)
                              .values(stored_path=path.name))
        return outcome

    # -- enterprises ---------------------------------------------------------------------------
    def _resolve_enterprises(self) -> dict[str, int]:
        """name_key → enterprise id for every enterprise the file names; creates and updates."""
        if self.cleaned.enterprises.empty:
            return {}
        # The last mention of an enterprise in a file carries its latest attributes
        # (groupby.last skips blanks, so a blank cell never erases a known attribute).
        mentioned = self.cleaned.enterprises.astype(object)
        mentioned = mentioned.where(mentioned.notna(), None)
        editing = self.cleaned.authoritative  # a register edited on the page: blanks do clear
        latest = (mentioned.drop_duplicates("name_key", keep="last").set_index("name_key") if editing
                  else mentioned.groupby("name_key", sort=False).last())

        existing, by_key, by_code = _enterprise_index(self.conn)

        ids: dict[str, int] = {}
        new_rows = []
        new_codes = set()
        for key, attrs in zip(latest.index, latest.to_dict("records")):
            attrs = {k: v for k, v in attrs.items()
                     if v is not None or (editing and k in ("credit_code", "contact"))}
            code = attrs.get("credit_code")
            if editing:
                ent_id = by_key.get(key)
                holder = by_code.get(code) if code else None
                if holder is not None and holder != ent_id:
                    raise ImportRefused([Problem(self.cleaned.file, labels.CODE_TAKEN.format(
                        other=existing[holder]["name"]), column="统一社会信用代码", value=code)])
            else:
                ent_id = _match_enterprise(by_key, by_code, key, code)
            if ent_id is not None:
                self._update_enterprise(existing[ent_id], attrs, editing)
                ids[key] = ent_id
            elif code and code in new_codes:
                ids[key] = None  # the same code under two spellings in one file: one enterprise
            else:
                if code:
                    new_codes.add(code)
                new_rows.append({"name_key": key, "name": attrs["name"], "credit_code": code,
                                 "sector": attrs.get("sector") or "other",
                                 "above_scale": attrs.get("above_scale"),
                                 "contact": attrs.get("contact"), "created_by": self.import_id})
        if new_rows:
            self.conn.execute(insert(enterprises), new_rows)
            created = dict(self.conn.execute(select(enterprises.c.name_key, enterprises.c.id)
                                             .where(enterprises.c.created_by == self.import_id)).all())
            code_to_id = {r["credit_code"]: created[r["name_key"]] for r in new_rows if r["credit_code"]}
            for key, attrs in zip(latest.index, latest.to_dict("records")):
                if ids.get(key) is None:
                    ids[key] = created.get(key) or code_to_id[attrs["credit_code"]]
            self.changed = True
            self.new_enterprises += len(new_rows)
        return ids

    def _store_aliases(self, ids: dict[str, int]) -> None:
        """Other spellings of an enterprise's name, so later files with them match it."""
        if self.cleaned.aliases.empty:
            return
        known = dict(self.conn.execute(select(enterprises.c.name_key, enterprises.c.id)).all())
        taken = dict(self.conn.execute(select(enterprise_aliases.c.name_key,
                                              enterprise_aliases.c.enterprise_id)).all())
        problems = []
        for key, alias, alias_key in self.cleaned.aliases.itertuples(index=False):
            owner = ids.get(key) or known.get(key)
            other = known.get(alias_key)
            if other is not None and other != owner:
                problems.append(Problem(self.cleaned.file, labels.ALIAS_IS_ENTERPRISE, column="别名", value=alias))
            elif taken.get(alias_key) not in (None, owner):
                problems.append(Problem(self.cleaned.file, labels.ALIAS_TAKEN, column="别名", value=alias))
            elif alias_key not in taken and other is None:
                self.conn.execute(insert(enterprise_aliases).values(
                    name_key=alias_key, alias=alias, enterprise_id=owner, import_id=self.import_id))
                taken[alias_key] = owner
                self.changed = True
        if problems:
            raise ImportRefused(problems)

    def _update_enterprise(self, row: dict, attrs: dict, editing: bool = False) -> None:
        changes = {a: attrs[a] for a in ("credit_code", "sector", "above_scale", "contact")
                   if a in attrs and attrs[a] != row[a]}
        if changes.get("credit_code") and row["credit_code"] and not editing:
            # A different code means a different enterprise of the same name: keep the register's.
            changes.pop("credit_code")
        if not changes:
            return
        before = {a: row[a] for a in changes}
        self.conn.execute(insert(enterprise_changes).values(
            import_id=self.import_id, enterprise_id=row["id"], before=json.dumps(before, ensure_ascii=False)))
        self.conn.execute(update(enterprises).where(enterprises.c.id == row["id"]).values(**changes))
        row.update(changes)
        self.changed = True

    # -- output --------------------------------------------------------------------------------
    def _store_observations(self, ids: dict[str, int]) -> list[str]:
        out = self.cleaned.output
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
        spans = [tuple(int(x) for x in s) for s in new[span_cols].drop_duplicates().itertuples(index=False)]
        active = self._active_observations(spans)

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
        self._check_consistency(new, changed_spans, ids)

        replaced = []
        for span in changed_spans:
            result = self.conn.execute(update(observations).where(and_(
                observations.c.year == span[0], observations.c.first_month == span[1],
                observations.c.last_month == span[2], observations.c.replaced_by.is_(None),
            )).values(replaced_by=self.import_id))
            if result.rowcount:
                replaced.append(Period(*span).label())
        keep = _index(new, span_cols).isin(changed_spans)
        _bulk_insert(self.conn, observations, new[keep].assign(import_id=self.import_id))
        self.changed = True
        return replaced

    def _active_observations(self, spans) -> pd.DataFrame:
        years = sorted({s[0] for s in spans})
        rows = self.conn.execute(select(
            observations.c.enterprise_id, observations.c.year, observations.c.first_month,
            observations.c.last_month, observations.c.value_10k, observations.c.prior_10k,
            observations.c.above_scale,
        ).where(observations.c.replaced_by.is_(None), observations.c.year.in_(years))).all()
        return pd.DataFrame(rows, columns=["enterprise_id", "year", "first_month", "last_month",
                                           "value_10k", "prior_10k", "above_scale"])

    def _check_consistency(self, new: pd.DataFrame, changed_spans, ids) -> None:
        """Stored and new spans of one enterprise and year must agree (1-6月 = 一季度 + 二季度)."""
        span_cols = ["year", "first_month", "last_month"]
        years = sorted({s[0] for s in changed_spans})
        active = self._active_observations([(y, 0, 0) for y in years])
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
        out = self.cleaned.output
        rows_of = dict(zip(zip(out["name_key"], out["year"], out["first_month"], out["last_month"]),
                           zip(out["sheet"], out["row"], out["name"])))
        problems = []
        for (ent, year), group in combined.groupby(["enterprise_id", "year"]):
            spans = {(int(a), int(b)): (v, None) for a, b, v in
                     zip(group.first_month, group.last_month, group.value_10k)}
            if _disjoint(spans):
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
                self.cleaned.file, labels.INCONSISTENT_SPANS.format(
                    name=name, year=int(year), span=Period(int(year), *span).label_in_year(),
                    value=format_10k(spans[span][0]), parts=parts,
                    derived=format_10k(derived.value),
                    diff=format_10k(abs(spans[span][0] - derived.value))),
                sheet=sheet, row=row))
        if problems:
            raise ImportRefused(problems)

    # -- 重点项目 ---------------------------------------------------------------------------------
    def _store_projects(self) -> list[str]:
        """A year's project register: each project's row replaces its stored one, unless identical.
        The enterprise a project names is found in the register (by code, name or alias) or added."""
        frame = self.cleaned.projects
        if frame.empty:
            return []
        _, by_key, by_code = _enterprise_index(self.conn)
        ids = []
        for row in frame.to_dict("records"):
            ent_id = _match_enterprise(by_key, by_code, row["enterprise_key"], row["credit_code"])
            if ent_id is None:
                ent_id = self.conn.execute(insert(enterprises).values(
                    name_key=row["enterprise_key"], name=row["enterprise"], credit_code=row["credit_code"],
                    sector=row["sector"] or "other", above_scale=None, created_by=self.import_id,
                )).inserted_primary_key[0]
                by_key[row["enterprise_key"]] = ent_id
                if row["credit_code"]:
                    by_code[row["credit_code"]] = ent_id
                self.new_enterprises += 1
                self.changed = True
            ids.append(ent_id)
        rows = frame.assign(enterprise_id=ids)[["year", "name_key", *PROJECT_VALUES]]
        return self._store_rows(projects, rows, ["year", "name_key"], list(PROJECT_VALUES),
                                lambda r: f"{r['year']}年重点项目「{r['name']}」")

    def _store_progress(self) -> list[str]:
        """Progress rows replace stored ones of the same project and span; every project must be in
        its year's register (stored, or in this file), and its spans must agree (1-5月 = 1-4月 + 5月)."""
        frame = self.cleaned.project_progress
        if frame.empty:
            return []
        years = sorted({int(y) for y in frame.year})
        registered = set(self.conn.execute(select(projects.c.year, projects.c.name_key).where(
            projects.c.year.in_(years), projects.c.replaced_by.is_(None))).all())
        problems = [Problem(self.cleaned.file, labels.PROJECT_NOT_REGISTERED.format(year=int(r.year)), r.sheet,
                            int(r.row), "项目名称", r.name)
                    for r in frame.drop_duplicates(["name_key", "year"]).itertuples()
                    if (int(r.year), r.name_key) not in registered]
        if problems:
            raise ImportRefused(problems)
        rows = frame.rename(columns={"name_key": "project_key"})[
            ["year", "project_key", "first_month", "last_month", "invested_10k", "received_10k"]]
        replaced = self._store_rows(project_progress, rows, ["year", "project_key", "first_month", "last_month"],
                                    ["invested_10k", "received_10k"],
                                    _progress_label)
        self._check_progress(frame)
        return replaced

    def _check_progress(self, frame: pd.DataFrame) -> None:
        """The stored spans of each project this file touched, new and old together, must agree."""
        problems = []
        p = project_progress.c
        for (key, year), group in frame.groupby(["name_key", "year"]):
            stored = self.conn.execute(select(p.first_month, p.last_month, p.invested_10k).where(
                p.year == int(year), p.project_key == key, p.replaced_by.is_(None),
                p.invested_10k.is_not(None))).all()
            spans = {(int(a), int(b)): (float(v), None) for a, b, v in stored}
            new = frozenset((int(a), int(b)) for a, b in zip(group.first_month, group.last_month))
            found = None if _disjoint(spans) else find_disagreement(spans, values_agree, new)
            if found is None:
                continue
            span, derived = found
            where = group[(group.first_month == span[0]) & (group.last_month == span[1])]
            sheet, row = (where.sheet.iloc[0], int(where.row.iloc[0])) if len(where) else (None, None)
            parts = [Period(int(year), *s).label_in_year() for s in derived.parts]
            problems.append(Problem(self.cleaned.file, labels.INCONSISTENT_PROJECT_SPANS.format(
                name=group.name.iloc[0], year=int(year), span=Period(int(year), *span).label_in_year(),
                value=format_10k(spans[span][0]),
                parts=("减".join(parts) if derived.how == "difference" else "+".join(parts) + "相加"),
                derived=format_10k(derived.value), diff=format_10k(abs(spans[span][0] - derived.value))),
                sheet=sheet, row=row))
        if problems:
            raise ImportRefused(problems)

    # -- targets and other keyed rows ----------------------------------------------------------
    def _store_rows(self, table: Table, frame: pd.DataFrame, keys: list[str], values: list[str],
                    label) -> list[str]:
        """Replace the active rows that share `keys` with the frame's rows, unless identical."""
        if frame.empty:
            return []
        replaced = []
        for record in frame.to_dict("records"):
            record = {k: (int(v) if k in keys and not isinstance(v, str) else v) for k, v in record.items()}
            record = {k: (_plain(v) if k in values else v) for k, v in record.items()}
            match = and_(*(table.c[k] == record[k] for k in keys), table.c.replaced_by.is_(None))
            old = self.conn.execute(select(*(table.c[v] for v in values)).where(match)).all()
            if len(old) == 1 and _exact(old[0], record, values):
                continue
            if old:
                self.conn.execute(update(table).where(match).values(replaced_by=self.import_id))
                replaced.append(label(record))
            self.conn.execute(insert(table).values(import_id=self.import_id, **record))
            self.changed = True
        return replaced


def _enterprise_index(conn: Connection):
    """The register as {id: row}, {name_key or alias key: id} and {credit code: id}."""
    existing = {r.id: r._asdict() for r in conn.execute(select(enterprises))}
    by_key = {r["name_key"]: i for i, r in existing.items()}
    by_key.update(dict(conn.execute(select(enterprise_aliases.c.name_key, enterprise_aliases.c.enterprise_id)).all()))
    by_code = {r["credit_code"]: i for i, r in existing.items() if r["credit_code"]}
    return existing, by_key, by_code


def _match_enterprise(by_key: dict, by_code: dict, key: str, code: str | None) -> int | None:
    """The stored enterprise a file's row names: by credit code, else by name or alias."""
    return (by_code.get(code) if code else None) or by_key.get(key)


def find_enterprises(engine: Engine, keys_and_codes) -> dict[str, int | None]:
    """name_key → stored enterprise id (None if new), read-only, matched as an import would."""
    with engine.connect() as conn:
        _, by_key, by_code = _enterprise_index(conn)
    return {key: _match_enterprise(by_key, by_code, key, code) for key, code in keys_and_codes}


def _progress_label(row: dict) -> str:
    """2023年5月项目进度: what a replaced progress row was, in the import history."""
    return f"{row['year']}年{Period(row['year'], row['first_month'], row['last_month']).label_in_year()}项目进度"


def _plain(value):
    """A value as SQL takes it: NaN → None, numpy scalars → Python; text as it is."""
    if is_missing(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
        return None if is_missing(value) else value
    return value


def _exact(old_row, record, values) -> bool:
    """A stored row's values equal a new record's (numbers to 1e-9, blanks equal blanks)."""
    for old, name in zip(old_row, values):
        new = record[name]
        if old is None or new is None:
            if old is not new:
                return False
        elif isinstance(new, float) and not isinstance(old, bool):
            if abs(float(old) - new) >= 1e-9:
                return False
        elif old != new:
            return False
    return True


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


def _bulk_insert(conn: Connection, table: Table, rows: pd.DataFrame) -> None:
    """Insert a frame's rows (NaN → NULL). SQLite's driver takes plain tuples much faster than
    SQLAlchemy's per-row dicts; other databases go through SQLAlchemy."""
    columns = [c.name for c in table.columns if c.name in rows.columns]  # the order SQL lists them
    frame = rows[columns].astype(object)
    frame = frame.where(frame.notna(), None)
    values = list(zip(*(frame[c].tolist() for c in columns)))
    if conn.dialect.name == "sqlite":
        sql = str(insert(table).compile(dialect=conn.dialect, column_keys=columns))
        conn.exec_driver_sql(sql, values)
    else:
        conn.execute(insert(table), [dict(zip(columns, v)) for v in values])


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


def _disjoint(spans) -> bool:
    last = 0
    for a, b in sorted(spans):
        if a <= last:
            return False
        last = b
    return True


