"""Browser tests: the country map's redraw after a click paints the new colours.

``assets/map_redraw.js`` keeps MapLibre from re-reading GeoJSON it already holds and from
painting while a redraw's sources load; what the screen shows must still be what Plotly drew.
The colour a country should have is the one Plotly handed MapLibre (``map_fill_of``); the colour
it has is the screenshot's pixel at the country's centre.
"""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from test_browser import api_ids, hover_and_click, open_view, settle, taxonomy_slugs, wait_query

from data.io.geo import country_shapes
from tools.probes import probe

pytestmark = pytest.mark.browser

COMPACT = ("FR", "ES", "DE", "PL", "RO", "HU", "CZ", "AT")
"""Countries whose centroid lies well inside them, where the pixel is the country's fill."""
TOLERANCE = 6
"""Per channel: MapLibre's blending rounds, the screenshot's encoding does not."""


def rgb(colour: str) -> tuple[int, ...]:
    values = re.findall(r"[\d.]+", colour)
    assert len(values) >= 3, f"not an rgb colour: {colour!r}"
    return tuple(round(float(v)) for v in values[:3])


def shown_colour(page, lonlat: tuple[float, float]) -> tuple[int, ...]:
    """The screen's colour at ``lonlat`` on the country map."""
    point = page.evaluate(probe("map_pixel"), list(lonlat))
    assert point["inside"], f"{lonlat} is outside the map's canvas: {point}"
    shot = page.screenshot(clip={"x": point["x"], "y": point["y"], "width": 1, "height": 1})
    pixel = Image.open(io.BytesIO(shot)).convert("RGB").getpixel((0, 0))
    return tuple(int(c) for c in pixel)


def wait_colour(page, code: str) -> tuple[int, ...]:
    """Wait until the map shows the colour Plotly gave the country ``code``; that colour."""
    shape = country_shapes()[code]
    lonlat = (shape.lon, shape.lat)
    expected = shown = (-1, -1, -1)
    for _attempt in range(40):
        expected = rgb(page.evaluate(probe("map_fill_of"), code))
        shown = shown_colour(page, lonlat)
        if all(abs(a - b) <= TOLERANCE for a, b in zip(expected, shown, strict=True)):
            return expected
        page.wait_for_timeout(250)
    raise AssertionError(f"{code} is shown in {shown}, Plotly drew it in {expected}")


def test_a_matrix_click_repaints_the_map_in_the_selections_colours(page, page_log, app_url):
    open_view(page)
    page.locator("#map").scroll_into_view_if_needed()
    page.wait_for_function(probe("map_ready"))
    settle(page)
    before = {code: wait_colour(page, code) for code in COMPACT}

    kets, sectors = taxonomy_slugs("kets.csv", "ket_id"), taxonomy_slugs("sectors.csv", "sector_id")
    page.locator("#matrix").scroll_into_view_if_needed()
    cells = [c for c in page.evaluate(probe("matrix_cells")) if c["row"] in kets and c["column"] in sectors
             and "not-stated" not in (kets[c["row"]], sectors[c["column"]])]
    cell = max(cells, key=lambda c: (c["count"], -c["r"], -c["c"]))
    ket, sector = kets[cell["row"]], sectors[cell["column"]]
    hover_and_click(page, "matrix", cell["x"], cell["y"], f"{cell['count']} project(s)")
    wait_query(page, {"ket": ket, "sector": sector})
    settle(page)
    page.locator("#map").scroll_into_view_if_needed()
    after = {code: wait_colour(page, code) for code in COMPACT}
    changed = [code for code in COMPACT if after[code] != before[code]]
    assert changed, f"the seed data's counts should recolour one of {COMPACT}: {after}"
    assert any(api_ids(app_url, f"ket={ket}&sector={sector}&country={code}") for code in changed), \
        "a country still on the colour scale should have been recoloured"

    page.go_back()
    wait_query(page, {})
    settle(page)
    assert {code: wait_colour(page, code) for code in COMPACT} == before
    assert page_log.console_errors == [], f"console errors: {page_log.console_errors}"
