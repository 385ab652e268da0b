"""The import preview compares each enterprise's new figure with last year and the period before,
and the town's and each sector's 同比 before and after; figures expected here are worked out
from the rows the tests store."""
import pytest
from conftest import long_rows, xlsx_bytes

from lakou_metrics import importing
from lakou_metrics.domain.periods import Period
from lakou_metrics.preview import preview_bytes

# March and February 2023 and February 2024 are stored; March 2024 comes in the file.
STORED = [(2023, 3, "甲", "五金", True, 100.0), (2023, 3, "乙", "光伏", True, 50.0),
          (2023, 3, "丙", "五金", False, 40.0),
          (2024, 2, "甲", "五金", True, 110.0), (2024, 2, "乙", "光伏", True, 60.0), (2024, 2, "丙", "五金", False, 30.0)]
MARCH = [(2024, 3, "甲", "五金", True, 120.0), (2024, 3, "乙", "光伏", True, 100.0), (2024, 3, "丙", "五金", False, 38.0),
         (2024, 3, "丁", "建材", False, 10.0)]


@pytest.fixture
def preview(engine):
    importing.import_bytes(engine, xlsx_bytes({"s": long_rows(STORED)}), "stored.xlsx")
    found = preview_bytes(engine, xlsx_bytes({"s": long_rows(MARCH)}), "march.xlsx", swing=0.5)
    (change,) = found.spans
    assert change.period == Period.month(2024, 3)
    return change


def test_each_enterprise_beside_last_year_and_last_month(preview):
    rows = preview.comparisons.set_index("name")
    assert rows.loc["甲", "prior"] == 100 and rows.loc["甲", "previous"] == 110
    assert rows.loc["甲", "yoy"] == pytest.approx(120 / 100 - 1)
    assert rows.loc["甲", "mom"] == pytest.approx(120 / 110 - 1)
    assert rows.loc["丁", "prior"] != rows.loc["丁", "prior"]  # new: no base, no rate
    assert rows.loc["丁", "yoy"] != rows.loc["丁", "yoy"]


def test_swings_beyond_the_setting_are_flagged_and_first(preview):
    rows = preview.comparisons
    # 乙: +100% on last year and +66.7% on February; 甲 and 丙 move less than 50%.
    assert rows.name.iloc[0] == "乙" and bool(rows.flagged.iloc[0])
    assert set(rows[rows.flagged].name) == {"乙"}


def test_town_and_sector_growth_before_and_after(preview):
    # Before: nothing stored for March 2024. After: the three enterprises with a base,
    # (120 + 100 + 38) against (100 + 50 + 40); 丁 is new and has no base.
    assert preview.yoy_before is None
    assert preview.yoy_after == pytest.approx((120 + 100 + 38) / (100 + 50 + 40) - 1)
    sectors = preview.sectors.set_index("sector")
    assert sectors.loc["hardware", "yoy_after"] == pytest.approx((120 + 38) / (100 + 40) - 1)
    assert sectors.loc["photovoltaic", "yoy_after"] == pytest.approx(100 / 50 - 1)
    assert sectors.loc["building_materials", "yoy_after"] != sectors.loc["building_materials", "yoy_after"]


def test_a_total_with_figures_is_listed_in_the_preview_and_not_counted(engine):
    rows = long_rows(MARCH) + [[2024, 3, "合計", None, None, 268.0], [2024, 3, "腊口联合计算机配件厂", "其他", "否", 7.0]]
    found = preview_bytes(engine, xlsx_bytes({"s": rows}), "march.xlsx", swing=0.5)
    assert [(w.row, w.reason) for w in found.warnings] == [(6, "「合計」是合计行，该行的数字未计入企业数据")]
    (change,) = found.spans
    assert set(change.comparisons.name) == {"甲", "乙", "丙", "丁", "腊口联合计算机配件厂"}
