"""Files uploaded through the page: kept safely, inspected, imported into a dataset of their own.

The page's upload dialog (``callbacks/upload.py``) calls these; nothing here knows about Dash.
An upload is either a spreadsheet (CSV or XLSX, imported with a column mapping) or a dataset
folder zipped (validated as it is). The default dataset is never touched: every accepted upload
becomes a new folder under the registry's upload folder.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd

from data.importers.report import ImportFailure, ImportReport
from data.importers.writer import write_dataset
from data.loader import load_tables

MAX_UPLOAD_BYTES = 50 * 1024**2
MAX_UNZIPPED_BYTES = 500 * 1024**2
MAX_ZIP_MEMBERS = 2_000
SPREADSHEET_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
TOKEN_RE = re.compile(r"^[0-9a-f]{16}$")

MAPPING_FIELDS: dict[str, str] = {
    "acronym": "Project acronym (required)",
    "project_id": "Project id",
    "title": "Title",
    "programme": "Programme",
    "start_date": "Start date",
    "end_date": "End date",
    "budget_eur": "Total budget (EUR)",
    "eu_contribution_eur": "EU contribution (EUR)",
    "summary": "Summary",
    "url": "Web page",
    "partner_name": "Partner name",
    "partner_country": "Partner country",
    "partner_role": "Partner role",
    "partner_city": "Partner city",
    "kets": "KETs",
    "sectors": "Sectors",
}
"""Our fields a spreadsheet's columns can be mapped to, with the labels the dialog shows."""


@dataclass(frozen=True)
class Upload:
    """A file received from the page, kept under ``incoming/<token>/``."""

    token: str
    filename: str
    kind: str
    """'spreadsheet' or 'dataset-zip'."""
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
        raise ImportFailure(f"{name}: expected a spreadsheet (.csv or .xlsx) or a dataset folder "
                            "zipped (.zip)")
    _, _, payload = (contents or "").partition(",")
    if len(payload) * 3 // 4 > MAX_UPLOAD_BYTES:
        raise ImportFailure(f"{name}: larger than {MAX_UPLOAD_BYTES // 1024**2} MB; use the "
                            "import command for large files (python -m data.importers)")
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImportFailure(f"{name}: the upload arrived damaged; try again") from exc
    if not raw:
        raise ImportFailure(f"{name}: the file is empty")
    token = secrets.token_hex(8)
    folder = _incoming(root, token)
    folder.mkdir(parents=True)
    (folder / name).write_bytes(raw)
    return inspect(root, token)


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
        return Upload(token, path.name, "dataset-zip")
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
        archive.extractall(dest)
    found = sorted(p.parent for p in dest.rglob("projects.csv") if "__MACOSX" not in p.parts)
    if not found:
        raise ImportFailure(f"{path.name}: no projects.csv inside; zip a dataset folder in the "
                            "normalized format (see data/FORMAT.md)")
    return min(found, key=lambda p: len(p.parts))


def accept(root: Path, token: str, mapping: dict[str, str], out: Path) -> ImportReport:
    """Import an upload into the new dataset folder ``out`` and return the report.

    Raises ImportFailure or data.loader.DatasetError (with every problem) when nothing can be
    loaded; ``out`` is then not created."""
    path = _file(root, token)
    report = ImportReport()
    if path.suffix.lower() == ".zip":
        staging = out.with_name(out.name + "-unpacked")
        try:
            folder = _unpack(path, staging)
            tables = load_tables(folder)
            entry = report.file(path.name, "dataset folder (zip)")
            entry.rows_read = entry.rows_imported = len(tables["projects"])
            entry.notes.append("validated as a dataset in the normalized format; counts are projects")
            shutil.copytree(folder, out)
            report.write(out / "import")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return report
    from data.importers import spreadsheet

    clean = {target: column for target, column in mapping.items() if column}
    tables, documents = spreadsheet.import_spreadsheet(path, clean, report)
    write_dataset(tables, out, report, documents)
    return report
