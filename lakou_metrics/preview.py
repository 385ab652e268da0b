"""What importing a file would change, before anything is stored.

For every period in the file: enterprises new / changed / unchanged / missing compared with what
is stored, the town total and each sector's total before and after, and the enterprises whose
figure moved by more than a set multiple (a likely unit slip, 元 written as 万元).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy.engine import Engine

from . import store
from .clean import CleanResult, SheetReport, read_and_clean
from .errors import Problem
from .metrics import SECTOR_ORDER, Ledger
from .periods import Period


DEFAULT_SLIP_RATIO = 5.0


@dataclass
class SpanChange:
    period: Period
    new: list[str] = field(default_factory=list)  # not stored for this period yet
    unknown: list[str] = field(default_factory=list)  # not in the register at all (new enterprises)
    changed: list[tuple[str, float, float]] = field(default_factory=list)  # name, before, after
    unchanged: int = 0
    missing: list[tuple[str, float]] = field(default_factory=list)  # stored, not in the file
    total_before: float | None = None
    total_after: float = 0.0
    sectors: pd.DataFrame | None = None  # sector, before, after

    @property
    def replaces(self) -> bool:
        return self.total_before is not None


@dataclass
class Suspicious:
    name: str
    period: str
    value: float
    reference: float
    reference_label: str

    @property
    def ratio(self) -> float:
        return self.value / self.reference


@dataclass
class Preview:
    file: str
    status: str  # "new" (would store), "unchanged" (identical to what is stored)
    rows: int
    sheets: list[SheetReport]
    warnings: list[Problem]
    spans: list[SpanChange]
    suspicious: list[Suspicious]
    replaced: list[str]  # periods whose stored rows would be replaced
    version: int  # the data version the preview was made against
    cleaned: CleanResult
    sha256: str


def preview_bytes(engine: Engine, data: bytes, file_name: str, *, period: Period | None = None,
                  slip_ratio: float = DEFAULT_SLIP_RATIO) -> Preview:
    """Everything a person needs to decide whether to import. Raises ImportRefused like an import."""
    version = store.data_version(engine)
    cleaned = read_and_clean(data, file_name, period)
    sha = hashlib.sha256(data).hexdigest()
    # A dry run goes through the whole import (consistency checks included) and rolls back.
    outcome = store.store_cleaned(engine, cleaned, sha, len(data), dry_run=True, who="预览")
    status = "unchanged" if outcome.import_id is None else "new"
    spans, suspicious = _compare(engine, cleaned, slip_ratio)
    return Preview(cleaned.file, status, cleaned.row_count, cleaned.sheets, cleaned.warnings, spans,
                   suspicious, outcome.replaced, version, cleaned, sha)


def _compare(engine: Engine, cleaned: CleanResult, slip_ratio: float):
    out = cleaned.output
    if out.empty:
        return [], []
    years = sorted(set(out.year.astype(int)))
    stored = store.load_observations(engine, sorted({y - 1 for y in years} | set(years)))
    ledger = Ledger(stored)
    ids = store.find_enterprises(engine, zip(out.name_key, out.credit_code))
    register = store.load_enterprises(engine).set_index("id")
    spans, suspicious = [], []
    for (year, first, last), rows in out.groupby(["year", "first_month", "last_month"], sort=True):
        span = Period(int(year), int(first), int(last))
        before = stored[(stored.year == span.year) & (stored.first_month == span.first)
                        & (stored.last_month == span.last)]
        before_by_id = dict(zip(before.enterprise_id, before.value_10k))
        change = SpanChange(span, total_after=float(rows.value_10k.sum()),
                            total_before=float(before.value_10k.sum()) if len(before) else None)
        seen = set()
        after_sectors = []
        for row in rows.itertuples(index=False):
            eid = ids.get(row.name_key)
            sector = row.sector or (register.loc[eid, "sector"] if eid in register.index else "other")
            after_sectors.append((sector, row.value_10k))
            if eid is None:
                change.unknown.append(row.name)
            if eid is None or eid not in before_by_id:
                change.new.append(row.name)
            elif abs(before_by_id[eid] - row.value_10k) > 1e-9:
                change.changed.append((row.name, before_by_id[eid], row.value_10k))
            else:
                change.unchanged += 1
            if eid is not None:
                seen.add(eid)
                found = _unit_slip(ledger, eid, span, row.value_10k, slip_ratio)
                if found:
                    suspicious.append(Suspicious(row.name, span.label(), row.value_10k, *found))
        change.missing = [(n, v) for e, n, v in zip(before.enterprise_id, before.name, before.value_10k)
                          if e not in seen]
        after = pd.DataFrame(after_sectors, columns=["sector", "value"]).groupby("sector").value.sum()
        was = before.groupby("sector").value_10k.sum()
        change.sectors = pd.DataFrame({"sector": list(SECTOR_ORDER),
                                       "before": [float(was.get(s, 0.0)) for s in SECTOR_ORDER],
                                       "after": [float(after.get(s, 0.0)) for s in SECTOR_ORDER]})
        spans.append(change)
    return spans, suspicious


def _unit_slip(ledger: Ledger, eid: int, span: Period, value: float, ratio: float):
    """(reference value, its label) when the value is `ratio` times larger or smaller than the
    enterprise's previous period of the same length (else the same months last year)."""
    for reference in (span.previous(), span.shifted_year(-1)):
        if reference is None:
            continue
        known = ledger.derive(eid, reference)
        if known is not None and known.value > 0:
            moved = value / known.value
            if value > 0 and (moved >= ratio or moved <= 1 / ratio):
                return known.value, reference.label()
            return None
    return None

