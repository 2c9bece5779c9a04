"""Browser tests of the exports: headless Chromium clicks each export of the page and the test
opens the file it downloaded. Chart images (PNG at twice the chart's size, SVG) carry the caption;
the tables (CSV, XLSX) hold the filtered rows, counted against the server's own totals; the HTML
report opens from disk with every network request refused and still draws and hovers; the PDF
has one page per view with its caption. Screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.request
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import LAPTOP
from PIL import Image
from pypdf import PdfReader
from test_browser import ARTIFACTS, assert_clean, open_view, settle

from data.engine import export
from data.engine.storyboard import Storyboard, StoryView, encode
from tools.probes import probe

pytestmark = pytest.mark.browser

QUERY = "country=DE"
FILTERS = "Filters: Country: Germany (DE)"
PDF_TIMEOUT_MS = 180_000
STORY = Storyboard(title="Workshop story", views=(
    StoryView(title="German partners", note="Where German clusters work", query="country=DE"),
    StoryView(title="Nanotechnology", note="", query="ket=nanotechnology"),
    StoryView(title="Since 2018", note="The recent projects", query="from=2018"),
))
PROJECTOR = {"width": 1920, "height": 1080}
PAGE_TIMEOUT_MS = 60_000
"""Exports draw and write files: on a shared, busy machine they take longer than a click."""


def patient(page):
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    return page


def download(page, selector: str, folder: Path, timeout: float = 30_000) -> tuple[Path, str]:
    """Click ``selector``, wait for the download it starts, keep it in ``folder``."""
    with page.expect_download(timeout=timeout) as started:
        page.locator(selector).click()
    got = started.value
    path = folder / got.suggested_filename
    got.save_as(path)
    return path, got.suggested_filename


def server_total(base: str, href: str) -> int:
    """The rows the server says an export has (``X-Total-Count``) for the link's address."""
    with urllib.request.urlopen(base + href, timeout=30) as response:
        return int(response.headers["X-Total-Count"])


def dark_pixels(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    return sum(image.convert("L").crop(box).histogram()[:120])


def open_menu(page) -> None:
    if not page.locator("#export-menu-projects-csv").is_visible():
        page.locator("#export-menu .dropdown-toggle").click()
    page.locator("#export-menu-projects-csv").wait_for(state="visible")


def test_chart_buttons_download_png_at_twice_the_size_and_svg_with_the_caption(
        page, page_log, tmp_path):
    patient(page)
    open_view(page, f"/?{QUERY}")
    page.wait_for_function(probe("map_ready"))
    settle(page)
    for graph in ("matrix", "map", "timeline"):
        size = page.evaluate(
            "(id) => { const l = document.querySelector('#' + id + ' .js-plotly-plot')._fullLayout;"
            " return [Math.round(l.width), Math.round(l.height)]; }", graph)
        path, name = download(page, f'button.chart-export[data-graph="{graph}"][data-format="png"]', tmp_path)
        assert name == f"ket-{graph}-country-DE.png"
        image = Image.open(path).convert("RGB")
        image.save(ARTIFACTS / f"export-chart-{graph}.png")
        width, height = size
        assert image.width == 2 * width, (graph, image.size, size)
        assert image.height > 2 * height + 40, "a caption band is added below the chart"
        band = dark_pixels(image, (0, 2 * height, image.width, image.height))
        assert band > 500, f"the caption band of {graph} has no text"
        chart = image.crop((0, 0, image.width, 2 * height))
        colours = chart.getcolors(1 << 20) or []
        non_white = sum(n for n, c in colours if c != (255, 255, 255)) / (chart.width * chart.height)
        assert len(colours) > 20 and non_white > 0.05, f"the {graph} image is blank ({non_white:.2%})"
        svg_path, svg_name = download(
            page, f'button.chart-export[data-graph="{graph}"][data-format="svg"]', tmp_path)
        assert svg_name == f"ket-{graph}-country-DE.svg"
        svg = svg_path.read_text(encoding="utf-8")
        assert svg.startswith("<svg") and FILTERS in svg and "Dataset: seed (exported" in svg
        assert "Sources: " in svg
    assert_clean(page_log)


def test_the_export_menu_downloads_every_table_with_its_rows_and_filters(
        new_page, page_log, app_url, tmp_path):
    for viewport, label in ((LAPTOP, "1366x768"), (PROJECTOR, "1920x1080")):
        page = patient(new_page(viewport))
        open_view(page, f"/?{QUERY}")
        open_menu(page)
        page.screenshot(path=str(ARTIFACTS / f"export-menu-{label}.png"))
    with urllib.request.urlopen(f"{app_url}/api/projects?{QUERY}", timeout=10) as response:
        projects = int(response.headers["X-Total-Count"])
    for table in export.TABLES:
        for fmt in ("csv", "xlsx"):
            selector = f"#export-menu-{table}-{fmt}"
            href = page.locator(selector).get_attribute("href")
            assert href == f"/api/export/{table}.{fmt}?{QUERY}"
            total = server_total(app_url, href)
            if table == "projects":
                assert total == projects
            open_menu(page)
            path, name = download(page, selector, tmp_path)
            assert name == f"ket-{table}-country-DE.{fmt}"
            if fmt == "csv":
                text = path.read_text(encoding="utf-8-sig")
                rows = list(csv.DictReader(io.StringIO(text)))
                assert list(rows[0]) == list(export.COLUMNS[table])
            else:
                book = openpyxl.load_workbook(path, read_only=True)
                assert book.sheetnames == [table, "Filters and sources"]
                rows = list(book[table].iter_rows(min_row=2, values_only=True))
                about = dict((k, v) for k, v, *_ in book["Filters and sources"].iter_rows(values_only=True))
                assert about["Filters"] == "Country: Germany (DE)" and about["Dataset"] == "seed"
                assert any(k == "Source" for k, *_ in book["Filters and sources"].iter_rows(values_only=True))
            assert len(rows) == total > 0, (table, fmt)
    assert_clean(page_log)


def open_offline(browser, path: Path, viewport: dict[str, int]) -> tuple[Any, Any, list[str]]:
    """Open a downloaded file from disk in a fresh context where every http(s) request fails."""
    context = browser.new_context(viewport=viewport)
    refused: list[str] = []

    def block(route) -> None:
        if route.request.url.startswith(("http:", "https:")):
            refused.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", block)
    page = patient(context.new_page())
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_function("() => { const r = (" + probe("report_drawn") + ")(); "
                           "return r.total > 0 && r.drawn === r.total; }", timeout=30_000)
    assert errors == [], errors
    return context, page, refused


def hover_matrix(page, section: int) -> str:
    page.locator(f"#chart-{section}-matrix").scroll_into_view_if_needed()
    cells = page.evaluate(probe("report_matrix_cells"), section)
    assert cells, "the report's matrix has no non-empty cell"
    cell = max(cells, key=lambda c: c["count"])
    page.mouse.move(cell["x"] - 8, cell["y"] - 8)
    page.mouse.move(cell["x"], cell["y"], steps=4)
    selector = f"#chart-{section}-matrix"
    page.wait_for_function(f"() => ({probe('report_hover_text')})({json.dumps(selector)}).length > 0")
    return str(page.evaluate(probe("report_hover_text"), selector))


def test_the_view_exports_as_html_that_works_offline_and_as_a_two_page_pdf(
        browser, page, page_log, tmp_path):
    patient(page)
    open_view(page, f"/?{QUERY}")
    open_menu(page)
    path, name = download(page, "#export-menu-view-html", tmp_path)
    assert name == "ket-view-country-DE.html"
    for viewport, label in ((LAPTOP, "1366x768"), (PROJECTOR, "1920x1080")):
        context, opened, refused = open_offline(browser, path, viewport)
        try:
            assert opened.locator("section.report-view").count() == 1
            assert FILTERS in opened.inner_text("section.report-view .report-caption")
            assert opened.locator("#chart-1-map .choroplethlocation").count() > 20, "the map is blank"
            opened.screenshot(path=str(ARTIFACTS / f"export-html-offline-{label}.png"))
            label_text = hover_matrix(opened, 1)
            assert re.search(r"\d+ project", label_text), label_text
            if label == "1366x768":
                opened.screenshot(path=str(ARTIFACTS / "export-html-offline-hover.png"))
            assert refused == [], f"the report asked the network for {refused}"
        finally:
            context.close()
    open_menu(page)
    pdf_path, pdf_name = download(page, "#export-menu-view-pdf", tmp_path, timeout=PDF_TIMEOUT_MS)
    assert pdf_name == "ket-view-country-DE.pdf"
    pages = PdfReader(pdf_path).pages
    # Its map, matrix and timeline; then its organisation map and network.
    assert len(pages) == 2
    assert all("Country: Germany (DE)" in p.extract_text() for p in pages)
    assert_clean(page_log)


def test_a_regional_views_report_draws_its_nuts_regions_from_disk_offline(browser, app_url, tmp_path):
    path = tmp_path / "regions.html"
    query = "geo=nuts2&compare=clusterfy,clustrat"
    with urllib.request.urlopen(f"{app_url}/api/export/view.html?{query}") as got:
        path.write_bytes(got.read())
    context, opened, refused = open_offline(browser, path, LAPTOP)
    try:
        # The NUTS 2 level's regions, drawn in SVG from the inlined boundaries.
        assert opened.locator("#chart-1-regions .choroplethlocation").count() > 200
        assert "EuroGeographics" in opened.inner_text("#chart-1-regions")
        assert opened.locator("#chart-1-organisations .choroplethlocation").count() > 20
        assert opened.locator("#chart-1-compare .main-svg").count() > 0
        assert "not stated" in opened.inner_text(".report-compare")
        opened.screenshot(path=str(ARTIFACTS / "export-html-offline-regions.png"), full_page=True)
        assert refused == [], f"the report asked the network for {refused}"
    finally:
        context.close()


def test_a_storyboard_exports_one_html_section_and_two_pdf_pages_per_view(
        browser, page, page_log, tmp_path):
    patient(page)
    open_view(page, f"/?story={encode(STORY)}")
    page.locator("#story-export").wait_for(state="visible")
    html_path, _ = download(page, "#story-export-html", tmp_path)
    context, opened, refused = open_offline(browser, html_path, LAPTOP)
    try:
        sections = opened.locator("section.report-view")
        assert sections.count() == len(STORY.views)
        for i, view in enumerate(STORY.views):
            assert sections.nth(i).locator("h2").inner_text() == view.title
        # Map, matrix, timeline, organisation map, network.
        assert opened.locator(".report-plot").count() == 5 * len(STORY.views)
        assert re.search(r"\d+ project", hover_matrix(opened, 3))
        assert refused == []
    finally:
        context.close()
    pdf_path, pdf_name = download(page, "#story-export-pdf", tmp_path, timeout=PDF_TIMEOUT_MS)
    assert pdf_name == "ket-storyboard.pdf"
    pages = PdfReader(pdf_path).pages
    per_view = 2  # no view of STORY compares projects, which would add pages
    assert len(pages) == per_view * len(STORY.views)
    for number, view in enumerate(STORY.views):
        for pdf_page in pages[number * per_view:(number + 1) * per_view]:
            text = pdf_page.extract_text()
            assert text.startswith(view.title) and "Filters: " in text and "Sources: " in text
    assert "Filters: From: 2018" in pages[4].extract_text()
    assert_clean(page_log)
