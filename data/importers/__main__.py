"""Command line: ``python -m data.importers {cordis,spreadsheet} ... --out DIR``.

Each command imports its input into the normalized format, optionally merges it with existing
datasets (``--merge-with data/seed``), writes the result all or nothing (validated by the app's
own loader before it lands) and prints the import report.

Exit status: 0 when a dataset was written (even if some rows were rejected: the report lists
them), 2 when nothing was written, with a one-line message saying why.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from data import schema
from data.importers.csvio import DEFAULT_MAX_BYTES
from data.importers.report import ImportFailure, ImportReport
from data.importers.writer import conform, merge_tables, read_dataset, write_dataset
from data.loader import DatasetError

Tables = dict[str, pd.DataFrame]
Documents = dict[str, str]


class MergeSourceError(Exception):
    """A --merge-with folder is not a valid dataset."""

    def __init__(self, folder: Path, error: DatasetError) -> None:
        self.folder = folder
        self.error = error
        super().__init__(str(error))


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of bytes") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def _mapping_pair(text: str) -> tuple[str, str]:
    target, sep, column = text.partition("=")
    if not sep or not target.strip() or not column.strip():
        raise argparse.ArgumentTypeError(f"{text!r}: write target=Source Column, e.g. acronym=Acronym")
    return target.strip(), column.strip()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m data.importers",
        description="Import CORDIS open data or a spreadsheet as a dataset the dashboard loads.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="{cordis,spreadsheet}")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--out", type=Path, required=True,
                         help="dataset folder to write (new, empty, or an existing dataset to replace)")
        sub.add_argument("--merge-with", type=Path, action="append", default=[], metavar="DIR",
                         help="existing dataset to merge the import into (repeatable); "
                              "its rows win where keys clash")
        sub.add_argument("--max-bytes", type=_positive_int, default=DEFAULT_MAX_BYTES, metavar="N",
                         help=f"refuse input files larger than this (default {DEFAULT_MAX_BYTES:,})")

    cordis = commands.add_parser(
        "cordis", help="CORDIS project.csv and/or organization.csv (Horizon 2020, Horizon Europe)")
    cordis.add_argument("--projects", type=Path, metavar="project.csv")
    cordis.add_argument("--organizations", "--organisations", type=Path, metavar="organization.csv")
    common(cordis)

    sheet = commands.add_parser("spreadsheet", help="an XLSX or CSV table of projects")
    sheet.add_argument("file", type=Path, metavar="FILE")
    sheet.add_argument("--mapping", type=Path, metavar="mapping.json",
                       help='JSON object of target column -> source column, e.g. {"acronym": "Acronym"}')
    sheet.add_argument("--no-guess", action="store_true",
                       help="use only the mapping given; do not guess other columns from the headers")
    sheet.add_argument("--map", type=_mapping_pair, action="append", default=[],
                       metavar="target=Source Column", help="one mapping (repeatable; overrides --mapping)")
    sheet.add_argument("--sheet", metavar="NAME", help="worksheet to read (default: the first)")
    common(sheet)
    return parser


def _read_mapping(path: Path | None, pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    if path is not None:
        try:
            loaded = json.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise ImportFailure(f"{path}: cannot read the mapping file ({exc.strerror})") from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ImportFailure(f"{path}: the mapping file is not valid JSON ({exc})") from exc
        if not isinstance(loaded, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in loaded.items()
        ):
            raise ImportFailure(f"{path}: the mapping must be a JSON object of "
                                'target column -> source column, e.g. {"acronym": "Acronym"}')
        mapping.update(loaded)
    mapping.update(dict(pairs))
    return mapping


def _import(args: argparse.Namespace, report: ImportReport) -> tuple[Tables, Documents]:
    if args.command == "cordis":
        from data.importers.cordis import import_cordis

        return import_cordis(args.projects, args.organizations, report, max_bytes=args.max_bytes)
    mapping = _read_mapping(args.mapping, args.map)
    # Imported here so that a problem in the spreadsheet reader's optional dependencies cannot
    # stop a CORDIS import.
    try:
        from data.importers.spreadsheet import import_spreadsheet, preview, suggest_mapping
    except ImportError as exc:
        raise ImportFailure(f"the spreadsheet importer cannot be loaded ({exc})") from exc

    if not args.no_guess:
        # Fields the user did not map are guessed from the headers, as the upload dialog does;
        # the report says which, so a wrong guess is seen and can be overridden with --map.
        columns, _ = preview(args.file, sheet=args.sheet, rows=1)
        guessed = {t: c for t, c in suggest_mapping(columns).items() if t not in mapping}
        if guessed:
            report.warnings.append("columns guessed from the headers (override with --map "
                                   "target=Column, or --no-guess): "
                                   + ", ".join(f"{t}={c!r}" for t, c in sorted(guessed.items())))
        mapping = {**guessed, **mapping}
    return import_spreadsheet(args.file, mapping, report, sheet=args.sheet, max_bytes=args.max_bytes)


def _conflicts(base: Tables, extra: Tables) -> dict[str, int]:
    """Per table, rows of ``extra`` whose key ``base`` already has with other values: the merge
    keeps the base row, so these imported rows are left out and the report must say so."""
    found = {}
    for table in schema.DATASET_TABLES:
        left = conform(table.name, base.get(table.name, pd.DataFrame()))
        right = conform(table.name, extra.get(table.name, pd.DataFrame()))
        if left.empty or right.empty:
            continue
        key = list(table.key)
        differing = right.merge(left.drop_duplicates(), how="left", indicator=True)
        differing = differing[differing["_merge"] == "left_only"]
        clashing = differing.merge(left[key].drop_duplicates(), on=key, how="inner")
        if len(clashing):
            found[table.name] = len(clashing)
    return found


def _merge(
    folders: Sequence[Path], tables: Tables, documents: Documents, report: ImportReport
) -> tuple[Tables, Documents]:
    """The datasets in ``folders`` first, then the import: existing rows win where keys clash."""
    if not folders:
        return tables, documents
    base: Tables = {}
    base_documents: Documents = {}
    for folder in folders:
        try:
            existing, existing_documents = read_dataset(folder)
        except DatasetError as exc:
            raise MergeSourceError(folder, exc) from exc
        base = merge_tables(base, existing) if base else existing
        base_documents.update({k: v for k, v in existing_documents.items() if k not in base_documents})
    merged_names = ", ".join(str(f) for f in folders)
    for name, count in _conflicts(base, tables).items():
        report.warnings.append(f"{name}: {count} imported row(s) share a key with a row of "
                               f"{merged_names} and differ from it; the existing row was kept")
    return merge_tables(base, tables), {**documents, **base_documents}


def _one_line(error: DatasetError) -> str:
    count = len(error.problems)
    first = f"; first: {error.problems[0]}" if error.problems else ""
    return f"{count} problem(s){first}"


def _summary(tables: Tables, out: Path) -> str:
    counts = ", ".join(f"{len(tables[name])} {name}" for name in
                       ("projects", "organisations", "participations", "project_kets", "project_sectors")
                       if name in tables)
    return f"Dataset written to {out}: {counts}. Report: {out / 'import' / 'report.txt'}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "cordis" and args.projects is None and args.organizations is None:
        parser.error("cordis needs --projects project.csv, --organizations organization.csv or both")
    report = ImportReport()
    try:
        tables, documents = _import(args, report)
        tables, documents = _merge(args.merge_with, tables, documents, report)
        write_dataset(tables, args.out, report, documents)
    except ImportFailure as exc:
        print(f"error: {exc}; nothing was written", file=sys.stderr)
        return 2
    except MergeSourceError as exc:
        print(f"error: --merge-with {exc.folder} is not a valid dataset: {_one_line(exc.error)}; "
              "nothing was written", file=sys.stderr)
        return 2
    except DatasetError as exc:
        print(f"error: the imported dataset would not load: {_one_line(exc)}; nothing was written "
              f"to {args.out}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.filename or args.out}: {exc.strerror or exc}; nothing was written",
              file=sys.stderr)
        return 2
    print(report.to_text())
    print(_summary(tables, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
