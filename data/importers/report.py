"""What an import did: rows read, imported and rejected (with file, line, column and reason),
organisations merged and tags inferred. Nothing is dropped without a line here.

The invariant every importer keeps, per input file: rows read = rows imported + rows rejected.
``ImportReport.check_balanced`` enforces it before a dataset is written.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from data.io.safety import neutralise_formula


def log_files(log: logging.Logger, files: Iterable[FileReport]) -> None:
    """One INFO line per imported file: rows read, imported and rejected."""
    for entry in files:
        log.info("%s (%s): %d row(s) read, %d imported, %d rejected", entry.file, entry.kind,
                 entry.rows_read, entry.rows_imported, entry.rows_rejected)


class ImportFailure(Exception):
    """An input cannot be imported at all (unreadable, empty, wrong kind, too large).

    The message names the file and says what to do; no dataset is written."""


@dataclass(frozen=True)
class Rejection:
    """One input row that was not imported, and why."""

    file: str
    line: int | None
    column: str | None
    reason: str
    row: dict[str, str] = field(default_factory=dict)
    category: str = ""
    """The reason without the row's values ('empty organisation name'), to count by."""
    unit: str = "line"

    def __str__(self) -> str:
        where = self.file + (f", {self.unit} {self.line}" if self.line else "")
        where += f", column '{self.column}'" if self.column else ""
        return f"{where}: {self.reason}"


@dataclass
class FileReport:
    """The account of one input file."""

    file: str
    kind: str
    rows_read: int = 0
    rows_imported: int = 0
    unit: str = "line"
    """What locates a row in this file: a CSV 'line', a worksheet 'row', a JSON 'record'."""
    rejections: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What was detected or assumed: encoding, delimiter, decimal comma, missing optional columns."""

    @property
    def rows_rejected(self) -> int:
        return len(self.rejections)

    @property
    def balanced(self) -> bool:
        return self.rows_read == self.rows_imported + self.rows_rejected

    def reject(
        self, line: int | None, column: str | None, reason: str, row: dict[str, str] | None = None,
        category: str = "",
    ) -> None:
        self.rejections.append(Rejection(self.file, line, column, reason, dict(row or {}),
                                         category or reason, self.unit))

    def rejections_by_reason(self) -> dict[str, int]:
        """How many rows were rejected for each reason, most frequent first."""
        counts: dict[str, int] = {}
        for r in self.rejections:
            key = f"{r.column}: {r.category}" if r.column else r.category
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


@dataclass
class ImportReport:
    """The account of a whole import, across its files."""

    files: list[FileReport] = field(default_factory=list)
    merged_organisations: list[str] = field(default_factory=list)
    """One line per merge: which spellings or ids became one organisation, and why."""
    inferred_tags: int = 0
    tagging: list[str] = field(default_factory=list)
    """How many projects got a KET and a sector, and by which kind of evidence."""
    warnings: list[str] = field(default_factory=list)

    def file(self, name: str, kind: str) -> FileReport:
        report = FileReport(name, kind)
        self.files.append(report)
        return report

    @property
    def rejections(self) -> list[Rejection]:
        return [r for f in self.files for r in f.rejections]

    def check_balanced(self) -> None:
        """Raise if any file's rows do not add up: that would mean a row was lost."""
        broken = [f for f in self.files if not f.balanced]
        if broken:
            detail = "; ".join(f"{f.file}: read {f.rows_read}, imported {f.rows_imported}, "
                               f"rejected {f.rows_rejected}" for f in broken)
            raise AssertionError(f"import lost rows: {detail}")

    def to_text(self) -> str:
        """The report as people read it, at the end of an import."""
        lines = ["Import report", "============="]
        for f in self.files:
            lines.append(f"{f.file} ({f.kind}): {f.rows_read} rows read, {f.rows_imported} imported, "
                         f"{f.rows_rejected} rejected")
            lines += [f"  note: {n}" for n in f.notes]
            lines += [f"  rejected for {reason}: {n}" for reason, n in f.rejections_by_reason().items()]
        if self.merged_organisations:
            lines.append(f"Organisations merged: {len(self.merged_organisations)}")
            lines += [f"  {m}" for m in self.merged_organisations[:50]]
            if len(self.merged_organisations) > 50:
                lines.append(f"  ... and {len(self.merged_organisations) - 50} more (see report.txt)")
        lines.append(f"Tags inferred by rules: {self.inferred_tags}")
        lines += [f"  {t}" for t in self.tagging]
        lines += [f"Warning: {w}" for w in self.warnings]
        rejections = self.rejections
        if rejections:
            lines.append(f"Rejected rows: {len(rejections)} (all listed in rejects.csv)")
            lines += [f"  {r}" for r in rejections[:20]]
            if len(rejections) > 20:
                lines.append(f"  ... and {len(rejections) - 20} more")
        return "\n".join(lines)

    def write(self, folder: Path) -> None:
        """Write report.txt and rejects.csv (every rejected row, formula-safe) into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        full = self.to_text()
        if len(self.merged_organisations) > 50:
            full += "\nAll merges:\n" + "\n".join(f"  {m}" for m in self.merged_organisations)
        (folder / "report.txt").write_text(full + "\n", encoding="utf-8")
        columns: list[str] = []
        for r in self.rejections:
            columns += [c for c in r.row if c not in columns]
        with (folder / "rejects.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["file", "line", "column", "reason", *columns])
            for r in self.rejections:
                writer.writerow([neutralise_formula(str(v)) for v in
                                 (r.file, r.line or "", r.column or "", r.reason,
                                  *(r.row.get(c, "") for c in columns))])
