"""Carrying last year's unfinished 重点项目 into this year's register: a preview that writes nothing,
then, as staff confirm, an ordinary import of the register rows the preview showed (same checks,
same import history, same undo as a register file)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine

from . import importing, store
from .compute.projects import CarryOver, compute_invested_to_date, plan_carry_over
from .output.templates import build_prefilled_projects
from .store import ImportOutcome, Operator


@dataclass(frozen=True)
class CarryPreview:
    """What carrying into `plan.year` would write, and the town's data version it was read at."""

    plan: CarryOver
    town: str
    version: int


def preview_carry_over(engine: Engine, year: int) -> CarryPreview:
    """Last year's unfinished projects as `year`'s register rows (compute.projects.plan_carry_over),
    their investment to date summed over every stored year up to last year. Writes nothing."""
    version = store.data_version(engine)  # read first: a change during the reads makes it stale
    previous = store.load_projects(engine, year - 1)
    progress = {y: store.load_project_progress(engine, y) for y in store.project_years(engine) if y < year}
    registered = set(store.load_projects(engine, year).name_key)
    plan = plan_carry_over(previous, compute_invested_to_date(progress), registered, year)
    return CarryPreview(plan, store.town_of(engine), version)


def carry_file_name(year: int) -> str:
    """The name the carry-over has in the import history."""
    return f"结转{year - 1}年未完成重点项目到{year}年项目库.xlsx"


def carry_over_projects(engine: Engine, preview: CarryPreview, names: list[str] | None = None, *,
                        operator: Operator) -> ImportOutcome | None:
    """Store the previewed rows (those named in `names`; default: the suggested ones) in the
    preview's year as one import by `operator`. Raises store.DataChanged when the town's data changed since the
    preview (so a project entered meanwhile is never overwritten), and what an import raises
    (ImportRefused, NotPermitted, StoreUnavailable). None when nothing is chosen."""
    carry = preview.plan.carry
    chosen = carry[carry.name.isin(names)] if names is not None else carry[carry.suggested]
    if chosen.empty:
        return None
    data = build_prefilled_projects(chosen, preview.plan.year)
    return importing.import_bytes(store.for_town(engine, preview.town), data, carry_file_name(preview.plan.year),
                                  operator=operator, expected_version=preview.version)
