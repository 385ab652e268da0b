"""The command line exactly as acceptance checks use it: exit codes, stderr, and summary --json."""
import json
import os
import subprocess
import sys

import pytest
from cli_support import cli, cli_process
from conftest import ROOT, empty_database, long_rows, process_env, refuse_in_check_lane, staff, write, xlsx_bytes
from sample_rows import points_between

from lakou_metrics import importing, store
from lakou_metrics.domain import labels

# (year, month, name, sector, 规上, value in 万元): two enterprises over Q1 of two years, and
# one that reports only in 2024 (new), one only in 2023 (left).
RECORDS = [
    *[(2023, m, "卓尔五金", "五金", True, v) for m, v in ((1, 100), (2, 80), (3, 120))],
    *[(2024, m, "卓尔五金", "五金", True, v) for m, v in ((1, 130), (2, 90), (3, 140))],
    *[(2023, m, "浙南油茶", "农产品加工", False, v) for m, v in ((1, 50), (2, 40), (3, 60))],
    *[(2024, m, "浙南油茶", "农产品加工", False, v) for m, v in ((1, 45), (2, 35), (3, 50))],
    *[(2024, m, "浙江华都新能源", "光伏", True, v) for m, v in ((1, 10), (2, 20), (3, 30))],
    *[(2023, m, "已关停企业", "建材", True, v) for m, v in ((1, 70), (2, 70), (3, 70))],
]


@pytest.fixture
def loaded_db(tmp_path):
    db = tmp_path / "cli.db"
    path = write(tmp_path, "逐月.xlsx", xlsx_bytes({"逐月": long_rows(RECORDS)}))
    result = cli("import", str(path), db=db)
    assert result.returncode == 0, result.stderr
    return db


def expected_q1(year_filter=None):
    """Totals worked out from RECORDS alone, on the comparable basis."""
    def total(year, names):
        return sum(v for y, m, n, s, a, v in RECORDS if y == year and n in names)
    now = {n for y, m, n, s, a, v in RECORDS if y == 2024 and (year_filter is None or year_filter(a))}
    return total(2024, now), total(2023, now)


def test_summary_json_figures(loaded_db):
    result = cli("summary", "--year", "2024", "--through", "Q1", "--json", db=loaded_db)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    value, prior = expected_q1()
    # 360 + 130 + 60 = 550 now; base 300 + 150 + 0 (华都 is new); 已关停企业's 210 is not in it.
    assert (value, prior) == (550, 450)
    assert data["year"] == 2024 and data["through"] == "Q1"
    assert data["total"]["value"] == pytest.approx(value)
    assert data["total"]["prior"] == pytest.approx(prior)
    assert data["total"]["yoy"] == pytest.approx((value - prior) / prior)
    above_value, above_prior = expected_q1(lambda a: a)
    assert data["above_scale"]["value"] == pytest.approx(above_value)
    assert data["above_scale"]["yoy"] == pytest.approx((above_value - above_prior) / above_prior)
    assert set(data["sectors"]) == {"hardware", "metals", "agriculture", "photovoltaic",
                                    "building_materials", "other"}
    hardware = data["sectors"]["hardware"]
    assert hardware["value"] == pytest.approx(360)
    assert hardware["yoy"] == pytest.approx(60 / 300)
    assert hardware["share"] == pytest.approx(360 / 550)
    assert data["sectors"]["photovoltaic"]["yoy"] is None  # base 0: no rate, never inf
    assert data["sectors"]["metals"] == {**data["sectors"]["metals"], "value": 0, "yoy": None}
    by_name = {e["name"]: e for e in data["enterprises"]}
    assert set(by_name) == {"卓尔五金", "浙南油茶", "浙江华都新能源"}
    assert by_name["浙南油茶"]["yoy"] == pytest.approx((130 - 150) / 150)
    assert by_name["浙江华都新能源"]["prior"] == 0 and by_name["浙江华都新能源"]["yoy"] is None
    assert data["targets"] == []


def test_summary_targets(loaded_db, tmp_path):
    targets = xlsx_bytes({"年度目标": [["年份", "指标", "单位", "年度目标", "1-3月完成"],
                                    [2024, "工业总产值", "万元", 2000, None],
                                    [2024, "完成制造业投资", "亿元", 2, 0.6]]})
    assert cli("import", str(write(tmp_path, "目标.xlsx", targets)), db=loaded_db).returncode == 0
    data = json.loads(cli("summary", "--year", "2024", "--through", "Q1", "--json", db=loaded_db).stdout)
    got = {t["indicator"]: t for t in data["targets"]}
    assert got["total_output"]["target"] == 2000
    assert got["total_output"]["actual"] == pytest.approx(550)
    assert got["total_output"]["completion"] == pytest.approx(550 / 2000)
    assert got["total_output"]["schedule"] == pytest.approx(0.25)
    assert got["manufacturing_investment"]["actual"] == pytest.approx(6000)
    assert got["manufacturing_investment"]["completion"] == pytest.approx(0.3)


def test_summary_json_judges_a_growth_target_as_growth(loaded_db, tmp_path):
    targets = xlsx_bytes({"年度目标": [["年份", "指标", "单位", "年度目标"], [2024, "工业总产值同比增长", "%", 30]]})
    assert cli("import", str(write(tmp_path, "目标.xlsx", targets)), db=loaded_db).returncode == 0
    data = json.loads(cli("summary", "--year", "2024", "--through", "Q1", "--json", db=loaded_db).stdout)
    (growth,) = data["targets"]
    value, prior = expected_q1()  # 550 against 450: +22.2%, 7.8 points short of +30%
    assert growth["actual"] == pytest.approx(value / prior - 1)
    assert growth["completion"] is None and growth["schedule"] is None
    assert growth["gap"] == pytest.approx(float(points_between(value / prior - 1, 0.30)) / 100)  # as shown: 22.2 − 30.0
    assert growth["status"] == growth["schedule_status"] == "growth_short" and growth["on_schedule"] is False
    # Only 1-3月 of 2023 is stored: no full year to imply an amount, none to take seasons from.
    assert growth["implied_target"] is None and growth["seasonal_schedule"] is None and growth["projected"] is None
    assert growth["projects_actual"] is None and growth["projects_exceed"] is False


def test_refused_import_exits_1_with_problems_on_stderr_and_stores_nothing(loaded_db, tmp_path):
    bad = xlsx_bytes({"2024年4月": [["企业名称", "产值（万元）"], ["甲", "约100"], ["乙", -1]]})
    result = cli("import", str(write(tmp_path, "坏.xlsx", bad)), db=loaded_db)
    assert result.returncode == 1
    assert "第2行" in result.stderr and "约100" in result.stderr and "第3行" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    history = cli("history", db=loaded_db).stdout
    assert "坏.xlsx" not in history


@pytest.mark.parametrize("args", [
    ["import"],
    ["import", "x.xlsx", "--period", "明年"],
    ["summary", "--year", "2024", "--through", "Q5"],
    ["summary", "--through", "Q1"],
    ["frobnicate"],
])
def test_wrong_usage_exits_2(args, tmp_path):
    result = cli(*args, db=tmp_path / "u.db")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_a_bare_year_as_period_dates_an_annual_evaluation_sheet(tmp_path):
    db = tmp_path / "y.db"
    rows = [["亩均效益评价数据表"], ["企业名称", "用地面积（亩）", "税收实际贡献（千元）", "用电量（万千瓦时）"], ["甲", 10, 500, 30]]
    path = write(tmp_path, "亩均.xlsx", xlsx_bytes({"Sheet1": rows}))
    refused = cli("import", str(path), db=db)
    assert refused.returncode == 1 and "--period 2023" in refused.stderr
    assert cli("import", str(path), "--period", "2023", db=db).returncode == 0
    from lakou_metrics import store

    stored = store.load_evaluation(store.open_database(db), 2023)
    assert list(zip(stored.name, stored.land_mu, stored.tax_10k)) == [("甲", 10.0, 50.0)]  # 500 千元 = 50 万元


def test_period_option_overrides_and_dry_run_stores_nothing(tmp_path):
    db = tmp_path / "p.db"
    path = write(tmp_path, "无期间.xlsx", xlsx_bytes({"Sheet1": [["企业名称", "产值（万元）"], ["甲", 5]]}))
    dry = cli("import", str(path), "--period", "2024Q1", "--dry-run", db=db)
    assert dry.returncode == 0 and "试导入" in dry.stdout
    assert "还没有导入记录" in cli("history", db=db).stdout
    assert cli("import", str(path), "--period", "2024Q1", db=db).returncode == 0
    data = json.loads(cli("summary", "--year", "2024", "--through", "Q1", "--json", db=db).stdout)
    assert data["total"]["value"] == 5
    # 1-4月 cannot be known from 一季度 alone: no figure rather than a wrong one.
    data = json.loads(cli("summary", "--year", "2024", "--through", "M04", "--json", db=db).stdout)
    assert data["total"]["value"] is None and data["enterprises"] == []


def test_missing_file_is_refused_not_a_traceback(tmp_path):
    result = cli("import", str(tmp_path / "没有这个文件.xlsx"), db=tmp_path / "m.db")
    assert result.returncode == 1 and "文件不存在" in result.stderr


def test_undo_from_the_command_line(loaded_db, tmp_path):
    data = xlsx_bytes({"2024年4月": [["企业名称", "产值（万元）"], ["卓尔五金", 150]]})
    out = cli("import", str(write(tmp_path, "4月.xlsx", data)), db=loaded_db).stdout
    import_id = out.split("导入编号 ")[1].split("）")[0]
    assert cli("undo", import_id, db=loaded_db).returncode == 0
    data = json.loads(cli("summary", "--year", "2024", "--through", "M04", "--json", db=loaded_db).stdout)
    assert data["total"]["value"] is None and data["enterprises"] == []
    assert cli("undo", import_id, db=loaded_db).returncode == 1


def test_summary_month_alone_with_year_on_year_and_month_on_month(loaded_db):
    data = json.loads(cli("summary", "--year", "2024", "--through", "M03", "--json", db=loaded_db).stdout)
    alone = data["period"]
    assert alone["label"] == "2024年3月"
    # March 2024: 140 + 50 + 30; February 2024: 90 + 35 + 20; March 2023: 120 + 60 (+ 华都 0)
    assert alone["total"]["value"] == pytest.approx(220)
    assert alone["total"]["previous"] == pytest.approx(145)
    assert alone["total"]["mom"] == pytest.approx(220 / 145 - 1)
    assert alone["total"]["yoy"] == pytest.approx(220 / 180 - 1)
    ranks = {e["name"]: e["rank"] for e in data["enterprises"]}
    assert ranks == {"卓尔五金": 1, "浙南油茶": 2, "浙江华都新能源": 3}


def test_an_internal_error_is_logged_in_the_data_folder_never_through_a_link(tmp_path, monkeypatch, capsys):
    from lakou_metrics import cli as cli_module

    def broken(args):
        raise RuntimeError("something the developers must see")

    monkeypatch.setitem(cli_module.COMMANDS, "history", broken)
    db = tmp_path / "data" / "lakou.db"
    assert cli_module.main(["history", "--db", str(db)]) == 3
    err = capsys.readouterr().err
    assert "程序内部错误" in err and str(tmp_path) not in err and "Traceback" not in err
    (log,) = (tmp_path / "data").glob("lakou-error-*.log")
    assert "something the developers must see" in log.read_text(encoding="utf-8")
    assert log.name in err and oct(log.stat().st_mode & 0o777) == "0o600"
    # A link planted where the next log would go is not followed, and nothing is overwritten.
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    monkeypatch.setattr(cli_module, "_error_log_name", lambda: "planted.log")
    (tmp_path / "data" / "planted.log").symlink_to(victim)
    assert cli_module.write_error_log(tmp_path / "data", "details") is None
    assert victim.read_text(encoding="utf-8") == "keep"


def test_the_command_line_works_on_one_town_of_a_county_database(tmp_path):
    path = write(tmp_path, "wenxi.xlsx", xlsx_bytes({"s": long_rows(RECORDS)}))
    assert cli("import", str(path), "--town", "温溪镇", "--new-town", db=tmp_path / "county.db").returncode == 0
    wenxi = json.loads(cli("summary", "--year", "2024", "--through", "Q1", "--json", "--town", "温溪镇",
                           db=tmp_path / "county.db").stdout)
    assert wenxi["total"]["value"] == sum(r[5] for r in RECORDS if r[0] == 2024)
    home = json.loads(cli("summary", "--year", "2024", "--through", "Q1", "--json", db=tmp_path / "county.db").stdout)
    assert not home["total"]["value"]  # the home town (腊口镇) has nothing: the file stayed Wenxi's
    assert "温溪镇" not in cli("history", db=tmp_path / "county.db").stdout
    assert "wenxi.xlsx" in cli("history", "--town", "温溪镇", db=tmp_path / "county.db").stdout


@pytest.mark.parametrize("who, recorded", [pytest.param([], "clerk", id="the account's name"),
                                           pytest.param(["--who", "张三"], "张三", id="--who")])
def test_the_command_line_acts_as_the_servers_account_for_the_town_it_opens(tmp_path, monkeypatch, who, recorded):
    """The account running the command (getpass), staff of --town's town: recorded in the history
    under --who when given, and refused another town's undo."""
    import getpass

    from lakou_metrics import cli as cli_module

    monkeypatch.setattr(getpass, "getuser", lambda: "clerk")
    seen = []  # the Operators the store was given, in order
    store_cleaned, undo_import = importing.store_cleaned, store.undo_import

    def storing(*args, operator, **kwargs):
        seen.append(operator)
        return store_cleaned(*args, operator=operator, **kwargs)

    def undoing(*args, operator):
        seen.append(operator)
        return undo_import(*args, operator=operator)

    monkeypatch.setattr(importing, "store_cleaned", storing)
    monkeypatch.setattr(store, "undo_import", undoing)
    db = str(tmp_path / "county.db")
    path = write(tmp_path, "w.xlsx", xlsx_bytes({"s": long_rows(RECORDS)}))
    assert cli_module.main(["import", str(path), "--db", db, "--town", "温溪镇", "--new-town", *who]) == 0
    wenxi = store.for_town(store.open_database(db), "温溪镇")
    import_id = str(store.list_imports(wenxi).id.iloc[0])
    assert cli_module.main(["undo", import_id, "--db", db, *who]) == 1  # as the home town's (腊口镇) staff
    assert store.list_imports(wenxi).status.tolist() == ["active"]
    assert cli_module.main(["undo", import_id, "--db", db, "--town", "温溪镇", *who]) == 0
    row = store.list_imports(wenxi).iloc[0]
    assert (row.imported_by, row.imported_as, row.undone_by, row.undone_as) == (recorded, "温溪镇", recorded, "温溪镇")
    shell = "服务器账号 clerk"
    assert seen == [store.Operator(recorded, "温溪镇", shell), store.Operator(recorded, "腊口镇", shell),
                    store.Operator(recorded, "温溪镇", shell)]


# -- the command line checks what the page checks -------------------------------------------------
# January and February 2024 stored; a March file comes in. Figures in 万元.
STORED = [(2024, m, n, "五金", True, v) for n, months in (("卓尔五金", (100, 110)), ("石普铝业", (200, 200)),
                                                       ("友邦铝业", (100, 100)))
          for m, v in zip((1, 2), months)]


def month_file(tmp_path, name, month, values):
    return write(tmp_path, name, xlsx_bytes({f"2024年{month}月": [["企业名称", "产值（万元）"]]
                                                                + [[n, v] for n, v in values.items()]}))


def stored(db, month):
    """{name: value} stored for 2024's single month `month` (empty when none)."""
    obs = store.load_observations(store.open_database(db), [2024])
    one = obs[(obs.first_month == month) & (obs.last_month == month)]
    return dict(zip(one.name, one.value_10k))


@pytest.fixture
def base_db(tmp_path):
    db = empty_database(tmp_path / "base.db")
    importing.import_bytes(store.open_database(db), xlsx_bytes({"逐月": long_rows(STORED)}), "base.xlsx",
                           operator=staff())
    return db


@pytest.mark.parametrize("march, kind, words", [
    # 元 typed under 万元: 1,200,000 against February's 110, 10909.1 times.
    pytest.param({"卓尔五金": 1_200_000, "石普铝业": 210}, "unit_slip",
                 ["卓尔五金 2024年3月", "本表 120.00亿元", "2024年2月 110.0万元", "10909.1倍"], id="unit slip"),
    # 1-3月 typed as March: 100 + 110 + March's 115 = 325, against the estimate 100 + 110 + 110 = 320.
    pytest.param({"卓尔五金": 325, "石普铝业": 210}, "year_to_date",
                 ["卓尔五金 2024年3月", "本表 325.0万元", "2024年1-3月（估算） 320.0万元", "是上月的3.0倍"],
                 id="year to date as the month"),
    # 石普铝业 +60% on February (200): beyond the ±50% of [import] preview_swing.
    pytest.param({"卓尔五金": 120, "石普铝业": 320}, "swing",
                 ["石普铝业 2024年3月", "本表 320.0万元", "2024年2月 200.0万元", "环比 +60.0%"], id="swing"),
])
def test_a_figure_to_confirm_exits_4_stores_nothing_and_imports_when_confirmed(base_db, tmp_path, march, kind,
                                                                                words):
    path = month_file(tmp_path, "三月.xlsx", 3, march)
    result = cli("import", str(path), db=base_db)
    assert result.returncode == 4, result.stderr
    assert labels.CONFIRM_KINDS[kind] in result.stderr and "「三月.xlsx」未导入" in result.stderr
    for text in words:
        assert text in result.stderr, result.stderr
    assert "--confirmed" in result.stderr and result.stderr.count(" 2024年3月：") == 1  # that figure alone
    assert stored(base_db, 3) == {} and "三月.xlsx" not in cli("history", db=base_db).stdout
    dry = cli("import", str(path), "--dry-run", db=base_db)
    assert dry.returncode == 4 and "试导入" in dry.stdout and labels.CONFIRM_KINDS[kind] in dry.stderr
    assert stored(base_db, 3) == {}
    confirmed = cli("import", str(path), "--confirmed", db=base_db)
    assert confirmed.returncode == 0, confirmed.stderr
    assert "已导入「三月.xlsx」" in confirmed.stdout and "已确认的 1 个数值" in confirmed.stdout
    assert stored(base_db, 3) == {n: pytest.approx(v) for n, v in march.items()}
    # Stored once and confirmed then: the same file again changes nothing and asks nothing.
    again = cli("import", str(path), db=base_db)
    assert again.returncode == 0 and "完全相同" in again.stdout and not again.stderr


def test_a_clean_file_exits_0_and_is_stored(base_db, tmp_path):
    # +9.1% and +5% on February, no figure for March 2023: nothing to confirm.
    result = cli("import", str(month_file(tmp_path, "三月.xlsx", 3, {"卓尔五金": 120, "石普铝业": 210})), db=base_db)
    assert result.returncode == 0, result.stderr
    assert not result.stderr and "已确认" not in result.stdout
    assert stored(base_db, 3) == {"卓尔五金": 120, "石普铝业": 210}


def test_several_files_each_stored_on_its_own_refused_wins_over_confirmation(base_db, tmp_path):
    march = month_file(tmp_path, "三月.xlsx", 3, {"卓尔五金": 120, "石普铝业": 210})
    april = month_file(tmp_path, "四月.xlsx", 4, {"卓尔五金": 1_300_000, "石普铝业": 215})  # against March's 120
    bad = month_file(tmp_path, "坏.xlsx", 5, {"卓尔五金": "约100"})
    result = cli("import", str(march), str(april), str(bad), db=base_db)
    assert result.returncode == 1
    assert "「四月.xlsx」未导入" in result.stderr and "约100" in result.stderr
    assert stored(base_db, 3) == {"卓尔五金": 120, "石普铝业": 210}  # the file that passed is stored
    assert stored(base_db, 4) == {} and stored(base_db, 5) == {}
    may = month_file(tmp_path, "五月.xlsx", 5, {"卓尔五金": 125})
    result = cli("import", str(april), str(may), db=base_db)
    assert result.returncode == 4  # none refused, one waits
    assert stored(base_db, 4) == {} and stored(base_db, 5) == {"卓尔五金": 125}


def power_file(tmp_path, name, month, values):
    return write(tmp_path, name, xlsx_bytes({"用电": [[f"2024年{month}月工业企业用电量"],
                                                      ["企业名称", "本月用电量（万千瓦时）"],
                                                      *([n, v] for n, v in values.items())]}))


def stored_power(db, month):
    power = store.load_electricity(store.open_database(db), [2024])
    return dict(zip(power[power.last_month == month].name, power[power.last_month == month].value_10k_kwh))


def test_electricity_typed_in_kilowatt_hours_exits_4_until_confirmed(base_db, tmp_path):
    assert cli("import", str(power_file(tmp_path, "二月用电.xlsx", 2, {"卓尔五金": 12, "石普铝业": 30})),
               db=base_db).returncode == 0
    # 卓尔五金: 130000 (千瓦时) under 万千瓦时, 10833.3 times February's 12; 石普铝业 31 is like February.
    path = power_file(tmp_path, "三月用电.xlsx", 3, {"卓尔五金": 130_000, "石普铝业": 31})
    result = cli("import", str(path), db=base_db)
    assert result.returncode == 4, result.stderr
    assert ("「三月用电.xlsx」未导入：有 1 个数值须核对（可能填错用电量单位（千瓦时、万千瓦时） 1 个）：" in result.stderr
            and "卓尔五金 2024年3月：本表 130000.0万千瓦时，参照 2024年2月 12.0万千瓦时；"
                "是2024年2月的10833.3倍，可能把千瓦时填成了万千瓦时" in result.stderr), result.stderr
    assert "万元" not in result.stderr and stored_power(base_db, 3) == {}
    confirmed = cli("import", str(path), "--confirmed", db=base_db)
    assert confirmed.returncode == 0, confirmed.stderr
    assert "已确认的 1 个数值" in confirmed.stdout
    assert stored_power(base_db, 3) == {"卓尔五金": 130_000, "石普铝业": 31}


@pytest.mark.parametrize("env_town, args, code, towns_after", [
    pytest.param(None, ["--town", "温西镇"], 1, ["腊口镇", "温溪镇"], id="a typo is refused"),
    pytest.param(None, ["--town", "温西镇", "--new-town"], 0, ["腊口镇", "温溪镇", "温西镇"], id="--new-town adds it"),
    pytest.param(None, ["--town", "温溪镇"], 0, ["腊口镇", "温溪镇"], id="a town the database holds"),
    pytest.param(None, ["--town", "腊口镇"], 0, ["腊口镇", "温溪镇"], id="the home town"),
    pytest.param("船寮镇", ["--town", "船寮镇"], 0, ["腊口镇", "温溪镇", "船寮镇"], id="LAKOU_TOWN's town"),
])
def test_town_must_exist_unless_new_town(tmp_path, monkeypatch, env_town, args, code, towns_after):
    db = tmp_path / "towns.db"
    engine = store.open_database(db)
    importing.import_bytes(store.for_town(engine, "温溪镇"), xlsx_bytes({"s": long_rows(RECORDS)}), "w.xlsx",
                           operator=staff("温溪镇"))
    assert store.list_towns(engine) == ["腊口镇", "温溪镇"]
    if env_town:
        monkeypatch.setenv("LAKOU_TOWN", env_town)
    path = write(tmp_path, "a.xlsx", xlsx_bytes({"s": long_rows(RECORDS)}))
    result = cli("import", str(path), *args, db=db)
    assert result.returncode == code, result.stderr
    assert store.list_towns(store.open_database(db)) == towns_after
    if code == 1:
        assert result.stderr.strip() == ("数据库中没有“温西镇”这个乡镇（现有：腊口镇、温溪镇），本次没有改动任何数据。"
                                         "如确实要新建这个乡镇，请加 --new-town")
        assert store.list_imports(store.for_town(store.open_database(db), "温西镇")).empty


@pytest.mark.parametrize("args", [
    ["summary", "--year", "2024", "--through", "Q1"], ["history"], ["undo", "1"],
    ["briefing", "--year", "2024", "--through", "Q1", "--out", "x.docx"],
])
def test_commands_that_cannot_add_a_town_refuse_an_unknown_one(tmp_path, args):
    result = cli(*args, "--town", "温西镇", db=tmp_path / "t.db")
    assert result.returncode == 1
    assert result.stderr.strip() == "数据库中没有“温西镇”这个乡镇（现有：腊口镇），本次没有改动任何数据"


def test_the_sample_goes_to_the_town_it_names_and_an_unknown_town_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("LAKOU_TOWN", "温溪镇")
    db = tmp_path / "home.db"
    refused = cli("init", "--sample", "--town", "船寮镇", db=db)
    assert refused.returncode == 1 and "--new-town" in refused.stderr
    assert store.list_towns(store.open_database(db)) == ["温溪镇"]
    loaded = cli("init", "--sample", "--town", "温溪镇", db=db)
    assert loaded.returncode == 0 and "腊口镇示例数据已加载" in loaded.stdout
    # The sample is 腊口镇's: its rows go there, never to the installation's own 温溪镇.
    engine = store.open_database(db)
    assert store.list_imports(store.for_town(engine, "温溪镇")).empty
    assert not store.list_imports(store.for_town(engine, "腊口镇")).empty


# -- output piped into a reader that stops early -------------------------------------------------
def run_into_closed_pipe(*args, db, unbuffered=False):
    """Run the command with stdout a pipe whose reader has already gone (`| head` that has
    finished): every write meets a closed pipe. (returncode, stderr)."""
    reader, writer = os.pipe()
    os.close(reader)
    # PYTHONUNBUFFERED: each line written at once, so the first print meets the closed pipe
    try:
        done = cli_process(*args, db=db, env={"PYTHONUNBUFFERED": "1"} if unbuffered else {}, stdout=writer,
                           stderr=subprocess.PIPE)
    finally:
        os.close(writer)
    return done.returncode, done.stderr


@pytest.mark.processes
@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
def test_a_closed_pipe_ends_quietly_and_the_import_still_stores_every_file(base_db, tmp_path, unbuffered):
    march = month_file(tmp_path, "三月.xlsx", 3, {"卓尔五金": 120})
    april = month_file(tmp_path, "四月.xlsx", 4, {"卓尔五金": 125})
    assert run_into_closed_pipe("import", str(march), str(april), db=base_db, unbuffered=unbuffered) == (0, "")
    assert stored(base_db, 3) == {"卓尔五金": 120} and stored(base_db, 4) == {"卓尔五金": 125}
    for args in (["history"], ["summary", "--year", "2024", "--through", "M04"],
                 ["summary", "--year", "2024", "--through", "M04", "--json"]):
        assert run_into_closed_pipe(*args, db=base_db, unbuffered=unbuffered) == (0, ""), args


@pytest.mark.processes
def test_head_reading_the_start_of_a_long_output_ends_quietly(tmp_path):
    # 3000 enterprises: summary --json is far more than a pipe holds, so the command is still
    # writing when the reader stops after its first bytes.
    db = tmp_path / "long.db"
    rows = [(y, 1, f"企业{i:04d}", "五金", True, 1.0 + i) for y in (2023, 2024) for i in range(3000)]
    importing.import_bytes(store.open_database(db), xlsx_bytes({"s": long_rows(rows)}), "long.xlsx", operator=staff())
    refuse_in_check_lane("a Python process of its own", "processes")
    env = process_env()
    proc = subprocess.Popen([sys.executable, "-m", "lakou_metrics", "summary", "--year", "2024", "--through", "M01",
                             "--json", "--db", str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            cwd=ROOT)
    first = proc.stdout.read(100)
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 0
    assert first.startswith(b'{"year": 2024') and err == b""


@pytest.fixture
def evaluated_db(tmp_path):
    """Output reports of 2023 and the 亩均评价 sheets of 2022 and 2023 (tests/evaluation_support.py)."""
    from evaluation_support import import_evaluation

    db = empty_database(tmp_path / "evaluation.db")
    engine = store.open_database(str(db))
    import_evaluation(engine)
    engine.dispose()
    return db


def test_evaluate_prints_every_enterprise_with_its_class(evaluated_db):
    from evaluation_support import ROWS_2023, expected_2023

    result = cli("evaluate", "--year", "2023", db=evaluated_db)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "腊口镇2023年度亩均效益评价"
    found = expected_2023()
    for name, e in found.items():
        if e["class"] is None:
            assert f"  {name}（规下企业）：{e['reason']}" in lines, name
            continue
        (line,) = [line for line in lines if line.split()[1:2] == [name]]
        assert line.split()[:5] == [str(e["rank"]), name, e["class"], f"{e['score']:.2f}", e["change"]], name
    rated_below = [e for e in found.values() if e["group"] == "规下" and e["class"]]
    counts = "，".join(f"{c}类{sum(e['class'] == c for e in rated_below)}家" for c in "ABCD")
    assert f"规下企业：{sum(not r['above'] for r in ROWS_2023)}家，参评{len(rated_below)}家（{counts}）" in lines
    assert "  注：乙，单位排放增加值：缺少主要污染物排放当量（吨），按本组该项平均得分计" in lines
    assert "  注：己，单位电耗税收：用电量（万千瓦时）为0，按本组该项平均得分计" in lines


def test_evaluate_json(evaluated_db):
    from evaluation_support import expected_2023

    result = cli("evaluate", "--year", "2023", "--json", db=evaluated_db)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    by_name = {e["name"]: e for e in data["enterprises"]}
    found = expected_2023()
    assert set(by_name) == set(found)
    for name, e in found.items():
        got = by_name[name]
        assert (got["group"], got["class"], got["reason"], got["rank"], got["change"]) == (
            e["group"], e["class"] or "不定", e["reason"], e["rank"], e["change"]), name
        assert got["score"] == (None if e["score"] is None else pytest.approx(e["score"])), name
        if e["class"]:
            assert {i["code"]: i["score"] for i in got["indicators"]} == pytest.approx(
                {code: float(score) for code, score in e["items"].items()}), name
    # 丁: 亩均税收 300/2 = 150 against (300+20+40+10+…+80)/(2+10×10) = 720/102: past 3 times, capped at 50 × 3.
    tax = by_name["丁"]["indicators"][0]
    assert (tax["name"], tax["value"], tax["base"], tax["ratio"], tax["score"]) == (
        "亩均税收", 150.0, pytest.approx(7.06), 3.0, 150.0)
    assert data["counts"]["规上"] == {"A": 1, "B": 1, "C": 1, "D": 0, "不定": 0}


def test_evaluate_a_year_without_data_says_so_in_chinese(evaluated_db):
    result = cli("evaluate", "--year", "2021", db=evaluated_db)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == ("腊口镇没有2021年的亩均效益评价数据（已有数据的年份：2022年、2023年）。"
                                     "请先导入该年的亩均效益评价数据表。")
    assert "Traceback" not in result.stderr


def test_evaluate_on_an_empty_database_and_with_bad_settings(tmp_path, monkeypatch):
    result = cli("evaluate", "--year", "2023", db=tmp_path / "empty.db")
    assert (result.returncode, result.stderr.strip()) == (1, "腊口镇没有2023年的亩均效益评价数据。请先导入该年的亩均效益评价数据表。")
    settings = write(tmp_path, "settings.toml", "[evaluation]\ncap = 0\n".encode())
    monkeypatch.setenv("LAKOU_SETTINGS", str(settings))
    refused = cli("evaluate", "--year", "2023", db=tmp_path / "empty.db")
    assert refused.returncode == 1 and "cap 应是大于0的数" in refused.stderr and "Traceback" not in refused.stderr


@pytest.mark.images
def test_the_briefing_command_reports_the_latest_evaluation(evaluated_db, tmp_path):
    from docx import Document

    out = tmp_path / "简报.docx"
    result = cli("briefing", "--year", "2023", "--through", "M04", "--out", str(out), db=evaluated_db)
    assert result.returncode == 0, result.stderr
    texts = [p.text for p in Document(str(out)).paragraphs]
    (at,) = [i for i, t in enumerate(texts) if t.endswith("、亩均效益评价")]
    assert texts[at + 1].startswith("2023年度亩均效益评价：规上企业参评3家，A类1家、D类0家；")
