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
