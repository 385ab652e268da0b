"""Money units: one table (domain.units) for reading files, target sheets and writing 亿元."""
import re

import pytest
from conftest import ROOT

from lakou_metrics.domain.numbers import format_10k
from lakou_metrics.domain.targets import UNIT_FACTORS
from lakou_metrics.domain.units import MONEY_UNITS, known_money_units, money_factor


@pytest.mark.parametrize("unit, ten_thousands", [
    ("元", 0.0001), ("千元", 0.1), ("万元", 1.0), ("十万元", 10.0), ("百万元", 100.0), ("千万元", 1000.0),
    ("亿元", 10000.0),
])
def test_each_money_unit_in_wan_yuan(unit, ten_thousands):
    assert money_factor(unit) == pytest.approx(ten_thousands)
    assert UNIT_FACTORS[unit] == pytest.approx(ten_thousands)  # target sheets use the same table


@pytest.mark.parametrize("unit", ["美元", "万美元", "千美元", "港元", "欧元", "吨", ""])
def test_a_unit_without_a_factor_has_none(unit):
    assert money_factor(unit) is None


def test_the_known_units_as_a_person_reads_them():
    assert known_money_units() == "元、千元、万元、十万元、百万元、千万元、亿元"


def test_yi_is_written_from_the_table():
    assert format_10k(MONEY_UNITS["亿元"]) == "1.00亿元"


def test_money_factors_are_written_once():
    """No module but domain/units.py maps a money unit to a number ("千元": 0.1)."""
    entry = re.compile(r"""["'][十百千万亿]*元["']\s*:\s*[\d.]""")
    found = [f"{path.relative_to(ROOT)}:{n}" for path in (ROOT / "lakou_metrics").rglob("*.py")
             if path.name != "units.py" for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
             if entry.search(line)]
    assert found == []
