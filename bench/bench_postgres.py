"""The county edition's store: PostgreSQL against SQLite in the same run, on the same data.

A throwaway PostgreSQL server is started as the tests start theirs (tests/pg_support.py). Each
store gets the same two years of a 1,000-enterprise town through the import path; then are timed,
best of 3: a year's import, a month's import, the year to date a page computes (a fresh read of
two years), and the 总览 page's first run and rerun in AppTest with empty caches. Ratios are
PostgreSQL over SQLite: above 1 means PostgreSQL is slower. Run: .venv/bin/python bench/bench_postgres.py
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench_county import PAGES, app_test, county_workbook  # this script's folder is on sys.path
from pg_support import running_cluster

from lakou_metrics import importing, store
from lakou_metrics.compute.report import load_year_to_date
from lakou_metrics.domain.periods import Period

ENTERPRISES = 1_000
REPEAT = 3


def measure(target: str) -> dict[str, float]:
    files = {year: county_workbook(year, range(1, 13), ENTERPRISES) for year in (2023, 2024)}
    months = [county_workbook(2025, [m], ENTERPRISES) for m in (1, 2, 3)]
    engine = store.open_database(target)
    operator = store.Operator.shell_account(store.town_of(engine))
    importing.import_bytes(engine, files[2023], "2023.xlsx", operator=operator)
    year_import = []
    for i in range(REPEAT):  # the year imported, then undone before the next try (the last one stays)
        start = time.perf_counter()
        outcome = importing.import_bytes(engine, files[2024], f"2024-{i}.xlsx", operator=operator)
        year_import.append(time.perf_counter() - start)
        assert outcome.status == "imported"
        if i < REPEAT - 1:
            store.undo_import(engine, outcome.import_id, operator=operator)
    month_import = []
    for m, data in enumerate(months, start=1):
        start = time.perf_counter()
        importing.import_bytes(engine, data, f"2025-{m}.xlsx", operator=operator)
        month_import.append(time.perf_counter() - start)
    engine.dispose()

    def year_to_date():
        fresh = store.open_database(target)
        load_year_to_date(fresh, Period.ytd(2024, 12), projection=False)
        fresh.dispose()

    reads = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        year_to_date()
        reads.append(time.perf_counter() - start)
    pages = [app_test(target, PAGES["总览"]) for _ in range(REPEAT)]
    return {"一年的导入（12,000行）": min(year_import), "一个月的导入（1,000行）": min(month_import),
            "页面的年度累计（读两年并计算）": min(reads), "总览首次打开（AppTest）": min(p[0] for p in pages),
            "总览切换期间（AppTest）": min(p[1] for p in pages)}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, running_cluster() as cluster:
        sqlite = measure(str(Path(folder) / "bench.db"))
        postgres = measure(cluster.new_database(migrated=False))
    print(f"PostgreSQL 与 SQLite（{ENTERPRISES:,} 家企业，同一次运行，取 {REPEAT} 次中最快）")
    print(f"{'项目':<24}{'SQLite':>10}{'PostgreSQL':>12}{'比值':>8}")
    for name, seconds in sqlite.items():
        print(f"{name:<24}{seconds:>9.2f}s{postgres[name]:>11.2f}s{postgres[name] / seconds:>7.2f}x")


if __name__ == "__main__":
    main()
