"""亩均效益评价: each enterprise's indicators, item scores, score, rank and class (A/B/C/D) within its
group (规上, 规下), and its change of class from last year. Pure: a frame of one row per enterprise in,
an Evaluation out; reading the county's sheet and storing results are other modules' work.

The method (settings in domain.evaluation.EvaluationSettings):
- Not rated (no class): no land area (missing or 0); in the first year of production.
- Base of an indicator in a group: over the group's rated enterprises whose own figures score it
  (numerator and denominator known, denominator above 0), the sum of numerators over the sum of
  denominators; or the county's fixed base.
- Item score = weight × min(value / base, cap), at least 0, rounded half up to 0.01 as published. An
  item a rated enterprise's figures cannot score (a figure missing, a denominator of 0) takes the
  group's average item score (of those scored by their own figures), and says so.
- Score = the sum of the item scores as shown (so a scorecard adds up). Rank within the group by
  score, equal scores sharing the better rank (1, 2, 2, 4); A while rank ≤ n×share_A, B ≤ n×share_B,
  C ≤ n×share_C, D after, n the group's rated enterprises, each n×share rounded half up.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..domain import labels
from ..domain.evaluation import (
    ABOVE_SCALE,
    BELOW_SCALE,
    CLASSES,
    FIGURES,
    GROUPS,
    EvaluationSettings,
    is_first_production_year,
)
from ..domain.numbers import count_units, is_missing, round_half_up

SCORE_PLACES = 2  # scores are published with two decimals; ties are judged on them
REQUIRED_COLUMNS = ("name", "credit_code", "above_scale", *FIGURES)

# Why an item is not scored by the enterprise's own figures (labels.EVALUATION_ITEM_AVERAGED).
AVERAGED_MISSING = "missing"
AVERAGED_ZERO = "zero_denominator"
NO_BASE = "no_base"
# Why an enterprise is not rated (labels.EVALUATION_UNRATED_REASONS).
UNRATED_NO_LAND = "no_land"
UNRATED_FIRST_YEAR = "first_year"
# Change of class from last year (labels.EVALUATION_CHANGES).
CHANGE_UP, CHANGE_DOWN, CHANGE_SAME, CHANGE_NEW = "up", "down", "same", "new"


@dataclass(frozen=True)
class Evaluation:
    """One year's evaluation. Frames share `row` (the position of the enterprise in the input).

    Text columns are `str` with NaN where there is nothing to say.

    enterprises: row, name, credit_code, group, rated, unrated_reason (UNRATED_*; NaN when rated),
      score (float, two decimals; NaN when not rated), rank (Int64 within the group, <NA> when not
      rated), grade ("A".."D"; NaN when not rated), last_grade, change (CHANGE_*; NaN when not rated),
      averaged_items (how many items took the group's average).
    items: one row per enterprise and indicator of its group, in the settings' order: row, name,
      credit_code, group, indicator, weight, numerator, denominator (the figures), value (NaN when
      they cannot give one), base, ratio (value / base, capped, at least 0), score (NaN when not
      rated), averaged (AVERAGED_MISSING, AVERAGED_ZERO or NO_BASE; NaN when scored by its own
      figures), note (the Chinese note a scorecard shows; NaN when scored by its own figures).
    bases: one row per group and indicator: group, indicator, weight, base, fixed (from the
      county's notice), counted (enterprises the average is over), numerator_sum, denominator_sum,
      average_score (the group's average item score, given to averaged items).
    """

    year: int
    settings: EvaluationSettings
    enterprises: pd.DataFrame
    items: pd.DataFrame
    bases: pd.DataFrame


def class_limits(n: int, shares: tuple[float, float, float]) -> tuple[int, int, int]:
    """The last rank of A, B and C among `n` rated enterprises: n × each cumulative share, rounded
    half up (四舍五入) to a whole number (n=7: 1.4 → 1, 4.9 → 5, 6.65 → 7)."""
    return tuple(int(round_half_up(n * share, 0)) for share in shares)


def grade_for_rank(rank: int, limits: tuple[int, int, int]) -> str:
    """The class of a rank (1 = highest) given class_limits: A, B, C, else D."""
    for grade, limit in zip(CLASSES, limits):
        if rank <= limit:
            return grade
    return CLASSES[-1]


def compare_grades(grade: str | None, last_grade: str | None) -> str | None:
    """升档/降档/持平 against last year's class, 新评 when last year had none (not in the data, or
    不定); None when not rated this year."""
    if grade is None:
        return None
    if last_grade not in CLASSES:
        return CHANGE_NEW
    now, before = CLASSES.index(grade), CLASSES.index(last_grade)
    return CHANGE_UP if now < before else CHANGE_DOWN if now > before else CHANGE_SAME


def evaluate_enterprises(frame: pd.DataFrame, year: int, settings: EvaluationSettings | None = None,
                         last_year: pd.DataFrame | None = None) -> Evaluation:
    """Rate the enterprises of `frame` for evaluation year `year`.

    `frame`: one row per enterprise with REQUIRED_COLUMNS: name, credit_code (text or missing),
    above_scale (bool: 规上), and the figures land_mu (亩), tax_10k, value_added_10k, rd_10k,
    revenue_10k (万元), energy_tce (吨标准煤), emission_t (吨), staff (人), power_10k_kwh (万千瓦时),
    NaN where missing. Optional: first_year (bool, e.g. its first output report is of `year` after
    January) and production_start (a date, 投产日期); either makes a first-year enterprise unrated.
    `last_year`: last year's Evaluation.enterprises (or any frame with name, credit_code, grade),
    matched by credit code, else by name. Raises ValueError when a required column is absent.
    """
    settings = settings or EvaluationSettings()
    absent = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if absent:
        raise ValueError(f"evaluation frame lacks columns {absent}")
    data = frame.reset_index(drop=True)
    figures = data[list(FIGURES)].apply(pd.to_numeric, errors="coerce").astype(float)
    group = np.where(data["above_scale"].astype(bool), ABOVE_SCALE, BELOW_SCALE)
    reason = _unrated_reasons(data, figures, year)
    rated = np.array([r is None for r in reason], dtype=bool)

    items, bases = [], []
    for g in GROUPS:
        members = group == g
        for indicator in settings.indicators(g):
            item, base = _score_indicator(figures, members, rated, g, indicator, settings)
            items.append(item)
            bases.append(base)
    items = _items_frame(items, data, group, rated)
    enterprises = _rank(data, group, rated, reason, items, settings, last_year)
    return Evaluation(year, settings, enterprises, items, pd.DataFrame(bases, columns=_BASE_COLUMNS))


def _unrated_reasons(data: pd.DataFrame, figures: pd.DataFrame, year: int) -> list[str | None]:
    """Each enterprise's reason not to be rated (UNRATED_*), None when rated. No land comes first: it
    does not pass with the year."""
    land = figures["land_mu"]
    first = (data["first_year"].fillna(False).astype(bool).to_numpy() if "first_year" in data
             else np.zeros(len(data), dtype=bool))
    if "production_start" in data:
        starts = pd.to_datetime(data["production_start"], errors="coerce")
        first = first | np.array([not pd.isna(s) and is_first_production_year(s.date(), year)
                                  for s in starts], dtype=bool)
    return [UNRATED_NO_LAND if not (area > 0) else UNRATED_FIRST_YEAR if is_first else None
            for area, is_first in zip(land, first)]


_BASE_COLUMNS = ["group", "indicator", "weight", "base", "fixed", "counted", "numerator_sum",
                 "denominator_sum", "average_score"]


def _score_indicator(figures, members, rated, group, indicator, settings):
    """The item of one indicator for every member of `group` (a frame) and its base (a dict)."""
    weight = float(settings.weights[group][indicator.code])
    numerator = figures[indicator.numerator].to_numpy()[members]
    denominator = figures[indicator.denominator].to_numpy()[members]
    scored = rated[members]
    known = ~np.isnan(numerator) & ~np.isnan(denominator)
    own = known & (denominator > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(own, numerator / np.where(own, denominator, 1.0), np.nan)
    counted = own & scored
    numerator_sum, denominator_sum = numerator[counted].sum(), denominator[counted].sum()
    fixed = settings.fixed_base(group, indicator.code)
    if fixed is not None:
        base = float(fixed)
    elif counted.any() and numerator_sum > 0:
        base = numerator_sum / denominator_sum
    else:
        base = math.nan  # nothing to compare with: nobody scores on this item
    ratio = np.clip(value / base, 0.0, settings.cap)
    hundredths = count_units(weight * ratio, SCORE_PLACES)
    has_base = not math.isnan(base) and counted.any()
    average = (float(count_units([hundredths[counted].mean()], 0)[0]) if has_base else math.nan)
    averaged = np.where(own, None, np.where(known, AVERAGED_ZERO, AVERAGED_MISSING)).astype(object)
    if not has_base:
        averaged[:] = NO_BASE
        hundredths = np.zeros(len(hundredths))
    else:
        hundredths = np.where(own, hundredths, average)
    averaged[~scored] = None
    hundredths = np.where(scored, hundredths, np.nan)
    item = pd.DataFrame({
        "row": np.flatnonzero(members), "group": group, "indicator": indicator.code, "weight": weight,
        "numerator": numerator, "denominator": denominator, "value": value, "base": base, "ratio": ratio,
        "score": hundredths / 10 ** SCORE_PLACES, "averaged": averaged,
        "note": [_item_note(a, indicator, n, d) for a, n, d in zip(averaged, numerator, denominator)],
    })
    return item, {
        "group": group, "indicator": indicator.code, "weight": weight, "base": base,
        "fixed": fixed is not None, "counted": int(counted.sum()), "numerator_sum": float(numerator_sum),
        "denominator_sum": float(denominator_sum),
        "average_score": average / 10 ** SCORE_PLACES}


def _item_note(averaged, indicator, numerator, denominator) -> str | None:
    """What a scorecard says of an item its own figures did not score."""
    if averaged is None:
        return None
    if averaged == NO_BASE:
        return labels.EVALUATION_ITEM_NO_BASE
    names = labels.EVALUATION_FIGURES
    if averaged == AVERAGED_ZERO:
        return labels.EVALUATION_ITEM_AVERAGED[AVERAGED_ZERO].format(figure=names[indicator.denominator])
    lacking = [names[column] for column, figure in ((indicator.numerator, numerator),
                                                    (indicator.denominator, denominator))
               if is_missing(figure)]
    return labels.EVALUATION_ITEM_AVERAGED[AVERAGED_MISSING].format(figures="、".join(lacking))


def _items_frame(items, data, group, rated) -> pd.DataFrame:
    """The items of every group in one frame, each enterprise's in the settings' order."""
    columns = ["row", "name", "credit_code", "group", "indicator", "weight", "numerator", "denominator",
               "value", "base", "ratio", "score", "averaged", "note"]
    if not items:
        return pd.DataFrame(columns=columns)
    frame = pd.concat(items, ignore_index=True)
    frame["name"] = data["name"].to_numpy()[frame["row"]]
    frame["credit_code"] = data["credit_code"].to_numpy()[frame["row"]]
    for column in ("averaged", "note"):  # text, missing where scored by its own figures
        frame[column] = pd.Series([None if is_missing(v) else v for v in frame[column]], dtype="str")
    frame["order"] = frame.groupby("row").cumcount()
    return frame.sort_values(["row", "order"], kind="stable")[columns].reset_index(drop=True)


def _rank(data, group, rated, reason, items, settings, last_year) -> pd.DataFrame:
    """One row per enterprise: its score, rank and class within its group, and its change."""
    scored = items[items["score"].notna()]
    hundredths = pd.Series(count_units(scored["score"], SCORE_PLACES), index=scored.index)
    totals = hundredths.groupby(scored["row"]).sum()
    averaged_items = scored["averaged"].notna().groupby(scored["row"]).sum()
    n_rows = len(data)
    total = np.full(n_rows, np.nan)
    total[totals.index.to_numpy()] = totals.to_numpy()
    total[rated & np.isnan(total)] = 0.0  # rated in a group without indicators
    rank = np.full(n_rows, -1)
    grade = np.full(n_rows, None, dtype=object)
    for g in GROUPS:
        members = np.flatnonzero((group == g) & rated)
        limits = class_limits(len(members), settings.class_shares)
        for i in members:
            # Equal scores (as shown, in hundredths) share the better rank, so the better class.
            rank[i] = 1 + int((total[members] > total[i]).sum())
            grade[i] = grade_for_rank(rank[i], limits)
    last_grade = _last_grades(data, last_year)
    return pd.DataFrame({
        "row": np.arange(n_rows), "name": data["name"].to_numpy(), "credit_code": data["credit_code"].to_numpy(),
        "group": group, "rated": rated, "unrated_reason": pd.Series(reason, dtype="str"),
        "score": total / 10 ** SCORE_PLACES,
        "rank": pd.Series(rank).where(rank > 0).astype("Int64"),
        "grade": pd.Series(grade, dtype="str"), "last_grade": pd.Series(last_grade, dtype="str"),
        "change": pd.Series([compare_grades(now, before) for now, before in zip(grade, last_grade)],
                            dtype="str"),
        "averaged_items": averaged_items.reindex(np.arange(n_rows), fill_value=0).to_numpy(),
    })


def _key(value) -> str | None:
    """A credit code or a name as matched across years: trimmed, upper case; None when blank."""
    if is_missing(value):
        return None
    text = str(value).strip().upper()
    return text or None


def _last_grades(data: pd.DataFrame, last_year: pd.DataFrame | None) -> list[str | None]:
    """Last year's class of each enterprise: by credit code where both years have one, else by name."""
    if last_year is None or last_year.empty:
        return [None] * len(data)
    by_code = {_key(c): g for c, g in zip(last_year["credit_code"], last_year["grade"]) if _key(c)}
    by_name = {_key(n): g for n, g in zip(last_year["name"], last_year["grade"]) if _key(n)}
    found = []
    for code, name in zip(data["credit_code"], data["name"]):
        grade = by_code.get(_key(code)) if _key(code) in by_code else by_name.get(_key(name))
        found.append(grade if grade in CLASSES else None)
    return found


# Columns of store.load_evaluation the adapter passes on to the enterprises of its Evaluation.
STORED_COLUMNS = ("enterprise_id", "sector", "note", "above_scale_assumed")


def evaluate_stored(rows: pd.DataFrame, first_reports: pd.DataFrame, year: int,
                    settings: EvaluationSettings | None = None,
                    last_rows: pd.DataFrame | None = None) -> Evaluation:
    """Rate the stored evaluation data of `year` (store.load_evaluation: one row per enterprise
    with enterprise_id, name, credit_code, sector, above_scale, the FIGURES, production_start,
    note), each enterprise against last year's class (`last_rows`: load_evaluation of year - 1,
    rated the same way; None or empty when there is none).

    First year of production (not rated): the 投产日期 (production_start) says so, or the
    enterprise's first output report (`first_reports`: enterprise_id, year, month, as
    store.load_first_reports) is of `year` after January, while the town's reports go back to
    January of `year` or earlier (when they start later, a late first report is the start of the
    town's records, not of the enterprise's production).

    The enterprises frame of the result carries enterprise_id, sector, note and above_scale_assumed
    (no 是否规上 in the sheet or the register: rated as 规下) as well.
    """
    frame = _with_first_year(rows, first_reports, year)
    last = None
    if last_rows is not None and not last_rows.empty:
        last = evaluate_enterprises(_with_first_year(last_rows, first_reports, year - 1), year - 1,
                                    settings).enterprises
    result = evaluate_enterprises(frame, year, settings, last)
    enterprises = result.enterprises
    for column in STORED_COLUMNS:
        if column in frame:
            enterprises[column] = frame[column].to_numpy()[enterprises["row"].to_numpy()]
    return result


def _with_first_year(rows: pd.DataFrame, first_reports: pd.DataFrame, year: int) -> pd.DataFrame:
    """`rows` with first_year: the enterprise's first output report is of `year` after January
    (and the town's reports reach back to January of `year`)."""
    frame = rows.reset_index(drop=True).copy()
    first = np.zeros(len(frame), dtype=bool)
    if len(first_reports) and "enterprise_id" in frame:
        reports = first_reports.astype({"year": int, "month": int})
        town_start = min(zip(reports["year"], reports["month"]))
        if town_start <= (year, 1):
            started = {int(e): (y, m) for e, y, m in zip(reports["enterprise_id"], reports["year"], reports["month"])}
            first = np.array([not is_missing(e) and _is_first_report_year(started.get(int(e)), year)
                              for e in frame["enterprise_id"]], dtype=bool)
    frame["first_year"] = first
    return frame


def _is_first_report_year(start: tuple[int, int] | None, year: int) -> bool:
    """A first output report in `year` after January (one after `year` says nothing of `year`: the
    enterprise may not have reported then)."""
    return start is not None and start[0] == year and start[1] > 1


UNRATED = "unrated"  # the column of count_grades for enterprises without a class


def count_grades(evaluation: Evaluation) -> pd.DataFrame:
    """How many enterprises of each group (index: GROUPS, 规上 first) are in each class: columns
    A, B, C, D, UNRATED (not rated) and total; 0 where none."""
    table = evaluation.enterprises
    grade = table["grade"].fillna(UNRATED).astype(object)
    counts = pd.crosstab(table["group"], grade).reindex(index=list(GROUPS), columns=[*CLASSES, UNRATED],
                                                        fill_value=0)
    counts["total"] = counts.sum(axis=1)
    return counts.astype(int)


def list_moves(evaluation: Evaluation) -> pd.DataFrame:
    """The enterprises whose class changed from last year (升档 and 降档), the largest moves first
    (A→D before C→D), then 升档 before 降档, then by name: every column of
    Evaluation.enterprises and steps (classes moved: +2 for C→A, -1 for B→C)."""
    table = evaluation.enterprises
    moved = table[table["change"].isin([CHANGE_UP, CHANGE_DOWN])].copy()
    moved["steps"] = [CLASSES.index(before) - CLASSES.index(now)
                      for now, before in zip(moved["grade"], moved["last_grade"])]
    moved["_size"] = moved["steps"].abs()
    return moved.sort_values(["_size", "steps", "name"], ascending=[False, False, True],
                             kind="stable").drop(columns="_size").reset_index(drop=True)


def load_stored_evaluation(engine, year: int, settings: EvaluationSettings | None = None) -> Evaluation | None:
    """The town's (the engine's) evaluation of `year` from the store (evaluate_stored, against last
    year's stored data); None when the year has no evaluation data."""
    from .. import store

    rows = store.load_evaluation(engine, year)
    if rows.empty:
        return None
    return evaluate_stored(rows, store.load_first_reports(engine), year, settings,
                           last_rows=store.load_evaluation(engine, year - 1))


def latest_evaluation_year(years, year: int) -> int | None:
    """The evaluation a briefing of `year` reports: the latest of `years` (those with evaluation
    data) up to `year` (a county rates 2023 during 2024); None when there is none by then."""
    return max((y for y in years if y <= year), default=None)
