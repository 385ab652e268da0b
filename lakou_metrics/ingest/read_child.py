"""The child process that parses one file for read.parse_isolated: it limits its own address
space and parses, so a file that makes a parser allocate without bound or abort ends here.

Protocol: stdin is a pickle of (data, kind, name, scans, limits); stdout is a pickle of
("read", (sheets, hidden)) or ("refused", problems). Any other end (a signal, a MemoryError, an abort) is
read by the parent as "too costly to read".
"""
import pickle
import resource
import sys


def main() -> None:
    data, kind, name, scans, limits = pickle.loads(sys.stdin.buffer.read())
    resource.setrlimit(resource.RLIMIT_AS, (limits.read_memory_bytes, limits.read_memory_bytes))
    from lakou_metrics.ingest.errors import ImportRefused
    from lakou_metrics.ingest.read import parse_here

    try:
        outcome = ("read", parse_here(data, kind, name, scans, limits))
    except ImportRefused as refused:
        outcome = ("refused", refused.problems)
    sys.stdout.buffer.write(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    main()
