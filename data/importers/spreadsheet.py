"""Projects and partners from a spreadsheet (CSV or XLSX) in whatever layout people keep them.

A keep.eu or ECCP export, or a list made by hand: the user says which of their columns holds
which of our fields (``mapping``: our field -> their column; ``suggest_mapping`` guesses it from
common headers in English, French, German and Spanish). Two layouts are understood, and may mix:

- one row per project, the partners in one cell separated by ``;`` (or line breaks), their
  countries, roles and cities likewise and in the same order;
- one row per participation, the project's fields repeated (or left blank) on each row.

What is read and how:

- dates: ``2016-04-01``; ``01/04/2016``, ``01.04.2016`` (day first, as in Europe); ``1 April 2016``
  (English, French, German, Spanish, Italian month names); ``April 2016`` -> ``2016-04``;
  ``2016``; Excel date cells and Excel serial numbers; eight digits ``01042016`` (DDMMYYYY) or
  ``20160401`` (YYYYMMDD), seven when a number format dropped the leading zero (``1042016``),
  the layout decided once per column and named in the report notes. A two-digit year, a month
  over 12 or a day not on the calendar rejects the row, naming the value: nothing is guessed.
- "not stated" cells: ``NA``, ``N/A``, ``n.a.``, ``-``, ``--``, ``#N/A``, ``NULL``, ``none``
  (the whole cell, any case) are read as empty, and counted per column in the notes; in code
  columns (project id, country) ``NA`` stays, as it is Namibia's ISO code.
- countries: codes or names in any language (``data.io.countries.to_iso2``); unknown rejects the row.
- roles: common words in several languages (coordinator, Koordinator, coordinateur, lead
  partner, associated partner, beneficiary ...) mapped to ``data/taxonomy/roles.csv``; the word
  as written is kept in ``role_stated``, and a word we do not know gives role ``other`` (with a
  warning). A trailing ``(coordinator)`` after a partner's name is read as the role.
- amounts: decimal comma or point, thousands separators, ``€``/``EUR`` (``csvio.parse_amount``).
- KETs and sectors: ``;`` or ``,`` separated slugs or labels (also in FR/DE/ES); an unknown one is
  dropped with a warning naming file, line and value, and the row is imported.
- a formula cell in an XLSX file gives its last computed value (noted in the report); text that
  merely begins with ``=`` stays text.

Every row is imported or rejected with its line and reason (rows read = imported + rejected);
every record cites one source of kind ``import`` and its file line (``quote = 'FILE line N'``).
Spellings of one organisation are merged (``orgmerge``) and projects without curated tags get
tags inferred by the rules (``tagging``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd

from data.importers import tagging
from data.importers.csvio import check_file, parse_amount, read_delimited
from data.importers.orgmerge import DEFAULT_MATCH_THRESHOLD, merge_organisations
from data.importers.report import FileReport, ImportFailure, ImportReport, log_files
from data.importers.tables import cell_text
from data.importers.writer import conform, empty_tables
from data.io import schema
from data.io.countries import to_iso2
from data.io.dates import first_day, last_day
from data.io.loader import load_vocabulary
from data.io.paths import TAXONOMY_DIR
from data.io.roles import OTHER_ROLE, role_of_word
from data.io.text import fold_words, slugify

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 200 * 1024**2
# An XLSX file is a ZIP archive; one that unpacks to many times its size is refused before
# openpyxl reads it (a 'zip bomb' would otherwise exhaust memory).
MAX_UNPACK_RATIO = 20
XLSX_SUFFIXES = (".xlsx", ".xlsm")
TARGETS = schema.SPREADSHEET_FIELDS
"""Our fields a column can be mapped to (declared with the header synonyms that suggest them)."""
# Partners in one cell are split on ';' or line breaks, never on ',': names contain commas
# ('Council of European Bu, Ltd.').
LIST_SPLIT = r"\s*(?:;|\r?\n)\s*"
EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers of 1901-01-01 and 2099-12-31: anything else in a date column is not a date.
EXCEL_SERIAL_RANGE = (367, 73050)
YEAR_RANGE = (1900, 2100)
# Whole cells that mean "not stated" (R writes NA, Excel #N/A, databases NULL) are listed in
# taxonomy/not_stated_words.csv; in columns of codes, the words that are also codes there (NA:
# Namibia's ISO code, or an id) stay as written.
CODE_TARGETS = ("project_id", "partner_country")
# Fields that name something: a column whose header says it holds ids or numbers (the words of
# taxonomy/header_id_words.csv), or whose values are all numbers, is never guessed as one of
# these ('Partner ID' is not the partner).
NAME_TARGETS = ("acronym", "title", "partner_name")
NUMBER_RE = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
# Eight-digit dates: (name, slices of day, month, year). Seven digits are the day-first layout
# whose leading zero a number format dropped (1042016 = 01042016): a year never starts with 0.
COMPACT_LAYOUTS = (
    ("DDMMYYYY", slice(0, 2), slice(2, 4), slice(4, 8)),
    ("YYYYMMDD", slice(6, 8), slice(4, 6), slice(0, 4)),
)
COMPACT_RE = r"\d{7,8}"


def _slug_or_hash(names: pd.Series, prefix: str) -> pd.Series:
    """Slugs of names; a name with no Latin letter or digit (Greek, Cyrillic) gets a stable
    hashed id instead, so it is not lost. Empty stays empty."""
    def one(name: str) -> str:
        slug = slugify(name)
        if slug or not name:
            return slug
        return f"{prefix}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:10]}"

    return _map_unique(names, one)


def _map_unique(values: pd.Series, function: Callable[[Any], Any]) -> pd.Series:
    """``values.map(function)``, calling the function once per distinct value."""
    return values.map({v: function(v) for v in values.unique()})


def _unique(ids: pd.Series) -> pd.Series:
    """Ids made unique by numbering repeats ('acme-it', 'acme-it-2')."""
    seen: set[str] = set()
    out = []
    for value in ids:
        candidate, n = value, 2
        while candidate in seen:
            candidate, n = f"{value}-{n}", n + 1
        seen.add(candidate)
        out.append(candidate)
    return pd.Series(out, index=ids.index, dtype=object)


# --- column mapping ---------------------------------------------------------------------------

def _header_says_id(header: str) -> bool:
    """'Partner ID', 'Project No', 'PIC', 'Projektnummer', 'N°', 'Partner #': a column of codes."""
    if re.search(r"#|№", header):
        return True
    words = _vocabulary()
    return any(t in words.id_words or words.id_compound.fullmatch(t) for t in fold_words(header).split())


def _all_numbers(values: Iterable[object]) -> bool:
    filled = [str(v).strip() for v in values]
    not_stated = _vocabulary().not_stated
    filled = [v for v in filled if v and v.casefold() not in not_stated]
    return bool(filled) and all(NUMBER_RE.fullmatch(v) for v in filled)


def suggest_mapping(columns: list[str],
                    samples: pd.DataFrame | Mapping[str, Sequence[object]] | None = None) -> dict[str, str]:
    """A guess of our field -> the file's column, from common header names (EN/FR/DE/ES).

    An exact header wins over one that merely contains a known name ('Project start date
    (dd/mm/yyyy)' contains 'start date'); a longer known name wins over a shorter one. Each
    column and each field is used once; a header that fits nothing is left out.

    ``samples`` (the first rows, e.g. from ``preview``: column -> values) lets the guess see
    the values too. A column is never guessed as a name (acronym, title, partner) when its
    header says it holds ids, codes or numbers, or when its sample values are all numbers."""
    synonyms = _vocabulary().synonyms
    candidates = []
    for position, column in enumerate(columns):
        folded = fold_words(column)
        if not folded:
            continue
        numbers = samples is not None and column in samples and _all_numbers(samples[column])
        not_a_name = numbers or _header_says_id(column)
        for target, names in synonyms.items():
            if not_a_name and target in NAME_TARGETS:
                continue
            for rank, name in enumerate(names):
                if folded == name:
                    candidates.append((0, -len(name), rank, position, target, column))
                elif len(name) > 3 and re.search(rf"(?:^| ){re.escape(name)}(?: |$)", folded):
                    candidates.append((1, -len(name), rank, position, target, column))
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for *_, target, column in sorted(candidates):
        if target not in mapping and column not in used:
            mapping[target] = column
            used.add(column)
    return {t: mapping[t] for t in TARGETS if t in mapping}


# --- reading ----------------------------------------------------------------------------------


@dataclass
class _Sheet:
    """An all-text table read from a file, with the file line (or sheet row) of each row."""

    frame: pd.DataFrame
    lines: list[int]
    kind: str
    numeric: pd.DataFrame | None = None
    """XLSX only: which cells held numbers (an Excel serial date is a number)."""
    notes: list[str] = field(default_factory=list)


def _file_kind(path: Path, max_bytes: int) -> str:
    name = path.name
    size = check_file(path, max_bytes)
    if size == 0:
        raise ImportFailure(f"{name}: the file is empty")
    with path.open("rb") as handle:
        head = handle.read(8)
    suffix = path.suffix.lower()
    if head.startswith(b"\xd0\xcf\x11\xe0") or suffix == ".xls":
        raise ImportFailure(f"{name}: an old Excel (.xls) or other Office file; save it as .xlsx "
                            "(Excel Workbook) or as CSV and import that")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if suffix in XLSX_SUFFIXES:
        raise ImportFailure(f"{name}: not an Excel workbook, although named {suffix}; save it "
                            "again from the spreadsheet program as .xlsx or CSV")
    if suffix in (".ods", ".numbers", ".pdf", ".docx", ".zip", ".json", ".xml"):
        raise ImportFailure(f"{name}: a {suffix} file cannot be imported; save the table as "
                            ".xlsx or CSV")
    return "csv"


def _headers(cells: list[str]) -> list[str]:
    """Header texts, made unique: an empty one is named by its column letter."""
    from openpyxl.utils import get_column_letter

    out: list[str] = []
    for index, text in enumerate(cells, start=1):
        text = text or f"column {get_column_letter(index)}"
        base, n = text, 2
        while text in out:
            text, n = f"{base} ({n})", n + 1
        out.append(text)
    return out


def _open_workbook(path: Path, data_only: bool) -> tuple[Any, BinaryIO]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    handle = path.open("rb")
    try:
        return openpyxl.load_workbook(handle, read_only=True, data_only=data_only), handle
    except (zipfile.BadZipFile, KeyError, InvalidFileException, OSError, ValueError, TypeError) as exc:
        handle.close()
        raise ImportFailure(f"{path.name}: not a readable Excel workbook (.xlsx): {exc}; save it "
                            "again as .xlsx or CSV") from exc


def _worksheet(workbook: Any, name: str, sheet: str | None) -> tuple[Any, list[str]]:
    names = workbook.sheetnames
    if not names:
        raise ImportFailure(f"{name}: the workbook has no sheets")
    if sheet is None:
        return workbook[names[0]], names
    if sheet not in names:
        raise ImportFailure(f"{name}: no sheet named '{sheet}'; the sheets are: "
                            + ", ".join(f"'{n}'" for n in names))
    return workbook[sheet], names


def _xlsx_rows(path: Path, sheet: str | None, data_only: bool,
               limit: int | None = None) -> tuple[str, list[str], list[tuple[int, list[Any]]]]:
    """(sheet title, sheet names, [(row number, [cells])]) of non-empty rows."""
    workbook, handle = _open_workbook(path, data_only)
    try:
        ws, names = _worksheet(workbook, path.name, sheet)
        ws.reset_dimensions()  # some writers store a wrong size; read what is there
        rows = []
        for number, row in enumerate(ws.iter_rows(), start=1):
            if any(c.value is not None and str(c.value).strip() != "" for c in row):
                rows.append((number, list(row)))
                if limit is not None and len(rows) >= limit:
                    break
        return ws.title, names, rows
    finally:
        workbook.close()
        handle.close()


def _header_index(rows: list[tuple[int, list[Any]]]) -> int:
    """Index of the header row: the first row with two or more filled cells (a title line
    above the table has one), or the first row if none has."""
    for index, (_, cells) in enumerate(rows[:10]):
        if sum(1 for c in cells if cell_text(c.value)) >= 2:
            return index
    return 0


def _check_unpacked_size(path: Path, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise ImportFailure(f"{path.name}: not a readable Excel workbook (.xlsx): {exc}") from exc
    if unpacked > max(max_bytes, path.stat().st_size * MAX_UNPACK_RATIO):
        raise ImportFailure(f"{path.name}: unpacks to {unpacked:,} bytes, more than this importer "
                            "reads; save the table as CSV")


def _read_xlsx(path: Path, sheet: str | None, max_bytes: int, limit: int | None = None) -> _Sheet:
    _check_unpacked_size(path, max_bytes)
    title, names, rows = _xlsx_rows(path, sheet, data_only=True, limit=limit)
    label = f"XLSX, sheet '{title}'"
    if not rows:
        raise ImportFailure(f"{path.name}: sheet '{title}' is empty")
    notes = []
    if len(names) > 1 and sheet is None:
        notes.append(f"the workbook has {len(names)} sheets; read the first, '{title}' "
                     "(choose another with the sheet option)")
    start = _header_index(rows)
    if start:
        notes.append(f"header on row {rows[start][0]}; {start} title row(s) above it skipped")
    header_cells = [cell_text(c.value) for c in rows[start][1]]
    body = rows[start + 1:]
    width = max([len(header_cells)] + [len(cells) for _, cells in body])
    columns = _headers(header_cells + [""] * (width - len(header_cells)))
    texts, numeric = [], []
    for _, cells in body:
        padded = cells + [None] * (width - len(cells))
        values = [getattr(c, "value", None) for c in padded]
        texts.append([cell_text(v) for v in values])
        numeric.append([isinstance(v, (int, float)) and not isinstance(v, bool) for v in values])
    frame = pd.DataFrame(texts, columns=columns, dtype=object).astype(str)
    mask = pd.DataFrame(numeric, columns=columns, dtype=bool)
    return _Sheet(frame, [number for number, _ in body], label, mask, notes)


def _formula_notes(path: Path, sheet: str | None, frame: pd.DataFrame, lines: list[int]) -> list[str]:
    """Say which cells held formulas (their cached values were read) and which had none."""
    from openpyxl.utils import get_column_letter

    _, _, rows = _xlsx_rows(path, sheet, data_only=False)
    formulas = []
    by_line = {line: i for i, line in enumerate(lines)}
    for number, cells in rows:
        for column, cell in enumerate(cells, start=1):
            if getattr(cell, "data_type", None) == "f":
                formulas.append((number, column))
    if not formulas:
        return []
    empty = [f"{get_column_letter(c)}{n}" for n, c in formulas
             if n in by_line and c <= frame.shape[1] and frame.iat[by_line[n], c - 1] == ""]
    first = formulas[0]
    notes = [f"{len(formulas)} cell(s) hold formulas; their last computed values were imported "
             f"(first at {get_column_letter(first[1])}{first[0]})"]
    if empty:
        notes.append(f"{len(empty)} formula cell(s) have no saved value (the file was not "
                     f"recalculated) and were read as empty: {', '.join(empty[:10])}")
    return notes


def _read(path: Path, entry: FileReport, sheet: str | None, max_bytes: int) -> _Sheet:
    kind = _file_kind(path, max_bytes)
    if kind == "xlsx":
        table = _read_xlsx(path, sheet, max_bytes)
        table.notes += _formula_notes(path, sheet, table.frame, table.lines)
        entry.rows_read = len(table.frame)
    else:
        frame, lines = read_delimited(path, entry, max_bytes=max_bytes)
        table = _Sheet(frame, lines, "CSV")
        if sheet:
            table.notes.append(f"sheet '{sheet}' ignored: a CSV file holds one table")
    entry.kind = f"spreadsheet ({table.kind})"
    formula_like = table.frame.apply(lambda column: column.str.startswith("=")).to_numpy().sum()
    if formula_like:
        table.notes.append(f"{formula_like} cell(s) begin with '=' and were kept as text, never run")
    entry.notes += table.notes
    if table.frame.empty:
        raise ImportFailure(f"{path.name}: no data rows under the header "
                            f"({', '.join(map(str, table.frame.columns[:12]))})")
    return table


def preview(path: Path, sheet: str | None = None, rows: int = 20) -> tuple[list[str], pd.DataFrame]:
    """The file's columns and its first ``rows`` rows, all as text, for the mapping dialog."""
    path = Path(path)
    kind = _file_kind(path, DEFAULT_MAX_BYTES)
    if kind == "xlsx":
        table = _read_xlsx(path, sheet, DEFAULT_MAX_BYTES, limit=rows + 11)
        frame = table.frame
    else:
        frame, _ = read_delimited(path, FileReport(path.name, "preview"), max_bytes=DEFAULT_MAX_BYTES)
    return [str(c) for c in frame.columns], frame.head(rows).reset_index(drop=True)


# --- values -----------------------------------------------------------------------------------

def _iso(year: int, month: int | None = None, day: int | None = None) -> tuple[str, str | None]:
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        return "", f"year {year} is outside {YEAR_RANGE[0]}-{YEAR_RANGE[1]}"
    if month is None:
        return f"{year:04d}", None
    if not 1 <= month <= 12:
        return "", f"month {month} does not exist"
    if day is None:
        return f"{year:04d}-{month:02d}", None
    try:
        return dt.date(year, month, day).isoformat(), None
    except ValueError:
        return "", "not a date on the calendar"


def parse_date(value: str) -> tuple[str, str | None]:
    """(ISO date at the stated precision, None) or ('', why it cannot be read)."""
    text = value.strip()
    if not text:
        return "", None
    text = re.sub(r"[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$", "", text)
    if m := re.fullmatch(r"(\d{4})", text):
        return _iso(int(m[1]))
    if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})", text):
        return _iso(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text):
        return _iso(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text):
        day, month = int(m[1]), int(m[2])
        if month > 12 and day <= 12:
            return "", ("month and day look swapped (month/day order); write the day first, "
                        "as in 01/04/2016 for 1 April 2016")
        return _iso(int(m[3]), month, day)
    if re.fullmatch(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2}", text):
        return "", "two-digit year is ambiguous; write the year in full"
    if m := re.fullmatch(r"(\d{1,2})[-/.](\d{4})", text):
        return _iso(int(m[2]), int(m[1]))
    words = _vocabulary()
    tokens = [t for t in re.findall(r"[a-z]+|\d+", fold_words(text)) if t not in words.date_fillers]
    months = [t for t in tokens if t in words.months]
    numbers = [t for t in tokens if t.isdigit()]
    if len(months) == 1 and len(tokens) == len(numbers) + 1 and 1 <= len(numbers) <= 2:
        month = words.months[months[0]]
        years = [n for n in numbers if len(n) == 4]
        days = [n for n in numbers if len(n) <= 2]
        if not years:
            return "", "no four-digit year: a two-digit year is ambiguous"
        if len(years) == 1 and len(days) == len(numbers) - 1:
            return _iso(int(years[0]), month, int(days[0]) if days else None)
    return "", "not a date in a known format (e.g. 2016-04-01, 01/04/2016, 1 April 2016, 2016)"


def _compact_date(digits: str, layout: tuple[str, slice, slice, slice]) -> tuple[str, str | None]:
    _, day, month, year = layout
    return _iso(int(digits[year]), int(digits[month]), int(digits[day]))


def _compact_dates(values: pd.Series) -> tuple[dict[str, tuple[str, str | None]], str]:
    """Readings of a column's 7- and 8-digit dates (value -> (ISO date, why not)), and a note
    saying which layout was read.

    The layout is decided for the whole column: a value that fits only one layout is read so;
    one that fits both takes the layout the other values show; if the column has values that
    fit only day-first and others that fit only year-first, it mixes, and the note says so.
    (With years 1900-2100 no value fits both, but the rule does not rely on that.)"""
    counts = values[values.str.fullmatch(COMPACT_RE)].value_counts(sort=False)
    if counts.empty:
        return {}, ""
    readings = {v: [_compact_date(v.zfill(8), layout) for layout in COMPACT_LAYOUTS] for v in counts.index}
    fits = {v: [i for i, (_, why) in enumerate(r) if why is None] for v, r in readings.items()}
    only = [[v for v, f in fits.items() if f == [i]] for i in range(len(COMPACT_LAYOUTS))]
    shown = [i for i, values_ in enumerate(only) if values_]
    layout = shown[0] if len(shown) == 1 else None
    out: dict[str, tuple[str, str | None]] = {}
    for value, fit in fits.items():
        if len(fit) == 1:
            out[value] = readings[value][fit[0]]
        elif fit and layout is not None:
            out[value] = readings[value][layout]
        elif fit:
            out[value] = "", ("reads as a date both as DDMMYYYY and as YYYYMMDD, and the column does "
                              "not show which; write it as 2016-04-01")
        elif layout is not None:
            name = COMPACT_LAYOUTS[layout][0]
            out[value] = "", f"not a date as {name}, the layout of this column: {readings[value][layout][1]}"
        else:
            out[value] = "", "not a date as DDMMYYYY (day, month, year) nor as YYYYMMDD (year, month, day)"

    def described(i: int) -> str:
        cells = int(counts[only[i]].sum())
        example = only[i][0]
        return f"{COMPACT_LAYOUTS[i][0]} ({cells} cell(s), e.g. '{example}' -> {out[example][0]})"

    if layout is not None:
        note = f"8-digit dates read as {described(layout)}"
        short = int(counts[[v for v in only[layout] if len(v) == 7]].sum())
        if short:
            note += (f"; {short} of them have 7 digits, a leading zero dropped by a number format, "
                     "read as DMMYYYY")
    elif len(shown) > 1:
        note = ("8-digit dates mix layouts: " + " and ".join(described(i) for i in shown)
                + "; each value was read in the one layout it fits: check the column")
    else:
        note = ""
    return out, note


def _parse_dates(values: pd.Series, numeric: pd.Series | None) -> tuple[pd.Series, pd.Series, str]:
    """Parsed ISO dates, the reason per cell that cannot be read ('' when fine), and a note on
    how the column's 8-digit dates were read ('' if it has none)."""
    cache = {v: parse_date(v) for v in values.unique()}
    compact, note = _compact_dates(values)
    cache.update(compact)
    iso = values.map(lambda v: cache[v][0])
    error = values.map(lambda v: cache[v][1] or "")
    if numeric is not None:
        # A number in an XLSX date column that is not a year or an 8-digit date is an Excel
        # serial date.
        serial = numeric & ~values.str.fullmatch(rf"\d{{4}}|{COMPACT_RE}")
        for row in values.index[serial]:
            number = float(values[row])
            if EXCEL_SERIAL_RANGE[0] <= number <= EXCEL_SERIAL_RANGE[1]:
                iso[row] = (EXCEL_EPOCH + dt.timedelta(days=int(number))).isoformat()
                error[row] = ""
            else:
                iso[row], error[row] = "", "a number that is neither a year nor an Excel date"
    return iso, error, note


def _parse_money(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    cleaned = values.str.replace(r"(?i)€|\beur(?:os?)?\b", "", regex=True).str.strip()
    amounts = parse_amount(cleaned)
    error = pd.Series("", index=values.index, dtype=object)
    error[amounts.isna()] = "not an amount in euro"
    negative = amounts.fillna("").str.startswith("-")
    error[negative] = "a negative amount"
    return amounts.fillna("").where(~negative, ""), error


@dataclass(frozen=True)
class _Vocabulary:
    """The words the importer reads by, from the taxonomy folder's vocabulary files (each
    validated by the loader, ``schema.VOCABULARY_TABLES``). All but ``not_stated`` and
    ``code_words`` (compared casefolded) are folded (``fold_words``)."""

    synonyms: dict[str, tuple[str, ...]]
    """Field -> header names that suggest it, best first."""
    id_words: frozenset[str]
    id_compound: re.Pattern[str]
    not_stated: frozenset[str]
    code_words: frozenset[str]
    """The "not stated" words that are codes in code columns ('na')."""
    months: dict[str, int]
    date_fillers: frozenset[str]
    kets: dict[str, str]
    """Names of each KET (slug, labels, aliases) -> slug; ``sectors`` likewise."""
    sectors: dict[str, str]
    comma_labels: dict[str, list[tuple[str, str]]]
    """Labels that contain commas (kept whole when a cell is split on commas)."""
    field_labels: dict[str, str]
    """Each field of ``TARGETS`` -> the label the upload dialog shows, in the dialog's order."""
    field_words: dict[str, str]
    """Each field -> the short word import messages use ('start date')."""
    project_fields: tuple[str, ...]
    """Fields of the project itself: repeated rows of one project must not contradict them."""
    partner_fields: tuple[str, ...]
    """Fields of a partner, name first; several partners in one row are aligned on them."""


def _words(table: schema.Table, taxonomy_dir: Path, column: str = "word") -> pd.Series:
    return load_vocabulary(table, taxonomy_dir)[column]


def _tag_names(taxonomy_dir: Path) -> tuple[dict[str, dict[str, str]], dict[str, list[tuple[str, str]]]]:
    """Folded name -> slug of every KET and sector (slug, labels, aliases), and the labels that
    contain commas. A later name wins over an earlier one, in the files' order."""
    names: dict[str, dict[str, str]] = {"kets": {}, "sectors": {}}
    comma: dict[str, list[tuple[str, str]]] = {"kets": [], "sectors": []}
    for kind, table, id_col, labels, aliases_table, alias_col in (
        ("kets", schema.KETS, "ket_id", ("label", "short_label"), schema.KET_ALIASES, "ket"),
        ("sectors", schema.SECTORS, "sector_id", ("label",), schema.SECTOR_ALIASES, "sector"),
    ):
        aliases = load_vocabulary(aliases_table, taxonomy_dir)
        alias_of = aliases.groupby(alias_col, sort=False)["alias"].agg(tuple).to_dict()
        for row in load_vocabulary(table, taxonomy_dir).to_dict("records"):
            slug = row[id_col]
            for text in (slug, *(row[c] for c in labels), *alias_of.get(slug, ())):
                names[kind][fold_words(text)] = slug
            comma[kind] += [(row[c], slug) for c in labels if "," in row[c]]
    return names, comma


@lru_cache(maxsize=4)
def _vocabulary(taxonomy_dir: Path = TAXONOMY_DIR) -> _Vocabulary:
    """The vocabularies of ``taxonomy_dir``, read once per process."""
    synonyms = load_vocabulary(schema.HEADER_SYNONYMS, taxonomy_dir)
    id_words = load_vocabulary(schema.HEADER_ID_WORDS, taxonomy_dir)
    not_stated = load_vocabulary(schema.NOT_STATED_WORDS, taxonomy_dir)
    months = load_vocabulary(schema.MONTH_NAMES, taxonomy_dir)

    def alternatives(kind: str) -> str:
        return "|".join(re.escape(w) for w in id_words.loc[id_words["kind"] == kind, "word"])

    names, comma = _tag_names(taxonomy_dir)
    fields = load_vocabulary(schema.SPREADSHEET_FIELD_LABELS, taxonomy_dir)
    missing = sorted(set(TARGETS) - set(fields["field"]))
    if missing:
        raise ImportFailure(f"{schema.SPREADSHEET_FIELD_LABELS.file} in {taxonomy_dir} has no row for "
                            f"{', '.join(missing)}")

    def part(name: str) -> tuple[str, ...]:
        return tuple(fields.loc[fields["part"] == name, "field"])

    return _Vocabulary(
        synonyms={str(f): tuple(group) for f, group in synonyms.groupby("field", sort=False)["header"]},
        id_words=frozenset(id_words.loc[id_words["kind"] == "id-word", "word"]),
        id_compound=re.compile(f"(?:{alternatives('compound-start')})(?:{alternatives('compound-end')})"),
        not_stated=frozenset(not_stated["word"]),
        code_words=frozenset(not_stated.loc[not_stated["code"] == "true", "word"]),
        months=dict(zip(months["word"], months["month"].astype(int), strict=True)),
        date_fillers=frozenset(_words(schema.DATE_FILLER_WORDS, taxonomy_dir)),
        kets=names["kets"], sectors=names["sectors"], comma_labels=comma,
        field_labels=dict(zip(fields["field"], fields["label"], strict=True)),
        field_words=dict(zip(fields["field"], fields["short_label"], strict=True)),
        project_fields=part("project"), partner_fields=part("partner"))


def mapping_fields(taxonomy_dir: Path = TAXONOMY_DIR) -> dict[str, str]:
    """Our fields a spreadsheet's columns can be mapped to, with the labels the upload dialog
    shows, in its order (``taxonomy/spreadsheet_fields.csv``)."""
    return dict(_vocabulary(taxonomy_dir).field_labels)


def _split_tags(cell: str, comma_labels: list[tuple[str, str]]) -> list[str]:
    """'Photonics; Health' or 'photonics, health' -> items; labels with commas stay whole."""
    if not cell:
        return []
    if ";" not in cell:
        for label, slug in comma_labels:
            cell = re.sub(re.escape(label), slug, cell, flags=re.IGNORECASE)
    return [t for t in re.split(r"\s*[;,\n]\s*", cell) if t.strip()]


# --- import -----------------------------------------------------------------------------------


@dataclass
class _Rows:
    """Per-row problems: a row with any is rejected once, with all its reasons."""

    problems: dict[int, list[tuple[str, str, str]]] = field(default_factory=dict)

    def add(self, row: int, column: str, reason: str, category: str = "") -> None:
        """``category`` is the reason without the cell's value, for the report's counts."""
        self.problems.setdefault(int(row), []).append((column, reason, category or reason))


def _check_mapping(mapping: dict[str, str], columns: list[str], name: str) -> dict[str, str]:
    clean = {t: c for t, c in mapping.items() if c}
    unknown = [t for t in clean if t not in TARGETS]
    if unknown:
        raise ImportFailure(f"{name}: unknown field(s) in the column mapping: {', '.join(unknown)} "
                            f"(known: {', '.join(TARGETS)})")
    if "acronym" not in clean:
        raise ImportFailure(f"{name}: the column mapping must say which column holds the project "
                            "acronym (field 'acronym')")
    missing = [f"'{c}' (for {t})" for t, c in clean.items() if c not in columns]
    if missing:
        raise ImportFailure(f"{name}: the mapping names column(s) the file does not have: "
                            f"{', '.join(missing)}. The file's columns are: "
                            + ", ".join(f"'{c}'" for c in columns))
    return clean


def _source_row(name: str, kind: str) -> tuple[str, dict[str, str]]:
    source_id = slugify(name) or "spreadsheet-import"
    return source_id, {
        "source_id": source_id, "kind": "import",
        "title": f"{name}, imported {dt.date.today().isoformat()}",
        "url": "", "note": f"Spreadsheet import ({kind}); each record quotes its file line.",
    }


def import_spreadsheet(
    path: Path,
    mapping: dict[str, str],
    report: ImportReport,
    sheet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    match_threshold: int | None = None,
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """The tables of the normalized format (``data/FORMAT.md``) from one spreadsheet, and the
    source documents to keep beside them (none: a spreadsheet is cited by file line).

    ``mapping`` is our field -> the file's column (see ``TARGETS``; ``acronym`` is required).
    Rows are imported or rejected into ``report``; raises ImportFailure when the file cannot be
    imported at all (wrong kind, empty, unknown sheet, mapping that does not fit the file)."""
    tables, _ = _run(Path(path), mapping, report, sheet, max_bytes, match_threshold)
    return tables, {}


def _run(path: Path, mapping: dict[str, str], report: ImportReport, sheet: str | None,
         max_bytes: int, match_threshold: int | None = None) -> tuple[dict[str, pd.DataFrame], _Importer]:
    try:
        tables, importer = _import_rows(path, mapping, report, sheet, max_bytes, match_threshold)
    except ImportFailure as exc:
        log.warning("spreadsheet import refused: %s", exc)
        raise
    log_files(log, report.files[-1:])
    return tables, importer


def _import_rows(path: Path, mapping: dict[str, str], report: ImportReport, sheet: str | None,
                 max_bytes: int, match_threshold: int | None) -> tuple[dict[str, pd.DataFrame], _Importer]:
    name = path.name
    if "acronym" not in {t for t, c in mapping.items() if c}:
        raise ImportFailure(f"{name}: the column mapping must say which column holds the project "
                            "acronym (field 'acronym')")
    entry = FileReport(name, "spreadsheet")
    table = _read(path, entry, sheet, max_bytes)
    mapping = _check_mapping(mapping, list(table.frame.columns), name)
    try:
        rules = tagging.load_rules()
    except tagging.RulesError as exc:
        raise ImportFailure(str(exc)) from exc
    importer = _Importer(table, mapping, entry, report, name)
    if match_threshold is not None:
        importer.match_threshold = match_threshold
    tables, accepted = importer.run(rules)
    entry.rows_imported = accepted
    if not entry.balanced:
        raise AssertionError(f"{name}: read {entry.rows_read} rows, imported {entry.rows_imported}, "
                             f"rejected {entry.rows_rejected}: a row was lost")
    # The file joins the report only once every row is accounted for; a file refused as a whole
    # raised ImportFailure above and leaves no half-counted entry.
    report.files.append(entry)
    return tables, importer


DRY_RUN_REJECTIONS = 20
DRY_RUN_TEXT = 100


def dry_run(
    path: Path,
    mapping: dict[str, str],
    report: ImportReport,
    guessed: Iterable[str] = (),
    sheet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    rows: int = 10,
) -> str:
    """What importing ``path`` with ``mapping`` would do, as text for the terminal; writes nothing.

    The mapping (each field, its column, given or ``guessed``), the first ``rows`` rows that would
    be imported with their values as they would be stored (ISO dates, amounts, country codes,
    roles), the rows that would be rejected and why, and the report's notes and warnings.
    Raises ImportFailure, as ``import_spreadsheet`` does, for a file that cannot be imported."""
    path = Path(path)
    tables, importer = _run(path, mapping, report, sheet, max_bytes)
    entry = report.files[-1]
    guessed = set(guessed)
    lines = [f"Dry run of {path.name} ({entry.kind}): nothing was written.",
             f"{entry.rows_read} rows read: {entry.rows_imported} would be imported, "
             f"{entry.rows_rejected} rejected.", "", "Column mapping (our field <- your column):"]
    width = max(len(t) for t in importer.mapping)
    column_width = max(len(repr(c)) for c in importer.mapping.values())
    for target in TARGETS:
        if target in importer.mapping:
            how = "GUESSED from the header" if target in guessed else "given"
            lines.append(f"  {target.ljust(width)} <- {repr(importer.mapping[target]).ljust(column_width)}"
                         f"  {how}")
    if guessed & set(importer.mapping):
        lines.append("  (check the GUESSED ones; override with --map FIELD=COLUMN, or --no-guess)")
    unused = [c for c in importer.frame.columns if c not in importer.mapping.values()]
    if unused:
        lines.append("Columns not imported: " + ", ".join(f"{c!r}" for c in unused))
    accepted = importer.fields[~importer.fields.index.isin(list(importer.rejected))]
    projects = accepted.replace("", pd.NA).groupby("project_id").first().fillna("")
    shown = accepted.index[:max(rows, 0)]
    lines += ["", f"First {len(shown)} of {entry.rows_imported} rows as they would be imported:"]
    for row in shown:
        lines += importer.describe(row, projects)
    if entry.rejections:
        lines += ["", f"Rows that would be rejected: {entry.rows_rejected}, by reason:"]
        lines += [f"  {n} x {reason}" for reason, n in entry.rejections_by_reason().items()]
        lines.append(f"The first {min(entry.rows_rejected, DRY_RUN_REJECTIONS)}:")
        lines += [f"  line {r.line}, column {r.column!r}: {r.reason}"
                  for r in entry.rejections[:DRY_RUN_REJECTIONS]]
        if entry.rows_rejected > DRY_RUN_REJECTIONS:
            lines.append(f"  ... and {entry.rows_rejected - DRY_RUN_REJECTIONS} more")
    else:
        lines += ["", "Rows that would be rejected: 0"]
    lines += ["", f"Would write: {len(tables['projects'])} projects, {len(tables['organisations'])} "
              f"organisations, {len(tables['participations'])} participations; "
              f"{report.inferred_tags} tags inferred by rules, "
              f"{len(report.merged_organisations)} organisation merge(s)."]
    if entry.notes:
        lines += ["Notes:"] + [f"  {n}" for n in entry.notes]
    if report.warnings:
        lines += ["Warnings:"] + [f"  {w}" for w in report.warnings]
    return "\n".join(lines)


class _Importer:
    """One spreadsheet's rows turned into tables; the steps share the frame and the problems."""

    def __init__(self, table: _Sheet, mapping: dict[str, str], entry: FileReport,
                 report: ImportReport, name: str) -> None:
        self.frame = table.frame.reset_index(drop=True)
        self.lines = pd.Series(table.lines, index=self.frame.index)
        self.numeric = table.numeric
        self.mapping = mapping
        self.entry = entry
        self.report = report
        self.name = name
        self.source_id, self.source = _source_row(name, table.kind)
        self.rows = _Rows()
        self.match_threshold = DEFAULT_MATCH_THRESHOLD
        self.locator = self.lines.map(lambda n: f"{name} line {n}")
        self.cells = self._read_not_stated()
        # Kept after run() for a dry run, which shows rows as they would be imported.
        self.fields = pd.DataFrame()
        self.partner_rows = pd.DataFrame()
        self.loose_countries = pd.DataFrame()
        self.tag_rows: dict[str, pd.DataFrame] = {}
        self.rejected: set[int] = set()

    def _read_not_stated(self) -> dict[str, pd.Series]:
        """The mapped columns' cells, stripped, with "not stated" words read as empty; the
        notes count them per column."""
        words = _vocabulary()
        cells: dict[str, pd.Series] = {}
        noted: set[str] = set()
        for target, column in self.mapping.items():
            raw = self.frame[column].astype(str).str.strip()
            folded = raw.str.casefold()
            code = target in CODE_TARGETS
            empty = folded.isin(words.not_stated - words.code_words if code else words.not_stated)
            cells[target] = raw.where(~empty, "")
            if column in noted:
                continue
            noted.add(column)
            if empty.any():
                spellings = raw[empty].value_counts(sort=False)
                listed = ", ".join(f"'{w}' x{n}" for w, n in spellings.items())
                self.entry.notes.append(f"column '{column}': {int(empty.sum())} cell(s) read as empty "
                                        f"(not stated): {listed}")
            kept = folded.isin(words.code_words)
            if code and kept.any():
                meaning = "Namibia's country code" if target == "partner_country" else "an id"
                self.entry.notes.append(f"column '{column}': 'NA' kept as {meaning} in "
                                        f"{int(kept.sum())} cell(s), not read as empty")
        return cells

    def cell(self, target: str) -> pd.Series:
        if target not in self.cells:
            return pd.Series("", index=self.frame.index, dtype=object)
        return self.cells[target]

    def column(self, target: str) -> str:
        return self.mapping.get(target, target)

    def warn(self, row: int, target: str, message: str) -> None:
        self.report.warnings.append(f"{self.name}, line {self.lines[row]}, column "
                                    f"'{self.mapping[target]}': {message}")

    # -- project fields --

    def project_fields(self) -> pd.DataFrame:
        out = pd.DataFrame(index=self.frame.index)
        acronym = self.cell("acronym")
        written = self.frame[self.column("acronym")].astype(str).str.strip()
        for row in acronym.index[acronym == ""]:
            reason = "the acronym is empty"
            if written[row]:
                reason += f" ({written[row]!r} means not stated)"
            self.rows.add(row, self.column("acronym"), reason, "the acronym is empty")
        out["acronym"] = acronym
        given = self.cell("project_id")
        out["project_id"] = _slug_or_hash(given.where(given != "", acronym), "project")
        out["external_id"] = given
        for target in ("title", "summary", "url", "programme"):
            out[target] = self.cell(target)
        out["programme_id"] = _slug_or_hash(out["programme"], "programme")
        for target in ("start_date", "end_date"):
            values = self.cell(target)
            numeric = None
            if self.numeric is not None and target in self.mapping:
                numeric = self.numeric[self.mapping[target]]
            iso, error, note = _parse_dates(values, numeric)
            word = _vocabulary().field_words[target]
            if note:
                self.entry.notes.append(f"column '{self.column(target)}' ({word}): {note}")
            for row in error.index[error != ""]:
                self.rows.add(row, self.column(target), f"{word} {values[row]!r}: {error[row]}",
                              f"{word}: {error[row]}")
            out[target] = iso
        # The loader refuses a dataset whose project ends before it starts: reject the row here.
        reversed_ = (last_day(out["end_date"]) < first_day(out["start_date"])).fillna(False)
        for row in out.index[reversed_]:
            self.rows.add(row, self.column("end_date"), f"ends before it starts: end "
                          f"{out.at[row, 'end_date']!s}, start {out.at[row, 'start_date']!s}")
        for target in ("budget_eur", "eu_contribution_eur"):
            values = self.cell(target)
            amount, error = _parse_money(values)
            word = _vocabulary().field_words[target]
            for row in error.index[error != ""]:
                self.rows.add(row, self.column(target), f"{word} {values[row]!r}: {error[row]}",
                              f"{word}: {error[row]}")
            out[target] = amount.where(error == "", "")
        return out

    # -- partners --

    def partners(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(one row per named partner, one row per country named without its partner)."""
        lists = {t: self.cell(t).str.split(LIST_SPLIT, regex=True).map(
            lambda items: [i for i in items if i]) for t in _vocabulary().partner_fields}
        counts = {t: s.map(len) for t, s in lists.items()}
        names = lists["partner_name"]
        n = counts["partner_name"]
        aligned = {t: (counts[t] == n) & (n > 0) for t in _vocabulary().partner_fields[1:]}
        loose_countries = (counts["partner_country"] > 0) & ~aligned["partner_country"]
        self._note_misaligned(loose_countries & (n > 0), counts, "partner_country",
                              "the countries were recorded for the project, not for each partner")
        for target in ("partner_role", "partner_city"):
            self._note_misaligned((counts[target] > 0) & ~aligned[target] & (n > 0), counts, target,
                                  f"the {'cities' if target == 'partner_city' else 'roles'} were left out")
        blank: pd.Series = pd.Series([[]] * len(names), index=names.index, dtype=object)
        frame = pd.DataFrame({
            "row": names.index, "name": names,
            "country": lists["partner_country"].where(aligned["partner_country"], blank),
            "role": lists["partner_role"].where(aligned["partner_role"], blank),
            "city": lists["partner_city"].where(aligned["partner_city"], blank),
        })
        for column in ("country", "role", "city"):
            frame[column] = [value if value else [""] * len(k) for value, k in zip(frame[column], names,
                                                                                   strict=True)]
        exploded = frame[n > 0].explode(["name", "country", "role", "city"], ignore_index=True)
        exploded = exploded.fillna("").astype({"row": int})
        exploded = self._roles(exploded)
        exploded["country"] = self._countries(exploded["country"], exploded["row"], "partner_country")
        loose = pd.DataFrame({"row": lists["partner_country"].index, "country": lists["partner_country"]})
        loose = loose[loose_countries].explode("country", ignore_index=True).astype({"row": int})
        loose["country"] = self._countries(loose["country"], loose["row"], "partner_country")
        return exploded, loose

    def _note_misaligned(self, rows: pd.Series, counts: dict[str, pd.Series], target: str,
                         consequence: str) -> None:
        if not rows.any():
            return
        first = int(rows.to_numpy().argmax())
        word = _vocabulary().field_words[target]
        self.entry.notes.append(
            f"{int(rows.sum())} row(s) list a number of {word} values that does "
            f"not match their partners (e.g. line {self.lines.iat[first]}: {counts[target].iat[first]} for "
            f"{counts['partner_name'].iat[first]} partners); {consequence}")

    def _roles(self, partners: pd.DataFrame) -> pd.DataFrame:
        # 'Fraunhofer (coordinator)': a role word in brackets after the name is the role.
        bracket = partners["name"].str.extract(r"^(.*\S)\s*\(([^()]*)\)$")
        bracket_word = bracket[1].fillna("")
        bracket_role = _map_unique(bracket_word, lambda w: role_of_word(w) or "")
        use = bracket_role != ""
        partners.loc[use, "name"] = bracket.loc[use, 0]
        words = partners["role"]
        roles = _map_unique(words, lambda w: role_of_word(w) if w else "")
        unknown = roles.isna()
        # One warning per word, not per row: an export with thousands of rows says it once.
        for word, rows in partners.loc[unknown, "row"].groupby(words[unknown], sort=False):
            self.report.warnings.append(
                f"{self.name}, column '{self.mapping['partner_role']}': role {word!r} is not one of "
                f"ours (data/taxonomy/roles.csv); kept as role 'other', as stated ({len(rows)} "
                f"row(s), first line {self.lines[rows.iloc[0]]})")
        roles = roles.fillna(OTHER_ROLE)
        from_bracket = (roles == "") & use
        partners["role"] = roles.where(~from_bracket, bracket_role)
        partners["role_stated"] = words.where(~from_bracket, bracket_word)
        return partners

    def _countries(self, values: pd.Series, rows: pd.Series, target: str) -> pd.Series:
        known = {v: to_iso2(v) for v in values.unique() if v}
        codes = values.map(lambda v: known.get(v) if v else "")
        for index in values.index[codes.isna()]:
            self.rows.add(rows[index], self.column(target), f"unknown country {values[index]!r}",
                          "unknown country")
        return codes.fillna("")

    # -- tags --

    def tags(self, vocabulary: _Vocabulary) -> dict[str, pd.DataFrame]:
        """Curated tags named in the kets / sectors columns, one row per (row, slug)."""
        out = {}
        for target, column, label in (("kets", "ket", "KET"), ("sectors", "sector", "sector")):
            known = getattr(vocabulary, target)
            items = self.cell(target).map(lambda c, t=target: _split_tags(c, vocabulary.comma_labels[t]))
            items = items.explode().dropna()
            slug_of = {v: known.get(fold_words(v)) for v in items.unique()}
            slugs = items.map(slug_of)
            unknown = items[slugs.isna()]
            for row, item in zip(unknown.index.tolist(), unknown, strict=True):
                self.warn(row, target, f"{label} {item!r} is not in the taxonomy "
                          f"(data/taxonomy/{target}.csv); tag dropped, row imported")
            good = slugs.dropna()
            out[column] = pd.DataFrame({"row": good.index.astype(int), column: good.to_numpy()})
        return out

    # -- conflicts between rows of one project --

    def conflicts(self, fields: pd.DataFrame, ok: pd.Series) -> None:
        accepted = fields[ok]
        for target in _vocabulary().project_fields:
            if target not in self.mapping:
                continue
            values = accepted[target]
            word = _vocabulary().field_words[target]
            filled = values != ""
            first_value = values[filled].groupby(accepted.loc[filled, "project_id"]).first()
            first_row = values[filled].index.to_series().groupby(accepted.loc[filled, "project_id"]).first()
            expected = accepted["project_id"].map(first_value)
            clash = filled & expected.notna() & (values != expected)
            for row in accepted.index[clash]:
                project = str(accepted.at[row, "project_id"])
                other = first_row[project]
                self.rows.add(row, self.column(target),
                              f"same project id '{project}' as line "
                              f"{self.lines[other]}, but the {word} differs "
                              f"({values[row]!r} here, {values[other]!r} there); map a project id "
                              "column if these are different projects",
                              f"same project id as an earlier row, but the {word} differs")

    # -- a row as it would be imported (dry run) --

    def describe(self, row: int, projects: pd.DataFrame) -> list[str]:
        """One input row's values as they would be stored, for the dry run. A project field
        left blank on this row but given on another row of the project (``projects``: the
        project fields by project id) says so, since the project takes it from there."""
        fields = self.fields.loc[row]
        out = [f"  line {self.lines[row]}", f"    project_id: {fields['project_id']}"]
        for target in ("acronym", "title", "programme", "start_date", "end_date", "budget_eur",
                       "eu_contribution_eur", "summary", "url"):
            if target not in self.mapping:
                continue
            value = str(fields[target])
            if len(value) > DRY_RUN_TEXT:
                value = value[:DRY_RUN_TEXT] + "..."
            if target == "programme" and value:
                value += f" (programme_id {fields['programme_id']})"
            elsewhere = str(projects.at[str(fields["project_id"]), target]) if not value else ""
            if elsewhere:
                value = f"blank on this row; the project's, from another row: {elsewhere}"
            out.append(f"    {target}: {value or 'not stated'}")
        partners = self.partner_rows[self.partner_rows["row"] == row]
        for name, country, role, stated, city in zip(
                partners["name"], partners["country"], partners["role"], partners["role_stated"],
                partners["city"], strict=True):
            parts = [f"    partner: {name}"]
            if "partner_country" in self.mapping:
                parts.append(f"country {country or 'not stated'}")
            if role or stated:
                parts.append(f"role {role or 'not stated'} (as stated: {stated!r})")
            elif "partner_role" in self.mapping:
                parts.append("role not stated")
            if "partner_city" in self.mapping:
                parts.append(f"city {city or 'not stated'}")
            out.append(", ".join(parts))
        countries = self.loose_countries.loc[self.loose_countries["row"] == row, "country"]
        if len(countries):
            out.append(f"    countries of the project: {', '.join(countries)}")
        for column, tags in self.tag_rows.items():
            slugs = tags.loc[tags["row"] == row, column]
            if len(slugs):
                out.append(f"    {column}s: {', '.join(slugs)}")
        return out

    # -- all together --

    def run(self, rules: pd.DataFrame) -> tuple[dict[str, pd.DataFrame], int]:
        fields = self.project_fields()
        partners, loose = self.partners()
        tags = self.tags(_vocabulary())
        self.conflicts(fields, pd.Series(~fields.index.isin(list(self.rows.problems)), index=fields.index))
        rejected = set(self.rows.problems)
        for row in sorted(rejected):
            problems = self.rows.problems[row]
            self.entry.reject(int(self.lines[row]), problems[0][0], "; ".join(p[1] for p in problems),
                              {str(k): str(v) for k, v in self.frame.loc[row].items()},
                              "; ".join(p[2] for p in problems))
        self.fields, self.partner_rows, self.loose_countries = fields, partners, loose
        self.tag_rows, self.rejected = tags, rejected
        ok = ~fields.index.isin(list(rejected))
        tables = self.tables(fields[ok], partners[~partners["row"].isin(rejected)],
                             loose[~loose["row"].isin(rejected)],
                             {k: v[~v["row"].isin(rejected)] for k, v in tags.items()}, rules)
        return tables, int(ok.sum())

    def tables(self, fields: pd.DataFrame, partners: pd.DataFrame, loose: pd.DataFrame,
               tags: dict[str, pd.DataFrame], rules: pd.DataFrame) -> dict[str, pd.DataFrame]:
        out = empty_tables()
        source, quote = self.source_id, self.locator
        out["sources"] = pd.DataFrame([self.source])
        fields = fields.assign(source=source, quote=quote[fields.index], kind="project")
        filled = fields.replace("", pd.NA)
        projects = filled.groupby("project_id", sort=False).first().reset_index().fillna("")
        out["projects"] = conform("projects", projects)
        programmes = fields[fields["programme_id"] != ""].drop_duplicates("programme_id")
        out["programmes"] = conform("programmes", programmes.rename(columns={"programme": "name"}))

        partners = partners[partners["name"] != ""].copy()
        partners["project_id"] = fields["project_id"].reindex(partners["row"]).to_numpy()
        partners["quote"] = quote.reindex(partners["row"]).to_numpy()
        orgs, parts = self._organisations(partners)
        orgs, parts, merged = merge_organisations(conform("organisations", orgs),
                                                  conform("participations", parts),
                                                  threshold=self.match_threshold)
        self.report.merged_organisations += merged
        out["organisations"], out["participations"] = orgs, parts

        loose = loose.assign(project_id=fields["project_id"].reindex(loose["row"]).to_numpy(),
                             quote=quote.reindex(loose["row"]).to_numpy(), role="", source=source)
        out["project_countries"] = conform(
            "project_countries", loose.drop_duplicates(["project_id", "country", "role"]))

        for column, table in (("ket", "project_kets"), ("sector", "project_sectors")):
            frame = tags[column].assign(
                project_id=fields["project_id"].reindex(tags[column]["row"]).to_numpy(),
                quote=quote.reindex(tags[column]["row"]).to_numpy(), origin="curated", source=source)
            out[table] = conform(table, frame.drop_duplicates(["project_id", column]))
        kets, sectors = tagging.infer_tags(projects, rules, source, existing_kets=out["project_kets"],
                                           existing_sectors=out["project_sectors"])
        self.report.inferred_tags += len(kets) + len(sectors)
        out["project_kets"] = conform("project_kets", pd.concat([out["project_kets"], kets]))
        out["project_sectors"] = conform("project_sectors", pd.concat([out["project_sectors"], sectors]))
        self.report.tagging = tagging.tagging_summary(projects, out["project_kets"], out["project_sectors"])
        return out

    def _organisations(self, partners: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """One record per distinct spelling and country (merged further by orgmerge)."""
        source = self.source_id
        partners = partners.assign(key=partners["name"] + "\x1f" + partners["country"])
        firsts = partners.replace("", pd.NA).groupby("key", sort=False).first().fillna("").reset_index()
        # The country in the id keeps two namesakes in different countries apart, also when this
        # import is merged into a dataset that already has one of them.
        base = _slug_or_hash(firsts["name"], "organisation") + firsts["country"].str.lower().map(
            lambda c: f"-{c}" if c else "")
        ids = _unique(base)
        firsts["organisation_id"] = ids
        has_country = firsts["country"] != ""
        orgs = firsts.assign(source=source,
                             country_source=has_country.map({True: source, False: ""}),
                             country_quote=firsts["quote"].where(has_country, ""))
        parts = partners.assign(organisation_id=partners["key"].map(dict(zip(firsts["key"], ids,
                                                                             strict=True))),
                                source=source)
        return orgs, parts

