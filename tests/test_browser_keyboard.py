"""Keyboard only, no mouse: the table, the matrix's table and the timeline's list open
projects and filter as clicks do; focus lands on the project panel's heading and comes back.

Every step is a key press (Tab, arrows, Enter); the expected projects come from the API.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from test_browser import (
    ARTIFACTS,
    api_ids,
    api_project,
    assert_clean,
    chips,
    open_view,
    query_of,
    settle,
    wait_chips,
    wait_query,
    wait_table,
)

from tools.probes import probe

pytestmark = pytest.mark.browser

TAB_LIMIT = 80
"""More Tab presses than the page has stops: reaching a control takes fewer."""

FOCUS = """() => {
    const a = document.activeElement;
    if (!a || a === document.body) return {tag: 'BODY'};
    const row = a.closest('.ag-row');
    const rect = a.getBoundingClientRect();
    return {tag: a.tagName, id: a.id, text: (a.textContent || '').trim(),
            inTable: !!a.closest('#projects-table'), inDetail: !!a.closest('#project-detail'),
            inMatrixTable: !!a.closest('#matrix-table'), inTimelineList: !!a.closest('#timeline-list'),
            summaryOf: a.tagName === 'SUMMARY' ? (a.closest('figure') || {}).id : null,
            rowId: row ? row.getAttribute('row-id') : null,
            pressed: a.getAttribute('aria-pressed'), label: a.getAttribute('aria-label'),
            visible: rect.bottom > 0 && rect.top < window.innerHeight};
}"""


def focused(page) -> dict[str, Any]:
    return page.evaluate(FOCUS)


def tab_until(page, key: str, value: Any) -> dict[str, Any]:
    """Press Tab until the focused element's ``key`` is ``value``; fail after TAB_LIMIT presses."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        now = focused(page)
        if now.get(key) == value:
            return now
    raise AssertionError(f"{TAB_LIMIT} Tab presses never focused an element with {key}={value!r}")


def wait_heading_focused(page, acronym: str) -> None:
    try:
        page.wait_for_function("(name) => document.activeElement && document.activeElement.matches("
                               "'#project-detail h4') && document.activeElement.textContent === name",
                               arg=acronym)
    except Exception as exc:
        raise AssertionError(f"focus is on {focused(page)}, not the heading {acronym!r}") from exc


def test_enter_on_a_table_row_opens_the_project_and_tab_leaves_the_table(page, page_log, app_url):
    open_view(page)
    everything = api_ids(app_url, "")
    wait_table(page, everything)
    tab_until(page, "inTable", True)
    # Bootstrap scrolls smoothly: the focused header comes into view over a few frames.
    try:
        page.wait_for_function(f"() => ({FOCUS})().visible", timeout=5_000)
    except Exception as exc:
        raise AssertionError(f"the table's Tab stop never scrolled into view: {focused(page)}") from exc
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    cell = focused(page)
    assert cell["inTable"] and cell["rowId"] in everything, cell
    project = api_project(app_url, cell["rowId"])

    page.keyboard.press("Enter")
    wait_query(page, {"project": cell["rowId"]})
    wait_chips(page, [f"project: {project['acronym']}"])
    wait_heading_focused(page, project["acronym"])
    settle(page)
    assert focused(page)["visible"], "the project's heading is not in view"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "keyboard-project-heading-1366x768.png"))

    # The Close button is just before the heading; Enter closes and focus returns to the row.
    page.keyboard.press("Shift+Tab")
    assert focused(page)["id"] == "project-detail-close"
    page.keyboard.press("Enter")
    wait_query(page, {})
    page.wait_for_function("() => document.activeElement"
                           " && document.activeElement.closest('#projects-table')")
    back = focused(page)
    assert back["rowId"] == cell["rowId"], back

    # One Tab stop: Tab leaves the grid at once instead of walking its cells.
    page.keyboard.press("ArrowDown")
    assert focused(page)["inTable"]
    for _ in range(3):
        page.keyboard.press("Tab")
        if not focused(page)["inTable"]:
            break
    assert not focused(page)["inTable"], f"3 Tab presses stayed in the table: {focused(page)}"
    assert_clean(page_log)


def test_a_cell_of_the_matrix_table_filters_by_ket_and_sector(page, page_log, app_url):
    open_view(page)
    tab_until(page, "summaryOf", "matrix-figure")
    page.keyboard.press("Enter")
    # The server sends the table once it is opened.
    page.locator("#matrix-table button").first.wait_for()
    button = tab_until(page, "inMatrixTable", True)
    assert button["tag"] == "BUTTON" and button["pressed"] == "false", button
    cell = json.loads(button["id"])
    expected = api_ids(app_url, f"ket={cell['ket']}&sector={cell['sector']}")
    assert int(button["text"]) == len(expected) > 0, (button, expected)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "keyboard-matrix-table-1366x768.png"))

    page.keyboard.press("Enter")
    wait_query(page, {"ket": cell["ket"], "sector": cell["sector"]})
    wait_table(page, expected)
    settle(page)
    shown = chips(page)
    assert len(shown) == 2 and shown[0].startswith("ket: ") and shown[1].startswith("sector: "), shown
    assert page.inner_text("#headline-projects") == str(len(expected))
    # The table redrew under the focus: it stays on the same cell, now pressed.
    page.wait_for_function("() => document.activeElement && "
                           "document.activeElement.getAttribute('aria-pressed') === 'true'")
    assert focused(page)["id"] == button["id"]
    label = page.get_attribute("#matrix-figure", "aria-label")
    assert f"{len(expected):,} project" in label, label

    page.keyboard.press("Enter")
    wait_query(page, {})
    wait_chips(page, [])
    assert_clean(page_log)


IN_INSTRUMENT_PICKER = """() => {
    const picker = document.getElementById('filter-instrument');
    return !!(picker && document.activeElement && picker.contains(document.activeElement));
}"""


def test_the_policy_instrument_picker_filters_by_keyboard_alone(page, page_log, app_url):
    open_view(page)
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if page.evaluate(IN_INSTRUMENT_PICKER):
            break
    else:
        raise AssertionError(f"{TAB_LIMIT} Tab presses never reached the policy instrument picker")
    # Down opens the list, Down again marks its first instrument, Enter chooses it.
    page.keyboard.press("ArrowDown")
    page.locator("[role=option]").first.wait_for()
    first = page.locator("[role=option]").first.inner_text().strip()
    page.keyboard.press("ArrowDown")
    page.wait_for_function("() => !!(document.activeElement "
                           "&& document.activeElement.closest('[role=option]'))")
    page.screenshot(path=str(ARTIFACTS / "keyboard-instrument-picker-1366x768.png"))
    page.keyboard.press("Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).has('instrument')")
    instrument = query_of(page)["instrument"]
    expected = api_ids(app_url, f"instrument={instrument}")
    assert expected, f"the seed has projects under {instrument}"
    page.keyboard.press("Escape")
    wait_table(page, expected)
    settle(page)
    assert [c for c in chips(page) if c.startswith("policy instrument: ")] == [f"policy instrument: {first}"]
    assert page.inner_text("#headline-projects") == str(len(expected))
    assert_clean(page_log)


def test_a_project_of_the_timeline_list_opens_by_keyboard(new_page, page_log, app_url):
    page = new_page({"width": 1920, "height": 1080})
    open_view(page)
    tab_until(page, "summaryOf", "timeline-figure")
    page.keyboard.press("Enter")
    page.locator("#timeline-list button").first.wait_for()
    listed = page.evaluate("() => [...document.querySelectorAll('#timeline-list button')]"
                           ".map(b => JSON.parse(b.id).project)")
    drawn = {b["project"] for b in page.evaluate(probe("timeline_bars"))}
    assert drawn and drawn <= set(listed), f"bars {drawn} not all in the list {listed}"
    assert len(set(listed)) == len(listed)
    button = tab_until(page, "inTimelineList", True)
    project_id = json.loads(button["id"])["project"]
    project = api_project(app_url, project_id)

    page.keyboard.press("Enter")
    wait_query(page, {"project": project_id})
    wait_heading_focused(page, project["acronym"])
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "keyboard-timeline-list-1920x1080.png"))
    assert query_of(page) == {"project": project_id}
    assert_clean(page_log)


def test_a_shared_project_address_opens_the_panel_in_view_and_focuses_its_heading(page, page_log, app_url):
    project = api_project(app_url, "clusternanoroad")
    open_view(page, "/?project=clusternanoroad")
    wait_heading_focused(page, project["acronym"])
    settle(page)
    page.wait_for_function("() => { const r = document.activeElement.getBoundingClientRect();"
                           " return r.top >= 0 && r.bottom <= window.innerHeight; }")
    # The panel is a side sheet at the window's edge: in view without scrolling the page.
    assert page.evaluate("() => { const r = document.getElementById('project-sheet').getBoundingClientRect();"
                         " return r.left >= 0 && r.right <= window.innerWidth + 1 && r.top >= 0; }")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "keyboard-shared-project-1366x768.png"))
    assert_clean(page_log)
