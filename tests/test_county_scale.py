"""At county scale a page must not read every year, and an import must invalidate only what it
changed: the store versions each year and the register, and the app's caches key on them."""
import pytest
from conftest import long_rows, staff, xlsx_bytes
from page_support import app_test

from lakou_metrics import importing, store


def month_file(year: int, month: int, values: dict[str, float]) -> bytes:
    return xlsx_bytes({"产值": long_rows([(year, month, name, "五金", True, v) for name, v in values.items()])})


def test_an_import_bumps_only_the_years_it_touches_and_undo_bumps_them_again(engine):
    importing.import_bytes(engine, month_file(2023, 1, {"甲厂": 10.0, "乙厂": 20.0}), "a.xlsx", operator=staff())
    importing.import_bytes(engine, month_file(2024, 1, {"甲厂": 11.0, "乙厂": 21.0}), "b.xlsx", operator=staff())
    before = store.data_versions(engine)
    assert before["year:2023"] >= 1 and before["year:2024"] >= 1 and before["register"] >= 1

    # a correction of 2024 by known enterprises: 2024 changes, 2023 and the register do not
    outcome = importing.import_bytes(engine, month_file(2024, 1, {"甲厂": 12.0}), "c.xlsx", operator=staff())
    after = store.data_versions(engine)
    assert after["year:2024"] == before["year:2024"] + 1
    assert after["year:2023"] == before["year:2023"]
    assert after["register"] == before["register"]
    assert after["all"] == before["all"] + 1

    store.undo_import(engine, outcome.import_id, operator=staff())
    undone = store.data_versions(engine)
    assert undone["year:2024"] == after["year:2024"] + 1 and undone["year:2023"] == before["year:2023"]

    # a new enterprise changes the register (names and sectors every year shows)
    importing.import_bytes(engine, month_file(2023, 2, {"丙厂": 5.0}), "d.xlsx", operator=staff())
    latest = store.data_versions(engine)
    assert latest["register"] == undone["register"] + 1 and latest["year:2024"] == undone["year:2024"]


@pytest.mark.pages
def test_the_app_reads_a_year_once_and_again_only_after_an_import_into_it(tmp_path, monkeypatch):
    db = tmp_path / "county.db"
    engine = store.open_database(db)
    for year in range(2018, 2025):
        importing.import_bytes(engine, month_file(year, 1, {"甲厂": 10.0 + year, "乙厂": 20.0}), f"{year}.xlsx",
                               operator=staff())
    reads = []
    real = store.load_year_spans

    def counted(engine, year):
        reads.append(year)
        return real(engine, year)

    monkeypatch.setattr(store, "load_year_spans", counted)
    monkeypatch.setenv("LAKOU_DB", str(db))
    at = app_test()
    at.query_params.update({"year": "2023", "through": "1"})
    at.run()
    assert not at.exception, at.exception
    assert "2023年1月" in at.title[0].value
    # 2023 and the years its growth and projection need; never 2024, never all seven years
    first = sorted(set(reads))
    assert first == [2020, 2021, 2022, 2023], first
    # The cockpit's trend shows five years, 2019 among them, from one aggregate query: no year's rows.
    trend = [c.value.split("：")[0] for c in at.caption if "万元，同比" in c.value]
    # Each year is stored through January only: each is that year's 1月, said to be less than a year.
    assert trend == [f"{year}年1月（累计，未满一年）" for year in range(2019, 2024)], trend

    reads.clear()
    at.switch_page("views/sectors.py")
    at.run()
    assert reads == []  # another page of the same period: nothing read again

    importing.import_bytes(engine, month_file(2024, 1, {"甲厂": 99.0}), "later.xlsx", operator=staff())
    at.switch_page("views/overview.py")
    at.run()
    assert reads == []  # an import into 2024 leaves 2023's view as it was

    importing.import_bytes(engine, month_file(2023, 1, {"甲厂": 77.0}), "fix.xlsx", operator=staff())
    at.run()
    assert reads == [2023]  # a correction of 2023 reads 2023 alone
    assert not at.exception, at.exception
