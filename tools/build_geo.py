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
* ``nuts2021/NUTS_RG_20M_2021_4326_LEVL_{1,2,3}.geojson`` (Eurostat GISCO) are clipped to
  the same frame, simplified as a coverage per level (``NUTS_TOLERANCE``), snapped to the
  same grid and written as ``data/geo/nuts2021_levl{1,2,3}.geojson``; each feature has
  ``id`` (``NUTS_ID``, with GISCO's ``EL``/``UK`` prefixes) and ``name`` (``NAME_LATN``).
* Every NUTS code of levels 0-3, with its level and Latin name, of NUTS 2021 (levels 0-3
  files) and of NUTS 2024 (``nuts2024/NUTS_RG_20M_2024_4326.geojson``) is written to
  ``data/geo/nuts2021_regions.csv`` and ``data/geo/nuts2024_regions.csv``: the codes the
  app accepts and names, including regions outside the frame that the map does not draw.

See ``data/geo/LICENCE.md`` for sources, licences and attribution.
"""

from __future__ import annotations

import argparse
import csv
import json
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
NUTS2021_SRC = "nuts2021/NUTS_RG_20M_2021_4326_LEVL_{level}.geojson"
NUTS2024_SRC = Path("nuts2024") / "NUTS_RG_20M_2024_4326.geojson"
COUNTRIES_OUT = "countries.geojson"
NUTS_OUT = "nuts2021_levl{level}.geojson"
NUTS_CODES_OUT = "nuts{version}_regions.csv"
NUTS_DRAWN_LEVELS = (1, 2, 3)
NUTS_TOLERANCE = {1: 0.02, 2: 0.01, 3: 0.006}
"""Coverage simplification per NUTS level, in degrees: finer levels have smaller regions and
are looked at closer; each file stays under about 600 KB."""

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


def build_nuts(source: Path, level: int) -> gpd.GeoDataFrame:
    """Read one level of GISCO's NUTS 2021, clip it to the frame and simplify it as a coverage.

    Returns a GeoDataFrame with columns ``id`` (NUTS code), ``name`` (Latin name) and
    ``geometry``, sorted by ``id``; regions wholly outside the frame are left out."""
    nuts = gpd.read_file(source)
    gdf = nuts.loc[:, ["NUTS_ID", "NAME_LATN", "geometry"]].rename(
        columns={"NUTS_ID": "id", "NAME_LATN": "name"})
    clipped = [polygonal(g) for g in shapely.clip_by_rect(gdf.geometry.to_numpy(), *BBOX)]
    gdf = gdf.set_geometry(clipped, crs=gdf.crs)
    gdf = gdf.loc[gdf.geometry.notna()]
    geoms = shapely.coverage_simplify(gdf.geometry.to_numpy(), NUTS_TOLERANCE[level])
    geoms = shapely.set_precision(geoms, GRID)
    gdf = gdf.set_geometry([polygonal(g) for g in geoms], crs=gdf.crs)
    gdf = gdf.loc[gdf.geometry.notna()]
    return gdf.sort_values("id").reset_index(drop=True)


def nuts_codes(frames: Sequence[gpd.GeoDataFrame]) -> list[tuple[str, int, str]]:
    """(code, level, Latin name) of every region of GISCO frames, sorted by code."""
    rows = {(str(r.NUTS_ID), int(r.LEVL_CODE), str(r.NAME_LATN))
            for frame in frames for r in frame.itertuples(index=False)}
    return sorted(rows)


def write_codes(rows: Sequence[tuple[str, int, str]], path: Path) -> None:
    """Write NUTS codes as a CSV with the columns ``code``, ``level``, ``name``."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "level", "name"])
        writer.writerows(rows)


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
    """Build ``data/geo/countries.geojson``, the NUTS 2021 levels and the NUTS code lists."""
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

    for level in NUTS_DRAWN_LEVELS:
        regions = build_nuts(source / NUTS2021_SRC.format(level=level), level)
        out = OUT_DIR / NUTS_OUT.format(level=level)
        write_geojson(regions, out)
        print(f"{out.relative_to(REPO_ROOT)}: {len(regions)} features, {out.stat().st_size:,} bytes")
    versions = {
        "2021": [gpd.read_file(source / NUTS2021_SRC.format(level=level)) for level in range(4)],
        "2024": [gpd.read_file(source / NUTS2024_SRC)],
    }
    for version, frames in versions.items():
        out = OUT_DIR / NUTS_CODES_OUT.format(version=version)
        rows = nuts_codes(frames)
        write_codes(rows, out)
        print(f"{out.relative_to(REPO_ROOT)}: {len(rows)} codes")


if __name__ == "__main__":
    main()
