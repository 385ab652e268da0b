"""Keyed rows (targets, target actuals, enterprise targets, peer figures, projects, progress): a row
replaces the active row with the same keys, unless every value is the same."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Table, and_, insert, select, update

from ..domain.numbers import is_missing


def store_rows(tx, table: Table, frame: pd.DataFrame, keys: list[str], values: list[str],
                label) -> list[str]:
    """Replace the active rows that share `keys` with the frame's rows, unless identical. A row
    an earlier record of this import wrote (tx.written) is the active one for its keys: a plan,
    which writes nothing, knows it only from there."""
    if frame.empty:
        return []
    replaced = []
    written = tx.written.setdefault(table.name, {})
    for record in frame.to_dict("records"):
        record = {k: (int(v) if k in keys and not isinstance(v, str) else v) for k, v in record.items()}
        record = {k: (_plain(v) if k in values else v) for k, v in record.items()}
        key = tuple(record[k] for k in keys)
        match = and_(*(table.c[k] == record[k] for k in keys), table.c.replaced_by.is_(None))
        if key in written:
            old = [tuple(written[key][v] for v in values)]
        else:
            old = tx.conn.execute(select(*(table.c[v] for v in values)).where(match)).all()
        if len(old) == 1 and _exact(old[0], record, values):
            continue
        if old:
            tx.write(update(table).where(match).values(replaced_by=tx.import_id))
            replaced.append(label(record))
        tx.write(insert(table).values(import_id=tx.import_id, **record))
        written[key] = record
        tx.changed = True
    return replaced


def _plain(value):
    """A value as SQL takes it: NaN → None, numpy scalars → Python; text as it is."""
    if is_missing(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
        return None if is_missing(value) else value
    return value


def _exact(old_row, record, values) -> bool:
    """A stored row's values equal a new record's (same_value, value by value)."""
    return all(same_value(old, record[name]) for old, name in zip(old_row, values))


def same_value(old, new) -> bool:
    """A stored value equals a new one: numbers to 1e-9, blanks (None, NaN) equal blanks."""
    if is_missing(old) or is_missing(new):
        return is_missing(old) and is_missing(new)
    if isinstance(new, float) and not isinstance(old, bool):
        return abs(float(old) - float(new)) < 1e-9
    return old == new
