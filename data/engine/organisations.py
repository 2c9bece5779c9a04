"""The organisations of a selection: how many participations each has, where it is, which are
drawn on the organisation map and which cannot be placed. No dash, no plotly.

Counts are ``np.bincount`` over the participation index (``Dataset.participation_org``) and
the (organisation, project) pairs of ``data.engine.orgindex``, so a million participations cost
milliseconds; only the organisations drawn (at most ``MAX_POINTS``) become Python values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from data.engine import queries
from data.engine.memo import per_dataset
from data.engine.model import BoolArray, Dataset, IntArray
from data.engine.orgindex import OrganisationMembers

MAX_POINTS = 300
"""The most organisations the map draws one by one: those with most participations in the
selection (and the selected ones). Each costs its tooltip's text in every redraw; the others are
grouped by place (``GRID_STEP``)."""
GRID_STEP = 0.5
"""The side, in degrees, of the squares the organisations not drawn one by one are grouped in."""
MAX_CELLS = 1_000
"""The most squares drawn: past it the squares are made twice as large, until it is met."""
MAX_UNPLACED = 50
"""How many organisations without coordinates are named in the list under the map."""
HOVER_PROJECTS = 3
"""How many project acronyms a point's tooltip names before '+N more'."""
DRAWN_COLUMNS = ["organisation_id", "name", "country", "type", "latitude", "longitude",
                 "participations", "projects", "project_list", "more_projects", "selected"]
UNPLACED_COLUMNS = ["organisation_id", "name", "country", "participations"]
GROUPED_COLUMNS = ["latitude", "longitude", "organisations", "participations"]


def index_of(dataset: Dataset) -> OrganisationMembers:
    """The dataset's organisation -> projects index (``members['org']``)."""
    members = dataset.members["org"]
    if not isinstance(members, OrganisationMembers):
        raise TypeError("the dataset's 'org' members are not an OrganisationMembers index")
    return members


@per_dataset(1, index=True)
def coordinates(dataset: Dataset) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(latitude, longitude) per row of ``organisations`` as floats; NaN where a coordinate is
    not stated or out of range (the loader checks the format only: '-999' is well formed)."""
    orgs = dataset.organisations
    lat = pd.to_numeric(orgs["latitude"].replace("", None), errors="coerce").to_numpy(dtype=float, copy=True)
    lon = pd.to_numeric(orgs["longitude"].replace("", None), errors="coerce").to_numpy(dtype=float, copy=True)
    with np.errstate(invalid="ignore"):
        bad = ~((np.abs(lat) <= 90) & (np.abs(lon) <= 180))
    lat[bad] = np.nan
    lon[bad] = np.nan
    lat.setflags(write=False)
    lon.setflags(write=False)
    return lat, lon


def participation_counts(dataset: Dataset, mask: BoolArray) -> IntArray:
    """Participations per row of ``organisations`` in the selected projects (a body in two
    roles of one project counts twice, as the participations table lists it)."""
    orgs = dataset.participation_org[mask[dataset.participation_pos]]
    if not index_of(dataset).all_known:
        orgs = orgs[orgs >= 0]
    return np.bincount(orgs, minlength=len(dataset.organisations)).astype(np.int64, copy=False)


def project_counts(dataset: Dataset, mask: BoolArray) -> IntArray:
    """Distinct selected projects per row of ``organisations``."""
    index = index_of(dataset)
    return np.bincount(index.pair_org[mask[index.pair_pos]],
                       minlength=len(dataset.organisations)).astype(np.int64)


def organisation_label(dataset: Dataset, organisation_id: str, lang: str = "en") -> str:
    """What the page calls an organisation: its name, else its short name, else the id it is
    published under (``queries.organisation_label``); an id the dataset lacks is its own label."""
    row = index_of(dataset).row(organisation_id)
    if row is None:
        return organisation_id
    orgs = dataset.organisations
    return queries.organisation_label(str(orgs["name"].iat[row] or orgs["short_name"].iat[row]),
                                      str(orgs["external_id"].iat[row]), organisation_id, lang)


def organisation_labels(dataset: Dataset, organisation_ids: Iterable[str],
                        lang: str = "en") -> dict[str, str]:
    """``organisation_label`` of each id (an unknown id is its own label)."""
    return {i: organisation_label(dataset, i, lang) for i in organisation_ids}


@dataclass(frozen=True)
class OrganisationMap:
    """What the organisation map shows for one selection.

    ``drawn`` has ``DRAWN_COLUMNS``: one row per organisation drawn, most participations first;
    ``unplaced`` has ``UNPLACED_COLUMNS``: the first ``MAX_UNPLACED`` organisations of the
    selection without coordinates, most participations first."""

    drawn: pd.DataFrame
    organisations: int
    """Organisations taking part in the selected projects."""
    placeable: int
    """Of those, the ones with coordinates."""
    without_coordinates: int
    unplaced: pd.DataFrame
    limit: int
    grouped: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=GROUPED_COLUMNS))
    """``GROUPED_COLUMNS``: the organisations with coordinates not drawn one by one, grouped by
    place (a square of ``grid_step`` degrees, at the mean position of its organisations)."""
    grid_step: float = GRID_STEP

    @property
    def cut(self) -> bool:
        """True when some organisations with coordinates are not drawn one by one (more than
        ``limit``): they are in ``grouped``."""
        return len(self.drawn) < self.placeable


def _top(rows: npt.NDArray[np.intp], counts: IntArray, limit: int) -> npt.NDArray[np.intp]:
    """The ``limit`` rows with most ``counts``, most first; ties go to the earlier row, so the
    cut is the same on every call."""
    n = len(counts)
    key = counts[rows] * (n + 1) + (n - rows)
    if len(rows) > limit:
        chosen = np.argpartition(-key, limit - 1)[:limit]
        rows, key = rows[chosen], key[chosen]
    return rows[np.argsort(-key, kind="stable")]


@dataclass(frozen=True, eq=False)
class Grid:
    """Squares of ``step`` degrees over the globe: the square of each organisation (-1 where it
    has no coordinates) and the mean position of each square's organisations."""

    step: float
    cell: IntArray
    latitude: npt.NDArray[np.float64]
    longitude: npt.NDArray[np.float64]


def grid(lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64], step: float) -> Grid:
    """The squares of ``step`` degrees the organisations at ``lat``/``lon`` fall in."""
    n_lat, n_lon = int(np.ceil(180 / step)), int(np.ceil(360 / step))
    placed = ~np.isnan(lat)
    cell = np.full(len(lat), -1, dtype=np.int64)
    i = np.minimum(((lat[placed] + 90) / step).astype(np.int64), n_lat - 1)
    j = np.minimum(((lon[placed] + 180) / step).astype(np.int64), n_lon - 1)
    cell[placed] = i * n_lon + j
    n = np.maximum(np.bincount(cell[placed], minlength=n_lat * n_lon), 1)
    return Grid(step, cell, np.bincount(cell[placed], weights=lat[placed], minlength=n_lat * n_lon) / n,
                np.bincount(cell[placed], weights=lon[placed], minlength=n_lat * n_lon) / n)


@per_dataset(8, index=True)
def dataset_grid(dataset: Dataset, step: float) -> Grid:
    """``grid`` of the dataset's organisations, made once per dataset and step."""
    return grid(*coordinates(dataset), step)


def group_by_place(squares: Callable[[float], Grid], rows: npt.NDArray[np.intp], participations: IntArray,
                   step: float = GRID_STEP, most: int = MAX_CELLS) -> tuple[pd.DataFrame, float]:
    """The organisations of ``rows`` grouped in the squares ``squares(step)`` (``step`` doubled
    until at most ``most`` squares hold one): per square the mean position of all its
    organisations (a place that stays put from one selection to the next), the organisations of
    ``rows`` in it and their participations (``GROUPED_COLUMNS``)."""
    if not len(rows):
        return pd.DataFrame(columns=GROUPED_COLUMNS), step
    while True:
        found = squares(step)
        cell = found.cell[rows]
        counts = np.bincount(cell, minlength=len(found.latitude))
        occupied = np.flatnonzero(counts)
        if len(occupied) <= most or step >= 90:
            break
        step *= 2
    return pd.DataFrame({
        "latitude": found.latitude[occupied],
        "longitude": found.longitude[occupied],
        "organisations": counts[occupied].astype(np.int64),
        "participations": np.bincount(cell, weights=participations[rows],
                                      minlength=len(found.latitude))[occupied].astype(np.int64),
    }, columns=GROUPED_COLUMNS), step


def _project_lists(dataset: Dataset, rows: npt.NDArray[np.intp],
                   mask: BoolArray) -> tuple[list[str], IntArray, IntArray]:
    """Per organisation row, its first ``HOVER_PROJECTS`` selected projects' acronyms (in
    dataset order) joined by commas, its selected projects, and how many more than shown."""
    index = index_of(dataset)
    starts, ends = index.offsets[rows], index.offsets[rows + 1]
    lengths = ends - starts
    total = int(lengths.sum())
    # Concatenated ranges starts[i]..ends[i], without a Python loop.
    shift = starts - np.r_[0, np.cumsum(lengths)[:-1]]
    pairs = np.arange(total) + np.repeat(shift, lengths)
    group = np.repeat(np.arange(len(rows)), lengths)
    pos = index.pair_pos[pairs]
    kept = mask[pos]
    pos, group = pos[kept], group[kept]
    counts = np.bincount(group, minlength=len(rows))
    first = np.r_[0, np.cumsum(counts)[:-1]]
    rank = np.arange(len(group)) - first[group]
    shown = rank < HOVER_PROJECTS
    acronyms = dataset.projects["acronym"].iloc[pos[shown]].tolist()
    listed: list[list[str]] = [[] for _ in range(len(rows))]
    for g, acronym in zip(group[shown].tolist(), acronyms, strict=True):
        listed[g].append(str(acronym))
    more = np.maximum(counts - HOVER_PROJECTS, 0).astype(np.int64)
    return [", ".join(a) for a in listed], counts.astype(np.int64), more


def organisation_map(dataset: Dataset, mask: BoolArray, selected: tuple[str, ...] = (),
                     limit: int = MAX_POINTS, listed: int = MAX_UNPLACED,
                     participations: IntArray | None = None) -> OrganisationMap:
    """The organisations of the projects in ``mask``: the ``limit`` with coordinates and most
    participations are drawn (and every organisation of ``selected`` that takes part and has
    coordinates, beyond the limit); those without coordinates are counted and the first
    ``listed`` named, never dropped silently. ``participations`` are
    ``participation_counts(dataset, mask)`` if the caller has them already."""
    if participations is None:
        participations = participation_counts(dataset, mask)
    taking_part = participations > 0
    lat, lon = coordinates(dataset)
    placed = ~np.isnan(lat)
    candidates = np.flatnonzero(taking_part & placed)
    rows = _top(candidates, participations, max(1, limit))
    index = index_of(dataset)
    wanted = [r for r in (index.row(i) for i in selected) if r is not None]
    extra = [r for r in wanted if taking_part[r] and placed[r] and r not in set(rows.tolist())]
    if extra:
        rows = np.r_[rows, np.array(extra, dtype=np.intp)]
    unplaced_rows = _top(np.flatnonzero(taking_part & ~placed), participations, max(1, listed))
    left = np.ones(len(participations), dtype=bool)
    left[rows] = False
    grouped, step = group_by_place(lambda s: dataset_grid(dataset, s), candidates[left[candidates]],
                                   participations)
    orgs = dataset.organisations
    # Projects are counted for the organisations drawn only: one pass less over the pairs.
    project_list, projects, more = _project_lists(dataset, rows, mask)
    selected_set = set(selected)
    ids = orgs["organisation_id"].iloc[rows].tolist()
    names = [str(n or s or i) for n, s, i in zip(orgs["name"].iloc[rows].tolist(),
                                                   orgs["short_name"].iloc[rows].tolist(), ids, strict=True)]
    drawn = pd.DataFrame({
        "organisation_id": ids,
        "name": names,
        "country": orgs["country"].iloc[rows].tolist(),
        "type": orgs["type"].iloc[rows].tolist(),
        "latitude": lat[rows],
        "longitude": lon[rows],
        "participations": participations[rows],
        "projects": projects,
        "project_list": project_list,
        "more_projects": more,
        "selected": [i in selected_set for i in ids],
    }, columns=DRAWN_COLUMNS)
    unplaced_ids = orgs["organisation_id"].iloc[unplaced_rows].tolist()
    unplaced = pd.DataFrame({
        "organisation_id": unplaced_ids,
        "name": [str(n or s or i) for n, s, i in zip(orgs["name"].iloc[unplaced_rows].tolist(),
                                                       orgs["short_name"].iloc[unplaced_rows].tolist(),
                                                       unplaced_ids, strict=True)],
        "country": orgs["country"].iloc[unplaced_rows].tolist(),
        "participations": participations[unplaced_rows],
    }, columns=UNPLACED_COLUMNS)
    return OrganisationMap(
        drawn=drawn,
        organisations=int(taking_part.sum()),
        placeable=int((taking_part & placed).sum()),
        without_coordinates=int((taking_part & ~placed).sum()),
        unplaced=unplaced,
        limit=limit,
        grouped=grouped,
        grid_step=step,
    )
