"""Bytes of a workbook → raw tables (sheet name and cell grid), after guarding against bad files.

Nothing here knows what the columns mean; `clean` does. What this module refuses, it refuses
before any parser sees the bytes: a file that is not what its extension says, an encrypted
workbook, a zip that would inflate far beyond its size.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.etree import ElementTree

import python_calamine as calamine

from . import labels
from .errors import ImportRefused, Problem

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SUPPORTED_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".csv")


@dataclass(frozen=True)
class Limits:
    """Bounds on what a file may be; defaults fit the largest real report with a wide margin."""

    max_file_bytes: int = 50 * 1024 * 1024
    max_zip_entries: int = 2_000
    max_uncompressed_bytes: int = 400 * 1024 * 1024
    max_ratio: int = 100  # uncompressed / compressed, for entries large enough to matter
    ratio_min_bytes: int = 2 * 1024 * 1024


@dataclass
class RawSheet:
    """One visible sheet as a grid of cell values ('' where empty), row 0 = Excel row 1."""

    name: str  # a CSV's is its file name without extension (it may name the period)
    rows: list[list]
    # (row, col), 0-based, of formula cells that carry no cached value
    uncalculated: set[tuple[int, int]] = field(default_factory=set)
    is_worksheet: bool = True  # False for a CSV: messages then name no sheet


@dataclass
class RawWorkbook:
    file_name: str
    file_type: str  # "xlsx", "xls" or "csv"
    sheets: list[RawSheet]
    hidden_sheets: list[str] = field(default_factory=list)


def read_workbook(data: bytes, file_name: str, limits: Limits = Limits()) -> RawWorkbook:
    """Guard and read a workbook's visible sheets. Raises ImportRefused with the reason."""
    name = PurePath(file_name).name
    ext = PurePath(file_name).suffix.lower()

    def refuse(reason: str) -> ImportRefused:
        return ImportRefused([Problem(file=name, reason=reason)])

    if ext not in SUPPORTED_EXTENSIONS:
        raise refuse(labels.BAD_EXTENSION.format(ext=ext or "（无）"))
    if len(data) > limits.max_file_bytes:
        raise refuse(labels.FILE_TOO_LARGE.format(mb=limits.max_file_bytes // (1024 * 1024)))
    if not data:
        raise refuse(labels.EMPTY_FILE)

    actual = _sniff(data)
    if actual == "encrypted":
        raise refuse(labels.ENCRYPTED)
    expected = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".csv": "csv"}[ext]
    if actual != expected:
        raise refuse(labels.WRONG_CONTENT.format(ext=ext, actual=labels.FILE_TYPE_NAMES[actual]))

    if actual == "csv":
        sheets = [RawSheet(name=PurePath(name).stem, rows=_read_csv(data, refuse), is_worksheet=False)]
        hidden: list[str] = []
    else:
        uncalculated: dict[str, set] = {}
        if actual == "xlsx":
            uncalculated = _guard_zip(data, limits, refuse)
        sheets, hidden = _read_with_calamine(data, uncalculated, refuse)

    if not any(_has_values(s.rows) for s in sheets):
        raise refuse(labels.EMPTY_WORKBOOK)
    return RawWorkbook(file_name=name, file_type=actual, sheets=sheets, hidden_sheets=hidden)


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
        raise refuse(labels.CORRUPT_FILE)

    found: dict[str, set] = {}
    budget = [limits.max_uncompressed_bytes]
    for sheet_name, path in _sheet_paths(archive).items():
        if path not in names:
            continue
        try:
            with archive.open(path) as stream:
                cells = _scan_formulas(stream, budget, limits, refuse)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            raise refuse(labels.CORRUPT_FILE) from None
        if cells:
            found[sheet_name] = cells
    return found


def _scan_formulas(stream, budget: list[int], limits: Limits, refuse) -> set[tuple[int, int]]:
    """Formula cells without a cached value, read in 1 MB chunks so memory stays bounded.

    `budget` is the inflated bytes still allowed for the whole file; a directory that lies about
    sizes is caught here (or by zipfile's CRC check) instead of by a parser.
    """
    cells: set[tuple[int, int]] = set()
    tail = b""
    while chunk := stream.read(1 << 20):
        budget[0] -= len(chunk)
        if budget[0] < 0:
            raise refuse(labels.ZIP_TOO_BIG.format(mb=limits.max_uncompressed_bytes // (1024 * 1024)))
        buffer = tail + chunk
        cut = buffer.rfind(b"</c>")
        cut = len(buffer) if cut < 0 else cut + 4
        if b"<f" in buffer[:cut]:
            cells |= _uncalculated_formulas(buffer[:cut])
        tail = buffer[cut:][-(1 << 20):]
    return cells


_CELL = re.compile(rb"<c\b([^>]*?)(?<!/)>(.*?)</c>", re.S)
_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_VALUE = re.compile(rb"<v>([^<]+)</v>")


def _uncalculated_formulas(xml: bytes) -> set[tuple[int, int]]:
    cells = set()
    for match in _CELL.finditer(xml):
        body = match.group(2)
        if b"<f" not in body or _VALUE.search(body):
            continue
        ref = _REF.search(match.group(1))
        if ref:
            cells.add((int(ref.group(2)) - 1, column_index(ref.group(1).decode())))
    return cells


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


def _read_with_calamine(data: bytes, uncalculated: dict[str, set], refuse):
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
            rows = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
        except Exception:
            raise refuse(labels.CORRUPT_SHEET.format(sheet=meta.name)) from None
        sheets.append(RawSheet(meta.name, rows, uncalculated.get(meta.name, set())))
    return sheets, hidden


def _decode_text(data: bytes, partial: bool = False) -> str:
    """UTF-8 (with or without BOM), else GB18030, the superset of GBK that WPS writes."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            # A chunk may end in the middle of a multi-byte character.
            if partial and exc.start >= len(data) - 4:
                return data[: exc.start].decode(encoding)
    raise UnicodeDecodeError("gb18030", data, 0, 1, "not utf-8 nor gb18030")


def _read_csv(data: bytes, refuse) -> list[list]:
    try:
        text = _decode_text(data)
    except UnicodeDecodeError:
        raise refuse(labels.CSV_ENCODING) from None
    sample = text[:8192]
    delimiter = max(",\t;", key=sample.count) if any(d in sample for d in ",\t;") else ","
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


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
