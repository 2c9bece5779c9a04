"""The regional map in Chromium: the switch to NUTS 2, a click on a region (the address, the
chips, the headline and the table follow), the boundaries' credit, the unplaced organisations'
line, a regional address opened directly, and screenshots at a laptop's and a projector's size.
Expected projects come from ``GET /api/projects`` with the same query, never hard-coded."""

from __future__ import annotations

import pytest
from test_browser import (
    ARTIFACTS,
    api_ids,
    assert_clean,
    assert_no_horizontal_scroll,
    hover_and_click,
    open_view,
    settle,
    wait_chips,
    wait_query,
    wait_table,
)

from data.io.geo import region_name
from tools.probes import probe

pytestmark = pytest.mark.browser

CASTILLA_LA_MANCHA = ("ES42", (-3.0, 39.4))
"""A region the seed places a partner in (the University of Castilla-La Mancha), and a point
well inside it."""
CREDIT = "© EuroGeographics for the administrative boundaries"


def click_region(page, code: str, lonlat: tuple[float, float]) -> None:
    """Click the region at ``lonlat`` on the regional map with the mouse, where MapLibre draws it."""
    page.locator("#region-map").scroll_into_view_if_needed()
    page.wait_for_function(probe("region_map_ready"))
    settle(page)
    point = page.evaluate(probe("region_map_pixel"), list(lonlat))
    assert point["inside"], f"{code} {lonlat} is outside the regional map's canvas: {point}"
    hover_and_click(page, "region-map", point["x"], point["y"], region_name(code))


def test_switching_to_nuts_2_and_clicking_a_region_filters_every_view(page, page_log, app_url):
    open_view(page)
    everything = api_ids(app_url, "")
    assert page.locator("#region-map").is_hidden()
    page.locator("#geo-level").get_by_label("NUTS 2", exact=True).check()
    wait_query(page, {"geo": "nuts2"})
    page.wait_for_function(probe("region_map_ready"))
    assert page.locator("#map").is_hidden()
    assert page.evaluate(probe("region_map_credit")) == CREDIT
    assert page.locator("#map-figure").is_hidden()  # with its legend and country list
    assert "could not be placed in a region" in page.inner_text("#region-unplaced")
    assert page.inner_text("#headline-projects") == str(len(everything))

    code, point = CASTILLA_LA_MANCHA
    expected = api_ids(app_url, f"region={code}")
    assert expected and set(expected) < set(everything), "the seed should make this filter bite"
    click_region(page, code, point)
    wait_query(page, {"geo": "nuts2", "region": code})
    wait_chips(page, [f"region: {region_name(code)} ({code})"])
    wait_table(page, expected)
    settle(page)
    assert page.inner_text("#headline-projects") == str(len(expected))
    page.wait_for_function(f"() => ({probe('region_map_outlined')})().join() === '{code}'")

    click_region(page, code, point)  # again: the region goes
    wait_query(page, {"geo": "nuts2"})
    wait_chips(page, [])
    wait_table(page, everything)

    # Back to the country map, drawn full size.
    page.locator("#geo-level").get_by_label("countries", exact=True).check()
    wait_query(page, {})
    page.wait_for_selector("#region-map", state="hidden")
    page.wait_for_selector("#map", state="visible")
    page.wait_for_function(probe("map_ready"))
    width = page.evaluate(
        "() => document.querySelector('#map .maplibregl-canvas').getBoundingClientRect().width")
    assert width > 300, f"the country map came back {width} px wide"
    assert_clean(page_log)


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 1920, "height": 1080}],
                         ids=["laptop-1366x768", "projector-1920x1080"])
def test_a_regional_address_opens_the_regional_map(new_page, page_log, app_url, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    page = new_page(viewport)
    code, _ = CASTILLA_LA_MANCHA
    open_view(page, f"/?geo=nuts2&region={code}")
    page.wait_for_function(probe("region_map_ready"))
    settle(page)
    assert page.locator("#region-map").is_visible() and page.locator("#map").is_hidden()
    assert page.inner_text("#headline-projects") == str(len(api_ids(app_url, f"region={code}")))
    assert page.evaluate(probe("region_map_credit")) == CREDIT
    size = f"{viewport['width']}x{viewport['height']}"
    assert_no_horizontal_scroll(page, size)
    page.locator("#region-map").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"regions-nuts2-{size}.png"))
    assert_clean(page_log)
