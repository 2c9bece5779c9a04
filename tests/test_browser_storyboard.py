"""Browser test of the storyboard: a presenter saves three views (changing the filters between
them), reorders two, steps through them with the on-screen buttons and the arrow keys, downloads
the storyboard, reloads the page and finds it still there, and uploads a bad file.

What each step must show is what the page showed when the view was saved (its address and its
chips), never a hard-coded list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_browser import ARTIFACTS, GERMANY, assert_clean, chips, click_country, open_view, query_of, settle

pytestmark = pytest.mark.browser

WAIT_QUERY = """([expected, withStory]) => {
    const query = Object.fromEntries(new URLSearchParams(window.location.search));
    const story = query.story; delete query.story;
    return Boolean(story) === withStory
        && JSON.stringify(Object.entries(query).sort()) === JSON.stringify(Object.entries(expected).sort());
}"""
"""True when the address's query, its storyboard token left aside, is ``expected``."""


def wait_view(page, expected: dict[str, str], with_story: bool = True) -> None:
    """Wait until the address shows ``expected`` (and a storyboard, unless ``with_story`` is off)."""
    try:
        page.wait_for_function(WAIT_QUERY, arg=[expected, with_story])
    except Exception as exc:
        raise AssertionError(f"URL query {query_of(page)} is not {expected} + story") from exc
    settle(page)


def listed_titles(page) -> list[str]:
    return [t.split(". ", 1)[1].split(" (shown")[0]
            for t in page.locator("#story-list .story-view-title").all_inner_texts()]


def save(page, title: str, note: str, step: int) -> dict[str, object]:
    """Save the view on screen; return what it showed (its query without the storyboard, and
    its chips)."""
    shown = {k: v for k, v in query_of(page).items() if k not in ("story", "step")}
    shown_chips = chips(page)
    page.get_by_label("Title of this view").fill(title)
    page.get_by_label("Note for the audience").fill(note)
    page.get_by_role("button", name="Save this view").click()
    wait_view(page, {**shown, "step": str(step)})
    assert page.locator("#story-status").inner_text().startswith(f"Saved “{title}”")
    assert page.get_by_label("Title of this view").input_value() == ""
    return {"query": shown, "chips": shown_chips, "title": title, "note": note}


def expect_step(page, view: dict[str, object], step: int, count: int) -> None:
    """The page shows saved ``view`` as view ``step`` of ``count``: address, chips, step bar."""
    wait_view(page, {**view["query"], "step": str(step)})  # type: ignore[dict-item]
    assert chips(page) == view["chips"]
    assert page.locator("#story-bar-text").inner_text() == f"{step} of {count}: {view['title']}"
    assert page.locator("#story-bar-note").inner_text() == view["note"]
    assert page.locator("#story-position").inner_text() == f"View {step} of {count}"


def test_a_presenter_saves_reorders_steps_downloads_reloads_and_uploads_a_storyboard(
    page, page_log
) -> None:
    open_view(page, "/?ket=nanotechnology")
    assert page.locator("#story-bar").is_hidden()
    page.get_by_role("button", name="Storyboard", exact=True).click()
    panel = page.locator("#story-panel")
    panel.wait_for(state="visible")
    assert page.get_by_role("button", name="Storyboard", exact=True).get_attribute("aria-expanded") == "true"
    page.wait_for_function("document.activeElement && document.activeElement.id === 'story-title'")
    nano = save(page, "Nanotechnology", "Two projects tagged with it.", 1)

    # Change the filters between saves with the page's own controls.
    page.locator("#filter-chips .chip-remove").first.click()
    wait_view(page, {"step": "1"})
    page.locator("#filter-search").fill("CluStrat")
    page.locator("#filter-search").press("Enter")
    wait_view(page, {"q": "CluStrat", "step": "1"})
    search = save(page, "CluStrat by name", "Found with the search box.", 2)
    page.locator("#filter-search").fill("")
    page.locator("#filter-search").press("Enter")
    wait_view(page, {"step": "2"})
    click_country(page, GERMANY, "Germany")
    wait_view(page, {"country": "DE", "step": "2"})
    germany = save(page, "Partners in Germany", "Click a country to filter by it.", 3)
    assert listed_titles(page) == ["Nanotechnology", "CluStrat by name", "Partners in Germany"]
    assert page.locator("#story-bar-text").inner_text() == "3 of 3: Partners in Germany"

    # Reorder: the first view moves down; the view shown (Germany, 3) stays where it is.
    page.get_by_role("button", name="Move down view 1: Nanotechnology").click()
    page.wait_for_function("document.querySelector('#story-list .story-view-title')"
                           ".innerText.includes('CluStrat')")
    settle(page)
    assert listed_titles(page) == ["CluStrat by name", "Nanotechnology", "Partners in Germany"]
    order = [search, nano, germany]

    # The on-screen buttons: show view 1, the panel's Next, the step bar's next.
    page.get_by_role("button", name="Show view 1: CluStrat by name").click()
    expect_step(page, order[0], 1, 3)
    assert page.get_by_role("button", name="Previous view", exact=True).is_disabled()
    page.get_by_role("button", name="Next view", exact=True).click()
    expect_step(page, order[1], 2, 3)
    page.get_by_role("button", name="Next view of the storyboard").click()
    expect_step(page, order[2], 3, 3)

    # The arrow keys (and a clicker's PageUp/PageDown), focus on the page, not in a field.
    page.locator("#story-bar-text").click()
    page.keyboard.press("ArrowLeft")
    expect_step(page, order[1], 2, 3)
    page.keyboard.press("PageUp")
    expect_step(page, order[0], 1, 3)
    page.keyboard.press("ArrowRight")
    expect_step(page, order[1], 2, 3)
    # In a text field the arrows move the caret, not the storyboard.
    page.get_by_label("Title of this view").fill("abc")
    page.get_by_label("Title of this view").press("ArrowLeft")
    page.wait_for_timeout(300)
    settle(page)
    assert query_of(page)["step"] == "2"
    page.get_by_label("Title of this view").fill("")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download storyboard (JSON)").click()
    download = download_info.value
    assert download.suggested_filename == "storyboard.json"
    saved = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert saved["format"] == "ket-storyboard"
    assert [v["title"] for v in saved["views"]] == [v["title"] for v in order]
    assert [v["note"] for v in saved["views"]] == [v["note"] for v in order]
    for view, written in zip(order, saved["views"], strict=True):
        written_query = dict(p.split("=", 1) for p in written["query"].split("&") if p)
        assert written_query == view["query"]

    # The storyboard is in the address: a reload keeps it, and the view shown.
    page.reload()
    page.wait_for_function("document.getElementById('story-bar-text') && "
                           "document.getElementById('story-bar-text').innerText.includes('of 3')")
    expect_step(page, order[1], 2, 3)
    assert panel.is_hidden()
    page.get_by_role("button", name="Storyboard", exact=True).click()
    assert listed_titles(page) == [v["title"] for v in order]

    page.get_by_label("Open a storyboard file (.json)").set_input_files(files=[{
        "name": "broken.json", "mimeType": "application/json",
        "buffer": b'{"views": [{"title": "A", "colour": "red"}]}'}])
    status = page.locator("#story-status")
    status.get_by_text("broken.json is not a storyboard").wait_for()
    assert "views[0].colour" in status.inner_text()
    assert listed_titles(page) == [v["title"] for v in order]
    # Escape closes the panel from inside it, and the focus goes back to its button.
    page.get_by_label("Title of this view").focus()
    page.keyboard.press("Escape")
    panel.wait_for(state="hidden")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'story-open'")
    assert_clean(page_log)


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_panel_and_the_step_bar_fit_the_screen(new_page, page_log, size: tuple[int, int]) -> None:
    """Screenshots of the open panel and of the step bar, from the seed dataset's storyboard."""
    width, height = size
    page = new_page({"width": width, "height": height})
    open_view(page)
    page.get_by_role("button", name="Storyboard", exact=True).click()
    offer = page.locator("#story-folder")
    offer.wait_for(state="visible")
    assert "comes with a storyboard" in offer.inner_text()
    page.get_by_role("button", name="Open it: the storyboard that comes with this dataset").click()
    page.locator("#story-bar").wait_for(state="visible")
    page.wait_for_function("document.getElementById('story-bar-text').innerText.startsWith('1 of 4')")
    settle(page)
    page.get_by_role("button", name="Next view", exact=True).click()
    wait_view(page, {"ket": "nanotechnology", "step": "2"})
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"storyboard-panel-{width}x{height}.png"))
    page.get_by_role("button", name="Close the storyboard panel").click()
    page.locator("#story-panel").wait_for(state="hidden")
    page.keyboard.press("ArrowRight")
    wait_view(page, {"ket": "advanced-materials", "sector": "health", "step": "3"})
    bar = page.locator("#story-bar").bounding_box()
    assert bar is not None and bar["y"] + bar["height"] <= height and bar["width"] < width
    page.screenshot(path=str(ARTIFACTS / f"storyboard-stepbar-{width}x{height}.png"))
    assert_clean(page_log)
