"""Browser tests: headless Chromium clicks the real page served by ``python app.py``.

Clicks are real mouse events at computed pixel positions: a country's centre projected by
MapLibre (``map.project([lon, lat])``), a matrix cell's centre from the heatmap's axes
(``axis._offset + axis.l2p(index)``), a timeline bar's bounding box. Plotly reports a click on
the point under its hover, so each click first hovers the spot and waits for the hover label.
Expected rows always come from ``GET /api/projects`` with the same query, never hard-coded.
"""

from __future__ import annotations

import csv
import json
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from components.timeline_figure import UNSELECTED
from tools.probes import probe

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
TAXONOMY = Path(__file__).resolve().parent.parent / "data" / "taxonomy"
GERMANY = (10.4, 51.1)
SPAIN = (-3.7, 40.2)

# --- helpers --------------------------------------------------------------------------------


def api_ids(base: str, query: str) -> list[str]:
    """Project ids that ``GET /api/projects?query`` returns (the page's answer must match)."""
    with urllib.request.urlopen(f"{base}/api/projects?{query}", timeout=10) as response:
        return [p["id"] for p in json.load(response)]


def api_project(base: str, project_id: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{base}/api/projects/{project_id}", timeout=10) as response:
        return json.load(response)


def taxonomy_slugs(table: str, id_column: str) -> dict[str, str]:
    """Every way the page may name a KET or sector (slug, label, short label) -> its slug."""
    with (TAXONOMY / table).open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {name: row[id_column] for row in rows
            for name in (row[id_column], row["label"], row.get("short_label")) if name}


def query_of(page) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(page.url).query))


def settle(page) -> None:
    """Wait until Dash has no callback pending."""
    page.wait_for_function(probe("settled"))


def open_view(page, path: str = "/") -> None:
    page.goto(path)
    page.wait_for_function(probe("views_rendered"))
    settle(page)


def wait_table(page, expected: list[str]) -> None:
    try:
        page.wait_for_function(probe("table_has"), arg=expected)
    except Exception as exc:  # show what the table had instead of a bare timeout
        shown = page.evaluate(probe("table_ids"))
        raise AssertionError(f"table rows {sorted(shown)} != {sorted(expected)}") from exc


def wait_query(page, expected: dict[str, str]) -> None:
    """Wait until the address bar's query is exactly ``expected``."""
    try:
        page.wait_for_function(probe("url_query_is"), arg=expected)
    except Exception as exc:
        raise AssertionError(f"URL query {query_of(page)} != {expected}") from exc


def chips(page) -> list[str]:
    return page.evaluate(probe("chips"))


def wait_chips(page, expected: list[str]) -> None:
    try:
        page.wait_for_function(probe("chips_are"), arg=expected)
    except Exception as exc:
        raise AssertionError(f"chips {chips(page)} != {expected}") from exc


def dropdown_labels(page, component_id: str) -> list[str]:
    return page.locator(f"#{component_id} .dash-dropdown-value-item").all_inner_texts()


def hover_and_click(page, graph_id: str, x: float, y: float, expect_in_hover: str) -> None:
    """Real mouse: hover (x, y), wait for Plotly's hover label to name the point, click there.

    Plotly reports a click on the point it last hovered, so the label is checked first.
    """
    inner = page.evaluate(probe("viewport_size"))
    assert 0 < x < inner[0] and 0 < y < inner[1], f"({x:.0f}, {y:.0f}) is outside the viewport {inner}"
    page.mouse.move(x - 6, y - 6)
    page.mouse.move(x, y, steps=4)
    try:
        page.wait_for_function(probe("hover_text_has"), arg=[graph_id, expect_in_hover])
    except Exception as exc:
        got = page.evaluate(probe("hover_text"), graph_id)
        raise AssertionError(f"hovering #{graph_id} at ({x:.0f}, {y:.0f}) shows {got!r}, "
                             f"not {expect_in_hover!r}") from exc
    page.mouse.click(x, y)


def click_country(page, lonlat: tuple[float, float], name: str) -> None:
    """Click the country at ``lonlat`` with the mouse, where MapLibre draws it."""
    page.locator("#map").scroll_into_view_if_needed()
    page.wait_for_function(probe("map_ready"))
    settle(page)
    point = page.evaluate(probe("map_pixel"), list(lonlat))
    assert point["inside"], f"{name} {lonlat} is outside the map's canvas: {point}"
    hover_and_click(page, "map", point["x"], point["y"], name)


def bar_spot(page) -> tuple[dict[str, Any], float]:
    """A timeline bar and the x on it farthest from any activity marker drawn on the bar."""
    markers = page.evaluate(probe("timeline_markers"))
    best: tuple[float, dict[str, Any], float] | None = None
    for bar in page.evaluate(probe("timeline_bars")):
        if bar["width"] < 20:
            continue
        for step in range(1, 10):
            x = bar["left"] + bar["width"] * step / 10
            near = [abs(m["x"] - x) for m in markers if abs(m["y"] - bar["y"]) < bar["height"]]
            room = min(near, default=bar["width"])
            if best is None or room > best[0]:
                best = (room, bar, x)
    assert best is not None and best[0] > 15, "no bar of the timeline has room for a click"
    return best[1], best[2]


def coloured_bars(page) -> set[str]:
    """Projects whose timeline bar is drawn in colour (in the selection), not greyed."""
    return {b["project"] for b in page.evaluate(probe("timeline_bars")) if b["colour"] != UNSELECTED}


def assert_no_horizontal_scroll(page, where: str) -> None:
    """The page is no wider than the window (no horizontal scrollbar) at ``where``."""
    overflow = page.evaluate(probe("page_overflow"))
    assert overflow["scroll"] <= overflow["inner"], f"horizontal scrollbar at {where}: {overflow}"


def assert_clean(page_log) -> None:
    assert page_log.external_requests == [], f"requests left the server: {page_log.external_requests}"
    assert page_log.console_errors == [], f"console errors: {page_log.console_errors}"


def snapshot(page) -> dict[str, Any]:
    """What a reader sees: address query, chips, filter values, headline, table, detail title."""
    detail = page.locator("#project-detail h4")
    return {
        "query": query_of(page),
        "chips": chips(page),
        "country": dropdown_labels(page, "filter-country"),
        "ket": dropdown_labels(page, "filter-ket"),
        "sector": dropdown_labels(page, "filter-sector"),
        "programme": dropdown_labels(page, "filter-programme"),
        "headline": page.evaluate(probe("headline")),
        "table": sorted(page.evaluate(probe("table_ids"))),
        "detail": detail.inner_text() if detail.count() else None,
    }


# --- tests ----------------------------------------------------------------------------------


def test_page_loads_offline_with_no_external_request(page, page_log):
    open_view(page)
    assert page.locator("#map .js-plotly-plot").is_visible()
    assert page.locator("#matrix .js-plotly-plot").is_visible()
    assert page.locator("#timeline .js-plotly-plot").is_visible()
    assert page.locator("#projects-table .ag-row").first.is_visible()
    # The countries are drawn from the app's own boundaries.
    assert page.evaluate(probe("map_ready"))
    assert_clean(page_log)


def test_clicking_a_country_on_the_map_filters_other_views(page, page_log, app_url):
    open_view(page)
    everything = api_ids(app_url, "")
    before = coloured_bars(page)
    german = api_ids(app_url, "country=DE")
    assert german and set(german) < set(everything), "the seed data should make this filter bite"
    assert before - set(german), "no project without a German partner has a coloured bar to grey"

    click_country(page, GERMANY, "Germany")
    wait_query(page, {"country": "DE"})
    wait_chips(page, ["country: Germany"])
    wait_table(page, german)
    settle(page)
    assert page.inner_text("#headline-projects") == str(len(german))
    assert dropdown_labels(page, "filter-country") == ["Germany"]
    after = coloured_bars(page)
    assert after != before, "the timeline did not change"
    assert after <= set(german), f"non-German projects still coloured on the timeline: {after - set(german)}"
    page.wait_for_function(probe("map_outlined_is"), arg=["DE"])

    click_country(page, GERMANY, "Germany")
    wait_query(page, {})
    wait_chips(page, [])
    wait_table(page, everything)
    settle(page)
    assert page.inner_text("#headline-projects") == str(len(everything))
    assert coloured_bars(page) == before
    assert page.evaluate(probe("map_outlined")) == []
    assert_clean(page_log)


def test_clicking_a_matrix_cell_filters_by_ket_and_sector(page, page_log, app_url):
    open_view(page)
    everything = api_ids(app_url, "")
    kets, sectors = taxonomy_slugs("kets.csv", "ket_id"), taxonomy_slugs("sectors.csv", "sector_id")
    page.locator("#matrix").scroll_into_view_if_needed()
    cells = [c for c in page.evaluate(probe("matrix_cells")) if c["row"] in kets and c["column"] in sectors
             and "not-stated" not in (kets[c["row"]], sectors[c["column"]])]
    assert cells, "the matrix shows no non-empty cell of a named KET and sector"
    cell = max(cells, key=lambda c: (c["count"], -c["r"], -c["c"]))
    ket, sector = kets[cell["row"]], sectors[cell["column"]]
    expected = api_ids(app_url, f"ket={ket}&sector={sector}")
    assert len(expected) == cell["count"], f"cell {cell} shows {cell['count']}, the API {expected}"

    hover_and_click(page, "matrix", cell["x"], cell["y"], f"{cell['count']} project(s)")
    wait_query(page, {"ket": ket, "sector": sector})
    wait_table(page, expected)
    assert set(expected) < set(everything)
    settle(page)
    assert page.inner_text("#headline-projects") == str(len(expected))
    shown = chips(page)
    assert len(shown) == 2 and shown[0].startswith("ket: ") and shown[1].startswith("sector: "), shown
    shapes = page.evaluate(probe("matrix_shapes"))
    outlined = [(s["x0"] + 0.5, s["y0"] + 0.5) for s in shapes if s.get("type") == "rect"]
    assert outlined == [(cell["c"], cell["r"])], f"outlined cells {outlined}, clicked {cell}"
    assert page.locator("#matrix .shapelayer path").count() >= 1, "the outline is not drawn"
    assert_clean(page_log)


SHARED_VIEWS = [
    pytest.param("country=DE,ES&ket=nanotechnology&from=2014&to=2020&project=clusternanoroad",
                 id="countries-ket-period-project"),
    pytest.param("sector=health&programme=central-europe,not-stated&map=partners&project=clustrat",
                 id="sector-programmes-metric-project"),
]


@pytest.mark.parametrize("query", SHARED_VIEWS)
def test_a_shared_url_reproduces_the_view(new_page, page_log, app_url, query):
    page = new_page()
    open_view(page, f"/?{query}")
    params = dict(urllib.parse.parse_qsl(query))
    project_id = params["project"]
    project = api_project(app_url, project_id)
    vocab_labels = {"DE": "Germany", "ES": "Spain", "nanotechnology": "Nanotechnology",
                    "health": "Health", "central-europe": "CENTRAL EUROPE Programme",
                    "not-stated": "Programme not stated"}

    for dimension in ("country", "ket", "sector", "programme"):
        values = params[dimension].split(",") if dimension in params else []
        assert sorted(dropdown_labels(page, f"filter-{dimension}")) == sorted(vocab_labels[v] for v in values)
        for value in values:
            assert f"{dimension}: {vocab_labels[value]}" in chips(page)
    if "from" in params:
        assert page.input_value("#filter-period .dash-range-slider-min-input") == params["from"]
        assert page.input_value("#filter-period .dash-range-slider-max-input") == params["to"]
        assert f"period: {params['from']}–{params['to']}" in chips(page)
    if "map" in params:
        assert page.locator(f"#map-metric input[value='{params['map']}']").is_checked()
    assert f"project: {project['acronym']}" in chips(page)

    # The open project is a focus, not a filter: the table lists the selection and highlights
    # the project; the headline counts what the API returns for the full query, which is the
    # selection too.
    listed = api_ids(app_url, "&".join(f"{k}={v}" for k, v in params.items() if k != "project"))
    wait_table(page, listed)
    assert page.locator(f"#projects-table .ag-center-cols-container .ag-row[row-id='{project_id}']"
                        ).get_attribute("class").split().count("selected-project") == 1
    assert page.inner_text("#headline-projects") == str(len(api_ids(app_url, query)))

    detail = page.locator("#project-detail")
    assert detail.locator("h4").inner_text() == project["acronym"]
    assert project["partners"], "pick a project with named partners"
    for partner in project["partners"]:
        assert partner["name"] in detail.inner_text()

    shared = page.url
    first = snapshot(page)
    other = new_page()
    open_view(other, shared)
    wait_table(other, listed)
    settle(other)
    assert snapshot(other) == first
    assert other.url == shared
    assert_clean(page_log)


def choose(page, component_id: str, label: str) -> None:
    """Open a filter dropdown, tick one option, close it (Escape)."""
    page.click(f"#{component_id}")
    page.get_by_role("option", name=label, exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_function(probe("dropdown_closed"))


def test_back_and_forward_restore_the_filter(page, page_log, app_url):
    open_view(page)
    nano = api_ids(app_url, "ket=nanotechnology")
    nano_es = api_ids(app_url, "ket=nanotechnology&country=ES")
    assert nano_es and set(nano_es) < set(nano)

    choose(page, "filter-ket", "Nanotechnology")
    wait_query(page, {"ket": "nanotechnology"})
    wait_table(page, nano)
    settle(page)
    click_country(page, SPAIN, "Spain")
    wait_query(page, {"country": "ES", "ket": "nanotechnology"})
    wait_chips(page, ["country: Spain", "ket: Nanotechnology"])
    wait_table(page, nano_es)
    settle(page)
    later = snapshot(page)

    page.go_back()
    wait_query(page, {"ket": "nanotechnology"})
    wait_chips(page, ["ket: Nanotechnology"])
    wait_table(page, nano)
    settle(page)
    assert dropdown_labels(page, "filter-country") == []
    assert dropdown_labels(page, "filter-ket") == ["Nanotechnology"]
    assert page.inner_text("#headline-projects") == str(len(nano))

    page.go_forward()
    wait_query(page, {"country": "ES", "ket": "nanotechnology"})
    wait_table(page, nano_es)
    settle(page)
    assert snapshot(page) == later

    page.go_back()
    page.go_back()
    wait_query(page, {})
    wait_chips(page, [])
    wait_table(page, api_ids(app_url, ""))
    assert_clean(page_log)


def test_an_invalid_url_value_shows_a_notice_not_an_error(page, page_log, app_url):
    open_view(page, "/?country=Atlantis&ket=unobtainium&from=abc")
    notice = page.locator("#notices .alert")
    notice.wait_for(state="visible")
    text = notice.inner_text()
    for value in ("Atlantis", "unobtainium", "abc"):
        assert value in text, f"the notice does not name {value!r}: {text!r}"
    assert "alert-warning" in notice.get_attribute("class")
    # Nothing valid was asked for: every view shows the whole dataset.
    wait_table(page, api_ids(app_url, ""))
    assert chips(page) == []
    assert page.inner_text("#headline-projects") == str(len(api_ids(app_url, "")))
    for view in ("#map", "#matrix", "#timeline"):
        assert page.locator(f"{view} .js-plotly-plot").is_visible()
    assert_clean(page_log)


def test_a_valid_country_with_no_project_is_kept_shown_and_announced(page, page_log, app_url):
    # Iceland is a real country no seed project has a partner in: the page shows what the
    # address says (no project, as the API answers), not the whole dataset.
    assert api_ids(app_url, "country=IS") == []
    # No bars nor matrix marks to wait for (open_view would): wait for the figures and Dash.
    page.goto("/?country=IS")
    page.wait_for_function(probe("figures_drawn"))
    settle(page)
    notice = page.locator("#notices .notice-unmatched")
    notice.wait_for(state="visible")
    assert "no project in this dataset has a partner in Iceland" in notice.inner_text()
    wait_chips(page, ["country: Iceland"])
    settle(page)
    assert page.inner_text("#headline-projects") == "0"
    # The dropdown shows it selected and did not drop it; the address keeps it.
    assert dropdown_labels(page, "filter-country") == ["Iceland"]
    assert query_of(page) == {"country": "IS"}
    wait_table(page, [])
    assert_clean(page_log)


def test_clicking_a_timeline_bar_opens_the_project(page, page_log, app_url):
    open_view(page)
    page.locator("#timeline .barlayer").scroll_into_view_if_needed()
    bar, x = bar_spot(page)
    project = api_project(app_url, bar["project"])

    hover_and_click(page, "timeline", x, bar["y"], project["acronym"])
    wait_query(page, {"project": bar["project"]})
    detail = page.locator("#project-detail")
    detail.locator("h4").wait_for()
    assert detail.locator("h4").inner_text() == project["acronym"]
    assert project["sources"]
    for source in project["sources"]:
        assert detail.locator(f"a.source-ref[href='/sources/{source}']").count() >= 1, \
            f"source {source} is not cited in the detail panel"
    assert f"project: {project['acronym']}" in chips(page)
    close = page.locator("#project-detail-close")
    assert close.is_visible()

    close.click()
    wait_query(page, {})
    detail.locator("h4").wait_for(state="detached")
    # The panel's side sheet closes with the project (it opens again with the next one).
    page.locator("#project-sheet").wait_for(state="hidden")
    assert not close.is_visible()
    # The chips are redrawn by the filter bar's own request, which may land after the sheet hid.
    wait_chips(page, [])
    assert_clean(page_log)


def test_chip_remove_and_reset(page, page_log, app_url):
    open_view(page, "/?country=DE&ket=nanotechnology&from=2015")
    wait_chips(page, ["country: Germany", "ket: Nanotechnology", "period: 2015–…"])

    page.click("#filter-chips button[title='Remove country: Germany']")
    wait_query(page, {"ket": "nanotechnology", "from": "2015"})
    wait_chips(page, ["ket: Nanotechnology", "period: 2015–…"])
    wait_table(page, api_ids(app_url, "ket=nanotechnology&from=2015"))
    settle(page)
    assert dropdown_labels(page, "filter-country") == []
    assert dropdown_labels(page, "filter-ket") == ["Nanotechnology"]

    page.click("#reset")
    page.wait_for_function(probe("url_search_is"), arg="")
    wait_chips(page, [])
    wait_table(page, api_ids(app_url, ""))
    settle(page)
    assert page.url.rstrip("/") == app_url
    for dimension in ("country", "ket", "sector", "programme"):
        assert dropdown_labels(page, f"filter-{dimension}") == []
    assert page.input_value("#filter-period .dash-range-slider-min-input") == page.get_attribute(
        "#filter-period .dash-slider-thumb-1", "aria-valuemin")
    assert page.inner_text("#headline-projects") == str(len(api_ids(app_url, "")))
    assert_clean(page_log)


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 1920, "height": 1080}],
                         ids=["laptop-1366x768", "projector-1920x1080"])
def test_layout_fits_a_laptop_and_a_projector(new_page, page_log, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    page = new_page(viewport)
    size = f"{viewport['width']}x{viewport['height']}"
    for name, path in (("overview", "/"), ("selection", "/?country=DE&project=clusternanoroad")):
        open_view(page, path)
        assert_no_horizontal_scroll(page, f"{size} ({name})")
        page.screenshot(path=str(ARTIFACTS / f"{name}-{size}.png"))
        page.screenshot(path=str(ARTIFACTS / f"{name}-{size}-full.png"), full_page=True)
    assert_clean(page_log)
