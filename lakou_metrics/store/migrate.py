"""Making and upgrading the schema in place: the Alembic migrations in migrations/versions, run on
opening, to SQLite and PostgreSQL alike, inside the writers' lock (two processes starting at once
upgrade once). A database made before Alembic (release 3 and older) starts from the first
revision like a new one; that revision completes what its release lacked."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from .scope import UNSCOPED_OPTION

MIGRATIONS = Path(__file__).parent / "migrations"


def migrate(engine: Engine, home_town: str) -> None:
    """Bring the database to the newest revision; rows stored before towns become `home_town`'s.
    Nothing is done (beyond one read) when it is already there."""
    with engine.connect() as conn:
        if _current(conn) == head():
            return
    # Migrations change every town's rows at once: the one place statements are not limited to a town.
    with engine.connect().execution_options(**{UNSCOPED_OPTION: True}) as conn:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            # SQLite rebuilds a table to change its keys: its foreign keys must be off meanwhile
            # (and can only be switched outside a transaction).
            conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.execution_options(lakou_write=True).begin():
                if _current(conn) != head():  # another process may have upgraded it meanwhile
                    _upgrade(conn, home_town)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"foreign keys broken by the upgrade: {broken[:5]}")
        finally:
            if sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys = ON")


@cache
def head() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head()


def _config(**attributes) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes.update(attributes)
    return config


def _current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _upgrade(conn: Connection, home_town: str) -> None:
    command.upgrade(_config(connection=conn, home_town=home_town), "head")
