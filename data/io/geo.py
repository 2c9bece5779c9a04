"""Boundaries bundled with the app (see ``data/geo/LICENCE.md``), read once at start-up: the
countries (Natural Earth) and the NUTS regions (GISCO): their boundaries, codes and names."""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from data.io.i18n import N_
from data.io.paths import GEO_DIR

COUNTRIES_FILE = GEO_DIR / "countries.geojson"
COUNTRIES_ATTRIBUTION = N_("Boundaries: Natural Earth (public domain)")
"""The map's credit for its boundaries, translated where it is shown (``Translator.message``)."""
KM_PER_DEGREE = 111.2
"""Kilometres per degree of latitude (and of longitude at the equator)."""


@lru_cache(maxsize=1)
def countries_geojson() -> dict[str, Any]:
    """Country polygons of Europe and its neighbours; each feature's ``id`` is ISO alpha-2."""
    with COUNTRIES_FILE.open(encoding="utf-8") as handle:
        geojson: dict[str, Any] = json.load(handle)
    return geojson


def country_ids() -> list[str]:
    """ISO alpha-2 ids of every country the map can draw."""
    return [feature["id"] for feature in countries_geojson()["features"]]


@dataclass(frozen=True)
class CountryShape:
    """What the map needs to know of one country's outline: its area and a point inside it."""

    id: str
    area_km2: float
    lat: float
    lon: float


def _ring_area_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """Area (km², unsigned) and centroid (lon, lat) of one ring, on a local equirectangular
    projection: exact enough to tell Malta from France, and no geo stack at run time."""
    lat0 = math.radians(sum(p[1] for p in ring) / len(ring))
    kx, ky = KM_PER_DEGREE * math.cos(lat0), KM_PER_DEGREE
    twice, cx, cy = 0.0, 0.0, 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        twice += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if not twice:
        return 0.0, ring[0][0], ring[0][1]
    return abs(twice) / 2 * kx * ky, cx / (3 * twice), cy / (3 * twice)


def _shape(feature: dict[str, Any]) -> CountryShape:
    geometry = feature.get("geometry") or {}
    polygons = geometry.get("coordinates") or []
    if geometry.get("type") == "Polygon":
        polygons = [polygons]
    # Each polygon's outer ring; holes are too small to matter for "is it visible".
    parts = [_ring_area_centroid([list(p[:2]) for p in polygon[0]]) for polygon in polygons if polygon]
    if not parts:
        return CountryShape(str(feature["id"]), 0.0, 0.0, 0.0)
    _, lon, lat = max(parts)
    # The marker sits on the largest part (Cyprus, not the sea between its pieces).
    return CountryShape(str(feature["id"]), sum(p[0] for p in parts), round(lat, 3), round(lon, 3))


@lru_cache(maxsize=1)
def country_shapes() -> dict[str, CountryShape]:
    """Area and a centroid of every country the map draws, by ISO alpha-2 id; computed once."""
    return {shape.id: shape for shape in map(_shape, countries_geojson()["features"])}


# --- NUTS regions (Eurostat GISCO; see data/geo/LICENCE.md) ---------------------------------

NUTS_ATTRIBUTION = N_("© EuroGeographics for the administrative boundaries")
"""The credit every map drawn from GISCO's NUTS boundaries must show."""
NUTS_VERSIONS = ("2021", "2024")
"""The NUTS versions whose codes the app knows; the map draws NUTS 2021."""
NUTS_MAP_VERSION = "2021"
NUTS_DRAWN_LEVELS = (1, 2, 3)
"""The NUTS levels the map draws (level 0, the countries, is drawn from Natural Earth)."""


def nuts_geojson_file(level: int) -> Path:
    """The simplified NUTS 2021 boundaries of one level (``tools/build_geo.py``)."""
    if level not in NUTS_DRAWN_LEVELS:
        raise ValueError(f"no NUTS boundaries of level {level}")
    return GEO_DIR / f"nuts{NUTS_MAP_VERSION}_levl{level}.geojson"


@lru_cache(maxsize=len(NUTS_DRAWN_LEVELS))
def nuts_geojson(level: int) -> dict[str, Any]:
    """The NUTS 2021 regions of one level (1, 2 or 3); each feature's ``id`` is its NUTS code
    (GISCO's ``EL`` and ``UK`` prefixes kept) and its properties ``id`` and ``name``."""
    with nuts_geojson_file(level).open(encoding="utf-8") as handle:
        geojson: dict[str, Any] = json.load(handle)
    return geojson


def nuts_ids(level: int) -> list[str]:
    """The codes of the regions the map draws at one level, in file order."""
    return [str(feature["id"]) for feature in nuts_geojson(level)["features"]]


@dataclass(frozen=True)
class NutsRegion:
    """One NUTS code of one version: its level (0-3, the code's length minus 2) and name."""

    code: str
    level: int
    name: str


@lru_cache(maxsize=len(NUTS_VERSIONS))
def nuts_regions(version: str) -> dict[str, NutsRegion]:
    """Every NUTS code of a version (levels 0-3, regions outside the map's frame included),
    read from ``data/geo/nuts<version>_regions.csv``."""
    if version not in NUTS_VERSIONS:
        raise ValueError(f"unknown NUTS version {version!r}")
    with (GEO_DIR / f"nuts{version}_regions.csv").open(encoding="utf-8", newline="") as handle:
        return {row["code"]: NutsRegion(row["code"], int(row["level"]), row["name"])
                for row in csv.DictReader(handle)}


def region_name(code: str) -> str:
    """The Latin name of a NUTS code (2021's where both versions have it), else the code."""
    for version in NUTS_VERSIONS:
        found = nuts_regions(version).get(code)
        if found is not None:
            return found.name
    return code


@dataclass(frozen=True)
class RegionRing:
    """One ring of a region's boundary (outer or hole), for telling which region a point is in:
    ``polygon`` numbers the polygon it belongs to, so holes count by the even-odd rule."""

    code: str
    polygon: int
    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]


@lru_cache(maxsize=1)
def nuts_rings(level: int = 3) -> tuple[RegionRing, ...]:
    """Every ring of the NUTS 2021 regions of ``level``, as coordinate arrays; read once."""
    rings: list[RegionRing] = []
    polygon = 0
    for feature in nuts_geojson(level)["features"]:
        geometry = feature.get("geometry") or {}
        polygons = geometry.get("coordinates") or []
        if geometry.get("type") == "Polygon":
            polygons = [polygons]
        for parts in polygons:
            for ring in parts:
                points = np.asarray(ring, dtype=np.float64)
                if len(points) >= 4:
                    rings.append(RegionRing(str(feature["id"]), polygon, points[:, 0], points[:, 1]))
            polygon += 1
    return tuple(rings)


@lru_cache(maxsize=len(NUTS_DRAWN_LEVELS))
def nuts_centroids(level: int) -> dict[str, tuple[float, float]]:
    """(latitude, longitude) of a point on each region's largest part, by NUTS code."""
    return {shape.id: (shape.lat, shape.lon) for shape in map(_shape, nuts_geojson(level)["features"])}
