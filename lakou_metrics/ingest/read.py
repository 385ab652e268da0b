"""Bytes of a workbook → raw tables (sheet name and cell grid), after guarding against bad files.

Nothing here knows what the columns mean; `clean` does. What this module refuses, it refuses
before any parser sees the bytes: a file that is not what its extension says, an encrypted
workbook, a zip that would inflate far beyond its size.
"""
from __future__ import annotations

import atexit
import contextlib
import csv
import io
import logging
import os
import re
import socket
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from xml.etree import ElementTree

import python_calamine as calamine

from ..domain import labels
from ..domain.text import strip_invisible
from .errors import ImportRefused, Problem

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SUPPORTED_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".csv")


@dataclass(frozen=True)
class Limits:
    """Bounds on what a file may be and what reading it may cost; the defaults fit the largest
    real report (a county's 3,000 enterprises × 12 months) with a wide margin. A town changes
    them in config/settings.toml [limits] (settings.load_limits)."""

    max_file_bytes: int = 50_000_000  # the page's upload limit (.streamlit/config.toml: 50 MB) too
    max_zip_entries: int = 2_000
    max_uncompressed_bytes: int = 400 * 1024 * 1024
    max_ratio: int = 100  # uncompressed / compressed, for entries large enough to matter
    ratio_min_bytes: int = 2 * 1024 * 1024
    max_rows: int = 200_000  # per sheet, counting from row 1 (a reader fills the rows above)
    max_columns: int = 500
    max_cells: int = 5_000_000  # rows × columns of a sheet's used area
    max_text_chars: int = 32_767  # one cell (Excel's own limit)
    max_problems: int = 200  # problems listed in a refusal; the rest are counted
    read_memory_bytes: int = 4 * 1024 ** 3  # address space of the process that parses a file
    read_seconds: int = 120


@dataclass
class RawSheet:
    """One visible sheet as a grid of cell values ('' where empty), row 0 = Excel row 1."""

    name: str  # a CSV's is its file name without extension (it may name the period)
    rows: list[list]
    # (row, col), 0-based, of formula cells that carry no cached value
    uncalculated: set[tuple[int, int]] = field(default_factory=set)
    is_worksheet: bool = True  # False for a CSV: messages then name no sheet
    # (row, col) → the error a formula cell shows (#DIV/0!, #REF! …): readers give them as blanks
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)  # 0-based rows hidden in Excel
    # merged ranges ((first row, first col), (last row, last col)), 0-based, inclusive
    merges: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


@dataclass
class RawWorkbook:
    file_name: str
    file_type: str  # "xlsx", "xls" or "csv"
    sheets: list[RawSheet]
    hidden_sheets: list[str] = field(default_factory=list)


def read_workbook(data: bytes, file_name: str, limits: Limits = Limits()) -> RawWorkbook:
    """Guard and read a workbook's visible sheets. Raises ImportRefused with the reason.

    The guards run here, on bytes, in bounded memory. The parsing itself runs in a process of
    its own with a memory and a time limit (`read_child`): a file crafted to make a parser
    allocate gigabytes or abort ends that process, never the server, and comes back as a refusal.
    """
    # The name is stored and shown: a direction mark in it (U+202E) would show it reversed.
    name = strip_invisible(PurePath(file_name).name)
    ext = PurePath(file_name).suffix.lower()

    def refuse(reason: str) -> ImportRefused:
        return ImportRefused([Problem(file=name, reason=reason)])

    if ext not in SUPPORTED_EXTENSIONS:
        raise refuse(labels.BAD_EXTENSION.format(ext=ext or "（无）"))
    if len(data) > limits.max_file_bytes:
        raise refuse(labels.FILE_TOO_LARGE.format(mb=limits.max_file_bytes // 1_000_000))
    if not data:
        raise refuse(labels.EMPTY_FILE)

    actual = _sniff(data)
    if actual == "encrypted":
        raise refuse(labels.ENCRYPTED)
    expected = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".csv": "csv"}[ext]
    if actual != expected:
        raise refuse(labels.WRONG_CONTENT.format(ext=ext, actual=labels.FILE_TYPE_NAMES[actual]))
    scans = _guard_zip(data, limits, refuse) if actual == "xlsx" else {}
    sheets, hidden = parse_isolated(data, actual, name, scans, limits)
    if not any(_has_values(s.rows) for s in sheets):
        raise refuse(labels.EMPTY_WORKBOOK)
    return RawWorkbook(file_name=name, file_type=actual, sheets=sheets, hidden_sheets=hidden)


_log = logging.getLogger(__name__)


class _Zygote:
    """This program's parsing process (read_child.serve), started on the first file read and
    ended with the program (waited for, so what its forks used counts as this program's children's)."""

    lock = threading.Lock()  # one file at a time is handed over; the forks parse side by side
    running: "_Zygote | None" = None
    HANDOVER_SECONDS = 30  # a zygote that takes longer to fork is taken as stuck, and replaced
    MODULE = "lakou_metrics.ingest.read_child"

    def __init__(self):
        import subprocess
        import sys

        self.owner = os.getpid()
        self.control, theirs = socket.socketpair()
        self.control.settimeout(self.HANDOVER_SECONDS)
        package_root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen([sys.executable, "-m", self.MODULE, str(theirs.fileno())],
                                        pass_fds=[theirs.fileno()], env=env, cwd=package_root,
                                        # what a parser prints as it fails is no one's to read
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        theirs.close()
        atexit.register(self.stop)

    def fork(self) -> tuple[int, socket.socket]:
        """A new fork of the zygote and the socket to it; OSError when the zygote cannot give one."""
        from .read_child import LENGTH, receive_exactly

        ours, theirs = socket.socketpair()
        try:
            socket.send_fds(self.control, [b"f"], [theirs.fileno()])
            answer = receive_exactly(self.control, LENGTH)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        pid = int.from_bytes(answer, "big") if len(answer) == LENGTH else 0
        if not pid:  # ended, or could not fork (0)
            ours.close()
            raise OSError("the parsing process gave no fork")
        return pid, ours

    def stop(self) -> None:
        self.control.close()
        try:
            self.process.wait(timeout=30)
        except Exception:  # noqa: BLE001 - at exit: a zygote that will not end is killed
            self.process.kill()
            self.process.wait()

    def discard(self) -> None:
        """Ended or stuck: closed and killed at once (its forks end with their own limits)."""
        self.control.close()
        self.process.kill()
        self.process.wait()

    @classmethod
    def new_fork(cls) -> tuple[int, socket.socket]:
        """(pid, socket) of a fork ready for one file; the zygote is started, or started again when
        it has ended, is stuck, or belongs to the process this one was forked from. OSError when a
        new one cannot fork either."""
        with cls.lock:
            for attempt in (1, 2):
                zygote = cls.running
                if zygote is None or zygote.owner != os.getpid():  # none yet, or the parent's
                    zygote = cls.running = cls()
                elif zygote.process.poll() is not None:  # ours, ended
                    _log.warning("the parsing process ended (exit code %s): starting another",
                                 zygote.process.returncode)
                    zygote.discard()
                    zygote = cls.running = cls()
                try:
                    return zygote.fork()
                except OSError:
                    zygote.discard()
                    cls.running = None
                    if attempt == 2:
                        # Its output goes nowhere (what a parser prints is no one's to read): say here
                        # that files cannot be read, and how to see why.
                        _log.error("files cannot be read: the parsing process gave no fork twice (exit "
                                   "code %s); `python -m %s` shows why it does not start",
                                   zygote.process.returncode, cls.MODULE)
                        raise


def parse_isolated(data: bytes, kind: str, name: str, scans: dict, limits: Limits):
    """parse_here in a process of its own (a fork of read_child's zygote), which bounds itself by
    limits.read_memory_bytes and limits.read_seconds; killed here after limits.read_seconds unless
    its whole answer came. A fork that could not be made, or that ended without a whole answer, is
    a file too costly to read."""
    import pickle
    import signal
    import time

    from .read_child import LENGTH

    costly = ImportRefused([Problem(file=name, reason=labels.READ_TOO_COSTLY.format(
        gb=limits.read_memory_bytes / 1024 ** 3))])
    try:
        pid, connection = _Zygote.new_fork()
    except OSError:
        raise costly from None
    deadline = time.monotonic() + limits.read_seconds
    answer = bytearray()
    whole = False
    try:
        with connection:
            request = pickle.dumps((data, kind, name, scans, limits), protocol=pickle.HIGHEST_PROTOCOL)
            connection.settimeout(limits.read_seconds)
            connection.sendall(len(request).to_bytes(LENGTH, "big") + request)
            del request
            while True:
                connection.settimeout(max(deadline - time.monotonic(), 0.001))
                part = connection.recv(1 << 20)
                if not part:
                    break
                answer += part
            size = int.from_bytes(answer[:LENGTH], "big")
            whole = len(answer) >= LENGTH and len(answer) == LENGTH + size
    except TimeoutError:
        slow = labels.READ_TOO_SLOW.format(s=limits.read_seconds)
        raise ImportRefused([Problem(file=name, reason=slow)]) from None
    except OSError:  # the fork ended before it read the whole request
        pass
    finally:
        if not whole:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    if not whole:
        raise costly
    try:
        status, outcome = pickle.loads(memoryview(answer)[LENGTH:])
    except Exception:  # noqa: BLE001 - whatever an answer that does not read is, the file is refused
        raise costly from None
    if status == "refused":
        raise ImportRefused(outcome)
    return outcome


def _sniff(data: bytes) -> str:
    """What the bytes are, whatever the name says: xlsx, xls, encrypted, csv or binary."""
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    if data.startswith(OLE_MAGIC):
        # An encrypted .xlsx is an OLE container holding an EncryptedPackage stream.
        if "EncryptedPackage".encode("utf-16-le") in data:
            return "encrypted"
        return "xls"
    head = data[:4096]
    if b"\x00" in head.replace(b"\x00\x00", b"") and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    try:
        _decode_text(head, partial=True)
    except UnicodeDecodeError:
        # Text in two encodings at once is still text: _read_csv names the line.
        if _mixed_encoding_line(head.rpartition(b"\n")[0] or head) is None:
            return "binary"
    return "csv"


def _guard_zip(data: bytes, limits: Limits, refuse) -> dict[str, set]:
    """Refuse zip bombs from the central directory, then scan sheets for uncalculated formulas.

    The scan inflates each sheet in bounded chunks and counts real bytes, so a directory that
    lies about sizes cannot make it use more than one chunk of memory at a time.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise refuse(labels.CORRUPT_FILE) from None
    if len(infos) > limits.max_zip_entries:
        raise refuse(labels.ZIP_TOO_MANY_ENTRIES.format(n=len(infos)))
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed_bytes:
        raise refuse(labels.ZIP_TOO_BIG.format(mb=total // (1024 * 1024)))
    for info in infos:
        if info.file_size >= limits.ratio_min_bytes and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise refuse(labels.ZIP_RATIO.format(ratio=info.file_size // max(info.compress_size, 1)))
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        other = _other_zip_format(names)
        raise refuse(labels.OTHER_FORMAT.format(what=other) if other else labels.CORRUPT_FILE)

    found: dict[str, SheetScan] = {}
    budget = [limits.max_uncompressed_bytes]
    for sheet_name, path in _sheet_paths(archive).items():
        if path not in names:
            continue
        try:
            with archive.open(path) as stream:
                scan = _scan_sheet(stream, budget, limits, refuse)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            raise refuse(labels.CORRUPT_FILE) from None
        _check_extent(scan, sheet_name, limits, refuse, chunks=lambda p=path: _chunks(archive, p))
        found[sheet_name] = scan
    return found


@dataclass
class SheetScan:
    """What a sheet's XML holds beyond what a reader returns, found in one bounded pass."""

    uncalculated: set[tuple[int, int]] = field(default_factory=set)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    declared: tuple[int, int] = (0, 0)  # rows, columns the <dimension> claims
    last_row: int = 0  # 1-based, the farthest row and column a cell or row element names
    last_column: int = 0
    chunks_seen: int = 0


def _scan_sheet(stream, budget: list[int], limits: Limits, refuse) -> SheetScan:
    """Read a sheet's XML in 1 MB chunks, so memory stays bounded, noting formulas without a
    cached value, cached formula errors, hidden rows and how far the cells reach.

    `budget` is the inflated bytes still allowed for the whole file; a directory that lies about
    sizes is caught here (or by zipfile's CRC check) instead of by a parser.
    """
    scan = SheetScan()
    tail = b""
    while chunk := stream.read(1 << 20):
        budget[0] -= len(chunk)
        if budget[0] < 0:
            raise refuse(labels.ZIP_TOO_BIG.format(mb=limits.max_uncompressed_bytes // (1024 * 1024)))
        buffer = tail + chunk
        # Cut after the last complete cell (or row) so no element is split between chunks.
        cut = max(buffer.rfind(b"</c>"), buffer.rfind(b"/>"))
        cut = len(buffer) if cut < 0 else buffer.index(b">", cut) + 1
        _scan_xml(buffer[:cut], scan)
        tail = buffer[cut:][-(1 << 20):]
    _scan_xml(tail, scan)
    return scan


# Prefixed names (<x:c>) are as valid as plain ones; WPS and some generators write them.
_P = rb"(?:[A-Za-z_][\w.-]*:)?"
_CELL = re.compile(rb"<" + _P + rb"c\b([^>]*?)(?<!/)>(.*?)</" + _P + rb"c>", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,7})([0-9]{1,10})"')
# Plain names (what Excel, WPS and LibreOffice write), fast; the prefix-aware twins run only on a
# chunk that uses prefixes.
_ROW_NUMBER = (re.compile(rb'<row\b[^>]*? r="([0-9]{1,10})"'),
               re.compile(rb"<" + _P + rb'row\b[^>]*?\br="([0-9]{1,10})"'))
_CELL_LETTERS = (re.compile(rb' r="([A-Z]{1,7})[0-9]'),
                 re.compile(rb"<" + _P + rb'c\b[^>]*?\br="([A-Z]{1,7})[0-9]'))
_LONG_ROW_NUMBER = re.compile(rb'r="[A-Z]{0,7}([0-9]{6,10})"')  # rows from 100000 on
_CELL_REF = re.compile(rb"<" + _P + rb'c\b[^>]*?\br="([A-Z]{1,7})([0-9]{1,10})"')
_HIDDEN_ROW = re.compile(rb"<" + _P + rb'row\b(?=[^>]*\bhidden="(?:1|true)")[^>]*?\br="([0-9]{1,10})"')
_DIMENSION = re.compile(rb"<" + _P + rb'dimension\b[^>]*\bref="(?:[A-Z]{1,7}[0-9]{1,10}:)?([A-Z]{1,7})([0-9]{1,10})"')
_PREFIXED = re.compile(rb"<[A-Za-z_][\w.-]*:(?:c|row)\b")
_FORMULA = re.compile(rb"<" + _P + rb"f\b")
_VALUE = re.compile(rb"<" + _P + rb"v>([^<]+)</" + _P + rb"v>")
_ERROR_TYPE = re.compile(rb'\bt="e"')


def _scan_xml(xml: bytes, scan: SheetScan) -> None:
    """One chunk of a sheet's XML. Kept to a few C-level regex passes, since every cell of a
    100,000-row sheet goes through here: the rows' numbers, the distinct column letters, and the
    cells that name a far row (a longer row number than the row limit allows is rare in a
    normal sheet, so that list stays short)."""
    if not xml:
        return
    if not scan.chunks_seen:  # <dimension> comes before the data
        data_start = xml.find(b"sheetData")
        dimension = _DIMENSION.search(xml, 0, data_start if data_start > 0 else len(xml))
        if dimension:
            scan.declared = (int(dimension.group(2)), column_index(dimension.group(1).decode()) + 1)
    scan.chunks_seen += 1
    variant = 1 if (b":c " in xml or b":row " in xml) and _PREFIXED.search(xml) else 0
    rows = _ROW_NUMBER[variant].findall(xml)
    if rows:
        scan.last_row = max(scan.last_row, max(map(int, rows)))
    for letters in set(_CELL_LETTERS[variant].findall(xml)):
        scan.last_column = max(scan.last_column, column_index(letters.decode()) + 1)
    for number in _LONG_ROW_NUMBER.findall(xml):
        scan.last_row = max(scan.last_row, int(number))
    if b'hidden="' in xml:
        for number in _HIDDEN_ROW.findall(xml):
            scan.hidden_rows.add(int(number) - 1)
    if b"<f" not in xml and b":f" not in xml and b't="e"' not in xml:
        return
    for match in _CELL.finditer(xml):
        attributes, body = match.group(1), match.group(2)
        is_error = _ERROR_TYPE.search(attributes)
        if not is_error and not _FORMULA.search(body):
            continue
        ref = _REF.search(attributes)
        if not ref:
            continue
        where = (int(ref.group(2)) - 1, column_index(ref.group(1).decode()))
        cached = _VALUE.search(body)
        if is_error:
            scan.errors[where] = cached.group(1).decode(errors="replace") if cached else "#ERROR"
        elif not cached:
            scan.uncalculated.add(where)


def _chunks(archive: zipfile.ZipFile, path: str):
    """A sheet's XML again, in 1 MB chunks (its size was checked by the first pass)."""
    with archive.open(path) as stream:
        while chunk := stream.read(1 << 20):
            yield chunk


def _farthest_cell(xml_parts, rows: int, columns: int, by_row: bool, by_column: bool) -> str:
    """The reference of a cell at the far row (when `by_row`) or column (when `by_column`), to
    name it to the person: one at both if there is one, else the first at either."""
    first = None
    for xml in xml_parts:
        for letters, number in _CELL_REF.findall(xml):
            at_row = int(number) == rows
            at_column = column_index(letters.decode()) + 1 == columns
            if at_row and at_column:
                return letters.decode() + number.decode()
            if first is None and ((by_row and at_row) or (by_column and at_column)):
                first = letters.decode() + number.decode()
    return first or f"{column_letter(max(columns - 1, 0))}{rows}"


def _check_extent(scan: SheetScan, sheet: str, limits: Limits, refuse, chunks=None) -> None:
    """Refuse a sheet whose cells reach beyond the limits before any reader allocates its grid:
    one stray cell at XFD1048576 would make a reader build a 17-billion-cell grid. `chunks`
    gives the sheet's XML again, to name the far cell."""
    rows = max(scan.last_row, scan.declared[0])
    columns = max(scan.last_column, scan.declared[1])
    if rows > limits.max_rows or columns > limits.max_columns or rows * columns > limits.max_cells:
        if scan.last_row * max(scan.last_column, 1) >= scan.declared[0] * scan.declared[1] and chunks:
            by_row = scan.last_row > limits.max_rows or scan.last_column <= limits.max_columns
            far = _farthest_cell(chunks(), scan.last_row, scan.last_column, by_row,
                                 scan.last_column > limits.max_columns)
        else:
            far = f"{column_letter(max(columns - 1, 0))}{rows}"
        raise refuse(labels.SHEET_TOO_FAR.format(sheet=sheet, cell=far, rows=limits.max_rows,
                                                columns=limits.max_columns, cells=limits.max_cells))


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → path of its XML part, from workbook.xml and its relationships."""
    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    ns_pkg = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {}
    for rel in rels.iter(f"{ns_pkg}Relationship"):
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id")] = target
    return {
        sheet.get("name"): targets.get(sheet.get(f"{ns_rel}id"), "")
        for sheet in book.iter(f"{ns_main}sheet")
    }


def parse_here(data: bytes, kind: str, name: str, scans: dict, limits: Limits):
    """Parse guarded bytes into (visible sheets, hidden sheet names), in this process. Runs in
    the process of `parse_isolated`; raises ImportRefused."""

    def refuse(reason: str, row: int | None = None) -> ImportRefused:
        return ImportRefused([Problem(file=name, reason=reason, row=row)])

    if kind == "csv":
        return [RawSheet(name=PurePath(name).stem, rows=_read_csv(data, limits, refuse), is_worksheet=False)], []
    return _read_with_calamine(data, scans, limits, refuse)


def _other_zip_format(names: set[str]) -> str | None:
    """The name of a zipped spreadsheet format we do not read (.xlsb, .ods), from the zip's
    entry names; else None."""
    if "xl/workbook.bin" in names:
        return "Excel 二进制工作簿（.xlsb）"
    if "content.xml" in names and "mimetype" in names:
        return "OpenDocument 表格（.ods，WPS/LibreOffice）"
    return None


def _read_with_calamine(data: bytes, scans: dict, limits: Limits, refuse):
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError:
        raise refuse(labels.ENCRYPTED) from None
    except Exception as exc:  # calamine raises several unrelated types for broken files
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise refuse(labels.ENCRYPTED) from None
        raise refuse(labels.CORRUPT_FILE) from None
    sheets, hidden = [], []
    for meta in book.sheets_metadata:
        if meta.typ != calamine.SheetTypeEnum.WorkSheet:
            continue
        if meta.visible != calamine.SheetVisibleEnum.Visible:
            hidden.append(meta.name)
            continue
        try:
            sheet = book.get_sheet_by_name(meta.name)
            if sheet.total_height > limits.max_rows or sheet.total_width > limits.max_columns \
                    or sheet.total_height * sheet.total_width > limits.max_cells:
                last_row, last_column = sheet.end or (sheet.total_height - 1, sheet.total_width - 1)
                far = f"{column_letter(last_column)}{last_row + 1}"
                raise refuse(labels.SHEET_TOO_FAR.format(sheet=meta.name, cell=far, rows=limits.max_rows,
                                                        columns=limits.max_columns, cells=limits.max_cells))
            rows = sheet.to_python(skip_empty_area=False)
            merges = list(sheet.merged_cell_ranges or [])
        except ImportRefused:
            raise
        except Exception:
            raise refuse(labels.CORRUPT_SHEET.format(sheet=meta.name)) from None
        scan = scans.get(meta.name) or SheetScan()
        sheets.append(RawSheet(meta.name, rows, scan.uncalculated, errors=scan.errors,
                               hidden_rows=scan.hidden_rows, merges=merges))
    return sheets, hidden


def _decode_text(data: bytes, partial: bool = False) -> str:
    """UTF-16 with its byte-order mark, UTF-8 (with or without BOM), else GB18030, the superset of
    GBK that WPS writes."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        if partial:
            data = data[: len(data) // 2 * 2]
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            # A chunk may end in the middle of a multi-byte character.
            if partial and exc.start >= len(data) - 4:
                return data[: exc.start].decode(encoding)
    raise UnicodeDecodeError("gb18030", data, 0, 1, "not utf-8 nor gb18030")


_CJK = re.compile("[\u4e00-\u9fff]")


def _mixed_encoding_line(data: bytes) -> int | None:
    """The first line (1-based) written in another encoding than most of a GBK/UTF-8 file: a
    GBK file with UTF-8 lines pasted in, or the reverse. None when the file is one encoding."""
    utf8, other = [], []
    for number, line in enumerate(data.split(b"\n"), 1):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            other.append(number)
            continue
        (utf8 if _CJK.search(text) else other).append(number)
    if utf8 and other:
        return (utf8 if len(utf8) <= len(other) else other)[0]
    return None


def _read_csv(data: bytes, limits: Limits, refuse) -> list[list]:
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        line = _mixed_encoding_line(data)
        if line is not None:
            raise refuse(labels.CSV_MIXED_ENCODING, row=line)
    try:
        text = _decode_text(data)
    except (UnicodeDecodeError, UnicodeError):
        raise refuse(labels.CSV_ENCODING) from None
    sample = text[:8192]
    delimiter = max(",\t;", key=sample.count) if any(d in sample for d in ",\t;") else ","
    csv.field_size_limit(limits.max_text_chars)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = []
    while True:
        first_line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "field larger" in str(exc):
                raise refuse(labels.CSV_TEXT_TOO_LONG.format(n=limits.max_text_chars), row=first_line) from None
            raise refuse(labels.CSV_BAD_QUOTE, row=first_line) from None
        if reader.line_num > first_line and any("\n" in cell or "\r" in cell for cell in row):
            # A quote opened and closed lines later: the rows between became one cell.
            raise refuse(labels.CSV_QUOTE_SPANS_LINES.format(last=reader.line_num), row=first_line)
        rows.append(row)
        if len(rows) > limits.max_rows:
            raise refuse(labels.TOO_MANY_ROWS.format(n=limits.max_rows))
        if len(row) > limits.max_columns:
            raise refuse(labels.TOO_MANY_COLUMNS.format(n=limits.max_columns), row=first_line)
    return rows


def _has_values(rows: list[list]) -> bool:
    return any(cell not in ("", None) for row in rows for cell in row)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """A → 0, AA → 26."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1
