"""The view parameters of the URL: table sort, map zoom and centre, presentation mode, theme,
language and storyboard position round-trip through the address, and odd values are noticed."""

from __future__ import annotations

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
