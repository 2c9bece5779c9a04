"""Each interaction is a pure function of the state and the event payload Dash hands over."""

from __future__ import annotations

from typing import Any

import pytest

from callbacks import interactions as act
from data.engine.state import YEAR_MAX, YEAR_MIN, FilterState

# A state with something in every dimension, so 'unchanged' is a strong claim.
BUSY = FilterState(country=("DE", "FR"), ket=("photonics",), sector=("health",), programme=("prog-a",),
                   year_from=2011, year_to=2014, project="alpha", q="light", map="partners")


def click(**point: Any) -> dict[str, Any]:
    """A Plotly clickData payload with one point."""
    return {"points": [point]}


# --- map -------------------------------------------------------------------------------------


def test_map_click_adds_a_country_then_removes_it() -> None:
    state = act.on_map_click(FilterState(country=("FR",)), click(location="DE", z=3))
    assert state.country == ("DE", "FR")
    assert act.on_map_click(state, click(location="DE")).country == ("FR",)


def test_map_click_changes_only_the_country_filter() -> None:
    state = act.on_map_click(BUSY, click(location="IT"))
    assert state == FilterState(**{**BUSY.to_dict(), "country": ("DE", "FR", "IT")})


# --- matrix ----------------------------------------------------------------------------------


def test_matrix_click_filters_by_the_cell_ket_and_sector() -> None:
    state = act.on_matrix_click(FilterState(ket=("nanotechnology", "photonics")),
                                click(x="digital", y="photonics", z=1))
    # The cell replaces whatever KETs and sectors were chosen.
    assert (state.ket, state.sector) == (("photonics",), ("digital",))


def test_clicking_the_selected_matrix_cell_again_clears_ket_and_sector() -> None:
    state = FilterState(ket=("photonics",), sector=("digital",), country=("DE",))
    cleared = act.on_matrix_click(state, click(x="digital", y="photonics"))
    assert (cleared.ket, cleared.sector) == ((), ())
    assert cleared.country == ("DE",)  # other filters stay


def test_matrix_click_on_not_stated_cell_selects_the_not_stated_values() -> None:
    state = act.on_matrix_click(FilterState(), click(x="not-stated", y="not-stated"))
    assert (state.ket, state.sector) == (("not-stated",), ("not-stated",))


# --- timeline --------------------------------------------------------------------------------


def test_timeline_click_selects_the_project_of_the_bar() -> None:
    bar = click(customdata=["beta", "Beta Beta nano project", "2012-06", "not stated"], y="beta")
    assert act.on_timeline_click(FilterState(), bar).project == "beta"


def test_timeline_click_on_the_selected_project_deselects_it() -> None:
    bar = click(customdata=["alpha", "Alpha"])
    assert act.on_timeline_click(BUSY, bar) == FilterState(**{**BUSY.to_dict(), "project": None})


def test_timeline_click_on_another_project_switches_to_it() -> None:
    assert act.on_timeline_click(BUSY, click(customdata=["gamma"])).project == "gamma"


@pytest.mark.parametrize(
    ("x", "years"),
    [
        (["2012-03-04 10:11:12.5", "2014-07-01"], (2012, 2014)),
        (["2014-07-01", "2012-03-04"], (2012, 2014)),  # dragged right to left
        (["2013-01-01", "2013-11-30"], (2013, 2013)),
    ],
)
def test_timeline_box_select_sets_the_years(x: list[str], years: tuple[int, int]) -> None:
    state = act.on_timeline_select(BUSY, {"range": {"x": x}, "points": []})
    assert (state.year_from, state.year_to) == years
    assert state.project == BUSY.project  # a period does not drop the chosen project


@pytest.mark.parametrize("x", [["1890-01-01", "2012-06-01"], [" 201", "2012-06-01"]])
def test_timeline_box_select_never_yields_a_year_the_url_cannot_carry(x: list[str]) -> None:
    state = act.on_timeline_select(FilterState(), {"range": {"x": x}})
    assert state.year_from is None or YEAR_MIN <= state.year_from <= YEAR_MAX
    assert FilterState.from_dict(state.to_dict()) == state


# --- table, chips, reset ---------------------------------------------------------------------


def test_table_cell_click_selects_its_row_project() -> None:
    event = {"value": "Gamma", "colId": "acronym", "rowIndex": 2, "rowId": "gamma"}
    assert act.on_table_click(FilterState(), event).project == "gamma"
    # Clicking the selected row again deselects, as on the timeline.
    assert act.on_table_click(FilterState(project="gamma"), event).project is None


@pytest.mark.parametrize(
    ("dimension", "value", "changes"),
    [
        ("country", "DE", {"country": ("FR",)}),
        ("ket", "photonics", {"ket": ()}),
        ("sector", "health", {"sector": ()}),
        ("programme", "prog-a", {"programme": ()}),
        ("period", "", {"year_from": None, "year_to": None}),
        ("project", "alpha", {"project": None}),
        ("q", "light", {"q": ""}),
    ],
)
def test_removing_a_chip_removes_that_one_filter(dimension: str, value: str, changes: dict[str, Any]) -> None:
    assert act.on_chip_remove(BUSY, dimension, value) == FilterState(**{**BUSY.to_dict(), **changes})


@pytest.mark.parametrize(("dimension", "value"), [("country", "IT"), ("map", "partners"), ("colour", "x")])
def test_removing_a_chip_that_is_not_there_changes_nothing(dimension: str, value: str) -> None:
    assert act.on_chip_remove(BUSY, dimension, value) == BUSY


def test_reset_clears_every_filter_but_keeps_the_map_metric() -> None:
    assert act.on_reset(BUSY) == FilterState(map="partners")
    assert act.on_reset(FilterState(q="x")) == FilterState()


# --- controls --------------------------------------------------------------------------------


def test_dropdown_values_replace_the_dimension_canonically() -> None:
    assert act.on_dropdown(BUSY, "country", ["IT", "DE", "IT"]).country == ("DE", "IT")
    assert act.on_dropdown(BUSY, "country", None).country == ()


@pytest.mark.parametrize(
    ("value", "years"),
    [
        ([2010, 2020], (None, None)),  # the full slider range is no period filter
        ([2012, 2020], (2012, None)),
        ([2010, 2015], (None, 2015)),
        ([2015, 2012], (2012, 2015)),
    ],
)
def test_period_slider_sets_years_and_the_full_range_means_none(
    value: list[int], years: tuple[int | None, int | None]
) -> None:
    state = act.on_period(FilterState(), value, (2010, 2020))
    assert (state.year_from, state.year_to) == years


def test_search_text_is_folded_and_capped() -> None:
    assert act.on_search(FilterState(), "  nano \n light ").q == "nano light"
    assert len(act.on_search(FilterState(), "x" * 1000).q) == 200
    assert act.on_search(BUSY, None).q == ""


def test_map_metric_switches_only_to_a_known_metric() -> None:
    assert act.on_metric(FilterState(), "partners").map == "partners"
    assert act.on_metric(BUSY, "bubbles") == BUSY


# --- odd payloads ----------------------------------------------------------------------------

ODD_EVENTS = [
    None, {}, [], "DE", 5, {"points": []}, {"points": None}, {"points": [None]}, {"points": ["x"]},
    {"points": [{}]}, {"points": [{"location": None}]}, {"points": [{"location": ""}]},
    {"points": [{"location": 5}]}, {"points": [{"customdata": None}]}, {"points": [{"customdata": []}]},
    {"points": [{"customdata": [5]}]}, {"points": [{"customdata": "alpha"}]},
    {"points": [{"x": 1, "y": 2}]}, {"points": [{"x": "", "y": "photonics"}]},
    {"range": None}, {"range": {"x": None}}, {"range": {"x": [2012]}}, {"range": {"x": ["a", "b"]}},
    {"range": {"x": [None, "2012"]}}, {"range": "2012"},
    {"rowId": None}, {"rowId": 5}, {"rowId": ""},
]
EVENT_HANDLERS = [act.on_map_click, act.on_matrix_click, act.on_timeline_click, act.on_timeline_select,
                  act.on_table_click, act.on_table_key]


@pytest.mark.parametrize("handler", EVENT_HANDLERS, ids=lambda h: h.__name__)
@pytest.mark.parametrize("event", ODD_EVENTS, ids=repr)
def test_an_event_that_cannot_be_read_leaves_the_state_unchanged(handler: Any, event: Any) -> None:
    assert handler(BUSY, event) == BUSY


@pytest.mark.parametrize("value", [None, [], [2012], "2012", [2012, "abc"], [None, None], {"a": 1}])
def test_an_odd_slider_value_leaves_the_state_unchanged(value: Any) -> None:
    assert act.on_period(BUSY, value, (2010, 2020)) == BUSY


@pytest.mark.parametrize("event", [{"points": 5}, {"points": {"a": 1}}], ids=repr)
def test_a_points_value_that_is_not_a_list_leaves_the_state_unchanged(event: Any) -> None:
    # The three click handlers share the point reader, so they share the fault.
    for handler in (act.on_map_click, act.on_matrix_click, act.on_timeline_click):
        assert handler(BUSY, event) == BUSY


def test_a_table_sort_from_the_grid_goes_into_the_state_and_odd_ones_are_ignored() -> None:
    assert act.on_table_sort(FilterState(), "-start") == FilterState(sort="-start")
    assert act.on_table_sort(FilterState(sort="title"), "") == FilterState()
    for odd in ("budget", "--start", None, 5, ["start"]):
        assert act.on_table_sort(FilterState(sort="title"), odd) == FilterState(sort="title")
@pytest.mark.parametrize("event", [None, 5, {"data": None}, {"data": 5}, {"data": {"rowId": 7}},
                                   {"data": {"rowId": ""}}, {"rowId": "beta"}], ids=repr)
def test_an_enter_key_event_that_cannot_be_read_leaves_the_state_unchanged(event: Any) -> None:
    assert act.on_table_key(BUSY, event) == BUSY


def test_enter_on_a_table_row_selects_its_project_as_a_click_does() -> None:
    event = {"data": {"rowId": "beta"}, "timestamp": 5}
    assert act.on_table_key(BUSY, event) == act.on_table_click(BUSY, {"rowId": "beta"})
    assert act.on_table_key(BUSY, event).project == "beta"


@pytest.mark.parametrize(("ket", "sector"), [(None, "health"), ("photonics", None), ("", "x"), (5, "x")])
def test_a_matrix_cell_button_with_odd_keys_leaves_the_state_unchanged(ket: Any, sector: Any) -> None:
    assert act.on_matrix_cell(BUSY, ket, sector) == BUSY


def test_a_matrix_cell_button_does_what_a_click_on_the_heatmap_does() -> None:
    for state in (FilterState(), BUSY):
        for ket, sector in (("photonics", "health"), ("nanotechnology", "digital")):
            assert act.on_matrix_cell(state, ket, sector) == act.on_matrix_click(
                state, {"points": [{"x": sector, "y": ket}]})
