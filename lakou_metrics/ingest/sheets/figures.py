"""Sheets of figures by indicator or by enterprise: the year's targets and their actuals, a peer
town's figures, and enterprises' own output targets."""
from __future__ import annotations

from ...domain import labels
from ...domain.periods import normalise_text, parse_period, parse_year
from ..cells import cell_text, describe_found, parse_year_in_text
from ..layout import SheetLayout
from ..towns import read_town_cell, town_key


def parse_targets(layout: SheetLayout, parts: dict) -> None:
    """指标 | 单位 | 年度目标 | 1-3月完成 …: the year's targets (canonical units) and dated actuals."""
    header_row, by_role, columns, data_rows, report = (
        layout.header_row, layout.by_role, layout.columns, layout.data_rows, layout.report)
    year_col = by_role.get("year")
    sheet_year = layout.sheet_year(header_row) or parse_year_in_text(layout.sheet.name)
    actual_cols = []
    for col in columns:
        if col.role in ("actual",) or ("完成" in col.header and col.role is None):
            actual_cols.append(col)
    period_col = by_role.get("period")
    for i, cells in data_rows:
        year = parse_year(cells[year_col.index]) if year_col else sheet_year
        if year is None:
            layout.problem(labels.TARGET_NEEDS_YEAR, i + 1)
            continue
        found = layout.indicator(i, cells, by_role)
        if found is None:
            continue
        indicator, factor = found
        target = layout.number(i, by_role["target"], cells[by_role["target"].index],
                               allow_negative=indicator.kind == "growth")
        if target is not None:
            parts["targets"].append({"year": year, "indicator": indicator.code,
                                     "target": target * factor})
            report.rows += 1
        for col in actual_cols:
            actual = layout.number(i, col, cells[col.index], allow_negative=True)
            if actual is None:
                continue
            if period_col:
                period = parse_period(cells[period_col.index], default_year=year)
            else:
                period = parse_period(col.header.replace("完成", ""), default_year=year)
            if period is None:
                layout.problem(labels.BAD_PERIOD, i + 1, col.header,
                             cells[period_col.index] if period_col else col.header)
                continue
            parts["actuals"].append({"year": year, "indicator": indicator.code,
                                     "last_month": period.last, "actual": actual * factor})
    report.periods = [f"{y}年目标" for y in sorted({t["year"] for t in parts["targets"]})]


def parse_peer(layout: SheetLayout, parts: dict) -> None:
    """A peer town's figures (温溪镇): 乡镇 | 年份 | 期间 | 指标 | 单位 | 数值."""
    header_row, by_role, columns, data_rows, report = (
        layout.header_row, layout.by_role, layout.columns, layout.data_rows, layout.report)
    figure = next((c for c in columns if c.value_kind or c.role == "actual"), None)
    if figure is None:
        layout.problem(labels.NO_VALUE_COLUMN.format(found=describe_found(layout.found_headers)),
                       row=header_row + 1)
        return
    year_col, period_col = by_role.get("year"), by_role.get("period")
    sheet_year = layout.sheet_year(header_row)
    town_col = by_role["town"]
    for i, cells in data_rows:
        town = _read_peer_town(cells[town_col.index], parts["towns"])
        year = parse_year(cells[year_col.index]) if year_col else sheet_year
        period = parse_period(cells[period_col.index], default_year=year) if period_col else None
        if period is None:
            layout.problem(labels.BAD_PERIOD, i + 1, period_col.header if period_col else None,
                         cells[period_col.index] if period_col else None)
            continue
        found = layout.indicator(i, cells, by_role)
        value = layout.number(i, figure, cells[figure.index], allow_negative=True)
        if found is None or value is None or not town:
            continue
        indicator, factor = found
        # One figure per town, period and indicator in a file, across its sheets (tagged: parts["seen"]
        # also holds enterprises' spans).
        here = (layout.sheet.name, i + 1)
        other = parts["seen"].setdefault(("peer", town_key(town), period, indicator.code), here)
        if other != here:
            where = "" if other[0] == here[0] else f"工作表「{other[0]}」"
            layout.problem(labels.DUPLICATE_PEER.format(period=period.label(), indicator=indicator.name, where=where,
                                                        row=other[1]), i + 1, town_col.header,
                           cell_text(cells[town_col.index]))
            continue
        parts["peer"].append({"town": town, "year": period.year, "last_month": period.last,
                              "indicator": indicator.code, "value": value * factor})
        report.rows += 1
    report.periods = sorted({f"{p['town']}{p['year']}年对比指标" for p in parts["peer"]})


def _read_peer_town(cell, known: tuple[str, ...]) -> str:
    """A peer sheet's 乡镇 cell as one name however it is written: a known town's name, also without
    its 镇 ("温溪" is 温溪镇) or after its county ("青田县温溪镇"), else the cell's text (NFKC, no
    invisible characters); "" when empty."""
    return read_town_cell(cell, known) or normalise_text(cell_text(cell))


def parse_enterprise_targets(layout: SheetLayout, parts: dict) -> None:
    """企业名称 | 年度目标: each enterprise's own annual output target, in 万元."""
    header_row, by_role, data_rows, report = layout.header_row, layout.by_role, layout.data_rows, layout.report
    col = by_role["target"]
    factor = layout.money_unit(col)[1]
    if factor is None:
        return
    year_col = by_role.get("year")
    sheet_year = layout.sheet_year(header_row)
    for i, cells in data_rows:
        year = parse_year(cells[year_col.index]) if year_col else sheet_year
        if year is None:
            layout.problem(labels.TARGET_NEEDS_YEAR, i + 1)
            continue
        target = layout.number(i, col, cells[col.index])
        if target is None:
            continue
        ent = layout.enterprise_fields(i, cells, by_role, parts["mentions"])
        parts["ent_targets"].append({"name": ent["name"], "name_key": ent["name_key"],
                                     "credit_code": ent["credit_code"], "year": year,
                                     "target_10k": target * factor})
        report.rows += 1
