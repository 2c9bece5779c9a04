"""The open project is a focus, not a filter: every view keeps the counts the other filters make
and marks the project (map outline, matrix cells, timeline bar or band, table row); the page
and the API agree with or without ``project=``. And the timeline's context: the programming
periods behind it, the projects active per year above it. Checked on figure data, no browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from fixtures_data import load_tiny, write_dataset
from test_panels import find, text

from callbacks import views
from callbacks.hub import Trigger, hub_update, next_state
from components import ids
from components.figure_kit import HIGHLIGHT, LIGHT, Figure
from components.focus_marks import FOCUS_NAME, map_focus, matrix_focus
from components.timeline_figure import (
    period_bands,
    timeline_band_figure,
    with_active_strip,
    with_focus_span,
    with_programming_periods,
)
from data.engine import queries
from data.engine.focus import Focus, active_per_year, focus_of
from data.engine.model import Dataset, load_dataset
from data.engine.state import FilterState
from data.io.geo import country_ids
from data.io.periods import ProgrammingPeriod, programming_periods
from server.factory import create_app
from server.registry import DatasetRegistry

GEOJSON = "/geo/countries.geojson"
PERIODS = (ProgrammingPeriod("2007-2013", "P1", 2007, 2013, "s"),
           ProgrammingPeriod("2014-2020", "P2", 2014, 2020, "s"),
           ProgrammingPeriod("2021-2027", "P3", 2021, 2027, "s"))


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_dataset(tmp_path_factory.mktemp("focus"))


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_tiny(tmp_path_factory.mktemp("tiny-focus"))


def as_list(values: Any) -> list[Any]:
    return [] if values is None else [v.item() if isinstance(v, np.generic) else v for v in values]


def mask_of(dataset: Dataset, *project_ids: str) -> np.ndarray:
    return dataset.projects["project_id"].isin(project_ids).to_numpy()


# --- where the open project stands -----------------------------------------------------------


def test_the_focus_names_the_projects_countries_cells_and_dates(tiny: Dataset) -> None:
    beta = focus_of(tiny, "beta")
    assert beta is not None
    assert (beta.acronym, beta.countries) == ("Beta", ("DE", "UA"))
    # beta's photonics tag is inferred by a rule: with inferred tags off, only nanotechnology.
    assert beta.cells == (("nanotechnology", "digital"), ("photonics", "digital"))
    assert focus_of(tiny, "beta", include_inferred=False).cells == (("nanotechnology", "digital"),)
    assert (beta.start, beta.end) == (pd.Timestamp("2012-06-01"), pd.Timestamp("2014-05-31"))
    gamma, delta = focus_of(tiny, "gamma"), focus_of(tiny, "delta")
    assert gamma is not None and delta is not None
    assert (gamma.start, gamma.end) == (pd.Timestamp("2015-01-01"), None)  # the end stays unknown
    assert (delta.countries, delta.cells, delta.start, delta.end) == ((), (("not-stated", "not-stated"),),
                                                                      None, None)


@pytest.mark.parametrize("project", [None, "", "omega"])
def test_no_project_or_an_unknown_one_has_no_focus(tiny: Dataset, project: str | None) -> None:
    assert focus_of(tiny, project) is None


# --- counts unchanged with and without project= ------------------------------------------------


def figure_numbers(fig: Any) -> list[Any]:
    """What a figure counts and colours: every trace but the focus marks, without the marks."""
    return [(t.get("name"), t.get("type"), str(t.get("z")), str(t.get("y")),
             str(t.get("marker", {}).get("color")))
            for t in fig.to_plotly_json()["data"] if t.get("name") != FOCUS_NAME]


@pytest.mark.parametrize("filters", [FilterState(), FilterState(country=("DE",)),
                                     FilterState(year_from=2013, ket=("nanotechnology",))],
                         ids=lambda s: s.to_query() or "none")
@pytest.mark.parametrize("project", ["alpha", "beta", "delta"])
def test_opening_a_project_leaves_every_views_counts_as_they_were(
        tiny: Dataset, filters: FilterState, project: str) -> None:
    opened = FilterState(**{**filters.to_dict(), "project": project})
    geometry = country_ids()
    for render in (views.render_headline,):
        assert [text(c) for c in render(tiny, opened)] == [text(c) for c in render(tiny, filters)]
    assert (views.render_filter_bar(tiny, opened)["table_count"]
            == views.render_filter_bar(tiny, filters)["table_count"])
    maps = [views.render_map(tiny, s, geometry, GEOJSON, "test") for s in (opened, filters)]
    assert figure_numbers(maps[0]["figure"]) == figure_numbers(maps[1]["figure"])
    assert text(maps[0]["list"]) == text(maps[1]["list"])
    matrices = [views.render_matrix(tiny, s) for s in (opened, filters)]
    assert figure_numbers(matrices[0]["figure"]) == figure_numbers(matrices[1]["figure"])
    assert matrices[0]["label"] == matrices[1]["label"]
    timelines = [views.render_timeline(tiny, s) for s in (opened, filters)]
    bars = [[(t.get("name"), str(t.get("y"))) for t in tl["figure"].to_plotly_json()["data"]]
            for tl in timelines]
    assert bars[0] == bars[1]
    request = {"startRow": 0, "endRow": 100, "sortModel": []}
    pages = [views.render_table_page(tiny, s, request) for s in (opened, filters)]
    assert pages[0]["rowCount"] == pages[1]["rowCount"]
    assert [r["id"] for r in pages[0]["rowData"]] == [r["id"] for r in pages[1]["rowData"]]
    assert [r["id"] for r in pages[0]["rowData"] if r["selected"]] == (
        [project] if project in {r["id"] for r in pages[1]["rowData"]} else [])


def test_opening_a_project_recomputes_no_selection(tiny: Dataset) -> None:
    state = FilterState(country=("DE",))
    assert views.selection(tiny, state) is views.selection(tiny, FilterState(country=("DE",), project="beta"))


@pytest.mark.parametrize("query", ["project=alpha", "country=DE&project=alpha", "project=delta&ket=photonics",
                                   "country=FR&project=beta"])
def test_the_page_and_the_api_agree_with_a_project_open(tiny_folder: Path, query: str) -> None:
    dataset = load_dataset(tiny_folder)
    registry = DatasetRegistry(dataset, tiny_folder.parent / "uploads")
    try:
        client = create_app(tiny_folder).server.test_client()
        answer = client.get(f"/api/projects?{query}")
        without = client.get("/api/projects?" + "&".join(p for p in query.split("&")
                                                           if not p.startswith("project=")))
        assert answer.status_code == 200
        assert answer.get_json() == without.get_json()
        out = hub_update(registry, Trigger(), f"?{query}", None)
        state = FilterState.from_dict(out["state"])
        assert state.project is not None and out["sheet_open"] is True
        shown = {c.id: text(c) for c in find(views.render_headline(dataset, state),
                                             lambda c: getattr(c, "className", None) == "headline-value")}
        assert int(shown[ids.HEADLINE_PROJECTS]) == int(answer.headers["X-Total-Count"])
    finally:
        registry.close()


# --- the side sheet and the hub ----------------------------------------------------------------


def test_closing_the_sheet_by_escape_closes_the_project_and_opening_it_changes_nothing() -> None:
    state = FilterState(country=("DE",), project="beta")
    bounds = (2000, 2030)
    closed = next_state(Trigger(ids.DETAIL_SHEET, "is_open", False), state, bounds)
    assert closed == FilterState(country=("DE",))
    assert next_state(Trigger(ids.DETAIL_SHEET, "is_open", True), state, bounds) == state
    assert next_state(Trigger(ids.DETAIL_SHEET, "is_open", False), FilterState(), bounds) == FilterState()


def test_the_hub_opens_the_sheet_with_a_project_and_closes_it_without(tiny_folder: Path) -> None:
    registry = DatasetRegistry(load_dataset(tiny_folder), tiny_folder.parent / "uploads-hub")
    try:
        opened = hub_update(registry, Trigger(ids.TABLE, "cellClicked", {"rowId": "beta"}), "", None)
        assert opened["sheet_open"] is True and opened["search"] == "?project=beta"
        closed = hub_update(registry, Trigger(ids.DETAIL_SHEET, "is_open", False), "?project=beta",
                            opened["state"])
        assert closed["sheet_open"] is False and closed["search"] == ""
    finally:
        registry.close()


# --- the marks in each figure ------------------------------------------------------------------


def test_the_map_outlines_the_open_projects_countries_in_the_looks_ink(tiny: Dataset) -> None:
    geometry = country_ids()
    out = views.render_map(tiny, FilterState(project="beta"), geometry, GEOJSON, "test")
    layers = [t for t in out["figure"].to_plotly_json()["data"] if t.get("name") == FOCUS_NAME]
    assert len(layers) == 1
    assert as_list(layers[0]["locations"]) == [c for c in ("DE", "UA") if c in geometry]
    assert layers[0]["marker"]["line"]["color"] == LIGHT.ink
    assert "countries of Beta, the open project: Germany, Ukraine" in text(out["legend"])
    german = views.render_map(tiny, FilterState(project="beta", lang="de"), geometry, GEOJSON, "test")
    assert "Länder von Beta, dem geöffneten Projekt: Deutschland, Ukraine" in text(german["legend"])
    # None drawn without a project, nor for a project without a country.
    for state in (FilterState(), FilterState(project="delta")):
        drawn = views.render_map(tiny, state, geometry, GEOJSON, "test")["figure"].to_plotly_json()["data"]
        assert FOCUS_NAME not in [t.get("name") for t in drawn]


def test_the_map_focus_leaves_out_countries_the_geometry_lacks() -> None:
    base = Figure([], {})
    fig = map_focus(base, Focus("x", "X", ("DE", "NZ"), (), None, None), ["DE", "FR"], GEOJSON, LIGHT)
    (layer,) = [t for t in fig.to_plotly_json()["data"] if t.get("name") == FOCUS_NAME]
    assert as_list(layer["locations"]) == ["DE"]
    assert map_focus(base, Focus("x", "X", ("NZ",), (), None, None), ["DE"], GEOJSON, LIGHT) is base
    assert map_focus(base, None, ["DE"], GEOJSON, LIGHT) is base


def test_the_matrix_outlines_the_open_projects_cells(tiny: Dataset) -> None:
    fig = views.render_matrix(tiny, FilterState(project="beta"))["figure"].to_plotly_json()
    heat = fig["data"][0]
    sectors, kets = as_list(heat["x"]), as_list(heat["y"])
    marks = [s for s in fig["layout"].get("shapes", []) if s.get("name") == FOCUS_NAME]
    cells = {(kets[round((m["y0"] + m["y1"]) / 2)], sectors[round((m["x0"] + m["x1"]) / 2)]) for m in marks}
    assert cells == {("nanotechnology", "digital"), ("photonics", "digital")}
    assert all(m["line"]["dash"] == "dot" for m in marks)
    curated = views.render_matrix(tiny, FilterState(project="beta", inferred=False))["figure"]
    curated = curated.to_plotly_json()
    assert len([s for s in curated["layout"].get("shapes", []) if s.get("name") == FOCUS_NAME]) == 1
    plain = views.render_matrix(tiny, FilterState())["figure"].to_plotly_json()
    assert not [s for s in plain["layout"].get("shapes", []) if s.get("name") == FOCUS_NAME]


def test_matrix_focus_skips_cells_the_axes_lack() -> None:
    base = Figure([], {"shapes": []})
    focus = Focus("x", "X", (), (("photonics", "health"), ("gone", "health")), None, None)
    marked = matrix_focus(base, focus, ["photonics", "nano"], ["digital", "health"], LIGHT)
    (shape,) = marked.plain_layout["shapes"]
    assert (shape["x0"], shape["x1"], shape["y0"], shape["y1"]) == pytest.approx((0.6, 1.4, -0.4, 0.4))
    assert base.plain_layout["shapes"] == []  # the figure given is not changed


def test_the_timeline_emphasises_the_open_projects_bar(tiny: Dataset) -> None:
    fig = views.render_timeline(tiny, FilterState(project="alpha"))["figure"]
    widths = {pid: (w, c) for t in fig.data if isinstance(t, go.Bar)
              for pid, w, c in zip(as_list(t.y), as_list(t.marker.line.width), as_list(t.marker.line.color),
                                   strict=True)}
    assert widths["alpha"] == (3, HIGHLIGHT)
    assert widths["beta"][0] < 3


def test_the_band_timeline_marks_the_open_projects_period(tiny: Dataset) -> None:
    everything = np.ones(tiny.size, dtype=bool)
    band = queries.timeline_band(tiny, everything, everything)
    fig = timeline_band_figure(band, FilterState(), 5, 3)
    marked = with_focus_span(fig, focus_of(tiny, "beta"), LIGHT)
    (shape,) = [s for s in marked.plain_layout["shapes"] if s.get("name") == "open project"]
    assert (shape["x0"], shape["x1"]) == ("2012-06-01", "2014-05-31")
    (label,) = [a for a in marked.plain_layout["annotations"] if a.get("name") == "open project"]
    assert "Beta" in label["text"]
    # Only a start known (gamma): a line at it. No date at all (delta): nothing to mark.
    gamma = [s for s in with_focus_span(fig, focus_of(tiny, "gamma"), LIGHT).plain_layout["shapes"]
             if s.get("name") == "open project"]
    assert [(s["x0"], s["x1"]) for s in gamma] == [("2015-01-01", "2015-01-01")]
    assert with_focus_span(fig, focus_of(tiny, "delta"), LIGHT) is fig
    assert with_focus_span(fig, None, LIGHT) is fig


# --- the timeline's context --------------------------------------------------------------------


def test_programming_periods_are_cut_to_the_dates_drawn_and_labelled() -> None:
    drawn = (pd.Timestamp("2012-03-01"), pd.Timestamp("2016-06-30"))
    shapes, labels = period_bands(PERIODS, drawn, LIGHT)
    assert [(s["x0"], s["x1"]) for s in shapes] == [("2012-03-01", "2013-12-31"),
                                                    ("2014-01-01", "2016-06-30")]
    assert all(s["layer"] == "below" and s["yref"] == "paper" for s in shapes)
    assert shapes[0]["opacity"] != shapes[1]["opacity"]  # neighbours told apart
    assert [a["text"] for a in labels] == ["P1", "P2"]
    assert [a["x"] for a in labels] == ["2012-03-01", "2014-01-01"]
    assert period_bands(PERIODS, None, LIGHT) == ([], [])
    assert period_bands(PERIODS, (pd.Timestamp("1990-01-01"), pd.Timestamp("1995-01-01")), LIGHT) == ([], [])


def test_the_bands_go_behind_the_chosen_period_and_make_room_for_their_labels(tiny: Dataset) -> None:
    fig = views.render_timeline(tiny, FilterState(year_from=2013, year_to=2014))["figure"].to_plotly_json()
    shapes = fig["layout"]["shapes"]
    assert [s.get("name") for s in shapes[:-1]] == ["2007-2013", "2014-2020"]
    assert shapes[-1]["fillcolor"] != LIGHT.ink  # the chosen period's shade, drawn last
    assert fig["layout"]["margin"]["t"] > 10


def test_the_shipped_periods_are_labelled_in_every_language() -> None:
    english = programming_periods("en")
    assert [(p.first_year, p.last_year) for p in english] == [(2007, 2013), (2014, 2020), (2021, 2027)]
    for lang in ("de", "fr", "es"):
        labels = [p.label for p in programming_periods(lang)]
        assert all(a != b for a, b in zip(labels, [p.label for p in english], strict=True)), lang
        assert all(str(p.first_year) in label for p, label in zip(english, labels, strict=True))


def test_projects_active_per_year_count_each_year_a_project_runs_in(tiny: Dataset) -> None:
    # alpha 2010-2012, beta 2012-06..2014-05 (end drawn from its duration); gamma has no end,
    # epsilon no start, delta no date: they are not claimed active in any year.
    everything = np.ones(tiny.size, dtype=bool)
    active = active_per_year(tiny, everything)
    assert dict(zip(active["year"], active["projects"], strict=True)) == {
        2010: 1, 2011: 1, 2012: 2, 2013: 1, 2014: 1}
    only_beta = active_per_year(tiny, mask_of(tiny, "beta"))
    assert only_beta["year"].tolist() == [2012, 2013, 2014] and only_beta["projects"].tolist() == [1, 1, 1]
    assert active_per_year(tiny, mask_of(tiny, "gamma", "delta")).empty


def test_the_active_strip_sits_above_the_bars_and_its_hover_states_the_count(tiny: Dataset) -> None:
    fig = views.render_timeline(tiny, FilterState())["figure"]
    (line,) = [t for t in fig.data if t.yaxis == "y2"]
    assert as_list(line.y) == [1, 1, 2, 1, 1]
    assert as_list(line.x)[0] == "2010-07-01"
    assert "%{y}" in line.hovertemplate and "%{customdata[0]}" in line.hovertemplate
    main, strip = fig.layout.yaxis.domain, fig.layout.yaxis2.domain
    assert main[1] < strip[0] and strip[1] == 1
    # Its points carry a year, not a project id: a click on them opens no project.
    assert all(not isinstance(c[0], str) for c in line.customdata)


def test_the_active_strip_and_bands_are_left_out_when_nothing_has_both_dates() -> None:
    fig = Figure([], {"height": 300, "margin": {"t": 10, "b": 30}})
    empty = pd.DataFrame({"year": pd.Series(dtype="int64"), "projects": pd.Series(dtype="int64")})
    assert with_active_strip(fig, empty, FilterState()) is fig
    assert with_programming_periods(fig, PERIODS, None) is fig


def test_a_period_too_narrow_for_its_name_is_labelled_with_its_years_or_not_at_all() -> None:
    long = (ProgrammingPeriod("2014-2020", "A programming period with a rather long name", 2014, 2020, "s"),)
    wide = (pd.Timestamp("2014-01-01"), pd.Timestamp("2020-12-31"))
    assert [a["text"] for a in period_bands(long, wide, LIGHT)[1]] == [long[0].label]
    # Drawn over forty years, the period is a sixth of the width: its years fit, its name not.
    narrow = (pd.Timestamp("1990-01-01"), pd.Timestamp("2030-12-31"))
    assert [a["text"] for a in period_bands(long, narrow, LIGHT)[1]] == ["2014–2020"]
    # Its last month only: a band, no label.
    sliver = (pd.Timestamp("1980-01-01"), pd.Timestamp("2014-01-31"))
    shapes, labels = period_bands(long, sliver, LIGHT)
    assert len(shapes) == 1 and labels == []


def test_the_legend_names_at_most_eight_countries_of_the_open_project() -> None:
    from components.focus_marks import focus_legend_words

    many = Focus("x", "X", ("AT", "BE", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "IT"), (), None, None)
    words = focus_legend_words(many)
    assert words.endswith("Finland +2 more") and "France" not in words
