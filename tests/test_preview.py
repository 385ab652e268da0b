"""The import preview compares each enterprise's new figure with last year and the period before,
and the town's and each sector's 同比 before and after; figures expected here are worked out
from the rows the tests store."""
import pytest
from conftest import long_rows, staff, xlsx_bytes

from lakou_metrics import importing, store
from lakou_metrics.domain.periods import Period
from lakou_metrics.preview import list_confirmations, preview_bytes

# March and February 2023 and February 2024 are stored; March 2024 comes in the file.
STORED = [(2023, 3, "甲", "五金", True, 100.0), (2023, 3, "乙", "光伏", True, 50.0),
          (2023, 3, "丙", "五金", False, 40.0),
          (2024, 2, "甲", "五金", True, 110.0), (2024, 2, "乙", "光伏", True, 60.0), (2024, 2, "丙", "五金", False, 30.0)]
MARCH = [(2024, 3, "甲", "五金", True, 120.0), (2024, 3, "乙", "光伏", True, 100.0), (2024, 3, "丙", "五金", False, 38.0),
         (2024, 3, "丁", "建材", False, 10.0)]


@pytest.fixture
def preview_and_engine(engine):
    importing.import_bytes(engine, xlsx_bytes({"s": long_rows(STORED)}), "stored.xlsx", operator=staff())
    return preview_bytes(engine, xlsx_bytes({"s": long_rows(MARCH)}), "march.xlsx", swing=0.5, operator=staff()), engine


@pytest.fixture
def preview(preview_and_engine):
    (change,) = preview_and_engine[0].spans
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


# -- what a person must confirm before the file is stored ------------------------------------------
def confirmations_for(tmp_path, months: list[float], typed: float, slip_ratio=5.0, swing=0.5):
    """The kinds list_confirmations gives for one enterprise whose months 1..len(months) of 2024 are
    stored, when the next month comes in as `typed` (万元)."""
    engine = store.open_database(tmp_path / "c.db")
    rows = [(2024, m, "甲", "五金", True, v) for m, v in enumerate(months, start=1)]
    importing.import_bytes(engine, xlsx_bytes({"s": long_rows(rows)}), "stored.xlsx", operator=staff())
    month = len(months) + 1
    found = preview_bytes(engine, xlsx_bytes({f"2024年{month}月": [["企业名称", "产值（万元）"], ["甲", typed]]}),
                          "next.xlsx", slip_ratio=slip_ratio, swing=swing, operator=staff())
    return [c.kind for c in list_confirmations(found)]


@pytest.mark.parametrize("months, typed, kinds", [
    # A 1-N月 figure typed as the month: within 10% of (stored 1..N-1 + the month before again) and
    # at least twice the month before.
    pytest.param([100, 100], 300, ["year_to_date"], id="1-3月 exactly as estimated"),
    pytest.param([100, 110], 325, ["year_to_date"], id="1-3月 with a March above February"),
    pytest.param([100, 100], 271, ["year_to_date"], id="9.7% under the estimate of 300"),
    pytest.param([100, 100], 329, ["year_to_date"], id="9.7% over the estimate of 300"),
    pytest.param([100] * 5, 600, ["year_to_date"], id="1-6月: named as such though also 6 times May"),
    # A normal month never trips it.
    pytest.param([100, 100], 100, [], id="a month like the others"),
    pytest.param([100, 100], 140, [], id="+40% is not even a swing"),
    pytest.param([100, 100], 150, ["swing"], id="+50% is a swing, not a year to date"),
    pytest.param([100, 100], 269, ["swing"], id="10.3% under the estimate"),
    pytest.param([100, 100], 331, ["swing"], id="10.3% over the estimate"),
    # January almost nothing: 1 + 100 + 100 = 201, and 185 is within 10% of it, but less than twice
    # February, so a rise (+85%), not a year to date.
    pytest.param([1, 100], 185, ["swing"], id="close to the estimate but not double the month before"),
    # February as 1-2月 cannot be told from a doubling: a swing only.
    pytest.param([100], 200, ["swing"], id="February is never a year to date"),
    # 元 under 万元, and a figure a tenth of the month before: unit slips, listed once (not again as swings).
    pytest.param([100, 100], 1_000_000, ["unit_slip"], id="元 typed under 万元"),
    pytest.param([100, 100], 10, ["unit_slip"], id="a tenth of the month before"),
])
def test_what_a_single_month_needs_confirmed(tmp_path, months, typed, kinds):
    assert confirmations_for(tmp_path, months, typed) == kinds


def test_swing_and_slip_follow_the_settings(tmp_path):
    # 10 times February: a unit slip at 5, a swing at 20, nothing when swings up to +1000% pass.
    assert confirmations_for(tmp_path / "a", [100, 100], 1000) == ["unit_slip"]
    assert confirmations_for(tmp_path / "b", [100, 100], 1000, slip_ratio=20) == ["swing"]
    assert confirmations_for(tmp_path / "c", [100, 100], 1000, slip_ratio=20, swing=10) == []


def test_confirmations_name_the_figure_and_its_reference(preview_and_engine):
    found, _ = preview_and_engine
    # 乙 +100% on March 2023 (50) and +66.7% on February (60): the larger, 同比, is the reference.
    (swing,) = list_confirmations(found)
    assert (swing.kind, swing.enterprise, swing.period, swing.value) == ("swing", "乙", "2024年3月", 100)
    assert (swing.reference, swing.reference_label) == (50, "2023年3月")
    assert swing.why == "同比 +100.0%、环比 +66.7%"
    assert swing.describe() == "乙 2024年3月：本表 100.0万元，参照 2023年3月 50.0万元；同比 +100.0%、环比 +66.7%"


def test_a_figure_already_stored_is_not_asked_again(preview_and_engine):
    found, engine = preview_and_engine
    importing.import_bytes(engine, xlsx_bytes({"s": long_rows(MARCH)}), "march.xlsx", operator=staff())
    # 乙's swing was confirmed when March was stored; a correction of 丙 alone asks nothing of 乙.
    corrected = [r if r[2] != "丙" else (*r[:5], 39.0) for r in MARCH]
    again = preview_bytes(engine, xlsx_bytes({"s": long_rows(corrected)}), "corrected.xlsx", swing=0.5,
                          operator=staff())
    assert again.status == "new" and list_confirmations(again) == []
    same = preview_bytes(engine, xlsx_bytes({"s": long_rows(MARCH)}), "march.xlsx", swing=0.5, operator=staff())
    assert same.status == "unchanged" and list_confirmations(same) == []


def test_a_total_with_figures_is_listed_in_the_preview_and_not_counted(engine):
    rows = long_rows(MARCH) + [[2024, 3, "合計", None, None, 268.0], [2024, 3, "腊口联合计算机配件厂", "其他", "否", 7.0]]
    found = preview_bytes(engine, xlsx_bytes({"s": rows}), "march.xlsx", swing=0.5, operator=staff())
    assert [(w.row, w.reason) for w in found.warnings] == [(6, "「合計」是合计行，该行的数字未计入企业数据")]
    (change,) = found.spans
    assert set(change.comparisons.name) == {"甲", "乙", "丙", "丁", "腊口联合计算机配件厂"}
