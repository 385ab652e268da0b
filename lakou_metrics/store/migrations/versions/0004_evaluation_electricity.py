"""亩均效益评价 data and monthly electricity.

- enterprises gains `land_mu` (用地面积, 亩) and `power_account` (电力户号 at the 供电所).
- `evaluation_figures`: a year's evaluation figures per enterprise (versioned; NULL where the
  county's sheet left a figure blank), with the sheet's 是否规上, 投产日期 (ISO text) and 备注.
- `electricity`: electricity by span of months per enterprise (versioned), 万千瓦时, with the
  sheet's own 上年同期 where it has one.
- PostgreSQL only: both new tables hold towns' rows, so they get the row-level security of
  0003 (enabled, forced, the same four policies on `lakou.town`).

Revision ID: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Frozen here rather than imported: a migration means what it meant when it was written.
FIGURES = ("land_mu", "tax_10k", "value_added_10k", "energy_tce", "emission_t", "staff", "rd_10k",
           "revenue_10k", "power_10k_kwh")
COUNTY = "县"
SETTING = "current_setting('lakou.town', true)"
POLICIES = {  # as in 0003
    "lakou_town_select": f"FOR SELECT USING (town = {SETTING} OR {SETTING} = '{COUNTY}')",
    "lakou_town_insert": f"FOR INSERT WITH CHECK (town = {SETTING})",
    "lakou_town_update": f"FOR UPDATE USING (town = {SETTING}) WITH CHECK (town = {SETTING})",
    "lakou_town_delete": f"FOR DELETE USING (town = {SETTING})",
}
NEW_TABLES = ("evaluation_figures", "electricity")


def _versioned(name: str, *columns) -> None:
    """A data table of a town's rows that belong to an import and may be replaced by a later one."""
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), sa.ForeignKey("imports.id"), nullable=False),
        *columns,
        sa.Column("town", sa.String(), nullable=False),
        sa.Column("replaced_by", sa.Integer(), sa.ForeignKey("imports.id"), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )


def upgrade() -> None:
    with op.batch_alter_table("enterprises") as batch:
        batch.add_column(sa.Column("land_mu", sa.Float()))
        batch.add_column(sa.Column("power_account", sa.String()))
    _versioned(
        "evaluation_figures",
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprises.id"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("above_scale", sa.Boolean()),
        *(sa.Column(name, sa.Float()) for name in FIGURES),
        sa.Column("production_start", sa.String()),
        sa.Column("note", sa.String()),
    )
    _versioned(
        "electricity",
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprises.id"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("first_month", sa.Integer(), nullable=False),
        sa.Column("last_month", sa.Integer(), nullable=False),
        sa.Column("value_10k_kwh", sa.Float(), nullable=False),
        sa.Column("prior_10k_kwh", sa.Float()),
    )
    op.create_index("ix_electricity_span", "electricity",
                    ["town", "year", "first_month", "last_month", "replaced_by"])

    if op.get_bind().dialect.name != "postgresql":
        return
    for table in NEW_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        for name, rule in POLICIES.items():
            op.execute(f"CREATE POLICY {name} ON {table} {rule}")


def downgrade() -> None:
    op.drop_index("ix_electricity_span", table_name="electricity")
    for table in reversed(NEW_TABLES):
        op.drop_table(table)  # its policies go with it
    with op.batch_alter_table("enterprises") as batch:
        batch.drop_column("power_account")
        batch.drop_column("land_mu")
