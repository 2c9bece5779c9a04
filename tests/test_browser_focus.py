"""Opening a project is a focus, not a filter, in Chromium: a table row opens the project's side
sheet, the headline keeps its counts, the sheet is in the viewport and holds the focus, Escape
closes it and the focus goes back to the row; at a laptop's and a projector's size, with
screenshots. Expected counts come from ``GET /api/projects``, never hard-coded."""

from __future__ import annotations

import pytest
from test_browser import (
    ARTIFACTS,
    api_ids,
    api_project,
    assert_clean,
    assert_no_horizontal_scroll,
    open_view,
    settle,
    wait_chips,
    wait_query,
    wait_table,
)

pytestmark = pytest.mark.browser

SHEET = "#project-sheet"
HEADLINE_IDS = ("headline-projects", "headline-organisations", "headline-countries")


def headline(page) -> dict[str, str]:
    return {name: page.inner_text(f"#{name}") for name in HEADLINE_IDS}


def sheet_box(page) -> dict[str, float]:
    return page.evaluate("""(selector) => {
        const r = document.querySelector(selector).getBoundingClientRect();
        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width,
                inner: window.innerWidth, innerHeight: window.innerHeight}; }""", SHEET)


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 1920, "height": 1080}],
                         ids=["laptop-1366x768", "projector-1920x1080"])
def test_a_table_row_opens_the_project_beside_unchanged_counts_and_escape_closes_it(
        new_page, page_log, app_url, viewport):
    page = new_page(viewport)
    size = f"{viewport['width']}x{viewport['height']}"
    query = "country=DE"
    open_view(page, f"/?{query}")
    listed = api_ids(app_url, query)
    wait_table(page, listed)
    before = headline(page)
    assert before["headline-projects"] == str(len(listed))

    project_id = listed[1]
    project = api_project(app_url, project_id)
    row = page.locator(f"#projects-table .ag-center-cols-container .ag-row[row-id='{project_id}']")
    row.locator("[col-id='title']").click()
    wait_query(page, {"country": "DE", "project": project_id})
    wait_chips(page, ["country: Germany", f"project: {project['acronym']}"])
    heading = page.locator(f"{SHEET} #project-detail h4")
    heading.wait_for()
    assert heading.inner_text() == project["acronym"]
    settle(page)

    # Focus, not filter: the counts are the other filters', as the API says with project= too.
    assert headline(page) == before
    assert api_ids(app_url, f"{query}&project={project_id}") == listed
    assert page.inner_text("#projects-table-count").startswith(f"{len(listed)} projects")
    assert "selected-project" in (row.get_attribute("class") or "").split()

    # The sheet: in the viewport, its top shown, the focus on its heading, no horizontal scroll.
    page.wait_for_function("() => document.activeElement && document.activeElement.matches("
                           "'#project-detail h4')")
    box = sheet_box(page)
    assert box["right"] <= box["inner"] + 1 and box["left"] >= 0 and box["top"] >= 0
    assert 0.38 * box["inner"] <= box["width"] <= 0.46 * box["inner"], box
    assert page.evaluate(f"() => document.querySelector('{SHEET} .offcanvas-body').scrollTop") == 0
    heading_box = heading.bounding_box()
    assert heading_box is not None and heading_box["y"] + heading_box["height"] <= box["innerHeight"]
    assert page.evaluate(f"() => {{ const b = document.querySelector('{SHEET} .offcanvas-body');"
                         " return b.scrollWidth <= b.clientWidth; }"), "the sheet scrolls sideways"
    assert_no_horizontal_scroll(page, f"{size} (project open)")
    # The map and the matrix mark the project where they draw it.
    assert page.evaluate("() => document.getElementById('map').querySelector('.js-plotly-plot')"
                         ".data.some(t => t.name === 'open project')")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"focus-sheet-{size}.png"))

    page.keyboard.press("Escape")
    wait_query(page, {"country": "DE"})
    page.locator(SHEET).wait_for(state="hidden")
    settle(page)
    assert headline(page) == before
    page.wait_for_function("() => document.activeElement"
                           " && document.activeElement.closest('#projects-table')")
    back = page.evaluate("() => document.activeElement.closest('.ag-row').getAttribute('row-id')")
    assert back == project_id
    assert_clean(page_log)


def test_a_shared_project_address_opens_its_sheet_in_presentation_mode_and_escape_keeps_the_mode(
        new_page, page_log, app_url):
    page = new_page({"width": 1920, "height": 1080})
    open_view(page, "/?project=clusternanoroad&present=1")
    project = api_project(app_url, "clusternanoroad")
    heading = page.locator(f"{SHEET} #project-detail h4")
    heading.wait_for()
    assert heading.inner_text() == project["acronym"]
    assert page.inner_text("#headline-projects") == str(len(api_ids(app_url, "")))
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "focus-sheet-present-1920x1080.png"))
    page.keyboard.press("Escape")
    wait_query(page, {"present": "1"})
    assert page.evaluate("() => document.documentElement.classList.contains('presenting')")
    assert_clean(page_log)
