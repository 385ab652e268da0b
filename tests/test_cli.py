"""The command line exactly as acceptance checks use it: exit codes, stderr, and summary --json."""
import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT, long_rows, write, xlsx_bytes


def cli(*args, db=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "lakou_metrics", *args] + (["--db", str(db)] if db else [])
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


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
    assert cli("import", str(path), "--town", "温溪镇", db=tmp_path / "county.db").returncode == 0
    wenxi = json.loads(cli("summary", "--year", "2024", "--through", "Q1", "--json", "--town", "温溪镇",
                           db=tmp_path / "county.db").stdout)
    assert wenxi["total"]["value"] == sum(r[5] for r in RECORDS if r[0] == 2024)
    home = json.loads(cli("summary", "--year", "2024", "--through", "Q1", "--json", db=tmp_path / "county.db").stdout)
    assert not home["total"]["value"]  # the home town (腊口镇) has nothing: the file stayed Wenxi's
    assert "温溪镇" not in cli("history", db=tmp_path / "county.db").stdout
    assert "wenxi.xlsx" in cli("history", "--town", "温溪镇", db=tmp_path / "county.db").stdout
