"""Read and validate a dataset folder; refuse bad data with file, line and field.

``load_tables(path)`` reads every CSV of the normalized format (``data/FORMAT.md``) as text, so
nothing is coerced or lost on the way in, and checks it against the declarations in
``data/io/schema.py`` and the references between files. ``data.engine.model.load_dataset``
indexes what it returns. Any problem raises ``DatasetError`` listing all of them.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pandera
import pyarrow as pa
import pyarrow.compute as pc

from data.io import schema
from data.io.columns import contiguous
from data.io.countries import to_iso2
from data.io.dates import interval_bounds
from data.io.paths import TAXONOMY_DIR

MAX_PROBLEMS_SHOWN = 50


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as the input allows."""

    file: str
    message: str
    line: int | None = None
    field: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.field:
            where += f", field '{self.field}'"
        shown = "" if self.value is None else f" (value: {self.value[:80]!r})"
        return f"{where}: {self.message}{shown}"


class DatasetError(Exception):
    """The dataset cannot be loaded; ``problems`` says every reason found."""

    def __init__(self, folder: Path, problems: list[Problem]) -> None:
        self.folder = folder
        self.problems = problems
        listed = "\n".join(f"  - {p}" for p in problems[:MAX_PROBLEMS_SHOWN])
        more = len(problems) - MAX_PROBLEMS_SHOWN
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(
            f"Dataset {folder} has {len(problems)} problem(s) and was not loaded:\n{listed}{tail}"
        )


def _line_numbers(path: Path) -> list[int]:
    """File line of each data row (header = line 1); quoted cells may span lines. Blank lines
    are skipped, as pandas skips them, so row i of the frame is lines[i]."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        lines = []
        start = reader.line_num + 1
        for row in reader:
            if row:
                lines.append(start)
            start = reader.line_num + 1
    return lines


def _read_csv(folder: Path, table: schema.Table) -> tuple[pd.DataFrame, list[Problem]]:
    path = folder / table.file
    empty = pd.DataFrame({c: pd.Series(dtype=str) for c in table.columns})
    if not path.exists():
        if table.required_file:
            return empty, [Problem(table.file, f"file is missing from {folder}")]
        return empty, []
    try:
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skipinitialspace=False
        )
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        return empty, [Problem(table.file, "is not UTF-8 text: save it as UTF-8 "
                               f"(first bad byte at offset {exc.start})", line)]
    except pd.errors.EmptyDataError:
        return empty, [Problem(table.file, "is empty: it needs at least the header row")]
    except pd.errors.ParserError as exc:
        line = re.search(r"line (\d+)", str(exc))
        return empty, [
            Problem(table.file, f"is not valid CSV: {exc}", int(line.group(1)) if line else None)
        ]
    problems = [
        Problem(table.file, "unknown column: not part of the format, so it would be lost", 1, c)
        for c in frame.columns
        if c not in table.columns
    ]
    required = {f.name for f in table.fields if f.required}
    for column in table.columns:
        if column not in frame.columns:
            if column in required:
                problems.append(Problem(table.file, "required column is missing", 1, column))
            frame[column] = ""
    frame = frame[list(table.columns)].apply(lambda s: contiguous(s.str.strip()))
    return frame.reset_index(drop=True), problems


def _normalise_countries(frame: pd.DataFrame, table: schema.Table) -> list[tuple[int, str, str]]:
    """Rewrite country cells to ISO alpha-2 in place; return (row, field, value) not understood."""
    unknown: list[tuple[int, str, str]] = []
    for field in table.fields:
        if field.kind != "country":
            continue
        values = frame[field.name]
        distinct = values[values != ""].unique()
        mapping = {v: to_iso2(v) for v in distinct}
        bad = {v for v, code in mapping.items() if code is None}
        for row in values.index[values.isin(bad)]:
            unknown.append((int(row), field.name, values[row]))
        frame[field.name] = values.map(lambda v, known=mapping: known.get(v) or v if v else "")
    return unknown


def _schema_problems(frame: pd.DataFrame, table: schema.Table) -> list[tuple[int | None, str, str, str]]:
    try:
        schema.pandera_schema(table).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        found = []
        for case in cases.itertuples(index=False):
            row = None if pd.isna(case.index) else int(case.index)
            check = str(case.check)
            if check == "multiple_fields_uniqueness":
                check = f"duplicate key ({', '.join(table.key)}): another row has the same values"
            found.append((row, str(case.column), check, str(case.failure_case)))
        # Uniqueness reports every column of the key; one line per row is enough.
        unique = list(dict.fromkeys(found))
        return [p for i, p in enumerate(unique) if not (p[2].startswith("duplicate") and any(
            q[0] == p[0] and q[2] == p[2] for q in unique[:i]))]
    return []


def _check_table(frame: pd.DataFrame, table: schema.Table, folder: Path) -> list[Problem]:
    found = [(row, name, "unknown country", value) for row, name, value in
             _normalise_countries(frame, table)]
    found += _schema_problems(frame, table)
    if not found:
        return []
    lines = _line_numbers(folder / table.file)
    return [
        Problem(table.file, message, lines[row] if row is not None and row < len(lines) else None,
                field, value)
        for row, field, message, value in found
    ]


def _is_in(values: pd.Series, known: pd.Series) -> np.ndarray:
    """``values.isin(known)`` through Arrow's hash kernel: several times faster on a million
    string cells than pandas' isin, which turns the target into a Python list."""
    found = pc.is_in(pa.array(values.astype(str)), value_set=pa.array(known.astype(str).unique()))
    return found.to_numpy(zero_copy_only=False)


def _check_references(
    tables: dict[str, pd.DataFrame], declared: Iterable[schema.Table], folder: Path
) -> list[Problem]:
    problems: list[Problem] = []
    for table in declared:
        frame = tables[table.name]
        for field in table.fields:
            if not field.ref or frame.empty:
                continue
            target_table, target_column = field.ref.split(".")
            known = tables[target_table][target_column]
            values = frame[field.name]
            missing = values.index[(values != "") & ~_is_in(values, known)]
            if len(missing):
                lines = _line_numbers(folder / table.file)
                problems += [
                    Problem(table.file, f"refers to a {target_column} that {target_table}.csv "
                            "does not have", lines[row], field.name, values[row])
                    for row in missing
                ]
    return problems


def _check_date_order(frame: pd.DataFrame, table: schema.Table, folder: Path) -> list[Problem]:
    if frame.empty or "start_date" not in frame or "end_date" not in frame:
        return []
    start_first, _ = interval_bounds(frame["start_date"])
    _, end_last = interval_bounds(frame["end_date"])
    wrong = frame.index[(end_last < start_first).fillna(False)]
    if not len(wrong):
        return []
    lines = _line_numbers(folder / table.file)
    return [
        Problem(table.file, f"ends before it starts (start {frame.at[row, 'start_date']})",
                lines[row], "end_date", frame.at[row, "end_date"])
        for row in wrong
    ]


def _fold_space(text: str) -> str:
    return " ".join(text.split())


def _check_quotes(tables: dict[str, pd.DataFrame], folder: Path) -> list[Problem]:
    """Every quote citing a seed document must stand in that document, word for word."""
    sources = tables["sources"]
    seed_ids = sources.loc[sources["kind"] == "seed", "source_id"]
    problems: list[Problem] = []
    texts: dict[str, str] = {}
    for source_id in seed_ids:
        path = folder / "sources" / source_id
        if not path.exists():
            problems.append(Problem("sources.csv", f"seed document sources/{source_id} is missing",
                                    None, "source_id", source_id))
            continue
        try:
            texts[source_id] = _fold_space(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            problems.append(Problem("sources.csv", f"seed document sources/{source_id} is not "
                                    "UTF-8 text", None, "source_id", source_id))
    for table in schema.DATASET_TABLES:
        frame = tables[table.name]
        pairs = [("source", "quote"), ("country_source", "country_quote")]
        for source_col, quote_col in pairs:
            if source_col not in frame or frame.empty:
                continue
            cited = frame[frame[source_col].isin(texts.keys()) & (frame[quote_col] != "")]
            bad = [row for row in cited.index
                   if _fold_space(cited.at[row, quote_col]) not in texts[cited.at[row, source_col]]]
            if bad:
                lines = _line_numbers(folder / table.file)
                problems += [
                    Problem(table.file, f"quote is not found in {frame.at[row, source_col]}",
                            lines[row], quote_col, frame.at[row, quote_col])
                    for row in bad
                ]
    return problems


def read_source_text(folder: Path, source_id: str) -> str | None:
    """The text of a seed document kept beside the dataset, or None if there is none.

    Only ids that match the source-id rule are looked up, so no path can leave ``sources/``."""
    if len(source_id) > 200 or not re.fullmatch(schema.SOURCE_ID_RE, source_id):
        return None
    path = folder / "sources" / source_id
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8", errors="replace")


def _read_all(
    folder: Path, declared: Iterable[schema.Table]
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for table in declared:
        frame, read_problems = _read_csv(folder, table)
        problems += read_problems
        if not read_problems:
            problems += _check_table(frame, table, folder)
            problems += _check_date_order(frame, table, folder)
        tables[table.name] = frame
    return tables, problems


def load_tables(folder: Path, taxonomy_dir: Path = TAXONOMY_DIR) -> dict[str, pd.DataFrame]:
    """Validated tables of a dataset and the taxonomies, keyed by table name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DatasetError(folder, [Problem(str(folder), "is not a folder")])
    taxonomy, problems = _read_all(taxonomy_dir, schema.TAXONOMY_TABLES)
    if not problems:
        problems += _check_references(taxonomy, schema.TAXONOMY_TABLES, taxonomy_dir)
    if problems:
        raise DatasetError(taxonomy_dir, problems)
    tables, problems = _read_all(folder, schema.DATASET_TABLES)
    if not problems:
        context = {**tables, "kets": taxonomy["kets"], "sectors": taxonomy["sectors"],
                   "roles": taxonomy["roles"]}
        problems += _check_references(context, schema.DATASET_TABLES, folder)
        problems += _check_quotes(tables, folder)
    if problems:
        raise DatasetError(folder, problems)
    tables["kets"] = taxonomy["kets"]
    tables["sectors"] = taxonomy["sectors"]
    tables["roles"] = taxonomy["roles"]
    tables["reference_sources"] = taxonomy["sources"]
    return tables


def load_vocabulary(table: schema.Table, taxonomy_dir: Path = TAXONOMY_DIR) -> pd.DataFrame:
    """One validated vocabulary file of the taxonomy folder (e.g. ``cordis_columns.csv``) that
    the importers use. Raises DatasetError naming every problem."""
    tables, problems = _read_all(Path(taxonomy_dir), (table,))
    if problems:
        raise DatasetError(Path(taxonomy_dir), problems)
    return tables[table.name]
