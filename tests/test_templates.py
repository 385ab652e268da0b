"""Templates staff download: shape, drop-downs, and a filled template imports as written."""
import io

import openpyxl
import pytest
from conftest import staff

from lakou_metrics import importing, store
from lakou_metrics.output.templates import TEMPLATES, build_template


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
    outcome = importing.import_bytes(engine, fill("output", rows), "模板_企业产值.xlsx", operator=staff())
    assert outcome.status == "imported"
    # The template's own instructions sheet is skipped and said so; nothing else to warn about.
    assert [(w.sheet, w.reason) for w in outcome.warnings] == [("填表说明", "这是文字说明，不是数据表，已跳过")]
    obs = store.load_observations(engine)
    got = {(r.name, r.last_month, r.sector, bool(r.above_scale)): r.value_10k for r in obs.itertuples()}
    assert got == {("卓尔五金", 1, "hardware", True): 123.4, ("卓尔五金", 2, "hardware", True): 130,
                   ("浙南油茶", 1, "agriculture", False): 45.5}


def test_filled_targets_and_register_templates_import(engine):
    importing.import_bytes(engine, fill("targets", [[2024, "完成制造业投资", "亿元", 2.5, 0.45, 1.1]]), "t.xlsx",
                           operator=staff())
    goals, actuals = store.load_targets(engine, 2024)
    assert goals == {"manufacturing_investment": pytest.approx(25_000)}
    assert dict(zip(actuals.last_month, actuals.actual)) == {3: pytest.approx(4_500), 6: pytest.approx(11_000)}
    importing.import_bytes(engine, fill("register", [["浙江华都新能源", None, "光伏", "是", "王海涛"]]), "r.xlsx", operator=staff())
    ent = store.load_enterprises(engine).iloc[0]
    assert (ent["name"], ent.sector, ent.contact) == ("浙江华都新能源", "photovoltaic", "王海涛")


def test_a_prefilled_template_round_trips_with_figures_only(engine):
    from lakou_metrics.compute.metrics import Ledger
    from lakou_metrics.domain.periods import Period
    from lakou_metrics.output.templates import build_prefilled_output

    register = [["企业名称", "统一社会信用代码", "所属行业", "是否规上", "联系领导"],
                ["卓尔五金", "91331121MA2000X0Y0", "五金", "是", "王海涛"], ["浙南油茶", "", "农产品加工", "否", "刘敏"],
                ["石普铝业", "91331121MA2001X1Y7", "金属加工", "是", "陈立群"]]
    importing.import_bytes(engine, fill("register", register[1:]), "名录.xlsx", operator=staff())
    stored = [["年份", "月份", "企业名称", "所属行业", "是否规上", "产值（万元）"],
              [2023, "10月", "卓尔五金", "五金", "是", 300.0], [2024, "9月", "卓尔五金", "五金", "是", 350.0]]
    buffer = io.BytesIO()
    wb = openpyxl.Workbook()
    for row in stored:
        wb.active.append(row)
    wb.save(buffer)
    importing.import_bytes(engine, buffer.getvalue(), "往期.xlsx", operator=staff())
    before = store.load_enterprises(engine).drop(columns=["aliases"]).sort_values("name").reset_index(drop=True)

    ledger = Ledger(store.load_observations(engine))
    data = build_prefilled_output(store.load_enterprises(engine), ledger, Period.month(2024, 10))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheet = wb.worksheets[0]
    rows = {r[2]: r for r in sheet.iter_rows(min_row=2, values_only=True) if r[2]}
    assert set(rows) == {"卓尔五金", "浙南油茶", "石普铝业"}
    assert rows["卓尔五金"][:6] == (2024, "10月", "卓尔五金", "91331121MA2000X0Y0", "五金", "是")
    assert rows["卓尔五金"][7] == 300.0 and rows["卓尔五金"][8] == 350.0  # last October, September
    assert sheet.protection.sheet and sheet["H2"].protection.locked and not sheet["G2"].protection.locked
    # Staff type figures only (one enterprise has not reported), and add a new one by hand.
    for row in sheet.iter_rows(min_row=2):
        if row[2].value == "卓尔五金":
            row[6].value = 320.0
        if row[2].value == "石普铝业":
            row[6].value = 480.0
    sheet.append([2024, "10月", "新企业", None, "建材", "否", 12.0])
    buffer = io.BytesIO()
    wb.save(buffer)
    outcome = importing.import_bytes(engine, buffer.getvalue(), "十月.xlsx", operator=staff())
    assert outcome.status == "imported"
    obs = store.load_observations(engine, [2024])
    october = obs[(obs.first_month == 10) & (obs.last_month == 10)].set_index("name").value_10k.to_dict()
    assert october == {"卓尔五金": 320.0, "石普铝业": 480.0, "新企业": 12.0}
    # 浙南油茶 was left blank: said, not stored (it has not reported yet).
    assert [(w.reason, w.value) for w in outcome.warnings if w.sheet != "填表说明"] == [("该行没有产值，已跳过", "浙南油茶")]
    after = store.load_enterprises(engine).drop(columns=["aliases"])
    after = after[after.name != "新企业"].sort_values("name").reset_index(drop=True)
    pd_cols = ["name", "credit_code", "sector", "above_scale", "contact"]
    assert after[pd_cols].equals(before[pd_cols])  # the register is as it was, plus the new one


def test_a_prefilled_evaluation_template_lists_the_register_and_imports_once_filled(engine):
    from lakou_metrics.output.templates import build_prefilled_evaluation

    register = [["企业名称", "统一社会信用代码", "所属行业", "是否规上", "联系领导", "用地面积（亩）", "电力户号"],
                ["卓尔五金", "91331121MA2000X0Y0", "五金", "是", "王海涛", 30.5, "3300012345"],
                ["浙南油茶", None, "农产品加工", "否", "刘敏", None, None]]
    importing.import_bytes(engine, fill("register", register[1:]), "名录.xlsx", operator=staff())
    wb = openpyxl.load_workbook(io.BytesIO(build_prefilled_evaluation(store.load_enterprises(engine), 2023)))
    sheet = wb.worksheets[0]
    assert "2023" in sheet["A1"].value and [c.value for c in sheet[2]][:5] == [
        "序号", "企业名称", "统一社会信用代码", "是否规上", "用地面积（亩）"]
    rows = {r[1]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["卓尔五金"][2:5] == ("91331121MA2000X0Y0", "是", 30.5)
    assert rows["浙南油茶"][2:5] == (None, "否", None)  # an empty cell: no code, no land known
    # Staff fill 税收 and 用电量 of one enterprise and leave the other's blank (missing, not 0).
    for row in sheet.iter_rows(min_row=3):
        if row[1].value == "卓尔五金":
            row[5].value, row[12].value = 120, 250
    buffer = io.BytesIO()
    wb.save(buffer)
    outcome = importing.import_bytes(engine, buffer.getvalue(), "亩均.xlsx", operator=staff())
    assert outcome.status == "imported" and outcome.new_enterprises == 0
    ev = store.load_evaluation(engine, 2023).set_index("name")
    assert (ev.loc["卓尔五金", "land_mu"], ev.loc["卓尔五金", "tax_10k"], ev.loc["卓尔五金", "power_10k_kwh"]) == (
        30.5, 120, 250)
    assert ev.loc["浙南油茶"][["land_mu", "tax_10k", "power_10k_kwh"]].isna().all()
    assert (bool(ev.loc["卓尔五金", "above_scale"]), bool(ev.loc["浙南油茶", "above_scale"])) == (True, False)


def test_a_prefilled_electricity_template_lists_accounts_and_imports_once_filled(engine):
    from lakou_metrics.domain.periods import Period
    from lakou_metrics.output.templates import build_prefilled_electricity

    importing.import_bytes(engine, fill("register", [["卓尔五金", None, "五金", "是", None, None, "3300012345"],
                                                     ["浙南油茶", None, "农产品加工", "否"]]), "名录.xlsx",
                           operator=staff())
    data = build_prefilled_electricity(store.load_enterprises(engine), Period.month(2024, 3))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheet = wb.worksheets[0]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["卓尔五金"][1] == "3300012345" and rows["浙南油茶"][1] is None
    for row in sheet.iter_rows(min_row=3):
        row[2].value = {"卓尔五金": 10.5, "浙南油茶": 2}[row[0].value]
    buffer = io.BytesIO()
    wb.save(buffer)
    assert importing.import_bytes(engine, buffer.getvalue(), "用电.xlsx", operator=staff()).status == "imported"
    power = store.load_electricity(engine)
    assert sorted(zip(power.name, power.year, power.first_month, power.last_month, power.value_10k_kwh)) == [
        ("卓尔五金", 2024, 3, 3, 10.5), ("浙南油茶", 2024, 3, 3, 2.0)]
