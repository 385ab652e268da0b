"""Towns: every stored row belongs to a town, so one database can hold a county's towns.

- `towns`: the towns this database holds (the home town first).
- A `town` column on imports, the register (enterprises, aliases) and every data table; rows
  already stored belong to the home town (`store.migrate`'s home_town, the town's settings). An
  enterprise's name and credit code are unique within its town, not across the county.
- imports.imported_as / undone_as: the authority the person acted under (a town, or 县 for
  county staff); older imports have none.
- peer_figures.town (the peer town typed in) is renamed `peer`.
- original_files: an import's original file, in the database, where every app process reaches it.
- Data versions, which caches key on, are counted per town.

Revision ID: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

DATA_TABLES = ("observations", "targets", "target_actuals", "enterprise_targets", "peer_figures", "projects",
               "project_progress")

# The two register tables as release 3 made them, for SQLite, which rebuilds a table to change its
# unique keys (the constraints of a database release 3 made have no names to drop them by).
_v3 = sa.MetaData()
sa.Table("imports", _v3, sa.Column("id", sa.Integer(), primary_key=True))
ENTERPRISES_V3 = sa.Table(
    "enterprises", _v3,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("name_key", sa.String(), nullable=False),
    sa.Column("name", sa.String(), nullable=False),
    sa.Column("credit_code", sa.String()),
    sa.Column("sector", sa.String(), nullable=False),
    sa.Column("above_scale", sa.Boolean()),
    sa.Column("contact", sa.String()),
    sa.Column("created_by", sa.Integer(), sa.ForeignKey("imports.id")),
    sa.UniqueConstraint("name_key", name="uq_enterprises_name_key"),
    sa.UniqueConstraint("credit_code", name="uq_enterprises_credit_code"),
)
ALIASES_V3 = sa.Table(
    "enterprise_aliases", _v3,
    sa.Column("name_key", sa.String(), nullable=False),
    sa.Column("alias", sa.String(), nullable=False, server_default=""),
    sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprises.id"), nullable=False),
    sa.Column("import_id", sa.Integer(), sa.ForeignKey("imports.id")),
    sa.PrimaryKeyConstraint("name_key", name="pk_enterprise_aliases"),
)


def _town_column(home: str) -> sa.Column:
    return sa.Column("town", sa.String(), nullable=False, server_default=home)


def upgrade() -> None:
    home = op.get_context().config.attributes["home_town"]
    towns = op.create_table("towns", sa.Column("name", sa.String(), primary_key=True),
                            sa.Column("position", sa.Integer(), nullable=False, server_default="0"))
    op.bulk_insert(towns, [{"name": home, "position": 0}])

    with op.batch_alter_table("imports") as batch:
        batch.add_column(_town_column(home))
        batch.add_column(sa.Column("imported_as", sa.String()))
        batch.add_column(sa.Column("undone_as", sa.String()))

    with op.batch_alter_table("enterprises", copy_from=ENTERPRISES_V3) as batch:
        batch.add_column(_town_column(home))
        batch.drop_constraint("uq_enterprises_name_key", type_="unique")
        batch.drop_constraint("uq_enterprises_credit_code", type_="unique")
        batch.create_unique_constraint("uq_enterprises_town_name_key", ["town", "name_key"])
        batch.create_unique_constraint("uq_enterprises_town_credit_code", ["town", "credit_code"])

    with op.batch_alter_table("enterprise_aliases", copy_from=ALIASES_V3) as batch:
        batch.add_column(_town_column(home))
        batch.drop_constraint("pk_enterprise_aliases", type_="primary")
        batch.create_primary_key("pk_enterprise_aliases", ["town", "name_key"])

    with op.batch_alter_table("peer_figures") as batch:
        batch.alter_column("town", new_column_name="peer")
    for table in DATA_TABLES:
        op.add_column(table, _town_column(home))
    op.drop_index("ix_observations_span", table_name="observations")
    op.create_index("ix_observations_span", "observations",
                    ["town", "year", "first_month", "last_month", "replaced_by"])

    op.create_table("original_files", sa.Column("sha256", sa.String(64), primary_key=True),
                    sa.Column("data", sa.LargeBinary(), nullable=False))

    # data_version:register, data_version:year:2024 … become the home town's own.
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.String))
    conn = op.get_bind()
    scoped = conn.execute(sa.select(meta.c.key).where(meta.c.key.like("data_version:%"))).scalars().all()
    for key in scoped:
        op.execute(meta.update().where(meta.c.key == key)
                   .values(key=f"data_version:{home}:" + key.removeprefix("data_version:")))
    total = conn.execute(sa.select(meta.c.value).where(meta.c.key == "data_version")).scalar()
    op.bulk_insert(meta, [{"key": f"data_version:{home}:all", "value": total or "0"}])
    if total is None:
        op.bulk_insert(meta, [{"key": "data_version", "value": "0"}])


def downgrade() -> None:
    raise NotImplementedError("a county's database cannot be split back into towns")
