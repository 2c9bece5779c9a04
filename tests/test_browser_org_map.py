"""The organisation map in Chromium: its points drawn where the organisations are, a point
clicked sets ``org=`` in the address, the chips and the headline; what cannot be placed is said;
the card at a laptop's and a projector's size (screenshots in tests/artifacts/).

The seed dataset states no coordinates, so this module serves the tiny dataset of
``tests/test_org_map.py`` (three organisations placed, one not) on a server of its own, with
``EXTRA`` more organisations around Vienna, one participation each, so that the map has more
than it draws one by one and groups the rest: its ``app_url`` replaces the session's here.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator

import pytest
from axe import describe, serious_violations
from conftest import REPO, SERVER_START_TIMEOUT, _answers, _free_port
from fixtures_data import DOC_ID, write_dataset
from test_browser import (
    assert_clean,
    assert_no_horizontal_scroll,
    chips,
    hover_and_click,
    open_view,
    settle,
    wait_query,
)
from test_org_map import PLACES, org_tables

from data.engine.organisations import MAX_POINTS
from tools.probes import probe

ARTIFACTS = REPO / "tests" / "artifacts"
EXTRA = 330
"""Organisations added around Vienna: with the three placed ones, past ``MAX_POINTS``."""
VIEWPORTS = {"laptop": {"width": 1366, "height": 768}, "projector": {"width": 1920, "height": 1080}}


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``python app.py --data`` the tiny dataset with coordinates, on a free port."""
    tables = org_tables()
    for i in range(EXTRA):
        tables["organisations"].append({
            "organisation_id": f"vienna-{i}", "name": f"Vienna body {i}", "country": "AT",
            "latitude": f"{47.2 + (i % 20) / 10:.2f}", "longitude": f"{15.0 + (i // 20) / 6:.2f}",
            "type": "company", "source": DOC_ID, "quote": "Tiny document."})
        tables["participations"].append({"project_id": "gamma", "organisation_id": f"vienna-{i}",
                                         "source": DOC_ID, "quote": "Tiny document."})
    folder = write_dataset(tmp_path_factory.mktemp("orgmap-browser"), tables)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen([sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port),
                                 "--data", str(folder)], cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while not _answers(base):
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"app.py did not serve the tiny dataset:\n{log.read().decode()[-3000:]}")
                time.sleep(0.1)
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def open_org_map(page, path: str = "/") -> None:
    open_view(page, path)
    page.locator("#org-map .js-plotly-plot").scroll_into_view_if_needed()
    page.wait_for_function(probe("org_map_ready"))
    settle(page)


def point_of(page, organisation: str) -> dict[str, float]:
    lat, lon = (float(v) for v in PLACES[organisation])
    spot = page.evaluate(probe("org_map_pixel"), [lon, lat])
    assert spot["inside"], f"{organisation} is outside the organisation map: {spot}"
    return spot


def test_the_map_draws_points_groups_the_rest_and_says_what_it_cannot_place(page, page_log) -> None:
    open_org_map(page)
    note = page.locator("#org-map-note").inner_text()
    placed = EXTRA + 3
    assert (f"The {MAX_POINTS} organisations with most participations are drawn one by one, of "
            f"{placed} with coordinates; the other {placed - MAX_POINTS} are grouped by place.") in note
    assert "1 organisation without coordinates is not drawn." in note
    grouped = page.evaluate("""() => document.querySelector('#org-map .js-plotly-plot')._fullData
        .filter(t => t.name === 'grouped organisations').map(t => t._length)""")
    assert grouped and grouped[0] > 0, "the organisations not drawn one by one are grouped"
    page.locator("#org-map-unplaced summary").click()
    assert "Somewhere Lab" in page.locator("#org-map-unplaced").inner_text()
    legend = page.locator("#org-map-legend").inner_text()
    assert "cluster organisation (1)" in legend
    assert_clean(page_log)


def test_clicking_a_point_filters_by_its_organisation(page, page_log) -> None:
    open_org_map(page)
    spot = point_of(page, "nordcluster")
    page.mouse.move(spot["x"] - 8, spot["y"] - 8)
    hover_and_click(page, "org-map", spot["x"], spot["y"], "Nordcluster")
    wait_query(page, {"org": "nordcluster"})
    settle(page)
    assert "organisation: Nordcluster" in " ".join(chips(page))
    assert page.evaluate(probe("headline"))["headline-projects"] == "2"
    # The organisation's list button says it is pressed; pressing it takes the filter out.
    page.locator("#org-map-list").evaluate("e => e.closest('details').open = true")
    button = page.get_by_role("button", name="Nordcluster", exact=True)
    assert button.get_attribute("aria-pressed") == "true"
    button.press("Enter")
    wait_query(page, {})
    assert_clean(page_log)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_card_at_a_laptop_and_a_projector(new_page, page_log, viewport: str) -> None:
    page = new_page(VIEWPORTS[viewport])
    open_org_map(page, "/?org=sudcluster")
    ARTIFACTS.mkdir(exist_ok=True)
    card = page.locator("#org-map-figure").locator("xpath=ancestor::div[contains(@class, 'card')][1]")
    card.screenshot(path=str(ARTIFACTS / f"org-map-{viewport}.png"))
    assert_no_horizontal_scroll(page, f"the organisation map at {viewport}")
    box = page.locator("#org-map").bounding_box()
    assert box is not None and box["height"] >= 400
    assert_clean(page_log)



def test_the_card_and_its_lists_pass_axe(page, page_log) -> None:
    open_org_map(page, "/?org=nordcluster")
    page.locator("#org-map-list").evaluate("e => e.closest('details').open = true")
    page.locator("#org-map-unplaced details").evaluate("e => e.open = true")
    found = serious_violations(page)
    assert found == [], describe(found)
    assert_clean(page_log)
