"""Browser tests of the page in another language: ``/?lang=de`` in headless Chromium.

The expected words come from the catalogs and CLDR through the same functions the server uses
(``translator``, ``country_name``), not from hard-coded copies, except where a test pins one
word a German reader must see.
"""

from __future__ import annotations

import pytest
from test_browser import (
    ARTIFACTS,
    GERMANY,
    assert_clean,
    assert_no_horizontal_scroll,
    chips,
    click_country,
    open_view,
    query_of,
    settle,
    wait_chips,
    wait_query,
)

from components import ids
from data.io.countries import country_name
from data.io.i18n import translator

pytestmark = pytest.mark.browser

DE = translator("de")


def placeholder(page, component_id: str) -> str:
    return page.locator(f"#{component_id}").inner_text().strip()


def test_the_page_in_german_says_so_and_speaks_german(page, page_log):
    open_view(page, "/?lang=de")
    assert page.evaluate("document.documentElement.lang") == "de"
    assert page.title() == DE("KET cluster cooperation in Europe")
    assert page.locator("h1").inner_text() == "KET-Clusterkooperation in Europa"
    assert placeholder(page, ids.FILTER_COUNTRY) == DE("Country") == "Land"
    assert placeholder(page, ids.FILTER_KET) == DE("Key Enabling Technology")
    assert page.locator(f"#{ids.RESET}").inner_text() == DE("Reset all")
    assert page.locator(f"#{ids.lang_link_id('de')}").get_attribute("aria-current") == "true"
    # The country dropdown offers the countries by their German names.
    page.click(f"#{ids.FILTER_COUNTRY}")
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    assert country_name("DE", "de") in options and "Österreich" in options
    assert "Germany" not in options and "Austria" not in options
    assert_clean(page_log)


def test_the_map_names_countries_in_german_and_the_switch_keeps_the_filters(page, page_log):
    open_view(page, "/?lang=de")
    # The map's hover names Germany in German; clicking it filters by it.
    click_country(page, GERMANY, "Deutschland")
    wait_query(page, {"country": "DE", "lang": "de"})
    wait_chips(page, [DE("{filter}: {value}", filter=DE("country"), value="Deutschland")])
    assert page.locator(f"#{ids.FILTER_COUNTRY}").inner_text().strip().startswith("Deutschland")
    # The switch to French is a link to the same view in French: a new page load.
    french = page.locator(f"#{ids.lang_link_id('fr')}")
    page.wait_for_function(
        "id => (document.getElementById(id).getAttribute('href') || '').includes('country=DE')",
        arg=ids.lang_link_id("fr"))
    french.click()
    page.wait_for_function("document.documentElement.lang === 'fr'")
    settle(page)
    page.wait_for_function("document.querySelector('h1') && document.querySelector('h1').innerText"
                           " === 'Coopération des clusters TCG en Europe'")
    assert query_of(page) == {"country": "DE", "lang": "fr"}
    fr = translator("fr")
    wait_chips(page, [fr("{filter}: {value}", filter=fr("country"), value=country_name("DE", "fr"))])
    assert chips(page) == ["pays\u00a0: Allemagne"]
    assert_clean(page_log)


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 1920, "height": 1080}],
                         ids=["laptop-1366x768", "projector-1920x1080"])
def test_the_german_page_fits_a_laptop_and_a_projector(new_page, page_log, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    page = new_page(viewport)
    size = f"{viewport['width']}x{viewport['height']}"
    open_view(page, "/?lang=de&country=DE&project=clusternanoroad")
    assert_no_horizontal_scroll(page, size)
    page.screenshot(path=str(ARTIFACTS / f"german-{size}.png"))
    page.screenshot(path=str(ARTIFACTS / f"german-{size}-full.png"), full_page=True)
    assert_clean(page_log)


def test_the_german_project_panel_names_roles_kinds_and_the_map_credit_in_german(page, page_log):
    open_view(page, "/?lang=de&project=clustrat")
    panel = page.locator(f"#{ids.DETAIL}")
    page.wait_for_function("id => (document.getElementById(id).innerText || '').includes('CluStrat')",
                           arg=ids.DETAIL)
    partners = panel.locator("h6:text-is('Partner') + ul > li").all_inner_texts()
    assert any("— Koordinator" in p for p in partners), partners
    assert sum("— Partner" in p for p in partners) >= 1
    text = panel.inner_text()
    assert "Coordinator" not in text and "pilot action)" not in text
    assert "(Pilotmaßnahme)" in text and "Assoziierter Partner: " in text
    # The map's credit under the map, in German too.
    assert DE("Boundaries: Natural Earth (public domain)") == "Grenzen: Natural Earth (gemeinfrei)"
    assert "Grenzen: Natural Earth (gemeinfrei)" in page.locator(f"#{ids.MAP_FIGURE}").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    panel.screenshot(path=str(ARTIFACTS / "german-project-roles.png"))
    assert_clean(page_log)
