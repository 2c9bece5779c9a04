"""Reading one table of an export, whatever its format: CSV (any delimiter, encoding), XLSX or
JSON, as CORDIS and other portals publish them. Every cell arrives as text, exactly as written:
nothing is coerced, and no word (``NA`` is Namibia) is read as missing.

``read_table`` returns the all-text frame and, for each row, where it stands in the file (a CSV
line, a worksheet row, a JSON record number: ``FileReport.unit`` says which), so every rejection
points back to its place in the input.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from data.importers.csvio import DEFAULT_MAX_BYTES, check_file, read_delimited
from data.importers.report import FileReport, ImportFailure

FORMATS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".json": "json"}


def cell_text(value: object) -> str:
    """A spreadsheet or JSON value as the text a person would read in the cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # NaN is how pandas-written JSON says 'no value'; it is no number anyone stated.
        if not math.isfinite(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value).strip()


def table_format(path: Path) -> str:
    """'csv', 'xlsx' or 'json' by the file's extension; ImportFailure for anything else."""
    kind = FORMATS.get(Path(path).suffix.lower())
    if kind is None:
        raise ImportFailure(f"{Path(path).name}: not a CSV, XLSX or JSON file")
    return kind


def _finish(frame: pd.DataFrame, lines: list[int], name: str, report: FileReport,
            required: Sequence[str], optional: Sequence[str],
            aliases: Mapping[str, str]) -> tuple[pd.DataFrame, list[int]]:
    frame = rename_columns(frame, aliases, report)
    missing = [c for c in required if c not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns[:12]))
        raise ImportFailure(f"{name}: required column(s) missing: {', '.join(missing)} "
                            f"(found: {found}); is this the right file?")
    for column in optional:
        if column not in frame.columns:
            frame[column] = ""
            report.notes.append(f"column '{column}' is absent (older export): left empty")
    frame = frame.apply(lambda column: column.fillna("").astype(str).str.strip())
    # pandas-stubs do not list a scalar str for DataFrame.ne; pandas compares cell by cell.
    keep = frame.ne("").any(axis=1).to_numpy()  # type: ignore[arg-type]
    frame = frame[keep].reset_index(drop=True)
    lines = [line for line, kept in zip(lines, keep, strict=True) if kept]
    report.rows_read = len(frame)
    return frame, lines


def rename_columns(frame: pd.DataFrame, aliases: Mapping[str, str], report: FileReport) -> pd.DataFrame:
    """Older exports' column names read as today's (``taxonomy/cordis_columns.csv``); a column
    that already exists under today's name is not overwritten."""
    renames = {old: new for old, new in aliases.items()
               if old in frame.columns and new not in frame.columns and old != new}
    if renames:
        report.notes.append("columns of an older layout read as: " + ", ".join(
            f"{old} -> {new}" for old, new in renames.items()))
    return frame.rename(columns=renames)


def _read_xlsx(path: Path, report: FileReport) -> tuple[pd.DataFrame, list[int]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    report.unit = "row"
    try:
        with path.open("rb") as handle:
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
            try:
                if not workbook.sheetnames:
                    raise ImportFailure(f"{path.name}: the workbook has no sheets")
                sheet = workbook[workbook.sheetnames[0]]
                sheet.reset_dimensions()  # some writers store a wrong size; read what is there
                rows = [(number, [cell_text(v) for v in values]) for number, values in
                        enumerate(sheet.iter_rows(values_only=True), start=1)]
            finally:
                workbook.close()
    except (zipfile.BadZipFile, KeyError, InvalidFileException, ValueError, TypeError) as exc:
        raise ImportFailure(f"{path.name}: not a readable Excel workbook (.xlsx): {exc}") from exc
    rows = [(n, cells) for n, cells in rows if any(cells)]
    if not rows:
        raise ImportFailure(f"{path.name}: the workbook is empty")
    header = rows[0][1]
    width = len(header)
    body = [cells[:width] + [""] * (width - len(cells)) for _, cells in rows[1:]]
    columns = [h.strip().lstrip("\ufeff") or f"column {i + 1}" for i, h in enumerate(header)]
    return pd.DataFrame(body, columns=columns, dtype=object), [n for n, _ in rows[1:]]


def _records(loaded: object, name: str) -> list[dict[str, object]]:
    """The list of records of a JSON export: a top-level array, or the one array inside an
    object (some tools wrap it, e.g. ``{"project": [...]}``)."""
    if isinstance(loaded, dict):
        arrays = [v for v in loaded.values() if isinstance(v, list)]
        if len(arrays) != 1:
            raise ImportFailure(f"{name}: a JSON object with {len(arrays)} arrays; expected the "
                                "array of records CORDIS publishes")
        loaded = arrays[0]
    if not isinstance(loaded, list):
        raise ImportFailure(f"{name}: expected a JSON array of records")
    bad = next((i for i, r in enumerate(loaded, start=1) if not isinstance(r, dict)), None)
    if bad is not None:
        raise ImportFailure(f"{name}: record {bad} is not a JSON object")
    return loaded


def _read_json(path: Path, report: FileReport) -> tuple[pd.DataFrame, list[int]]:
    report.unit = "record"
    try:
        loaded = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportFailure(f"{path.name}: not UTF-8 text (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise ImportFailure(f"{path.name}: not valid JSON (line {exc.lineno}, column {exc.colno}: "
                            f"{exc.msg})") from exc
    records = _records(loaded, path.name)
    columns = list(dict.fromkeys(key for record in records for key in record))
    body = [[cell_text(record.get(c)) for c in columns] for record in records]
    return pd.DataFrame(body, columns=columns, dtype=object), list(range(1, len(records) + 1))


def read_table(
    path: Path,
    report: FileReport,
    required: Sequence[str] = (),
    optional: Sequence[str] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    aliases: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, list[int]]:
    """All-text frame of one CSV, XLSX or JSON table and the place of each row in the file.

    Columns are renamed by ``aliases`` first; those in ``required`` must then be present and
    those in ``optional`` are added empty (with a note). Empty rows are skipped.
    ``report.rows_read`` is set to the number of data rows."""
    path = Path(path)
    aliases = aliases or {}
    kind = table_format(path)
    if kind == "csv":
        frame, lines = read_delimited(path, report, max_bytes)
        return _finish(frame, lines, path.name, report, required, optional, aliases)
    check_file(path, max_bytes)
    frame, lines = _read_xlsx(path, report) if kind == "xlsx" else _read_json(path, report)
    return _finish(frame, lines, path.name, report, required, optional, aliases)
