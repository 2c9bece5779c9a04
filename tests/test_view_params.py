"""The view parameters of the URL: table sort, the maps' zoom and centre (the map of Europe's,
the organisation map's), presentation mode, theme, language and storyboard position round-trip
through the address, and odd values are noticed; each map opens at its view."""

from __future__ import annotations

from dataclasses import replace

import pytest

from callbacks import interactions as act
from data.engine.state import FilterState, parse_query


@pytest.fixture(scope="module")
def dataset():
    from data.engine.model import load_dataset
    from data.io.paths import DEFAULT_DATASET

    return load_dataset(DEFAULT_DATASET)


def test_every_view_parameter_round_trips_through_the_url(dataset) -> None:
    query = "sort=-start&zoom=4.5&centre=50.1,10.25&present=1&theme=dark&lang=de&story=abc&step=2"
    state, notices = parse_query(query, dataset)
    assert notices == []
    assert (state.sort, state.zoom, state.centre) == ("-start", 4.5, (50.1, 10.25))
    assert (state.present, state.theme, state.lang, state.story, state.step) == (True, "dark", "de", "abc", 2)
    assert state.to_query() == query
    assert FilterState.from_dict(state.to_dict()) == state
    assert parse_query(state.to_query(), dataset)[0] == state


@pytest.mark.parametrize(("query", "param"), [
    ("sort=budget", "sort"), ("sort=--start", "sort"), ("zoom=99", "zoom"), ("zoom=1e400", "zoom"),
    ("zoom=nan", "zoom"),
    ("zoom=" + "9" * 5000, "zoom"), ("centre=95,10", "centre"), ("centre=50", "centre"),
    ("centre=inf,3", "centre"), ("present=maybe", "present"), ("theme=neon", "theme"),
    ("lang=xx", "lang"), ("step=0", "step"), ("step=abc", "step"), ("story=" + "a" * 7000, "story"),
])
def test_a_view_value_out_of_range_is_noticed_and_left_at_its_default(dataset, query, param) -> None:
    state, notices = parse_query(query, dataset)
    assert [n.param for n in notices] == [param]
    assert state == FilterState()


def test_the_view_does_not_count_as_a_filter() -> None:
    view = FilterState(sort="title", theme="dark", present=True, lang="fr", zoom=3.0)
    assert view.is_default
    assert view.filters == FilterState()
    assert not FilterState(country=("DE",), theme="dark").is_default


def test_reset_and_clearing_the_dataset_keep_the_view() -> None:
    state = FilterState(country=("DE",), theme="dark", present=True, lang="es", sort="-end")
    assert act.on_reset(state) == FilterState(theme="dark", present=True, lang="es", sort="-end")
    cleared = act.on_chip_remove(FilterState(dataset="up1", lang="de"), "dataset", "up1")
    assert cleared == FilterState(lang="de")


def test_a_stored_view_from_the_browser_is_checked_field_by_field() -> None:
    hostile = {"sort": "'; drop", "zoom": float("nan"), "centre": [200, 0], "present": "yes",
               "theme": "neon", "lang": "xx", "story": 5, "step": True}
    assert FilterState.from_dict(hostile) == FilterState()


# --- the maps' views: zoom/centre (the map of Europe), org_zoom/org_centre (organisations) ----


def test_the_organisation_maps_view_round_trips_beside_the_country_maps(dataset) -> None:
    query = "zoom=4.5&centre=50.1,10.25&org_zoom=6.25&org_centre=48.2,16.375"
    state, notices = parse_query(query, dataset)
    assert notices == []
    assert (state.zoom, state.centre) == (4.5, (50.1, 10.25))
    assert (state.org_zoom, state.org_centre) == (6.25, (48.2, 16.375))
    assert state.to_query() == query
    assert FilterState.from_dict(state.to_dict()) == state
    assert parse_query(state.to_query(), dataset)[0] == state
    alone, _ = parse_query("org_zoom=3&org_centre=-33.9,151.2", dataset)
    assert (alone.zoom, alone.centre, alone.org_zoom, alone.org_centre) == (None, None, 3.0, (-33.9, 151.2))


def test_the_organisation_maps_view_is_rounded_like_the_country_maps(dataset) -> None:
    state, notices = parse_query("org_zoom=12&org_centre=48.123456,16.98765", dataset)
    assert notices == []
    assert (state.org_zoom, state.org_centre) == (12.0, (48.123, 16.988))
    assert parse_query("org_zoom=0", dataset)[0].org_zoom == 0.0


@pytest.mark.parametrize(("query", "param"), [
    ("org_zoom=12.5", "org_zoom"), ("org_zoom=-1", "org_zoom"), ("org_zoom=nan", "org_zoom"),
    ("org_zoom=1e3", "org_zoom"), ("org_zoom=" + "9" * 5000, "org_zoom"),
    ("org_centre=95,10", "org_centre"), ("org_centre=50,181", "org_centre"), ("org_centre=50", "org_centre"),
    ("org_centre=50,10,3", "org_centre"), ("org_centre=inf,3", "org_centre"),
    ("org_centre=north,east", "org_centre"),
])
def test_an_organisation_map_view_out_of_range_is_noticed_and_left_at_the_maps_fit(
    dataset, query, param,
) -> None:
    state, notices = parse_query(query, dataset)
    assert [n.param for n in notices] == [param]
    assert state == FilterState()


def test_a_bad_organisation_map_view_leaves_the_country_maps_alone(dataset) -> None:
    state, notices = parse_query("zoom=5&centre=50,10&org_zoom=99&org_centre=50", dataset)
    assert sorted(n.param for n in notices) == ["org_centre", "org_zoom"]
    assert (state.zoom, state.centre, state.org_zoom, state.org_centre) == (5.0, (50.0, 10.0), None, None)


def test_a_stored_organisation_map_view_from_the_browser_is_checked() -> None:
    assert FilterState.from_dict({"org_zoom": 13, "org_centre": [0, 200]}) == FilterState()
    assert FilterState.from_dict({"org_zoom": True, "org_centre": "48,16"}) == FilterState()
    kept = FilterState.from_dict({"org_zoom": 5.123, "org_centre": [48.0001, 16.5]})
    assert (kept.org_zoom, kept.org_centre) == (5.12, (48.0, 16.5))


def test_no_maps_view_counts_as_a_filter_and_the_views_draw_without_them() -> None:
    panned = FilterState(country=("DE",), zoom=4.0, centre=(50.0, 10.0), org_zoom=6.0,
                         org_centre=(48.0, 16.0), theme="dark")
    assert FilterState(org_zoom=6.0, org_centre=(48.0, 16.0)).is_default
    assert panned.filters == FilterState(country=("DE",))
    assert panned.without_map_views == FilterState(country=("DE",), theme="dark")
    assert act.on_reset(panned) == FilterState(zoom=4.0, centre=(50.0, 10.0), org_zoom=6.0,
                                               org_centre=(48.0, 16.0), theme="dark")


def test_the_regional_map_opens_at_the_shared_zoom_and_centre_else_on_europe(dataset) -> None:
    from callbacks.views import render_region_map
    from components.map_figure import EUROPE_CENTER, EUROPE_ZOOM

    geo = {1: "/geo/1.geojson", 2: "/geo/2.geojson", 3: "/geo/3.geojson"}
    state, _ = parse_query("geo=nuts2&zoom=5&centre=50,10&org_zoom=7", dataset)
    view = render_region_map(dataset, state, geo)["figure"].to_plotly_json()["layout"]["map"]
    assert (view["zoom"], view["center"]) == (5.0, {"lat": 50.0, "lon": 10.0})
    default = render_region_map(dataset, FilterState(geo="nuts3"), geo)["figure"].to_plotly_json()
    default = default["layout"]["map"]
    assert (default["zoom"], default["center"]) == (EUROPE_ZOOM, EUROPE_CENTER)


def test_the_organisation_map_opens_at_its_own_view_else_at_its_fit(dataset) -> None:
    from callbacks.org_map import render_org_map
    from components.map_figure import EUROPE_CENTER, EUROPE_ZOOM

    state, _ = parse_query("zoom=3&centre=40,0&org_zoom=6.5&org_centre=48.2,16.4", dataset)
    boundaries = "/geo/countries.geojson"
    layout = render_org_map(dataset, state, boundaries, ["AT"])["figure"].to_plotly_json()["layout"]
    assert (layout["map"]["zoom"], layout["map"]["center"]) == (6.5, {"lat": 48.2, "lon": 16.4})
    # Where the page takes the map back when the address drops org_zoom and org_centre.
    assert layout["meta"]["fit"] == {"center": EUROPE_CENTER, "zoom": EUROPE_ZOOM}
    unpanned = replace(state, org_zoom=None, org_centre=None)
    default = render_org_map(dataset, unpanned, boundaries, ["AT"])["figure"].to_plotly_json()["layout"]
    assert (default["map"]["zoom"], default["map"]["center"]) == (EUROPE_ZOOM, EUROPE_CENTER)
    assert default["uirevision"] == layout["uirevision"], "a filter's redraw keeps the user's pan"
