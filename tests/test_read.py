"""The reader's guards: what it refuses before any parser sees the bytes, and what it reads."""
import io
import struct
import tracemalloc
import zipfile

import pytest
from conftest import csv_bytes, xls_bytes, xlsx_bytes

from lakou_metrics.ingest.errors import ImportRefused
from lakou_metrics.ingest.read import Limits, read_workbook

ROWS = [["企业名称", "产值（万元）"], ["卓尔五金", 100]]


def refusal(data, name, **kw) -> str:
    with pytest.raises(ImportRefused) as caught:
        read_workbook(data, name, **kw)
    problems = caught.value.problems
    assert len(problems) == 1 and problems[0].file == name
    return problems[0].reason


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """About 3.7 MB that inflates to 800 MB (220 times, over the reader's 100): a real workbook whose
    sheet is padded. (Compressed at zlib's fastest level: a third of the time of its best, which
    would give 0.8 MB.)"""
    real = zipfile.ZipFile(io.BytesIO(xlsx_bytes({"s": ROWS})))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for info in real.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, real.read(info.filename))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b" " * (1 << 20)
            for _ in range(800):
                sheet.write(chunk)
    return buffer.getvalue()


def test_reads_xlsx_visible_sheets_only():
    data = xlsx_bytes({"数据": ROWS, "隐藏": [["企业名称", "产值"], ["不该读", 1]]}, hidden=("隐藏",))
    book = read_workbook(data, "a.xlsx")
    assert [s.name for s in book.sheets] == ["数据"]
    assert book.hidden_sheets == ["隐藏"]
    assert book.sheets[0].rows[1] == ["卓尔五金", 100.0]


def test_reads_old_xls():
    book = read_workbook(xls_bytes(ROWS), "old.xls")
    assert book.file_type == "xls"
    assert book.sheets[0].rows[1] == ["卓尔五金", 100.0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_reads_csv_in_utf8_and_gbk(encoding):
    book = read_workbook(csv_bytes(ROWS, encoding), "a.csv")
    assert book.sheets[0].rows == [["企业名称", "产值（万元）"], ["卓尔五金", "100"]]


def test_csv_renamed_xlsx_is_refused():
    reason = refusal(csv_bytes(ROWS), "报表.xlsx")
    assert "扩展名是 .xlsx" in reason and "CSV" in reason


def test_xlsx_renamed_csv_is_refused():
    reason = refusal(xlsx_bytes({"s": ROWS}), "报表.csv")
    assert "扩展名是 .csv" in reason and ".xlsx" in reason


def test_xlsx_renamed_xls_is_refused():
    assert "扩展名是 .xls" in refusal(xlsx_bytes({"s": ROWS}), "报表.xls")


def test_encrypted_workbook_is_refused_with_a_clear_message():
    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(xlsx_bytes({"s": ROWS}))).encrypt("密码123", encrypted)
    for name in ("加密.xlsx", "加密.xls"):
        reason = refusal(encrypted.getvalue(), name)
        assert "已加密" in reason and "xlrd" not in reason


def test_empty_workbook_is_refused():
    assert "没有任何数据" in refusal(xlsx_bytes({"空": []}), "空.xlsx")


def test_zero_bytes_and_unknown_extension():
    assert "0字节" in refusal(b"", "a.xlsx")
    assert ".pdf" in refusal(b"%PDF-1.4", "a.pdf")


def test_garbage_with_xlsx_magic_is_refused_as_corrupt():
    assert "损坏" in refusal(b"PK\x03\x04" + b"\x00" * 100, "坏.xlsx")


def test_too_large_file_is_refused_before_reading():
    assert "上限" in refusal(b"x" * 2048, "大.csv", limits=Limits(max_file_bytes=1024))


def test_zip_bomb_is_refused_without_inflating(zip_bomb, monkeypatch):
    def no_inflating(*args, **kwargs):
        raise AssertionError("an entry was opened: the bomb must be refused from the directory")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_inflating)
    tracemalloc.start()
    reason = refusal(zip_bomb, "炸弹.xlsx")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "压缩炸弹" in reason
    assert peak < 20 * 1024 * 1024


def test_zip_bomb_lying_about_its_size_is_still_refused(zip_bomb):
    """The central directory claims 1 KB; the reader must not trust it."""
    data = bytearray(zip_bomb)
    entry = data.find(b"PK\x01\x02", data.find(b"xl/worksheets/sheet1.xml") - 100)
    while entry != -1:
        name_len = struct.unpack_from("<H", data, entry + 28)[0]
        if data[entry + 46: entry + 46 + name_len] == b"xl/worksheets/sheet1.xml":
            break
        entry = data.find(b"PK\x01\x02", entry + 4)
    # zip64 entries keep sizes in an extra field; rewrite the plain fields and drop the extra.
    struct.pack_into("<II", data, entry + 20, 1000, 1024)
    tracemalloc.start()
    with pytest.raises(ImportRefused) as caught:
        read_workbook(bytes(data), "撒谎.xlsx")
    _, peak = tracemalloc.get_traced_memory()
    assert "损坏" in caught.value.problems[0].reason
    tracemalloc.stop()
    assert peak < 40 * 1024 * 1024


def test_many_entries_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(30):
            archive.writestr(f"x{i}.xml", "<a/>")
    assert "部件" in refusal(buffer.getvalue(), "多.xlsx", limits=Limits(max_zip_entries=20))


def test_formula_without_cached_value_is_found():
    data = xlsx_bytes({"s": [["企业名称", "产值"], ["甲", "=1+1"], ["乙", 5]]})
    book = read_workbook(data, "f.xlsx")
    assert book.sheets[0].uncalculated == {(1, 1)}


def test_csv_rows_keep_their_own_number_of_fields():
    """A row longer than the header is refused where the header is known (layout); the reader
    must hand every row over with the fields it had, neither padded nor cut."""
    data = "企业名称,产值（万元）\n甲,1,234.5\n乙\n".encode("utf-8")
    assert read_workbook(data, "a.csv").sheets[0].rows == [["企业名称", "产值（万元）"], ["甲", "1", "234.5"], ["乙"]]


def test_direction_marks_are_removed_from_the_file_name():
    book = read_workbook(csv_bytes(ROWS), "温溪镇\u202excsl.csv")
    assert book.file_name == "温溪镇xcsl.csv"


# -- the parsing processes -----------------------------------------------------------------------
def test_files_read_at_once_from_several_threads_each_get_their_own_sheets():
    """The app reads in each person's session thread: the forks parse side by side, each its own file."""
    import threading

    names = {i: f"企业{i}" for i in range(6)}
    results: dict[int, list] = {}

    def read(i):
        results[i] = read_workbook(xlsx_bytes({f"表{i}": [["企业名称", "产值（万元）"], [names[i], i]]}), f"{i}.xlsx").sheets

    threads = [threading.Thread(target=read, args=(i,)) for i in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {i: (s[0].name, s[0].rows[1]) for i, s in results.items()} == {i: (f"表{i}", [names[i], i]) for i in names}


def test_a_parsing_process_that_ended_is_started_again_and_said_in_the_log(caplog):
    from lakou_metrics.ingest import read

    read_workbook(xlsx_bytes({"s": ROWS}), "a.xlsx")
    ended = read._Zygote.running.process
    ended.kill()
    ended.wait()
    assert read_workbook(xlsx_bytes({"s": ROWS}), "b.xlsx").sheets[0].rows == [["企业名称", "产值（万元）"], ["卓尔五金", 100]]
    assert read._Zygote.running.process is not ended
    assert "the parsing process ended (exit code -9): starting another" in caplog.text


def test_a_parsing_process_that_cannot_start_refuses_the_file_and_says_why_in_the_log(monkeypatch, caplog):
    """Its output goes nowhere, so the log says files cannot be read; the person is refused, not failed."""
    from lakou_metrics.ingest import read

    read_workbook(xlsx_bytes({"s": ROWS}), "a.xlsx")
    monkeypatch.setattr(read._Zygote, "MODULE", "lakou_metrics.ingest.no_such_module")
    read._Zygote.running.process.kill()  # the next read starts one, which cannot start
    read._Zygote.running.process.wait()
    assert refusal(xlsx_bytes({"s": ROWS}), "b.xlsx").startswith("读取这个文件需要的内存超过上限")
    assert "files cannot be read: the parsing process gave no fork twice (exit code 1)" in caplog.text
    assert "python -m lakou_metrics.ingest.no_such_module" in caplog.text
    monkeypatch.undo()
    assert read_workbook(xlsx_bytes({"s": ROWS}), "c.xlsx").sheets[0].rows[1] == ["卓尔五金", 100]


def test_a_parse_past_its_time_is_stopped_and_said():
    """A million lines of CSV take the parser far more than 0.05 s on any machine."""
    data = b"\xe4\xbc\x81\xe4\xb8\x9a\xe5\x90\x8d\xe7\xa7\xb0,x\n" + b"a,1\n" * 1_000_000
    limits = Limits(read_seconds=0.05, max_rows=2_000_000, max_cells=10_000_000)
    assert refusal(data, "慢.csv", limits=limits).startswith("读取这个文件超过 0.05 秒仍未完成，已停止")
    assert read_workbook(xlsx_bytes({"s": ROWS}), "next.xlsx").sheets[0].rows[1] == ["卓尔五金", 100]


def test_a_parse_whose_answer_breaks_off_is_refused_as_too_costly_and_the_fork_killed(monkeypatch):
    """A fork killed while it sends (the system short of memory) leaves half an answer: the file is
    refused, the program does not fail, and the fork, were it still there, is killed."""
    import socket
    import subprocess
    import threading

    from lakou_metrics.ingest import read
    from lakou_metrics.ingest.read_child import LENGTH, receive_exactly

    stand_in = subprocess.Popen(["sleep", "60"])  # stands for the fork: what the program kills
    ours, theirs = socket.socketpair()

    def half_an_answer():
        size = int.from_bytes(receive_exactly(theirs, LENGTH), "big")
        receive_exactly(theirs, size)
        theirs.sendall((100).to_bytes(LENGTH, "big") + b"\x80\x05 ten bytes"[:10])
        theirs.close()

    threading.Thread(target=half_an_answer, daemon=True).start()
    monkeypatch.setattr(read._Zygote, "new_fork", staticmethod(lambda: (stand_in.pid, ours)))
    assert refusal(xlsx_bytes({"s": ROWS}), "断.xlsx").startswith("读取这个文件需要的内存超过上限")
    assert stand_in.wait(timeout=60) == -9
