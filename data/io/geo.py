"""Boundaries bundled with the app (see ``data/geo/LICENCE.md``), read once at start-up."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from data.io.paths import GEO_DIR

COUNTRIES_FILE = GEO_DIR / "countries.geojson"
COUNTRIES_ATTRIBUTION = "Boundaries: Natural Earth (public domain)"


@lru_cache(maxsize=1)
def countries_geojson() -> dict[str, Any]:
    """Country polygons of Europe and its neighbours; each feature's ``id`` is ISO alpha-2."""
    with COUNTRIES_FILE.open(encoding="utf-8") as handle:
        geojson: dict[str, Any] = json.load(handle)
    return geojson


def country_ids() -> list[str]:
    """ISO alpha-2 ids of every country the map can draw."""
    return [feature["id"] for feature in countries_geojson()["features"]]
