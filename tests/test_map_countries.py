"""The map's ranked country list, its small-country circles, its legend, and its view (zoom and
centre) in the state: figures and components asserted on their data, interactions and the hub
on plain states, without a browser."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest
from dash import html, no_update
from fixtures_data import load_seed, load_tiny

from callbacks import interactions as act
from callbacks import views
from callbacks.hub import Trigger, hub_update, next_state
from components import ids
from components.country_list import country_list, country_rows, map_legend
from components.map_figure import (
    CONTEXT_FILL,
    COUNTRY_ONLY_FILL,
    EUROPE_CENTER,
    EUROPE_ZOOM,
    SELECTED_LINE,
    legend_entries,
    map_figure,
    small_countries,
)
from data.engine import queries
from data.engine.model import Dataset
from data.engine.state import ZOOM_MAX, FilterState, parse_query
from data.io.geo import CountryShape, country_ids, country_shapes
from server.registry import DatasetRegistry

GEOJSON_URL = "/geo/countries.geojson"
BOUNDS = (2010, 2020)


def summary_frame(rows: list[tuple[str, str, int, int, bool]], selected_projects: int,
                  selected_orgs: int) -> pd.DataFrame:
    """A country summary like ``queries.country_summary``'s, from (country, name, projects,
    organisations, country_only) rows and the selection's totals."""
    frame = pd.DataFrame(rows, columns=["country", "name", "projects", "organisations", "country_only"])
    frame["project_list"] = ""
    frame["project_share"] = frame["projects"] / selected_projects
    frame["organisation_share"] = frame["organisations"] / selected_orgs
    return frame


SUMMARY = summary_frame([
    ("FR", "France", 2, 3, False),
    ("DE", "Germany", 4, 1, False),
    ("BE", "Belgium", 2, 0, True),
    ("LU", "Luxembourg", 1, 2, False),
], selected_projects=5, selected_orgs=6)

# A big square country and a small one, at the same latitude.
SHAPES = {
    "DE": CountryShape("DE", 350_000.0, 51.0, 10.0),
    "FR": CountryShape("FR", 550_000.0, 46.0, 2.0),
    "BE": CountryShape("BE", 30_000.0, 50.6, 4.6),
    "LU": CountryShape("LU", 2_600.0, 49.8, 6.1),
    "MT": CountryShape("MT", 300.0, 35.9, 14.4),
}


def buttons(tree: Any) -> list[html.Button]:
    found: list[html.Button] = []

    def walk(node: Any) -> None:
        if isinstance(node, html.Button):
            found.append(node)
        if isinstance(node, list | tuple):
            for child in node:
                walk(child)
        elif hasattr(node, "children"):
            walk(node.children)

    walk(tree)
    return found


def traces(fig: Any) -> list[Any]:
    """The figure's traces as Plotly reads them (arrays decoded)."""
    return list(fig.data)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_tiny(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatasetRegistry]:
    found = DatasetRegistry(load_seed(), tmp_path_factory.mktemp("uploads"))
    yield found
    found.close()


# --- the list --------------------------------------------------------------------------------


def test_rows_rank_countries_by_projects_then_name_with_their_share_of_the_selection() -> None:
    rows = country_rows(SUMMARY, FilterState())
    assert [(r.country, r.count) for r in rows] == [("DE", 4), ("BE", 2), ("FR", 2), ("LU", 1)]
    assert [r.share for r in rows] == [4 / 5, 2 / 5, 2 / 5, 1 / 5]
    assert not any(r.selected for r in rows)


def test_rows_under_partners_count_organisations_and_list_unnamed_countries_last() -> None:
    rows = country_rows(SUMMARY, FilterState(map="partners", country=("BE",)))
    assert [(r.country, r.count, r.unnamed) for r in rows] == [
        ("FR", 3, False), ("LU", 2, False), ("DE", 1, False), ("BE", 0, True)]
    assert rows[0].share == 3 / 6
    assert [r.country for r in rows if r.selected] == ["BE"]


def test_each_row_names_its_country_and_says_whether_it_is_selected() -> None:
    drawn = country_list(SUMMARY, FilterState(country=("FR",)))
    assert [r["country"] for r in drawn["rows"]] == ["DE", "BE", "FR", "LU"]
    assert {r["country"]: r["selected"] for r in drawn["rows"]} == {
        "DE": False, "BE": False, "FR": True, "LU": False}
    first = drawn["rows"][0]
    assert (first["name"], first["count"], first["share"], first["bar"]) == ("Germany", "4", "80%", 80.0)
    # Named by what it shows (name, count, share), described by its title.
    assert first["title"].startswith("Germany: 4 projects, 80% of the selected projects.")
    assert drawn["rows"][2]["title"].endswith("Press to remove it from the filter.")
    assert drawn["caption"].startswith("4 countries by projects")
    assert drawn["ids"] == {"caption": ids.COUNTRY_LIST_CAPTION, "row": ids.COUNTRY_ROW_PREFIX}


def test_the_list_is_data_the_page_draws_and_names_an_unnamed_country_so() -> None:
    drawn = country_list(SUMMARY, FilterState(map="partners", lang="de"))
    json.dumps(drawn)  # the page receives it as JSON: plain values only
    unnamed = drawn["rows"][-1]
    assert unnamed["country"] == "BE" and unnamed["share"] == "" and unnamed["name"] == "Belgien"
    assert unnamed["count"] != "0", "a country with no organisation named is not counted 0"


def test_an_empty_selection_lists_no_country_and_says_so() -> None:
    empty = summary_frame([], 1, 1)
    drawn = country_list(empty, FilterState())
    assert drawn["rows"] == [] and drawn["empty"] == "No country takes part in this selection."


def test_the_seed_list_matches_the_country_summary(registry: DatasetRegistry) -> None:
    seed = registry.default
    out = views.render_map(seed, FilterState(), country_ids(), GEOJSON_URL, "", country_shapes())
    summary = queries.country_summary(seed, views.selection(seed, FilterState()).map_context)
    listed = [r["country"] for r in out["list"]["rows"]]
    assert sorted(listed) == sorted(summary["country"])
    counts = dict(zip(summary["country"], summary["projects"], strict=True))
    assert [counts[c] for c in listed] == sorted(counts.values(), reverse=True)


def test_country_summary_shares_divide_by_the_selected_projects_and_organisations(tiny: Dataset) -> None:
    mask = np.ones(tiny.size, dtype=bool)
    summary = queries.country_summary(tiny, mask)
    headline = queries.headline(tiny, mask)
    assert np.allclose(summary["project_share"], summary["projects"] / int(mask.sum()))
    assert np.allclose(summary["organisation_share"], summary["organisations"] / headline.organisations)
    assert (summary["project_share"] <= 1).all()


# --- small countries -------------------------------------------------------------------------


def test_small_countries_are_derived_from_the_area_of_the_bundled_geometry() -> None:
    shapes = country_shapes()
    small = small_countries(shapes)
    assert {"MT", "LU", "BE", "SI", "CY"} <= small
    assert not {"DE", "FR", "PL", "ES", "IT"} & small
    assert shapes["MT"].area_km2 < shapes["LU"].area_km2 < shapes["BE"].area_km2 < shapes["DE"].area_km2
    # A centroid lies inside the country's box (Luxembourg: 5.7-6.6 E, 49.4-50.2 N).
    assert 5.7 < shapes["LU"].lon < 6.6 and 49.4 < shapes["LU"].lat < 50.2


def test_zooming_in_makes_fewer_countries_small() -> None:
    assert small_countries(SHAPES, zoom=EUROPE_ZOOM) == {"BE", "LU", "MT"}
    assert small_countries(SHAPES, zoom=EUROPE_ZOOM + 2) == {"MT"}


def test_circles_are_drawn_only_for_small_countries_taking_part() -> None:
    fig = map_figure(SUMMARY, FilterState(), list(SHAPES), GEOJSON_URL, "", SHAPES)
    markers = [t for t in traces(fig) if t.type == "scattermap" and t.customdata is not None]
    marked = [row[0] for t in markers for row in t.customdata]
    # MT is small but takes no part; DE and FR are large.
    assert sorted(marked) == ["BE", "LU"]
    circle = next(t for t in markers if t.name == "small countries")
    assert list(circle.lat) == [SHAPES[c].lat for c in circle.customdata[:, 0]]
    assert list(circle.marker.color) == [2, 1]
    assert circle.hoverinfo != "skip", "a circle is clickable like its country"
    # The outline of the selection stays on top.
    assert traces(map_figure(SUMMARY, FilterState(country=("LU",)), list(SHAPES), GEOJSON_URL, "",
                             SHAPES))[-1].name == "selected"


def test_a_selected_small_country_gets_an_orange_halo_and_unnamed_ones_their_colour() -> None:
    fig = map_figure(SUMMARY, FilterState(map="partners", country=("LU",)), list(SHAPES),
                     GEOJSON_URL, "", SHAPES)
    by_name = {t.name: t for t in traces(fig)}
    halo = by_name["small countries, halo"]
    assert dict(zip(halo.lat, halo.marker.color, strict=True))[SHAPES["LU"].lat] == SELECTED_LINE
    unnamed = by_name["small countries, organisations not named"]
    assert [row[0] for row in unnamed.customdata] == ["BE"]
    assert unnamed.marker.color == COUNTRY_ONLY_FILL


def test_without_shapes_the_map_draws_no_circle() -> None:
    fig = map_figure(SUMMARY, FilterState(), list(SHAPES), GEOJSON_URL, "")
    assert {t.type for t in traces(fig)} == {"choroplethmap"}


# --- legend ----------------------------------------------------------------------------------


def test_the_legend_names_the_scale_the_grey_and_what_is_drawn() -> None:
    entries = legend_entries(SUMMARY, FilterState())
    assert [(e.kind, e.label) for e in entries] == [
        ("scale", "1 to 4 projects"), ("fill", "no project in this selection")]
    assert entries[1].colours == (CONTEXT_FILL,)
    partners = legend_entries(SUMMARY, FilterState(map="partners", country=("DE",)), markers=True)
    assert [e.label for e in partners] == [
        "1 to 3 named partner organisations", "no partner in this selection",
        "takes part; the sources name no organisation", "selected (click again to remove)",
        "small country, drawn as a circle"]
    assert partners[2].colours == (COUNTRY_ONLY_FILL,)


def test_a_scale_that_reaches_one_is_said_in_the_singular_in_each_language() -> None:
    one = summary_frame([("DE", "Germany", 1, 1, False)], selected_projects=1, selected_orgs=1)
    assert legend_entries(one, FilterState())[0].label == "1 project"
    assert legend_entries(one, FilterState(lang="de"))[0].label == "1 Projekt"
    assert legend_entries(one, FilterState(map="partners"))[0].label == "1 named partner organisation"
    assert legend_entries(one, FilterState(map="partners", lang="fr"))[0].label == (
        "1 organisation partenaire citée")


def test_the_legend_is_visible_text() -> None:
    tree = map_legend(legend_entries(SUMMARY, FilterState(map="partners")))
    texts = [span.children for li in tree[0].children for span in li.children if span.children]
    assert texts == ["1 to 3 named partner organisations", "no partner in this selection",
                     "takes part; the sources name no organisation"]


def test_render_map_sends_the_figure_the_list_and_the_legend(registry: DatasetRegistry) -> None:
    out = views.render_map(registry.default, FilterState(), country_ids(), GEOJSON_URL, "",
                           country_shapes())
    assert set(out) == set(views.MAP_OUTPUTS)
    assert "small country" in str(out["legend"])


# --- the map's view --------------------------------------------------------------------------


def test_the_map_opens_at_the_states_zoom_and_centre_else_on_europe() -> None:
    fig = map_figure(SUMMARY, FilterState(zoom=4.5, centre=(48.1, 11.6)), [], GEOJSON_URL, "")
    layout = fig.to_plotly_json()["layout"]
    assert (layout["map"]["zoom"], layout["map"]["center"]) == (4.5, {"lat": 48.1, "lon": 11.6})
    default = map_figure(SUMMARY, FilterState(), [], GEOJSON_URL, "").to_plotly_json()["layout"]
    assert (default["map"]["zoom"], default["map"]["center"]) == (EUROPE_ZOOM, EUROPE_CENTER)
    # One ui revision whatever the state: a filter's redraw keeps the user's pan.
    assert layout["uirevision"] == default["uirevision"]


def relayout(zoom: Any = 4.123, lat: Any = 50.12345, lon: Any = 10.98765) -> dict[str, Any]:
    return {"map.center": {"lon": lon, "lat": lat}, "map.zoom": zoom, "map.bearing": 0,
            "map.pitch": 0, "map._derived": {"coordinates": []}}


def test_a_pan_keeps_zoom_and_centre_rounded() -> None:
    state = act.on_map_relayout(FilterState(country=("DE",)), relayout())
    assert (state.zoom, state.centre, state.country) == (4.12, (50.123, 10.988), ("DE",))


@pytest.mark.parametrize(("event", "zoom", "centre"), [
    (relayout(zoom=40), ZOOM_MAX, (50.123, 10.988)),
    (relayout(lat=95, lon=190), 4.12, (90.0, -170.0)),
    (relayout(zoom=float("nan")), None, (50.123, 10.988)),
    (relayout(lat="north"), 4.12, None),
    ({"autosize": True}, None, None),
    ({"map.zoom": 5, "map.center": {"lon": 1, "lat": 2}}, None, None),
    ("map.zoom", None, None),
    ({"map.zoom": True, "map._derived": {}}, None, None),
])
def test_a_pan_is_bounded_and_odd_events_change_nothing_else(event: Any, zoom: Any, centre: Any) -> None:
    state = act.on_map_relayout(FilterState(), event)
    assert (state.zoom, state.centre) == (zoom, centre)


def test_a_pans_zoom_and_centre_survive_the_url_round_trip(registry: DatasetRegistry) -> None:
    state = act.on_map_relayout(FilterState(country=("DE",)), relayout())
    parsed, notices = parse_query(state.to_query(), registry.default)
    assert notices == []
    assert (parsed.zoom, parsed.centre) == (state.zoom, state.centre)


def test_the_list_and_a_small_countrys_circle_toggle_like_a_map_click() -> None:
    assert act.on_country_row(FilterState(), "BE").country == ("BE",)
    assert act.on_country_row(FilterState(country=("BE",)), "BE").country == ()
    assert act.on_country_row(FilterState(), "<script>") == FilterState()
    assert act.on_country_row(FilterState(), None) == FilterState()
    circle = {"points": [{"lat": 49.8, "lon": 6.1, "customdata": ["LU", "Luxembourg", 1, 2, ""]}]}
    assert act.on_map_click(FilterState(), circle).country == ("LU",)


def test_the_hub_dispatches_the_list_and_the_pan() -> None:
    state = FilterState(country=("DE",), zoom=3.0)
    row = next_state(Trigger(ids.COUNTRY_LIST_PICK, "data", {"country": "FR", "n": 1}), state, BOUNDS)
    assert row.country == ("DE", "FR") and row.zoom == 3.0, "a filter click keeps the zoom"
    pan = next_state(Trigger(ids.MAP, "relayoutData", relayout()), state, BOUNDS)
    assert (pan.country, pan.zoom, pan.centre) == (("DE",), 4.12, (50.123, 10.988))
    # A click on the map still toggles its country.
    click = next_state(Trigger(ids.MAP, "clickData", {"points": [{"location": "DE"}]}), state, BOUNDS)
    assert click.country == ()


def test_the_hub_writes_a_pans_zoom_and_centre_to_the_address(registry: DatasetRegistry) -> None:
    stored = FilterState(country=("DE",)).to_dict()
    out = hub_update(registry, Trigger(ids.MAP, "relayoutData", relayout()), "?country=DE", stored)
    assert out["search"] == "?country=DE&zoom=4.12&centre=50.123,10.988"
    assert FilterState.from_dict(out["state"]).zoom == 4.12
    # A layout event that is no pan writes nothing.
    quiet = hub_update(registry, Trigger(ids.MAP, "relayoutData", {"autosize": True}), "?country=DE", stored)
    assert set(quiet.values()) == {no_update}


def test_a_pick_of_nothing_or_of_no_country_changes_nothing(registry: DatasetRegistry) -> None:
    for value in (None, {}, {"country": 3}, {"country": "<b>"}, "DE"):
        out = hub_update(registry, Trigger(ids.COUNTRY_LIST_PICK, "data", value), "", None)
        assert "country" not in str(out["search"]), value
