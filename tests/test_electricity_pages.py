"""以电核产 on the pages and in the output preview, from workbooks this file builds and imports as
staff would: the 工业用电量 card on 总览, the 产值与用电背离 warning on 总览 and 预警, the divergent
enterprises in an output file's preview (page and command line). Expected figures are worked out
by hand from the rows below."""
import re

import pytest
from cli_support import cli
from conftest import long_rows, staff, xlsx_bytes
from page_support import app_test
from test_data_page import open_page, upload

from lakou_metrics import importing, store
from lakou_metrics.preview import describe_divergences, preview_bytes

# Output (万元), months 1-3. 1-3月: 甲 100 → 115 (+15.0%), 乙 200 → 200 (0.0%), 丙 30 → 33 (+10.0%);
# the town 330 → 348 (+5.5%), 规上 (甲, 乙) 300 → 315 (+5.0%).
OUTPUT = {"甲五金厂": ("五金", True, [30, 30, 40], [35, 40, 40]),
          "乙铝业": ("金属加工", True, [60, 70, 70], [60, 70, 70]),
          "丙米厂": ("农产品加工", False, [10, 10, 10], [11, 11, 11])}
# Electricity (万千瓦时), months 1-3. 1-3月: 甲 50 → 45 (−10.0%), 乙 20 → 30 (+50.0%), 丙 5 → 5.1 (+2.0%);
# the town 75 → 80.1 (+6.8%), 规上 70 → 75 (+7.1%).
POWER = {"甲五金厂": ([15, 15, 20], [15, 15, 15]), "乙铝业": ([6, 7, 7], [10, 10, 10]), "丙米厂": ([2, 2, 1], [2, 2, 1.1])}
# 1-3月 gaps: 甲 15.0 − (−10.0) = 25.0 and 乙 0.0 − 50.0 = 50.0 points diverge; 丙 10.0 − 2.0 = 8.0 does not.
DIVERGING = ["产值同比0.0%，用电同比+50.0%，相差50.0个百分点", "产值同比+15.0%，用电同比-10.0%，相差25.0个百分点"]


def output_rows(year: int, months=(1, 2, 3)) -> list[tuple]:
    return [(year, m, name, sector, above, values[year - 2023][m - 1])
            for name, (sector, above, *values) in OUTPUT.items() for m in months]


def power_sheet(year: int, months=(1, 2, 3)) -> bytes:
    """The 供电所's monthly sheets of a year, one sheet a month, the month in its title."""
    return xlsx_bytes({f"{m}月": [[f"{year}年{m}月工业企业用电量"], ["企业名称", "本月用电量（万千瓦时）"],
                                  *([name, values[year - 2023][m - 1]] for name, values in POWER.items())]
                       for m in months})


def build(path, power_years=(2023, 2024), output_months=(1, 2, 3), power_months=(1, 2, 3)):
    engine = store.open_database(str(path))
    for year in (2023, 2024):
        months = (1, 2, 3) if year == 2023 else output_months
        importing.import_bytes(engine, xlsx_bytes({"逐月": long_rows(output_rows(year, months))}), f"产值{year}.xlsx",
                               operator=staff())
    for year in power_years:
        importing.import_bytes(engine, power_sheet(year, (1, 2, 3) if year == 2023 else power_months),
                               f"用电{year}.xlsx", operator=staff())
    engine.dispose()
    return path


def overview(path, monkeypatch, query=None):
    monkeypatch.setenv("LAKOU_DB", str(path))
    at = app_test()
    at.query_params.update(query or {})
    at.run()
    return at


def power_card(at):
    return [m for m in at.metric if "工业用电量" in m.label]


def read(markdown: str) -> str:
    """Markdown as a person reads it: names go through ui.plain, which escapes ASCII punctuation."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def texts(at) -> list[str]:
    """The captions and Markdown of the page, as a person reads them."""
    return [read(c.value) for c in at.caption] + [read(m.value) for m in at.markdown]


def badges(at) -> str:
    return " ".join(m.value for m in at.markdown if "-badge[" in m.value)


def table_text(at) -> str:
    return " ".join(str(v) for frame in at.dataframe for v in frame.value.to_numpy().ravel())


@pytest.mark.pages
def test_the_overview_card_and_the_warning(tmp_path, monkeypatch):
    at = overview(build(tmp_path / "t.db"), monkeypatch)
    (card,) = power_card(at)
    assert (card.label, card.value, card.delta) == ("2024年1-3月 工业用电量", "80.1万千瓦时", "+6.8%")
    assert "产值同比+5.5%，用电同比+6.8%" in texts(at)
    assert "产值与用电背离2家（相差20个百分点及以上）" in badges(at)
    # The two to check, the widest gap first, as 预警 says them.
    assert [f"乙铝业：{DIVERGING[0]}", f"甲五金厂：{DIVERGING[1]}"] == [
        c for c in texts(at) if c.startswith(("乙铝业：", "甲五金厂："))]
    # The warnings under the cards list both, with their figures; the warnings card counts them.
    shown = table_text(at)
    assert all(words in shown for words in DIVERGING) and "产值与用电背离" in shown
    assert "丙米厂" not in shown
    # 规上 only: 丙 (规下) leaves; 75 against 70.
    at.sidebar.segmented_control(key="sel_scope").set_value("规上企业").run()
    (card,) = power_card(at)
    assert (card.value, card.delta) == ("75.0万千瓦时", "+7.1%")
    assert "产值同比+5.0%，用电同比+7.1%" in texts(at)


@pytest.mark.pages
def test_the_card_gives_the_month_alone_beside_the_year_to_date(tmp_path, monkeypatch):
    at = overview(build(tmp_path / "t.db"), monkeypatch, {"year": "2024", "through": "2"})
    (card,) = power_card(at)
    # 1-2月: 甲 30 against 30, 乙 20 against 13, 丙 4 against 4: 54 against 47, +14.9%.
    assert (card.label, card.value, card.delta) == ("2024年1-2月 工业用电量", "54.0万千瓦时", "+14.9%")
    # February alone: 15 + 10 + 2 = 27 against 15 + 7 + 2 = 24, +12.5%.
    assert "其中2月27.0万千瓦时，同比+12.5%" in texts(at)
    # 1-3月: its quarter is the year to date itself, not said twice.
    at = overview(tmp_path / "t.db", monkeypatch)
    assert not any(t.startswith("其中") and "万千瓦时" in t for t in texts(at))


@pytest.mark.pages
def test_the_warnings_page_lists_and_filters_the_rule(tmp_path, monkeypatch):
    at = overview(build(tmp_path / "t.db"), monkeypatch)
    at.switch_page("views/warnings.py")
    at.run()
    assert all(words in table_text(at) for words in DIVERGING)
    rules = at.segmented_control(key="warning_rules")
    rules.set_value(["divergence"]).run()
    (table,) = at.dataframe
    assert table.value["情况"].tolist() == DIVERGING and set(table.value["级别"]) == {"橙色"}
    assert any("产值与用电背离" in m.value and "≥ 20 个百分点" in m.value for m in at.markdown)


@pytest.mark.parametrize("power_years, power_months, words", [
    pytest.param((2023,), (1, 2, 3), "未导入2024年用电数据", id="electricity of another year only"),
    pytest.param((2023, 2024), (1, 2), "用电数据截至2024年2月，算不出2024年1-3月的累计", id="electricity short of March"),
])
@pytest.mark.pages
def test_the_card_says_what_is_missing_never_a_figure(tmp_path, monkeypatch, power_years, power_months, words):
    at = overview(build(tmp_path / "t.db", power_years, power_months=power_months), monkeypatch)
    (card,) = power_card(at)
    assert card.value == "—" and words in texts(at)
    assert "产值与用电背离" not in table_text(at)


@pytest.mark.pages
def test_a_town_without_electricity_has_no_card(tmp_path, monkeypatch):
    at = overview(build(tmp_path / "t.db", power_years=()), monkeypatch)
    assert not power_card(at) and len(at.metric) == 4


@pytest.mark.pages
def test_the_briefing_names_the_divergent(tmp_path, monkeypatch):
    at = overview(build(tmp_path / "t.db"), monkeypatch)
    at.switch_page("views/briefing.py")
    at.run()
    text = read(" ".join(m.value for m in at.markdown))
    assert "全镇工业用电量80.1万千瓦时，同比增长6.8%（工业总产值同比增长5.5%）。" in text
    assert "乙铝业（产值同比0.0%，用电同比+50.0%，相差50.0个百分点）、甲五金厂（产值同比+15.0%" in text


# March 2024 of output comes in a file; January and February, 2023 and all electricity are stored.
# March alone: 甲 40 against 40 (0.0%), electricity 15 against 20 (−25.0%): 25.0 points;
# 乙 70 against 70 (0.0%), electricity 10 against 7 (+42.9%): 42.9 points; 丙 11 against 10 (+10.0%),
# electricity 1.1 against 1 (+10.0%): 0.0 points.
MARCH_DIVERGING = ["乙铝业：产值同比0.0%，用电同比+42.9%，相差42.9个百分点",
                   "甲五金厂：产值同比0.0%，用电同比-25.0%，相差25.0个百分点"]


def march_file() -> bytes:
    return xlsx_bytes({"逐月": long_rows(output_rows(2024, (3,)))})


def test_the_preview_lists_the_divergent_before_confirming(tmp_path):
    engine = store.open_database(str(build(tmp_path / "t.db", output_months=(1, 2))))
    preview = preview_bytes(engine, march_file(), "三月.xlsx", operator=staff())
    (change,) = preview.spans
    assert change.divergences.name.tolist() == ["乙铝业", "甲五金厂"]
    assert describe_divergences(preview) == [
        "以电核产：2024年3月有2家企业本表的产值同比与已导入的用电同比相差20个百分点及以上，"
        "请在确认导入前向企业核实（只是提示，不影响导入）", *(f"  - {line}" for line in MARCH_DIVERGING)]
    # A wider setting judges only 乙; nothing is asked to be confirmed for it.
    wider = preview_bytes(engine, march_file(), "三月.xlsx", operator=staff(), divergence_points=30)
    assert wider.spans[0].divergences.name.tolist() == ["乙铝业"]


def test_without_electricity_for_the_months_the_preview_judges_nobody(tmp_path):
    engine = store.open_database(str(build(tmp_path / "t.db", output_months=(1, 2), power_months=(1, 2))))
    preview = preview_bytes(engine, march_file(), "三月.xlsx", operator=staff())
    assert preview.spans[0].divergences is None and describe_divergences(preview) == []


def test_the_command_line_import_says_the_divergent_and_stores_the_file(tmp_path):
    db = build(tmp_path / "t.db", output_months=(1, 2))
    path = tmp_path / "三月.xlsx"
    path.write_bytes(march_file())
    done = cli("import", str(path), db=db)
    assert done.returncode == 0, done.stderr
    assert all(line in done.stderr for line in MARCH_DIVERGING)
    stored = store.load_observations(store.open_database(str(db)), [2024])
    assert set(stored[stored.last_month == 3].name) == set(OUTPUT)


@pytest.mark.pages
def test_the_data_page_preview_shows_the_divergent(tmp_path, monkeypatch):
    db = build(tmp_path / "t.db", output_months=(1, 2))
    monkeypatch.setenv("LAKOU_DB", str(db))
    monkeypatch.delenv("LAKOU_STAFF_PASSCODE_HASH", raising=False)
    at = open_page()
    upload(at, "三月.xlsx", march_file())
    assert any("以电核产：2024年3月有2家企业" in w.value for w in at.warning)
    table = next(t.value for t in at.dataframe if "用电同比" in t.value.columns)
    assert table[["企业", "产值同比", "用电同比", "相差"]].values.tolist() == [
        ["乙铝业", "0.0%", "+42.9%", "42.9个百分点"], ["甲五金厂", "0.0%", "-25.0%", "25.0个百分点"]]
    # Only a thing to check: the import is confirmed as any other.
    assert any(b.label == "确认导入" and not b.proto.disabled for b in at.button)


@pytest.mark.parametrize("rule, chosen", [
    pytest.param("divergence", ["divergence"], id="the electricity card's link: that rule alone"),
    pytest.param("no_such_rule", None, id="an unknown rule: every rule"),
])
@pytest.mark.pages
def test_a_link_opens_the_warnings_page_on_one_rule(tmp_path, monkeypatch, rule, chosen):
    at = overview(build(tmp_path / "t.db"), monkeypatch)
    (link,) = [e.proto for e in at.get("page_link") if "rule=" in e.proto.query_string]
    assert link.page == "warnings" and "rule=divergence" in link.query_string
    at.query_params["rule"] = rule
    at.switch_page("views/warnings.py")
    at.run()
    assert not at.exception and "rule" not in at.query_params
    rules = at.segmented_control(key="warning_rules").value
    assert rules == chosen if chosen else len(rules) == len(at.segmented_control(key="warning_rules").options) > 1
    (table,) = at.dataframe
    assert table.value["情况"].tolist() == DIVERGING
