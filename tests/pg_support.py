"""A throwaway PostgreSQL server for the tests: initdb into a temporary folder (as the `postgres`
system user when the tests run as root, as PostgreSQL refuses to run as root), on 127.0.0.1 and a
free port, stopped at the end. Each test gets a fresh database copied from a template that already
has the schema, so the store, import, undo and page tests run against PostgreSQL as well as SQLite,
connected as the application's own role (APP_ROLE), held to row-level security as the app is."""
from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path


def server_binaries() -> Path:
    """The folder of initdb and pg_ctl: Debian's postgresql package puts them in
    /usr/lib/postgresql/<version>/bin (scripts/ensure-test-tools.sh installs it)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    raise RuntimeError("PostgreSQL server binaries not found: run scripts/ensure-test-tools.sh (Debian's postgresql)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The application's own login role, as an installation runs the app (scripts/run-county.sh): it owns
# the databases and their tables, but is no superuser and does not bypass row-level security.
APP_ROLE = "lakou_app"
SUPERUSER = "postgres"


class Cluster:
    """A running throwaway cluster: `url(name)` of a database as the app's role, `new_database()` a
    fresh one with the schema, `admin(sql)` as the superuser."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port = folder, port
        self._names = itertools.count(1)
        self.template = None

    def url(self, name: str, user: str = APP_ROLE) -> str:
        """The SQLAlchemy URL of database `name`, connecting as the app's role unless told."""
        return f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{name}"

    def admin(self, sql: str, dbname: str = "postgres") -> None:
        """Run `sql` as the superuser (in database `dbname`)."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname={dbname}",
                             autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self, migrated: bool = True) -> str:
        """The URL of a new, empty database owned by the app's role (with the newest schema, made
        as that role, unless `migrated` is False)."""
        name = f"t{os.getpid()}_{next(self._names)}"
        if migrated:
            if self.template is None:
                from lakou_metrics import store

                self.admin(f"CREATE DATABASE lakou_template OWNER {APP_ROLE}")
                store.open_database(self.url("lakou_template")).dispose()
                self.template = "lakou_template"
            self.admin(f"CREATE DATABASE {name} TEMPLATE {self.template} OWNER {APP_ROLE}")
        else:
            self.admin(f"CREATE DATABASE {name} OWNER {APP_ROLE}")
        return self.url(name)


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def running_cluster(durable: bool = False):
    """Start a cluster for the length of the block, stop it (fast) at the end. Tests run it with
    fsync and synchronous_commit off (a throwaway server need not survive a power cut, and runs
    faster); `durable` keeps both on, PostgreSQL's defaults, as a production server runs
    (bench/bench_postgres.py compares that with SQLite)."""
    binaries = server_binaries()
    folder = Path(tempfile.mkdtemp(prefix="lakou-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    run = lambda *args: subprocess.run(_as_postgres([str(binaries / args[0]), *args[1:]]),  # noqa: E731
                                       check=True, capture_output=True, text=True)
    run("initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8")
    port = free_port()
    flush = "on" if durable else "off"
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync={flush} -c synchronous_commit={flush}"
    run("pg_ctl", "-D", str(data), "-o", options, "-l", str(folder / "server.log"), "-w", "start")
    try:
        cluster = Cluster(folder, port)
        cluster.admin(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE")
        yield cluster
    finally:
        subprocess.run(_as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
