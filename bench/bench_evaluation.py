"""亩均效益评价 of a large county, as ratios against a baseline run in this same process.

    python bench/bench_evaluation.py [--enterprises 20000] [--repeat 3]

A county's evaluation sheet of `enterprises` rows (one in three 规上; some figures blank, some
denominators 0, some without land or in their first year, some past the cap) and last year's, both
imported through the normal path into a fresh SQLite database once. Then, best of `repeat`:
the year's evaluation read and computed (compute.evaluation.load_stored_evaluation), what
`evaluate --json` prints, the text `evaluate` prints, and the tables of the page's Excel export
(output.export.evaluation_tables, every scorecard included), each against the computation alone
(evaluate_stored on the rows already read), the baseline.

The aim (issue 25): everything a person waits for within a few times the computation; before the
fix `evaluate --json` took 100x and the scorecards 400x at 20,000 enterprises.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_import import best_of  # this script's folder is on sys.path when it runs
from openpyxl import Workbook

from lakou_metrics import importing, store
from lakou_metrics.compute.evaluation import evaluate_stored, load_stored_evaluation
from lakou_metrics.output.evaluation import describe_evaluation_table, evaluation_json
from lakou_metrics.output.export import evaluation_tables

YEAR = 2023
HEADER = ["企业名称", "统一社会信用代码", "是否规上", "用地面积（亩）", "税收实际贡献（万元）", "工业增加值（万元）",
          "综合能耗（吨标准煤）", "主要污染物排放当量（吨）", "年平均职工人数（人）", "研发经费支出（万元）",
          "营业收入（万元）", "用电量（万千瓦时）", "投产日期", "备注"]


def evaluation_rows(enterprises: int, year: int) -> list[list]:
    """A county's rows of `year`: figures spread over two orders of magnitude, with the cases the
    method treats apart (blank figures, zero denominators, no land, first year, capped items)."""
    rows = []
    for e in range(enterprises):
        spread = 1 + (e * 7919 + year * 31) % 997 / 50
        big = e % 3 == 0
        land = None if e % 97 == 0 else round(5 + e % 40 * spread / 3, 2)
        tax = round(spread * (40 if big else 8) * (25 if e % 211 == 0 else 1), 2)
        emission = None if e % 13 == 0 else round(0.3 + e % 29 / 7, 2)
        power = 0.0 if e % 89 == 0 else round(3 + e % 50 * spread / 10, 2)
        start = dt.date(year, 1 + e % 12, 1) if e % 151 == 0 else None
        rows.append([f"测试企业{e:05d}", f"91331121MA{e:08d}", "是" if big else "否", land, tax,
                     round(spread * 120, 2) if big else None, round(20 + e % 300 * 1.5, 2) if big else None,
                     emission if big else None, 20 + e % 180 if big else None,
                     round(spread * 6, 2) if big else None, round(spread * 900, 2) if big else None,
                     power, start, "核实中" if e % 500 == 0 else None])
    return rows


def evaluation_workbook(enterprises: int, year: int) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(f"{year}年度")
    ws.append([f"全县{year}年度工业企业亩均效益评价数据（基准测试）"])
    ws.append(HEADER)
    for row in evaluation_rows(enterprises, year):
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = store.open_database(Path(folder) / "bench.db")
        operator = store.Operator.shell_account(store.town_of(engine), "bench")
        for year in (YEAR - 1, YEAR):
            start = time.perf_counter()
            outcome = importing.import_bytes(engine, evaluation_workbook(args.enterprises, year),
                                             f"{year}.xlsx", operator=operator)
            print(f"imported {year}: {outcome.rows:,} rows in {time.perf_counter() - start:.1f} s", flush=True)
        rows, last_rows = store.load_evaluation(engine, YEAR), store.load_evaluation(engine, YEAR - 1)
        first_reports = store.load_first_reports(engine)
        evaluation = load_stored_evaluation(engine, YEAR)
        town = store.town_of(engine)
        timings = [
            ("基准：评价计算本身（evaluate_stored，数据已读入）",
             best_of(args.repeat, lambda: evaluate_stored(rows, first_reports, YEAR, last_rows=last_rows))),
            ("读库并计算（load_stored_evaluation）",
             best_of(args.repeat, lambda: load_stored_evaluation(engine, YEAR))),
            ("`evaluate --json` 的输出（evaluation_json + json.dumps）",
             best_of(args.repeat, lambda: json.dumps(evaluation_json(evaluation), ensure_ascii=False))),
            ("`evaluate` 的文字表", best_of(args.repeat, lambda: describe_evaluation_table(evaluation, town))),
            ("导出的各表（含每家企业的计分明细）", best_of(args.repeat, lambda: evaluation_tables(evaluation))),
        ]
        engine.dispose()
    base = timings[0][1]
    print(f"{args.enterprises:,} enterprises, best of {args.repeat}")
    for name, seconds in timings:
        print(f"  {name}: {seconds:.2f} s, {seconds / base:.2f}x")


if __name__ == "__main__":
    main()
