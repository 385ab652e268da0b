"""One town's data, enforced in one place: every statement the store runs on a table that holds
towns' rows (a `town` column) is limited here to the town of the connection that runs it, so no
query or change elsewhere names a town of its own and none can forget to.

The town is a connection's execution option (`for_town` gives an engine of a town; `switch_town`
moves an open transaction to another, for county staff's import of a file of several towns).
Before a statement runs (`_scope_statement`, a SQLAlchemy "before_execute" hook on every engine
`open_database` makes):
- a read (a select, or a union of selects) sees the town's rows only: each town table it names,
  at any depth (joins, subqueries, CTEs), is replaced by that table's rows of the town, be it the
  schema's table or a reflected copy of it;
- an insert gets the town, and one that names another town is refused;
- an update or delete changes the town's rows only, and a subquery of its own table reads the
  town's rows; an update may not change a row's town;
- forms whose SQL the hook cannot limit (lambda statements, an insert of several VALUES rows or
  from a SELECT) are refused, never run unlimited;
- the county's authority (COUNTY) reads every town and may change none (it changes a town's
  data as that town, through `switch_town`);
- a statement on a town table through a connection without a town is refused: there is no
  default town to fall back on.
On PostgreSQL the database holds the same line itself: row-level security on each town table,
on the per-transaction setting `lakou.town` that the engine sets from the same option
(`set_town_setting`). Raw SQL text is not rewritten (the store runs none on town tables); on
PostgreSQL row-level security holds it too."""
from __future__ import annotations

from functools import lru_cache

import pandas as pd
from sqlalchemy import Table, event, insert, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.dml import Delete, Insert, Update
from sqlalchemy.sql.elements import ColumnClause
from sqlalchemy.sql.lambdas import StatementLambdaElement
from sqlalchemy.sql.selectable import CompoundSelect, Select
from sqlalchemy.sql.visitors import replacement_traverse

from ..domain.text import strip_invisible
from .schema import metadata

# The authority of county staff (县经信局 / 统计局): reads every town's data, where a town's staff
# read their own town's.
COUNTY = "县"
TOWN_OPTION = "lakou_town"
# Set only by the schema's migrations (store.migrate), which change every town's rows at once (and by
# tests that probe the database's own row-level security with the layer stepped aside).
UNSCOPED_OPTION = "lakou_unscoped"


def town_tables() -> frozenset[Table]:
    """The tables that hold towns' rows: those with a `town` column."""
    return frozenset(t for t in metadata.tables.values() if "town" in t.c)


TOWN_TABLE_NAMES = frozenset(t.name for t in town_tables())


class NoTown(RuntimeError):
    """A statement on towns' rows through a connection that serves no town (a programming error:
    every engine the store hands out serves one)."""


class Unscopable(RuntimeError):
    """A statement on towns' rows of a form the layer cannot limit to a town (refused rather than
    run unlimited)."""


class OutsideTown(RuntimeError):
    """A change of rows that are not the connection's town's: another town's row inserted, or a
    change through the county's reading connection (county staff change a town's data as that
    town, through switch_town, never all towns at once)."""


def for_town(engine: Engine, town: str) -> Engine:
    """The same database, read and written as `town`'s (or every town's, read only, as COUNTY):
    every statement through it is limited to that town's rows (the connections are shared)."""
    town = strip_invisible(str(town or "")).strip()  # " 腊口镇" is 腊口镇, never a town of its own
    if not town:
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
    if isinstance(statement, StatementLambdaElement):
        # Its SQL is made later, from a cache of its own: it cannot be limited here.
        raise Unscopable("lambda statements are not limited to a town: run the statement itself")
    if not isinstance(statement, (Select, CompoundSelect, Insert, Update, Delete)) \
            or execution_options.get(UNSCOPED_OPTION):
        return statement, multiparams, params
    target = statement.table if isinstance(statement, (Insert, Update, Delete)) else None
    if target is not None and not _is_town_table(target):
        target = None
    town = execution_options.get(TOWN_OPTION)
    if target is not None:
        town = _writing_town(conn, target)
        if isinstance(statement, Insert):
            if statement._multi_values or statement._select_names:
                raise Unscopable(f"an insert into {target.name} of several rows in one VALUES, or from a "
                                 "SELECT, is not limited to a town: pass the rows as parameters")
            multiparams, params = _with_town(statement, target, town, multiparams, params)
            if not multiparams and not params:
                statement = statement.values(town=town)
            return statement, multiparams, params
        if isinstance(statement, Update) and any(getattr(k, "key", k) == "town" for k in statement._values or {}):
            raise OutsideTown(f"an update of {target.name} may not change a row's town")
        statement = statement.where(target.c.town == town)
    if town == COUNTY and target is None:
        return statement, multiparams, params  # the county reads every town
    return _rows_of_town(statement, town, target), multiparams, params


def _is_town_table(table) -> bool:
    """A table holding towns' rows: one of the schema's, however the statement came by it (a
    reflected copy too)."""
    return isinstance(table, Table) and table.name in TOWN_TABLE_NAMES and "town" in table.c


def _rows_of_town(statement, town: str | None, target: Table | None = None):
    """`statement` with each town table it names, at any depth, replaced by that table's rows of
    `town` (a subquery under the table's own name, so the SQL reads the same). An update's or
    delete's own table (`target`) stays itself, already limited by its WHERE; a subquery that
    reads from it alone gets the town's rows of it too."""
    replaced: dict[Table, object] = {}  # one subquery per table in the whole statement, whatever the cache does

    def town_rows(table: Table):
        if table not in replaced:
            if not town:
                raise NoTown(f"a statement on {table.name} through a connection that serves no town")
            replaced[table] = _town_rows(table, town)
        return replaced[table]

    def replace(element):
        if isinstance(element, Table):
            return town_rows(element) if _is_town_table(element) and element is not target else None
        if isinstance(element, ColumnClause):
            table = element.table
            if table is not target and _is_town_table(table) and table.c.get(element.key) is element:
                return town_rows(table).c[element.key]
            return None
        if target is not None and isinstance(element, Select) and set(element.get_final_froms()) == {target}:
            return _rows_of_town(element, town)  # reads the updated table itself: not correlated
        return None

    return replacement_traverse(statement, {}, replace)


@lru_cache(maxsize=4096)  # the schema's 13 town tables for 300 towns
def _town_rows(table: Table, town: str):
    """A town table's rows of `town`, as a subquery under the table's own name: made once per table
    and town, and shared by every statement that names the table (SQLAlchemy's elements do not
    change once made; the town is a bound value, so the compiled SQL is the same for every town).
    Its columns are made here, at once, not by whichever statement first asks for them."""
    rows = select(table).where(table.c.town == town).subquery(table.name)
    rows.c  # noqa: B018 -- made now, once
    return rows


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
