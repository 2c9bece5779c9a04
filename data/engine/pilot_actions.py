"""Pilot actions as entities: which project runs them, when, where the source places them and
which policy instruments the same project addresses.

A pilot action is a row of ``activities`` of kind ``pilot-action`` (ClusterNanoRoad's and
CluStrat's pilots, an Interreg project's pilot testing a policy instrument). The sources give it
a title, often dates, sometimes a place (free text) or a country; none we read names a NUTS
region or says which instrument a pilot tests. So a record states the country and the place as
written, ``region`` is None unless a source gives one, and the instruments are the project's
(``project_instruments``), not claimed for the action. The regional map counts the actions it
cannot place instead of dropping them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from data.engine.model import BoolArray, Dataset

PILOT_ACTION = "pilot-action"
"""The ``activities.kind`` of a pilot action (``data/io/schema.py`` ACTIVITY_KINDS)."""


@dataclass(frozen=True)
class PilotActionPlaces:
    """How the pilot actions of a selection are placed: ``total`` actions, ``with_country``
    of them stating a country (and no region), ``with_place`` stating a place in words, and
    ``unplaced`` stating neither."""

    total: int
    with_country: int
    with_place: int
    unplaced: int


def pilot_actions_of(dataset: Dataset, matching: BoolArray) -> pd.DataFrame:
    """The ``activities`` rows of kind pilot-action whose project is in ``matching``, sorted by
    project position and start (in the sources' order where the start is the same or unknown)."""
    acts = dataset.activities
    keep = (acts["kind"] == PILOT_ACTION).to_numpy() & matching[acts["pos"].to_numpy(dtype=np.int64)]
    found: pd.DataFrame = acts.loc[keep]
    return found.sort_values(["pos", "start"], na_position="last", kind="stable") if len(found) > 1 else found


def pilot_action_places(actions: pd.DataFrame) -> PilotActionPlaces:
    """Count what ``actions`` (rows of ``pilot_actions_of``) state about where they happen."""
    country = actions["country"].astype(str).str.len().to_numpy() > 0
    place = actions["location"].astype(str).str.len().to_numpy() > 0
    return PilotActionPlaces(total=len(actions), with_country=int(country.sum()),
                             with_place=int(place.sum()), unplaced=int((~country & ~place).sum()))


def pilot_action_records(dataset: Dataset, actions: pd.DataFrame) -> list[dict[str, Any]]:
    """``actions`` (rows of ``pilot_actions_of``) as ``GET /api/pilot-actions`` lists them: the
    action, its project, its dates and duration as stated (None where unknown), its place as
    written, the project's policy instruments, and the source with its quote."""
    if actions.empty:
        return []
    acronyms = dataset.projects["acronym"].to_numpy(dtype=object)
    project_ids = dataset.projects["project_id"].to_numpy(dtype=object)
    instruments = dataset.policy_instruments
    by_project: dict[int, list[str]] = {}
    for pos, instrument in zip(instruments["pos"].tolist(), instruments["instrument_id"].tolist(),
                               strict=True):
        by_project.setdefault(int(pos), []).append(str(instrument))

    def stated(value: object) -> str | None:
        return str(value) or None

    columns = ("activity_id", "title", "start_date", "end_date", "duration_months", "location",
               "country", "source", "quote")
    records: list[dict[str, Any]] = []
    for pos, values in zip(actions["pos"].tolist(), zip(*(actions[c].tolist() for c in columns), strict=True),
                           strict=True):
        row = dict(zip(columns, (stated(v) for v in values), strict=True))
        duration = row["duration_months"]
        records.append({
            **row,
            "title": str(row["title"]),
            "project_id": str(project_ids[pos]),
            "project_acronym": str(acronyms[pos]),
            "duration_months": int(duration) if duration is not None else None,
            # No source we read names the region of a pilot action: unknown, not the project's.
            "region": None,
            "project_instruments": by_project.get(int(pos), []),
        })
    return records
