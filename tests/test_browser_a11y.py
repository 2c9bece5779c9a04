"""axe-core on the real page: no critical or serious accessibility violation in the default
view, with a project open, with the upload and share dialogs open, in presentation mode (both
themes), with the storyboard panel open and while a storyboard is stepped through, and in
German (``tests/axe.py``)."""

from __future__ import annotations

import pytest
from axe import describe, serious_violations
from test_browser import ARTIFACTS, assert_clean, open_view, settle

pytestmark = pytest.mark.browser


def test_the_default_view_has_no_serious_violation(page, page_log):
    open_view(page)
    assert page.get_attribute("html", "lang") == "en"
    found = serious_violations(page)
    assert found == [], describe(found)
    assert_clean(page_log)


def test_a_view_with_a_project_open_has_no_serious_violation(page, page_log):
    open_view(page, "/?country=DE&project=clusternanoroad")
    page.locator("#project-detail h4").wait_for()
    # The alternatives are checked open, as a keyboard user sees them.
    # Handles, not nth locators: an opened alternative may hold summaries of its own.
    for summary in page.locator("figure details.chart-alternative-wrap > summary").element_handles():
        summary.press("Enter")
    # The server sends each alternative once it is opened.
    for body in page.locator("figure details .chart-alternative").element_handles():
        page.wait_for_function("(body) => body.children.length > 0", arg=body)
    settle(page)
    found = serious_violations(page)
    assert found == [], describe(found)
    assert_clean(page_log)


def test_the_upload_dialog_has_no_serious_violation(page, page_log):
    open_view(page)
    page.focus("#upload-open")
    page.keyboard.press("Enter")
    page.locator("#upload-modal").wait_for(state="visible")
    # assets/keyboard.js names the file input once the dialog has drawn it.
    page.wait_for_function("() => { const input = document.querySelector('#upload input[type=file]');"
                           " return input && input.getAttribute('aria-label'); }")
    found = serious_violations(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "a11y-upload-dialog-1366x768.png"))
    assert found == [], describe(found)
    assert_clean(page_log)


def test_the_share_dialog_has_no_serious_violation(page, page_log):
    open_view(page)
    page.focus("#share-open")
    page.keyboard.press("Enter")
    page.locator("#share-modal").wait_for(state="visible")
    page.locator("#share-qr[src^='data:']").wait_for()
    found = serious_violations(page)
    assert found == [], describe(found)
    assert_clean(page_log)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_presentation_mode_has_no_serious_violation(new_page, page_log, theme):
    page = new_page({"width": 1920, "height": 1080})
    open_view(page, f"/?present=1&theme={theme}&country=DE")
    page.wait_for_function("() => document.documentElement.classList.contains('presenting')")
    found = serious_violations(page)
    assert found == [], describe(found)
    assert_clean(page_log)


def test_the_storyboard_panel_and_step_bar_have_no_serious_violation(page, page_log):
    open_view(page)
    page.get_by_role("button", name="Storyboard", exact=True).click()
    page.locator("#story-panel").wait_for(state="visible")
    found = serious_violations(page)
    assert found == [], "empty panel:\n" + describe(found)
    # The dataset's own storyboard, opened and stepped through: the list, the step bar.
    page.locator("#story-folder-open").click()
    page.locator("#story-bar").wait_for(state="visible")
    page.get_by_role("button", name="Next view of the storyboard").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('step') === '2'")
    settle(page)
    found = serious_violations(page)
    assert found == [], "stepping:\n" + describe(found)
    assert_clean(page_log)


def test_the_page_in_german_has_no_serious_violation(page, page_log):
    open_view(page, "/?lang=de")
    assert page.get_attribute("html", "lang") == "de"
    found = serious_violations(page)
    assert found == [], describe(found)
    assert_clean(page_log)
