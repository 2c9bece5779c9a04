"""Exports of a view: chart captions and file names, the export menu's links, the self-contained
HTML report and the PDF (``callbacks/report.py``, ``GET /api/export/view.html|.pdf``)."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from typing import Any

import openpyxl
import plotly.offline
import pytest
from fixtures_data import SEED_DIR, load_seed
from flask.testing import FlaskClient
from pypdf import PdfReader

from callbacks import report, views
from components import export_menu, ids
from components.report import GEOJSON_PLACEHOLDER
from data.engine import export
from data.engine.state import FilterState, parse_query
from data.engine.storyboard import MAX_VIEWS, Storyboard, StoryView, encode
from data.io.geo import countries_geojson
from server.factory import create_app

DAY = date(2026, 3, 4)
STORY = Storyboard(title="Workshop", views=(
    StoryView(title="Germany first", note="Who works with German clusters", query="country=DE"),
    StoryView(title="Photonics", note="", query="ket=photonics"),
    StoryView(title="Since 2018", note="Recent projects", query="from=2018"),
))


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    return create_app(SEED_DIR).server.test_client()


@pytest.fixture(scope="module")
def seed() -> Any:
    return load_seed()


def state_of(query: str, dataset: Any) -> FilterState:
    state, problems = parse_query(query, dataset)
    assert problems == []
    return state


# --- captions and names ---------------------------------------------------------------------


def test_caption_lines_name_the_filters_the_dataset_its_date_and_the_sources(seed: Any) -> None:
    state = state_of("country=DE&from=2012", seed)
    lines = export.caption_lines(seed, state, DAY)
    full = dict(export.caption(seed, state, DAY)[:5])
    sources = [v.split(":", 1)[0] for k, v in export.caption(seed, state, DAY) if k == "Source"]
    assert lines[0] == f"Filters: {full['Filters']}"
    assert lines[0] == "Filters: Country: Germany (DE); From: 2012"
    assert lines[1].startswith("Dataset: seed (exported 2026-03-04)")
    assert f"{int(full['Projects']):,} project" in lines[1]
    assert sources and all(s in lines[2] for s in sources[:export.MAX_CAPTION_SOURCES])


def test_a_caption_lists_a_few_sources_and_counts_the_rest(
        seed: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "MAX_CAPTION_SOURCES", 2)
    everything = [v for k, v in export.caption(seed, FilterState(), DAY) if k == "Source"]
    assert len(everything) > export.MAX_CAPTION_SOURCES, "the seed cites many sources"
    line = export.caption_lines(seed, FilterState(), DAY)[2]
    assert line.endswith(f"and {len(everything) - export.MAX_CAPTION_SOURCES} more")
    assert line.count(",") == export.MAX_CAPTION_SOURCES - 1


def test_chart_file_names_follow_the_view_and_its_filters(seed: Any) -> None:
    state = state_of("country=DE&ket=photonics", seed)
    assert export.view_filename("matrix", state, "png") == "ket-matrix-country-DE-ket-photonics.png"
    assert export.view_filename("map", FilterState(), "svg") == "ket-map.svg"


def test_chart_file_names_are_bounded_safe_and_leave_the_storyboard_out(seed: Any) -> None:
    state = FilterState(q="ünïcode / \"quotes\" <and> " * 20, story=encode(STORY), step=2)
    name = export.view_filename("timeline", state, "png")
    assert re.fullmatch(r"ket-timeline-[A-Za-z0-9-]+\.png", name)
    assert len(name) <= len("ket-timeline-.png") + export.MAX_NAME_SLUG
    assert "story" not in name and "step" not in name


def test_the_caption_holder_carries_the_lines_and_every_charts_name(seed: Any) -> None:
    state = state_of("country=DE", seed)
    held = json.loads(views.render_export_caption(seed, state))
    assert held["lines"][0] == "Filters: Country: Germany (DE)"
    assert held["names"] == {v: f"ket-{v}-country-DE" for v in export.VIEWS}


def test_the_filter_bar_writes_every_export_link_with_the_query(seed: Any) -> None:
    token = encode(STORY)
    state = state_of(f"country=DE&story={token}&step=2", seed)
    out = views.render_filter_bar(seed, state, export_path="/p/api/export")
    full = state.to_query()
    assert f"story={token}" in full
    # A table carries what selects its rows, not the storyboard it was exported from.
    for component_id, (table, fmt) in export_menu.TABLE_LINKS.items():
        assert out[component_id] == f"/p/api/export/{table}.{fmt}?country=DE"
    # The view's report is the view alone; the storyboard's links carry the storyboard.
    assert out[ids.EXPORT_VIEW_HTML] == "/p/api/export/view.html?country=DE"
    assert out[ids.EXPORT_VIEW_PDF] == "/p/api/export/view.pdf?country=DE"
    assert out[ids.STORY_EXPORT_PDF] == out[ids.EXPORT_STORY_PDF] == f"/p/api/export/view.pdf?{full}"
    assert out["story_export_style"] == {"display": "block"}
    closed = views.render_filter_bar(seed, state_of("country=DE", seed))
    assert closed[ids.STORY_EXPORT_HTML] == "#" and closed["story_export_style"] == {"display": "none"}


@pytest.mark.parametrize("table", export.TABLES)
def test_every_table_exports_as_a_workbook_with_the_filters_and_sources_sheet(
        client: FlaskClient, table: str) -> None:
    response = client.get(f"/api/export/{table}.xlsx?country=DE")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    assert book.sheetnames == [table, "Filters and sources"]
    rows = list(book[table].iter_rows(values_only=True))
    assert len(rows) - 1 == int(response.headers["X-Total-Count"]) > 0
    about = dict((k, v) for k, v, *_ in book["Filters and sources"].iter_rows(values_only=True))
    assert about["Filters"] == "Country: Germany (DE)"


# --- the HTML report ------------------------------------------------------------------------


def test_the_html_report_inlines_plotly_and_the_boundaries_once_and_fetches_nothing(
        client: FlaskClient) -> None:
    response = client.get("/api/export/view.html?country=DE")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="ket-view-country-DE.html"'
    page = response.get_data(as_text=True)
    assert page.count(plotly.offline.get_plotlyjs()[:2000]) == 1
    boundaries = json.dumps(countries_geojson(), separators=(",", ":"))
    assert page.count(boundaries[:3000]) == 1
    assert "<script src" not in page and "<link" not in page
    figures = re.findall(r'<script type="application/json" class="ket-figure"[^>]*>(.*?)</script>', page)
    assert len(figures) == 3
    map_traces = json.loads(figures[0])["data"]
    assert map_traces and all(t["geojson"] == GEOJSON_PLACEHOLDER for t in map_traces)
    # Drawn in SVG (no MapLibre worker, which a file:// page cannot start), without base tiles.
    assert {t["type"] for t in map_traces} == {"choropleth"}
    assert "window.PlotlyGeoAssets" in page
    # Nothing the figures carry points outside the file.
    assert not [f for f in figures if re.search(r'"(https?:)?//', f)]
    assert "Filters: Country: Germany (DE)" in page


def test_the_html_report_has_one_section_per_storyboard_view(client: FlaskClient) -> None:
    page = client.get(f"/api/export/view.html?story={encode(STORY)}").get_data(as_text=True)
    sections = re.findall(r'<section class="report-view".*?</section>', page, flags=re.S)
    assert len(sections) == len(STORY.views)
    for section, view in zip(sections, STORY.views, strict=True):
        assert f"<h2>{view.title}</h2>" in section
        assert view.note in section
        assert section.count('class="ket-figure"') == 3
    assert "Filters: Country: Germany (DE)" in sections[0]
    assert "Filters: From: 2018" in sections[2]
    assert "<h1>Workshop</h1>" in page


def test_the_html_report_escapes_what_a_storyboard_says(client: FlaskClient) -> None:
    hostile = Storyboard(views=(StoryView(title="<script>alert(1)</script>", note="a </script> b",
                                          query="q=</script>"),))
    page = client.get(f"/api/export/view.html?story={encode(hostile)}").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(("query", "status", "words"), [
    ("story=not-a-token", 400, "storyboard cannot be read"),
    ("country=ZZ", 400, "country='ZZ'"),
    ("dataset=nope", 400, "No such dataset"),
    (f"story={encode(Storyboard(title='empty'))}", 400, "no views"),
])
@pytest.mark.parametrize("extension", ["html", "pdf"])
def test_a_report_that_cannot_be_made_gets_a_plain_4xx(
        client: FlaskClient, query: str, status: int, words: str, extension: str) -> None:
    response = client.get(f"/api/export/view.{extension}?{query}")
    assert response.status_code == status
    assert response.mimetype == "text/plain"
    assert words in response.get_data(as_text=True)


def test_a_storyboard_with_more_views_than_a_report_holds_is_refused_with_413(client: FlaskClient) -> None:
    many = Storyboard(views=tuple(StoryView(title=f"v{i}", query="country=DE")
                                  for i in range(report.MAX_REPORT_VIEWS + 1)))
    assert len(many.views) <= MAX_VIEWS
    for extension in ("html", "pdf"):
        response = client.get(f"/api/export/view.{extension}?story={encode(many)}")
        assert response.status_code == 413
        assert f"at most {report.MAX_REPORT_VIEWS}" in response.get_data(as_text=True)


# --- the PDF --------------------------------------------------------------------------------


def test_the_storyboard_pdf_has_one_a4_landscape_page_per_view_with_its_caption(client: FlaskClient) -> None:
    response = client.get(f"/api/export/view.pdf?story={encode(STORY)}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="ket-storyboard.pdf"'
    pages = PdfReader(io.BytesIO(response.data)).pages
    assert len(pages) == len(STORY.views)
    for page, view in zip(pages, STORY.views, strict=True):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
        text = page.extract_text()
        assert view.title in text and "Filters:" in text and "Sources:" in text
        assert len(page.images) == 3  # map, matrix, timeline
    assert "Country: Germany (DE)" in pages[0].extract_text()


def test_a_pdf_while_another_is_made_gets_503_busy(client: FlaskClient) -> None:
    assert report._pdf_lock.acquire(blocking=False)
    try:
        response = client.get("/api/export/view.pdf?country=DE")
    finally:
        report._pdf_lock.release()
    assert response.status_code == 503
    assert "nother PDF is being made" in response.get_data(as_text=True)


def test_a_missing_renderer_is_named_with_what_to_install(
        client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KET_CHROMIUM", "/nonexistent/chromium")
    response = client.get("/api/export/view.pdf")
    assert response.status_code == 503
    text = response.get_data(as_text=True)
    assert "missing Chromium" in text and "apt-get install chromium" in text
    assert client.get("/api/export/view.html").status_code == 200  # HTML needs no renderer


def test_a_pdf_that_takes_too_long_gets_503_and_frees_the_renderer(
        client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    async def slow(figures: Any) -> Any:
        await asyncio.sleep(5)

    monkeypatch.setattr(report, "_render_images", slow)
    monkeypatch.setattr(report, "PDF_TIMEOUT", 0.2)
    response = client.get("/api/export/view.pdf")
    assert response.status_code == 503
    assert "longer than" in response.get_data(as_text=True)
    assert not report._pdf_lock.locked()
