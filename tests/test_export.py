"""The exports (``data/engine/export.py``, ``GET /api/export/<table>.csv|.xlsx``): the same
projects as ``/api/projects``, the filters and sources carried along, formula-safe, streamed."""

from __future__ import annotations

import csv
import io
import json
import re
import threading
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from dash.development.base_component import Component
from fixtures_data import SEED_DIR, load_seed, tiny_tables, write_dataset
from flask.testing import FlaskClient
from test_layout_ids import components

import callbacks.api
from callbacks import views
from components import export_menu, ids
from components.layout import build_layout
from data.engine import export
from data.engine.compare import compare
from data.engine.model import Dataset, load_dataset
from data.engine.state import FilterState, parse_query
from data.io.i18n import translator
from server.factory import create_app
from tools import synth

FORMULA_TITLE = '=HYPERLINK("https://example.org","click")'
SEED_QUERIES = ["", "country=DE", "ket=nanotechnology", "from=2018", "country=DE,FR&from=2015", "q=cluster"]


@pytest.fixture(scope="module")
def seed_client() -> FlaskClient:
    return create_app(SEED_DIR).server.test_client()


@pytest.fixture(scope="module")
def synth_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synth") / "dataset"
    synth.write(synth.generate(100, 2000, 3), folder)
    return folder


@pytest.fixture(scope="module")
def synth_client(synth_folder: Path) -> FlaskClient:
    return create_app(synth_folder).server.test_client()


@pytest.fixture(scope="module")
def formula_client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    tables = tiny_tables()
    tables["projects"][0]["title"] = FORMULA_TITLE
    tables["organisations"][0]["name"] = "@evil"
    return create_app(write_dataset(tmp_path_factory.mktemp("formula"), tables)).server.test_client()


def csv_table(client: FlaskClient, table: str, query: str = "") -> list[dict[str, str]]:
    response = client.get(f"/api/export/{table}.csv?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    text = response.get_data(as_text=False).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def api_total(client: FlaskClient, query: str) -> int:
    response = client.get(f"/api/projects?{query}")
    assert response.status_code == 200
    return int(response.headers["X-Total-Count"])


@pytest.mark.parametrize("query", SEED_QUERIES)
def test_project_export_counts_equal_the_api_total_on_the_seed(seed_client: FlaskClient, query: str) -> None:
    rows = csv_table(seed_client, "projects", query)
    assert len(rows) == api_total(seed_client, query)
    listed = [p["id"] for p in seed_client.get(f"/api/projects?{query}").get_json()]
    assert [r["id"] for r in rows] == listed


@pytest.mark.parametrize("query", ["", "country=DE", "from=2018&to=2020", "ket=photonics"])
def test_exports_match_the_api_and_pandas_on_a_synthetic_dataset(
        synth_client: FlaskClient, synth_folder: Path, query: str) -> None:
    projects = csv_table(synth_client, "projects", query)
    assert len(projects) == api_total(synth_client, query)
    ids = {r["id"] for r in projects}
    parts = pd.read_csv(synth_folder / "participations.csv", dtype=str, keep_default_na=False)
    expected = parts[parts["project_id"].isin(ids)]
    exported = csv_table(synth_client, "participations", query)
    assert len(exported) == len(expected)
    assert sorted((r["project_id"], r["organisation_id"]) for r in exported) == sorted(
        zip(expected["project_id"], expected["organisation_id"], strict=True))
    organisations = csv_table(synth_client, "organisations", query)
    assert len(organisations) == expected["organisation_id"].nunique()
    per_org = expected.drop_duplicates(["project_id", "organisation_id"])["organisation_id"].value_counts()
    assert {r["id"]: int(r["projects_selected"]) for r in organisations} == per_org.to_dict()


def test_participation_export_equals_pandas_on_the_seed(seed_client: FlaskClient) -> None:
    parts = pd.read_csv(SEED_DIR / "participations.csv", dtype=str, keep_default_na=False)
    for query in SEED_QUERIES:
        ids = {r["id"] for r in csv_table(seed_client, "projects", query)}
        assert len(csv_table(seed_client, "participations", query)) == parts["project_id"].isin(ids).sum()


def test_engine_rows_are_chunked_and_agree_with_row_count(
        synth_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = load_dataset(synth_folder)
    state, _ = parse_query("country=DE", dataset)
    monkeypatch.setattr(export, "CHUNK", 7)
    for table in export.TABLES:
        rows = list(export.rows(dataset, state, table))
        assert len(rows) == export.row_count(dataset, state, table)
        assert all(len(r) == len(export.COLUMNS[table]) for r in rows)


def test_xlsx_has_the_table_and_the_filters_and_sources_sheet(seed_client: FlaskClient) -> None:
    response = seed_client.get("/api/export/projects.xlsx?country=DE")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith("ket-projects-country-DE.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["projects", "Filters and sources"]
    table = list(book["projects"].iter_rows(values_only=True))
    assert table[0] == export.COLUMNS["projects"]
    assert len(table) - 1 == api_total(seed_client, "country=DE")
    caption = dict((k, v) for k, v, *_ in book["Filters and sources"].iter_rows(values_only=True))
    assert "Germany (DE)" in caption["Filters"]
    assert caption["Query"] == "country=DE"
    assert caption["Dataset"] == "seed"
    assert any(k == "Source" for k, *_ in book["Filters and sources"].iter_rows(values_only=True))


def test_csv_carries_the_filters_in_its_name_and_header(seed_client: FlaskClient) -> None:
    response = seed_client.get("/api/export/projects.csv?country=DE&ket=nanotechnology")
    assert response.headers["X-Export-Filters"] == "country=DE&ket=nanotechnology"
    disposition = response.headers["Content-Disposition"]
    assert 'filename="ket-projects-country-DE-ket-nanotechnology.csv"' in disposition
    assert response.mimetype == "text/csv"


def test_formula_looking_text_arrives_neutralised(formula_client: FlaskClient) -> None:
    projects = csv_table(formula_client, "projects")
    assert "'" + FORMULA_TITLE in [r["title"] for r in projects]
    assert FORMULA_TITLE not in [r["title"] for r in projects]
    assert "'@evil" in [r["name"] for r in csv_table(formula_client, "organisations")]
    book = openpyxl.load_workbook(io.BytesIO(formula_client.get("/api/export/projects.xlsx").data))
    titles = [row[2] for row in book["projects"].iter_rows(min_row=2, values_only=True)]
    assert "'" + FORMULA_TITLE in titles
    assert all(cell.data_type != "f" for row in book["projects"].iter_rows() for cell in row)


def test_unknown_values_stay_empty_never_zero(formula_client: FlaskClient) -> None:
    rows = {r["id"]: r for r in csv_table(formula_client, "projects")}
    delta = rows["delta"]  # no dates, no partners, no tags, no money
    assert delta["start"] == delta["end"] == delta["budget_eur"] == delta["eu_contribution_eur"] == ""
    assert delta["partners_named"] == "0"  # a count: none named is 0
    book = openpyxl.load_workbook(io.BytesIO(formula_client.get("/api/export/projects.xlsx").data))
    sheet = list(book["projects"].iter_rows(values_only=True))
    header = list(sheet[0])
    row = next(r for r in sheet if r[0] == "delta")
    assert row[header.index("budget_eur")] is None
    assert row[header.index("start")] is None
    alpha = next(r for r in sheet if r[0] == "alpha")
    assert alpha[header.index("budget_eur")] == 2_000_000


def test_unknown_table_or_format_is_a_404(seed_client: FlaskClient) -> None:
    for path in ("/api/export/people.csv", "/api/export/projects.pdf", "/api/export/projects"):
        response = seed_client.get(path)
        assert response.status_code == 404
        assert "no such export" in response.get_json()["error"]


def test_bad_parameter_is_a_400(seed_client: FlaskClient) -> None:
    response = seed_client.get("/api/export/projects.csv?country=ZZ")
    assert response.status_code == 400
    assert response.get_json()["problems"][0]["parameter"] == "country"
    assert seed_client.get("/api/export/participations.xlsx?colour=red").status_code == 400


def test_too_large_an_export_is_a_413(seed_client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(callbacks.api, "MAX_EXPORT_ROWS", 2)
    response = seed_client.get("/api/export/participations.csv")
    assert response.status_code == 413
    assert "narrow the filters" in response.get_json()["error"]


def test_csv_export_is_streamed(synth_client: FlaskClient) -> None:
    response = synth_client.get("/api/export/participations.csv")
    assert response.is_streamed
    pieces = list(response.response)
    assert len(pieces) > 1  # written a few thousand rows at a time, not as one string
    response.close()


def test_an_excel_export_over_its_row_limit_is_refused_pointing_to_the_csv(
        seed_client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", 2)
    rows = len(csv_table(seed_client, "participations"))
    assert rows > 2
    response = seed_client.get("/api/export/participations.xlsx")
    assert response.status_code == 413
    body = response.get_json()
    assert body["rows"] == rows and body["max_rows"] == 2
    assert "download the CSV" in body["error"]
    assert seed_client.get("/api/export/participations.csv").status_code == 200


def test_too_large_for_xlsx_names_each_table_over_the_limit_with_its_rows(
        synth_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = load_dataset(synth_folder)
    state = FilterState()
    counts = {table: export.row_count(dataset, state, table) for table in export.TABLES}
    assert counts["projects"] < counts["organisations"] < counts["participations"]
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", counts["projects"])
    assert export.too_large_for_xlsx(dataset, state) == {
        "participations": counts["participations"], "organisations": counts["organisations"]}
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", counts["organisations"])
    assert export.too_large_for_xlsx(dataset, state) == {"participations": counts["participations"]}
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", counts["participations"])
    assert export.too_large_for_xlsx(dataset, state) == {}


def test_a_text_longer_than_an_excel_cell_is_cut_visibly_and_the_sheet_says_so(
        formula_client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(callbacks.api, "XLSX_CELL_CHARS", 12)
    book = openpyxl.load_workbook(io.BytesIO(formula_client.get("/api/export/projects.xlsx").data))
    titles = [row[2] for row in book["projects"].iter_rows(min_row=2, values_only=True)]
    assert titles and all(len(t) <= 12 for t in titles if t)
    assert any(t.endswith("…") for t in titles if t)
    about = dict((k, v) for k, v, *_ in book["Filters and sources"].iter_rows(values_only=True))
    # The caption's own line is cut too at this tiny limit; its count comes first.
    cut_titles = sum(1 for t in titles if t and t.endswith("…"))
    assert int(about["Cells cut"].split(" ")[0]) >= cut_titles
    whole = {r["title"] for r in csv_table(formula_client, "projects")}
    assert any(len(t) > 12 for t in whole)


def test_control_characters_a_worksheet_cannot_hold_are_dropped_and_the_rest_kept() -> None:
    assert callbacks.api._xlsx_text("Nano\x01tech\tnology") == ("Nanotech\tnology", False)
    assert callbacks.api._xlsx_text("plain") == ("plain", False)


def test_while_every_excel_slot_is_busy_another_request_gets_a_503(
        seed_client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    busy = threading.BoundedSemaphore(1)
    busy.acquire()
    monkeypatch.setattr(callbacks.api, "_xlsx_slots", busy)
    response = seed_client.get("/api/export/projects.xlsx")
    assert response.status_code == 503
    assert "try again" in response.get_json()["error"]
    busy.release()
    assert seed_client.get("/api/export/projects.xlsx").status_code == 200


def test_the_menu_offers_excel_only_for_tables_under_its_limit_and_says_why_in_the_language(
        synth_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = load_dataset(synth_folder)
    projects = export.row_count(dataset, FilterState(), "projects")
    participations = export.row_count(dataset, FilterState(), "participations")
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", projects)
    bar = views.render_filter_bar(dataset, FilterState())
    assert bar["xlsx_disabled_projects"] is False
    assert bar["xlsx_label_projects"] == "Projects as Excel (XLSX)"
    assert bar["xlsx_disabled_participations"] is True
    assert f"{participations:,} rows" in bar["xlsx_label_participations"]
    assert "use the CSV" in bar["xlsx_label_participations"]
    german = views.render_filter_bar(dataset, FilterState(lang="de"))
    assert f"{participations:,} Zeilen".replace(",", ".") in german["xlsx_label_participations"]
    first = dataset.projects.iloc[0]
    # An open project is a focus, not a filter: the export is still the whole selection's.
    opened = views.render_filter_bar(dataset, FilterState(project=str(first["project_id"])))
    assert opened["xlsx_disabled_participations"] is True
    narrowed = views.render_filter_bar(dataset, FilterState(q=str(first["acronym"])))
    assert narrowed["xlsx_disabled_participations"] is False


# --- chart images of the regional map, the organisation map, the network, the comparison -----


@pytest.fixture(scope="module")
def seed() -> Dataset:
    return load_seed()


@pytest.fixture(scope="module")
def page(seed: Dataset) -> Component:
    vocab = {d: seed.vocabulary(d, "en") for d in views.DROPDOWN_DIMENSIONS}
    return build_layout(vocab, (2010, 2024), "© boundaries", lang="en")


def test_every_chart_with_buttons_is_a_view_the_caption_holder_names(seed: Dataset, page: Component) -> None:
    buttons = [c for c in components(page) if getattr(c, "className", "") and "chart-export" in
               str(c.className).split() and getattr(c, "type", None) == "button"]
    graphs = {c.to_plotly_json()["props"]["data-graph"] for c in buttons}
    graphs |= {g for c in buttons for g in c.to_plotly_json()["props"].get("data-instead", "").split()}
    assert graphs == set(export.VIEWS)
    assert {ids.REGION_MAP, ids.ORG_MAP, ids.NETWORK, ids.COMPARE_TIMELINE} <= graphs
    held = json.loads(views.render_export_caption(seed, FilterState(country=("DE",))))
    assert set(held["names"]) == set(export.VIEWS)


def test_the_country_maps_buttons_export_the_regional_map_when_it_is_shown_instead(page: Component) -> None:
    map_buttons = [c.to_plotly_json()["props"] for c in components(page)
                   if getattr(c, "type", None) == "button"
                   and c.to_plotly_json()["props"].get("data-graph") == ids.MAP]
    assert [b["data-format"] for b in map_buttons] == list(export_menu.CHART_FORMATS)
    assert all(b["data-instead"] == ids.REGION_MAP for b in map_buttons)


@pytest.mark.parametrize(("view", "query", "expected"), [
    ("region-map", "geo=nuts2&country=DE", "ket-region-map-nuts2-country-DE.png"),
    ("region-map", "geo=nuts3", "ket-region-map-nuts3.png"),
    ("network", "net=org&ket=photonics", "ket-network-org-ket-photonics.png"),
    ("network", "ket=photonics", "ket-network-ket-photonics.png"),
    ("org-map", "country=FR", "ket-org-map-country-FR.png"),
])
def test_a_charts_file_is_named_after_what_it_shows_and_the_filters(
        seed: Dataset, view: str, query: str, expected: str) -> None:
    state, problems = parse_query(query, seed)
    assert problems == []
    assert export.view_filename(view, state, "png") == expected


def test_the_comparisons_file_names_the_projects_compared_bounded(seed: Dataset) -> None:
    first, second = seed.projects["project_id"].tolist()[:2]
    state = FilterState(compare=(first, second), country=("DE",))
    assert export.view_filename("compare-timeline", state, "svg") == (
        f"ket-compare-timeline-{first}-{second}-country-DE.svg")
    long = FilterState(compare=tuple("x" * 200 + str(i) for i in range(4)))
    name = export.view_filename("compare-timeline", long, "png")
    assert re.fullmatch(r"ket-[A-Za-z0-9-]+\.png", name)
    assert len(name) <= len("ket-.png") + export.MAX_VIEW_SLUG


def test_a_map_images_caption_keeps_its_boundaries_credit(seed: Dataset) -> None:
    state = FilterState(geo="nuts2", country=("DE",))
    common = export.caption_lines(seed, state)
    regions = export.view_caption_lines(seed, state, "region-map")
    assert regions[:len(common)] == common
    assert regions[-1] == "© EuroGeographics for the administrative boundaries"
    organisations = export.view_caption_lines(seed, state, "org-map")
    assert organisations[-1] == "Boundaries: Natural Earth (public domain)"
    assert export.view_caption_lines(seed, state, "network") == common
    german = export.view_caption_lines(seed, replace(state, lang="de"), "region-map")
    assert german[-1] == translator("de")("© EuroGeographics for the administrative boundaries")


def test_the_caption_holder_gives_the_regional_map_its_credit_and_its_own_title(seed: Dataset) -> None:
    held = json.loads(views.render_export_caption(seed, FilterState(geo="nuts2", country=("DE",))))
    region = held["views"][ids.REGION_MAP]
    assert region["title"] == "Map of NUTS regions (NUTS 2)"
    assert region["lines"][:3] == held["lines"]
    assert "© EuroGeographics for the administrative boundaries" in region["lines"]
    assert held["names"][ids.REGION_MAP] == "ket-region-map-nuts2-country-DE"
    assert ids.NETWORK not in held["views"], "the network's caption is the common one"
    countries = json.loads(views.render_export_caption(seed, FilterState()))
    assert "title" not in countries["views"].get(ids.REGION_MAP, {})


def test_the_comparisons_caption_names_the_projects_and_cites_their_own_sources(seed: Dataset) -> None:
    projects = seed.projects.set_index("project_id")
    # Two projects the filter does not select: the caption still names and cites them.
    outside = [p for p in projects.index if "DE" not in projects.loc[p, "countries"]][:2]
    assert len(outside) == 2, "the seed has projects without a German partner"
    state = FilterState(country=("DE",), compare=tuple(outside))
    lines = export.view_caption_lines(seed, state, "compare-timeline")
    assert lines[0] == "Filters: Country: Germany (DE)"
    assert lines[1] == "Comparison: " + ", ".join(
        f"{projects.loc[p, 'acronym']} ({p})" for p in outside)
    assert ", 2 projects" in lines[2]
    # The sources the comparison panel cites for them, none of the selection's only.
    panel = compare(seed, outside)
    cited = sorted({source.source_id for side in panel.projects for source in side.sources})
    assert cited
    assert lines[3].startswith("Sources: " + ", ".join(cited[:export.MAX_CAPTION_SOURCES]))
    selections = export.caption_lines(seed, state)[2]
    assert lines[3] != selections
    held = json.loads(views.render_export_caption(seed, state))
    assert held["views"][ids.COMPARE_TIMELINE]["lines"] == lines
    assert export.view_caption_lines(seed, replace(state, compare=()), "compare-timeline") == (
        export.caption_lines(seed, state))
    # A comparison the panel refuses (an unknown id) keeps the common caption, no error.
    unknown = replace(state, compare=(outside[0], "no-such-project"))
    assert export.view_caption_lines(seed, unknown, "compare-timeline") == export.caption_lines(seed, unknown)
