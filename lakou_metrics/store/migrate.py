"""Making and upgrading the schema in place: the Alembic migrations in migrations/versions, run on
opening, to SQLite and PostgreSQL alike, inside the writers' lock (two processes starting at once
upgrade once). A database made before Alembic (release 3 and older, `meta.schema_version`) is first
brought to release 3's schema with the statements those releases ran, then stamped and upgraded
like any other."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Boolean, Column, Float, ForeignKey, Integer, MetaData, String, Table, select
from sqlalchemy import inspect as sqlalchemy_inspect
from sqlalchemy.engine import Connection, Engine

from ..ingest.columns import MILESTONE_FIELDS

MIGRATIONS = Path(__file__).parent / "migrations"
RELEASE_3 = "0001"  # the revision whose schema is release 3's


def migrate(engine: Engine, home_town: str) -> None:
    """Bring the database to the newest revision; rows stored before towns become `home_town`'s.
    Nothing is done (beyond one read) when it is already there."""
    with engine.connect() as conn:
        if _current(conn) == head():
            return
    with engine.connect() as conn:
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
    config = _config(connection=conn, home_town=home_town)
    inspector = sqlalchemy_inspect(conn)
    if inspector.has_table("meta") and not inspector.has_table("alembic_version"):
        _to_release_3(conn)
        command.stamp(config, RELEASE_3)
    command.upgrade(config, "head")


def _to_release_3(conn: Connection) -> None:
    """A database of release 1 or 2 made into release 3's: the alias column (release 2) and the
    project tables (release 3)."""
    meta = Table("meta", MetaData(), Column("key", String, primary_key=True), Column("value", String))
    found = int(conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar() or 3)
    if found < 2:
        conn.exec_driver_sql("ALTER TABLE enterprise_aliases ADD COLUMN alias VARCHAR NOT NULL DEFAULT ''")
    if found < 3:
        frozen = _release_3_projects()
        frozen.create_all(conn, tables=[frozen.tables["projects"], frozen.tables["project_progress"]],
                          checkfirst=True)


def _release_3_projects() -> MetaData:
    """The project tables as release 3 made them."""
    frozen = MetaData()
    Table("imports", frozen, Column("id", Integer, primary_key=True))
    Table("enterprises", frozen, Column("id", Integer, primary_key=True))

    def versioned(name, *columns):
        Table(name, frozen, Column("id", Integer, primary_key=True),
              Column("import_id", Integer, ForeignKey("imports.id"), nullable=False), *columns,
              Column("replaced_by", Integer, ForeignKey("imports.id")))

    versioned("projects", Column("year", Integer, nullable=False), Column("name_key", String, nullable=False),
              Column("name", String, nullable=False),
              Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
              Column("sector", String), Column("kind", String), Column("manufacturing", Boolean, nullable=False),
              Column("total_10k", Float), Column("plan_10k", Float), Column("inward", Boolean, nullable=False),
              Column("contracted_10k", Float), Column("signed", String), Column("contact", String),
              *(Column(name, String) for name in MILESTONE_FIELDS), Column("issues", String))
    versioned("project_progress", Column("year", Integer, nullable=False),
              Column("project_key", String, nullable=False), Column("first_month", Integer, nullable=False),
              Column("last_month", Integer, nullable=False), Column("invested_10k", Float),
              Column("received_10k", Float))
    return frozen
