"""Pilot actions as entities: listed by the API with their project, dates and place as the
sources state them, filtered like the projects, and counted under the regional map, where none
can be drawn because no source names a region."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fixtures_data import DOC_ID, DOC_TEXT, _row, load_tiny, tiny_tables, write_dataset
from test_panels import text

from callbacks.views import render_region_map
from data.engine.model import Dataset, load_dataset
from data.engine.pilot_actions import pilot_action_places, pilot_action_records, pilot_actions_of
from data.engine.state import FilterState
from server.factory import create_app

SEED_ACTIVITIES = Path(__file__).resolve().parent.parent / "data" / "seed" / "activities.csv"
GEO = {level: f"/geo/{level}.geojson" for level in (1, 2, 3)}


def pilots() -> list[dict[str, str]]:
    return [
        _row(activity_id="alpha-pilot-late", project_id="alpha", kind="pilot-action", title="Late pilot",
             start_date="2012-05", duration_months="6", location="Lyon", country="FR", source=DOC_ID,
             quote="A pilot in Lyon."),
        _row(activity_id="alpha-pilot-early", project_id="alpha", kind="pilot-action", title="Early pilot",
             start_date="2011-01", country="DE", source=DOC_ID, quote="A pilot in Germany."),
        _row(activity_id="beta-pilot", project_id="beta", kind="pilot-action", title="Undated pilot",
             source=DOC_ID, quote="A pilot."),
    ]


@pytest.fixture(scope="module")
def with_pilots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tables = tiny_tables()
    tables["activities"] = [*tables["activities"], *pilots()]
    text = DOC_TEXT + " A pilot in Lyon. A pilot in Germany. A pilot."
    return write_dataset(tmp_path_factory.mktemp("pilots"), tables, documents={DOC_ID: text})


@pytest.fixture(scope="module")
def dataset(with_pilots: Path) -> Dataset:
    return load_dataset(with_pilots, taxonomy_dir=with_pilots.parent / "taxonomy")


def everything(dataset: Dataset) -> np.ndarray:
    return np.ones(len(dataset.projects), dtype=bool)


def test_only_pilot_actions_are_listed_by_project_then_start(dataset: Dataset) -> None:
    actions = pilot_actions_of(dataset, everything(dataset))
    assert actions["activity_id"].tolist() == ["alpha-pilot-early", "alpha-pilot-late", "beta-pilot"]


def test_a_record_states_what_the_source_says_and_leaves_the_rest_unknown(dataset: Dataset) -> None:
    actions = pilot_actions_of(dataset, everything(dataset))
    records = {r["activity_id"]: r for r in pilot_action_records(dataset, actions)}
    late, undated = records["alpha-pilot-late"], records["beta-pilot"]
    assert (late["project_id"], late["start_date"], late["duration_months"]) == ("alpha", "2012-05", 6)
    assert (late["location"], late["country"], late["quote"]) == ("Lyon", "FR", "A pilot in Lyon.")
    # Unknown stays unknown: no date, no duration, no place, and never the project's region.
    assert (undated["start_date"], undated["end_date"], undated["duration_months"]) == (None, None, None)
    assert (undated["location"], undated["country"], undated["region"]) == (None, None, None)
    # The instruments are the project's (alpha has one in the tiny dataset), beta's none.
    assert late["project_instruments"] == ["alpha-regional"] and undated["project_instruments"] == []


def test_the_places_count_country_words_and_neither(dataset: Dataset) -> None:
    places = pilot_action_places(pilot_actions_of(dataset, everything(dataset)))
    assert (places.total, places.with_country, places.with_place, places.unplaced) == (3, 2, 1, 1)


def test_a_selection_lists_only_its_projects_pilot_actions(dataset: Dataset) -> None:
    only_beta = dataset.projects["project_id"].eq("beta").to_numpy()
    assert pilot_actions_of(dataset, only_beta)["activity_id"].tolist() == ["beta-pilot"]
    assert pilot_actions_of(dataset, ~everything(dataset)).empty


def test_the_api_lists_the_seeds_pilot_actions_as_pandas_counts_them() -> None:
    client = create_app().server.test_client()
    seed = pd.read_csv(SEED_ACTIVITIES, dtype=str, keep_default_na=False)
    expected = seed[seed["kind"] == "pilot-action"]
    response = client.get("/api/pilot-actions")
    assert response.status_code == 200
    found = response.get_json()
    assert sorted(r["activity_id"] for r in found) == sorted(expected["activity_id"])
    assert response.headers["X-Total-Count"] == str(len(expected))
    # Filtered like the projects: one project's, and none for a project without any.
    clustrat = client.get("/api/pilot-actions?q=clustrat").get_json()
    assert {r["project_id"] for r in clustrat} == {"clustrat"}
    assert len(clustrat) == int((expected["project_id"] == "clustrat").sum())
    assert client.get("/api/pilot-actions?instrument=clusterfy-lt-inoklaster").get_json() == []
    assert client.get("/api/pilot-actions?from=abc").status_code == 400


def test_the_regional_map_says_how_many_pilot_actions_it_cannot_draw(
    dataset: Dataset, tmp_path: Path,
) -> None:
    out = render_region_map(dataset, FilterState(geo="nuts2"), GEO)
    words = text(out["unplaced"])
    assert "3 pilot actions in this selection, not drawn" in words
    assert "2 state a country, 1 a place in words, 1 neither." in words
    assert "Late pilot — Alpha (Lyon, FR)" in words and "Early pilot — Alpha (DE)" in words
    assert "Undated pilot — Beta (place not stated)" in words
    # A dataset without pilot actions says nothing about them.
    plain = render_region_map(load_tiny(tmp_path), FilterState(geo="nuts2"), GEO)
    assert "pilot action" not in json.dumps(text(plain["unplaced"]))
