"""Row-level security: on PostgreSQL the database itself keeps each town's rows to that town.

- `enterprise_changes` gets the `town` of its import, like every other table of a town's rows.
- PostgreSQL only: every table with a `town` column has row-level security enabled and forced (so
  the application's role, which owns the tables, is held to it too), with one policy per command
  on the transaction's setting `lakou.town` (set by store.engine.set_town_setting at the start of
  every transaction): a town reads and writes its own rows; 县 (county staff) reads every town's
  and writes none; a connection that never set it (NULL or '') sees and writes nothing.

The tables are found by their `town` column, so none is forgotten; a later table of a town's rows
needs the same policies in its own migration (tests/test_rls.py checks every table has them).
Migrations run as the app's role acting for no town: from here on, one that changes stored rows
sees none of them unless it first makes the table NO FORCE (and FORCE again after, in the same
transaction).

Revision ID: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Frozen here rather than imported: a migration means what it meant when it was written.
COUNTY = "县"
SETTING = "current_setting('lakou.town', true)"
POLICIES = {  # name: the rest of CREATE POLICY after "ON <table>"
    "lakou_town_select": f"FOR SELECT USING (town = {SETTING} OR {SETTING} = '{COUNTY}')",
    "lakou_town_insert": f"FOR INSERT WITH CHECK (town = {SETTING})",
    "lakou_town_update": f"FOR UPDATE USING (town = {SETTING}) WITH CHECK (town = {SETTING})",
    "lakou_town_delete": f"FOR DELETE USING (town = {SETTING})",
}


def _town_tables() -> list[str]:
    inspector = sa.inspect(op.get_bind())
    return sorted(name for name in inspector.get_table_names()
                  if "town" in {c["name"] for c in inspector.get_columns(name)})


def upgrade() -> None:
    # The data fill runs before any policy exists: the connection migrating has no town.
    op.add_column("enterprise_changes", sa.Column("town", sa.String(), nullable=True))
    op.execute("UPDATE enterprise_changes SET town = "
               "(SELECT imports.town FROM imports WHERE imports.id = enterprise_changes.import_id)")
    with op.batch_alter_table("enterprise_changes") as batch:
        batch.alter_column("town", existing_type=sa.String(), nullable=False)

    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _town_tables():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        for name, rule in POLICIES.items():
            op.execute(f"CREATE POLICY {name} ON {table} {rule}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in _town_tables():
            for name in POLICIES:
                op.execute(f"DROP POLICY IF EXISTS {name} ON {table}")
            op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    with op.batch_alter_table("enterprise_changes") as batch:
        batch.drop_column("town")
