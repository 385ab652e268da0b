"""Import speed of a 100,000-row workbook, as ratios against baselines run in this same process.

    python bench/bench_import.py [--rows 100000] [--repeat 3]

Prints the best of `repeat` runs of each: the project's whole import (read, clean, validate,
store into a fresh SQLite database), pandas.read_excel with openpyxl, and a bare python-calamine
read of the same file, and the import's parts. The aim (issue 13): the import within 1.5x of the
bare calamine read.
"""
from __future__ import annotations

import argparse
import copy
import io
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd
import python_calamine
from openpyxl import Workbook

from lakou_metrics import importing, store
from lakou_metrics.ingest.clean import clean_workbook
from lakou_metrics.ingest.errors import ImportRefused
from lakou_metrics.ingest.read import Limits, _guard_zip, read_workbook

SECTORS = ["五金", "金属加工", "农产品加工", "光伏", "建材", "其他"]


def make_workbook(rows: int) -> bytes:
    """A long sheet: one row per enterprise per month, as many enterprises as rows need."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("逐月产值")
    ws.append(["腊口镇工业企业逐月产值（基准测试）"])
    ws.append(["年份", "月份", "企业名称", "统一社会信用代码", "所属行业", "是否规上", "产值（万元）"])
    enterprises = -(-rows // 12)
    written = 0
    for month in range(1, 13):
        for e in range(enterprises):
            if written == rows:
                break
            ws.append([2024, month, f"测试企业{e:05d}", f"91331121MA{e:08d}",
                       SECTORS[e % 6], "是" if e % 3 == 0 else "否", round(100 + (e * 7919 % 1000) / 10, 1)])
            written += 1
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = make_workbook(args.rows)
    print(f"workbook: {args.rows:,} rows, {len(data) / 1e6:.1f} MB")

    def calamine_read():
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        book.get_sheet_by_index(0).to_python()

    def openpyxl_read():
        pd.read_excel(io.BytesIO(data), engine="openpyxl", header=1)

    def project_import():
        with tempfile.TemporaryDirectory() as folder:
            engine = store.open_database(Path(folder) / "bench.db")
            outcome = importing.import_bytes(engine, data, "bench.xlsx",
                                             operator=store.Operator.shell_account(store.town_of(engine)))
            assert outcome.status == "imported" and outcome.rows == args.rows, outcome.describe()
            engine.dispose()

    raw, cleaned = read_workbook(data, "bench.xlsx"), None

    fresh = raw

    def clean_only():  # each run on the raw grid as read (clean may fill merged cells in)
        nonlocal cleaned, fresh
        cleaned = clean_workbook(fresh)
        fresh = copy.copy(raw)
        fresh.sheets = [copy.copy(sheet) for sheet in raw.sheets]
        for sheet in fresh.sheets:
            sheet.rows = [list(row) for row in sheet.rows]

    def store_only():
        with tempfile.TemporaryDirectory() as folder:
            engine = store.open_database(Path(folder) / "bench.db")
            store.store_cleaned(engine, cleaned, "0" * 64, len(data),
                                operator=store.Operator.shell_account(store.town_of(engine)))
            engine.dispose()

    def scan_only():
        _guard_zip(data, Limits(), lambda reason: ImportRefused([]))

    base = best_of(args.repeat, calamine_read)
    results = [("bare python-calamine read", base),
               ("pandas.read_excel (openpyxl)", best_of(max(1, args.repeat - 2), openpyxl_read)),
               ("lakou_metrics import (read+clean+validate+store)", best_of(args.repeat, project_import)),
               ("  of which: read (guard scan, then parse in a child)", best_of(args.repeat,
                                                                              lambda: read_workbook(data, "b.xlsx"))),
               ("    the guard scan of the XML alone", best_of(args.repeat, scan_only)),
               ("  clean and validate (one reader, row by row)", best_of(args.repeat, clean_only)),
               ("  store (SQLite, one transaction)", best_of(args.repeat, store_only))]
    print(f"{'':52}{'seconds':>9}{'ratio':>8}")
    for name, seconds in results:
        print(f"{name:52}{seconds:9.2f}{seconds / base:7.2f}x")

    bomb = make_bomb(800)
    seconds = best_of(args.repeat, lambda: refuse(bomb))
    print(f"zip bomb ({len(bomb) / 1e6:.1f} MB inflating to 800 MB) refused in {seconds * 1000:.2f} ms, "
          f"{seconds / base:.3f}x the calamine read above")


def make_bomb(megabytes: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(megabytes):
                sheet.write(b" " * (1 << 20))
    return buffer.getvalue()


def refuse(data: bytes) -> None:
    try:
        read_workbook(data, "bomb.xlsx")
    except ImportRefused:
        return
    raise AssertionError("the bomb was not refused")


if __name__ == "__main__":
    main()
