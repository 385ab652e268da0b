"""The schema of the first releases (schema_version 3): one town per database.

A database those releases made has its tables but no alembic_version: upgraded from the start, it
comes here, and only gets what its release lacked (release 1: the alias column; releases 1 and 2:
the project tables). Every other database is made here from nothing.

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

MILESTONES = ("start_planned", "start_actual", "topping_planned", "topping_actual", "completion_planned",
              "completion_actual", "production_planned", "production_actual")


def _versioned(name: str, *columns) -> None:
    """A data table whose rows belong to an import and may be replaced by a later one."""
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), sa.ForeignKey("imports.id"), nullable=False),
        *columns,
        sa.Column("replaced_by", sa.Integer(), sa.ForeignKey("imports.id"), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if inspector.has_table("meta"):  # made by release 1, 2 or 3, before migrations
        if "alias" not in {c["name"] for c in inspector.get_columns("enterprise_aliases")}:
            op.add_column("enterprise_aliases", sa.Column("alias", sa.String(), nullable=False, server_default=""))
        if not inspector.has_table("projects"):
            _project_tables()
        return
    op.create_table("meta", sa.Column("key", sa.String(), primary_key=True), sa.Column("value", sa.String()))
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("stored_path", sa.String()),
        sa.Column("imported_at", sa.String(), nullable=False),
        sa.Column("imported_by", sa.String(), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("periods", sa.String(), nullable=False),
        sa.Column("replaced", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("undone_at", sa.String()),
        sa.Column("undone_by", sa.String()),
    )
    op.create_index("ix_imports_sha256", "imports", ["sha256"])
    op.create_table(
        "enterprises",
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
    op.create_table(
        "enterprise_aliases",
        sa.Column("name_key", sa.String(), nullable=False),
        sa.Column("alias", sa.String(), nullable=False, server_default=""),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprises.id"), nullable=False),
        sa.Column("import_id", sa.Integer(), sa.ForeignKey("imports.id")),
        sa.PrimaryKeyConstraint("name_key", name="pk_enterprise_aliases"),
    )
    op.create_table(
        "enterprise_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("import_id", sa.Integer(), sa.ForeignKey("imports.id"), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprises.id"), nullable=False),
        sa.Column("before", sa.String(), nullable=False),
    )
    op.create_index("ix_enterprise_changes_import_id", "enterprise_changes", ["import_id"])
    _versioned(
        "observations",
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprises.id"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("first_month", sa.Integer(), nullable=False),
        sa.Column("last_month", sa.Integer(), nullable=False),
        sa.Column("value_10k", sa.Float(), nullable=False),
        sa.Column("prior_10k", sa.Float()),
        sa.Column("above_scale", sa.Boolean()),
        sa.Column("sector", sa.String()),
    )
    op.create_index("ix_observations_span", "observations", ["year", "first_month", "last_month", "replaced_by"])
    _versioned("targets", sa.Column("year", sa.Integer(), nullable=False),
               sa.Column("indicator", sa.String(), nullable=False), sa.Column("target", sa.Float(), nullable=False))
    _versioned("target_actuals", sa.Column("year", sa.Integer(), nullable=False),
               sa.Column("indicator", sa.String(), nullable=False),
               sa.Column("last_month", sa.Integer(), nullable=False), sa.Column("actual", sa.Float(), nullable=False))
    _versioned("enterprise_targets",
               sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprises.id"), nullable=False),
               sa.Column("year", sa.Integer(), nullable=False), sa.Column("target_10k", sa.Float(), nullable=False))
    _versioned("peer_figures", sa.Column("town", sa.String(), nullable=False),
               sa.Column("year", sa.Integer(), nullable=False), sa.Column("last_month", sa.Integer(), nullable=False),
               sa.Column("indicator", sa.String(), nullable=False), sa.Column("value", sa.Float(), nullable=False))
    _project_tables()


def _project_tables() -> None:
    """重点项目, added by release 3."""
    _versioned(
        "projects",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("name_key", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprises.id"), nullable=False),
        sa.Column("sector", sa.String()),
        sa.Column("kind", sa.String()),
        sa.Column("manufacturing", sa.Boolean(), nullable=False),
        sa.Column("total_10k", sa.Float()),
        sa.Column("plan_10k", sa.Float()),
        sa.Column("inward", sa.Boolean(), nullable=False),
        sa.Column("contracted_10k", sa.Float()),
        sa.Column("signed", sa.String()),
        sa.Column("contact", sa.String()),
        *(sa.Column(name, sa.String()) for name in MILESTONES),
        sa.Column("issues", sa.String()),
    )
    _versioned("project_progress", sa.Column("year", sa.Integer(), nullable=False),
               sa.Column("project_key", sa.String(), nullable=False),
               sa.Column("first_month", sa.Integer(), nullable=False),
               sa.Column("last_month", sa.Integer(), nullable=False),
               sa.Column("invested_10k", sa.Float()), sa.Column("received_10k", sa.Float()))


def downgrade() -> None:
    raise NotImplementedError("the first schema is where every database starts")
