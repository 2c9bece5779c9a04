"""Build the map geometry the dashboard ships in ``data/geo/``.

Run from the repository root::

    python -m tools.build_geo

Inputs come from the shared boundary files beside the repository
(``../shared/geo/``, or ``--source DIR``):

* ``countries/ne_50m_admin_0_countries.geojson`` (Natural Earth 1:50m admin-0,
  public domain) is subset to Europe and its neighbours, clipped to a European
  frame, simplified as a coverage (shared borders stay shared), snapped to a
  0.001 degree grid and written as ``data/geo/countries.geojson``. Each feature
  has ``id`` (ISO 3166-1 alpha-2 from ``ISO_A2_EH``) both as the top-level
  feature id and as a property, and ``name`` (``NAME_EN``).
* ``nuts2021/NUTS_RG_20M_2021_4326_LEVL_2.geojson`` (Eurostat GISCO) is copied
  unmodified to ``data/geo/nuts2021_levl2.geojson``.

See ``data/geo/LICENCE.md`` for sources, licences and attribution.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

import geopandas as gpd
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping

if TYPE_CHECKING:
    from collections.abc import Sequence

    from shapely.geometry.base import BaseGeometry

# A GeoJSON coordinate array: a number or a (nested) sequence of them.
Coords: TypeAlias = "float | Sequence[Coords]"

from data.io.paths import GEO_DIR  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "geo"
OUT_DIR = GEO_DIR

COUNTRIES_SRC = Path("countries") / "ne_50m_admin_0_countries.geojson"
NUTS2_SRC = Path("nuts2021") / "NUTS_RG_20M_2021_4326_LEVL_2.geojson"
COUNTRIES_OUT = "countries.geojson"
NUTS2_OUT = "nuts2021_levl2.geojson"

# Neighbours shown on a European map besides every CONTINENT == "Europe" feature
# (ISO 3166-1 alpha-2 as in Natural Earth's ISO_A2_EH).
NEIGHBOURS: frozenset[str] = frozenset(
    {
        "TR",  # Turkey
        "CY",  # Cyprus
        "GE",  # Georgia
        "AM",  # Armenia
        "AZ",  # Azerbaijan
        "MA",  # Morocco
        "DZ",  # Algeria
        "TN",  # Tunisia
        "LY",  # Libya
        "EG",  # Egypt
        "IL",  # Israel
        "LB",  # Lebanon
        "SY",  # Syria
        "JO",  # Jordan
        "IQ",  # Iraq
        "IR",  # Iran
        "KZ",  # Kazakhstan
        "RU",  # Russia (also CONTINENT == "Europe")
        "PS",  # Palestine
        "EH",  # Western Sahara
        "GL",  # Greenland (its east coast is inside the frame)
        "SA",  # Saudi Arabia
        "KW",  # Kuwait
        "TM",  # Turkmenistan
        "UZ",  # Uzbekistan
        "AF",  # Afghanistan
    }
)

# Frame (lon_min, lat_min, lon_max, lat_max): keeps Russia east of the Urals,
# Svalbard and the French overseas departments from stretching the map.
BBOX: tuple[float, float, float, float] = (-32.0, 26.0, 62.0, 72.0)

# Coverage simplification tolerance in degrees (about 2 km): below what shows
# at Europe scale, and keeps the file well under 600 KB.
SIMPLIFY_TOLERANCE = 0.02

# Grid the output coordinates are snapped to (3 decimals, about 100 m).
GRID = 0.001
DECIMALS = 3


def polygonal(geom: BaseGeometry | None) -> Polygon | MultiPolygon | None:
    """Return only the polygonal part of *geom*, or None if it has none."""
    if geom is None or geom.is_empty:
        return None
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    parts: list[Polygon] = []
    for part in getattr(geom, "geoms", []):
        sub = polygonal(part)
        if isinstance(sub, Polygon):
            parts.append(sub)
        elif isinstance(sub, MultiPolygon):
            parts.extend(sub.geoms)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def round_coords(coords: Coords, decimals: int = DECIMALS) -> Coords:
    """Round a nested GeoJSON coordinate array to *decimals* places."""
    if isinstance(coords, int | float):
        return round(float(coords), decimals)
    return [round_coords(c, decimals) for c in coords]


def build_countries(source: Path) -> gpd.GeoDataFrame:
    """Read, subset, clip and simplify the Natural Earth countries.

    Returns a GeoDataFrame with columns ``id``, ``name`` and ``geometry``,
    sorted by ``id``.
    """
    world = gpd.read_file(source)
    keep = (world["CONTINENT"] == "Europe") | world["ISO_A2_EH"].isin(NEIGHBOURS)
    gdf = world.loc[keep, ["ISO_A2_EH", "NAME_EN", "geometry"]].rename(
        columns={"ISO_A2_EH": "id", "NAME_EN": "name"}
    )
    bad = sorted(gdf.loc[~gdf["id"].str.fullmatch(r"[A-Z]{2}"), "name"])
    if bad:
        msg = f"features without an ISO alpha-2 code: {bad}"
        raise ValueError(msg)
    if gdf["id"].duplicated().any():
        msg = f"duplicate ids: {sorted(gdf.loc[gdf['id'].duplicated(), 'id'])}"
        raise ValueError(msg)

    geoms = shapely.clip_by_rect(gdf.geometry.to_numpy(), *BBOX)
    geoms = shapely.coverage_simplify(geoms, SIMPLIFY_TOLERANCE)
    geoms = shapely.set_precision(geoms, GRID)
    gdf = gdf.set_geometry([polygonal(g) for g in geoms], crs=gdf.crs)
    gdf = gdf.loc[gdf.geometry.notna()]
    return gdf.sort_values("id").reset_index(drop=True)


def write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Write *gdf* as a GeoJSON FeatureCollection, one feature per line."""
    lines: list[str] = []
    for row in gdf.itertuples(index=False):
        geometry = mapping(row.geometry)
        feature = {
            "type": "Feature",
            "id": row.id,
            "properties": {"id": row.id, "name": row.name},
            "geometry": {
                "type": geometry["type"],
                "coordinates": round_coords(geometry["coordinates"]),
            },
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Build ``data/geo/countries.geojson`` and copy the NUTS 2 file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source",
        type=Path,
        default=DEFAULT_SOURCE,
        help=f"folder with the shared boundary files (default: {DEFAULT_SOURCE})",
    )
    args = parser.parse_args(argv)
    source: Path = args.source

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    countries = build_countries(source / COUNTRIES_SRC)
    out = OUT_DIR / COUNTRIES_OUT
    write_geojson(countries, out)
    print(
        f"{out.relative_to(REPO_ROOT)}: {len(countries)} features, "
        f"{out.stat().st_size:,} bytes"
    )
    print("ids:", " ".join(countries["id"]))

    nuts = OUT_DIR / NUTS2_OUT
    shutil.copyfile(source / NUTS2_SRC, nuts)
    print(f"{nuts.relative_to(REPO_ROOT)}: copied, {nuts.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
