"""Figure builders are pure functions of query frames and the state: checked on figure data,
without a browser."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from fixtures_data import load_tiny

from callbacks.interactions import on_matrix_click
from components.figure_kit import HIGHLIGHT, Figure
from components.map_figure import SELECTED_LINE, map_figure
from components.matrix_figure import matrix_figure
from components.timeline_figure import UNSELECTED, programme_colours, timeline_figure
from data.engine import queries
from data.engine.model import NOT_STATED, Dataset
from data.engine.state import FilterState
from data.io.geo import country_ids

GEOJSON_URL = "/geo/countries.geojson"
ATTRIBUTION = "Boundaries: test"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_tiny(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def map_ids() -> list[str]:
    return country_ids()


def only(dataset: Dataset, *project_ids: str) -> np.ndarray:
    return dataset.projects["project_id"].isin(project_ids).to_numpy()


def everything(dataset: Dataset) -> np.ndarray:
    return np.ones(dataset.size, dtype=bool)


def trace(fig: go.Figure, name: str) -> go.BaseTraceType:
    """The one trace with this name."""
    found = [t for t in fig.data if t.name == name]
    assert len(found) == 1, [t.name for t in fig.data]
    return found[0]


def first(row: object) -> object:
    """The first item of one point's customdata (a tuple, list or numpy row)."""
    return as_list(row)[0]


def as_list(values: object) -> list:
    return [] if values is None else [v.item() if isinstance(v, np.generic) else v for v in values]


# --- map -------------------------------------------------------------------------------------


def draw_map(
    dataset: Dataset, state: FilterState, ids: list[str], mask: np.ndarray | None = None
) -> Figure:
    summary = queries.country_summary(dataset, everything(dataset) if mask is None else mask)
    return map_figure(summary, state, ids, GEOJSON_URL, ATTRIBUTION)



def with_own_template_data(figure_json: dict[str, Any]) -> dict[str, Any]:
    """Plotly's JSON of a figure with its template's trace defaults kept for the figure's own
    trace types only, as ``figure_kit`` sends it (the others change nothing drawn)."""
    types = {t.get("type", "scatter") for t in figure_json["data"]}
    template = figure_json["layout"]["template"]
    template["data"] = {k: v for k, v in template.get("data", {}).items() if k in types}
    return figure_json

def test_map_has_a_context_trace_covering_every_country_of_the_boundaries(
    tiny: Dataset, map_ids: list[str]
) -> None:
    fig = draw_map(tiny, FilterState(), map_ids)
    context = trace(fig, "context")
    assert as_list(context.locations) == map_ids
    assert set(as_list(context.z)) == {0}
    assert context.showscale is False
    # Every country the dashboard stores must be drawable: the boundaries cover Europe.
    assert {"DE", "FR", "GR", "IT", "UA"} <= set(map_ids)


def test_map_projects_trace_matches_the_country_summary(tiny: Dataset, map_ids: list[str]) -> None:
    summary = queries.country_summary(tiny, everything(tiny))
    fig = map_figure(summary, FilterState(), map_ids, GEOJSON_URL, ATTRIBUTION)
    data = trace(fig, "projects")
    assert as_list(data.locations) == list(summary["country"])
    assert as_list(data.z) == list(summary["projects"])
    # The browser fetches the boundaries once from our own server.
    assert data.geojson == GEOJSON_URL
    assert [first(row) for row in data.customdata] == list(summary["name"])


def test_map_partners_metric_draws_country_only_countries_in_their_own_trace_not_as_zero(
    tiny: Dataset, map_ids: list[str]
) -> None:
    fig = draw_map(tiny, FilterState(map="partners"), map_ids)
    data = trace(fig, "named partner organisations")
    assert dict(zip(as_list(data.locations), as_list(data.z), strict=True)) == {"DE": 1, "FR": 1, "GR": 1}
    country_only = trace(fig, "taking part, organisations not named")
    assert sorted(as_list(country_only.locations)) == ["IT", "UA"]
    assert 0 not in as_list(data.z)
    # The extra colour is explained on the map itself.
    assert "no organisation named" in fig.layout.annotations[0].text


def test_map_selected_countries_get_an_outline_trace(tiny: Dataset, map_ids: list[str]) -> None:
    fig = draw_map(tiny, FilterState(country=("FR", "IT")), map_ids)
    outline = trace(fig, "selected")
    assert as_list(outline.locations) == ["FR", "IT"]
    assert outline.marker.line.width == 3
    assert outline.marker.line.color == SELECTED_LINE
    # The outline sits on top of the colours.
    assert fig.data[-1].name == "selected"


def test_map_draws_no_outline_without_a_selection_and_ignores_unknown_ids(
    tiny: Dataset, map_ids: list[str]
) -> None:
    assert "selected" not in [t.name for t in draw_map(tiny, FilterState(), map_ids).data]
    # A country the boundaries lack cannot be outlined; it must not break the figure either.
    fig = draw_map(tiny, FilterState(country=("ZZ",)), map_ids)
    assert "selected" not in [t.name for t in fig.data]


def test_map_of_an_empty_selection_shows_only_the_context(tiny: Dataset, map_ids: list[str]) -> None:
    fig = draw_map(tiny, FilterState(), map_ids, mask=only(tiny))
    assert [t.name for t in fig.data] == ["context"]


def test_map_figure_is_a_pure_function_of_its_inputs(tiny: Dataset, map_ids: list[str]) -> None:
    summary = queries.country_summary(tiny, everything(tiny))
    before = summary.copy()
    ids_before = list(map_ids)
    state = FilterState(country=("DE",), map="partners")
    first = map_figure(summary, state, map_ids, GEOJSON_URL, ATTRIBUTION)
    second = map_figure(summary, state, map_ids, GEOJSON_URL, ATTRIBUTION)
    assert first.to_json() == second.to_json()
    pd.testing.assert_frame_equal(summary, before)
    assert map_ids == ids_before
    # The attribution is always shown; under 'partners' a key for the country-only colour
    # precedes it.
    assert first.layout.annotations[0].text.endswith(ATTRIBUTION)


# --- matrix ----------------------------------------------------------------------------------


def matrix_labels(dataset: Dataset) -> tuple[dict[str, str], dict[str, str]]:
    """The labels the page passes (see callbacks/views.py): taxonomy order plus not-stated."""
    kets = {**dict(zip(dataset.kets["ket_id"], dataset.kets["short_label"], strict=True)),
            NOT_STATED: "No KET stated"}
    return kets, dataset.vocabulary("sector")


def draw_matrix(dataset: Dataset, state: FilterState) -> Figure:
    kets, sectors = matrix_labels(dataset)
    return matrix_figure(queries.ket_sector_matrix(dataset, everything(dataset)), state, kets, sectors)


def test_matrix_z_has_a_row_per_ket_and_a_column_per_sector_plus_not_stated(tiny: Dataset) -> None:
    fig = draw_matrix(tiny, FilterState())
    heat = fig.data[0]
    z = np.asarray(heat.z)
    assert z.shape == (len(tiny.kets) + 1, len(tiny.sectors) + 1)
    kets, sectors = matrix_labels(tiny)
    # Rows and columns are the slugs in taxonomy order; the ticks show the labels.
    assert as_list(heat.y) == list(kets)
    assert as_list(heat.x) == list(sectors)
    assert list(fig.layout.yaxis.ticktext) == list(kets.values())
    assert list(fig.layout.xaxis.ticktext) == list(sectors.values())
    k, s = list(kets), list(sectors)
    assert z[k.index("photonics"), s.index("health")] == 1
    assert z[k.index(NOT_STATED), s.index(NOT_STATED)] == 2
    assert z.sum() == 6
    assert fig.layout.shapes == ()


def test_matrix_cell_click_selects_that_ket_and_sector(tiny: Dataset) -> None:
    # What Plotly reports for a click on a cell is its x and y: they must be the slugs the
    # filters understand, whatever the labels shown.
    heat = draw_matrix(tiny, FilterState()).data[0]
    kets, sectors = matrix_labels(tiny)
    row, col = list(kets).index("photonics"), list(sectors).index("health")
    click = {"points": [{"x": as_list(heat.x)[col], "y": as_list(heat.y)[row],
                         "z": int(np.asarray(heat.z)[row, col])}]}
    state = on_matrix_click(FilterState(), click)
    assert (state.ket, state.sector) == (("photonics",), ("health",))
    # The tooltip names the cell by its labels.
    assert list(np.asarray(heat.customdata)[row][col]) == ["Photonics", "Health"]


def test_matrix_empty_cells_are_left_unlabelled(tiny: Dataset) -> None:
    heat = draw_matrix(tiny, FilterState()).data[0]
    kets, sectors = matrix_labels(tiny)
    text = np.asarray(heat.text)
    assert text[0][0] == ""  # nanotechnology x aerospace: no project, no '0'
    assert text[list(kets).index("photonics")][list(sectors).index("health")] == "1"


def test_matrix_selected_cell_is_outlined_by_one_shape(tiny: Dataset) -> None:
    fig = draw_matrix(tiny, FilterState(ket=("photonics",), sector=("health",)))
    kets, sectors = matrix_labels(tiny)
    row, col = list(kets).index("photonics"), list(sectors).index("health")
    assert len(fig.layout.shapes) == 1
    shape = fig.layout.shapes[0]
    assert (shape.x0, shape.x1, shape.y0, shape.y1) == (col - 0.5, col + 0.5, row - 0.5, row + 0.5)


def test_matrix_selected_ket_alone_outlines_its_whole_row(tiny: Dataset) -> None:
    fig = draw_matrix(tiny, FilterState(ket=("nanotechnology",)))
    row = list(matrix_labels(tiny)[0]).index("nanotechnology")
    assert len(fig.layout.shapes) == len(tiny.sectors) + 1
    assert {(s.y0, s.y1) for s in fig.layout.shapes} == {(row - 0.5, row + 0.5)}


def test_matrix_figure_is_a_pure_function_of_its_inputs(tiny: Dataset) -> None:
    counts = queries.ket_sector_matrix(tiny, everything(tiny))
    before = counts.copy()
    kets, sectors = matrix_labels(tiny)
    state = FilterState(ket=("photonics",))
    first = matrix_figure(counts, state, kets, sectors)
    assert first.to_json() == matrix_figure(counts, state, kets, sectors).to_json()
    pd.testing.assert_frame_equal(counts, before)


# --- timeline --------------------------------------------------------------------------------


def draw_timeline(dataset: Dataset, state: FilterState, selected: np.ndarray | None = None) -> Figure:
    context = everything(dataset)
    frame = queries.timeline_frame(dataset, context, context if selected is None else selected)
    return timeline_figure(frame, queries.timeline_activities(dataset, context), state)


def bars(fig: go.Figure) -> dict[str, tuple[go.Bar, int]]:
    """Project id -> (its bar trace, its index in that trace)."""
    found: dict[str, tuple[go.Bar, int]] = {}
    for t in fig.data:
        if isinstance(t, go.Bar):
            for i, project_id in enumerate(as_list(t.y)):
                assert project_id not in found, f"{project_id} drawn twice"
                found[project_id] = (t, i)
    return found


def test_timeline_has_one_bar_per_project_with_a_start_and_an_end(tiny: Dataset) -> None:
    fig = draw_timeline(tiny, FilterState())
    drawn = bars(fig)
    # alpha states both ends, beta's end is derived from its duration; gamma has no end.
    assert set(drawn) == {"alpha", "beta"}
    for project_id, (t, i) in drawn.items():
        assert first(t.customdata[i]) == project_id


def test_timeline_greys_projects_outside_the_selection(tiny: Dataset) -> None:
    fig = draw_timeline(tiny, FilterState(), selected=only(tiny, "alpha", "gamma"))
    drawn = bars(fig)
    alpha, _ = drawn["alpha"]
    beta, _ = drawn["beta"]
    assert beta.marker.color == UNSELECTED
    assert alpha.marker.color == programme_colours(["Programme A", "Programme B", ""])["Programme A"]
    assert alpha.marker.color != UNSELECTED
    open_ended = trace(fig, "start known, end not stated")
    assert as_list(open_ended.marker.color) != [UNSELECTED]


def test_timeline_hatches_an_end_derived_from_the_stated_duration(tiny: Dataset) -> None:
    drawn = bars(draw_timeline(tiny, FilterState()))
    beta, i = drawn["beta"]
    alpha, j = drawn["alpha"]
    assert as_list(beta.marker.pattern.shape)[i] == "/"
    assert as_list(alpha.marker.pattern.shape)[j] == ""
    # The bar reaches the derived end: 2012-06-01 .. 2014-05-31, both days included.
    expected_ms = (pd.Timestamp("2014-05-31") - pd.Timestamp("2012-06-01")).days * 86_400_000 + 86_400_000
    assert as_list(beta.x)[i] == pytest.approx(expected_ms)


def test_timeline_draws_an_open_ended_project_as_a_triangle_at_its_start(tiny: Dataset) -> None:
    fig = draw_timeline(tiny, FilterState())
    marker = trace(fig, "start known, end not stated")
    assert marker.mode == "markers"
    assert marker.marker.symbol == "triangle-right"
    assert as_list(marker.y) == ["gamma"]
    assert pd.Timestamp(as_list(marker.x)[0]) == pd.Timestamp("2015-01-01")
    assert first(marker.customdata[0]) == "gamma"


def test_timeline_activity_markers_carry_their_project_id(tiny: Dataset) -> None:
    event = trace(draw_timeline(tiny, FilterState()), "event")
    assert first(event.customdata[0]) == "alpha"
    assert event.marker.symbol == "diamond"


def test_timeline_outlines_the_chosen_project(tiny: Dataset) -> None:
    drawn = bars(draw_timeline(tiny, FilterState(project="beta")))
    beta, i = drawn["beta"]
    alpha, j = drawn["alpha"]
    assert as_list(beta.marker.line.width)[i] == 3
    assert as_list(beta.marker.line.color)[i] == HIGHLIGHT
    # Every other bar keeps only the thin outline that sets it off from the background.
    assert as_list(alpha.marker.line.width)[j] < 3
    assert as_list(alpha.marker.line.color)[j] != HIGHLIGHT


def test_timeline_shades_the_chosen_period_with_a_vrect(tiny: Dataset) -> None:
    fig = draw_timeline(tiny, FilterState(year_from=2012, year_to=2013))
    assert len(fig.layout.shapes) == 1
    shade = fig.layout.shapes[0]
    assert shade.type == "rect"
    assert (shade.x0, shade.x1) == ("2012-01-01", "2013-12-31")
    assert shade.xref == "x"
    assert shade.yref == "y domain"  # full height, whatever the number of rows
    assert draw_timeline(tiny, FilterState()).layout.shapes == ()


def test_timeline_rows_are_labelled_by_acronym_in_start_order(tiny: Dataset) -> None:
    fig = draw_timeline(tiny, FilterState())
    assert list(fig.layout.yaxis.tickvals) == ["alpha", "beta", "gamma", "epsilon"]
    assert list(fig.layout.yaxis.ticktext) == ["Alpha", "Beta", "Gamma", "Epsilon"]


def test_timeline_draws_a_project_known_only_by_its_end(tiny: Dataset) -> None:
    fig = draw_timeline(tiny, FilterState())
    drawn = {as_list(t.customdata)[i][0] for t in fig.data for i in range(len(as_list(t.y)))}
    assert "epsilon" in drawn


def test_timeline_shading_of_an_open_period_covers_every_project_it_keeps(tiny: Dataset) -> None:
    fig = draw_timeline(tiny, FilterState(year_from=2012))
    shade = fig.layout.shapes[0]
    gamma_start = pd.Timestamp("2015-01-01")
    assert pd.Timestamp(shade.x0) <= gamma_start <= pd.Timestamp(shade.x1)


def test_timeline_figure_is_a_pure_function_of_its_inputs(tiny: Dataset) -> None:
    context = everything(tiny)
    frame = queries.timeline_frame(tiny, context, only(tiny, "alpha"))
    acts = queries.timeline_activities(tiny, context)
    frame_before, acts_before = frame.copy(), acts.copy()
    state = FilterState(year_from=2011, year_to=2013, project="alpha")
    state_before = copy.deepcopy(state)
    first = timeline_figure(frame, acts, state)
    assert first.to_json() == timeline_figure(frame, acts, state).to_json()
    pd.testing.assert_frame_equal(frame, frame_before)
    pd.testing.assert_frame_equal(acts, acts_before)
    assert state == state_before


def test_timeline_of_nothing_draws_nothing_but_still_builds(tiny: Dataset) -> None:
    none = only(tiny)
    frame = queries.timeline_frame(tiny, none, none)
    fig = timeline_figure(frame, queries.timeline_activities(tiny, none), FilterState(year_from=2012))
    assert fig.data == ()


# --- validity --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "state",
    [
        FilterState(),
        FilterState(map="partners", country=("DE", "UA"), ket=("photonics",), sector=("health",)),
        FilterState(year_from=2011, year_to=2013, project="beta"),
    ],
)
def test_every_figure_is_valid_plotly_although_built_without_per_property_checks(
    tiny: Dataset, map_ids: list[str], state: FilterState
) -> None:
    # Builders skip Plotly's validation for speed; rebuilding with validation on must accept
    # every property they set, so a misspelt one fails here rather than vanish in the browser.
    from components.timeline_figure import timeline_band_figure

    everything = np.ones(tiny.size, dtype=bool)
    band = queries.timeline_band(tiny, everything, everything)
    for fig in (draw_map(tiny, state, map_ids), draw_matrix(tiny, state), draw_timeline(tiny, state),
                timeline_band_figure(band, state, projects=99, undrawn=3)):
        go.Figure(fig.to_dict())


def test_figures_hand_dash_the_same_json_as_plotly_would(tiny: Dataset, map_ids: list[str]) -> None:
    import json

    import plotly.io as pio

    state = FilterState(country=("DE",), ket=("photonics",), sector=("health",), year_from=2011)
    for fig in (draw_map(tiny, state, map_ids), draw_matrix(tiny, state), draw_timeline(tiny, state)):
        expected = json.loads(pio.to_json(go.Figure(fig.to_dict()), validate=False))
        assert json.loads(pio.json.to_json_plotly(fig.to_plotly_json())) == with_own_template_data(expected)


def test_serialising_a_figure_leaves_its_arrays_readable() -> None:
    from components.figure_kit import figure, trace

    fig = figure([trace("bar", x=["a", "b"], y=np.array([1, 2]))], {"title": {"text": "t"}})
    sent = fig.to_plotly_json()
    assert sent["data"][0]["y"]["dtype"] == "i1", "numpy arrays travel as typed arrays"
    assert list(fig.data[0].y) == [1, 2], "the figure itself still holds the array"
    assert sent["layout"]["template"]["layout"]["colorway"], "plotly's default template is attached"


def test_figures_reach_their_json_without_building_a_plotly_figure(
    tiny: Dataset, map_ids: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # go.Figure deep-copies its template and traces: more than the data costs at scale.
    from components.timeline_figure import timeline_band_figure

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a go.Figure was built on the request path")

    monkeypatch.setattr(go.Figure, "__init__", refuse)
    state = FilterState(country=("DE",), year_from=2011)
    everything = np.ones(tiny.size, dtype=bool)
    band = queries.timeline_band(tiny, everything, everything)
    for fig in (draw_map(tiny, state, map_ids), draw_matrix(tiny, state), draw_timeline(tiny, state),
                timeline_band_figure(band, state, projects=99, undrawn=3)):
        assert fig.to_plotly_json()["data"]


def test_a_matrix_with_no_project_draws_every_cell_white() -> None:
    from components.matrix_figure import SCALE, matrix_figure
    from data.engine.state import FilterState

    kets = {"nanotechnology": "Nano", "photonics": "Photonics"}
    sectors = {"health": "Health", "digital": "Digital"}
    empty = pd.DataFrame({"ket": ["nanotechnology", "photonics"], "sector": ["health", "digital"],
                          "projects": [0, 0]})
    heatmap = matrix_figure(empty, FilterState(), kets, sectors).to_dict()["data"][0]
    # Every count is 0 and the range starts at 0, so every cell takes the scale's first colour.
    assert SCALE[0] == [0.0, "#ffffff"]
    assert heatmap["zmin"] == 0 and heatmap["zmax"] >= 1
    assert all(v == "" for row in heatmap["text"] for v in row)
