"""Browser tests of the regional map's and the organisation map's view in the URL.

Each map is zoomed with the real mouse wheel; the address then holds its view (the regional map
``zoom``/``centre``, shared with the country map; the organisation map ``org_zoom``/
``org_centre``), the pan asked the server for no view (only the hub heard of it), back and
forward move the map, and the address reloaded opens the map there (read back from Plotly's
``gd._fullLayout.map``). The organisation map needs coordinates, which the seed does not state:
this module serves the tiny dataset of ``tests/test_browser_org_map.py`` (its ``app_url``, which
replaces the session's here); the regional map draws every NUTS region of its level on any data.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_browser import assert_clean, open_view, query_of, settle
from test_browser_org_map import app_url  # noqa: F401  (this module's server: the fixture)

from components import ids
from components.map_figure import EUROPE_ZOOM
from tools.probes import probe

pytestmark = pytest.mark.browser

MAX_HISTORY = 8
"""More history entries than one wheel zoom makes (one per move MapLibre reports)."""


def plot(graph: str) -> str:
    return f"document.querySelector('#{graph} .js-plotly-plot')"


def layout_view(page, graph: str) -> dict[str, Any]:
    """The map's zoom and centre as Plotly holds them (``gd._fullLayout.map``)."""
    return page.evaluate(f"() => {{ const m = {plot(graph)}._fullLayout.map;"
                         " return {zoom: m.zoom, lat: m.center.lat, lon: m.center.lon}; }")


def wait_zoom(page, graph: str, zoom: float) -> None:
    try:
        page.wait_for_function(f"() => Math.abs({plot(graph)}._fullLayout.map.zoom - {zoom}) < 0.02")
    except PlaywrightTimeout as exc:  # say where the map is instead of a bare timeout
        shown = layout_view(page, graph)
        raise AssertionError(f"#{graph} stayed at {shown}, not zoom {zoom}; address "
                             f"{query_of(page)}") from exc


def wheel_zoom(page, graph: str, zoom_param: str) -> dict[str, Any]:
    """Zoom ``graph`` in with the mouse wheel; wait until the address's ``zoom_param`` is where
    the map is; the callback requests the zoom made."""
    box = page.locator(f"#{graph} .js-plotly-plot").bounding_box()
    assert box is not None
    sent = page.evaluate("() => window.__updates.length")
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.45)
    for _ in range(3):
        page.mouse.wheel(0, -240)
        page.wait_for_timeout(150)
    page.wait_for_function(f"""() => {{
        const zoom = new URLSearchParams(location.search).get('{zoom_param}');
        return zoom !== null && Math.abs(Number(zoom) - {plot(graph)}._fullLayout.map.zoom) < 0.01;
    }}""")
    settle(page)
    return page.evaluate(f"() => window.__updates.slice({sent})")


def assert_only_the_hub_heard(updates: list[dict[str, Any]], graph: str) -> None:
    """One to a few requests, each the hub's answer to the map's relayout: no view redrew."""
    assert 1 <= len(updates) <= 3, f"{len(updates)} callback requests for one zoom: {updates}"
    for update in updates:
        assert update["changed"] == [f"{graph}.relayoutData"], update
        assert f"{ids.STATE}.data" in update["output"], update
    assert not any(f"{ids.VIEW_FILTERS}.data" in u["output"] for u in updates)


def back_and_forward(page, graph: str, zoom_param: str, before: float, zoom: float) -> None:
    """Back to the address before the zoom: the map returns to its own fit; forward: to the zoom."""
    url = page.url
    for _ in range(MAX_HISTORY):
        page.go_back()
        settle(page)
        if zoom_param not in query_of(page):
            break
    assert zoom_param not in query_of(page)
    wait_zoom(page, graph, before)
    for _ in range(MAX_HISTORY):
        page.go_forward()
        settle(page)
        if page.url == url:
            break
    assert page.url == url
    wait_zoom(page, graph, zoom)


def reload_opens_there(page, graph: str, ready: str, url: str, zoom: float, lat: float, lon: float) -> None:
    page.goto("about:blank")
    open_view(page, url)
    page.locator(f"#{graph}").scroll_into_view_if_needed()
    page.wait_for_function(probe(ready))
    view = layout_view(page, graph)
    assert abs(view["zoom"] - zoom) < 0.02, (view, zoom)
    assert abs(view["lat"] - lat) < 0.01 and abs(view["lon"] - lon) < 0.01, (view, lat, lon)


def test_zooming_the_regional_map_puts_its_view_in_the_url_and_a_reload_opens_there(page, page_log) -> None:
    page.add_init_script(probe("update_requests"))
    open_view(page, "/?geo=nuts2")
    page.locator("#region-map").scroll_into_view_if_needed()
    page.wait_for_function(probe("region_map_ready"))
    settle(page)
    before = layout_view(page, ids.REGION_MAP)["zoom"]
    assert abs(before - EUROPE_ZOOM) < 0.02, "the regional map opens on Europe"

    updates = wheel_zoom(page, ids.REGION_MAP, "zoom")
    query = query_of(page)
    assert set(query) == {"geo", "zoom", "centre"}, query
    assert query["geo"] == "nuts2", "a zoom keeps the level"
    zoom = float(query["zoom"])
    lat, lon = (float(v) for v in query["centre"].split(","))
    assert zoom > before + 0.3, (zoom, before)
    assert 30 < lat < 70 and -20 < lon < 45, query["centre"]
    assert_only_the_hub_heard(updates, ids.REGION_MAP)

    back_and_forward(page, ids.REGION_MAP, "zoom", before, zoom)
    url = page.url[page.url.index("/?"):]
    reload_opens_there(page, ids.REGION_MAP, "region_map_ready", url, zoom, lat, lon)
    # The address's view is the country map's too: back on it, it opens there.
    page.locator("#geo-level").get_by_label("countries", exact=True).check()
    page.wait_for_function(probe("map_ready"))
    settle(page)
    assert query_of(page) == {"zoom": query["zoom"], "centre": query["centre"]}
    assert abs(layout_view(page, ids.MAP)["zoom"] - zoom) < 0.02
    assert_clean(page_log)


def test_zooming_the_organisation_map_puts_its_own_view_in_the_url_and_a_reload_opens_there(
    page, page_log,
) -> None:
    page.add_init_script(probe("update_requests"))
    open_view(page, "/")
    page.locator("#org-map .js-plotly-plot").scroll_into_view_if_needed()
    page.wait_for_function(probe("org_map_ready"))
    settle(page)
    before = layout_view(page, ids.ORG_MAP)["zoom"]
    country_map = layout_view(page, ids.MAP)

    updates = wheel_zoom(page, ids.ORG_MAP, "org_zoom")
    query = query_of(page)
    assert set(query) == {"org_zoom", "org_centre"}, "the country map's view is not the org map's"
    zoom = float(query["org_zoom"])
    lat, lon = (float(v) for v in query["org_centre"].split(","))
    assert zoom > before + 0.3, (zoom, before)
    assert 30 < lat < 70 and -20 < lon < 45, query["org_centre"]
    assert_only_the_hub_heard(updates, ids.ORG_MAP)
    assert layout_view(page, ids.MAP) == country_map, "the country map did not move"

    back_and_forward(page, ids.ORG_MAP, "org_zoom", before, zoom)
    url = page.url[page.url.index("/?"):]
    reload_opens_there(page, ids.ORG_MAP, "org_map_ready", url, zoom, lat, lon)
    assert abs(layout_view(page, ids.MAP)["zoom"] - EUROPE_ZOOM) < 0.02, "the country map opens on Europe"
    assert_clean(page_log)
