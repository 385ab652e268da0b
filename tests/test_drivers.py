"""What drives growth and where the year will end, against figures worked out by hand."""
import pytest
from sample_rows import monthly_rows
from test_metrics import _observations

from lakou_metrics.drivers import compute_drivers, project_full_year
from lakou_metrics.metrics import Ledger, compute_enterprise_figures
from lakou_metrics.periods import Period
from lakou_metrics.text import describe_drivers

# One enterprise gives almost all the growth: A +100, B +5, C -5 on bases of 100 each.
OBS = _observations([
    (1, "A", "photovoltaic", True, 2023, 1, 3, 100.0, None), (1, "A", "photovoltaic", True, 2024, 1, 3, 200.0, None),
    (2, "B", "hardware", True, 2023, 1, 3, 100.0, None), (2, "B", "hardware", True, 2024, 1, 3, 105.0, None),
    (3, "C", "building_materials", False, 2023, 1, 3, 100.0, None),
    (3, "C", "building_materials", False, 2024, 1, 3, 95.0, None),
])


def test_a_dominant_enterprise_and_the_growth_without_it():
    drivers = compute_drivers(compute_enterprise_figures(Ledger(OBS), Period.ytd(2024, 3)))
    # Town: 400 against 300, +100 = +33.3%. A gives 100 of it (100/100 > 40%): dominant.
    assert drivers.increase == pytest.approx(100) and drivers.growth == pytest.approx(100 / 300)
    assert [m.name for m in drivers.dominant] == ["A"]
    assert drivers.growth_without == pytest.approx((105 + 95) / 200 - 1)
    assert [m.name for m in drivers.laggards] == ["C"]
    lines = describe_drivers(drivers)
    # 光伏 (A): 100 of the 100 increase, pulling 100/300 = 33.3 points; 五金 (B): 5%, 1.7 points.
    assert lines[0] == "增长主要来自光伏行业（占全镇增量的100.0%，拉动33.3个百分点）、五金行业（占全镇增量的5.0%，拉动1.7个百分点）。"
    assert "剔除A，全镇增长0.0%" not in " ".join(lines)  # 0.0% reads as no change, not as growth
    assert "剔除A，全镇与上年同期持平。" in " ".join(lines)
    assert "拖累增长的有：建材行业（拖累1.7个百分点）、C（减少5.0万元）。" in lines


def test_no_drivers_without_a_base():
    obs = _observations([(1, "A", "hardware", True, 2024, 1, 3, 10.0, None)])
    drivers = compute_drivers(compute_enterprise_figures(Ledger(obs), Period.ytd(2024, 3)))
    assert describe_drivers(drivers) == []


@pytest.fixture(scope="module")
def sample_ledger():
    rows = monthly_rows()
    names = sorted({r[2] for r in rows})
    ids = {n: i for i, n in enumerate(names, 1)}
    return Ledger(_observations([(ids[n], n, "other", a == "是", y, m, m, float(v), None) for y, m, n, _, a, v in rows])), rows


def test_the_projection_back_tested_on_the_samples_2023(sample_ledger):
    ledger, rows = sample_ledger
    projection = project_full_year(ledger, 2023, 6, list(ledger.enterprises.index))
    actual = sum(v for y, m, *_, v in rows if y == 2023)
    share_2022 = sum(v for y, m, *_, v in rows if y == 2022 and m <= 6) / sum(v for y, *_, v in rows if y == 2022)
    assert projection.years_used == (2022,) and projection.share == pytest.approx(share_2022)
    error = projection.value / actual - 1
    assert abs(error) < 0.10, f"projecting 2023 from 1-6月 missed the stored full year by {error:+.1%}"
    print(f"back-test: 2023 from 1-6月 projected {projection.value:.1f} against {actual:.1f} ({error:+.1%})")


def test_no_projection_without_history(sample_ledger):
    ledger, _ = sample_ledger
    projection = project_full_year(ledger, 2022, 6, list(ledger.enterprises.index))
    assert projection.value is None and "此前年份" in projection.reason
    assert project_full_year(ledger, 2023, 12, list(ledger.enterprises.index)).value is None
