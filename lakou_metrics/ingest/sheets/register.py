"""The enterprise register: name, credit code, sector, 规上, 联系领导."""
from __future__ import annotations

from ..layout import SheetLayout


def parse_register(layout: SheetLayout, parts: dict) -> None:
    """One row per enterprise, its attributes as written (the importer matches and updates)."""
    by_role, data_rows, report = layout.by_role, layout.data_rows, layout.report
    for i, cells in data_rows:
        parts["register"].append(layout.enterprise_fields(i, cells, by_role, parts["mentions"]))
        report.rows += 1
