"""What importing a file would change, before anything is stored.

For every period in the file: enterprises new / changed / unchanged / missing compared with what
is stored, the town total and each sector's total before and after, and the enterprises whose
figure moved by more than a set multiple (a likely unit slip, 元 written as 万元; for an
electricity sheet, 千瓦时 written as 万千瓦时, judged the same way), and, where
electricity is stored for the same months, the enterprises whose output growth in the file and
electricity growth diverge (以电核产: a thing to check, not a refusal).
`list_confirmations` is what a person must confirm before such a file is stored: the page and the
command line both ask for exactly these.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy.engine import Engine

from . import store
from .compute.electricity import (
    DEFAULT_DIVERGENCE_POINTS,
    compute_electricity_figures,
    electricity_ledger,
    find_divergences,
)
from .compute.metrics import Ledger, compute_growth
from .domain import labels
from .domain.evaluation import FIGURES
from .domain.numbers import format_amount, format_number, format_rate, is_missing
from .domain.periods import Period
from .domain.sectors import SECTOR_ORDER
from .domain.units import STORED_POWER_UNIT, STORED_UNIT
from .importing import known_towns, read_and_clean
from .ingest.clean import CleanResult
from .ingest.errors import Problem
from .ingest.layout import SheetReport
from .output.text import describe_warning
from .settings import DEFAULT_SLIP_RATIO, DEFAULT_SWING

# A single month m (m >= 3) within this fraction of the enterprise's estimated 1-m月 year to date,
# and at least YTD_RISE times its month before, is likely a 1-m月 figure typed as the month. A month
# less than double the one before never trips it (that is at most a swing); a true year to date is
# about m times a month, so at least three times from March on.
YTD_CLOSENESS = 0.10
YTD_RISE = 2.0


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
    sectors: pd.DataFrame | None = None  # sector, before, after, yoy_before, yoy_after
    # per enterprise of the file: name, value, prior (same months last year), yoy, previous (the
    # period before), mom, ytd_estimate (a single month m >= 3: its stored months 1..m-1 plus the
    # month before again, an estimate of its 1-m月; else NaN), flagged (a swing beyond the
    # setting); flagged rows first
    comparisons: pd.DataFrame | None = None
    yoy_before: float | None = None  # the town's 同比 on the comparable basis, before and after
    yoy_after: float | None = None
    # 以电核产: the file's enterprises whose output 同比 here and stored electricity 同比 of the same
    # months diverge (electricity.find_divergences); None when no stored electricity covers the span
    divergences: pd.DataFrame | None = None

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
    unit: str = STORED_UNIT  # 万元 (output), or STORED_POWER_UNIT for an electricity figure

    @property
    def ratio(self) -> float:
        return self.value / self.reference


@dataclass
class TownPart:
    """What importing the file would change in one town (a county file has one per town)."""
    town: str
    new_town: bool  # not in the database yet: the import creates it
    status: str  # "new" (would store), "unchanged"
    spans: list[SpanChange]
    suspicious: list[Suspicious]
    replaced: list[str]  # periods whose stored rows would be replaced
    cleaned: CleanResult  # this town's part of the file

    @property
    def enterprises(self) -> int:
        """The enterprises with figures in this town's part."""
        return int(self.cleaned.output["name_key"].nunique())


@dataclass
class Preview:
    file: str
    status: str  # "new" (would store), "unchanged" (identical to what is stored)
    rows: int
    sheets: list[SheetReport]
    warnings: list[Problem]
    parts: list[TownPart]  # the towns the file goes to, in the order it names them
    town: str  # the town the preview was made for (the page's); a commit from another is refused
    versions: dict[str, int]  # each town's data version the preview was made against
    cleaned: CleanResult
    sha256: str
    outcome: store.ImportOutcome | None = None  # the import's plan (a dry run, status "dry_run")
    divergence_points: float = DEFAULT_DIVERGENCE_POINTS  # [electricity]: what SpanChange.divergences judged by

    @property
    def spans(self) -> list[SpanChange]:
        return [s for p in self.parts for s in p.spans]

    @property
    def suspicious(self) -> list[Suspicious]:
        return [s for p in self.parts for s in p.suspicious]

    @property
    def replaced(self) -> list[str]:
        if len(self.parts) == 1:
            return self.parts[0].replaced
        return [f"{p.town}{r}" for p in self.parts for r in p.replaced]

    @property
    def version(self) -> int:
        return self.versions.get(self.town, 0)

    @property
    def elsewhere(self) -> bool:
        """True when the rows go to another town than the one shown, or to several."""
        return [p.town for p in self.parts] != [self.town]

    @property
    def new_towns(self) -> list[str]:
        return [p.town for p in self.parts if p.new_town]


@dataclass(frozen=True)
class Confirmation:
    """A figure of a file that a person must confirm before the file is stored (amounts in `unit`)."""

    kind: str  # a key of labels.CONFIRM_KINDS: "year_to_date", "unit_slip", "power_unit_slip" or "swing"
    enterprise: str
    period: str  # the figure's period, as staff write it (2024年3月)
    value: float
    reference: float | None  # what the figure is compared with
    reference_label: str  # the reference's period (2024年2月; 2024年1-3月（估算）)
    why: str  # in Chinese
    unit: str = STORED_UNIT  # 万元 (output); STORED_POWER_UNIT (万千瓦时) for "power_unit_slip"

    def describe(self) -> str:
        """One line in Chinese: enterprise, period, value, reference (each in its unit), why."""
        return labels.CONFIRM_LINE.format(enterprise=self.enterprise, period=self.period,
                                          value=format_amount(self.value, self.unit),
                                          reference_label=self.reference_label,
                                          reference=format_amount(self.reference, self.unit), why=self.why)


def list_confirmations(preview: Preview) -> list[Confirmation]:
    """What a person must confirm before the previewed file is stored, grouped by kind in the order
    of labels.CONFIRM_KINDS: a single month that looks like its 1-N月 year to date (YTD_CLOSENESS,
    YTD_RISE), a likely unit slip (Preview.suspicious), a 同比 or 环比 swing beyond [import]
    preview_swing (SpanChange.comparisons.flagged); and an electricity figure that is a likely unit
    slip (千瓦时 written as 万千瓦时, Preview.suspicious in 万千瓦时). An output figure is listed once,
    under the first of these it meets. Only figures the import would store anew or change are asked
    about (one equal to what is stored for its period was confirmed then); empty when the file would
    change nothing."""
    if preview.status == "unchanged":
        return []
    fresh = {(name, change.period.label()) for change in preview.spans
             for name in [*change.new, *(n for n, _, _ in change.changed)]}
    found: dict[tuple[str, str], Confirmation] = {}
    candidates = [*_typed_year_to_date(preview.spans),
                  *(Confirmation("unit_slip", s.name, s.period, s.value, s.reference, s.reference_label,
                                 labels.CONFIRM_UNIT_SLIP.format(reference=s.reference_label,
                                                                 ratio=_format_ratio(s.ratio)))
                    for s in preview.suspicious if s.unit == STORED_UNIT),
                  *_swings(preview.spans)]
    for item in candidates:
        if (item.enterprise, item.period) in fresh:
            found.setdefault((item.enterprise, item.period), item)
    # An enterprise's electricity of a month is a figure of its own beside its output of that month,
    # so it is never folded into the output's; _power_slips kept only the figures stored anew or changed.
    power = [Confirmation("power_unit_slip", s.name, s.period, s.value, s.reference, s.reference_label,
                          labels.CONFIRM_POWER_UNIT_SLIP.format(
                              reference=s.reference_label, ratio=_format_ratio(s.ratio),
                              cause=labels.POWER_SLIP_TOO_LARGE if s.ratio > 1 else labels.POWER_SLIP_TOO_SMALL),
                          STORED_POWER_UNIT)
             for s in preview.suspicious if s.unit == STORED_POWER_UNIT]
    return [*found.values(), *power]


def group_confirmations(items: list[Confirmation]) -> list[tuple[str, list[Confirmation]]]:
    """(the kind's words, its items) for each kind with items, in the order of labels.CONFIRM_KINDS."""
    groups = [(word, [i for i in items if i.kind == kind]) for kind, word in labels.CONFIRM_KINDS.items()]
    return [(word, group) for word, group in groups if group]


def count_confirmations(items: list[Confirmation]) -> str:
    """How many of each kind, for a heading: 可能填错单位（元、千元、万元） 2 个、同比或环比波动大 1 个."""
    return "、".join(f"{word} {len(group)} 个" for word, group in group_confirmations(items))


def describe_divergences(preview: Preview) -> list[str]:
    """以电核产 in the preview, for the command line: for each period of the file whose months stored
    electricity covers, the enterprises whose output and electricity growth diverge, one line each
    with the figures as 预警 writes them; empty when none (or no electricity covers the file)."""
    lines = []
    for change in preview.spans:
        if change.divergences is None or change.divergences.empty:
            continue
        lines.append(labels.PREVIEW_DIVERGENCE.format(n=len(change.divergences), period=change.period.label(),
                                                      points=preview.divergence_points))
        lines += [f"  - {r.name}：{describe_warning('divergence', r.output_yoy, power=r.power_yoy)}"
                  for r in change.divergences.itertuples()]
    return lines


def _typed_year_to_date(spans: list[SpanChange]):
    for change in spans:
        if change.comparisons is None:
            continue
        month = change.period.last
        for row in change.comparisons.itertuples(index=False):
            estimate, before = row.ytd_estimate, row.previous
            if is_missing(estimate) or is_missing(before) or before <= 0 or estimate <= 0:
                continue
            if abs(row.value - estimate) <= YTD_CLOSENESS * estimate and row.value >= YTD_RISE * before:
                ytd = Period.ytd(change.period.year, month)
                yield Confirmation("year_to_date", row.name, change.period.label(), float(row.value),
                                   float(estimate), labels.CONFIRM_ESTIMATED.format(period=ytd.label()),
                                   labels.CONFIRM_YEAR_TO_DATE.format(
                                       rise=format_number(row.value / before, 1), span=ytd.label_in_year(),
                                       closeness=YTD_CLOSENESS))


def _swings(spans: list[SpanChange]):
    for change in spans:
        if change.comparisons is None:
            continue
        last_year, previous = change.period.shifted_year(-1), change.period.previous()
        for row in change.comparisons[change.comparisons.flagged].itertuples(index=False):
            rates = [(labels.YOY, row.yoy, row.prior, last_year), (labels.MOM, row.mom, row.previous, previous)]
            known = [r for r in rates if r[1] is not None and not is_missing(r[1])]
            _, _, reference, period = max(known, key=lambda r: abs(r[1]))
            yield Confirmation("swing", row.name, change.period.label(), float(row.value), float(reference),
                               period.label(), "、".join(f"{word} {format_rate(rate)}" for word, rate, _, _ in known))


def _format_ratio(ratio: float) -> str:
    """A multiple as a person reads it: 10909.1, 0.001."""
    return format_number(ratio, 1) if ratio >= 1 else f"{ratio:.3g}"


def preview_bytes(engine: Engine, data: bytes, file_name: str, *, period: Period | None = None,
                  operator: store.Operator,
                  slip_ratio: float = DEFAULT_SLIP_RATIO, swing: float = DEFAULT_SWING,
                  divergence_points: float = DEFAULT_DIVERGENCE_POINTS) -> Preview:
    """Everything a person needs to decide whether to import, for the engine's town and `operator`
    (county staff see each town's part of a county file).
    Raises ImportRefused like an import."""
    town = store.town_of(engine)
    known = known_towns(engine)
    cleaned = read_and_clean(data, file_name, period, known)
    # Read before the dry run, so a change made after it shows at the commit (store.DataChanged).
    versions = town_versions(engine, [town, *cleaned.towns.towns])
    sha = hashlib.sha256(data).hexdigest()
    # A dry run plans the whole import (consistency checks included) in a read transaction: it
    # writes nothing and never waits for another's import.
    outcome = store.store_cleaned(engine, cleaned, sha, len(data), dry_run=True, operator=operator)
    parts = []
    for part in outcome.parts or [outcome]:
        town_engine = store.for_town(engine, part.town)
        spans, suspicious = _compare(town_engine, part.cleaned, slip_ratio, swing, divergence_points)
        suspicious += _power_slips(town_engine, part.electricity, slip_ratio)
        parts.append(TownPart(part.town, part.new_town, "new" if part.changed else "unchanged",
                              spans, suspicious, part.replaced, part.cleaned))
    status = "new" if any(p.status == "new" for p in parts) else "unchanged"
    return Preview(cleaned.file, status, cleaned.row_count, cleaned.sheets, cleaned.warnings, parts, town,
                   {t: versions.get(t, 0) for t in dict.fromkeys([town, *(p.town for p in parts)])}, cleaned, sha,
                   outcome, divergence_points)


def town_versions(engine: Engine, towns) -> dict[str, int]:
    """Each town's data version (store.data_version), a town not in the database at 0."""
    return {t: store.data_version(store.for_town(engine, t)) for t in dict.fromkeys(towns)}


def _compare(engine: Engine, cleaned: CleanResult, slip_ratio: float, swing: float = DEFAULT_SWING,
             divergence_points: float = DEFAULT_DIVERGENCE_POINTS):
    out = cleaned.output
    if out.empty:
        return [], []
    years = sorted(set(out.year.astype(int)))
    stored = store.load_observations(engine, sorted({y - 1 for y in years} | set(years)))
    ledger = Ledger(stored)
    power = electricity_ledger(store.load_electricity(engine, sorted({y - 1 for y in years} | set(years))))
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
        compared = []
        for row in rows.itertuples(index=False):
            eid = ids.get(row.name_key)
            sector = row.sector or (register.loc[eid, "sector"] if eid in register.index else "other")
            prior = _known_value(ledger, eid, span.shifted_year(-1), row.prior_10k)
            previous = _known_value(ledger, eid, span.previous())
            after_sectors.append((sector, row.value_10k, prior))
            compared.append((row.name, sector, row.value_10k, prior, previous,
                             _estimated_year_to_date(ledger, eid, span, previous), eid))
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
        after = pd.DataFrame(after_sectors, columns=["sector", "value", "prior"])
        was = pd.DataFrame([(s_, v, _known_value(ledger, e, span.shifted_year(-1), p))
                            for e, s_, v, p in zip(before.enterprise_id, before.sector, before.value_10k,
                                                   before.prior_10k)], columns=["sector", "value", "prior"])
        change.sectors = pd.DataFrame({
            "sector": list(SECTOR_ORDER),
            "before": [float(was[was.sector == s_].value.sum()) for s_ in SECTOR_ORDER],
            "after": [float(after[after.sector == s_].value.sum()) for s_ in SECTOR_ORDER],
            "yoy_before": [_growth(was[was.sector == s_]) for s_ in SECTOR_ORDER],
            "yoy_after": [_growth(after[after.sector == s_]) for s_ in SECTOR_ORDER]})
        change.yoy_before = _growth(was) if len(was) else None
        change.yoy_after = _growth(after)
        change.comparisons = _comparisons(compared, swing)
        change.divergences = _divergences(power, span, change.comparisons, divergence_points)
        spans.append(change)
    return spans, suspicious


def _power_slips(engine: Engine, rows: pd.DataFrame | None, slip_ratio: float) -> list[Suspicious]:
    """The file's electricity figures (rows as the import files them, store.ImportOutcome.electricity)
    that look like a unit slip against the enterprise's stored electricity, judged exactly as an
    output figure is (_unit_slip over the electricity ledger), in 万千瓦时. A figure equal to the one
    stored for its span is left out: it was confirmed when it was stored."""
    if rows is None or rows.empty:
        return []
    years = sorted({int(y) for y in rows.year})
    stored = store.load_electricity(engine, sorted({y - 1 for y in years} | set(years)))
    ledger = electricity_ledger(stored)
    kept = {(int(e), int(y), int(a), int(b)): float(v) for e, y, a, b, v in zip(
        stored.enterprise_id, stored.year, stored.first_month, stored.last_month, stored.value_10k_kwh)}
    names = dict(zip(stored.enterprise_id.astype("int64"), stored.name))
    found = []
    for row in rows.itertuples(index=False):
        eid, value = int(row.enterprise_id), float(row.value_10k_kwh)
        span = Period(int(row.year), int(row.first_month), int(row.last_month))
        before = kept.get((eid, span.year, span.first, span.last))
        if before is not None and abs(before - value) <= 1e-9:
            continue
        slip = _unit_slip(ledger, eid, span, value, slip_ratio)
        if slip:
            # A row by 户号 alone names no enterprise: the register's name (it has stored electricity).
            name = row.name if not is_missing(row.name) else names[eid]
            found.append(Suspicious(name, span.label(), value, *slip, unit=STORED_POWER_UNIT))
    return found


def _known_value(ledger: Ledger, eid: int | None, period: Period | None, given=None) -> float | None:
    """An enterprise's figure for `period`: `given` (a sheet's own 上年同期) when there is one,
    else its stored rows; None when unknown."""
    if not is_missing(given):
        return float(given)
    if eid is None or period is None:
        return None
    known = ledger.derive(eid, period)
    return None if known is None else known.value


def _growth(frame: pd.DataFrame) -> float | None:
    """同比 of the rows whose prior is known (the comparable basis)."""
    known = frame[frame.prior.notna()]
    return compute_growth(float(known.value.sum()), float(known.prior.sum())) if len(known) else None


def _divergences(power: Ledger, span: Period, comparisons: pd.DataFrame, points: float) -> pd.DataFrame | None:
    """The file's enterprises (those of the register) whose output 同比 in the file and stored
    electricity 同比 over the span diverge by `points` 百分点 or more; None when no stored
    electricity covers the span."""
    if power.year(span.year) is None:
        return None
    figures = compute_electricity_figures(power, span)
    if figures.empty:
        return None
    known = comparisons[comparisons.enterprise_id.notna()]
    output = pd.DataFrame({"enterprise_id": known.enterprise_id.astype("int64").to_numpy(),
                           "name": known.name.to_numpy(), "sector": known.sector.to_numpy(),
                           "yoy": pd.to_numeric(known.yoy, errors="coerce").to_numpy(dtype=float)})
    return find_divergences(output, figures, points)


def _comparisons(compared: list[tuple], swing: float) -> pd.DataFrame:
    frame = pd.DataFrame(compared, columns=["name", "sector", "value", "prior", "previous", "ytd_estimate",
                                            "enterprise_id"])
    frame["yoy"] = [compute_growth(v, p) for v, p in zip(frame.value, frame.prior)]
    frame["mom"] = [compute_growth(v, p) for v, p in zip(frame.value, frame.previous)]
    frame["flagged"] = [any(r is not None and abs(r) >= swing for r in (y, m))
                        for y, m in zip(frame.yoy, frame.mom)]
    size = [max((abs(r) for r in (y, m) if r is not None), default=0.0) for y, m in zip(frame.yoy, frame.mom)]
    return (frame.assign(_size=size).sort_values(["flagged", "_size", "name"], ascending=[False, False, True])
            .drop(columns="_size").reset_index(drop=True))


def _estimated_year_to_date(ledger: Ledger, eid: int | None, span: Period, previous: float | None) -> float | None:
    """For a single month m >= 3: the enterprise's stored 1-(m-1)月 plus its month m-1 again (month
    m estimated as the one before), what its 1-m月 would about be; None for other spans or unknowns."""
    if eid is None or span.months != 1 or span.last < 3 or previous is None:
        return None
    through = ledger.derive(eid, Period.ytd(span.year, span.last - 1))
    return None if through is None else through.value + previous


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



def evaluation_table(cleaned: CleanResult) -> pd.DataFrame:
    """What an evaluation sheet holds, as the preview shows it: one row per enterprise and year with
    its 是否规上 and every figure in its stored unit (NaN where the sheet left it blank), headed as
    the county's sheet heads them."""
    rows = cleaned.evaluation
    above = {True: "是", False: "否"}
    return pd.DataFrame({
        "年度": rows.year.astype("int64"), "企业": rows.name,
        "是否规上": [above.get(v, "—") if not is_missing(v) else "—" for v in rows.above_scale],
        **{labels.EVALUATION_FIGURES[f]: rows[f].astype(float) for f in FIGURES},
        "投产日期": rows.production_start.astype(object).where(rows.production_start.notna(), "—"),
    })


def electricity_summary(cleaned: CleanResult) -> pd.DataFrame:
    """What an electricity sheet holds, per span: 期间, 企业（户）, 用电量合计（万千瓦时）, in order of span."""
    rows = cleaned.electricity
    if rows.empty:
        return pd.DataFrame(columns=["期间", "企业（户）", "用电量合计（万千瓦时）"])
    # An enterprise by its name, else by its 户号 (a 户号-only row names none)
    who = rows.name_key.astype(object).where(rows.name_key.notna(), "户号:" + rows.account.astype(str))
    keyed = rows.assign(who=who)
    grouped = keyed.groupby(["year", "first_month", "last_month"], sort=True).agg(
        n=("who", "nunique"), total=("value_10k_kwh", "sum")).reset_index()
    return pd.DataFrame({"期间": [Period(int(y), int(a), int(b)).label() for y, a, b in
                                  zip(grouped.year, grouped.first_month, grouped.last_month)],
                         "企业（户）": grouped.n.astype("int64"),
                         "用电量合计（万千瓦时）": grouped.total.astype(float)})
