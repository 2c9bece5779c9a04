"""Reading delimited text files as they circulate: any of ; , tab, UTF-8 with or without BOM or
cp1252, quoted or not. Every cell is read as text, so nothing is coerced or lost on the way in.

``read_delimited`` says what it detected in the file's report notes and raises
``ImportFailure`` (naming the file) for what cannot be read at all: an empty file, a binary file
(a spreadsheet or an archive given as CSV), a file over the size limit.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from data.importers.report import FileReport, ImportFailure
from data.io.lines import row_lines

DEFAULT_MAX_BYTES = 2 * 1024**3
DELIMITERS = (";", ",", "\t", "|")
BINARY_SIGNATURES = {
    b"PK\x03\x04": "a ZIP archive or an XLSX workbook",
    b"\xd0\xcf\x11\xe0": "an old Excel (XLS) or Office file",
    b"%PDF": "a PDF document",
    b"\x1f\x8b": "a gzip archive",
}


def decode(raw: bytes, name: str, report: FileReport) -> str:
    """Text of a file: UTF-8 (BOM or not), else cp1252, which every byte sequence decodes."""
    for signature, what in BINARY_SIGNATURES.items():
        if raw.startswith(signature):
            raise ImportFailure(f"{name}: this is {what}, not a delimited text (CSV) file")
    if b"\x00" in raw[:4096]:
        raise ImportFailure(f"{name}: contains NUL bytes; it is not a text (CSV) file "
                            "(UTF-16 files must be saved as UTF-8)")
    if raw.startswith(b"\xef\xbb\xbf"):
        report.notes.append("encoding: UTF-8 with byte-order mark")
        return raw[3:].decode("utf-8", errors="strict")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        report.notes.append("encoding: not UTF-8; read as Windows-1252 (cp1252)")
        return raw.decode("cp1252", errors="replace")


def sniff_delimiter(text: str, name: str, report: FileReport) -> str:
    """The delimiter that splits the header and the first lines into the same number of cells."""
    sample = "\n".join(text.splitlines()[:50])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        header = text.splitlines()[0] if text else ""
        counts = {d: header.count(d) for d in DELIMITERS}
        delimiter = max(counts, key=lambda d: counts[d])
        if counts[delimiter] == 0:
            delimiter = ","
    report.notes.append(f"delimiter: {'tab' if delimiter == chr(9) else repr(delimiter)}")
    return delimiter


def check_file(path: Path, max_bytes: int) -> int:
    """The size of an input file; ImportFailure if it is missing or over the limit."""
    if not path.is_file():
        raise ImportFailure(f"{path}: no such file")
    size = path.stat().st_size
    if size > max_bytes:
        raise ImportFailure(f"{path.name}: {size:,} bytes is over the limit of {max_bytes:,} bytes; "
                            "split the file or raise the limit (--max-bytes)")
    return size


def read_delimited(
    path: Path, report: FileReport, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[pd.DataFrame, list[int]]:
    """All-text frame of a delimited file and the file line of each row (header = line 1).

    Blank lines are skipped. ``report.rows_read`` is set to the number of data rows. Which
    columns a file must have is checked by the caller (``tables.read_table``)."""
    path = Path(path)
    name = path.name
    check_file(path, max_bytes)
    raw = path.read_bytes()
    if not raw.strip():
        raise ImportFailure(f"{name}: the file is empty")
    text = decode(raw, name, report)
    delimiter = sniff_delimiter(text, name, report)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
                            skip_blank_lines=True, quoting=csv.QUOTE_MINIMAL)
    except (pd.errors.ParserError, csv.Error) as exc:
        raise ImportFailure(f"{name}: not a well-formed delimited file: {exc}") from exc
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    frame = frame.apply(lambda column: column.fillna("").astype(str).str.strip())
    keep = frame.ne("").any(axis=1)
    frame = frame[keep].reset_index(drop=True)
    # The frame dropped rows whose cells are all blank: so do the line numbers.
    lines = row_lines(io.StringIO(text, newline=""), delimiter, skip_empty_cells=True)
    if len(lines) != len(frame):
        report.notes.append("line numbers are approximate: the file has irregular quoting")
        lines = list(range(2, len(frame) + 2))
    report.rows_read = len(frame)
    return frame, lines


def parse_amount(values: pd.Series, report: FileReport | None = None) -> pd.Series:
    """Euro amounts as plain decimal text: '1.234.567,89' or '1 234 567,89' -> '1234567.89'.

    A decimal comma is recognised when the values use ',' and never '.' as their last
    separator. Empty stays empty; text that is not an amount becomes NaN (for the caller to
    reject) rather than a guess."""
    text = values.fillna("").astype(str).str.replace("\u00a0", "").str.replace(" ", "")
    comma_decimal = text.str.contains(r",\d{1,2}$", regex=True) & ~text.str.contains(r"\.\d{1,2}$")
    if comma_decimal.any() and report is not None:
        report.notes.append("amounts use a decimal comma: read as decimals")
    european = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    converted = text.where(~comma_decimal, european)
    converted = converted.where(comma_decimal, converted.str.replace(",", "", regex=False))
    ok = converted.eq("") | converted.str.fullmatch(r"-?\d+(?:\.\d+)?")
    return converted.where(ok, other=pd.NA)
