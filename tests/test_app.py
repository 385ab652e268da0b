"""Pages run through Streamlit's own test harness against a database the test fills."""
from conftest import ROOT, long_rows, xlsx_bytes
from streamlit.testing.v1 import AppTest

from lakou_metrics import store

RECORDS = [(2023, 1, "甲", "五金", True, 100.0), (2024, 1, "甲", "五金", True, 125.0),
           (2024, 1, "乙", "光伏", False, 40.0)]


def run_app(db, monkeypatch):
    monkeypatch.setenv("LAKOU_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_empty_database_shows_how_to_load_data(tmp_path, monkeypatch):
    at = run_app(tmp_path / "empty.db", monkeypatch)
    assert "init --sample" in at.info[0].value
    assert not at.metric


def test_home_shows_the_latest_year_to_date(tmp_path, monkeypatch):
    db = tmp_path / "home.db"
    store.import_bytes(store.open_database(db), xlsx_bytes({"s": long_rows(RECORDS)}), "a.xlsx")
    at = run_app(db, monkeypatch)
    total, above = at.metric
    # 2024年1月: 125 + 40 = 165万元; base 100 (甲) + 0 (乙 is new) → +65.0%
    assert total.label == "2024年1月 工业总产值"
    assert total.value == "165.0万元"
    assert total.delta == "同比 +65.0%"
    assert above.value == "125.0万元" and above.delta == "同比 +25.0%"
