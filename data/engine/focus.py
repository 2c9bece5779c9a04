"""The open project (``project=``): a focus, not a filter.

Opening a project leaves every count as the other filters make it; the views only mark the
project where they draw it. This module says where that is: its countries (the map), its KET x
sector cells (the matrix) and its dates (the timeline's band mode). Looked up by position, so
opening a project costs microseconds, whatever the size of the dataset.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.engine.memo import per_dataset
from data.engine.model import BoolArray, Dataset


@dataclass(frozen=True)
class Focus:
    """Where the open project stands in each view."""

    project_id: str
    acronym: str
    countries: tuple[str, ...]
    """ISO alpha-2 codes of the countries it takes part in (via a partner or named alone)."""
    cells: tuple[tuple[str, str], ...]
    """(ket, sector) pairs it carries, 'not-stated' where it has none: the matrix's cells."""
    start: pd.Timestamp | None
    """Its start, None where no source states one."""
    end: pd.Timestamp | None
    """Its end (stated, or drawn from a stated duration), None where unknown."""


@per_dataset(64)
def focus_of(dataset: Dataset, project_id: str | None, include_inferred: bool = True) -> Focus | None:
    """The focus of ``project_id`` in ``dataset``, None without one or for an unknown id.
    ``include_inferred`` follows the matrix: without inferred tags, a project tagged only by
    rules sits in the 'not stated' cells."""
    if not project_id:
        return None
    position = dataset.position(project_id)
    if position is None:
        return None
    projects = dataset.projects
    pairs = dataset.tag_index(include_inferred).ket_sector
    mine = pairs[pairs["pos"].to_numpy() == position]
    cells = tuple(sorted(zip(mine["ket"].astype(str), mine["sector"].astype(str), strict=True)))
    start, end = projects["start"].iloc[position], projects["end"].iloc[position]
    return Focus(
        project_id=project_id,
        acronym=str(projects["acronym"].iloc[position]),
        countries=tuple(str(c) for c in projects["countries"].iloc[position]),
        cells=cells,
        start=None if pd.isna(start) else pd.Timestamp(start),
        end=None if pd.isna(end) else pd.Timestamp(end),
    )


def active_per_year(dataset: Dataset, mask: BoolArray) -> pd.DataFrame:
    """Projects of ``mask`` active in each calendar year, for the timeline's context line.

    Columns: year (int), projects (how many selected projects run at some time of that year).
    Only projects with a start and an end (stated, or drawn from a stated duration) are counted:
    one with an unknown end is not claimed to run on. A difference array over the years makes
    this one pass over the projects, vectorised. Empty when no selected project has both dates.
    """
    # The columns as they are stored (no copy); only the selected few are converted to years.
    start_all = dataset.projects["start"].to_numpy(dtype="datetime64[ns]")
    end_all = dataset.projects["end"].to_numpy(dtype="datetime64[ns]")
    spans = mask & ~np.isnat(start_all) & ~np.isnat(end_all)
    if not spans.any():
        return pd.DataFrame({"year": pd.Series(dtype="int64"), "projects": pd.Series(dtype="int64")})
    start = start_all[spans].astype("datetime64[Y]").astype("int64") + 1970
    end = end_all[spans].astype("datetime64[Y]").astype("int64") + 1970
    # An end before its start (a source's slip) still counts for the year it starts.
    end = np.maximum(end, start)
    first, last = int(start.min()), int(end.max())
    n = last - first + 2
    delta = np.bincount(start - first, minlength=n) - np.bincount(end - first + 1, minlength=n)
    return pd.DataFrame({"year": np.arange(first, last + 1, dtype="int64"),
                         "projects": np.cumsum(delta)[:-1].astype("int64")})
