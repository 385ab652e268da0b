"""The child process that parses one file for read.parse_isolated: it limits its own address
space and parses, so a file that makes a parser allocate without bound or abort ends here.

Protocol: stdin is a pickle of (data, kind, name, scans, limits); stdout is a pickle of
("read", (sheets, hidden)) or ("refused", problems). Any other end (a signal, a MemoryError, an abort) is
read by the parent as "too costly to read".
"""
import pickle
import resource
import sys

# Imported before the file arrives: the parent scans the file meanwhile.
from lakou_metrics.ingest.errors import ImportRefused
from lakou_metrics.ingest.read import parse_here


def main() -> None:
    data, kind, name, scans, limits = pickle.loads(sys.stdin.buffer.read())
    resource.setrlimit(resource.RLIMIT_AS, (limits.read_memory_bytes, limits.read_memory_bytes))
    try:
        sheets, hidden = parse_here(data, kind, name, scans, limits)
        for sheet in sheets:
            _share_repeats(sheet.rows)
        outcome = ("read", (sheets, hidden))
    except ImportRefused as refused:
        outcome = ("refused", refused.problems)
    sys.stdout.buffer.write(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))


def _share_repeats(rows: list[list]) -> None:
    """Equal cells (a name every month, a sector, 是/否) made one object, which pickle then sends
    once and refers to after: a county's sheet goes to the parent in half the bytes and time.
    Keyed by type too, so 1 and 1.0 stay what they were."""
    seen: dict = {}
    for row in rows:
        for j, cell in enumerate(row):
            try:
                row[j] = seen.setdefault((type(cell), cell), cell)
            except TypeError:  # unhashable: left alone
                pass


if __name__ == "__main__":
    main()
