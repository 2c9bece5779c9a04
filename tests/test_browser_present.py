"""Browser tests of presentation mode and the light/dark theme, at a projector's 1920x1080.

Text sizes are measured on the SVG text Plotly drew (computed size times the SVG's scale), not
read from the figure; the figures' backgrounds are compared with their cards' as the browser
computed them. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import pytest
from test_browser import (
    ARTIFACTS,
    assert_clean,
    assert_no_horizontal_scroll,
    open_view,
    query_of,
    settle,
    wait_query,
)

from components.figure_kit import DARK, LIGHT, PRESENT_DARK, PRESENT_LIGHT
from tools.probes import probe

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1920, "height": 1080}
LAPTOP = {"width": 1366, "height": 768}
GRAPHS = ["map", "matrix", "timeline"]
MIN_PX = 18


def opened(new_page, viewport: dict[str, int], path: str):
    """A page at ``viewport`` showing ``path``, drawn."""
    page = new_page(viewport)
    open_view(page, path)
    return page


def rgb(colour: str) -> str:
    """'#rrggbb' as the browser writes a computed colour."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def look(page) -> dict:
    return page.evaluate(probe("view_look"))


def hover_matrix_cell(page) -> None:
    """Hover the first non-empty matrix cell and wait for its hover label."""
    cells = page.evaluate(probe("matrix_cells"))
    assert cells, "the seed data should fill some matrix cells"
    page.locator("#matrix").scroll_into_view_if_needed()
    cells = page.evaluate(probe("matrix_cells"))
    page.mouse.move(cells[0]["x"] - 5, cells[0]["y"] - 5)
    page.mouse.move(cells[0]["x"], cells[0]["y"], steps=4)
    page.wait_for_function(probe("hover_text_has"), arg=["matrix", "project"])


def assert_figures_match_cards(page, paper: str) -> None:
    for graph, seen in look(page)["graphs"].items():
        assert seen["paper"] == paper, f"{graph}'s figure has paper {seen['paper']}, not {paper}"
        assert seen["card"] == rgb(paper), f"{graph}'s card is {seen['card']}, its figure {paper}"


def test_presentation_link_folds_the_filters_enlarges_chart_text_and_escape_leaves(new_page, page_log):
    page = opened(new_page, PROJECTOR, "/?present=1&theme=dark")
    seen = look(page)
    assert seen["presenting"] and seen["theme"] == "dark"
    assert seen["controls"] == {"country": False, "period": False, "search": False, "chips": True,
                                "unfold": True}, "the filter bar should fold into its chips"
    assert_figures_match_cards(page, PRESENT_DARK.paper)
    # The storyboard is stepped with its bar on the projector; its panel waits for the desk.
    assert page.locator("#story-open").is_hidden() and page.locator("#story-panel").is_hidden()

    hover_matrix_cell(page)
    texts = page.evaluate(probe("chart_text_sizes"), GRAPHS)
    kinds = {(t["graph"], t["kind"]) for t in texts}
    for expected in [("matrix", "xtick"), ("matrix", "ytick"), ("matrix", "hovertext"),
                     ("timeline", "xtick"), ("timeline", "ytick"), ("timeline", "legend"),
                     ("map", "colorbar"), ("map", "annotation")]:
        assert expected in kinds, f"no {expected[1]} text measured on the {expected[0]}: {sorted(kinds)}"
    small = [t for t in texts if t["px"] < MIN_PX]
    assert not small, f"chart text under {MIN_PX} px in presentation mode: {small[:8]}"

    # The folded controls unfold on demand, and fold again.
    page.click("#filter-unfold")
    assert look(page)["controls"]["country"]
    assert page.get_attribute("#filter-unfold", "aria-expanded") == "true"
    # Escape closes an open dropdown first and leaves presentation mode alone.
    page.click("#filter-country")
    page.wait_for_selector("[role=listbox]")
    page.keyboard.press("Escape")
    page.wait_for_function(probe("dropdown_closed"))
    settle(page)
    assert look(page)["presenting"] and query_of(page) == {"present": "1", "theme": "dark"}
    page.click("#filter-unfold")
    assert not look(page)["controls"]["country"]

    page.mouse.move(5, 5)
    page.keyboard.press("Escape")
    wait_query(page, {"theme": "dark"})
    settle(page)
    seen = look(page)
    assert not seen["presenting"] and seen["theme"] == "dark"
    assert seen["controls"]["country"] and seen["controls"]["period"] and seen["controls"]["search"]
    assert not seen["controls"]["unfold"]
    assert_figures_match_cards(page, DARK.paper)
    normal = [t["px"] for t in page.evaluate(probe("chart_text_sizes"), GRAPHS)]
    assert max(normal) < MIN_PX, "leaving presentation mode should bring the chart text back to size"
    assert_clean(page_log)


def test_the_theme_switch_is_reached_and_toggled_with_the_keyboard(new_page, page_log):
    page = opened(new_page, LAPTOP, "/")
    assert look(page)["theme"] == "light"
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate(probe("active_id")) == "theme-switch":
            break
    assert page.evaluate(probe("active_id")) == "theme-switch", "Tab never reached the theme switch"

    page.keyboard.press("Space")
    wait_query(page, {"theme": "dark"})
    settle(page)
    assert look(page)["theme"] == "dark"
    assert_figures_match_cards(page, DARK.paper)
    assert page.is_checked("#theme-switch")

    page.keyboard.press("Space")
    wait_query(page, {})
    settle(page)
    assert look(page)["theme"] == "light"
    assert_figures_match_cards(page, LIGHT.paper)
    assert query_of(page) == {}
    assert_clean(page_log)


def test_present_button_goes_full_screen_and_leaving_full_screen_leaves_presentation_mode(
    new_page, page_log
):
    page = opened(new_page, PROJECTOR, "/?country=DE")
    page.click("#present-open")
    wait_query(page, {"country": "DE", "present": "1"})
    settle(page)
    seen = look(page)
    assert seen["fullscreen"], "the Present button's click should ask for full screen"
    assert seen["presenting"] and not seen["controls"]["country"] and seen["controls"]["chips"]
    assert_figures_match_cards(page, PRESENT_LIGHT.paper)

    # What the browser does when the presenter leaves full screen its own way (Esc, F11, its UI).
    page.evaluate("document.exitFullscreen()")
    wait_query(page, {"country": "DE"})
    settle(page)
    assert not look(page)["presenting"]

    page.click("#present-open")
    wait_query(page, {"country": "DE", "present": "1"})
    settle(page)
    page.click("#present-exit")
    wait_query(page, {"country": "DE"})
    settle(page)
    seen = look(page)
    assert not seen["presenting"] and not seen["fullscreen"]
    assert_figures_match_cards(page, LIGHT.paper)
    assert_clean(page_log)


def test_presentation_and_both_themes_fit_the_screen_with_aa_text_contrast(new_page, page_log):
    ARTIFACTS.mkdir(exist_ok=True)
    shots = [("present-light", PROJECTOR, "/?present=1&country=DE"),
             ("present-dark", PROJECTOR, "/?present=1&theme=dark&country=DE"),
             ("dark", LAPTOP, "/?theme=dark"), ("light", LAPTOP, "/")]
    for name, viewport, path in shots:
        page = opened(new_page, viewport, path)
        assert_no_horizontal_scroll(page, name)
        low = page.evaluate(probe("low_contrast_text"))
        assert not low, f"text under WCAG AA contrast in {name}: {low}"
        size = f"{viewport['width']}x{viewport['height']}"
        page.screenshot(path=str(ARTIFACTS / f"{name}-{size}.png"))
        page.screenshot(path=str(ARTIFACTS / f"{name}-{size}-full.png"), full_page=True)
    assert_clean(page_log)
