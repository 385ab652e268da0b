"""The import history, and undo: restoring exactly what was stored before an import."""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from sqlalchemy import (
    delete,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine

from ..domain import labels
from .authority import NotPermitted, Operator, require_operator
from .engine import _writing, bump_town, changed_scopes
from .schema import (
    VERSIONED,
    electricity,
    enterprise_aliases,
    enterprise_changes,
    enterprise_targets,
    enterprises,
    evaluation_figures,
    imports,
    observations,
    project_progress,
    projects,
)
from .scope import COUNTY, switch_town


def list_imports(engine: Engine) -> pd.DataFrame:
    """The import history of the engine's town, newest first."""
    with engine.connect() as conn:
        rows = conn.execute(select(imports).order_by(imports.c.id.desc())).all()
    frame = pd.DataFrame(rows, columns=[c.name for c in imports.columns])
    for col in ("periods", "replaced"):
        frame[col] = frame[col].map(json.loads)
    return frame


def undo_import(engine: Engine, import_id: int, *, operator: Operator) -> str:
    """Restore exactly what was stored before import `import_id`. Raises ValueError (Chinese)
    when it is not active or a later import has since replaced its rows, NotPermitted when
    `operator` may not change the import's town, and TypeError when it is not an Operator a
    sign-in made (store.authority)."""
    require_operator(operator)
    with _writing(engine) as conn:
        # The import is looked up among every town's (the engine's town may not be the import's:
        # county staff undo any town's; a town's staff are told whose it is), then changed as its town's.
        switch_town(conn, COUNTY)
        row = conn.execute(select(imports).where(imports.c.id == import_id,
                                                 imports.c.status == "active")).first()
        if row is None:
            raise ValueError(labels.UNDO_MISSING.format(id=import_id))
        if not operator.may_change(row.town):
            raise NotPermitted(labels.NOT_PERMITTED_UNDO.format(id=import_id, town=row.town, who=operator.name,
                                                                authority=operator.authority))
        switch_town(conn, row.town)
        for table in VERSIONED:
            later = conn.execute(select(table.c.replaced_by).where(
                table.c.import_id == import_id, table.c.replaced_by.is_not(None))).first()
            if later:
                raise ValueError(labels.UNDO_BLOCKED.format(id=import_id, later=later[0]))
        touched = or_(
            enterprise_changes.c.enterprise_id.in_(
                select(enterprise_changes.c.enterprise_id).where(enterprise_changes.c.import_id == import_id)),
            # an enterprise this import created, which a later import has since changed
            enterprise_changes.c.enterprise_id.in_(
                select(enterprises.c.id).where(enterprises.c.created_by == import_id)))
        later = conn.execute(select(enterprise_changes.c.import_id).where(
            enterprise_changes.c.import_id > import_id, touched,
            enterprise_changes.c.import_id.in_(select(imports.c.id).where(imports.c.status == "active")),
        )).first()
        if later:
            raise ValueError(labels.UNDO_BLOCKED.format(id=import_id, later=later[0]))
        _check_projects_unused(conn, import_id)
        bump_town(conn, row.town, changed_scopes(conn, import_id))

        for table in VERSIONED:
            conn.execute(delete(table).where(table.c.import_id == import_id))
            conn.execute(update(table).where(table.c.replaced_by == import_id).values(replaced_by=None))
        changes = conn.execute(select(enterprise_changes).where(enterprise_changes.c.import_id == import_id)
                               .order_by(enterprise_changes.c.id.desc())).all()
        for change in changes:
            conn.execute(update(enterprises).where(enterprises.c.id == change.enterprise_id)
                         .values(**json.loads(change.before)))
        conn.execute(delete(enterprise_changes).where(enterprise_changes.c.import_id == import_id))
        conn.execute(delete(enterprise_aliases).where(enterprise_aliases.c.import_id == import_id))
        created = select(enterprises.c.id).where(enterprises.c.created_by == import_id)
        still_used = or_(*(enterprises.c.id.in_(select(t.c.enterprise_id)) for t in
                           (observations, enterprise_targets, projects, evaluation_figures, electricity)),
                         enterprises.c.id.in_(select(enterprise_aliases.c.enterprise_id)))
        conn.execute(update(enterprises).where(enterprises.c.id.in_(created), still_used)
                     .values(created_by=None))
        conn.execute(delete(enterprises).where(enterprises.c.created_by == import_id))
        conn.execute(update(imports).where(imports.c.id == import_id).values(
            status="undone", undone_by=operator.name, undone_as=operator.authority,
            undone_at=dt.datetime.now().astimezone().isoformat(timespec="seconds")))
    return labels.UNDONE.format(id=import_id, file=row.file_name)


def _check_projects_unused(conn: Connection, import_id: int) -> None:
    """Undoing an import that first registered a project, while a later import holds its
    progress, would leave that progress without a project: refused, naming the later import."""
    p, g = projects.c, project_progress.c
    created = conn.execute(select(p.year, p.name_key, p.name).where(p.import_id == import_id)).all()
    for year, key, name in created:
        earlier = conn.execute(select(p.id).where(p.year == year, p.name_key == key,
                                                  p.replaced_by == import_id)).first()
        if earlier is not None:
            continue  # undo puts the earlier row back: the project stays
        user = conn.execute(select(g.import_id).where(g.year == year, g.project_key == key,
                                                      g.replaced_by.is_(None),
                                                      g.import_id != import_id)).first()
        if user is not None:
            raise ValueError(labels.UNDO_PROJECT_IN_USE.format(id=import_id, name=name, later=user[0]))


