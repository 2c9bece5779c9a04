"""Browser tests of the collaboration network: it draws, a click on a country node filters the
page by that country (URL, chips, headline) and a second click clears it, the node switch puts
``net=org`` in the address and a reload keeps it, and a node's button in the table alternative
filters by keyboard. Expected projects come from ``GET /api/projects``; the nodes from the page.
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

from data.io.countries import country_name
from tools.probes import probe

pytestmark = pytest.mark.browser

CARD = ".view-card:has(#network)"


def drawn_nodes(page) -> list[dict]:
    page.locator("#network").scroll_into_view_if_needed()
    page.wait_for_function(f"() => ({probe('network_nodes')})().length > 0")
    settle(page)
    return page.evaluate(probe("network_nodes"))


def click_node(page, node: dict, name: str) -> None:
    hover_and_click(page, "network", node["x"], node["y"], name)


def test_clicking_a_country_node_filters_the_page_and_again_clears_it(page, page_log, app_url):
    open_view(page)
    nodes = drawn_nodes(page)
    assert {n["kind"] for n in nodes} == {"country"}
    biggest = nodes[0]
    code, name = biggest["id"], country_name(biggest["id"])
    expected = api_ids(app_url, f"country={code}")
    assert expected and len(expected) < len(api_ids(app_url, "")), "the seed should make this filter bite"
    assert page.inner_text("#network-note").startswith("Circle: projects")

    click_node(page, biggest, name)
    wait_query(page, {"country": code})
    wait_chips(page, [f"country: {name}"])
    settle(page)
    assert page.inner_text("#headline-projects") == str(len(expected))
    # The network now draws the selection's partners, the chosen country outlined.
    again = {n["id"]: n for n in drawn_nodes(page)}
    assert again[code]["outline"] > max(n["outline"] for i, n in again.items() if i != code)

    click_node(page, again[code], name)
    wait_query(page, {})
    wait_chips(page, [])
    assert_clean(page_log)


def test_the_node_switch_shows_organisations_and_the_address_keeps_it(page, page_log):
    open_view(page)
    drawn_nodes(page)
    page.locator(CARD).get_by_text("organisations", exact=True).click()
    wait_query(page, {"net": "org"})
    page.wait_for_function(f"() => ({probe('network_nodes')})().some(n => n.kind === 'org')")
    settle(page)
    assert {n["kind"] for n in drawn_nodes(page)} == {"org"}
    page.reload()
    page.wait_for_function(probe("views_rendered"))
    settle(page)
    assert query_of(page) == {"net": "org"}
    assert {n["kind"] for n in drawn_nodes(page)} == {"org"}
    assert page.locator("#network-kind input[value=org]").is_checked()
    assert_clean(page_log)


def test_a_node_of_the_table_alternative_filters_by_keyboard(page, page_log, app_url):
    open_view(page)
    drawn_nodes(page)
    summary = page.locator(CARD).locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    links = page.locator("#network-table .network-links table")
    links.wait_for()
    assert links.locator("tbody tr").count() >= 1
    button = page.locator("#network-table .network-nodes button").first
    label = button.inner_text()
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(probe("url_has"), arg="country")
    code = query_of(page)["country"]
    assert label.startswith(country_name(code))
    wait_chips(page, [f"country: {country_name(code)}"])
    pressed = page.locator("#network-table button[aria-pressed=true]")
    assert pressed.inner_text().startswith(country_name(code))
    assert_clean(page_log)


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 1920, "height": 1080}],
                         ids=["1366x768", "1920x1080"])
def test_the_network_card_reads_at_laptop_and_projector_sizes(new_page, page_log, viewport):
    page = new_page(viewport)
    open_view(page)
    nodes = drawn_nodes(page)
    card = page.locator(CARD)
    box = card.bounding_box()
    assert box and box["width"] <= viewport["width"]
    # Every node is inside the plot, none cut at an edge.
    graph = page.locator("#network .js-plotly-plot").bounding_box()
    assert all(graph["x"] <= n["x"] <= graph["x"] + graph["width"] and
               graph["y"] <= n["y"] <= graph["y"] + graph["height"] for n in nodes)
    assert_no_horizontal_scroll(page, f"{viewport['width']}x{viewport['height']}")
    ARTIFACTS.mkdir(exist_ok=True)
    card.screenshot(path=str(ARTIFACTS / f"network-{viewport['width']}x{viewport['height']}.png"))
    assert_clean(page_log)
