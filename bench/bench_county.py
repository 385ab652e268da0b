"""County scale: what a database of many enterprise-months costs, as ratios against baselines run
in this same process.

    python bench/bench_county.py [--size 360k|1m] [--repeat 3]

The database (3,000 enterprises × 10 years of months ≈ 360,000 enterprise-months; --size 1m:
8,400 enterprises ≈ 1,000,000) is built once through the normal import path, one file a year, and
kept outside the repository ($LAKOU_BENCH_CACHE, default ~/.cache/lakou-bench). Then, best of
`repeat`:

- the year's figures (report.load_year_to_date, 1-6月 of the last year) against the baseline:
  reading the two years they need with the database driver and totalling them with pandas;
- `summary --json` (a fresh process) against the same baseline;
- the first run of 总览 (Streamlit AppTest, empty caches) against the same page on the
  40-enterprise sample.

The aims (issue 13): the year's figures and the summary within 2x of the driver+pandas baseline, a
first page within 2x of a small one.
"""
from __future__ import annotations

import argparse
import io
import logging
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd
from bench_import import best_of  # this script's folder is on sys.path when it runs
from openpyxl import Workbook

from lakou_metrics import importing, store
from lakou_metrics.compute.report import load_year_to_date
from lakou_metrics.domain.periods import Period

SIZES = {"360k": 3_000, "1m": 8_400}  # enterprises; 10 years of 12 months each
YEARS = list(range(2015, 2025))
SECTORS = ["五金", "金属加工", "农产品加工", "光伏", "建材", "其他"]


def cache_dir() -> Path:
    folder = Path(os.environ.get("LAKOU_BENCH_CACHE") or Path.home() / ".cache" / "lakou-bench")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def year_workbook(year: int, enterprises: int) -> bytes:
    """One year of a county's monthly reports: one row per enterprise per month."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(f"{year}年逐月产值")
    ws.append([f"全县工业企业逐月产值（{year}年，基准测试）"])
    ws.append(["年份", "月份", "企业名称", "统一社会信用代码", "所属行业", "是否规上", "产值（万元）"])
    growth = 1 + (year - YEARS[0]) * 0.04
    for month in range(1, 13):
        for e in range(enterprises):
            ws.append([year, month, f"测试企业{e:05d}", f"91331121MA{e:08d}", SECTORS[e % 6],
                       "是" if e % 3 == 0 else "否", round((50 + e * 7919 % 500) * growth / 10, 1)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def county_database(size: str) -> Path:
    """The cached database for `size`, built through the import path when missing."""
    path = cache_dir() / f"county-{size}.db"
    if path.exists():
        return path
    building = path.with_suffix(".building.db")
    building.unlink(missing_ok=True)
    engine = store.open_database(building)
    for year in YEARS:
        start = time.perf_counter()
        outcome = importing.import_bytes(engine, year_workbook(year, SIZES[size]), f"{year}.xlsx", who="bench")
        print(f"  built {year}: {outcome.rows:,} rows in {time.perf_counter() - start:.1f} s", flush=True)
    engine.dispose()
    building.rename(path)
    for suffix in ("-wal", "-shm"):
        Path(str(building) + suffix).unlink(missing_ok=True)
    return path


def baseline(db: Path, year: int, through: int) -> None:
    """What the year's headline needs, done directly: read two years, total 1..through, growth."""
    with sqlite3.connect(db) as conn:
        frame = pd.read_sql_query(
            "SELECT enterprise_id, year, first_month, last_month, value_10k FROM observations "
            "WHERE replaced_by IS NULL AND year IN (?, ?) AND first_month = last_month AND last_month <= ?",
            conn, params=(year - 1, year, through))
    totals = frame.groupby(["year", "enterprise_id"]).value_10k.sum().unstack(0)
    both = totals.dropna()
    (both[year].sum() - both[year - 1].sum()) / both[year - 1].sum()


def first_overview(db: Path) -> None:
    """总览's first run in a fresh AppTest with Streamlit's caches emptied."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    os.environ["LAKOU_DB"] = str(db)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()
    if at.exception:
        raise RuntimeError(at.exception)


def main() -> None:
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # AppTest outside a server warns on every run
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=list(SIZES), default="360k")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    db = county_database(args.size)
    rows = sqlite3.connect(db).execute("SELECT count(*) FROM observations WHERE replaced_by IS NULL").fetchone()[0]
    year, through = YEARS[-1], 6
    print(f"county database: {rows:,} enterprise-months, {db.stat().st_size / 1e6:.0f} MB ({db})")

    base = best_of(args.repeat, lambda: baseline(db, year, through))
    engine = store.open_database(db)
    figures = best_of(args.repeat, lambda: load_year_to_date(engine, Period.ytd(year, through)))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    summary = best_of(args.repeat, lambda: subprocess.run(
        [sys.executable, "-m", "lakou_metrics", "summary", "--year", str(year), "--through", f"M{through:02d}",
         "--json", "--db", str(db)], check=True, capture_output=True, env=env, cwd=ROOT))
    with tempfile.TemporaryDirectory() as folder:
        sample = Path(folder) / "sample.db"
        subprocess.run([sys.executable, "-m", "lakou_metrics", "init", "--sample", "--db", str(sample)],
                       check=True, capture_output=True, env=env, cwd=ROOT)
        small_page = best_of(args.repeat, lambda: first_overview(sample))
    big_page = best_of(args.repeat, lambda: first_overview(db))

    print(f"{'':52}{'seconds':>9}{'ratio':>8}")
    print(f"{'driver + pandas: two years, totals, growth':52}{base:9.2f}{1:8.2f}x")
    print(f"{'load_year_to_date (the year through June)':52}{figures:9.2f}{figures / base:8.2f}x")
    print(f"{'summary --json (fresh process)':52}{summary:9.2f}{summary / base:8.2f}x")
    print(f"{'总览 first run, 40-enterprise sample (AppTest)':52}{small_page:9.2f}{1:8.2f}x")
    print(f"{'总览 first run, county database (AppTest)':52}{big_page:9.2f}{big_page / small_page:8.2f}x")


if __name__ == "__main__":
    main()
