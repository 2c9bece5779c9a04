"""The file line of each data row of a CSV file, for messages that say where a problem is.

Lines count from the header (line 1); a quoted cell may span lines, so a row's line is where
it starts. Blank lines are skipped, as pandas skips them, so row ``i`` of the frame pandas
reads is ``lines[i]``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path


def row_lines(lines: Iterable[str], delimiter: str = ",", *, skip_empty_cells: bool = False) -> list[int]:
    """Line of each data row of CSV text (an open file or a list of lines, newline='').

    ``skip_empty_cells`` also skips rows whose cells are all empty or blank (``;;;``), for
    readers that drop such rows too."""
    reader = csv.reader(lines, delimiter=delimiter)
    next(reader, None)
    found: list[int] = []
    start = reader.line_num + 1
    for row in reader:
        if any(cell.strip() for cell in row) if skip_empty_cells else row:
            found.append(start)
        start = reader.line_num + 1
    return found


def file_row_lines(path: Path) -> list[int]:
    """``row_lines`` of a UTF-8 CSV file (with or without a byte-order mark)."""
    with Path(path).open(newline="", encoding="utf-8-sig") as handle:
        return row_lines(handle)
