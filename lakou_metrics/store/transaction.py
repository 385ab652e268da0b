"""One import in one write transaction: cleaned tables in, versioned rows out, all or nothing.
The jobs are modules beside this one: enterprise_rows (match, create, update, aliases), span_rows
(output figures, checked for consistency), keyed_rows (targets, peer figures …), project_rows.
A dry run (a preview) goes through the same jobs as a plan: in a read transaction, writing nothing,
so it never waits for another's import; every figure and refusal of its outcome is the import's."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection, Engine

from ..domain import labels
from ..ingest.clean import CleanResult
from ..ingest.errors import Problem
from ..ingest.towns import refuse_other_towns, split_by_town
from .authority import Operator, authorise, require_operator
from .engine import (
    _read_data_version,
    _reading,
    _writing,
    bump_town,
    changed_scopes,
    town_version_key,
)
from .enterprise_rows import resolve_enterprises, store_aliases
from .evaluation_rows import store_electricity, store_evaluation
from .keyed_rows import store_rows
from .project_rows import store_progress, store_projects
from .schema import enterprise_targets, imports, original_files, peer_figures, target_actuals, targets, towns
from .scope import COUNTY, switch_town, town_of
from .span_rows import store_observations

# Called inside an import's transaction just before it commits; tests use it to kill the process
# at the worst moment. None in normal use.
before_commit = None


@dataclass
class ImportOutcome:
    status: str  # imported | unchanged | dry_run
    file: str
    import_id: int | None = None
    rows: int = 0
    periods: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    new_enterprises: int = 0
    warnings: list[Problem] = field(default_factory=list)
    cleaned: CleanResult | None = None
    town: str = ""  # the town the rows went to
    # A file of several towns: each town's own outcome (each an import of that town); the
    # figures above are their sums, and import_id is None.
    parts: list[ImportOutcome] = field(default_factory=list)
    new_town: bool = False  # the town was not in the database before this import
    elsewhere: bool = False  # the rows went to another town than the one the import was made from
    changed: bool = False  # the import stored something (a dry run: would store)
    # The file's electricity rows (ingest ELECTRICITY_FIELDS) with the enterprise_id each is filed
    # under, by name or 户号 (a plan numbers the enterprises it adds -1, -2, …); None without any.
    electricity: pd.DataFrame | None = None

    def describe(self) -> str:
        """What happened, in Chinese, for the CLI and the page."""
        if self.parts:
            lines = [labels.IMPORTED_TOWN.format(town=p.town, text=line)
                     for p in self.parts for line in p._describe_own()]
        else:
            lines = self._describe_own()
            if self.elsewhere:
                lines[0] = labels.IMPORTED_TOWN.format(town=self.town, text=lines[0])
        if self.warnings:
            lines.append(labels.WARNINGS_HEADING)
            lines += [f"- {w.describe()}" for w in self.warnings]
        return "\n".join(lines)

    def _describe_own(self) -> list[str]:
        periods = "、".join(self.periods) or "—"
        if self.status == "unchanged":
            lines = [labels.UNCHANGED.format(file=self.file)]
        elif self.status == "dry_run":
            lines = [labels.DRY_RUN.format(file=self.file, rows=self.rows, periods=periods)]
        else:
            lines = [labels.IMPORTED.format(file=self.file, rows=self.rows, periods=periods,
                                            id=self.import_id)]
            if self.replaced:
                lines.append(labels.REPLACED.format(periods="、".join(self.replaced), id=self.import_id))
        if self.new_enterprises:
            lines.append(f"新增企业 {self.new_enterprises} 家")
        return lines


class DataChanged(Exception):
    """The stored data changed after the preview the user confirmed; nothing was stored."""


def store_cleaned(engine: Engine, cleaned: CleanResult, sha: str, size: int, *, operator: Operator,
                  dry_run: bool = False, expected_version: int | Mapping[str, int] | None = None,
                  original: bytes | None = None) -> ImportOutcome:
    """Store cleaned tables (from a file or from a page's edits) in one write transaction, with the
    original file when given: all of it or none of it. A dry run plans the same import in a read
    transaction and stores nothing: it never waits for another's import (the writers' lock), and
    its outcome (status "dry_run") is the import's, refusals included.

    The rows go to the engine's town, unless the file says otherwise (ingest.towns): a town's
    staff importing a file that names another town get ImportRefused; county staff's file goes to
    the town it names, or is split into each town its 乡镇 column names (one import per town).
    Raises TypeError when `operator` is not an Operator a sign-in made (store.authority), and
    NotPermitted when it may not change a town's data; with `expected_version` (the engine's
    town's version, or {town: version} of every town the file goes to, from a preview),
    DataChanged when someone changed that data since."""
    require_operator(operator)
    town = town_of(engine)
    authorise(operator, town)
    if operator.authority == COUNTY:
        parts = split_by_town(cleaned, town)
    else:
        refuse_other_towns(cleaned, town)
        parts = {town: cleaned}
    if not isinstance(expected_version, Mapping):
        expected_version = {} if expected_version is None else {town: expected_version}
    with (_reading if dry_run else _writing)(engine) as conn:
        for checked, expected in expected_version.items():
            authorise(operator, checked)  # another town's history is not told to its staff
            switch_town(conn, checked)
            _check_version(conn, checked, expected)
        outcomes = []
        for part_town, part in parts.items():
            switch_town(conn, part_town)
            new_town = _register_town(conn, part_town, planning=dry_run)
            job = ImportTransaction(conn, part, sha, size, operator, part_town, planning=dry_run)
            outcome = job.run(original=original)
            outcome.town, outcome.new_town, outcome.elsewhere = part_town, new_town, part_town != town
            outcomes.append((job, outcome))
        if dry_run:  # a plan wrote nothing; its read transaction is rolled back
            pass
        elif not any(job.changed for job, _ in outcomes):
            conn.rollback()
        else:
            for job, outcome in outcomes:
                switch_town(conn, outcome.town)
                if job.changed:
                    bump_town(conn, outcome.town, changed_scopes(conn, job.import_id))
                else:  # one town's part of a county file changed nothing: no import for it
                    conn.execute(delete(imports).where(imports.c.id == job.import_id))
            if before_commit is not None:
                before_commit()
    outcomes = [outcome for _, outcome in outcomes]
    if dry_run:
        for outcome in outcomes:
            outcome.status = "dry_run"
    return outcomes[0] if len(outcomes) == 1 else _combined(cleaned, outcomes, dry_run)


def _combined(cleaned: CleanResult, parts: list[ImportOutcome], dry_run: bool) -> ImportOutcome:
    """One outcome for a file split into several towns: its parts, and their sums."""
    status = "dry_run" if dry_run else "imported" if any(p.status == "imported" for p in parts) else "unchanged"
    return ImportOutcome(status, cleaned.file, None, sum(p.rows for p in parts),
                         list(dict.fromkeys(x for p in parts for x in p.periods)),
                         list(dict.fromkeys(f"{p.town}{x}" for p in parts for x in p.replaced)),
                         sum(p.new_enterprises for p in parts), cleaned.warnings, cleaned, parts=parts,
                         elsewhere=True, changed=any(p.changed for p in parts))


def _register_town(conn: Connection, town: str, planning: bool = False) -> bool:
    """The first import of a town adds it to the towns the database holds (True when it did; a
    plan only says it would)."""
    if conn.execute(select(towns.c.name).where(towns.c.name == town)).first() is not None:
        return False
    if planning:
        return True
    position = conn.execute(select(towns.c.position).order_by(towns.c.position.desc()).limit(1)).scalar()
    conn.execute(insert(towns).values(name=town, position=(position or 0) + 1))
    return True


def _check_version(conn: Connection, town: str, expected: int) -> None:
    if (_read_data_version(conn, town_version_key(town)) or 0) != expected:
        latest = conn.execute(select(imports).order_by(imports.c.id.desc()).limit(1)).first()
        what = "数据已变化"
        if latest:
            done = "撤销了" if latest.status == "undone" else "导入了"
            what = f"{latest.imported_by} 于 {latest.imported_at} {done}「{latest.file_name}」"
        raise DataChanged(labels.DATA_CHANGED.format(what=what))


class ImportTransaction:
    """One import being stored: the connection, the cleaned tables, the new import's id, and
    whether anything changed. Each job (enterprises, spans, keyed rows, projects) reads and
    writes through it: every change goes through `write`, which a plan (`planning`) skips, and
    what the import stores is also kept here, so a later job (of a plan too) sees it."""

    def __init__(self, conn: Connection, cleaned: CleanResult, sha: str, size: int, operator: Operator,
                 town: str, planning: bool = False):
        self.conn, self.cleaned, self.sha, self.size = conn, cleaned, sha, size
        self.operator, self.town, self.planning = operator, town, planning
        self.import_id: int | None = None  # a plan has none
        self.changed = False
        self.new_enterprises = 0
        # The enterprises this import adds or changes, as it leaves them ({id: row}; a plan numbers
        # the ones it adds -1, -2, …), the alias keys it adds ({key: id}) and the keyed rows it
        # writes ({table name: {keys: record}}).
        self.enterprises: dict[int, dict] = {}
        self.aliases: dict[str, int] = {}
        self.written: dict[str, dict[tuple, dict]] = {}
        self.electricity: pd.DataFrame | None = None  # store_electricity's rows, with their enterprise_id

    def write(self, statement):
        """Execute a change (INSERT, UPDATE, DELETE); a plan does not."""
        if not self.planning:
            return self.conn.execute(statement)
        return None

    def run(self, original: bytes | None) -> ImportOutcome:
        c = self.cleaned
        now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        if not self.planning:
            self.import_id = self.conn.execute(insert(imports).values(
                file_name=c.file, sha256=self.sha, size_bytes=self.size, imported_at=now,
                imported_by=self.operator.name, imported_as=self.operator.authority, row_count=c.row_count,
                periods="[]", replaced="[]", status="active",
            )).inserted_primary_key[0]

        ids = resolve_enterprises(self)
        replaced = []
        replaced += store_observations(self, ids)
        replaced += store_evaluation(self, ids)
        replaced += store_electricity(self, ids)
        replaced += store_rows(self, targets, c.targets, ["year", "indicator"], ["target"],
                               lambda r: f"{r['year']}年目标")
        replaced += store_rows(self, target_actuals, c.target_actuals, ["year", "indicator", "last_month"], ["actual"],
                               lambda r: f"{r['year']}年1-{r['last_month']}月目标完成情况")
        ent_targets = c.enterprise_targets.assign(
            enterprise_id=[ids[k] for k in c.enterprise_targets["name_key"]]
        )[["enterprise_id", "year", "target_10k"]]
        replaced += store_rows(self, enterprise_targets, ent_targets, ["year", "enterprise_id"], ["target_10k"],
                               lambda r: f"{r['year']}年企业目标")
        store_aliases(self, ids)
        replaced += store_rows(self, peer_figures, c.peer_figures.rename(columns={"town": "peer"}),
                               ["peer", "year", "last_month", "indicator"], ["value"],
                               lambda r: f"{r['peer']}{r['year']}年1-{r['last_month']}月")
        replaced += store_projects(self)
        replaced += store_progress(self)

        periods = list(dict.fromkeys(p for s in c.sheets for p in s.periods))
        replaced = list(dict.fromkeys(replaced))
        self.write(update(imports).where(imports.c.id == self.import_id).values(
            periods=json.dumps(periods, ensure_ascii=False),
            replaced=json.dumps(replaced, ensure_ascii=False)))
        outcome = ImportOutcome("imported", c.file, self.import_id, c.row_count, periods, replaced,
                                self.new_enterprises, c.warnings, c, changed=self.changed,
                                electricity=self.electricity)
        if not self.changed:
            outcome.status, outcome.import_id = "unchanged", None
        elif original is not None:
            self._keep_original(original)
        return outcome

    def _keep_original(self, data: bytes) -> None:
        """The original file, in the database (once for every import of the same bytes; writers
        queue, so no other can be adding the same bytes meanwhile)."""
        if self.conn.execute(select(original_files.c.sha256).where(original_files.c.sha256 == self.sha)).first():
            return
        self.write(insert(original_files).values(sha256=self.sha, data=data))
