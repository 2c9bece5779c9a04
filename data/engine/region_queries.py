"""What the regional map and the instrument API count, for a selection of projects.

The placement is done once (``data.engine.regions.place``, kept as ``Dataset.regions``); these
are the per-state counts over it, remembered per dataset (``data.engine.memo.per_dataset``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from data.engine.memo import per_dataset
from data.engine.model import BoolArray, Dataset
from data.engine.regions import RegionIndex, Unplaced, region_counts, taking_part, unplaced
from data.engine.state import FilterState

LEVEL_OF_GEO = {"nuts1": 1, "nuts2": 2, "nuts3": 3}
"""The NUTS level each regional ``geo=`` draws."""
UNPLACED_LISTED = 200
"""The most unplaced organisations the page lists by name (all are counted)."""


def region_index(dataset: Dataset) -> RegionIndex:
    """The dataset's placement (every dataset built by ``build_dataset`` has one)."""
    if dataset.regions is None:
        raise ValueError("the dataset was built without NUTS placement")
    return dataset.regions


def instrument_rows(dataset: Dataset) -> np.ndarray:
    """Per row of ``policy_instruments``: the row of its organisation in ``organisations``,
    -1 where the instrument names none (or one the table lacks)."""
    return np.asarray(pd.Index(dataset.organisations["organisation_id"]).get_indexer(
        dataset.policy_instruments["organisation_id"]), dtype=np.int64)


def region_summary(dataset: Dataset, context: BoolArray, level: int) -> pd.DataFrame:
    """Per NUTS region of ``level`` with a project of ``context``: region, name, projects,
    organisations and instruments (policy instruments of those projects whose organisation is
    placed there); by projects descending."""
    return _region_summary(dataset, context.tobytes(), level)


@per_dataset(32)
def _region_summary(dataset: Dataset, context_bytes: bytes, level: int) -> pd.DataFrame:
    context = np.frombuffer(context_bytes, dtype=bool)
    index = region_index(dataset)
    frame = region_counts(index, level, context, dataset.participation_org, dataset.participation_pos,
                          _taking_part(dataset, context_bytes))
    counts = instrument_counts(dataset, context, level)
    frame["instruments"] = np.array([counts.get(c, 0) for c in frame["region"].tolist()], dtype=np.int64)
    return frame


@per_dataset(8)
def _taking_part(dataset: Dataset, context_bytes: bytes) -> BoolArray:
    """Per organisation: whether it takes part in a project of the context (both the counts
    and the unplaced line need it, for the same selection)."""
    return taking_part(np.frombuffer(context_bytes, dtype=bool), dataset.participation_org,
                       dataset.participation_pos, len(dataset.organisations))


def instrument_counts(dataset: Dataset, context: BoolArray, level: int) -> dict[str, int]:
    """NUTS code of ``level`` -> policy instruments of ``context``'s projects placed there."""
    instruments = dataset.policy_instruments
    if instruments.empty:
        return {}
    index = region_index(dataset)
    rows = instrument_rows(dataset)
    keep = context[instruments["pos"].to_numpy(dtype=np.int64)] & (rows >= 0)
    region = index.org_region[rows[keep], level]
    region = region[region >= 0]
    found = np.bincount(region, minlength=len(index.codes))
    return {str(index.codes[i]): int(found[i]) for i in np.flatnonzero(found)}


def unplaced_of(dataset: Dataset, context: BoolArray, level: int) -> tuple[Unplaced, pd.DataFrame]:
    """The organisations taking part in ``context``'s projects that the map of ``level``
    cannot put in a region, counted by reason, and the first of them (organisation_id, name,
    country, nuts_code, reason) to list."""
    return _unplaced_of(dataset, context.tobytes(), level)


@per_dataset(32)
def _unplaced_of(dataset: Dataset, context_bytes: bytes, level: int) -> tuple[Unplaced, pd.DataFrame]:
    index = region_index(dataset)
    found = unplaced(index, level, _taking_part(dataset, context_bytes), UNPLACED_LISTED)
    orgs = dataset.organisations

    def column(name: str) -> list[str]:
        # One column at a time: taking the rows of the whole table copies every column.
        if name not in orgs.columns:
            return [""] * len(found.rows)
        return [str(v) for v in orgs[name].iloc[found.rows].tolist()]

    listed = pd.DataFrame({name: pd.Series(column(name), dtype=object)
                           for name in ("organisation_id", "name", "country", "nuts_code")})
    listed["reason"] = pd.Series(list(found.reasons), dtype=object)
    return found, listed


def organisation_regions(dataset: Dataset, rows: np.ndarray) -> list[dict[str, Any]]:
    """For rows of ``organisations``: the region codes of every level it is placed in
    (``{"nuts0": "DE", ..., "nuts3": "DE212"}``, None where there is none), how it was placed
    ('code', 'coordinates' or None) and the version its code is read in."""
    index = region_index(dataset)
    methods = {0: None, 1: "code", 2: "coordinates"}
    out: list[dict[str, Any]] = []
    for row in rows:
        if row < 0:
            out.append({"nuts0": None, "nuts1": None, "nuts2": None, "nuts3": None,
                        "placed_by": None, "nuts_version": None})
            continue
        codes = {f"nuts{level}": (str(index.codes[c]) if c >= 0 else None)
                 for level, c in enumerate(index.org_region[row])}
        out.append({**codes, "placed_by": methods[int(index.org_method[row])],
                    "nuts_version": str(index.org_version[row]) or None})
    return out


def instrument_records(dataset: Dataset, matching: BoolArray, state: FilterState) -> list[dict[str, Any]]:
    """The policy instruments of the matching projects, as ``GET /api/instruments`` lists them:
    instrument, project, organisation, its regions, and the source with its quote. With
    ``instrument=`` only those instruments; with ``region=`` only the instruments whose
    organisation is placed in one of those regions."""
    instruments = dataset.policy_instruments
    if instruments.empty:
        return []
    rows = instrument_rows(dataset)
    keep = matching[instruments["pos"].to_numpy(dtype=np.int64)]
    if state.instrument:
        keep &= instruments["instrument_id"].isin(state.instrument).to_numpy()
    places = organisation_regions(dataset, rows)
    if state.region:
        wanted = set(state.region)
        keep &= np.array([bool(wanted & {v for k, v in p.items() if k.startswith("nuts") and k[4:].isdigit()})
                          for p in places], dtype=bool)
    acronyms = dataset.projects["acronym"].to_numpy(dtype=object)
    names = dataset.organisations["name"].to_numpy(dtype=object)
    index = region_index(dataset)
    records: list[dict[str, Any]] = []
    for i in np.flatnonzero(keep):
        item = instruments.iloc[int(i)]
        row, place = int(rows[i]), places[i]
        deepest = next((place[f"nuts{level}"] for level in (3, 2, 1, 0) if place[f"nuts{level}"]), None)
        records.append({
            "instrument_id": str(item["instrument_id"]),
            "name": str(item["name"]),
            "summary": str(item["summary"]),
            "project_id": str(item["project_id"]),
            "project_acronym": str(acronyms[int(item["pos"])]),
            "organisation_id": str(item["organisation_id"]) or None,
            "organisation_name": str(names[row]) if row >= 0 else None,
            "region": deepest,
            "region_name": index.names.get(deepest) if deepest else None,
            "regions": {k: v for k, v in place.items() if k.startswith("nuts") and k[4:].isdigit()},
            "placed_by": place["placed_by"],
            "nuts_version": place["nuts_version"],
            "sources": [{"source": str(item["source"]), "quote": str(item["quote"])}],
        })
    return records
