"""The organisation map and ``org=``: counts per organisation on a hand-made dataset, the cut at
N points, organisations without coordinates counted and listed, the filter and its URL, the
chips, the hub's dispatch and the API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fixtures_data import load_tiny, tiny_tables, write_dataset
from flask.testing import FlaskClient
from test_panels import find, text

from callbacks import interactions as act
from callbacks import views
from callbacks.hub import Trigger, hub_update, next_state
from callbacks.org_map import render_org_map
from components import ids
from components.figure_kit import HIGHLIGHT, ORG_TYPE_COLOURS, figure
from components.org_map_figure import org_map_figure, point_sizes
from data.engine.masks import project_mask
from data.engine.model import Dataset, load_dataset
from data.engine.organisations import (
    Grid,
    coordinates,
    grid,
    group_by_place,
    organisation_map,
    participation_counts,
    project_counts,
)
from data.engine.state import MAX_ORGS, FilterState, parse_query, unmatched
from server.factory import create_app
from server.registry import DatasetRegistry

PLACES = {"nordcluster": ("53.55", "9.99"), "sudcluster": ("43.3", "5.37"), "athens-hub": ("37.98", "23.73")}
"""Coordinates given to the tiny dataset's organisations; Somewhere Lab has none."""


def org_tables() -> dict[str, list[dict[str, str]]]:
    """The tiny dataset with coordinates for three of its four organisations, and Nordcluster
    in Alpha in a second role (a third party too): two participations, one project."""
    tables = tiny_tables()
    for row in tables["organisations"]:
        if row["organisation_id"] in PLACES:
            row["latitude"], row["longitude"] = PLACES[row["organisation_id"]]
    tables["participations"].append({"project_id": "alpha", "organisation_id": "nordcluster",
                                     "role": "third-party", "source": "doc-1.txt",
                                     "quote": "Alpha joins Nordcluster"})
    return tables


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_dataset(tmp_path_factory.mktemp("orgmap"), org_tables())


@pytest.fixture(scope="module")
def tiny(folder: Path) -> Dataset:
    return load_dataset(folder)


@pytest.fixture(scope="module")
def client(folder: Path) -> FlaskClient:
    return create_app(folder).server.test_client()


@pytest.fixture(scope="module")
def registry(tiny: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatasetRegistry]:
    found = DatasetRegistry(tiny, tmp_path_factory.mktemp("uploads"))
    yield found
    found.close()


def by_org(tiny: Dataset, counts: np.ndarray) -> dict[str, int]:
    return {str(o): int(n) for o, n in zip(tiny.organisations["organisation_id"], counts, strict=True) if n}


def everything(tiny: Dataset) -> np.ndarray:
    return np.ones(tiny.size, dtype=bool)


# --- counts per organisation ----------------------------------------------------------------


def test_participations_count_each_role_and_projects_count_each_project_once(tiny: Dataset) -> None:
    assert by_org(tiny, participation_counts(tiny, everything(tiny))) == {
        "nordcluster": 3, "sudcluster": 1, "somewhere-lab": 1, "athens-hub": 1}
    assert by_org(tiny, project_counts(tiny, everything(tiny))) == {
        "nordcluster": 2, "sudcluster": 1, "somewhere-lab": 1, "athens-hub": 1}


def test_counts_follow_the_selected_projects(tiny: Dataset) -> None:
    beta_only = np.zeros(tiny.size, dtype=bool)
    beta_only[tiny.position("beta")] = True
    assert by_org(tiny, participation_counts(tiny, beta_only)) == {"nordcluster": 1}
    assert by_org(tiny, project_counts(tiny, beta_only)) == {"nordcluster": 1}


def test_coordinates_are_numbers_and_missing_or_impossible_ones_stay_unknown(tmp_path: Path) -> None:
    tables = org_tables()
    tables["organisations"][1]["latitude"] = "123.5"  # Sudcluster: well formed, off the globe
    dataset = load_tiny(tmp_path, tables)
    lat, lon = coordinates(dataset)
    found = dict(zip(dataset.organisations["organisation_id"], zip(lat, lon, strict=True), strict=True))
    assert found["nordcluster"] == (53.55, 9.99)
    assert np.isnan(found["sudcluster"]).all(), "a latitude past 90 is no place"
    assert np.isnan(found["somewhere-lab"]).all(), "no coordinates stated: unknown, never 0"


# --- what the map draws and what it cannot ---------------------------------------------------


def test_the_map_draws_placed_organisations_most_participations_first(tiny: Dataset) -> None:
    found = organisation_map(tiny, everything(tiny))
    assert found.drawn["organisation_id"].tolist()[0] == "nordcluster"
    assert set(found.drawn["organisation_id"]) == set(PLACES)
    nord = found.drawn.set_index("organisation_id").loc["nordcluster"]
    assert (nord["participations"], nord["projects"], nord["type"]) == (3, 2, "cluster-organisation")
    assert nord["project_list"] == "Alpha, Beta" and nord["more_projects"] == 0
    assert (found.organisations, found.placeable, found.cut) == (4, 3, False)


def test_organisations_without_coordinates_are_counted_and_named(tiny: Dataset) -> None:
    found = organisation_map(tiny, everything(tiny))
    assert found.without_coordinates == 1
    assert found.unplaced["name"].tolist() == ["Somewhere Lab"]
    panel = render_org_map(tiny, FilterState(), "/geo", ["DE"])
    assert "1 organisation without coordinates is not drawn." in text(panel["note"])
    assert "Somewhere Lab" in text(panel["unplaced"])


def test_the_map_is_cut_at_its_limit_and_says_so(tiny: Dataset) -> None:
    found = organisation_map(tiny, everything(tiny), limit=2)
    assert found.drawn["organisation_id"].tolist() == ["nordcluster", "sudcluster"], \
        "most participations first; a tie goes to the earlier organisation"
    assert found.cut
    words = text(views_note(found))
    assert ("The 2 organisations with most participations are drawn one by one, of 3 with "
            "coordinates; the other 1 are grouped by place.") in words
    # The one not drawn by itself is grouped where it is, never dropped.
    assert found.grouped[["organisations", "participations"]].values.tolist() == [[1, 1]]
    assert found.grouped["latitude"].iloc[0] == pytest.approx(37.98)


def test_grouping_by_place_sums_each_square_and_widens_squares_past_the_bound() -> None:
    lat = np.array([50.1, 50.2, 50.3, 40.0, 10.0])
    lon = np.array([8.1, 8.2, 8.3, -3.0, 100.0])
    counts = np.array([1, 2, 3, 4, 5])
    def squares(step: float) -> Grid:
        return grid(lat, lon, step)

    grouped, step = group_by_place(squares, np.arange(5), counts, step=0.5, most=10)
    assert step == 0.5
    assert sorted(grouped[["organisations", "participations"]].values.tolist()) == [[1, 4], [1, 5], [3, 6]]
    frankfurt = grouped[grouped["organisations"] == 3].iloc[0]
    assert (frankfurt["latitude"], frankfurt["longitude"]) == pytest.approx((50.2, 8.2))
    # The square's place is the mean of all its organisations, not only of those grouped now.
    two = group_by_place(squares, np.array([0, 3]), counts, step=0.5, most=10)[0]
    assert sorted(two["latitude"].tolist()) == pytest.approx([40.0, 50.2])
    wide, wider = group_by_place(squares, np.arange(5), counts, step=0.5, most=2)
    assert wider > 0.5 and len(wide) <= 2 and wide["organisations"].sum() == 5


def views_note(found: Any) -> Any:
    from components.org_map_panel import note
    return note(found)


def test_a_selected_organisation_is_drawn_even_beyond_the_limit(tiny: Dataset) -> None:
    found = organisation_map(tiny, everything(tiny), selected=("athens-hub",), limit=1)
    assert found.drawn["organisation_id"].tolist() == ["nordcluster", "athens-hub"]
    assert found.drawn["selected"].tolist() == [False, True]


def test_the_unplaced_list_is_bounded_and_counts_the_rest(tmp_path: Path) -> None:
    tables = org_tables()
    for i in range(5):
        tables["organisations"].append({"organisation_id": f"extra-{i}", "name": f"Extra {i}",
                                        "source": "doc-1.txt", "quote": "Tiny document."})
        tables["participations"].append({"project_id": "gamma", "organisation_id": f"extra-{i}",
                                         "source": "doc-1.txt", "quote": "Tiny document."})
    dataset = load_tiny(tmp_path, tables)
    found = organisation_map(dataset, everything(dataset), listed=2)
    assert found.without_coordinates == 6 and len(found.unplaced) == 2
    from components.org_map_panel import unplaced
    assert "+4 more" in text(unplaced(found))


# --- the figure ------------------------------------------------------------------------------


def test_the_figure_draws_one_clustered_point_per_organisation_coloured_by_type(tiny: Dataset) -> None:
    found = organisation_map(tiny, everything(tiny))
    fig = org_map_figure(found.drawn, FilterState(), "/geo/countries.geojson", ["DE", "FR", "GR"])
    points = next(t for t in fig.data if t.name == "organisations")
    # MapLibre's clustering labels clusters with a font fetched from the internet: not used.
    assert points.type == "scattermap" and not points.cluster.enabled
    assert list(points.customdata) == found.drawn["organisation_id"].tolist()
    assert "Nordcluster" in points.hovertext[0] and "Germany" in points.hovertext[0]
    assert "2 projects: Alpha, Beta" in points.hovertext[0]
    # Colour codes index a stepped scale, two stops per colour: Nordcluster's is the cluster
    # organisations' colour, Athens Hub's (no type stated) another.
    codes = [int(c) for c in points.marker.color]
    stops = points.marker.colorscale
    assert stops[2 * codes[0]][1] == stops[2 * codes[0] + 1][1] == ORG_TYPE_COLOURS["cluster-organisation"]
    assert stops[2 * codes[-1]][1] != ORG_TYPE_COLOURS["cluster-organisation"]
    assert (points.marker.cmin, points.marker.cmax) == (-0.5, len(stops) / 2 - 0.5)
    assert list(point_sizes(found.drawn["participations"])) == list(points.marker.size)
    # Every property is one plotly knows.
    figure(list(fig.to_plotly_json()["data"]), {}).to_dict()


def test_a_selected_organisation_gets_a_ring_in_the_selection_colour(tiny: Dataset) -> None:
    found = organisation_map(tiny, everything(tiny), selected=("sudcluster",))
    fig = org_map_figure(found.drawn, FilterState(org=("sudcluster",)), "/geo", ["FR"])
    ring = next(t for t in fig.data if t.name == "selected organisations")
    assert list(ring.customdata) == ["sudcluster"] and ring.marker.color == HIGHLIGHT


def test_bigger_points_for_more_participations() -> None:
    sizes = point_sizes(np.array([1, 4, 16]))
    assert sizes[0] < sizes[1] < sizes[2]


# --- org= : the filter, the URL, the notices -------------------------------------------------


def test_org_selects_the_projects_the_organisation_takes_part_in(tiny: Dataset) -> None:
    state, notices = parse_query("org=nordcluster", tiny)
    assert notices == [] and state.org == ("nordcluster",)
    chosen = tiny.projects["project_id"][project_mask(tiny, state)].tolist()
    assert chosen == ["alpha", "beta"]
    either, _ = parse_query("org=athens-hub,sudcluster", tiny)
    assert tiny.projects["project_id"][project_mask(tiny, either)].tolist() == ["alpha", "epsilon"]


def test_org_round_trips_through_the_url_and_the_store(tiny: Dataset) -> None:
    state = FilterState(org=("nordcluster", "sudcluster"), country=("DE",))
    assert "org=nordcluster,sudcluster" in state.to_query()
    assert parse_query(state.to_query(), tiny)[0] == state
    assert FilterState.from_dict(json.loads(json.dumps(state.to_dict()))) == state


def test_a_well_formed_unknown_org_is_kept_and_announced_like_an_unused_country(tiny: Dataset) -> None:
    state, notices = parse_query("org=no-such-body", tiny)
    assert notices == [] and state.org == ("no-such-body",)
    assert not project_mask(tiny, state).any()
    kept = unmatched(state, tiny)
    assert [(n.param, n.value, n.kept) for n in kept] == [("org", "no-such-body", True)]
    assert "no organisation in this dataset has the id no-such-body" in str(kept[0])


def test_a_malformed_org_is_ignored_with_a_notice(tiny: Dataset) -> None:
    state, notices = parse_query("org=Not%20a%20slug!", tiny)
    assert state.org == ()
    assert [(n.param, n.kept) for n in notices] == [("org", False)]


def test_org_is_bounded(tiny: Dataset) -> None:
    many = ",".join(f"body-{i:02d}" for i in range(MAX_ORGS + 5))
    state, notices = parse_query(f"org={many}", tiny)
    assert len(state.org) == MAX_ORGS and any(n.param == "org" for n in notices)
    long_id, _ = parse_query("org=" + "a" * 500, tiny)
    assert long_id.org == ()


# --- clicks, chips, the hub ------------------------------------------------------------------


def test_a_click_on_a_point_toggles_its_organisation() -> None:
    event = {"points": [{"customdata": "nordcluster", "lat": 53.5, "lon": 9.9}]}
    once = act.on_org_map_click(FilterState(), event)
    assert once.org == ("nordcluster",)
    assert act.on_org_map_click(once, event).org == ()
    assert act.on_org_map_click(FilterState(), {"points": [{"lat": 1}]}) == FilterState()
    grouped = {"points": [{"customdata": [12, 30]}]}
    assert act.on_org_map_click(FilterState(), grouped) == FilterState(), "a group of organisations"
    assert act.on_org_map_click(FilterState(), {"points": [{"customdata": "<script>"}]}) == FilterState()


def test_the_hub_dispatches_the_map_and_the_list_to_the_org_filter() -> None:
    state = next_state(Trigger(ids.ORG_MAP, "clickData", {"points": [{"customdata": "sudcluster"}]}),
                       FilterState(), (2000, 2030))
    assert state.org == ("sudcluster",)
    again = next_state(Trigger(ids.org_row_id("sudcluster"), "n_clicks", 1), state, (2000, 2030))
    assert again.org == ()


def test_a_click_writes_org_to_the_address_and_clears_the_click(registry: DatasetRegistry) -> None:
    out = hub_update(registry, Trigger(ids.ORG_MAP, "clickData", {"points": [{"customdata": "athens-hub"}]}),
                     "", FilterState().to_dict())
    assert out["search"] == "?org=athens-hub"
    assert out["org_map_click"] is None


def test_the_chip_names_the_organisation_and_its_cross_removes_it(tiny: Dataset) -> None:
    state = FilterState(org=("nordcluster",))
    chips = views.render_filter_bar(tiny, state)["chips"]
    assert "organisation: Nordcluster" in text(chips)
    button = find(chips, lambda c: getattr(c, "id", None) == ids.chip_id("org", "nordcluster"))
    assert button
    assert act.on_chip_remove(state, "org", "nordcluster").org == ()


def test_the_headline_counts_the_organisations_projects(tiny: Dataset) -> None:
    panel = views.render_headline(tiny, FilterState(org=("nordcluster",)))
    values = {c.id: text(c) for c in find(panel, lambda c: getattr(c, "className", None) == "headline-value")}
    assert values[ids.HEADLINE_PROJECTS] == "2"


def test_the_org_map_leaves_out_its_own_filter_and_rings_the_choice(tiny: Dataset) -> None:
    out = render_org_map(tiny, FilterState(org=("athens-hub",)), "/geo", ["GR"])
    drawn = next(t for t in out["figure"].data if t.name == "organisations")
    assert set(drawn.customdata) == set(PLACES), "every organisation of the other filters"
    pressed = find(out["list"], lambda c: getattr(c, "id", None) == ids.org_row_id("athens-hub"))
    assert pressed[0].to_plotly_json()["props"]["aria-pressed"] == "true"


# --- the API ---------------------------------------------------------------------------------


def test_the_api_filters_by_org_like_the_page(client: FlaskClient) -> None:
    answer = client.get("/api/projects?org=nordcluster")
    assert answer.status_code == 200
    assert sorted(p["id"] for p in answer.get_json()) == ["alpha", "beta"]


def test_the_api_keeps_an_unknown_org_and_says_why(client: FlaskClient) -> None:
    answer = client.get("/api/projects?org=no-such-body")
    assert answer.status_code == 200 and answer.get_json() == []
    assert json.loads(answer.headers["X-Notices"])[0]["parameter"] == "org"


def test_the_api_refuses_a_malformed_org_with_a_400(client: FlaskClient) -> None:
    answer = client.get("/api/projects?org=%3Cscript%3E")
    assert answer.status_code == 400
    assert answer.get_json()["problems"][0]["parameter"] == "org"


def test_the_organisations_not_drawn_one_by_one_are_a_circle_per_place(tiny: Dataset) -> None:
    found = organisation_map(tiny, everything(tiny), limit=1)
    fig = org_map_figure(found.drawn, FilterState(), "/geo", ["DE"], found.grouped)
    grouped = next(t for t in fig.data if t.name == "grouped organisations")
    assert len(grouped.lat) == 2 and sorted(int(n) for n, _p in grouped.customdata) == [1, 1]
    assert "organisations here" in grouped.hovertemplate


def test_an_exports_caption_names_the_organisation(tiny: Dataset) -> None:
    from data.engine.export import describe
    assert describe(tiny, FilterState(org=("nordcluster",))) == "Organisation: Nordcluster (nordcluster)"
    assert "Organisation: no-such-body" in describe(tiny, FilterState(org=("no-such-body",)))


def test_a_known_organisation_in_no_project_is_kept_and_named(tmp_path: Path) -> None:
    tables = org_tables()
    tables["organisations"].append({"organisation_id": "lonely-lab", "name": "Lonely Lab",
                                    "source": "doc-1.txt", "quote": "Tiny document."})
    dataset = load_tiny(tmp_path, tables)
    state, notices = parse_query("org=lonely-lab", dataset)
    assert notices == [] and not project_mask(dataset, state).any()
    assert [n.message for n in unmatched(state, dataset)] == [
        "no project in this dataset names Lonely Lab as a partner"]
