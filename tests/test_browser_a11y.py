"""axe-core on the real page: no critical or serious accessibility violation in the default
view, with a project open, and with the upload dialog open (``tests/axe.py``)."""

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
    for summary in page.locator("figure summary").all():
        summary.press("Enter")
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
