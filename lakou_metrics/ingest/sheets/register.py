"""The enterprise register: name, credit code, sector, 规上, 联系领导, 用地面积（亩）, 电力户号."""
from __future__ import annotations

from ...domain import labels
from ..cells import cell_text
from ..layout import SheetLayout


def parse_register(layout: SheetLayout, parts: dict) -> None:
    """One row per enterprise, its attributes as written (the importer matches and updates). An
    enterprise listed twice in the file (by name, or a credit code under two names) is a problem
    naming both places: which row's sector or code is right is for a person to say."""
    by_role, data_rows, report = layout.by_role, layout.data_rows, layout.report
    seen = parts.setdefault("register_seen", {})  # ("name", key) / ("code", code) → (sheet, row, name)
    header = by_role["enterprise"].header
    for i, cells in data_rows:
        fields = layout.enterprise_fields(i, cells, by_role, parts["mentions"])
        here = (layout.sheet.name, i + 1, fields["name"])
        name_seen = seen.setdefault(("name", fields["name_key"]), here)
        code = fields["credit_code"]
        code_seen = seen.setdefault(("code", code), here) if code else here
        if name_seen is not here:
            layout.problem(labels.REGISTER_TWICE.format(where=_where(name_seen, here), row=name_seen[1]),
                           i + 1, header, fields["name"])
        elif code_seen is not here:
            layout.problem(labels.REGISTER_CODE_TWICE.format(code=code, where=_where(code_seen, here),
                                                             row=code_seen[1], other=code_seen[2]),
                           i + 1, header, fields["name"])
        parts["register"].append(fields)
        _details(layout, i, cells, fields["name_key"], parts["details"])
        report.rows += 1


def _details(layout: SheetLayout, i: int, cells, key: str, details: dict) -> None:
    """The row's 用地面积 (亩, not negative) and 电力户号, where the sheet has those columns: blank is
    None (a file leaves a known one as it is; a register edited on a page clears it)."""
    land, account = layout.by_role.get("land_mu"), layout.by_role.get("power_account")
    if land is None and account is None:
        return
    found = details.setdefault(key, {"land_mu": None, "power_account": None})
    if land is not None:
        value = layout.number(i, land, cells[land.index], allow_negative=True)
        if value is not None and value < 0:
            layout.problem(labels.NEGATIVE_FIGURE.format(figure=labels.EVALUATION_FIGURES["land_mu"]), i + 1,
                           land.header, cells[land.index])
            value = None
        found["land_mu"] = value
    if account is not None:
        found["power_account"] = cell_text(cells[account.index]) or None

def _where(other: tuple, here: tuple) -> str:
    return "" if other[0] == here[0] else f"工作表「{other[0]}」"
