"""Hostile and broken files, built here in code, through the command line as staff would use it:
each is refused with a Chinese message that says where and why, and nothing is stored. Some are
read, correctly. Files made to exhaust a reader (far cells, declared sizes, floods) are refused
within bounded memory, measured in the test's own child process; the others run the command line
in the test's process (cli_support.cli), the same code without a Python start-up each."""
import io
import json
import subprocess
import sys
import zipfile

import pytest
from cli_support import cli
from conftest import ROOT, csv_bytes, long_rows, process_env, refuse_in_check_lane, write, xls_bytes, xlsx_bytes

from lakou_metrics import store

HEADER = ["年份", "月份", "企业名称", "所属行业", "是否规上", "产值（万元）"]
GOOD = long_rows([(2024, 1, "卓尔五金", "五金", True, 100.0), (2024, 1, "石普铝业", "金属加工", True, 200.0)])
# The child reports its own peak memory (and its children's: the reader's child process).
MEASURED = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stdout.write(done.stdout); sys.stderr.write(done.stderr)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.write(f"\\nPEAK_KB={peak}\\n")
sys.exit(done.returncode)
"""


HANG = 300  # seconds after which a child that has not finished is taken to hang


def run_cli(*args, db, settings=None):
    """The CLI in a child process: (exit code, stdout, stderr, peak MB of the CLI and its reader). Its
    timeout only stops a reader that hangs; how fast a refusal comes is no test's business (the
    machines are shared): memory tells a reader that walks a declared million rows, and speed is
    measured by bench/."""
    refuse_in_check_lane("a Python process of its own", "processes")
    env = process_env()
    if settings:
        env["LAKOU_SETTINGS"] = str(settings)
    done = subprocess.run([sys.executable, "-c", MEASURED, sys.executable, "-m", "lakou_metrics", *args,
                           "--db", str(db)], capture_output=True, text=True, env=env, cwd=ROOT, timeout=HANG)
    stderr, _, peak = done.stderr.rpartition("PEAK_KB=")
    return done.returncode, done.stdout, stderr, int(peak) / 1024


def stored_rows(db) -> int:
    engine = store.open_database(db)
    return len(store.load_observations(engine))


def patched(data: bytes, patch, part="xl/worksheets/sheet1.xml") -> bytes:
    """An .xlsx with one part's XML rewritten, as a crafted or odd generator would write it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            content = source.read(info.filename)
            out.writestr(info.filename, patch(content) if info.filename == part else content)
    return buffer.getvalue()


def with_cell(xml: bytes, row: int, cell: bytes) -> bytes:
    return xml.replace(b"</sheetData>", b'<row r="%d">%s</row></sheetData>' % (row, cell))


@pytest.fixture
def db(tmp_path):
    return tmp_path / "hostile.db"


MEMORY_MB = 600  # the peak, in MB, of the command line and its reader refusing a file made to exhaust it


def refused(tmp_path, db, name, data, *expected, settings=None, megabytes=None):
    """Import `data` as `name`: refused (exit 1) with every `expected` text in the message, nothing
    stored, no traceback or path in what a person reads. With `megabytes`, the command line runs as
    a child process whose peak memory, its reader's included, must stay under that bound."""
    path = write(tmp_path, name, data)
    if megabytes is None:
        assert settings is None, "settings reach the command line as a child process: give `megabytes`"
        done = cli("import", str(path), db=db)
        code, out, err = done.returncode, done.stdout, done.stderr
    else:
        code, out, err, peak = run_cli("import", str(path), db=db, settings=settings)
        assert peak < megabytes, peak
    assert code == 1, (code, out, err)
    for text in expected:
        assert text in err, err
    assert "Traceback" not in err and "site-packages" not in err and str(tmp_path) not in err
    assert stored_rows(db) == 0
    return err


# -- the whole app goes down --------------------------------------------------------------------
@pytest.mark.processes
@pytest.mark.parametrize("row, ref", [
    pytest.param(1048576, b"XFD1048576", id="last cell of a sheet"),
    pytest.param(1048576, b"CV1048576", id="column CV, last row"),
    pytest.param(4294967295, b"A4294967295", id="a row number beyond Excel's"),
    pytest.param(1, b"XFD1", id="last column, first row"),
])
def test_a_stray_far_cell_is_refused_in_little_memory(tmp_path, db, row, ref):
    data = patched(xlsx_bytes({"s": GOOD}), lambda x: with_cell(x, row, b'<c r="%s"><v>1</v></c>' % ref))
    assert len(data) < 8000  # a few KB
    refused(tmp_path, db, "far.xlsx", data, ref.decode(), "孤立单元格", megabytes=400)


@pytest.mark.processes
def test_a_declared_huge_dimension_is_refused(tmp_path, db):
    data = patched(xlsx_bytes({"s": GOOD}), lambda x: x.replace(b'<dimension ref="A1:F3"/>',
                                                                b'<dimension ref="A1:XFD1048576"/>'))
    refused(tmp_path, db, "dim.xlsx", data, "XFD1048576", megabytes=MEMORY_MB)


@pytest.mark.processes
def test_an_old_xls_with_a_far_cell_is_refused(tmp_path, db):
    rows = [list(r) for r in GOOD]
    rows += [[] for _ in range(65535 - len(rows))] + [[None] * 255 + ["远"]]  # IV65536, the last cell
    refused(tmp_path, db, "far.xls", xls_bytes(rows), "IV65536", megabytes=1500)


@pytest.mark.processes
def test_a_reader_past_its_memory_limit_ends_its_own_process_only(tmp_path, db):
    settings = write(tmp_path, "limits.toml", b"[limits]\nread_memory_bytes = 200_000_000\n")
    rows = [list(r) for r in GOOD]
    rows += [[] for _ in range(65535 - len(rows))] + [[None] * 255 + ["远"]]
    refused(tmp_path, db, "far.xls", xls_bytes(rows), "内存超过上限", settings=settings, megabytes=MEMORY_MB)


@pytest.mark.processes
def test_too_many_rows_are_refused_before_they_are_read(tmp_path, db):
    body = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r) for r in range(4, 200_010))
    data = patched(xlsx_bytes({"s": GOOD}), lambda x: x.replace(b"</sheetData>", body + b"</sheetData>"))
    refused(tmp_path, db, "rows.xlsx", data, "200000", megabytes=MEMORY_MB)


@pytest.mark.processes
def test_a_csv_of_newlines_is_refused(tmp_path, db):
    refused(tmp_path, db, "空行.csv", b"\n" * 300_000, "行数超过上限", megabytes=MEMORY_MB)


@pytest.mark.processes
def test_a_flood_of_bad_cells_lists_the_first_and_counts_the_rest(tmp_path, db):
    rows = [HEADER] + [[2024, 1, f"企业{i}", "五金", "是", "约100"] for i in range(5000)]
    err = refused(tmp_path, db, "坏.xlsx", xlsx_bytes({"s": rows}), "共发现5000个问题", "另有 4800 个问题未列出",
                  megabytes=MEMORY_MB)
    assert err.count("不是数字") == 200 and len(err) < 60_000


# -- a wrong figure stored without a word -------------------------------------------------------
@pytest.mark.parametrize("value", [b"1e309", b"INF"])
def test_infinity_is_refused(tmp_path, db, value):
    def patch(xml):
        return xml.replace(b'<c r="F2" t="n"><v>100</v></c>', b'<c r="F2" t="n"><v>%s</v></c>' % value)
    err = refused(tmp_path, db, "inf.xlsx", patched(xlsx_bytes({"s": GOOD}), patch), "第2行")
    assert "无穷大" in err or "不是数字" in err


def test_infinity_in_a_csv_is_refused(tmp_path, db):
    rows = [HEADER, [2024, 1, "卓尔五金", "五金", "是", "1e309"]]
    refused(tmp_path, db, "inf.csv", csv_bytes(rows), "第2行", "无穷大")


def test_cached_formula_errors_are_refused(tmp_path, db):
    error = b"#DIV/0!"  # #REF!, #N/A … take the same path (read._scan_xml keeps any t="e" cell's text)

    def patch(xml):
        return xml.replace(b'<c r="F2" t="n"><v>100</v></c>',
                           b'<c r="F2" t="e"><f>A1/0</f><v>%s</v></c>' % error)
    refused(tmp_path, db, "err.xlsx", patched(xlsx_bytes({"s": GOOD}), patch), error.decode(), "第2行", "公式")


def test_a_prefixed_formula_without_a_value_is_refused(tmp_path, db):
    def patch(xml):
        xml = xml.replace(b"<worksheet ", b'<worksheet xmlns:x="http://schemas.openxmlformats.org/'
                                           b'spreadsheetml/2006/main" ', 1)
        return xml.replace(b'<c r="F2" t="n"><v>100</v></c>', b'<x:c r="F2"><x:f>1+1</x:f></x:c>')
    refused(tmp_path, db, "ns.xlsx", patched(xlsx_bytes({"s": GOOD}), patch), "第2行", "没有计算结果")


def test_invisible_characters_do_not_make_another_enterprise(tmp_path, db):
    rows = long_rows([(2024, 1, "卓尔五金", "五金", True, 100.0), (2024, 1, "卓\u200b尔五金", "五金", True, 100.0)])
    refused(tmp_path, db, "重复.xlsx", xlsx_bytes({"s": rows}), "出现了两次")
    one = long_rows([(2024, 1, "\ufeff卓\u200b尔\u2060五金\u200d", "五金", True, 100.0)])
    path = write(tmp_path, "一家.xlsx", xlsx_bytes({"s": one}))
    assert cli("import", str(path), db=db).returncode == 0
    names = store.load_observations(store.open_database(db)).name.tolist()
    assert names == ["卓尔五金"]  # stored clean


def test_merged_sector_and_scale_cells_apply_to_every_row(tmp_path, db):
    rows = [HEADER, [2024, 1, "甲", "五金", "是", 10], [2024, 1, "乙", None, None, 20],
            [2024, 1, "丙", None, None, 30]]
    data = xlsx_bytes({"s": rows}, merges={"s": ["D2:D4", "E2:E4"]})
    path = write(tmp_path, "合并.xlsx", data)
    done = cli("import", str(path), db=db)
    assert done.returncode == 0, done.stderr
    stored = store.load_observations(store.open_database(db)).set_index("name")
    assert set(stored.sector) == {"hardware"} and stored.above_scale.tolist() == [True, True, True]


def test_a_merged_figure_over_several_enterprises_is_refused(tmp_path, db):
    rows = [HEADER, [2024, 1, "甲", "五金", "是", 10], [2024, 1, "乙", "五金", "是", None]]
    refused(tmp_path, db, "合并产值.xlsx", xlsx_bytes({"s": rows}, merges={"s": ["F2:F3"]}), "第3行", "合并单元格")


def test_a_month_formatted_as_a_date_is_refused(tmp_path, db):
    def patch(xml):  # the month 3, in a cell with a date format (style 1 = a date in this workbook)
        return xml.replace(b'<c r="B2" t="n"><v>1</v></c>', b'<c r="B2" s="1" t="n"><v>3</v></c>')
    data = patched(xlsx_bytes({"s": GOOD}), patch_styles, "xl/styles.xml")
    refused(tmp_path, db, "日期.xlsx", patched(data, patch), "第2行", "日期格式")


def patch_styles(xml: bytes) -> bytes:
    """Make cell style 1 a date format (numFmtId 14), as Excel does when a cell is typed as a date."""
    start = xml.index(b"<cellXfs")
    end = xml.index(b"</cellXfs>") + len(b"</cellXfs>")
    return (xml[:start] + b'<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            b'<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
            + xml[end:])


def test_a_stray_quote_in_a_csv_is_refused_at_its_line(tmp_path, db):
    text = "年份,月份,企业名称,所属行业,是否规上,产值（万元）\n2024,1,\"卓尔五金,五金,是,100\n" + \
        "".join(f"2024,1,企业{i},五金,是,{i}\n" for i in range(50)) + "2024,1,末\",五金,是,1\n"
    refused(tmp_path, db, "引号.csv", text.encode("utf-8"), "第2行", "引号")


def test_a_never_closed_quote_is_refused(tmp_path, db):
    text = "年份,月份,企业名称,所属行业,是否规上,产值（万元）\n2024,1,\"卓尔五金,五金,是,100\n2024,1,乙,五金,是,1\n"
    refused(tmp_path, db, "未闭合.csv", text.encode("utf-8"), "第2行", "引号")


def test_a_gbk_csv_with_a_utf8_row_is_refused_at_that_row(tmp_path, db):
    data = ("年份,月份,企业名称,所属行业,是否规上,产值（万元）\n2024,1,石普铝业,金属加工,是,100\n"
            "2024,1,友邦铝业,金属加工,是,100\n").encode("gbk") + "2024,1,卓尔五金,五金,是,100\n".encode("utf-8")
    refused(tmp_path, db, "混合.csv", data, "第4行", "编码")


def test_a_utf16_csv_is_read(tmp_path, db):
    path = write(tmp_path, "utf16.csv", csv_bytes(GOOD).decode("utf-8").encode("utf-16"))
    done = cli("import", str(path), db=db)
    assert done.returncode == 0, done.stderr
    assert stored_rows(db) == 2


def test_twenty_digit_numbers_are_refused(tmp_path, db):
    rows = [HEADER, [2024, 1, "卓尔五金", "五金", "是", "12345678901234567890"]]
    refused(tmp_path, db, "长数.csv", csv_bytes(rows), "第2行", "15位")


def test_a_hidden_row_is_counted_and_said(tmp_path, db):
    data = patched(xlsx_bytes({"s": GOOD}), lambda x: x.replace(b'<row r="3">', b'<row r="3" hidden="1">'))
    path = write(tmp_path, "隐藏行.xlsx", data)
    done = cli("import", str(path), db=db)
    code, out, err = done.returncode, done.stdout, done.stderr
    assert code == 0, err
    assert "第3行" in out and "隐藏行" in out
    assert stored_rows(db) == 2


# -- internal errors instead of a problem list --------------------------------------------------
def test_a_far_date_in_a_period_cell_is_a_problem(tmp_path, db):
    import datetime as dt

    rows = [["期间", "企业名称", "产值（万元）"], [dt.datetime(9999, 12, 31), "卓尔五金", 100]]
    refused(tmp_path, db, "远日期.xlsx", xlsx_bytes({"s": rows}), "第2行", "期间")


@pytest.mark.processes
def test_a_huge_csv_field_is_a_problem(tmp_path, db):
    rows = [HEADER, [2024, 1, "卓" * 140_000, "五金", "是", 1]]
    refused(tmp_path, db, "长字段.csv", csv_bytes(rows), "第2行", "字符", megabytes=MEMORY_MB)


@pytest.mark.parametrize("name, data, text", [
    pytest.param("a.xlsx", None, ".xlsb", id="xlsb renamed"),
    pytest.param("b.xlsx", b"ods", ".ods", id="ods renamed"),
])
def test_other_spreadsheet_formats_are_named(tmp_path, db, name, data, text):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if data:
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            archive.writestr("content.xml", "<office:document-content/>")
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/workbook.bin", b"\x00" * 10)
    refused(tmp_path, db, name, buffer.getvalue(), text)


def test_the_page_and_the_command_line_share_one_size_limit():
    import tomllib

    from lakou_metrics.ingest.read import Limits

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert Limits().max_file_bytes == config["server"]["maxUploadSize"] * 1_000_000


@pytest.mark.processes
def test_summary_prints_no_library_warnings(tmp_path, db):
    rows = long_rows([(2023, 1, "甲", "五金", True, 1e300), (2023, 1, "乙", "五金", True, 1e300),
                      (2024, 1, "甲", "五金", True, 1e300), (2024, 1, "乙", "五金", True, 1e300)])
    run_cli("import", str(write(tmp_path, "大.xlsx", xlsx_bytes({"s": rows}))), db=db)
    code, out, err, *_ = run_cli("summary", "--year", "2024", "--through", "M01", db=db)
    assert "Warning" not in err and "site-packages" not in err
    assert code in (0, 1)
    json.dumps(out)


@pytest.mark.processes
def test_the_parsing_child_starts_without_pandas():
    """Files are parsed in forks of one process (ingest/read_child.py): it imports only what parsing
    needs, so each fork starts small and its memory limit is the parser's."""
    probe = "import sys, lakou_metrics.ingest.read_child; print(sorted({'pandas', 'numpy', 'sqlalchemy'} & set(sys.modules)))"
    refuse_in_check_lane("a Python process of its own", "processes")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT,
                          env=process_env(), timeout=HANG)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
