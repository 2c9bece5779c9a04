"""Browser tests of the chart images of the newer views: the regional map (shown in the country
map's card at NUTS 2, whose buttons must export it, not the hidden country map), the
organisation map and the collaboration network. Headless Chromium clicks each chart's PNG and
SVG buttons; the test checks the file names, that the PNG is twice the chart's size with a
caption band and is not blank, that the SVG carries the caption (the filters, the dataset, the
sources, a map's boundaries' credit), and that nothing was asked of another server (the maps are
MapLibre: their image is their WebGL canvas on the blank offline style, no tile or style).

The seed states no coordinates, so the module serves the dataset of
``tests/test_browser_org_map.py`` (organisations with coordinates, placed in NUTS regions from
them), its ``app_url`` fixture replacing the session's here. The comparison's chart (two of
its projects, ``compare=``) is checked at a laptop's size only.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from test_browser import ARTIFACTS, assert_clean, open_view, settle
from test_browser_export import dark_pixels, download, patient
from test_browser_org_map import app_url  # noqa: F401  (the module's server: organisations with coordinates)

from data.engine.state import FilterState
from tools.probes import probe

pytestmark = pytest.mark.browser

QUERY = "from=2010"
FILTERS = "Filters: From: 2010"
NUTS_CREDIT = "© EuroGeographics for the administrative boundaries"
COUNTRIES_CREDIT = "Boundaries: Natural Earth (public domain)"
NETWORK_READY = "() => (" + probe("network_nodes") + ")().length > 1"
COMPARE_READY = """() => { const gd = document.querySelector('#compare-timeline .js-plotly-plot');
    return !!(gd && gd._fullData && gd._fullData.length && gd.getClientRects().length); }"""

VIEWS = {
    # view: (address, graph drawn, button's data-graph, ready probe, file stem, caption text)
    "region-map": (f"/?{QUERY}&geo=nuts2", "region-map", "map", probe("region_map_ready"),
                   "ket-region-map-nuts2-from-2010", ["Map of NUTS regions (NUTS 2)", NUTS_CREDIT]),
    "org-map": (f"/?{QUERY}", "org-map", "org-map", probe("org_map_ready"),
                "ket-org-map-from-2010", ["Partner organisations", COUNTRIES_CREDIT]),
    "network": (f"/?{QUERY}&net=org", "network", "network", NETWORK_READY,
                "ket-network-org-from-2010", ["Collaboration network"]),
    "compare": (f"/?{QUERY}&compare=alpha,beta", "compare-timeline", "compare-timeline", COMPARE_READY,
                "ket-compare-timeline-alpha-beta-from-2010",
                ["Comparison", "Comparison: Alpha (alpha), Beta (beta)", ", 2 projects"]),
}
VIEWPORTS = {"1366x768": {"width": 1366, "height": 768}, "1920x1080": {"width": 1920, "height": 1080}}


def chart_size(page, graph: str) -> tuple[int, int]:
    return tuple(page.evaluate(
        "(id) => { const l = document.querySelector('#' + id + ' .js-plotly-plot')._fullLayout;"
        " return [Math.round(l.width), Math.round(l.height)]; }", graph))


def assert_not_blank(image: Image.Image, chart_height: int, what: str) -> None:
    """The chart part of a 2x PNG has drawing in it, not one flat colour (a map whose WebGL
    canvas was not read comes out white)."""
    chart = image.crop((0, 0, image.width, 2 * chart_height))
    colours = chart.getcolors(1 << 20) or []
    non_white = sum(n for n, c in colours if c != (255, 255, 255)) / (chart.width * chart.height)
    assert len(colours) > 20 and non_white > 0.02, f"the {what} image is blank ({non_white:.2%})"


def export_both(page, view: str, viewport: str, folder: Path) -> None:
    """Open ``view``'s address, click its PNG and SVG buttons and check both files."""
    path, graph, button_graph, ready, stem, own_text = VIEWS[view]
    open_view(page, path)
    page.locator(f"#{graph}").scroll_into_view_if_needed()
    page.wait_for_function(ready)
    settle(page)
    if view == "region-map":
        assert page.locator("#map").is_hidden(), "the regional map is shown instead of the country map"
    width, height = chart_size(page, graph)
    ARTIFACTS.mkdir(exist_ok=True)
    # The card as it is on screen, its buttons in the heading, beside the image made of it.
    card = page.locator(f".view-card:has(#{graph})")
    card.screenshot(path=str(ARTIFACTS / f"export-card-{view}-{viewport}.png"))
    button = f'button.chart-export[data-graph="{button_graph}"]'
    png_path, png_name = download(page, f'{button}[data-format="png"]', folder)
    assert png_name == f"{stem}.png"
    image = Image.open(png_path).convert("RGB")
    image.save(ARTIFACTS / f"export-{view}-{viewport}.png")
    assert image.width == 2 * width, (image.size, (width, height))
    assert image.height > 2 * height + 40, "a caption band is added below the chart"
    assert dark_pixels(image, (0, 2 * height, image.width, image.height)) > 500, "the caption has no text"
    assert_not_blank(image, height, view)
    svg_path, svg_name = download(page, f'{button}[data-format="svg"]', folder)
    assert svg_name == f"{stem}.svg"
    svg = svg_path.read_text(encoding="utf-8")
    assert svg.startswith("<svg")
    for text in [FILTERS, "Dataset: ", "Sources: ", *own_text]:
        assert text in svg, f"the {view} SVG lacks {text!r}"


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("view", ["region-map", "org-map", "network"])
def test_each_chart_downloads_as_png_and_svg_named_after_it_with_its_caption(
        new_page, page_log, tmp_path: Path, view: str, viewport: str) -> None:
    export_both(patient(new_page(VIEWPORTS[viewport])), view, viewport, tmp_path)
    assert_clean(page_log)


def test_the_comparisons_chart_downloads_naming_the_projects_compared(page, page_log, tmp_path: Path) -> None:
    export_both(patient(page), "compare", "1366x768", tmp_path)
    assert_clean(page_log)


def test_the_map_cards_buttons_export_the_country_map_again_once_countries_are_shown(
        page, page_log, tmp_path: Path) -> None:
    patient(page)
    open_view(page, f"/?{QUERY}&geo=nuts2")
    page.wait_for_function(probe("region_map_ready"))
    page.locator("#geo-level").get_by_label("countries", exact=True).check()
    page.wait_for_selector("#region-map", state="hidden")
    page.wait_for_function(probe("map_ready"))
    settle(page)
    svg_path, name = download(page, 'button.chart-export[data-graph="map"][data-format="svg"]', tmp_path)
    assert name == f"ket-map-{FilterState(year_from=2010).to_query().replace('=', '-')}.svg"
    svg = svg_path.read_text(encoding="utf-8")
    assert COUNTRIES_CREDIT in svg and NUTS_CREDIT not in svg
    assert_clean(page_log)
