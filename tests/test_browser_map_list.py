"""Browser tests of the map's country list, its small-country circles and its view in the URL.

The keyboard test uses the keyboard alone (Tab, Enter, Space); the marker test clicks with the
real mouse where MapLibre draws the circle; the pan test zooms with the mouse wheel and reads
the zoom back from MapLibre after reloading the address. Expected countries come from the
page's own list and ``GET /api/projects``, never hard-coded counts.
"""

from __future__ import annotations

import pytest
from test_browser import (
    ARTIFACTS,
    api_ids,
    assert_clean,
    assert_no_horizontal_scroll,
    hover_and_click,
    open_view,
    query_of,
    settle,
    wait_chips,
    wait_query,
)

from components import ids
from components.map_figure import small_countries
from data.io.countries import country_name
from data.io.geo import country_shapes
from tools.probes import probe

pytestmark = pytest.mark.browser

ROW = "#country-list button.country-row"
MAX_TABS = 120
"""The page has fewer focusable controls than this before the list."""

def focused_row(page) -> dict[str, str] | None:
    """The country-list button that has the keyboard focus: its DOM id and aria-pressed."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        return el && el.matches('button.country-row')
            ? {id: el.id, pressed: el.getAttribute('aria-pressed'), label: el.innerText}
            : null;
    }""")


def tab_to_country_list(page) -> dict[str, str]:
    page.locator("body").focus()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        row = focused_row(page)
        if row:
            return row
    raise AssertionError(f"{MAX_TABS} presses of Tab never reached the country list")


def country_code(dom_id: str) -> str:
    """The country of a country-list button, from its DOM id (``ids.COUNTRY_ROW_PREFIX``)."""
    assert dom_id.startswith(ids.COUNTRY_ROW_PREFIX), dom_id
    return dom_id.removeprefix(ids.COUNTRY_ROW_PREFIX)


MAP_ZOOM_JS = "document.querySelector('#map .js-plotly-plot')._fullLayout.map._subplot.map.getZoom()"
MAX_HISTORY = 8
"""More history entries than one wheel zoom and one click make."""


def map_zoom(page) -> float:
    return page.evaluate(f"() => {MAP_ZOOM_JS}")


def test_keyboard_alone_reaches_the_country_list_and_filters_by_a_country(page, page_log, app_url):
    open_view(page)
    rows = page.locator(ROW)
    assert rows.count() > 3, "the seed's selection has several countries"
    row = tab_to_country_list(page)
    # Tab reaches the list at its first row, the country with the most projects.
    assert row["id"] == rows.first.get_attribute("id") and row["pressed"] == "false"
    code = country_code(row["id"])
    name = country_name(code)
    assert row["label"].startswith(name), row

    page.keyboard.press("Enter")
    wait_query(page, {"country": code})
    wait_chips(page, [f"country: {name}"])
    settle(page)
    pressed = page.locator(f"{ROW}[aria-pressed='true']")
    assert pressed.count() == 1 and pressed.inner_text().startswith(name)
    assert page.inner_text("#headline-projects") == str(len(api_ids(app_url, f"country={code}")))
    # The focus stays on the row, so Space undoes the choice without the mouse either.
    assert (focused_row(page) or {}).get("pressed") == "true"
    page.keyboard.press(" ")
    wait_query(page, {})
    wait_chips(page, [])
    assert_clean(page_log)


def test_a_small_country_is_filtered_by_clicking_its_circle(page, page_log, app_url):
    open_view(page)
    listed = [country_code(i) for i in page.locator(ROW).evaluate_all("els => els.map(e => e.id)")]
    small = sorted(set(listed) & small_countries(country_shapes()))
    assert small, "the seed has a small country taking part (Belgium, Slovenia)"
    code = small[0]
    shape = country_shapes()[code]
    page.locator("#map").scroll_into_view_if_needed()
    page.wait_for_function(probe("map_ready"))
    settle(page)
    # The circle is drawn: a scattermap trace whose point sits at the country's centroid.
    traces = page.evaluate("""() => document.querySelector('#map .js-plotly-plot').data
        .filter(t => t.type === 'scattermap' && t.customdata)
        .map(t => t.customdata.map(c => c[0]))""")
    assert code in [c for t in traces for c in t]
    point = page.evaluate(probe("map_pixel"), [shape.lon, shape.lat])
    assert point["inside"], point
    hover_and_click(page, "map", point["x"], point["y"], country_name(code))
    wait_query(page, {"country": code})
    wait_chips(page, [f"country: {country_name(code)}"])
    assert_clean(page_log)


def test_panning_the_map_puts_zoom_and_centre_in_the_url_and_a_reload_opens_there(page, page_log, app_url):
    page.add_init_script(probe("request_counter"))
    open_view(page, "/?country=DE")
    page.locator("#map").scroll_into_view_if_needed()
    page.wait_for_function(probe("map_ready"))
    settle(page)
    before = map_zoom(page)
    box = page.locator("#map .js-plotly-plot").bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.45
    requests = page.evaluate("() => window.__requests")
    page.mouse.move(x, y)
    for _ in range(3):
        page.mouse.wheel(0, -240)
        page.wait_for_timeout(150)
    # The address follows the map to where the wheel left it.
    page.wait_for_function(f"""() => {{
        const zoom = new URLSearchParams(location.search).get('zoom');
        return zoom !== null && Math.abs(Number(zoom) - {MAP_ZOOM_JS}) < 0.01;
    }}""")
    settle(page)
    query = query_of(page)
    assert query["country"] == "DE", "a pan keeps the filters"
    zoom = float(query["zoom"])
    lat, lon = (float(v) for v in query["centre"].split(","))
    assert zoom > before + 0.3, (zoom, before)
    assert abs(zoom - map_zoom(page)) < 0.02
    assert 30 < lat < 70 and -20 < lon < 45, query["centre"]
    # The pan sent the hub its moves (one per move MapLibre reports), and no view redrew.
    sent = page.evaluate("() => window.__requests") - requests
    assert 1 <= sent <= 3, f"{sent} callback requests for one zoom"
    assert page.locator(f"{ROW}[aria-pressed='true']").count() == 1

    # A filter click does not reset the zoom.
    page.locator(ROW).nth(1).click()
    page.wait_for_function("() => new URLSearchParams(location.search).getAll('country')"
                           ".join(',').split(',').length === 2")
    settle(page)
    assert abs(map_zoom(page) - zoom) < 0.02
    assert float(query_of(page)["zoom"]) == zoom

    # Back to the address before the pan: the map returns to its own fit; forward: to the pan.
    url = page.url
    for _ in range(MAX_HISTORY):
        page.go_back()
        settle(page)
        if "zoom" not in query_of(page):
            break
    assert query_of(page) == {"country": "DE"}
    page.wait_for_function(f"() => Math.abs({MAP_ZOOM_JS} - {before}) < 0.02")
    for _ in range(MAX_HISTORY):
        page.go_forward()
        settle(page)
        if page.url == url:
            break
    assert page.url == url
    page.wait_for_function(f"() => Math.abs({MAP_ZOOM_JS} - {zoom}) < 0.02")

    page.goto("about:blank")
    open_view(page, url[len(app_url):])
    page.wait_for_function(probe("map_ready"))
    assert abs(map_zoom(page) - zoom) < 0.02
    centre = page.evaluate("() => document.querySelector('#map .js-plotly-plot')"
                           "._fullLayout.map._subplot.map.getCenter()")
    assert abs(centre["lat"] - lat) < 0.01 and abs(centre["lng"] - lon) < 0.01
    assert_clean(page_log)


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 1920, "height": 1080}],
                         ids=["laptop-1366x768", "projector-1920x1080"])
def test_the_map_card_with_its_list_and_legend_fits_the_screen(new_page, page_log, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    page = new_page(viewport)
    size = f"{viewport['width']}x{viewport['height']}"
    open_view(page, "/?map=partners&country=BE")
    page.wait_for_function(probe("map_ready"))
    settle(page)
    assert_no_horizontal_scroll(page, size)
    legend = page.inner_text("#map-legend")
    assert "no partner in this selection" in legend and "small country" in legend
    # The list scrolls inside its box instead of stretching the card.
    box = page.locator("#country-list").bounding_box()
    assert box is not None and box["height"] <= 320
    page.locator("#map").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"map-list-{size}.png"))
    # The whole card: map, legend and the list under it.
    page.locator(".view-card", has=page.locator("#country-list")).screenshot(
        path=str(ARTIFACTS / f"map-list-{size}-card.png"))
    assert_clean(page_log)
