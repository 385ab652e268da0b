"""The processes that parse files for read.parse_isolated. One long-lived process per program (the
"zygote", started by the first file read) imports the parsers once; each file is parsed in a fork
of it, which limits its own address space and parses, so a file that makes a parser allocate
without bound or abort ends that fork, never the program, and costs a fork instead of a Python
start-up.

Protocol. The zygote's stdin-like end is a Unix socket to the program (`serve`): for each file the
program sends one byte and a socket of the file's own; the zygote forks and answers with the fork's
pid (8 bytes; 0 when it could not fork). On its socket the fork reads the request, a length-prefixed
pickle of (data, kind, name, scans, limits), and writes back a length-prefixed pickle of
("read", (sheets, hidden)) or ("refused", problems), then ends; it ends itself a few seconds after
limits.read_seconds whatever it is doing. Any other end (a signal, a MemoryError, an abort) closes the socket
with nothing written, which the program reads as "too costly to read". When the program's end of
the control socket closes, the zygote waits for its forks and ends.
"""
import math
import os
import pickle
import resource
import signal
import socket
import sys

# Imported once, in the zygote, before any file arrives: each fork has them.
from lakou_metrics.ingest.errors import ImportRefused
from lakou_metrics.ingest.read import parse_here

LENGTH = 8  # bytes of a length or a pid, big-endian


def receive_exactly(connection: socket.socket, size: int) -> bytes:
    """`size` bytes from `connection`, or fewer when it closes first."""
    parts, left = [], size
    while left:
        part = connection.recv(min(left, 1 << 20))
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def serve(control: socket.socket) -> None:
    """The zygote: a fork per file asked for on `control`, until the program closes it."""
    while True:
        _reap(block=False)
        try:
            message, fds, _flags, _address = socket.recv_fds(control, 1, 1)
        except OSError:
            break
        if not message or not fds:
            break
        try:
            pid = os.fork()
        except OSError:  # no fork now (too many processes, no memory): the program is told 0
            pid = -1
        if pid == 0:  # the fork: parse one file, never return into this loop
            code = 1
            try:
                control.close()
                code = _parse_one(socket.socket(fileno=fds[0]))
            finally:
                os._exit(code)
        os.close(fds[0])
        control.sendall(max(pid, 0).to_bytes(LENGTH, "big"))
    _reap(block=True)


def _parse_one(connection: socket.socket) -> int:
    size = int.from_bytes(receive_exactly(connection, LENGTH), "big")
    request = receive_exactly(connection, size)
    if len(request) != size:
        return 1
    data, kind, name, scans, limits = pickle.loads(request)
    del request
    resource.setrlimit(resource.RLIMIT_AS, (limits.read_memory_bytes, limits.read_memory_bytes))
    # Its own clock too: the program kills it after read_seconds, but a program that ended or
    # stopped waiting meanwhile must not leave it parsing (SIGALRM ends the process).
    signal.alarm(math.ceil(limits.read_seconds) + 5)
    try:
        sheets, hidden = parse_here(data, kind, name, scans, limits)
        for sheet in sheets:
            _share_repeats(sheet.rows)
        outcome = ("read", (sheets, hidden))
    except ImportRefused as refused:
        outcome = ("refused", refused.problems)
    answer = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    connection.sendall(len(answer).to_bytes(LENGTH, "big") + answer)
    connection.close()
    return 0


def _reap(block: bool) -> None:
    """Wait for ended forks (so their use of memory counts in this process's children's, and no
    zombie is left); with `block`, for all of them."""
    while True:
        try:
            pid, _status = os.waitpid(-1, 0 if block else os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


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
    serve(socket.socket(fileno=int(sys.argv[1])))
