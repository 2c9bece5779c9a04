"""Read and validate a dataset folder; refuse bad data with file, line and field.

``load_tables(path)`` reads every CSV of the normalized format (``data/FORMAT.md``) as text, so
nothing is coerced or lost on the way in, and checks it against the declarations in
``data/io/schema.py`` and the references between files. ``data.engine.model.load_dataset``
indexes what it returns. Any problem raises ``DatasetError`` listing all of them.
"""

from __future__ import annotations

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
from data.io.lines import file_row_lines
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


def _read_csv(path: Path, table: schema.Table) -> tuple[pd.DataFrame, list[Problem]]:
    """The file as an all-text frame with the table's columns; problems name it by file name
    (``table.file``, unless a vocabulary is read from another path)."""
    name = path.name
    empty = pd.DataFrame({c: pd.Series(dtype=str) for c in table.columns})
    if not path.exists():
        if table.required_file:
            return empty, [Problem(name, f"file is missing from {path.parent}")]
        return empty, []
    try:
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skipinitialspace=False
        )
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        return empty, [Problem(name, "is not UTF-8 text: save it as UTF-8 "
                               f"(first bad byte at offset {exc.start})", line)]
    except pd.errors.EmptyDataError:
        return empty, [Problem(name, "is empty: it needs at least the header row")]
    except pd.errors.ParserError as exc:
        found = re.search(r"line (\d+)", str(exc))
        return empty, [
            Problem(name, f"is not valid CSV: {exc}", int(found.group(1)) if found else None)
        ]
    problems = [
        Problem(name, "unknown column: not part of the format, so it would be lost", 1, c)
        for c in frame.columns
        if c not in table.columns
    ]
    required = {f.name for f in table.fields if f.required}
    for column in table.columns:
        if column not in frame.columns:
            if column in required:
                problems.append(Problem(name, "required column is missing", 1, column))
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


Found = tuple[int | None, str, str, str]
"""A problem before its line is known: (row of the frame, field, message, value)."""


def _schema_problems(frame: pd.DataFrame, table: schema.Table) -> list[Found]:
    try:
        schema.pandera_schema(table).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        found: list[Found] = []
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


def _row_check_problems(frame: pd.DataFrame, table: schema.Table) -> list[Found]:
    found: list[Found] = []
    for check in table.checks:
        reasons = check.reasons(frame)
        for row in reasons.index[reasons != ""]:
            found.append((int(row), check.field, str(reasons[row]), str(frame.at[row, check.field])))
    return found


def _name_other_lines(found: list[Found], frame: pd.DataFrame, table: schema.Table,
                      lines: list[int]) -> list[Found]:
    """Duplicate-key messages name the line(s) of the other row(s) with the same key."""
    if not any(message.startswith("duplicate key") for _, _, message, _ in found):
        return found
    group = frame.groupby(list(table.key), sort=False).ngroup()
    rows_of: dict[int, list[int]] = {}
    for row_of_group, number in enumerate(group.to_numpy()):
        rows_of.setdefault(int(number), []).append(row_of_group)
    out: list[Found] = []
    for row, field, message, value in found:
        if row is not None and message.startswith("duplicate key"):
            others = [lines[i] for i in rows_of[int(group.to_numpy()[row])] if i != row and i < len(lines)]
            if others:
                message += f" (line {', '.join(map(str, others))})"
        out.append((row, field, message, value))
    return out


def _check_table(frame: pd.DataFrame, table: schema.Table, path: Path) -> list[Problem]:
    found: list[Found] = [(row, name, "unknown country", value) for row, name, value in
                          _normalise_countries(frame, table)]
    found += _schema_problems(frame, table)
    found += _row_check_problems(frame, table)
    if not found:
        return []
    lines = file_row_lines(path)
    return [
        Problem(path.name, message, lines[row] if row is not None and row < len(lines) else None,
                field, value)
        for row, field, message, value in _name_other_lines(found, frame, table, lines)
    ]


def _is_in(values: pd.Series, known: pd.Series) -> np.ndarray:
    """``values.isin(known)`` through Arrow's hash kernel: several times faster on a million
    string cells than pandas' isin, which turns the target into a Python list."""
    found = pc.is_in(pa.array(values.astype(str)), value_set=pa.array(known.astype(str).unique()))
    flags: np.ndarray = found.to_numpy(zero_copy_only=False)
    return flags


def _references(field: schema.Field) -> list[tuple[str | None, str | None, str]]:
    """(column, value, ``table.column``) of each reference of a field; (None, None, ref) for one
    that holds on every row."""
    unconditional: list[tuple[str | None, str | None, str]] = [(None, None, field.ref)] if field.ref else []
    return unconditional + list(field.ref_when)


def _check_references(
    tables: dict[str, pd.DataFrame], declared: Iterable[schema.Table], folder: Path,
    paths: dict[str, Path] | None = None,
) -> list[Problem]:
    """Cells that name a row another table lacks. ``paths`` gives the file of a table read from
    somewhere else than ``folder / table.file``."""
    problems: list[Problem] = []
    for table in declared:
        frame = tables[table.name]
        path = (paths or {}).get(table.name, folder / table.file)
        for field in table.fields:
            for when_column, when_value, ref in _references(field):
                if frame.empty:
                    continue
                target_table, target_column = ref.split(".")
                known = tables[target_table][target_column]
                values = frame[field.name]
                applies = values != ""
                if when_column is not None:
                    applies &= frame[when_column] == when_value
                missing = values.index[applies & ~_is_in(values, known)]
                if len(missing):
                    lines = file_row_lines(path)
                    problems += [
                        Problem(path.name, f"refers to a {target_column} that {target_table}.csv "
                                "does not have", lines[row], field.name, str(values[row]))
                        for row in missing
                    ]
    return problems


def _check_date_order(frame: pd.DataFrame, table: schema.Table, path: Path) -> list[Problem]:
    if frame.empty or "start_date" not in frame or "end_date" not in frame:
        return []
    start_first, _ = interval_bounds(frame["start_date"])
    _, end_last = interval_bounds(frame["end_date"])
    wrong = frame.index[(end_last < start_first).fillna(False)]
    if not len(wrong):
        return []
    lines = file_row_lines(path)
    return [
        Problem(path.name, f"ends before it starts (start {frame.at[row, 'start_date']!s})",
                lines[row], "end_date", str(frame.at[row, "end_date"]))
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
        pairs = [("source", "quote"), ("country_source", "country_quote"), ("nuts_source", "nuts_quote")]
        for source_col, quote_col in pairs:
            if source_col not in frame or frame.empty:
                continue
            cited = frame[frame[source_col].isin(texts.keys()) & (frame[quote_col] != "")]
            bad = [row for row, source, quote in zip(cited.index, cited[source_col], cited[quote_col],
                                                     strict=True)
                   if _fold_space(str(quote)) not in texts[str(source)]]
            if bad:
                lines = file_row_lines(folder / table.file)
                problems += [
                    Problem(table.file, f"quote is not found in {frame.at[row, source_col]!s}",
                            lines[row], quote_col, str(frame.at[row, quote_col]))
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
        frame, read_problems = _read_checked(folder / table.file, table)
        problems += read_problems
        tables[table.name] = frame
    return tables, problems


def _read_checked(path: Path, table: schema.Table) -> tuple[pd.DataFrame, list[Problem]]:
    """One file read and checked on its own (no references to other files)."""
    frame, problems = _read_csv(path, table)
    if not problems:
        problems += _check_table(frame, table, path)
        problems += _check_date_order(frame, table, path)
    return frame, problems


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


def load_vocabulary(
    table: schema.Table, taxonomy_dir: Path = TAXONOMY_DIR, path: Path | None = None
) -> pd.DataFrame:
    """One validated vocabulary file of the taxonomy folder (``schema.VOCABULARY_TABLES``, or a
    taxonomy table such as ``roles``) that the importers use: columns, values and keys as for
    every dataset file, and its references to the taxonomy (a role word names a role of
    ``roles.csv``). ``path`` reads the file from elsewhere (a rules file under test); the
    references are still to ``taxonomy_dir``. Raises DatasetError naming every problem."""
    folder = Path(taxonomy_dir)
    path = Path(path) if path is not None else folder / table.file
    frame, problems = _read_csv(path, table)
    if not problems:
        # Every problem of the file at once: its own, and the names it gives of other files.
        problems += _check_table(frame, table, path)
        wanted = {ref.split(".")[0] for f in table.fields for *_, ref in _references(f)}
        targets = [t for t in schema.TAXONOMY_TABLES if t.name in wanted and t.name != table.name]
        context, target_problems = _read_all(folder, targets)
        problems += target_problems
        if not target_problems:
            problems += _check_references({**context, table.name: frame}, (table,), folder,
                                          {table.name: path})
    if problems:
        raise DatasetError(path.parent, problems)
    return frame
