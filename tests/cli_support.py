"""The command line for the tests. `cli` runs it in this process, as `python -m lakou_metrics` would
(main(argv), its own stdout and stderr, the exit code whether returned or raised by argparse), so a
test does not pay a Python start-up per command; `cli_process` runs it as its own process, for what
only a process shows (a closed pipe, the environment it starts with, the code the shell sees)."""
from __future__ import annotations

import contextlib
import contextvars
import io
import subprocess
import sys

from conftest import ROOT, process_env, refuse_in_check_lane


def cli(*args, db=None) -> subprocess.CompletedProcess:
    """`lakou_metrics <args> [--db db]` in this process: returncode, stdout and stderr as text."""
    from lakou_metrics.cli import main

    argv = [str(a) for a in args] + (["--db", str(db)] if db else [])
    out, err = io.StringIO(), io.StringIO()

    def run() -> int:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                return main(argv)
            except SystemExit as exit:  # argparse: -h (0), wrong usage (2)
                return exit.code if isinstance(exit.code, int) else int(exit.code is not None)

    # In a context of its own: what main sets for the command (the store's lock-wait notice) ends with it.
    code = contextvars.copy_context().run(run)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def cli_process(*args, db=None, env: dict | None = None, **options) -> subprocess.CompletedProcess:
    """`python -m lakou_metrics <args> [--db db]` as its own process: output as text, captured unless
    `stdout` or `stderr` is given."""
    refuse_in_check_lane("a Python process of its own", "processes")
    command = [sys.executable, "-m", "lakou_metrics", *map(str, args)] + (["--db", str(db)] if db else [])
    streams = {} if {"stdout", "stderr"} & set(options) else {"capture_output": True}
    return subprocess.run(command, env=process_env(**(env or {})), cwd=ROOT,
                          timeout=120, text=True, **streams, **options)
