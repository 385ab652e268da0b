"""The schema: the towns, import history, the enterprise register and its aliases, and the versioned
data tables. Every row belongs to a town (`town`); rows of a data table belong to the import that
brought them, and an import that replaces them marks the old rows `replaced_by` itself, so undo
restores them exactly. Databases are made and upgraded by the Alembic migrations in migrations/
(`store.migrate`); this module describes the newest schema for the queries, and a test checks
that the two agree."""
from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
)

from ..domain.evaluation import FIGURES
from ..ingest.columns import MILESTONE_FIELDS

metadata = MetaData()

meta = Table("meta", metadata, Column("key", String, primary_key=True), Column("value", String))

# The towns this database holds, the home town first (a town's own database holds one).
towns = Table("towns", metadata, Column("name", String, primary_key=True),
              Column("position", Integer, nullable=False, server_default="0"))


def _town() -> Column:
    """The town a row belongs to (towns.name)."""
    return Column("town", String, nullable=False)


imports = Table(
    "imports", metadata,
    Column("id", Integer, primary_key=True),
    Column("file_name", String, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("size_bytes", Integer, nullable=False),
    Column("stored_path", String),
    Column("imported_at", String, nullable=False),  # ISO 8601, local time with offset
    Column("imported_by", String, nullable=False),
    _town(),
    Column("row_count", Integer, nullable=False),
    Column("periods", String, nullable=False),  # JSON list of period labels
    Column("replaced", String, nullable=False),  # JSON list of period labels it replaced
    Column("status", String, nullable=False, default="active"),  # active | undone
    Column("undone_at", String),
    Column("undone_by", String),
    # The authority each acted under: a town's staff (the town) or the county's (县); NULL before towns.
    Column("imported_as", String),
    Column("undone_as", String),
)

enterprises = Table(
    "enterprises", metadata,
    Column("id", Integer, primary_key=True),
    _town(),
    Column("name_key", String, nullable=False),
    Column("name", String, nullable=False),
    Column("credit_code", String),
    Column("sector", String, nullable=False, default="other"),
    Column("above_scale", Boolean),
    Column("contact", String),
    Column("created_by", Integer, ForeignKey("imports.id")),
    Column("land_mu", Float),  # 用地面积, 亩
    Column("power_account", String),  # 电力户号 at the 供电所 (several: separated by 、)
    # A name and a credit code are unique within a town: two towns may each know an enterprise.
    UniqueConstraint("town", "name_key", name="uq_enterprises_town_name_key"),
    UniqueConstraint("town", "credit_code", name="uq_enterprises_town_credit_code"),
)

# Other spellings of an enterprise's name (normalised), so two spellings become one enterprise.
enterprise_aliases = Table(
    "enterprise_aliases", metadata,
    _town(),
    Column("name_key", String, nullable=False),
    Column("alias", String, nullable=False, server_default=""),  # as typed
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("import_id", Integer, ForeignKey("imports.id")),
    PrimaryKeyConstraint("town", "name_key", name="pk_enterprise_aliases"),
)

# The attributes an import changed, as they were before it (JSON), so undo can put them back.
enterprise_changes = Table(
    "enterprise_changes", metadata,
    Column("id", Integer, primary_key=True),
    Column("import_id", Integer, ForeignKey("imports.id"), nullable=False, index=True),
    _town(),  # the import's
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
        _town(),
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
Index("ix_observations_span", observations.c.town, observations.c.year, observations.c.first_month,
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
    Column("peer", String, nullable=False),  # the other town, as typed
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
# 亩均效益评价: a year's figures per enterprise, as the county's sheet gives them (NULL where blank);
# an import of a year's sheet replaces every row of that year.
evaluation_figures = _versioned(
    "evaluation_figures",
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("above_scale", Boolean),  # the sheet's 是否规上 (NULL: the register's)
    *(Column(name, Float) for name in FIGURES),
    Column("production_start", String),  # 投产日期, ISO date
    Column("note", String),  # 备注
)
# Monthly electricity from the 供电所, by span of months like output (万千瓦时).
electricity = _versioned(
    "electricity",
    Column("enterprise_id", Integer, ForeignKey("enterprises.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("first_month", Integer, nullable=False),
    Column("last_month", Integer, nullable=False),
    Column("value_10k_kwh", Float, nullable=False),
    Column("prior_10k_kwh", Float),
)
Index("ix_electricity_span", electricity.c.town, electricity.c.year, electricity.c.first_month,
      electricity.c.last_month, electricity.c.replaced_by)
EVALUATION_VALUES = ("above_scale", *FIGURES, "production_start", "note")
PROJECT_VALUES = ("name", "enterprise_id", "sector", "kind", "manufacturing", "total_10k", "plan_10k", "inward",
                  "contracted_10k", "signed", "contact", *MILESTONE_FIELDS, "issues")
VERSIONED = (observations, targets, target_actuals, enterprise_targets, peer_figures, projects, project_progress,
             evaluation_figures, electricity)



# An import's original file, kept in the database so that every app process can offer it again.
original_files = Table("original_files", metadata, Column("sha256", String(64), primary_key=True),
                       Column("data", LargeBinary, nullable=False))
