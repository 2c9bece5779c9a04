"""Where each organisation is, as NUTS regions: placed once when the dataset is indexed.

An organisation is placed by its ``nuts_code`` (stripped, upper-cased; ``GR``/``GB`` read as
NUTS's ``EL``/``UK``). A code's level is its length minus 2, and it rolls up to its prefixes,
so an organisation in DE212 is also in DE21, DE2 and DE. The version: a code of NUTS 2021 (the
version of Horizon 2020 and Horizon Europe data) is read as NUTS 2021; a code that exists only
in NUTS 2024 says the data uses NUTS 2024 and is read so. Where the code is missing, or is in
neither version, the organisation's coordinates are looked up in the NUTS 2021 level-3
boundaries (point in polygon, vectorised, once). What cannot be placed is counted by its reason
and listed, never dropped (``REASONS``); so is what cannot be drawn at a level of the map (a
code of a larger region, a region of NUTS 2024 only).

Nothing here imports the geo stack: the boundaries are coordinate arrays from ``data.io.geo``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from data.engine.arrays import distinct
from data.io.geo import NUTS_MAP_VERSION, NUTS_VERSIONS, RegionRing, nuts_regions
from data.io.i18n import N_

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

LEVELS = (0, 1, 2, 3)
PLACED = 0
REASONS: dict[int, tuple[str, str]] = {
    1: ("no_location", N_("without a NUTS code or coordinates")),
    2: ("unknown_code", N_("with a NUTS code of neither NUTS 2021 nor 2024 and no coordinates")),
    3: ("outside", N_("with coordinates outside every NUTS region")),
    4: ("coarser", N_("placed only in a larger region than this level's")),
    5: ("not_drawn", N_("in a NUTS 2024 region the NUTS 2021 map does not have")),
}
"""Why an organisation has no region at a level: code -> (key, words for the line under the
map). 1-3 mean it is not placed at all; 4 and 5 that it is placed, but not at that level."""
METHOD_NONE, METHOD_CODE, METHOD_COORDINATES = 0, 1, 2
PREFIXES = {"GR": "EL", "GB": "UK"}
"""ISO country codes that NUTS writes otherwise, at the start of a code."""


def normalise_code(code: str) -> str:
    """A NUTS code as NUTS writes it: no surrounding space, upper case, ``EL``/``UK`` prefixes."""
    text = code.strip().upper()
    return PREFIXES.get(text[:2], text[:2]) + text[2:]


def code_level(code: str) -> int:
    """The NUTS level of a code: its length minus 2 (DE: 0, DE2: 1, DE21: 2, DE212: 3)."""
    return len(code) - 2


def points_in_rings(lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64],
                    rings: Sequence[RegionRing]) -> npt.NDArray[np.object_]:
    """The region code each point (``lon``, ``lat``) lies in, '' where it is in none.

    Even-odd ray casting per polygon over the points in its bounding box (found by binary
    search on the points sorted by longitude), so the work is about points x nearby edges."""
    found = np.full(len(lon), "", dtype=object)
    if not len(lon) or not rings:
        return found
    order = np.argsort(lon, kind="stable")
    sorted_lon = lon[order]
    polygons: dict[int, list[RegionRing]] = {}
    for ring in rings:
        polygons.setdefault(ring.polygon, []).append(ring)
    for parts in polygons.values():
        outer = parts[0]
        lo = np.searchsorted(sorted_lon, outer.lon.min(), side="left")
        hi = np.searchsorted(sorted_lon, outer.lon.max(), side="right")
        if lo >= hi:
            continue
        candidates = order[lo:hi]
        y = lat[candidates]
        candidates = candidates[(y >= outer.lat.min()) & (y <= outer.lat.max())]
        candidates = candidates[found[candidates] == ""]
        if not len(candidates):
            continue
        for start in range(0, len(candidates), POINTS_PER_BLOCK):
            block = candidates[start:start + POINTS_PER_BLOCK]
            found[block[_inside(lon[block], lat[block], parts)]] = outer.code
    return found


POINTS_PER_BLOCK = 4096
"""Points tested against a polygon at once: bounds the points x edges arrays to a few MB."""


def _inside(lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64],
            rings: Sequence[RegionRing]) -> BoolArray:
    """Even-odd rule: True where a point is inside the polygon of ``rings`` (outer and holes)."""
    px, py = lon[:, None], lat[:, None]
    inside = np.zeros(len(lon), dtype=bool)
    for ring in rings:
        x1, y1 = ring.lon[:-1][None, :], ring.lat[:-1][None, :]
        x2, y2 = ring.lon[1:][None, :], ring.lat[1:][None, :]
        crosses = (y1 > py) != (y2 > py)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_at = x1 + (py - y1) * (x2 - x1) / (y2 - y1)
        inside ^= (crosses & (px < x_at)).sum(axis=1) % 2 == 1
    return inside


def _coordinates(text: pd.Series) -> npt.NDArray[np.float64]:
    """Coordinates as floats; empty or unreadable stays NaN (unknown, never 0)."""
    return pd.to_numeric(text.replace("", None), errors="coerce").to_numpy(dtype=np.float64)


@dataclass(frozen=True, eq=False)
class RegionIndex:
    """The NUTS regions of one dataset's organisations and projects.

    ``codes`` are every NUTS code of both versions, sorted; ``org_region[i, level]`` indexes
    into them (-1: none at that level) for row ``i`` of ``organisations``; ``org_reason[i,
    level]`` says why there is none (``REASONS``; 0 where there is one). Per level, the
    distinct (region, project) pairs sorted by region (``pair_region``, ``pair_pos``, with
    ``offsets`` into them per code): a region's projects are a slice."""

    codes: npt.NDArray[np.object_]
    names: dict[str, str]
    code_levels: npt.NDArray[np.int8]
    org_region: npt.NDArray[np.int32]
    org_reason: npt.NDArray[np.int8]
    org_method: npt.NDArray[np.int8]
    org_version: npt.NDArray[np.object_]
    """'2021', '2024' or '' (not placed) per organisation."""
    drawn: BoolArray
    """Per code: a region of the version the map draws (NUTS 2021)."""
    pair_region: tuple[IntArray, ...]
    pair_pos: tuple[IntArray, ...]
    offsets: tuple[IntArray, ...]
    size: int
    """Number of projects of the dataset."""
    lookup: dict[str, int] = field(repr=False)

    def level_of(self, code: str) -> int | None:
        """The level of a known code, None for a code of neither version."""
        found = self.lookup.get(code)
        return None if found is None else int(self.code_levels[found])

    def projects_of(self, code: str) -> IntArray:
        """Positions of the projects with a partner placed in the region ``code``."""
        found = self.lookup.get(code)
        if found is None:
            return np.zeros(0, dtype=np.int64)
        level = int(self.code_levels[found])
        offsets = self.offsets[level]
        return self.pair_pos[level][offsets[found]:offsets[found + 1]]

    def present(self) -> list[str]:
        """The codes, of every level, in which at least one project has a partner."""
        counts = np.zeros(len(self.codes), dtype=np.int64)
        for level in LEVELS:
            counts += np.diff(self.offsets[level])
        return [str(c) for c in self.codes[counts > 0]]


class RegionMembers(Mapping[str, BoolArray]):
    """NUTS code -> boolean array over projects, as ``Dataset.members`` holds it for the other
    dimensions; made when asked for (about 2,000 codes would take a mask each), from the
    region's slice of project positions."""

    def __init__(self, index: RegionIndex) -> None:
        self._index = index
        self._present = index.present()

    def __getitem__(self, code: str) -> BoolArray:
        if code not in self._index.lookup:
            raise KeyError(code)
        mask = np.zeros(self._index.size, dtype=bool)
        mask[self._index.projects_of(code)] = True
        mask.setflags(write=False)
        return mask

    def __iter__(self) -> Iterator[str]:
        return iter(self._present)

    def __len__(self) -> int:
        return len(self._present)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._index.lookup


def known_codes() -> dict[str, tuple[int, str, str]]:
    """Every NUTS code of both versions: code -> (level, name, version it is read as)."""
    known: dict[str, tuple[int, str, str]] = {}
    for version in reversed(NUTS_VERSIONS):
        for code, region in nuts_regions(version).items():
            known[code] = (region.level, region.name, version)
    # NUTS 2021 last, so a code of both versions is read as 2021 (and named as 2021 names it).
    return known


def _pairs(region: npt.NDArray[np.int32], participation_org: npt.NDArray[np.intp],
           participation_pos: IntArray, codes: int, size: int) -> tuple[IntArray, IntArray, IntArray]:
    """Distinct (region, project) pairs of one level, sorted by region, and per-code offsets."""
    of_row = region[participation_org] if len(participation_org) else np.zeros(0, dtype=np.int32)
    keep = (participation_org >= 0) & (of_row >= 0) if len(participation_org) else np.zeros(0, dtype=bool)
    key = distinct(of_row[keep].astype(np.int64) * max(size, 1) + participation_pos[keep])
    pair_region, pair_pos = key // max(size, 1), key % max(size, 1)
    offsets = np.searchsorted(pair_region, np.arange(codes + 1), side="left").astype(np.int64)
    return pair_region, pair_pos, offsets


def place(organisations: pd.DataFrame, participation_org: npt.NDArray[np.intp],
          participation_pos: IntArray, size: int, rings: Sequence[RegionRing]) -> RegionIndex:
    """Place every organisation (columns ``nuts_code``, ``latitude``, ``longitude``) in NUTS
    regions, and index the projects of each region through ``participation_org`` (row of
    ``organisations`` per participation) and ``participation_pos`` (its project position).
    ``rings`` are the NUTS 2021 level-3 boundaries the coordinates are looked up in."""
    known = known_codes()
    codes = np.array(sorted(known), dtype=object)
    lookup = {str(c): i for i, c in enumerate(codes)}
    code_levels = np.array([known[c][0] for c in codes], dtype=np.int8)
    map_codes = nuts_regions(NUTS_MAP_VERSION)
    drawn = np.array([c in map_codes for c in codes], dtype=bool)
    n = len(organisations)

    def column(name: str) -> pd.Series:
        if name in organisations.columns:
            return organisations[name].astype(str)
        return pd.Series([""] * n, index=organisations.index, dtype=object)

    # Few distinct codes among many organisations: work on the distinct ones.
    raw_codes, raw_uniques = pd.factorize(column("nuts_code"), sort=False)
    normal = np.array([normalise_code(str(c)) if str(c).strip() else "" for c in raw_uniques] + [""],
                      dtype=object)
    stated = normal[raw_codes]
    by_code = np.append(np.array([c in lookup for c in normal[:-1]], dtype=bool), False)[raw_codes]
    lon, lat = _coordinates(column("longitude")), _coordinates(column("latitude"))
    has_point = ~np.isnan(lon) & ~np.isnan(lat)
    ask = ~by_code & has_point
    from_point = points_in_rings(lon[ask], lat[ask], rings)
    placed_code = np.where(by_code, stated, "").astype(object)
    placed_code[np.flatnonzero(ask)] = from_point
    method = np.where(by_code, METHOD_CODE, METHOD_NONE).astype(np.int8)
    method[np.flatnonzero(ask)[from_point != ""]] = METHOD_COORDINATES
    # Why an organisation is nowhere: the first reason that applies.
    unplaced = np.where(stated != "", 2, np.where(has_point, 3, 1)).astype(np.int8)
    unplaced[has_point & ~by_code] = 3
    unplaced[method != METHOD_NONE] = PLACED
    placed_codes, placed_uniques = pd.factorize(pd.Series(placed_code, dtype=object), sort=False)
    uniques = [str(c) for c in placed_uniques]
    version = np.array([known[c][2] if c else "" for c in uniques] + [""], dtype=object)[placed_codes]

    org_region = np.full((n, len(LEVELS)), -1, dtype=np.int32)
    org_reason = np.repeat(unplaced[:, None], len(LEVELS), axis=1)
    code_level = np.array([code_level_or(c) for c in uniques] + [-1], dtype=np.int64)[placed_codes]
    for level in LEVELS:
        prefix_index = np.array([lookup.get(c[:2 + level], -1) if c and len(c) >= 2 + level else -1
                                 for c in uniques] + [-1], dtype=np.int32)
        index = prefix_index[placed_codes]
        on_map = index >= 0
        on_map[on_map] = drawn[index[on_map]]
        org_region[:, level] = np.where(on_map, index, -1)
        placed = unplaced == PLACED
        org_reason[placed & (code_level < level), level] = 4
        org_reason[placed & (code_level >= level) & ~on_map, level] = 5
        org_reason[placed & on_map, level] = PLACED
    pairs = [_pairs(org_region[:, level], participation_org, participation_pos, len(codes), size)
             for level in LEVELS]
    return RegionIndex(
        codes=codes, names={c: known[c][1] for c in known}, code_levels=code_levels,
        org_region=org_region, org_reason=org_reason, org_method=method, org_version=version,
        drawn=drawn, pair_region=tuple(p[0] for p in pairs), pair_pos=tuple(p[1] for p in pairs),
        offsets=tuple(p[2] for p in pairs), size=size, lookup=lookup,
    )


def code_level_or(code: str) -> int:
    """``code_level`` of a code, -1 for none."""
    return code_level(code) if code else -1


def region_counts(index: RegionIndex, level: int, context: BoolArray,
                  participation_org: npt.NDArray[np.intp], participation_pos: IntArray,
                  active: BoolArray | None = None) -> pd.DataFrame:
    """Per region of ``level`` with a project of ``context``: columns region, name, projects
    (distinct projects with a partner there) and organisations (distinct partners placed
    there taking part in them), by projects descending then code. ``active`` is
    ``taking_part`` of the context, when the caller has it already."""
    codes = len(index.codes)
    pair_region, pair_pos = index.pair_region[level], index.pair_pos[level]
    projects = np.bincount(pair_region[context[pair_pos]], minlength=codes)
    if active is None:
        active = taking_part(context, participation_org, participation_pos, len(index.org_region))
    region = index.org_region[:, level]
    organisations = np.bincount(region[active & (region >= 0)], minlength=codes)
    rows = np.flatnonzero(projects > 0)
    rows = rows[np.lexsort((rows, -projects[rows]))]
    found = [str(c) for c in index.codes[rows]]
    return pd.DataFrame({
        "region": pd.Series(found, dtype=object),
        "projects": projects[rows].astype(np.int64),
        "organisations": organisations[rows].astype(np.int64),
        "name": pd.Series([index.names.get(c, c) for c in found], dtype=object),
    })


def taking_part(context: BoolArray, participation_org: npt.NDArray[np.intp],
                participation_pos: IntArray, organisations: int) -> BoolArray:
    """Per organisation: True where it takes part in a project of ``context``."""
    if not len(participation_pos):
        return np.zeros(organisations, dtype=bool)
    rows = participation_org[context[participation_pos] & (participation_org >= 0)]
    return np.bincount(rows, minlength=organisations)[:organisations] > 0


@dataclass(frozen=True)
class Unplaced:
    """The organisations of a selection the map cannot put in a region of its level."""

    total: int
    by_reason: dict[str, int]
    """Reason key (``REASONS``) -> number of organisations, the largest first."""
    rows: IntArray
    """Rows of ``organisations`` (at most the few the page lists), by reason then row."""
    reasons: tuple[str, ...]
    """The reason key of each of ``rows``."""


def unplaced(index: RegionIndex, level: int, active: BoolArray, most: int = 200) -> Unplaced:
    """The organisations of ``active`` without a region at ``level``, counted by reason; the
    first ``most`` of them listed."""
    reason = index.org_reason[:, level]
    missing = active & (reason != PLACED)
    counts = np.bincount(reason[missing], minlength=len(REASONS) + 1)
    by_reason = {REASONS[r][0]: int(counts[r]) for r in sorted(REASONS, key=lambda r: (-counts[r], r))
                 if counts[r]}
    rows = np.flatnonzero(missing)
    rows = rows[np.argsort(reason[rows], kind="stable")][:most]
    keys = {r: REASONS[r][0] for r in REASONS}
    return Unplaced(int(missing.sum()), by_reason, rows.astype(np.int64),
                    tuple(keys[int(r)] for r in reason[rows]))


def reason_words(key: str) -> str:
    """The words (untranslated message) of a reason key."""
    for reason_key, words in REASONS.values():
        if reason_key == key:
            return words
    return key
