"""The enterprises an import names: matched in the register by credit code, name or alias, created
when new, their attributes updated (the old ones kept for undo), and other spellings stored."""
from __future__ import annotations

import json

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine

from ..domain import labels
from ..domain.numbers import is_missing
from ..ingest.errors import ImportRefused, Problem
from .schema import enterprise_aliases, enterprise_changes, enterprises


def resolve_enterprises(tx) -> dict[str, int]:
    """name_key → enterprise id for every enterprise the file names; creates and updates."""
    if tx.cleaned.enterprises.empty:
        return {}
    # The last mention of an enterprise in a file carries its latest attributes
    # (groupby.last skips blanks, so a blank cell never erases a known attribute).
    mentioned = tx.cleaned.enterprises.astype(object)
    mentioned = mentioned.where(mentioned.notna(), None)
    editing = tx.cleaned.authoritative  # a register edited on the page: blanks do clear
    latest = (mentioned.drop_duplicates("name_key", keep="last").set_index("name_key") if editing
              else mentioned.groupby("name_key", sort=False).last())

    details = _details(tx.cleaned, editing)
    existing, by_key, by_code = index_enterprises(tx)

    ids: dict[str, int] = {}
    new_rows = []
    new_codes = set()
    conflicts = []
    for key, attrs in zip(latest.index, latest.to_dict("records")):
        attrs = {**attrs, **details.get(key, {})}
        attrs = {k: v for k, v in attrs.items()
                 if v is not None or (editing and k in ("credit_code", "contact", *DETAILS))}
        code = attrs.get("credit_code")
        if editing:
            ent_id = by_key.get(key)
            holder = by_code.get(code) if code else None
            if holder is not None and holder != ent_id:
                raise ImportRefused([Problem(tx.cleaned.file, labels.CODE_TAKEN.format(
                    other=existing[holder]["name"]), column="统一社会信用代码", value=code)])
        else:
            ent_id, problem = _match_row(tx, existing, by_key, by_code, key, attrs)
            if problem is not None:
                conflicts.append(problem)
                continue
        if ent_id is not None:
            _update_enterprise(tx, existing[ent_id], attrs, editing)
            ids[key] = ent_id
        elif code and code in new_codes:
            ids[key] = None  # the same code under two spellings in one file: one enterprise
        else:
            if code:
                new_codes.add(code)
            new_rows.append({"name_key": key, "name": attrs["name"], "credit_code": code,
                             "sector": attrs.get("sector") or "other",
                             "above_scale": attrs.get("above_scale"),
                             "contact": attrs.get("contact"), "created_by": tx.import_id,
                             **{d: attrs.get(d) for d in DETAILS}})
    if conflicts:
        raise ImportRefused(conflicts)
    if new_rows:
        created = dict(zip((r["name_key"] for r in new_rows), add_enterprises(tx, new_rows)))
        code_to_id = {r["credit_code"]: created[r["name_key"]] for r in new_rows if r["credit_code"]}
        for key, attrs in zip(latest.index, latest.to_dict("records")):
            if ids.get(key) is None:
                ids[key] = created.get(key) or code_to_id[attrs["credit_code"]]
    return ids


DETAILS = ("land_mu", "power_account")  # the register's attributes beyond a mention's (CleanResult.enterprise_details)


def _details(cleaned, editing: bool) -> dict[str, dict]:
    """name_key → {land_mu, power_account} the file's register gives: blanks left out (a file never
    erases a known attribute), but kept as None from a register edited on a page, where they clear."""
    found = {}
    for row in cleaned.enterprise_details.to_dict("records"):
        values = {d: None if is_missing(row[d]) else row[d] for d in DETAILS}
        found[row["name_key"]] = values if editing else {d: v for d, v in values.items() if v is not None}
    return found


def add_enterprises(tx, rows: list[dict]) -> list[int]:
    """Add these enterprises (rows of the register) to the town's register; their ids, in order.
    A plan adds none and numbers them -1, -2, … (no stored id is negative)."""
    if tx.planning:
        start = -1 - sum(1 for i in tx.enterprises if i < 0)
        ids = list(range(start, start - len(rows), -1))
    else:
        tx.conn.execute(insert(enterprises), rows)
        created = dict(tx.conn.execute(select(enterprises.c.name_key, enterprises.c.id)
                                       .where(enterprises.c.created_by == tx.import_id)).all())
        ids = [created[r["name_key"]] for r in rows]
    blank = dict.fromkeys(enterprises.columns.keys())
    for ent_id, row in zip(ids, rows):
        tx.enterprises[ent_id] = {**blank, **row, "id": ent_id}
    tx.changed = True
    tx.new_enterprises += len(rows)
    return ids


def index_enterprises(tx):
    """The town's register as the import leaves it so far (enterprise_index's three maps): the
    stored one, with the enterprises the import has added or changed and the aliases it has added
    (a plan keeps them only in memory; a writing import has stored them, and this changes nothing)."""
    existing, by_key, by_code = enterprise_index(tx.conn)
    for ent_id, row in tx.enterprises.items():
        stored_code = existing.get(ent_id, {}).get("credit_code")
        if stored_code and by_code.get(stored_code) == ent_id:
            del by_code[stored_code]
        existing[ent_id] = row
        by_key[row["name_key"]] = ent_id
        if row.get("credit_code"):
            by_code[row["credit_code"]] = ent_id
    by_key.update(tx.aliases)
    return existing, by_key, by_code


def _match_row(tx, existing: dict, by_key: dict, by_code: dict, key: str, attrs: dict):
    """(the registered enterprise a file's enterprise is, or None when new; a Problem when its name
    and its credit code name two different registered enterprises). A figure is never filed on a
    code's owner silently: a code found under another name is said in the warnings."""
    code = attrs.get("credit_code")
    by_name = by_key.get(key)
    holder = by_code.get(code) if code else None
    if holder is not None and by_name is not None and holder != by_name:
        sheet, row = _first_place(tx.cleaned, key)
        return None, Problem(tx.cleaned.file, labels.CODE_OF_ANOTHER.format(
            code=code, holder=existing[holder]["name"], named=existing[by_name]["name"]),
            sheet, row, "统一社会信用代码", attrs["name"])
    if holder is not None and by_name is None:
        sheet, row = _first_place(tx.cleaned, key)
        warn(tx, Problem(tx.cleaned.file, labels.MATCHED_BY_CODE.format(code=code, holder=existing[holder]["name"]),
                         sheet, row, "企业名称", attrs["name"]))
    elif by_name is not None and code and existing[by_name]["credit_code"] not in (None, code):
        sheet, row = _first_place(tx.cleaned, key)
        warn(tx, Problem(tx.cleaned.file, labels.CODE_DIFFERS.format(
            code=code, registered=existing[by_name]["credit_code"], named=existing[by_name]["name"]),
            sheet, row, "统一社会信用代码", attrs["name"]))
    return holder if holder is not None else by_name, None


def _first_place(cleaned, key: str) -> tuple[str | None, int | None]:
    """The sheet and row where a file first gives an enterprise a figure (None, None when only a
    register or target names it)."""
    out = cleaned.output
    hits = out.index[out["name_key"] == key] if len(out) else []
    if len(hits) == 0:
        return None, None
    first = out.loc[hits[0]]
    return first["sheet"], int(first["row"])


def warn(tx, warning: Problem) -> None:
    """A warning found while storing, shown with the file's own (once: a preview stores twice)."""
    if warning not in tx.cleaned.warnings:
        tx.cleaned.warnings.append(warning)


def store_aliases(tx, ids: dict[str, int]) -> None:
    """Other spellings of an enterprise's name, so later files with them match it."""
    if tx.cleaned.aliases.empty:
        return
    known = dict(tx.conn.execute(select(enterprises.c.name_key, enterprises.c.id)).all())
    known.update((row["name_key"], ent_id) for ent_id, row in tx.enterprises.items())
    taken = dict(tx.conn.execute(select(enterprise_aliases.c.name_key, enterprise_aliases.c.enterprise_id)).all())
    taken.update(tx.aliases)
    problems = []
    for key, alias, alias_key in tx.cleaned.aliases.itertuples(index=False):
        owner = ids.get(key) or known.get(key)
        other = known.get(alias_key)
        if other is not None and other != owner:
            problems.append(Problem(tx.cleaned.file, labels.ALIAS_IS_ENTERPRISE, column="别名", value=alias))
        elif taken.get(alias_key) not in (None, owner):
            problems.append(Problem(tx.cleaned.file, labels.ALIAS_TAKEN, column="别名", value=alias))
        elif alias_key not in taken and other is None:
            tx.write(insert(enterprise_aliases).values(
                name_key=alias_key, alias=alias, enterprise_id=owner, import_id=tx.import_id))
            taken[alias_key] = tx.aliases[alias_key] = owner
            tx.changed = True
    if problems:
        raise ImportRefused(problems)


def _update_enterprise(tx, row: dict, attrs: dict, editing: bool = False) -> None:
    changes = {a: attrs[a] for a in ("credit_code", "sector", "above_scale", "contact", *DETAILS)
               if a in attrs and attrs[a] != row[a]}
    if changes.get("credit_code") and row["credit_code"] and not editing:
        # A different code means a different enterprise of the same name: keep the register's.
        changes.pop("credit_code")
    if not changes:
        return
    before = {a: row[a] for a in changes}
    tx.write(insert(enterprise_changes).values(
        import_id=tx.import_id, enterprise_id=row["id"], before=json.dumps(before, ensure_ascii=False)))
    tx.write(update(enterprises).where(enterprises.c.id == row["id"]).values(**changes))
    row.update(changes)
    tx.enterprises[row["id"]] = row
    tx.changed = True


def enterprise_index(conn: Connection):
    """The connection's town's register as {id: row}, {name_key or alias key: id} and {credit code: id}."""
    existing = {r.id: r._asdict() for r in conn.execute(select(enterprises))}
    by_key = {r["name_key"]: i for i, r in existing.items()}
    by_key.update(dict(conn.execute(select(enterprise_aliases.c.name_key, enterprise_aliases.c.enterprise_id)).all()))
    by_code = {r["credit_code"]: i for i, r in existing.items() if r["credit_code"]}
    return existing, by_key, by_code


def match_enterprise(by_key: dict, by_code: dict, key: str, code: str | None) -> int | None:
    """The stored enterprise a file's row names: by credit code, else by name or alias."""
    return (by_code.get(code) if code else None) or by_key.get(key)


def find_enterprises(engine: Engine, keys_and_codes) -> dict[str, int | None]:
    """name_key → stored enterprise id of the engine's town (None if new), read-only, matched as
    an import would."""
    with engine.connect() as conn:
        _, by_key, by_code = enterprise_index(conn)
    return {key: match_enterprise(by_key, by_code, key, code) for key, code in keys_and_codes}
