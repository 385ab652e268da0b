"""Reading stored data for the metrics and the pages: active rows. Each is the engine's town's
only (store.for_town gives an engine of another town): scope.py limits every statement, so no
query here names a town."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import (
    and_,
    case,
    func,
    select,
)
from sqlalchemy.engine import Connection, Engine

from ..domain.evaluation import FIGURES
from .schema import (
    PROJECT_VALUES,
    electricity,
    enterprise_aliases,
    enterprise_targets,
    enterprises,
    evaluation_figures,
    imports,
    observations,
    original_files,
    peer_figures,
    project_progress,
    projects,
    target_actuals,
    targets,
)


def load_observations(engine: Engine, years: list[int] | None = None) -> pd.DataFrame:
    """Active observations with their enterprise: one row per enterprise per stored span.

    Columns: enterprise_id, name, credit_code, sector (the register's), above_scale (as reported
    with the row, else the register's), contact, year, first_month, last_month, value_10k,
    prior_10k (the sheet's own 上年同期, NaN when it had none).
    """
    o, e = observations.c, enterprises.c
    query = select(
        o.enterprise_id, e.name, e.credit_code, e.sector,
        func.coalesce(o.above_scale, e.above_scale).label("above_scale"), e.contact,
        o.year, o.first_month, o.last_month, o.value_10k, o.prior_10k,
    ).join_from(observations, enterprises, o.enterprise_id == e.id).where(
        o.replaced_by.is_(None))
    if years is not None:
        query = query.where(o.year.in_(years))
    with engine.connect() as conn:
        return driver_frame(conn, query, ["enterprise_id", "name", "credit_code", "sector", "above_scale", "contact",
                                          "year", "first_month", "last_month", "value_10k", "prior_10k"])


def driver_frame(conn: Connection, query, columns: list[str]) -> pd.DataFrame:
    """The rows of `query` as a frame built from the driver's own tuples (a SQLAlchemy Row each,
    and pandas probing them, costs more than the read): prior_10k as float (NaN for none),
    above_scale as a nullable boolean, where the query has them."""
    frame = pd.DataFrame.from_records(conn.execute(query).cursor.fetchall(), columns=columns)
    if "prior_10k" in frame:
        frame["prior_10k"] = frame["prior_10k"].astype(float)
    if "above_scale" in frame:
        frame["above_scale"] = frame["above_scale"].astype("boolean")
    return frame


def load_year_spans(engine: Engine, year: int) -> pd.DataFrame:
    """One year's active observations without their enterprises, for the ledger: enterprise_id,
    first_month, last_month, value_10k, prior_10k (NaN when none), above_scale (the flag reported
    with the row; <NA> when none: the register's then applies)."""
    o = observations.c
    query = select(o.enterprise_id, o.first_month, o.last_month, o.value_10k, o.prior_10k, o.above_scale).where(
        o.year == year, o.replaced_by.is_(None))
    with engine.connect() as conn:
        # The driver's own tuples, turned into columns at once: building a Row per observation, or
        # a frame from records, costs more than the read (a county's year has 100,000 rows).
        rows = conn.execute(query).cursor.fetchall()
    table = np.array(rows, dtype=object).reshape(len(rows), 6)
    prior, scale = table[:, 4], table[:, 5]
    no_prior, no_scale = _is_none(prior), _is_none(scale)
    return pd.DataFrame({
        "enterprise_id": table[:, 0].astype(np.int64), "first_month": table[:, 1].astype(np.int64),
        "last_month": table[:, 2].astype(np.int64), "value_10k": table[:, 3].astype(float),
        "prior_10k": np.where(no_prior, np.nan, prior).astype(float),
        "above_scale": pd.arrays.BooleanArray(np.where(no_scale, False, scale).astype(bool), no_scale)})


def load_annual_spans(engine: Engine) -> pd.DataFrame:
    """Each year's stored spans summed per enterprise, in one aggregate query (the cockpit's
    trend of several years reads this, never every year's rows): year, enterprise_id, year_last
    (the last month any enterprise of the year reports), first_month (the enterprise's earliest),
    last_month (its latest), months (its spans' lengths summed), rows, value_10k and prior_10k
    (summed over its rows; prior NaN when no row has one), priors (rows with a 上年同期),
    ytd_value_10k / ytd_prior_10k (its row 1..year_last; NaN when it has none) and
    prior_above_zero (any row with a 上年同期 above 0)."""
    o = observations.c
    active = o.replaced_by.is_(None)
    ends = select(o.year, func.max(o.last_month).label("year_last")).where(active).group_by(o.year).subquery()
    whole = (o.first_month == 1) & (o.last_month == ends.c.year_last)
    query = select(
        o.year, o.enterprise_id, ends.c.year_last, func.min(o.first_month), func.max(o.last_month),
        func.sum(o.last_month - o.first_month + 1), func.count(), func.sum(o.value_10k), func.sum(o.prior_10k),
        func.count(o.prior_10k),
        func.sum(case((whole, o.value_10k))), func.sum(case((whole, o.prior_10k))),
        func.count(case((whole, 1))), func.max(case((o.prior_10k > 0, 1), else_=0)),
    ).join_from(observations, ends, o.year == ends.c.year).where(active).group_by(
        o.year, o.enterprise_id, ends.c.year_last)
    columns = ["year", "enterprise_id", "year_last", "first_month", "last_month", "months", "rows", "value_10k",
               "prior_10k", "priors", "ytd_value_10k", "ytd_prior_10k", "ytd_rows", "prior_above_zero"]
    with engine.connect() as conn:
        frame = pd.DataFrame.from_records(conn.execute(query).cursor.fetchall(), columns=columns)
    for column in ("value_10k", "prior_10k", "ytd_value_10k", "ytd_prior_10k"):
        frame[column] = frame[column].astype(float)
    frame["prior_above_zero"] = frame["prior_above_zero"].astype(bool)
    return frame


def _is_none(column: np.ndarray) -> np.ndarray:
    return np.fromiter((v is None for v in column), dtype=bool, count=len(column))


def observation_years(engine: Engine) -> list[int]:
    """The years with stored figures, ascending."""
    with engine.connect() as conn:
        return [int(y) for y in conn.execute(select(observations.c.year).where(
            observations.c.replaced_by.is_(None))
            .distinct().order_by(observations.c.year)).scalars()]


def load_register(engine: Engine) -> pd.DataFrame:
    """The enterprise register indexed by id: name, credit_code, sector, contact, above_scale,
    land_mu (用地面积 in 亩, NaN when unknown), power_account (电力户号, None when unknown)."""
    e = enterprises.c
    query = select(e.id, e.name, e.credit_code, e.sector, e.contact, e.above_scale, e.land_mu, e.power_account)
    with engine.connect() as conn:
        frame = driver_frame(conn, query, ["enterprise_id", "name", "credit_code", "sector", "contact", "above_scale",
                                           "land_mu", "power_account"])
    frame["land_mu"] = frame["land_mu"].astype(float)
    return frame.set_index("enterprise_id")


EVALUATION_COLUMNS = ["enterprise_id", "name", "credit_code", "sector", "above_scale", "above_scale_assumed",
                      *FIGURES, "production_start", "note"]


def load_evaluation(engine: Engine, year: int) -> pd.DataFrame:
    """The year's stored 亩均评价 data, one row per enterprise (EVALUATION_COLUMNS): name,
    credit_code and sector from the register; above_scale the sheet's 是否规上, else the register's,
    else False (above_scale_assumed True: neither gives one, and the import said so); the figures
    of domain.evaluation.FIGURES as float in their canonical units (亩, 万元, 吨标准煤, 吨, 人,
    万千瓦时), NaN where the sheet left them blank; production_start a date (the sheet's 投产日期)
    or None; note the 备注 (NaN when none). Empty, with these columns, when the year has none."""
    f, e = evaluation_figures.c, enterprises.c
    query = select(
        f.enterprise_id, e.name, e.credit_code, e.sector,
        func.coalesce(f.above_scale, e.above_scale, False).label("above_scale"),
        case((and_(f.above_scale.is_(None), e.above_scale.is_(None)), True), else_=False).label("above_scale_assumed"),
        *(f[name] for name in FIGURES), f.production_start, f.note,
    ).join_from(evaluation_figures, enterprises, f.enterprise_id == e.id).where(
        f.year == year, f.replaced_by.is_(None)).order_by(f.id)
    with engine.connect() as conn:
        frame = pd.DataFrame.from_records(conn.execute(query).cursor.fetchall(), columns=EVALUATION_COLUMNS)
    frame["enterprise_id"] = frame["enterprise_id"].astype("int64")
    frame["above_scale"] = frame["above_scale"].astype(bool)
    frame["above_scale_assumed"] = frame["above_scale_assumed"].astype(bool)
    for name in FIGURES:
        frame[name] = frame[name].astype(float)
    frame["production_start"] = pd.Series([dt.date.fromisoformat(v) if isinstance(v, str) else None
                                           for v in frame["production_start"]], index=frame.index, dtype=object)
    frame["note"] = pd.Series([v if isinstance(v, str) else np.nan for v in frame["note"]], index=frame.index,
                              dtype=object)
    return frame


def evaluation_years(engine: Engine) -> list[int]:
    """The years with stored 亩均评价 data, ascending."""
    f = evaluation_figures.c
    with engine.connect() as conn:
        return [int(y) for y in conn.execute(select(f.year).where(f.replaced_by.is_(None))
                                             .distinct().order_by(f.year)).scalars()]


def load_first_reports(engine: Engine) -> pd.DataFrame:
    """Each enterprise's first output report: enterprise_id, year, month (the first month of its
    earliest stored output span), for 投产首年 in the evaluation."""
    o = observations.c
    query = select(o.enterprise_id, o.year, o.first_month).where(o.replaced_by.is_(None))
    with engine.connect() as conn:
        frame = pd.DataFrame.from_records(conn.execute(query).cursor.fetchall(),
                                          columns=["enterprise_id", "year", "month"])
    frame = frame.astype("int64").sort_values(["enterprise_id", "year", "month"])
    return frame.drop_duplicates("enterprise_id").reset_index(drop=True)


ELECTRICITY_COLUMNS = ["enterprise_id", "name", "sector", "above_scale", "year", "first_month", "last_month",
                       "value_10k_kwh", "prior_10k_kwh"]


def load_electricity(engine: Engine, years: list[int] | None = None) -> pd.DataFrame:
    """Stored electricity spans with their enterprise, like load_observations for power:
    ELECTRICITY_COLUMNS, one row per enterprise per stored span as the sheets gave them (months and
    1-N月 alike), value_10k_kwh in 万千瓦时, prior_10k_kwh the sheet's own 上年同期 (NaN when none);
    sector and above_scale the register's."""
    p, e = electricity.c, enterprises.c
    query = select(p.enterprise_id, e.name, e.sector, e.above_scale, p.year, p.first_month, p.last_month,
                   p.value_10k_kwh, p.prior_10k_kwh).join_from(electricity, enterprises,
                                                               p.enterprise_id == e.id).where(p.replaced_by.is_(None))
    if years is not None:
        query = query.where(p.year.in_(years))
    with engine.connect() as conn:
        frame = driver_frame(conn, query, ELECTRICITY_COLUMNS)
    return frame.astype({"value_10k_kwh": float, "prior_10k_kwh": float})


def electricity_years(engine: Engine) -> list[int]:
    """The years with stored electricity, ascending."""
    p = electricity.c
    with engine.connect() as conn:
        return [int(y) for y in conn.execute(select(p.year).where(p.replaced_by.is_(None))
                                             .distinct().order_by(p.year)).scalars()]


def load_targets(engine: Engine, year: int) -> tuple[dict[str, float], pd.DataFrame]:
    """The year's targets {indicator: target} and entered actuals (indicator, last_month, actual)."""
    with engine.connect() as conn:
        goal = dict(conn.execute(select(targets.c.indicator, targets.c.target).where(
            targets.c.year == year, targets.c.replaced_by.is_(None))).all())
        actual = conn.execute(select(target_actuals.c.indicator, target_actuals.c.last_month,
                                     target_actuals.c.actual).where(
            target_actuals.c.year == year,
            target_actuals.c.replaced_by.is_(None))).all()
    return goal, pd.DataFrame(actual, columns=["indicator", "last_month", "actual"])


def load_enterprise_targets(engine: Engine, year: int) -> dict[int, float]:
    """{enterprise id: annual output target in 万元} for the year."""
    with engine.connect() as conn:
        return dict(conn.execute(select(enterprise_targets.c.enterprise_id, enterprise_targets.c.target_10k)
                                 .where(enterprise_targets.c.year == year,
                                        enterprise_targets.c.replaced_by.is_(None))).all())


def load_peer_figures(engine: Engine, year: int, last_month: int) -> pd.DataFrame:
    """Peer towns' figures the engine's town entered for the year through `last_month`: town,
    indicator, value, and the file each came from with when it was loaded (file_name, imported_at)."""
    p = peer_figures.c
    with engine.connect() as conn:
        rows = conn.execute(select(p.peer, p.indicator, p.value, imports.c.file_name, imports.c.imported_at)
                            .join_from(peer_figures, imports, p.import_id == imports.c.id).where(
            p.year == year, peer_figures.c.last_month == last_month,
            peer_figures.c.replaced_by.is_(None))).all()
    return pd.DataFrame(rows, columns=["town", "indicator", "value", "file_name", "imported_at"])


def load_enterprises(engine: Engine) -> pd.DataFrame:
    """The register, with each enterprise's other spellings in `aliases` (a list)."""
    with engine.connect() as conn:
        rows = conn.execute(select(enterprises)).all()
        names = conn.execute(select(enterprise_aliases.c.enterprise_id, enterprise_aliases.c.alias)).all()
    frame = pd.DataFrame(rows, columns=[c.name for c in enterprises.columns])
    by_id: dict[int, list[str]] = {}
    for eid, key in names:
        by_id.setdefault(eid, []).append(key)
    frame["aliases"] = [by_id.get(i, []) for i in frame.id]
    return frame


def load_projects(engine: Engine, year: int) -> pd.DataFrame:
    """The year's 重点项目 register: one row per project, with its enterprise's name and the
    enterprise's sector where the project states none (columns: PROJECT_VALUES, name_key, year,
    enterprise)."""
    p, e = projects.c, enterprises.c
    query = select(p.year, p.name_key, *(p[c] for c in PROJECT_VALUES if c != "sector"),
                   func.coalesce(p.sector, e.sector).label("sector"), e.name.label("enterprise")
                   ).join_from(projects, enterprises, p.enterprise_id == e.id).where(
        p.year == year, p.replaced_by.is_(None)).order_by(p.id)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    columns = ["year", "name_key", *(c for c in PROJECT_VALUES if c != "sector"), "sector", "enterprise"]
    return pd.DataFrame(rows, columns=columns)


def load_project_progress(engine: Engine, year: int) -> pd.DataFrame:
    """The year's stored progress spans: project_key, first_month, last_month, invested_10k,
    received_10k (NaN where a sheet gave none)."""
    p = project_progress.c
    with engine.connect() as conn:
        rows = conn.execute(select(p.project_key, p.first_month, p.last_month, p.invested_10k, p.received_10k)
                            .where(p.year == year, p.replaced_by.is_(None))).all()
    frame = pd.DataFrame(rows, columns=["project_key", "first_month", "last_month", "invested_10k", "received_10k"])
    return frame.astype({"invested_10k": float, "received_10k": float})


def project_years(engine: Engine) -> list[int]:
    """The years with a 重点项目 register, newest first."""
    with engine.connect() as conn:
        return [int(y) for y in conn.execute(select(projects.c.year).where(
            projects.c.replaced_by.is_(None))
                                             .distinct().order_by(projects.c.year.desc())).scalars()]


def load_original(engine: Engine, sha256: str) -> bytes | None:
    """The original file of one of the town's imports, by its sha256 (None when not kept in the
    database, or when no import of the town brought it)."""
    with engine.connect() as conn:
        return conn.execute(select(original_files.c.data).where(
            original_files.c.sha256 == sha256, original_files.c.sha256.in_(select(imports.c.sha256)))).scalar()
