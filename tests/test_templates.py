"""Templates staff download: shape, drop-downs, and a filled template imports as written."""
import io

import openpyxl
import pytest

from lakou_metrics import store
from lakou_metrics.templates import TEMPLATES, build_template


def load(key):
    return openpyxl.load_workbook(io.BytesIO(build_template(key)))


@pytest.mark.parametrize("key", list(TEMPLATES))
def test_template_shape(key):
    wb = load(key)
    data, notes = wb.worksheets
    assert notes.title == "填表说明" and "模板" in notes["A1"].value
    assert [c.value for c in data[1]] == [c.header for c in TEMPLATES[key].columns]
    assert data.freeze_panes == "A2"
    assert data.max_row == 1  # no example row that could be imported by mistake
    lists = {str(rule.sqref).split(":")[0][0]: rule.formula1 for rule in data.data_validations.dataValidation}
    for letter, column in zip("ABCDEFGH", TEMPLATES[key].columns):
        if column.choices:
            assert lists[letter] == '"' + ",".join(column.choices) + '"'


def test_output_template_drop_downs():
    data = load("output").active
    formulas = {rule.formula1 for rule in data.data_validations.dataValidation}
    assert '"五金,金属加工,农产品加工,光伏,建材,其他"' in formulas
    assert '"是,否"' in formulas


def fill(key, rows) -> bytes:
    wb = load(key)
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_filled_output_template_imports_as_written(engine):
    rows = [[2024, "1月", "卓尔五金", "91331121MA2000X0Y0", "五金", "是", 123.4],
            [2024, "2月", "卓尔五金", "91331121MA2000X0Y0", "五金", "是", 130],
            [2024, "1月", "浙南油茶", None, "农产品加工", "否", 45.5]]
    outcome = store.import_bytes(engine, fill("output", rows), "模板_企业产值.xlsx")
    assert outcome.status == "imported" and not outcome.warnings
    obs = store.load_observations(engine)
    got = {(r.name, r.last_month, r.sector, bool(r.above_scale)): r.value_10k for r in obs.itertuples()}
    assert got == {("卓尔五金", 1, "hardware", True): 123.4, ("卓尔五金", 2, "hardware", True): 130,
                   ("浙南油茶", 1, "agriculture", False): 45.5}


def test_filled_targets_and_register_templates_import(engine):
    store.import_bytes(engine, fill("targets", [[2024, "完成制造业投资", "亿元", 2.5, 0.45, 1.1]]), "t.xlsx")
    goals, actuals = store.load_targets(engine, 2024)
    assert goals == {"manufacturing_investment": pytest.approx(25_000)}
    assert dict(zip(actuals.last_month, actuals.actual)) == {3: pytest.approx(4_500), 6: pytest.approx(11_000)}
    store.import_bytes(engine, fill("register", [["浙江华都新能源", None, "光伏", "是", "王海涛"]]), "r.xlsx")
    ent = store.load_enterprises(engine).iloc[0]
    assert (ent["name"], ent.sector, ent.contact) == ("浙江华都新能源", "photovoltaic", "王海涛")
