"""Money units, written once: what each is worth in 万元, the unit every figure is stored in.

Reading a file (ingest), a target sheet's units (domain.targets) and writing a figure in 亿元
(domain.numbers) all take their factors from this table.
"""
from __future__ import annotations

# A money unit → how many 万元 one of it is.
MONEY_UNITS: dict[str, float] = {
    "元": 1e-4,
    "千元": 0.1,
    "万元": 1.0,
    "十万元": 10.0,
    "百万元": 100.0,
    "千万元": 1_000.0,
    "亿元": 10_000.0,
}
STORED_UNIT = "万元"
YI = MONEY_UNITS["亿元"]  # 万元 in one 亿元: a figure from this size up is written in 亿元


def money_factor(unit: str) -> float | None:
    """How many 万元 one `unit` is (千元 → 0.1); None for a unit this table does not hold
    (美元, 港元 …: a figure in it cannot be stored without an exchange rate)."""
    return MONEY_UNITS.get(unit)


def known_money_units() -> str:
    """The units a file may use, as a person reads them: 元、千元、万元 …"""
    return "、".join(MONEY_UNITS)


# Electricity: how many 万千瓦时 (the stored unit) one of each unit is (度 = 千瓦时).
POWER_UNITS: dict[str, float] = {"万千瓦时": 1.0, "万度": 1.0, "万kwh": 1.0, "千瓦时": 1e-4, "度": 1e-4, "kwh": 1e-4}
STORED_POWER_UNIT = "万千瓦时"
# 亩均评价's figures other than money: each unit a county's sheet writes → how many of the stored
# unit (亩, 吨标准煤, 吨, 人, 万千瓦时) one of it is. Money figures take MONEY_UNITS (to 万元).
FIGURE_UNITS: dict[str, dict[str, float]] = {
    "land_mu": {"亩": 1.0, "平方米": 0.0015, "公顷": 15.0},
    "energy_tce": {"吨标准煤": 1.0, "吨标煤": 1.0, "tce": 1.0, "万吨标准煤": 1e4, "千克标准煤": 1e-3},
    "emission_t": {"吨": 1.0, "千克": 1e-3, "公斤": 1e-3},
    "staff": {"人": 1.0},
    "power_10k_kwh": POWER_UNITS,
}
MONEY_FIGURES = ("tax_10k", "value_added_10k", "rd_10k", "revenue_10k")


def figure_factor(figure: str, unit: str) -> float | None:
    """How many of `figure`'s stored unit one `unit` is (税收 in 千元 → 0.1, 用电量 in 度 → 0.0001);
    None for a unit that figure cannot be in (税收 in 吨, 用地面积 in 万元)."""
    unit = unit.strip().lower()
    if figure in MONEY_FIGURES:
        return money_factor(unit)
    return FIGURE_UNITS.get(figure, {}).get(unit)


def known_figure_units(figure: str) -> str:
    """The units a figure may be written in, as a person reads them: 亩、平方米、公顷."""
    return "、".join(MONEY_UNITS if figure in MONEY_FIGURES else FIGURE_UNITS[figure])
