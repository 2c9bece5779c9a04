"""Command line: ``python -m data.importers {cordis,spreadsheet} ... --out DIR``.

``python -m data.importers cordis cordis-HORIZONprojects-csv.zip --out DIR`` imports a whole
CORDIS download in one step (or its folder, or single files).

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
from types import ModuleType

import pandas as pd

from data.importers import orgmerge
from data.importers.csvio import DEFAULT_MAX_BYTES
from data.importers.report import ImportFailure, ImportReport
from data.importers.writer import conform, merge_tables, read_dataset, write_dataset
from data.io import schema
from data.io.loader import DatasetError

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


def _threshold(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 0 to 100") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{value} is not from 0 to 100")
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

    def common(sub: argparse.ArgumentParser, out_required: bool = True) -> None:
        sub.add_argument("--out", type=Path, required=out_required,
                         help="dataset folder to write (new, empty, or an existing dataset to replace)")
        sub.add_argument("--merge-with", type=Path, action="append", default=[], metavar="DIR",
                         help="existing dataset to merge the import into (repeatable); "
                              "its rows win where keys clash")
        sub.add_argument("--max-bytes", type=_positive_int, default=DEFAULT_MAX_BYTES, metavar="N",
                         help=f"refuse input files larger than this (default {DEFAULT_MAX_BYTES:,})")
        sub.add_argument("--match-threshold", type=_threshold, default=orgmerge.DEFAULT_MATCH_THRESHOLD,
                         metavar="N",
                         help="how alike (0-100) two organisation names in one country must be for "
                              "the two to be merged (within the import and with --merge-with); 100: "
                              "only names identical once case, accents, punctuation and legal forms "
                              f"are set aside (default {orgmerge.DEFAULT_MATCH_THRESHOLD}). Ids and VAT "
                              "numbers merge whatever the threshold; the report lists every merge "
                              "with its score")

    cordis = commands.add_parser(
        "cordis", help="a CORDIS download (FP7, Horizon 2020, Horizon Europe): the zip, its folder "
                       "or its files (project, organization, euroSciVoc, topics, legalBasis, "
                       "webLink, policyPriorities; CSV, XLSX or JSON)")
    cordis.add_argument("inputs", type=Path, nargs="*", metavar="PATH",
                        help="cordis-HORIZONprojects-csv.zip, its unpacked folder, or single files")
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
    sheet.add_argument("--dry-run", action="store_true",
                       help="show the mapping, the first rows as they would be imported and the "
                            "rows that would be rejected; write nothing (--out is not needed)")
    sheet.add_argument("--rows", type=int, default=10, metavar="N",
                       help="with --dry-run: how many rows to show (default 10)")
    # --out is required unless --dry-run, which writes nothing: checked in main().
    common(sheet, out_required=False)
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
        from data.importers.cordis import import_download
        from data.importers.cordis_download import open_download

        paths = [*args.inputs, *(p for p in (args.projects, args.organizations) if p is not None)]
        with open_download(paths, args.max_bytes) as download:
            if download.not_read:
                report.warnings.append("files not read: " + "; ".join(download.not_read))
            return import_download(download.files, report, args.max_bytes, args.match_threshold)
    spreadsheet = _spreadsheet_module()
    mapping, _ = _spreadsheet_mapping(args, report)
    imported: tuple[Tables, Documents] = spreadsheet.import_spreadsheet(
        args.file, mapping, report, sheet=args.sheet, match_threshold=args.match_threshold,
        max_bytes=args.max_bytes)
    return imported


def _spreadsheet_module() -> ModuleType:
    # Imported here so that a problem in the spreadsheet reader's optional dependencies cannot
    # stop a CORDIS import.
    try:
        from data.importers import spreadsheet
    except ImportError as exc:
        raise ImportFailure(f"the spreadsheet importer cannot be loaded ({exc})") from exc
    return spreadsheet


def _spreadsheet_mapping(args: argparse.Namespace, report: ImportReport) -> tuple[dict[str, str], set[str]]:
    """The mapping to use (given, then guessed for the fields not given) and the guessed fields."""
    spreadsheet = _spreadsheet_module()
    mapping = _read_mapping(args.mapping, args.map)
    if args.no_guess:
        return mapping, set()
    # Fields the user did not map are guessed from the headers (and the first rows' values, so
    # a column of numbers is never taken for names), as the upload dialog does; the report says
    # which, so a wrong guess is seen and can be overridden with --map.
    columns, sample = spreadsheet.preview(args.file, sheet=args.sheet, rows=20)
    guessed = {t: c for t, c in spreadsheet.suggest_mapping(columns, sample).items() if t not in mapping}
    if guessed:
        report.warnings.append("columns guessed from the headers (override with --map "
                               "target=Column, or --no-guess): "
                               + ", ".join(f"{t}={c!r}" for t, c in sorted(guessed.items())))
    return {**guessed, **mapping}, set(guessed)


def _dry_run(args: argparse.Namespace, report: ImportReport) -> str:
    mapping, guessed = _spreadsheet_mapping(args, report)
    text: str = _spreadsheet_module().dry_run(args.file, mapping, report, guessed, sheet=args.sheet,
                                              max_bytes=args.max_bytes, rows=args.rows)
    if args.merge_with or args.out:
        text += "\n(--out and --merge-with are not used in a dry run)"
    return text


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
    folders: Sequence[Path], tables: Tables, documents: Documents, report: ImportReport,
    threshold: int = orgmerge.DEFAULT_MATCH_THRESHOLD,
) -> tuple[Tables, Documents]:
    """The datasets in ``folders`` first, then the import: existing rows win where keys clash.
    Imported organisations that are existing ones (``orgmerge.merge_into``) take their ids."""
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
    base, tables, merges = orgmerge.merge_into(base, tables, threshold=threshold)
    report.merged_organisations.extend(merges)
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
    if args.command == "cordis" and not args.inputs and args.projects is None and args.organizations is None:
        parser.error("cordis needs a download (zip, folder or files), or --projects project.csv "
                     "and/or --organizations organization.csv")
    dry = args.command == "spreadsheet" and args.dry_run
    if args.out is None and not dry:
        parser.error("the following arguments are required: --out (or --dry-run to write nothing)")
    report = ImportReport()
    try:
        if dry:
            print(_dry_run(args, report))
            return 0
        tables, documents = _import(args, report)
        tables, documents = _merge(args.merge_with, tables, documents, report,
                                   threshold=args.match_threshold)
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
