"""Files uploaded through the page: kept safely, inspected, imported into a dataset of their own.

The page's upload dialog (``callbacks/upload.py``) calls these; nothing here knows about Dash.
An upload is either a spreadsheet (CSV or XLSX, imported with a column mapping) or a dataset
folder zipped (validated as it is). The default dataset is never touched: every accepted upload
becomes a new folder under the registry's upload folder.
"""

from __future__ import annotations

import logging
import re
import secrets
import shutil
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd

from data.importers.cordis_download import kind_of, open_download
from data.importers.report import ImportFailure, ImportReport
from data.importers.writer import DATA_ERRORS, index_folder, write_dataset
from data.io.data_url import DataUrlError, decode_data_url
from server.registry import DatasetRegistry

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 50 * 1024**2
MAX_UPLOAD_ROWS = 50_000
"""Rows of a spreadsheet (or of any table of a zipped dataset) the page imports. The import runs
inside one page request: on 2 cores a spreadsheet imports, validates and indexes at about 6,000
rows a second, so this keeps the dialog's wait under about ten seconds. Larger files go through
the command-line importer, which has no such limit. (A 527,000-row file passed the byte limit
alone and kept a request busy for 18 s before failing.)"""
MAX_UNZIPPED_BYTES = 500 * 1024**2
MAX_ZIP_MEMBERS = 2_000
MAX_INCOMING = 16
"""Uploads kept for their import (the user may import one again with another mapping); the
oldest go first, so abandoned uploads do not fill the disk."""
SPREADSHEET_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
TOKEN_RE = re.compile(r"^[0-9a-f]{16}$")
CORDIS_COMMAND_HINT = ("import it with the command-line importer instead (python -m data.importers "
                       "cordis DOWNLOAD.zip --out DIR, then python app.py --data DIR), which has no limit")
COMMAND_LINE_HINT = ("import it with the command-line importer instead (python -m data.importers "
                     "spreadsheet FILE --out DIR, then python app.py --data DIR), which has no limit")

@dataclass(frozen=True)
class Upload:
    """A file received from the page, kept under ``incoming/<token>/``."""

    token: str
    filename: str
    kind: str
    """'spreadsheet', 'cordis-zip' (a CORDIS download) or 'dataset-zip'."""
    columns: list[str] = field(default_factory=list)
    preview: pd.DataFrame = field(default_factory=pd.DataFrame)
    mapping: dict[str, str] = field(default_factory=dict)
    """Suggested mapping of our fields to the file's columns (spreadsheets)."""


def _safe_name(filename: str) -> str:
    name = PurePosixPath(filename.replace("\\", "/")).name
    name = re.sub(r"[^A-Za-z0-9._ -]", "_", name).strip(" .")
    return name[:120] or "upload"


def _incoming(root: Path, token: str) -> Path:
    if not TOKEN_RE.fullmatch(token or ""):
        raise ImportFailure("the upload is not known to the server any more; upload the file again")
    return root / "incoming" / token


def receive(contents: str, filename: str, root: Path) -> Upload:
    """Decode a dcc.Upload data URL, keep the file, and say what it is.

    Raises ImportFailure with a message for the user: too large, not base64, wrong kind."""
    name = _safe_name(filename)
    suffix = Path(name).suffix.lower()
    if suffix not in (*SPREADSHEET_SUFFIXES, ".zip"):
        raise ImportFailure(f"{name}: expected a spreadsheet (.csv or .xlsx), a CORDIS download "
                            "(.zip) or a dataset folder zipped (.zip)")
    try:
        raw = decode_data_url(contents or "", MAX_UPLOAD_BYTES)
    except DataUrlError as exc:
        messages = {"too large": f"larger than the {MAX_UPLOAD_BYTES // 1024**2} MB this page "
                                 f"imports; {COMMAND_LINE_HINT}",
                    "empty": "the file is empty"}
        problem = messages.get(exc.reason, "the upload arrived damaged; try again")
        raise ImportFailure(f"{name}: {problem}") from exc
    if suffix != ".xlsx" and suffix != ".zip":
        # Text: counted before anything is written or parsed, so a file over the limit costs
        # a byte count, not an import. CR alone ends lines in old Mac files.
        _check_rows(name, max(raw.count(b"\n"), raw.count(b"\r")) - 1, "lines", exact=True)
    token = secrets.token_hex(8)
    folder = _incoming(root, token)
    kept = False
    try:
        _prune_incoming(root)
        folder.mkdir(parents=True)
        (folder / name).write_bytes(raw)
        if suffix == ".xlsx":
            _check_rows(name, _xlsx_row_count(folder / name, MAX_UPLOAD_ROWS + 2) - 1, "rows",
                        exact=False)
        upload = inspect(root, token)
        kept = True
        logger.info("upload received: %s, %d bytes, token %s", name, len(raw), token)
        return upload
    except OSError as exc:
        logger.exception("keeping the upload %s in %s failed", name, folder)
        raise ImportFailure(f"{name}: the server could not keep the file ({exc.strerror or exc}); "
                            "try again later") from exc
    except DATA_ERRORS as exc:
        logger.exception("inspecting the upload %s failed", name)
        raise ImportFailure(f"{name}: the file could not be read ({type(exc).__name__}: "
                            f"{str(exc)[:200]}); save it again as CSV or .xlsx") from exc
    finally:
        # A refused upload is not kept: nothing of it stays on the server.
        if not kept:
            shutil.rmtree(folder, ignore_errors=True)


def _check_rows(name: str, rows: int, unit: str, exact: bool) -> None:
    """Refuse a file over the page's row limit; ``exact`` says whether ``rows`` is the full count
    or where counting stopped."""
    if rows > MAX_UPLOAD_ROWS:
        counted = f"{rows:,} {unit}" if exact else f"more than {MAX_UPLOAD_ROWS:,} {unit}"
        raise ImportFailure(f"{name}: {counted}, over the {MAX_UPLOAD_ROWS:,} this page imports; "
                            f"{COMMAND_LINE_HINT}")


_SHEET_RE = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\b\w+:id=\"([^\"]+)\"")
_ROW_RE = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _head(archive: zipfile.ZipFile, member: str, size: int = 1_000_000) -> bytes:
    """The first bytes of a member: the sheet list is near the start, and a member that unpacks
    to gigabytes is never read whole."""
    with archive.open(member) as handle:
        return handle.read(size)


def _first_sheet_member(archive: zipfile.ZipFile) -> str | None:
    """The archive member holding the workbook's first sheet, from workbook.xml and its rels."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return None
    first = _SHEET_RE.search(_head(archive, "xl/workbook.xml"))
    if first is None:
        return None
    rels = _head(archive, "xl/_rels/workbook.xml.rels")
    rel_id = re.escape(first.group(1))
    for relationship in re.finditer(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
        tag = relationship.group(0)
        target = re.search(rb'\bTarget="([^"]+)"', tag)
        if re.search(rb'\bId="' + rel_id + rb'"', tag) and target:
            member = target.group(1).decode("utf-8", "replace")
            member = member.lstrip("/") if member.startswith("/") else f"xl/{member}"
            return member if member in names else None
    return None


def _xlsx_row_count(path: Path, stop: int) -> int:
    """Rows of the workbook's first sheet (the one the page imports), counted in its XML without
    parsing a cell, and no further than ``stop``. The stored dimension is not trusted: some
    writers store a wrong one. A workbook whose parts cannot be found counts 0 and is left to the
    spreadsheet reader to refuse with its own message."""
    try:
        with zipfile.ZipFile(path) as archive:
            member = _first_sheet_member(archive)
            if member is None:
                return 0
            count, tail = 0, b""
            with archive.open(member) as sheet:
                while count <= stop and (chunk := sheet.read(1 << 20)):
                    # The last bytes of the previous chunk are searched again, so a tag split
                    # between chunks is found; a match ending in them was counted already.
                    text = tail + chunk
                    count += sum(1 for m in _ROW_RE.finditer(text) if m.end() > len(tail))
                    tail = text[-32:]
            return count
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, KeyError, OSError, EOFError,
            NotImplementedError):
        return 0


def _prune_incoming(root: Path) -> None:
    """Keep at most MAX_INCOMING - 1 earlier uploads, removing the oldest."""
    incoming = root / "incoming"
    if not incoming.is_dir():
        return
    kept = []
    for path in incoming.iterdir():
        if TOKEN_RE.fullmatch(path.name):
            try:
                kept.append((path.stat().st_mtime, path))
            except FileNotFoundError:  # removed meanwhile by another request
                continue
    for _, old in sorted(kept)[:max(0, len(kept) - (MAX_INCOMING - 1))]:
        shutil.rmtree(old, ignore_errors=True)


def _file(root: Path, token: str) -> Path:
    folder = _incoming(root, token)
    files = sorted(folder.iterdir()) if folder.is_dir() else []
    if len(files) != 1:
        raise ImportFailure("the upload is not known to the server any more; upload the file again")
    return files[0]


def inspect(root: Path, token: str) -> Upload:
    """What an uploaded file holds: for a spreadsheet its columns, first rows and a suggested
    mapping; for a zip, that it is a dataset folder to validate."""
    path = _file(root, token)
    if path.suffix.lower() == ".zip":
        if not zipfile.is_zipfile(path):
            raise ImportFailure(f"{path.name}: not a ZIP archive")
        return Upload(token, path.name, "cordis-zip" if _is_cordis_download(path) else "dataset-zip")
    from data.importers import spreadsheet  # openpyxl loads only when a spreadsheet comes

    columns, rows = spreadsheet.preview(path)
    return Upload(token, path.name, "spreadsheet", columns, rows, spreadsheet.suggest_mapping(columns))


def _unpack(path: Path, dest: Path) -> Path:
    """Extract a zipped dataset safely; return the folder inside that holds projects.csv."""
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise ImportFailure(f"{path.name}: more than {MAX_ZIP_MEMBERS} files in the archive")
        if sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES:
            raise ImportFailure(f"{path.name}: unpacks to more than {MAX_UNZIPPED_BYTES // 1024**2} MB")
        for member in members:
            parts = PurePosixPath(member.filename.replace("\\", "/")).parts
            if member.filename.startswith("/") or ".." in parts:
                raise ImportFailure(f"{path.name}: unsafe path in the archive: {member.filename}")
        for member in members:
            if member.filename.lower().endswith(".csv") and _lines_over(archive, member, MAX_UPLOAD_ROWS + 1):
                raise ImportFailure(
                    f"{path.name}: {member.filename} has more than {MAX_UPLOAD_ROWS:,} rows, over "
                    "what this page loads; unzip it and serve it with python app.py --data DIR")
        archive.extractall(dest)
    found = sorted(p.parent for p in dest.rglob("projects.csv") if "__MACOSX" not in p.parts)
    if not found:
        raise ImportFailure(f"{path.name}: no projects.csv inside; zip a dataset folder in the "
                            "normalized format (see data/FORMAT.md)")
    return min(found, key=lambda p: len(p.parts))


def _lines_over(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int) -> bool:
    """Whether a member has more than ``limit`` lines, reading no further than that."""
    count = 0
    with archive.open(member) as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
            if count > limit:
                return True
    return False


def _is_cordis_download(path: Path) -> bool:
    """A zip holding a CORDIS project or organisation table (not a dataset folder)."""
    with zipfile.ZipFile(path) as archive:
        kinds = {kind_of(PurePosixPath(m.filename).name) for m in archive.infolist()}
        names = {PurePosixPath(m.filename).name for m in archive.infolist()}
    return bool(kinds & {"project", "organization"}) and "projects.csv" not in names


def _accept_cordis(path: Path, out: Path, report: ImportReport) -> None:
    """A CORDIS download zip, imported as the command line imports it, within the page's bounds."""
    with zipfile.ZipFile(path) as archive:
        for member in archive.infolist():
            text = member.filename.lower().endswith(".csv")
            if text and _lines_over(archive, member, MAX_UPLOAD_ROWS + 1):
                raise ImportFailure(f"{path.name}: {member.filename} has more than {MAX_UPLOAD_ROWS:,} "
                                    f"rows, over what this page imports; {CORDIS_COMMAND_HINT}")
            # XLSX and JSON rows cannot be counted without parsing: their size bounds them.
            if not text and member.file_size > MAX_UPLOAD_BYTES:
                raise ImportFailure(f"{path.name}: {member.filename} unpacks to more than "
                                    f"{MAX_UPLOAD_BYTES / 1024**2:g} MB, over what this page "
                                    f"imports; {CORDIS_COMMAND_HINT}")
    from data.importers.cordis import import_download

    with open_download([path], MAX_UNZIPPED_BYTES) as download:
        if download.not_read:
            report.warnings.append("files not read: " + "; ".join(download.not_read))
        tables, documents = import_download(download.files, report)
    write_dataset(tables, out, report, documents)


def accept(root: Path, token: str, mapping: dict[str, str], out: Path) -> ImportReport:
    """Import an upload into the new dataset folder ``out`` and return the report.

    The result is validated by the app's loader and indexed as the app indexes it before ``out``
    appears. Raises ImportFailure or data.io.loader.DatasetError (with every problem) when nothing
    can be loaded; ``out`` is then not created, and nothing is left beside it."""
    path = _file(root, token)
    report = ImportReport()
    if path.suffix.lower() == ".zip":
        if _is_cordis_download(path):
            _accept_cordis(path, out, report)
        else:
            _accept_zip(path, out, report)
        return report
    from data.importers import spreadsheet

    clean = {target: column for target, column in mapping.items() if column}
    try:
        tables, documents = spreadsheet.import_spreadsheet(path, clean, report)
    except DATA_ERRORS as exc:
        logger.exception("the spreadsheet importer failed on the upload %s", path)
        raise ImportFailure(f"{path.name}: the importer failed on this file ({type(exc).__name__}: "
                            f"{str(exc)[:200]}); nothing was imported. This is a bug of the "
                            "dashboard: please report it with the file") from exc
    write_dataset(tables, out, report, documents)
    return report


def _accept_zip(path: Path, out: Path, report: ImportReport) -> None:
    """A zipped dataset folder, unpacked beside ``out``, validated and indexed there, then
    renamed to ``out``: nothing is copied, and a refused archive leaves nothing behind."""
    staging = out.with_name(out.name + "-unpacked")
    try:
        folder = _unpack(path, staging)
        dataset = index_folder(folder, path.name)
        entry = report.file(path.name, "dataset folder (zip)")
        entry.rows_read = entry.rows_imported = dataset.size
        entry.notes.append("validated as a dataset in the normalized format; counts are projects")
        report.write(folder / "import")
        folder.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def import_upload(
    registry: DatasetRegistry, token: str, mapping: dict[str, str], label: str
) -> tuple[str, ImportReport]:
    """Import an upload as a new dataset of ``registry``: its id and the import report.

    All or nothing: on any failure the new dataset's folder is removed and the error says why
    (ImportFailure, or DatasetError with every problem), so the page can show it."""
    dataset_id, folder = registry.new_folder()
    added = False
    try:
        report = accept(registry.upload_root, token, mapping, folder)
        try:
            registry.add(dataset_id, folder, label=label)
        except DATA_ERRORS as exc:
            logger.exception("the imported upload %s in %s did not index", label, folder)
            raise ImportFailure(f"{label}: imported, but the app could not index it "
                                f"({type(exc).__name__}); nothing was switched. This is a bug "
                                "of the dashboard: please report it with the file") from exc
        added = True
    except OSError as exc:
        logger.exception("storing the upload %s in %s failed", label, folder)
        raise ImportFailure(f"{label}: the server could not store the dataset "
                            f"({exc.strerror or exc}); nothing was imported") from exc
    except MemoryError as exc:
        raise ImportFailure(f"{label}: the server ran out of memory importing it; "
                            f"{COMMAND_LINE_HINT}") from exc
    finally:
        if not added:
            logger.warning("upload %s (token %s) not imported; its folder is removed", label, token)
            shutil.rmtree(folder, ignore_errors=True)
    logger.info("upload %s imported as dataset %s", label, dataset_id)
    return dataset_id, report
