"""The schema: import history, the enterprise register and its aliases, and the versioned data
tables. Rows of a data table belong to the import that brought them; an import that replaces them
marks the old rows `replaced_by` itself, so undo restores them exactly."""
from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, ForeignKey, Index, Integer, MetaData, String, Table

from ..ingest.columns import MILESTONE_FIELDS

SCHEMA_VERSION = 3
# Schema changes since version 1, applied in order to older databases when they are opened
# (new tables need none: create_all adds them).
MIGRATIONS = {
    2: ["ALTER TABLE enterprise_aliases ADD COLUMN alias VARCHAR NOT NULL DEFAULT ''"],
    3: [],  # projects, project_progress
}

metadata = MetaData()

meta = Table("meta", metadata, Column("key", String, primary_key=True), Column("value", String))

imports = Table(
    "imports", metadata,
    Column("id", Integer, primary_key=True),
    Column("file_name", String, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("size_bytes", Integer, nullable=False),
    Column("stored_path", String),
    Column("imported_at", String, nullable=False),  # ISO 8601, local time with offset
    Column("imported_by", String, nullable=False),
    Column("row_count", Integer, nullable=False),
    Column("periods", String, nullable=False),  # JSON list of period labels
    Column("replaced", String, nullable=False),  # JSON list of period labels it replaced
    Column("status", String, nullable=False, default="active"),  # active | undone
    Column("undone_at", String),
    Column("undone_by", String),
)

enterprises = Table(
    "enterprises", metadata,
    Column("id", Integer, primary_key=True),
    Column("name_key", String, nullable=False, unique=True),
    Column("name", String, nullable=False),
    Column("credit_code", String, unique=True),
    Column("sector", String, nullable=False, default="other"),
    Column("above_scale", Boolean),
    Column("contact", String),
    Column("created_by", Integer, ForeignKey("imports.id")),
)

# Other spellings of an enterprise's name (normalised), so two spellings become one enterprise.
enterprise_aliases = Table(
    "enterprise_aliases", metadata,
    Column("name_key", String, primary_key=True),
    Column("alias", String, nullable=False),  # as typed
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("import_id", Integer, ForeignKey("imports.id")),
)

# The attributes an import changed, as they were before it (JSON), so undo can put them back.
enterprise_changes = Table(
    "enterprise_changes", metadata,
    Column("id", Integer, primary_key=True),
    Column("import_id", Integer, ForeignKey("imports.id"), nullable=False, index=True),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("before", String, nullable=False),
)


def _versioned(name: str, *columns) -> Table:
    """A data table whose rows belong to an import and may be replaced by a later one."""
    return Table(
        name, metadata,
        Column("id", Integer, primary_key=True),
        Column("import_id", Integer, ForeignKey("imports.id"), nullable=False),
        *columns,
        # Not indexed on their own: undo scans by them rarely, and every index slows a bulk import.
        Column("replaced_by", Integer, ForeignKey("imports.id")),
    )


observations = _versioned(
    "observations",
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("first_month", Integer, nullable=False),
    Column("last_month", Integer, nullable=False),
    Column("value_10k", Float, nullable=False),
    Column("prior_10k", Float),
    Column("above_scale", Boolean),
    Column("sector", String),
)
Index("ix_observations_span", observations.c.year, observations.c.first_month,
      observations.c.last_month, observations.c.replaced_by)

targets = _versioned(
    "targets",
    Column("year", Integer, nullable=False),
    Column("indicator", String, nullable=False),
    Column("target", Float, nullable=False),
)
target_actuals = _versioned(
    "target_actuals",
    Column("year", Integer, nullable=False),
    Column("indicator", String, nullable=False),
    Column("last_month", Integer, nullable=False),
    Column("actual", Float, nullable=False),
)
enterprise_targets = _versioned(
    "enterprise_targets",
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("target_10k", Float, nullable=False),
)
peer_figures = _versioned(
    "peer_figures",
    Column("town", String, nullable=False),
    Column("year", Integer, nullable=False),
    Column("last_month", Integer, nullable=False),
    Column("indicator", String, nullable=False),
    Column("value", Float, nullable=False),
)
# 重点项目: a year's register, one row per project (milestone dates as ISO text, NULL when none) …
projects = _versioned(
    "projects",
    Column("year", Integer, nullable=False),
    Column("name_key", String, nullable=False),
    Column("name", String, nullable=False),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("sector", String),  # NULL: the enterprise's
    Column("kind", String),  # 新建 | 扩建 | 技改
    Column("manufacturing", Boolean, nullable=False),
    Column("total_10k", Float),
    Column("plan_10k", Float),  # this year's planned investment
    Column("inward", Boolean, nullable=False),  # 市外内资
    Column("contracted_10k", Float),
    Column("signed", String),
    Column("contact", String),
    *(Column(name, String) for name in MILESTONE_FIELDS),
    Column("issues", String),
)
# … and its progress: investment completed (and inward capital received) per project and span.
project_progress = _versioned(
    "project_progress",
    Column("year", Integer, nullable=False),
    Column("project_key", String, nullable=False),
    Column("first_month", Integer, nullable=False),
    Column("last_month", Integer, nullable=False),
    Column("invested_10k", Float),
    Column("received_10k", Float),
)
PROJECT_VALUES = ("name", "enterprise_id", "sector", "kind", "manufacturing", "total_10k", "plan_10k", "inward",
                  "contracted_10k", "signed", "contact", *MILESTONE_FIELDS, "issues")
VERSIONED = (observations, targets, target_actuals, enterprise_targets, peer_figures, projects, project_progress)
ENTERPRISE_ATTRIBUTES = ("name", "credit_code", "sector", "above_scale", "contact")


