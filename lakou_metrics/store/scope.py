"""One town's data, enforced in one place: every statement the store runs on a table that holds
towns' rows (a `town` column) is limited here to the town of the connection that runs it, so no
query or change elsewhere names a town of its own and none can forget to.

The town is a connection's execution option (`for_town` gives an engine of a town; `switch_town`
moves an open transaction to another, for county staff's import of a file of several towns).
Before a statement runs (`_scope_statement`, a SQLAlchemy "before_execute" hook on every engine
`open_database` makes):
- a read sees the town's rows only: each town table it names, at any depth (joins, subqueries),
  is replaced by that table's rows of the town;
- an insert gets the town, and one that names another town is refused;
- an update or delete changes the town's rows only;
- the county's authority (COUNTY) reads every town and may change none (it changes a town's
  data as that town, through `switch_town`);
- a statement on a town table through a connection without a town is refused: there is no
  default town to fall back on.
On PostgreSQL the database holds the same line itself: row-level security on each town table,
on the per-transaction setting `lakou.town` that the engine sets from the same option
(`set_town_setting`). Raw SQL text is not rewritten (the store runs none on town tables); on
PostgreSQL row-level security holds it too."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Table, event, insert, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.dml import Delete, Insert, Update
from sqlalchemy.sql.elements import ColumnClause
from sqlalchemy.sql.selectable import Select
from sqlalchemy.sql.visitors import replacement_traverse

from .schema import metadata

# The authority of county staff (县经信局 / 统计局): reads every town's data, where a town's staff
# read their own town's.
COUNTY = "县"
TOWN_OPTION = "lakou_town"
# Set only by the schema's migrations (store.migrate), which change every town's rows at once.
UNSCOPED_OPTION = "lakou_unscoped"


def town_tables() -> frozenset[Table]:
    """The tables that hold towns' rows: those with a `town` column."""
    return frozenset(t for t in metadata.tables.values() if "town" in t.c)


class NoTown(RuntimeError):
    """A statement on towns' rows through a connection that serves no town (a programming error:
    every engine the store hands out serves one)."""


class OutsideTown(RuntimeError):
    """A change of rows that are not the connection's town's: another town's row inserted, or a
    change through the county's reading connection (county staff change a town's data as that
    town, through switch_town, never all towns at once)."""


def for_town(engine: Engine, town: str) -> Engine:
    """The same database, read and written as `town`'s (or every town's, read only, as COUNTY):
    every statement through it is limited to that town's rows (the connections are shared)."""
    if not town or not str(town).strip():
        raise NoTown("for_town needs a town")
    return engine.execution_options(**{TOWN_OPTION: town})


def town_of(bind: Engine | Connection) -> str:
    """The town an engine or connection serves (for_town). Raises NoTown when it serves none:
    never a guess."""
    town = bind.get_execution_options().get(TOWN_OPTION)
    if not town:
        raise NoTown("this engine serves no town: make it with store.open_database or store.for_town")
    return town


def switch_town(conn: Connection, town: str) -> None:
    """Serve `town` from the next statement on, inside the open transaction (county staff's import
    of several towns, an undo through the county's engine). On PostgreSQL the row-level security
    setting follows."""
    from .engine import set_town_setting

    conn.execution_options(**{TOWN_OPTION: town})
    if conn.in_transaction():
        set_town_setting(conn)


def install(engine: Engine) -> None:
    """Limit every statement of `engine` (and of every engine for_town makes from it) to its town."""
    event.listen(engine, "before_execute", _scope_statement, retval=True)


def insert_frame(conn: Connection, table: Table, rows: pd.DataFrame) -> None:
    """Insert a frame's rows (NaN → NULL) as the connection's town's. SQLite's driver takes plain
    tuples much faster than SQLAlchemy's per-row dicts (this path does not pass the hook, so the
    town is set here); other databases go through SQLAlchemy and the hook."""
    if "town" in table.c:
        rows = rows.assign(town=_writing_town(conn, table))
    columns = [c.name for c in table.columns if c.name in rows.columns]  # the order SQL lists them
    frame = rows[columns].astype(object)
    frame = frame.where(frame.notna(), None)
    values = list(zip(*(frame[c].tolist() for c in columns)))
    if conn.dialect.name == "sqlite":
        sql = str(insert(table).compile(dialect=conn.dialect, column_keys=columns))
        conn.exec_driver_sql(sql, values)
    else:
        conn.execute(insert(table), [dict(zip(columns, v)) for v in values])


def _writing_town(conn: Connection, table: Table) -> str:
    town = conn.get_execution_options().get(TOWN_OPTION)
    if not town:
        raise NoTown(f"a change of {table.name} through a connection that serves no town")
    if town == COUNTY:
        raise OutsideTown(f"a change of {table.name} through the county's reading connection")
    return town


def _scope_statement(conn, statement, multiparams, params, execution_options):
    """The before_execute hook: `statement` limited to the connection's town (see the module)."""
    if not isinstance(statement, (Select, Insert, Update, Delete)) or execution_options.get(UNSCOPED_OPTION):
        return statement, multiparams, params
    tables = town_tables()
    target = statement.table if isinstance(statement, (Insert, Update, Delete)) else None
    town = execution_options.get(TOWN_OPTION)
    if target is not None and target in tables:
        town = _writing_town(conn, target)
        if isinstance(statement, Insert):
            multiparams, params = _with_town(statement, target, town, multiparams, params)
            if not multiparams and not params:
                statement = statement.values(town=town)
        else:
            statement = statement.where(target.c.town == town)
    if town == COUNTY and target is None:
        return statement, multiparams, params  # the county reads every town
    statement = _rows_of_town(statement, tables - {target}, town)
    return statement, multiparams, params


def _rows_of_town(statement, tables: frozenset[Table], town: str | None):
    """`statement` with each of `tables` it names, at any depth, replaced by that table's rows of
    `town` (a subquery under the table's own name, so the SQL reads the same)."""
    replaced: dict[Table, object] = {}

    def town_rows(table: Table):
        if table not in replaced:
            if not town:
                raise NoTown(f"a statement on {table.name} through a connection that serves no town")
            replaced[table] = select(table).where(table.c.town == town).subquery(table.name)
        return replaced[table]

    def replace(element):
        if isinstance(element, Table):
            return town_rows(element) if element in tables else None
        if isinstance(element, ColumnClause):
            table = element.table
            if table in tables and table.c.get(element.key) is element:
                return town_rows(table).c[element.key]
        return None

    return replacement_traverse(statement, {}, replace)


def _with_town(statement: Insert, table: Table, town: str, multiparams, params):
    """An insert's parameters with the town in each row; a row that names another town is refused."""
    given = [*(statement._values or {}).items()] if statement._values else []
    for key, value in given:
        name = getattr(key, "key", key)
        if name == "town" and getattr(value, "value", value) != town:
            raise OutsideTown(f"an insert into {table.name} of another town's row")
    rows = multiparams or ([params] if params else [])
    for row in rows:
        if row.get("town", town) != town:
            raise OutsideTown(f"an insert into {table.name} of another town's row")
    if multiparams:
        multiparams = [{**row, "town": town} for row in multiparams]
    elif params:
        params = {**params, "town": town}
    return multiparams, params
