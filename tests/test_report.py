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
from callbacks.compare import render_compare
from callbacks.network import render_network
from callbacks.org_map import render_org_map
from components import export_menu, ids
from components.compare import overlap_text
from components.report import GEOJSON_PLACEHOLDER, nuts_placeholder, text_lines
from data.engine import export
from data.engine.compare import compare
from data.engine.state import FilterState, parse_query
from data.engine.storyboard import MAX_VIEWS, Storyboard, StoryView, encode
from data.io.geo import NUTS_ATTRIBUTION, countries_geojson, country_ids, nuts_geojson
from server.factory import create_app

DAY = date(2026, 3, 4)
STORY = Storyboard(title="Workshop", views=(
    StoryView(title="Germany first", note="Who works with German clusters", query="country=DE"),
    StoryView(title="Photonics", note="", query="ket=photonics"),
    StoryView(title="Since 2018", note="Recent projects", query="from=2018"),
))
COMPARED = "geo=nuts2&compare=clusterfy,clustrat"
"""A view drawing NUTS 2 regions and comparing two seed projects: ClusterFY's partners are
placed in regions, neither project states a budget, and their periods do not meet."""
CHARTS = ["map", "matrix", "timeline", "organisations", "network"]
"""The charts of every report view without ``geo=`` or ``compare=``, in the order shown."""
FIGURE = r'<script type="application/json" class="ket-figure" data-target="chart-(\d+)-(\w+)">(.*?)</script>'
FETCHING = r'<(script|img|iframe|link|source|embed|object)\b[^>]*\b(src|href|data)\s*=\s*"?(https?:)?//'
"""An element that would fetch from outside the file when it opens."""


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


def figures_of(page: str) -> dict[tuple[int, str], dict[str, Any]]:
    """The figures of a report file by (view number, chart name)."""
    return {(int(v), name): json.loads(text) for v, name, text in re.findall(FIGURE, page, flags=re.S)}


def assert_offline(page: str) -> None:
    """Nothing in the file fetches from outside it: no element with an outside address, no
    script or stylesheet by address at all, no figure naming an address."""
    assert "<script src" not in page and "<link" not in page
    assert not re.search(FETCHING, page, flags=re.I)
    figures = [text for _v, _n, text in re.findall(FIGURE, page, flags=re.S)]
    assert figures and not [f for f in figures if re.search(r'"(https?:)?//', f)]


def test_the_html_report_inlines_plotly_and_the_boundaries_once_and_fetches_nothing(
        client: FlaskClient) -> None:
    response = client.get("/api/export/view.html?country=DE")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="ket-view-country-DE.html"'
    page = response.get_data(as_text=True)
    assert page.count(plotly.offline.get_plotlyjs()[:2000]) == 1
    boundaries = json.dumps(countries_geojson(), separators=(",", ":"))
    assert page.count(boundaries[:3000]) == 1
    # A view without geo= draws no region: no NUTS boundaries weigh on the file.
    assert "nuts2021_levl" not in page
    assert_offline(page)
    figures = figures_of(page)
    assert [name for _view, name in figures] == CHARTS
    map_traces = figures[(1, "map")]["data"]
    assert map_traces and all(t["geojson"] == GEOJSON_PLACEHOLDER for t in map_traces)
    # Drawn in SVG (no MapLibre worker, which a file:// page cannot start), without base tiles.
    assert {t["type"] for t in map_traces} == {"choropleth"}
    assert "window.PlotlyGeoAssets" in page
    assert "Filters: Country: Germany (DE)" in page


def test_the_html_report_draws_the_regional_map_of_a_nuts_view_on_its_own_boundaries(
        client: FlaskClient, seed: Any) -> None:
    page = client.get("/api/export/view.html?country=ES&geo=nuts2").get_data(as_text=True)
    figures = figures_of(page)
    assert [name for _view, name in figures] == ["regions", *CHARTS[1:]]
    traces = figures[(1, "regions")]["data"]
    page_map = views.render_region_map(seed, state_of("country=ES&geo=nuts2", seed), {2: "url"})
    counted = next(t for t in page_map["figure"].to_plotly_json()["data"] if t.get("name") == "projects")
    assert len(counted["locations"]) > 0 and all(len(code) == 4 for code in counted["locations"])
    drawn = next(t for t in traces if t.get("name") == "projects")
    # The regions the page colours, with the page's counts, as SVG choropleths on NUTS 2.
    assert list(drawn["locations"]) == list(counted["locations"])
    assert list(drawn["z"]) == list(counted["z"])
    shaped = [t for t in traces if t["type"] == "choropleth"]
    assert shaped and {t["geojson"] for t in shaped} == {nuts_placeholder(2)}
    assert {t["featureidkey"] for t in shaped} == {"id"}
    assert {t["type"] for t in traces} <= {"choropleth", "scattergeo"}
    credits = [a["text"] for a in figures[(1, "regions")]["layout"]["annotations"]]
    assert NUTS_ATTRIBUTION in credits
    # That level's boundaries, as served, inlined once; no other level's.
    level2 = json.dumps(nuts_geojson(2), separators=(",", ":"))
    assert page.count(level2[:3000]) == 1
    assert f'data-name="{nuts_placeholder(2)}"' in page
    assert nuts_placeholder(1) not in page and nuts_placeholder(3) not in page
    assert all(f'"id":"{code}"' in level2 for code in drawn["locations"])
    assert_offline(page)


def test_every_report_view_has_the_organisation_map_and_the_network_as_the_page_draws_them(
        client: FlaskClient, seed: Any) -> None:
    page = client.get("/api/export/view.html?country=DE").get_data(as_text=True)
    figures = figures_of(page)
    state = state_of("country=DE", seed)
    orgs = render_org_map(seed, state, GEOJSON_PLACEHOLDER, country_ids())
    base = figures[(1, "organisations")]["data"][0]
    assert base["type"] == "choropleth" and base["geojson"] == GEOJSON_PLACEHOLDER
    assert all(t["type"] in ("choropleth", "scattergeo") for t in figures[(1, "organisations")]["data"])
    # What the page says beside the map (the seed's organisations have no coordinates).
    notes = text_lines(orgs["note"])
    assert any("without coordinates" in n for n in notes)
    organisations = re.search(r'<div class="report-chart organisations">.*?</ul></div>', page, flags=re.S)
    assert organisations and all(n in organisations.group(0) for n in notes)
    network = figures[(1, "network")]
    shown = render_network(seed, state)["figure"].to_plotly_json()
    assert {t["type"] for t in network["data"]} == {"scatter"}
    nodes = [t for t in network["data"] if t.get("mode", "").startswith("markers+text")]
    assert nodes and "DE" in list(nodes[0]["text"])
    assert [t.get("text") for t in network["data"]] == [t.get("text") for t in json.loads(
        plotly.io.to_json(shown))["data"]]
    section = re.search(r'<div class="report-chart network">.*?</ul></div>', page, flags=re.S)
    assert section and "Circle: projects" in section.group(0)
    assert "Click a country" not in section.group(0)  # nothing in the file filters


def test_a_compare_view_has_the_comparison_with_its_timeline_and_its_unknowns_said(
        client: FlaskClient, seed: Any) -> None:
    page = client.get(f"/api/export/view.html?{COMPARED}").get_data(as_text=True)
    figures = figures_of(page)
    assert [name for _view, name in figures] == ["regions", *CHARTS[1:], "compare"]
    state = state_of(COMPARED, seed)
    drawn = render_compare(seed, state)["figure"].to_plotly_json()["data"]
    assert [t["name"] for t in figures[(1, "compare")]["data"]] == [t["name"] for t in drawn]
    table = re.search(r'<div class="report-compare">(.*?)</div></section>', page, flags=re.S)
    assert table
    body = table.group(1)
    comparison = compare(seed, ("clusterfy", "clustrat"))
    assert overlap_text(comparison) in body
    assert [s.budget_eur for s in comparison.projects] == [None, None]
    budget = re.search(r"<tr><th[^>]*>Budget</th>(.*?)</tr>", body, flags=re.S)
    assert budget and budget.group(1).count("not stated") == 2
    assert "0" not in re.sub("<[^>]+>", "", budget.group(1))
    for side in comparison.projects:
        assert side.acronym in body and side.project_source in body
    # Links of the page (to the server's /sources, to outside) are text in the file.
    assert "href=" not in body
    assert_offline(page)


def test_the_html_report_has_one_section_per_storyboard_view(client: FlaskClient) -> None:
    page = client.get(f"/api/export/view.html?story={encode(STORY)}").get_data(as_text=True)
    sections = re.findall(r'<section class="report-view".*?</section>', page, flags=re.S)
    assert len(sections) == len(STORY.views)
    for section, view in zip(sections, STORY.views, strict=True):
        assert f"<h2>{view.title}</h2>" in section
        assert view.note in section
        assert section.count('class="ket-figure"') == len(CHARTS)
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


def test_the_storyboard_pdf_has_two_pages_per_view_and_the_comparisons_after_them(
        client: FlaskClient) -> None:
    board = Storyboard(title="Workshop", views=(
        StoryView(title="Germany first", note="Who works with German clusters", query="country=DE"),
        StoryView(title="Two projects compared", note="", query=COMPARED),
    ))
    response = client.get(f"/api/export/view.pdf?story={encode(board)}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="ket-storyboard.pdf"'
    pages = PdfReader(io.BytesIO(response.data)).pages
    texts = [p.extract_text() for p in pages]
    # Every page starts with its view's title: so the pages of each view are counted.
    of_view = [[i for i, t in enumerate(texts) if t.startswith(v.title)] for v in board.views]
    assert sorted(i for found in of_view for i in found) == list(range(len(pages)))
    germany, compared = of_view
    assert germany == [0, 1]
    assert len(compared) >= 3 and compared[:3] == [2, 3, 4]  # the comparison may run on
    for number, (page, text) in enumerate(zip(pages, texts, strict=True), start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
        assert "Filters:" in text and f"page {number} of {len(pages)}" in text
    images = [len(page.images) for page in pages]
    assert images[:5] == [3, 2, 3, 2, 1]  # map, matrix, timeline; organisations, network; periods
    for first, second in (germany[:2], compared[:2]):
        assert "Sources:" in texts[first] and "Sources:" in texts[second]
        assert "Partner organisations" in texts[second] and "Collaboration network" in texts[second]
    assert "Country: Germany (DE)" in texts[0]
    assert NUTS_ATTRIBUTION in texts[2]
    comparison = " ".join(texts[i] for i in compared[2:])
    assert "Comparison" in comparison and "ClusterFY" in comparison and "CluStrat" in comparison
    assert "Budget not stated not stated" in " ".join(comparison.split())
    assert "Overlap: none; these periods do not meet." in comparison


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
