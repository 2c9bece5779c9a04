"""Browser tests of the comparison: rows ticked in the table and 'Compare', a shared
``/compare?projects=`` address, the keyboard, and how the panel looks on a laptop and a projector.
What the panel should say comes from ``GET /api/compare``, never hard-coded."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from axe import describe, serious_violations
from test_browser import (
    ARTIFACTS,
    api_ids,
    assert_clean,
    open_view,
    query_of,
    settle,
    wait_query,
    wait_table,
)
from test_browser_keyboard import focused, tab_until

from tools.probes import probe

pytestmark = pytest.mark.browser

SEED_PAIR = ("clusterfy", "clustrat")


def api_compare(base: str, ids: tuple[str, ...]) -> dict[str, Any]:
    with urllib.request.urlopen(f"{base}/api/compare?projects={','.join(ids)}", timeout=10) as response:
        return json.load(response)


def wait_compared(page, acronyms: list[str]) -> None:
    """Wait until the comparison panel shows these projects' columns, in this order."""
    try:
        page.wait_for_function(
            "(want) => { const p = document.getElementById('compare');"
            " if (!p || p.style.display === 'none') { return false; }"
            " const got = [...p.querySelectorAll('.compare-table thead th')].map(t => t.textContent.trim());"
            " return JSON.stringify(got) === JSON.stringify(want); }", arg=acronyms)
    except Exception as exc:
        shown = page.locator("#compare .compare-table thead th").all_inner_texts()
        raise AssertionError(f"comparison columns {shown} != {acronyms}") from exc


def tick(page, project_id: str) -> None:
    """Tick a row's box in the table (the grid's own selection checkbox)."""
    box = page.locator(f'#projects-table .ag-row[row-id="{project_id}"] .ag-selection-checkbox input').first
    box.scroll_into_view_if_needed()
    box.check()


def test_ticking_two_rows_and_compare_shows_both_and_writes_the_address(page, page_log, app_url):
    open_view(page)
    wait_table(page, api_ids(app_url, ""))
    headline = page.evaluate(probe("headline"))
    expected = api_compare(app_url, SEED_PAIR)
    acronyms = [p["acronym"] for p in expected["projects"]]
    button = page.locator("#compare-button")
    assert button.is_disabled()
    for project_id in SEED_PAIR:
        tick(page, project_id)
    page.wait_for_function("() => !document.getElementById('compare-button').disabled")
    assert button.inner_text() == "Compare (2)"
    button.click()
    wait_query(page, {"compare": ",".join(SEED_PAIR)})
    wait_compared(page, acronyms)
    settle(page)
    # Ticking opened no project, and comparing filters nothing: the headline is as it was.
    assert "project" not in query_of(page)
    assert page.evaluate(probe("headline")) == headline
    panel = page.locator("#compare")
    shared = [c["id"] for c in expected["shared_countries"]]
    text = panel.inner_text()
    assert f"Shared countries ({len(shared)})" in text
    assert text.count("not stated") >= 1  # ClusterFY states no budget
    # Closing takes the panel and the parameter away.
    page.locator("#compare-close").click()
    wait_query(page, {})
    page.wait_for_function("() => document.getElementById('compare').style.display === 'none'")
    assert_clean(page_log)


@pytest.mark.parametrize(("viewport", "pair"), [
    ({"width": 1366, "height": 768}, SEED_PAIR),
    # Two projects that overlap (2017-01 to 2019-03), for the shaded overlap.
    ({"width": 1920, "height": 1080}, ("clusternanoroad", "clusterfy")),
])
def test_a_compare_address_opens_the_comparison(new_page, page_log, app_url, viewport, pair):
    page = new_page(viewport)
    expected = api_compare(app_url, pair)
    open_view(page, f"/compare?projects={','.join(pair)}")
    assert query_of(page) == {"compare": ",".join(pair)}
    wait_compared(page, [p["acronym"] for p in expected["projects"]])
    page.wait_for_function("() => { const gd = document.querySelector('#compare-timeline .js-plotly-plot');"
                           " return !!(gd && gd._fullLayout); }")
    bars = page.evaluate("() => document.getElementById('compare-timeline')"
                         ".querySelectorAll('.bars .point').length")
    dated = [p for p in expected["projects"] if p["start"] and p["end"]]
    assert bars == len(dated)
    overlap = page.locator("#compare .compare-overlap").inner_text()
    assert overlap.startswith("Overlap")
    shades = page.evaluate("() => document.querySelectorAll("
                           "'#compare-timeline .layer-below .shapelayer path')"
                           ".length")
    if expected["overlap"]["days"]:
        assert f"{expected['overlap']['days']:,} days" in overlap
        assert shades == 1
    else:
        assert shades == 0
    ARTIFACTS.mkdir(exist_ok=True)
    size = f"{viewport['width']}x{viewport['height']}"
    page.locator("#compare").screenshot(path=str(ARTIFACTS / f"compare-panel-{size}.png"))
    page.screenshot(path=str(ARTIFACTS / f"compare-{size}.png"))
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the page scrolls sideways at {viewport['width']} px: {width}"
    assert_clean(page_log)


def test_the_tick_boxes_and_the_button_are_reachable_by_keyboard(page, page_log, app_url):
    open_view(page)
    everything = api_ids(app_url, "")
    wait_table(page, everything)
    tab_until(page, "inTable", True)
    ticked = []
    for _ in range(2):
        page.keyboard.press("ArrowDown")
        cell = focused(page)
        assert cell["inTable"], cell
        page.keyboard.press("Space")
        ticked.append(cell["rowId"])
    page.wait_for_function("() => !document.getElementById('compare-button').disabled")
    # The button is the Tab stop before the grid.
    for _ in range(5):
        page.keyboard.press("Shift+Tab")
        if focused(page)["id"] == "compare-button":
            break
    assert focused(page)["id"] == "compare-button", focused(page)
    page.keyboard.press("Enter")
    wait_query(page, {"compare": ",".join(sorted(ticked, key=everything.index))})
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'compare-title'")
    assert_clean(page_log)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_comparison_has_no_serious_accessibility_violation(page, page_log, app_url, theme):
    expected = api_compare(app_url, ("clusternanoroad", "clusterfy"))
    open_view(page, f"/compare?projects=clusternanoroad,clusterfy&theme={theme}")
    wait_compared(page, [p["acronym"] for p in expected["projects"]])
    wait_table(page, api_ids(app_url, ""))
    settle(page)
    found = serious_violations(page)
    assert found == [], describe(found)
    assert_clean(page_log)
