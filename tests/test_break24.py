"""Reproductions of what breaks in issue 24's cockpit, county ranking, briefing and run scripts under
odd data and careless input. Each test states what a person sees and what they should see; the
expected figures are worked out here from the rows the test writes."""
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, long_rows, staff, xlsx_bytes
from test_cockpit import ROWS, _ytd
from test_county_pages import start

from lakou_metrics import importing, store
from lakou_metrics.compute.cockpit import compare_peers
from lakou_metrics.compute.county import county_ranking
from lakou_metrics.ingest.errors import ImportRefused
from lakou_metrics.output.briefing import build_docx
from lakou_metrics.output.phone_image import phone_image_chart
from lakou_metrics.store.schema import imports

PEER_HEADER = ["乡镇", "年份", "期间", "指标", "单位", "数值"]


def entered(rows: list[tuple[str, str, float]], imported_at: str = "2024-07-03T10:00:00+08:00") -> pd.DataFrame:
    """What store.load_peer_figures gives for a peer sheet of (town, indicator, value) rows."""
    return pd.DataFrame({"town": [r[0] for r in rows], "indicator": [r[1] for r in rows],
                         "value": [r[2] for r in rows], "file_name": ["对比.xlsx"] * len(rows),
                         "imported_at": [imported_at] * len(rows)})


# -- peers ---------------------------------------------------------------------------------------
def test_a_peer_town_with_a_semicolon_in_its_name_does_not_break_the_phone_image():
    """The phone image splits each peer line at "；" to put the gap on a line of its own: a peer
    town written "温溪镇；工业园" in the comparison sheet gives three pieces and the 手机长图 download
    fails (ValueError: too many values to unpack)."""
    ytd = _ytd(ROWS, 2024, 6)
    line = compare_peers(ytd, None, entered([("温溪镇；工业园", "total_output", 500.0)]))
    spec = json.dumps(phone_image_chart(ytd, today=dt.date(2024, 7, 5), peers=line).to_dict(), ensure_ascii=False)
    assert "温溪镇；工业园" in spec


def test_the_town_is_never_compared_with_itself():
    """A comparison sheet that also lists the town's own figure (staff copy the county's table, our
    row included) makes 总览 say "腊口镇：999.0万元…；腊口镇产值少819.0万元": the town against
    itself, with a figure that contradicts its own headline (180 万元 in 1-6月)."""
    line = compare_peers(_ytd(ROWS, 2024, 6), None, entered([("温溪镇", "total_output", 500.0),
                                                            ("腊口镇", "total_output", 999.0)]))
    assert [p.town for p in line.peers] == ["温溪镇"]


def test_a_peer_figure_given_twice_with_different_values_is_refused(engine):
    """Two rows of one peer sheet give 温溪镇's 1-6月 output as 500 and as 700: the import takes the
    last one silently (the cockpit then reads 700), where two values of one enterprise's period
    are refused ("只能有一个数，请删去重复的一行")."""
    sheet = xlsx_bytes({"对比": [PEER_HEADER, ["温溪镇", 2024, "1-6月", "工业总产值", "万元", 500],
                                 ["温溪镇", 2024, "1-6月", "工业总产值", "万元", 700]]})
    with pytest.raises(ImportRefused) as refused:
        importing.import_bytes(engine, sheet, "对比.xlsx", operator=staff())
    assert "第3行" in str(refused.value)
    assert store.load_peer_figures(store.for_town(engine, "腊口镇"), 2024, 6).empty


def test_the_neighbour_written_without_zhen_is_the_neighbour(engine):
    """"温溪" and "温溪镇" are one town (README: 两个乡镇的同名企业…“温溪”和“温溪镇”是同一乡镇; the
    乡镇 column of a data file accepts “温溪”). A peer sheet writing “温溪” gives a peer "温溪" that is
    not put first as the neighbour and, beside a later sheet writing “温溪镇”, two lines for one town."""
    for town, value in (("温溪", 500), ("温溪镇", 520)):
        importing.import_bytes(engine, xlsx_bytes({"对比": [PEER_HEADER, [town, 2024, "1-6月", "工业总产值", "万元", value]]}),
                               f"对比{town}.xlsx", operator=staff())
    found = store.load_peer_figures(store.for_town(engine, "腊口镇"), 2024, 6)
    line = compare_peers(_ytd(ROWS, 2024, 6), None, found)
    assert [p.town for p in line.peers] == ["温溪镇"]


def test_the_peer_sheets_load_day_is_the_towns_day(tmp_path, monkeypatch):
    """总览 says when the comparison sheet was loaded from the stored UTC time cut at 10 characters:
    a sheet loaded at 04:00 in 腊口 (20:00 UTC the day before) is said to be loaded "2024-07-03",
    the day before it was, where every other time on the pages is the town's (Asia/Shanghai)."""
    db = str(tmp_path / "t.db")
    engine = store.open_database(db)
    importing.import_bytes(engine, xlsx_bytes({"s": long_rows([(y, m, "甲厂", "五金", True, 100.0)
                                                              for y in (2023, 2024) for m in (1, 2, 3)])}),
                           "产值.xlsx", operator=staff())
    outcome = importing.import_bytes(engine, xlsx_bytes({"对比": [PEER_HEADER, ["温溪镇", 2024, "1-3月", "工业总产值",
                                                                                 "万元", 500]]}),
                                     "对比.xlsx", operator=staff())
    with engine.begin() as conn:
        conn.execute(imports.update().where(imports.c.id == outcome.import_id)
                     .values(imported_at="2024-07-03T20:00:00+00:00"))
    engine.dispose()
    at = start(db, monkeypatch, None, {"year": "2024", "through": "3"})
    said = [c.value.replace("\\", "") for c in at.caption if c.value.startswith("对比数据")]
    assert said == ["对比数据：对比.xlsx，2024-07-04导入"]


# -- the county's ranking ------------------------------------------------------------------------
def test_towns_with_the_same_output_share_a_rank():
    """Two towns with the same 1-6月 output (180.0 万元 each) are ranked 1 and 2 by their order in
    the frame, so 温溪镇's 总览 says "产值排第2" beside "腊口镇产值多0.0万元": equal figures share a
    rank (并列第1), as a statistics office ranks them."""
    years = {"腊口镇": _ytd(ROWS, 2024, 6), "温溪镇": _ytd(ROWS, 2024, 6, town="温溪镇")}
    ranking = county_ranking(years)
    assert dict(zip(ranking.town, ranking["rank"])) == {"腊口镇": 1, "温溪镇": 1}


# -- the date of writing ---------------------------------------------------------------------------
@pytest.fixture
def server_far_behind_the_town(tmp_path, monkeypatch):
    """The server's clock in UTC−12 and the town's zone ([display] timezone) in UTC+14: their dates
    differ at every hour of the day. Yields the town's date."""
    settings = tmp_path / "settings.toml"
    settings.write_text('[display]\ntimezone = "Pacific/Kiritimati"\n', encoding="utf-8")
    monkeypatch.setenv("LAKOU_SETTINGS", str(settings))
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Etc/GMT+12"
    time.tzset()
    try:
        from lakou_metrics.settings import town_today

        yield town_today()
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def test_the_word_briefing_is_dated_on_the_towns_day(server_far_behind_the_town):
    """The Word file's date of writing (its last line and its properties) is the server's date, not
    the town's: on a server in UTC the briefing written at 7:00 in 腊口 is dated the day before."""
    import io

    from docx import Document

    day = server_far_behind_the_town
    document = Document(io.BytesIO(build_docx(_ytd(ROWS, 2024, 6), {})))
    written = f"{day.year}年{day.month}月{day.day}日"
    assert document.paragraphs[-1].text.endswith(written)
    assert document.core_properties.created.date() == day


def test_the_phone_image_is_dated_on_the_towns_day(server_far_behind_the_town):
    day = server_far_behind_the_town
    spec = json.dumps(phone_image_chart(_ytd(ROWS, 2024, 6)).to_dict(), ensure_ascii=False)
    assert f"{day.year}年{day.month}月{day.day}日" in spec


# -- make run-county --------------------------------------------------------------------------------
@pytest.fixture
def county_script(tmp_path):
    """scripts/run-county.sh in a copy of the project root whose .venv is this interpreter's: the
    port is checked before anything else runs, so a refused port starts nothing."""
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "run-county.sh").write_bytes((ROOT / "scripts" / "run-county.sh").read_bytes())
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))
    return tmp_path


@pytest.mark.parametrize("port", ["abc", "99999"], ids=["not a number", "beyond 65535"])
def test_run_county_refuses_a_port_that_is_not_one_in_chinese(county_script, port):
    """`make run-county PORT=abc` prints a Python traceback in English and then says the port "已被
    占用" (taken), which is not why: a person reads one Chinese sentence saying the port is not valid."""
    done = subprocess.run(["bash", "scripts/run-county.sh"], cwd=county_script, capture_output=True, text=True,
                          env={**os.environ, "PORT": port}, timeout=60)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and "Error" not in done.stderr
    assert "已被占用" not in done.stderr and port in done.stderr
    assert not (county_script / "data").exists()  # nothing was started


def test_run_county_stops_when_the_port_asked_for_is_taken(county_script):
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        done = subprocess.run(["bash", "scripts/run-county.sh"], cwd=county_script, capture_output=True, text=True,
                              env={**os.environ, "PORT": str(port)}, timeout=60)
    assert done.returncode != 0
    assert done.stderr.strip() == f"看板的端口 {port} 已被占用：请换一个端口，或先停止占用它的程序。"
    assert not (county_script / "data").exists()
