"""The import pipeline, above the store: a file's bytes read within the town's limits, cleaned and
checked (ingest), then stored in one transaction (store), the original kept in the database."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sqlalchemy.engine import Engine

from . import store
from .domain import labels
from .domain.periods import Period
from .ingest.clean import CleanResult, clean_workbook
from .ingest.errors import ImportRefused, Problem
from .ingest.read import read_workbook
from .settings import load_limits
from .store import ImportOutcome, Operator, store_cleaned


def read_and_clean(data: bytes, file_name: str, period: Period | None = None, known_towns=()) -> CleanResult:
    """A file's bytes read within the town's limits (config/settings.toml [limits]) and cleaned,
    with the towns it names (`known_towns`: the names to recognise wherever they stand, see
    `known_towns`). Raises ImportRefused."""
    limits = load_limits()
    return clean_workbook(read_workbook(data, file_name, limits), period, limit=limits.max_problems,
                          known_towns=known_towns)


def known_towns(engine: Engine) -> list[str]:
    """The towns' names a file is read for: the engine's town, the home town, and every town the
    database holds."""
    return list(dict.fromkeys([store.town_of(engine), store.home_town(), *store.list_towns(engine)]))


def read_file(path: str | os.PathLike) -> bytes:
    """A file's bytes from disk, within the size limit ([limits] max_file_bytes). Raises
    ImportRefused (too large, missing, unreadable) naming the file."""
    path = Path(path)
    limit = load_limits().max_file_bytes
    try:
        if path.stat().st_size > limit:  # refused before a byte is read into memory
            raise ImportRefused([Problem(path.name, labels.FILE_TOO_LARGE.format(mb=limit // 1_000_000))])
        return path.read_bytes()
    except OSError as exc:
        reason = ("文件不存在" if isinstance(exc, FileNotFoundError) else
                  "没有读取这个文件的权限" if isinstance(exc, PermissionError) else
                  "这是一个文件夹，不是文件" if isinstance(exc, IsADirectoryError) else "无法读取文件")
        raise ImportRefused([Problem(path.name, reason)]) from None


def import_file(engine: Engine, path: str | os.PathLike, *, operator: Operator, **kwargs) -> ImportOutcome:
    """Import a file from disk; see `import_bytes`."""
    return import_bytes(engine, read_file(path), Path(path).name, operator=operator, **kwargs)


def import_bytes(engine: Engine, data: bytes, file_name: str, *, period: Period | None = None,
                 operator: Operator, dry_run: bool = False,
                 expected_version: int | dict[str, int] | None = None,
                 cleaned: CleanResult | None = None) -> ImportOutcome:
    """Read, clean, check and store one file in one transaction, as `operator` (an Operator a
    sign-in made; store.authority): all of it or none of it.

    Raises ImportRefused with every problem found, among them a file naming another town than the
    engine's (county staff's go to the towns they name: store.store_cleaned). Importing data
    identical to what is stored changes nothing and returns status "unchanged". With
    `expected_version` (from a preview), raises DataChanged when someone else changed the data since.
    `cleaned` is these bytes already read and cleaned for this engine (a preview's), so they are not
    read a second time.
    """
    if cleaned is None:
        cleaned = read_and_clean(data, file_name, period, known_towns(engine))
    sha = hashlib.sha256(data).hexdigest()
    return store_cleaned(engine, cleaned, sha, len(data), operator=operator, dry_run=dry_run,
                         expected_version=expected_version, original=data)
