"""NUTS regions: placement by code and by coordinates, what cannot be placed and why, the roll-up
to larger regions, the region and instrument filters, their URL form, the regional map's
render function, its hub events and the API."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from fixtures_data import load_tiny, tiny_tables

from callbacks import interactions as act
from callbacks.hub import Trigger, next_state
from callbacks.views import render_filter_bar, render_headline, render_region_map
from components import ids
from data.engine.masks import project_mask
from data.engine.model import Dataset
from data.engine.region_queries import instrument_records, region_summary, unplaced_of
from data.engine.regions import REASONS, code_level, normalise_code, points_in_rings
from data.engine.state import FilterState, parse_query, unmatched
from data.io.geo import NUTS_ATTRIBUTION, nuts_ids, nuts_regions, nuts_rings

MUNICH = ("48.137", "11.575")
"""Munich's centre: in Oberbayern (DE21), NUTS 3 München, Kreisfreie Stadt."""
ATLANTIC = ("45.0", "-30.0")
"""Open sea, in no NUTS region."""
GEO = {1: "/geo/1.geojson", 2: "/geo/2.geojson", 3: "/geo/3.geojson"}


def only_in_2024() -> str:
    """A NUTS 2 code of NUTS 2024 that NUTS 2021 does not have."""
    old = nuts_regions("2021")
    return sorted(c for c, r in nuts_regions("2024").items() if r.level == 2 and c not in old)[0]


def regional_tables() -> dict[str, list[dict[str, str]]]:
    """The tiny dataset with organisations placed every way: by code (nordcluster in DE212,
    sudcluster with a NUTS 1 code FR1), by coordinates (somewhere-lab in Munich), a code of
    neither version without coordinates (athens-hub), and three more in a new project omega:
    nowhere (no code, no point), at sea, and a code of NUTS 2024 only."""
    tables = tiny_tables()
    cells = {"nordcluster": {"nuts_code": " de212 "}, "sudcluster": {"nuts_code": "FR1"},
             "somewhere-lab": {"latitude": MUNICH[0], "longitude": MUNICH[1]},
             "athens-hub": {"nuts_code": "GR999"}}
    for org in tables["organisations"]:
        org.update(cells.get(org["organisation_id"], {}))
    doc = "doc-1.txt"
    tables["projects"].append({"project_id": "omega", "acronym": "Omega", "kind": "project",
                               "source": doc, "quote": "Tiny document."})
    tables["organisations"] += [
        {"organisation_id": "nowhere", "name": "Nowhere Ltd", "source": doc, "quote": "Tiny document."},
        {"organisation_id": "at-sea", "name": "At Sea", "latitude": ATLANTIC[0], "longitude": ATLANTIC[1],
         "source": doc, "quote": "Tiny document."},
        {"organisation_id": "new-region", "name": "New Region Office", "nuts_code": only_in_2024(),
         "source": doc, "quote": "Tiny document."},
    ]
    tables["participations"] += [
        {"project_id": "omega", "organisation_id": org, "source": doc, "quote": "Tiny document."}
        for org in ("nowhere", "at-sea", "new-region")]
    return tables


@pytest.fixture(scope="module")
def regional(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_tiny(tmp_path_factory.mktemp("regions"), regional_tables())


def row_of(dataset: Dataset, organisation_id: str) -> int:
    return int(np.flatnonzero(dataset.organisations["organisation_id"].to_numpy() == organisation_id)[0])


def regions_of(dataset: Dataset, organisation_id: str) -> list[str | None]:
    assert dataset.regions is not None
    row = row_of(dataset, organisation_id)
    return [str(dataset.regions.codes[c]) if c >= 0 else None for c in dataset.regions.org_region[row]]


def reasons_of(dataset: Dataset, organisation_id: str) -> list[str]:
    assert dataset.regions is not None
    row = row_of(dataset, organisation_id)
    return [REASONS[int(r)][0] if r else "placed" for r in dataset.regions.org_reason[row]]


# --- placement ------------------------------------------------------------------------------


def test_a_code_is_normalised_and_its_level_is_its_length_minus_two() -> None:
    assert normalise_code(" de212 ") == "DE212"
    assert normalise_code("gr30") == "EL30"  # ISO's Greece is NUTS's EL
    assert normalise_code("GB") == "UK"
    assert [code_level(c) for c in ("DE", "DE2", "DE21", "DE212")] == [0, 1, 2, 3]


def test_an_organisation_with_a_code_is_placed_in_it_and_every_larger_region(regional: Dataset) -> None:
    assert regions_of(regional, "nordcluster") == ["DE", "DE2", "DE21", "DE212"]
    assert reasons_of(regional, "nordcluster") == ["placed"] * 4


def test_a_code_of_a_larger_region_rolls_up_and_is_not_drawn_at_finer_levels(regional: Dataset) -> None:
    assert regions_of(regional, "sudcluster") == ["FR", "FR1", None, None]
    assert reasons_of(regional, "sudcluster") == ["placed", "placed", "coarser", "coarser"]


def test_an_organisation_without_a_code_is_placed_by_its_coordinates(regional: Dataset) -> None:
    found = regions_of(regional, "somewhere-lab")
    assert found[:3] == ["DE", "DE2", "DE21"]
    assert found[3] is not None and found[3].startswith("DE21")
    assert regional.regions is not None
    assert regional.regions.org_method[row_of(regional, "somewhere-lab")] == 2  # by coordinates


def test_what_cannot_be_placed_is_kept_with_its_reason(regional: Dataset) -> None:
    assert reasons_of(regional, "nowhere") == ["no_location"] * 4
    assert reasons_of(regional, "at-sea") == ["outside"] * 4
    assert reasons_of(regional, "athens-hub") == ["unknown_code"] * 4
    # Nothing is dropped: every organisation has a row, placed or not.
    assert regional.regions is not None
    assert len(regional.regions.org_region) == len(regional.organisations)


def test_a_code_only_nuts_2024_has_is_read_as_2024_and_not_drawn_on_the_2021_map(regional: Dataset) -> None:
    code = only_in_2024()
    assert regional.regions is not None
    row = row_of(regional, "new-region")
    assert regional.regions.org_version[row] == "2024"
    assert regional.regions.org_version[row_of(regional, "nordcluster")] == "2021"
    assert reasons_of(regional, "new-region")[2] == "not_drawn"
    assert regional.regions.level_of(code) == 2


def test_points_are_found_in_their_region_and_outside_every_region() -> None:
    lon = np.array([11.575, -30.0, 2.352])
    lat = np.array([48.137, 45.0, 48.857])
    found = points_in_rings(lon, lat, nuts_rings(3))
    assert found[0].startswith("DE21")
    assert found[1] == ""
    assert found[2].startswith("FR10")  # Paris, in Ile-de-France


def test_the_unplaced_are_counted_by_reason_and_listed(regional: Dataset) -> None:
    everything = np.ones(regional.size, dtype=bool)
    found, listed = unplaced_of(regional, everything, 2)
    assert found.by_reason == {"coarser": 1, "no_location": 1, "not_drawn": 1, "outside": 1,
                               "unknown_code": 1}
    assert found.total == 5
    assert set(listed["organisation_id"]) == {"sudcluster", "nowhere", "at-sea", "athens-hub", "new-region"}


# --- the region filter ----------------------------------------------------------------------


def test_the_region_filter_keeps_the_projects_with_a_partner_there_at_every_level(regional: Dataset) -> None:
    def projects(query: str) -> set[str]:
        state, notices = parse_query(query, regional)
        assert notices == []
        mask = project_mask(regional, state)
        return set(regional.projects["project_id"][mask])

    assert projects("region=DE21") == {"alpha", "beta"}  # nordcluster (code) and somewhere-lab
    assert projects("region=DE") == {"alpha", "beta"}
    assert projects("region=FR1") == {"alpha"}
    assert projects("region=FR10") == set()  # sudcluster's code says only FR1
    assert projects("region=DE21,FR1") == {"alpha", "beta"}
    assert projects("region=FR1&ket=nanotechnology") == set()


def test_region_counts_per_level_count_projects_and_partners(regional: Dataset) -> None:
    everything = np.ones(regional.size, dtype=bool)
    summary = region_summary(regional, everything, 2).set_index("region")
    assert summary.loc["DE21", "projects"] == 2
    assert summary.loc["DE21", "organisations"] == 2
    level1 = region_summary(regional, everything, 1).set_index("region")
    assert level1.loc["FR1", "instruments"] == 1  # sudcluster's regional programme


def test_a_region_in_the_url_round_trips_and_a_bad_one_is_noticed(regional: Dataset) -> None:
    state, notices = parse_query("region=de21,XX99&geo=nuts2&instrument=alpha-regional,nope", regional)
    assert state.region == ("DE21",)
    assert state.instrument == ("alpha-regional",)
    assert state.geo == "nuts2"
    assert {(n.param, n.value) for n in notices} == {("region", "XX99"), ("instrument", "nope")}
    again, more = parse_query(state.to_query(), regional)
    assert again == state and more == []
    assert FilterState.from_dict(state.to_dict()) == state
    assert "region=DE21" in state.to_query() and "geo=nuts2" in state.to_query()


def test_a_valid_region_no_partner_is_in_is_kept_and_announced(regional: Dataset) -> None:
    state, notices = parse_query("region=ITC4", regional)
    assert notices == [] and state.region == ("ITC4",)
    kept = unmatched(state, regional)
    assert [(n.param, n.value, n.kept) for n in kept] == [("region", "ITC4", True)]
    assert "Lombardia" in kept[0].message
    assert render_headline(regional, state)  # draws, no project
    assert not project_mask(regional, state).any()


def test_too_many_region_values_are_cut_and_said(regional: Dataset) -> None:
    state, notices = parse_query("region=" + ",".join(["DE21"] * 60 + ["FR1"]), regional)
    assert len(state.region) <= 2
    assert any(n.param == "region" and "more than" in n.message for n in notices)


def test_the_geo_level_is_a_view_parameter(regional: Dataset) -> None:
    state, _ = parse_query("geo=nuts3&region=DE21", regional)
    assert state.filters.geo == "countries"  # selections are not computed anew per level
    _, notices = parse_query("geo=nuts9", regional)
    assert [n.param for n in notices] == ["geo"]


def test_a_region_chip_shows_the_region_name(regional: Dataset) -> None:
    state, _ = parse_query("region=DE21,ITC4&instrument=alpha-regional", regional)
    chips = str(render_filter_bar(regional, state)["chips"])
    assert "Oberbayern (DE21)" in chips
    assert "Lombardia (ITC4)" in chips
    assert "Regional cluster programme" in chips


# --- the map and its events ------------------------------------------------------------------


def test_the_regional_map_draws_the_level_with_counts_credit_and_unplaced(regional: Dataset) -> None:
    state, _ = parse_query("geo=nuts2&region=DE21", regional)
    out = render_region_map(regional, state, GEO)
    traces = out["figure"].data
    assert list(traces[0].locations) == nuts_ids(2)  # every region of the level, in context grey
    counted = next(t for t in traces if t.name == "projects")
    assert dict(zip(counted.locations, counted.z, strict=True)) == {"DE21": 2}
    selected = next(t for t in traces if t.name == "selected")
    assert list(selected.locations) == ["DE21"]
    assert traces[0].geojson == GEO[2]
    assert NUTS_ATTRIBUTION in out["figure"].layout.annotations[0].text
    text = str(out["unplaced"])
    assert "5 organisations could not be placed" in text
    assert out["map_style"] == {"display": "none"} and out["wrap_style"] == {}


def test_the_regional_map_is_hidden_for_countries(regional: Dataset) -> None:
    out = render_region_map(regional, FilterState(), GEO)
    assert out["wrap_style"] == {"display": "none"} and out["map_style"] == {}
    assert out["figure"]["data"] == []


def test_clicking_a_region_toggles_it_and_the_switch_changes_the_level() -> None:
    click = {"points": [{"location": "DE21"}]}
    state = next_state(Trigger(ids.REGION_MAP, "clickData", click), FilterState(), (2000, 2020))
    assert state.region == ("DE21",)
    assert next_state(Trigger(ids.REGION_MAP, "clickData", click), state, (2000, 2020)).region == ()
    assert next_state(Trigger(ids.GEO_LEVEL, "value", "nuts3"), state, (2000, 2020)).geo == "nuts3"
    assert act.on_geo_level(state, "nuts7") == state
    assert act.on_region_click(state, {"points": [{"location": "<script>"}]}) == state
    assert act.on_chip_remove(state, "region", "DE21").region == ()


# --- instruments and the API ----------------------------------------------------------------


def test_instruments_are_listed_with_their_organisation_region_and_source(regional: Dataset) -> None:
    state, _ = parse_query("region=FR1", regional)
    records = instrument_records(regional, project_mask(regional, state), state)
    assert [(r["instrument_id"], r["organisation_id"], r["region"]) for r in records] == [
        ("alpha-regional", "sudcluster", "FR1")]
    assert records[0]["sources"][0]["source"] == "doc-1.txt"
    state, _ = parse_query("region=DE21", regional)
    assert instrument_records(regional, project_mask(regional, state), state) == []


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from fixtures_data import write_dataset

    from server.factory import create_app

    folder = write_dataset(tmp_path_factory.mktemp("regions-api"), regional_tables())
    return create_app(Path(folder)).server.test_client()


def test_the_api_filters_by_region_and_instrument_like_the_page(client) -> None:  # type: ignore[no-untyped-def]
    answer = client.get("/api/projects?region=DE21")
    assert answer.status_code == 200
    assert sorted(p["id"] for p in answer.get_json()) == ["alpha", "beta"]
    assert client.get("/api/projects?instrument=alpha-regional").get_json()[0]["id"] == "alpha"
    bad = client.get("/api/projects?region=XX99")
    assert bad.status_code == 400 and bad.get_json()["problems"][0]["parameter"] == "region"
    kept = client.get("/api/projects?region=ITC4")
    assert kept.status_code == 200 and kept.get_json() == [] and "ITC4" in kept.headers["X-Notices"]


def test_the_api_lists_instruments_filtered_like_projects(client) -> None:  # type: ignore[no-untyped-def]
    listed = client.get("/api/instruments").get_json()
    assert [r["instrument_id"] for r in listed] == ["alpha-regional"]
    assert client.get("/api/instruments?region=DE21").get_json() == []
    assert client.get("/api/instruments?country=FR").get_json()[0]["regions"]["nuts1"] == "FR1"
    assert client.get("/api/instruments?region=<x>").status_code == 400


def test_each_nuts_level_is_served_once_with_cache_headers(client) -> None:  # type: ignore[no-untyped-def]
    for level in (1, 2, 3):
        answer = client.get(f"/geo/nuts2021_levl{level}.geojson")
        assert answer.status_code == 200
        assert "max-age" in answer.headers["Cache-Control"]
        assert [f["id"] for f in answer.get_json()["features"]] == nuts_ids(level)


def test_exports_name_the_region_and_instrument_filters(regional: Dataset) -> None:
    from data.engine.export import describe

    state, _ = parse_query("region=DE21&instrument=alpha-regional", regional)
    words = describe(regional, state)
    assert "Region: Oberbayern (DE21)" in words
    assert "Policy instrument: Regional cluster programme (alpha-regional)" in words


def test_the_regions_list_under_the_map_filters_like_a_click(regional: Dataset) -> None:
    state, _ = parse_query("geo=nuts2", regional)
    listed = str(render_region_map(regional, state, GEO)["unplaced"])
    assert "Oberbayern (DE21): 2 project(s)" in listed
    assert str(ids.region_row_id("DE21")) in listed
    pressed = next_state(Trigger(ids.region_row_id("DE21"), "n_clicks", 1), state, (2000, 2020))
    assert pressed.region == ("DE21",)
    assert next_state(Trigger(ids.region_row_id("<b>"), "n_clicks", 1), state, (2000, 2020)) == state
