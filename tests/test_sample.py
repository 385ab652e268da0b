"""The shipped sample tells the speech's story; checked from the workbooks themselves (openpyxl),
independently of the importer, then through `init --sample`."""
import json
from collections import defaultdict

import openpyxl
import pytest
from cli_support import cli
from conftest import ROOT
from sample_rows import bureau_rows, evaluation_sheet, half_up, monthly_rows, power_rows, register_figures

SAMPLE = ROOT / "data" / "sample"


def bureau_totals(through: int):
    """Sum of the 1-N月 and 上年同期累计 columns over enterprise rows, and the 规上 count."""
    rows = bureau_rows(through)
    return sum(r["ytd"] for r in rows), sum(r["prior_ytd"] for r in rows), sum(r["above"] for r in rows)


def test_every_file_says_it_is_sample_data():
    files = sorted(SAMPLE.glob("*.xlsx"))
    assert len(files) >= 5
    assert all(f.name.startswith("示例数据") for f in files)


def test_two_full_years_by_month_for_about_forty_enterprises_in_all_sectors():
    rows = monthly_rows()
    months = defaultdict(set)
    for year, month, *_ in rows:
        months[year].add(month)
    assert months[2022] == set(range(1, 13)) and months[2023] == set(range(1, 13))
    names = {r[2] for r in rows}
    assert 38 <= len(names) <= 45
    assert {r[3] for r in rows} == {"五金", "金属加工", "农产品加工", "光伏", "建材", "其他"}
    assert {r[4] for r in rows} == {"是", "否"}
    for named in ("卓尔五金", "石普铝业", "友邦铝业", "浙南油茶", "浙江华都新能源", "康盛新墙材"):
        assert named in names


def test_2023_first_quarter_is_exactly_the_speech_figure():
    rows = monthly_rows()
    q1 = sum(round(v * 10) for y, m, *_, v in rows if y == 2023 and m <= 3)
    assert q1 == 140_000  # 14,000.0万元 = 1.4亿元, in tenths of 万元 to compare exactly


def test_targets_of_the_speech():
    (path,) = SAMPLE.glob("*目标*.xlsx")
    ws = openpyxl.load_workbook(path, read_only=True)["年度目标"]
    got = {(r[1], r[2]): r[3] for r in ws.iter_rows(min_row=3, values_only=True) if r[0] == 2023}
    assert got == {
        ("完成征地工业用地面积", "亩"): 314, ("实际出让工业用地面积", "亩"): 350,
        ("完成制造业投资", "亿元"): 2, ("净增规模以上企业", "家"): 2,
        ("合同引进市外内资", "亿元"): 4, ("实际到位市外内资", "亿元"): 2.2, ("引进大项目", "个"): 2,
        ("工业总产值同比增长", "%"): 33, ("规模以上工业产值", "亿元"): 4.95,
        ("规模以上工业产值同比增长", "%"): 58,
    }


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("sample") / "sample.db"
    result = cli("init", "--sample", db=db)
    assert result.returncode == 0, result.stderr
    return db


def test_init_sample_loads_once(sample_db):
    again = cli("init", "--sample", db=sample_db)
    assert again.returncode == 0 and "已有数据" in again.stdout


def test_summary_of_the_sample_matches_the_workbooks(sample_db):
    data = json.loads(cli("summary", "--year", "2023", "--through", "Q1", "--json", db=sample_db).stdout)
    assert data["total"]["value"] == pytest.approx(14_000)
    rows = monthly_rows()
    q1_2022 = sum(v for y, m, *_, v in rows if y == 2022 and m <= 3)
    # Every enterprise reporting in 2022 Q1 reports in 2023 Q1 too, so the base is the whole 2022 Q1.
    assert data["total"]["prior"] == pytest.approx(q1_2022)

    value, prior, above = bureau_totals(9)
    data = json.loads(cli("summary", "--year", "2024", "--through", "Q3", "--json", db=sample_db).stdout)
    assert data["total"]["value"] == pytest.approx(value)
    assert data["total"]["prior"] == pytest.approx(prior)
    assert data["total"]["yoy"] == pytest.approx((value - prior) / prior)
    assert data["above_scale"]["enterprises"] == above
    targets = {t["indicator"]: t for t in
               json.loads(cli("summary", "--year", "2023", "--through", "Q4", "--json",
                              db=sample_db).stdout)["targets"]}
    assert targets["above_scale_output"]["target"] == pytest.approx(49_500)
    assert targets["total_output_growth"]["target"] == pytest.approx(0.33)
    assert targets["land_acquired"]["schedule"] == pytest.approx(1.0)


QUARTER_ENDS = (3, 6, 9, 12)


def entered_2023() -> dict[str, dict[int, float]]:
    """{indicator: {month: figure}} of the 1-N月完成 columns of 2023 in the targets workbook, in 万元
    for 亿元 (个 as they are)."""
    (path,) = SAMPLE.glob("*目标*.xlsx")
    ws = openpyxl.load_workbook(path, read_only=True)["年度目标"]
    factor = {"亿元": 10_000, "个": 1}
    return {r[1]: {m: v * factor[r[2]] for m, v in zip(QUARTER_ENDS, r[4:8])}
            for r in ws.iter_rows(min_row=3, values_only=True) if r[0] == 2023 and r[2] in factor and r[4] is not None}


def test_entered_target_figures_are_at_least_the_key_projects_sums():
    """The key projects are part of the town: what staff entered for the town is never below
    what its key projects add up to in the same months (from the projects workbook, by hand)."""
    import datetime as dt
    from calendar import monthrange

    from sample_rows import progress_rows, project_rows

    entered = entered_2023()
    projects, progress = project_rows(), progress_rows()
    for month in QUARTER_ENDS:
        end = dt.date(2023, month, monthrange(2023, month)[1])
        signed = [p for p in projects if p["signed"] and dt.date(2023, 1, 1) <= p["signed"] <= end]
        sums = {
            "完成制造业投资": sum(v for _, m, v, _ in progress if m <= month),  # all four are manufacturing
            "引进大项目": sum(1 for p in signed if p["total"] >= 10_000),
            "合同引进市外内资": sum(p["contract"] for p in signed if p["inward"]),
            "实际到位市外内资": sum(r for name, m, _, r in progress if m <= month and r
                            and next(p for p in projects if p["name"] == name)["inward"]),
        }
        for name, total in sums.items():
            assert entered[name][month] >= total - 1e-6, (name, month, entered[name][month], total)
    # Not trivially: the projects do reach into every one of these figures by the year's end.
    assert all(entered[name][12] > 0 for name in sums)


@pytest.fixture(scope="module")
def county_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("county") / "county.db"
    result = cli("init", "--sample", "--county", db=db)
    assert result.returncode == 0, result.stderr
    return db


def test_the_peer_sheet_is_what_the_county_sample_computes_for_wenxi(county_db):
    """The 温溪镇 comparison the town's staff typed (示例数据_对比乡镇) says what the county edition
    computes from 温溪镇's own sample: amounts to 0.1万元, growth to the 0.1% it is written with."""
    from decimal import ROUND_HALF_UP, Decimal

    from lakou_metrics import store
    from lakou_metrics.compute.report import load_year_to_date
    from lakou_metrics.domain.periods import Period

    engine = store.open_database(county_db)
    lakou, wenxi = store.for_town(engine, "腊口镇"), store.for_town(engine, "温溪镇")
    checked = 0
    for year, months in ((2023, QUARTER_ENDS), (2024, (3, 6, 9))):
        for month in months:
            typed = store.load_peer_figures(lakou, year, month)
            typed = dict(zip(typed[typed.town == "温溪镇"].indicator, typed[typed.town == "温溪镇"].value))
            ytd, _ = load_year_to_date(wenxi, Period.ytd(year, month), projection=False)
            computed = ytd.town_figures()
            assert set(typed) == set(computed), (year, month)
            for code, value in computed.items():
                if code.endswith("growth"):
                    shown = Decimal(repr(value * 100)).quantize(Decimal("0.1"), ROUND_HALF_UP)
                    assert typed[code] * 100 == pytest.approx(float(shown)), (year, month, code)
                else:
                    assert typed[code] == pytest.approx(value, abs=0.05), (year, month, code)
                checked += 1
    assert checked == 7 * 4


def test_a_month_of_2024_alone_is_unknown_in_the_summary(sample_db):
    """2024 has only 1-3/1-6/1-9月 reports: September alone is null (shown —), never 0; the
    quarter it does give is 1-9月 − 1-6月 of the bureau sheets."""
    data = json.loads(cli("summary", "--year", "2024", "--through", "M09", "--json", db=sample_db).stdout)
    assert data["period"]["label"] == "2024年9月"
    assert data["period"]["total"]["value"] is None and data["period"]["above_scale"]["value"] is None
    assert data["period"]["total"]["mom"] is None
    quarter = json.loads(cli("summary", "--year", "2024", "--through", "Q3", "--json", db=sample_db).stdout)
    assert quarter["period"]["total"]["value"] == pytest.approx(bureau_totals(9)[0] - bureau_totals(6)[0])


def test_the_samples_new_plants_are_set_apart_in_2024_q1(sample_db):
    """2024 1-3月: the two plants with no 上年同期 in the bureau sheet give most of the growth; the
    growth without them is that of the others, never without the larger one only."""
    rows = bureau_rows(3)
    new = [r for r in rows if r["prior_ytd"] == 0]
    existing = [r for r in rows if r["prior_ytd"] != 0]
    data = json.loads(cli("summary", "--year", "2024", "--through", "Q1", "--json", db=sample_db).stdout)
    assert data["total"]["new_enterprises"] == len(new) == 2
    assert data["total"]["new_value"] == pytest.approx(sum(r["ytd"] for r in new))
    growth = sum(r["ytd"] for r in existing) / sum(r["prior_ytd"] for r in existing) - 1
    assert data["total"]["existing_yoy"] == pytest.approx(growth)
    text = cli("summary", "--year", "2024", "--through", "Q1", db=sample_db).stdout
    assert f"剔除新投产企业，全镇存量企业增长{growth * 100:.1f}%" in text
    assert f"剔除后全镇增长{growth * 100:.1f}%" in text  # 存在问题: both plants removed, as one


def _growth_by_enterprise(rows, year: int, through: int) -> dict[str, float]:
    """Each enterprise's growth over 1-`through`月 of `year` against the same months a year before,
    from (year, month, name, value) rows; only those with both years."""
    sums: dict[tuple, float] = defaultdict(float)
    for y, m, name, value in rows:
        if m <= through:
            sums[(name, y)] += value
    return {name: sums[(name, year)] / sums[(name, year - 1)] - 1
            for name, y in sums if y == year and sums.get((name, year - 1))}


def test_electricity_tracks_output_except_two_enterprises_whose_power_falls_as_output_rises():
    output = [(y, m, name, v) for y, m, name, _s, _a, v in monthly_rows()]
    output += [(2024, 9, r["name"], r["ytd"]) for r in bureau_rows(9)]  # 1-9月 as one span
    power = [(y, m, name, v) for y, m, _account, name, v in power_rows()]
    assert {y for y, *_ in power} == {2022, 2023, 2024} and max(m for y, m, *_ in power if y == 2024) == 9
    gaps = {}
    for year in (2023, 2024):
        out, pwr = _growth_by_enterprise(output, year, 9), _growth_by_enterprise(power, year, 9)
        gaps.update({(name, year): (out[name], pwr[name]) for name in out.keys() & pwr.keys()})
    diverging = {key: g for key, g in gaps.items() if abs(g[0] - g[1]) >= 0.20}
    assert set(diverging) == {("青田金源铝材", 2024), ("中野植物科技", 2024)}
    assert all(out > 0 > pwr for out, pwr in diverging.values())  # output up, power down
    assert all(abs(o - p) < 0.05 for key, (o, p) in gaps.items() if key not in diverging)


def test_electricity_names_each_enterprise_by_the_registers_account():
    accounts = {name: account for name, (_land, account) in register_figures().items()}
    assert len(set(accounts.values())) == len(accounts)
    assert {(account, name) for *_ym, account, name, _v in power_rows()} <= {(a, n) for n, a in accounts.items()}


@pytest.mark.parametrize("year", [2022, 2023])
def test_evaluation_data_covers_every_producing_enterprise_with_a_total_row(year):
    header, body, total = evaluation_sheet(year)
    assert header[1:13] == ["企业名称", "统一社会信用代码", "是否规上", "用地面积（亩）", "税收实际贡献（万元）",
                            "工业增加值（万元）", "综合能耗（吨标准煤）", "主要污染物排放当量（吨）",
                            "年平均职工人数（人）", "研发经费支出（万元）", "营业收入（万元）", "用电量（万千瓦时）"]
    producing = {name for y, _m, name, *_r, v in monthly_rows() if y == year and v}
    assert {r["企业名称"] for r in body} == producing
    for column in header[4:13]:
        assert total[column] == pytest.approx(sum(r[column] or 0 for r in body), abs=0.01), column
    lands = {r["企业名称"]: r["用地面积（亩）"] for r in body}
    assert lands == {name: land for name, (land, _a) in register_figures().items() if name in producing}


def test_evaluation_2023_has_the_cases_the_method_names():
    """New plants (first year: unrated), one without land (unrated), one 规上 whose emission is blank
    (the group's average on that item)."""
    _header, body, _total = evaluation_sheet(2023)
    by_name = {r["企业名称"]: r for r in body}
    assert {n for n, r in by_name.items() if r["投产日期"]} == {"浙江华都新能源", "龙显"}
    assert all(str(by_name[n]["投产日期"]) > "2023-02" for n in ("浙江华都新能源", "龙显"))
    assert [n for n, r in by_name.items() if r["用地面积（亩）"] == 0] == ["青田印务"]
    blank = [n for n, r in by_name.items() if r["主要污染物排放当量（吨）"] is None]
    assert blank == ["宏泰新型建材"] and by_name["宏泰新型建材"]["是否规上"] == "是"
    assert {r["是否规上"] for r in body} == {"是", "否"}


def test_the_sample_evaluation_rates_as_the_method_says(sample_db):
    """2023 through `evaluate`: the new plants and the enterprise without land are not rated, the blank
    emission takes the group's average, and the 规下 group (two items: 亩均税收 50, 单位电耗税收 50) is
    scored and classed here from the workbook's own figures."""
    _header, body, _total = evaluation_sheet(2023)
    data = json.loads(cli("evaluate", "--year", "2023", "--json", db=sample_db).stdout)
    got = {e["name"]: e for e in data["enterprises"]}
    assert {n for n, e in got.items() if e["class"] == "不定"} == {
        r["企业名称"] for r in body if r["用地面积（亩）"] == 0 or str(r["投产日期"] or "")[:7] > "2023-01"}
    (emission,) = [i for i in got["宏泰新型建材"]["indicators"] if i["code"] == "value_added_per_emission"]
    assert emission["value"] is None and "平均得分" in emission["note"]

    below = [r for r in body if r["是否规上"] == "否" and r["用地面积（亩）"] and not r["投产日期"]]
    tax, land, power = (sum(r[c] for r in below) for c in ("税收实际贡献（万元）", "用地面积（亩）", "用电量（万千瓦时）"))
    scores = {}
    for r in below:
        per_mu = float(half_up(50 * min(r["税收实际贡献（万元）"] / r["用地面积（亩）"] / (tax / land), 3), 2))
        per_kwh = float(half_up(50 * min(r["税收实际贡献（万元）"] / r["用电量（万千瓦时）"] / (tax / power), 3), 2))
        scores[r["企业名称"]] = per_mu + per_kwh
    assert {n: got[n]["score"] for n in scores} == pytest.approx(scores, abs=0.005)
    n = len(scores)  # 24: A to rank round(4.8)=5, B to round(16.8)=17, C to round(22.8)=23, D after
    limits = [int(half_up(n * share, 0)) for share in (0.20, 0.70, 0.95)]
    ordered = sorted(scores, key=scores.get, reverse=True)
    expected = {name: "ABCD"[sum(rank > limit for limit in limits)] for rank, name in enumerate(ordered, 1)}
    assert {name: got[name]["class"] for name in scores} == expected


def test_the_sample_warns_of_exactly_the_two_enterprises_whose_output_and_power_diverge(sample_db):
    data = json.loads(cli("summary", "--year", "2024", "--through", "M09", "--json", db=sample_db).stdout)
    diverging = {w["name"]: (w["value"], w["power_yoy"]) for w in data["warnings"] if w["rule"] == "divergence"}
    assert set(diverging) == {"青田金源铝材", "中野植物科技"}
    assert all(output > 0 > power for output, power in diverging.values())
