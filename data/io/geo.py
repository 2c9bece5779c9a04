"""Boundaries bundled with the app (see ``data/geo/LICENCE.md``), read once at start-up."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

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
