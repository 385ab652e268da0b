"""The baseline of bench_county's figures: what the year's headline needs, done directly with the
database driver and pandas: read the two years it needs (this year and last, the columns a figure
uses), total months 1..through, growth. Imports nothing else, so run as a script it is also the
fresh-process baseline of `summary`.

    python bench/baseline_read.py DB YEAR THROUGH
"""
import sqlite3
import sys

import pandas as pd


def baseline(db, year: int, through: int) -> float:
    with sqlite3.connect(db) as conn:
        frame = pd.read_sql_query(
            "SELECT enterprise_id, year, first_month, last_month, value_10k, prior_10k, above_scale "
            "FROM observations WHERE replaced_by IS NULL AND year IN (?, ?)", conn, params=(year - 1, year))
    months = frame[(frame.first_month == frame.last_month) & (frame.last_month <= through)]
    totals = months.groupby(["year", "enterprise_id"]).value_10k.sum().unstack(0)
    both = totals.dropna()
    return (both[year].sum() - both[year - 1].sum()) / both[year - 1].sum()


if __name__ == "__main__":
    print(baseline(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
