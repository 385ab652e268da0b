"""The ledger: every stored span of every enterprise, arranged so that the figure of any span of
months can be derived for all enterprises at once.

A county holds thousands of enterprises over many years, so the ledger keeps each year apart
(`YearSpans`) and derives by whole columns. Most enterprises report in one of two shapes, and
those are derived with array arithmetic:

- monthly: every stored span is a single month; a span is the sum of its months, in month order
  (the order `domain.spans.derive_span` adds them, so the result is the same to the last bit);
- year to date: every stored span starts in January; a span is its own figure when it is 1..m,
  else the difference (1..last) − (1..first−1).

An enterprise whose spans mix shapes (quarters beside months, a correction of one quarter) is
derived one by one with `derive_span`, which defines what every path must agree with.

A new enterprise (新投产: last year is stored and it has no figure there, and none of its rows
carries a 上年同期 above 0) counts from its first stored month of the year (`Ledger.openings`):
the months before it are 0 in every path, as `derive_span(..., opened=)` says; an enterprise that
existed last year and has a gap has no figure for a span across the gap (a missing report).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from .. import store
from ..domain.periods import Period
from ..domain.spans import Derived, derive_span

ENTERPRISE_COLUMNS = ["name", "credit_code", "sector", "contact"]
SPAN_COLUMNS = ["enterprise_id", "first_month", "last_month", "value_10k", "prior_10k", "above_scale"]


class YearSpans:
    """One year's stored spans of every enterprise (columns SPAN_COLUMNS; above_scale is the flag
    reported with the row, NaN when none)."""

    def __init__(self, year: int, rows: pd.DataFrame):
        self.year = year
        rows = rows.sort_values(["enterprise_id", "first_month", "last_month"], kind="stable")
        eid = rows.enterprise_id.to_numpy(dtype=np.int64)
        first = rows.first_month.to_numpy(dtype=np.int64)
        last = rows.last_month.to_numpy(dtype=np.int64)
        value = rows.value_10k.to_numpy(dtype=float)
        prior = pd.to_numeric(rows.prior_10k, errors="coerce").to_numpy(dtype=float)
        self.ids, pos, counts = np.unique(eid, return_inverse=True, return_counts=True)
        self.last_month = int(last.max()) if len(last) else 0
        self.ends = np.unique(last).tolist()
        self._starts = np.concatenate([[0], np.cumsum(counts)])
        self._rows = (first, last, value, prior)
        # Each enterprise's first stored month (its rows are sorted by first month), and whether
        # any of its rows carries a 上年同期 above 0 (it produced last year): what Ledger.openings
        # needs to tell a new enterprise.
        self.first_months = first[self._starts[:-1]]
        self._with_prior = np.bincount(pos, weights=np.nan_to_num(prior, nan=0.0) > 0, minlength=len(self.ids)) > 0
        # The 规上 flag as reported with each row (1/0, NaN when none), for Ledger.above_scale_all.
        flags = rows.above_scale.astype("boolean")
        self._flags = (pos, last, flags.astype("Float64").to_numpy(dtype=float, na_value=np.nan))
        n = len(self.ids)
        not_single = np.bincount(pos, weights=(first != last), minlength=n) > 0
        not_from_one = np.bincount(pos, weights=(first != 1), minlength=n) > 0
        self._monthly = ~not_single
        self._cumulative = not_single & ~not_from_one
        mixed = not_single & not_from_one
        # Month matrices: column m-1 holds month m (monthly enterprises) or 1..m (year to date).
        self._values = np.full((n, 12), np.nan)
        self._priors = np.full((n, 12), np.nan)
        regular = ~mixed[pos]
        self._values[pos[regular], last[regular] - 1] = value[regular]
        self._priors[pos[regular], last[regular] - 1] = prior[regular]
        self._mixed = {int(i): self._spans_of(int(i)) for i in np.flatnonzero(mixed)}  # by position

    def __len__(self) -> int:
        return len(self.ids)

    def _spans_of(self, i: int) -> dict:
        first, last, value, prior = self._rows
        rows = range(self._starts[i], self._starts[i + 1])
        return {(int(first[r]), int(last[r])): (float(value[r]), None if np.isnan(prior[r]) else float(prior[r]))
                for r in rows}

    def stored_spans(self) -> list[tuple[int, int]]:
        """The distinct spans of months (first, last) stored this year, in month order."""
        first, last, _, _ = self._rows
        return sorted(set(zip(first.tolist(), last.tolist())))

    def spans(self, enterprise_id: int) -> dict | None:
        """{(first, last): (value, prior)} of one enterprise; None when it has no row this year."""
        i = np.searchsorted(self.ids, enterprise_id)
        if i >= len(self.ids) or self.ids[i] != enterprise_id:
            return None
        return self._spans_of(int(i))

    def late_starters(self) -> np.ndarray:
        """Positions (in `ids`) of the enterprises whose first stored month is after January and
        whose rows carry no 上年同期 above 0: those that may have opened this year."""
        return np.flatnonzero((self.first_months > 1) & ~self._with_prior)

    def derive_arrays(self, first: int, last: int,
                      opened: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Months first..last of every enterprise that has them: enterprise ids (ascending), values,
        priors (NaN when the sheets gave none). `opened` (by position in `ids`; None: all 1) is the
        month each enterprise opened, as derive_span takes it."""
        value = np.full(len(self.ids), np.nan)
        prior = np.full(len(self.ids), np.nan)
        if len(self.ids):
            self._derive_monthly(first, last, value, prior, opened)
            self._derive_cumulative(first, last, value, prior)
        for i, spans in self._mixed.items():
            derived = derive_span(spans, first, last, 1 if opened is None else int(opened[i]))
            if derived is not None:
                value[i], prior[i] = derived.value, np.nan if derived.prior is None else derived.prior
        if opened is not None:
            value[last < opened] = np.nan  # not open yet: no figure, not a 0
        known = ~np.isnan(value)
        return self.ids[known], value[known], prior[known]

    def _derive_monthly(self, first, last, value, prior, opened) -> None:
        rows = self._monthly
        values, priors = self._values[rows, first - 1:last], self._priors[rows, first - 1:last]  # copies
        if opened is not None:
            # A new enterprise's months before it opened are 0 (0 + x is x: the sum stays derive_span's).
            before = np.arange(first, last + 1) < opened[rows][:, None]
            values[before], priors[before] = 0.0, 0.0
        total, total_prior = values[:, 0], priors[:, 0]
        for m in range(1, last - first + 1):  # month after month, as derive_span adds them
            total = total + values[:, m]
            total_prior = total_prior + priors[:, m]
        value[rows], prior[rows] = total, total_prior

    def _derive_cumulative(self, first, last, value, prior) -> None:
        rows = self._cumulative
        if first == 1:
            value[rows], prior[rows] = self._values[rows, last - 1], self._priors[rows, last - 1]
            return
        whole, head = self._values[rows, last - 1], self._values[rows, first - 2]
        both = ~np.isnan(whole) & ~np.isnan(head)  # a prior difference only where both figures exist
        value[rows] = whole - head
        prior[rows] = np.where(both, self._priors[rows, last - 1] - self._priors[rows, first - 2], np.nan)

    def flags_through(self, last: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each row's reported 规上 flag up to month `last` (1/0, NaN when none): the row's
        enterprise (by position in `ids`), its last month, its flag."""
        pos, ends, flags = self._flags
        keep = ends <= last
        return pos[keep], ends[keep], flags[keep]


def lookup(ids: np.ndarray, values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The values of the `wanted` enterprise ids, in their order (NaN where `ids`, ascending, has none)."""
    out = np.full(len(wanted), np.nan)
    if len(ids) and len(wanted):
        at = np.minimum(np.searchsorted(ids, wanted), len(ids) - 1)
        found = ids[at] == wanted
        out[found] = values[at[found]]
    return out


def ledger_from_store(engine, years: Iterable[int] | None = None) -> Ledger:
    """A ledger reading each year from the store when it is first needed (all years are offered
    unless `years` says which have figures)."""
    return Ledger.from_years(years, lambda year: YearSpans(year, store.load_year_spans(engine, year)),
                             store.load_register(engine))


class Ledger:
    """Stored observations, year by year, for deriving any span of any enterprise and year.

    Built from an observations frame (store.load_observations: one row per enterprise and stored
    span, with the enterprise's name, credit_code, sector, contact and the row's above_scale), or
    with `Ledger.from_years` from years loaded on demand and the register.
    """

    def __init__(self, observations: pd.DataFrame | None = None):
        self._years: dict[int, YearSpans | None] = {}
        self._loader: Callable[[int], YearSpans | None] | None = None
        self._known_years: list[int] | None = []
        self._register_scale = pd.Series(dtype="boolean")
        self._one: dict = {}  # (enterprise, year) → its spans, for derive one at a time (this ledger's life)
        self._derived: dict = {}  # (year, first, last) → derive_arrays' result (this ledger's life)
        self._register_flags: dict = {}  # year → the register's 规上 flags by position in that year
        self._openings: dict = {}  # year → Ledger.openings (this ledger's life)
        if observations is None:
            self.enterprises = pd.DataFrame(columns=ENTERPRISE_COLUMNS)
            return
        for year, rows in observations.groupby("year", sort=True):
            self._years[int(year)] = YearSpans(int(year), rows[SPAN_COLUMNS])
        self._known_years = sorted(self._years)
        self.enterprises = (observations.drop_duplicates("enterprise_id").set_index("enterprise_id")[ENTERPRISE_COLUMNS]
                            if not observations.empty else pd.DataFrame(columns=ENTERPRISE_COLUMNS))

    @classmethod
    def from_years(cls, years: Iterable[int] | None, load_year: Callable[[int], YearSpans | None],
                   register: pd.DataFrame) -> Ledger:
        """A ledger over `years` (those with stored figures; None: whichever `load_year` finds),
        each read by `load_year` when first needed. `register` is indexed by enterprise id, with
        ENTERPRISE_COLUMNS and the register's above_scale (the flag of rows reported without one)."""
        ledger = cls()
        ledger._known_years = None if years is None else sorted(int(y) for y in years)
        ledger._loader = load_year
        ledger.enterprises = register[ENTERPRISE_COLUMNS]
        ledger._register_scale = register["above_scale"].astype("boolean")
        return ledger

    def year(self, year: int) -> YearSpans | None:
        """The year's spans (read now when the ledger reads on demand); None when it has none."""
        if year not in self._years:
            known = self._known_years is None or year in self._known_years
            self._years[year] = self._loader(year) if self._loader is not None and known else None
        found = self._years[year]
        return found if found is not None and len(found) else None

    def years(self) -> list[int]:
        """The years with stored figures (those read so far, when the ledger was not told)."""
        if self._known_years is None:
            return sorted(y for y in self._years if self.year(y) is not None)
        return list(self._known_years)

    def months_loaded(self, year: int) -> int:
        """The last month of `year` for which some enterprise has a figure up to it."""
        spans = self.year(year)
        return spans.last_month if spans is not None else 0

    def ytd_months(self, year: int) -> list[int]:
        """The months m (ascending) for which some enterprise's year to date 1..m is known: every
        month where monthly data exists, only quarter ends where only quarterly reports do."""
        spans = self.year(year)
        if spans is None:
            return []
        return [m for m in spans.ends if len(spans.derive_arrays(1, m)[0])]

    def enterprises_with_figures(self, years) -> list[int]:
        """Enterprises (ascending ids) with any stored figure in one of `years`."""
        found = [self.year(y) for y in years]
        ids = [spans.ids for spans in found if spans is not None]
        return [int(e) for e in np.unique(np.concatenate(ids))] if ids else []

    def openings(self, year: int) -> np.ndarray | None:
        """The month each enterprise of `year` opened, by its position in the year's ids: for a new
        enterprise (新投产) its first stored month, 1 for every other. New: last year is stored, the
        enterprise has no figure in it, and none of its rows this year carries a 上年同期 above 0.
        None when no enterprise opened after January (last year is then not read at all)."""
        return self._opening(year)[0]

    def opened(self, year: int) -> dict[int, int]:
        """{enterprise id: the month it opened} of the enterprises new in `year` after January."""
        return self._opening(year)[1]

    def _opening(self, year: int) -> tuple[np.ndarray | None, dict[int, int]]:
        if year not in self._openings:
            spans, found, by_id = self.year(year), None, {}
            late = spans.late_starters() if spans is not None else np.zeros(0, dtype=np.int64)
            before = self.year(year - 1) if len(late) else None
            if before is not None:
                new = late[~np.isin(spans.ids[late], before.ids)]
                if len(new):
                    found = np.ones(len(spans.ids), dtype=np.int64)
                    found[new] = spans.first_months[new]
                    by_id = dict(zip(spans.ids[new].tolist(), spans.first_months[new].tolist()))
            self._openings[year] = found, by_id
        return self._openings[year]

    def derive(self, enterprise_id: int, period: Period) -> Derived | None:
        """One enterprise's figure for `period` (derive_span over its stored spans, from the month
        it opened when it is new)."""
        key = (enterprise_id, period.year)
        found = self._one.get(key, self)
        if found is self:
            spans = self.year(period.year)
            found = self._one[key] = spans.spans(enterprise_id) if spans is not None else None
        if not found:
            return None
        return derive_span(found, period.first, period.last, self.opened(period.year).get(enterprise_id, 1))

    def derive_arrays(self, period: Period) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """YearSpans.derive_arrays of `period` (new enterprises from the month they opened), derived
        once in this ledger's life (figures, targets, trends and the projection ask for the same spans)."""
        key = (period.year, period.first, period.last)
        found = self._derived.get(key)
        if found is None:
            spans = self.year(period.year)
            found = self._derived[key] = (
                spans.derive_arrays(period.first, period.last, self.openings(period.year)) if spans is not None
                else (np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)))
        return found

    def expected(self, period: Period) -> list[int]:
        """Enterprises (ascending ids) that owe a figure for `period`: those with any figure in its
        year or the year before, less the new enterprises that open after it ends."""
        ids = self.enterprises_with_figures((period.year, period.year - 1))
        later = {e for e, month in self.opened(period.year).items() if month > period.last}
        return [e for e in ids if e not in later]

    def months_missing(self, enterprise_id: int, period: Period) -> list[int]:
        """The months of `period` (from the month a new enterprise opened) that none of the
        enterprise's stored spans of the year covers: what it still has to report."""
        spans = self.year(period.year)
        stored = (spans.spans(enterprise_id) if spans is not None else None) or {}
        start = max(period.first, self.opened(period.year).get(enterprise_id, 1))
        covered = {m for a, b in stored for m in range(a, b + 1)}
        return [m for m in range(start, period.last + 1) if m not in covered]

    def total(self, enterprise_ids, period: Period) -> float | None:
        """Total of `period` over these enterprises (added in their order); None when none has it."""
        found = lookup(*self.derive_arrays(period)[:2], np.asarray(enterprise_ids, dtype=np.int64))
        values = found[~np.isnan(found)].tolist()  # in the order given, added one by one as derive_span would
        return float(sum(values)) if values else None

    def any_of(self, enterprise_ids: np.ndarray, period: Period) -> bool:
        """Whether any of these enterprises has a figure for `period`."""
        return bool(np.isin(self.derive_arrays(period)[0], enterprise_ids).any())

    def reporting(self, period: Period) -> list[int]:
        """Enterprises with a figure for the period."""
        return self.derive_arrays(period)[0].tolist()

    def above_scale_all(self, period: Period) -> pd.Series:
        """Each enterprise's 规上 flag as reported with its latest row up to the period's end (a
        row reported without one carries the register's), as a boolean Series by enterprise_id."""
        spans = self.year(period.year)
        if spans is None:
            return pd.Series(dtype="boolean")
        pos, ends, flags = spans.flags_through(period.last)
        if len(self._register_scale):
            register = self._register_by_position(spans)
            flags = np.where(np.isnan(flags), register[pos], flags)
        known = ~np.isnan(flags)
        pos, ends, flags = pos[known], ends[known], flags[known]
        order = np.lexsort((flags, ends, pos))  # by enterprise, then month, then the flag (True last)
        pos, flags = pos[order], flags[order]
        latest = np.r_[pos[1:] != pos[:-1], True] if len(pos) else np.zeros(0, dtype=bool)
        return pd.Series(flags[latest] == 1, index=spans.ids[pos[latest]], dtype="boolean")

    def _register_by_position(self, spans: YearSpans) -> np.ndarray:
        """The register's 规上 flag (1/0/NaN) of each enterprise of `spans`, by its position there."""
        found = self._register_flags.get(spans.year)
        if found is None:
            found = self._register_flags[spans.year] = self._register_scale.reindex(spans.ids).astype(
                "Float64").to_numpy(dtype=float, na_value=np.nan)
        return found

