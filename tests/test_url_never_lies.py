"""A URL never lies: a valid value that matches no project (``?country=IS``, a KET of the
taxonomy no project is tagged with) is kept, so the page shows what the address says (no
project, as the API answers), named on its chip and announced; an invalid value is still
ignored with a notice."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fixtures_data import load_seed, write_dataset
from flask.testing import FlaskClient
from test_panels import find, text

from callbacks import views
from callbacks.hub import Trigger, hub_update
from components import ids, panels
from data.engine.masks import project_mask
from data.engine.model import Dataset, load_dataset
from data.engine.state import FilterState, Notice, parse_query, unmatched
from data.io.geo import country_ids
from server.factory import create_app
from server.registry import DatasetRegistry

UNUSED_KET = "advanced-materials"
"""A KET of the taxonomy that no project of the tiny dataset is tagged with."""


@pytest.fixture(scope="module")
def seed() -> Dataset:
    return load_seed()


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_dataset(tmp_path_factory.mktemp("never-lies"))


@pytest.fixture(scope="module")
def tiny(tiny_folder: Path) -> Dataset:
    return load_dataset(tiny_folder)


@pytest.fixture(scope="module")
def client(tiny_folder: Path) -> FlaskClient:
    return create_app(tiny_folder).server.test_client()


@pytest.fixture(scope="module")
def registry(tiny: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatasetRegistry]:
    found = DatasetRegistry(tiny, tmp_path_factory.mktemp("uploads"))
    yield found
    found.close()


def page_count(registry: DatasetRegistry, query: str) -> int:
    """The projects the page's headline shows for an address, through the hub."""
    out = hub_update(registry, Trigger(), f"?{query}", None)
    state = FilterState.from_dict(out["state"])
    return headline_projects(views.render_headline(registry.resolve(state.dataset), state))


def headline_projects(panel: list[Any]) -> int:
    """The number of projects a headline panel shows."""
    values = {c.id: text(c) for c in find(panel, lambda c: getattr(c, "className", None) == "headline-value")}
    return int(values[ids.HEADLINE_PROJECTS])


# --- parse_query keeps, unmatched announces ---------------------------------------------------


def test_the_tiny_dataset_has_no_project_in_iceland_nor_the_uk_nor_the_unused_ket(tiny: Dataset) -> None:
    assert {"IS", "GB"}.isdisjoint(tiny.vocabulary("country"))
    assert UNUSED_KET in tiny.vocabulary("ket")
    assert UNUSED_KET not in tiny.members["ket"]


@pytest.mark.parametrize(
    ("query", "dimension", "value", "message"),
    [
        ("country=IS", "country", "IS", "no project in this dataset has a partner in Iceland"),
        ("country=Iceland", "country", "IS", "no project in this dataset has a partner in Iceland"),
        ("country=uk", "country", "GB", "no project in this dataset has a partner in United Kingdom"),
        (f"ket={UNUSED_KET}", "ket", UNUSED_KET, "no project in this dataset is tagged Advanced materials"),
    ],
)
def test_a_valid_value_matching_nothing_is_kept_and_announced(
    tiny: Dataset, query: str, dimension: str, value: str, message: str
) -> None:
    state, ignored = parse_query(query, tiny)
    assert ignored == []
    assert getattr(state, dimension) == (value,)
    assert unmatched(state, tiny) == [Notice(dimension, value, message, kept=True)]
    assert not project_mask(tiny, state).any()


def test_a_programme_of_the_dataset_that_funds_nothing_is_kept_and_announced(
    tmp_path: Path,
) -> None:
    from fixtures_data import tiny_tables

    tables = tiny_tables()
    tables["programmes"].append({"programme_id": "prog-c", "name": "Programme C",
                                 "source": tables["programmes"][0]["source"],
                                 "quote": tables["programmes"][0]["quote"]})
    dataset = load_dataset(write_dataset(tmp_path, tables))
    state, ignored = parse_query("programme=prog-c", dataset)
    assert (state.programme, ignored) == (("prog-c",), [])
    assert [n.message for n in unmatched(state, dataset)] == [
        "no project in this dataset is funded by Programme C"]


def test_invalid_values_are_still_ignored_with_a_notice(tiny: Dataset) -> None:
    state, ignored = parse_query("country=Narnia,ZZ&ket=quantum&programme=horizon", tiny)
    assert state == FilterState()
    assert {(n.param, n.value, n.kept) for n in ignored} == {
        ("country", "Narnia", False), ("country", "ZZ", False), ("ket", "quantum", False),
        ("programme", "horizon", False)}
    assert unmatched(state, tiny) == []


def test_values_that_match_are_not_announced(tiny: Dataset) -> None:
    state, _ = parse_query("country=DE,IS&ket=photonics", tiny)
    assert [(n.param, n.value) for n in unmatched(state, tiny)] == [("country", "IS")]
    # OR within a dimension: Germany's projects are still shown beside Iceland's none.
    assert project_mask(tiny, state).any()


def test_a_kept_value_survives_the_url_round_trip(tiny: Dataset) -> None:
    state, _ = parse_query(f"country=IS,GB&ket={UNUSED_KET}", tiny)
    assert state.to_query() == f"country=GB,IS&ket={UNUSED_KET}"
    again, ignored = parse_query(state.to_query(), tiny)
    assert (again, ignored) == (state, [])
    assert FilterState.from_dict(json.loads(json.dumps(state.to_dict()))) == state


def test_a_kept_notice_reads_kept_not_ignored() -> None:
    notice = Notice("country", "IS", "no project in this dataset has a partner in Iceland", kept=True)
    assert str(notice) == "country='IS' kept: no project in this dataset has a partner in Iceland"


# --- the page: hub, notices, chips, dropdowns, every view -----------------------------------


def test_the_hub_keeps_the_value_shows_it_selected_and_announces_it(registry: DatasetRegistry) -> None:
    out = hub_update(registry, Trigger(), "?country=IS", None)
    assert FilterState.from_dict(out["state"]).country == ("IS",)
    assert out["country"] == ["IS"]
    # The dropdown offers Iceland in the same answer, else it would drop a value it lacks.
    assert {"label": "Iceland", "value": "IS"} in out["country_options"]
    shown = json.dumps([n.to_plotly_json() for n in out["notices"]], default=str)
    assert "no project in this dataset has a partner in Iceland" in shown
    assert "ignored" not in shown


def test_the_notice_panel_separates_ignored_from_kept_values() -> None:
    panel = panels.notices([Notice("country", "Narnia", "not a country code or name"),
                            Notice("country", "IS", "no project in this dataset has a partner in Iceland",
                                   kept=True)])
    assert len(panel) == 2
    assert "Narnia" in text(panel[0]) and "Iceland" not in text(panel[0])
    assert "Iceland" in text(panel[1]) and "notice-unmatched" in panel[1].className


def test_the_chip_names_the_kept_country_and_the_dropdown_offers_it(tiny: Dataset) -> None:
    out = views.render_filter_bar(tiny, FilterState(country=("DE", "IS")))
    chip_texts = [text(c) for c in out["chips"]]
    assert any(t.startswith("country: Iceland") for t in chip_texts), chip_texts
    offered = views.dropdown_options(tiny, FilterState(country=("DE", "IS")))["country_options"]
    values = [o["value"] for o in offered]
    assert values.count("IS") == 1 and values.count("DE") == 1
    in_germany = int(project_mask(tiny, FilterState(country=("DE",))).sum())
    assert out["table_count"].startswith(f"{in_germany} projects")
    assert out["api_link"] == "/api/projects?country=DE,IS"


def kept_states() -> list[FilterState]:
    return [
        FilterState(country=("IS",)),
        FilterState(country=("GB", "IS"), map="partners"),
        FilterState(country=("NZ",)),  # valid, and most likely outside the map's geometry
        FilterState(ket=(UNUSED_KET,)),
        FilterState(ket=(UNUSED_KET,), sector=("health",), year_from=2010, year_to=2012),
        FilterState(country=("IS",), q="light", project="alpha"),
    ]


@pytest.mark.parametrize("state", kept_states(), ids=lambda s: s.to_query())
def test_every_view_draws_a_kept_value_with_no_project(tiny: Dataset, state: FilterState) -> None:
    s = views.selection(tiny, state)
    assert not s.matching.any()
    headline = views.render_headline(tiny, state)
    assert headline_projects(headline) == 0
    bar = views.render_filter_bar(tiny, state)
    assert bar["table_count"].startswith("0 projects")
    geometry = country_ids()
    fig = views.render_map(tiny, state, geometry, "/geo/countries.geojson", "Boundaries: test")["figure"]
    outlined: list[Any] = [loc for t in fig.data if "selected" in str(t.name or "").lower()
                           for loc in (t.locations or [])]
    assert set(outlined) <= set(geometry)
    views.render_matrix(tiny, state)
    views.render_timeline(tiny, state)
    page = views.render_table_page(tiny, state, {"startRow": 0, "endRow": 100, "sortModel": []})
    assert (page["rowCount"], page["rowData"]) == (0, [])
    views.render_detail(tiny, state)


def test_the_seed_keeps_iceland_and_shows_no_project(seed: Dataset, tmp_path: Path) -> None:
    registry = DatasetRegistry(seed, tmp_path)
    try:
        assert page_count(registry, "country=IS") == 0
        assert page_count(registry, "") == seed.size
    finally:
        registry.close()


# --- the page and the API agree -------------------------------------------------------------


@pytest.mark.parametrize("query", ["country=IS", "country=GB", f"ket={UNUSED_KET}",
                                   f"country=DE,IS&ket={UNUSED_KET}", "country=DE,IS", "",
                                   # The open project is a focus: page and API count the selection.
                                   "project=alpha", "country=DE&project=alpha", "country=IS&project=alpha"])
def test_the_page_and_the_api_agree_on_the_count(
    registry: DatasetRegistry, client: FlaskClient, query: str
) -> None:
    response = client.get(f"/api/projects?{query}")
    assert response.status_code == 200, response.get_json()
    assert int(response.headers["X-Total-Count"]) == len(response.get_json())
    assert page_count(registry, query) == len(response.get_json())
    if "project=" in query:
        without = "&".join(p for p in query.split("&") if not p.startswith("project="))
        assert page_count(registry, query) == page_count(registry, without)


def test_the_api_answers_a_kept_value_with_no_project_not_an_error(client: FlaskClient) -> None:
    for query in ("country=IS", "country=GB", f"ket={UNUSED_KET}"):
        response = client.get(f"/api/projects?{query}")
        assert (response.status_code, response.get_json()) == (200, [])


def test_the_api_names_a_kept_value_as_the_page_announces_it(
    registry: DatasetRegistry, client: FlaskClient
) -> None:
    response = client.get("/api/projects?country=DE,IS")
    notices = json.loads(response.headers["X-Notices"])
    assert notices == [{"parameter": "country", "value": "IS",
                        "message": "no project in this dataset has a partner in Iceland"}]
    assert "X-Notices" not in client.get("/api/projects?country=DE").headers


def test_an_organisation_id_no_organisation_has_is_kept_named_and_announced(
    registry: DatasetRegistry, tiny: Dataset
) -> None:
    out = hub_update(registry, Trigger(), "?org=no-such-body", None)
    state = FilterState.from_dict(out["state"])
    assert state.org == ("no-such-body",)
    assert page_count(registry, "org=no-such-body") == 0
    shown = json.dumps([n.to_plotly_json() for n in out["notices"]], default=str)
    assert "no organisation in this dataset has the id no-such-body" in shown
    assert "ignored" not in shown
    assert "organisation: no-such-body" in text(views.render_filter_bar(tiny, state)["chips"])
