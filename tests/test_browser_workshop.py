"""The workshop, end to end, as a presenter does it in the browser: prepare a three-view
storyboard with the page's own controls, step through it, and export the view on screen and the
storyboard in every format, checking each file: the chart images (PNG, SVG) and the tables (CSV,
XLSX) carry the view's filters, the HTML opens from disk with the network refused and its hover
works, and the PDF has two pages per view (its charts; its organisation map and network), each
with the view's title and filters.

What each check expects comes from what the page showed when the view was saved (its address,
its chips) and from the server's own counts, never from a hard-coded list."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from conftest import LAPTOP
from PIL import Image
from pypdf import PdfReader
from test_browser import GERMANY, assert_clean, chips, click_country, open_view, settle
from test_browser_export import (
    PDF_TIMEOUT_MS,
    dark_pixels,
    download,
    hover_matrix,
    open_menu,
    open_offline,
    patient,
    server_total,
)
from test_browser_storyboard import expect_step, save, wait_view

from data.engine import export

pytestmark = pytest.mark.browser


def test_a_presenter_prepares_a_storyboard_steps_through_it_and_exports_every_format(
        browser, page, page_log, app_url, tmp_path) -> None:
    patient(page)
    open_view(page, "/")
    page.get_by_role("button", name="Storyboard", exact=True).click()
    page.locator("#story-panel").wait_for(state="visible")
    views = [save(page, "Every project", "All the seed projects.", 1)]
    click_country(page, GERMANY, "Germany")
    wait_view(page, {"country": "DE", "step": "1"})
    views.append(save(page, "Partners in Germany", "Where German clusters work.", 2))
    page.locator("#filter-chips .chip-remove").first.click()
    wait_view(page, {"step": "2"})
    page.locator("#filter-search").fill("CluStrat")
    page.locator("#filter-search").press("Enter")
    wait_view(page, {"q": "CluStrat", "step": "2"})
    views.append(save(page, "CluStrat", "Found by name.", 3))

    # Step back to the first view with the keys, then forward to Germany with the step bar.
    page.locator("#story-bar-text").click()
    page.keyboard.press("ArrowLeft")
    expect_step(page, views[1], 2, 3)
    page.keyboard.press("ArrowLeft")
    expect_step(page, views[0], 1, 3)
    page.get_by_role("button", name="Next view of the storyboard").click()
    expect_step(page, views[1], 2, 3)
    assert chips(page) == views[1]["chips"] and views[1]["chips"]
    settle(page)
    filters = "Filters: Country: Germany (DE)"

    # The chart images of the view shown carry its filters.
    button = 'button.chart-export[data-graph="matrix"][data-format="{}"]'
    svg_path, svg_name = download(page, button.format("svg"), tmp_path)
    assert svg_name == "ket-matrix-country-DE.svg"
    svg = svg_path.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and filters in svg and "Sources: " in svg
    width, height = page.evaluate(
        "() => { const l = document.querySelector('#matrix .js-plotly-plot')._fullLayout;"
        " return [Math.round(l.width), Math.round(l.height)]; }")
    png_path, png_name = download(page, button.format("png"), tmp_path)
    assert png_name == "ket-matrix-country-DE.png"
    image = Image.open(png_path).convert("RGB")
    assert image.width == 2 * width and image.height > 2 * height + 40
    assert dark_pixels(image, (0, 2 * height, image.width, image.height)) > 500, "no caption text"

    # The tables of the view shown: its rows (the server's count), its filters.
    open_menu(page)
    csv_href = page.locator("#export-menu-projects-csv").get_attribute("href")
    assert csv_href == "/api/export/projects.csv?country=DE"
    total = server_total(app_url, csv_href)
    csv_path, csv_name = download(page, "#export-menu-projects-csv", tmp_path)
    assert csv_name == "ket-projects-country-DE.csv"
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == total > 0 and list(rows[0]) == list(export.COLUMNS["projects"])
    open_menu(page)
    xlsx_path, _ = download(page, "#export-menu-participations-xlsx", tmp_path)
    book = openpyxl.load_workbook(xlsx_path, read_only=True)
    about = {k: v for k, v, *_ in book["Filters and sources"].iter_rows(values_only=True)}
    assert about["Filters"] == "Country: Germany (DE)"
    participations = list(book["participations"].iter_rows(min_row=2, values_only=True))
    assert len(participations) == server_total(
        app_url, "/api/export/participations.xlsx?country=DE") > 0

    # The storyboard as one HTML file, opened with the network refused: a section per view,
    # each with its filters, and a hover label on a matrix cell.
    page.locator("#story-export").wait_for(state="visible")
    html_path, _ = download(page, "#story-export-html", tmp_path)
    context, opened, refused = open_offline(browser, html_path, LAPTOP)
    try:
        sections = opened.locator("section.report-view")
        assert sections.count() == 3
        assert [sections.nth(i).locator("h2").inner_text() for i in range(3)] == [
            v["title"] for v in views]
        assert filters in sections.nth(1).locator(".report-caption").inner_text()
        assert "Search: CluStrat" in sections.nth(2).locator(".report-caption").inner_text()
        assert re.search(r"\d+ project", hover_matrix(opened, 2))
        for i in range(3):
            charts = sections.nth(i).locator(".report-plot")
            assert [charts.nth(c).get_attribute("data-chart") for c in range(charts.count())] == [
                "map", "matrix", "timeline", "organisations", "network"]
        assert refused == [], f"the report asked the network for {refused}"
    finally:
        context.close()

    # The storyboard as a PDF: per view, a page of its map, matrix and timeline and a page of
    # its organisation map and network (none of these views compares projects, which would add
    # pages), each headed by the view's title and caption.
    pdf_path, pdf_name = download(page, "#story-export-pdf", tmp_path, timeout=PDF_TIMEOUT_MS)
    assert pdf_name == "ket-storyboard.pdf"
    pages = PdfReader(pdf_path).pages
    per_view = 2
    assert len(pages) == per_view * len(views)
    texts = [p.extract_text() for p in pages]
    for number, view in enumerate(views):
        own = range(number * per_view, (number + 1) * per_view)
        assert all(texts[i].startswith(view["title"]) and "Sources: " in texts[i] for i in own)
        assert [len(pages[i].images) for i in own] == [3, 2]
        assert "Collaboration network" in texts[own[1]]
    assert "Country: Germany (DE)" in texts[2] and "Country: Germany (DE)" in texts[3]
    assert "CluStrat" in texts[4] and "CluStrat" in texts[5]
    assert_clean(page_log)
